//! `search query --batch`: one JSON line per query, from a file or stdin.

use serde_json::Value;

use crate::util::{hits, text, Sandbox};

const QUERIES: &str = "frozen assets\n\nUshakov\n   \nWitkof\n";

/// Parses batch output: one JSON object per line.
fn answers(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

/// One answer per input line, blank lines included (with no hits).
fn assert_answers_queries(stdout: &str) {
    let answers = answers(stdout);
    let asked: Vec<&str> = answers
        .iter()
        .map(|a| a["query"].as_str().unwrap())
        .collect();
    assert_eq!(asked, ["frozen assets", "", "Ushakov", "   ", "Witkof"]);
    assert!(text(&hits(&answers[0])[0]).contains("frozen Russian assets"));
    assert!(hits(&answers[1]).is_empty());
    assert!(text(&hits(&answers[2])[0]).contains("Yuri Ushakov"));
    assert!(hits(&answers[3]).is_empty());
    assert!(text(&hits(&answers[4])[0]).contains("Witkoff"));
}

#[test]
fn a_batch_file_gets_one_json_line_per_query() {
    let sb = Sandbox::indexed();
    sb.write("queries.txt", QUERIES);
    let run = sb.ok(&["query", "--batch", "queries.txt", "--format", "jsonl"]);
    assert_answers_queries(&run.stdout);
}

#[test]
fn a_batch_is_read_from_stdin_with_a_dash() {
    let sb = Sandbox::indexed();
    let out = sb
        .search()
        .args(["query", "--batch", "-", "--format", "jsonl"])
        .write_stdin(QUERIES)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_answers_queries(&String::from_utf8(out).unwrap());
}

#[test]
fn timings_prints_latency_figures_to_stderr() {
    let sb = Sandbox::indexed();
    sb.write("queries.txt", QUERIES);
    let run = sb.ok(&["query", "--batch", "queries.txt", "--timings"]);
    assert_eq!(answers(&run.stdout).len(), 5);
    let timings: Value = run
        .stderr
        .lines()
        .find_map(|l| {
            serde_json::from_str::<Value>(l)
                .ok()
                .filter(Value::is_object)
        })
        .unwrap_or_else(|| panic!("no JSON timings on stderr:\n{run:?}"));
    assert_eq!(timings["queries"], 3, "{timings}");
    for key in ["p50_ms", "p99_ms"] {
        assert!(
            timings[key].as_f64().is_some_and(|ms| ms >= 0.0),
            "{key} missing in {timings}"
        );
    }
}

#[test]
fn a_missing_batch_file_is_a_usage_error() {
    let sb = Sandbox::indexed();
    let run = sb.run(&["query", "--batch", "no-such-file.txt"], 2);
    assert!(run.stderr.contains("no-such-file.txt"), "{run:?}");
}
