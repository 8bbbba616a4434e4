//! `search show`: a cited paragraph between its neighbours, by PATH:LINE or DOC_ID#N.

use crate::util::{cited, cited_u64, doc_id, hits, text, Sandbox, UKRAINE_DOC, UKRAINE_TITLE};

/// The line `search show` marks with `▶`.
fn marked_line(stdout: &str) -> &str {
    let marked: Vec<&str> = stdout.lines().filter(|l| l.starts_with('▶')).collect();
    assert_eq!(marked.len(), 1, "expected one ▶ line:\n{stdout}");
    marked[0]
}

#[test]
fn show_path_line_prints_the_paragraph_between_its_neighbours() {
    let sb = Sandbox::indexed();
    let run = sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8"]);
    assert!(run.stdout.starts_with(UKRAINE_TITLE), "{run:?}");
    let marked = marked_line(&run.stdout);
    assert!(marked.contains("¶6"), "{marked}");
    assert!(marked.contains("frozen Russian assets"), "{marked}");
    assert!(run.stdout.contains("28-point plan"), "¶5 missing:\n{run:?}");
    assert!(
        run.stdout.contains("The Miami meeting follows"),
        "¶7 missing:\n{run:?}"
    );
}

#[test]
fn show_doc_id_paragraph_prints_the_same_paragraph() {
    let sb = Sandbox::indexed();
    let by_line = sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8"]);
    let by_id = sb.ok(&["show", "000_792c1fc0d0c2a89d#6"]);
    assert_eq!(marked_line(&by_id.stdout), marked_line(&by_line.stdout));
    assert!(by_id.stdout.starts_with(UKRAINE_TITLE), "{by_id:?}");
}

#[test]
fn show_names_the_cited_article() {
    let sb = Sandbox::indexed();
    for citation in ["seeds/000_792c1fc0d0c2a89d.txt:8", "000_792c1fc0d0c2a89d#6"] {
        let run = sb.ok(&["show", citation]);
        assert!(
            run.stdout.contains(&format!("id {UKRAINE_DOC}")),
            "{citation}: the header does not name the article:\n{run:?}"
        );
    }
}

#[test]
fn every_query_hit_can_be_checked_with_show() {
    let sb = Sandbox::indexed();
    let results = sb.query_json("Miami", &["--limit", "50"]);
    assert!(hits(&results).len() > 2);
    for hit in hits(&results) {
        let by_line = format!("{}:{}", cited(hit, "path"), cited_u64(hit, "line"));
        let by_id = format!("{}#{}", doc_id(hit), cited_u64(hit, "paragraph"));
        for citation in [by_line, by_id] {
            let run = sb.ok(&["show", &citation]);
            assert!(
                marked_line(&run.stdout).contains(text(hit)),
                "{citation} does not show {:?}:\n{run:?}",
                text(hit)
            );
        }
    }
}

#[test]
fn show_rejects_a_malformed_citation_with_exit_2() {
    let sb = Sandbox::indexed();
    for citation in ["bogus", "seeds/000_792c1fc0d0c2a89d.txt:0", "#6"] {
        let run = sb.run(&["show", citation], 2);
        assert!(run.stderr.contains("not a citation"), "{run:?}");
    }
}

#[test]
fn show_exits_8_when_the_citation_is_not_found() {
    let sb = Sandbox::indexed();
    for citation in [
        "000_792c1fc0d0c2a89d#999",
        "no_such_article#1",
        "seeds/000_792c1fc0d0c2a89d.txt:2",
        "seeds/missing.txt:3",
    ] {
        let run = sb.run(&["show", citation], 8);
        assert!(!run.stderr.trim().is_empty(), "{citation}: silent");
    }
}

#[test]
fn show_context_sets_how_many_neighbours_are_printed() {
    let sb = Sandbox::indexed();
    let narrow = sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8", "--context", "0"]);
    let wide = sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8", "--context", "2"]);
    let paragraphs = |out: &str| {
        out.lines()
            .filter(|l| l.contains('¶') && !l.contains(".txt:"))
            .count()
    };
    assert_eq!(paragraphs(&narrow.stdout), 1, "{}", narrow.stdout);
    assert_eq!(paragraphs(&wide.stdout), 5, "{}", wide.stdout);
}

