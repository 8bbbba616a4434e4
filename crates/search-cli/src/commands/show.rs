//! `search show`: print a cited paragraph from its source as it is now, between its
//! neighbours, so a reader can check a citation by eye.

use std::io::{self, Write};
use std::path::PathBuf;

use search_indexer::{doc_id_of, parse_jsonl_record, parse_text_article, Article, SourceKind};
use search_query::PassageIndex;

use crate::cli::ShowArgs;
use crate::exit::Exit;
use crate::CliError;

/// What the user asked to see.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    /// `path:line`
    Line { path: String, line: u64 },
    /// `doc_id#paragraph`
    Paragraph { doc_id: String, paragraph: u64 },
}

fn parse_citation(citation: &str) -> Option<Wanted> {
    if let Some((doc_id, n)) = citation.rsplit_once('#') {
        if let (false, Ok(paragraph)) = (doc_id.is_empty(), n.parse()) {
            return Some(Wanted::Paragraph {
                doc_id: doc_id.to_string(),
                paragraph,
            });
        }
    }
    let (path, line) = citation.rsplit_once(':')?;
    Some(Wanted::Line {
        path: path.to_string(),
        line: line.parse().ok().filter(|&l| l > 0)?,
    })
}

/// A paragraph of the source as it is now.
struct Paragraph {
    number: u64,
    line: u64,
    text: String,
}

/// Runs `search show`.
pub fn run(args: &ShowArgs) -> anyhow::Result<Exit> {
    let wanted = parse_citation(&args.citation).ok_or_else(|| {
        CliError::new(
            Exit::Usage,
            format!(
                "`{}` is not a citation: use PATH:LINE (e.g. seeds/000_792c1fc0d0c2a89d.txt:7) or DOC_ID#N (e.g. 000_792c1fc0d0c2a89d#5)",
                args.citation
            ),
        )
    })?;
    let index = PassageIndex::open(args.location.dir()).ok();
    let (path, line, paragraph) = match &wanted {
        Wanted::Line { path, line } => (path.clone(), *line, None),
        Wanted::Paragraph { doc_id, paragraph } => {
            let index = index.as_ref().ok_or_else(|| {
                CliError::new(
                    Exit::IndexMissing,
                    format!("`{doc_id}#{paragraph}` needs the index to find the article; build it with `search index`, or cite PATH:LINE"),
                )
            })?;
            let citations = index.article(doc_id)?;
            let first = citations.first().ok_or_else(|| {
                CliError::new(
                    Exit::NotFound,
                    format!("no article `{doc_id}` in the index"),
                )
            })?;
            if citations.iter().map(|c| &c.path).any(|p| p != &first.path) {
                eprintln!(
                    "warning: several files hold an article `{doc_id}`; showing {}",
                    first.path
                );
            }
            (first.path.clone(), first.line, Some(*paragraph))
        }
    };
    let file = resolve(&path, index.as_ref());
    let kind = SourceKind::of(&file).ok_or_else(|| {
        CliError::new(
            Exit::Usage,
            format!("{path}: not a .txt, .md or .jsonl source"),
        )
    })?;
    let text = std::fs::read_to_string(&file).map_err(|e| {
        CliError::new(
            Exit::NotFound,
            format!("cannot read the cited source {}: {e}", file.display()),
        )
    })?;
    let article = read_article(&text, &path, kind, line)
        .map_err(|reason| CliError::new(Exit::NotFound, format!("{path}: {reason}")))?;
    let paragraphs = paragraphs_of(&article);
    let target = match paragraph {
        Some(n) => paragraphs.iter().position(|p| p.number == n),
        None if kind == SourceKind::Jsonl => paragraphs.first().map(|_| 0),
        None => paragraphs.iter().position(|p| p.line == line),
    };
    let Some(target) = target else {
        let what = paragraph.map_or(format!("line {line}"), |n| format!("paragraph {n}"));
        return Err(CliError::new(
            Exit::NotFound,
            format!(
                "{path} has no {what} now (it has {} paragraphs); the source may have changed since indexing",
                paragraphs.len()
            ),
        )
        .into());
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let title = article.title.as_deref().unwrap_or("(untitled)");
    let source = article
        .source
        .as_deref()
        .map(|s| format!(" — {s}"))
        .unwrap_or_default();
    writeln!(out, "{title}{source}")?;
    let p = &paragraphs[target];
    writeln!(
        out,
        "{path}:{} ¶{}  id {}\n",
        p.line, p.number, article.doc_id
    )?;
    let from = target.saturating_sub(args.context);
    let to = (target + args.context + 1).min(paragraphs.len());
    for (i, p) in paragraphs[from..to].iter().enumerate() {
        let marker = if from + i == target { "▶" } else { " " };
        writeln!(out, "{marker} ¶{:<3} {}", p.number, p.text)?;
    }
    Ok(Exit::Ok)
}

/// The source path: as given if it exists, else relative to where the index was built.
fn resolve(path: &str, index: Option<&PassageIndex>) -> PathBuf {
    index.map_or_else(|| PathBuf::from(path), |index| index.meta().resolve(path))
}

fn read_article(text: &str, path: &str, kind: SourceKind, line: u64) -> Result<Article, String> {
    match kind {
        SourceKind::Text | SourceKind::Markdown => parse_text_article(
            &doc_id_of(path),
            text.to_string(),
            kind == SourceKind::Markdown,
        )
        .map_err(|r| r.0),
        SourceKind::Jsonl => {
            let record = text
                .lines()
                .nth(line as usize - 1)
                .ok_or_else(|| format!("has no line {line} now"))?;
            parse_jsonl_record(record, line).map_err(|r| r.0)
        }
    }
}

/// Whole paragraphs (pieces of split paragraphs joined back).
fn paragraphs_of(article: &Article) -> Vec<Paragraph> {
    let mut out: Vec<(u64, u64, std::ops::Range<usize>)> = Vec::new();
    for p in &article.passages {
        match out.last_mut() {
            Some(last) if last.0 == p.paragraph => last.2.end = p.range.end,
            _ => out.push((p.paragraph, p.line, p.range.clone())),
        }
    }
    out.into_iter()
        .map(|(number, line, range)| Paragraph {
            number,
            line,
            text: article.text[range].to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_parse_both_ways() {
        assert_eq!(
            parse_citation("seeds/a.txt:7"),
            Some(Wanted::Line {
                path: "seeds/a.txt".into(),
                line: 7
            })
        );
        assert_eq!(
            parse_citation("000_x#5"),
            Some(Wanted::Paragraph {
                doc_id: "000_x".into(),
                paragraph: 5
            })
        );
        assert_eq!(parse_citation("nothing"), None);
        assert_eq!(parse_citation("a.txt:0"), None);
        assert_eq!(parse_citation("a.txt:x"), None);
    }
}
