//! [`PassageIndex::related`]: the passages of other articles that state what a
//! cited passage states ("the same fact, told by others").
//!
//! The cited passage is the query. Its words, analyzed as the index analyzes
//! them and without function words, are weighted as BM25 weights a query's terms:
//! by their inverse document frequency (tantivy's term scorer applies it), by
//! `1 + ln tf` for a word the passage repeats, and more for what carries a fact in
//! news: words inside quotation marks ([`QUOTED`]) and names ([`NAME`]:
//! capitalised words inside a sentence). The [`MAX_TERMS`] most informative words
//! (that weight times idf) that some other passage holds make a weighted union of
//! term queries over passage text. It runs through the search pipeline like a
//! typed query's free words: BM25 candidates, then the proximity re-rank (with
//! [`PROXIMITY`], stronger than a typed query's), which rewards a passage for
//! repeating the cited words in their order and close together, the cited
//! passage's bigrams; boilerplate last. Passages of the cited article (same path
//! and id) are dropped, and so are copies of the cited passage, which are listed
//! apart ([`Related::copies`]): a copy is the same text, not corroboration.

use std::collections::{HashMap, HashSet};

use search_core::citation::Location;
use search_core::stopwords::is_stop_word;
use search_core::{analyze, Citation};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{Bm25StatisticsProvider, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{TextAnalyzer, Token};
use tantivy::{DocAddress, Term};

use crate::citations::{IndexedPassage, Lookup};
use crate::error::{Failure, Result, SearchError};
use crate::filters::Sort;
use crate::options::{RankingWeights, SearchOptions};
use crate::pipeline::{self, Context};
use crate::plan::{Part, Plan};
use crate::rank::highlights;
use crate::results::Hit;
use crate::syntax::ParsedQuery;
use crate::words::{term_query, Words};
use crate::PassageIndex;

/// At most this many of the cited passage's words make the query.
const MAX_TERMS: usize = 24;
/// Weight of a word quoted in the cited passage (quotes carry the fact: what was
/// said, how it was described).
const QUOTED: f32 = 1.5;
/// Weight of a name: a capitalised word that does not open a sentence.
const NAME: f32 = 2.0;
/// Strength of the proximity re-rank: a candidate holding every pair of
/// consecutive query words as a bigram scores `1 + PROXIMITY` times its BM25.
const PROXIMITY: f32 = 1.0;

/// What [`PassageIndex::related`] finds: the cited passage, its copies in other
/// articles, and the passages of other articles that state the same, best first.
/// Serializes as the JSON contract of `search related --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    /// The cited passage (the first piece of a split paragraph cited whole), with
    /// the words the query was made of as its highlights. Its rank and score are 0:
    /// it is the query, not a hit.
    pub passage: Hit,
    /// Passages of other articles that are copies of it (its copy group), in
    /// citation order. They are not among the hits.
    pub copies: Vec<Citation>,
    /// Passages of other articles that state what it states, best first, ranked
    /// from 1 (the same [`Hit`]s as a search returns).
    pub hits: Vec<Hit>,
}

