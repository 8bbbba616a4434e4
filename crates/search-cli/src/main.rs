//! `search`: index news articles paragraph by paragraph and answer queries with
//! ranked passages and citations you can check.

/// The exit statuses, as `search --help` prints them (a macro so that clap's
/// attributes can `concat!` it). `exit::EXIT_STATUS_HELP` is the same text.
macro_rules! exit_status_help {
    () => {
        "\
Exit status:
  0   success
  1   the query matched nothing
  2   bad usage or input (unknown option, empty query, malformed citation, a
      folder that is not an index); with --batch, some line got an error object
  3   no index, and no seeds/ to build one from
  4   the index is corrupt, unreadable or from an incompatible version
  5   indexing finished but some files or records were skipped
  6   another process is updating the index
  7   citations no longer hold (search verify, search show)
  8   search show, search related: the citation names no indexed file,
      article or paragraph
  9   the index may not be read or written by this user
  10  any other failure (I/O)
A closed stdout (search ... | head) ends quietly with 0."
    };
}

mod cli;
mod color;
mod commands;
mod exit;
mod messages;
mod progress;
mod render;
mod serve;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

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
    /// What the user can do about it (printed on the next line).
    pub remedy: Option<String>,
}

impl CliError {
    /// An error ending with `exit`, saying `message`.
    pub fn new(exit: Exit, message: impl Into<String>) -> CliError {
        CliError {
            exit,
            message: message.into(),
            remedy: None,
        }
    }

    /// The same error, with advice printed under it.
    pub fn with_remedy(mut self, remedy: impl Into<String>) -> CliError {
        self.remedy = Some(remedy.into());
        self
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
    if let Err(usage) = cli.check() {
        usage.exit();
    }
    messages::set_quiet(cli.quiet);
    match run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => {
            if exit::is_broken_pipe(&err) {
                return Exit::Ok.into();
            }
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "search: {}", exit::headline(&err));
            if let Some(remedy) = exit::remedy(&err) {
                let _ = writeln!(stderr, "  {remedy}");
            }
            exit::of(&err).into()
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Index(args) => commands::index::run(&args),
        Command::Query(args) => commands::query::run(&args),
        Command::Show(args) => commands::show::run(&args),
        Command::Related(args) => commands::related::run(&args),
        Command::Eval(args) => commands::eval::run(&args),
        Command::Verify(args) => commands::verify::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
        Command::Facets(args) => commands::facets::run(&args),
        Command::Sources(args) => commands::facets::sources(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Completions(args) => commands::generate::completions(args.shell),
        Command::Man => commands::generate::man(),
    }
}
