//! One search, stage by stage: BM25 candidates from tantivy, a proximity re-rank of
//! the best of them, boilerplate below real paragraphs, the per-article roll-up,
//! and finally the stored passages and highlights of the hits returned.

use std::collections::HashMap;

use search_core::{Citation, IndexMeta, PassageFields};
use tantivy::collector::{Count, TopDocs};
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Score, Searcher, Term};

use crate::columns::SegmentColumns;
use crate::copies::{CopyGroups, MemberReader};
use crate::error::Failure;
use crate::global::Statistics;
use crate::stale::StaleSources;
use crate::texts::PassageTexts;

use search_core::analyze;
use tantivy::query::{EnableScoring, Weight};
use tantivy::TantivyError;

use crate::filters::Sort;
use crate::options::SearchOptions;
use crate::plan::{Part, Plan, Planner, BOILERPLATE_WEIGHT};
use crate::rank::{highlights, proximity};
use crate::results::{Explanation, Hit, TermScore};

mod by_date;
mod canonical;
pub(crate) mod shard;

/// At least this many candidates are collected and re-ranked.
const MIN_RERANK: usize = 20;
/// At most this many candidates are re-ranked by proximity.
const MAX_RERANK: usize = 300;
/// Candidates collected per hit in per-article mode (articles have many passages).
const PER_ARTICLE_FANOUT: usize = 10;

/// What a search reads.
pub struct Context<'a> {
    /// The searcher of the current commit.
    pub searcher: &'a Searcher,
    /// Statistics of its live passages (BM25 must not count deleted ones), or
    /// those of every shard.
    pub stats: &'a Statistics<'a>,
    /// Schema fields.
    pub fields: PassageFields,
    /// The index's analyzer.
    pub analyzer: &'a mut TextAnalyzer,
    /// The current commit's metadata (for stale checks).
    pub meta: &'a IndexMeta,
    /// Verdicts on whether sources changed since indexing.
    pub stale: &'a StaleSources,
    /// Passage text of the current commit.
    pub texts: &'a PassageTexts,
    /// Citation columns of each segment of `searcher`.
    pub columns: &'a [SegmentColumns],
    /// The commit's copy groups.
    pub copies: &'a CopyGroups,
}

impl Context<'_> {
    /// A planner over this context's searcher, statistics and analyzer, with
    /// `options`' ranking weights and typo tolerance.
    pub fn planner(&mut self, options: &SearchOptions) -> Planner<'_> {
        Planner {
            searcher: self.searcher,
            stats: self.stats,
            fields: self.fields,
            analyzer: &mut *self.analyzer,
            weights: options.ranking,
            typo_tolerance: options.typo_tolerance,
            max_words: crate::options::MAX_QUERY_WORDS,
            match_all: false,
        }
    }
}

#[derive(Clone)]
struct Candidate {
    address: DocAddress,
    score: Score,
    /// The BM25 score, before the proximity boost.
    bm25: Score,
    /// The proximity of the query words, for a passage in the re-rank window.
    near: Option<f32>,
    boilerplate: bool,
    /// (path, line, byte start): breaks ties between equal scores; looked up only
    /// for candidates that tie.
    place: Option<(String, u64, u64)>,
}

impl Candidate {
    /// Passage `address` with its BM25 `score`, not yet re-ranked.
    fn new(address: DocAddress, score: Score, columns: &[SegmentColumns]) -> Candidate {
        Candidate {
            address,
            score,
            bm25: score,
            near: None,
            boilerplate: columns[address.segment_ord as usize].boilerplate(address.doc_id),
            place: None,
        }
    }
}

/// Sorts by `key` (smallest first), breaking exact ties by the passages' places,
/// which are looked up only for the tied candidates.
fn order<K: Ord>(
    candidates: &mut [Candidate],
    columns: &[SegmentColumns],
    key: impl Fn(&Candidate) -> K,
) {
    candidates.sort_by_key(|c| key(c));
    let mut start = 0;
    while start < candidates.len() {
        let mut end = start + 1;
        while end < candidates.len() && key(&candidates[end]) == key(&candidates[start]) {
            end += 1;
        }
        if end - start > 1 {
            for c in &mut candidates[start..end] {
                if c.place.is_none() {
                    let segment = &columns[c.address.segment_ord as usize];
                    c.place = Some(segment.place(c.address.doc_id));
                }
            }
            candidates[start..end].sort_by(|a, b| a.place.cmp(&b.place));
        }
        start = end;
    }
}