/// A corpus of JSONL records (two sharing an id), two `.txt` articles sharing a file
/// stem, and an article with a paragraph long enough to be split, indexed into
/// `index/`.
pub fn mixed_corpus() -> Sandbox {
    let sb = Sandbox::empty();
    let record = |id: &str, title: &str, paragraphs: &[&str]| {
        serde_json::json!({"id": id, "title": title, "text": paragraphs.join("\n")}).to_string()
    };
    let lines = [
        record(
            "w1",
            "Port strike",
            &[
                "Dockers walked out at dawn.",
                "The harbour crane stood idle.",
            ],
        ),
        String::new(),
        record(
            "w2",
            "Pilot speaks",
            &[
                "Opening words of the second record.",
                "The harbour pilot spoke to reporters.",
                "Closing words.",
            ],
        ),
        record("twin", "First twin", &["A twin record about lighthouses."]),
        record(
            "twin",
            "Second twin",
            &["Another twin record about lighthouses."],
        ),
    ];
    sb.write("corpus/wire.jsonl", lines.join("\n") + "\n");
    sb.write(
        "corpus/a/dup.txt",
        "Duplicate one\n\nThe first dup article mentions a glacier.\n",
    );
    sb.write(
        "corpus/b/dup.txt",
        "Duplicate two\n\nThe second dup article mentions a glacier too.\n",
    );
    sb.write("corpus/long.txt", long_article());
    sb.ok(&["index", "corpus", "--threads", "1"]);
    sb
}

/// An article whose second paragraph is over 2 KiB: it is indexed in parts, and the
/// word `zeppelin` is only in its last sentence.
pub fn long_article() -> String {
    let sentence = "The committee reviewed the budget line by line and found nothing amiss. ";
    let mut long = sentence.repeat(40);
    long.push_str("At the very end a zeppelin floated over the hall.");
    format!("A long report\n\nA short opening paragraph.\n{long}\nA short closing paragraph.\n")
}

#[test]
fn show_resolves_a_jsonl_citation_to_the_paragraph_of_the_hit() {
    let sb = mixed_corpus();
    let run = sb.ok(&["query", "pilot", "--color", "never"]);
    assert!(
        run.stdout.contains("corpus/wire.jsonl:3#2 ¶2"),
        "the text output does not print the record's paragraph:\n{run:?}"
    );
    let shown = sb.ok(&["show", "corpus/wire.jsonl:3#2"]);
    assert!(
        marked_line(&shown.stdout).contains("The harbour pilot spoke to reporters."),
        "{shown:?}"
    );
    assert!(shown.stdout.starts_with("Pilot speaks"), "{shown:?}");
    assert!(
        shown.stdout.contains("corpus/wire.jsonl:3#2 ¶2  id w2"),
        "{shown:?}"
    );
}

#[test]
fn show_jsonl_path_line_says_it_shows_the_first_paragraph() {
    let sb = mixed_corpus();
    let run = sb.ok(&["show", "corpus/wire.jsonl:3"]);
    assert!(
        marked_line(&run.stdout).contains("Opening words"),
        "{run:?}"
    );
    assert!(run.stdout.contains("corpus/wire.jsonl:3#1 ¶1"), "{run:?}");
    assert!(run.stderr.contains("first paragraph"), "{run:?}");
}

#[test]
fn show_refuses_to_pick_among_articles_that_share_an_id() {
    let sb = mixed_corpus();
    let run = sb.run(&["show", "twin#1"], 2);
    assert!(run.stdout.is_empty(), "{run:?}");
    for named in ["corpus/wire.jsonl:4#1", "corpus/wire.jsonl:5#1"] {
        assert!(run.stderr.contains(named), "{named} not listed:\n{run:?}");
    }
    let run = sb.run(&["show", "dup#1"], 2);
    for named in ["corpus/a/dup.txt:3", "corpus/b/dup.txt:3"] {
        assert!(run.stderr.contains(named), "{named} not listed:\n{run:?}");
    }
    // Each one, named by its file and line.
    let second = sb.ok(&["show", "corpus/wire.jsonl:5#1"]);
    assert!(
        marked_line(&second.stdout).contains("Another twin"),
        "{second:?}"
    );
    assert!(second.stdout.starts_with("Second twin"), "{second:?}");
}