impl PassageIndex {
    /// The passages of other articles that state what the passage at `citation`
    /// states, best first: "the same fact, told by others".
    ///
    /// `citation` is a printed citation, as [`PassageIndex::lookup`] reads it
    /// (`PATH:LINE`, `PATH:LINE#N`, `PATH:LINE#N.P` or `DOC_ID#N[.P]`); a split
    /// paragraph cited whole is the query with all its pieces. Text that is no
    /// citation is [`SearchError::NotACitation`]; one that names no passage is
    /// [`SearchError::CitationNotFound`], which carries the [`Lookup`] that tells
    /// why.
    ///
    /// The passages of the cited article are never hits, nor are copies of the
    /// cited passage (they are in [`Related::copies`]). `options` gives the limit
    /// and offset, the filters (a hit must pass them), `per_article`,
    /// `highlights`, `check_stale` and `explain`; the hits are always ranked by
    /// relevance, and feedback, facets and counts do not apply.
    pub fn related(&self, citation: &str, options: &SearchOptions) -> Result<Related> {
        options.validate()?;
        if Location::readings(citation).is_empty() {
            return Err(SearchError::NotACitation(citation.to_string()));
        }
        let found = match self.lookup(citation)? {
            Some(Lookup::Found(found)) => found,
            Some(other) => {
                return Err(SearchError::CitationNotFound {
                    citation: citation.to_string(),
                    lookup: Box::new(other),
                })
            }
            None => return Err(SearchError::NotACitation(citation.to_string())),
        };
        let cited: Vec<&IndexedPassage> = found.cited.iter().map(|&i| &found.article[i]).collect();
        let first = &cited[0].citation;
        let mut copies: Vec<Citation> = Vec::new();
        for passage in &cited {
            for copy in self.copies_of(&passage.citation)? {
                let elsewhere = !same_article(&copy, first);
                if elsewhere && !copies.iter().any(|c| same_passage(c, &copy)) {
                    copies.push(copy);
                }
            }
        }
        copies.sort_by(|a, b| place(a).cmp(&place(b)));
        self.with_context(|ctx| related_in(ctx, &cited, found.article.len(), copies, options))
    }
}

/// Where a passage is: path, line, byte range, article id.
fn place(c: &Citation) -> (&str, u64, usize, usize, &str) {
    (&c.path, c.line, c.byte_start, c.byte_end, &c.doc_id)
}

/// Whether `a` and `b` cite passages of the same article (same path and id).
fn same_article(a: &Citation, b: &Citation) -> bool {
    a.path == b.path && a.doc_id == b.doc_id
}

/// Whether `a` and `b` cite the same passage.
fn same_passage(a: &Citation, b: &Citation) -> bool {
    place(a) == place(b)
}

/// [`PassageIndex::related`] once the citation is found: `cited` are the cited
/// passages, `article_len` how many passages their article has.
fn related_in(
    ctx: &mut Context<'_>,
    cited: &[&IndexedPassage],
    article_len: usize,
    copies: Vec<Citation>,
    options: &SearchOptions,
) -> Result<Related, Failure> {
    let first = &cited[0].citation;
    let boilerplate = cited_boilerplate(ctx, cited)?;
    let passages: Vec<(Vec<Word>, bool)> = cited
        .iter()
        .zip(&boilerplate)
        .map(|(p, &b)| (words(ctx.analyzer, &p.text), b))
        .collect();
    let text = ctx.fields.text;
    let stats = ctx.stats;
    let total = stats.total_num_docs()?;
    let df = |term: &str| stats.doc_freq(&Term::from_field_text(text, term));
    let terms = select_terms(&passages, total, df)?;
    let chosen: HashSet<String> = terms.iter().map(|t| t.term.clone()).collect();

    let tokens = analyze(ctx.analyzer, &cited[0].text);
    let stale = options.check_stale && ctx.stale.is_stale(ctx.meta, &first.path);
    let passage = Hit {
        rank: 0,
        score: 0.0,
        highlights: if options.highlights {
            highlights(&chosen, &tokens)
        } else {
            Vec::new()
        },
        text: cited[0].text.clone(),
        citation: first.clone(),
        boilerplate: boilerplate[0],
        stale,
        explanation: None,
        copies: None,
        sources: None,
    };
    if terms.is_empty() || options.limit == 0 {
        return Ok(Related {
            passage,
            copies,
            hits: Vec::new(),
        });
    }

    let filter = options_filter(ctx, options)?;
    let ordered_terms: Vec<String> = passages
        .iter()
        .flat_map(|(words, _)| words.iter())
        .filter(|w| w.simple && chosen.contains(&w.term))
        .map(|w| w.term.clone())
        .collect();
    let weighted: Vec<(Term, f32)> = terms
        .iter()
        .map(|t| (Term::from_field_text(text, &t.term), t.weight))
        .collect();
    let parts = terms
        .iter()
        .zip(&weighted)
        .map(|(t, (term, weight))| Part {
            label: t.term.clone(),
            field: "text",
            weight: *weight,
            feedback: false,
            query: term_query(term, *weight),
        })
        .collect();
    let plan = Plan {
        query: Box::new(Words::new(weighted)),
        filter,
        ranked: true,
        warnings: Vec::new(),
        ordered_terms,
        highlight_terms: chosen,
        corrections: Vec::new(),
        dropped_words: 0,
        parts,
    };
    // Deep enough that, once the article's passages and the copies are dropped,
    // the page is still full.
    let depth = options
        .offset
        .saturating_add(options.limit)
        .saturating_add(article_len)
        .saturating_add(copies.len());
    let run = SearchOptions {
        limit: depth,
        offset: 0,
        sort: Some(Sort::Relevance),
        feedback: None,
        facets: Vec::new(),
        count_matches: false,
        ranking: RankingWeights {
            proximity: PROXIMITY,
            ..options.ranking
        },
        ..options.clone()
    };
    let (found, _) = pipeline::run(ctx, &plan, &run, Sort::Relevance, false)?;
    let hits = others(found, first, &copies, options.offset, options.limit);
    Ok(Related {
        passage,
        copies,
        hits,
    })
}