/// The relevance order's key: best score first.
fn by_score(c: &Candidate) -> std::cmp::Reverse<i32> {
    std::cmp::Reverse(ordered_float(c.score))
}

/// Keeps the best `keep` of `candidates` (in collector order) by score and, among
/// passages tied at the cut, by place; leaves them sorted by score.
fn cut_by_place(candidates: &mut Vec<Candidate>, keep: usize, columns: &[SegmentColumns]) {
    candidates.sort_by_key(by_score);
    settle_ties_at(candidates, keep, columns, by_score);
    candidates.truncate(keep);
}

/// In `candidates` (sorted by `key`), puts the passages tied across position `at`
/// in order of place where it matters: those that fall before `at` are the first
/// by place, whatever their order in the index.
///
/// Places are strings (paths): looked up only for the tied passages that may come
/// before `at`. Within a segment, paths are ordered by their dictionary ordinals,
/// so each segment's tied passages are first narrowed down by numbers alone.
fn settle_ties_at<K: Ord>(
    candidates: &mut [Candidate],
    at: usize,
    columns: &[SegmentColumns],
    key: impl Fn(&Candidate) -> K,
) {
    if at == 0 || at >= candidates.len() || key(&candidates[at]) != key(&candidates[at - 1]) {
        return;
    }
    let cut = key(&candidates[at - 1]);
    let start = candidates.partition_point(|c| key(c) < cut);
    let end = candidates.partition_point(|c| key(c) <= cut);
    let wanted = at - start;
    let tied = &mut candidates[start..end];
    // Per segment, the `wanted` first by (path ordinal, line, byte start).
    tied.sort_by_cached_key(|c| {
        let segment = &columns[c.address.segment_ord as usize];
        (c.address.segment_ord, segment.place_key(c.address.doc_id))
    });
    let mut contenders: Vec<usize> = Vec::new();
    let mut taken_in_segment = 0;
    for i in 0..tied.len() {
        if i == 0 || tied[i].address.segment_ord != tied[i - 1].address.segment_ord {
            taken_in_segment = 0;
        }
        if taken_in_segment < wanted {
            taken_in_segment += 1;
            contenders.push(i);
        }
    }
    for &i in &contenders {
        let c = &mut tied[i];
        c.place = Some(columns[c.address.segment_ord as usize].place(c.address.doc_id));
    }
    contenders.sort_by(|&a, &b| tied[a].place.cmp(&tied[b].place));
    contenders.truncate(wanted);
    // The chosen first, in order of place; the others after them.
    let mut chosen = vec![false; tied.len()];
    for &i in &contenders {
        chosen[i] = true;
    }
    let mut order: Vec<usize> = contenders;
    order.extend((0..tied.len()).filter(|&i| !chosen[i]));
    let reordered: Vec<Candidate> = order.iter().map(|&i| tied[i].clone()).collect();
    tied.clone_from_slice(&reordered);
}

/// `score` as an integer with the same order as `f32::total_cmp`.
pub(crate) fn ordered_float(score: Score) -> i32 {
    let bits = score.to_bits() as i32;
    bits ^ ((((bits >> 31) as u32) >> 1) as i32)
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
    let query = plan.search_query();
    loop {
        let collector = TopDocs::with_limit(limit).order_by_score();
        let (top, total) = if count {
            ctx.searcher
                .search_with_statistics_provider(&*query, &(collector, Count), ctx.stats)?
        } else {
            let top = ctx
                .searcher
                .search_with_statistics_provider(&*query, &collector, ctx.stats)?;
            (top, 0)
        };
        // Scores an ulp apart may be one score added in two orders: they tie.
        let tied_at_cut =
            top.len() == limit && canonical::near(top[limit - 1].0, top[collect - 1].0);
        if !tied_at_cut {
            return Ok((top, total));
        }
        limit *= 2;
    }
}

