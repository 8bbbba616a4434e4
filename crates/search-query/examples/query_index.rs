//! Queries an index and prints each hit with its citation, checked against the
//! source as it is now.
//!
//! ```sh
//! search index seeds --index index          # or `just index`
//! cargo run -p search-query --example query_index -- index "frozen assets"
//! ```
//!
//! The index folder is the first argument; the query is the second. It runs from
//! any directory: the index resolves the paths it recorded through its corpus
//! roots, and `check` reads a `.jsonl` citation in its record's decoded text, where
//! its byte range counts.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use search_query::{CitationStatus, PassageIndex, SearchOptions};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(index_dir), query) = (args.next(), args.next()) else {
        eprintln!("usage: query_index INDEX_DIR [QUERY]");
        return ExitCode::from(2);
    };
    let query = query.map_or_else(
        || "frozen assets".to_string(),
        |q| q.to_string_lossy().into_owned(),
    );
    let mut out = std::io::stdout().lock();
    match run(Path::new(&index_dir), &query, &mut out) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Searches `index_dir` for `query`, writes the hits to `out`, and returns how many
/// of their citations do not hold.
pub fn run(
    index_dir: &Path,
    query: &str,
    out: &mut impl Write,
) -> Result<usize, Box<dyn std::error::Error>> {
    // Open once; `search` takes `&self`, so the index can be shared across threads.
    let index = PassageIndex::open(index_dir)?;
    let results = index.search(query, &SearchOptions::new().limit(5))?;

    for fix in &results.corrections {
        writeln!(
            out,
            "(also searched `{}` for `{}`)",
            fix.replacement, fix.word
        )?;
    }
    let mut broken = 0;
    for hit in &results.hits {
        let c = &hit.citation;
        writeln!(
            out,
            "{}. [{:.2}] {} ¶{}",
            hit.rank,
            hit.score,
            c.location(),
            c.paragraph
        )?;
        writeln!(out, "   {}", hit.text)?;
        // Where the source is, whatever the current directory.
        if let Some(source) = index.source_path(c) {
            writeln!(out, "   source: {}", source.display())?;
        }
        // The citation is verifiable: the source's bytes at its range are the passage.
        let status = index.check(c)?;
        writeln!(out, "   citation: {status:?}")?;
        if status != CitationStatus::Holds {
            broken += 1;
        }
    }
    Ok(broken)
}
