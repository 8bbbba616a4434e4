//! Splitting an article body into passages with exact byte spans.
//!
//! A paragraph is one line (paragraphs are separated by one or more line breaks:
//! LF, CRLF or a lone CR).
//! A paragraph far longer than a news paragraph is cut at sentence boundaries into
//! pieces of bounded length, each keeping its exact span.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::boilerplate::is_boilerplate;

/// Paragraphs up to this size stay whole (a long news paragraph is ~1 KB).
pub const SPLIT_ABOVE_BYTES: usize = 2048;
/// Target size of the pieces of a split paragraph.
pub const PIECE_BYTES: usize = 1024;

/// One passage of a body, in the coordinates of the text it was cut from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassageSpan {
    /// Byte range in the text; the text at this range is exactly the passage.
    pub range: Range<usize>,
    /// 1-based paragraph number within the article.
    pub paragraph: u64,
    /// 1-based line of the paragraph within the text.
    pub line: u64,
    /// Piece number when the paragraph was split, else `None`.
    pub part: Option<u64>,
    /// True for editor's notes, credits and copyright lines.
    pub boilerplate: bool,
}

/// A non-empty line of a text, trimmed, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Trimmed byte range.
    pub range: Range<usize>,
    /// 1-based line number.
    pub number: u64,
}

/// The non-empty lines of `text` from byte `from` on, trimmed of white space.
///
/// A line ends at LF, at CRLF (one break) or at a lone CR (classic Mac OS files), so
/// line numbers are those an editor shows whatever the file's line endings.
pub fn non_empty_lines(text: &str, from: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    for (idx, raw) in line_ranges(text).enumerate() {
        if raw.end <= from {
            continue;
        }
        let begin = raw.start.max(from);
        let content = &text[begin..raw.end];
        let trimmed_start = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if trimmed.is_empty() {
            continue;
        }
        let s = begin + trimmed_start;
        lines.push(Line {
            range: s..s + trimmed.len(),
            number: idx as u64 + 1,
        });
    }
    lines
}

/// The byte ranges of the lines of `text`, each with its line break (LF, CRLF or
/// CR); the last line may have none. Nothing for an empty text.
///
/// The next LF and the next CR are each found with `memchr` (through `str::find`)
/// and kept until a line passes them, so a text is scanned about once per byte
/// value whatever its line endings.
pub(crate) fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let end = text.len();
    // The next `line_break` at or after `from`; `usize::MAX` when there is none.
    let next = move |from: usize, line_break: char| {
        text[from..]
            .find(line_break)
            .map_or(usize::MAX, |at| from + at)
    };
    let (mut lf, mut cr) = (next(0, '\n'), next(0, '\r'));
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= end {
            return None;
        }
        let line = start;
        if lf < line {
            lf = next(line, '\n');
        }
        if cr < line {
            cr = next(line, '\r');
        }
        start = if cr < lf {
            // CRLF is one break.
            if lf == cr + 1 {
                lf + 1
            } else {
                cr + 1
            }
        } else {
            lf.saturating_add(1).min(end)
        };
        Some(line..start)
    })
}

/// Turns body paragraphs into passages, numbering paragraphs from 1.
pub fn passages_of(text: &str, paragraphs: &[Line]) -> Vec<PassageSpan> {
    let mut out = Vec::with_capacity(paragraphs.len());
    for (idx, line) in paragraphs.iter().enumerate() {
        let paragraph = idx as u64 + 1;
        let body = &text[line.range.clone()];
        if body.len() <= SPLIT_ABOVE_BYTES {
            out.push(PassageSpan {
                range: line.range.clone(),
                paragraph,
                line: line.number,
                part: None,
                boilerplate: is_boilerplate(body),
            });
            continue;
        }
        for (n, piece) in split_long(body).into_iter().enumerate() {
            out.push(PassageSpan {
                range: line.range.start + piece.start..line.range.start + piece.end,
                paragraph,
                line: line.number,
                part: Some(n as u64 + 1),
                boilerplate: false,
            });
        }
    }
    out
}

/// Cuts a long paragraph into pieces of about [`PIECE_BYTES`], at sentence
/// boundaries where possible, then at word boundaries, then at any char boundary.
/// The pieces are trimmed and cover all non-space text.
pub fn split_long(paragraph: &str) -> Vec<Range<usize>> {
    let mut units: Vec<Range<usize>> = Vec::new();
    for (at, sentence) in paragraph.split_sentence_bound_indices() {
        if sentence.len() <= PIECE_BYTES {
            units.push(at..at + sentence.len());
            continue;
        }
        // A run-on "sentence": fall back to words, then to chars.
        for (w_at, word) in sentence.split_word_bound_indices() {
            let start = at + w_at;
            if word.len() <= PIECE_BYTES {
                units.push(start..start + word.len());
            } else {
                let mut from = 0;
                while from < word.len() {
                    let mut to = (from + PIECE_BYTES).min(word.len());
                    while !word.is_char_boundary(to) {
                        to -= 1;
                    }
                    units.push(start + from..start + to);
                    from = to;
                }
            }
        }
    }
    let mut pieces = Vec::new();
    let mut current: Option<Range<usize>> = None;
    for unit in units {
        current = match current {
            Some(range) if unit.end - range.start > PIECE_BYTES => {
                pieces.push(range);
                Some(unit)
            }
            Some(range) => Some(range.start..unit.end),
            None => Some(unit),
        };
    }
    pieces.extend(current);
    pieces
        .into_iter()
        .filter_map(|range| trim_range(paragraph, range))
        .collect()
}

fn trim_range(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = range.start + (slice.len() - slice.trim_start().len());
    Some(start..start + trimmed.len())
}

#[cfg(test)]
mod tests;
