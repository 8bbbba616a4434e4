//! The filters of one search gathered into one tantivy query that decides which
//! passages may be hits and never scores them (see [`crate::filtered`] for how it
//! is combined with the ranked words).
//!
//! Values of one field OR together, fields AND together, excluded values are
//! removed; `date:` ranges OR together, and the options' `within` range is ANDed
//! with the rest. Each field is matched on its key, as the indexer wrote it
//! (`search_core::names`): `source:` and `author:` by [`name_key`] (whole names,
//! case and diacritics folded), `url:` by [`url_key`] (a page, a section, a host or
//! a domain), `id:` exactly, `date:` by range over the indexed instant. A value
//! that can match nothing as written (a malformed date, a name without a letter or
//! digit) is left out with a warning, as the lenient parser does with other odd
//! input.

use std::collections::BTreeMap;

use search_core::names::{name_key, url_key};
use search_core::PassageFields;
use tantivy::query::{AllQuery, BooleanQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use crate::check::{Check, FilterQuery};
use crate::dated::{DateFields, DateRangeQuery};
use crate::filters::{DateRange, FilterField};
use crate::safe_seek::SafeSeek;

/// The filters of one search, as they are added.
pub struct Constraint {
    fields: PassageFields,
    /// Per field, the terms a passage must have one of.
    required: BTreeMap<FilterField, Vec<Term>>,
    /// `date:` ranges; a passage must be in one of them (when there are any).
    dates: Vec<DateRange>,
    /// The range every passage must be in (`within`).
    bounds: Option<DateRange>,
    /// What a passage must not match, as a query and as a check.
    excluded: Vec<(Box<dyn Query>, Check)>,
    /// Values left out, in words for the user.
    pub warnings: Vec<String>,
}

impl Constraint {
    /// No filter yet.
    pub fn new(fields: PassageFields) -> Constraint {
        Constraint {
            fields,
            required: BTreeMap::new(),
            dates: Vec::new(),
            bounds: None,
            excluded: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Adds `field:value` (or `-field:value` when `exclude`). `field` is one of the
    /// key fields: source, author, id or url (titles are analyzed, see `plan`).
    pub fn add(&mut self, field: FilterField, value: &str, exclude: bool) {
        let f = self.fields;
        let (schema_field, key) = match field {
            FilterField::Source => (f.source_key, name_key(value)),
            FilterField::Author => (f.author_key, name_key(value)),
            FilterField::Url => (f.url_key, url_key(value)),
            FilterField::Id => (f.doc_id, value.trim().to_string()),
            FilterField::Title => unreachable!("titles are planned with the analyzer"),
        };
        if key.is_empty() {
            self.warnings.push(format!(
                "`{}:{value}` names no {}: the filter was ignored",
                field.name(),
                field.name()
            ));
            return;
        }
        let term = Term::from_field_text(schema_field, &key);
        if exclude {
            let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            self.excluded.push((query.box_clone(), Check::Docs(query)));
        } else {
            let terms = self.required.entry(field).or_default();
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
    }

    /// Adds a `date:` clause's value (`-date:` when `exclude`); a malformed one is a
    /// warning and is left out.
    pub fn add_date(&mut self, value: &str, exclude: bool) {
        match DateRange::parse(value) {
            Ok(range) if exclude => self
                .excluded
                .push((self.range_query(range), Check::Dated(vec![range]))),
            Ok(range) => self.dates.push(range),
            Err(bad) => self
                .warnings
                .push(format!("{bad}: the date filter was ignored")),
        }
    }

    /// Adds a date range, ORed with the `date:` clauses.
    pub fn add_range(&mut self, range: DateRange) {
        self.dates.push(range);
    }

    /// Every passage must be in `range` (unless it leaves both sides open).
    pub fn within(&mut self, range: DateRange) {
        if range != DateRange::default() {
            self.bounds = Some(match self.bounds {
                Some(bounds) => bounds.intersect(&range),
                None => range,
            });
        }
    }

    /// Passages matching `query` are removed.
    pub fn exclude(&mut self, query: Box<dyn Query>) {
        let check = Check::Docs(query.box_clone());
        self.excluded.push((query, check));
    }

    /// True when nothing restricts the passages.
    pub fn is_empty(&self) -> bool {
        self.required.is_empty()
            && self.dates.is_empty()
            && self.bounds.is_none()
            && self.excluded.is_empty()
    }

    /// The query a passage must match (a [`FilterQuery`], which can also check one
    /// passage at a time), or `None` when nothing restricts the passages. Meant to
    /// be run with scoring disabled.
    pub fn query(&self) -> Option<Box<dyn Query>> {
        if self.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut checks: Vec<Check> = Vec::new();
        for terms in self.required.values() {
            let alternatives: Vec<Box<dyn Query>> = terms
                .iter()
                .map(|term| -> Box<dyn Query> {
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic))
                })
                .collect();
            checks.push(Check::Any(
                alternatives
                    .iter()
                    .map(|q| Check::Docs(q.box_clone()))
                    .collect(),
            ));
            clauses.push((Occur::Must, one_of(alternatives)));
        }
        if !self.dates.is_empty() {
            let alternatives = self
                .dates
                .iter()
                .map(|&range| self.range_query(range))
                .collect();
            checks.push(Check::Dated(self.dates.clone()));
            clauses.push((Occur::Must, one_of(alternatives)));
        }
        if let Some(bounds) = self.bounds {
            checks.push(Check::Dated(vec![bounds]));
            clauses.push((Occur::Must, self.range_query(bounds)));
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for (query, check) in &self.excluded {
            checks.push(Check::Not(Box::new(check.clone())));
            // Exclusion probes its clauses out of order (see `safe_seek`).
            clauses.push((Occur::MustNot, Box::new(SafeSeek(query.box_clone()))));
        }
        let query = if clauses.len() == 1 {
            clauses.pop().map(|(_, query)| query)?
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        Some(Box::new(FilterQuery::new(
            query,
            Check::All(checks),
            DateFields::of(&self.fields),
        )))
    }

    /// The passages dated in `range`.
    fn range_query(&self, range: DateRange) -> Box<dyn Query> {
        if range.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(DateRangeQuery::new(DateFields::of(&self.fields), range))
    }
}

/// One query for alternatives that OR together.
fn one_of(mut alternatives: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if alternatives.len() == 1 {
        alternatives.remove(0)
    } else {
        Box::new(BooleanQuery::new(
            alternatives
                .into_iter()
                .map(|query| (Occur::Should, query))
                .collect(),
        ))
    }
}
