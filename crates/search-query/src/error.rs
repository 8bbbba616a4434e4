//! Errors of the query library. User mistakes are kept apart from I/O and corrupt
//! indexes so that a program can tell "fix your query" from "fix your index".

use std::path::PathBuf;

/// What can go wrong opening an index or running a search.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// There is no index in the folder.
    #[error("no index at {dir}: build one with `search index CORPUS --index {dir}` (or `just index`)", dir = .0.display())]
    IndexNotFound(PathBuf),
    /// The folder holds an index this version cannot read.
    #[error("index at {dir} was built by an incompatible version; rebuild it with `search index --rebuild --index {dir}`", dir = .0.display())]
    Incompatible(PathBuf),
    /// The index is damaged or unreadable.
    #[error("index at {dir} is corrupt or unreadable ({reason}); rebuild it with `search index --rebuild`", dir = .dir.display())]
    Corrupt {
        /// The index folder.
        dir: PathBuf,
        /// What failed.
        reason: String,
    },
    /// The query has no words to search for.
    #[error("the query is empty: give at least one word, e.g. `search query \"frozen assets\"`")]
    EmptyQuery,
    /// A search failed inside tantivy (I/O while reading the index, typically).
    #[error("search failed: {0}")]
    Search(#[from] tantivy::TantivyError),
}

/// Result alias of this crate.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;
