use super::*;

/// Reads the front matter of `text` (past a BOM), with the warnings as
/// `(line, message)`.
fn front(text: &str) -> (Option<FrontMatter>, Vec<(u64, String)>) {
    let from = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut warnings = Vec::new();
    let found = read(text, from, &mut warnings);
    let warnings = warnings.into_iter().map(|w| (w.line, w.message)).collect();
    (found, warnings)
}

const FULL: &str = "---\ntitle: Frozen assets talks resume\nsource: Reuters\ndate: 2025-12-04T10:30:00+02:00\nurl: https://example.org/a?b=1\nauthors: [Olena Kovalenko, Sam Reed]\ntags: [ignored]\n---\nBody.\n";

#[test]
fn reads_every_key_and_ends_past_the_closing_line() {
    let (found, warnings) = front(FULL);
    assert!(warnings.is_empty(), "{warnings:?}");
    let found = found.unwrap();
    assert_eq!(&FULL[found.body_start..], "Body.\n");
    let m = found.metadata;
    assert_eq!(m.title.as_deref(), Some("Frozen assets talks resume"));
    assert_eq!(m.source.as_deref(), Some("Reuters"));
    assert_eq!(m.date.unwrap().iso, "2025-12-04T08:30:00Z");
    assert_eq!(m.url.as_deref(), Some("https://example.org/a?b=1"));
    assert_eq!(m.authors, ["Olena Kovalenko", "Sam Reed"]);
}

#[test]
fn crlf_lone_cr_bom_and_a_dots_closer() {
    for text in [
        FULL.replace('\n', "\r\n"),
        FULL.replace('\n', "\r"),
        format!("\u{feff}{FULL}"),
        FULL.replacen("\n---\n", "\n...\n", 1),
        FULL.replace("---\n", "---  \n"),
    ] {
        let (found, warnings) = front(&text);
        assert!(warnings.is_empty(), "{text:?}: {warnings:?}");
        let found = found.unwrap_or_else(|| panic!("{text:?}"));
        assert!(
            text[found.body_start..].starts_with("Body."),
            "{text:?} body at {}",
            found.body_start
        );
        assert_eq!(found.metadata.authors.len(), 2, "{text:?}");
        assert_eq!(found.metadata.source.as_deref(), Some("Reuters"));
    }
}

#[test]
fn no_opening_line_is_no_front_matter_and_no_warning() {
    for text in [
        "Title\n\n---\ntitle: x\n---\n",
        "\n---\ntitle: x\n---\nBody",
        "--- \n",
        "----\ntitle: x\n----\nBody",
        "",
    ] {
        let (found, warnings) = front(text);
        if text == "--- \n" {
            // An opening line and nothing else: never closed.
            assert!(found.is_none());
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            continue;
        }
        assert_eq!(found, None, "{text:?}");
        assert!(warnings.is_empty(), "{text:?}: {warnings:?}");
    }
}

#[test]
fn an_unclosed_front_matter_is_plain_text_with_a_warning() {
    let (found, warnings) = front("---\ntitle: Open\nBody text.\n");
    assert_eq!(found, None);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].0, 1);
    assert!(
        warnings[0]
            .1
            .contains("no closing `---` or `...` line within its first 64 KiB"),
        "{warnings:?}"
    );
    assert!(warnings[0]
        .1
        .ends_with("the file is indexed as plain text, front matter included"));
    // A closing line past the limit is not looked for.
    let far = format!("---\ntitle: x\n{}\n---\nBody", "a: b\n".repeat(20_000));
    let (found, warnings) = front(&far);
    assert_eq!((found, warnings.len()), (None, 1));
}

#[test]
fn a_yaml_error_names_its_line_in_the_file() {
    let (found, warnings) = front("---\ntitle: ok\nsource: Reuters: AP\n---\nBody");
    assert_eq!(found, None);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let (line, message) = &warnings[0];
    assert_eq!(*line, 3, "{message}");
    assert!(
        message.starts_with("the front matter is not valid YAML: "),
        "{message}"
    );
    assert!(message.contains("(line 3)"), "{message}");
}

