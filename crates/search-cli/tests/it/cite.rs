//! Citations people can check: the printed form `search query` gives names exactly
//! the hit for `search show`, and `search verify` re-reads every source.

use search_core::Citation;

use crate::show::mixed_corpus;
use crate::util::{hits, text, Sandbox, UKRAINE_PATH};

/// The citation of a JSON hit.
fn citation(hit: &serde_json::Value) -> Citation {
    serde_json::from_value(hit["citation"].clone()).expect("a citation")
}

#[test]
fn every_hit_is_shown_by_the_location_query_prints() {
    let sb = mixed_corpus();
    for query in [
        "harbour",
        "lighthouses",
        "glacier",
        "zeppelin committee",
        "words",
    ] {
        let printed = sb.ok(&["query", query, "--color", "never", "--limit", "50"]);
        let results = sb.query_json(query, &["--limit", "50"]);
        assert!(!hits(&results).is_empty(), "{query}: no hits");
        for hit in hits(&results) {
            let location = citation(hit).location();
            assert!(
                printed.stdout.contains(&format!("   {location} ¶")),
                "{query}: `{location}` is not printed:\n{printed:?}"
            );
            let run = sb.ok(&["show", &location]);
            let marked: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with('▶')).collect();
            assert_eq!(marked.len(), 1, "{location}:\n{run:?}");
            assert!(
                marked[0].ends_with(text(hit)),
                "{location} shows another passage:\n{run:?}"
            );
            assert!(
                run.stdout
                    .lines()
                    .nth(1)
                    .unwrap_or_default()
                    .starts_with(&location),
                "{run:?}"
            );
        }
    }
}

#[test]
fn verify_catches_a_same_size_edit_that_keeps_the_modification_time() {
    let sb = Sandbox::indexed();
    edit_keeping_size_and_time(
        &sb.join(UKRAINE_PATH),
        "frozen Russian assets",
        "frozen Russian ASSETS",
    );

    let run = sb.run(&["verify"], 7);
    let stale: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("STALE"))
        .collect();
    assert_eq!(stale.len(), 1, "{run:?}");
    assert!(
        stale[0].starts_with(&format!("STALE {UKRAINE_PATH}:8 ¶6")),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains(&format!("changed since indexing: {UKRAINE_PATH}")),
        "{run:?}"
    );
    assert!(run.stdout.contains("every file read and hashed"), "{run:?}");
    let json = sb.run(&["verify", "--format", "json"], 7);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["mode"], "full", "{report}");
    assert_eq!(report["files_hashed"], 2, "{report}");

    // --quick trusts size and time, and says so.
    let quick = sb.ok(&["verify", "--quick"]);
    assert!(
        quick
            .stdout
            .contains("trusted by size and modification time"),
        "{quick:?}"
    );
    let help = sb.ok(&["verify", "--help"]);
    assert!(help.stdout.contains("--quick"), "{help:?}");
    assert!(
        help.stdout.contains("size and modification time"),
        "{help:?}"
    );
}

#[test]
fn verify_checks_jsonl_records_by_their_decoded_text() {
    let sb = mixed_corpus();
    sb.ok(&["verify"]);
    edit_keeping_size_and_time(&sb.join("corpus/wire.jsonl"), "pilot spoke", "pilot SPOKE");
    let run = sb.run(&["verify"], 7);
    let stale: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("STALE"))
        .collect();
    assert_eq!(stale.len(), 1, "{run:?}");
    assert!(
        stale[0].starts_with("STALE corpus/wire.jsonl:3#2 ¶2 (w2)"),
        "{run:?}"
    );
    sb.run(&["show", "corpus/wire.jsonl:3#2"], 7);
    sb.ok(&["show", "corpus/wire.jsonl:3#1"]);
}

/// Replaces `from` by `to` (of the same length) in the file at `path`, keeping its
/// size and modification time: an edit only a hash notices.
fn edit_keeping_size_and_time(path: &std::path::Path, from: &str, to: &str) {
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    let before = std::fs::read_to_string(path).unwrap();
    let after = before.replacen(from, to, 1);
    assert_ne!(before, after, "`{from}` is not in {}", path.display());
    assert_eq!(before.len(), after.len());
    std::fs::write(path, after).unwrap();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}
