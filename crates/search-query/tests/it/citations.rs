//! The citation-check API: `source_text`, `check`, `lookup` and `verify`.

use std::path::Path;

use search_query::{
    CitationStatus, Lookup, PassageIndex, SearchOptions, SourceError, StaleReason, VerifyMode,
};

use super::build;

/// A corpus folder with a `.txt` article, a JSONL file (two records sharing an id)
/// and an article with a split paragraph, indexed.
struct Corpus {
    dir: tempfile::TempDir,
    index: PassageIndex,
}

impl Corpus {
    fn new() -> Corpus {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(
            corpus.join("port.txt"),
            "Port strike\n\nDockers walked out at dawn.\nThe harbour crane stood idle.\n",
        )
        .unwrap();
        let record = |id: &str, text: &str| serde_json::json!({"id": id, "text": text}).to_string();
        let lines = [
            record(
                "w1",
                "Opening words.\nThe harbour pilot spoke, caf\u{e9} in hand.\nClosing words.",
            ),
            record("twin", "A twin about lighthouses."),
            record("twin", "Another twin about lighthouses."),
        ];
        std::fs::write(corpus.join("wire.jsonl"), lines.join("\n") + "\n").unwrap();
        let long =
            "The committee reviewed the budget line by line. ".repeat(60) + "A zeppelin passed.";
        std::fs::write(
            corpus.join("long.txt"),
            format!("Long\n\nShort one.\n{long}\n"),
        )
        .unwrap();
        let index_dir = dir.path().join("index");
        build(&index_dir, vec![corpus]);
        let index = PassageIndex::open(&index_dir).unwrap();
        Corpus { dir, index }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join("corpus").join(name)
    }
}

fn set_modified(path: &Path, time: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

#[test]
fn every_hit_holds_and_its_source_text_is_the_passage() {
    let c = Corpus::new();
    for query in ["harbour", "lighthouses", "zeppelin", "words", "dockers"] {
        let hits = c
            .index
            .search(query, &SearchOptions::new().limit(50))
            .unwrap()
            .hits;
        assert!(!hits.is_empty(), "{query}");
        for hit in hits {
            assert_eq!(
                c.index.source_text(&hit.citation).unwrap(),
                hit.text,
                "{:?}",
                hit.citation
            );
            assert_eq!(c.index.check(&hit.citation).unwrap(), CitationStatus::Holds);
        }
    }
}

#[test]
fn check_reports_stale_missing_and_foreign_citations() {
    let c = Corpus::new();
    let hit = |q: &str| {
        c.index
            .search(q, &SearchOptions::new())
            .unwrap()
            .hits
            .remove(0)
    };
    let pilot = hit("pilot");
    let crane = hit("crane");

    // A JSONL record edited to the same size, its modification time put back.
    let wire = c.path("wire.jsonl");
    let time = std::fs::metadata(&wire).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&wire).unwrap();
    std::fs::write(&wire, text.replacen("pilot spoke", "pilot SPOKE", 1)).unwrap();
    set_modified(&wire, time);
    assert_eq!(
        c.index.check(&pilot.citation).unwrap(),
        CitationStatus::Stale {
            reason: StaleReason::Changed
        }
    );
    assert!(c
        .index
        .source_text(&pilot.citation)
        .unwrap()
        .contains("pilot SPOKE"));

    // A record line that is no longer a record.
    std::fs::write(&wire, "not json\n").unwrap();
    assert_eq!(
        c.index.check(&pilot.citation).unwrap(),
        CitationStatus::Stale {
            reason: StaleReason::NoRecord
        }
    );

    // A file cut short, then gone.
    let port = c.path("port.txt");
    std::fs::write(&port, "Port strike\n").unwrap();
    assert_eq!(
        c.index.check(&crane.citation).unwrap(),
        CitationStatus::Stale {
            reason: StaleReason::PastEnd
        }
    );
    std::fs::remove_file(&port).unwrap();
    assert_eq!(
        c.index.check(&crane.citation).unwrap(),
        CitationStatus::Missing
    );
    assert!(matches!(
        c.index.source_text(&crane.citation),
        Err(SourceError::Unreadable { .. })
    ));

    // A file the index does not hold is never read, even though it exists.
    let outside = c.dir.path().join("outside.txt");
    std::fs::write(&outside, "Dockers walked out at dawn.\n").unwrap();
    let mut foreign = hit("dockers").citation;
    foreign.path = outside.display().to_string();
    assert_eq!(c.index.check(&foreign).unwrap(), CitationStatus::NotIndexed);
    assert!(matches!(
        c.index.source_text(&foreign),
        Err(SourceError::NotIndexed { .. })
    ));
    // Nor is a range the index holds no passage at.
    let mut shifted = hit("dockers").citation;
    shifted.byte_start += 1;
    assert_eq!(c.index.check(&shifted).unwrap(), CitationStatus::NotIndexed);
}

#[test]
fn verify_hashes_every_file_and_quick_trusts_size_and_time() {
    let c = Corpus::new();
    let clean = c.index.verify().unwrap();
    assert!(clean.is_clean());
    assert_eq!(
        (clean.mode, clean.files_checked, clean.files_hashed),
        (VerifyMode::Full, 3, 3)
    );

    let port = c.path("port.txt");
    let time = std::fs::metadata(&port).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&port).unwrap();
    std::fs::write(&port, text.replacen("crane", "CRANE", 1)).unwrap();
    set_modified(&port, time);

    let full = c.index.verify().unwrap();
    assert_eq!(full.stale.len(), 1, "{full:?}");
    assert!(full.stale[0].citation.path.ends_with("port.txt"));
    assert_eq!(full.stale[0].citation.paragraph, 2);
    assert_eq!(full.files_changed.len(), 1);

    let quick = c.index.verify_with(VerifyMode::Quick).unwrap();
    assert!(quick.is_clean(), "{quick:?}");
    assert_eq!(quick.files_hashed, 0);
}

#[test]
fn lookup_names_exactly_the_hit_and_refuses_to_pick_among_shared_ids() {
    let c = Corpus::new();
    for query in ["harbour", "lighthouses", "zeppelin", "words"] {
        for hit in c
            .index
            .search(query, &SearchOptions::new().limit(50))
            .unwrap()
            .hits
        {
            let location = hit.citation.location();
            let Some(Lookup::Found(found)) = c.index.lookup(&location).unwrap() else {
                panic!("{location} is not found");
            };
            assert_eq!(found.cited.len(), 1, "{location}");
            let named = &found.article[found.cited[0]];
            assert_eq!(
                (&named.text, &named.citation),
                (&hit.text, &hit.citation),
                "{location}"
            );
        }
    }
    match c.index.lookup("twin#1").unwrap() {
        Some(Lookup::Ambiguous { candidates, .. }) => {
            let lines: Vec<u64> = candidates.iter().map(|c| c.line).collect();
            assert_eq!(lines, [2, 3]);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        c.index.lookup("w1#9").unwrap(),
        Some(Lookup::NoParagraph { paragraphs: 3, .. })
    ));
    assert!(matches!(
        c.index.lookup("nobody#1").unwrap(),
        Some(Lookup::UnknownArticle { .. })
    ));
    assert!(c.index.lookup("not a citation").unwrap().is_none());
}
