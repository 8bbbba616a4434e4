//! What a search returns: plain structs, serializable as the JSON contract.

use std::ops::Range;

use search_core::Citation;

use crate::filters::{Facets, Sort};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Ranked hits, best first.
    pub hits: Vec<Hit>,
    /// Number of passages that matched (before the limit), when counted
    /// (`SearchOptions::count_matches`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_matches: Option<usize>,
    /// Query words that had (almost) no matches and were widened to close spellings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// What the lenient parser recovered from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The order of the hits.
    pub sort: Sort,
    /// Counts over all matching passages, when facets were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

/// One ranked passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// Ranking score (higher is better; comparable within one query only).
    pub score: f32,
    /// The whole passage text, exactly the cited bytes.
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    #[serde(
        serialize_with = "ranges_as_pairs",
        deserialize_with = "pairs_as_ranges"
    )]
    pub highlights: Vec<Range<usize>>,
    /// Where the passage comes from.
    pub citation: Citation,
    /// True for an editor's note, credit or copyright line.
    pub boilerplate: bool,
    /// True when the source file changed since it was indexed, so the citation
    /// may no longer hold (`search verify` tells which).
    pub stale: bool,
    /// How the score was made, when asked for (`SearchOptions::explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// With `SearchOptions::collapse`: the other members of the passage's copy
    /// group (syndicated copies in other articles), each a full citation; empty
    /// when it has none. `None` when not collapsing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<Vec<Citation>>,
    /// With `SearchOptions::collapse`: the distinct outlets of the passage and its
    /// copies, its own first (an empty list when no member has a source). `None`
    /// when not collapsing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
}

/// How a hit's score was made. The parts add up: `score` is `bm25 ×
/// proximity_factor`, and `bm25` is the sum of the `terms`' scores (to float
/// rounding: tantivy adds them in its own order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The final score ([`Hit::score`]).
    pub score: f32,
    /// The BM25 score tantivy gave the passage: the sum of `terms`' scores.
    pub bm25: f32,
    /// Each query term (or phrase) that matched the passage, in one field.
    pub terms: Vec<TermScore>,
    /// The weight of a title match ([`RankingWeights::title`](crate::RankingWeights)).
    pub title_weight: f32,
    /// The weight of a boilerplate match (editor's notes, credits).
    pub boilerplate_weight: f32,
    /// How close together and in order the query words are, in `[0, 1]`.
    pub proximity: f32,
    /// The strength of the proximity boost
    /// ([`RankingWeights::proximity`](crate::RankingWeights)).
    pub proximity_weight: f32,
    /// What `bm25` was multiplied by: `1 + proximity_weight × proximity` for a
    /// re-ranked passage, 1 for the others.
    pub proximity_factor: f32,
    /// Whether the passage was among the best BM25 candidates re-ranked by
    /// proximity.
    pub reranked: bool,
    /// With pseudo-relevance feedback, the share of `bm25` the expansion terms
    /// gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_share: Option<f32>,
    /// True for boilerplate: ranked below every ordinary passage, whatever its
    /// score.
    pub boilerplate_demoted: bool,
}

/// One term's (or phrase's) part of a hit's BM25 score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermScore {
    /// The analyzed term (a stem), or a phrase's terms separated by spaces.
    pub term: String,
    /// The field it matched in: `text`, `title`, `boilerplate`, `source`, `id`
    /// (or `all` for a query of exclusions only).
    pub field: String,
    /// The BM25 score of the term in the field, before its weight.
    pub bm25: f32,
    /// The weight it was multiplied by (field weight times repetitions in the
    /// query, or the expansion weight of a feedback term).
    pub weight: f32,
    /// Its part of the BM25 score: `bm25 × weight`.
    pub score: f32,
    /// True for a term added by pseudo-relevance feedback.
    pub feedback: bool,
}

/// A query word that was widened to a close spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The word as typed.
    pub word: String,
    /// The indexed term that was searched as well.
    pub replacement: String,
    /// The replacement as the text spells it (`Witkoff` for the term `witkoff`):
    /// its most frequent spelling among a few passages that hold it.
    pub surface: String,
}

fn ranges_as_pairs<S: Serializer>(ranges: &[Range<usize>], s: S) -> Result<S::Ok, S::Error> {
    let pairs: Vec<[usize; 2]> = ranges.iter().map(|r| [r.start, r.end]).collect();
    pairs.serialize(s)
}

fn pairs_as_ranges<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Range<usize>>, D::Error> {
    let pairs: Vec<[usize; 2]> = Vec::deserialize(d)?;
    Ok(pairs.into_iter().map(|[start, end]| start..end).collect())
}
