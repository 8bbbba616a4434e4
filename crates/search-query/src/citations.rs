//! Checking citations against their sources as they are now, and finding the
//! passages a printed citation names.
//!
//! Everything here goes through the index: a source is read only if the index
//! holds it (its path is one of the commit's file records), and it is read where
//! the index says it is ([`IndexMeta::resolve`]), never from a path a caller made
//! up. `search show`, `search verify` and programs embedding the library share
//! these functions.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use search_core::citation::{is_record_path, Location};
use search_core::{passage_hash, Citation, ContentHasher, IndexMeta};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::error::{Failure, Result, SearchError};
use crate::index::{Generation, Snapshot};
use crate::PassageIndex;

/// A passage as the index holds it: its text and its citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedPassage {
    /// The passage text (what the citation's byte range held at index time).
    pub text: String,
    /// Where it comes from.
    pub citation: Citation,
}

/// Whether a citation still holds against its source as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CitationStatus {
    /// The source's bytes at the cited range are the indexed passage.
    Holds,
    /// The source is there, but the cited range no longer holds the passage.
    Stale {
        /// What changed.
        reason: StaleReason,
    },
    /// The source file is gone or cannot be read.
    Missing,
    /// The index holds no passage at that citation (not a citation of this index's
    /// current commit).
    NotIndexed,
}

/// Why a cited range no longer holds its passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StaleReason {
    /// The bytes at the range changed.
    Changed,
    /// The range now lies past the end of the source (or of the record's text).
    PastEnd,
    /// The cited line of a JSONL file no longer holds a record with a `text`.
    NoRecord,
    /// The bytes at the range are not text (not UTF-8, or a character is cut).
    NotText,
}

impl fmt::Display for StaleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StaleReason::Changed => "the cited bytes changed",
            StaleReason::PastEnd => "the cited range is past the end of the source",
            StaleReason::NoRecord => "the cited line no longer holds a record with `text`",
            StaleReason::NotText => "the cited bytes are no longer text",
        })
    }
}

/// Why [`PassageIndex::source_text`] could not give the cited text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The citation's path is not a file of the index.
    #[error("{path} is not a file of the index at {index}", index = .index.display())]
    NotIndexed {
        /// The path the citation gives.
        path: String,
        /// The index folder.
        index: PathBuf,
    },
    /// The source file is gone or cannot be read.
    #[error("cannot read the source {path}: {error}", path = .path.display())]
    Unreadable {
        /// Where the index says the file is.
        path: PathBuf,
        /// Why it cannot be read (in the message too, so it is no `source()`).
        error: std::io::Error,
    },
    /// The source no longer has text at the cited range.
    #[error("{0}")]
    Stale(StaleReason),
    /// Reading the index failed.
    #[error(transparent)]
    Index(#[from] SearchError),
}

/// What a printed citation names in the index (see [`PassageIndex::lookup`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Lookup {
    /// The named passages, with the rest of their article.
    Found(Found),
    /// The path is not a file of the index.
    UnknownFile {
        /// The path as given.
        path: String,
    },
    /// No article of the index has this id.
    UnknownArticle {
        /// The id as given.
        doc_id: String,
    },
    /// Several articles have this id (the same id in several files, or on several
    /// lines of a JSONL file): the location must name the file and line.
    Ambiguous {
        /// The id as given.
        doc_id: String,
        /// One citation per article with that id: the named paragraph where the
        /// article has it, else its first passage.
        candidates: Vec<Citation>,
    },
    /// The article has no such paragraph.
    NoParagraph {
        /// The article's first passage.
        article: Citation,
        /// The paragraph asked for.
        paragraph: u64,
        /// How many paragraphs the article has.
        paragraphs: u64,
    },
    /// The paragraph has no such piece (or was not split at all).
    NoPart {
        /// The paragraph's first passage.
        paragraph: Citation,
        /// The piece asked for.
        part: u64,
        /// How many pieces the paragraph was split into (0: not split).
        parts: u64,
    },
    /// The line of an indexed file holds no paragraph.
    NotAParagraph {
        /// The file's path as the index records it.
        path: String,
        /// The line asked for.
        line: u64,
        /// What the line is.
        kind: LineKind,
        /// The paragraph nearest to that line, if the file has any.
        nearest: Option<Citation>,
    },
    /// `PATH:LINE#N` where the line holds another paragraph than `N`.
    WrongParagraph {
        /// The paragraph asked for.
        asked: u64,
        /// The first passage of the paragraph the line holds.
        found: Citation,
    },
}

