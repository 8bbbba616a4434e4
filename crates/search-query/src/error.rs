//! Errors of the query library. User mistakes are kept apart from I/O and corrupt
//! indexes so that a program can tell "fix your query" from "fix your index".
//!
//! Every message is complete on its own: no variant has an error `source()`, so a
//! program that prints the whole chain (anyhow's `{:#}`) prints each cause once.
//! [`SearchError::Search`] wraps an [`IndexError`] transparently: its message is
//! that error's, which has no `source()` either.

use std::path::PathBuf;

use search_core::stored_text::DamagedText;
use tantivy::directory::error::{OpenDirectoryError, OpenReadError};
use tantivy::TantivyError;

use crate::citations::Lookup;

/// What can go wrong opening an index or running a search.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// There is no index at the path: nothing there, or an empty folder.
    #[error("no index in {}", folder(.0))]
    IndexNotFound(PathBuf),
    /// The path names a file (or something else that is not a folder).
    #[error("{path} is a file, not an index folder", path = .0.display())]
    NotADirectory(PathBuf),
    /// The folder holds files, but not a search index (an unrelated `meta.json`,
    /// another program's tantivy index, documents).
    #[error("{dir} is not a search index ({reason})", dir = .dir.display())]
    NotAnIndex {
        /// The folder.
        dir: PathBuf,
        /// Why it is not taken for an index.
        reason: String,
    },
    /// The folder is a search index whose first build never finished (it was
    /// killed before its first commit): there is nothing to search yet.
    #[error("no complete index in {} yet: its first build was interrupted", folder(.0))]
    Incomplete(PathBuf),
    /// The index folder or one of its files cannot be read for lack of permission.
    #[error("permission denied reading {path}", path = .path.display())]
    PermissionDenied {
        /// The folder or file that could not be read.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
    /// The index folder or one of its files cannot be read (an I/O error other
    /// than a permission problem).
    #[error("cannot read {path}: {error}", path = .path.display())]
    Unreadable {
        /// The folder or file that could not be read.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
    /// The folder holds an index this version cannot read.
    #[error("the index in {} was built by an incompatible version", folder(.0))]
    Incompatible(PathBuf),
    /// The index is damaged: a file of it does not read as what it should be.
    #[error("the index in {} is corrupt ({reason})", folder(.dir))]
    Corrupt {
        /// The index folder.
        dir: PathBuf,
        /// What failed.
        reason: String,
    },
    /// The query has no words at all (it is blank, or only `+`/`-` signs).
    #[error("the query is empty")]
    EmptyQuery,
    /// The query has characters, but none that are indexed: emoji, symbols and
    /// punctuation alone (`🙂`, `@`) match nothing.
    #[error("nothing searchable in the query `{0}`: only words and numbers are indexed, not emoji, symbols or punctuation")]
    NothingSearchable(String),
    /// The query is longer than [`MAX_QUERY_BYTES`](crate::MAX_QUERY_BYTES).
    #[error("the query is {bytes} bytes long; the most a query may have is {max} bytes")]
    QueryTooLong {
        /// The query's length in bytes.
        bytes: usize,
        /// The maximum.
        max: usize,
    },
    /// More hits were asked for than [`MAX_LIMIT`](crate::MAX_LIMIT).
    #[error("a limit of {limit} hits is too large; the most a search returns is {max}")]
    LimitTooLarge {
        /// The limit asked for.
        limit: usize,
        /// The maximum.
        max: usize,
    },
    /// A search option is out of its range (a ranking weight that is negative or not
    /// a number, feedback settings past their limits). Nothing is clamped silently.
    #[error("invalid search option `{option}`: {reason}")]
    InvalidOption {
        /// The option, as its field is named (`ranking.title`, `feedback.docs`).
        option: &'static str,
        /// What is wrong with its value, and which values are allowed.
        reason: String,
    },
    /// The text is no citation at all: it reads neither as `PATH:LINE[#N[.P]]` nor
    /// as `DOC_ID#N[.P]` (see [`Location`](crate::Location)).
    #[error("`{0}` is not a citation: use PATH:LINE, PATH:LINE#N, PATH:LINE#N.P or DOC_ID#N[.P]")]
    NotACitation(String),
    /// The citation names no passage of the index: an unknown file, article,
    /// paragraph or part, a line that holds no paragraph, or an id several
    /// articles share. `lookup` is what [`PassageIndex::lookup`](crate::PassageIndex::lookup)
    /// found, to tell which (never [`Lookup::Found`]).
    #[error("{citation}: {}", not_found(lookup))]
    CitationNotFound {
        /// The citation as given.
        citation: String,
        /// What the index holds there instead.
        lookup: Box<Lookup>,
    },
    /// Reading the index failed for another reason (an I/O error, typically).
    #[error(transparent)]
    Search(IndexError),
}

/// Why a citation names no passage, in words (the message of
/// [`SearchError::CitationNotFound`]).
fn not_found(lookup: &Lookup) -> String {
    match lookup {
        Lookup::UnknownFile { path } => format!("{path} is not a file of the index"),
        Lookup::UnknownArticle { doc_id } => format!("no article `{doc_id}` in the index"),
        Lookup::Ambiguous { doc_id, candidates } => format!(
            "{} articles have the id `{doc_id}`; name one by its file and line",
            candidates.len()
        ),
        Lookup::NoParagraph {
            paragraph,
            paragraphs,
            ..
        } => format!("the article has no paragraph {paragraph}; it has {paragraphs}"),
        Lookup::NoPart { part, parts, .. } => {
            format!("the paragraph has no part {part} ({parts} parts)")
        }
        Lookup::NotAParagraph { line, kind, .. } => format!("line {line} is {kind}"),
        Lookup::WrongParagraph { asked, found } => format!(
            "line {} holds paragraph {}, not {asked}",
            found.line, found.paragraph
        ),
        Lookup::Found(_) => "the citation names a passage".to_string(),
    }
}

/// A failure of the search engine underneath, other than those [`SearchError`]
/// names: an opaque type, so that the engine's own error type (and version) is not
/// part of this crate's API. Its message says what failed.
#[derive(Debug)]
pub struct IndexError(TantivyError);

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "search failed: {}", self.0)
    }
}

