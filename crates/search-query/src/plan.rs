//! Turns a parsed query into a tantivy query, plus what ranking and highlighting
//! need to know: the query's words in order, the terms to highlight, and the close
//! spellings tried for rare words.

use std::collections::{HashMap, HashSet};

use search_core::stopwords::is_stop_word;
use search_core::PassageFields;
use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, BoostQuery, EnableScoring, Explanation,
    FuzzyTermQuery, Occur as TOccur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, Token};
use tantivy::{DocId, Score, Searcher, SegmentReader, Term};

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
/// At most this many rare terms of one query are looked up for close spellings
/// (each lookup runs a Levenshtein automaton over every segment's term dictionary).
const MAX_CORRECTED_TERMS: usize = 32;
/// Above this many free-word clauses (3 per word: text, title, boilerplate),
/// matches are scored exhaustively rather than with block-max WAND, whose cost per
/// candidate grows with the number of clauses (see [`Exhaustive`]).
const WAND_MAX_CLAUSES: usize = 24;

/// Whether a term was rare enough to look for a close spelling, and what was found.
enum Lookup {
    /// Frequent enough (or too short): not looked up.
    Common,
    /// Looked up: the spelling found, if any.
    Rare(Option<String>),
}

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
    /// Words past [`Planner::max_words`] that were not searched.
    pub dropped_words: usize,
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
    pub analyzer: &'a mut TextAnalyzer,
    /// Ranking weights (title weight).
    pub weights: RankingWeights,
    /// Whether to try close spellings.
    pub typo_tolerance: bool,
    /// At most this many words are searched; the rest of the query is dropped.
    pub max_words: usize,
}

/// What planning gathers over the clauses.
#[derive(Default)]
struct Gathered {
    /// Analyzed free and required words, in query order.
    ordered: Vec<String>,
    /// Terms to highlight.
    highlight: HashSet<String>,
    /// Close spellings searched as well, in query order.
    corrections: Vec<Correction>,
    /// The close spelling found for each term looked up (a word repeated in a
    /// query is looked up once).
    corrected: HashMap<String, Option<String>>,
    /// Rare terms looked up for close spellings.
    correction_lookups: usize,
    /// Free-word terms by field, in query order, with how often each occurs.
    free: Vec<((Field, String), u32)>,
    /// Where each free-word term is in `free`.
    free_index: HashMap<(Field, String), usize>,
    /// Words searched so far.
    words: usize,
    /// Words dropped for being past the maximum.
    dropped: usize,
}