/// Passages a location names, in their article.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Found {
    /// Every passage of the article, in reading order.
    pub article: Vec<IndexedPassage>,
    /// Indices into `article` of the passages named: one passage, or every piece
    /// of a split paragraph when the location names the whole paragraph.
    pub cited: Vec<usize>,
    /// True when the location named a JSONL record but no paragraph
    /// (`path:line`): `cited` is then the record's first paragraph.
    pub implied_paragraph: bool,
}

/// What a line that holds no paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LineKind {
    /// The article's title line.
    Title,
    /// An empty (or blank) line.
    Blank,
    /// The file has fewer lines.
    PastEnd,
    /// A line with text the index holds no paragraph of: a JSONL line that was not
    /// a valid record, or a line changed since indexing.
    NotIndexed,
    /// The source cannot be read now, so what the line is cannot be told.
    Unreadable,
}

impl fmt::Display for LineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LineKind::Title => "the title line",
            LineKind::Blank => "a blank line",
            LineKind::PastEnd => "past the end of the file",
            LineKind::NotIndexed => "a line the index holds no paragraph of",
            LineKind::Unreadable => "a line of a source that cannot be read now",
        })
    }
}

/// One indexed passage's place and hash, read from its columns only.
#[derive(Debug, Clone, Copy)]
struct Span {
    address: DocAddress,
    line: u64,
    start: u64,
    end: u64,
    hash: u64,
}

impl Span {
    fn verdict(&self, cited: std::result::Result<&str, StaleReason>) -> CitationStatus {
        match cited {
            Ok(text) if passage_hash(text) == self.hash => CitationStatus::Holds,
            Ok(_) => CitationStatus::Stale {
                reason: StaleReason::Changed,
            },
            Err(reason) => CitationStatus::Stale { reason },
        }
    }
}

impl PassageIndex {
    /// The text the source holds now at the citation's range: the file's bytes for
    /// `.txt` and `.md`, the record's decoded `text` for `.jsonl`. The source is read
    /// only if its path is a file of the index, from where the index recorded it.
    pub fn source_text(&self, citation: &Citation) -> std::result::Result<String, SourceError> {
        let meta = self.meta();
        if meta.file(&citation.path).is_none() {
            return Err(SourceError::NotIndexed {
                path: citation.path.clone(),
                index: self.dir().to_path_buf(),
            });
        }
        let resolved = meta.resolve(&citation.path);
        let mut found = Err(StaleReason::NoRecord);
        let wanted = [(
            citation.line,
            citation.byte_start as u64..citation.byte_end as u64,
        )];
        read_source(
            &resolved,
            citation.is_record(),
            &wanted,
            false,
            |_, cited| {
                found = cited.map(str::to_string);
            },
        )
        .map_err(|error| SourceError::Unreadable {
            path: resolved.clone(),
            error,
        })?;
        found.map_err(SourceError::Stale)
    }

    /// Whether `citation` still holds: the index must hold a passage at exactly
    /// that place (path, line, byte range, article id), and the source's text at
    /// the range now must hash to what was indexed. Always reads the source.
    pub fn check(&self, citation: &Citation) -> Result<CitationStatus> {
        let snapshot = self.snapshot();
        let meta = &snapshot.meta;
        if meta.file(&citation.path).is_none() {
            return Ok(CitationStatus::NotIndexed);
        }
        let generation = self.generation(&snapshot)?;
        let span = self
            .spans_of_file(&snapshot.searcher, &generation, &citation.path)?
            .into_iter()
            .find(|s| {
                (s.line, s.start as usize, s.end as usize)
                    == (citation.line, citation.byte_start, citation.byte_end)
                    && generation.columns[s.address.segment_ord as usize].doc_id(s.address.doc_id)
                        == citation.doc_id
            });
        let Some(span) = span else {
            return Ok(CitationStatus::NotIndexed);
        };
        let statuses = check_spans(meta, &citation.path, &[span], false).statuses;
        Ok(statuses[0])
    }

    /// What a printed citation names: `PATH:LINE`, `PATH:LINE#N`, `PATH:LINE#N.P`
    /// or `DOC_ID#N[.P]` (see [`Location`]). When a string reads both as a file
    /// line and as an article paragraph, the reading the index knows wins (the
    /// file reading first). `None` when `printed` is no citation at all.
    pub fn lookup(&self, printed: &str) -> Result<Option<Lookup>> {
        let mut first = None;
        for reading in Location::readings(printed) {
            let found = self.lookup_location(&reading)?;
            match found {
                Lookup::UnknownFile { .. } | Lookup::UnknownArticle { .. } => {
                    first.get_or_insert(found);
                }
                found => return Ok(Some(found)),
            }
        }
        Ok(first)
    }

