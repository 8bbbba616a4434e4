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

/// Prints the manual page, in roff, for `man -l -` or `man/man1/search.1`: the
/// program's page, then one section per subcommand with its usage and options
/// (clap_mangen lists only the subcommands' names on the main page).
pub fn man() -> anyhow::Result<Exit> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let cli = Cli::command();
    clap_mangen::Man::new(cli.clone()).render(&mut out)?;
    for sub in cli.get_subcommands() {
        // clap keeps headings as `&'static str`; this process prints one page and
        // ends, so the few bytes leaked per subcommand are of no consequence.
        let heading: &'static str =
            Box::leak(format!("SEARCH {}", sub.get_name().to_uppercase()).into_boxed_str());
        let has_options = sub.get_arguments().any(|a| !a.is_hide_set());
        if !has_options {
            continue;
        }
        // Every option under the subcommand's own heading; -h/--help is the same
        // everywhere and left out.
        let sub = sub
            .clone()
            .disable_help_flag(true)
            .mut_args(|arg| arg.help_heading(heading));
        clap_mangen::Man::new(sub).render_options_section(&mut out)?;
    }
    out.flush()?;
    Ok(Exit::Ok)
}