impl Planner<'_> {
    /// Builds the plan; `None` when no clause has a searchable word.
    pub fn plan(&mut self, parsed: &ParsedQuery) -> tantivy::Result<Option<Plan>> {
        let mut clauses: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let mut gathered = Gathered::default();
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
            let Some(alternatives) = self.clause_query(clause, drop_stop_words, &mut gathered)?
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
        let free = std::mem::take(&mut gathered.free);
        let exhaustive = free.len() > WAND_MAX_CLAUSES;
        let free_clauses = free
            .into_iter()
            .map(|((field, term), count)| (TOccur::Should, self.term_query(field, &term, count)));
        clauses.splice(0..0, free_clauses);
        if clauses.is_empty() {
            return Ok(None);
        }
        if clauses.iter().all(|(o, _)| *o == TOccur::MustNot) {
            // Only exclusions: everything else matches.
            clauses.push((TOccur::Must, Box::new(AllQuery)));
        }
        let query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        Ok(Some(Plan {
            query: if exhaustive {
                Box::new(Exhaustive(query))
            } else {
                query
            },
            ordered_terms: gathered.ordered,
            highlight_terms: gathered.highlight,
            corrections: gathered.corrections,
            dropped_words: gathered.dropped,
        }))
    }

    fn clause_query(
        &mut self,
        clause: &Clause,
        drop_stop_words: bool,
        gathered: &mut Gathered,
    ) -> tantivy::Result<Option<Clauses>> {
        let f = self.fields;
        if clause.target == Target::Id {
            if gathered.words >= self.max_words {
                gathered.dropped += 1;
                return Ok(None);
            }
            gathered.words += 1;
            let term = Term::from_field_text(f.doc_id, clause.text.trim());
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            return Ok(Some(vec![(TOccur::Should, Box::new(query))]));
        }
        let mut tokens = analyze(self.analyzer, &clause.text);
        if drop_stop_words && clause.occur == Occur::Should && !clause.phrase {
            tokens.retain(|t| !is_stop_word(&clause.text[t.offset_from..t.offset_to]));
        }
        // The words past the maximum are dropped (a compound's whole form goes
        // with its first part).
        let room = self.max_words.saturating_sub(gathered.words);
        let words = tokens.iter().filter(|t| t.position_length == 1).count();
        if words > room {
            let first_dropped = tokens
                .iter()
                .filter(|t| t.position_length == 1)
                .nth(room)
                .map_or(usize::MAX, |t| t.position);
            tokens.retain(|t| t.position < first_dropped);
            gathered.dropped += words - room;
        }
        gathered.words += words.min(room);
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
                gathered.highlight.insert(t.text.clone());
                if t.position_length == 1 {
                    gathered.ordered.push(t.text.clone());
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
        let mut items: Vec<(Field, String)> = Vec::new();
        for &field in fields {
            for token in &tokens {
                items.push((field, token.text.clone()));
                if positive && self.typo_tolerance && field == f.text && token.position_length == 1
                {
                    if let Some(replacement) =
                        self.corrected(&clause.text, &token.text, gathered)?
                    {
                        items.push((field, replacement));
                    }
                }
            }
        }
        if clause.occur == Occur::Should && !clause.phrase {
            // Free words of the whole query are gathered: a word repeated is one
            // term query weighted by its count, not one query per occurrence.
            for item in items {
                match gathered.free_index.get(&item) {
                    Some(&i) => gathered.free[i].1 += 1,
                    None => {
                        gathered
                            .free_index
                            .insert(item.clone(), gathered.free.len());
                        gathered.free.push((item, 1));
                    }
                }
            }
            return Ok(Some(Vec::new()));
        }
        let shoulds = items
            .into_iter()
            .map(|(field, term)| (TOccur::Should, self.term_query(field, &term, 1)))
            .collect();
        Ok(Some(shoulds))
    }

    /// The close spelling searched with `term` (a word of `word`), looked up once
    /// per term and for at most [`MAX_CORRECTED_TERMS`] rare terms per query.
    fn corrected(
        &self,
        word: &str,
        term: &str,
        gathered: &mut Gathered,
    ) -> tantivy::Result<Option<String>> {
        if let Some(known) = gathered.corrected.get(term) {
            return Ok(known.clone());
        }
        if gathered.correction_lookups >= MAX_CORRECTED_TERMS {
            return Ok(None);
        }
        let found = match self.correction(term)? {
            Lookup::Common => None,
            Lookup::Rare(found) => {
                gathered.correction_lookups += 1;
                found
            }
        };
        gathered.corrected.insert(term.to_string(), found.clone());
        if let Some(replacement) = &found {
            gathered.highlight.insert(replacement.clone());
            gathered.corrections.push(Correction {
                word: word.to_string(),
                replacement: replacement.clone(),
            });
        }
        Ok(found)
    }

    /// A query for `term` in `field`, weighted for the field and counted `count`
    /// times.
    fn term_query(&self, field: Field, term: &str, count: u32) -> Box<dyn Query> {
        let term = Term::from_field_text(field, term);
        let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
        let weight = if field == self.fields.title {
            self.weights.title
        } else if field == self.fields.boilerplate_text {
            BOILERPLATE_WEIGHT
        } else {
            1.0
        };
        // Scores add up, so n identical clauses score as one weighted n times.
        let boost = weight * count as f32;
        if boost == 1.0 && field == self.fields.text {
            query
        } else {
            Box::new(BoostQuery::new(query, boost))
        }
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

    /// A close spelling of `term` that the index knows better, if `term` is rare
    /// enough to look for one.
    fn correction(&self, term: &str) -> tantivy::Result<Lookup> {
        let chars = term.chars().count();
        if chars < MIN_CORRECTABLE_CHARS || term.chars().any(|c| c.is_numeric()) {
            return Ok(Lookup::Common);
        }
        let field = self.fields.text;
        let own_freq = self.stats.doc_freq(&Term::from_field_text(field, term))?;
        if own_freq >= RARE_DOC_FREQ {
            return Ok(Lookup::Common);
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
        Ok(Lookup::Rare(
            best.filter(|(_, neg_freq, _)| (-neg_freq) as u64 > own_freq)
                .map(|(_, _, replacement)| replacement),
        ))
    }
}

/// A query scored exhaustively: every match is scored, none skipped.
///
/// tantivy answers a union of term queries with block-max WAND, which skips
/// passages that cannot make the top k but pays, for every candidate, a pass over
/// (and a sort of) all its clauses: with hundreds of clauses that cost grows with
/// the square of the query's length (2,000 characters of text took 2.3 s on 683,000
/// passages). Wrapped in `Exhaustive`, the union is scored window by window (a
/// 4,096-passage bitset and score buffer), in time linear in the matching postings.
#[derive(Debug)]
pub struct Exhaustive(pub Box<dyn Query>);

impl Clone for Exhaustive {
    fn clone(&self) -> Self {
        Exhaustive(self.0.box_clone())
    }
}

impl Query for Exhaustive {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExhaustiveWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

/// Hands out the wrapped weight's scorer, and leaves `for_each_pruning` to its
/// default (score every match), which is what keeps WAND out.
struct ExhaustiveWeight(Box<dyn Weight>);

impl Weight for ExhaustiveWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
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
