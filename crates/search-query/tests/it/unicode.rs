//! Unicode and hostile text, end to end: spellings the analyzer folds together find
//! each other, highlights and citations still cut the original bytes, and old Mac
//! (CR-only) line endings split paragraphs like LF.

use std::path::{Path, PathBuf};

use search_indexer::{IndexOptions, Indexer};
use search_query::{Hit, PassageIndex, SearchError, SearchOptions};

use super::build;

/// A corpus folder of `(file name, content)` and its index, built.
struct Corpus {
    _dir: tempfile::TempDir,
    root: PathBuf,
    index: PathBuf,
}

fn corpus(files: &[(&str, &str)]) -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    std::fs::create_dir(&root).unwrap();
    for (name, content) in files {
        std::fs::write(root.join(name), content).unwrap();
    }
    let index = dir.path().join("index");
    build(&index, vec![root.clone()]);
    Corpus {
        _dir: dir,
        root,
        index,
    }
}

/// The hits of `query`, exact words only, each checked against its source: the
/// cited bytes are the passage and every highlight falls on char boundaries.
fn hits(index: &PassageIndex, query: &str) -> Vec<Hit> {
    let hits = index
        .search(query, &SearchOptions::new().typo_tolerance(false))
        .unwrap()
        .hits;
    for hit in &hits {
        assert_cites_its_bytes(hit);
    }
    hits
}

fn assert_cites_its_bytes(hit: &Hit) {
    let bytes = std::fs::read(&hit.citation.path).unwrap();
    let range = hit.citation.byte_range();
    assert_eq!(&bytes[range], hit.text.as_bytes(), "{:?}", hit.citation);
    for h in &hit.highlights {
        assert!(hit.text.is_char_boundary(h.start) && hit.text.is_char_boundary(h.end));
    }
}

/// The highlighted source text of each hit.
fn marked(hits: &[Hit]) -> Vec<&str> {
    hits.iter()
        .flat_map(|h| h.highlights.iter().map(move |r| &h.text[r.clone()]))
        .collect()
}

fn doc_ids(hits: &[Hit]) -> Vec<&str> {
    let mut ids: Vec<&str> = hits.iter().map(|h| h.citation.doc_id.as_str()).collect();
    ids.sort();
    ids
}

const NFD: &str = "Zele\u{301}nsky";
const NFC: &str = "Zel\u{e9}nsky";

#[test]
fn decomposed_composed_and_plain_spellings_find_each_other() {
    let c = corpus(&[
        ("nfd.txt", &format!("Kyiv talks\n\n{NFD} met the envoys.\n")),
        (
            "nfc.txt",
            &format!("Paris talks\n\n{NFC} spoke in Paris.\n"),
        ),
    ]);
    let index = PassageIndex::open(&c.index).unwrap();
    for query in ["Zelensky", NFC, NFD, "ZELE\u{301}NSKY"] {
        let found = hits(&index, query);
        assert_eq!(doc_ids(&found), vec!["nfc", "nfd"], "{query:?}");
        // Highlights mark the source's own spelling, whichever the query used.
        let mut words = marked(&found);
        words.sort();
        assert_eq!(words, vec![NFD, NFC], "{query:?}");
    }
}

#[test]
fn istanbul_finds_dotted_capital_i() {
    let c = corpus(&[("tr.txt", "Turkey\n\nFlights to \u{130}STANBUL resumed.\n")]);
    let index = PassageIndex::open(&c.index).unwrap();
    let found = hits(&index, "istanbul");
    assert_eq!(found.len(), 1);
    assert_eq!(marked(&found), vec!["\u{130}STANBUL"]);
}

#[test]
fn soft_hyphenated_words_are_found_whole() {
    let c = corpus(&[(
        "shy.txt",
        "Talks\n\nThe nego\u{ad}tiations in Geneva stalled.\n",
    )]);
    let index = PassageIndex::open(&c.index).unwrap();
    let found = hits(&index, "negotiations");
    assert_eq!(found.len(), 1);
    assert_eq!(marked(&found), vec!["nego\u{ad}tiations"]);
    assert_eq!(hits(&index, "\"negotiations in Geneva\"").len(), 1);
}

#[test]
fn pointed_hebrew_and_voweled_arabic_are_found_bare() {
    let c = corpus(&[
        ("he.txt", "Greeting\n\nהוא אמר שָׁלוֹם לכולם.\n"),
        ("ar.txt", "Book\n\nقرأ الطالب كِتَابًا جديدا.\n"),
    ]);
    let index = PassageIndex::open(&c.index).unwrap();
    let found = hits(&index, "שלום");
    assert_eq!(marked(&found), vec!["שָׁלוֹם"]);
    let found = hits(&index, "كتابا");
    assert_eq!(marked(&found), vec!["كِتَابًا"]);
}

/// The article of the CR-only tests, with `eol` line endings.
fn mac_article(eol: &str) -> String {
    [
        "Harbor news",
        "",
        "The harbor reopened on Monday.",
        "Fishing boats",
        "returned at dawn.",
        "",
    ]
    .join(eol)
}

#[test]
fn cr_only_articles_split_paragraphs_and_cite_exact_bytes() {
    let c = corpus(&[
        ("mac.txt", &mac_article("\r")),
        ("mac.md", &format!("# Dock\r{}", mac_article("\r"))),
        ("dos.txt", &mac_article("\r\n")),
        ("unix.txt", &mac_article("\n")),
    ]);
    let index = PassageIndex::open(&c.index).unwrap();
    let found = hits(&index, "fishing boats");
    assert_eq!(found.len(), 4, "{found:#?}");
    for hit in &found {
        assert_eq!(hit.text, "Fishing boats", "{:?}", hit.citation);
        let md = hit.citation.path.ends_with(".md");
        // The markdown heading is line 1, and "Harbor news" is a paragraph there.
        assert_eq!(
            hit.citation.line,
            if md { 5 } else { 4 },
            "{:?}",
            hit.citation
        );
        assert_eq!(hit.citation.paragraph, if md { 3 } else { 2 });
        let title = if md { "Dock" } else { "Harbor news" };
        assert_eq!(hit.citation.title.as_deref(), Some(title));
    }
    let found = hits(&index, "dawn");
    assert_eq!(found.len(), 4);
    assert!(found.iter().all(|h| h.text == "returned at dawn."));
}

#[test]
fn an_index_of_an_older_analyzer_is_refused_then_rebuilt() {
    let c = corpus(&[("nfd.txt", &format!("Kyiv talks\n\n{NFD} met the envoys.\n"))]);
    set_recorded_analyzer_version(&c.index, search_core::ANALYZER_VERSION - 1);
    assert!(matches!(
        PassageIndex::open(&c.index),
        Err(SearchError::Incompatible(_))
    ));
    // A plain update (no --rebuild) notices and re-reads every file.
    let mut options = IndexOptions::new(&c.index);
    options.roots = vec![c.root.clone()];
    let report = Indexer::new(options).run(&mut ()).unwrap();
    assert!(report.rebuilt);
    assert_eq!(report.files_indexed, 1);
    let index = PassageIndex::open(&c.index).unwrap();
    assert_eq!(
        index.info().analyzer_version(),
        search_core::ANALYZER_VERSION
    );
    assert_eq!(hits(&index, "Zelensky").len(), 1);
}

/// Rewrites the analyzer version the index's last commit records, as if an older
/// build had written it.
fn set_recorded_analyzer_version(index: &Path, version: u32) {
    let path = index.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut payload: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    payload["analyzer_version"] = version.into();
    meta["payload"] = payload.to_string().into();
    std::fs::write(&path, meta.to_string()).unwrap();
}
