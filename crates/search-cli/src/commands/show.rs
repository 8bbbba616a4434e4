//! `search show`: print a cited paragraph as the index holds it, between its
//! neighbours, and check it against its source as it is now, so a reader can trust
//! a citation or see that it no longer holds.
//!
//! Everything shown comes through the index: a citation names an indexed file (or
//! an indexed article), never an arbitrary file on disk.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

use search_query::{Citation, Found, LineKind, Lookup, PassageIndex, Shown, SourceError};

use crate::cli::{EvalFormat, ShowArgs};
use crate::commands::reindex_command;
use crate::exit::Exit;
use crate::render::{self, metadata_line, paragraph_label, safe};
use crate::{color, messages, CliError};

const TITLE: Style = Style::new().bold();
const CITED: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const WARN: Style = AnsiColor::Red.on_default().bold();

/// Runs `search show`.
pub fn run(args: &ShowArgs) -> anyhow::Result<Exit> {
    let printed = args.citation.as_str();
    if search_query::Location::readings(printed).is_empty() {
        return Err(not_a_citation(printed).into());
    }
    let index = crate::commands::open(&args.location.dir())?;
    let found = find(&index, printed, Renamed::Resolve)?;
    let color = color::enabled(args.color.choice, io::stdout().is_terminal());
    show(&index, &found, args, color)
}

/// Whether [`find`] may resolve a path that names an indexed file otherwise than
/// the index records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renamed {
    /// Resolve `./seeds/a.txt` or an absolute path by comparing canonical paths
    /// (a look at the file system: the command line does it for its user).
    Resolve,
    /// Only paths as the index records them (the HTTP API: a request never makes
    /// the server look at a path it names).
    Refuse,
}

/// The passages `printed` cites in `index`. A citation that names nothing the
/// index holds is a [`CliError`] (exit 8, or 2 for one that is no citation or is
/// ambiguous); a failure to read the index is the library's error.
pub fn find(index: &PassageIndex, printed: &str, renamed: Renamed) -> anyhow::Result<Found> {
    let lookup = match index.lookup(printed)? {
        Some(Lookup::UnknownFile { path }) if renamed == Renamed::Resolve => {
            // The same file, named another way (`./seeds/a.txt`, an absolute path).
            let renamed = recorded_path(index, &path)
                .zip(printed.strip_prefix(path.as_str()))
                .map(|(recorded, rest)| format!("{recorded}{rest}"));
            match renamed {
                Some(renamed) => index.lookup(&renamed)?,
                None => Some(Lookup::UnknownFile { path }),
            }
        }
        other => other,
    };
    match lookup {
        Some(Lookup::Found(found)) => Ok(found),
        Some(other) => Err(not_shown(index, printed, other).into()),
        None => Err(not_a_citation(printed).into()),
    }
}

/// What `search show --format json` prints for `found` with `context` neighbours
/// on each side (the library's [`search_query::Shown`]), checking the cited
/// passages against their sources.
pub fn json_value(
    index: &PassageIndex,
    found: &Found,
    context: usize,
) -> anyhow::Result<serde_json::Value> {
    Ok(serde_json::to_value(index.show(found, context)?)?)
}

/// The error for text that is no citation at all (exit 2).
pub fn not_a_citation(printed: &str) -> CliError {
    CliError::new(
        Exit::Usage,
        format!(
            "`{}` is not a citation: use PATH:LINE, PATH:LINE#N or PATH:LINE#N.P as `search query` prints them (e.g. seeds/000_792c1fc0d0c2a89d.txt:8), or DOC_ID#N (e.g. 000_792c1fc0d0c2a89d#6)",
            safe(printed)
        ),
    )
}

/// The indexed path of a file named otherwise than the index records it: the
/// file's canonical path is compared with those of the indexed files of the same
/// name.
fn recorded_path(index: &PassageIndex, given: &str) -> Option<String> {
    let wanted = std::fs::canonicalize(given).ok()?;
    let name = wanted.file_name()?;
    let info = index.info();
    info.files()
        .iter()
        .filter(|f| Path::new(&f.path).file_name() == Some(name))
        .find(|f| std::fs::canonicalize(info.resolve(&f.path)).ok().as_ref() == Some(&wanted))
        .map(|f| f.path.clone())
}

