//! Article metadata through the binary: YAML front matter in `.md` and `.txt`
//! files and JSONL fields reach the JSON citation (`date` normalised, `source`,
//! `url`, `author`, `authors`), front-matter citations still hold byte for byte,
//! and what is wrong with the metadata is a warning naming the file, the line and
//! the field: the article is still indexed and the exit status stays 0.

use serde_json::{json, Value};

use crate::util::{assert_citation_holds, cited, cited_u64, doc_id, hits, text, Sandbox};

/// A front matter with every key, then a markdown heading and three paragraphs.
const MD: &str = "---\ntitle: Talks on frozen assets resume\nsource: Reuters\ndate: 2025-12-04T10:30:00+02:00\nurl: https://example.org/assets?id=7\nauthors:\n  - Olena Kovalenko\n  - Sam Reed\nkeywords: [ignored, too]\n---\n# A heading that is not the title\n\nNegotiators met in Brussels about the frozen assets.\n\nThe Belgian clearing house holds most of them.\n\n© 2025 Newsmax. All rights reserved.\n";

/// A `.txt` article with one author and an RFC 2822 date; its first body line
/// would pass for a title, but the front matter gives one.
const TXT: &str = "---\ntitle: Quokka census\nsource: Island Times\ndate: Thu, 04 Dec 2025 08:30:00 -0500\nauthor: Zoë Park\n---\nShort opening line\nRangers counted the quokkas on Rottnest.\n";

/// The hit of `results` whose text contains `needle`.
fn hit_with<'a>(results: &'a Value, needle: &str) -> &'a Value {
    hits(results)
        .iter()
        .find(|h| text(h).contains(needle))
        .unwrap_or_else(|| panic!("no hit holds {needle:?} in {results}"))
}

fn corpus_with(files: &[(&str, String)]) -> Sandbox {
    let sb = Sandbox::empty();
    for (name, content) in files {
        sb.write(&format!("corpus/{name}"), content);
    }
    sb
}

#[test]
fn front_matter_citations_hold_byte_for_byte_whatever_the_line_endings() {
    let sb = corpus_with(&[
        ("lf.md", MD.to_string()),
        ("crlf.md", MD.replace('\n', "\r\n")),
        ("cr.md", MD.replace('\n', "\r")),
        ("bom.md", format!("\u{feff}{MD}")),
        ("census.txt", TXT.to_string()),
        ("census-crlf.txt", TXT.replace('\n', "\r\n")),
    ]);
    let run = sb.ok(&["index", "corpus"]);
    assert!(!run.stderr.contains("warning"), "{run:?}");
    for query in [
        "frozen assets Brussels",
        "Belgian clearing",
        "quokkas opening",
        "Newsmax",
    ] {
        let results = sb.query_json(query, &["--limit", "50"]);
        assert!(!hits(&results).is_empty(), "{query}: {results}");
        for hit in hits(&results) {
            assert_citation_holds(sb.path(), hit);
            // The front matter is never a passage.
            for key in ["title:", "source:", "date:", "---"] {
                assert!(!text(hit).starts_with(key), "{hit}");
            }
        }
    }
    // Paragraphs are numbered from the first one after the front matter (and the
    // heading); lines are the file's.
    let results = sb.query_json("Brussels", &["--limit", "10"]);
    assert_eq!(hits(&results).len(), 4, "{results}");
    for hit in hits(&results) {
        assert_eq!(cited_u64(hit, "paragraph"), 1, "{hit}");
        assert_eq!(cited_u64(hit, "line"), 13, "{hit}");
    }
    let results = sb.query_json("Belgian", &[]);
    assert_eq!(cited_u64(&hits(&results)[0], "paragraph"), 2);
    let results = sb.query_json("opening", &["--limit", "10"]);
    for hit in hits(&results) {
        assert_eq!(
            (cited_u64(hit, "paragraph"), cited_u64(hit, "line")),
            (1, 7),
            "{hit}"
        );
    }
}

#[test]
fn citations_carry_the_normalised_date_source_url_and_authors() {
    let sb = corpus_with(&[("lf.md", MD.to_string()), ("census.txt", TXT.to_string())]);
    sb.ok(&["index", "corpus"]);
    let results = sb.query_json("Brussels", &[]);
    let citation = &hits(&results)[0]["citation"];
    assert_eq!(citation["title"], json!("Talks on frozen assets resume"));
    // The front matter's source wins over the copyright line's.
    assert_eq!(citation["source"], json!("Reuters"));
    assert_eq!(citation["date"], json!("2025-12-04T08:30:00Z"));
    assert_eq!(citation["url"], json!("https://example.org/assets?id=7"));
    assert_eq!(citation["author"], json!("Olena Kovalenko, Sam Reed"));
    assert_eq!(citation["authors"], json!(["Olena Kovalenko", "Sam Reed"]));

    let results = sb.query_json("quokkas", &[]);
    let citation = &hits(&results)[0]["citation"];
    assert_eq!(citation["title"], json!("Quokka census"));
    assert_eq!(citation["source"], json!("Island Times"));
    // RFC 2822, shown in UTC.
    assert_eq!(citation["date"], json!("2025-12-04T13:30:00Z"));
    assert_eq!(citation["author"], json!("Zoë Park"));
    assert!(citation.get("authors").is_none(), "{citation}");
    assert!(citation.get("url").is_none(), "{citation}");
}

