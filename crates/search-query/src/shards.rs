//! A sharded index that answers like one index: the two-phase search.
//!
//! Articles are spread over shards (each article on one shard), each shard an
//! index of its own. A search over them runs in phases, each a call on every
//! shard followed by a step at the coordinator:
//!
//! 1. [`PassageIndex::statistics`]: the figures the query consults on each shard,
//!    added up with [`QueryStatistics::merge`].
//! 2. With feedback only: a first pass ([`PassageIndex::search_shard`] with the
//!    global statistics and feedback off), merged; then the figures of the words
//!    its best passages use ([`PassageIndex::feedback_statistics`]), added up
//!    and [taken over](QueryStatistics::update) the global ones.
//! 3. [`PassageIndex::search_shard`] with the global statistics (and feedback's
//!    seeds), merged by [`merge_results`].
//!
//! [`search_shards`] runs them over shards open in this process; a coordinator
//! in another process (the Ray router) runs the same steps, since the
//! statistics, the seeds and the shards' results all serialise.
//!
//! What a sharded search gives exactly as one index would: the hits, their
//! order, their scores (with explanations), the counts, per-article roll-up,
//! date sorts, typo corrections and feedback. What it cannot: collapsing copies
//! (copy groups are found within one index), and two small things it gives
//! approximately: the spelling a correction shows is taken from one shard's
//! passages, and a facet value written two ways shows the spelling one shard
//! counts most.

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring};

use crate::error::{Result, SearchError};
use crate::expansion;
use crate::faceting;
use crate::feedback::Seed;
use crate::filters::{Facets, Sort};
use crate::global::{QueryStatistics, Source};
use crate::index::PassageIndex;
use crate::options::{SearchOptions, MAX_QUERY_BYTES};
use crate::pipeline::shard::{self, ShardPart};
use crate::results::{Correction, SearchResults};
use crate::syntax::{self, ParsedQuery};

pub use crate::pipeline::shard::ShardHit;

/// One shard's answer, for [`merge_results`]: its candidates, more than a page
/// (a merge re-ranks them), and what the page's results carry besides hits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardResults {
    /// The query as given.
    pub query: String,
    /// The shard's live passages.
    pub passages: u64,
    /// The shard's candidates, each with what a merge ranks it by.
    pub candidates: Vec<ShardHit>,
    /// Matching passages on this shard, when counted.
    pub total_matches: Option<usize>,
    /// Typo corrections (the same on every shard searched with global statistics).
    pub corrections: Vec<Correction>,
    /// What the lenient parser recovered from.
    pub warnings: Vec<String>,
    /// The order of the hits.
    pub sort: Sort,
    /// This shard's facet counts, when asked for.
    pub facets: Option<Facets>,
}

/// A query's text and options, checked as [`PassageIndex::search`] checks them.
fn checked(query: &str, options: &SearchOptions) -> Result<ParsedQuery> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(SearchError::QueryTooLong {
            bytes: query.len(),
            max: MAX_QUERY_BYTES,
        });
    }
    options.validate()?;
    let parsed = syntax::parse(query);
    if parsed.clauses.is_empty() && !options.has_filters() {
        return Err(SearchError::EmptyQuery);
    }
    Ok(parsed)
}

impl PassageIndex {
    /// The index-wide figures `query` consults under `options` on this index
    /// (this shard): its live passages, the tokens of every field, and the
    /// document frequencies of the query's terms and of its typo candidates.
    /// Add the shards' up with [`QueryStatistics::merge`] and search each shard
    /// with [`SearchOptions::global_statistics`]. Errors as for `search`.
    pub fn statistics(&self, query: &str, options: &SearchOptions) -> Result<QueryStatistics> {
        let parsed = checked(query, options)?;
        self.with_statistics(Source::Recording, |ctx| {
            for (field, entry) in ctx.searcher.schema().fields() {
                if entry.is_indexed() {
                    ctx.stats.total_num_tokens(field)?;
                }
            }
            // A query with nothing to search consults nothing: the search phase
            // says so.
            if let Some(plan) = ctx.planner(options).plan(&parsed, options)? {
                let scoring =
                    || EnableScoring::enabled_from_statistics_provider(ctx.stats, ctx.searcher);
                plan.search_query().weight(scoring())?;
                for part in &plan.parts {
                    part.query.weight(scoring())?;
                }
            }
            Ok(ctx.stats.recorded())
        })
    }

