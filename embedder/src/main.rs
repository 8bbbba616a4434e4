//! An embedder of the search library, built as a crate outside the workspace: it
//! uses only what `search-query` and `search-indexer` export.
//!
//! It indexes the repository's `seeds/` (or the folder given as its argument) into
//! a temporary folder, runs a list of queries from several threads at once over one
//! shared `PassageIndex`, and checks every citation against its source. It exits
//! with 1 when a citation does not hold or a thread fails, and 2 on any error.
//!
//! ```sh
//! cargo run --manifest-path embedder/Cargo.toml --target-dir target [CORPUS]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use search_indexer::{IndexOptions, Indexer};
use search_query::{CitationStatus, PassageIndex, SearchOptions};

const QUERIES: &[&str] = &[
    "frozen assets",
    "Miami talks",
    "\"peace plan\"",
    "Witkof",
    "Ukraine Russia envoys",
    "security guarantees",
];

fn main() -> ExitCode {
    match run() {
        Ok(0) => {
            println!("every citation holds");
            ExitCode::SUCCESS
        }
        Ok(failures) => {
            eprintln!("{failures} failure(s)");
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Builds, searches and checks; returns how many citations or threads failed.
fn run() -> Result<usize, Box<dyn std::error::Error>> {
    let corpus = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../seeds"),
        PathBuf::from,
    );
    let scratch = Scratch::new()?;
    let mut options = IndexOptions::new(scratch.0.join("index"));
    options.roots = vec![corpus];
    Indexer::new(options).run(&mut ())?;

    let index = PassageIndex::open(scratch.0.join("index"))?;
    let info = index.info();
    println!(
        "{} files, {} passages; analyzer v{}",
        info.file_count(),
        info.passage_count(),
        info.analyzer_version()
    );
    let options = SearchOptions::new().limit(20);
    options.validate()?;

    let mut failures = 0;
    let mut hits = 0;
    std::thread::scope(|scope| {
        let workers: Vec<_> = QUERIES
            .iter()
            .map(|&query| {
                let (index, options) = (&index, &options);
                scope.spawn(move || check_query(index, query, options))
            })
            .collect();
        for (worker, query) in workers.into_iter().zip(QUERIES) {
            match worker.join() {
                Ok(Ok((found, broken))) => {
                    println!("{query:?}: {found} hits, {broken} broken citations");
                    hits += found;
                    failures += broken;
                }
                Ok(Err(error)) => {
                    eprintln!("{query:?}: {error}");
                    failures += 1;
                }
                Err(_) => {
                    eprintln!("{query:?}: the thread panicked");
                    failures += 1;
                }
            }
        }
    });
    if hits == 0 {
        eprintln!("no query found anything");
        failures += 1;
    }
    Ok(failures)
}

/// Runs one query and checks each hit's citation: returns the hits and how many
/// citations do not hold.
fn check_query(
    index: &PassageIndex,
    query: &str,
    options: &SearchOptions,
) -> search_query::Result<(usize, usize)> {
    let results = index.search(query, options)?;
    let mut broken = 0;
    for hit in &results.hits {
        let citation = &hit.citation;
        let status = index.check(citation)?;
        let source = index.source_path(citation);
        let exact = source
            .as_ref()
            .and_then(|path| std::fs::read(path).ok())
            .is_some_and(|bytes| {
                citation.is_record()
                    || bytes.get(citation.byte_range()) == Some(hit.text.as_bytes())
            });
        if status != CitationStatus::Holds || !exact {
            eprintln!(
                "{query:?}: {} does not hold ({status:?})",
                citation.location()
            );
            broken += 1;
        }
    }
    Ok((results.hits.len(), broken))
}

/// A folder in the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("embedder-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
