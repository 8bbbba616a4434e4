//! `search related`: the same fact, told by others. The passages of other articles
//! that state what a cited passage states, ranked, printed as `search query`
//! prints hits; copies of the passage are listed apart.

use std::io::{self, BufWriter, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use search_query::{Location, Related, SearchOptions};

use crate::cli::{EvalFormat, RelatedArgs};
use crate::commands::show::{self, Renamed};
use crate::commands::{open_or_build, warn_stale};
use crate::exit::Exit;
use crate::render::{self, metadata_line, paragraph_label, safe};
use crate::{color, messages};

const TITLE: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const WARN: Style = AnsiColor::Red.on_default().bold();

/// Runs `search related`.
pub fn run(args: &RelatedArgs) -> anyhow::Result<Exit> {
    let printed = args.citation.as_str();
    if Location::readings(printed).is_empty() {
        return Err(show::not_a_citation(printed).into());
    }
    let options = SearchOptions::new()
        .limit(args.limit)
        .within(args.dates.range());
    options.validate()?;
    let dir = args.location.dir();
    let index = open_or_build(&dir)?;
    // Resolved as `search show` resolves it, with the same errors.
    let found = show::find(&index, printed, Renamed::Resolve)?;
    let first = &found.article[found.cited[0]].citation;
    if found.implied_paragraph {
        messages::note(format_args!(
            "{}:{} names a whole record; using its first paragraph, {} (cite {}:{}#N for paragraph N)",
            safe(&first.path),
            first.line,
            safe(&first.location()),
            safe(&first.path),
            first.line
        ));
    }
    let location = search_query::cited_location(first, found.cited.len());
    let related = index.related(&location, &options)?;
    if related.passage.stale || related.hits.iter().any(|h| h.stale) {
        warn_stale(&dir);
    }
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Text => {
            let color = color::enabled(args.color.choice, io::stdout().is_terminal());
            text(&mut out, &related, &location, color)?;
        }
        EvalFormat::Json => render::json_line(&mut out, &related)?,
    }
    out.flush()?;
    if related.hits.is_empty() {
        messages::outcome(format_args!(
            "no passage of another article states what {} states",
            safe(&location)
        ));
        return Ok(Exit::NoMatch);
    }
    Ok(Exit::Ok)
}

/// The cited passage (`location`) under its article's title, with the words it was
/// searched with highlighted; its copies in other articles; then the hits as
/// `search query` prints them.
fn text(out: &mut impl Write, related: &Related, location: &str, color: bool) -> io::Result<()> {
    let style = |s: Style| if color { s } else { Style::new() };
    let passage = &related.passage;
    let c = &passage.citation;
    let title = c.title.as_deref().unwrap_or("(untitled)");
    writeln!(out, "{b}{}{b:#}", safe(title), b = style(TITLE))?;
    let mark = if passage.stale {
        format!(
            "  {w}[STALE: source changed since indexing; run `search verify`]{w:#}",
            w = style(WARN)
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "   {d}{} {}  id {}{d:#}{mark}",
        safe(location),
        paragraph_label(c),
        safe(&c.doc_id),
        d = style(DIM)
    )?;
    if let Some(line) = metadata_line(c) {
        writeln!(out, "   {line}")?;
    }
    render::highlighted_text(out, passage, color)?;
    if !related.copies.is_empty() {
        let copies: Vec<String> = related
            .copies
            .iter()
            .map(|c| safe(&c.location()).into_owned())
            .collect();
        writeln!(out, "copies: {}", copies.join(", "))?;
    }
    writeln!(out)?;
    for hit in &related.hits {
        render::hit_text(out, hit, color)?;
    }
    Ok(())
}
