//! Exit statuses and messages when things go wrong; nothing ever panics.

use crate::util::Sandbox;

#[test]
fn a_query_that_matches_nothing_exits_1() {
    let sb = Sandbox::indexed();
    let run = sb.run(&["query", "zzzzqqqq", "--no-typos"], 1);
    assert!(run.stdout.trim().is_empty(), "{run:?}");
    assert!(run.stderr.contains("zzzzqqqq"), "{run:?}");
}

#[test]
fn an_empty_query_is_a_usage_error() {
    let sb = Sandbox::indexed();
    for query in ["", "  "] {
        let run = sb.run(&["query", query], 2);
        assert!(
            run.stderr.contains("empty"),
            "query {query:?}: no explanation:\n{run:?}"
        );
    }
}

#[test]
fn bad_arguments_are_usage_errors() {
    let sb = Sandbox::indexed();
    for args in [
        &["query"][..],
        &["query", "Miami", "--format", "xml"],
        &["query", "Miami", "--color", "sometimes"],
        &["query", "Miami", "--limit", "many"],
        &["frobnicate"],
    ] {
        let run = sb.run(args, 2);
        assert!(!run.stderr.trim().is_empty(), "{args:?}: silent:\n{run:?}");
    }
}

/// `--timings` is declared `requires = "batch"`, and only means something with it.
#[test]
fn timings_without_batch_is_a_usage_error() {
    let sb = Sandbox::indexed();
    let run = sb.run(&["query", "Miami", "--timings"], 2);
    assert!(run.stderr.contains("--batch"), "{run:?}");
}

#[test]
fn querying_with_no_index_and_no_seeds_exits_3() {
    let sb = Sandbox::empty();
    let run = sb.run(&["query", "Miami"], 3);
    assert!(run.stderr.contains("no index"), "{run:?}");
    assert!(
        std::fs::read_dir(sb.path()).unwrap().next().is_none(),
        "a failed query left files behind"
    );
}

/// Asserts a query over a damaged index exits 4 and points at `--rebuild`.
fn assert_reported_corrupt(sb: &Sandbox) {
    for args in [
        &["query", "Miami"][..],
        &["query", "Miami", "--format", "json"],
    ] {
        let run = sb.run(args, 4);
        assert!(run.stderr.contains("--rebuild"), "{args:?}:\n{run:?}");
    }
}

#[test]
fn a_garbage_meta_file_exits_4_suggesting_rebuild() {
    let sb = Sandbox::indexed();
    sb.write("index/meta.json", "this is not JSON {");
    assert_reported_corrupt(&sb);
}

#[test]
fn a_truncated_segment_exits_4_suggesting_rebuild() {
    let sb = Sandbox::indexed();
    let segment = std::fs::read_dir(sb.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "term"))
        .expect("the index has a .term segment file");
    let len = std::fs::metadata(&segment).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&segment)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    assert_reported_corrupt(&sb);
}

/// The corrupt-index message says "rebuild it with `search index --rebuild`"; doing
/// so must give a working index again.
#[test]
fn the_suggested_rebuild_repairs_a_corrupt_index() {
    let sb = Sandbox::indexed();
    sb.write("index/meta.json", "this is not JSON {");
    assert_reported_corrupt(&sb);
    sb.ok(&["index", "--rebuild", "seeds"]);
    sb.ok(&["query", "frozen assets"]);
}

/// Excluded phrases have their own test in `query.rs`.
#[test]
fn odd_queries_never_panic() {
    let sb = Sandbox::indexed();
    let long_word = "a".repeat(300);
    let queries = [
        "\"",
        "\"\"",
        "-",
        "+",
        "+-",
        "-Moscow",
        "title:",
        "title:\"\"",
        "id:",
        "source:",
        ":",
        "\"“",
        "“peace deal”",
        "U.S.-",
        "-U.S.-Russia",
        "'s",
        "’",
        "🙂 Miami",
        "a\"b\"c",
        "Miami:",
        "http://example.com/x",
        "\\",
        "*",
        "title:\"peace push\" source:Newsmax",
        long_word.as_str(),
        "Zelénsky’s 28-point U.S.-Ukraine-Russia plan",
    ];
    for query in queries {
        let run = sb.any(&["query", "--format", "json", "--", query]);
        assert!(
            [0, 1, 2].contains(&run.code),
            "query {query:?} exited {}:\n{run:?}",
            run.code
        );
    }
}

/// What a first build killed before its commit leaves (the marker and tantivy's
/// meta.json without our payload) holds no index yet: exit 3, never "incompatible"
/// (the README's promise; the kill harness hits this state at random).
#[test]
fn an_interrupted_first_build_without_seeds_exits_3_not_incompatible() {
    let sb = Sandbox::empty();
    sb.write("index/.search-index", "marker\n");
    sb.write(
        "index/meta.json",
        r#"{"index_settings":{"docstore_compression":"none","docstore_blocksize":4096},"segments":[],"schema":[],"opstamp":0}"#,
    );
    for args in [
        &["query", "Miami"][..],
        &["query", "--batch", "-"],
        &["show", "a#1"],
        &["stats"],
        &["verify"],
    ] {
        let run = sb.run(args, 3);
        assert!(run.stderr.contains("interrupted"), "{args:?}:\n{run:?}");
        assert!(
            run.stderr.contains("`search index CORPUS --index index`"),
            "{args:?}:\n{run:?}"
        );
        assert!(!run.stderr.contains("incompatible"), "{args:?}:\n{run:?}");
    }
}
