//! Integration tests of the query library, through its public API only.

use std::path::{Path, PathBuf};

mod robust;

use search_indexer::{IndexOptions, Indexer};
use search_query::{PassageIndex, SearchError, SearchOptions};
use search_test_support::{seed_questions, SeedQuestion};

mod citations;
mod consistency;
mod copies;
mod explain;
mod filters;
mod library;
mod related;
mod shards;
mod unicode;

/// A temp folder with the repository's seeds copied in and indexed.
struct Fixture {
    _dir: tempfile::TempDir,
    index: PathBuf,
    seeds: PathBuf,
}

fn seeds_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let seeds = search_test_support::copy_seeds(&dir.path().join("seeds"));
    let index = dir.path().join("index");
    build(&index, vec![seeds.clone()]);
    Fixture {
        _dir: dir,
        index,
        seeds,
    }
}

fn build(index: &Path, roots: Vec<PathBuf>) {
    let mut options = IndexOptions::new(index);
    options.roots = roots;
    Indexer::new(options).run(&mut ()).unwrap();
}

#[test]
fn frozen_assets_ranks_the_frozen_russian_assets_paragraph_first() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let results = index
        .search("frozen assets", &SearchOptions::new())
        .unwrap();
    assert!(results.hits[0]
        .text
        .contains("the use of frozen Russian assets"));
}

#[test]
fn every_seed_question_finds_its_passage_within_k() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let questions = seed_questions();
    assert!(questions.len() >= 5);
    for SeedQuestion { query, k, accepted } in questions {
        let results = index
            .search(&query, &SearchOptions::new().limit(k))
            .unwrap();
        assert!(
            results
                .hits
                .iter()
                .any(|h| accepted.iter().any(|a| h.text.contains(a.as_str()))),
            "{query:?}: none of the top {k} contains {accepted:?}: {:#?}",
            results.hits.iter().map(|h| &h.text).collect::<Vec<_>>()
        );
    }
}

#[test]
fn every_citation_byte_range_holds_exactly_the_passage() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    for SeedQuestion { query, .. } in seed_questions() {
        for hit in index
            .search(&query, &SearchOptions::new().limit(50))
            .unwrap()
            .hits
        {
            let bytes = std::fs::read(&hit.citation.path).unwrap();
            let range = hit.citation.byte_range();
            assert_eq!(
                &bytes[range],
                hit.text.as_bytes(),
                "{query}: {:?}",
                hit.citation
            );
            for h in &hit.highlights {
                assert!(hit.text.is_char_boundary(h.start) && hit.text.is_char_boundary(h.end));
            }
        }
    }
}

#[test]
fn highlights_cover_stemmed_and_possessive_forms() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let results = index.search("negotiating", &SearchOptions::new()).unwrap();
    let marked: Vec<&str> = results
        .hits
        .iter()
        .flat_map(|h| h.highlights.iter().map(move |r| &h.text[r.clone()]))
        .collect();
    assert!(marked.contains(&"negotiations"), "{marked:?}");
    let results = index.search("Kushner", &SearchOptions::new()).unwrap();
    let marked: Vec<&str> = results
        .hits
        .iter()
        .flat_map(|h| h.highlights.iter().map(move |r| &h.text[r.clone()]))
        .collect();
    assert!(
        marked.iter().all(|m| m.starts_with("Kushner")),
        "{marked:?}"
    );
}

#[test]
fn typo_tolerance_finds_close_spellings_and_says_so() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let results = index.search("Witkof", &SearchOptions::new()).unwrap();
    assert!(results.hits[0].text.contains("Witkoff"));
    assert_eq!(results.corrections[0].replacement, "witkoff");
    let strict = index
        .search("Witkof", &SearchOptions::new().typo_tolerance(false))
        .unwrap();
    assert!(strict.hits.is_empty());
}

#[test]
fn boilerplate_ranks_below_every_real_paragraph() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let results = index
        .search("report Reuters updated", &SearchOptions::new().limit(30))
        .unwrap();
    let first_boilerplate = results
        .hits
        .iter()
        .position(|h| h.boilerplate)
        .expect("a boilerplate hit");
    assert!(results.hits[first_boilerplate..]
        .iter()
        .all(|h| h.boilerplate));
}

#[test]
fn per_article_keeps_one_passage_per_article() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let results = index
        .search("Miami", &SearchOptions::new().per_article(true))
        .unwrap();
    assert_eq!(results.hits.len(), 2);
    assert_ne!(
        results.hits[0].citation.doc_id,
        results.hits[1].citation.doc_id
    );
}

#[test]
fn one_index_serves_many_threads() {
    let f = seeds_fixture();
    let index = std::sync::Arc::new(PassageIndex::open(&f.index).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let index = index.clone();
            std::thread::spawn(move || {
                index
                    .search("Ushakov", &SearchOptions::new())
                    .unwrap()
                    .hits
                    .len()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 1);
    }
}

#[test]
fn typed_errors_for_missing_index_and_empty_query() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        PassageIndex::open(dir.path().join("nope")),
        Err(SearchError::IndexNotFound(_))
    ));
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    // Punctuation alone is not empty but has nothing to search (`robust.rs`).
    for empty in ["", "   ", "+"] {
        assert!(
            matches!(
                index.search(empty, &SearchOptions::new()),
                Err(SearchError::EmptyQuery)
            ),
            "{empty:?}"
        );
    }
}

