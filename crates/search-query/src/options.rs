//! Options of one search, as a builder.

use std::sync::Arc;

use crate::error::{Result, SearchError};
use crate::feedback::{Feedback, Seed};
use crate::filters::{DateRange, Facet, FilterField, Sort};
use crate::global::QueryStatistics;

/// How a search runs. Build with [`SearchOptions::new`] and the chained setters;
/// read a setting back with its `get_` accessor.
///
/// Setters take any value; [`PassageIndex::search`](crate::PassageIndex::search)
/// checks them all first (see [`SearchOptions::validate`]) and refuses a value out
/// of range with an error: nothing is clamped silently.
///
/// ```
/// let options = search_query::SearchOptions::new().limit(5).per_article(true);
/// assert_eq!(options.get_limit(), 5);
/// assert!(options.validate().is_ok());
/// assert!(search_query::SearchOptions::new().limit(1_000_000).validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// Maximum number of hits.
    pub(crate) limit: usize,
    /// Hits skipped before the first one returned (pagination): the page
    /// `offset(20).limit(10)` is hits 21 to 30 of the same ranking, ranked from 21.
    /// `offset + limit` may not exceed [`MAX_LIMIT`].
    pub(crate) offset: usize,
    /// Explain each hit's score ([`Hit::explanation`](crate::Hit::explanation)).
    pub(crate) explain: bool,
    /// Keep only the best passage of each article.
    pub(crate) per_article: bool,
    /// Keep only the best passage of each copy group; hits carry the group's other
    /// members and its outlets.
    pub(crate) collapse: bool,
    /// Try close spellings of rare query words (`Witkof` finds `Witkoff`).
    pub(crate) typo_tolerance: bool,
    /// Check each hit's source file and mark hits whose file changed since indexing.
    pub(crate) check_stale: bool,
    /// Compute highlight ranges (pipelines that only need passages can skip them).
    pub(crate) highlights: bool,
    /// Count every matching passage (`SearchResults::total_matches`).
    pub(crate) count_matches: bool,
    /// Ranking weights.
    pub(crate) ranking: RankingWeights,
    /// Pseudo-relevance feedback (off by default).
    pub(crate) feedback: Option<Feedback>,
    /// Field filters a hit must pass (values of one field OR together, fields AND
    /// together), as `field:value` in a query.
    pub(crate) filters: Vec<(FilterField, String)>,
    /// Field values a hit must not have, as `-field:value` in a query.
    pub(crate) exclusions: Vec<(FilterField, String)>,
    /// Date ranges, ORed together (as `date:` clauses); a hit must be in one.
    pub(crate) dates: Vec<DateRange>,
    /// A range every hit must be in (`--since`, `--until`), ANDed with the rest.
    pub(crate) date_bounds: DateRange,
    /// The order of the hits; `None`: relevance, or newest first for a query of
    /// filters only.
    pub(crate) sort: Option<Sort>,
    /// Facets to count over all matching passages.
    pub(crate) facets: Vec<Facet>,
    /// Index-wide figures to score with instead of this index's own (a shard of
    /// a sharded index, searched with every shard's statistics).
    pub(crate) statistics: Option<Arc<QueryStatistics>>,
    /// The passages feedback takes as relevant, instead of a first pass over this
    /// index (a shard, given the first pass over every shard).
    pub(crate) feedback_seeds: Option<Arc<Vec<Seed>>>,
}

/// The knobs of the ranking function. The defaults are the tuned ones; `search
/// eval` is how to measure a change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankingWeights {
    /// Weight of a title match relative to a text match (a finite number ≥ 0).
    pub title: f32,
    /// Strength of the proximity boost: query words close together, in order (a
    /// finite number ≥ 0; 0 turns it off).
    pub proximity: f32,
    /// Drop English function words from free-text queries (phrases keep them).
    pub drop_stop_words: bool,
    /// How many candidates per hit asked for are re-ranked by proximity (at least
    /// 1). The re-ranking has a fixed budget of 300 candidates per search, whatever
    /// the depth and the limit.
    pub rerank_depth: usize,
}

impl Default for RankingWeights {
    fn default() -> Self {
        RankingWeights {
            title: 1.0,
            proximity: 0.3,
            drop_stop_words: true,
            rerank_depth: 2,
        }
    }
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            explain: false,
            per_article: false,
            collapse: false,
            typo_tolerance: true,
            check_stale: true,
            highlights: true,
            count_matches: false,
            ranking: RankingWeights::default(),
            feedback: None,
            filters: Vec::new(),
            exclusions: Vec::new(),
            dates: Vec::new(),
            date_bounds: DateRange::default(),
            sort: None,
            facets: Vec::new(),
            statistics: None,
            feedback_seeds: None,
        }
    }
}

impl SearchOptions {
    /// The default options: 10 hits, all passages, typo tolerance on.
    pub fn new() -> SearchOptions {
        SearchOptions::default()
    }

    /// Sets the maximum number of hits.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Sets how many hits are skipped before the first one returned.
    pub fn offset(mut self, offset: usize) -> Self {
        self.offset = offset;
        self
    }

