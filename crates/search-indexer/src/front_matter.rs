//! YAML front matter of `.md` and `.txt` articles:
//!
//! ```text
//! ---
//! title: Frozen assets talks resume
//! source: Reuters
//! date: 2025-12-04T10:30:00+02:00
//! url: https://example.org/frozen-assets
//! authors: [Olena Kovalenko, Sam Reed]
//! ---
//! First paragraph of the article.
//! ```
//!
//! The first line of the file (after a byte-order mark) is `---`, and the front
//! matter runs to the next line that is `---` or `...` (trailing blanks allowed;
//! lines end at LF, CRLF or a lone CR, as everywhere in the indexer). Between them
//! is a YAML mapping; the keys `title`, `source`, `date`, `url` and `author` or
//! `authors` (a string or a list of strings) are read, in any letter case, and
//! others are ignored. A value of the wrong type is left out with a warning naming
//! the field and its line.
//!
//! Front matter that is not closed within [`MAX_FRONT_MATTER_BYTES`], is not valid
//! YAML, or is not a mapping is reported as a warning, and the file is read as if it
//! had none: as plain text from its first line.

use yaml_rust2::{Yaml, YamlLoader};

use crate::metadata::{ArticleWarning, Metadata, Value, KEYS};
use crate::passage::line_ranges;

/// A front matter must close within this many bytes of the file's start; past it,
/// the opening `---` is taken for text (a rule, a separator) with a warning.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// A front matter read from the start of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FrontMatter {
    /// Where the body starts: just past the closing line and its line break.
    pub(crate) body_start: usize,
    /// The fields it gave.
    pub(crate) metadata: Metadata,
}

/// Reads the front matter that opens `text` at byte `from` (past a byte-order
/// mark). `None` when the text does not open with a `---` line, or (with a
/// warning) when the front matter is malformed.
pub(crate) fn read(
    text: &str,
    from: usize,
    warnings: &mut Vec<ArticleWarning>,
) -> Option<FrontMatter> {
    let mut lines = line_ranges(text)
        .zip(1u64..)
        .skip_while(|(range, _)| range.end <= from);
    let (first, opening) = lines.next()?;
    if !is_fence(&text[first.start.max(from)..first.end], false) {
        return None;
    }
    let mut warn = |line: u64, problem: String| {
        warnings.push(ArticleWarning {
            line,
            message: format!("{problem}; the file is indexed as plain text, front matter included"),
        });
    };
    // The lines between the fences, and where the closing one ends.
    let mut body: Vec<(u64, &str)> = Vec::new();
    let mut closing = None;
    for (range, number) in lines {
        if range.end - from > MAX_FRONT_MATTER_BYTES {
            break;
        }
        let line = &text[range.clone()];
        if is_fence(line, true) {
            closing = Some((range.end, number));
            break;
        }
        body.push((number, without_break(line)));
    }
    let Some((body_start, closing_line)) = closing else {
        warn(
            opening,
            format!(
                "the front matter opened on line {opening} has no closing `---` or `...` line within its first {} KiB",
                MAX_FRONT_MATTER_BYTES / 1024
            ),
        );
        return None;
    };
    let yaml = body
        .iter()
        .map(|(_, line)| *line)
        .collect::<Vec<_>>()
        .join("\n");
    let documents = match YamlLoader::load_from_str(&yaml) {
        Ok(documents) => documents,
        Err(error) => {
            // The YAML's lines are the file's lines after the opening one.
            let line = body
                .get(error.marker().line().saturating_sub(1))
                .map_or(closing_line, |(number, _)| *number);
            warn(
                line,
                format!(
                    "the front matter is not valid YAML: {} (line {line})",
                    error.info()
                ),
            );
            return None;
        }
    };
    let mapping = match documents.into_iter().next() {
        None | Some(Yaml::Null) => Default::default(),
        Some(Yaml::Hash(mapping)) => mapping,
        Some(other) => {
            warn(
                opening,
                format!(
                    "the front matter is {}, not a mapping of keys (such as `title:` and `date:`) to values",
                    value_of(&other).kind()
                ),
            );
            return None;
        }
    };
    let mut metadata = Metadata::default();
    for (key, value) in &mapping {
        let Yaml::String(key) = key else { continue };
        let key = key.to_ascii_lowercase();
        if KEYS.contains(&key.as_str()) {
            let line = key_line(&body, &key).unwrap_or(opening);
            metadata.set(&key, value_of(value), line, warnings);
        }
    }
    Some(FrontMatter {
        body_start,
        metadata,
    })
}

/// True for a `---` line (or, for a closing line, also `...`), with its line break
/// and trailing blanks.
fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end_matches([' ', '\t', '\r', '\n']);
    line == "---" || (closing && line == "...")
}

/// A line without its line break.
fn without_break(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// The number of the line of `lines` that opens the top-level key `key` (any
/// letter case, unquoted), if one does.
fn key_line(lines: &[(u64, &str)], key: &str) -> Option<u64> {
    lines.iter().find_map(|(number, line)| {
        let head = line.get(..key.len())?;
        let rest = &line[key.len()..];
        (head.eq_ignore_ascii_case(key) && rest.trim_start().starts_with(':')).then_some(*number)
    })
}

/// A YAML value as the metadata fields see it.
fn value_of(yaml: &Yaml) -> Value<'_> {
    match yaml {
        Yaml::String(text) => Value::Str(text),
        Yaml::Null => Value::Null,
        Yaml::Array(items) => Value::List(items.iter().map(value_of).collect()),
        Yaml::Integer(_) | Yaml::Real(_) => Value::Other("a number"),
        Yaml::Boolean(_) => Value::Other("a boolean"),
        Yaml::Hash(_) => Value::Other("a mapping"),
        Yaml::Alias(_) => Value::Other("an alias"),
        Yaml::BadValue => Value::Other("an unreadable value"),
    }
}

#[cfg(test)]
mod tests;
