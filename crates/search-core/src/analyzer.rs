//! The one text analyzer used at index time and at query time.
//!
//! Words come from Unicode word boundaries (UAX #29), then:
//! - an English possessive (`Kushner's`, `Ukraine’s`) is reduced to the bare word;
//! - an acronym written with dots (`U.S.`) loses its dots, so it matches `US`;
//! - a compound joined by hyphens or inner apostrophes (`U.S.-Russia`, `28-point`,
//!   `l'homme`) yields each part at its own position *and* the joined whole, which
//!   spans all the parts' positions (`position_length > 1`);
//! - then tantivy's lower-casing, ASCII folding (diacritics) and Snowball stemming.
//!
//! Bump [`ANALYZER_VERSION`] whenever the tokens produced for some text change: an
//! index built by another version must be rebuilt, because query terms would no longer
//! meet the indexed terms.

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};
use unicode_segmentation::UnicodeSegmentation;

/// Name under which the analyzer is registered with tantivy.
pub const ANALYZER_NAME: &str = "news";

/// Version of the token stream. Indexes record it; a mismatch means "rebuild".
pub const ANALYZER_VERSION: u32 = 1;

/// Tokens longer than this (in bytes) are dropped: they are base64, URLs or garbage,
/// and they bloat the term dictionary.
const MAX_TOKEN_BYTES: usize = 64;

/// Which Snowball stemmer runs last, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum StemLanguage {
    /// No stemming: words are only folded.
    None,
    /// English (Porter2).
    #[default]
    English,
    /// French.
    French,
    /// Spanish.
    Spanish,
    /// German.
    German,
    /// Italian.
    Italian,
    /// Portuguese.
    Portuguese,
}

impl StemLanguage {
    /// Parses a language name or ISO 639-1 code (`en`, `english`, `none`, ...).
    pub fn parse(name: &str) -> Option<StemLanguage> {
        Some(match name.to_ascii_lowercase().as_str() {
            "none" | "off" => StemLanguage::None,
            "en" | "english" => StemLanguage::English,
            "fr" | "french" => StemLanguage::French,
            "es" | "spanish" => StemLanguage::Spanish,
            "de" | "german" => StemLanguage::German,
            "it" | "italian" => StemLanguage::Italian,
            "pt" | "portuguese" => StemLanguage::Portuguese,
            _ => return None,
        })
    }

    fn algorithm(self) -> Option<Algorithm> {
        match self {
            StemLanguage::None => None,
            StemLanguage::English => Some(Algorithm::English),
            StemLanguage::French => Some(Algorithm::French),
            StemLanguage::Spanish => Some(Algorithm::Spanish),
            StemLanguage::German => Some(Algorithm::German),
            StemLanguage::Italian => Some(Algorithm::Italian),
            StemLanguage::Portuguese => Some(Algorithm::Portuguese),
        }
    }
}

/// Builds the analyzer for `language`. Index and query side must call this with the
/// language the index records.
pub fn news_analyzer(language: StemLanguage) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .dynamic();
    match language.algorithm() {
        Some(algorithm) => builder
            .filter_dynamic(CachedStemmer::new(algorithm))
            .build(),
        None => builder.build(),
    }
}

/// Splits text into word tokens on UAX #29 boundaries, handling possessives,
/// dotted acronyms and compounds (see the module docs).
#[derive(Clone, Default)]
pub struct NewsTokenizer {
    tokens: TokenBuffer,
    segments: Vec<(usize, usize)>,
    parts: Vec<Part>,
}

/// The stream of tokens [`NewsTokenizer`] produced for one text.
pub struct NewsTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for NewsTokenizer {
    type TokenStream<'a> = NewsTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTokenStream<'a> {
        self.tokens.len = 0;
        self.segments.clear();
        word_bounds(text, &mut self.segments);
        tokenize_segments(text, &self.segments, &mut self.parts, &mut self.tokens);
        NewsTokenStream {
            tokens: &mut self.tokens.slots[..self.tokens.len],
            next: 0,
        }
    }
}

impl TokenStream for NewsTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Token slots reused from text to text, so their strings keep their capacity
/// instead of being allocated for every token.
#[derive(Clone, Default)]
struct TokenBuffer {
    slots: Vec<Token>,
    len: usize,
}