/// Runs `plan` (its ranked query, restricted by its filter) in `sort` order;
/// returns the hits (those past `options.offset`, ranked from `offset + 1`) and
/// the number of matching passages (counted when `options.count_matches`).
///
/// A date sort skips the proximity re-rank (see `by_date`).
///
/// Pages are cut from one order: the passages are ranked as deep as the page
/// reaches (`offset + limit`), but the proximity re-rank window depends on the page
/// size (`limit`) only, as a search for `limit` hits sets it, never on the offset.
/// So consecutive pages of one size neither repeat nor skip a passage, and the
/// first page is exactly the search without an offset. (A page of another size may
/// re-rank a wider or narrower window: as in other engines' rescoring, keep the page
/// size fixed while paging.)
///
/// With `exact`, every hit's BM25 score is the canonical sum (see [`canonical`]),
/// not only those that may tie: what feedback's seeds need, whose scores weigh
/// the expansion terms, so that the terms never depend on the index's layout.
pub fn run(
    ctx: &mut Context<'_>,
    plan: &Plan,
    options: &SearchOptions,
    sort: Sort,
    exact: bool,
) -> Result<(Vec<Hit>, usize), Failure> {
    let depth = options.offset.saturating_add(options.limit);
    let (mut candidates, total) = match sort {
        Sort::Relevance => {
            // Collapsing may fold many candidates into one: widen until the page
            // is full or every match was ranked.
            let mut widen = 1;
            loop {
                let (candidates, total, exhausted) =
                    by_relevance(ctx, plan, options, widen, false, exact)?;
                if !options.collapse || candidates.len() >= depth || exhausted {
                    break (candidates, total);
                }
                widen = widen.saturating_mul(4);
            }
        }
        Sort::Newest | Sort::Oldest => by_date::ranked(ctx, plan, options, sort, exact)?,
    };
    candidates.truncate(depth);
    let page: Vec<Candidate> = candidates.into_iter().skip(options.offset).collect();

    let explainer = if options.explain {
        Some(Explainer::new(ctx, plan, options)?)
    } else {
        None
    };
    let mut stale_by_path: HashMap<String, bool> = HashMap::new();
    let mut hits = Vec::with_capacity(page.len());
    for (i, candidate) in page.iter().enumerate() {
        let rank = options.offset + i + 1;
        hits.push(hit(
            ctx,
            plan,
            candidate,
            rank,
            options,
            explainer.as_ref(),
            &mut stale_by_path,
        )?);
    }
    Ok((hits, total))
}

/// How deep a search by relevance ranks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Depths {
    /// Candidates collected by BM25 (at most the index's passages).
    pub collect: usize,
    /// The best of them re-ranked by proximity (at most the candidates found).
    pub window: usize,
}

impl Depths {
    /// The depths of a search under `options`, widened `widen` times, over
    /// `passages` passages.
    ///
    /// tantivy's collector allocates room for twice what it is asked for: never
    /// ask for more passages than the index holds. The re-rank window is the page
    /// size's, whatever the offset.
    pub fn of(options: &SearchOptions, widen: usize, passages: usize) -> Depths {
        let fanout = if options.per_article {
            PER_ARTICLE_FANOUT
        } else {
            options.ranking.rerank_depth.max(1)
        }
        .saturating_mul(widen);
        let collect_for = |hits: usize| {
            hits.saturating_mul(fanout)
                .max(MIN_RERANK)
                .min(passages.max(1))
        };
        let depth = options.offset.saturating_add(options.limit);
        let window = (options
            .limit
            .saturating_mul(options.ranking.rerank_depth.max(1)))
        .clamp(MIN_RERANK, MAX_RERANK)
        .min(collect_for(options.limit));
        Depths {
            collect: collect_for(depth),
            window,
        }
    }
}

/// Reads the passage of `candidate` and makes its hit, ranked `rank`.
/// `stale_by_path` remembers which sources changed, across the hits of a page.
fn hit(
    ctx: &mut Context<'_>,
    plan: &Plan,
    candidate: &Candidate,
    rank: usize,
    options: &SearchOptions,
    explainer: Option<&Explainer<'_>>,
    stale_by_path: &mut HashMap<String, bool>,
) -> Result<Hit, Failure> {
    let (text, citation) = ctx.texts.read(
        ctx.searcher,
        &ctx.columns[candidate.address.segment_ord as usize],
        candidate.address,
    )?;
    let stale = options.check_stale
        && *stale_by_path
            .entry(citation.path.clone())
            .or_insert_with(|| ctx.stale.is_stale(ctx.meta, &citation.path));
    let highlights = if options.highlights {
        highlights(&plan.highlight_terms, &analyze(ctx.analyzer, &text))
    } else {
        Vec::new()
    };
    let explanation = match explainer {
        Some(explainer) => Some(explainer.explain(ctx, candidate)?),
        None => None,
    };
    let (copies, sources) = if options.collapse {
        let (copies, sources) = copies_of(ctx, candidate.address, &citation)?;
        (Some(copies), Some(sources))
    } else {
        (None, None)
    };
    Ok(Hit {
        copies,
        sources,
        rank,
        score: candidate.score,
        highlights,
        boilerplate: candidate.boilerplate,
        text,
        citation,
        stale,
        explanation,
    })
}