impl std::error::Error for IndexError {}

/// A folder as messages name it: with a closing `/`, so that the default `index`
/// reads as a folder ("no index in index/").
fn folder(dir: &std::path::Path) -> String {
    let shown = dir.display().to_string();
    if shown.ends_with('/') {
        shown
    } else {
        format!("{shown}/")
    }
}

/// Result alias of this crate.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// A failure inside a search or an open, before it is tied to the index folder.
#[derive(Debug)]
pub(crate) enum Failure {
    /// tantivy failed.
    Tantivy(TantivyError),
    /// Stored text (or a column pointing at it) is damaged.
    Damaged(String),
    /// tantivy panicked reading index data: the data is damaged.
    Panicked(String),
    /// An error that is already the public one.
    Typed(SearchError),
}

impl From<TantivyError> for Failure {
    fn from(error: TantivyError) -> Failure {
        Failure::Tantivy(error)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Failure {
        Failure::Tantivy(error.into())
    }
}

impl From<DamagedText> for Failure {
    fn from(error: DamagedText) -> Failure {
        Failure::Damaged(error.0)
    }
}

impl Failure {
    /// The public error, for the index in `dir`.
    pub(crate) fn at(self, dir: &std::path::Path) -> SearchError {
        let corrupt = |reason: String| SearchError::Corrupt {
            dir: dir.to_path_buf(),
            reason: one_line(&reason),
        };
        match self {
            Failure::Damaged(what) => corrupt(format!("stored passage text: {what}")),
            Failure::Panicked(what) => corrupt(format!("tantivy failed reading it: {what}")),
            Failure::Tantivy(error) => classify(dir, error),
            Failure::Typed(error) => error,
        }
    }
}

/// Sorts a tantivy error into ours: a permission problem, damage, or another
/// failure.
pub(crate) fn classify(dir: &std::path::Path, error: TantivyError) -> SearchError {
    let denied = |path: PathBuf, error: &std::io::Error| SearchError::PermissionDenied {
        path,
        error: std::io::Error::new(error.kind(), error.to_string()),
    };
    let corrupt = |reason: String| SearchError::Corrupt {
        dir: dir.to_path_buf(),
        reason: one_line(&reason),
    };
    let is_denied = |e: &std::io::Error| e.kind() == std::io::ErrorKind::PermissionDenied;
    match &error {
        TantivyError::IoError(io) if is_denied(io) => denied(dir.to_path_buf(), io),
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if is_denied(io_error) =>
        {
            denied(dir.join(filepath), io_error)
        }
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError {
            io_error,
            directory_path,
        }) if is_denied(io_error) => denied(directory_path.clone(), io_error),
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            corrupt(format!("{} is missing", path.display()))
        }
        TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(_))
        | TantivyError::IncompatibleIndex(_) => SearchError::Incompatible(dir.to_path_buf()),
        TantivyError::DataCorruption(damage) => corrupt(without_content(&format!("{damage:?}"))),
        // A stored document that does not deserialize: its bytes are damaged.
        TantivyError::DeserializeError(what) => corrupt(format!("a stored document: {what}")),
        TantivyError::IoError(io) if is_damage(io) => corrupt(io.to_string()),
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if is_damage(io_error) =>
        {
            corrupt(format!("{}: {io_error}", filepath.display()))
        }
        TantivyError::SchemaError(what) | TantivyError::InternalError(what) => {
            // tantivy reports some malformed files this way (a schema it cannot
            // parse, a block that does not hold the document it should).
            corrupt(what.clone())
        }
        _ => SearchError::Search(IndexError(error)),
    }
}