#[test]
fn corrupt_index_is_a_typed_error() {
    let f = seeds_fixture();
    std::fs::write(f.index.join("meta.json"), b"{ not json").unwrap();
    assert!(matches!(
        PassageIndex::open(&f.index),
        Err(SearchError::Corrupt { .. })
    ));
}

#[test]
fn stale_sources_are_marked_and_reload_follows_new_commits() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let seed = f.seeds.join("003_43941a50b73b53ea.txt");
    let mut text = std::fs::read_to_string(&seed).unwrap();
    text.push_str("\nA new paragraph about the Zaporizhzhia plant.\n");
    std::fs::write(&seed, &text).unwrap();
    let hits = index.search("Umerov", &SearchOptions::new()).unwrap().hits;
    for hit in &hits {
        assert_eq!(
            hit.stale,
            hit.citation.doc_id.starts_with("003"),
            "{:?}",
            hit.citation
        );
    }
    assert!(index
        .search("Zaporizhzhia", &SearchOptions::new().typo_tolerance(false))
        .unwrap()
        .hits
        .is_empty());
    build(&f.index, vec![f.seeds.clone()]);
    assert!(index.reload().unwrap());
    let hits = index
        .search("Zaporizhzhia", &SearchOptions::new())
        .unwrap()
        .hits;
    assert_eq!(hits.len(), 1);
    assert!(!hits[0].stale);
}

#[test]
fn jsonl_citations_index_the_decoded_text_and_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("docs.jsonl");
    std::fs::write(
        &corpus,
        concat!(
            "{\"id\": \"1\", \"title\": \"wing flutter\", \"text\": \"an experimental study of a wing.\\n\\nthe flutter speed \\u00e9 was measured .\"}\n",
            "{\"id\": \"2\", \"title\": \"heat transfer\", \"text\": \"heat conduction in composite slabs .\"}\n",
        ),
    )
    .unwrap();
    let index_dir = dir.path().join("index");
    build(&index_dir, vec![corpus.clone()]);
    let index = PassageIndex::open(&index_dir).unwrap();
    let hit = &index
        .search("flutter speed", &SearchOptions::new())
        .unwrap()
        .hits[0];
    assert_eq!(hit.citation.line, 1);
    assert_eq!(hit.citation.paragraph, 2);
    assert_eq!(hit.citation.title.as_deref(), Some("wing flutter"));
    let hit = &index
        .search("composite slabs", &SearchOptions::new())
        .unwrap()
        .hits[0];
    assert_eq!(hit.citation.line, 2);
    let line = std::fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    let record: serde_json::Value = serde_json::from_str(&line).unwrap();
    let text = record["text"].as_str().unwrap();
    assert_eq!(&text[hit.citation.byte_range()], hit.text);
}

#[test]
fn french_text_is_folded_not_mangled() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("fr.jsonl");
    std::fs::write(
        &corpus,
        "{\"id\": \"Julie Andrews\", \"title\": \"Julie Andrews\", \"text\": \"Julie Andrews est une actrice, chanteuse, conteuse et écrivaine britannique, née le 1er octobre 1935 à Walton-on-Thames.\"}\n",
    )
    .unwrap();
    let index_dir = dir.path().join("index");
    let mut options = IndexOptions::new(&index_dir);
    options.roots = vec![corpus];
    options.language = Some(search_query::StemLanguage::French);
    Indexer::new(options).run(&mut ()).unwrap();
    let index = PassageIndex::open(&index_dir).unwrap();
    for q in [
        "ecrivaine",
        "écrivaine",
        "ÉCRIVAINE",
        "nee",
        "Thames",
        "Walton-on-Thames",
    ] {
        let hits = index
            .search(q, &SearchOptions::new().typo_tolerance(false))
            .unwrap()
            .hits;
        assert_eq!(hits.len(), 1, "{q}");
    }
    let hit = &index
        .search("écrivaine", &SearchOptions::new())
        .unwrap()
        .hits[0];
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|r| &hit.text[r.clone()])
        .collect();
    assert_eq!(marked, vec!["écrivaine"]);
}

#[test]
fn a_long_running_index_follows_new_commits_by_itself() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let strict = SearchOptions::new().typo_tolerance(false);
    assert!(index
        .search("Zaporizhzhia", &strict)
        .unwrap()
        .hits
        .is_empty());
    std::fs::write(
        f.seeds.join("010_new.txt"),
        "New article\n\nShelling near the Zaporizhzhia plant resumed.\n",
    )
    .unwrap();
    build(&f.index, vec![f.seeds.clone()]);
    // No explicit reload: the next search notices the commit.
    let hits = index.search("Zaporizhzhia", &strict).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].citation.doc_id, "010_new");
    assert_eq!(index.info().file_count(), 3);
}
