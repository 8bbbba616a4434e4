use super::*;

#[test]
fn parses_judgments_and_skips_blank_lines() {
    let text = "1 0 184 3\n\n1 0 29 0\n  \n2\t0\td7\t-1\n";
    let qrels = parse_qrels(text).unwrap();
    assert_eq!(qrels.len(), 2);
    assert_eq!(qrels["1"]["184"], 3);
    assert_eq!(qrels["1"]["29"], 0);
    // Negative gains are kept as written; metrics treat them as unjudged.
    assert_eq!(qrels["2"]["d7"], -1);
}

#[test]
fn accepts_crlf_line_endings() {
    let qrels = parse_qrels("1 0 a 1\r\n1 0 b 2\r\n").unwrap();
    assert_eq!(qrels["1"]["b"], 2);
}

#[test]
fn wrong_field_count_names_the_line() {
    let err = parse_qrels("1 0 a 1\n\n1 0 b\n").unwrap_err();
    match err {
        EvalError::Qrels { line, reason } => {
            assert_eq!(line, 3);
            assert!(reason.contains("found 3"), "{reason}");
        }
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn non_integer_gain_names_the_line() {
    let err = parse_qrels("1 0 a 1.5\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "qrels line 1: gain \"1.5\" is not an integer"
    );
}

#[test]
fn duplicate_judgment_is_an_error() {
    let err = parse_qrels("1 0 a 1\n2 0 a 1\n1 0 a 2\n").unwrap_err();
    assert!(matches!(err, EvalError::Qrels { line: 3, .. }), "{err:?}");
}

#[test]
fn missing_file_is_a_read_error() {
    let err = read_qrels("/nonexistent/search-eval/qrels.txt").unwrap_err();
    assert!(matches!(err, EvalError::Read { .. }), "{err:?}");
}
