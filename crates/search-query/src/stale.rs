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
        // A search that panicked while holding the lock left verdicts that are
        // each whole (one insert at a time): keep using them.
        let mut checked = self
            .checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_cache_keeps_answering() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "text\n").unwrap();
        let mut meta = IndexMeta::new(search_core::StemLanguage::default());
        meta.roots = vec![dir.path().to_path_buf()];
        meta.root_names = vec!["corpus".into()];
        meta.files = vec![search_core::FileRecord {
            path: "corpus/a.txt".into(),
            size: 5,
            mtime_ns: 0,
            hash: search_core::content_hash(b"text\n"),
            articles: 1,
            passages: 1,
        }];
        let sources = StaleSources::default();
        let poisoned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _held = sources.checked.lock().unwrap();
            panic!("a search panicked while holding the cache");
        }));
        assert!(poisoned.is_err() && sources.checked.is_poisoned());
        assert!(!sources.is_stale(&meta, "corpus/a.txt"));
        std::fs::write(dir.path().join("a.txt"), "edited\n").unwrap();
        assert!(sources.is_stale(&meta, "corpus/a.txt"));
    }
}