    /// What `location` names in the index. Reads the index only, except to tell
    /// what a line that holds no paragraph is (title, blank…) in an indexed file.
    pub fn lookup_location(&self, location: &Location) -> Result<Lookup> {
        let snapshot = self.snapshot();
        let generation = self.generation(&snapshot)?;
        let searcher = &snapshot.searcher;
        match location {
            Location::Line {
                path,
                line,
                paragraph,
                part,
            } => {
                let recorded = [path.as_str(), path.trim_start_matches("./")]
                    .into_iter()
                    .find(|p| snapshot.meta.file(p).is_some());
                let Some(path) = recorded else {
                    return Ok(Lookup::UnknownFile { path: path.clone() });
                };
                let record = is_record_path(path);
                let spans = self.spans_of_file(searcher, &generation, path)?;
                let addresses: Vec<DocAddress> = spans
                    .iter()
                    .filter(|s| !record || s.line == *line)
                    .map(|s| s.address)
                    .collect();
                let article = self.guard(|| read_passages(searcher, &generation, &addresses))?;
                let Some(at_line) = article.iter().position(|p| p.citation.line == *line) else {
                    // In a JSONL file, the nearest paragraph is the nearest record's first.
                    let nearby = match spans
                        .iter()
                        .min_by_key(|s| (s.line.abs_diff(*line), s.line < *line))
                    {
                        Some(s) if record => {
                            self.guard(|| read_passages(searcher, &generation, &[s.address]))?
                        }
                        _ => article,
                    };
                    let (kind, nearest) = describe_line(&snapshot.meta, path, *line, &nearby);
                    return Ok(Lookup::NotAParagraph {
                        path: path.to_string(),
                        line: *line,
                        kind,
                        nearest,
                    });
                };
                let (wanted, implied) = match paragraph {
                    Some(n) => (*n, false),
                    None => (article[at_line].citation.paragraph, record),
                };
                if !record && wanted != article[at_line].citation.paragraph {
                    return Ok(Lookup::WrongParagraph {
                        asked: wanted,
                        found: article[at_line].citation.clone(),
                    });
                }
                Ok(select(article, wanted, *part, implied))
            }
            Location::Article {
                doc_id,
                paragraph,
                part,
            } => {
                let term = Term::from_field_text(self.fields().doc_id, doc_id);
                let mut articles: BTreeMap<(String, u64), Vec<DocAddress>> = BTreeMap::new();
                for address in self.guard(|| addresses_with(searcher, term))? {
                    let (path, line, _) =
                        generation.columns[address.segment_ord as usize].place(address.doc_id);
                    let record_line = if is_record_path(&path) { line } else { 0 };
                    articles
                        .entry((path, record_line))
                        .or_default()
                        .push(address);
                }
                let mut articles = articles
                    .into_values()
                    .map(|addresses| {
                        self.guard(|| read_passages(searcher, &generation, &addresses))
                    })
                    .collect::<Result<Vec<_>>>()?;
                match articles.len() {
                    0 => Ok(Lookup::UnknownArticle {
                        doc_id: doc_id.clone(),
                    }),
                    1 => Ok(select(articles.remove(0), *paragraph, *part, false)),
                    _ => Ok(Lookup::Ambiguous {
                        doc_id: doc_id.clone(),
                        candidates: articles
                            .into_iter()
                            .map(|article| {
                                let named = article.iter().find(|p| {
                                    p.citation.paragraph == *paragraph
                                        && part.is_none_or(|n| p.citation.part == Some(n))
                                });
                                named.unwrap_or(&article[0]).citation.clone()
                            })
                            .collect(),
                    }),
                }
            }
        }
    }

    /// Every indexed passage of the file `path` (as recorded), from its columns, in
    /// reading order.
    fn spans_of_file(
        &self,
        searcher: &Searcher,
        generation: &Generation,
        path: &str,
    ) -> Result<Vec<Span>> {
        let term = Term::from_field_text(self.fields().path, path);
        let mut spans: Vec<Span> = self
            .guard(|| addresses_with(searcher, term))?
            .into_iter()
            .map(|address| {
                let columns = &generation.columns[address.segment_ord as usize];
                let (_, line, _) = columns.place(address.doc_id);
                let (_, start, end) = columns.text_span(address.doc_id);
                Span {
                    address,
                    line,
                    start,
                    end,
                    hash: columns.passage_hash(address.doc_id),
                }
            })
            .collect();
        spans.sort_by_key(|s| (s.line, s.start, s.end));
        Ok(spans)
    }

