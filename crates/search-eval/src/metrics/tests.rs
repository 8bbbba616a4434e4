//! Every expected value below is worked out by hand in the comment above it.
//! Discounts used: 1/log2(2) = 1, 1/log2(3) = 0.6309298, 1/log2(4) = 0.5,
//! 1/log2(5) = 0.4306766.

use super::*;

const EPS: f64 = 1e-6;

fn judgments(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|&(d, g)| (d.to_owned(), g)).collect()
}

fn ranking(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
    pairs.iter().map(|&(d, s)| (d.to_owned(), s)).collect()
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < EPS, "{what}: got {got}, want {want}");
}

fn assert_metrics(got: QueryMetrics, ndcg: f64, map: f64, recall: f64) {
    assert_close(got.ndcg_at_10, ndcg, "ndcg_at_10");
    assert_close(got.map, map, "map");
    assert_close(got.recall_at_100, recall, "recall_at_100");
}

#[test]
fn graded_ndcg_against_ideal_with_unretrieved_relevant_doc() {
    // Judged: d1=3, d2=2, d3=0, d4=1, d5=3 (d5 never retrieved).
    // Retrieved gains in order: [3, 2, 0, 1].
    // DCG  = 3/1 + 2/log2(3) + 0/log2(4) + 1/log2(5)
    //      = 3 + 1.2618595 + 0 + 0.4306766 = 4.6925361
    // Ideal gains [3, 3, 2, 1]:
    // IDCG = 3/1 + 3/log2(3) + 2/log2(4) + 1/log2(5)
    //      = 3 + 1.8927893 + 1 + 0.4306766 = 6.3234658
    // nDCG = 4.6925361 / 6.3234658 = 0.7420829
    // Relevant: d1, d2, d4, d5 (4). Hits at ranks 1, 2, 4:
    // AP = (1/1 + 2/2 + 3/4) / 4 = 2.75 / 4 = 0.6875; recall = 3/4.
    let j = judgments(&[("d1", 3), ("d2", 2), ("d3", 0), ("d4", 1), ("d5", 3)]);
    let r = ranking(&[("d1", 0.9), ("d2", 0.8), ("d3", 0.7), ("d4", 0.6)]);
    let m = evaluate_query(&j, &r).unwrap();
    assert_metrics(m, 0.7420829, 0.6875, 0.75);
}

#[test]
fn average_precision_divides_by_all_relevant_including_missing() {
    // Relevant a, b, c; run retrieves a, x, b (c missing, x unjudged).
    // AP = (1/1 + 2/3) / 3 = 1.6666667 / 3 = 0.5555556
    // DCG = 1 + 0 + 1/log2(4) = 1.5; IDCG = 1 + 0.6309298 + 0.5 = 2.1309298
    // nDCG = 1.5 / 2.1309298 = 0.7039181; recall = 2/3.
    let j = judgments(&[("a", 1), ("b", 1), ("c", 1)]);
    let r = ranking(&[("a", 0.9), ("x", 0.8), ("b", 0.7)]);
    let m = evaluate_query(&j, &r).unwrap();
    assert_metrics(m, 0.7039181, 0.5555556, 2.0 / 3.0);
}

#[test]
fn recall_is_cut_at_100_but_map_uses_the_full_run() {
    // 150 docs n000..n149 at strictly decreasing scores, so n{i} is at rank
    // i+1. Relevant: n049 (rank 50) and n100 (rank 101).
    // recall@100 = 1/2 (rank 101 is past the cutoff).
    // AP = (1/50 + 2/101) / 2 = (0.02 + 0.0198020) / 2 = 0.0199010.
    // nDCG@10 = 0: nothing relevant in the top 10.
    let j = judgments(&[("n049", 1), ("n100", 1)]);
    let r: Vec<(String, f64)> = (0..150)
        .map(|i| (format!("n{i:03}"), 1000.0 - i as f64))
        .collect();
    let m = evaluate_query(&j, &r).unwrap();
    assert_metrics(m, 0.0, 0.0199010, 0.5);
}

#[test]
fn ties_are_broken_by_docid_descending_as_strings() {
    // All three score 1.0. Byte-wise descending: "2" > "10" > "1", so the
    // trec_eval order is 2, 10, 1 whatever the input order.
    let r = ranking(&[("10", 1.0), ("1", 1.0), ("2", 1.0)]);
    let order: Vec<&str> = trec_eval_order(&r).iter().map(|(d, _)| *d).collect();
    assert_eq!(order, ["2", "10", "1"]);

    // Only "10" is relevant; it lands at rank 2.
    // AP = (1/2) / 1 = 0.5; nDCG = (1/log2(3)) / 1 = 0.6309298; recall = 1.
    let j = judgments(&[("10", 1)]);
    let m = evaluate_query(&j, &r).unwrap();
    assert_metrics(m, 0.6309298, 0.5, 1.0);
}

#[test]
fn given_order_is_ignored_in_favour_of_scores() {
    // Listed worst-first; scores put b (relevant) at rank 1.
    // AP = 1/1 = 1; nDCG = (2/1) / 2 = 1.
    let j = judgments(&[("b", 2)]);
    let r = ranking(&[("a", 0.1), ("b", 0.9)]);
    assert_metrics(evaluate_query(&j, &r).unwrap(), 1.0, 1.0, 1.0);
}

#[test]
fn duplicate_docids_keep_the_first_occurrence() {
    // [a 0.1, b 0.5, a 0.9] -> the second `a` is dropped -> order b, a.
    // a (relevant) at rank 2: AP = 1/2 = 0.5, nDCG = 0.6309298.
    // (Keeping the last `a` would have put it first, AP = 1.)
    let j = judgments(&[("a", 1)]);
    let r = ranking(&[("a", 0.1), ("b", 0.5), ("a", 0.9)]);
    assert_metrics(evaluate_query(&j, &r).unwrap(), 0.6309298, 0.5, 1.0);
}

