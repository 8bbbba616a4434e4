//! A date range answered from postings: the union of the calendar buckets that
//! cover it.
//!
//! Each dated passage is indexed under its year, month and day
//! ([`search_core::dates::bucket_keys`]). In a segment, a range becomes the few
//! buckets that cover it between the segment's first and last date
//! ([`DateRange::bucket_cover`]), so its cost is exact (the buckets' document
//! frequencies, known before any postings are read), one whole bucket is its own
//! postings (seeks skip blocks), and several are gathered into a bit set once (seeks
//! jump to the word). A day the range cuts (a bound inside a day) is checked
//! against the date column passage by passage.
//!
//! tantivy's fast-field range scorer, used before, scanned the date column: a seek
//! read every value up to its target, so a date filter could not leapfrog with the
//! words, and it reported 80 % of the segment as its cost whatever the range.

use search_core::dates::DateRange;
use search_core::PassageFields;
use tantivy::columnar::Column;
use tantivy::postings::{SegmentPostings, TermInfo};
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Where a passage's date lives: the column (exact instants) and the indexed
/// calendar buckets.
#[derive(Debug, Clone, Copy)]
pub struct DateFields {
    /// The date column (seconds, UTC).
    pub date: Field,
    /// The calendar bucket keys.
    pub bucket: Field,
}

impl DateFields {
    /// The date fields of the passage schema.
    pub fn of(fields: &PassageFields) -> DateFields {
        DateFields {
            date: fields.date,
            bucket: fields.date_bucket,
        }
    }

    /// The date column of a segment, when it has dated passages.
    pub fn column(&self, reader: &SegmentReader) -> Option<Column<i64>> {
        let name = reader.schema().get_field_name(self.date);
        let column = reader.fast_fields().i64(name).ok()?;
        (column.values.num_vals() > 0).then_some(column)
    }

    /// At most how many passages of the segment are dated in one of `ranges`
    /// (exact but for the days a range cuts, counted whole), without reading
    /// postings.
    pub fn estimate(&self, reader: &SegmentReader, ranges: &[DateRange]) -> tantivy::Result<u64> {
        let Some(column) = self.column(reader) else {
            return Ok(0);
        };
        let mut total = 0u64;
        for range in ranges {
            total += SegmentCover::new(self, reader, &column, range)?.cost();
        }
        Ok(total.min(u64::from(reader.max_doc())))
    }
}

/// The passages dated in a range (half-open, seconds).
#[derive(Debug, Clone)]
pub struct DateRangeQuery {
    fields: DateFields,
    range: DateRange,
}

impl DateRangeQuery {
    /// The passages whose date is in `range`.
    pub fn new(fields: DateFields, range: DateRange) -> DateRangeQuery {
        DateRangeQuery { fields, range }
    }
}

impl Query for DateRangeQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DateRangeWeight {
            fields: self.fields,
            range: self.range,
        }))
    }
}

struct DateRangeWeight {
    fields: DateFields,
    range: DateRange,
}

impl Weight for DateRangeWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(column) = self.fields.column(reader) else {
            return Ok(Box::new(EmptyScorer));
        };
        let cover = SegmentCover::new(&self.fields, reader, &column, &self.range)?;
        let inverted = reader.inverted_index(self.fields.bucket)?;
        let postings =
            |info: &TermInfo| inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic);
        match (cover.whole.as_slice(), cover.partial.is_empty()) {
            ([], true) => return Ok(Box::new(EmptyScorer)),
            ([one], true) => return Ok(Box::new(ConstScorer::new(postings(one)?, boost))),
            _ => {}
        }
        let mut buckets = Vec::with_capacity(cover.whole.len() + cover.partial.len());
        for info in &cover.whole {
            buckets.push(Bucket::new(postings(info)?, None));
        }
        for info in &cover.partial {
            buckets.push(Bucket::new(
                postings(info)?,
                Some((column.clone(), self.range)),
            ));
        }
        if buckets.len() <= MERGED {
            let cost = cover.cost();
            return Ok(Box::new(ConstScorer::new(
                Merged::new(buckets, cost),
                boost,
            )));
        }
        let mut docs = BitSet::with_max_value(reader.max_doc());
        for mut bucket in buckets {
            let mut doc = bucket.doc();
            while doc != TERMINATED {
                docs.insert(doc);
                doc = bucket.advance();
            }
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "Document #({doc}) is not dated in {}",
                self.range
            )));
        }
        Ok(Explanation::new("DateRangeQuery", 1.0))
    }
}

