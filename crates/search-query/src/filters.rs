//! Filters, sort orders and facets: the metadata side of a search.
//!
//! A filter restricts the hits without changing their scores. Clauses on one field
//! OR together, clauses on different fields AND together, and an excluded value
//! removes every passage that has it. The query syntax (`source:Reuters`,
//! `-author:"Olena Kovalenko"`, `date:2025-12`) and [`SearchOptions`] setters make
//! the same filters.
//!
//! [`SearchOptions`]: crate::SearchOptions

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use search_core::dates::{BadDateFilter, DateRange};

/// A field a filter can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FilterField {
    /// The outlet, matched as a whole name without regard to case or diacritics.
    Source,
    /// One of the authors, matched like a source.
    Author,
    /// The title: every word of the value, analyzed like the text.
    Title,
    /// The article id, exactly.
    Id,
    /// The URL, a path prefix of it, or its host or domain.
    Url,
}

impl FilterField {
    /// The field's name in the query syntax.
    pub fn name(self) -> &'static str {
        match self {
            FilterField::Source => "source",
            FilterField::Author => "author",
            FilterField::Title => "title",
            FilterField::Id => "id",
            FilterField::Url => "url",
        }
    }
}

/// The order hits are returned in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best score first (the default for a query with words to rank).
    Relevance,
    /// Latest date first; ties by relevance, then by the stable tie order; passages
    /// without a date last (the default for a query of filters only).
    Newest,
    /// Earliest date first; ties and passages without a date as for `Newest`.
    Oldest,
}

impl FromStr for Sort {
    type Err = String;

    fn from_str(s: &str) -> Result<Sort, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "relevance" => Ok(Sort::Relevance),
            "newest" => Ok(Sort::Newest),
            "oldest" => Ok(Sort::Oldest),
            other => Err(format!(
                "unknown sort `{other}` (expected relevance, newest or oldest)"
            )),
        }
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        })
    }
}

/// How dates are counted in a facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateBucket {
    /// Per month: `2025-12`.
    Month,
    /// Per day: `2025-12-04`.
    Day,
}

/// A field to count matching passages and articles by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// By outlet.
    Source,
    /// By author (an article with two authors counts for both).
    Author,
    /// By date, per month or per day (UTC).
    Date(DateBucket),
}

impl Facet {
    /// The facet's key in [`Facets`]: `source`, `author` or `date`.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Source => "source",
            Facet::Author => "author",
            Facet::Date(_) => "date",
        }
    }

    /// Parses a comma-separated list: `source,author,date` (`date:day` counts per
    /// day, `date` and `date:month` per month).
    pub fn parse_list(list: &str) -> Result<Vec<Facet>, String> {
        let mut facets = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let facet: Facet = name.parse()?;
            if !facets.iter().any(|f: &Facet| f.name() == facet.name()) {
                facets.push(facet);
            }
        }
        Ok(facets)
    }
}

impl FromStr for Facet {
    type Err = String;

    fn from_str(s: &str) -> Result<Facet, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "source" => Ok(Facet::Source),
            "author" => Ok(Facet::Author),
            "date" | "date:month" => Ok(Facet::Date(DateBucket::Month)),
            "date:day" => Ok(Facet::Date(DateBucket::Day)),
            other => Err(format!(
                "unknown facet `{other}` (expected source, author, date or date:day)"
            )),
        }
    }
}

/// One value of a facet and how many matching passages and distinct articles have
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value as the corpus writes it (a date facet: `YYYY-MM` or `YYYY-MM-DD`).
    pub value: String,
    /// Matching passages with this value.
    pub passages: usize,
    /// Distinct articles among them.
    pub articles: usize,
}

/// Facet counts by facet name (`source`, `author`, `date`), each list sorted by
/// passages (most first), then by articles, then by value.
pub type Facets = std::collections::BTreeMap<String, Vec<FacetCount>>;
