//! nDCG@10, MAP and Recall@100, computed the way trec_eval 9 computes
//! `ndcg_cut.10`, `map` and `recall.100` (and so the way pytrec_eval does).
//!
//! The rules that matter for matching trec_eval to the last digit:
//!
//! * **Ranking.** trec_eval ignores the rank column and the order of the run.
//!   It sorts each query's documents by score, descending, and breaks ties by
//!   docid *descending* as a byte-wise string compare (`strcmp`), so among
//!   equal scores `"2"` comes before `"10"` before `"1"`. [`trec_eval_order`]
//!   does exactly that. `-0.0` and `0.0` are equal scores, as in C.
//! * **Relevance.** A document is relevant when its gain is at least
//!   [`RELEVANCE_LEVEL`] (1). Unjudged documents, gain 0 and negative gains
//!   ("unjudged in the pool" to trec_eval) are not relevant and add nothing.
//! * **nDCG@10.** Gain is the raw graded qrels value, discounted by
//!   `log2(rank + 1)` with 1-based rank. The ideal DCG sorts the gains of all
//!   judged documents with gain > 0, descending, and cuts at 10.
//! * **MAP.** Average precision over the full depth of the run: the sum of
//!   precision at the rank of each relevant retrieved document, divided by
//!   the number of relevant documents in the qrels (retrieved or not).
//! * **Recall@100.** Relevant documents in the top 100 over all relevant
//!   documents in the qrels.
//!
//! Which queries are averaged (the `num_queries` of [`EvalReport`]): those
//! present in the run, present in the qrels, and having at least one
//! relevant document. Like trec_eval without `-c`, a query that is judged
//! but absent from the run is left out rather than scored 0. Unlike
//! trec_eval and pytrec_eval, which score a judged query with no relevant
//! document as 0 on every metric and average that 0 in, such a query is
//! skipped here: it cannot tell one ranking from another, and counting it
//! would only dilute the mean.
//!
//! Duplicated docids within one query's ranking make trec_eval stop with an
//! error. Here the first occurrence in the list is kept and later ones are
//! dropped before ranking, so the result is defined and the same as if the
//! duplicates had never been written.
//!
//! A NaN score (which the run reader refuses, but a [`Run`] built in code
//! may hold) ranks below every number, so it cannot disturb the others.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::qrels::Qrels;
use crate::run::Run;

/// Rank cutoff of nDCG (`ndcg_cut_10`).
pub const NDCG_CUTOFF: usize = 10;
/// Rank cutoff of recall (`recall_100`).
pub const RECALL_CUTOFF: usize = 100;
/// Smallest gain that counts as relevant for MAP and recall (trec_eval's
/// default `-l 1`).
pub const RELEVANCE_LEVEL: i64 = 1;

/// The three metrics for one query, or their mean over queries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct QueryMetrics {
    /// nDCG at rank 10 with graded linear gain (trec_eval `ndcg_cut_10`).
    pub ndcg_at_10: f64,
    /// Average precision over the full run (trec_eval `map`).
    pub map: f64,
    /// Recall at rank 100 (trec_eval `recall_100`).
    pub recall_at_100: f64,
}

/// Result of evaluating a run against qrels.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EvalReport {
    /// Metrics of every evaluated query, by qid.
    pub per_query: BTreeMap<String, QueryMetrics>,
    /// Arithmetic mean over the evaluated queries; all zero when none were.
    pub mean: QueryMetrics,
    /// How many queries were evaluated and averaged (see the module docs
    /// for which ones count).
    pub num_queries: usize,
}

/// Evaluates every query of `run` that has at least one relevant document
/// in `qrels`, and averages over those queries.
///
/// See the [module documentation](self) for the exact definitions and for
/// which queries are skipped.
pub fn evaluate(qrels: &Qrels, run: &Run) -> EvalReport {
    let per_query: BTreeMap<String, QueryMetrics> = run
        .iter()
        .filter_map(|(qid, ranking)| {
            let judgments = qrels.get(qid)?;
            let metrics = evaluate_query(judgments, ranking)?;
            Some((qid.clone(), metrics))
        })
        .collect();

    let num_queries = per_query.len();
    let mean = if num_queries == 0 {
        QueryMetrics::default()
    } else {
        let mut sum = QueryMetrics::default();
        for metrics in per_query.values() {
            sum.ndcg_at_10 += metrics.ndcg_at_10;
            sum.map += metrics.map;
            sum.recall_at_100 += metrics.recall_at_100;
        }
        let n = num_queries as f64;
        QueryMetrics {
            ndcg_at_10: sum.ndcg_at_10 / n,
            map: sum.map / n,
            recall_at_100: sum.recall_at_100 / n,
        }
    };

    EvalReport {
        per_query,
        mean,
        num_queries,
    }
}

