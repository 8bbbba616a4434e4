//! A ranked query restricted by a filter that never scores.
//!
//! tantivy's `BooleanQuery` would take a filter as a `Must` clause, but a `Must`
//! clause next to the free words' `Should` clauses turns them optional (every
//! passage passing the filter would match) and takes the words off block-max WAND
//! (a union of term queries is pruned only when it is the whole query). So the
//! filter stays outside the ranked query, in [`Filtered`]:
//!
//! - top-k search (`for_each_pruning`): when the filter matches fewer passages than
//!   the words (per segment, by the scorers' costs), the two are intersected and
//!   the filter drives; otherwise the ranked query runs with its own pruning
//!   (block-max WAND for free words) and each passage that would enter the top k is
//!   checked against the filter ([`crate::check`]: a forward seek in a term's
//!   postings, one value of the date column), so the threshold only rises with
//!   passages that pass. Either way a hit's score is exactly the ranked query's.
//!   A filter on terms that passes under a quarter of a segment's passages is
//!   intersected with the words whichever side is rarer. (Measured on the 200 MB
//!   benchmark, `just bench-filters`, CPU time over the unfiltered queries: with an
//!   outlet filter, 5 % of the passages, letting the filter lead only when it
//!   matched 8× fewer passages than the words cost 1.96×; whenever it matched
//!   fewer, 1.30×; always intersecting a selective term filter, 1.1×. WAND's
//!   threshold rises slowly when most candidates fail the filter.)
//! - every other use (counting, facets, date sorts, explanations) goes through the
//!   intersection scorer: both sides leapfrog, the rarer one leading.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};

use crate::check::{CheckWeight, FilterQuery};

/// A filter on terms passing fewer than one passage in this many of a segment is
/// always intersected with the words (see `for_each_pruning`).
const SELECTIVE: u64 = 4;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// `query`, restricted to the passages `filter` matches; scored by `query` alone.
#[derive(Debug)]
pub struct Filtered {
    query: Box<dyn Query>,
    filter: Box<dyn Query>,
}

impl Filtered {
    /// `query` where `filter` matches.
    pub fn new(query: Box<dyn Query>, filter: Box<dyn Query>) -> Filtered {
        Filtered { query, filter }
    }
}

impl Clone for Filtered {
    fn clone(&self) -> Self {
        Filtered {
            query: self.query.box_clone(),
            filter: self.filter.box_clone(),
        }
    }
}

impl Query for Filtered {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = match enable_scoring.searcher() {
            Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
            None => EnableScoring::disabled_from_schema(enable_scoring.schema()),
        };
        let check = match (
            self.filter.downcast_ref::<FilterQuery>(),
            enable_scoring.searcher(),
        ) {
            (Some(filter), Some(searcher)) => Some(filter.check_weight(searcher)?),
            _ => None,
        };
        Ok(Box::new(FilteredWeight {
            query: self.query.weight(enable_scoring)?,
            filter: self.filter.weight(unscored)?,
            check,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct FilteredWeight {
    query: Box<dyn Weight>,
    filter: Box<dyn Weight>,
    /// The filter's passage-at-a-time check, when it has one ([`FilterQuery`]).
    check: Option<CheckWeight>,
}

impl Weight for FilteredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let query = self.query.scorer(reader, boost)?;
        let filter = self.filter.scorer(reader, 1.0)?;
        Ok(Box::new(Intersection::new(query, filter)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut filter = self.filter.scorer(reader, 1.0)?;
        if filter.doc() > doc || filter.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not pass the filter"
            )));
        }
        self.query.explain(reader, doc)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut filter = self.filter.scorer(reader, 1.0)?;
        if filter.doc() == TERMINATED {
            return Ok(());
        }
        let query = self.query.scorer(reader, 1.0)?;
        // A filter on terms that lets few passages through is intersected with the
        // words even when the words are rarer: leapfrogging postings is cheap, and
        // WAND's threshold would rise only with the few passages that pass. (A date
        // range's seek scans the date column, so a date filter leads only when it
        // is the rarer side.)
        let reads_dates = self.check.as_ref().is_some_and(CheckWeight::reads_dates);
        let selective =
            !reads_dates && filter.cost().saturating_mul(SELECTIVE) < u64::from(reader.max_doc());
        if selective || filter.cost() < query.cost() {
            let mut both = Intersection::new(query, filter);
            let mut threshold = threshold;
            let mut doc = both.doc();
            while doc != TERMINATED {
                let score = both.score();
                if score > threshold {
                    threshold = callback(doc, score);
                }
                doc = both.advance();
            }
            return Ok(());
        }
        drop(query);
        let mut current = threshold;
        // Passages arrive in increasing order: the check only moves forward.
        match &self.check {
            Some(check) => {
                drop(filter);
                let mut check = check.segment(reader)?;
                self.query
                    .for_each_pruning(threshold, reader, &mut |doc, score| {
                        if check.passes(doc) {
                            current = callback(doc, score);
                        }
                        current
                    })
            }
            None => self
                .query
                .for_each_pruning(threshold, reader, &mut |doc, score| {
                    let passes =
                        filter.doc() == doc || (filter.doc() < doc && filter.seek(doc) == doc);
                    if passes {
                        current = callback(doc, score);
                    }
                    current
                }),
        }
    }
}

/// The passages both scorers match, scored by the first.
struct Intersection {
    query: Box<dyn Scorer>,
    filter: Box<dyn Scorer>,
    /// Whether `query` matches fewer passages, so it advances and `filter` seeks.
    query_leads: bool,
}

impl Intersection {
    fn new(query: Box<dyn Scorer>, filter: Box<dyn Scorer>) -> Intersection {
        let query_leads = query.cost() <= filter.cost();
        let mut both = Intersection {
            query,
            filter,
            query_leads,
        };
        both.align();
        both
    }

    /// Moves both to the first passage at or after their current ones that both
    /// match.
    fn align(&mut self) -> DocId {
        loop {
            let (a, b) = (self.query.doc(), self.filter.doc());
            if a == b {
                return a;
            }
            if a < b {
                self.query.seek(b);
            } else {
                self.filter.seek(a);
            }
        }
    }
}

impl DocSet for Intersection {
    fn advance(&mut self) -> DocId {
        if self.query_leads {
            self.query.advance();
        } else {
            self.filter.advance();
        }
        self.align()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.query.doc() < target {
            self.query.seek(target);
        }
        self.align()
    }

    fn doc(&self) -> DocId {
        self.query.doc()
    }

    fn size_hint(&self) -> u32 {
        self.query.size_hint().min(self.filter.size_hint())
    }

    fn cost(&self) -> u64 {
        self.query.cost().min(self.filter.cost())
    }
}

impl Scorer for Intersection {
    fn score(&mut self) -> Score {
        self.query.score()
    }
}
