//! Query files: `qid<TAB>question`, one query per line.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::error::{EvalError, Result};

/// One query of a topics file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// Query id, matching the qids of the qrels.
    pub qid: String,
    /// The question text, trimmed.
    pub text: String,
}

/// Parses a queries TSV.
///
/// Each line is `qid<TAB>question`. Blank lines and lines starting with `#`
/// are skipped. Everything after the first tab is the question, so a stray
/// tab inside a question does not lose text. Queries keep file order
/// (callers usually run them in that order). A line without a tab, with an
/// empty qid or question, or repeating an earlier qid is an error naming
/// the line.
pub fn parse_topics(text: &str) -> Result<Vec<Topic>> {
    let mut topics = Vec::new();
    let mut seen = BTreeSet::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let error = |reason: &str| EvalError::Topics {
            line,
            reason: reason.to_owned(),
        };
        let (qid, question) = raw
            .split_once('\t')
            .ok_or_else(|| error("expected `qid<TAB>question`, found no tab"))?;
        let (qid, question) = (qid.trim(), question.trim());
        if qid.is_empty() {
            return Err(error("empty qid"));
        }
        if question.is_empty() {
            return Err(error("empty question"));
        }
        if !seen.insert(qid.to_owned()) {
            return Err(error(&format!("query {qid:?} appears twice")));
        }
        topics.push(Topic {
            qid: qid.to_owned(),
            text: question.to_owned(),
        });
    }
    Ok(topics)
}

/// Reads and parses a queries TSV file (see [`parse_topics`]).
pub fn read_topics(path: impl AsRef<Path>) -> Result<Vec<Topic>> {
    parse_topics(&crate::read_text(path.as_ref())?)
}

#[cfg(test)]
mod tests;
