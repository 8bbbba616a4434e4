//! Exit statuses, documented in the README.

use std::process::ExitCode;

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
