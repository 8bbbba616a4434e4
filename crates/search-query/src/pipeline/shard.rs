//! One shard's part of a sharded search, and the merge that makes the shards'
//! parts the answer of one index over all of them.
//!
//! Scores are exact when every shard scores with the global statistics
//! ([`crate::QueryStatistics`]). What remains is the order, which a search by
//! relevance makes in stages (see [`super::by_relevance`]): the best `collect`
//! passages by BM25, of which the best `window` are boosted by proximity, then
//! sorted, then rolled up per article. Each stage takes the first passages of an
//! order on (score, place), and such a prefix over all shards is made of prefixes
//! of each shard's own: so each shard hands over its `collect` best by BM25, with
//! the proximity of its `window` best, and the merge replays the stages on the
//! union. A date sort orders by (date, score, place): each shard hands over its
//! first page, rolled up (an article lives on one shard), and the merge interleaves.

use std::cmp::Reverse;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{by_date, by_relevance, hit, ordered_float, Context, Depths, Explainer};
use crate::error::{Failure, SearchError};
use crate::filters::Sort;
use crate::options::SearchOptions;
use crate::plan::Plan;
use crate::results::Hit;

/// A passage one shard found, with what a merge ranks it by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardHit {
    /// The hit as this shard made it (its rank is within the shard).
    pub hit: Hit,
    /// Its BM25 score, before any proximity boost.
    pub bm25: f32,
    /// The proximity of the query words in it, when it was among this shard's
    /// passages re-ranked by proximity.
    pub near: Option<f32>,
    /// Its date (seconds since the epoch), for a date sort.
    pub date: Option<i64>,
}

/// What one shard hands a merge.
#[derive(Debug, Default)]
pub(crate) struct ShardPart {
    /// Its candidates.
    pub candidates: Vec<ShardHit>,
    /// Its live passages.
    pub passages: u64,
}

/// The candidates of this shard for a merge, and the number of matches (when
/// counted).
pub(crate) fn candidates(
    ctx: &mut Context<'_>,
    plan: &Plan,
    options: &SearchOptions,
    sort: Sort,
) -> Result<(Vec<ShardHit>, usize), Failure> {
    if options.collapse {
        return Err(Failure::Typed(SearchError::InvalidOption {
            option: "collapse",
            reason: "copy groups are found within one index: a sharded search cannot \
                     collapse copies; search without collapse"
                .to_string(),
        }));
    }
    let depth = options.offset.saturating_add(options.limit);
    let (candidates, total) = match sort {
        Sort::Relevance => {
            let (candidates, total, _) = by_relevance(ctx, plan, options, 1, true, true)?;
            (candidates, total)
        }
        Sort::Newest | Sort::Oldest => {
            let (mut candidates, total) = by_date::ranked(ctx, plan, options, sort, true)?;
            candidates.truncate(depth);
            (candidates, total)
        }
    };
    let explainer = if options.explain {
        Some(Explainer::new(ctx, plan, options)?)
    } else {
        None
    };
    let mut stale_by_path = HashMap::new();
    let mut found = Vec::with_capacity(candidates.len());
    for (i, candidate) in candidates.iter().enumerate() {
        let date = match sort {
            Sort::Relevance => None,
            Sort::Newest | Sort::Oldest => by_date::date_of(ctx, candidate.address),
        };
        found.push(ShardHit {
            hit: hit(
                ctx,
                plan,
                candidate,
                i + 1,
                options,
                explainer.as_ref(),
                &mut stale_by_path,
            )?,
            bm25: candidate.bm25,
            near: candidate.near,
            date,
        });
    }
    Ok((found, total))
}

/// Where a passage is: the order of last resort, as in one index.
fn place(hit: &ShardHit) -> (&str, u64, usize) {
    let c = &hit.hit.citation;
    (c.path.as_str(), c.line, c.byte_start)
}

/// The page of `options` out of every shard's candidates, over `passages` live
/// passages in all, in the order one index over all of them would give.
pub(crate) fn merge(
    mut all: Vec<ShardHit>,
    options: &SearchOptions,
    sort: Sort,
    passages: u64,
) -> Vec<Hit> {
    let depth = options.offset.saturating_add(options.limit);
    match sort {
        Sort::Relevance => {
            let passages = usize::try_from(passages).unwrap_or(usize::MAX);
            let Depths { collect, window } = Depths::of(options, 1, passages);
            all.sort_by(|a, b| {
                (Reverse(ordered_float(a.bm25)), place(a))
                    .cmp(&(Reverse(ordered_float(b.bm25)), place(b)))
            });
            all.truncate(collect);
            let proximity = options.ranking.proximity;
            for (i, candidate) in all.iter_mut().enumerate() {
                let near = if i < window { candidate.near } else { None };
                rescore(candidate, near, proximity);
            }
            all.sort_by(|a, b| {
                (
                    a.hit.boilerplate,
                    Reverse(ordered_float(a.hit.score)),
                    place(a),
                )
                    .cmp(&(
                        b.hit.boilerplate,
                        Reverse(ordered_float(b.hit.score)),
                        place(b),
                    ))
            });
        }
        Sort::Newest | Sort::Oldest => {
            let key = |c: &ShardHit| {
                (
                    by_date::date_key(c.date, sort),
                    Reverse(ordered_float(c.hit.score)),
                )
            };
            all.sort_by(|a, b| (key(a), place(a)).cmp(&(key(b), place(b))));
        }
    }
    // Relevance candidates are not rolled up by the shards; a date sort's are,
    // each shard its own, but two files may share an article id across shards
    // (both are indexed), and one index keeps one of them.
    if options.per_article {
        let mut seen = std::collections::HashSet::new();
        all.retain(|c| seen.insert(c.hit.citation.doc_id.clone()));
    }
    all.truncate(depth);
    all.into_iter()
        .skip(options.offset)
        .enumerate()
        .map(|(i, candidate)| Hit {
            rank: options.offset + i + 1,
            ..candidate.hit
        })
        .collect()
}

/// Sets `candidate`'s score (and its explanation) to its BM25 score boosted by
/// `near`, as a re-ranked passage of one index is; not boosted without `near`.
fn rescore(candidate: &mut ShardHit, near: Option<f32>, proximity: f32) {
    let mut score = candidate.bm25;
    if let Some(near) = near {
        score *= 1.0 + proximity * near;
    }
    candidate.hit.score = score;
    candidate.near = near;
    if let Some(explanation) = &mut candidate.hit.explanation {
        explanation.score = score;
        explanation.reranked = near.is_some();
        explanation.proximity = near.unwrap_or(0.0);
        explanation.proximity_factor = match near {
            Some(near) => 1.0 + proximity * near,
            None => 1.0,
        };
    }
}