/// The first line of `reason`, at most 300 characters long: an error is one
/// message, and some of tantivy's run over several lines.
fn one_line(reason: &str) -> String {
    let line = reason.lines().next().unwrap_or_default().trim_end();
    match line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// tantivy's description of damage, without the damaged file's whole content (it
/// quotes all of `meta.json`).
fn without_content(description: &str) -> String {
    match description.find(". Content: ") {
        Some(at) => description[..at].to_string(),
        None => description.to_string(),
    }
}

/// I/O errors that tantivy raises itself, about bytes that are not what they should
/// be (a truncated file, a bad footer, an unknown version number), as opposed to
/// errors the operating system reported (which carry an OS error code).
fn is_damage(error: &std::io::Error) -> bool {
    error.raw_os_error().is_none()
        && !matches!(
            error.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::NotFound
        )
}

thread_local! {
    /// How many [`guarded`] calls the current thread is inside.
    static GUARD_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// The message of the last panic caught while reading, see [`guarded`].
    static CAUGHT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// True for a panic raised outside our own crates (`search-*`): in tantivy or the
/// crates it reads with (`tantivy-common`, `ownedbytes`, `bitpacking`...), or in
/// the standard library on their behalf. While reading an index, such a panic means
/// the bytes read are not what tantivy wrote. A panic in our code is a bug, and is
/// left alone.
fn raised_reading(location: Option<&std::panic::Location<'_>>) -> bool {
    location.is_some_and(|l| {
        !std::path::Path::new(l.file()).components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_some_and(|name| name.starts_with("search-"))
        })
    })
}

/// The end of a source path, from its crate's folder on (`tantivy-0.27.0/src/...`).
fn short_location(location: &std::panic::Location<'_>) -> String {
    let file = std::path::Path::new(location.file());
    let components: Vec<_> = file.components().collect();
    let from = components
        .iter()
        .rposition(|c| c.as_os_str() == "src")
        .map_or(0, |src| src.saturating_sub(1));
    let short: std::path::PathBuf = components[from..].iter().collect();
    format!("{}:{}", short.display(), location.line())
}

/// Installs, once, a panic hook in front of the current one that stays silent for
/// the panics [`guarded`] reports as errors, and hands every other panic to the
/// hook it replaced.
fn install_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let guarded = GUARD_DEPTH.with(|d| d.get() > 0);
            if guarded && raised_reading(info.location()) {
                let message = panic_message(info.payload());
                let at = info
                    .location()
                    .map(|l| format!(" at {}", short_location(l)))
                    .unwrap_or_default();
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{message}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// Runs `f`, which reads an index, turning a panic raised while reading (outside our
/// crates, see [`raised_reading`]) into the error `on_panic` makes of its message.
/// A panic raised in our code (a bug) goes on unwinding, printed as usual.
pub(crate) fn guarded<T, E>(
    f: impl FnOnce() -> Result<T, E>,
    on_panic: impl FnOnce(String) -> E,
) -> Result<T, E> {
    install_hook();
    CAUGHT.with(|c| c.borrow_mut().take());
    GUARD_DEPTH.with(|d| d.set(d.get() + 1));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARD_DEPTH.with(|d| d.set(d.get() - 1));
    match outcome {
        Ok(result) => result,
        Err(payload) => match CAUGHT.with(|c| c.borrow_mut().take()) {
            Some(message) => Err(on_panic(message)),
            None => std::panic::resume_unwind(payload),
        },
    }
}
