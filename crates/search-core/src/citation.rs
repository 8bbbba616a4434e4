//! Where a passage comes from, precisely enough to check it.

use serde::{Deserialize, Serialize};

/// The citation of one passage.
///
/// The invariant that makes it verifiable: for a `.txt` or `.md` source, the bytes of
/// the file at `byte_start..byte_end` are exactly the passage text. For a `.jsonl`
/// source the range indexes the record's decoded `text`, and `line` is the record's
/// line in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The article id: the file stem, or the JSONL record's `id`.
    pub doc_id: String,
    /// The article's title, if it has one.
    pub title: Option<String>,
    /// The outlet, from the record or from the article's copyright line.
    pub source: Option<String>,
    /// The source file's path as it was given at index time.
    pub path: String,
    /// The paragraph's number in the article, 1-based, title not counted.
    pub paragraph: u64,
    /// The 1-based line of the passage in the file (for JSONL: the record's line).
    pub line: u64,
    /// Start of the passage, in bytes (file bytes, or bytes of the JSONL `text`).
    pub byte_start: u64,
    /// End of the passage (exclusive), in the same unit as `byte_start`.
    pub byte_end: u64,
    /// When a long paragraph was split at sentence boundaries: which piece (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u64>,
    /// The article's date, when the corpus gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The article's URL, when the corpus gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The article's author, when the corpus gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

impl Citation {
    /// The short form people read and `search show` accepts: `path:line`.
    pub fn location(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}
