//! TREC run files: `qid Q0 docid rank score tag`, one retrieved document per
//! line.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::error::{EvalError, Result};

/// A retrieval run: qid -> ranked `(docid, score)` list, best first.
///
/// The order of each list is the engine's ranking and is what
/// [`write_run`] numbers as ranks. Note that trec_eval, and so
/// [`crate::evaluate`], ignores that order and re-ranks by score (ties by
/// docid descending), so give scores that agree with the order you mean.
pub type Run = BTreeMap<String, Vec<(String, f64)>>;

/// Writes a run in the standard TREC format, `qid Q0 docid rank score tag`.
///
/// Queries are written in qid order (the map's order), documents in list
/// order with 1-based ranks. Scores use Rust's shortest round-trip float
/// formatting, so reading the file back (here, in trec_eval or in Python)
/// gives bit-identical scores and therefore identical ties.
///
/// Refuses, before writing that line, a qid, docid or tag that is empty or
/// contains whitespace (it would shift the columns), and a NaN score.
pub fn write_run<W: Write>(mut out: W, run: &Run, tag: &str) -> Result<()> {
    check_token("tag", tag)?;
    for (qid, ranking) in run {
        check_token("qid", qid)?;
        for (index, (docid, score)) in ranking.iter().enumerate() {
            check_token("docid", docid)?;
            if score.is_nan() {
                return Err(EvalError::InvalidRunField {
                    field: "score",
                    value: format!("{score}"),
                    reason: "NaN cannot be ranked",
                });
            }
            writeln!(out, "{qid} Q0 {docid} {} {score} {tag}", index + 1)
                .map_err(EvalError::Write)?;
        }
    }
    out.flush().map_err(EvalError::Write)
}

/// Formats a run as TREC run text (see [`write_run`]).
pub fn format_run(run: &Run, tag: &str) -> Result<String> {
    let mut bytes = Vec::new();
    write_run(&mut bytes, run, tag)?;
    // Every piece written is a &str or a number, so the bytes are UTF-8.
    Ok(String::from_utf8(bytes).expect("run text is UTF-8"))
}

fn check_token(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty() || value.chars().any(char::is_whitespace) {
        return Err(EvalError::InvalidRunField {
            field,
            value: value.to_owned(),
            reason: "empty or contains whitespace",
        });
    }
    Ok(())
}

/// Parses TREC run text.
///
/// Each non-blank line must have the six whitespace-separated fields
/// `qid Q0 docid rank score tag`. Only qid, docid and score are kept, the way
/// trec_eval reads a run; the rank must still be an integer so that a line
/// with shifted columns is caught rather than misread. Documents keep file
/// order within their query. A NaN score is refused because it cannot be
/// ranked. Duplicate docids are kept as read; [`crate::evaluate`] decides
/// what to do with them.
pub fn parse_run(text: &str) -> Result<Run> {
    let mut run = Run::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let fields: Vec<&str> = raw.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let error = |reason: String| EvalError::Run { line, reason };
        let [qid, _q0, docid, rank, score, _tag] = fields[..] else {
            return Err(error(format!(
                "expected 6 fields `qid Q0 docid rank score tag`, found {}",
                fields.len()
            )));
        };
        rank.parse::<i64>()
            .map_err(|_| error(format!("rank {rank:?} is not an integer")))?;
        let score: f64 = score
            .parse()
            .map_err(|_| error(format!("score {score:?} is not a number")))?;
        if score.is_nan() {
            return Err(error("score is NaN".to_owned()));
        }
        run.entry(qid.to_owned())
            .or_default()
            .push((docid.to_owned(), score));
    }
    Ok(run)
}

/// Reads and parses a TREC run file (see [`parse_run`]).
pub fn read_run(path: impl AsRef<Path>) -> Result<Run> {
    parse_run(&crate::read_text(path.as_ref())?)
}

#[cfg(test)]
mod tests;
