//! Writes a reproducible random run for every query of a qrels file, for
//! cross-checking the metrics against pytrec_eval.
//!
//! ```text
//! cargo run --example make_random_run -- QRELS OUT_RUN [SEED] [MAX_DOCID]
//! ```
//!
//! Each query gets 150 distinct docids from 1..=MAX_DOCID (default 1400),
//! always including a few of its judged documents so that the metrics are
//! not all zero. About half the scores are coarse (multiples of 0.5), which
//! makes exact ties common, also across ranks 10 and 100; half the judged
//! documents get a high coarse score, so ties decide nDCG@10. Documents are
//! listed by score with ties in docid *ascending* order, the opposite of
//! trec_eval's tie break, so a tie-handling bug shows up in the comparison.

use std::process::ExitCode;

use search_eval::{read_qrels, write_run, Run};

const DOCS_PER_QUERY: usize = 150;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args.len() > 4 {
        eprintln!("usage: make_random_run QRELS OUT_RUN [SEED] [MAX_DOCID]");
        return ExitCode::from(2);
    }
    let seed = args.get(2).map_or(Ok(42), |s| s.parse::<u64>());
    let max_docid = args.get(3).map_or(Ok(1400), |s| s.parse::<u64>());
    let (Ok(seed), Ok(max_docid)) = (seed, max_docid) else {
        eprintln!("make_random_run: SEED and MAX_DOCID must be integers");
        return ExitCode::from(2);
    };
    if (max_docid as usize) < DOCS_PER_QUERY {
        eprintln!("make_random_run: MAX_DOCID must be at least {DOCS_PER_QUERY}");
        return ExitCode::from(2);
    }
    match make_run(&args[0], &args[1], seed, max_docid) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("make_random_run: {err}");
            ExitCode::FAILURE
        }
    }
}

fn make_run(
    qrels_path: &str,
    out_path: &str,
    seed: u64,
    max_docid: u64,
) -> search_eval::Result<()> {
    let qrels = read_qrels(qrels_path)?;
    let mut rng = search_test_support::Rng::new(seed);
    let mut run = Run::new();
    for (qid, judged) in &qrels {
        let judged: Vec<&String> = judged.keys().collect();
        let mut docids: Vec<String> = Vec::with_capacity(DOCS_PER_QUERY);
        // A few judged documents (relevant or not) first...
        let wanted = 1 + rng.below(4);
        for _ in 0..wanted {
            let docid = *rng.pick(&judged);
            if !docids.contains(docid) {
                docids.push(docid.clone());
            }
        }
        let num_judged = docids.len();
        // ...then random docids up to the run depth.
        while docids.len() < DOCS_PER_QUERY {
            let docid = (1 + rng.below(max_docid as usize)).to_string();
            if !docids.contains(&docid) {
                docids.push(docid);
            }
        }
        let mut ranking: Vec<(String, f64)> = docids
            .into_iter()
            .enumerate()
            .map(|(index, docid)| {
                let score = if index < num_judged && rng.below(2) == 0 {
                    // Half the judged documents near the top, often tied
                    // with each other or with random ones, so that ties
                    // decide nDCG@10.
                    15.0 + rng.below(10) as f64 * 0.5
                } else if rng.below(2) == 0 {
                    rng.below(40) as f64 * 0.5
                } else {
                    rng.f64() * 20.0
                };
                (docid, score)
            })
            .collect();
        ranking.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        run.insert(qid.clone(), ranking);
    }
    let file = std::fs::File::create(out_path).map_err(search_eval::EvalError::Write)?;
    write_run(std::io::BufWriter::new(file), &run, "random")
}