/// The error for a citation that names nothing the index can show.
fn not_shown(index: &PassageIndex, printed: &str, lookup: Lookup) -> CliError {
    let dir = index.dir().display().to_string();
    let printed = safe(printed);
    let (exit, message) = match lookup {
        Lookup::UnknownFile { path } => (
            Exit::NotFound,
            format!(
                "{} is not a file of the index at {}; `search show` shows only indexed files (`search stats` lists the corpus)",
                safe(&path),
                safe(&dir)
            ),
        ),
        Lookup::UnknownArticle { doc_id } => (
            Exit::NotFound,
            format!("no article `{}` in the index at {}", safe(&doc_id), safe(&dir)),
        ),
        Lookup::Ambiguous { doc_id, candidates } => {
            let list: Vec<String> = candidates
                .iter()
                .map(|c| format!("  {}", safe(&c.location())))
                .collect();
            (
                Exit::Usage,
                format!(
                    "{} articles have the id `{}`; name one by its file and line:\n{}",
                    candidates.len(),
                    safe(&doc_id),
                    list.join("\n")
                ),
            )
        }
        Lookup::NoParagraph {
            article,
            paragraph,
            paragraphs,
        } => (
            Exit::NotFound,
            format!(
                "{printed}: article `{}` ({}) has no paragraph {paragraph}; it has {paragraphs}",
                safe(&article.doc_id),
                safe(&article_location(&article)),
            ),
        ),
        Lookup::NoPart {
            paragraph,
            part,
            parts,
        } => {
            let whole = Citation {
                part: None,
                ..paragraph.clone()
            };
            let has = if parts == 0 {
                "is not split into parts".to_string()
            } else {
                format!("has {parts} parts")
            };
            (
                Exit::NotFound,
                format!(
                    "{printed}: ¶{} {has}, so it has no part {part}; cite the whole paragraph as {}",
                    paragraph.paragraph,
                    safe(&whole.location())
                ),
            )
        }
        Lookup::NotAParagraph {
            path,
            line,
            kind,
            nearest,
        } => {
            let what = match kind {
                LineKind::Title => "is the title line, not a paragraph".to_string(),
                LineKind::Blank => "is a blank line, not a paragraph".to_string(),
                LineKind::PastEnd => "is past the end of the file".to_string(),
                LineKind::Unreadable => {
                    "holds no indexed paragraph (and the source cannot be read now)".to_string()
                }
                _ => "holds no indexed paragraph (the source may have changed since indexing; `search verify` checks)".to_string(),
            };
            let nearest = nearest.map_or(String::new(), |c| {
                format!(
                    "; the nearest paragraph is {} at {}",
                    paragraph_label(&c),
                    safe(&c.location())
                )
            });
            (
                Exit::NotFound,
                format!("line {line} of {} {what}{nearest}", safe(&path)),
            )
        }
        Lookup::WrongParagraph { asked, found } => (
            Exit::NotFound,
            format!(
                "{printed}: line {} holds ¶{}, not ¶{asked}; cite {} (or {}#{asked})",
                found.line,
                found.paragraph,
                safe(&found.location()),
                safe(&found.doc_id)
            ),
        ),
        _ => (
            Exit::NotFound,
            format!("{printed}: not found in the index at {}", safe(&dir)),
        ),
    };
    CliError::new(exit, message)
}

/// Where an article starts: its file (and record line for JSONL).
fn article_location(c: &Citation) -> String {
    if c.is_record() {
        format!("{}:{}", c.path, c.line)
    } else {
        c.path.clone()
    }
}

