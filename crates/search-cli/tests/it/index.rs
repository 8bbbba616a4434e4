//! `search index`, where the index lives, incremental updates, bad input, the writer
//! lock, stale sources, and queries leaving the index alone.

use serde_json::{json, Value};

use crate::util::{
    assert_citation_holds, cited, cited_range, cited_u64, doc_id, hits, text, Sandbox, NEWSMAX_DOC,
    NEWSMAX_PATH, UKRAINE_PATH,
};

#[test]
fn the_first_query_builds_the_index_from_seeds_and_says_so() {
    let sb = Sandbox::with_seeds();
    let run = sb.ok(&["query", "frozen assets"]);
    // The folder is named as every other message names it: with a trailing `/`.
    assert!(
        run.stderr
            .contains("no index in index/ yet; building it from seeds/"),
        "{run:?}"
    );
    assert!(sb.join("index/meta.json").is_file());
    assert!(
        run.stdout.contains("the use of frozen Russian assets"),
        "{run:?}"
    );
}

#[test]
fn the_second_query_reuses_the_index() {
    let sb = Sandbox::with_seeds();
    sb.ok(&["query", "frozen assets"]);
    let before = sb.snapshot("index");
    let run = sb.ok(&["query", "frozen assets"]);
    assert!(!run.stderr.contains("building"), "{run:?}");
    assert_eq!(sb.snapshot("index"), before);
}

#[test]
fn the_index_flag_chooses_the_index_folder() {
    let sb = Sandbox::with_seeds();
    sb.ok(&["query", "Miami", "--index", "elsewhere"]);
    assert!(sb.join("elsewhere/meta.json").is_file());
    assert!(!sb.join("index").exists());
}

#[test]
fn the_search_index_variable_chooses_the_index_folder() {
    let sb = Sandbox::with_seeds();
    sb.search()
        .env("SEARCH_INDEX", "from-env")
        .args(["query", "Miami"])
        .assert()
        .code(0);
    assert!(sb.join("from-env/meta.json").is_file());
    assert!(!sb.join("index").exists());
}

#[test]
fn the_index_flag_wins_over_the_variable() {
    let sb = Sandbox::with_seeds();
    sb.search()
        .env("SEARCH_INDEX", "from-env")
        .args(["index", "seeds", "--index", "from-flag"])
        .assert()
        .code(0);
    assert!(sb.join("from-flag/meta.json").is_file());
    assert!(!sb.join("from-env").exists());
    assert!(!sb.join("index").exists());
}

#[test]
fn indexing_reports_on_stderr_only() {
    let sb = Sandbox::with_seeds();
    let run = sb.ok(&["index", "seeds"]);
    assert_eq!(run.stdout, "", "{run:?}");
    assert!(run.stderr.contains("indexed 2 files"), "{run:?}");
    sb.ok(&["query", "frozen assets"]);
}

/// Every file of the index but the writer lock, which any writer that starts rewrites.
fn index_files(sb: &Sandbox) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    let mut files = sb.snapshot("index");
    files.remove(".search-writer.lock");
    files
}

#[test]
fn reindexing_an_unchanged_corpus_changes_nothing() {
    let sb = Sandbox::indexed();
    let before = index_files(&sb);
    for args in [&["index"][..], &["index", "seeds"]] {
        let run = sb.ok(args);
        assert!(
            run.stderr.contains("already up to date") || run.stderr.contains("indexed 0 files"),
            "{args:?}:\n{run:?}"
        );
    }
    assert_eq!(index_files(&sb), before);
}

#[test]
fn editing_a_file_reindexes_just_that_file() {
    let sb = Sandbox::indexed();
    sb.append(NEWSMAX_PATH, "Officials also discussed quokka diplomacy.\n");
    let run = sb.ok(&["index"]);
    assert!(run.stderr.contains("indexed 1 file ("), "{run:?}");

    let results = sb.query_json("quokka", &[]);
    assert_eq!(hits(&results).len(), 1, "{results}");
    assert_eq!(doc_id(&hits(&results)[0]), NEWSMAX_DOC);
    // The file's old passages were replaced, not duplicated.
    let state = sb.query_json("\"According to the State Department\"", &[]);
    assert_eq!(hits(&state).len(), 1, "{state}");
    for hit in hits(&state).iter().chain(hits(&results)) {
        assert_citation_holds(sb.path(), hit);
    }
}

