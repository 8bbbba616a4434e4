//! Turning results into text for people and JSON for programs.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use search_query::{Hit, SearchResults};

const MATCH: Style = AnsiColor::Red.on_default().bold();
const DIM: Style = Style::new().dimmed();
const RANK: Style = Style::new().bold();

/// Writes results for a person. `color` adds ANSI styles (highlights in red).
pub fn text(out: &mut impl Write, results: &SearchResults, color: bool) -> io::Result<()> {
    for fix in &results.corrections {
        writeln!(
            out,
            "note: few or no passages contain `{}`; also searched the close spelling `{}`",
            fix.word, fix.replacement
        )?;
    }
    if !results.corrections.is_empty() {
        writeln!(out)?;
    }
    for hit in &results.hits {
        hit_text(out, hit, color)?;
    }
    Ok(())
}

fn hit_text(out: &mut impl Write, hit: &Hit, color: bool) -> io::Result<()> {
    let style = |s: Style| if color { s } else { Style::new() };
    let c = &hit.citation;
    let title = c.title.as_deref().unwrap_or("(untitled)");
    let source = c
        .source
        .as_deref()
        .map(|s| format!(" — {s}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{r}{}.{r:#} {title}{source}  {d}[score {:.3}]{d:#}",
        hit.rank,
        hit.score,
        r = style(RANK),
        d = style(DIM),
    )?;
    let part = c.part.map(|p| format!(" (part {p})")).unwrap_or_default();
    let mut marks = String::new();
    if hit.stale {
        marks.push_str("  [STALE: source changed since indexing; run `search verify`]");
    }
    if hit.boilerplate {
        marks.push_str("  [boilerplate]");
    }
    writeln!(
        out,
        "   {d}{}:{} ¶{}{part}  id {}{d:#}{marks}",
        c.path,
        c.line,
        c.paragraph,
        c.doc_id,
        d = style(DIM)
    )?;
    write!(out, "   ")?;
    let mut at = 0;
    for range in &hit.highlights {
        write!(out, "{}", &hit.text[at..range.start])?;
        if color {
            write!(out, "{MATCH}{}{MATCH:#}", &hit.text[range.clone()])?;
        } else {
            write!(out, "{}", &hit.text[range.clone()])?;
        }
        at = range.end;
    }
    write!(out, "{}", &hit.text[at..])?;
    writeln!(out, "\n")
}

/// Writes the results as one JSON object (the contract in the README).
pub fn json(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    serde_json::to_writer(&mut *out, results)?;
    writeln!(out)
}

/// Writes one JSON object per hit, one per line.
pub fn jsonl(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, hit)?;
        writeln!(out)?;
    }
    Ok(())
}