impl TokenBuffer {
    /// The next slot, emptied.
    fn push(&mut self) -> &mut Token {
        if self.len == self.slots.len() {
            self.slots.push(Token::default());
        }
        let token = &mut self.slots[self.len];
        self.len += 1;
        token.text.clear();
        token
    }
}

/// A part of a compound: its byte span in the text. Its text is that span, less the
/// dots of an abbreviation (`U.S` is `US`).
#[derive(Clone)]
struct Part {
    from: usize,
    to: usize,
    strip_dots: bool,
}

impl Part {
    fn write(&self, text: &str, out: &mut String) {
        let source = &text[self.from..self.to];
        if self.strip_dots {
            out.extend(source.chars().filter(|&c| c != '.'));
        } else {
            out.push_str(source);
        }
    }
}

#[cfg(test)]
fn tokenize_into(text: &str, out: &mut Vec<Token>) {
    let mut segments = Vec::new();
    word_bounds(text, &mut segments);
    let mut buffer = TokenBuffer::default();
    tokenize_segments(text, &segments, &mut Vec::new(), &mut buffer);
    buffer.slots.truncate(buffer.len);
    out.extend(buffer.slots);
}

/// Builds tokens from the word-boundary segments of `text` (byte ranges covering it).
fn tokenize_segments(
    text: &str,
    segments: &[(usize, usize)],
    compound: &mut Vec<Part>,
    out: &mut TokenBuffer,
) {
    let mut position = 0usize;
    compound.clear();
    let mut next = 0;
    while next < segments.len() {
        let (start, mut end) = segments[next];
        next += 1;
        if !is_wordlike(&text[start..end]) {
            continue;
        }
        push_word(text, start, end, compound);
        let mut word_start = start;
        // Extend the run across joiners: "U.S.-Russia", "28-point".
        loop {
            // A dotted acronym's final dot is its own segment; it belongs to the word.
            let word = &text[word_start..end];
            if word.contains('.')
                && word.chars().any(char::is_alphabetic)
                && segments.get(next) == Some(&(end, end + 1))
                && text.as_bytes()[end] == b'.'
            {
                next += 1;
                end += 1;
                if let Some(last) = compound.last_mut() {
                    last.to = end;
                }
            }
            let joined = match (segments.get(next), segments.get(next + 1)) {
                (Some(&(h_start, h_end)), Some(&(w_start, w_end))) => {
                    h_start == end
                        && is_hyphen(&text[h_start..h_end])
                        && w_start == h_end
                        && is_wordlike(&text[w_start..w_end])
                }
                _ => false,
            };
            if !joined {
                break;
            }
            let (w_start, w_end) = segments[next + 1];
            next += 2;
            end = w_end;
            word_start = w_start;
            push_word(text, w_start, w_end, compound);
        }
        emit_compound(text, compound, &mut position, out);
    }
}

/// Unicode word-boundary (UAX #29) segments of `text`, as byte ranges.
///
/// Runs of ASCII text between ASCII white space take a fast path that applies the
/// UAX #29 rules for ASCII characters directly; everything else goes through
/// unicode-segmentation. White space always ends a word, so the two agree (tested
/// against unicode-segmentation on random text).
fn word_bounds(text: &str, out: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let from = at;
        if bytes[at].is_ascii_whitespace() {
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            out.push((from, at));
            continue;
        }
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let chunk = &text[from..at];
        if chunk.is_ascii() {
            ascii_word_bounds(chunk.as_bytes(), from, out);
        } else {
            out.extend(
                chunk
                    .split_word_bound_indices()
                    .map(|(i, s)| (from + i, from + i + s.len())),
            );
        }
    }
}