    /// Checks every passage of the file `path` against the source, reading it once;
    /// with `hash`, also hashes the whole file.
    pub(crate) fn check_file(
        &self,
        snapshot: &Snapshot,
        path: &str,
        hash: bool,
    ) -> Result<FileCheck> {
        let generation = self.generation(snapshot)?;
        let spans = self.spans_of_file(&snapshot.searcher, &generation, path)?;
        let checked = check_spans(&snapshot.meta, path, &spans, hash);
        let mut stale = Vec::new();
        for (span, status) in spans.iter().zip(&checked.statuses) {
            if *status != CitationStatus::Holds {
                let columns = &generation.columns[span.address.segment_ord as usize];
                let (_, citation) = self.guard(|| {
                    generation
                        .texts
                        .read(&snapshot.searcher, columns, span.address)
                })?;
                stale.push((citation, *status));
            }
        }
        Ok(FileCheck {
            readable: checked.readable,
            hash: checked.hash,
            stale,
        })
    }
}

/// What [`PassageIndex::check_file`] found.
pub(crate) struct FileCheck {
    /// Whether the source could be read.
    pub readable: bool,
    /// The file's content hash, when asked for and readable.
    pub hash: Option<String>,
    /// The passages that do not hold, with their status.
    pub stale: Vec<(Citation, CitationStatus)>,
}

struct SpanChecks {
    readable: bool,
    hash: Option<String>,
    statuses: Vec<CitationStatus>,
}

/// Checks `spans` (sorted by line) of the indexed file `path` against its source.
fn check_spans(meta: &IndexMeta, path: &str, spans: &[Span], hash: bool) -> SpanChecks {
    let mut statuses = vec![
        CitationStatus::Stale {
            reason: StaleReason::NoRecord,
        };
        spans.len()
    ];
    let wanted: Vec<(u64, std::ops::Range<u64>)> =
        spans.iter().map(|s| (s.line, s.start..s.end)).collect();
    let read = read_source(
        &meta.resolve(path),
        is_record_path(path),
        &wanted,
        hash,
        |i, cited| {
            statuses[i] = spans[i].verdict(cited);
        },
    );
    match read {
        Ok(hash) => SpanChecks {
            readable: true,
            hash,
            statuses,
        },
        Err(_) => SpanChecks {
            readable: false,
            hash: None,
            statuses: vec![CitationStatus::Missing; spans.len()],
        },
    }
}

/// Reads the source at `file` and hands `each` the text now at every wanted
/// `(line, range)` (sorted by line), by index into `wanted`. For a JSONL source the
/// range counts in the decoded `text` of the record on that line, and the file is
/// streamed (never held whole); a wanted line past the end is never handed over.
/// With `hash`, the whole file is read and its content hash returned.
fn read_source(
    file: &Path,
    record: bool,
    wanted: &[(u64, std::ops::Range<u64>)],
    hash: bool,
    mut each: impl FnMut(usize, std::result::Result<&str, StaleReason>),
) -> std::io::Result<Option<String>> {
    if !record {
        let bytes = std::fs::read(file)?;
        for (i, (_, range)) in wanted.iter().enumerate() {
            each(i, cut(&bytes, range));
        }
        return Ok(hash.then(|| search_core::content_hash(&bytes)));
    }
    let mut reader = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(file)?);
    let mut hasher = ContentHasher::default();
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut next = 0;
    loop {
        if !hash && next == wanted.len() {
            return Ok(None);
        }
        if search_core::jsonl::read_line(&mut reader, &mut line)? == 0 {
            break;
        }
        number += 1;
        if hash {
            hasher.update(&line);
        }
        while next < wanted.len() && wanted[next].0 < number {
            next += 1;
        }
        if next < wanted.len() && wanted[next].0 == number {
            let text = record_text(&line);
            while next < wanted.len() && wanted[next].0 == number {
                let cited = match &text {
                    Some(text) => cut(text.as_bytes(), &wanted[next].1),
                    None => Err(StaleReason::NoRecord),
                };
                each(next, cited);
                next += 1;
            }
        }
    }
    Ok(hash.then(|| hasher.finish()))
}

/// The decoded `text` of the JSONL record on one line, read as the indexer reads it.
fn record_text(line: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Record {
        text: Option<String>,
    }
    let line = std::str::from_utf8(line).ok()?;
    let line = line.trim_end_matches(['\n', '\r']);
    serde_json::from_str::<Record>(line).ok()?.text
}