    /// Turns score explanations on or off.
    pub fn explain(mut self, yes: bool) -> Self {
        self.explain = yes;
        self
    }

    /// Keeps only each article's best passage.
    pub fn per_article(mut self, yes: bool) -> Self {
        self.per_article = yes;
        self
    }

    /// Folds syndicated copies into one hit: each copy group (near-duplicate
    /// passages of different articles, found at index time) is returned once, as
    /// its best-ranked member, with the other members in [`Hit::copies`] and the
    /// group's outlets in [`Hit::sources`](crate::Hit::sources).
    ///
    /// [`Hit::copies`]: crate::Hit::copies
    pub fn collapse(mut self, yes: bool) -> Self {
        self.collapse = yes;
        self
    }

    /// Turns typo tolerance on or off.
    pub fn typo_tolerance(mut self, yes: bool) -> Self {
        self.typo_tolerance = yes;
        self
    }

    /// Turns the stale-source check on or off.
    pub fn check_stale(mut self, yes: bool) -> Self {
        self.check_stale = yes;
        self
    }

    /// Turns counting of all matches on or off.
    pub fn count_matches(mut self, yes: bool) -> Self {
        self.count_matches = yes;
        self
    }

    /// Turns highlight computation on or off.
    pub fn highlights(mut self, yes: bool) -> Self {
        self.highlights = yes;
        self
    }

    /// Turns pseudo-relevance feedback on (`Some`) or off.
    pub fn feedback(mut self, feedback: Option<Feedback>) -> Self {
        self.feedback = feedback;
        self
    }

    /// Scores with `statistics` (every shard's, added up by
    /// [`QueryStatistics::merge`]) instead of this index's own figures: a shard
    /// then gives each passage the score one index over every shard would give
    /// it. `None` goes back to this index's figures.
    pub fn global_statistics(mut self, statistics: Option<QueryStatistics>) -> Self {
        self.statistics = statistics.map(Arc::new);
        self
    }

    /// With [`SearchOptions::feedback`], takes `seeds` as the relevant passages
    /// instead of running a first pass over this index: a shard is given the
    /// first pass over every shard (see [`search_shards`](crate::search_shards)).
    pub fn feedback_seeds(mut self, seeds: Option<Vec<Seed>>) -> Self {
        self.feedback_seeds = seeds.map(Arc::new);
        self
    }

    /// The global statistics searches score with, if any.
    pub fn get_global_statistics(&self) -> Option<&QueryStatistics> {
        self.statistics.as_deref()
    }

    /// Replaces the ranking weights.
    pub fn ranking(mut self, ranking: RankingWeights) -> Self {
        self.ranking = ranking;
        self
    }

    /// The maximum number of hits (default 10; at most [`MAX_LIMIT`]).
    pub fn get_limit(&self) -> usize {
        self.limit
    }

    /// How many hits are skipped before the first one returned (default 0).
    pub fn get_offset(&self) -> usize {
        self.offset
    }

    /// Whether each hit carries its score's explanation (default no).
    pub fn get_explain(&self) -> bool {
        self.explain
    }

    /// Whether only each article's best passage is kept (default no).
    pub fn get_per_article(&self) -> bool {
        self.per_article
    }

    /// Whether copy groups are folded into one hit each (default no).
    pub fn get_collapse(&self) -> bool {
        self.collapse
    }

    /// Whether rare query words are widened to close spellings (default yes).
    pub fn get_typo_tolerance(&self) -> bool {
        self.typo_tolerance
    }

    /// Whether hits whose source changed since indexing are marked stale (default
    /// yes).
    pub fn get_check_stale(&self) -> bool {
        self.check_stale
    }

    /// Whether highlight ranges are computed (default yes).
    pub fn get_highlights(&self) -> bool {
        self.highlights
    }

    /// Whether every matching passage is counted (default no). Costs a full pass
    /// over the matches, which the top-k search otherwise skips.
    pub fn get_count_matches(&self) -> bool {
        self.count_matches
    }

    /// The ranking weights.
    pub fn get_ranking(&self) -> &RankingWeights {
        &self.ranking
    }

    /// The pseudo-relevance feedback settings, when feedback is on.
    pub fn get_feedback(&self) -> Option<&Feedback> {
        self.feedback.as_ref()
    }

    /// Keeps only passages whose `field` has `value` (see [`FilterField`] for how
    /// each field matches). Filters on one field OR together; filters on different
    /// fields AND together. The same as `field:value` in the query.
    pub fn filter(mut self, field: FilterField, value: impl Into<String>) -> Self {
        self.filters.push((field, value.into()));
        self
    }

    /// Drops passages whose `field` has `value`: `-field:value` in the query.
    pub fn exclude(mut self, field: FilterField, value: impl Into<String>) -> Self {
        self.exclusions.push((field, value.into()));
        self
    }

    /// Keeps only passages dated in `range`; several ranges OR together. The same
    /// as a `date:` clause in the query.
    pub fn date(mut self, range: DateRange) -> Self {
        self.dates.push(range);
        self
    }

