//! Statistics of many shards taken as one index.
//!
//! BM25, typo correction and feedback weights depend on index-wide figures: the
//! number of passages, the tokens per field, the number of passages holding each
//! term. A shard alone knows only its own. A sharded search runs in two phases:
//! each shard records the figures a query consults ([`QueryStatistics`]), the
//! coordinator adds them up ([`QueryStatistics::merge`]), and every shard then
//! scores with the sums, so that each passage gets the score one index over the
//! whole corpus would give it.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::stats::LiveStatistics;

/// The index-wide figures one query consults, from one shard or added up over
/// several (live passages only: deleted ones are left out, as in a search).
///
/// Serialisable, so that shards in other processes can send theirs to a
/// coordinator. Terms are keyed by field name, then by the indexed term (a stem).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryStatistics {
    /// Live passages.
    pub passages: u64,
    /// Tokens indexed in each field, over the live passages.
    pub tokens: BTreeMap<String, u64>,
    /// For each field, the live passages holding each term.
    pub doc_freqs: BTreeMap<String, BTreeMap<String, u64>>,
    /// How many shards these figures add up.
    pub shards: usize,
}

impl QueryStatistics {
    /// Adds `other`'s figures to these (the shards must be disjoint: an article on
    /// one shard only).
    pub fn merge(&mut self, other: &QueryStatistics) {
        self.passages += other.passages;
        self.shards += other.shards;
        for (field, tokens) in &other.tokens {
            *self.tokens.entry(field.clone()).or_default() += tokens;
        }
        for (field, terms) in &other.doc_freqs {
            let mine = self.doc_freqs.entry(field.clone()).or_default();
            for (term, freq) in terms {
                *mine.entry(term.clone()).or_default() += freq;
            }
        }
    }

    /// The sum of `parts`.
    pub fn merged<'a>(parts: impl IntoIterator<Item = &'a QueryStatistics>) -> QueryStatistics {
        let mut sum = QueryStatistics::default();
        for part in parts {
            sum.merge(part);
        }
        sum
    }

    /// Takes the figures of `other`, added up over the same shards in a later
    /// phase (feedback's words), over these.
    ///
    /// A term the first phase consulted on some shards only (a typo candidate,
    /// looked up where the typed word was rare) holds a partial sum here, which
    /// is enough for typo correction but not for anything else; `other` asked
    /// every shard for each of its terms, so its sums are complete.
    pub fn update(&mut self, other: &QueryStatistics) {
        for (field, tokens) in &other.tokens {
            self.tokens.insert(field.clone(), *tokens);
        }
        for (field, terms) in &other.doc_freqs {
            let mine = self.doc_freqs.entry(field.clone()).or_default();
            for (term, freq) in terms {
                mine.insert(term.clone(), *freq);
            }
        }
    }

    /// The terms of `field` these figures count in at least one live passage.
    pub(crate) fn held_terms_of(&self, field: &str) -> impl Iterator<Item = &str> {
        self.doc_freqs
            .get(field)
            .into_iter()
            .flat_map(|terms| terms.iter().filter(|(_, &freq)| freq > 0))
            .map(|(term, _)| term.as_str())
    }
}

/// Which figures a search scores with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source<'a> {
    /// This index's own.
    Live,
    /// This index's own, each one consulted recorded.
    Recording,
    /// These (every shard's); a figure they lack is this index's own.
    Global(&'a QueryStatistics),
}

/// The statistics a search scores with: this index's live figures, the same while
/// recording what is consulted, or a coordinator's global figures.
pub(crate) struct Statistics<'a> {
    live: LiveStatistics<'a>,
    mode: Mode<'a>,
}

enum Mode<'a> {
    Live,
    Recording(RefCell<QueryStatistics>),
    Global(&'a QueryStatistics),
}

impl<'a> Statistics<'a> {
    /// The figures `source` names, over `live`.
    pub fn new(live: LiveStatistics<'a>, source: Source<'a>) -> Statistics<'a> {
        let mode = match source {
            Source::Live => Mode::Live,
            Source::Recording => Mode::Recording(RefCell::new(QueryStatistics {
                passages: live.searcher.num_docs(),
                shards: 1,
                ..QueryStatistics::default()
            })),
            Source::Global(global) => Mode::Global(global),
        };
        Statistics { live, mode }
    }

    /// What was recorded so far (nothing unless recording).
    pub fn recorded(&self) -> QueryStatistics {
        match &self.mode {
            Mode::Recording(seen) => seen.borrow().clone(),
            _ => QueryStatistics::default(),
        }
    }

    /// Records the document frequency of `term` in `field`.
    pub fn record_term(&self, field: Field, term: &str) -> tantivy::Result<()> {
        self.doc_freq(&Term::from_field_text(field, term)).map(drop)
    }

    /// Whether figures are being recorded (a statistics phase).
    pub fn is_recording(&self) -> bool {
        matches!(self.mode, Mode::Recording(_))
    }

    /// The terms of `field` some shard holds, by the global figures (none for a
    /// lone index): the other shards' terms, which this shard's dictionary does
    /// not hold. A term recorded with no passage (a typed word no shard knows)
    /// is in no dictionary, so it is no candidate.
    pub fn global_terms(&self, field: Field) -> Vec<&'a str> {
        match self.mode {
            Mode::Global(global) => global.held_terms_of(self.field_name(field)).collect(),
            _ => Vec::new(),
        }
    }

    fn searcher(&self) -> &'a Searcher {
        self.live.searcher
    }

    fn field_name(&self, field: Field) -> &'a str {
        self.searcher().schema().get_field_name(field)
    }
}

impl Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Mode::Global(global) = self.mode {
            if let Some(&tokens) = global.tokens.get(self.field_name(field)) {
                return Ok(tokens);
            }
        }
        let tokens = self.live.total_num_tokens(field)?;
        if let Mode::Recording(seen) = &self.mode {
            seen.borrow_mut()
                .tokens
                .insert(self.field_name(field).to_string(), tokens);
        }
        Ok(tokens)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        match self.mode {
            Mode::Global(global) => Ok(global.passages),
            _ => self.live.total_num_docs(),
        }
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let value = term.value();
        let text = value.as_str();
        if let (Mode::Global(global), Some(text)) = (&self.mode, text) {
            let known = global
                .doc_freqs
                .get(self.field_name(term.field()))
                .and_then(|terms| terms.get(text));
            if let Some(&freq) = known {
                return Ok(freq);
            }
        }
        let freq = self.live.doc_freq(term)?;
        if let (Mode::Recording(seen), Some(text)) = (&self.mode, text) {
            seen.borrow_mut()
                .doc_freqs
                .entry(self.field_name(term.field()).to_string())
                .or_default()
                .insert(text.to_string(), freq);
        }
        Ok(freq)
    }
}
