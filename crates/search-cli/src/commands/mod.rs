//! One module per subcommand; each turns its arguments into library calls.

pub mod eval;
pub mod index;
pub mod query;
pub mod show;
pub mod stats;
pub mod verify;

use std::path::{Path, PathBuf};

use search_core::folder::Folder;
use search_indexer::{IndexOptions, Indexer};
use search_query::PassageIndex;

use crate::progress::StderrProgress;

/// The corpus a first query builds the index from.
pub const DEFAULT_CORPUS: &str = "seeds";

/// Opens the index in `dir`, building it from `seeds/` first if it does not exist
/// and `seeds/` does. Warns when the corpus changed since the index was built.
pub fn open_or_build(dir: &Path) -> anyhow::Result<PassageIndex> {
    // Only where there is nothing yet (no folder, or an empty one): anything else
    // (a file, a folder not ours, an interrupted build) is for
    // `PassageIndex::open` to report.
    let nothing_yet = matches!(
        search_core::folder::inspect(dir),
        Folder::Missing | Folder::Empty
    );
    if nothing_yet && Path::new(DEFAULT_CORPUS).is_dir() {
        eprintln!(
            "search: no index at {}; building it from {DEFAULT_CORPUS}/ (first run)",
            dir.display()
        );
        let mut options = IndexOptions::new(dir);
        options.roots = vec![PathBuf::from(DEFAULT_CORPUS)];
        let mut progress = StderrProgress::new();
        let report = Indexer::new(options).run(&mut progress)?;
        progress.finish(&report);
    }
    let index = PassageIndex::open(dir).map_err(anyhow::Error::from)?;
    warn_if_stale(&index);
    Ok(index)
}

fn warn_if_stale(index: &PassageIndex) {
    if search_indexer::corpus_may_have_changed(&index.meta()) {
        warn_stale();
    }
}

/// The warning that the corpus changed since the index was built.
pub fn warn_stale() {
    eprintln!(
        "warning: the corpus changed since the index was built; run `just index` (or `search index`) to update it"
    );
}
