use super::*;

#[test]
fn parses_queries_in_file_order_skipping_comments_and_blanks() {
    let text =
        "# dev queries\n3\twhat problems of heat conduction .\n\n1\twhat similarity laws .\r\n";
    let topics = parse_topics(text).unwrap();
    assert_eq!(
        topics,
        vec![
            Topic {
                qid: "3".into(),
                text: "what problems of heat conduction .".into()
            },
            Topic {
                qid: "1".into(),
                text: "what similarity laws .".into()
            },
        ]
    );
}

#[test]
fn text_after_the_first_tab_is_kept_whole() {
    let topics = parse_topics("7\tpart one\tpart two\n").unwrap();
    assert_eq!(topics[0].text, "part one\tpart two");
}

#[test]
fn line_without_tab_names_the_line() {
    let err = parse_topics("1\tok\n# c\n2 no tab here\n").unwrap_err();
    assert!(matches!(err, EvalError::Topics { line: 3, .. }), "{err:?}");
}

#[test]
fn empty_qid_or_question_is_an_error() {
    assert!(matches!(
        parse_topics("\tquestion\n").unwrap_err(),
        EvalError::Topics { line: 1, .. }
    ));
    assert!(matches!(
        parse_topics("1\tq\n5\t  \n").unwrap_err(),
        EvalError::Topics { line: 2, .. }
    ));
}

#[test]
fn duplicate_qid_is_an_error() {
    let err = parse_topics("1\ta\n1\tb\n").unwrap_err();
    assert_eq!(err.to_string(), "topics line 2: query \"1\" appears twice");
}
