//! Checking every citation against its source as it is now: the audit.
//!
//! [`PassageIndex::verify`] reads every source file, hashes it and checks every
//! cited range, every time: a file edited in place to the same size with its
//! modification time put back is caught. [`VerifyMode::Quick`] trusts a file whose
//! size and modification time match the index, the way the per-query stale check
//! does, and is named as such.

use search_core::{Citation, FileStatus};
use serde::Serialize;

use crate::citations::CitationStatus;
use crate::error::Result;
use crate::PassageIndex;

/// How thoroughly [`PassageIndex::verify_with`] checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum VerifyMode {
    /// Read and hash every source file and check every cited range.
    #[default]
    Full,
    /// Trust a file whose size and modification time match the index; read only
    /// the others. Fast, but blind to an edit that keeps both.
    Quick,
}

/// What `PassageIndex::verify` found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VerifyReport {
    /// How the sources were checked.
    pub mode: VerifyMode,
    /// Source files checked.
    pub files_checked: usize,
    /// Source files read and hashed (all of them in [`VerifyMode::Full`]).
    pub files_hashed: usize,
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
    /// Re-reads and hashes every source and reports every citation that no longer
    /// holds ([`VerifyMode::Full`]).
    pub fn verify(&self) -> Result<VerifyReport> {
        self.verify_with(VerifyMode::Full)
    }

    /// [`PassageIndex::verify`], as thorough as `mode` says.
    pub fn verify_with(&self, mode: VerifyMode) -> Result<VerifyReport> {
        // One commit's metadata and passages throughout.
        let snapshot = self.snapshot();
        let meta = &snapshot.meta;
        let mut report = VerifyReport {
            mode,
            files_checked: meta.files.len(),
            ..VerifyReport::default()
        };
        for record in &meta.files {
            if mode == VerifyMode::Quick && meta.file_status(record) == FileStatus::Unchanged {
                continue;
            }
            let checked = self.check_file(&snapshot, &record.path, true)?;
            if !checked.readable {
                report.files_missing.push(record.path.clone());
            } else {
                report.files_hashed += 1;
                if checked.hash.as_deref() != Some(record.hash.as_str()) {
                    report.files_changed.push(record.path.clone());
                }
            }
            for (citation, status) in checked.stale {
                let reason = match status {
                    CitationStatus::Stale { reason } => reason.to_string(),
                    CitationStatus::Missing => "the source file is gone".to_string(),
                    _ => "the index no longer holds the passage".to_string(),
                };
                report.stale.push(StaleCitation { citation, reason });
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
}
