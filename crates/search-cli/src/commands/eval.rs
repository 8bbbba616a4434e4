//! `search eval`: run judged queries and report nDCG@10, MAP and Recall@100 with
//! trec_eval's definitions (see the `search-eval` crate).

use std::io::{self, Write};

use search_eval::{evaluate, read_qrels, read_topics, write_run, Run};
use search_query::{Feedback, PassageIndex, RankingWeights, SearchOptions};

use crate::cli::{EvalArgs, EvalFormat};
use crate::exit::Exit;
use crate::CliError;

/// Runs `search eval`.
pub fn run(args: &EvalArgs) -> anyhow::Result<Exit> {
    let usage = |e: search_eval::EvalError| CliError::new(Exit::Usage, e.to_string());
    let topics = read_topics(&args.queries).map_err(usage)?;
    let qrels = read_qrels(&args.qrels).map_err(usage)?;
    let index = PassageIndex::open(args.location.dir())?;
    let options = SearchOptions::new()
        .limit(args.depth)
        .per_article(true)
        .typo_tolerance(false)
        .check_stale(false)
        .highlights(false)
        .ranking(weights(&args.weight)?)
        .feedback(if args.feedback {
            Some(feedback(&args.feedback_param)?)
        } else {
            None
        });

    let mut run = Run::new();
    for topic in &topics {
        let ranking = match index.search(&topic.text, &options) {
            Ok(results) => results
                .hits
                .into_iter()
                .map(|h| (h.citation.doc_id, f64::from(h.score)))
                .collect(),
            Err(
                search_query::SearchError::EmptyQuery
                | search_query::SearchError::NothingSearchable(_),
            ) => Vec::new(),
            Err(err) => return Err(err.into()),
        };
        run.insert(topic.qid.clone(), ranking);
    }
    if let Some(path) = &args.run {
        let file = std::fs::File::create(path).map_err(|e| {
            CliError::new(
                Exit::Usage,
                format!("cannot write run file {}: {e}", path.display()),
            )
        })?;
        write_run(io::BufWriter::new(file), &run, "search").map_err(usage)?;
    }
    let report = evaluate(&qrels, &run);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        EvalFormat::Json => {
            let mut value = serde_json::json!({
                "queries": report.num_queries,
                "ndcg_at_10": report.mean.ndcg_at_10,
                "map": report.mean.map,
                "recall_at_100": report.mean.recall_at_100,
            });
            if args.verbose {
                value["per_query"] = serde_json::to_value(&report.per_query)?;
            }
            serde_json::to_writer(&mut out, &value)?;
            writeln!(out)?;
        }
        EvalFormat::Text => {
            if args.verbose {
                writeln!(
                    out,
                    "{:<8} {:>8} {:>8} {:>8}",
                    "qid", "nDCG@10", "AP", "R@100"
                )?;
                for (qid, m) in &report.per_query {
                    writeln!(
                        out,
                        "{qid:<8} {:>8.4} {:>8.4} {:>8.4}",
                        m.ndcg_at_10, m.map, m.recall_at_100
                    )?;
                }
                writeln!(out)?;
            }
            writeln!(out, "queries  {}", report.num_queries)?;
            writeln!(out, "nDCG@10  {:.4}", report.mean.ndcg_at_10)?;
            writeln!(out, "MAP      {:.4}", report.mean.map)?;
            writeln!(out, "R@100    {:.4}", report.mean.recall_at_100)?;
        }
    }
    Ok(Exit::Ok)
}

fn feedback(overrides: &[String]) -> Result<Feedback, CliError> {
    let mut f = Feedback::default();
    for item in overrides {
        let bad = || {
            CliError::new(
                Exit::Usage,
                format!("bad --feedback-param `{item}`: use docs=N, terms=N or weight=X"),
            )
        };
        let (name, value) = item.split_once('=').ok_or_else(bad)?;
        let value: f32 = value.parse().map_err(|_| bad())?;
        match name {
            "docs" => f.docs = value as usize,
            "terms" => f.terms = value as usize,
            "weight" => f.original_weight = value,
            _ => return Err(bad()),
        }
    }
    Ok(f)
}

fn weights(overrides: &[String]) -> Result<RankingWeights, CliError> {
    let mut w = RankingWeights::default();
    for item in overrides {
        let bad = || {
            CliError::new(
                Exit::Usage,
                format!("bad --weight `{item}`: use NAME=NUMBER with NAME one of title, proximity, rerank_depth, stop_words"),
            )
        };
        let (name, value) = item.split_once('=').ok_or_else(bad)?;
        let value: f32 = value.parse().map_err(|_| bad())?;
        match name {
            "title" => w.title = value,
            "proximity" => w.proximity = value,
            "rerank_depth" => w.rerank_depth = value as usize,
            "stop_words" => w.drop_stop_words = value != 0.0,
            _ => return Err(bad()),
        }
    }
    Ok(w)
}
