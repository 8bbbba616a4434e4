//! Nothing false, nothing lost: the indexer writes only into folders it owns and
//! removes only what it made; recorded corpus roots do not depend on the current
//! directory; links out of a corpus are not followed; bad input is named exactly.

use std::path::Path;

use crate::util::{hits, search, text, Sandbox};

/// Every file under `dir`, with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_folder_with_an_unrelated_meta_json_is_refused_and_left_untouched() {
    let sb = Sandbox::with_seeds();
    sb.write("proj/meta.json", r#"{"name":"x"}"#);
    sb.write("proj/thesis.txt", "x\n");
    sb.write("proj/sub/chapter.txt", "y\n");
    let before = contents(&sb.join("proj"));
    for extra in [&[][..], &["--rebuild"][..]] {
        let mut args = vec!["index", "seeds", "--index", "proj"];
        args.extend_from_slice(extra);
        let run = sb.run(&args, 2);
        assert!(run.stderr.contains("proj is not a search index"), "{run:?}");
        assert!(!run.stderr.contains("corrupt"), "{run:?}");
        assert_eq!(contents(&sb.join("proj")), before, "{args:?} changed proj/");
    }
}

#[test]
fn another_programs_tantivy_index_is_refused_and_left_untouched() {
    let sb = Sandbox::with_seeds();
    // A tantivy index without our commit payload.
    sb.write(
        "theirs/meta.json",
        r#"{"index_settings":{"docstore_compression":"none"},"segments":[],"schema":[],"opstamp":0}"#,
    );
    sb.write("theirs/0123456789abcdef0123456789abcdef.idx", "segment");
    sb.write("theirs/.managed.json", "[]");
    let before = contents(&sb.join("theirs"));
    let run = sb.run(&["index", "seeds", "--index", "theirs", "--rebuild"], 2);
    assert!(run.stderr.contains("not written by search"), "{run:?}");
    assert_eq!(contents(&sb.join("theirs")), before);
    // The query side says the same, and never "corrupt".
    let run = sb.any(&["query", "Miami", "--index", "theirs"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(!run.stderr.contains("corrupt"), "{run:?}");
}

#[test]
fn rebuild_removes_only_the_files_the_index_made() {
    let sb = Sandbox::indexed();
    sb.write("index/notes.txt", "my notes\n");
    sb.write("index/drafts/draft.md", "# draft\n");
    // A damaged index that --rebuild replaces: only what the index made goes.
    sb.write("index/meta.json", "not JSON {");
    sb.ok(&["index", "seeds", "--rebuild"]);
    assert_eq!(
        std::fs::read(sb.join("index/notes.txt")).unwrap(),
        b"my notes\n"
    );
    assert!(sb.join("index/drafts/draft.md").is_file());
    assert!(sb.join("index/.search-index").is_file());
    sb.ok(&["query", "Miami"]);
}

#[test]
fn an_empty_folder_becomes_a_marked_index() {
    let sb = Sandbox::with_seeds();
    std::fs::create_dir(sb.join("idx")).unwrap();
    sb.ok(&["index", "seeds", "--index", "idx"]);
    assert!(sb.join("idx/.search-index").is_file());
}

#[test]
fn an_index_path_naming_a_file_is_one_clear_error() {
    let sb = Sandbox::with_seeds();
    sb.write("notes.txt", "keep me\n");
    let run = sb.run(&["index", "seeds", "--index", "notes.txt"], 2);
    assert!(run.stderr.contains("notes.txt is a file"), "{run:?}");
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.starts_with("search:"))
            .count(),
        1
    );
    assert_eq!(std::fs::read(sb.join("notes.txt")).unwrap(), b"keep me\n");
}

/// Two working folders with the same relative layout and different articles.
fn twin_layouts(sb: &Sandbox) {
    sb.write(
        "w1/corpus/report.txt",
        "Harbour report\n\nThe harbour authority approved the zebra crossing.\n",
    );
    sb.write(
        "w2/corpus/report.txt",
        "Another report\n\nNothing about crossings here, only the weather.\n",
    );
    search(&sb.join("w1"))
        .args(["index", "corpus", "--index", "idx"])
        .assert()
        .code(0);
}

