//! Regression test against numbers produced by pytrec_eval on an edge-case
//! fixture (see `tests/data/README.md` for what each query exercises).

use search_eval::{evaluate, read_qrels, read_run};

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < 1e-9,
        "{what}: got {got}, pytrec_eval {want}"
    );
}

#[test]
fn matches_pytrec_eval_on_edge_cases() {
    let qrels = read_qrels(data("edge-qrels.txt")).unwrap();
    let run = read_run(data("edge-run.txt")).unwrap();
    let report = evaluate(&qrels, &run);

    // qid, ndcg_cut_10, map, recall_100 as printed by pytrec_eval-terrier
    // 0.5.11. pytrec_eval also returns t3 (no relevant docs) with all
    // zeros; the crate skips it by design.
    let expected = [
        ("t1", 0.7943804413235367, 0.9166666666666666, 1.0),
        ("t2", 0.45389161963373026, 0.332221394002247, 0.9),
        ("t6", 0.6071871724766785, 0.6791666666666667, 1.0),
    ];
    assert_eq!(report.num_queries, expected.len());
    assert_eq!(
        report.per_query.keys().collect::<Vec<_>>(),
        expected.iter().map(|e| e.0).collect::<Vec<_>>()
    );
    for (qid, ndcg, map, recall) in expected {
        let got = report.per_query[qid];
        assert_close(got.ndcg_at_10, ndcg, &format!("{qid} ndcg_cut_10"));
        assert_close(got.map, map, &format!("{qid} map"));
        assert_close(got.recall_at_100, recall, &format!("{qid} recall_100"));
    }
    assert_close(
        report.mean.ndcg_at_10,
        0.6184864111446484,
        "mean ndcg_cut_10",
    );
    assert_close(report.mean.map, 0.6426849091118602, "mean map");
    assert_close(
        report.mean.recall_at_100,
        0.9666666666666667,
        "mean recall_100",
    );
}
