//! A filter that can also answer "does this one passage pass?" without moving past
//! it.
//!
//! When the words are the cheaper side of a filtered search, block-max WAND runs
//! over them and each passage about to enter the top k is checked against the
//! filter ([`crate::filtered`]). Through the filter's `DocSet`, a check is a
//! `seek`, which must find the next passing passage, and a date range's `DocSet`
//! gathers its buckets' postings first. [`FilterQuery`] carries the filter twice:
//! as the tantivy query that counts, intersects and enumerates, and as a [`Check`]
//! tree whose date leaves read one value of the date column per passage checked.
//! The tree also estimates how many passages the filter lets through
//! ([`CheckWeight::estimate`]) before any of its postings are read.

use search_core::dates::DateRange;
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Searcher, SegmentReader, Term};

use crate::dated::DateFields;

/// How one passage is checked, mirroring the filter's query.
#[derive(Debug)]
pub enum Check {
    /// Every part passes.
    All(Vec<Check>),
    /// At least one part passes.
    Any(Vec<Check>),
    /// The part does not pass.
    Not(Box<Check>),
    /// The passage matches the query (terms: its postings, moved forward only).
    Docs(Box<dyn Query>),
    /// The passage's date is in one of the ranges.
    Dated(Vec<DateRange>),
}

impl Clone for Check {
    fn clone(&self) -> Self {
        match self {
            Check::All(parts) => Check::All(parts.clone()),
            Check::Any(parts) => Check::Any(parts.clone()),
            Check::Not(part) => Check::Not(part.clone()),
            Check::Docs(query) => Check::Docs(query.box_clone()),
            Check::Dated(ranges) => Check::Dated(ranges.clone()),
        }
    }
}

/// The filter as a tantivy query (counting, intersections) with its [`Check`].
#[derive(Debug)]
pub struct FilterQuery {
    query: Box<dyn Query>,
    check: Check,
    /// Where the [`Check::Dated`] leaves read dates.
    dates: DateFields,
}

impl Clone for FilterQuery {
    fn clone(&self) -> Self {
        FilterQuery {
            query: self.query.box_clone(),
            check: self.check.clone(),
            dates: self.dates,
        }
    }
}

impl FilterQuery {
    /// `query`, checked passage by passage as `check` says; dates in `dates`.
    pub fn new(query: Box<dyn Query>, check: Check, dates: DateFields) -> FilterQuery {
        FilterQuery {
            query,
            check,
            dates,
        }
    }

    /// The check's weights (unscored), made once per search.
    pub fn check_weight(&self, searcher: &Searcher) -> tantivy::Result<CheckWeight> {
        Ok(CheckWeight {
            node: weigh(&self.check, searcher)?,
            dates: self.dates,
        })
    }
}

impl Query for FilterQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        self.query.weight(enable_scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// A [`Check`] with its weights.
pub struct CheckWeight {
    node: WeightNode,
    dates: DateFields,
}

enum WeightNode {
    All(Vec<WeightNode>),
    Any(Vec<WeightNode>),
    Not(Box<WeightNode>),
    Docs(Box<dyn Weight>),
    Dated(Vec<DateRange>),
}

fn weigh(check: &Check, searcher: &Searcher) -> tantivy::Result<WeightNode> {
    let all = |parts: &[Check]| -> tantivy::Result<Vec<WeightNode>> {
        parts.iter().map(|part| weigh(part, searcher)).collect()
    };
    Ok(match check {
        Check::All(parts) => WeightNode::All(all(parts)?),
        Check::Any(parts) => WeightNode::Any(all(parts)?),
        Check::Not(part) => WeightNode::Not(Box::new(weigh(part, searcher)?)),
        Check::Docs(query) => {
            WeightNode::Docs(query.weight(EnableScoring::disabled_from_searcher(searcher))?)
        }
        Check::Dated(ranges) => WeightNode::Dated(ranges.clone()),
    })
}

impl CheckWeight {
    /// At most how many of the segment's passages pass (an upper bound: a term's
    /// document frequency, a date range's buckets), read from term infos only.
    pub fn estimate(&self, reader: &SegmentReader) -> tantivy::Result<u64> {
        estimate(&self.node, reader, &self.dates)
    }

    /// The check of one segment.
    pub fn segment(&self, reader: &SegmentReader) -> tantivy::Result<SegmentCheck> {
        segment_node(&self.node, reader, &self.dates.column(reader))
    }
}

fn estimate(node: &WeightNode, reader: &SegmentReader, dates: &DateFields) -> tantivy::Result<u64> {
    let all = u64::from(reader.max_doc());
    Ok(match node {
        WeightNode::All(parts) => {
            let mut least = all;
            for part in parts {
                least = least.min(estimate(part, reader, dates)?);
            }
            least
        }
        WeightNode::Any(parts) => {
            let mut sum = 0u64;
            for part in parts {
                sum += estimate(part, reader, dates)?;
            }
            sum.min(all)
        }
        WeightNode::Not(_) => all,
        WeightNode::Docs(weight) => weight.scorer(reader, 1.0)?.cost().min(all),
        WeightNode::Dated(ranges) => dates.estimate(reader, ranges)?,
    })
}

fn segment_node(
    node: &WeightNode,
    reader: &SegmentReader,
    date: &Option<Column<i64>>,
) -> tantivy::Result<SegmentCheck> {
    let all = |parts: &[WeightNode]| -> tantivy::Result<Vec<SegmentCheck>> {
        parts
            .iter()
            .map(|part| segment_node(part, reader, date))
            .collect()
    };
    Ok(match node {
        WeightNode::All(parts) => SegmentCheck::All(all(parts)?),
        WeightNode::Any(parts) => SegmentCheck::Any(all(parts)?),
        WeightNode::Not(part) => SegmentCheck::Not(Box::new(segment_node(part, reader, date)?)),
        WeightNode::Docs(weight) => SegmentCheck::Docs(weight.scorer(reader, 1.0)?),
        WeightNode::Dated(ranges) => SegmentCheck::Dated(date.clone(), ranges.clone()),
    })
}

/// A check of one segment's passages, asked in increasing document order.
pub enum SegmentCheck {
    /// Every part passes.
    All(Vec<SegmentCheck>),
    /// At least one part passes.
    Any(Vec<SegmentCheck>),
    /// The part does not pass.
    Not(Box<SegmentCheck>),
    /// The passage is one of the scorer's.
    Docs(Box<dyn Scorer>),
    /// The passage's date is in one of the ranges (a passage without a date is not).
    Dated(Option<Column<i64>>, Vec<DateRange>),
}

impl SegmentCheck {
    /// Whether passage `doc` passes; `doc` never decreases from one call to the
    /// next.
    pub fn passes(&mut self, doc: DocId) -> bool {
        match self {
            SegmentCheck::All(parts) => parts.iter_mut().all(|part| part.passes(doc)),
            SegmentCheck::Any(parts) => parts.iter_mut().any(|part| part.passes(doc)),
            SegmentCheck::Not(part) => !part.passes(doc),
            SegmentCheck::Docs(scorer) => {
                scorer.doc() == doc || (scorer.doc() < doc && scorer.seek(doc) == doc)
            }
            SegmentCheck::Dated(column, ranges) => column
                .as_ref()
                .and_then(|c| c.first(doc))
                .is_some_and(|t| ranges.iter().any(|r| r.contains(t))),
        }
    }
}