    /// Keeps only passages dated in `range`, whatever else the query and options
    /// ask (`--since` and `--until`; applied twice, the ranges intersect).
    pub fn within(mut self, range: DateRange) -> Self {
        self.date_bounds = self.date_bounds.intersect(&range);
        self
    }

    /// Sets the order of the hits (see [`Sort`]).
    pub fn sort(mut self, sort: Sort) -> Self {
        self.sort = Some(sort);
        self
    }

    /// Counts matching passages and articles by these facets
    /// ([`SearchResults::facets`](crate::SearchResults::facets)).
    pub fn facets(mut self, facets: Vec<Facet>) -> Self {
        self.facets = facets;
        self
    }

    /// The field filters.
    pub fn get_filters(&self) -> &[(FilterField, String)] {
        &self.filters
    }

    /// The excluded field values.
    pub fn get_exclusions(&self) -> &[(FilterField, String)] {
        &self.exclusions
    }

    /// The date ranges (ORed together).
    pub fn get_dates(&self) -> &[DateRange] {
        &self.dates
    }

    /// The range every hit must be in.
    pub fn get_within(&self) -> DateRange {
        self.date_bounds
    }

    /// The sort asked for, if any.
    pub fn get_sort(&self) -> Option<Sort> {
        self.sort
    }

    /// The facets to count.
    pub fn get_facets(&self) -> &[Facet] {
        &self.facets
    }

    /// Whether any filter is set (a query of these alone is valid).
    pub(crate) fn has_filters(&self) -> bool {
        !self.filters.is_empty()
            || !self.exclusions.is_empty()
            || !self.dates.is_empty()
            || self.date_bounds != DateRange::default()
    }

    /// Checks every setting against its range, as a search does before it runs: a
    /// limit above [`MAX_LIMIT`] is [`SearchError::LimitTooLarge`]; a ranking weight
    /// that is negative or not a number, a re-rank depth of 0, feedback over 0 or
    /// more than [`MAX_LIMIT`] passages, 0 or more than [`MAX_QUERY_WORDS`]
    /// expansion words, or an original-query share outside `[0.05, 1]`, is
    /// [`SearchError::InvalidOption`].
    pub fn validate(&self) -> Result<()> {
        // A page is ranked as deep as offset + limit.
        let depth = self.limit.saturating_add(self.offset);
        if depth > MAX_LIMIT {
            return Err(SearchError::LimitTooLarge {
                limit: depth,
                max: MAX_LIMIT,
            });
        }
        let invalid = |option: &'static str, reason: String| {
            Err(SearchError::InvalidOption { option, reason })
        };
        let weight = |option: &'static str, value: f32| {
            if value.is_finite() && value >= 0.0 {
                Ok(())
            } else {
                invalid(
                    option,
                    format!("{value} is not a weight (a finite number ≥ 0)"),
                )
            }
        };
        weight("ranking.title", self.ranking.title)?;
        weight("ranking.proximity", self.ranking.proximity)?;
        if self.ranking.rerank_depth == 0 {
            return invalid(
                "ranking.rerank_depth",
                "0 candidates per hit leaves nothing to re-rank; the least is 1".into(),
            );
        }
        if let Some(feedback) = &self.feedback {
            if !(1..=MAX_LIMIT).contains(&feedback.docs) {
                return invalid(
                    "feedback.docs",
                    format!(
                        "{} first-pass passages is out of range 1..={MAX_LIMIT}",
                        feedback.docs
                    ),
                );
            }
            if !(1..=MAX_QUERY_WORDS).contains(&feedback.terms) {
                return invalid(
                    "feedback.terms",
                    format!(
                        "{} expansion words is out of range 1..={MAX_QUERY_WORDS}",
                        feedback.terms
                    ),
                );
            }
            let share = feedback.original_weight;
            if !(MIN_ORIGINAL_WEIGHT..=1.0).contains(&share) {
                return invalid(
                    "feedback.original_weight",
                    format!(
                        "{share} is out of range [{MIN_ORIGINAL_WEIGHT}, 1] (the typed query's share of the score)"
                    ),
                );
            }
        }
        Ok(())
    }
}

/// The least share of the score [`Feedback::original_weight`] may give the typed
/// query: below it the expansion words would outweigh it twenty to one.
const MIN_ORIGINAL_WEIGHT: f32 = 0.05;

/// The longest query [`PassageIndex::search`](crate::PassageIndex::search) accepts,
/// in bytes (64 KiB, some ten thousand words); a longer one is refused with
/// [`SearchError::QueryTooLong`](crate::SearchError::QueryTooLong).
pub const MAX_QUERY_BYTES: usize = 64 * 1024;

/// A query searches at most this many words (after function words are dropped); the
/// words past it are left out, and [`SearchResults::warnings`](crate::SearchResults)
/// says so.
pub const MAX_QUERY_WORDS: usize = 256;

/// The most hits one search returns; a larger [`SearchOptions::limit`] is refused
/// with [`SearchError::LimitTooLarge`](crate::SearchError::LimitTooLarge).
pub const MAX_LIMIT: usize = 10_000;
