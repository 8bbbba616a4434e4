use super::*;

fn sample_run() -> Run {
    let mut run = Run::new();
    run.insert(
        "2".into(),
        vec![("d9".into(), 12.5), ("d1".into(), 0.1 + 0.2)],
    );
    run.insert("10".into(), vec![("x".into(), -3.0)]);
    run
}

#[test]
fn writes_standard_trec_lines_with_one_based_ranks() {
    let text = format_run(&sample_run(), "bm25").unwrap();
    // BTreeMap order: "10" sorts before "2" as strings.
    assert_eq!(
        text,
        "10 Q0 x 1 -3 bm25\n\
         2 Q0 d9 1 12.5 bm25\n\
         2 Q0 d1 2 0.30000000000000004 bm25\n"
    );
}

#[test]
fn write_then_read_round_trips_scores_bit_for_bit() {
    let run = sample_run();
    let back = parse_run(&format_run(&run, "t").unwrap()).unwrap();
    assert_eq!(back, run);
}

#[test]
fn reader_keeps_file_order_and_ignores_rank_values() {
    let text = "q1 Q0 b 7 1.0 r\n\nq1 Q0 a 3 2.0 r\nq1 Q0 b 1 0.5 r\n";
    let run = parse_run(text).unwrap();
    assert_eq!(
        run["q1"],
        vec![("b".into(), 1.0), ("a".into(), 2.0), ("b".into(), 0.5)]
    );
}

#[test]
fn reader_errors_name_the_line() {
    let cases = [
        ("q Q0 d 1 1.0\n", 1, "expected 6 fields"),
        ("q Q0 d 1 1.0 r\nq Q0 e one 1.0 r\n", 2, "rank \"one\""),
        ("\nq Q0 d 1 high r\n", 2, "score \"high\""),
        ("q Q0 d 1 NaN r\n", 1, "NaN"),
    ];
    for (text, want_line, want_reason) in cases {
        match parse_run(text).unwrap_err() {
            EvalError::Run { line, reason } => {
                assert_eq!(line, want_line, "{text:?}");
                assert!(reason.contains(want_reason), "{reason}");
            }
            other => panic!("unexpected error {other:?}"),
        }
    }
}

#[test]
fn writer_refuses_values_that_would_break_the_columns() {
    let mut run = Run::new();
    run.insert("q".into(), vec![("doc 1".into(), 1.0)]);
    assert!(matches!(
        format_run(&run, "t").unwrap_err(),
        EvalError::InvalidRunField { field: "docid", .. }
    ));
    assert!(matches!(
        format_run(&Run::new(), "my tag").unwrap_err(),
        EvalError::InvalidRunField { field: "tag", .. }
    ));
    let mut nan = Run::new();
    nan.insert("q".into(), vec![("d".into(), f64::NAN)]);
    assert!(matches!(
        format_run(&nan, "t").unwrap_err(),
        EvalError::InvalidRunField { field: "score", .. }
    ));
}
