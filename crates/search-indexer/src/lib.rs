//! Builds and updates the passage index from a news corpus.
//!
//! [`Indexer::run`] reads every `.txt`, `.md` and `.jsonl` source under the corpus
//! roots, splits articles into passages (one per paragraph, long paragraphs cut at
//! sentence boundaries) and writes one tantivy document per passage, with everything
//! its citation needs. Updates are incremental: only files whose content changed are
//! re-read, and the whole update lands in one atomic commit, so readers see either the
//! old corpus or the new one.
//!
//! Articles carry metadata (title, source, date, URL, authors): a JSONL record's
//! fields, or a `.md`/`.txt` file's YAML front matter (see [`front_matter`]). A
//! field of the wrong type, a date that does not parse or a malformed front matter
//! does not stop an article being indexed: it is reported as a [`Warning`].

#![deny(missing_docs)]

pub mod article;
pub mod boilerplate;
mod copies;
pub mod corpus;
mod folder;
pub mod front_matter;
mod ids;
mod lock;
mod metadata;
pub mod passage;
mod stored;
mod update;

use std::path::PathBuf;

pub use article::{parse_jsonl_record, parse_text_article, Article, ArticleWarning, Rejection};
pub use corpus::{
    changes_since, corpus_may_have_changed, CorpusChanges, CorpusRoot, Skipped, SourceKind,
};
pub use search_core::shard::Shard;
pub use search_core::StemLanguage;
pub use update::{doc_id_of, DuplicateId, IndexOptions, IndexReport, Indexer, Progress, Warning};

/// Why an update could not be made. The index is unchanged in every case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// A corpus root does not exist.
    #[error("corpus not found: {}", .0.display())]
    CorpusNotFound(PathBuf),
    /// No corpus was given and the index does not record one.
    #[error("no corpus to index: none was named and the index records none")]
    NoCorpus,
    /// The index folder holds other files and is not a search index.
    #[error("{dir} is not a search index ({reason}); nothing in it was changed", dir = .dir.display())]
    NotAnIndex {
        /// The folder.
        dir: PathBuf,
        /// Why it is not taken for one.
        reason: String,
    },
    /// The index path names a file, not a folder.
    #[error("{} is a file, not an index folder", .0.display())]
    NotADirectory(PathBuf),
    /// The index folder or one of its files may not be read or written by this
    /// user. The index is not damaged.
    #[error("permission denied on {}: this user may not read or write the index (its files are not damaged)", .path.display())]
    PermissionDenied {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Another process is writing the index.
    #[error("index {dir} is being updated by {holder}", dir = .dir.display(), holder = match .pid { Some(pid) => format!("process {pid}"), None => "another process".to_string() })]
    Locked {
        /// The index folder.
        dir: PathBuf,
        /// The PID of the writer, when it could be read.
        pid: Option<u32>,
    },
    /// The index is marked as ours but cannot be opened.
    #[error("index {dir} is corrupt ({reason})", dir = .dir.display())]
    Corrupt {
        /// The index folder.
        dir: PathBuf,
        /// What failed.
        reason: String,
    },
    /// A file system operation on the index failed.
    #[error("cannot {action} {}", .path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// On what.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The search engine underneath failed to write the index.
    #[error("index write failed")]
    Engine(#[source] EngineError),
}

/// A failure of the search engine the index is written with, kept opaque so that
/// the engine's version is not part of this crate's API. Its message and source
/// say what failed.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct EngineError(tantivy::TantivyError);

impl From<tantivy::TantivyError> for IndexError {
    fn from(error: tantivy::TantivyError) -> IndexError {
        IndexError::Engine(EngineError(error))
    }
}

/// The error of an OS operation `action` on `path`: a permission problem is told
/// apart from other I/O errors.
pub(crate) fn io(
    action: &'static str,
    path: &std::path::Path,
) -> impl FnOnce(std::io::Error) -> IndexError {
    let path = path.to_path_buf();
    move |source| {
        if source.kind() == std::io::ErrorKind::PermissionDenied {
            IndexError::PermissionDenied { path, source }
        } else {
            IndexError::Io {
                action,
                path,
                source,
            }
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = IndexError> = std::result::Result<T, E>;