#[test]
fn show_resolves_a_part_of_a_split_paragraph_and_marks_it() {
    let sb = mixed_corpus();
    let results = sb.query_json("zeppelin", &[]);
    let hit = &hits(&results)[0];
    let part = cited_u64(hit, "part");
    assert!(part > 1, "the paragraph was not split: {hit}");
    let location = format!("corpus/long.txt:4#2.{part}");
    let text_run = sb.ok(&["query", "zeppelin", "--color", "never"]);
    assert!(
        text_run
            .stdout
            .contains(&format!("{location} ¶2 (part {part})")),
        "{text_run:?}"
    );
    let run = sb.ok(&["show", &location]);
    assert_eq!(
        marked_line(&run.stdout),
        format!("▶ ¶2.{part} {}", text(hit))
    );
    // The other parts of the paragraph are shown, unmarked, around it.
    assert!(run.stdout.contains("  ¶2.1 "), "{run:?}");
    // The whole paragraph, by its line: every part is marked.
    let whole = sb.ok(&["show", "corpus/long.txt:4"]);
    let marked = whole.stdout.lines().filter(|l| l.starts_with('▶')).count();
    assert_eq!(marked as u64, part, "{whole:?}");
    sb.run(&["show", "corpus/long.txt:4#2.99"], 8);
    sb.run(&["show", "corpus/long.txt:3#1.1"], 8);
}

#[test]
fn show_marks_a_paragraph_edited_since_indexing_stale_and_exits_7() {
    let sb = Sandbox::indexed();
    let path = sb.join("seeds/000_792c1fc0d0c2a89d.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("frozen Russian assets", "thawed Russian assets", 1),
    )
    .unwrap();
    let run = sb.run(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8"], 7);
    assert!(run.stdout.contains("STALE"), "{run:?}");
    // The passage as indexed, and what the source holds now.
    assert!(
        marked_line(&run.stdout).contains("frozen Russian assets"),
        "{run:?}"
    );
    assert!(run.stdout.contains("thawed Russian assets"), "{run:?}");
    assert!(run.stderr.contains("search index"), "{run:?}");
    // A paragraph the edit left alone still holds.
    sb.ok(&["show", "seeds/000_792c1fc0d0c2a89d.txt:7"]);
    sb.run(&["show", "000_792c1fc0d0c2a89d#6"], 7);
}

#[test]
fn show_refuses_files_the_index_does_not_hold() {
    let sb = Sandbox::indexed();
    sb.write(
        "outside/s.txt",
        "Outside\n\nOne.\nTwo.\nThree paragraphs, never indexed.\n",
    );
    sb.write(
        "seeds/new.txt",
        "New\n\nOne.\nTwo.\nWritten after indexing.\n",
    );
    for citation in [
        "outside/s.txt:3",
        "seeds/new.txt:3",
        "../s.txt:3",
        "/etc/passwd:1",
    ] {
        let run = sb.run(&["show", citation], 8);
        assert!(run.stdout.is_empty(), "{citation} printed:\n{run:?}");
        assert!(
            run.stderr.contains("not a file of the index at index"),
            "{citation}: {run:?}"
        );
    }
    // The same indexed file, named another way, is the indexed file.
    sb.ok(&["show", "./seeds/000_792c1fc0d0c2a89d.txt:8"]);
    let absolute = sb.join("seeds/000_792c1fc0d0c2a89d.txt");
    sb.ok(&["show", &format!("{}:8", absolute.display())]);
}

#[test]
fn show_without_an_index_fails_with_the_no_index_error() {
    let sb = Sandbox::with_seeds();
    for citation in ["seeds/000_792c1fc0d0c2a89d.txt:8", "000_792c1fc0d0c2a89d#6"] {
        let run = sb.run(&["show", citation], 3);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert!(run.stderr.contains("no index in index/"), "{run:?}");
    }
}

#[test]
fn show_says_a_title_or_blank_line_is_not_a_paragraph_and_names_the_nearest() {
    let sb = Sandbox::indexed();
    let title = sb.run(&["show", "seeds/000_792c1fc0d0c2a89d.txt:1"], 8);
    assert!(title.stderr.contains("is the title line"), "{title:?}");
    assert!(
        title
            .stderr
            .contains("¶1 at seeds/000_792c1fc0d0c2a89d.txt:3"),
        "{title:?}"
    );
    let blank = sb.run(&["show", "seeds/000_792c1fc0d0c2a89d.txt:2"], 8);
    assert!(blank.stderr.contains("is a blank line"), "{blank:?}");
    assert!(
        blank
            .stderr
            .contains("¶1 at seeds/000_792c1fc0d0c2a89d.txt:3"),
        "{blank:?}"
    );
    let past = sb.run(&["show", "seeds/000_792c1fc0d0c2a89d.txt:999"], 8);
    assert!(past.stderr.contains("past the end"), "{past:?}");
    let wrong = sb.run(&["show", "seeds/000_792c1fc0d0c2a89d.txt:8#5"], 8);
    assert!(wrong.stderr.contains("holds ¶6, not ¶5"), "{wrong:?}");
}