/// The text of `bytes` at `range`.
fn cut<'a>(
    bytes: &'a [u8],
    range: &std::ops::Range<u64>,
) -> std::result::Result<&'a str, StaleReason> {
    let (start, end) = (range.start as usize, range.end as usize);
    if start > end || end > bytes.len() {
        return Err(StaleReason::PastEnd);
    }
    std::str::from_utf8(&bytes[start..end]).map_err(|_| StaleReason::NotText)
}

/// Every live passage holding `term` (an untokenized field), in index order.
fn addresses_with(searcher: &Searcher, term: Term) -> Result<Vec<DocAddress>, Failure> {
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let mut addresses: Vec<DocAddress> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort();
    Ok(addresses)
}

/// The passages at `addresses` (index order, so a group is decompressed once), in
/// reading order.
fn read_passages(
    searcher: &Searcher,
    generation: &Generation,
    addresses: &[DocAddress],
) -> Result<Vec<IndexedPassage>, Failure> {
    let mut group = None;
    let mut passages = addresses
        .iter()
        .map(|&address| {
            let columns = &generation.columns[address.segment_ord as usize];
            let (text, citation) = generation
                .texts
                .read_cached(searcher, columns, address, &mut group)?;
            Ok(IndexedPassage { text, citation })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    passages.sort_by_key(|p| (p.citation.line, p.citation.byte_start));
    Ok(passages)
}

/// Paragraph `paragraph` (piece `part`) of `article`.
fn select(
    article: Vec<IndexedPassage>,
    paragraph: u64,
    part: Option<u64>,
    implied: bool,
) -> Lookup {
    let in_paragraph: Vec<usize> = (0..article.len())
        .filter(|&i| article[i].citation.paragraph == paragraph)
        .collect();
    let Some(&first) = in_paragraph.first() else {
        let paragraphs = article
            .iter()
            .map(|p| p.citation.paragraph)
            .max()
            .unwrap_or(0);
        return Lookup::NoParagraph {
            article: article[0].citation.clone(),
            paragraph,
            paragraphs,
        };
    };
    let cited = match part {
        None => in_paragraph,
        Some(n) => {
            let found = in_paragraph
                .iter()
                .copied()
                .find(|&i| article[i].citation.part == Some(n));
            let Some(found) = found else {
                let parts = in_paragraph
                    .iter()
                    .filter_map(|&i| article[i].citation.part)
                    .max()
                    .unwrap_or(0);
                return Lookup::NoPart {
                    paragraph: article[first].citation.clone(),
                    part: n,
                    parts,
                };
            };
            vec![found]
        }
    };
    Lookup::Found(Found {
        article,
        cited,
        implied_paragraph: implied,
    })
}

/// What line `line` of the indexed file `path` is, given that it holds none of the
/// passages of `article` (the file's, or the record's, passages), and the
/// paragraph nearest to it.
fn describe_line(
    meta: &IndexMeta,
    path: &str,
    line: u64,
    article: &[IndexedPassage],
) -> (LineKind, Option<Citation>) {
    let nearest = article
        .iter()
        .filter(|p| p.citation.part.is_none_or(|n| n == 1))
        .min_by_key(|p| (p.citation.line.abs_diff(line), p.citation.line < line))
        .map(|p| p.citation.clone());
    let kind = match std::fs::File::open(meta.resolve(path)) {
        Err(_) => LineKind::Unreadable,
        Ok(file) => {
            let mut reader = std::io::BufReader::new(file);
            let mut text = Vec::new();
            let mut found = None;
            for _ in 0..line {
                match search_core::jsonl::read_line(&mut reader, &mut text) {
                    Ok(0) | Err(_) => {
                        found = None;
                        break;
                    }
                    Ok(_) => found = Some(()),
                }
            }
            match found {
                None => LineKind::PastEnd,
                Some(()) => {
                    let text = String::from_utf8_lossy(&text);
                    let text = text.trim().trim_start_matches('\u{feff}').trim();
                    let title = article.first().and_then(|p| p.citation.title.as_deref());
                    let first_line = article.first().map_or(u64::MAX, |p| p.citation.line);
                    if text.is_empty() {
                        LineKind::Blank
                    } else if !is_record_path(path)
                        && line < first_line
                        && title
                            .is_some_and(|t| t == text || t == text.trim_start_matches('#').trim())
                    {
                        LineKind::Title
                    } else {
                        LineKind::NotIndexed
                    }
                }
            }
        }
    };
    (kind, nearest)
}
