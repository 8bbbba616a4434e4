//! Turns a parsed query into a tantivy query, plus what ranking and highlighting
//! need to know: the query's words in order, the terms to highlight, and the close
//! spellings tried for rare words.
//!
//! A plan has two sides. The *ranked* query holds the words: free words (a flat
//! union of term queries, for block-max WAND), phrases and `+word`s (required),
//! `-word`s (excluded). The *filter* ([`Constraint`]) holds the field clauses
//! `source:`, `author:`, `id:`, `url:` and `date:` and the options' filters: it
//! decides which passages may be hits and never changes a score (it is not among
//! the plan's [`Part`]s, so explanations do not show it).
//!
//! `title:` does both. A passage must match the clause in its title (every word of
//! the value, analyzed like the text, or the quoted phrase), and the title words
//! score with the title weight, as a title match of a free word does: the clause
//! is a required part of the ranked query, so `peace title:ukraine` ranks by both
//! words and returns only passages of articles titled with "Ukraine". Several
//! `title:` clauses OR together, like the values of any other field; `-title:`
//! only filters.
//!
//! A query of filters alone (no words to rank, `title:` aside) is valid: it
//! matches every passage that passes them (each scoring 1, or its title score),
//! and is listed newest first unless another sort is asked for.

use std::collections::{HashMap, HashSet};

use search_core::analyze;
use search_core::stopwords::is_stop_word;
use search_core::PassageFields;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EnableScoring, Explanation, Occur as TOccur, PhraseQuery,
    Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, Token};
use tantivy::{DocId, Score, Searcher, SegmentReader, Term};

use crate::constraint::Constraint;
use crate::filtered::Filtered;
use crate::filters::FilterField;
use crate::global::Statistics;
use crate::options::{RankingWeights, SearchOptions};
use crate::results::Correction;
use crate::safe_seek::SafeSeek;
use crate::syntax::{Clause, Occur, ParsedQuery, Target};
use crate::typos::TypoCorrector;
use crate::words::{term_query, Words};

/// Weight of a match in boilerplate (editor's notes, credits): findable, but below
/// any real paragraph.
pub const BOILERPLATE_WEIGHT: f32 = 0.001;
/// Above this many free-word clauses (3 per word: text, title, boilerplate),
/// matches are scored exhaustively rather than with block-max WAND, whose cost per
/// candidate grows with the number of clauses (see [`Exhaustive`]).
const WAND_MAX_CLAUSES: usize = 24;

/// Clauses of a boolean query.
type Clauses = Vec<(TOccur, Box<dyn Query>)>;

/// The tantivy query and its companions.
pub struct Plan {
    /// The ranked query: it scores the passages (see [`Plan::search_query`] for the
    /// query to run).
    pub query: Box<dyn Query>,
    /// What a passage must match to be a hit, without scoring (the filters).
    pub filter: Option<Box<dyn Query>>,
    /// Whether the query has words to rank by (free words, phrases, `+word`s);
    /// false for a query of filters only.
    pub ranked: bool,
    /// Filter values left out (malformed dates, names without a word).
    pub warnings: Vec<String>,
    /// Analyzed terms of the free and required words, in query order (proximity).
    pub ordered_terms: Vec<String>,
    /// Analyzed terms that count as a match in the passage text (highlighting).
    pub highlight_terms: HashSet<String>,
    /// Close spellings that were searched as well.
    pub corrections: Vec<Correction>,
    /// Words past [`Planner::max_words`] that were not searched.
    pub dropped_words: usize,
    /// The scored parts of `query`, one per term or phrase and field: their
    /// scores add up to the passage's BM25 score (explanations).
    pub parts: Vec<Part>,
}

