//! A ranked query restricted by a filter that never scores.
//!
//! tantivy's `BooleanQuery` would take a filter as a `Must` clause, but a `Must`
//! clause next to the free words' `Should` clauses turns them optional (every
//! passage passing the filter would match) and takes the words off block-max WAND
//! (a union of term queries is pruned only when it is the whole query). So the
//! filter stays outside the ranked query, in [`Filtered`]:
//!
//! - top-k search (`for_each_pruning`) of a bare union of words ([`Words`], the
//!   common case): MaxScore word by word with the filter as a required clause
//!   ([`crate::maxscore`]). The filter's passages drive (the words skip to the
//!   next one that passes) when it matches fewer passages than the words or passes
//!   under a quarter of the segment; otherwise each candidate is checked against
//!   the filter before it is scored ([`crate::check`]: a forward seek in a term's
//!   postings, one value of the date column).
//! - top-k search of any other ranked query (phrases, required words, titles):
//!   when the filter leads by the same rule, the two are intersected; otherwise the
//!   ranked query runs with its own pruning and each passage that would enter the
//!   top k is checked against the filter, so the threshold only rises with
//!   passages that pass.
//!
//!   Either way a hit's score is exactly the ranked query's. (Measured on the
//!   200 MB benchmark, `just bench-filters`, CPU time over the unfiltered queries:
//!   with an outlet filter, 5 % of the passages, letting the filter lead only when
//!   it matched 8× fewer passages than the words cost 1.96×; whenever it matched
//!   fewer, 1.30×; always intersecting a selective filter, 1.1×; MaxScore with the
//!   filter leading, 1.0×. With a half-year date filter, WAND plus the check cost
//!   1.7×, the intersection with tantivy's union of words 1.6×, MaxScore 1.45×:
//!   tantivy's block-max WAND skips blocks without decoding them, which its public
//!   postings API does not offer.)
//! - every other use (counting, facets, date sorts, explanations) goes through the
//!   intersection scorer: both sides leapfrog, the rarer one leading.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};

use crate::check::{CheckWeight, FilterQuery};
use crate::maxscore::{self, Gate};
use crate::words::{WordScorer, Words, WordsWeight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// A filter passing fewer than one passage in this many of a segment always leads
/// (see [`FilteredWeight::leads`]).
const SELECTIVE: u64 = 4;

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
        let words = match self.query.downcast_ref::<Words>() {
            Some(words) => words.words_weight(enable_scoring)?,
            None => None,
        };
        Ok(Box::new(FilteredWeight {
            query: self.query.weight(enable_scoring)?,
            filter: self.filter.weight(unscored)?,
            check,
            words,
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
    /// The words one by one, when the query is a bare union of words and the
    /// filter has a check.
    words: Option<WordsWeight>,
}

impl FilteredWeight {
    /// Whether the filter's passages should drive the search, rather than be
    /// checked one by one on the passages the words find: when it matches fewer
    /// passages than the words, or lets few through at all (leapfrogging postings
    /// is cheap, and a threshold rises slowly when most candidates fail).
    fn leads(&self, filter_cost: u64, words_cost: u64, reader: &SegmentReader) -> bool {
        filter_cost.saturating_mul(SELECTIVE) < u64::from(reader.max_doc())
            || filter_cost < words_cost
    }
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
        // The filter's size, from term infos when it can tell (a date range then
        // gathers its postings only if it is intersected).
        let (filter, filter_cost) = match &self.check {
            Some(check) => (None, check.estimate(reader)?),
            None => {
                let filter = self.filter.scorer(reader, 1.0)?;
                let cost = if filter.doc() == TERMINATED {
                    0
                } else {
                    filter.cost()
                };
                (Some(filter), cost)
            }
        };
        if filter_cost == 0 {
            return Ok(());
        }
        if let Some(words) = &self.words {
            let scorers = words.scorers(reader)?;
            let words_cost: u64 = scorers.iter().flatten().map(WordScorer::cost).sum();
            let mut gate = match (&self.check, filter) {
                (Some(check), None) if !self.leads(filter_cost, words_cost, reader) => {
                    Gate::Check(check.segment(reader)?)
                }
                (_, Some(filter)) => Gate::Docs(filter),
                (_, None) => Gate::Docs(self.filter.scorer(reader, 1.0)?),
            };
            maxscore::for_each_pruning(scorers, &mut gate, threshold, callback);
            return Ok(());
        }
        let query = self.query.scorer(reader, 1.0)?;
        if self.leads(filter_cost, query.cost(), reader) {
            let filter = match filter {
                Some(filter) => filter,
                None => self.filter.scorer(reader, 1.0)?,
            };
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
                let mut check = check.segment(reader)?;
                self.query
                    .for_each_pruning(threshold, reader, &mut |doc, score| {
                        if check.passes(doc) {
                            current = callback(doc, score);
                        }
                        current
                    })
            }
            None => {
                let Some(mut filter) = filter else {
                    return Ok(());
                };
                self.query
                    .for_each_pruning(threshold, reader, &mut |doc, score| {
                        let passes =
                            filter.doc() == doc || (filter.doc() < doc && filter.seek(doc) == doc);
                        if passes {
                            current = callback(doc, score);
                        }
                        current
                    })
            }
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
