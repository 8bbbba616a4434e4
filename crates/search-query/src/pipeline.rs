//! One search, stage by stage: BM25 candidates from tantivy, a proximity re-rank of
//! the best of them, boilerplate below real paragraphs, the per-article roll-up,
//! and finally the stored passages and highlights of the hits returned.

use std::collections::HashMap;

use search_core::{Citation, FileStatus, IndexMeta, PassageFields};
use tantivy::collector::{Count, TopDocs};
use tantivy::tokenizer::{TextAnalyzer, Token};
use tantivy::{DocAddress, Score, Searcher, TantivyDocument};

use crate::columns::{passage_text, SegmentColumns};
use crate::stats::LiveStatistics;

use crate::options::SearchOptions;
use crate::plan::{analyze, Plan};
use crate::rank::{highlights, proximity};
use crate::results::Hit;

/// At least this many candidates are collected and re-ranked.
const MIN_RERANK: usize = 30;
/// At most this many candidates are re-ranked by proximity.
const MAX_RERANK: usize = 300;
/// Candidates collected per hit in per-article mode (articles have many passages).
const PER_ARTICLE_FANOUT: usize = 10;

/// What a search reads.
pub struct Context<'a> {
    /// The searcher of the current commit.
    pub searcher: &'a Searcher,
    /// Statistics of its live passages (BM25 must not count deleted ones).
    pub stats: &'a LiveStatistics<'a>,
    /// Schema fields.
    pub fields: PassageFields,
    /// The index's analyzer.
    pub analyzer: TextAnalyzer,
    /// The current commit's metadata (for stale checks).
    pub meta: &'a IndexMeta,
    /// Citation columns of each segment of `searcher`.
    pub columns: &'a [SegmentColumns],
}

struct Candidate {
    address: DocAddress,
    score: Score,
    boilerplate: bool,
    /// (path, line, byte start): breaks ties between equal scores.
    place: (String, u64, u64),
}

/// The `collect` best passages by BM25, and the number of matches if `count`.
///
/// A passage tied with the last one kept may have been cut at random (by segment
/// order); the search is widened until the cut falls between different scores, so
/// that the tie-break in `run` sees every tied passage.
fn collect_candidates(
    ctx: &Context<'_>,
    plan: &Plan,
    collect: usize,
    count: bool,
) -> tantivy::Result<(Vec<(Score, DocAddress)>, usize)> {
    let mut limit = collect;
    loop {
        let collector = TopDocs::with_limit(limit).order_by_score();
        let (top, total) = if count {
            ctx.searcher.search_with_statistics_provider(
                &*plan.query,
                &(collector, Count),
                ctx.stats,
            )?
        } else {
            let top = ctx.searcher.search_with_statistics_provider(
                &*plan.query,
                &collector,
                ctx.stats,
            )?;
            (top, 0)
        };
        let tied_at_cut = top.len() == limit && top[limit - 1].0 == top[collect - 1].0;
        if !tied_at_cut {
            return Ok((top, total));
        }
        limit *= 2;
    }
}

