//! Exit statuses (documented in the README and in `search --help`, whose text is
//! `exit_status_help!()` in `main.rs`), and how a
//! failure maps to one and to the advice printed under it.

use std::process::ExitCode;

use search_indexer::IndexError;
use search_query::{Lookup, SearchError};

use crate::CliError;

/// Every way `search` can end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// The query matched nothing.
    NoMatch = 1,
    /// Bad usage or bad input (empty query, malformed citation).
    Usage = 2,
    /// No index, and no `seeds/` to build one from.
    IndexMissing = 3,
    /// The index is corrupt, unreadable or from an incompatible version.
    IndexCorrupt = 4,
    /// Indexing finished, but some files or records were skipped.
    Partial = 5,
    /// Another process is updating the index.
    Locked = 6,
    /// `search verify` found citations that no longer hold.
    Stale = 7,
    /// A citation or source was not found.
    NotFound = 8,
    /// The index folder or its files may not be read or written by this user.
    Permission = 9,
    /// Any other failure (I/O, for instance).
    Failure = 10,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// The exit status of a failure.
pub fn of(err: &anyhow::Error) -> Exit {
    if let Some(cli) = err.downcast_ref::<CliError>() {
        return cli.exit;
    }
    if let Some(err) = err.downcast_ref::<SearchError>() {
        return of_search(err);
    }
    if let Some(err) = err.downcast_ref::<IndexError>() {
        return match err {
            IndexError::Locked { .. } => Exit::Locked,
            IndexError::CorpusNotFound(_)
            | IndexError::NoCorpus
            | IndexError::NotAnIndex { .. }
            | IndexError::NotADirectory(_) => Exit::Usage,
            IndexError::Corrupt { .. } => Exit::IndexCorrupt,
            IndexError::PermissionDenied { .. } => Exit::Permission,
            _ => Exit::Failure,
        };
    }
    Exit::Failure
}

/// The exit status of a failed search.
pub fn of_search(err: &SearchError) -> Exit {
    match err {
        SearchError::IndexNotFound(_) | SearchError::Incomplete(_) => Exit::IndexMissing,
        SearchError::Incompatible(_) | SearchError::Corrupt { .. } => Exit::IndexCorrupt,
        // `--index` names something that is not an index: a usage mistake.
        SearchError::NotADirectory(_)
        | SearchError::NotAnIndex { .. }
        | SearchError::EmptyQuery
        | SearchError::NothingSearchable(_)
        | SearchError::QueryTooLong { .. }
        | SearchError::LimitTooLarge { .. }
        | SearchError::InvalidOption { .. }
        | SearchError::NotACitation(_) => Exit::Usage,
        // As `search show`: an id several articles share is a usage mistake.
        SearchError::CitationNotFound { lookup, .. } => match **lookup {
            Lookup::Ambiguous { .. } => Exit::Usage,
            _ => Exit::NotFound,
        },
        SearchError::PermissionDenied { .. } => Exit::Permission,
        _ => Exit::Failure,
    }
}

/// What failed, in one line. For the library's errors the CLI words the line itself
/// from the error's fields, so that advice a library message may carry (naming
/// commands, which only the CLI knows) is never printed twice or wrongly.
pub fn headline(err: &anyhow::Error) -> String {
    if let Some(err) = err.downcast_ref::<SearchError>() {
        return search_headline(err);
    }
    format!("{err:#}")
}

/// [`headline`] of a failed search: the library's message, which says what failed
/// and names no command.
pub fn search_headline(err: &SearchError) -> String {
    err.to_string()
}

/// What the user can do about a failure: the library says what failed, the CLI
/// says which `search` command or flag helps.
pub fn remedy(err: &anyhow::Error) -> Option<String> {
    if let Some(err) = err.downcast_ref::<CliError>() {
        return err.remedy.clone();
    }
    if let Some(err) = err.downcast_ref::<SearchError>() {
        return search_remedy(err);
    }
    let err = err.downcast_ref::<IndexError>()?;
    Some(match err {
        IndexError::CorpusNotFound(_) => {
            "name an existing folder or .txt, .md or .jsonl file".to_string()
        }
        IndexError::NoCorpus => "name a folder or file to index, e.g. `search index seeds/`".into(),
        IndexError::NotAnIndex { .. } | IndexError::NotADirectory(_) => {
            "choose an empty or new folder with --index".into()
        }
        IndexError::PermissionDenied { .. } => {
            "check the folder's owner and permissions, or run as the user who built the index"
                .into()
        }
        IndexError::Locked { .. } => "wait for it to finish, or use another --index".into(),
        IndexError::Corrupt { dir, .. } => format!(
            "rebuild it with `search index --rebuild --index {}`",
            dir.display()
        ),
        _ => return None,
    })
}

/// [`remedy`] for a failed search.
pub fn search_remedy(err: &SearchError) -> Option<String> {
    Some(match err {
        SearchError::IndexNotFound(dir) => format!(
            "build one with `search index CORPUS --index {}`",
            dir.display()
        ),
        SearchError::Incompatible(dir) | SearchError::Corrupt { dir, .. } => format!(
            "rebuild it with `search index --rebuild --index {}`",
            dir.display()
        ),
        SearchError::Incomplete(dir) => format!(
            "finish it with `search index CORPUS --index {}`",
            dir.display()
        ),
        SearchError::NotADirectory(_) | SearchError::NotAnIndex { .. } => {
            "name an index folder with --index (or an empty folder, to build one)".to_string()
        }
        SearchError::PermissionDenied { .. } => {
            "check the folder's owner and permissions, or run as the user who built the index"
                .to_string()
        }
        SearchError::EmptyQuery | SearchError::NothingSearchable(_) => {
            "give at least one word, e.g. `search query \"frozen assets\"`".to_string()
        }
        _ => return None,
    })
}

/// True when the failure is a write to a closed pipe (`search … | head`), which
/// ends quietly with 0. serde_json keeps the I/O error inside its own error type
/// (its `source()` skips it), so it is looked for there too.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            Some(io.kind())
        } else {
            cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_listed_in_the_help() {
        for exit in [
            Exit::Ok,
            Exit::NoMatch,
            Exit::Usage,
            Exit::IndexMissing,
            Exit::IndexCorrupt,
            Exit::Partial,
            Exit::Locked,
            Exit::Stale,
            Exit::NotFound,
            Exit::Permission,
            Exit::Failure,
        ] {
            let code = format!("\n  {:<3} ", exit as u8);
            assert!(
                exit_status_help!().contains(&code),
                "{exit:?} is not listed"
            );
        }
    }

    #[test]
    fn a_broken_pipe_inside_a_json_error_is_recognised() {
        struct Closed;
        impl std::io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let err = serde_json::to_writer(Closed, &[1, 2, 3]).unwrap_err();
        assert!(is_broken_pipe(&err.into()));
        let other = std::io::Error::other("disk full");
        assert!(!is_broken_pipe(&other.into()));
    }

    #[test]
    fn library_errors_get_one_headline_and_one_remedy() {
        let err = anyhow::Error::from(SearchError::IndexNotFound("idx".into()));
        assert_eq!(headline(&err), "no index in idx/");
        assert_eq!(
            remedy(&err).as_deref(),
            Some("build one with `search index CORPUS --index idx`")
        );
    }
}
