//! Checking citations against their sources as they are now.
//!
//! Cheap by design: a file whose size and modification time match the index is
//! taken as unchanged; only files that differ are hashed, and only the passages of
//! files whose hash differs are checked one by one.

use search_core::{passage_hash, Citation, FileStatus};
use serde::Serialize;
use tantivy::Term;

use crate::error::Result;
use crate::index::Snapshot;
use crate::PassageIndex;

/// What `PassageIndex::verify` found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VerifyReport {
    /// Source files checked.
    pub files_checked: usize,
    /// Files whose content changed since indexing.
    pub files_changed: Vec<String>,
    /// Files that are gone or unreadable.
    pub files_missing: Vec<String>,
    /// Passages whose cited bytes no longer hold the indexed text.
    pub stale: Vec<StaleCitation>,
}

impl VerifyReport {
    /// True when every citation still holds.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty()
    }
}

/// A citation that no longer holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleCitation {
    /// The citation as indexed.
    pub citation: Citation,
    /// Why it no longer holds.
    pub reason: String,
}

impl PassageIndex {
    /// Re-reads the sources and reports every citation that no longer holds.
    pub fn verify(&self) -> Result<VerifyReport> {
        // One commit's metadata and passages throughout.
        let snapshot = self.snapshot();
        let meta = &snapshot.meta;
        let mut report = VerifyReport {
            files_checked: meta.files.len(),
            ..VerifyReport::default()
        };
        for record in &meta.files {
            let status = meta.file_status(record);
            if status == FileStatus::Unchanged {
                continue;
            }
            let source = std::fs::read(meta.resolve(&record.path)).ok();
            match status {
                FileStatus::Missing => report.files_missing.push(record.path.clone()),
                _ => report.files_changed.push(record.path.clone()),
            }
            for (citation, hash) in self.passages_of_file(&snapshot, &record.path)? {
                let reason = match &source {
                    None => Some("the source file is gone".to_string()),
                    Some(bytes) => check_passage(bytes, &citation, hash),
                };
                if let Some(reason) = reason {
                    report.stale.push(StaleCitation { citation, reason });
                }
            }
        }
        report.stale.sort_by(|a, b| {
            (&a.citation.path, a.citation.line, a.citation.byte_start).cmp(&(
                &b.citation.path,
                b.citation.line,
                b.citation.byte_start,
            ))
        });
        Ok(report)
    }

    /// Every indexed passage of one source file, with its stored text hash.
    fn passages_of_file(&self, snapshot: &Snapshot, path: &str) -> Result<Vec<(Citation, u64)>> {
        let generation = self.generation(snapshot)?;
        let term = Term::from_field_text(self.fields().path, path);
        Ok(self
            .passages_with(&snapshot.searcher, &generation, term)?
            .into_iter()
            .map(|(address, _, citation)| {
                let columns = &generation.columns[address.segment_ord as usize];
                (citation, columns.passage_hash(address.doc_id))
            })
            .collect())
    }
}

/// Why the cited bytes of `source` no longer hold the passage, if they don't.
fn check_passage(source: &[u8], citation: &Citation, hash: u64) -> Option<String> {
    let is_jsonl = citation.path.ends_with(".jsonl") || citation.path.ends_with(".ndjson");
    let record_text;
    let text: &[u8] = if is_jsonl {
        let line = source
            .split(|&b| b == b'\n')
            .nth(citation.line.saturating_sub(1) as usize);
        let value = line.and_then(|l| serde_json::from_slice::<serde_json::Value>(l).ok());
        match value.as_ref().and_then(|v| v["text"].as_str()) {
            Some(t) => {
                record_text = t.to_string();
                record_text.as_bytes()
            }
            None => {
                return Some(format!(
                    "line {} no longer holds a record with `text`",
                    citation.line
                ))
            }
        }
    } else {
        source
    };
    let range = citation.byte_start as usize..citation.byte_end as usize;
    match text.get(range).map(std::str::from_utf8) {
        Some(Ok(cited)) if passage_hash(cited) == hash => None,
        Some(_) => Some("the cited bytes changed".to_string()),
        None => Some("the cited range is past the end of the source".to_string()),
    }
}
