//! `search query`: one query, or a batch of them.

use std::io::{self, BufRead, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::time::Instant;

use search_query::{
    DateRange, Facet, PassageIndex, SearchError, SearchOptions, SearchResults, Sort,
};
use serde_json::json;

use crate::cli::{distinct_facets, Format, QueryArgs};
use crate::commands::{open_or_build, warn_stale};
use crate::exit::{self, Exit};
use crate::render::{self, safe};
use crate::{color, messages, CliError};

/// The query options `search query` and `search serve`'s API share, before they
/// become the library's [`SearchOptions`]: one mapping from flags (or API
/// parameters) to options, so that the CLI and the API answer alike.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryOptions {
    /// Maximum number of hits (`--limit`).
    pub limit: usize,
    /// Hits skipped (`--offset`).
    pub offset: usize,
    /// Score breakdowns (`--explain`).
    pub explain: bool,
    /// Only the best passage of each article (`--per-article`).
    pub per_article: bool,
    /// One hit per copy group (`--collapse`).
    pub collapse: bool,
    /// Close spellings of rare words (off with `--no-typos`).
    pub typos: bool,
    /// Pseudo-relevance feedback with its default settings (`--feedback`).
    pub feedback: bool,
    /// Count every matching passage (`--count`).
    pub count: bool,
    /// The order of the hits (`--sort`; the library's default when `None`).
    pub sort: Option<Sort>,
    /// The date range every hit must be in (`--since`, `--until`).
    pub dates: DateRange,
    /// Facets to count (`--facets`).
    pub facets: Vec<Facet>,
}

impl Default for QueryOptions {
    /// The defaults of `search query`: ten hits, typo tolerance on.
    fn default() -> Self {
        QueryOptions {
            limit: 10,
            offset: 0,
            explain: false,
            per_article: false,
            collapse: false,
            typos: true,
            feedback: false,
            count: false,
            sort: None,
            dates: DateRange::default(),
            facets: Vec::new(),
        }
    }
}

impl QueryOptions {
    /// The options of `search query ARGS`.
    pub fn from_args(args: &QueryArgs) -> QueryOptions {
        QueryOptions {
            limit: args.limit,
            offset: args.offset,
            explain: args.explain,
            per_article: args.per_article,
            collapse: args.collapse,
            typos: !args.no_typos,
            feedback: args.feedback,
            count: args.count,
            sort: args.sort.map(Sort::from),
            dates: args.dates.range(),
            facets: args.facets.clone(),
        }
    }

    /// The library's options (not yet validated: see [`SearchOptions::validate`]).
    pub fn to_search_options(&self) -> SearchOptions {
        let options = SearchOptions::new()
            .limit(self.limit)
            .offset(self.offset)
            .explain(self.explain)
            .per_article(self.per_article)
            .collapse(self.collapse)
            .typo_tolerance(self.typos)
            .feedback(self.feedback.then(search_query::Feedback::default))
            .count_matches(self.count)
            .within(self.dates)
            .facets(distinct_facets(&self.facets));
        match self.sort {
            Some(sort) => options.sort(sort),
            None => options,
        }
    }
}

/// Runs `search query`.
pub fn run(args: &QueryArgs) -> anyhow::Result<Exit> {
    let options = QueryOptions::from_args(args).to_search_options();
    if args.timings && args.batch.is_none() {
        return Err(CliError::new(Exit::Usage, "--timings goes with --batch").into());
    }
    // Before any query runs, so that a batch fails at once too.
    options.validate()?;
    let dir = args.location.dir();
    if let Some(batch) = &args.batch {
        let input = open_batch(batch)?;
        let index = open_or_build(&dir)?;
        return run_batch(&index, &options, input, args.timings, &dir);
    }
    let query = match args.query.as_deref() {
        Some("-") => query_from_stdin()?,
        query => query.unwrap_or_default().to_string(),
    };
    if query.trim().is_empty() {
        return Err(SearchError::EmptyQuery.into());
    }
    let index = open_or_build(&dir)?;
    let results = index.search(&query, &options)?;
    diagnose(&results, None);
    if results.hits.iter().any(|h| h.stale) {
        warn_stale(&dir);
    }
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format.unwrap_or(Format::Text) {
        Format::Text => {
            let color = color::enabled(args.color.choice, io::stdout().is_terminal());
            render::text(&mut out, &results, color)?
        }
        Format::Json => render::json(&mut out, &results)?,
        Format::Jsonl => render::jsonl(&mut out, &results)?,
    }
    out.flush()?;
    if results.hits.is_empty() {
        messages::outcome(format_args!("no passage matches `{}`", safe(&query)));
        return Ok(Exit::NoMatch);
    }
    Ok(Exit::Ok)
}