/// One scored part of a plan's query, as it sits in the query: a term or a phrase
/// in one field, with its weight. A passage's BM25 score is the sum of its
/// matching parts' scores.
pub struct Part {
    /// The analyzed term, or a phrase's terms separated by spaces.
    pub label: String,
    /// The field's name as explanations show it (`text`, `title`, `boilerplate`,
    /// `source`, `id`, or `all` for the match-everything part of a query of
    /// exclusions only).
    pub field: &'static str,
    /// The weight the part's BM25 score is multiplied by.
    pub weight: f32,
    /// True for a term added by pseudo-relevance feedback.
    pub feedback: bool,
    /// The weighted query.
    pub query: Box<dyn Query>,
}

/// Everything planning reads.
pub struct Planner<'a> {
    /// The searcher (term dictionaries).
    pub searcher: &'a Searcher,
    /// Statistics of the live passages.
    pub stats: &'a Statistics<'a>,
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
    /// With no words and no filters, match every passage (browsing) rather than
    /// make no plan.
    pub match_all: bool,
}

impl Plan {
    /// The query to run: the ranked query, restricted by the filter.
    pub fn search_query(&self) -> Box<dyn Query> {
        match &self.filter {
            Some(filter) => Box::new(Filtered::new(self.query.box_clone(), filter.box_clone())),
            None => self.query.box_clone(),
        }
    }
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
    /// Free-word terms by field, in query order, with how often each occurs.
    free: Vec<((Field, String), u32)>,
    /// Where each free-word term is in `free`.
    free_index: HashMap<(Field, String), usize>,
    /// Words searched so far.
    words: usize,
    /// Words dropped for being past the maximum.
    dropped: usize,
    /// Scored parts of the query.
    parts: Vec<Part>,
}

