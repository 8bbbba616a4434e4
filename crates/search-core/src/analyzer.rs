//! The one text analyzer used at index time and at query time.
//!
//! Words come from Unicode word boundaries (UAX #29), then:
//! - an English possessive (`Kushner's`, `Ukraine’s`) is reduced to the bare word;
//! - an acronym written with dots (`U.S.`) loses its dots, so it matches `US`;
//! - a compound joined by hyphens or inner apostrophes (`U.S.-Russia`, `28-point`,
//!   `l'homme`) yields each part at its own position *and* the joined whole, which
//!   spans all the parts' positions (`position_length > 1`);
//! - then [`UnicodeFold`] (compatibility normalisation, case, diacritics and
//!   invisible characters; see below), tantivy's ASCII folding (`ø`, `ß`, `æ`...)
//!   and Snowball stemming.
//!
//! # Normalisation
//!
//! Text is never rewritten before it is cut into words: the tokenizer runs on the
//! original text, so every token's byte offsets (highlights, positions, citations)
//! point into the source as it is. Each token is then folded on its own, and only a
//! token with a non-ASCII byte pays for it (most tokens of news text are ASCII and
//! are only lower-cased). UAX #29 keeps combining marks, soft hyphens and the other
//! format characters inside the word they follow (rule WB4), so a token holds the
//! whole word to fold.
//!
//! The fold is NFKC rather than NFC: a search should not tell a ligature (`ﬁ`),
//! a full-width letter (`Ｎ`), a roman numeral (`Ⅻ`), a half-width katakana or an
//! Arabic presentation form from the plain letters people type. What NFKC loses
//! (`ǆ` is `dž`, `Ⅻ` is `xii`) is no loss for search. It folds words only: symbols
//! such as `㎞`, and sub- and superscript digits, are not letters for UAX #29, so
//! `CO₂` stays the two words `co` and `2`.
//!
//! Concretely, a non-ASCII token is decomposed (NFKD), lower-cased (the final sigma
//! as `σ`), stripped of diacritics (Latin, Greek and Cyrillic accents, Hebrew points,
//! Arabic harakat, the dot Rust leaves after lower-casing `İ`; not the marks that
//! write vowels, tones or voicing in Indic, Thai or Tibetan words or kana) and of
//! default-ignorable characters (soft hyphen, zero-width joiners, bidi marks,
//! variation selectors), then recomposed (NFC) if anything non-ASCII is left, so
//! Hangul syllables stay syllables. This is Unicode's NFKC_Casefold plus diacritic
//! removal, give or take rare case foldings.
//!
//! Bump [`ANALYZER_VERSION`] whenever the tokens produced for some text change: an
//! index built by another version must be rebuilt, because query terms would no longer
//! meet the indexed terms.

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    AsciiFoldingFilter, RemoveLongFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// Name under which the analyzer is registered with tantivy.
pub const ANALYZER_NAME: &str = "news";

/// Version of the token stream. Indexes record it; a mismatch means "rebuild".
///
/// - 1: UAX #29 words, possessives, acronyms, compounds; lower-case, ASCII folding.
/// - 2: [`UnicodeFold`] instead of plain lower-casing (NFKC, diacritics, invisible
///   characters).
pub const ANALYZER_VERSION: u32 = 2;

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

/// Runs `analyzer` over `text` and collects its tokens (offsets into `text`).
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.clone());
    }
    tokens
}

/// Builds the analyzer for `language`. Index and query side must call this with the
/// language the index records.
pub fn news_analyzer(language: StemLanguage) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(UnicodeFold)
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

/// Folds each token to its search form: an ASCII token is lower-cased; any other
/// is normalised as the [module docs](self#normalisation) describe. A token that
/// folds to nothing (a word of invisible fillers) is dropped.
///
/// Runs per token, after segmentation: offsets keep pointing into the original text.
#[derive(Clone, Copy, Debug, Default)]
pub struct UnicodeFold;

