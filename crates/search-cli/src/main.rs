//! `search`: index news articles paragraph by paragraph and answer queries with
//! ranked passages and citations you can check.

mod cli;
mod commands;
mod exit;
mod progress;
mod render;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use search_indexer::IndexError;
use search_query::SearchError;

use crate::cli::{Cli, Command};
use crate::exit::Exit;

// Indexing threads free documents another thread allocated; glibc's malloc
// serializes that on arena locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// An error that already knows its exit status and message.
#[derive(Debug)]
pub struct CliError {
    /// The exit status.
    pub exit: Exit,
    /// What to tell the user.
    pub message: String,
}

impl CliError {
    /// An error ending with `exit`, saying `message`.
    pub fn new(exit: Exit, message: impl Into<String>) -> CliError {
        CliError {
            exit,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => {
            if is_broken_pipe(&err) {
                return Exit::Ok.into();
            }
            let exit = exit_for(&err);
            let _ = writeln!(std::io::stderr(), "search: {err:#}");
            exit.into()
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Index(args) => commands::index::run(&args),
        Command::Query(args) => commands::query::run(&args),
        Command::Show(args) => commands::show::run(&args),
        Command::Eval(args) => commands::eval::run(&args),
        Command::Verify(args) => commands::verify::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
    }
}

fn exit_for(err: &anyhow::Error) -> Exit {
    if let Some(cli) = err.downcast_ref::<CliError>() {
        return cli.exit;
    }
    if let Some(err) = err.downcast_ref::<SearchError>() {
        return match err {
            SearchError::IndexNotFound(_) | SearchError::Incomplete(_) => Exit::IndexMissing,
            SearchError::Incompatible(_) | SearchError::Corrupt { .. } => Exit::IndexCorrupt,
            // `--index` names something that is not an index: a usage mistake.
            SearchError::NotADirectory(_) | SearchError::NotAnIndex { .. } => Exit::Usage,
            SearchError::EmptyQuery
            | SearchError::NothingSearchable(_)
            | SearchError::QueryTooLong { .. }
            | SearchError::LimitTooLarge { .. } => Exit::Usage,
            // Permission problems and other I/O: not the index's fault.
            _ => Exit::Failure,
        };
    }
    if let Some(err) = err.downcast_ref::<IndexError>() {
        return match err {
            IndexError::Locked { .. } => Exit::Locked,
            IndexError::CorpusNotFound(_) | IndexError::NoCorpus | IndexError::NotAnIndex(_) => {
                Exit::Usage
            }
            IndexError::Corrupt { .. } => Exit::IndexCorrupt,
            _ => Exit::Failure,
        };
    }
    Exit::Failure
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