#[test]
fn a_front_matter_that_is_not_a_mapping_is_plain_text() {
    for (text, kind) in [
        ("---\n- a\n- b\n---\nBody", "a list"),
        ("---\nJust a sentence\n---\nBody", "a string"),
    ] {
        let (found, warnings) = front(text);
        assert_eq!(found, None);
        assert!(
            warnings[0]
                .1
                .starts_with(&format!("the front matter is {kind}, not a mapping")),
            "{warnings:?}"
        );
    }
}

#[test]
fn an_empty_front_matter_is_still_cut_off() {
    let (found, warnings) = front("---\n---\nBody");
    assert!(warnings.is_empty());
    assert_eq!(found.unwrap().body_start, 8);
}

#[test]
fn wrong_types_name_the_field_and_its_line_and_keep_the_rest() {
    let text = "---\ntitle: 1984\nSource: AP\ndate: 2025\nauthor:\n  - Ann Lee\n  - 3\nurl: {a: b}\nlive: true\n---\nBody";
    let (found, warnings) = front(text);
    let m = found.unwrap().metadata;
    assert_eq!(m.title, None);
    assert_eq!(m.source.as_deref(), Some("AP"));
    assert_eq!(m.date, None);
    assert_eq!(m.url, None);
    assert_eq!(m.authors, ["Ann Lee"]);
    let lines: Vec<u64> = warnings.iter().map(|w| w.0).collect();
    assert_eq!(lines, [2, 4, 5, 8], "{warnings:?}");
    assert_eq!(
        warnings[0].1,
        "field `title` should be a string, found a number; the article is indexed without it"
    );
    assert!(warnings[1]
        .1
        .contains("`date` should be a string, found a number"));
    assert!(warnings[2].1.contains("item 2 is a number"));
    assert!(warnings[3]
        .1
        .contains("`url` should be a string, found a mapping"));
}

#[test]
fn date_forms() {
    for (value, iso) in [
        ("2025-12-04", "2025-12-04"),
        ("\"2025-12-04\"", "2025-12-04"),
        ("2025-12-04T10:30:00Z", "2025-12-04T10:30:00Z"),
        ("2025-12-04T10:30:00+02:00", "2025-12-04T08:30:00Z"),
        ("2025-12-04 10:30:00", "2025-12-04T10:30:00Z"),
        ("Thu, 04 Dec 2025 10:30:00 +0000", "2025-12-04T10:30:00Z"),
        ("'Thu, 04 Dec 2025 10:30:00 -0500'", "2025-12-04T15:30:00Z"),
    ] {
        let (found, warnings) = front(&format!("---\ndate: {value}\n---\nBody"));
        assert!(warnings.is_empty(), "{value}: {warnings:?}");
        assert_eq!(found.unwrap().metadata.date.unwrap().iso, iso, "{value}");
    }
    let (found, warnings) = front("---\ntitle: T\ndate: 2025-13-45\n---\nBody");
    let m = found.unwrap().metadata;
    assert_eq!((m.date, m.title.as_deref()), (None, Some("T")));
    assert_eq!(warnings[0].0, 3);
    assert!(
        warnings[0]
            .1
            .starts_with("field `date`: `2025-13-45` is not a date"),
        "{warnings:?}"
    );
}

#[test]
fn author_as_a_string_or_authors_as_a_list() {
    let (found, _) = front("---\nauthor: Ann Lee\n---\nBody");
    assert_eq!(found.unwrap().metadata.authors, ["Ann Lee"]);
    let (found, _) = front("---\nauthors:\n  - Ann Lee\n  - Bo Chen\nauthor: Cy Diaz\n---\nBody");
    assert_eq!(
        found.unwrap().metadata.authors,
        ["Ann Lee", "Bo Chen", "Cy Diaz"]
    );
}
