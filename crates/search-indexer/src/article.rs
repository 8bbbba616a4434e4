//! Reading articles out of source text: `.txt` and `.md` files hold one article,
//! `.jsonl` files hold one article per line.

use search_core::dates::{parse_article_date, ArticleDate};
use search_core::stored_text::ArticleFields;
use serde::Deserialize;

use crate::boilerplate::copyright_holder;
use crate::passage::{non_empty_lines, passages_of, Line, PassageSpan};

/// A title is a short first line: at most this many bytes...
const MAX_TITLE_BYTES: usize = 200;
/// ...and at most this many words.
const MAX_TITLE_WORDS: usize = 30;
/// A line this long is data, not a paragraph of an article.
pub const MAX_PARAGRAPH_BYTES: usize = 256 * 1024;

/// One article, with its passages as spans of `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// File stem or JSONL `id`.
    pub doc_id: String,
    /// The title, if the article has one.
    pub title: Option<String>,
    /// The outlet: given by the record, or read from a copyright line.
    pub source: Option<String>,
    /// The article's date, when the source gives one that parses.
    pub date: Option<ArticleDate>,
    /// The article's URL, when the source gives one.
    pub url: Option<String>,
    /// The authors, in the order the source gives them.
    pub authors: Vec<String>,
    /// The text the passage spans index: the file's text, or the record's `text`.
    pub text: String,
    /// The passages, in reading order.
    pub passages: Vec<PassageSpan>,
}

impl Article {
    /// The fields each stored passage group of the article carries, for citations
    /// (see `search_core::stored_text`).
    pub fn stored_fields(&self) -> ArticleFields {
        ArticleFields {
            doc_id: self.doc_id.clone(),
            title: self.title.clone(),
            date: self.date.as_ref().map(|d| d.iso.clone()),
            url: self.url.clone(),
            authors: self.authors.clone(),
        }
    }
}

/// Why a piece of source could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection(pub String);

/// Parses a `.txt` (or, with `markdown`, `.md`) article.
pub fn parse_text_article(
    doc_id: &str,
    text: String,
    markdown: bool,
) -> Result<Article, Rejection> {
    // A byte-order mark is not content; offsets still count from the file start.
    let from = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let lines = non_empty_lines(&text, from);
    if lines.is_empty() {
        return Err(Rejection("empty file: no text to index".into()));
    }
    if let Some(long) = lines.iter().find(|l| l.range.len() > MAX_PARAGRAPH_BYTES) {
        return Err(Rejection(format!(
            "line {} is {} bytes long; articles are made of paragraphs, and a line this long is data (minified or generated text), not prose",
            long.number,
            long.range.len()
        )));
    }
    let (title, body) = split_title(&text, &lines, markdown);
    let passages = passages_of(&text, body);
    let source = source_from_copyright(&text, &passages);
    Ok(Article {
        doc_id: doc_id.to_string(),
        title,
        source,
        date: None,
        url: None,
        authors: Vec::new(),
        text,
        passages,
    })
}

fn split_title<'l>(text: &str, lines: &'l [Line], markdown: bool) -> (Option<String>, &'l [Line]) {
    let first = &text[lines[0].range.clone()];
    if markdown && first.starts_with('#') {
        let title = first.trim_start_matches('#').trim();
        return (
            Some(title.to_string()).filter(|t| !t.is_empty()),
            &lines[1..],
        );
    }
    if lines.len() > 1 && looks_like_title(first) {
        return (Some(first.to_string()), &lines[1..]);
    }
    (None, lines)
}

fn looks_like_title(line: &str) -> bool {
    let closing = line.chars().last().is_some_and(|c| ".!?…:;".contains(c));
    line.len() <= MAX_TITLE_BYTES
        && line.split_whitespace().count() <= MAX_TITLE_WORDS
        && !closing
        && !crate::boilerplate::is_boilerplate(line)
}

fn source_from_copyright(text: &str, passages: &[PassageSpan]) -> Option<String> {
    passages
        .iter()
        .rev()
        .filter(|p| p.boilerplate)
        .find_map(|p| copyright_holder(&text[p.range.clone()]))
}

#[derive(Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    text: Option<String>,
    title: Option<String>,
    source: Option<String>,
    date: Option<String>,
    url: Option<String>,
    author: Option<String>,
}

/// Parses one JSONL record. `line` is its 1-based line in the file, which every
/// passage of the record cites.
pub fn parse_jsonl_record(json: &str, line: u64) -> Result<Article, Rejection> {
    let record: Record = serde_json::from_str(json)
        .map_err(|e| Rejection(format!("line {line}: not a JSON object: {e}")))?;
    let doc_id = match record.id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => {
            return Err(Rejection(format!(
                "line {line}: missing `id` (each record needs a string or number `id`)"
            )))
        }
    };
    let text = record.text.ok_or_else(|| {
        Rejection(format!(
            "line {line}: record `{doc_id}` has no `text` field"
        ))
    })?;
    let lines = non_empty_lines(&text, 0);
    if let Some(long) = lines.iter().find(|l| l.range.len() > MAX_PARAGRAPH_BYTES) {
        return Err(Rejection(format!(
            "line {line}: record `{doc_id}` has a paragraph of {} bytes; that is data, not prose",
            long.range.len()
        )));
    }
    let mut passages = passages_of(&text, &lines);
    for passage in &mut passages {
        passage.line = line;
    }
    let source = non_empty(record.source).or_else(|| source_from_copyright(&text, &passages));
    Ok(Article {
        doc_id,
        title: non_empty(record.title),
        source,
        date: non_empty(record.date).and_then(|d| parse_article_date(&d).ok()),
        url: non_empty(record.url),
        authors: non_empty(record.author).into_iter().collect(),
        text,
        passages,
    })
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests;
