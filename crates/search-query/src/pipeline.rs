//! One search, stage by stage: BM25 candidates from tantivy, a proximity re-rank of
//! the best of them, boilerplate below real paragraphs, the per-article roll-up,
//! and finally the stored passages and highlights of the hits returned.

use std::collections::HashMap;

use search_core::{Citation, FileStatus, IndexMeta, PassageFields};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::{Field, Value};
use tantivy::tokenizer::{TextAnalyzer, Token};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument};

use crate::options::SearchOptions;
use crate::plan::{analyze, Plan};
use crate::rank::{highlights, proximity};
use crate::results::Hit;

/// Boilerplate scores are scaled by this, so that boilerplate only fills candidate
/// slots that real paragraphs leave free.
const BOILERPLATE_SCALE: Score = 0.01;
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
    /// Schema fields.
    pub fields: PassageFields,
    /// The index's analyzer.
    pub analyzer: TextAnalyzer,
    /// The current commit's metadata (for stale checks).
    pub meta: &'a IndexMeta,
}

struct Candidate {
    address: DocAddress,
    score: Score,
    boilerplate: bool,
}

/// Fast-field columns of one segment.
struct SegmentColumns {
    boilerplate: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    doc_id: Option<StrColumn>,
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
    let collector = TopDocs::with_limit(collect).tweak_score(|segment: &SegmentReader| {
        let column = boilerplate_column(segment);
        move |doc: DocId, score: Score| match &column {
            Some(column) if column.get_val(doc) == 1 => score * BOILERPLATE_SCALE,
            _ => score,
        }
    });
    let (top, total) = ctx.searcher.search(&*plan.query, &(collector, Count))?;

    let columns: Vec<SegmentColumns> = ctx
        .searcher
        .segment_readers()
        .iter()
        .map(|segment| SegmentColumns {
            boilerplate: boilerplate_column(segment),
            doc_id: segment.fast_fields().str("doc_id").ok().flatten(),
        })
        .collect();
    let column_of = |ord: u32| &columns[ord as usize];
    let mut candidates: Vec<Candidate> = top
        .into_iter()
        .map(|(score, address)| {
            let boilerplate = column_of(address.segment_ord)
                .boilerplate
                .as_ref()
                .is_some_and(|c| c.get_val(address.doc_id) == 1);
            Candidate {
                address,
                score,
                boilerplate,
            }
        })
        .collect();

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
    });

    if options.per_article {
        candidates = roll_up(candidates, |c| {
            article_key(column_of(c.address.segment_ord), c.address)
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
            None => Loaded::without_tokens(ctx.searcher.doc(candidate.address)?, &ctx.fields),
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

fn article_key(columns: &SegmentColumns, address: DocAddress) -> String {
    let mut name = String::new();
    let found = columns.doc_id.as_ref().and_then(|column| {
        let ord = column.term_ords(address.doc_id).next()?;
        column.ord_to_str(ord, &mut name).ok().filter(|&ok| ok)
    });
    match found {
        Some(_) => name,
        // No fast column (never for indexes this version writes): treat the passage
        // as its own article.
        None => format!("{address:?}"),
    }
}

/// A stored passage, analyzed.
struct Loaded {
    text: String,
    citation: Citation,
    tokens: Vec<Token>,
}

impl Loaded {
    fn without_tokens(doc: TantivyDocument, fields: &PassageFields) -> Loaded {
        Loaded {
            text: text_of(&doc, fields.text),
            citation: citation_of(&doc, fields),
            tokens: Vec::new(),
        }
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
            let doc: TantivyDocument = ctx.searcher.doc(address)?;
            let mut entry = Loaded::without_tokens(doc, &ctx.fields);
            entry.tokens = analyze(&mut ctx.analyzer, &entry.text);
            Ok(slot.insert(entry))
        }
    }
}

fn boilerplate_column(
    segment: &SegmentReader,
) -> Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>> {
    let column: Column<u64> = segment.fast_fields().u64("boilerplate").ok()?;
    Some(column.first_or_default_col(0))
}

fn is_stale(meta: &IndexMeta, path: &str) -> bool {
    meta.file(path)
        .is_some_and(|record| meta.file_status(record) != FileStatus::Unchanged)
}

/// The stored text of `field`, or "".
pub fn text_of(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn opt_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn u64_of(doc: &TantivyDocument, field: Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

/// The citation stored with a passage.
pub fn citation_of(doc: &TantivyDocument, f: &PassageFields) -> Citation {
    let part = u64_of(doc, f.part);
    Citation {
        doc_id: text_of(doc, f.doc_id),
        title: opt_text(doc, f.title),
        source: opt_text(doc, f.source),
        path: text_of(doc, f.path),
        paragraph: u64_of(doc, f.paragraph),
        line: u64_of(doc, f.line),
        byte_start: u64_of(doc, f.byte_start),
        byte_end: u64_of(doc, f.byte_end),
        part: (part > 0).then_some(part),
        date: opt_text(doc, f.date),
        url: opt_text(doc, f.url),
        author: opt_text(doc, f.author),
    }
}
