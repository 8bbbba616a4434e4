//! `search eval`: judged queries in, trec_eval's figures and a TREC run file out.

use serde_json::Value;

use crate::util::Sandbox;

/// Three one-paragraph articles, two judged queries whose answers are known.
pub fn judged_collection() -> Sandbox {
    let sandbox = Sandbox::empty();
    sandbox.write(
        "docs.jsonl",
        concat!(
            "{\"id\": \"d1\", \"title\": \"wing flutter\", \"text\": \"flutter of a swept wing at transonic speed.\"}\n",
            "{\"id\": \"d2\", \"title\": \"heat transfer\", \"text\": \"heat conduction in composite slabs.\"}\n",
            "{\"id\": \"d3\", \"title\": \"boundary layers\", \"text\": \"laminar boundary layer on a flat plate.\"}\n",
        ),
    );
    sandbox.write(
        "queries.tsv",
        "1\tswept wing flutter\n2\theat conduction slabs\n",
    );
    sandbox.write("qrels.txt", "1 0 d1 2\n1 0 d3 0\n2 0 d2 1\n");
    sandbox.ok(&["index", "docs.jsonl"]);
    sandbox
}

#[test]
fn eval_reports_trec_figures_and_writes_a_run_file() {
    let sandbox = judged_collection();
    let run = sandbox.ok(&[
        "eval",
        "--queries",
        "queries.tsv",
        "--qrels",
        "qrels.txt",
        "--run",
        "out.run",
        "--format",
        "json",
    ]);
    let figures: Value = serde_json::from_str(&run.stdout).unwrap();
    // Each query's only relevant article is ranked first: every figure is 1.
    assert_eq!(figures["queries"], 2);
    assert_eq!(figures["ndcg_at_10"], 1.0);
    assert_eq!(figures["map"], 1.0);
    assert_eq!(figures["recall_at_100"], 1.0);

    let run_file = std::fs::read_to_string(sandbox.join("out.run")).unwrap();
    let first: Vec<&str> = run_file
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(first.len(), 6, "qid Q0 docid rank score tag: {first:?}");
    assert_eq!(
        (first[0], first[1], first[2], first[3]),
        ("1", "Q0", "d1", "1")
    );
    assert!(first[4].parse::<f64>().unwrap() > 0.0);
}

#[test]
fn eval_text_output_lists_per_query_figures_when_verbose() {
    let sandbox = judged_collection();
    let run = sandbox.ok(&[
        "eval",
        "--queries",
        "queries.tsv",
        "--qrels",
        "qrels.txt",
        "--verbose",
    ]);
    assert!(run.stdout.contains("nDCG@10"), "{}", run.stdout);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("2 ")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("queries  2"), "{}", run.stdout);
}

#[test]
fn eval_with_feedback_still_ranks_the_answers_first() {
    let sandbox = judged_collection();
    let run = sandbox.ok(&[
        "eval",
        "--queries",
        "queries.tsv",
        "--qrels",
        "qrels.txt",
        "--feedback",
        "--format",
        "json",
    ]);
    let figures: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(figures["map"], 1.0);
}

#[test]
fn eval_names_a_malformed_qrels_line() {
    let sandbox = judged_collection();
    sandbox.write("bad.txt", "1 0 d1\n");
    let run = sandbox.run(
        &["eval", "--queries", "queries.tsv", "--qrels", "bad.txt"],
        2,
    );
    assert!(run.stderr.contains("line 1"), "{}", run.stderr);
}

#[test]
fn query_feedback_keeps_every_hit_matching_the_typed_query() {
    let sandbox = Sandbox::indexed();
    let results = sandbox.query_json("frozen assets", &["--feedback", "--limit", "20"]);
    let hits = crate::util::hits(&results);
    assert!(hits[0]["text"]
        .as_str()
        .unwrap()
        .contains("frozen Russian assets"));
    for hit in hits {
        let text = hit["text"].as_str().unwrap().to_lowercase();
        assert!(text.contains("frozen") || text.contains("asset"), "{text}");
    }
}

#[test]
fn eval_accepts_weight_overrides_and_rejects_unknown_ones() {
    let sandbox = judged_collection();
    let args = [
        "eval",
        "--queries",
        "queries.tsv",
        "--qrels",
        "qrels.txt",
        "--format",
        "json",
    ];
    let mut with_weight = args.to_vec();
    with_weight.extend(["--weight", "title=0", "--weight", "proximity=0"]);
    let figures: Value = serde_json::from_str(&sandbox.ok(&with_weight).stdout).unwrap();
    assert_eq!(figures["queries"], 2);
    let mut bad = args.to_vec();
    bad.extend(["--weight", "bogus=1"]);
    let run = sandbox.run(&bad, 2);
    assert!(run.stderr.contains("bogus"), "{}", run.stderr);
}
