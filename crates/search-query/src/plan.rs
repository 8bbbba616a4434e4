//! Turns a parsed query into a tantivy query, plus what ranking and highlighting
//! need to know: the query's words in order, the terms to highlight, and the close
//! spellings tried for rare words.

use std::collections::HashSet;

use search_core::stopwords::is_stop_word;
use search_core::PassageFields;
use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur as TOccur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, Token};
use tantivy::{Searcher, Term};

use crate::options::RankingWeights;
use crate::results::Correction;
use crate::safe_seek::SafeSeek;
use crate::syntax::{Clause, Occur, ParsedQuery, Target};

/// A query word with fewer matching passages than this gets close spellings too.
const RARE_DOC_FREQ: u64 = 2;
/// Weight of a match in boilerplate (editor's notes, credits): findable, but below
/// any real paragraph.
const BOILERPLATE_WEIGHT: f32 = 0.001;
/// Words shorter than this (in chars) are not corrected: too many neighbours.
const MIN_CORRECTABLE_CHARS: usize = 4;

/// Clauses of a boolean query.
type Clauses = Vec<(TOccur, Box<dyn Query>)>;

/// The tantivy query and its companions.
pub struct Plan {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// Analyzed terms of the free and required words, in query order (proximity).
    pub ordered_terms: Vec<String>,
    /// Analyzed terms that count as a match in the passage text (highlighting).
    pub highlight_terms: HashSet<String>,
    /// Close spellings that were searched as well.
    pub corrections: Vec<Correction>,
}

/// Everything planning reads.
pub struct Planner<'a> {
    /// The searcher (term dictionaries).
    pub searcher: &'a Searcher,
    /// Statistics of the live passages.
    pub stats: &'a dyn Bm25StatisticsProvider,
    /// Schema fields.
    pub fields: PassageFields,
    /// The index's analyzer.
    pub analyzer: TextAnalyzer,
    /// Ranking weights (title weight).
    pub weights: RankingWeights,
    /// Whether to try close spellings.
    pub typo_tolerance: bool,
}

