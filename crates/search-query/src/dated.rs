//! A date range over the date column whose scorer says how many passages it will
//! likely let through.
//!
//! tantivy's fast-field range scorer reports 80 % of the segment as its cost,
//! whatever the range, so a filter on one week would never lead an intersection
//! with the words ([`crate::filtered`]). [`DateRangeQuery`] estimates the share of
//! the segment's passages in the range from the column's span (first to last
//! date), as if dates were spread evenly: a guess, but one that tells a week from a
//! decade, which is all the choice of the leading side needs.

use std::ops::Bound;

use search_core::dates::DateRange;
use tantivy::query::{EnableScoring, Explanation, Query, RangeQuery, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// The passages dated in a range (half-open, seconds), by the date column.
#[derive(Debug, Clone)]
pub struct DateRangeQuery {
    field: Field,
    range: DateRange,
}

impl DateRangeQuery {
    /// The passages whose date (in `field`'s column) is in `range`.
    pub fn new(field: Field, range: DateRange) -> DateRangeQuery {
        DateRangeQuery { field, range }
    }

    fn inner(&self) -> RangeQuery {
        let start = Term::from_field_i64(self.field, self.range.start.unwrap_or(i64::MIN));
        let end = match self.range.end {
            Some(end) => Bound::Excluded(Term::from_field_i64(self.field, end)),
            None => Bound::Included(Term::from_field_i64(self.field, i64::MAX)),
        };
        RangeQuery::new(Bound::Included(start), end)
    }
}

impl Query for DateRangeQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DateRangeWeight {
            inner: self.inner().weight(enable_scoring)?,
            field: self.field,
            range: self.range,
        }))
    }
}

struct DateRangeWeight {
    inner: Box<dyn Weight>,
    field: Field,
    range: DateRange,
}

impl Weight for DateRangeWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = self.inner.scorer(reader, boost)?;
        let name = reader.schema().get_field_name(self.field);
        let cost = match reader.fast_fields().i64(name) {
            Ok(column) if column.num_docs() > 0 => {
                let (first, last) = (column.min_value(), column.max_value());
                let start = self.range.start.unwrap_or(i64::MIN).max(first);
                let end = self
                    .range
                    .end
                    .unwrap_or(i64::MAX)
                    .min(last.saturating_add(1));
                let span = (last as i128 - first as i128 + 1).max(1);
                let share = ((end as i128 - start as i128).max(0) as f64) / span as f64;
                ((reader.max_doc() as f64) * share.min(1.0)).ceil() as u64
            }
            _ => scorer.cost(),
        };
        Ok(Box::new(Estimated { scorer, cost }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

/// A scorer with an estimated cost.
struct Estimated {
    scorer: Box<dyn Scorer>,
    cost: u64,
}

impl DocSet for Estimated {
    fn advance(&mut self) -> DocId {
        self.scorer.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.scorer.seek(target)
    }

    fn doc(&self) -> DocId {
        self.scorer.doc()
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.cost).unwrap_or(u32::MAX)
    }

    fn cost(&self) -> u64 {
        self.cost
    }
}

impl Scorer for Estimated {
    fn score(&mut self) -> Score {
        self.scorer.score()
    }
}