#[test]
fn jsonl_fields_and_rfc_2822_dates_reach_the_citation() {
    let lines = [
        r#"{"id":"w1","title":"Strike","source":"AP","date":"Fri, 05 Dec 2025 09:15:00 +0100","url":"https://example.org/w1","authors":["Ann Lee","Bo Chen"],"text":"Dockworkers voted to strike."}"#,
        r#"{"id":"w2","date":"2025-12-06 12:00:00","author":"Cy Diaz","text":"Harbour pilots joined the dockworkers."}"#,
    ];
    let sb = corpus_with(&[("wire.jsonl", lines.join("\n") + "\n")]);
    sb.ok(&["index", "corpus"]);
    let results = sb.query_json("dockworkers", &[]);
    let w1 = &hit_with(&results, "voted")["citation"];
    assert_eq!(w1["date"], json!("2025-12-05T08:15:00Z"));
    assert_eq!(w1["source"], json!("AP"));
    assert_eq!(w1["url"], json!("https://example.org/w1"));
    assert_eq!(w1["authors"], json!(["Ann Lee", "Bo Chen"]));
    assert_eq!(w1["author"], json!("Ann Lee, Bo Chen"));
    let w2 = &hit_with(&results, "pilots")["citation"];
    assert_eq!(w2["date"], json!("2025-12-06T12:00:00Z"));
    assert_eq!(w2["author"], json!("Cy Diaz"));
}

#[test]
fn bad_dates_and_wrong_types_are_warnings_naming_file_line_and_field() {
    let jsonl = [
        r#"{"id":"r1","title":42,"date":"last Tuesday","author":["Ann Lee",7],"text":"Ferries resumed to Rottnest."}"#,
        r#"{"id":"r2","text":""}"#,
        r#"{"id":"r3","source":{"name":"AP"},"text":"Pilots joined the ferries."}"#,
    ];
    let sb = corpus_with(&[
        ("wire.jsonl", jsonl.join("\n") + "\n"),
        (
            "notes.md",
            "---\ntitle: Notes\ndate: 2025-02-30\nauthor: 12\n---\nThe ferries carried quokka researchers.\n".into(),
        ),
    ]);
    let run = sb.ok(&["index", "corpus"]);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    let expected = [
        "warning: corpus/notes.md:3: field `date`: `2025-02-30` is not a date",
        "warning: corpus/notes.md:4: field `author` should be a string or a list of strings, found a number",
        "warning: corpus/wire.jsonl:1: record `r1`: field `title` should be a string, found a number",
        "warning: corpus/wire.jsonl:1: record `r1`: field `date`: `last Tuesday` is not a date",
        "warning: corpus/wire.jsonl:1: record `r1`: field `author` should be a string or a list of strings, but item 2 is a number",
        "warning: corpus/wire.jsonl:2: record `r2` has an empty `text`: it has no passage to index and is left out",
        "warning: corpus/wire.jsonl:3: record `r3`: field `source` should be a string, found an object",
    ];
    assert_eq!(warnings.len(), expected.len(), "{run:?}");
    for want in expected {
        assert!(
            warnings.iter().any(|w| w.starts_with(want)),
            "no warning starts with {want:?}:\n{run:?}"
        );
    }
    assert!(!run.stderr.contains("skipped corpus"), "{run:?}");
    assert!(run.stderr.contains(", 7 warnings;"), "{run:?}");

    // Everything but the empty record is indexed, without the bad fields.
    let results = sb.query_json("ferries", &["--limit", "10"]);
    let ids: Vec<&str> = hits(&results).iter().map(doc_id).collect();
    assert_eq!(ids.len(), 3, "{results}");
    let r1 = &hit_with(&results, "Rottnest")["citation"];
    assert!(r1["title"].is_null() && r1["date"].is_null(), "{r1}");
    assert_eq!(r1["author"], json!("Ann Lee"));
    let notes = &hit_with(&results, "quokka")["citation"];
    assert_eq!(notes["title"], json!("Notes"));
    assert!(
        notes["date"].is_null() && notes["author"].is_null(),
        "{notes}"
    );
    assert_eq!(
        cited(hit_with(&results, "quokka"), "path"),
        "corpus/notes.md"
    );
}

