//! Reading articles out of source text: `.txt` and `.md` files hold one article,
//! `.jsonl` files hold one article per line.

use search_core::dates::ArticleDate;
use search_core::stored_text::ArticleFields;
use serde::Deserialize;
use serde_json::Value as Json;

use crate::boilerplate::copyright_holder;
use crate::front_matter;
pub use crate::metadata::ArticleWarning;
use crate::metadata::{Metadata, Value};
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
    /// The passages, in reading order (none for a JSONL record with an empty
    /// `text`, which is then not indexed).
    pub passages: Vec<PassageSpan>,
    /// What was wrong with the source and did not stop it being read (a field of
    /// the wrong type, a date that does not parse, a malformed front matter).
    pub warnings: Vec<ArticleWarning>,
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
///
/// A file may open with a YAML front matter (see the `front_matter` module): it is
/// not a passage, paragraphs are numbered from the first one after it, and byte
/// ranges and line numbers still count from the start of the file. Its `source`
/// wins over one read from a copyright line. Its `title` wins over the body's:
///
/// - in a `.md` file, a first body line that is a `# heading` is the title line
///   whether or not the front matter gives a title, so it is never a passage (the
///   heading is the title when the front matter gives none);
/// - in a `.txt` file, the first body line is guessed to be a title (a short line
///   without closing punctuation, followed by more text) only when the front
///   matter gives no title; otherwise it is the first paragraph.
///
/// A malformed front matter is a warning (in [`Article::warnings`]) and the file
/// is read as plain text from its first line.
pub fn parse_text_article(
    doc_id: &str,
    text: String,
    markdown: bool,
) -> Result<Article, Rejection> {
    // A byte-order mark is not content; offsets still count from the file start.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut warnings = Vec::new();
    let front = front_matter::read(&text, bom, &mut warnings);
    let from = front.as_ref().map_or(bom, |f| f.body_start);
    let lines = non_empty_lines(&text, from);
    if lines.is_empty() {
        return Err(Rejection(match front {
            Some(_) => "no text after the front matter: nothing to index".into(),
            None => "empty file: no text to index".into(),
        }));
    }
    if let Some(long) = lines.iter().find(|l| l.range.len() > MAX_PARAGRAPH_BYTES) {
        return Err(Rejection(format!(
            "line {} is {} bytes long; articles are made of paragraphs, and a line this long is data (minified or generated text), not prose",
            long.number,
            long.range.len()
        )));
    }
    let metadata = front.map(|f| f.metadata).unwrap_or_default();
    let (title, body) = split_title(&text, &lines, markdown, metadata.title);
    let passages = passages_of(&text, body);
    let source = metadata
        .source
        .or_else(|| source_from_copyright(&text, &passages));
    Ok(Article {
        doc_id: doc_id.to_string(),
        title,
        source,
        date: metadata.date,
        url: metadata.url,
        authors: metadata.authors,
        text,
        passages,
        warnings,
    })
}

/// The title and the body lines: see [`parse_text_article`] for how a title
/// `given` by the front matter interacts with the body's first line.
fn split_title<'l>(
    text: &str,
    lines: &'l [Line],
    markdown: bool,
    given: Option<String>,
) -> (Option<String>, &'l [Line]) {
    let first = &text[lines[0].range.clone()];
    if markdown && first.starts_with('#') {
        let heading = first.trim_start_matches('#').trim();
        let title = given.or_else(|| Some(heading.to_string()).filter(|t| !t.is_empty()));
        return (title, &lines[1..]);
    }
    if given.is_some() {
        return (given, lines);
    }
    if lines.len() > 1 && looks_like_title(first) {
        return (Some(first.to_string()), &lines[1..]);
    }
    (None, lines)
}