impl TokenFilter for UnicodeFold {
    type Tokenizer<T: Tokenizer> = UnicodeFoldFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> UnicodeFoldFilter<T> {
        UnicodeFoldFilter {
            inner,
            folded: String::new(),
        }
    }
}

/// The tokenizer [`UnicodeFold`] wraps around the previous stage.
#[derive(Clone)]
pub struct UnicodeFoldFilter<T> {
    inner: T,
    /// Reused output buffer, swapped with a folded token's text.
    folded: String,
}

impl<T: Tokenizer> Tokenizer for UnicodeFoldFilter<T> {
    type TokenStream<'a> = UnicodeFoldStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        UnicodeFoldStream {
            tail: self.inner.token_stream(text),
            folded: &mut self.folded,
        }
    }
}

/// Token stream of [`UnicodeFoldFilter`].
pub struct UnicodeFoldStream<'a, T> {
    tail: T,
    folded: &'a mut String,
}

impl<T: TokenStream> TokenStream for UnicodeFoldStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            if token.text.is_ascii() {
                token.text.make_ascii_lowercase();
                return true;
            }
            fold(&token.text, self.folded);
            if !self.folded.is_empty() {
                std::mem::swap(&mut token.text, self.folded);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Writes the search form of `word` into `out` (cleared first): see the
/// [module docs](self#normalisation).
///
/// Each char is decomposed on its own, without NFKD's reordering of marks: the
/// final composition (NFC) puts the marks left in order, and when it is skipped
/// no mark is left (a word below U+0700) or the marks are in order already
/// (`is_nfc_quick` checks that). A test holds this to the plain definition.
fn fold(word: &str, out: &mut String) {
    out.clear();
    // Whether a char left may compose with its neighbour: never below U+0700 once
    // the marks are gone (tested), nor for a Hangul syllable or a CJK ideograph
    // alone.
    let mut may_compose = false;
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_hangul_syllable(c) || is_cjk_ideograph(c) {
            // Already composed, caseless, unmarked: decomposing it would only mean
            // composing it again.
            out.push(c);
        } else {
            decompose_compatible(c, |d| {
                for lower in d.to_lowercase() {
                    if !folds_away(lower) {
                        may_compose |= lower >= '\u{700}';
                        out.push(if lower == 'ς' { 'σ' } else { lower });
                    }
                }
            });
        }
    }
    // Stripping marks leaves most words composed already (Latin ones ASCII); only
    // the others (Hangul jamo, kana with a separate voicing mark, Indic vowel
    // parts) are composed again.
    if may_compose && is_nfc_quick(out.chars()) != IsNormalized::Yes {
        let decomposed = std::mem::take(out);
        out.extend(decomposed.chars().nfc());
    }
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// CJK Unified Ideographs (the main block): no decomposition, case or mark.
fn is_cjk_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// True for what the fold removes from a decomposed, lower-cased word: diacritics
/// and default-ignorable code points.
///
/// A diacritic is a combining mark of the blocks whose marks are accents, points
/// or vowel signs that writers leave out: the combining diacritical marks (Latin,
/// Greek, Cyrillic accents, and the dot left after lower-casing `İ`), Cyrillic's
/// own, Hebrew points and cantillation, Arabic harakat (with hamza and madda above
/// or below `ا`, so `أ`, `إ`, `آ` are `ا`), Syriac points. Marks that write vowels,
/// tones, voicing or conjuncts (Indic, Thai, Tibetan scripts; kana voicing marks)
/// are letters of their word and stay.
fn folds_away(c: char) -> bool {
    // Latin-1 and Latin Extended: only the soft hyphen.
    if c < '\u{300}' {
        return c == '\u{ad}';
    }
    let diacritic_block = matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05CF}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0711}'
            | '\u{0730}'..='\u{074A}'
            | '\u{0898}'..='\u{089F}'
            | '\u{08CA}'..='\u{08FF}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    );
    (diacritic_block && is_combining_mark(c)) || is_default_ignorable(c)
}

/// Unicode's `Default_Ignorable_Code_Point` property (DerivedCoreProperties.txt):
/// characters that are invisible unless a renderer supports them.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
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