    /// The document frequencies of the words `seeds` use, for feedback over
    /// shards (see the [module](self) steps).
    pub fn feedback_statistics(&self, seeds: &[Seed]) -> Result<QueryStatistics> {
        self.with_statistics(Source::Recording, |ctx| {
            for seed in seeds {
                for token in search_core::analyze(ctx.analyzer, &seed.text) {
                    if token.position_length == 1 {
                        ctx.stats.record_term(ctx.fields.text, &token.text)?;
                    }
                }
            }
            Ok(ctx.stats.recorded())
        })
    }

    /// This shard's part of a sharded search: as [`PassageIndex::search`], with
    /// [`SearchOptions::global_statistics`], but the candidates a merge needs
    /// instead of a page. Errors as for `search`; collapsing is refused
    /// ([`SearchError::InvalidOption`]).
    pub fn search_shard(&self, query: &str, options: &SearchOptions) -> Result<ShardResults> {
        let parsed = checked(query, options)?;
        self.follow_commits();
        let mut part = ShardPart::default();
        let results = self.run(query, &parsed, options, false, Some(&mut part))?;
        Ok(ShardResults {
            query: results.query,
            passages: part.passages,
            candidates: part.candidates,
            total_matches: results.total_matches,
            corrections: results.corrections,
            warnings: results.warnings,
            sort: results.sort,
            facets: results.facets,
        })
    }
}

/// The results of one index over every shard, from each shard's
/// [`PassageIndex::search_shard`] under the same `options` (with the global
/// statistics): the same hits, order and scores.
pub fn merge_results(shards: Vec<ShardResults>, options: &SearchOptions) -> SearchResults {
    let sort = shards
        .first()
        .map(|s| s.sort)
        .or(options.sort)
        .unwrap_or(Sort::Relevance);
    let query = shards.first().map(|s| s.query.clone()).unwrap_or_default();
    let passages = shards.iter().map(|s| s.passages).sum();
    let total_matches = shards
        .iter()
        .map(|s| s.total_matches)
        .sum::<Option<usize>>()
        .filter(|_| !shards.is_empty());
    let mut corrections: Vec<Correction> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    for shard in &shards {
        for correction in &shard.corrections {
            match corrections.iter_mut().find(|c| c.word == correction.word) {
                // A shard that found the word in its passages shows its spelling.
                Some(known) if known.surface == known.replacement => {
                    known.surface.clone_from(&correction.surface);
                }
                Some(_) => {}
                None => corrections.push(correction.clone()),
            }
        }
        for warning in &shard.warnings {
            if !warnings.contains(warning) {
                warnings.push(warning.clone());
            }
        }
    }
    let wants_facets = shards.iter().any(|s| s.facets.is_some());
    let mut facet_parts = Vec::new();
    let mut candidates = Vec::new();
    for shard in shards {
        facet_parts.extend(shard.facets);
        candidates.extend(shard.candidates);
    }
    SearchResults {
        query,
        hits: shard::merge(candidates, options, sort, passages),
        total_matches,
        corrections,
        warnings,
        sort,
        facets: wants_facets.then(|| faceting::merge(facet_parts)),
    }
}

/// Searches `shards` (disjoint by article, built with the same analyzer) as one
/// index: the phases of the [module](self), with the shards searched in
/// parallel threads. The answer equals that of one index over every shard's
/// articles. Errors as for `search`, and the first shard's error when one fails.
pub fn search_shards<S: Borrow<PassageIndex> + Sync>(
    shards: &[S],
    query: &str,
    options: &SearchOptions,
) -> Result<SearchResults> {
    let mut global = QueryStatistics::merged(&each(shards, |s| s.statistics(query, options))?);
    let mut options = options.clone().global_statistics(Some(global.clone()));
    if let Some(feedback) = options.get_feedback().copied() {
        let first = expansion::first_pass(&options, &feedback);
        let parts = each(shards, |s| s.search_shard(query, &first))?;
        let seeds = Seed::of(&merge_results(parts, &first).hits);
        let words = each(shards, |s| s.feedback_statistics(&seeds))?;
        global.update(&QueryStatistics::merged(&words));
        options = options
            .global_statistics(Some(global))
            .feedback_seeds(Some(seeds));
    }
    let parts = each(shards, |s| s.search_shard(query, &options))?;
    Ok(merge_results(parts, &options))
}

/// `f` over every shard, in parallel threads; the first error if any fails.
fn each<T: Send, S: Borrow<PassageIndex> + Sync>(
    shards: &[S],
    f: impl Fn(&PassageIndex) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    std::thread::scope(|scope| {
        let running: Vec<_> = shards
            .iter()
            .map(|shard| scope.spawn(|| f(shard.borrow())))
            .collect();
        running
            .into_iter()
            .map(|thread| match thread.join() {
                Ok(outcome) => outcome,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}