/// Up to this many buckets are merged as they are read; more are gathered into a
/// bit set first.
const MERGED: usize = 8;

/// One bucket's passages; for a day the range cuts, only those the range holds.
struct Bucket {
    postings: SegmentPostings,
    check: Option<(Column<i64>, DateRange)>,
}

impl Bucket {
    fn new(postings: SegmentPostings, check: Option<(Column<i64>, DateRange)>) -> Bucket {
        let mut bucket = Bucket { postings, check };
        bucket.skip_out_of_range();
        bucket
    }

    fn skip_out_of_range(&mut self) -> DocId {
        let mut doc = self.postings.doc();
        if let Some((column, range)) = &self.check {
            while doc != TERMINATED && !column.first(doc).is_some_and(|t| range.contains(t)) {
                doc = self.postings.advance();
            }
        }
        doc
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn advance(&mut self) -> DocId {
        self.postings.advance();
        self.skip_out_of_range()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.postings.doc() < target {
            self.postings.seek(target);
            return self.skip_out_of_range();
        }
        self.postings.doc()
    }
}

/// A few buckets merged as they are read: each seek skips blocks in every bucket.
struct Merged {
    buckets: Vec<Bucket>,
    doc: DocId,
    cost: u64,
}

impl Merged {
    fn new(buckets: Vec<Bucket>, cost: u64) -> Merged {
        let mut merged = Merged {
            buckets,
            doc: TERMINATED,
            cost,
        };
        merged.doc = merged.least();
        merged
    }

    fn least(&self) -> DocId {
        self.buckets
            .iter()
            .map(Bucket::doc)
            .min()
            .unwrap_or(TERMINATED)
    }
}

impl DocSet for Merged {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for bucket in &mut self.buckets {
            if bucket.doc() == current {
                bucket.advance();
            }
        }
        self.doc = self.least();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for bucket in &mut self.buckets {
            bucket.seek(target);
        }
        self.doc = self.least();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.cost).unwrap_or(u32::MAX)
    }

    fn cost(&self) -> u64 {
        self.cost
    }
}

/// The buckets of a range present in one segment.
struct SegmentCover {
    whole: Vec<TermInfo>,
    partial: Vec<TermInfo>,
}

impl SegmentCover {
    fn new(
        fields: &DateFields,
        reader: &SegmentReader,
        column: &Column<i64>,
        range: &DateRange,
    ) -> tantivy::Result<SegmentCover> {
        let cover = range.bucket_cover(column.min_value(), column.max_value());
        let inverted = reader.inverted_index(fields.bucket)?;
        let infos = |keys: &[String]| -> tantivy::Result<Vec<TermInfo>> {
            let mut infos = Vec::with_capacity(keys.len());
            for key in keys {
                let term = Term::from_field_text(fields.bucket, key);
                if let Some(info) = inverted.get_term_info(&term)? {
                    infos.push(info);
                }
            }
            Ok(infos)
        };
        Ok(SegmentCover {
            whole: infos(&cover.whole)?,
            partial: infos(&cover.partial)?,
        })
    }

    fn cost(&self) -> u64 {
        self.whole
            .iter()
            .chain(&self.partial)
            .map(|info| u64::from(info.doc_freq))
            .sum()
    }
}