/// UAX #29 word boundaries for ASCII text with no white space: letters, digits and
/// `_` join (WB5, WB8-WB10, WB13a/b); a letter run continues over `:` `.` `'` before
/// a letter (WB6/WB7), a digit run over `,` `;` `.` `'` before a digit (WB11/WB12);
/// every other character is a segment of its own (WB999).
fn ascii_word_bounds(chunk: &[u8], base: usize, out: &mut Vec<(usize, usize)>) {
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut at = 0;
    while at < chunk.len() {
        let start = at;
        at += 1;
        if is_word(chunk[start]) {
            while at < chunk.len() {
                let (prev, c) = (chunk[at - 1], chunk[at]);
                if is_word(c) {
                    at += 1;
                    continue;
                }
                let Some(&after) = chunk.get(at + 1) else {
                    break;
                };
                let letters = prev.is_ascii_alphabetic()
                    && after.is_ascii_alphabetic()
                    && matches!(c, b':' | b'.' | b'\'');
                let digits = prev.is_ascii_digit()
                    && after.is_ascii_digit()
                    && matches!(c, b',' | b';' | b'.' | b'\'');
                if !(letters || digits) {
                    break;
                }
                at += 2;
            }
        }
        out.push((base + start, base + at));
    }
}

fn is_wordlike(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

fn is_hyphen(segment: &str) -> bool {
    matches!(segment, "-" | "\u{2010}" | "\u{2011}")
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Adds the parts of one UAX #29 word to the current compound.
fn push_word(text: &str, from: usize, to: usize, parts: &mut Vec<Part>) {
    let mut word = &text[from..to];
    // English possessive: "Kushner's", "Ukraine’s" -> "Kushner".
    if let Some((idx, c)) = word.char_indices().rev().nth(1) {
        let last = word[idx + c.len_utf8()..].chars().next();
        if is_apostrophe(c) && matches!(last, Some('s' | 'S')) && idx > 0 {
            word = &word[..idx];
        }
    }
    // Acronyms and abbreviations: "U.S" -> "US". Numbers keep their dots ("3.5").
    let strip_dots = !word.chars().all(|c| c.is_numeric() || c == '.' || c == ',');
    let mut push = |part_from: usize, part_to: usize| {
        let source = &text[part_from..part_to];
        let has_text = if strip_dots {
            source.chars().any(|c| c != '.')
        } else {
            !source.is_empty()
        };
        if has_text {
            parts.push(Part {
                from: part_from,
                to: part_to,
                strip_dots,
            });
        }
    };
    // Inner apostrophes split the word into parts: "l'homme", "rock'n'roll".
    let mut part_start = from;
    for (idx, c) in word.char_indices() {
        if is_apostrophe(c) {
            push(part_start, from + idx);
            part_start = from + idx + c.len_utf8();
        }
    }
    push(part_start, from + word.len());
}

fn emit_compound(text: &str, parts: &mut Vec<Part>, position: &mut usize, out: &mut TokenBuffer) {
    if parts.len() > 1 {
        let token = out.push();
        for part in parts.iter() {
            part.write(text, &mut token.text);
        }
        token.offset_from = parts[0].from;
        token.offset_to = parts[parts.len() - 1].to;
        token.position = *position;
        token.position_length = parts.len();
    }
    for part in parts.drain(..) {
        let token = out.push();
        part.write(text, &mut token.text);
        token.offset_from = part.from;
        token.offset_to = part.to;
        token.position = *position;
        token.position_length = 1;
        *position += 1;
    }
}

/// Stems cached per analyzer: news vocabulary is Zipfian, so most tokens are words
/// already stemmed, and the Snowball algorithm is the analyzer's costliest step.
/// Produces exactly what tantivy's `Stemmer` filter produces (the same algorithm).
#[derive(Clone)]
pub struct CachedStemmer {
    algorithm: Algorithm,
}

/// Beyond this many entries the cache starts over, bounding its memory.
const STEM_CACHE_ENTRIES: usize = 100_000;

impl CachedStemmer {
    /// A filter stemming with `algorithm`.
    pub fn new(algorithm: Algorithm) -> CachedStemmer {
        CachedStemmer { algorithm }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            stemmer: frostem::Stemmer::new(self.algorithm),
            cache: FxHashMap::default(),
            inner,
        }
    }
}

/// The tokenizer [`CachedStemmer`] wraps around the previous stage.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    stemmer: frostem::Stemmer,
    cache: FxHashMap<String, String>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > STEM_CACHE_ENTRIES {
            self.cache.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
            cache: &mut self.cache,
        }
    }
}

/// Token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a frostem::Stemmer,
    cache: &'a mut FxHashMap<String, String>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.cache.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.cache.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests;
