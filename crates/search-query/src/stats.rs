//! BM25 statistics that ignore deleted passages.
//!
//! tantivy counts a deleted document in its statistics until a merge rewrites the
//! segment, so after an incremental update the same query would score differently
//! than on a fresh build of the same corpus. Deleted passages are few (those of the
//! files an update replaced), and their stored text is still there: re-analyzing them
//! gives exactly the tokens and terms they contributed, which are subtracted here.

use std::collections::HashMap;

use search_core::PassageFields;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, Term};

use crate::columns::SegmentColumns;
use crate::error::Failure;
use crate::texts::PassageTexts;

/// What the deleted passages of one searcher generation contributed.
#[derive(Debug, Default)]
pub struct DeletedContribution {
    tokens: HashMap<Field, u64>,
    doc_freq: HashMap<Term, u64>,
}

impl DeletedContribution {
    /// Re-analyzes the deleted passages of `searcher`.
    pub fn compute(
        searcher: &Searcher,
        fields: &PassageFields,
        columns: &[SegmentColumns],
        texts: &PassageTexts,
        analyzer: &mut TextAnalyzer,
    ) -> Result<DeletedContribution, Failure> {
        let mut deleted = DeletedContribution::default();
        let mut group = None;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let Some(alive) = segment.alive_bitset() else {
                continue;
            };
            let segment_columns = &columns[ord];
            for doc in (0..segment.max_doc()).filter(|&d| alive.is_deleted(d)) {
                let address = DocAddress::new(ord as u32, doc);
                let (text, citation) =
                    texts.read_cached(searcher, segment_columns, address, &mut group)?;
                if segment_columns.boilerplate(doc) {
                    deleted.add_analyzed(fields.boilerplate_text, &text, analyzer);
                } else {
                    deleted.add_analyzed(fields.text, &text, analyzer);
                    if let Some(title) = &citation.title {
                        deleted.add_analyzed(fields.title, title, analyzer);
                    }
                }
                if let Some(source) = &citation.source {
                    deleted.add_analyzed(fields.source, source, analyzer);
                }
                deleted.add_raw(fields.doc_id, &citation.doc_id);
                deleted.add_raw(fields.path, &citation.path);
            }
        }
        Ok(deleted)
    }

    fn add_analyzed(&mut self, field: Field, text: &str, analyzer: &mut TextAnalyzer) {
        let mut stream = analyzer.token_stream(text);
        let mut count = 0u64;
        let mut seen: Vec<String> = Vec::new();
        while let Some(token) = stream.next() {
            count += 1;
            if !seen.contains(&token.text) {
                seen.push(token.text.clone());
            }
        }
        *self.tokens.entry(field).or_default() += count;
        for term in seen {
            *self
                .doc_freq
                .entry(Term::from_field_text(field, &term))
                .or_default() += 1;
        }
    }

    fn add_raw(&mut self, field: Field, value: &str) {
        *self.tokens.entry(field).or_default() += 1;
        *self
            .doc_freq
            .entry(Term::from_field_text(field, value))
            .or_default() += 1;
    }
}

/// The statistics of the live passages only.
pub struct LiveStatistics<'a> {
    /// The searcher whose segments are counted.
    pub searcher: &'a Searcher,
    /// What its deleted passages contributed.
    pub deleted: &'a DeletedContribution,
}

impl Bm25StatisticsProvider for LiveStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut total = 0u64;
        for segment in self.searcher.segment_readers() {
            total += segment.inverted_index(field)?.total_num_tokens();
        }
        let deleted = self.deleted.tokens.get(&field).copied().unwrap_or(0);
        Ok(total.saturating_sub(deleted))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.searcher.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let all = self.searcher.doc_freq(term)?;
        Ok(all.saturating_sub(self.deleted.doc_freq.get(term).copied().unwrap_or(0)))
    }
}
