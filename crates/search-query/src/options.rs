//! Options of one search, as a builder.

use crate::feedback::Feedback;

/// How a search runs. Build with [`SearchOptions::new`] and the chained setters.
///
/// ```
/// let options = search_query::SearchOptions::new().limit(5).per_article(true);
/// assert_eq!(options.limit, 5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// Maximum number of hits.
    pub limit: usize,
    /// Hits skipped before the first one returned (pagination): the page
    /// `offset(20).limit(10)` is hits 21 to 30 of the same ranking, ranked from 21.
    /// `offset + limit` may not exceed [`MAX_LIMIT`].
    pub offset: usize,
    /// Explain each hit's score ([`Hit::explanation`](crate::Hit::explanation)).
    pub explain: bool,
    /// Keep only the best passage of each article.
    pub per_article: bool,
    /// Try close spellings of rare query words (`Witkof` finds `Witkoff`).
    pub typo_tolerance: bool,
    /// Check each hit's source file and mark hits whose file changed since indexing.
    pub check_stale: bool,
    /// Compute highlight ranges (pipelines that only need passages can skip them).
    pub highlights: bool,
    /// Count every matching passage (`SearchResults::total_matches`). Costs a full
    /// pass over the matches, which the top-k search otherwise skips.
    pub count_matches: bool,
    /// Ranking weights.
    pub ranking: RankingWeights,
    /// Pseudo-relevance feedback (off by default).
    pub feedback: Option<Feedback>,
}

/// The knobs of the ranking function. The defaults are the tuned ones; `search
/// eval` is how to measure a change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankingWeights {
    /// Weight of a title match relative to a text match.
    pub title: f32,
    /// Strength of the proximity boost: query words close together, in order.
    pub proximity: f32,
    /// Drop English function words from free-text queries (phrases keep them).
    pub drop_stop_words: bool,
    /// How many candidates per hit asked for are re-ranked by proximity (at most
    /// `MAX_RERANK` in all).
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
            typo_tolerance: true,
            check_stale: true,
            highlights: true,
            count_matches: false,
            ranking: RankingWeights::default(),
            feedback: None,
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

    /// Replaces the ranking weights.
    pub fn ranking(mut self, ranking: RankingWeights) -> Self {
        self.ranking = ranking;
        self
    }
}

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
