//! Pseudo-relevance feedback (RM3-style), behind `SearchOptions::feedback`.
//!
//! The best passages of a first pass are taken as relevant; the words they use most
//! (weighted by each passage's score) are added to the query as optional terms. The
//! original query stays required, so every hit still matches what was typed.

use std::collections::HashMap;

use search_core::stopwords::is_stop_word;
use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::results::Hit;

/// A passage feedback takes as relevant: its text and its first-pass score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seed {
    /// The passage text.
    pub text: String,
    /// Its score in the first pass.
    pub score: f32,
}

impl Seed {
    /// The seeds of first-pass `hits`.
    pub fn of(hits: &[Hit]) -> Vec<Seed> {
        hits.iter()
            .map(|hit| Seed {
                text: hit.text.clone(),
                score: hit.score,
            })
            .collect()
    }
}

/// Settings of pseudo-relevance feedback.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feedback {
    /// How many first-pass passages count as relevant.
    pub docs: usize,
    /// How many expansion terms are added.
    pub terms: usize,
    /// Share of the original query in the final score, in `(0, 1]`.
    pub original_weight: f32,
}

impl Default for Feedback {
    fn default() -> Self {
        Feedback {
            docs: 10,
            terms: 20,
            original_weight: 0.5,
        }
    }
}

/// Expansion terms and their normalised weights from first-pass `hits`.
///
/// A term's weight is its relevance-model probability (its share of each feedback
/// passage, weighted by the passage's score) times its inverse document frequency
/// `idf`, so that words common to the whole collection do not crowd out the
/// distinctive ones.
pub fn expansion_terms(
    hits: &[Seed],
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    settings: &Feedback,
    query_terms: &[String],
    idf: impl Fn(&str) -> f32,
) -> Vec<(String, f32)> {
    let total: f32 = hits.iter().map(|h| h.score.max(0.0)).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut weights: HashMap<String, f32> = HashMap::new();
    for hit in hits {
        let tokens = search_core::analyze(analyzer, &hit.text);
        let words: Vec<_> = tokens
            .iter()
            .filter(|t| t.position_length == 1)
            .filter(|t| {
                let raw = &hit.text[t.offset_from..t.offset_to];
                raw.chars().count() > 2 && !raw.chars().any(char::is_numeric) && !is_stop_word(raw)
            })
            .collect();
        if words.is_empty() {
            continue;
        }
        let share = hit.score.max(0.0) / total / words.len() as f32;
        for token in words {
            *weights.entry(token.text.clone()).or_default() += share;
        }
    }
    let mut ranked: Vec<(String, f32)> = weights
        .into_iter()
        .filter(|(term, _)| !query_terms.contains(term))
        .map(|(term, weight)| {
            let weighted = weight * idf(&term);
            (term, weighted)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(settings.terms);
    let mass: f32 = ranked.iter().map(|(_, w)| w).sum();
    ranked.into_iter().map(|(t, w)| (t, w / mass)).collect()
}

/// A query widened by feedback, and its expansion clauses.
pub struct Expanded {
    /// The original query (required) plus the expansion terms (optional).
    pub query: Box<dyn Query>,
    /// Each expansion term with its weight (boost) and its weighted query, as it
    /// sits in `query`.
    pub terms: Vec<(String, f32, Box<dyn Query>)>,
}

/// The original query (required, weighted) plus the expansion terms (optional).
pub fn expanded_query(
    original: Box<dyn Query>,
    expansion: &[(String, f32)],
    field: Field,
    settings: &Feedback,
    query_size: usize,
) -> Expanded {
    let lambda = settings.original_weight.clamp(0.05, 1.0);
    // The expansion carries (1 - lambda) of the mass the original query carries.
    let scale = (1.0 - lambda) / lambda * query_size.max(1) as f32;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, original)];
    let mut terms = Vec::with_capacity(expansion.len());
    for (term, weight) in expansion {
        let query = TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        );
        let boost = scale * weight;
        let query: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(query), boost));
        terms.push((term.clone(), boost, query.box_clone()));
        clauses.push((Occur::Should, query));
    }
    Expanded {
        query: Box::new(BooleanQuery::new(clauses)),
        terms,
    }
}
