//! Where a passage comes from, precisely enough to check it; and the short printed
//! form of a citation ([`Location`]) that people copy and `search show` resolves.

use std::fmt;

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
    /// A `usize`, like the highlight ranges of a hit: it slices bytes in memory
    /// (see [`Citation::byte_range`]).
    pub byte_start: usize,
    /// End of the passage (exclusive), in the same unit as `byte_start`.
    pub byte_end: usize,
    /// When a long paragraph was split at sentence boundaries: which piece (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u64>,
    /// The article's date, when the corpus gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The article's URL, when the corpus gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The article's author, when the corpus gives one; several are joined with
    /// `, ` (and listed in `authors`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The article's authors, when there are several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authors: Option<Vec<String>>,
}

impl Citation {
    /// The short form people read and `search show` accepts; it names exactly this
    /// passage (see [`Location`]):
    ///
    /// - `path:line` for a whole paragraph of a `.txt` or `.md` file (the line
    ///   names the paragraph);
    /// - `path:line#N` for paragraph `N` of the JSONL record on `line`;
    /// - `path:line#N.P` for piece `P` of a split paragraph `N`.
    pub fn location(&self) -> String {
        self.to_location().to_string()
    }

    /// [`Citation::location`] as a value.
    pub fn to_location(&self) -> Location {
        let numbered = self.part.is_some() || is_record_path(&self.path);
        Location::Line {
            path: self.path.clone(),
            line: self.line,
            paragraph: numbered.then_some(self.paragraph),
            part: self.part,
        }
    }

    /// `byte_start..byte_end`: the passage's bytes in the file (or in the JSONL
    /// record's `text`), ready to slice them with.
    pub fn byte_range(&self) -> std::ops::Range<usize> {
        self.byte_start..self.byte_end
    }

    /// True when the source holds one article per line (`.jsonl`, `.ndjson`): the
    /// byte range then counts in the record's decoded `text`, not in the file.
    pub fn is_record(&self) -> bool {
        is_record_path(&self.path)
    }
}

/// True for the file names whose sources hold one JSON record (article) per line.
pub fn is_record_path(path: &str) -> bool {
    let lower = path.rsplit('.').next().map(str::to_ascii_lowercase);
    path.contains('.') && matches!(lower.as_deref(), Some("jsonl" | "ndjson"))
}

/// The printed form of a citation, as `search query` prints it and `search show`
/// resolves it.
///
/// ```
/// use search_core::citation::Location;
/// let loc: Location = "news/wire.jsonl:12#3".parse().unwrap();
/// assert_eq!(
///     loc,
///     Location::Line { path: "news/wire.jsonl".into(), line: 12, paragraph: Some(3), part: None }
/// );
/// assert_eq!(loc.to_string(), "news/wire.jsonl:12#3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// `PATH:LINE[#N[.P]]`: the passage on line `LINE` of the indexed file `PATH`
    /// (for JSONL, the record on that line), paragraph `N`, piece `P`.
    Line {
        /// The file's path as the index records it.
        path: String,
        /// 1-based line in the file.
        line: u64,
        /// 1-based paragraph number in the article, when given.
        paragraph: Option<u64>,
        /// 1-based piece of a split paragraph, when given.
        part: Option<u64>,
    },
    /// `DOC_ID#N[.P]`: paragraph `N` (piece `P`) of the article with that id.
    Article {
        /// The article id.
        doc_id: String,
        /// 1-based paragraph number.
        paragraph: u64,
        /// 1-based piece of a split paragraph, when given.
        part: Option<u64>,
    },
}

/// A string that is not a citation in any printed form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a citation: use PATH:LINE, PATH:LINE#N, PATH:LINE#N.P (as `search query` prints them) or DOC_ID#N")]
pub struct NotALocation(pub String);

impl Location {
    /// Every way `text` can be read as a location, the most specific first.
    ///
    /// A path may contain `#` and an article id may contain `:` (`urn:x:1#2`), so
    /// one string can name a line of a file *and* a paragraph of an article: the
    /// `PATH:LINE…` reading comes first, the `DOC_ID#N` reading second. Empty when
    /// `text` is no citation at all.
    pub fn readings(text: &str) -> Vec<Location> {
        let mut out = Vec::new();
        if let Some((path, rest)) = text.rsplit_once(':') {
            let (line, numbers) = match rest.split_once('#') {
                Some((line, numbers)) => (line, Some(numbers)),
                None => (rest, None),
            };
            let numbers = match numbers {
                None => Some((None, None)),
                Some(n) => paragraph_and_part(n).map(|(p, part)| (Some(p), part)),
            };
            if let (false, Some(line), Some((paragraph, part))) =
                (path.is_empty(), positive(line), numbers)
            {
                out.push(Location::Line {
                    path: path.to_string(),
                    line,
                    paragraph,
                    part,
                });
            }
        }
        if let Some((doc_id, numbers)) = text.rsplit_once('#') {
            if let (false, Some((paragraph, part))) =
                (doc_id.is_empty(), paragraph_and_part(numbers))
            {
                out.push(Location::Article {
                    doc_id: doc_id.to_string(),
                    paragraph,
                    part,
                });
            }
        }
        out
    }

    /// The paragraph the location names, if it names one.
    pub fn paragraph(&self) -> Option<u64> {
        match self {
            Location::Line { paragraph, .. } => *paragraph,
            Location::Article { paragraph, .. } => Some(*paragraph),
        }
    }

    /// The piece of a split paragraph the location names, if it names one.
    pub fn part(&self) -> Option<u64> {
        match self {
            Location::Line { part, .. } | Location::Article { part, .. } => *part,
        }
    }
}

impl std::str::FromStr for Location {
    type Err = NotALocation;

    /// The first of [`Location::readings`].
    fn from_str(text: &str) -> Result<Location, NotALocation> {
        Location::readings(text)
            .into_iter()
            .next()
            .ok_or_else(|| NotALocation(text.to_string()))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (paragraph, part) = match self {
            Location::Line {
                path,
                line,
                paragraph,
                part,
            } => {
                write!(f, "{path}:{line}")?;
                (*paragraph, *part)
            }
            Location::Article {
                doc_id,
                paragraph,
                part,
            } => {
                write!(f, "{doc_id}")?;
                (Some(*paragraph), *part)
            }
        };
        if let Some(paragraph) = paragraph {
            write!(f, "#{paragraph}")?;
            if let Some(part) = part {
                write!(f, ".{part}")?;
            }
        }
        Ok(())
    }
}

/// `N` or `N.P`, both positive.
fn paragraph_and_part(text: &str) -> Option<(u64, Option<u64>)> {
    match text.split_once('.') {
        Some((n, p)) => Some((positive(n)?, Some(positive(p)?))),
        None => Some((positive(text)?, None)),
    }
}

/// A positive decimal number, digits only (no sign, no spaces).
fn positive(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&n| n > 0)
}

#[cfg(test)]
mod tests;