/// Scores one query's ranking against its judgments (docid -> gain).
///
/// Returns `None` when the judgments hold no relevant document, since no
/// metric here is meaningful then. An empty ranking scores 0 on everything.
pub fn evaluate_query(
    judgments: &BTreeMap<String, i64>,
    ranking: &[(String, f64)],
) -> Option<QueryMetrics> {
    let num_relevant = judgments
        .values()
        .filter(|&&gain| gain >= RELEVANCE_LEVEL)
        .count();
    if num_relevant == 0 {
        return None;
    }

    // Gain of each retrieved document in trec_eval's order; unjudged and
    // negative judgments count as 0.
    let gains: Vec<i64> = trec_eval_order(ranking)
        .iter()
        .map(|(docid, _)| judgments.get(*docid).copied().unwrap_or(0).max(0))
        .collect();

    let mut ideal_gains: Vec<i64> = judgments.values().copied().filter(|&g| g > 0).collect();
    ideal_gains.sort_unstable_by(|a, b| b.cmp(a));
    let ideal_dcg = dcg(&ideal_gains[..ideal_gains.len().min(NDCG_CUTOFF)]);
    let ndcg_at_10 = if ideal_dcg > 0.0 {
        dcg(&gains[..gains.len().min(NDCG_CUTOFF)]) / ideal_dcg
    } else {
        0.0
    };

    let mut relevant_so_far = 0usize;
    let mut precision_sum = 0.0;
    let mut relevant_in_top_recall_cutoff = 0usize;
    for (index, &gain) in gains.iter().enumerate() {
        if gain >= RELEVANCE_LEVEL {
            relevant_so_far += 1;
            precision_sum += relevant_so_far as f64 / (index + 1) as f64;
            if index < RECALL_CUTOFF {
                relevant_in_top_recall_cutoff += 1;
            }
        }
    }

    Some(QueryMetrics {
        ndcg_at_10,
        map: precision_sum / num_relevant as f64,
        recall_at_100: relevant_in_top_recall_cutoff as f64 / num_relevant as f64,
    })
}

/// Orders a ranking the way trec_eval does before scoring it.
///
/// Drops repeated docids (keeping the first occurrence), then sorts by
/// score descending with ties broken by docid descending, byte-wise. NaN
/// scores go last. The input order otherwise plays no part.
pub fn trec_eval_order(ranking: &[(String, f64)]) -> Vec<(&str, f64)> {
    let mut seen = HashSet::with_capacity(ranking.len());
    let mut ordered: Vec<(&str, f64)> = ranking
        .iter()
        .filter(|(docid, _)| seen.insert(docid.as_str()))
        .map(|(docid, score)| (docid.as_str(), *score))
        .collect();
    // Docids are unique now, so this order is total and sort stability is
    // irrelevant.
    ordered.sort_unstable_by(|a, b| score_descending(a.1, b.1).then_with(|| b.0.cmp(a.0)));
    ordered
}

/// Descending by score, like trec_eval's `sim` comparison, with NaN last.
fn score_descending(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (false, false) => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (true, true) => Ordering::Equal,
    }
}

/// Discounted cumulative gain: the gain at 1-based rank r is divided by
/// log2(r + 1), so rank 1 is undiscounted (trec_eval 9's `ndcg_cut`).
fn dcg(gains: &[i64]) -> f64 {
    gains
        .iter()
        .enumerate()
        .filter(|(_, &gain)| gain > 0)
        .map(|(index, &gain)| gain as f64 / ((index + 2) as f64).log2())
        .sum()
}

#[cfg(test)]
mod tests;
