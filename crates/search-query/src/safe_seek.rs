//! A query wrapper whose scorer never seeks backwards.
//!
//! tantivy 0.27's exclusion probes the excluded scorer with `seek_danger` at targets
//! that may lie before the scorer's current document; the phrase scorer asserts
//! against that (a debug assertion, quickwit-oss/tantivy#2811). Excluded clauses are
//! wrapped in [`SafeSeek`], which answers such probes from its current position.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term};

/// Wraps a query so its scorer tolerates out-of-order seeks.
#[derive(Debug)]
pub struct SafeSeek(pub Box<dyn Query>);

impl Clone for SafeSeek {
    fn clone(&self) -> Self {
        SafeSeek(self.0.box_clone())
    }
}

impl Query for SafeSeek {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SafeSeekWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct SafeSeekWeight(Box<dyn Weight>);

impl Weight for SafeSeekWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(SafeSeekScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct SafeSeekScorer(Box<dyn Scorer>);

impl DocSet for SafeSeekScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.0.doc();
        if doc >= target {
            doc
        } else {
            self.0.seek(target)
        }
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        let doc = self.seek(target);
        if doc == target {
            SeekDangerResult::Found
        } else {
            SeekDangerResult::SeekLowerBound(doc)
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for SafeSeekScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
