//! An article's metadata fields (`title`, `source`, `date`, `url`, `author` or
//! `authors`) read from a JSONL record or a YAML front matter, with the same rules
//! for both: each format hands its values over as a [`Value`], and a value of the
//! wrong type (or a date that does not parse) is left out with a warning that names
//! the field, never a reason to drop the article.

use search_core::dates::{parse_article_date, ArticleDate};
use search_core::names::name_key;

/// Something wrong with an article's source that did not stop it being indexed
/// (a field of the wrong type, a date that does not parse, a malformed front
/// matter, an empty record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleWarning {
    /// The 1-based line of the file it is about (a JSONL record's line, or the line
    /// of a front matter's key).
    pub line: u64,
    /// What is wrong, and what was done about it.
    pub message: String,
}

/// A metadata value as a format gives it, reduced to what the fields tell apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// No value (`null`, `~`, or nothing after the key): the field is not set.
    Null,
    /// A string.
    Str(&'a str),
    /// A list.
    List(Vec<Value<'a>>),
    /// Anything else, by what it is (`a number`, `a boolean`, `an object`...).
    Other(&'static str),
}

impl Value<'_> {
    /// What the value is, for a message: `a string`, `a list`...
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Str(_) => "a string",
            Value::List(_) => "a list",
            Value::Other(kind) => kind,
        }
    }
}

/// The metadata fields of an article, as far as they were given and valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Metadata {
    pub(crate) title: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) date: Option<ArticleDate>,
    pub(crate) url: Option<String>,
    /// `author` then `authors`, each person once (names compared by `name_key`).
    pub(crate) authors: Vec<String>,
}

/// The keys [`Metadata::set`] knows; others are ignored.
pub(crate) const KEYS: &[&str] = &["title", "source", "date", "url", "author", "authors"];

impl Metadata {
    /// Sets the field `key` (one of [`KEYS`]; others are ignored) from `value`,
    /// given on `line`. A value of the wrong type, or a date that does not parse,
    /// leaves the field unset and adds a warning naming it. Empty strings are no
    /// value.
    pub(crate) fn set(
        &mut self,
        key: &str,
        value: Value<'_>,
        line: u64,
        warnings: &mut Vec<ArticleWarning>,
    ) {
        let mut warn = |message: String| warnings.push(ArticleWarning { line, message });
        let slot = match key {
            "title" => &mut self.title,
            "source" => &mut self.source,
            "url" => &mut self.url,
            "date" => {
                let Some(text) = string_of(key, value, &mut warn) else {
                    return;
                };
                match parse_article_date(&text) {
                    Ok(date) => self.date = Some(date),
                    Err(bad) => warn(format!(
                        "field `date`: {bad}; the article is indexed without a date"
                    )),
                }
                return;
            }
            "author" | "authors" => {
                // One person named twice ("Zoë Park", "zoe park") is one author:
                // the first spelling is kept, as `author:` and facets match names
                // by their key.
                for name in names_of(key, value, &mut warn) {
                    let key = name_key(&name);
                    if !self.authors.iter().any(|known| name_key(known) == key) {
                        self.authors.push(name);
                    }
                }
                return;
            }
            _ => return,
        };
        *slot = string_of(key, value, &mut warn);
    }
}

/// The trimmed string of a string field; `None`, with a warning when the value is
/// of another type, otherwise.
fn string_of(key: &str, value: Value<'_>, warn: &mut impl FnMut(String)) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Str(text) => Some(text.trim().to_string()).filter(|t| !t.is_empty()),
        other => {
            warn(format!(
                "field `{key}` should be a string, found {}; the article is indexed without it",
                other.kind()
            ));
            None
        }
    }
}

/// The names of an `author`/`authors` field: a string, or a list of strings (other
/// items are left out with a warning).
fn names_of(key: &str, value: Value<'_>, warn: &mut impl FnMut(String)) -> Vec<String> {
    let items = match value {
        Value::Null => return Vec::new(),
        Value::Str(_) => vec![value],
        Value::List(items) => items,
        other => {
            warn(format!(
                "field `{key}` should be a string or a list of strings, found {}; the article is indexed without it",
                other.kind()
            ));
            return Vec::new();
        }
    };
    let mut names = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        match item {
            Value::Null => {}
            Value::Str(name) if name.trim().is_empty() => {}
            Value::Str(name) => names.push(name.trim().to_string()),
            other => warn(format!(
                "field `{key}` should be a string or a list of strings, but item {} is {}; that item is left out",
                n + 1,
                other.kind()
            )),
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(key: &str, value: Value<'_>) -> (Metadata, Vec<String>) {
        let mut meta = Metadata::default();
        let mut warnings = Vec::new();
        meta.set(key, value, 7, &mut warnings);
        assert!(warnings.iter().all(|w| w.line == 7));
        (meta, warnings.into_iter().map(|w| w.message).collect())
    }

    #[test]
    fn a_wrong_type_names_the_field_and_what_was_expected() {
        let (meta, warnings) = set("title", Value::Other("a number"));
        assert_eq!(meta.title, None);
        assert_eq!(
            warnings,
            ["field `title` should be a string, found a number; the article is indexed without it"]
        );
        let (meta, warnings) = set("author", Value::Other("an object"));
        assert!(meta.authors.is_empty());
        assert!(warnings[0]
            .contains("`author` should be a string or a list of strings, found an object"));
    }

    #[test]
    fn authors_from_a_string_or_a_list_without_repeats() {
        let mut meta = Metadata::default();
        let mut warnings = Vec::new();
        meta.set("author", Value::Str(" Ann Lee "), 1, &mut warnings);
        let list = vec![
            Value::Str("Ann Lee"),
            Value::Other("a number"),
            Value::Str("Bo Chen"),
            Value::Str(""),
            Value::Str("ann  LEE"),
        ];
        meta.set("authors", Value::List(list), 2, &mut warnings);
        assert_eq!(meta.authors, ["Ann Lee", "Bo Chen"]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 2);
        assert!(
            warnings[0].message.contains("item 2 is a number"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_date_is_normalised_or_left_out_with_its_value_named() {
        let (meta, warnings) = set("date", Value::Str("Thu, 04 Dec 2025 10:30:00 +0200"));
        assert!(warnings.is_empty());
        assert_eq!(meta.date.unwrap().iso, "2025-12-04T08:30:00Z");
        let (meta, warnings) = set("date", Value::Str("next Tuesday"));
        assert_eq!(meta.date, None);
        assert!(warnings[0].starts_with("field `date`: `next Tuesday` is not a date"));
        assert!(warnings[0].ends_with("the article is indexed without a date"));
    }

    #[test]
    fn empty_and_null_values_and_unknown_keys_are_no_value_and_no_warning() {
        for (key, value) in [
            ("title", Value::Str("  ")),
            ("url", Value::Null),
            ("tags", Value::Other("a list")),
        ] {
            let (meta, warnings) = set(key, value);
            assert_eq!(meta, Metadata::default());
            assert!(warnings.is_empty());
        }
    }
}
