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

const FRONT: &str =
    "---\ntitle: From the front matter\nsource: Reuters\ndate: 2025-12-04\nauthor: Ann Lee\n---\n";

#[test]
fn front_matter_is_not_a_passage_and_paragraphs_count_after_it() {
    let text = format!(
        "{FRONT}Short first line\n\nSecond paragraph here.\n© 2025 Newsmax. All rights reserved.\n"
    );
    let a = parse_text_article("fm", text.clone(), false).unwrap();
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    assert_eq!(a.title.as_deref(), Some("From the front matter"));
    // The front matter's source wins over the copyright line's.
    assert_eq!(a.source.as_deref(), Some("Reuters"));
    assert_eq!(a.date.as_ref().unwrap().iso, "2025-12-04");
    assert_eq!(a.authors, ["Ann Lee"]);
    // With a title given, the .txt body's first line is not guessed as a title.
    let cited: Vec<(&str, u64, u64)> = a
        .passages
        .iter()
        .map(|p| (&text[p.range.clone()], p.paragraph, p.line))
        .collect();
    assert_eq!(
        cited,
        [
            ("Short first line", 1, 7),
            ("Second paragraph here.", 2, 9),
            ("© 2025 Newsmax. All rights reserved.", 3, 10),
        ]
    );
    assert_eq!(a.stored_fields().date.as_deref(), Some("2025-12-04"));
}

#[test]
fn front_matter_and_markdown_headings() {
    // The front matter's title wins; the heading line is still not a passage.
    let a = parse_text_article("m", format!("{FRONT}# The heading\n\nBody."), true).unwrap();
    assert_eq!(a.title.as_deref(), Some("From the front matter"));
    assert_eq!(a.passages.len(), 1);
    assert_eq!(&a.text[a.passages[0].range.clone()], "Body.");
    assert_eq!(a.passages[0].paragraph, 1);
    // Without a title in the front matter, the heading is the title.
    let a = parse_text_article(
        "m",
        "---\nsource: AP\n---\n# The heading\n\nBody.".into(),
        true,
    )
    .unwrap();
    assert_eq!(a.title.as_deref(), Some("The heading"));
    assert_eq!(a.source.as_deref(), Some("AP"));
    // And in a .txt without one, the first line is guessed as before.
    let a =
        parse_text_article("t", "---\nsource: AP\n---\nA headline\nBody.".into(), false).unwrap();
    assert_eq!(a.title.as_deref(), Some("A headline"));
}

#[test]
fn malformed_front_matter_is_indexed_as_plain_text_with_a_warning() {
    let text = "---\ntitle: [unclosed\n---\nBody text.\n";
    let a = parse_text_article("bad", text.into(), false).unwrap();
    assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
    assert!(a.warnings[0].message.contains("not valid YAML"));
    assert_eq!((a.title.as_deref(), a.date.as_ref()), (None, None));
    let texts: Vec<&str> = a
        .passages
        .iter()
        .map(|p| &a.text[p.range.clone()])
        .collect();
    assert_eq!(texts, ["---", "title: [unclosed", "---", "Body text."]);
    assert_eq!(a.passages[0].line, 1);
}

#[test]
fn a_front_matter_without_a_body_is_rejected() {
    let err = parse_text_article("fm", FRONT.into(), false).unwrap_err();
    assert!(
        err.0.contains("no text after the front matter"),
        "{}",
        err.0
    );
}

#[test]
fn jsonl_optional_fields_of_the_wrong_type_keep_the_record() {
    let json = r#"{"id": "r1", "title": 42, "source": ["AP"], "date": "yesterday", "url": true, "authors": ["Ann Lee", "Bo Chen"], "text": "Body."}"#;
    let a = parse_jsonl_record(json, 9).unwrap();
    assert_eq!(a.passages.len(), 1);
    assert_eq!((a.title, a.source, a.url, a.date), (None, None, None, None));
    assert_eq!(a.authors, ["Ann Lee", "Bo Chen"]);
    let messages: Vec<&str> = a.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(a.warnings.iter().all(|w| w.line == 9));
    assert_eq!(
        messages[0],
        "record `r1`: field `title` should be a string, found a number; the article is indexed without it"
    );
    assert!(messages[1].contains("field `source` should be a string, found a list"));
    assert!(messages[2].contains("field `date`: `yesterday` is not a date"));
    assert!(messages[3].contains("field `url` should be a string, found a boolean"));
    assert_eq!(messages.len(), 4);
}

#[test]
fn jsonl_dates_are_normalised() {
    let json =
        r#"{"id": 1, "text": "x", "date": "Thu, 04 Dec 2025 10:30:00 +0200", "author": "Ann Lee"}"#;
    let a = parse_jsonl_record(json, 1).unwrap();
    assert_eq!(a.date.unwrap().iso, "2025-12-04T08:30:00Z");
    assert_eq!(a.authors, ["Ann Lee"]);
    assert!(a.warnings.is_empty());
}

#[test]
fn jsonl_required_fields_of_the_wrong_type_skip_the_record() {
    let err = parse_jsonl_record(r#"{"id": "r", "text": 5}"#, 2).unwrap_err();
    assert_eq!(
        err.0,
        "line 2: record `r`: field `text` should be a string, found a number; the record is skipped"
    );
    let err = parse_jsonl_record(r#"{"id": ["r"], "text": "t"}"#, 3).unwrap_err();
    assert!(
        err.0
            .contains("field `id` should be a string or a number, found a list"),
        "{}",
        err.0
    );
    let err = parse_jsonl_record(r#"["r", "text"]"#, 4).unwrap_err();
    assert!(err.0.contains("line 4: not a JSON object"), "{}", err.0);
}

#[test]
fn jsonl_empty_text_is_a_warning_and_no_passage() {
    for text in ["", "  \n\n "] {
        let json = serde_json::json!({"id": "e", "text": text}).to_string();
        let a = parse_jsonl_record(&json, 6).unwrap();
        assert!(a.passages.is_empty());
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.warnings[0].line, 6);
        assert!(
            a.warnings[0].message.contains("empty `text`")
                && a.warnings[0].message.contains("left out"),
            "{:?}",
            a.warnings
        );
    }
}
