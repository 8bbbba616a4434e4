//! Reading one source file for an update: hashed, compared with its record, and
//! (re)indexed article by article when its content changed. JSONL is streamed.

use std::path::Path;

use search_core::{content_hash, FileRecord};

use super::writer::DocWriter;
use super::{Progress, Warning};
use crate::article::{parse_jsonl_record, parse_text_article, ArticleWarning, Rejection};
use crate::corpus::{self, Skipped, SourceFile, SourceKind};
use crate::{io, Result};

/// What became of one source file.
pub(super) enum FileOutcome {
    /// Its content is what was indexed: its passages stay.
    Unchanged(FileRecord),
    /// It was (re)indexed, passing over the records listed.
    Indexed(FileRecord, Vec<Skipped>),
    /// It cannot be indexed; any passages it had are deleted.
    Rejected(Skipped),
}

/// Where the warnings of the files read go: to the progress receiver as they are
/// found, and to the report.
pub(super) struct Warnings<'a> {
    pub(super) progress: &'a mut dyn Progress,
    pub(super) found: &'a mut Vec<Warning>,
}

impl Warnings<'_> {
    /// Reports the warnings of an article of the file at `path`.
    fn add(&mut self, path: &str, warnings: &[ArticleWarning]) {
        for w in warnings {
            let warning = Warning {
                path: path.to_string(),
                line: Some(w.line),
                message: w.message.clone(),
            };
            self.progress.warning(&warning);
            self.found.push(warning);
        }
    }
}

/// How often a streamed file reports progress, in bytes.
const PROGRESS_STEP: u64 = 1 << 20;

/// A file read now, compared with its record.
enum Freshness {
    /// New or changed: its record as read now, still without counts. Any old
    /// passages are deleted.
    Changed(FileRecord),
    /// The content is what was indexed (only its size or time changed).
    Unchanged(FileRecord),
}

/// Reads `file` (whose size or time differs from `previous`, or which is new) and
/// re-indexes it when its content changed.
pub(super) fn read_file(
    file: &SourceFile,
    previous: Option<&FileRecord>,
    out: &mut DocWriter<'_, '_>,
    warnings: &mut Warnings<'_>,
) -> Result<FileOutcome> {
    if file.kind == SourceKind::Jsonl {
        return index_jsonl(file, previous, out, warnings);
    }
    let reject = |reason: String| {
        FileOutcome::Rejected(Skipped {
            path: file.path.clone(),
            reason,
        })
    };
    let text = match corpus::read_text(&file.absolute) {
        Ok(text) => text,
        Err(Rejection(reason)) => {
            if previous.is_some() {
                out.delete_file(&file.path)?;
            }
            return Ok(reject(reason));
        }
    };
    let hash = content_hash(text.as_bytes());
    let mut record = match freshness(file, previous, hash, text.len() as u64, out)? {
        Freshness::Changed(record) => record,
        Freshness::Unchanged(record) => return Ok(FileOutcome::Unchanged(record)),
    };
    let skips = Vec::new();
    match file.kind {
        SourceKind::Text | SourceKind::Markdown => {
            let markdown = file.kind == SourceKind::Markdown;
            match parse_text_article(&doc_id_of(&file.path), text, markdown) {
                Ok(article) => {
                    warnings.add(&file.path, &article.warnings);
                    record.articles = 1;
                    record.passages = out.add_article(&article, &file.path)?;
                }
                Err(Rejection(reason)) => return Ok(reject(reason)),
            }
        }
        SourceKind::Jsonl => unreachable!("JSONL is streamed by index_jsonl"),
    }
    Ok(FileOutcome::Indexed(record, skips))
}

/// Compares `file` as read now (content `hash`, `size`) with its record; a changed
/// file's old passages are deleted.
fn freshness(
    file: &SourceFile,
    previous: Option<&FileRecord>,
    hash: String,
    size: u64,
    out: &mut DocWriter<'_, '_>,
) -> Result<Freshness> {
    let mut record = FileRecord {
        path: file.path.clone(),
        size,
        mtime_ns: file.mtime_ns,
        hash,
        articles: 0,
        passages: 0,
    };
    if let Some(prev) = previous {
        if prev.hash == record.hash {
            record.articles = prev.articles;
            record.passages = prev.passages;
            return Ok(Freshness::Unchanged(record));
        }
        out.delete_file(&file.path)?;
    }
    Ok(Freshness::Changed(record))
}

/// Indexes a JSONL file record by record, never holding the whole file: a first
/// pass hashes it (and rejects binary or empty files) so an unchanged file is not
/// re-indexed; a second pass reads and indexes one line at a time.
fn index_jsonl(
    file: &SourceFile,
    previous: Option<&FileRecord>,
    out: &mut DocWriter<'_, '_>,
    warnings: &mut Warnings<'_>,
) -> Result<FileOutcome> {
    let path = file.absolute.as_path();
    let (hash, size) = match corpus::hash_and_sniff(path) {
        Ok(found) => found,
        Err(Rejection(reason)) => {
            if previous.is_some() {
                out.delete_file(&file.path)?;
            }
            return Ok(FileOutcome::Rejected(Skipped {
                path: file.path.clone(),
                reason,
            }));
        }
    };
    let mut record = match freshness(file, previous, hash, size, out)? {
        Freshness::Changed(record) => record,
        Freshness::Unchanged(record) => return Ok(FileOutcome::Unchanged(record)),
    };
    let opened = std::fs::File::open(path).map_err(io("read", path))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, opened);
    let mut skips = Vec::new();
    let mut line = Vec::new();
    let mut number = 0u64;
    let (mut offset, mut reported) = (0u64, 0u64);
    loop {
        // Lines end at LF, CRLF or a lone CR, as `show` and `verify` count them.
        let read =
            search_core::jsonl::read_line(&mut reader, &mut line).map_err(io("read", path))?;
        if read == 0 {
            break;
        }
        offset += read as u64;
        if offset - reported >= PROGRESS_STEP {
            warnings.progress.reading(offset);
            reported = offset;
        }
        number += 1;
        let Ok(text) = std::str::from_utf8(search_core::jsonl::trim_line_end(&line)) else {
            skips.push(Skipped {
                path: format!("{}:{number}", file.path),
                reason: "not valid UTF-8; convert the file to UTF-8".into(),
            });
            continue;
        };
        // A byte order mark before the first record is not part of it.
        let text = if number == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        match parse_jsonl_record(text, number) {
            Ok(article) => {
                warnings.add(&file.path, &article.warnings);
                // A record with an empty text has nothing to index (its warning
                // says so).
                if !article.passages.is_empty() {
                    record.articles += 1;
                    record.passages += out.add_article(&article, &file.path)?;
                }
            }
            Err(Rejection(reason)) => skips.push(Skipped {
                path: format!("{}:{number}", file.path),
                reason,
            }),
        }
    }
    if record.articles == 0 {
        return Ok(FileOutcome::Rejected(Skipped {
            path: file.path.clone(),
            reason: "no JSONL record to index (each line needs an `id` and a non-empty `text`)"
                .into(),
        }));
    }
    Ok(FileOutcome::Indexed(record, skips))
}

/// The article id of a single-article file: its file stem.
pub fn doc_id_of(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(path)
        .to_string()
}