/// The candidates by relevance, best first (per article when asked), at least as
/// deep as the page; and the number of matching passages when counted.
///
/// For a `shard`, nothing is rolled up and every candidate is kept: a merge of
/// shards re-ranks them (see [`shard`]). A shard's scores, and all scores when
/// `exact`, are canonical (see [`canonical`]).
fn by_relevance(
    ctx: &mut Context<'_>,
    plan: &Plan,
    options: &SearchOptions,
    widen: usize,
    shard: bool,
    exact: bool,
) -> Result<(Vec<Candidate>, usize, bool), Failure> {
    let passages = usize::try_from(ctx.searcher.num_docs()).unwrap_or(usize::MAX);
    let Depths { collect, window } = Depths::of(options, widen, passages);
    let (top, total) = collect_candidates(ctx, plan, collect, options.count_matches)?;
    // Every match is in: fewer came than were asked for, or every passage was
    // asked for.
    let exhausted = top.len() < collect || collect >= passages;
    let column_of = |ord: u32| &ctx.columns[ord as usize];
    let mut candidates: Vec<Candidate> = top
        .into_iter()
        .map(|(score, address)| Candidate::new(address, score, ctx.columns))
        .collect();
    // Scores that may tie are made exact (a shard's all of them, for a merge),
    // so that ties do not depend on the order tantivy added terms in.
    canonical::settle(ctx, plan, &mut candidates, shard || exact, |_, _| true)?;
    // Equal scores are ordered by where the passage is, not by where it happens
    // to sit in the index, so that every build of a corpus answers alike: when
    // the cut falls among tied passages, the ones kept are the first by place.
    cut_by_place(&mut candidates, collect, ctx.columns);

    // Proximity re-rank of the best candidates, from the positions in the index
    // (no stored text needs to be read for candidates that will not be shown). The
    // window is the page size's, whatever the offset.
    let window = window.min(candidates.len());
    // Which tied passages fall inside the window must not depend on the index.
    settle_ties_at(&mut candidates, window, ctx.columns, by_score);
    if options.ranking.proximity > 0.0 && plan.ordered_terms.len() > 1 {
        let addresses: Vec<DocAddress> = candidates[..window].iter().map(|c| c.address).collect();
        let nearness = proximity_of(ctx, &plan.ordered_terms, &addresses)?;
        for (candidate, near) in candidates[..window].iter_mut().zip(nearness) {
            candidate.score *= 1.0 + options.ranking.proximity * near;
            candidate.near = Some(near);
        }
    }
    order(&mut candidates, ctx.columns, |c| {
        (c.boilerplate, by_score(c))
    });

    if shard {
        return Ok((candidates, total, exhausted));
    }
    if options.per_article {
        candidates = roll_up(candidates, |c| {
            column_of(c.address.segment_ord).doc_id(c.address.doc_id)
        });
    }
    if options.collapse {
        candidates = roll_up(candidates, |c| collapse_key(ctx, c));
    }
    Ok((candidates, total, exhausted))
}

/// A collapsed hit lists at most this many copies in full (the group's outlets
/// are all counted in its `sources`).
pub const MAX_COPIES: usize = 20;

/// What collapsing keeps one passage of: the passage's copy group, or the passage
/// itself when it has none.
fn collapse_key(ctx: &Context<'_>, c: &Candidate) -> String {
    let place = ctx.columns[c.address.segment_ord as usize].place(c.address.doc_id);
    match ctx.copies.group_of(&place) {
        Some(group) => format!("g{group}"),
        None => format!("p{}:{}", c.address.segment_ord, c.address.doc_id),
    }
}