/// Runs `plan`; returns the hits and the number of matching passages.
pub fn run(
    ctx: &mut Context<'_>,
    plan: &Plan,
    options: &SearchOptions,
) -> tantivy::Result<(Vec<Hit>, usize)> {
    let fanout = if options.per_article {
        PER_ARTICLE_FANOUT
    } else {
        options.ranking.rerank_depth.max(1)
    };
    let collect = (options.limit * fanout).max(MIN_RERANK);
    let (top, total) = collect_candidates(ctx, plan, collect, options.count_matches)?;
    let column_of = |ord: u32| &ctx.columns[ord as usize];
    let mut candidates: Vec<Candidate> = top
        .into_iter()
        .map(|(score, address)| {
            let columns = column_of(address.segment_ord);
            Candidate {
                address,
                score,
                boilerplate: columns.boilerplate(address.doc_id),
                place: columns.place(address.doc_id),
            }
        })
        .collect();
    // Equal scores are ordered by where the passage is, not by where it happens
    // to sit in the index, so that every build of a corpus answers alike.
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.place.cmp(&b.place))
    });
    candidates.truncate(collect);

    // Proximity re-rank of the best candidates: needs their text, kept for later.
    let mut loaded: HashMap<DocAddress, Loaded> = HashMap::new();
    let window = (options.limit * options.ranking.rerank_depth.max(1))
        .clamp(MIN_RERANK, MAX_RERANK)
        .min(candidates.len());
    if options.ranking.proximity > 0.0 && plan.ordered_terms.len() > 1 {
        for candidate in &mut candidates[..window] {
            let doc = load(ctx, &mut loaded, candidate.address)?;
            let near = proximity(&plan.ordered_terms, &doc.tokens);
            candidate.score *= 1.0 + options.ranking.proximity * near;
        }
    }
    candidates.sort_by(|a, b| {
        a.boilerplate
            .cmp(&b.boilerplate)
            .then(b.score.total_cmp(&a.score))
            .then_with(|| a.place.cmp(&b.place))
    });

    if options.per_article {
        candidates = roll_up(candidates, |c| {
            column_of(c.address.segment_ord).doc_id(c.address.doc_id)
        });
    }
    candidates.truncate(options.limit);

    let mut stale_by_path: HashMap<String, bool> = HashMap::new();
    let mut hits = Vec::with_capacity(candidates.len());
    for (i, candidate) in candidates.into_iter().enumerate() {
        let doc = match loaded.remove(&candidate.address) {
            Some(doc) => doc,
            None if options.highlights => {
                load(ctx, &mut loaded, candidate.address)?;
                loaded.remove(&candidate.address).expect("just loaded")
            }
            None => Loaded::without_tokens(ctx, candidate.address)?,
        };
        let stale = options.check_stale
            && *stale_by_path
                .entry(doc.citation.path.clone())
                .or_insert_with(|| is_stale(ctx.meta, &doc.citation.path));
        hits.push(Hit {
            rank: i + 1,
            score: candidate.score,
            highlights: if options.highlights {
                highlights(&plan.highlight_terms, &doc.tokens)
            } else {
                Vec::new()
            },
            boilerplate: candidate.boilerplate,
            text: doc.text,
            citation: doc.citation,
            stale,
        });
    }
    Ok((hits, total))
}

/// Keeps each article's best passage (the input is sorted best first, and so is
/// the output).
fn roll_up(
    candidates: Vec<Candidate>,
    mut key: impl FnMut(&Candidate) -> String,
) -> Vec<Candidate> {
    let mut seen = std::collections::HashSet::new();
    candidates
        .into_iter()
        .filter(|c| seen.insert(key(c)))
        .collect()
}

/// A stored passage, analyzed.
struct Loaded {
    text: String,
    citation: Citation,
    tokens: Vec<Token>,
}

impl Loaded {
    fn without_tokens(ctx: &Context<'_>, address: DocAddress) -> tantivy::Result<Loaded> {
        let doc: TantivyDocument = ctx.searcher.doc(address)?;
        Ok(Loaded {
            text: passage_text(&doc, &ctx.fields),
            citation: ctx.columns[address.segment_ord as usize].citation(address.doc_id),
            tokens: Vec::new(),
        })
    }
}

fn load<'m>(
    ctx: &mut Context<'_>,
    loaded: &'m mut HashMap<DocAddress, Loaded>,
    address: DocAddress,
) -> tantivy::Result<&'m Loaded> {
    match loaded.entry(address) {
        std::collections::hash_map::Entry::Occupied(entry) => Ok(entry.into_mut()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            let mut entry = Loaded::without_tokens(ctx, address)?;
            entry.tokens = analyze(&mut ctx.analyzer, &entry.text);
            Ok(slot.insert(entry))
        }
    }
}

fn is_stale(meta: &IndexMeta, path: &str) -> bool {
    meta.file(path)
        .is_some_and(|record| meta.file_status(record) != FileStatus::Unchanged)
}
