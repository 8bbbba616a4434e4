//! `search index`: build or update the index.

use std::path::{Path, PathBuf};

use search_indexer::{IndexOptions, Indexer};

use crate::cli::IndexArgs;
use crate::commands::DEFAULT_CORPUS;
use crate::exit::Exit;
use crate::messages;
use crate::progress::StderrProgress;
use crate::render::safe;

/// Set (to anything) in the environment of `search index`, copy groups are not
/// computed: `--collapse` then folds nothing. For measuring what they cost.
pub const NO_COPY_GROUPS: &str = "SEARCH_NO_COPY_GROUPS";

/// Runs `search index`.
pub fn run(args: &IndexArgs) -> anyhow::Result<Exit> {
    let dir = args.location.dir();
    let mut options = IndexOptions::new(&dir);
    options.roots = args.corpus.clone();
    if options.roots.is_empty() && search_core::folder::needs_first_build(&dir) {
        // A new index (or one whose first build was interrupted) with no corpus
        // named: the shipped seeds.
        options.roots = vec![PathBuf::from(DEFAULT_CORPUS)];
    }
    options.rebuild = args.rebuild;
    options.threads = args.threads.unwrap_or(0);
    if args.follow_links {
        options.follow_links = Some(true);
    }
    options.language = args.language;
    // For the cost benchmark (`just bench-copies`): the same build without copy
    // groups.
    options.copy_groups = std::env::var_os(NO_COPY_GROUPS).is_none();
    let mut progress = StderrProgress::new();
    let report = Indexer::new(options).run(&mut progress)?;
    progress.finish(&report);
    for duplicate in &report.duplicate_ids {
        messages::warning(format_args!(
            "two articles have the id `{}`: {} and {}; both are indexed, cite them by path (`search show {}#N` cannot tell them apart)",
            safe(&duplicate.id),
            safe(&duplicate.first.to_string()),
            safe(&duplicate.second.to_string()),
            safe(&duplicate.id)
        ));
    }
    if report.skipped.is_empty() {
        Ok(Exit::Ok)
    } else {
        messages::outcome(format_args!(
            "{} skipped (listed above); the rest is indexed in {}",
            match report.skipped.len() {
                1 => "1 file or record was".to_string(),
                n => format!("{n} files or records were"),
            },
            Path::new(&dir).display()
        ));
        Ok(Exit::Partial)
    }
}
