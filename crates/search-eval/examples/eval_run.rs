//! Evaluates a TREC run file against a qrels file and prints the means as
//! JSON, with the same keys as `scripts/check_pytrec_eval.py` so the two
//! outputs can be compared directly.
//!
//! ```text
//! cargo run --example eval_run -- QRELS RUN [--per-query]
//! ```

use std::process::ExitCode;

use search_eval::{evaluate, read_qrels, read_run, QueryMetrics};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let per_query = args.iter().any(|a| a == "--per-query");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [qrels_path, run_path] = paths[..] else {
        eprintln!("usage: eval_run QRELS RUN [--per-query]");
        return ExitCode::from(2);
    };
    match run(qrels_path, run_path, per_query) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("eval_run: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(qrels_path: &str, run_path: &str, per_query: bool) -> search_eval::Result<String> {
    let report = evaluate(&read_qrels(qrels_path)?, &read_run(run_path)?);
    // Hand-written JSON keeps the crate free of a serde_json dependency; f64's
    // Display is the shortest round-trip form and never NaN here.
    let mut json = format!(
        "{{{}, \"num_queries\": {}",
        metrics_json(&report.mean),
        report.num_queries
    );
    if per_query {
        let entries: Vec<String> = report
            .per_query
            .iter()
            .map(|(qid, m)| format!("{qid:?}: {{{}}}", metrics_json(m)))
            .collect();
        json.push_str(&format!(", \"per_query\": {{{}}}", entries.join(", ")));
    }
    json.push('}');
    Ok(json)
}

/// The three metrics under pytrec_eval's key names.
fn metrics_json(m: &QueryMetrics) -> String {
    format!(
        "\"ndcg_cut_10\": {}, \"map\": {}, \"recall_100\": {}",
        m.ndcg_at_10, m.map, m.recall_at_100
    )
}
