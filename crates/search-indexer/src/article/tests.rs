use super::*;

const SEED_000: &str = include_str!("../../../../seeds/000_792c1fc0d0c2a89d.txt");
const SEED_003: &str = include_str!("../../../../seeds/003_43941a50b73b53ea.txt");

#[test]
fn seed_with_a_title_line() {
    let a = parse_text_article("000", SEED_000.to_string(), false).unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Ukraine's top security officials meet US negotiators in Miami amid peace push")
    );
    let first = &a.passages[0];
    assert_eq!(
        &a.text[first.range.clone()],
        "Editor's note: This story is being updated."
    );
    assert!(first.boilerplate);
    assert_eq!((first.paragraph, first.line), (1, 3));
    for p in &a.passages {
        let body = &a.text[p.range.clone()];
        assert_eq!(body, body.trim());
        assert!(!body.is_empty());
    }
}

#[test]
fn seed_without_a_title_takes_source_from_copyright() {
    let a = parse_text_article("003", SEED_003.to_string(), false).unwrap();
    assert_eq!(a.title, None);
    assert_eq!(a.source.as_deref(), Some("Newsmax"));
    assert_eq!(a.passages[0].paragraph, 1);
    assert!(a.text[a.passages[0].range.clone()].starts_with("In an updated diplomatic push"));
    let last = a.passages.last().unwrap();
    assert!(last.boilerplate);
}

#[test]
fn markdown_heading_is_the_title() {
    let a = parse_text_article("m", "# A headline.\n\nBody text here.".into(), true).unwrap();
    assert_eq!(a.title.as_deref(), Some("A headline."));
    assert_eq!(a.passages.len(), 1);
}

#[test]
fn a_single_line_is_body_not_title() {
    let a = parse_text_article("x", "Just one line".into(), false).unwrap();
    assert_eq!(a.title, None);
    assert_eq!(a.passages.len(), 1);
}

#[test]
fn empty_and_data_lines_are_rejected() {
    assert!(parse_text_article("e", " \n\n ".into(), false).is_err());
    let huge = "x".repeat(MAX_PARAGRAPH_BYTES + 1);
    let err = parse_text_article("h", huge, false).unwrap_err();
    assert!(err.0.contains("line 1"), "{}", err.0);
}

#[test]
fn jsonl_record_cites_its_line_and_decoded_offsets() {
    let json = r#"{"id": 7, "title": "T", "source": "Wire", "text": "first \u00e9 para.\n\nsecond para."}"#;
    let a = parse_jsonl_record(json, 12).unwrap();
    assert_eq!(a.doc_id, "7");
    assert_eq!(a.passages.len(), 2);
    assert!(a.passages.iter().all(|p| p.line == 12));
    assert_eq!(&a.text[a.passages[0].range.clone()], "first é para.");
    assert_eq!(a.passages[1].paragraph, 2);
}

#[test]
fn jsonl_errors_name_the_line_and_the_field() {
    assert!(parse_jsonl_record("{not json", 3)
        .unwrap_err()
        .0
        .contains("line 3"));
    assert!(parse_jsonl_record(r#"{"text": "a"}"#, 4)
        .unwrap_err()
        .0
        .contains("`id`"));
    assert!(parse_jsonl_record(r#"{"id": "a"}"#, 5)
        .unwrap_err()
        .0
        .contains("`text`"));
}

#[test]
fn cr_only_article_has_a_title_and_one_passage_per_paragraph() {
    let lf = "A headline without a stop\n\nFirst paragraph here.\nSecond one.\n";
    let cr = lf.replace('\n', "\r");
    let crlf = lf.replace('\n', "\r\n");
    let want = parse_text_article("lf", lf.to_string(), false).unwrap();
    for text in [cr, crlf] {
        let a = parse_text_article("x", text.clone(), false).unwrap();
        assert_eq!(a.title, want.title, "{text:?}");
        assert_eq!(a.passages.len(), 2, "{text:?}");
        for (got, want) in a.passages.iter().zip(&want.passages) {
            assert_eq!(&a.text[got.range.clone()], &lf[want.range.clone()]);
            assert_eq!((got.paragraph, got.line), (want.paragraph, want.line));
        }
    }
}
