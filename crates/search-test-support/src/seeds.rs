//! The repository's shipped seeds and the questions asked of them.

use std::path::{Path, PathBuf};

/// The repository root (for `seeds/` and `testdata/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copies the repository's `seeds/` into `dest` (created); returns `dest`.
pub fn copy_seeds(dest: &Path) -> PathBuf {
    std::fs::create_dir_all(dest).expect("create the seeds folder");
    for entry in std::fs::read_dir(repo_root().join("seeds")).expect("read seeds/") {
        let entry = entry.expect("read seeds/");
        std::fs::copy(entry.path(), dest.join(entry.file_name())).expect("copy a seed");
    }
    dest.to_path_buf()
}

/// One line of `testdata/seed-queries.tsv`: a question, how many hits to look at,
/// and the passages (any of these substrings) that answer it.
#[derive(Debug, Clone)]
pub struct SeedQuestion {
    /// The query.
    pub query: String,
    /// An accepted passage must be among the first `k` hits.
    pub k: usize,
    /// Substrings of the passages that answer it.
    pub accepted: Vec<String>,
}

/// The questions of `testdata/seed-queries.tsv`.
pub fn seed_questions() -> Vec<SeedQuestion> {
    let table = std::fs::read_to_string(repo_root().join("testdata/seed-queries.tsv"))
        .expect("read testdata/seed-queries.tsv");
    let questions: Vec<SeedQuestion> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "malformed seed question line {l:?}");
            SeedQuestion {
                query: cols[0].to_string(),
                k: cols[1].parse().expect("k is a number"),
                accepted: cols[2].split('|').map(str::to_string).collect(),
            }
        })
        .collect();
    assert!(questions.len() >= 5, "seed-queries.tsv lost its questions");
    questions
}
