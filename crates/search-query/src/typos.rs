//! Typo correction: a rare query word is searched together with the closest
//! spelling the index knows better (`witkof` also finds `witkoff`).
//!
//! Candidates come from each segment's term dictionary through a Levenshtein
//! automaton; the choice uses index-wide document frequencies (live passages only),
//! so it never depends on how passages fall into segments.

use std::collections::{BTreeSet, HashMap};

use tantivy::query::{Bm25StatisticsProvider, FuzzyTermQuery};

use crate::global::Statistics;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// A term found in fewer passages than this is rare: it is looked up for a close
/// spelling. At 2, only words that occur once or never are corrected, so a real but
/// uncommon word (found in two passages) is left alone.
pub const RARE_DOC_FREQ: u64 = 2;

/// Terms shorter than this (in chars) are never corrected: a short word has too
/// many neighbours one edit away (`tax`: `tan`, `max`, `tap`...).
pub const MIN_CORRECTABLE_CHARS: usize = 4;

/// Terms at least this long (in chars) may be corrected by two edits; shorter ones
/// by [`SHORT_TERM_EDITS`]. One edit in a long word is common, two are rarer but
/// still leave the word recognisable.
pub const LONG_TERM_CHARS: usize = 8;

/// Edits (insertions, deletions, substitutions, transpositions) allowed in a term
/// shorter than [`LONG_TERM_CHARS`].
pub const SHORT_TERM_EDITS: u8 = 1;

/// Edits allowed in a term of [`LONG_TERM_CHARS`] or more.
pub const LONG_TERM_EDITS: u8 = 2;

/// At most this many rare terms of one query are looked up (each lookup runs a
/// Levenshtein automaton over every segment's term dictionary).
pub const MAX_CORRECTED_TERMS: usize = 32;

/// Looks up close spellings for the terms of one query, each term once and at most
/// [`MAX_CORRECTED_TERMS`] rare terms in all.
pub struct TypoCorrector<'a> {
    /// Term dictionaries.
    searcher: &'a Searcher,
    /// Live (or global) document frequencies.
    stats: &'a Statistics<'a>,
    /// The field whose terms are corrected (the passage text).
    field: Field,
    /// The spelling found for each term looked up (`None`: none, or not rare).
    seen: HashMap<String, Option<String>>,
    /// Rare terms looked up so far.
    lookups: usize,
}

impl<'a> TypoCorrector<'a> {
    /// A corrector over `field` of `searcher`, with frequencies from `stats`.
    pub fn new(
        searcher: &'a Searcher,
        stats: &'a Statistics<'a>,
        field: Field,
    ) -> TypoCorrector<'a> {
        TypoCorrector {
            searcher,
            stats,
            field,
            seen: HashMap::new(),
            lookups: 0,
        }
    }

    /// The close spelling to search with `term`, if `term` is rare and the index
    /// knows a better one. A term is looked up once: asked again, the first answer
    /// is returned.
    pub fn correct(&mut self, term: &str) -> tantivy::Result<Option<String>> {
        if let Some(known) = self.seen.get(term) {
            return Ok(known.clone());
        }
        // A statistics phase looks up every rare term: what is rare on this shard
        // may be common over all of them, and then not count against the cap.
        if self.lookups >= MAX_CORRECTED_TERMS && !self.stats.is_recording() {
            return Ok(None);
        }
        let found = match self.lookup(term)? {
            Lookup::Common => None,
            Lookup::Rare(found) => {
                self.lookups += 1;
                found
            }
        };
        self.seen.insert(term.to_string(), found.clone());
        Ok(found)
    }

    /// Whether `term` was already looked up (by [`TypoCorrector::correct`]).
    pub fn looked_up(&self, term: &str) -> bool {
        self.seen.contains_key(term)
    }

    /// Whether `term` is rare enough to look for a close spelling, and what was
    /// found.
    fn lookup(&self, term: &str) -> tantivy::Result<Lookup> {
        let chars = term.chars().count();
        if chars < MIN_CORRECTABLE_CHARS || term.chars().any(|c| c.is_numeric()) {
            return Ok(Lookup::Common);
        }
        let field = self.field;
        let own_freq = self.stats.doc_freq(&Term::from_field_text(field, term))?;
        if own_freq >= RARE_DOC_FREQ {
            return Ok(Lookup::Common);
        }
        let distance = if chars >= LONG_TERM_CHARS {
            LONG_TERM_EDITS
        } else {
            SHORT_TERM_EDITS
        };
        let automaton =
            FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true).automaton()?;
        let mut candidates = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                if let Ok(candidate) = std::str::from_utf8(stream.key()) {
                    if candidate != term {
                        candidates.insert(candidate.to_string());
                    }
                }
            }
        }
        // Over shards, the other shards' candidates too: the global statistics hold
        // every term their dictionaries matched in the statistics phase.
        for candidate in self.stats.global_terms(field) {
            if candidate != term && edit_distance(term, candidate) <= usize::from(distance) {
                candidates.insert(candidate.to_string());
            }
        }
        // The closest spelling, then the most common over the whole index (not per
        // segment: the choice must not depend on how passages fall into segments).
        let mut best: Option<(usize, i64, String)> = None;
        for candidate in candidates {
            let freq = self
                .stats
                .doc_freq(&Term::from_field_text(field, &candidate))?;
            let key = (edit_distance(term, &candidate), -(freq as i64), candidate);
            if best.as_ref().is_none_or(|b| key < *b) {
                best = Some(key);
            }
        }
        Ok(Lookup::Rare(
            best.filter(|(_, neg_freq, _)| (-neg_freq) as u64 > own_freq)
                .map(|(_, _, replacement)| replacement),
        ))
    }
}

/// Whether a term was rare enough to look for a close spelling, and what was found.
enum Lookup {
    /// Frequent enough (or too short): not looked up.
    Common,
    /// Looked up: the spelling found, if any.
    Rare(Option<String>),
}

/// Optimal-string-alignment distance (Levenshtein with adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("witkof", "witkoff"), 1);
        assert_eq!(edit_distance("kushenr", "kushner"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
