//! `--explain`, `--offset` and the spelling of corrections, through the binary.

use serde_json::Value;

use crate::util::{hits, Sandbox};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-4 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn explain_adds_a_breakdown_that_adds_up() {
    let sb = Sandbox::indexed();
    for extra in [&["--explain"][..], &["--explain", "--feedback"][..]] {
        let results = sb.query_json("frozen Russian assets Miami", extra);
        assert!(!hits(&results).is_empty());
        for hit in hits(&results) {
            let e = &hit["explanation"];
            let score = hit["score"].as_f64().unwrap();
            let bm25 = e["bm25"].as_f64().unwrap();
            let factor = e["proximity_factor"].as_f64().unwrap();
            assert!(close(bm25 * factor, score), "{e}");
            let parts: f64 = e["terms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["score"].as_f64().unwrap())
                .sum();
            assert!(close(parts, bm25), "{e}");
            for t in e["terms"].as_array().unwrap() {
                for field in ["term", "field", "bm25", "weight", "score", "feedback"] {
                    assert!(t.get(field).is_some(), "{field} missing in {t}");
                }
            }
            assert_eq!(e["feedback_share"].is_number(), extra.len() == 2, "{e}");
        }
    }
    // Only when asked.
    let plain = sb.query_json("frozen Russian assets Miami", &[]);
    assert!(hits(&plain).iter().all(|h| h.get("explanation").is_none()));
}

#[test]
fn explain_in_text_is_indented_under_each_hit() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["query", "--explain", "-n", "2", "talks Miami"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let scores: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("   score "))
        .collect();
    assert_eq!(scores.len(), 2, "{}", run.stdout);
    assert!(scores[0].contains("= bm25 ") && scores[0].contains("proximity factor"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("     ") && l.contains("text") && l.contains("talk")),
        "{}",
        run.stdout
    );
    let plain = sb.ok(&["query", "-n", "2", "talks Miami"]);
    assert!(!plain.stdout.contains("bm25"));
}

/// (rank, path, byte start) of each hit.
fn keys(results: &Value) -> Vec<(u64, String, u64)> {
    hits(results)
        .iter()
        .map(|h| {
            (
                h["rank"].as_u64().unwrap(),
                h["citation"]["path"].as_str().unwrap().to_string(),
                h["citation"]["byte_start"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn offset_pages_concatenate_to_one_big_page() {
    let sb = Sandbox::indexed();
    for extra in [&[][..], &["--per-article"][..]] {
        let mut big_args = vec!["--limit", "9"];
        big_args.extend_from_slice(extra);
        let big = sb.query_json("talks Miami", &big_args);
        let mut paged = Vec::new();
        let mut totals = Vec::new();
        for offset in ["0", "3", "6"] {
            let mut args = vec!["--limit", "3", "--offset", offset, "--count"];
            args.extend_from_slice(extra);
            let page = sb.query_json("talks Miami", &args);
            totals.push(page["total_matches"].clone());
            paged.extend(keys(&page));
        }
        assert_eq!(keys(&big), paged, "{extra:?}");
        assert!(totals.iter().all(|t| *t == totals[0]), "{totals:?}");
        if extra.is_empty() {
            assert_eq!(paged.len(), 9);
            assert_eq!(paged[3].0, 4);
        }
    }
    // Past the last hit: no hits, exit 1.
    let run = sb.query_run("talks Miami", "json", &["--offset", "5000"]);
    assert_eq!(run.code, 1);
}

#[test]
fn offset_and_limit_past_the_maximum_is_a_usage_error() {
    let sb = Sandbox::indexed();
    let run = sb.run(&["query", "--offset", "9995", "--limit", "10", "talks"], 2);
    assert!(run.stderr.contains("10005"), "{}", run.stderr);
    sb.run(&["query", "--offset", "-1", "talks"], 2);
}

#[test]
fn corrections_print_the_word_as_the_text_spells_it() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["query", "Zelenksy"]);
    assert!(
        run.stderr.contains("searched also for Zelensky"),
        "{}",
        run.stderr
    );
    let results = sb.query_json("Zelenksy", &[]);
    assert_eq!(results["corrections"][0]["replacement"], "zelenski");
    assert_eq!(results["corrections"][0]["surface"], "Zelensky");
}
