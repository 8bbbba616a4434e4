//! What a search returns: plain structs, serializable as the JSON contract.

use std::ops::Range;

use search_core::Citation;
use serde::{Serialize, Serializer};

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// What the lenient parser recovered from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One ranked passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// Ranking score (higher is better; comparable within one query only).
    pub score: f32,
    /// The whole passage text, exactly the cited bytes.
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    #[serde(serialize_with = "ranges_as_pairs")]
    pub highlights: Vec<Range<usize>>,
    /// Where the passage comes from.
    pub citation: Citation,
    /// True for an editor's note, credit or copyright line.
    pub boilerplate: bool,
    /// True when the source file changed since it was indexed, so the citation
    /// may no longer hold (`search verify` tells which).
    pub stale: bool,
}

/// A query word that was widened to a close spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The word as typed.
    pub word: String,
    /// The indexed term that was searched as well.
    pub replacement: String,
}

fn ranges_as_pairs<S: Serializer>(ranges: &[Range<usize>], s: S) -> Result<S::Ok, S::Error> {
    let pairs: Vec<[usize; 2]> = ranges.iter().map(|r| [r.start, r.end]).collect();
    pairs.serialize(s)
}