#[test]
fn negative_and_unjudged_gains_add_nothing() {
    // a = -1 (in pool, unjudged), b = 2, z not judged. Order a, b, z.
    // DCG = 0 + 2/log2(3) = 1.2618595; IDCG = 2/1 = 2 (a is not in the
    // ideal list) -> nDCG = 0.6309298. Relevant: b only, at rank 2:
    // AP = 1/2 = 0.5; recall = 1.
    let j = judgments(&[("a", -1), ("b", 2)]);
    let r = ranking(&[("a", 0.9), ("b", 0.8), ("z", 0.7)]);
    assert_metrics(evaluate_query(&j, &r).unwrap(), 0.6309298, 0.5, 1.0);
}

#[test]
fn ideal_dcg_is_cut_at_ten() {
    // 12 docs judged 1; the run finds r00 and r01 at ranks 1 and 2, then a
    // relevant r02 only at rank 11 (after 8 unjudged docs).
    // DCG@10 = 1 + 1/log2(3) = 1.6309298
    // IDCG@10 = sum over ranks 1..=10 of 1/log2(rank+1) = 4.5435593
    //   (1 + .6309298 + .5 + .4306766 + .3868528 + .3562072 + .3333333
    //    + .3154649 + .3010300 + .2890648)
    // nDCG = 1.6309298 / 4.5435593 = 0.3589542
    // AP = (1/1 + 2/2 + 3/11) / 12 = 2.2727273 / 12 = 0.1893939
    // recall@100 = 3/12 = 0.25
    let j: BTreeMap<String, i64> = (0..12).map(|i| (format!("r{i:02}"), 1)).collect();
    let mut r = ranking(&[("r00", 100.0), ("r01", 99.0)]);
    r.extend((0..8).map(|i| (format!("u{i}"), 50.0 - i as f64)));
    r.push(("r02".into(), 1.0));
    assert_metrics(evaluate_query(&j, &r).unwrap(), 0.3589542, 0.1893939, 0.25);
}

#[test]
fn nan_ranks_last_and_signed_zeros_tie() {
    // d first; c and b tie at 0 (-0.0 == 0.0) -> docid descending: c, b;
    // a (NaN) last.
    let r = ranking(&[("a", f64::NAN), ("b", 0.0), ("c", -0.0), ("d", 1.0)]);
    let order: Vec<&str> = trec_eval_order(&r).iter().map(|(d, _)| *d).collect();
    assert_eq!(order, ["d", "c", "b", "a"]);
}

#[test]
fn query_without_relevant_docs_is_not_scored() {
    let j = judgments(&[("a", 0), ("b", -1)]);
    assert_eq!(evaluate_query(&j, &ranking(&[("a", 1.0)])), None);
}

#[test]
fn evaluate_skips_unusable_queries_and_averages_the_rest() {
    let mut qrels = Qrels::new();
    // q1: perfect ranking -> (1, 1, 1).
    qrels.insert("q1".into(), judgments(&[("a", 1)]));
    // q2: the AP example above -> (0.7039181, 0.5555556, 0.6666667).
    qrels.insert("q2".into(), judgments(&[("a", 1), ("b", 1), ("c", 1)]));
    // q3: judged, but nothing relevant -> skipped.
    qrels.insert("q3".into(), judgments(&[("a", 0), ("b", -1)]));
    // q5: relevant docs but absent from the run -> skipped (no `-c`).
    qrels.insert("q5".into(), judgments(&[("z", 3)]));

    let mut run = Run::new();
    run.insert("q1".into(), ranking(&[("a", 2.0), ("b", 1.0)]));
    run.insert("q2".into(), ranking(&[("a", 0.9), ("x", 0.8), ("b", 0.7)]));
    run.insert("q3".into(), ranking(&[("a", 1.0)]));
    // q4: not in the qrels at all -> skipped.
    run.insert("q4".into(), ranking(&[("a", 1.0)]));

    let report = evaluate(&qrels, &run);
    assert_eq!(report.num_queries, 2);
    assert_eq!(report.per_query.keys().collect::<Vec<_>>(), ["q1", "q2"]);
    // Means over q1 and q2:
    // nDCG = (1 + 0.7039181) / 2 = 0.8519590
    // MAP = (1 + 0.5555556) / 2 = 0.7777778
    // R@100 = (1 + 0.6666667) / 2 = 0.8333333
    assert_metrics(report.mean, 0.8519590, 0.7777778, 0.8333333);
}

#[test]
fn judged_query_with_empty_ranking_counts_as_zero() {
    // A qid present in the run with no documents is still a query the
    // engine answered (badly): it is averaged in with 0 everywhere, as
    // pytrec_eval does for an empty result dict.
    let mut qrels = Qrels::new();
    qrels.insert("q1".into(), judgments(&[("a", 1)]));
    qrels.insert("q2".into(), judgments(&[("a", 1)]));
    let mut run = Run::new();
    run.insert("q1".into(), ranking(&[("a", 1.0)]));
    run.insert("q2".into(), Vec::new());
    let report = evaluate(&qrels, &run);
    assert_eq!(report.num_queries, 2);
    assert_metrics(report.per_query["q2"], 0.0, 0.0, 0.0);
    assert_metrics(report.mean, 0.5, 0.5, 0.5);
}

#[test]
fn nothing_to_evaluate_gives_zero_means() {
    let report = evaluate(&Qrels::new(), &Run::new());
    assert_eq!(report, EvalReport::default());
}