/// Prints the cited paragraph between `context` neighbours on each side, checks
/// the cited passages against the source, and says if they no longer hold.
fn show(index: &PassageIndex, found: &Found, args: &ShowArgs, color: bool) -> anyhow::Result<Exit> {
    if found.implied_paragraph {
        let first = &found.article[found.cited[0]].citation;
        messages::note(format_args!(
            "{}:{} names a whole record; showing its first paragraph, {} (cite {}:{}#N for paragraph N)",
            safe(&first.path),
            first.line,
            safe(&first.location()),
            safe(&first.path),
            first.line
        ));
    }
    let shown = index.show(found, args.context)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Text => text(index, &shown, &mut out, color)?,
        EvalFormat::Json => render::json_line(&mut out, &serde_json::to_value(&shown)?)?,
    }
    out.flush()?;
    let (holds, location) = (!shown.stale, shown.location.clone());
    if holds {
        return Ok(Exit::Ok);
    }
    messages::outcome(format_args!(
        "{} no longer matches its source; run `{}` to re-index it, `search verify` to check every citation",
        safe(&location),
        reindex_command(index.dir())
    ));
    Ok(Exit::Stale)
}

/// Prints `shown` as text: the title, the citation and the article's fields,
/// the paragraphs (the cited ones marked), and what each stale one now holds.
fn text(
    index: &PassageIndex,
    shown: &Shown,
    out: &mut impl Write,
    color: bool,
) -> anyhow::Result<()> {
    let style = |s: Style| if color { s } else { Style::new() };
    let first = &shown.citation;
    let title = first.title.as_deref().unwrap_or("(untitled)");
    writeln!(out, "{b}{}{b:#}", safe(title), b = style(TITLE))?;
    let label = if shown.pieces == 1 {
        paragraph_label(first)
    } else {
        format!("¶{} (parts 1–{})", first.paragraph, shown.pieces)
    };
    let mark = if shown.problems.is_empty() {
        String::new()
    } else {
        format!(
            "  {w}[STALE: the source no longer holds this passage; see below]{w:#}",
            w = style(WARN)
        )
    };
    writeln!(
        out,
        "{d}{} {label}  id {}{d:#}{mark}",
        safe(&shown.location),
        safe(&first.doc_id),
        d = style(DIM)
    )?;
    if let Some(line) = metadata_line(first) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    for passage in &shown.paragraphs {
        let n = passage.paragraph;
        let label = match passage.part {
            Some(part) => format!("¶{n}.{part}"),
            None => format!("¶{n}"),
        };
        if passage.cited {
            writeln!(
                out,
                "{b}▶ {label:<4}{b:#} {}",
                safe(&passage.text),
                b = style(CITED)
            )?;
        } else {
            writeln!(
                out,
                "{d}  {label:<4}{d:#} {}",
                safe(&passage.text),
                d = style(DIM)
            )?;
        }
    }
    for problem in &shown.problems {
        let c = &problem.citation;
        writeln!(
            out,
            "\n{w}STALE{w:#} {}: {} since indexing.",
            safe(&problem.location),
            problem.reason,
            w = style(WARN)
        )?;
        let range = format!("bytes {}..{}", c.byte_start, c.byte_end);
        let scope = if c.is_record() {
            format!("{range} of the `text` of the record on line {}", c.line)
        } else {
            range
        };
        match index.source_text(c) {
            Ok(now) => writeln!(out, "  The source now holds, at {scope}:\n  {}", safe(&now))?,
            Err(SourceError::Stale(reason)) => writeln!(out, "  At {scope}: {reason}.")?,
            Err(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_is_located_by_its_file_or_its_record() {
        let c = Citation {
            doc_id: "a".into(),
            title: None,
            source: None,
            path: "w/a.jsonl".into(),
            paragraph: 2,
            line: 7,
            byte_start: 0,
            byte_end: 1,
            part: None,
            date: None,
            url: None,
            author: None,
            authors: None,
        };
        assert_eq!(article_location(&c), "w/a.jsonl:7");
        let txt = Citation {
            path: "s/a.txt".into(),
            ..c
        };
        assert_eq!(article_location(&txt), "s/a.txt");
    }
}