impl Planner<'_> {
    /// Builds the plan; `None` when no clause has a searchable word.
    pub fn plan(&mut self, parsed: &ParsedQuery) -> tantivy::Result<Option<Plan>> {
        let mut clauses: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let mut plan_terms = Vec::new();
        let mut highlight = HashSet::new();
        let mut corrections = Vec::new();
        // Function words are dropped only when the query has other words to search.
        let drop_stop_words = self.weights.drop_stop_words
            && parsed.clauses.iter().any(|c| {
                c.target == Target::Text
                    && c.occur != Occur::MustNot
                    && c.text
                        .split(|ch: char| !ch.is_alphanumeric())
                        .any(|w| !w.is_empty() && !is_stop_word(w))
            });
        for clause in parsed.clauses.iter() {
            let Some(alternatives) = self.clause_query(
                clause,
                drop_stop_words,
                &mut plan_terms,
                &mut highlight,
                &mut corrections,
            )?
            else {
                continue;
            };
            let occur = match clause.occur {
                Occur::Should if clause.phrase => TOccur::Must,
                Occur::Should => TOccur::Should,
                Occur::Must => TOccur::Must,
                Occur::MustNot => TOccur::MustNot,
            };
            if occur == TOccur::Should {
                // Free words join the top level directly: a flat union of term
                // queries is what tantivy answers with block-max WAND.
                clauses.extend(alternatives);
                continue;
            }
            let query: Box<dyn Query> = Box::new(BooleanQuery::new(alternatives));
            let query: Box<dyn Query> = if occur == TOccur::MustNot {
                Box::new(SafeSeek(query))
            } else {
                query
            };
            clauses.push((occur, query));
        }
        if clauses.is_empty() {
            return Ok(None);
        }
        if clauses.iter().all(|(o, _)| *o == TOccur::MustNot) {
            // Only exclusions: everything else matches.
            clauses.push((TOccur::Must, Box::new(AllQuery)));
        }
        Ok(Some(Plan {
            query: Box::new(BooleanQuery::new(clauses)),
            ordered_terms: plan_terms,
            highlight_terms: highlight,
            corrections,
        }))
    }

    fn clause_query(
        &mut self,
        clause: &Clause,
        drop_stop_words: bool,
        ordered: &mut Vec<String>,
        highlight: &mut HashSet<String>,
        corrections: &mut Vec<Correction>,
    ) -> tantivy::Result<Option<Clauses>> {
        let f = self.fields;
        if clause.target == Target::Id {
            let term = Term::from_field_text(f.doc_id, clause.text.trim());
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            return Ok(Some(vec![(TOccur::Should, Box::new(query))]));
        }
        let mut tokens = analyze(&mut self.analyzer, &clause.text);
        if drop_stop_words && clause.occur == Occur::Should && !clause.phrase {
            tokens.retain(|t| !is_stop_word(&clause.text[t.offset_from..t.offset_to]));
        }
        if tokens.is_empty() {
            return Ok(None);
        }
        let positive = clause.occur != Occur::MustNot;
        let fields: &[Field] = match clause.target {
            Target::Text => &[f.text, f.title, f.boilerplate_text],
            Target::Title => &[f.title],
            Target::Source => &[f.source],
            Target::Id => unreachable!("handled above"),
        };
        if positive && clause.target == Target::Text {
            for t in &tokens {
                highlight.insert(t.text.clone());
                if t.position_length == 1 {
                    ordered.push(t.text.clone());
                }
            }
        }
        let simple: Vec<&Token> = tokens.iter().filter(|t| t.position_length == 1).collect();
        if clause.phrase && simple.len() > 1 {
            let per_field: Vec<(TOccur, Box<dyn Query>)> = fields
                .iter()
                .map(|&field| {
                    let terms = simple
                        .iter()
                        .map(|t| {
                            (
                                t.position - simple[0].position,
                                Term::from_field_text(field, &t.text),
                            )
                        })
                        .collect();
                    (
                        TOccur::Should,
                        self.weighted(field, Box::new(PhraseQuery::new_with_offset(terms))),
                    )
                })
                .collect();
            return Ok(Some(per_field));
        }
        // Words: each token may match in any of the fields. Required and excluded
        // words are one unit (a compound counts once, as a whole or as a phrase of
        // its parts); free words are independent.
        let mut shoulds: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        for &field in fields {
            for token in &tokens {
                let term = Term::from_field_text(field, &token.text);
                shoulds.push((
                    TOccur::Should,
                    self.weighted(
                        field,
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    ),
                ));
                if positive && self.typo_tolerance && field == f.text && token.position_length == 1
                {
                    if let Some(fix) = self.correction(&clause.text, &token.text)? {
                        highlight.insert(fix.replacement.clone());
                        let fuzzy = Term::from_field_text(field, &fix.replacement);
                        shoulds.push((
                            TOccur::Should,
                            Box::new(TermQuery::new(fuzzy, IndexRecordOption::WithFreqs)),
                        ));
                        corrections.push(fix);
                    }
                }
            }
        }
        Ok(Some(shoulds))
    }

    fn weighted(&self, field: Field, query: Box<dyn Query>) -> Box<dyn Query> {
        if field == self.fields.title {
            Box::new(BoostQuery::new(query, self.weights.title))
        } else if field == self.fields.boilerplate_text {
            Box::new(BoostQuery::new(query, BOILERPLATE_WEIGHT))
        } else {
            query
        }
    }

    /// A close spelling of `term` that the index knows better, if any.
    fn correction(&self, word: &str, term: &str) -> tantivy::Result<Option<Correction>> {
        let chars = term.chars().count();
        if chars < MIN_CORRECTABLE_CHARS || term.chars().any(|c| c.is_numeric()) {
            return Ok(None);
        }
        let field = self.fields.text;
        let own_freq = self.stats.doc_freq(&Term::from_field_text(field, term))?;
        if own_freq >= RARE_DOC_FREQ {
            return Ok(None);
        }
        let distance = if chars >= 8 { 2 } else { 1 };
        let automaton =
            FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true).automaton()?;
        let mut candidates = std::collections::BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                if let Ok(candidate) = std::str::from_utf8(stream.key()) {
                    if candidate != term {
                        candidates.insert(candidate.to_string());
                    }
                }
            }
        }
        // The closest spelling, then the most common over the whole index (not per
        // segment: the choice must not depend on how passages fall into segments).
        let mut best: Option<(usize, i64, String)> = None;
        for candidate in candidates {
            let freq = self
                .stats
                .doc_freq(&Term::from_field_text(field, &candidate))?;
            let key = (edit_distance(term, &candidate), -(freq as i64), candidate);
            if best.as_ref().is_none_or(|b| key < *b) {
                best = Some(key);
            }
        }
        Ok(best
            .filter(|(_, neg_freq, _)| (-neg_freq) as u64 > own_freq)
            .map(|(_, _, replacement)| Correction {
                word: word.to_string(),
                replacement,
            }))
    }
}

/// Runs the analyzer over `text`, collecting its tokens.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.clone());
    }
    tokens
}

/// Optimal-string-alignment distance (Levenshtein with adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("witkof", "witkoff"), 1);
        assert_eq!(edit_distance("kushenr", "kushner"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
