//! `search completions SHELL` and `search man`: generated from the clap definitions,
//! so they never drift from `--help`.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::Exit;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Exit> {
    let mut command = Cli::command();
    // Into memory first: clap_complete panics on a failed write (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "search", &mut script);
    io::stdout().lock().write_all(&script)?;
    Ok(Exit::Ok)
}

/// Prints the manual page, in roff, for `man -l -` or `man/man1/search.1`.
pub fn man() -> anyhow::Result<Exit> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    out.flush()?;
    Ok(Exit::Ok)
}
