//! `search facets` and `search sources`: how many passages and articles there are
//! per source, author and date, over the whole index or over what a query matches.

use std::io::{self, BufWriter, Write};

use search_query::{DateRange, Facet, PassageIndex, SearchError, SearchOptions, SearchResults};
use serde_json::json;

use crate::cli::{distinct_facets, EvalFormat, FacetsArgs, SourcesArgs};
use crate::commands::{open_or_build, query};
use crate::exit::Exit;
use crate::messages;
use crate::render::{self, facet_table, safe};

/// Runs `search facets`.
pub fn run(args: &FacetsArgs) -> anyhow::Result<Exit> {
    let query = match args.query.as_deref() {
        Some("-") => Some(query::query_from_stdin()?),
        other => other.map(str::to_string),
    };
    if query.as_deref().is_some_and(|q| q.trim().is_empty()) {
        return Err(SearchError::EmptyQuery.into());
    }
    let index = open_or_build(&args.location.dir())?;
    let facets = distinct_facets(&args.facets);
    let results = count(&index, query.as_deref(), &facets, args.dates.range())?;
    query::diagnose(&results, None);
    let empty = Vec::new();
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Json => render::json_line(
            &mut out,
            &json!({
                "query": query,
                "total_matches": results.total_matches,
                "facets": results.facets,
            }),
        )?,
        EvalFormat::Text => {
            if let Some(total) = results.total_matches {
                let s = if total == 1 { "" } else { "s" };
                let scope = if query.is_some() { "matching " } else { "" };
                writeln!(out, "{total} {scope}passage{s}\n")?;
            }
            for (i, facet) in facets.iter().enumerate() {
                let counts = results
                    .facets
                    .as_ref()
                    .and_then(|f| f.get(facet.name()))
                    .unwrap_or(&empty);
                if i > 0 {
                    writeln!(out)?;
                }
                let s = if counts.len() == 1 { "" } else { "s" };
                let heading = format!("{} ({} value{s})", facet.name(), counts.len());
                facet_table(&mut out, &heading, counts)?;
            }
        }
    }
    out.flush()?;
    match &query {
        Some(query) if results.total_matches == Some(0) => {
            messages::outcome(format_args!("no passage matches `{}`", safe(query)));
            Ok(Exit::NoMatch)
        }
        _ => Ok(Exit::Ok),
    }
}

/// Runs `search sources`: the source facet over the whole index.
pub fn sources(args: &SourcesArgs) -> anyhow::Result<Exit> {
    let index = open_or_build(&args.location.dir())?;
    let results = count(&index, None, &[Facet::Source], DateRange::default())?;
    let counts = results
        .facets
        .as_ref()
        .and_then(|f| f.get(Facet::Source.name()).cloned())
        .unwrap_or_default();
    // A passage has one source at most, so the rest have none.
    let sourced: usize = counts.iter().map(|c| c.passages).sum();
    let unsourced = results.total_matches.map(|t| t.saturating_sub(sourced));
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Json => render::json_line(
            &mut out,
            &json!({
                "sources": counts,
                "passages": results.total_matches,
                "passages_without_source": unsourced,
            }),
        )?,
        EvalFormat::Text => {
            let s = if counts.len() == 1 { "" } else { "s" };
            facet_table(&mut out, &format!("{} source{s}", counts.len()), &counts)?;
            if let Some(n) = unsourced.filter(|&n| n > 0) {
                let s = if n == 1 { "" } else { "s" };
                writeln!(out, "{n} passage{s} without a source")?;
            }
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}

/// Counts `facets` over the passages `query` matches, or over every passage when
/// there is none; within `dates` either way. The counts are the answer: no hit is
/// asked for.
fn count(
    index: &PassageIndex,
    query: Option<&str>,
    facets: &[Facet],
    dates: DateRange,
) -> anyhow::Result<SearchResults> {
    let options = SearchOptions::new()
        .limit(0)
        .count_matches(true)
        .within(dates)
        .facets(facets.to_vec());
    Ok(match query {
        Some(query) => index.search(query, &options)?,
        None => index.browse(&options)?,
    })
}
