//! `search eval`: run judged queries and report nDCG@10, MAP and Recall@100 with
//! trec_eval's definitions (see the `search-eval` crate).

use std::collections::BTreeMap;
use std::io::{self, Write};

use search_eval::{evaluate, read_qrels, read_topics, write_run, QueryMetrics, Run};
use search_query::{Feedback, RankingWeights, SearchOptions};

use crate::cli::{EvalArgs, EvalFormat, FeedbackParam, Weight};
use crate::exit::Exit;
use crate::render::{self, safe};
use crate::CliError;

/// Runs `search eval`.
pub fn run(args: &EvalArgs) -> anyhow::Result<Exit> {
    let usage = |e: search_eval::EvalError| CliError::new(Exit::Usage, e.to_string());
    let topics = read_topics(&args.queries).map_err(usage)?;
    let qrels = read_qrels(&args.qrels).map_err(usage)?;
    let index = crate::commands::open(&args.location.dir())?;
    let options = SearchOptions::new()
        .limit(args.depth)
        .per_article(true)
        .typo_tolerance(false)
        .check_stale(false)
        .highlights(false)
        .ranking(weights(&args.weight))
        .feedback(args.feedback.then(|| feedback(&args.feedback_param)));
    // Out-of-range weights fail before the first query runs.
    options.validate()?;

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
    let mean = figures(&report.mean);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Json => {
            let mut value = serde_json::json!({
                "queries": report.num_queries,
                "ndcg_at_10": mean.ndcg_at_10,
                "map": mean.map,
                "recall_at_100": mean.recall_at_100,
            });
            if args.verbose {
                let per_query: BTreeMap<&String, QueryMetrics> = report
                    .per_query
                    .iter()
                    .map(|(qid, m)| (qid, figures(m)))
                    .collect();
                value["per_query"] = serde_json::to_value(per_query)?;
            }
            render::json_line(&mut out, &value)?;
        }
        EvalFormat::Text => {
            if args.verbose {
                writeln!(
                    out,
                    "{:<8} {:>8} {:>8} {:>8}",
                    "qid", "nDCG@10", "AP", "R@100"
                )?;
                for (qid, m) in &report.per_query {
                    let m = figures(m);
                    writeln!(
                        out,
                        "{:<8} {:>8.4} {:>8.4} {:>8.4}",
                        safe(qid),
                        m.ndcg_at_10,
                        m.map,
                        m.recall_at_100
                    )?;
                }
                writeln!(out)?;
            }
            writeln!(out, "queries  {}", report.num_queries)?;
            writeln!(out, "nDCG@10  {:.4}", mean.ndcg_at_10)?;
            writeln!(out, "MAP      {:.4}", mean.map)?;
            writeln!(out, "R@100    {:.4}", mean.recall_at_100)?;
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}

/// The figures as printed: a zero is `0`, never `-0` (a gain of zero divided by a
/// positive ideal can come out as negative zero).
fn figures(m: &QueryMetrics) -> QueryMetrics {
    let clean = |x: f64| if x == 0.0 { 0.0 } else { x };
    QueryMetrics {
        ndcg_at_10: clean(m.ndcg_at_10),
        map: clean(m.map),
        recall_at_100: clean(m.recall_at_100),
    }
}

/// The library's feedback settings with the `--feedback-param` overrides.
fn feedback(overrides: &[FeedbackParam]) -> Feedback {
    let mut f = Feedback::default();
    for param in overrides {
        match *param {
            FeedbackParam::Docs(n) => f.docs = n,
            FeedbackParam::Terms(n) => f.terms = n,
            FeedbackParam::Weight(x) => f.original_weight = x,
        }
    }
    f
}

/// The default ranking weights with the `--weight` overrides.
fn weights(overrides: &[Weight]) -> RankingWeights {
    let mut w = RankingWeights::default();
    for weight in overrides {
        match *weight {
            Weight::Title(x) => w.title = x,
            Weight::Proximity(x) => w.proximity = x,
            Weight::RerankDepth(n) => w.rerank_depth = n,
            Weight::StopWords(yes) => w.drop_stop_words = yes,
        }
    }
    w
}