#[test]
fn deleting_a_file_removes_its_passages() {
    let sb = Sandbox::indexed();
    assert!(!hits(&sb.query_json("State Department", &[])).is_empty());
    std::fs::remove_file(sb.join(NEWSMAX_PATH)).unwrap();
    sb.ok(&["index"]);
    let results = sb.query_json("State Department", &[]);
    for hit in hits(&results) {
        assert_ne!(
            doc_id(hit),
            NEWSMAX_DOC,
            "deleted article still found: {hit}"
        );
    }
    sb.ok(&["query", "frozen assets"]);
}

#[test]
fn a_missing_corpus_exits_2_and_leaves_the_index_untouched() {
    let sb = Sandbox::indexed();
    let before = index_files(&sb);
    let run = sb.run(&["index", "nonexistent/"], 2);
    assert!(run.stderr.contains("nonexistent"), "{run:?}");
    assert_eq!(index_files(&sb), before);
    let results = sb.query_json("frozen assets", &[]);
    assert_eq!(hits(&results).len(), 1, "{results}");
}

/// A corpus with one good article and four files that are not articles.
fn mixed_corpus() -> Sandbox {
    let sb = Sandbox::empty();
    sb.write(
        "corpus/good.txt",
        "Quokka census on Rottnest\n\nRangers counted four thousand quokkas on the island this spring.\nThe count was the highest in a decade.\n",
    );
    sb.write("corpus/bad.txt", b"\xff\xfeCaf\xe9 society notes\n");
    sb.write("corpus/bin.txt", b"ELF\x00\x01\x02 binary\x00data\n");
    sb.write("corpus/empty.txt", "");
    let mut huge = "word ".repeat(1024 * 1024 / 5);
    huge.push('\n');
    sb.write("corpus/huge.txt", huge);
    sb
}

#[test]
fn files_that_are_not_articles_are_skipped_with_reasons_and_exit_5() {
    let sb = mixed_corpus();
    let run = sb.run(&["index", "corpus"], 5);
    for (file, reason) in [
        ("corpus/bad.txt", "utf-8"),
        ("corpus/bin.txt", "binary"),
        ("corpus/empty.txt", "empty"),
        ("corpus/huge.txt", "long"),
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} is not reported:\n{run:?}"));
        assert!(
            line.to_lowercase().contains(reason),
            "{file}: expected a reason mentioning {reason:?}, got {line:?}"
        );
    }
    assert!(!run.stderr.contains("good.txt"), "{run:?}");

    let results = sb.query_json("quokkas", &[]);
    assert_eq!(cited(&hits(&results)[0], "path"), "corpus/good.txt");
    assert_citation_holds(sb.path(), &hits(&results)[0]);
}

/// Skipped files were not changed or added since indexing: a query right after
/// `search index` must not tell the user to re-index.
#[test]
fn a_query_right_after_indexing_does_not_call_the_corpus_changed() {
    let sb = mixed_corpus();
    sb.run(&["index", "corpus"], 5);
    let run = sb.ok(&["query", "quokkas"]);
    assert!(!run.stderr.contains("changed since"), "{run:?}");
}

