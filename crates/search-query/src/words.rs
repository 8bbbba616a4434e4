//! The free words of a query: a flat union of term queries, each weighted.
//!
//! Unfiltered, [`Words`] is the `BooleanQuery` of its term queries, which tantivy
//! answers with block-max WAND. Under a broad filter, [`crate::filtered`] takes the
//! words one by one instead ([`WordsWeight`]) and prunes them with the filter
//! checked first ([`crate::maxscore`]). A word is scored as tantivy's term scorer
//! scores it (the same BM25 weight, boosted the same way, over the same postings
//! and field norms), so the two answers are the same.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// A union of words, each with its weight (the boost of its term query).
#[derive(Clone, Debug)]
pub struct Words {
    words: Vec<(Term, Score)>,
    /// The union as tantivy runs it.
    union: BooleanQuery,
}

impl Words {
    /// The union of `words`, each boosted by its weight (1 leaves it unboosted).
    pub fn new(words: Vec<(Term, Score)>) -> Words {
        let clauses = words
            .iter()
            .map(|(term, boost)| (Occur::Should, term_query(term, *boost)))
            .collect();
        Words {
            words,
            union: BooleanQuery::new(clauses),
        }
    }

    /// Each word's own weight, for pruning word by word; `None` when scoring is
    /// off.
    pub fn words_weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Option<WordsWeight>> {
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = scoring
        else {
            return Ok(None);
        };
        let words = self
            .words
            .iter()
            .map(|(term, boost)| {
                let weight =
                    Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(term))?;
                Ok((term.clone(), weight.boost_by(*boost)))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Some(WordsWeight { words }))
    }
}

/// `term`'s query, weighted by `boost`.
pub fn term_query(term: &Term, boost: Score) -> Box<dyn Query> {
    let query: Box<dyn Query> =
        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
    if boost == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

impl Query for Words {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        self.union.weight(enable_scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.union.query_terms(visitor);
    }
}

/// The words with their BM25 weights.
pub struct WordsWeight {
    words: Vec<(Term, Bm25Weight)>,
}

impl WordsWeight {
    /// Each word's scorer in `reader`, in clause order; `None` for a word the
    /// segment does not hold.
    pub fn scorers(&self, reader: &SegmentReader) -> tantivy::Result<Vec<Option<WordScorer>>> {
        self.words
            .iter()
            .map(|(term, weight)| {
                let field = term.field();
                let index = reader.inverted_index(field)?;
                let Some(info) = index.get_term_info(term)? else {
                    return Ok(None);
                };
                let postings =
                    index.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                // As tantivy's term weight: a field without norms counts as one token.
                let norms = match reader.fieldnorms_readers().get_field(field)? {
                    Some(norms) => norms,
                    None => FieldNormReader::constant(reader.max_doc(), 1),
                };
                Ok(Some(WordScorer {
                    postings,
                    norms,
                    weight: weight.clone(),
                }))
            })
            .collect()
    }
}

/// One word's passages and scores in a segment, as tantivy's term scorer gives them.
pub struct WordScorer {
    postings: SegmentPostings,
    norms: FieldNormReader,
    weight: Bm25Weight,
}

impl WordScorer {
    /// The current passage.
    pub fn doc(&self) -> DocId {
        self.postings.doc()
    }

    /// Moves to the next passage.
    pub fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    /// Moves to the first passage at or after `target`.
    pub fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    /// The current passage's score.
    pub fn score(&self) -> Score {
        let doc = self.postings.doc();
        self.weight
            .score(self.norms.fieldnorm_id(doc), self.postings.term_freq())
    }

    /// How many passages hold the word.
    pub fn cost(&self) -> u64 {
        u64::from(self.postings.doc_freq())
    }

    /// The most this word adds to any passage's score.
    pub fn max_score(&self) -> Score {
        self.weight.max_score()
    }
}
