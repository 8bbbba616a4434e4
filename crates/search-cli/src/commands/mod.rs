//! One module per subcommand; each turns its arguments into library calls.

pub mod eval;
pub mod facets;
pub mod generate;
pub mod index;
pub mod query;
pub mod related;
pub mod show;
pub mod stats;
pub mod verify;

use std::path::{Path, PathBuf};

use search_indexer::{IndexOptions, Indexer};
use search_query::PassageIndex;

use crate::messages;
use crate::progress::StderrProgress;

/// The corpus a first query builds the index from.
pub const DEFAULT_CORPUS: &str = "seeds";

/// Opens the index in `dir`, building it from `seeds/` first if it does not exist
/// and `seeds/` does. Warns when the corpus changed since the index was built.
pub fn open_or_build(dir: &Path) -> anyhow::Result<PassageIndex> {
    // No index yet: nothing there, an empty folder, or a first build that was
    // interrupted.
    if search_core::folder::needs_first_build(dir) && Path::new(DEFAULT_CORPUS).is_dir() {
        messages::note(format_args!(
            "no index in {}/ yet; building it from {DEFAULT_CORPUS}/ (first run)",
            dir.display().to_string().trim_end_matches('/')
        ));
        let mut options = IndexOptions::new(dir);
        options.roots = vec![PathBuf::from(DEFAULT_CORPUS)];
        let mut progress = StderrProgress::new();
        let report = Indexer::new(options).run(&mut progress)?;
        progress.finish(&report);
    }
    let index = open(dir)?;
    if search_indexer::corpus_may_have_changed(index.info().record()) {
        warn_stale(dir);
    }
    Ok(index)
}

/// Opens the index in `dir` read-only.
pub fn open(dir: &Path) -> anyhow::Result<PassageIndex> {
    Ok(PassageIndex::open(dir)?)
}

/// The warning that the corpus changed since the index in `dir` was built.
pub fn warn_stale(dir: &Path) {
    messages::warning(format_args!(
        "the corpus changed since the index was built; run `{}` to update it",
        reindex_command(dir)
    ));
}

/// The command that brings the index in `dir` up to date: `search index`, with
/// `--index DIR` unless it is the default folder.
pub fn reindex_command(dir: &Path) -> String {
    if dir == Path::new("index") {
        "search index".to_string()
    } else {
        format!(
            "search index --index {}",
            crate::render::safe(&dir.display().to_string())
        )
    }
}