/// The page of `hits` (best first) past `offset`, at most `limit`, ranked from
/// `offset + 1`, without the passages of `cited`'s article (same path and id) and
/// without `copies`.
fn others(
    hits: Vec<Hit>,
    cited: &Citation,
    copies: &[Citation],
    offset: usize,
    limit: usize,
) -> Vec<Hit> {
    hits.into_iter()
        .filter(|h| {
            let c = &h.citation;
            !same_article(c, cited) && !copies.iter().any(|copy| same_passage(copy, c))
        })
        .skip(offset)
        .take(limit)
        .enumerate()
        .map(|(i, hit)| Hit {
            rank: offset + i + 1,
            ..hit
        })
        .collect()
}

/// Whether each cited passage is boilerplate (its column; false for a passage
/// the index no longer holds).
fn cited_boilerplate(ctx: &Context<'_>, cited: &[&IndexedPassage]) -> Result<Vec<bool>, Failure> {
    let first = &cited[0].citation;
    let term = Term::from_field_text(ctx.fields.doc_id, &first.doc_id);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let addresses: Vec<DocAddress> = ctx
        .searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    Ok(cited
        .iter()
        .map(|p| {
            let c = &p.citation;
            let wanted = (c.path.clone(), c.line, c.byte_start as u64);
            addresses.iter().any(|a| {
                let columns = &ctx.columns[a.segment_ord as usize];
                columns.place(a.doc_id) == wanted && columns.boilerplate(a.doc_id)
            })
        })
        .collect())
}

/// The filter `options` ask for, as a plan's filter: `None` without filters.
fn options_filter(
    ctx: &mut Context<'_>,
    options: &SearchOptions,
) -> Result<Option<Box<dyn tantivy::query::Query>>, Failure> {
    if !options.has_filters() {
        return Ok(None);
    }
    let mut planner = ctx.planner(options);
    planner.typo_tolerance = false;
    Ok(match planner.plan(&ParsedQuery::default(), options)? {
        // Key and date filters only: the filter alone (checked passage by
        // passage, or leading).
        Some(plan) if plan.parts.iter().all(|p| p.field == "all") => plan.filter,
        // A title filter is a query of its own: all of it, as an unscored filter.
        Some(plan) => Some(plan.search_query()),
        None => None,
    })
}

/// One word of the cited passage: its term, and what the text says about it.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    /// The analyzed term.
    term: String,
    /// A plain word (not the whole form of a compound, which spans its parts).
    simple: bool,
    /// A function word (`the`, `was`).
    stop: bool,
    /// Inside quotation marks.
    quoted: bool,
    /// Capitalised, and not the first word of a sentence.
    name: bool,
}

