//! Top-k over a union of term scorers, restricted by a filter checked before
//! scoring: MaxScore (Turtle and Flood) with the filter as a required clause.
//!
//! tantivy prunes a bare union of words with block-max WAND, but a filter outside
//! the union can only be checked on the passages WAND hands back, after they are
//! scored, and most of them fail a broad filter (a year of news). Here the words
//! are split by their maximum scores: the least weighty words whose maxima add up
//! to no more than the threshold are *non-essential* (a passage holding only them
//! cannot enter the top k), and candidates come from the others alone. Each
//! candidate is checked against the filter first, then scored by the essential
//! words, then completed by the non-essential ones only while its bound can still
//! beat the threshold. As the threshold rises, more words become non-essential and
//! fewer candidates are drawn.
//!
//! A hit's score is the sum of its words' scores in clause order, as tantivy's
//! union scorer adds them, so it is the unfiltered query's score exactly.

use tantivy::query::Scorer;
use tantivy::{DocId, Score, TERMINATED};

use crate::check::SegmentCheck;
use crate::words::WordScorer;

/// One word of the union.
struct Word {
    scorer: WordScorer,
    /// The most this word adds to a passage's score.
    max: Score,
    /// The word's position among the union's clauses.
    slot: usize,
}

/// What a passage must pass: a check asked passage by passage, or a set of
/// passages that can skip ahead.
pub enum Gate {
    /// Asked in increasing order; cannot tell where the next passing one is.
    Check(SegmentCheck),
    /// The passages that pass.
    Docs(Box<dyn Scorer>),
}

impl Gate {
    /// The first passage at or after `doc` that may pass (`doc` itself when it
    /// passes); `doc` never decreases from one call to the next.
    fn next(&mut self, doc: DocId) -> DocId {
        match self {
            Gate::Check(check) => {
                if check.passes(doc) {
                    doc
                } else {
                    doc + 1
                }
            }
            Gate::Docs(docs) => {
                if docs.doc() < doc {
                    docs.seek(doc)
                } else {
                    docs.doc()
                }
            }
        }
    }
}

/// Calls `callback` with every passage that matches one of `scorers` (the union's
/// clauses, in order; `None` for a clause that matches nothing in this segment),
/// passes `gate` and scores above the threshold `callback` last returned
/// (`threshold` at first).
pub fn for_each_pruning(
    scorers: Vec<Option<WordScorer>>,
    gate: &mut Gate,
    mut threshold: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) {
    let slots = scorers.len();
    let mut words: Vec<Word> = scorers
        .into_iter()
        .enumerate()
        .filter_map(|(slot, scorer)| {
            let scorer = scorer?;
            (scorer.doc() != TERMINATED).then(|| Word {
                max: scorer.max_score(),
                scorer,
                slot,
            })
        })
        .collect();
    words.sort_by(|a, b| a.max.total_cmp(&b.max));
    // bounds[i]: the most words[..i] add together.
    let mut bounds = Vec::with_capacity(words.len() + 1);
    bounds.push(0.0);
    for word in &words {
        bounds.push(bounds[bounds.len() - 1] + word.max);
    }
    let mut scores: Vec<Score> = vec![0.0; slots];
    let mut essential = first_essential(&bounds, threshold);
    while essential < words.len() {
        let doc = words[essential..]
            .iter()
            .map(|w| w.scorer.doc())
            .min()
            .unwrap_or(TERMINATED);
        if doc == TERMINATED {
            return;
        }
        let next = gate.next(doc);
        if next == TERMINATED {
            return;
        }
        if next > doc {
            // Nothing between passes: the essential words skip to where it may.
            for word in &mut words[essential..] {
                if word.scorer.doc() < next {
                    word.scorer.seek(next);
                }
            }
            continue;
        }
        if let Some(score) = score(&mut words, essential, &bounds, doc, threshold, &mut scores) {
            threshold = callback(doc, score);
            essential = first_essential(&bounds, threshold);
        }
        for word in &mut words[essential..] {
            if word.scorer.doc() == doc {
                word.scorer.advance();
            }
        }
    }
}

/// The first word that must be essential: the words before it add up to no more
/// than `threshold`.
fn first_essential(bounds: &[Score], threshold: Score) -> usize {
    // bounds[i + 1] bounds words[..=i], and bounds never decrease.
    bounds[1..].partition_point(|bound| below(*bound, threshold))
}

/// Whether a passage bounded by `bound` cannot score above `threshold`, with a
/// margin for the rounding of sums added in another order than the score's.
fn below(bound: Score, threshold: Score) -> bool {
    bound <= threshold - threshold.abs() * 1e-5
}

/// `doc`'s exact score if it can beat `threshold`; `None` once its bound cannot.
fn score(
    words: &mut [Word],
    essential: usize,
    bounds: &[Score],
    doc: DocId,
    threshold: Score,
    scores: &mut [Score],
) -> Option<Score> {
    scores.iter_mut().for_each(|s| *s = 0.0);
    let mut bound = bounds[essential];
    for word in &mut words[essential..] {
        if word.scorer.doc() == doc {
            let score = word.scorer.score();
            scores[word.slot] = score;
            bound += score;
        }
    }
    for word in words[..essential].iter_mut().rev() {
        if below(bound, threshold) {
            return None;
        }
        bound -= word.max;
        if word.scorer.doc() < doc {
            word.scorer.seek(doc);
        }
        if word.scorer.doc() == doc {
            let score = word.scorer.score();
            scores[word.slot] = score;
            bound += score;
        }
    }
    // In clause order, as the union scorer adds them.
    let score = scores.iter().fold(0.0, |sum, s| sum + s);
    (score > threshold).then_some(score)
}
