//! The query language, parsed leniently: a stray quote or an unknown field degrades
//! to free text with a warning. Parsing never fails.
//!
//! - `word word` free text, ranked by BM25;
//! - `"an exact phrase"`, which a hit must contain;
//! - `+word` required, `-word` excluded (also `+"phrase"`, `-"phrase"`);
//! - `field:value` (the value may be quoted) for the fields `title:`, `source:`,
//!   `author:`, `id:`, `url:` and `date:`; `+field:value` is the same, and
//!   `-field:value` excludes. What each field means is the planner's business
//!   (see `plan`): they filter, and `title:` ranks as well.

/// Whether a clause must, may or must not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Ranks, not required.
    Should,
    /// Required.
    Must,
    /// Excluded.
    MustNot,
}

/// Which field a clause searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Passage text, with the title counted.
    Text,
    /// Article title only.
    Title,
    /// Source (outlet), as a whole name.
    Source,
    /// One of the authors, as a whole name.
    Author,
    /// Article id, matched exactly.
    Id,
    /// The URL, a path prefix of it, or its host or domain.
    Url,
    /// The article's date: a period or a range (`DateRange::parse`).
    Date,
}

/// One parsed clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Must, should or must not.
    pub occur: Occur,
    /// The field searched.
    pub target: Target,
    /// The raw text of the word or phrase, before analysis.
    pub text: String,
    /// True for a quoted phrase.
    pub phrase: bool,
}

/// A parsed query: its clauses and what the parser had to recover from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Clauses in query order.
    pub clauses: Vec<Clause>,
    /// What was read other than as written, in words for the user.
    pub warnings: Vec<String>,
}

/// Parses `query`; never fails.
pub fn parse(query: &str) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let mut rest = query.trim_start();
    while !rest.is_empty() {
        let (occur, after_sign) = match rest.as_bytes()[0] {
            b'+' => (Occur::Must, &rest[1..]),
            b'-' => (Occur::MustNot, &rest[1..]),
            _ => (Occur::Should, rest),
        };
        if occur != Occur::Should
            && (after_sign.is_empty() || after_sign.starts_with(char::is_whitespace))
        {
            // A lone sign: nothing to require or exclude.
            rest = after_sign.trim_start();
            continue;
        }
        let (target, value) = split_field(after_sign, &mut parsed.warnings);
        let (text, phrase, remaining) = read_value(value, &mut parsed.warnings);
        if !text.trim().is_empty() {
            parsed.clauses.push(Clause {
                occur,
                target,
                text,
                phrase,
            });
        }
        rest = remaining.trim_start();
    }
    if parsed.warnings.len() > MAX_WARNINGS {
        let more = parsed.warnings.len() - MAX_WARNINGS;
        parsed.warnings.truncate(MAX_WARNINGS);
        parsed
            .warnings
            .push(format!("{more} more like these were left out"));
    }
    parsed
}

/// At most this many warnings are kept: a long query full of stray quotes gets a
/// few, not one per word.
const MAX_WARNINGS: usize = 8;

/// Splits off a `field:` prefix when it names a field we know.
fn split_field<'q>(input: &'q str, warnings: &mut Vec<String>) -> (Target, &'q str) {
    let word_end = input.find(char::is_whitespace).unwrap_or(input.len());
    let word = &input[..word_end];
    let Some(colon) = word.find(':') else {
        return (Target::Text, input);
    };
    let name = &word[..colon];
    let value = &input[colon + 1..];
    let looks_like_field = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphabetic())
        && !value.is_empty()
        && !value.starts_with(char::is_whitespace)
        && !value.starts_with("//");
    if !looks_like_field {
        return (Target::Text, input);
    }
    match name.to_ascii_lowercase().as_str() {
        "title" => (Target::Title, value),
        "source" => (Target::Source, value),
        "author" => (Target::Author, value),
        "id" => (Target::Id, value),
        "url" => (Target::Url, value),
        "date" => (Target::Date, value),
        _ => {
            warnings.push(format!(
                "unknown field `{name}:` (fields are title:, source:, author:, id:, url: and date:); searched `{word}` as text"
            ));
            (Target::Text, input)
        }
    }
}

/// Reads a word or a quoted phrase; returns (text, is_phrase, rest of input).
fn read_value<'q>(input: &'q str, warnings: &mut Vec<String>) -> (String, bool, &'q str) {
    if let Some(body) = input.strip_prefix(['"', '“', '”']) {
        match body.find(['"', '“', '”']) {
            Some(end) => {
                let close_len = body[end..].chars().next().map_or(1, char::len_utf8);
                return (body[..end].to_string(), true, &body[end + close_len..]);
            }
            None => {
                warnings
                    .push("unclosed quote: the rest of the query was searched as free text".into());
                return read_value(body, &mut Vec::new());
            }
        }
    }
    let end = input.find(char::is_whitespace).unwrap_or(input.len());
    let word = &input[..end];
    // A quote inside a word (`peace"deal`) is dropped rather than opening a phrase.
    if word.contains(['"', '“', '”']) {
        warnings.push(format!("stray quote in `{word}` was ignored"));
        let cleaned: String = word.replace(['"', '“', '”'], " ");
        return (cleaned, false, &input[end..]);
    }
    (word.to_string(), false, &input[end..])
}

#[cfg(test)]
mod tests;
