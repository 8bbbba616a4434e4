//! The one error type of the crate.

use std::path::PathBuf;

/// Everything that can go wrong while reading or writing evaluation files.
///
/// Parse errors carry the 1-based line number so a bad line in a
/// thousand-line qrels or run file can be found at once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A file could not be opened or read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file that was being read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// Writing a run to its destination failed.
    #[error("cannot write run")]
    Write(#[source] std::io::Error),

    /// A qrels line is not `qid iter docid gain`, or repeats a judgment.
    #[error("qrels line {line}: {reason}")]
    Qrels {
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },

    /// A topics line is not `qid<TAB>question`, or repeats a qid.
    #[error("topics line {line}: {reason}")]
    Topics {
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },

    /// A run line is not `qid Q0 docid rank score tag`.
    #[error("run line {line}: {reason}")]
    Run {
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },

    /// A value cannot be written into a run file: an id or tag that is
    /// empty or contains whitespace would shift the columns, and a NaN score
    /// has no place in a ranking.
    #[error("cannot write run: invalid {field} {value:?}: {reason}")]
    InvalidRunField {
        /// Which column: `qid`, `docid`, `score` or `tag`.
        field: &'static str,
        /// The offending value, as text.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
}

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, EvalError>;
