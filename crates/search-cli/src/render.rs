//! Turning results into text for people and JSON for programs.

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use search_query::{Citation, Explanation, FacetCount, Facets, Hit, SearchResults};
use serde::Serialize;

const MATCH: Style = AnsiColor::Red.on_default().bold();
const DIM: Style = Style::new().dimmed();
const RANK: Style = Style::new().bold();

/// Writes results for a person. `color` adds ANSI styles (highlights in red). With
/// a count (`--count`), a last line says how many passages matched. Notes about the
/// query (corrections, warnings) are not results: they go to stderr.
pub fn text(out: &mut impl Write, results: &SearchResults, color: bool) -> io::Result<()> {
    if let Some(facets) = &results.facets {
        facet_summary(out, facets, color)?;
    }
    for hit in &results.hits {
        hit_text(out, hit, color)?;
    }
    if let Some(total) = results.total_matches {
        let s = if total == 1 { "" } else { "s" };
        writeln!(out, "{total} matching passage{s}")?;
    }
    Ok(())
}

/// One hit as `search query` prints it: rank, title and score; citation; the
/// article's metadata line; the text with its highlights; a blank line.
pub fn hit_text(out: &mut impl Write, hit: &Hit, color: bool) -> io::Result<()> {
    let style = |s: Style| if color { s } else { Style::new() };
    let c = &hit.citation;
    let title = c.title.as_deref().unwrap_or("(untitled)");
    writeln!(
        out,
        "{r}{}.{r:#} {}  {d}[score {:.3}]{d:#}",
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
    if let Some(line) = metadata_line(c) {
        writeln!(out, "   {line}")?;
    }
    if let Some(line) = also_in(hit) {
        writeln!(out, "   {d}{line}{d:#}", d = style(DIM))?;
    }
    highlighted_text(out, hit, color)?;
    if let Some(explanation) = &hit.explanation {
        explanation_text(out, explanation, style(DIM))?;
    }
    writeln!(out)
}

/// A hit's text, indented, with its highlights (in colour when `color`), and a
/// newline.
pub fn highlighted_text(out: &mut impl Write, hit: &Hit, color: bool) -> io::Result<()> {
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
    writeln!(out, "{}", safe(&hit.text[at..]))
}

/// Where else a collapsed hit's passage ran: "also in: AP, Yahoo News (+3)" (the
/// group's other outlets, at most three named), or "also in 4 other articles" when
/// its copies carry no other outlet; `None` for a hit without copies.
fn also_in(hit: &Hit) -> Option<String> {
    let copies = hit.copies.as_ref().filter(|c| !c.is_empty())?;
    let own = hit.citation.source.as_deref();
    let others: Vec<&str> = hit
        .sources
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|s| Some(*s) != own)
        .collect();
    const NAMED: usize = 3;
    Some(match others.len() {
        0 => {
            let n = copies.len();
            let s = if n == 1 { "" } else { "s" };
            format!("also in {n} other article{s}")
        }
        n if n <= NAMED => format!("also in: {}", safe(&others.join(", "))),
        n => format!(
            "also in: {} (+{})",
            safe(&others[..NAMED].join(", ")),
            n - NAMED
        ),
    })
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

/// The article's date, source and author(s), then its URL, on one line:
/// `2025-12-04 · Reuters · Olena Kovalenko  https://…`; `None` when the article has
/// none of them. Corpus strings are made [`safe`].
pub fn metadata_line(c: &Citation) -> Option<String> {
    let fields: Vec<Cow<'_, str>> = [c.date.as_deref(), c.source.as_deref(), c.author.as_deref()]
        .into_iter()
        .flatten()
        .filter(|v| !v.trim().is_empty())
        .map(safe)
        .collect();
    let mut line = fields.join(" · ");
    if let Some(url) = c.url.as_deref().filter(|u| !u.trim().is_empty()) {
        if !line.is_empty() {
            line.push_str("  ");
        }
        line.push_str(&safe(url));
    }
    (!line.is_empty()).then_some(line)
}

/// Values shown per facet in the summary before the hits (`--facets`); the rest
/// are counted in a `… N more`.
const SUMMARY_VALUES: usize = 8;

/// The short facet summary printed before the hits: one line per facet, its values
/// most frequent first, `Reuters 12 (5 articles), AP 7 (3), …`, then a blank line.
pub fn facet_summary(out: &mut impl Write, facets: &Facets, color: bool) -> io::Result<()> {
    let dim = if color { DIM } else { Style::new() };
    // Source, author, date (the order of `--facets`' help), then any other.
    const ORDER: [&str; 3] = ["source", "author", "date"];
    let rank = |name: &str| ORDER.iter().position(|n| *n == name).unwrap_or(ORDER.len());
    let mut ordered: Vec<(&String, &Vec<FacetCount>)> = facets.iter().collect();
    ordered.sort_by_key(|(name, _)| rank(name));
    for (name, counts) in ordered {
        let mut parts: Vec<String> = counts
            .iter()
            .take(SUMMARY_VALUES)
            .enumerate()
            .map(|(i, count)| {
                let articles = if i == 0 {
                    let s = if count.articles == 1 { "" } else { "s" };
                    format!("{} article{s}", count.articles)
                } else {
                    count.articles.to_string()
                };
                format!("{} {} ({articles})", safe(&count.value), count.passages)
            })
            .collect();
        if counts.len() > SUMMARY_VALUES {
            parts.push(format!("… {} more", counts.len() - SUMMARY_VALUES));
        }
        if parts.is_empty() {
            parts.push("(none)".to_string());
        }
        writeln!(out, "{dim}{name}:{dim:#} {}", parts.join(", "))?;
    }
    if !facets.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

/// One facet in full, for `search facets` and `search sources`: `heading`, then
/// one line per value with its passages and articles.
pub fn facet_table(out: &mut impl Write, heading: &str, counts: &[FacetCount]) -> io::Result<()> {
    writeln!(out, "{heading}")?;
    let values: Vec<Cow<'_, str>> = counts.iter().map(|c| safe(&c.value)).collect();
    let width = values
        .iter()
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for (value, count) in values.iter().zip(counts) {
        let pad = width.saturating_sub(value.chars().count());
        writeln!(
            out,
            "  {value}{:pad$}  {:>8} passage{}  {:>6} article{}",
            "",
            count.passages,
            if count.passages == 1 { " " } else { "s" },
            count.articles,
            if count.articles == 1 { "" } else { "s" },
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

    fn citation() -> Citation {
        Citation {
            doc_id: "a".into(),
            title: None,
            source: None,
            path: "w.jsonl".into(),
            paragraph: 1,
            line: 1,
            byte_start: 0,
            byte_end: 1,
            part: None,
            date: None,
            url: None,
            author: None,
            authors: None,
        }
    }

    #[test]
    fn the_metadata_line_joins_what_the_article_has() {
        assert_eq!(metadata_line(&citation()), None);
        let full = Citation {
            date: Some("2025-12-04".into()),
            source: Some("Reuters".into()),
            author: Some("Olena Kovalenko, Zoë Park".into()),
            url: Some("https://reuters.com/a".into()),
            ..citation()
        };
        assert_eq!(
            metadata_line(&full).as_deref(),
            Some("2025-12-04 · Reuters · Olena Kovalenko, Zoë Park  https://reuters.com/a")
        );
        let url_only = Citation {
            url: Some("https://x.example/\u{1b}[2J".into()),
            ..citation()
        };
        assert_eq!(
            metadata_line(&url_only).as_deref(),
            Some("https://x.example/\\x1b[2J")
        );
    }

    #[test]
    fn the_facet_summary_counts_passages_and_articles() {
        let count = |value: &str, passages, articles| FacetCount {
            value: value.into(),
            passages,
            articles,
        };
        let mut facets = Facets::new();
        facets.insert("date".into(), vec![count("2025-12", 19, 8)]);
        facets.insert(
            "source".into(),
            vec![count("Reuters", 12, 5), count("AP", 7, 3)],
        );
        let mut out = Vec::new();
        facet_summary(&mut out, &facets, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "source: Reuters 12 (5 articles), AP 7 (3)\ndate: 2025-12 19 (8 articles)\n\n"
        );
    }

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