/// A short line with a letter or digit (a `---` or `***` rule is not a title),
/// without closing punctuation, that is not boilerplate.
fn looks_like_title(line: &str) -> bool {
    let closing = line.chars().last().is_some_and(|c| ".!?…:;".contains(c));
    line.len() <= MAX_TITLE_BYTES
        && line.chars().any(char::is_alphanumeric)
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

/// A JSONL record's fields, each still of any JSON type (other keys are skipped
/// unread), so that a wrong type is told field by field.
#[derive(Deserialize)]
struct Record {
    id: Option<Json>,
    text: Option<Json>,
    title: Option<Json>,
    source: Option<Json>,
    date: Option<Json>,
    url: Option<Json>,
    author: Option<Json>,
    authors: Option<Json>,
}

/// Parses one JSONL record. `line` is its 1-based line in the file, which every
/// passage of the record cites.
///
/// `id` (a string or a number) and `text` (a string) are required: without them,
/// or with another type, the record is rejected with a message naming the field.
/// `title`, `source`, `date`, `url` (strings) and `author` or `authors` (a string
/// or a list of strings) are optional: a wrong type, or a `date` that does not
/// parse, leaves that field out with a warning (in [`Article::warnings`]) and keeps
/// the record. An empty `text` gives an article with no passage, and a warning
/// that says it is left out.
pub fn parse_jsonl_record(json: &str, line: u64) -> Result<Article, Rejection> {
    let reject = |problem: String| Rejection(format!("line {line}: {problem}"));
    if !json.trim_start().starts_with('{') {
        return Err(reject(
            "not a JSON object (each line holds one record, `{\"id\": …, \"text\": …}`)".into(),
        ));
    }
    let record: Record =
        serde_json::from_str(json).map_err(|e| reject(format!("not a valid JSON object: {e}")))?;
    let doc_id = match record.id {
        Some(Json::String(s)) if !s.trim().is_empty() => s,
        Some(Json::Number(n)) => n.to_string(),
        None | Some(Json::Null) | Some(Json::String(_)) => {
            return Err(reject(
                "missing `id` (each record needs a string or number `id`)".into(),
            ))
        }
        Some(other) => {
            return Err(reject(format!(
                "field `id` should be a string or a number, found {}; the record is skipped",
                value_of(&other).kind()
            )))
        }
    };
    let text = match record.text {
        Some(Json::String(text)) => text,
        None | Some(Json::Null) => {
            return Err(reject(format!("record `{doc_id}` has no `text` field")))
        }
        Some(other) => {
            return Err(reject(format!(
            "record `{doc_id}`: field `text` should be a string, found {}; the record is skipped",
            value_of(&other).kind()
        )))
        }
    };
    let lines = non_empty_lines(&text, 0);
    if let Some(long) = lines.iter().find(|l| l.range.len() > MAX_PARAGRAPH_BYTES) {
        return Err(reject(format!(
            "record `{doc_id}` has a paragraph of {} bytes; that is data, not prose",
            long.range.len()
        )));
    }
    let mut passages = passages_of(&text, &lines);
    for passage in &mut passages {
        passage.line = line;
    }
    let mut metadata = Metadata::default();
    let mut warnings = Vec::new();
    let fields = [
        ("title", record.title),
        ("source", record.source),
        ("date", record.date),
        ("url", record.url),
        ("author", record.author),
        ("authors", record.authors),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            metadata.set(key, value_of(&value), line, &mut warnings);
        }
    }
    for warning in &mut warnings {
        warning.message = format!("record `{doc_id}`: {}", warning.message);
    }
    if passages.is_empty() {
        warnings.push(ArticleWarning {
            line,
            message: format!(
                "record `{doc_id}` has an empty `text`: it has no passage to index and is left out"
            ),
        });
    }
    let source = metadata
        .source
        .or_else(|| source_from_copyright(&text, &passages));
    Ok(Article {
        doc_id,
        title: metadata.title,
        source,
        date: metadata.date,
        url: metadata.url,
        authors: metadata.authors,
        text,
        passages,
        warnings,
    })
}

/// A JSON value as the metadata fields see it.
fn value_of(json: &Json) -> Value<'_> {
    match json {
        Json::String(text) => Value::Str(text),
        Json::Null => Value::Null,
        Json::Array(items) => Value::List(items.iter().map(value_of).collect()),
        Json::Number(_) => Value::Other("a number"),
        Json::Bool(_) => Value::Other("a boolean"),
        Json::Object(_) => Value::Other("an object"),
    }
}

#[cfg(test)]
mod tests;
