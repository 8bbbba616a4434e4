//! `search query`: one query, or a batch of them.

use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::time::Instant;

use search_query::{PassageIndex, SearchOptions};

use crate::cli::{ColorChoice, Format, QueryArgs};
use crate::commands::open_or_build;
use crate::exit::Exit;
use crate::render;
use crate::CliError;

/// Runs `search query`.
pub fn run(args: &QueryArgs) -> anyhow::Result<Exit> {
    let options = SearchOptions::new()
        .limit(args.limit)
        .per_article(args.per_article)
        .typo_tolerance(!args.no_typos)
        .feedback(args.feedback.then(search_query::Feedback::default))
        .count_matches(args.count);
    if args.timings && args.batch.is_none() {
        return Err(CliError::new(Exit::Usage, "--timings goes with --batch").into());
    }
    if args.limit > search_query::MAX_LIMIT {
        // Before any query runs, so that a batch fails at once too.
        return Err(search_query::SearchError::LimitTooLarge {
            limit: args.limit,
            max: search_query::MAX_LIMIT,
        }
        .into());
    }
    if args.batch.is_none() && args.query.as_deref().is_none_or(|q| q.trim().is_empty()) {
        return Err(search_query::SearchError::EmptyQuery.into());
    }
    let index = open_or_build(&args.location.dir())?;
    if let Some(batch) = &args.batch {
        return run_batch(&index, &options, batch, args.timings);
    }
    let query = args.query.as_deref().unwrap_or_default();
    let results = index.search(query, &options)?;
    if results.hits.iter().any(|h| h.stale) {
        crate::commands::warn_stale();
    }
    for warning in &results.warnings {
        eprintln!("warning: {warning}");
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        Format::Text => render::text(&mut out, &results, use_color(args.color))?,
        Format::Json => render::json(&mut out, &results)?,
        Format::Jsonl => render::jsonl(&mut out, &results)?,
    }
    out.flush()?;
    if results.hits.is_empty() {
        eprintln!("search: no passage matches `{query}`");
        return Ok(Exit::NoMatch);
    }
    Ok(Exit::Ok)
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

/// One query per input line, one JSON object per output line; one open searcher.
fn run_batch(
    index: &PassageIndex,
    options: &SearchOptions,
    path: &std::path::Path,
    timings: bool,
) -> anyhow::Result<Exit> {
    let input: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(|e| {
            CliError::new(
                Exit::Usage,
                format!("cannot read batch file {}: {e}", path.display()),
            )
        })?;
        Box::new(io::BufReader::new(file))
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut latencies = Vec::new();
    let started = Instant::now();
    for line in input.lines() {
        let query = line?;
        if query.trim().is_empty() {
            continue;
        }
        let t = Instant::now();
        let outcome = index.search(&query, options);
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        match outcome {
            Ok(results) => serde_json::to_writer(&mut out, &results)?,
            Err(err) => serde_json::to_writer(
                &mut out,
                &serde_json::json!({"query": query, "error": err.to_string()}),
            )?,
        }
        writeln!(out)?;
    }
    out.flush()?;
    if timings {
        let total = started.elapsed().as_secs_f64();
        latencies.sort_by(f64::total_cmp);
        let pct = |p: f64| {
            if latencies.is_empty() {
                0.0
            } else {
                latencies
                    [((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1]
            }
        };
        eprintln!(
            "{}",
            serde_json::json!({
                "queries": latencies.len(),
                "seconds": total,
                "qps": if total > 0.0 { latencies.len() as f64 / total } else { 0.0 },
                "p50_ms": pct(0.50),
                "p99_ms": pct(0.99),
            })
        );
    }
    Ok(Exit::Ok)
}
