//! Plain-text helpers: whitespace normalisation, sentence splitting, word
//! tokenisation and an English stop-word list.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Collapses every run of whitespace (newlines included) into one space.
pub fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "no", "co", "inc", "ltd",
    "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "rev", "ca", "approx", "mt", "ft",
    "fig", "vol", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "u.s",
    "u.k", "a.d", "b.c", "d.c", "p.m", "a.m",
];

/// Splits running text into sentences.
///
/// A sentence ends at `.`, `!` or `?` (optionally followed by a closing quote
/// or bracket) when whitespace and then an upper-case letter, a digit or an
/// opening quote follow, unless the word before the period is an initial
/// (`C.`) or a known abbreviation (`Dr.`, `U.S.`).
pub fn split_sentences(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
                end += 1;
            }
            let mut next = end;
            while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                next += 1;
            }
            let at_boundary = next == bytes.len()
                || (next > end
                    && starts_sentence(&text[next..])
                    && !(b == b'.' && is_abbreviation(&text[start..i])));
            if at_boundary {
                let s = text[start..end].trim();
                if !s.is_empty() {
                    sentences.push(s);
                }
                start = next;
                i = next;
                continue;
            }
        }
        i += 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        sentences.push(rest);
    }
    sentences
}

fn starts_sentence(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '\'' | '(')
    })
}

/// Is the last word of `before` (the text up to a period) an initial or abbreviation?
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_uppercase() => return true,
        (None, _) => return false,
        _ => {}
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// A word of running text, with whether it directly follows the previous word
/// (only whitespace between them, so the two form a real phrase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower-cased alphabetic word.
    pub text: String,
    /// Only whitespace separates it from the previous word of the same text.
    pub adjacent: bool,
}

/// Splits text into lower-cased purely alphabetic words; anything else
/// (digits, punctuation) separates words and breaks adjacency.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_ok = true; // no digit inside the current token
    let mut adjacent = false; // the gap since the last word was only spaces
    let flush = |cur: &mut String, ok: bool, adjacent: &mut bool, out: &mut Vec<Word>| {
        if cur.is_empty() {
            return;
        }
        if ok {
            out.push(Word {
                text: std::mem::take(cur),
                adjacent: *adjacent,
            });
            *adjacent = true;
        } else {
            cur.clear();
            *adjacent = false;
        }
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            cur.extend(c.to_lowercase());
        } else if c.is_ascii_digit() {
            cur.push(c);
            cur_ok = false;
        } else {
            flush(&mut cur, cur_ok, &mut adjacent, &mut out);
            cur_ok = true;
            if !c.is_whitespace() {
                adjacent = false;
            }
        }
    }
    flush(&mut cur, cur_ok, &mut adjacent, &mut out);
    if let Some(first) = out.first_mut() {
        first.adjacent = false;
    }
    out
}

/// Common English function words, plus a few corpus fillers, never used as
/// query words.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "even",
    "ever",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "rather",
    "same",
    "several",
    "she",
    "should",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "among",
    "many",
    "well",
    "known",
    "used",
    "called",
    "became",
    "become",
    "including",
    "although",
    "around",
    "another",
    "first",
    "two",
    "three",
    "later",
    "made",
    "make",
    "new",
    "use",
    "us",
    "according",
    "along",
    "across",
];

/// Is `word` (lower-case) a stop word?
pub fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}