impl Planner<'_> {
    /// Builds the plan of `parsed` and of the filters of `options`; `None` when
    /// there is neither a searchable word nor a filter (and not `match_all`).
    pub fn plan(
        &mut self,
        parsed: &ParsedQuery,
        options: &SearchOptions,
    ) -> tantivy::Result<Option<Plan>> {
        let mut clauses: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let mut gathered = Gathered::default();
        let mut constraint = Constraint::new(self.fields);
        let mut titles: Vec<Box<dyn Query>> = Vec::new();
        let mut typos = TypoCorrector::new(self.searcher, self.stats, self.fields.text);
        // Function words are dropped only when the query has other words to search.
        let drop_stop_words = self.weights.drop_stop_words
            && parsed.clauses.iter().any(|c| {
                c.target == Target::Text
                    && c.occur != Occur::MustNot
                    && c.text
                        .split(|ch: char| !ch.is_alphanumeric())
                        .any(|w| !w.is_empty() && !is_stop_word(w))
            });
        let option_clauses = option_filters(options);
        for clause in parsed.clauses.iter().chain(&option_clauses) {
            let exclude = clause.occur == Occur::MustNot;
            let key_field = match clause.target {
                Target::Text => None,
                Target::Title => {
                    if let Some(title) = self.title_query(clause, &mut gathered) {
                        if exclude {
                            constraint.exclude(title);
                        } else {
                            titles.push(title);
                        }
                    }
                    continue;
                }
                Target::Date => {
                    constraint.add_date(&clause.text, exclude);
                    continue;
                }
                Target::Source => Some(FilterField::Source),
                Target::Author => Some(FilterField::Author),
                Target::Id => Some(FilterField::Id),
                Target::Url => Some(FilterField::Url),
            };
            if let Some(field) = key_field {
                constraint.add(field, &clause.text, exclude);
                continue;
            }
            let Some(alternatives) =
                self.clause_query(clause, drop_stop_words, &mut gathered, &mut typos)?
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
        let free_words: Vec<(Term, f32)> = free
            .into_iter()
            .map(|((field, term), count)| self.term_query(field, &term, count, &mut gathered.parts))
            .collect();
        clauses.splice(
            0..0,
            free_words
                .iter()
                .map(|(term, boost)| (TOccur::Should, term_query(term, *boost))),
        );
        for range in &options.dates {
            constraint.add_range(*range);
        }
        constraint.within(options.date_bounds);
        let ranked = clauses.iter().any(|(o, _)| *o != TOccur::MustNot);
        if clauses.is_empty() && titles.is_empty() && constraint.is_empty() && !self.match_all {
            return Ok(None);
        }
        if !ranked && titles.is_empty() {
            // Only exclusions or filters: everything else matches.
            clauses.push((TOccur::Must, Box::new(AllQuery)));
            gathered.parts.push(Part {
                label: String::new(),
                field: "all",
                weight: 1.0,
                feedback: false,
                query: Box::new(AllQuery),
            });
        }
        let words: Option<Box<dyn Query>> = (!clauses.is_empty()).then(|| {
            if exhaustive {
                Box::new(Exhaustive(Box::new(BooleanQuery::new(clauses))))
            } else if clauses.len() == free_words.len() {
                // A bare union of words: pruned word by word under a filter.
                Box::new(Words::new(free_words)) as Box<dyn Query>
            } else {
                Box::new(BooleanQuery::new(clauses))
            }
        });
        let title: Option<Box<dyn Query>> = match titles.len() {
            0 => None,
            1 => titles.pop(),
            _ => Some(Box::new(BooleanQuery::new(
                titles.into_iter().map(|t| (TOccur::Should, t)).collect(),
            ))),
        };
        let query: Box<dyn Query> = match (words, title) {
            (Some(words), Some(title)) => Box::new(BooleanQuery::new(vec![
                (TOccur::Must, words),
                (TOccur::Must, title),
            ])),
            (Some(query), None) | (None, Some(query)) => query,
            (None, None) => Box::new(AllQuery),
        };
        Ok(Some(Plan {
            query,
            filter: constraint.query(),
            ranked,
            warnings: std::mem::take(&mut constraint.warnings),
            ordered_terms: gathered.ordered,
            highlight_terms: gathered.highlight,
            corrections: gathered.corrections,
            dropped_words: gathered.dropped,
            parts: gathered.parts,
        }))
    }

    fn clause_query(
        &mut self,
        clause: &Clause,
        drop_stop_words: bool,
        gathered: &mut Gathered,
        typos: &mut TypoCorrector<'_>,
    ) -> tantivy::Result<Option<Clauses>> {
        let f = self.fields;
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
        let fields: &[Field] = &[f.text, f.title, f.boilerplate_text];
        if positive {
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
                    let query = self.weighted(field, Box::new(PhraseQuery::new_with_offset(terms)));
                    gathered.parts.push(Part {
                        label: simple
                            .iter()
                            .map(|t| t.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        field: self.field_name(field),
                        weight: self.field_weight(field),
                        feedback: false,
                        query: query.box_clone(),
                    });
                    (TOccur::Should, query)
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
                    let first_time = !typos.looked_up(&token.text);
                    if let Some(replacement) = typos.correct(&token.text)? {
                        if first_time {
                            gathered.highlight.insert(replacement.clone());
                            gathered.corrections.push(Correction {
                                word: clause.text.to_string(),
                                replacement: replacement.clone(),
                                surface: replacement.clone(),
                            });
                        }
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
            .map(|(field, term)| {
                let (term, boost) = self.term_query(field, &term, 1, &mut gathered.parts);
                (TOccur::Should, term_query(&term, boost))
            })
            .collect();
        Ok(Some(shoulds))
    }

    /// The query of a `title:` clause: every word of its value in the title (or the
    /// quoted phrase), each scored with the title weight; its parts are recorded
    /// unless the clause excludes. `None` when the value has no searchable word.
    fn title_query(&mut self, clause: &Clause, gathered: &mut Gathered) -> Option<Box<dyn Query>> {
        let title = self.fields.title;
        let mut tokens: Vec<Token> = analyze(self.analyzer, &clause.text)
            .into_iter()
            .filter(|t| t.position_length == 1)
            .collect();
        let is_stop = |t: &Token| is_stop_word(&clause.text[t.offset_from..t.offset_to]);
        if !clause.phrase && self.weights.drop_stop_words && tokens.iter().any(|t| !is_stop(t)) {
            tokens.retain(|t| !is_stop(t));
        }
        let room = self.max_words.saturating_sub(gathered.words);
        if tokens.len() > room {
            gathered.dropped += tokens.len() - room;
            tokens.truncate(room);
        }
        gathered.words += tokens.len();
        if tokens.is_empty() {
            return None;
        }
        let scored = clause.occur != Occur::MustNot;
        let label = tokens
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let weight = self.weights.title;
        let record = |query: &dyn Query, label: String, parts: &mut Vec<Part>| {
            if scored {
                parts.push(Part {
                    label,
                    field: "title",
                    weight,
                    feedback: false,
                    query: query.box_clone(),
                });
            }
        };
        if clause.phrase && tokens.len() > 1 {
            let terms = tokens
                .iter()
                .map(|t| {
                    (
                        t.position - tokens[0].position,
                        Term::from_field_text(title, &t.text),
                    )
                })
                .collect();
            let query = self.weighted(title, Box::new(PhraseQuery::new_with_offset(terms)));
            record(&*query, label, &mut gathered.parts);
            return Some(query);
        }
        let mut words: Clauses = Vec::new();
        let mut seen = HashSet::new();
        for token in &tokens {
            if !seen.insert(token.text.as_str()) {
                continue;
            }
            let term = Term::from_field_text(title, &token.text);
            let query: Box<dyn Query> =
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            let query = self.weighted(title, query);
            record(&*query, token.text.clone(), &mut gathered.parts);
            words.push((TOccur::Must, query));
        }
        Some(if words.len() == 1 {
            words.remove(0).1
        } else {
            Box::new(BooleanQuery::new(words))
        })
    }

    /// `term` in `field` with its weight for the field, counted `count` times;
    /// recorded in `parts`.
    fn term_query(
        &self,
        field: Field,
        term: &str,
        count: u32,
        parts: &mut Vec<Part>,
    ) -> (Term, f32) {
        let label = term.to_string();
        let term = Term::from_field_text(field, term);
        // Scores add up, so n identical clauses score as one weighted n times.
        let boost = self.field_weight(field) * count as f32;
        parts.push(Part {
            label,
            field: self.field_name(field),
            weight: boost,
            feedback: false,
            query: term_query(&term, boost),
        });
        (term, boost)
    }

    /// The weight of a match in `field`: the title weight, [`BOILERPLATE_WEIGHT`],
    /// or 1.
    fn field_weight(&self, field: Field) -> f32 {
        if field == self.fields.title {
            self.weights.title
        } else if field == self.fields.boilerplate_text {
            BOILERPLATE_WEIGHT
        } else {
            1.0
        }
    }

    /// `field`'s name in explanations.
    fn field_name(&self, field: Field) -> &'static str {
        let f = self.fields;
        if field == f.title {
            "title"
        } else if field == f.boilerplate_text {
            "boilerplate"
        } else {
            "text"
        }
    }

    fn weighted(&self, field: Field, query: Box<dyn Query>) -> Box<dyn Query> {
        if field == self.fields.title || field == self.fields.boilerplate_text {
            Box::new(BoostQuery::new(query, self.field_weight(field)))
        } else {
            query
        }
    }
}

/// The options' field filters as clauses, as if they had been typed: a title
/// filter's words must all be in the title, like a `title:` clause.
fn option_filters(options: &SearchOptions) -> Vec<Clause> {
    let clause = |occur: Occur, (field, value): &(FilterField, String)| Clause {
        occur,
        target: match field {
            FilterField::Source => Target::Source,
            FilterField::Author => Target::Author,
            FilterField::Title => Target::Title,
            FilterField::Id => Target::Id,
            FilterField::Url => Target::Url,
        },
        text: value.clone(),
        phrase: false,
    };
    let included = options.filters.iter().map(|f| clause(Occur::Must, f));
    let excluded = options.exclusions.iter().map(|f| clause(Occur::MustNot, f));
    included.chain(excluded).collect()
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
