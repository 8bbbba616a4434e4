//! Turning results into text for people and JSON for programs.

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use search_query::{Citation, Explanation, Hit, SearchResults};
use serde::Serialize;

const MATCH: Style = AnsiColor::Red.on_default().bold();
const DIM: Style = Style::new().dimmed();
const RANK: Style = Style::new().bold();

/// Writes results for a person. `color` adds ANSI styles (highlights in red). With
/// a count (`--count`), a last line says how many passages matched. Notes about the
/// query (corrections, warnings) are not results: they go to stderr.
pub fn text(out: &mut impl Write, results: &SearchResults, color: bool) -> io::Result<()> {
    for hit in &results.hits {
        hit_text(out, hit, color)?;
    }
    if let Some(total) = results.total_matches {
        let s = if total == 1 { "" } else { "s" };
        writeln!(out, "{total} matching passage{s}")?;
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
        .map(|s| format!(" — {}", safe(s)))
        .unwrap_or_default();
    writeln!(
        out,
        "{r}{}.{r:#} {}{source}  {d}[score {:.3}]{d:#}",
        hit.rank,
        safe(title),
        hit.score,
        r = style(RANK),
        d = style(DIM),
    )?;
    let mut marks = String::new();
    if hit.stale {
        marks.push_str("  [STALE: source changed since indexing; run `search verify`]");
    }
    if hit.boilerplate {
        marks.push_str("  [boilerplate]");
    }
    writeln!(
        out,
        "   {d}{} {}  id {}{d:#}{marks}",
        safe(&c.location()),
        paragraph_label(c),
        safe(&c.doc_id),
        d = style(DIM)
    )?;
    write!(out, "   ")?;
    let mut at = 0;
    for range in &hit.highlights {
        write!(out, "{}", safe(&hit.text[at..range.start]))?;
        if color {
            write!(out, "{MATCH}{}{MATCH:#}", safe(&hit.text[range.clone()]))?;
        } else {
            write!(out, "{}", safe(&hit.text[range.clone()]))?;
        }
        at = range.end;
    }
    writeln!(out, "{}", safe(&hit.text[at..]))?;
    if let Some(explanation) = &hit.explanation {
        explanation_text(out, explanation, style(DIM))?;
    }
    writeln!(out)
}

/// The score breakdown under a hit (`--explain`): the product first, then each
/// matching term's part of the BM25 sum, best first.
fn explanation_text(out: &mut impl Write, e: &Explanation, dim: Style) -> io::Result<()> {
    let proximity = if e.reranked {
        format!(
            "proximity factor {:.4} (1 + {} × nearness {:.4})",
            e.proximity_factor, e.proximity_weight, e.proximity
        )
    } else {
        "proximity factor 1 (not among the candidates re-ranked)".to_string()
    };
    writeln!(
        out,
        "   {dim}score {:.4} = bm25 {:.4} × {proximity}{dim:#}",
        e.score, e.bm25
    )?;
    writeln!(
        out,
        "   {dim}bm25 = sum of the terms' parts (title weight {}, boilerplate weight {}):{dim:#}",
        e.title_weight, e.boilerplate_weight
    )?;
    let mut terms: Vec<_> = e.terms.iter().collect();
    terms.sort_by(|a, b| b.score.total_cmp(&a.score));
    for t in terms {
        let origin = if t.feedback { "  (feedback)" } else { "" };
        writeln!(
            out,
            "     {dim}{:>8.4}  {:<11} {} = bm25 {:.4} × weight {}{origin}{dim:#}",
            t.score,
            t.field,
            safe(&t.term),
            t.bm25,
            t.weight
        )?;
    }
    if let Some(share) = e.feedback_share {
        writeln!(
            out,
            "   {dim}feedback terms: {:.1}% of bm25{dim:#}",
            share * 100.0
        )?;
    }
    if e.boilerplate_demoted {
        writeln!(
            out,
            "   {dim}boilerplate: ranked below every ordinary passage{dim:#}"
        )?;
    }
    Ok(())
}

/// How a person reads a citation's paragraph: `¶6`, or `¶6 (part 2)` for a piece
/// of a split paragraph.
pub fn paragraph_label(c: &Citation) -> String {
    match c.part {
        Some(part) => format!("¶{} (part {part})", c.paragraph),
        None => format!("¶{}", c.paragraph),
    }
}

/// `text` made safe for a terminal: control characters (C0 but tab, DEL, C1) and
/// bidirectional overrides and isolates are written visibly as escapes (`\x1b`,
/// `\u{202e}`), so that a corpus can neither send the terminal commands (retitle
/// it, clear it, move the cursor) nor make a line read differently from its
/// bytes. A backslash is left alone. JSON output never goes through this: it keeps
/// the exact text.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes the results as one JSON object (the contract in the README).
pub fn json(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    json_line(out, results)
}

/// Writes one JSON object per hit, one per line; with a count (`--count`), each
/// carries `total_matches`, so every line stays a hit record.
pub fn jsonl(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    #[derive(Serialize)]
    struct HitLine<'a> {
        #[serde(flatten)]
        hit: &'a Hit,
        #[serde(skip_serializing_if = "Option::is_none")]
        total_matches: Option<usize>,
    }
    for hit in &results.hits {
        json_line(
            out,
            &HitLine {
                hit,
                total_matches: results.total_matches,
            },
        )?;
    }
    Ok(())
}

/// Writes `value` as JSON and a newline. A failed write stays an `io::Error` (a
/// closed pipe is then recognised as one).
pub fn json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_shows_control_characters_and_bidi_overrides_as_escapes() {
        assert_eq!(safe("plain — text\t ok"), "plain — text\t ok");
        assert_eq!(
            safe("a\x1b]0;pwned\x07b\x1b[2Jc\r\x08"),
            "a\\x1b]0;pwned\\x07b\\x1b[2Jc\\x0d\\x08"
        );
        assert_eq!(safe("\u{9b}31m \u{7f}"), "\\x9b31m \\x7f");
        assert_eq!(safe("x\u{202e}y\u{2066}z\n"), "x\\u{202e}y\\u{2066}z\\x0a");
    }
}
