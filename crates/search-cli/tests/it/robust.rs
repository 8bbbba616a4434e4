//! Wrong `--index` paths, unreadable and damaged indexes, and queries or limits at
//! the edges, through the real binary: each gets its documented exit status and
//! one message that says what is wrong, never a panic or a misdiagnosis.

use std::path::Path;

use search_test_support::damage::{damage_zstd_frames, skip_index, store_file};

use crate::util::{search, Run, Sandbox};

/// The stderr lines that are errors (warnings, and the indented remedy line that
/// follows an error, aside).
fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("warning:") && !l.starts_with("  "))
        .collect()
}

/// Exactly one error line, with no panic, and no cause printed twice.
fn assert_one_message(run: &Run) -> String {
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    let lines = error_lines(run);
    assert_eq!(lines.len(), 1, "{run:?}");
    let line = lines[0];
    assert!(line.starts_with("search: "), "{run:?}");
    // anyhow's `{:#}` prints the chain after ": "; a cause must not repeat.
    let parts: Vec<&str> = line.split(": ").filter(|p| p.len() > 12).collect();
    for (i, part) in parts.iter().enumerate() {
        assert!(!parts[i + 1..].contains(part), "{part:?} twice: {run:?}");
    }
    assert!(!line.contains("Internal error"), "{run:?}");
    line.to_string()
}

#[test]
fn an_index_path_naming_a_file_exits_2_and_builds_nothing() {
    let sb = Sandbox::with_seeds();
    sb.write("notes.txt", "my notes");
    for args in [
        &["query", "Miami", "--index", "notes.txt"][..],
        &["stats", "--index", "notes.txt"],
    ] {
        let run = sb.run(args, 2);
        let line = assert_one_message(&run);
        assert!(line.contains("notes.txt is a file"), "{run:?}");
        assert!(
            !line.contains("no index") && !line.contains("corrupt"),
            "{run:?}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(sb.join("notes.txt")).unwrap(),
        "my notes"
    );
}

#[test]
fn folders_that_are_not_ours_exit_2_and_are_left_alone() {
    let sb = Sandbox::with_seeds();
    sb.write("project/meta.json", r#"{"name": "my project"}"#);
    sb.write("documents/thesis.txt", "chapter one");
    for dir in ["project", "documents"] {
        let before = sb.snapshot(dir);
        let run = sb.run(&["query", "Miami", "--index", dir], 2);
        let line = assert_one_message(&run);
        assert!(line.contains("not a search index"), "{run:?}");
        assert!(
            !line.contains("corrupt") && !line.contains("--rebuild"),
            "{run:?}"
        );
        assert_eq!(sb.snapshot(dir), before, "{dir} was changed");
    }
}

/// What tantivy leaves when it creates an index and the build is killed before its
/// first commit: the marker the indexer writes first, and a `meta.json` with the
/// schema, no segments and no payload.
#[test]
fn an_interrupted_first_build_exits_3_naming_the_remedy() {
    let sb = Sandbox::indexed();
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sb.join("index/meta.json")).unwrap())
            .unwrap();
    let created = serde_json::json!({
        "index_settings": meta["index_settings"],
        "segments": [],
        "schema": meta["schema"],
        "opstamp": 0,
    });
    sb.write("index/meta.json", created.to_string());
    sb.write(
        &format!("index/{}", search_core::folder::INDEX_MARKER),
        search_core::folder::MARKER_TEXT,
    );
    // Without seeds/ to build from (with them, the query builds the index).
    std::fs::remove_dir_all(sb.join("seeds")).unwrap();
    let run = sb.run(&["query", "Miami"], 3);
    let line = assert_one_message(&run);
    assert!(line.contains("interrupted"), "{run:?}");
    assert!(run.stderr.contains("search index"), "{run:?}");
    assert!(!line.contains("incompatible"), "{run:?}");
}

/// Runs `search ARGS` in `sb` as a user who may not read what the test locked: as
/// `nobody` through `setpriv` when the tests run as root (root reads everything),
/// else as ourselves.
fn run_unprivileged(sb: &Sandbox, args: &[&str]) -> Run {
    let binary = env!("CARGO_BIN_EXE_search");
    let output = if is_root() {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("the tests run as root: setpriv (util-linux) is needed to drop privileges");
        std::process::Command::new(setpriv)
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(binary)
            .args(args)
            .current_dir(sb.path())
            .env_remove("SEARCH_INDEX")
            .output()
            .unwrap()
    } else {
        search(sb.path()).args(args).output().unwrap()
    };
    Run::from(&output)
}

