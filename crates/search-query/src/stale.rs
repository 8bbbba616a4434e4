//! Marking hits whose source changed since indexing, cheaply and once per change.
//!
//! This is the one place that trusts a source's size and modification time: a
//! query must not read every source it cites. A file whose size and time match
//! the index is taken as unchanged; only a file that differs is hashed, once per
//! change. `PassageIndex::verify` (the audit) and `PassageIndex::check` always
//! read the source.

use std::collections::HashMap;
use std::sync::Mutex;

use search_core::meta::{file_status_given, mtime_ns};
use search_core::{FileStatus, IndexMeta};

/// What a source file looked like when last checked, and the verdict.
struct Checked {
    record_hash: String,
    size: u64,
    mtime_ns: u128,
    stale: bool,
}

/// Remembers each source's verdict until the file (or its index record) changes, so
/// a file that differs in size or time is hashed once, not on every query.
#[derive(Default)]
pub struct StaleSources {
    checked: Mutex<HashMap<String, Checked>>,
}

impl StaleSources {
    /// True when the source file at `path` no longer holds what was indexed.
    pub fn is_stale(&self, meta: &IndexMeta, path: &str) -> bool {
        let Some(record) = meta.file(path) else {
            return false;
        };
        let resolved = meta.resolve(path);
        let Ok(metadata) = std::fs::metadata(&resolved) else {
            return true;
        };
        let (size, mtime) = (metadata.len(), mtime_ns(&metadata));
        let mut checked = self.checked.lock().expect("stale cache lock");
        if let Some(seen) = checked.get(path) {
            if seen.record_hash == record.hash && seen.size == size && seen.mtime_ns == mtime {
                return seen.stale;
            }
        }
        let stale = file_status_given(record, &resolved, &metadata) != FileStatus::Unchanged;
        checked.insert(
            path.to_string(),
            Checked {
                record_hash: record.hash.clone(),
                size,
                mtime_ns: mtime,
                stale,
            },
        );
        stale
    }
}
