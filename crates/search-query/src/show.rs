//! What showing a citation shows: the cited passages in their article, between
//! neighbouring paragraphs, checked against their source now. `search show`,
//! the API's `/api/show` and the Python package all show this one view.

use serde::Serialize;

use crate::citations::{CitationStatus, Found, IndexedPassage};
use crate::error::Result;
use crate::index::PassageIndex;
use search_core::Citation;

/// The cited passages of a [`Found`], in context (see [`PassageIndex::show`]).
/// Serialises as `search show --format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    /// How what is shown is cited: the passage's location, or the paragraph's
    /// when every piece of a split paragraph is shown.
    pub location: String,
    /// The first cited passage's citation (the article's fields with it).
    pub citation: Citation,
    /// The passages shown, in reading order.
    pub paragraphs: Vec<ShownPassage>,
    /// Whether a cited passage no longer holds against its source.
    pub stale: bool,
    /// The cited passages that no longer hold, and why.
    pub problems: Vec<Problem>,
    /// How many passages are cited (one, or the pieces of a split paragraph).
    #[serde(skip)]
    pub pieces: usize,
}

/// One passage shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownPassage {
    /// Its paragraph number.
    pub paragraph: u64,
    /// Its part, for a piece of a split paragraph.
    pub part: Option<u64>,
    /// Its printed citation.
    pub location: String,
    /// Its text.
    pub text: String,
    /// Whether it is one of the cited passages.
    pub cited: bool,
    /// Its citation.
    #[serde(skip)]
    pub citation: Citation,
}

/// A cited passage its source no longer holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Its printed citation.
    pub location: String,
    /// Why, in words.
    pub reason: String,
    /// Its citation.
    #[serde(skip)]
    pub citation: Citation,
}

/// How `pieces` cited passages starting with `first` are cited: the passage's
/// location, or for every piece of a split paragraph the paragraph, by its line.
pub fn cited_location(first: &Citation, pieces: usize) -> String {
    if pieces == 1 {
        first.location()
    } else {
        Citation {
            part: None,
            ..first.clone()
        }
        .location()
    }
}

/// Why a cited passage no longer holds, in words.
fn why(status: &CitationStatus) -> String {
    match status {
        CitationStatus::Stale { reason } => reason.to_string(),
        CitationStatus::Missing => "the source file is gone or unreadable".to_string(),
        _ => "the index no longer holds this passage".to_string(),
    }
}

/// The paragraphs of `article` around paragraph `target`, `context` on each side,
/// each with its passages, in reading order.
fn window(article: &[IndexedPassage], target: u64, context: usize) -> Vec<&IndexedPassage> {
    let mut paragraphs: Vec<(u64, Vec<&IndexedPassage>)> = Vec::new();
    for passage in article {
        match paragraphs.last_mut() {
            Some((n, parts)) if *n == passage.citation.paragraph => parts.push(passage),
            _ => paragraphs.push((passage.citation.paragraph, vec![passage])),
        }
    }
    let at = paragraphs
        .iter()
        .position(|(n, _)| *n == target)
        .unwrap_or(0);
    // Saturating: a context may be as large as usize::MAX.
    let from = at.saturating_sub(context);
    let to = at
        .saturating_add(context)
        .saturating_add(1)
        .min(paragraphs.len());
    paragraphs
        .drain(from..to)
        .flat_map(|(_, parts)| parts)
        .collect()
}

impl PassageIndex {
    /// The passages `found` cites (see [`PassageIndex::lookup`]), with `context`
    /// neighbouring paragraphs on each side, each cited passage checked against
    /// its source now.
    pub fn show(&self, found: &Found, context: usize) -> Result<Shown> {
        let article = &found.article;
        let first = &article[found.cited[0]].citation;
        let mut problems = Vec::new();
        for &i in &found.cited {
            let passage = &article[i];
            match self.check(&passage.citation)? {
                CitationStatus::Holds => {}
                status => problems.push(Problem {
                    location: passage.citation.location(),
                    reason: why(&status),
                    citation: passage.citation.clone(),
                }),
            }
        }
        let is_cited =
            |p: &IndexedPassage| found.cited.iter().any(|&i| std::ptr::eq(&article[i], p));
        let paragraphs = window(article, first.paragraph, context)
            .into_iter()
            .map(|p| ShownPassage {
                paragraph: p.citation.paragraph,
                part: p.citation.part,
                location: p.citation.location(),
                text: p.text.clone(),
                cited: is_cited(p),
                citation: p.citation.clone(),
            })
            .collect();
        Ok(Shown {
            location: cited_location(first, found.cited.len()),
            citation: first.clone(),
            paragraphs,
            stale: !problems.is_empty(),
            problems,
            pieces: found.cited.len(),
        })
    }
}