#[test]
fn malformed_front_matter_is_a_warning_and_the_file_is_indexed_as_plain_text() {
    let sb = corpus_with(&[
        (
            "yaml.md",
            "---\ntitle: Reuters: the story\n---\nMarmots whistled at dawn.\n".into(),
        ),
        (
            "list.txt",
            "---\n- just\n- a list\n---\nBadgers dug at dusk.\n".into(),
        ),
        (
            "open.txt",
            "---\ntitle: never closed\nOtters swam at noon.\n".into(),
        ),
    ]);
    let run = sb.ok(&["index", "corpus"]);
    for want in [
        "warning: corpus/yaml.md:2: the front matter is not valid YAML: ",
        "warning: corpus/list.txt:1: the front matter is a list, not a mapping",
        "warning: corpus/open.txt:1: the front matter opened on line 1 has no closing `---` or `...` line",
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.starts_with(want))
            .unwrap_or_else(|| panic!("no {want:?}:\n{run:?}"));
        assert!(
            line.ends_with("the file is indexed as plain text, front matter included"),
            "{line}"
        );
    }
    for (word, path, line, paragraph) in [
        ("marmots", "corpus/yaml.md", 4, 4),
        ("badgers", "corpus/list.txt", 5, 5),
        ("otters", "corpus/open.txt", 3, 3),
    ] {
        let results = sb.query_json(word, &[]);
        let hit = &hits(&results)[0];
        assert_eq!(cited(hit, "path"), path);
        assert_eq!(
            (cited_u64(hit, "line"), cited_u64(hit, "paragraph")),
            (line, paragraph),
            "{hit}"
        );
        assert!(hit["citation"]["title"].is_null(), "{hit}");
        assert_citation_holds(sb.path(), hit);
    }
    // The front matter's lines are text now, and cite exactly.
    let results = sb.query_json("never closed", &[]);
    assert_citation_holds(sb.path(), &hits(&results)[0]);
}

#[test]
fn quiet_silences_metadata_warnings_but_not_skipped_files() {
    let sb = corpus_with(&[
        ("a.md", "---\ndate: soon\n---\nWalruses rested.\n".into()),
        ("empty.txt", String::new()),
    ]);
    let run = sb.run(&["-q", "index", "corpus"], 5);
    assert!(!run.stderr.contains("warning"), "{run:?}");
    assert!(run.stderr.contains("skipped corpus/empty.txt"), "{run:?}");
    // Without -q the warning is printed; warnings alone leave the status at 0.
    sb.write("corpus/empty.txt", "Seals too.\n");
    sb.write("corpus/a.md", "---\ndate: later\n---\nWalruses rested.\n");
    let run = sb.ok(&["index", "corpus"]);
    assert!(
        run.stderr
            .contains("warning: corpus/a.md:2: field `date`: `later` is not a date"),
        "{run:?}"
    );
}

#[test]
fn an_edit_of_front_matter_is_picked_up_by_the_next_index_run() {
    let sb = corpus_with(&[
        (
            "a.md",
            "---\ndate: 2025-12-04\nauthor: Ann Lee\n---\nWalruses rested on the ice.\n".into(),
        ),
        ("b.txt", "Unrelated\n\nSeals slept.\n".into()),
    ]);
    sb.ok(&["index", "corpus"]);
    let before = &hits(&sb.query_json("walruses", &[]))[0]["citation"].clone();
    assert_eq!(before["date"], json!("2025-12-04"));
    assert_eq!(before["author"], json!("Ann Lee"));

    sb.write(
        "corpus/a.md",
        "---\ndate: 2025-12-05T06:00:00-08:00\nauthors: [Ann Lee, Bo Chen]\n---\nWalruses rested on the ice.\n",
    );
    let run = sb.ok(&["index", "corpus"]);
    assert!(run.stderr.contains("indexed 1 file"), "{run:?}");
    assert!(run.stderr.contains("1 unchanged"), "{run:?}");
    let results = sb.query_json("walruses", &[]);
    let after = &hits(&results)[0];
    assert_eq!(after["citation"]["date"], json!("2025-12-05T14:00:00Z"));
    assert_eq!(after["citation"]["authors"], json!(["Ann Lee", "Bo Chen"]));
    assert_citation_holds(sb.path(), after);
    assert_eq!(cited_u64(after, "line"), 5);

    // A record's date, likewise.
    sb.write(
        "corpus/w.jsonl",
        "{\"id\":\"w\",\"date\":\"2025-01-01\",\"text\":\"Narwhals surfaced.\"}\n",
    );
    sb.ok(&["index", "corpus"]);
    sb.write(
        "corpus/w.jsonl",
        "{\"id\":\"w\",\"date\":\"2025-01-02\",\"text\":\"Narwhals surfaced.\"}\n",
    );
    sb.ok(&["index", "corpus"]);
    let results = sb.query_json("narwhals", &[]);
    assert_eq!(hits(&results)[0]["citation"]["date"], json!("2025-01-02"));
}

#[test]
fn the_first_query_build_prints_the_warnings_too() {
    let sb = Sandbox::empty();
    sb.write("seeds/a.md", "---\ndate: whenever\n---\nPuffins nested.\n");
    let run = sb.ok(&["query", "puffins"]);
    assert!(
        run.stderr
            .contains("warning: seeds/a.md:2: field `date`: `whenever` is not a date"),
        "{run:?}"
    );
    assert!(run.stdout.contains("Puffins nested."), "{run:?}");
}
