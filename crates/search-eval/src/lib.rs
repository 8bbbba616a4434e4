//! Offline evaluation of a passage search engine against TREC-style
//! relevance judgments.
//!
//! * [`qrels`]: read `qid iter docid gain` judgment files.
//! * [`topics`]: read `qid<TAB>question` query files.
//! * [`run`]: write and read `qid Q0 docid rank score tag` run files.
//! * [`metrics`]: nDCG@10, MAP and Recall@100 exactly as trec_eval (and so
//!   pytrec_eval) computes `ndcg_cut_10`, `map` and `recall_100`, including
//!   its re-ranking by score with ties broken by docid descending.
//!
//! ```
//! use search_eval::{evaluate, parse_qrels, parse_run};
//!
//! let qrels = parse_qrels("1 0 d1 2\n1 0 d2 0\n1 0 d3 1\n")?;
//! // trec_eval ignores the rank column and sorts by score.
//! let run = parse_run("1 Q0 d2 1 0.5 demo\n1 Q0 d1 2 0.9 demo\n")?;
//!
//! let report = evaluate(&qrels, &run);
//! assert_eq!(report.num_queries, 1);
//! // d1 (relevant) is first by score; d3 (relevant) is never retrieved.
//! // AP = (1/1) / 2 relevant docs.
//! assert_eq!(report.mean.map, 0.5);
//! assert_eq!(report.mean.recall_at_100, 0.5);
//! // DCG = 2/log2(2); ideal = 2/log2(2) + 1/log2(3).
//! let ideal = 2.0 + 1.0 / 3f64.log2();
//! assert!((report.mean.ndcg_at_10 - 2.0 / ideal).abs() < 1e-12);
//! # Ok::<(), search_eval::EvalError>(())
//! ```
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

pub mod error;
pub mod metrics;
pub mod qrels;
pub mod run;
pub mod topics;

pub use error::{EvalError, Result};
pub use metrics::{evaluate, evaluate_query, trec_eval_order, EvalReport, QueryMetrics};
pub use qrels::{parse_qrels, read_qrels, Qrels};
pub use run::{format_run, parse_run, read_run, write_run, Run};
pub use topics::{parse_topics, read_topics, Topic};

/// Reads a whole text file, naming the path in the error.
fn read_text(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.to_owned(),
        source,
    })
}
