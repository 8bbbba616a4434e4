//! Helpers of the indexer's integration tests: one-call wrappers around the
//! indexer and the query library. The seeded generator and the generated corpus
//! come from `search-test-support`.

use std::path::Path;

use search_indexer::{IndexOptions, IndexReport, Indexer};
use search_query::{PassageIndex, SearchOptions, SearchResults};

pub use search_test_support::news::*;
pub use search_test_support::Rng;

/// Indexer options for `index` over `roots`. One thread: each commit makes one
/// segment, so a run is the same every time (several threads deal passages to
/// segments differently from run to run).
pub fn options(index: &Path, roots: &[&Path], rebuild: bool) -> IndexOptions {
    let mut options = IndexOptions::new(index);
    options.roots = roots.iter().map(|r| r.to_path_buf()).collect();
    options.rebuild = rebuild;
    options.threads = 1;
    options.memory_budget = 32 * 1024 * 1024;
    options
}

/// Runs the indexer, panicking with the error.
pub fn index(index: &Path, roots: &[&Path], rebuild: bool) -> IndexReport {
    Indexer::new(options(index, roots, rebuild))
        .run(&mut ())
        .unwrap_or_else(|e| panic!("indexing {} failed: {e}", index.display()))
}

/// Opens an index for reading.
pub fn open(index: &Path) -> PassageIndex {
    PassageIndex::open(index).unwrap_or_else(|e| panic!("open {}: {e}", index.display()))
}

/// Runs a query without typo tolerance (exact words only).
pub fn search_exact(index: &PassageIndex, query: &str, limit: usize) -> SearchResults {
    index
        .search(
            query,
            &SearchOptions::new().limit(limit).typo_tolerance(false),
        )
        .unwrap_or_else(|e| panic!("query {query:?}: {e}"))
}

/// The segments of the index's last commit, from its `meta.json`: (id, max_doc,
/// deleted docs).
pub fn segments(index: &Path) -> Vec<(String, u64, u64)> {
    let text = std::fs::read_to_string(index.join("meta.json")).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&text).unwrap();
    meta["segments"]
        .as_array()
        .expect("meta.json lists segments")
        .iter()
        .map(|s| {
            (
                s["segment_id"].as_str().unwrap_or_default().to_string(),
                s["max_doc"].as_u64().unwrap_or(0),
                s["deletes"]["num_deleted_docs"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// A copy of the index in `dir` with all its segments merged into one, so deleted
/// passages are gone for good (diagnostics: separates the effect of deletes).
pub fn merged_copy(dir: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let index = tantivy::Index::open_in_dir(copy.path()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let ids = index.searchable_segment_ids().unwrap();
    if ids.len() > 1 || segments(dir).iter().any(|s| s.2 > 0) {
        writer.merge(&ids).wait().unwrap();
    }
    writer.wait_merging_threads().unwrap();
    copy
}