/// The words of `text`, in order.
fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let quoted = quoted_spans(text);
    analyze(analyzer, text)
        .iter()
        .map(|t: &Token| {
            let surface = &text[t.offset_from..t.offset_to];
            Word {
                term: t.text.clone(),
                simple: t.position_length == 1,
                stop: is_stop_word(surface),
                quoted: quoted.iter().any(|q| q.contains(&t.offset_from)),
                name: surface.chars().next().is_some_and(char::is_uppercase)
                    && !opens_sentence(&text[..t.offset_from]),
            }
        })
        .collect()
}

/// The byte ranges of `text` inside quotation marks: straight double quotes in
/// pairs, curly double quotes and guillemets from opening to closing mark.
fn quoted_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (at, c) in text.char_indices() {
        match (c, open) {
            ('"', None) | ('\u{201c}', None) | ('\u{ab}', None) => open = Some(at + c.len_utf8()),
            ('"', Some(start)) | ('\u{201d}', Some(start)) | ('\u{bb}', Some(start)) => {
                spans.push(start..at);
                open = None;
            }
            _ => {}
        }
    }
    spans
}

/// Whether a word after `before` opens a sentence: nothing but spaces, quotes and
/// brackets since the start, or since a full stop, question or exclamation mark.
fn opens_sentence(before: &str) -> bool {
    let rest = before.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '(' | '[' | '\u{201c}' | '\u{2018}' | '\u{ab}'
            )
    });
    rest.is_empty() || rest.ends_with(['.', '!', '?', ':'])
}

/// One word of the query, with its weight.
#[derive(Debug, Clone, PartialEq)]
struct QueryTerm {
    term: String,
    /// The boost of its term query: `1 + ln tf`, times [`QUOTED`] and [`NAME`] when
    /// they apply (BM25 multiplies by the idf).
    weight: f32,
}

/// The query's words from the cited passages (each with its words and whether it
/// is boilerplate), most informative first: at most [`MAX_TERMS`], each held by
/// some passage other than the cited ones. `total` is the number of passages,
/// `df` the number holding a term in their text.
fn select_terms(
    passages: &[(Vec<Word>, bool)],
    total: u64,
    df: impl Fn(&str) -> tantivy::Result<u64>,
) -> tantivy::Result<Vec<QueryTerm>> {
    struct Stats {
        first: usize,
        tf: u32,
        quoted: bool,
        name: bool,
        /// Cited passages that hold it in their text (counted in its df).
        own: u64,
    }
    let mut seen: HashMap<&str, Stats> = HashMap::new();
    let mut order = 0;
    for (words, boilerplate) in passages {
        let mut here: HashSet<&str> = HashSet::new();
        for word in words.iter().filter(|w| !w.stop) {
            order += 1;
            let entry = seen.entry(word.term.as_str()).or_insert(Stats {
                first: order,
                tf: 0,
                quoted: false,
                name: false,
                own: 0,
            });
            entry.tf += 1;
            entry.quoted |= word.quoted;
            entry.name |= word.name;
            if !boilerplate && here.insert(word.term.as_str()) {
                entry.own += 1;
            }
        }
    }
    let n = total as f32;
    let mut ranked: Vec<(f32, usize, QueryTerm)> = Vec::new();
    for (term, s) in seen {
        let df = df(term)?;
        if df <= s.own {
            // No other passage holds it.
            continue;
        }
        let idf = (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
        let mut weight = 1.0 + (s.tf as f32).ln();
        if s.quoted {
            weight *= QUOTED;
        }
        if s.name {
            weight *= NAME;
        }
        ranked.push((
            weight * idf,
            s.first,
            QueryTerm {
                term: term.to_string(),
                weight,
            },
        ));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.truncate(MAX_TERMS);
    Ok(ranked.into_iter().map(|(_, _, t)| t).collect())
}

#[cfg(test)]
mod tests;