fn is_root() -> bool {
    // The owner of a file we just made is who we are.
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().unwrap();
    std::fs::metadata(probe.path()).unwrap().uid() == 0
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// An index someone else may reach (the sandbox is private to its owner), every
/// file readable by all but what each case locks.
fn shared_index() -> Sandbox {
    let sb = Sandbox::indexed();
    chmod(sb.path(), 0o755);
    for entry in std::fs::read_dir(sb.join("index")).unwrap() {
        chmod(&entry.unwrap().path(), 0o644);
    }
    sb
}

/// A permission problem is named as one, with the path, and never called damage
/// (whose remedy, `--rebuild`, would not help). The baseline run shows the user can
/// read the index when nothing is locked, so a pass cannot come from a broken setup.
#[test]
fn unreadable_index_files_exit_9_as_a_permission_problem() {
    let sb = shared_index();
    let baseline = run_unprivileged(&sb, &["query", "Miami"]);
    assert_eq!(
        baseline.code, 0,
        "the unprivileged user cannot query: {baseline:?}"
    );
    let segment_file = std::fs::read_dir(sb.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .unwrap();
    let table = std::fs::read_dir(sb.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("search-files-"))
        .unwrap();
    let cases = [
        (sb.join("index"), 0o700, "index"),
        (sb.join("index/meta.json"), 0o600, "meta.json"),
        (segment_file.clone(), 0o600, ".idx"),
        (table.clone(), 0o600, "search-files-"),
    ];
    for (locked, mode, named) in cases {
        let unlocked = if locked.is_dir() { 0o755 } else { 0o644 };
        for args in [&["query", "Miami"][..], &["stats"]] {
            chmod(&locked, if is_root() { mode } else { 0o000 });
            let run = run_unprivileged(&sb, args);
            chmod(&locked, unlocked);
            assert_eq!(
                run.code,
                9,
                "{} locked, {args:?}: {run:?}",
                locked.display()
            );
            let line = assert_one_message(&run);
            assert!(line.contains("permission denied"), "{run:?}");
            assert!(line.contains(named), "{run:?}");
            assert!(
                !line.contains("corrupt") && !line.contains("--rebuild"),
                "{run:?}"
            );
        }
    }
}

#[test]
fn a_huge_limit_exits_2_without_a_panic() {
    let sb = Sandbox::indexed();
    for limit in ["1152921504606846976", "18446744073709551615", "10001"] {
        let run = sb.run(&["query", "Miami", "--limit", limit], 2);
        let line = assert_one_message(&run);
        assert!(line.contains("too large"), "{run:?}");
    }
    sb.ok(&["query", "Miami", "--limit", "10000"]);
    // A batch fails before its first query.
    sb.write("queries.txt", "Miami\nfrozen assets\n");
    let run = sb.run(
        &[
            "query",
            "--batch",
            "queries.txt",
            "--limit",
            "1152921504606846976",
        ],
        2,
    );
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_one_message(&run);
}

#[test]
fn emoji_or_symbols_alone_exit_2_saying_nothing_is_searchable() {
    let sb = Sandbox::indexed();
    for query in ["🙂", "@", "🙂 @ 🎉"] {
        let run = sb.run(&["query", "--", query], 2);
        let line = assert_one_message(&run);
        assert!(line.contains("nothing searchable"), "{query:?}: {run:?}");
        assert!(!line.contains("empty"), "{query:?}: {run:?}");
    }
}

#[test]
fn long_queries_are_cut_with_a_warning_and_overlong_ones_exit_2() {
    let sb = Sandbox::indexed();
    let words: Vec<String> = (0..300).map(|i| format!("zq{i:04}x")).collect();
    let long = format!("Miami {}", words.join(" "));
    let run = sb.run(&["query", "--no-typos", "--", &long], 0);
    assert!(
        run.stderr.contains(
            "warning: the query has 301 searchable words; only the first 256 were searched"
        ),
        "{run:?}"
    );
    let overlong = "Miami ".repeat(12_000);
    let run = sb.run(&["query", "--", &overlong], 2);
    let line = assert_one_message(&run);
    assert!(line.contains("bytes"), "{run:?}");
}

/// The segment's document store file.
fn assert_reported_damaged(sb: &Sandbox, args: &[&str]) {
    let run = sb.any(args);
    assert_eq!(run.code, 4, "{args:?}: {run:?}");
    let line = assert_one_message(&run);
    assert!(line.contains("corrupt"), "{run:?}");
    assert!(run.stderr.contains("--rebuild"), "{run:?}");
}

#[test]
fn damaged_passage_text_exits_4_with_one_message() {
    let sb = Sandbox::indexed();
    damage_zstd_frames(&store_file(&sb.join("index")));
    assert_reported_damaged(&sb, &["query", "Miami"]);
    assert_reported_damaged(&sb, &["query", "Miami", "--format", "json"]);
}

/// tantivy panics on some damage to a store's skip index and footer: every byte of
/// them, flipped, ends in exit 0 with the same hits, or in exit 4 with one message.
#[test]
fn damaged_store_structure_exits_4_not_101() {
    let sb = Sandbox::indexed();
    let store = store_file(&sb.join("index"));
    let original = std::fs::read(&store).unwrap();
    let expected = sb.ok(&["query", "Miami", "--format", "json"]).stdout;
    let region = skip_index(&original);
    let mut damaged = 0;
    for at in region.start..region.end + 13 {
        let mut bytes = original.clone();
        bytes[at] ^= 0xff;
        std::fs::write(&store, &bytes).unwrap();
        let run = sb.any(&["query", "Miami", "--format", "json"]);
        match run.code {
            0 => assert_eq!(run.stdout, expected, "byte {at}: other hits, no error"),
            4 => {
                assert_one_message(&run);
                damaged += 1;
            }
            code => panic!("byte {at} flipped: exit {code}: {run:?}"),
        }
    }
    assert!(damaged > 0, "no damage noticed");
}