#[test]
fn the_working_directory_does_not_change_what_an_index_reads() {
    let sb = Sandbox::empty();
    twin_layouts(&sb);
    let w2 = sb.join("w2");
    let idx = "../w1/idx";
    // An update from w2 reads w1's corpus (recorded absolutely): nothing changed.
    let run = search(&w2)
        .args(["index", "--index", idx])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("up to date"), "{stderr}");
    // verify and the query agree: the citation holds, it is not stale.
    let run = search(&w2)
        .args(["verify", "--index", idx])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let out = search(&w2)
        .args(["query", "zebra", "--format", "json", "--index", idx])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hit = &hits(&results)[0];
    assert_eq!(hit["stale"], false, "{hit}");
    // The citation keeps the path as the user gave it.
    assert_eq!(hit["citation"]["path"], "corpus/report.txt");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    // show prints w1's paragraph, not w2's file of the same name.
    let out = search(&w2)
        .args(["show", "corpus/report.txt:3", "--index", idx])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("zebra crossing"), "{out:?}");
    assert!(!shown.contains("weather"), "{out:?}");
}

#[test]
fn indexing_dot_records_a_root_later_updates_can_use() {
    let sb = Sandbox::empty();
    sb.write("news/a.txt", "Title\n\nThe ferry strike ended on Monday.\n");
    let news = sb.join("news");
    search(&news)
        .args(["index", ".", "--index", "../idx"])
        .assert()
        .code(0);
    sb.write(
        "news/b.txt",
        "Title\n\nThe ferry timetable changes in May.\n",
    );
    // An update naming no corpus, from the corpus folder and from elsewhere.
    search(&news)
        .args(["index", "--index", "../idx"])
        .assert()
        .code(0);
    let results = sb.query_json("ferry", &["--index", "idx"]);
    assert_eq!(hits(&results).len(), 2, "{results}");
    let paths: Vec<&str> = hits(&results)
        .iter()
        .map(|h| h["citation"]["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"a.txt") && paths.contains(&"b.txt"),
        "{paths:?}"
    );
    sb.ok(&["index", "--index", "idx"]);
    sb.ok(&["verify", "--index", "idx"]);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_corpus_are_not_followed_unless_asked() {
    let sb = Sandbox::empty();
    sb.write(
        "corpus/inside.txt",
        "Title\n\nThe council met on Tuesday.\n",
    );
    sb.write(
        "private/secret.txt",
        "Title\n\nThe password is swordfish.\n",
    );
    sb.write("private/dir/other.txt", "Title\n\nMore swordfish notes.\n");
    std::os::unix::fs::symlink(sb.join("private/secret.txt"), sb.join("corpus/link.txt")).unwrap();
    std::os::unix::fs::symlink(sb.join("private/dir"), sb.join("corpus/linkdir")).unwrap();
    // A link that stays inside the corpus is indexed once, under its own path.
    std::os::unix::fs::symlink(sb.join("corpus/inside.txt"), sb.join("corpus/alias.txt")).unwrap();
    let run = sb.run(&["index", "corpus"], 5);
    assert!(run.stderr.contains("outside the corpus root"), "{run:?}");
    assert!(run.stderr.contains("--follow-links"), "{run:?}");
    let results = sb.query_json("swordfish", &[]);
    assert!(hits(&results).is_empty(), "{results}");
    sb.ok(&["index", "corpus", "--follow-links"]);
    let results = sb.query_json("swordfish", &[]);
    assert_eq!(hits(&results).len(), 2, "{results}");
}

#[test]
fn duplicate_article_ids_are_reported_with_both_places() {
    let sb = Sandbox::empty();
    sb.write(
        "corpus/wire.jsonl",
        concat!(
            r#"{"id":"a1","text":"The first story about tariffs."}"#,
            "\n",
            r#"{"id":"b2","text":"A story about harvests."}"#,
            "\n",
            r#"{"id":"a1","text":"A second story, same id, about tariffs."}"#,
            "\n"
        ),
    );
    let run = sb.ok(&["index", "corpus"]);
    assert!(
        run.stderr.contains("corpus/wire.jsonl:1") && run.stderr.contains("corpus/wire.jsonl:3"),
        "{run:?}"
    );
    // Both stay indexed.
    assert_eq!(hits(&sb.query_json("tariffs", &[])).len(), 2);
    // An id that a later file repeats, in an incremental update.
    sb.write(
        "corpus/later.jsonl",
        concat!(r#"{"id":"b2","text":"Harvests again."}"#, "\n"),
    );
    let run = sb.ok(&["index"]);
    assert!(
        run.stderr.contains("corpus/wire.jsonl") && run.stderr.contains("corpus/later.jsonl:1"),
        "{run:?}"
    );
}

#[test]
fn a_byte_order_mark_does_not_cost_a_jsonl_file_its_first_record() {
    let sb = Sandbox::empty();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        concat!(
            r#"{"id":"first","text":"The lighthouse keeper retired."}"#,
            "\n",
            r#"{"id":"second","text":"The lighthouse was automated."}"#,
            "\n"
        )
        .as_bytes(),
    );
    sb.write("corpus/bom.jsonl", bytes);
    sb.ok(&["index", "corpus"]);
    let results = sb.query_json("lighthouse", &[]);
    let mut ids: Vec<&str> = hits(&results)
        .iter()
        .map(|h| h["citation"]["doc_id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["first", "second"]);
    assert!(hits(&results)
        .iter()
        .any(|h| text(h) == "The lighthouse keeper retired."));
}

#[test]
fn a_utf16_file_is_named_as_utf16_not_binary() {
    let sb = Sandbox::empty();
    sb.write("corpus/ok.txt", "Title\n\nA readable article.\n");
    let utf16 = |s: &str, bom: bool| {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        out
    };
    sb.write("corpus/wide.txt", utf16("Title\n\nA wide article.\n", true));
    sb.write(
        "corpus/nobom.txt",
        utf16("Title\n\nAnother wide article.\n", false),
    );
    let run = sb.run(&["index", "corpus"], 5);
    for name in ["wide.txt", "nobom.txt"] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not reported: {run:?}"));
        assert!(line.contains("UTF-16") && line.contains("UTF-8"), "{line}");
        assert!(!line.contains("binary"), "{line}");
    }
}

#[test]
fn the_stale_warning_clears_once_an_update_finds_the_corpus_unchanged() {
    let sb = Sandbox::indexed();
    // Folder times have a resolution: make the change land after the update.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    sb.write("seeds/extra.txt", "Title\n\nA passing article.\n");
    std::fs::remove_file(sb.join("seeds/extra.txt")).unwrap();
    let run = sb.ok(&["query", "Miami"]);
    assert!(run.stderr.contains("corpus changed"), "{run:?}");
    sb.ok(&["index"]);
    let run = sb.ok(&["query", "Miami"]);
    assert!(!run.stderr.contains("warning"), "{run:?}");
}

/// Runs `search ARGS` in `dir` as an unprivileged user (root reads anything, so a
/// permission test must drop root).
#[cfg(unix)]
fn search_as_nobody(dir: &Path, args: &[&str]) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("search");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if is_root {
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary);
        cmd
    } else {
        std::process::Command::new(binary)
    };
    cmd.current_dir(dir).args(args).env_remove("SEARCH_INDEX");
    cmd.output().expect("setpriv runs (util-linux)")
}

#[cfg(unix)]
#[test]
fn an_index_this_user_may_not_write_is_a_permission_problem_not_corruption() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::indexed();
    // Everyone may read and enter the sandbox; the index is read-only to others.
    for dir in [sb.path(), &sb.join("seeds")] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let index = sb.join("index");
    std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o500)).unwrap();
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !is_root {
        // Not root: the folder must not be ours to write.
        std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    sb.write("seeds/new.txt", "Title\n\nA new article.\n");
    std::fs::set_permissions(
        sb.join("seeds/new.txt"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let out = search_as_nobody(sb.path(), &["index", "--rebuild"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{stderr}");
    assert!(stderr.contains("permission denied"), "{stderr}");
    assert!(!stderr.contains("corrupt"), "{stderr}");
    assert!(!stderr.contains("--rebuild"), "{stderr}");
    // The OS error is printed once.
    assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
    std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o755)).unwrap();
    sb.ok(&["query", "Miami"]);
}

#[test]
fn stats_counts_every_file_and_record_that_was_skipped() {
    let sb = Sandbox::empty();
    sb.write("corpus/a.txt", "Title\n\nA readable article.\n");
    sb.write("corpus/b.txt", b"\x00\x01binary".as_slice());
    sb.write(
        "corpus/r.jsonl",
        concat!(r#"{"id":"x","text":"A record."}"#, "\n", "not json\n"),
    );
    sb.write("notes.rtf", "{\\rtf1}");
    sb.run(&["index", "corpus", "notes.rtf"], 5);
    let stats = |sb: &Sandbox| -> serde_json::Value {
        serde_json::from_str(&sb.ok(&["stats", "--format", "json"]).stdout).unwrap()
    };
    let check = |value: serde_json::Value| {
        assert_eq!(value["files_skipped"], 2, "{value}");
        assert_eq!(value["records_skipped"], 1, "{value}");
        let paths: Vec<&str> = value["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["corpus/b.txt", "corpus/r.jsonl:2", "notes.rtf"]);
    };
    check(stats(&sb));
    // An update that re-reads nothing keeps counting them.
    sb.write("corpus/c.txt", "Title\n\nAnother article.\n");
    sb.any(&["index"]);
    check(stats(&sb));
    let text = sb.ok(&["stats"]).stdout;
    assert!(text.contains("2 skipped"), "{text}");
    assert!(text.contains("1 JSONL records skipped"), "{text}");
}

#[test]
fn a_query_after_an_interrupted_first_build_builds_the_index_from_seeds() {
    let sb = Sandbox::with_seeds();
    // What a first build killed before its commit leaves: the marker and tantivy's
    // empty meta.json.
    sb.write("index/.search-index", "marker\n");
    sb.write(
        "index/meta.json",
        r#"{"index_settings":{"docstore_compression":"none","docstore_blocksize":4096},"segments":[],"schema":[],"opstamp":0}"#,
    );
    let run = sb.ok(&["query", "frozen assets"]);
    assert!(run.stderr.contains("building it from seeds/"), "{run:?}");
    assert!(run.stdout.contains("frozen Russian assets"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn an_index_built_by_one_user_can_be_searched_by_another() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::indexed();
    for dir in [sb.path(), &sb.join("seeds"), &sb.join("index")] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = search_as_nobody(sb.path(), &["query", "frozen assets", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("frozen Russian assets"));
}

#[test]
fn a_jsonl_file_with_cr_only_line_ends_keeps_every_record_and_its_citations() {
    let sb = Sandbox::empty();
    let records = [
        r#"{"id":"one","text":"The harbour reopened after the storm."}"#,
        r#"{"id":"two","text":"Ferries to the harbour resumed on Monday."}"#,
        r#"{"id":"three","text":"The harbour master thanked the crews."}"#,
    ];
    sb.write("corpus/old-mac.jsonl", records.join("\r") + "\r");
    sb.ok(&["index", "corpus"]);
    let results = sb.query_json("harbour", &[]);
    let mut lines: Vec<u64> = hits(&results)
        .iter()
        .map(|h| h["citation"]["line"].as_u64().unwrap())
        .collect();
    lines.sort();
    assert_eq!(lines, [1, 2, 3], "{results}");
    for hit in hits(&results) {
        let line = hit["citation"]["line"].as_u64().unwrap();
        let run = sb.ok(&["show", &format!("corpus/old-mac.jsonl:{line}#1")]);
        assert!(run.stdout.contains(text(hit)), "{run:?}");
    }
    sb.ok(&["verify"]);
}

#[test]
fn every_command_gives_one_clear_error_for_an_index_path_that_is_a_file() {
    let sb = Sandbox::with_seeds();
    sb.write("notes.txt", "keep me\n");
    sb.write("q.tsv", "1\tfrozen assets\n");
    sb.write("qrels.txt", "1 0 000_792c1fc0d0c2a89d 1\n");
    let commands: [&[&str]; 6] = [
        &["index", "seeds"],
        &["query", "Miami"],
        &["show", "seeds/000_792c1fc0d0c2a89d.txt:8"],
        &["verify"],
        &["stats"],
        &["eval", "--queries", "q.tsv", "--qrels", "qrels.txt"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.extend_from_slice(&["--index", "notes.txt"]);
        let run = sb.any(&args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        let errors: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("search:"))
            .collect();
        assert_eq!(
            errors,
            ["search: notes.txt is a file, not an index folder"],
            "{args:?}: {run:?}"
        );
        assert_eq!(std::fs::read(sb.join("notes.txt")).unwrap(), b"keep me\n");
    }
}
