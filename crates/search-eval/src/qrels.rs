//! TREC qrels: `qid iter docid gain`, one judgment per line.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{EvalError, Result};

/// Relevance judgments: qid -> docid -> graded gain.
///
/// Gains are kept as written. With trec_eval's defaults a gain of 1 or more
/// means relevant, 0 means judged not relevant, and a negative gain means
/// "in the pool but unjudged"; none of the latter two ever adds to a metric.
pub type Qrels = BTreeMap<String, BTreeMap<String, i64>>;

/// Parses qrels text.
///
/// Lines are whitespace separated `qid iter docid gain`; the `iter` column is
/// ignored, as trec_eval ignores it. Blank lines are skipped. A line with the
/// wrong number of fields, a gain that is not an integer, or a second
/// judgment of the same (qid, docid) pair is an error naming the line:
/// trec_eval also refuses duplicate judgments, and silently keeping one of
/// two conflicting gains would change scores without anyone noticing.
pub fn parse_qrels(text: &str) -> Result<Qrels> {
    let mut qrels = Qrels::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let fields: Vec<&str> = raw.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let error = |reason: String| EvalError::Qrels { line, reason };
        let [qid, _iter, docid, gain] = fields[..] else {
            return Err(error(format!(
                "expected 4 fields `qid iter docid gain`, found {}",
                fields.len()
            )));
        };
        let gain: i64 = gain
            .parse()
            .map_err(|_| error(format!("gain {gain:?} is not an integer")))?;
        match qrels
            .entry(qid.to_owned())
            .or_default()
            .entry(docid.to_owned())
        {
            Entry::Occupied(_) => {
                return Err(error(format!(
                    "document {docid:?} is judged twice for query {qid:?}"
                )))
            }
            Entry::Vacant(slot) => {
                slot.insert(gain);
            }
        }
    }
    Ok(qrels)
}

/// Reads and parses a qrels file (see [`parse_qrels`]).
pub fn read_qrels(path: impl AsRef<Path>) -> Result<Qrels> {
    parse_qrels(&crate::read_text(path.as_ref())?)
}

#[cfg(test)]
mod tests;