/// The other members of the copy group of the passage at `address` (cited by
/// `citation`), and the group's outlets, the passage's own first.
fn copies_of(
    ctx: &Context<'_>,
    address: DocAddress,
    citation: &Citation,
) -> Result<(Vec<Citation>, Vec<String>), Failure> {
    let place = ctx.columns[address.segment_ord as usize].place(address.doc_id);
    let mut sources: Vec<String> = citation.source.iter().cloned().collect();
    let reader = MemberReader {
        searcher: ctx.searcher,
        columns: ctx.columns,
        texts: ctx.texts,
        doc_id: ctx.fields.doc_id,
    };
    let mut copies = Vec::new();
    for member in ctx.copies.others(&place) {
        // The first copies in full; past them, only their outlets.
        let source = if copies.len() < MAX_COPIES {
            match reader.citation(member)? {
                Some(copy) => {
                    let source = copy.source.clone();
                    copies.push(copy);
                    source
                }
                None => None,
            }
        } else {
            reader.source(member)?
        };
        if let Some(source) = source {
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
    }
    Ok((copies, sources))
}

/// Explains hits' scores: each scored part of the plan, weighted as in the query
/// and scored with the same statistics as the search.
struct Explainer<'p> {
    /// The plan's parts with their weights (tantivy's), in plan order.
    parts: Vec<(&'p Part, Box<dyn Weight>)>,
    /// Title weight, proximity weight.
    options: &'p SearchOptions,
}

impl<'p> Explainer<'p> {
    fn new(
        ctx: &Context<'_>,
        plan: &'p Plan,
        options: &'p SearchOptions,
    ) -> tantivy::Result<Explainer<'p>> {
        let parts = plan
            .parts
            .iter()
            .map(|part| {
                let scoring =
                    EnableScoring::enabled_from_statistics_provider(ctx.stats, ctx.searcher);
                Ok((part, part.query.weight(scoring)?))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Explainer { parts, options })
    }

    /// The breakdown of `candidate`'s score.
    fn explain(&self, ctx: &Context<'_>, candidate: &Candidate) -> tantivy::Result<Explanation> {
        let reader = ctx.searcher.segment_reader(candidate.address.segment_ord);
        let mut terms = Vec::new();
        let doc = candidate.address.doc_id;
        for (part, weight) in &self.parts {
            // tantivy's phrase scorer asserts when asked to explain a passage
            // before its first match (it seeks backwards): ask only for a part
            // the passage matches.
            let mut scorer = weight.scorer(reader, 1.0)?;
            if scorer.doc() > doc || scorer.seek(doc) != doc {
                continue;
            }
            let score = match weight.explain(reader, doc) {
                Ok(explanation) => explanation.value(),
                // tantivy's answer for a part the passage does not match.
                Err(TantivyError::InvalidArgument(_)) => continue,
                Err(other) => return Err(other),
            };
            terms.push(TermScore {
                term: part.label.clone(),
                field: part.field.to_string(),
                bm25: if part.weight != 0.0 {
                    score / part.weight
                } else {
                    0.0
                },
                weight: part.weight,
                score,
                feedback: part.feedback,
            });
        }
        let feedback_share = self.options.feedback.map(|_| {
            let from_feedback: f32 = terms.iter().filter(|t| t.feedback).map(|t| t.score).sum();
            if candidate.bm25 > 0.0 {
                from_feedback / candidate.bm25
            } else {
                0.0
            }
        });
        let proximity_weight = self.options.ranking.proximity;
        let near = candidate.near.unwrap_or(0.0);
        Ok(Explanation {
            score: candidate.score,
            bm25: candidate.bm25,
            terms,
            title_weight: self.options.ranking.title,
            boilerplate_weight: BOILERPLATE_WEIGHT,
            proximity: near,
            proximity_weight,
            proximity_factor: if candidate.near.is_some() {
                1.0 + proximity_weight * near
            } else {
                1.0
            },
            reranked: candidate.near.is_some(),
            feedback_share,
            boilerplate_demoted: candidate.boilerplate,
        })
    }
}

/// Proximity of `terms` in each passage of `addresses`, read from the positions the
/// text field indexed (the same positions the analyzer gives the stored text).
fn proximity_of(
    ctx: &Context<'_>,
    terms: &[String],
    addresses: &[DocAddress],
) -> Result<Vec<f32>, Failure> {
    let mut positions: Vec<HashMap<&str, Vec<u32>>> = vec![HashMap::new(); addresses.len()];
    let mut distinct: Vec<&str> = terms.iter().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut by_segment: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, address) in addresses.iter().enumerate() {
        by_segment.entry(address.segment_ord).or_default().push(i);
    }
    for (segment_ord, mut members) in by_segment {
        members.sort_by_key(|&i| addresses[i].doc_id);
        let inverted = ctx
            .searcher
            .segment_reader(segment_ord)
            .inverted_index(ctx.fields.text)?;
        for &term in &distinct {
            let key = Term::from_field_text(ctx.fields.text, term);
            let Some(mut postings) =
                inverted.read_postings(&key, IndexRecordOption::WithFreqsAndPositions)?
            else {
                continue;
            };
            for &i in &members {
                let doc = addresses[i].doc_id;
                if postings.doc() <= doc && postings.seek(doc) == doc {
                    postings.positions(positions[i].entry(term).or_default());
                }
            }
        }
    }
    Ok(positions.iter().map(|p| proximity(terms, p)).collect())
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