/// A JSONL corpus: record 1 has escapes and multi-byte text, line 2 is broken, line 3
/// is empty, line 4 is a second record.
fn jsonl_corpus() -> Sandbox {
    let sb = Sandbox::empty();
    let lines = [
        r#"{"id":"cafe-1","title":"Caf\u00e9 opens","source":"Local Wire","date":"2026-11-20","url":"https://example.org/cafe?id=1","author":"Zo\u00eb Park","text":"A new caf\u00e9 opened on Main Street.\n\nThe owner, Zo\u00eb, serves flat whites \u2014 and quokka-shaped cookies."}"#,
        r#"{"id": "broken", "text": "unterminated"#,
        "",
        r#"{"id":"harbour-2","title":"Harbour news","text":"Ferries resumed to Rottnest.\n\nQuokkas greeted the first passengers."}"#,
    ];
    sb.write("corpus/news.jsonl", lines.join("\n") + "\n");
    sb
}

/// The decoded `text` of the record on 1-based `line` of a JSONL file.
fn record_text(sb: &Sandbox, path: &str, line: u64) -> String {
    let file = std::fs::read_to_string(sb.join(path)).unwrap();
    let record: Value = serde_json::from_str(file.lines().nth(line as usize - 1).unwrap()).unwrap();
    record["text"].as_str().unwrap().to_string()
}

#[test]
fn jsonl_hits_cite_the_record_line_and_offsets_in_its_text() {
    let sb = jsonl_corpus();
    sb.run(&["index", "corpus"], 5);
    let results = sb.query_json("quokka", &[]);
    let found: Vec<(&str, u64)> = hits(&results)
        .iter()
        .map(|h| (doc_id(h), cited_u64(h, "line")))
        .collect();
    assert!(found.contains(&("cafe-1", 1)), "{found:?}");
    assert!(found.contains(&("harbour-2", 4)), "{found:?}");
    for hit in hits(&results) {
        assert_eq!(cited(hit, "path"), "corpus/news.jsonl");
        let record = record_text(&sb, "corpus/news.jsonl", cited_u64(hit, "line"));
        assert_eq!(record.get(cited_range(hit)), Some(text(hit)), "{hit}");
        crate::util::highlighted(hit);
    }
    let cafe = hits(&results)
        .iter()
        .find(|h| doc_id(h) == "cafe-1")
        .unwrap();
    assert_eq!(cafe["citation"]["title"], json!("Café opens"));
    assert_eq!(cafe["citation"]["source"], json!("Local Wire"));
    assert_eq!(cafe["citation"]["date"], json!("2026-11-20"));
    assert_eq!(
        cafe["citation"]["url"],
        json!("https://example.org/cafe?id=1")
    );
    assert_eq!(cafe["citation"]["author"], json!("Zoë Park"));
    assert_eq!(cited_u64(cafe, "paragraph"), 2);
    // The other record has none of them.
    let harbour = hits(&results)
        .iter()
        .find(|h| doc_id(h) == "harbour-2")
        .unwrap();
    assert_eq!(harbour["citation"]["title"], json!("Harbour news"));
    for field in ["date", "url", "author"] {
        assert!(harbour["citation"][field].is_null(), "{harbour}");
    }
}

#[test]
fn a_malformed_jsonl_line_is_reported_and_skipped() {
    let sb = jsonl_corpus();
    let run = sb.run(&["index", "corpus"], 5);
    assert!(run.stderr.contains("corpus/news.jsonl:2"), "{run:?}");
    assert!(!run.stderr.contains("news.jsonl:3"), "{run:?}");
    let results = sb.query_json("Ferries", &[]);
    assert_eq!(doc_id(&hits(&results)[0]), "harbour-2");
    let broken = sb.query_json("unterminated", &["--no-typos"]);
    assert!(hits(&broken).is_empty(), "{broken}");
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let sb = Sandbox::with_seeds();
    let run = sb.run(&["index", "seeds", "--language", "klingon"], 2);
    assert!(run.stderr.contains("klingon"), "{run:?}");
    assert!(!sb.join("index/meta.json").exists());
}

#[test]
fn language_none_turns_stemming_off() {
    let sb = Sandbox::indexed();
    assert!(!hits(&sb.query_json("negotiating", &["--no-typos"])).is_empty());
    sb.ok(&["index", "seeds", "--language", "none"]);
    let results = sb.query_json("negotiating", &["--no-typos"]);
    assert!(hits(&results).is_empty(), "{results}");
    assert!(!hits(&sb.query_json("negotiations", &["--no-typos"])).is_empty());
}