/// `search query -`: the whole of stdin is one query (its lines joined by spaces).
pub fn query_from_stdin() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    io::stdin().lock().read_to_end(&mut bytes)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::new(Exit::Usage, "the query read from stdin is not UTF-8 text"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" "))
}

/// Notes and warnings about one query's results, on stderr (`line N:` first in a
/// batch). JSON output carries them too, as `corrections` and `warnings`.
pub fn diagnose(results: &SearchResults, line: Option<usize>) {
    let at = line.map_or(String::new(), |n| format!("line {n}: "));
    for fix in &results.corrections {
        messages::note(format_args!(
            "{at}few or no passages contain `{}`; searched also for {}",
            safe(&fix.word),
            safe(&fix.surface)
        ));
    }
    for warning in &results.warnings {
        messages::warning(format_args!("{at}{}", safe(warning)));
    }
}

/// The batch input: a file, or stdin for `-`.
fn open_batch(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::stdin().lock()));
    }
    let file = std::fs::File::open(path).map_err(|e| {
        CliError::new(
            Exit::Usage,
            format!("cannot read batch file {}: {e}", path.display()),
        )
    })?;
    Ok(Box::new(io::BufReader::new(file)))
}

/// One query per input line, one JSON object per output line, in order, with one
/// open searcher: output line N answers input line N. A blank line (or one with
/// nothing to search) gets an empty result; a line that cannot be answered gets
/// `{"line": N, "query": …, "error": …}`, and the batch goes on. Exits 0 when every
/// line got a result, else with the status of the first line that got an error
/// (2 for a line that is not UTF-8).
fn run_batch(
    index: &PassageIndex,
    options: &SearchOptions,
    mut input: Box<dyn BufRead>,
    timings: bool,
    dir: &Path,
) -> anyhow::Result<Exit> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut status = Exit::Ok;
    let mut stale = false;
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut bytes = Vec::new();
    let mut line = 0;
    loop {
        bytes.clear();
        if input.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        line += 1;
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        }
        let query = match std::str::from_utf8(&bytes) {
            Ok(query) => query,
            Err(e) => {
                let error = format!(
                    "line {line} is not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                );
                messages::outcome(&error);
                let query = String::from_utf8_lossy(&bytes);
                render::json_line(
                    &mut out,
                    &json!({"line": line, "query": query, "error": error}),
                )?;
                if status == Exit::Ok {
                    status = Exit::Usage;
                }
                continue;
            }
        };
        let outcome = if query.trim().is_empty() {
            Err(SearchError::EmptyQuery)
        } else {
            let t = Instant::now();
            let outcome = index.search(query, options);
            latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            outcome
        };
        match outcome {
            Ok(results) => {
                diagnose(&results, Some(line));
                stale |= results.hits.iter().any(|h| h.stale);
                render::json(&mut out, &results)?;
            }
            // Nothing to search for: an empty answer, as for a blank line.
            Err(SearchError::EmptyQuery) => {
                let mut empty = json!({"query": query, "hits": []});
                if options.get_count_matches() {
                    empty["total_matches"] = json!(0);
                }
                render::json_line(&mut out, &empty)?;
            }
            Err(err) => {
                let error = exit::search_headline(&err);
                messages::outcome(format_args!("line {line}: {error}"));
                render::json_line(
                    &mut out,
                    &json!({"line": line, "query": query, "error": error}),
                )?;
                if status == Exit::Ok {
                    status = exit::of_search(&err);
                }
            }
        }
    }
    out.flush()?;
    if stale {
        warn_stale(dir);
    }
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
        let figures = json!({
            "queries": latencies.len(),
            "seconds": total,
            "qps": if total > 0.0 { latencies.len() as f64 / total } else { 0.0 },
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
        });
        let _ = writeln!(io::stderr().lock(), "{figures}");
    }
    Ok(status)
}