#[test]
fn indexing_while_another_writer_holds_the_lock_exits_6() {
    use std::io::Write;
    let sb = Sandbox::indexed();
    let mut lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(sb.join("index/.search-writer.lock"))
        .expect("an index has a writer lock file");
    lock.try_lock().expect("no one else holds the lock");
    lock.set_len(0).unwrap();
    write!(lock, "{}", std::process::id()).unwrap();
    lock.flush().unwrap();

    let run = sb.run(&["index", "seeds", "--rebuild"], 6);
    assert!(
        run.stderr
            .contains(&format!("being updated by process {}", std::process::id())),
        "{run:?}"
    );
    // Readers do not need the writer lock.
    sb.ok(&["query", "frozen assets"]);
    drop(lock);
    sb.ok(&["index", "seeds", "--rebuild"]);
}

#[test]
fn queries_never_write_to_the_index() {
    let sb = Sandbox::indexed();
    sb.write(
        "queries.txt",
        "frozen assets\nWitkof\n\"peace deal\" -Moscow\n",
    );
    let before = sb.snapshot("index");
    sb.ok(&["query", "frozen assets"]);
    sb.ok(&["query", "Witkof", "--format", "json", "--per-article"]);
    sb.ok(&[
        "query",
        "title:Ukraine",
        "--format",
        "jsonl",
        "--color",
        "always",
    ]);
    sb.run(&["query", "zzzzqqqq", "--no-typos"], 1);
    sb.run(&["query", "  "], 2);
    sb.ok(&["query", "--batch", "queries.txt", "--timings"]);
    sb.ok(&["show", "000_792c1fc0d0c2a89d#6"]);
    assert_eq!(sb.snapshot("index"), before);
}

#[test]
fn changed_sources_mark_hits_stale_until_reindexed() {
    let sb = Sandbox::indexed();
    sb.append(UKRAINE_PATH, "A paragraph added after indexing.\n");

    let run = sb.query_run("Miami", "json", &["--limit", "50"]);
    assert!(run.stderr.contains("run `search index`"), "{run:?}");
    let results: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut seen = (false, false);
    for hit in hits(&results) {
        let from_changed_file = cited(hit, "path") == UKRAINE_PATH;
        assert_eq!(hit["stale"], json!(from_changed_file), "{hit}");
        if from_changed_file {
            seen.0 = true;
        } else {
            seen.1 = true;
        }
    }
    assert_eq!(seen, (true, true), "Miami should be found in both articles");

    let text_run = sb.ok(&["query", "frozen assets"]);
    assert!(text_run.stdout.contains("STALE"), "{text_run:?}");

    sb.ok(&["index"]);
    let run = sb.query_run("Miami", "json", &["--limit", "50"]);
    assert!(!run.stderr.contains("search index"), "{run:?}");
    let results: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        hits(&results).iter().all(|h| h["stale"] == json!(false)),
        "{results}"
    );
}

/// The STALE marker tells the reader what to run; that command must exist.
#[test]
fn the_stale_marker_suggests_a_command_that_exists() {
    let sb = Sandbox::indexed();
    sb.append(UKRAINE_PATH, "A paragraph added after indexing.\n");
    let run = sb.ok(&["query", "frozen assets"]);
    let marker = run
        .stdout
        .lines()
        .find(|l| l.contains("STALE"))
        .unwrap_or_else(|| panic!("no STALE marker:\n{run:?}"));
    let (_, advice) = marker
        .split_once("run `search ")
        .unwrap_or_else(|| panic!("no `search ...` advice in {marker:?}"));
    let subcommand = advice.split([' ', '`']).next().unwrap();
    let help = sb.any(&[subcommand, "--help"]);
    assert_eq!(
        help.code, 0,
        "{marker:?} suggests `search {subcommand}`, which does not exist:\n{help:?}"
    );
}
