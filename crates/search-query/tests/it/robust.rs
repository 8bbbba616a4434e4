//! Odd folders, damaged indexes, and queries or limits at the edges: each ends in its
//! own typed error with one complete message, never in a panic or a misdiagnosis.

use std::error::Error as _;
use std::path::Path;

use search_core::folder::{INDEX_MARKER, MARKER_TEXT};
use search_query::{
    PassageIndex, SearchError, SearchOptions, MAX_LIMIT, MAX_QUERY_BYTES, MAX_QUERY_WORDS,
};

use search_test_support::damage::{damage_zstd_frames, skip_index, store_file};

use super::seeds_fixture;

fn open_error(dir: &Path) -> SearchError {
    PassageIndex::open(dir).expect_err("opened something that is not a usable index")
}

/// The message is complete on its own, and nothing in the chain repeats it.
fn assert_one_message(error: &SearchError) {
    assert!(error.source().is_none(), "{error}: has a source");
    let text = error.to_string();
    assert!(!text.contains('\n'), "{text:?}");
    assert!(!text.contains("Internal error"), "{text:?}");
}

#[test]
fn an_index_path_naming_a_file_is_not_a_folder() {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("notes.txt");
    std::fs::write(&file, "not an index").unwrap();
    let error = open_error(&file);
    assert!(matches!(error, SearchError::NotADirectory(_)), "{error:?}");
    assert!(error.to_string().contains("is a file"), "{error}");
    assert_one_message(&error);
}

/// A tantivy index of some other program, with another schema and no payload.
fn foreign_tantivy_index(dir: &Path) {
    use tantivy::schema::{Schema, TEXT};
    std::fs::create_dir_all(dir).unwrap();
    let mut schema = Schema::builder();
    let body = schema.add_text_field("body", TEXT);
    let index = tantivy::Index::create_in_dir(dir, schema.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    writer
        .add_document(tantivy::doc!(body => "someone else's words"))
        .unwrap();
    writer.commit().unwrap();
}

#[test]
fn folders_that_are_not_ours_are_not_an_index_and_not_corrupt() {
    let scratch = tempfile::tempdir().unwrap();
    let unrelated = scratch.path().join("unrelated");
    std::fs::create_dir(&unrelated).unwrap();
    std::fs::write(unrelated.join("meta.json"), r#"{"name": "my project"}"#).unwrap();
    let tantivy = scratch.path().join("tantivy");
    foreign_tantivy_index(&tantivy);
    let documents = scratch.path().join("documents");
    std::fs::create_dir(&documents).unwrap();
    std::fs::write(documents.join("thesis.txt"), "chapter one").unwrap();
    for dir in [&unrelated, &tantivy, &documents] {
        let error = open_error(dir);
        assert!(
            matches!(error, SearchError::NotAnIndex { .. }),
            "{}: {error:?}",
            dir.display()
        );
        let text = error.to_string();
        assert!(text.contains("not a search index"), "{text}");
        assert!(
            !text.contains("corrupt") && !text.contains("rebuild"),
            "{text}"
        );
        assert_one_message(&error);
    }
}

/// The indexer marks a folder first, then tantivy writes a `meta.json` without a
/// payload when it creates the index; a build killed before its first commit leaves
/// that (or only the marker) behind.
#[test]
fn an_interrupted_first_build_is_incomplete_not_incompatible() {
    let scratch = tempfile::tempdir().unwrap();
    let marker_only = scratch.path().join("marker-only");
    std::fs::create_dir(&marker_only).unwrap();
    std::fs::write(marker_only.join(INDEX_MARKER), MARKER_TEXT).unwrap();
    let created = scratch.path().join("created");
    std::fs::create_dir(&created).unwrap();
    std::fs::write(created.join(INDEX_MARKER), MARKER_TEXT).unwrap();
    let (schema, _) = search_core::PassageFields::build();
    tantivy::Index::create_in_dir(&created, schema).unwrap();
    for dir in [&marker_only, &created] {
        let error = open_error(dir);
        assert!(
            matches!(error, SearchError::Incomplete(_)),
            "{}: {error:?}",
            dir.display()
        );
        let text = error.to_string();
        assert!(text.contains("interrupted"), "{text}");
        // The library says what failed; the remedy (a command) is the CLI's.
        assert!(!text.contains("search index"), "{text}");
        assert!(!text.contains("incompatible"), "{text}");
        assert_one_message(&error);
    }
}

#[test]
fn a_marked_index_that_does_not_read_is_corrupt() {
    let f = seeds_fixture();
    std::fs::write(f.index.join(INDEX_MARKER), MARKER_TEXT).unwrap();
    PassageIndex::open(&f.index).expect("a marked index opens");
    std::fs::write(f.index.join("meta.json"), b"{ not json").unwrap();
    let error = open_error(&f.index);
    assert!(matches!(error, SearchError::Corrupt { .. }), "{error:?}");
    assert_one_message(&error);
}

#[test]
fn huge_limits_are_refused_not_a_panic() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    for limit in [1_152_921_504_606_846_976, usize::MAX, MAX_LIMIT + 1] {
        let error = index
            .search("Miami", &SearchOptions::new().limit(limit))
            .expect_err("a limit past the maximum");
        assert!(
            matches!(error, SearchError::LimitTooLarge { max: MAX_LIMIT, .. }),
            "{error:?}"
        );
        assert!(
            error.to_string().contains(&MAX_LIMIT.to_string()),
            "{error}"
        );
    }
    // The maximum itself is served, per article too (the collector is sized by the
    // index, not by the limit).
    for per_article in [false, true] {
        let options = SearchOptions::new()
            .limit(MAX_LIMIT)
            .per_article(per_article);
        let results = index.search("Miami", &options).unwrap();
        assert!(!results.hits.is_empty());
    }
}

/// `MAX_QUERY_WORDS` distinct made-up words (no two alike, none indexed).
fn filler(words: usize) -> String {
    (0..words)
        .map(|i| format!("zq{i:04}x"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn words_past_the_maximum_are_dropped_with_a_warning() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let options = SearchOptions::new().typo_tolerance(false);
    let warned = |warnings: &[String]| {
        warnings
            .iter()
            .any(|w| w.contains(&format!("only the first {MAX_QUERY_WORDS}")))
    };
    // The first words are searched...
    let first = format!("Miami {}", filler(MAX_QUERY_WORDS + 50));
    let results = index.search(&first, &options).unwrap();
    assert!(warned(&results.warnings), "{:?}", results.warnings);
    assert!(!results.hits.is_empty());
    assert!(results.hits[0].text.contains("Miami"));
    // ...the last are not.
    let last = format!("{} Miami", filler(MAX_QUERY_WORDS + 50));
    let results = index.search(&last, &options).unwrap();
    assert!(warned(&results.warnings), "{:?}", results.warnings);
    assert!(results.hits.is_empty(), "{:?}", results.hits[0].text);
    // At the maximum, nothing is dropped.
    let exact = format!("Miami {}", filler(MAX_QUERY_WORDS - 1));
    let results = index.search(&exact, &options).unwrap();
    assert!(results.warnings.is_empty(), "{:?}", results.warnings);
    // Typo tolerance stays bounded on many rare words, and still finds hits.
    let results = index
        .search(&first, &SearchOptions::new())
        .expect("typo tolerance on many rare words");
    assert!(!results.hits.is_empty());
}

#[test]
fn overlong_queries_are_refused() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    let query = "Miami ".repeat(MAX_QUERY_BYTES / 6 + 1);
    let error = index
        .search(&query, &SearchOptions::new())
        .expect_err("a query past the maximum length");
    assert!(
        matches!(
            error,
            SearchError::QueryTooLong {
                max: MAX_QUERY_BYTES,
                ..
            }
        ),
        "{error:?}"
    );
    assert_one_message(&error);
}

#[test]
fn emoji_and_symbols_alone_are_nothing_searchable_not_empty() {
    let f = seeds_fixture();
    let index = PassageIndex::open(&f.index).unwrap();
    for query in ["🙂", "@", "🙂 🎉 @", "!!! ---", "+@", "title:🙂"] {
        let error = index.search(query, &SearchOptions::new()).expect_err(query);
        assert!(
            matches!(error, SearchError::NothingSearchable(_)),
            "{query:?}: {error:?}"
        );
        let text = error.to_string();
        assert!(text.contains("nothing searchable"), "{text}");
        assert!(!text.contains("empty"), "{text}");
    }
    for query in ["", "  ", "+ -"] {
        let error = index.search(query, &SearchOptions::new()).expect_err(query);
        assert!(
            matches!(error, SearchError::EmptyQuery),
            "{query:?}: {error:?}"
        );
    }
    // A searchable word next to symbols is searched.
    assert!(!index
        .search("🙂 Miami @", &SearchOptions::new())
        .unwrap()
        .hits
        .is_empty());
}

#[test]
fn damaged_passage_groups_are_a_corrupt_index_with_one_message() {
    let f = seeds_fixture();
    damage_zstd_frames(&store_file(&f.index));
    let index = PassageIndex::open(&f.index).unwrap();
    let error = index
        .search("Miami", &SearchOptions::new())
        .expect_err("damaged text was returned");
    assert!(matches!(error, SearchError::Corrupt { .. }), "{error:?}");
    assert!(error.to_string().contains("stored passage text"), "{error}");
    assert_one_message(&error);
}

/// tantivy panics on some damage to a store's skip index or footer (an `unwrap` on a
/// varint, a slice out of range): the panic is the damage, and is reported as such.
#[test]
fn damaged_store_skip_index_is_a_corrupt_index_not_a_panic() {
    let f = seeds_fixture();
    let store = store_file(&f.index);
    let original = std::fs::read(&store).unwrap();
    let expected: Vec<String> = PassageIndex::open(&f.index)
        .unwrap()
        .search("Miami", &SearchOptions::new())
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.text)
        .collect();
    let region = skip_index(&original);
    assert!(!region.is_empty());
    let mut caught = 0;
    for at in region.start..region.end + 13 {
        let mut bytes = original.clone();
        bytes[at] ^= 0xff;
        std::fs::write(&store, &bytes).unwrap();
        let outcome = PassageIndex::open(&f.index)
            .and_then(|index| index.search("Miami", &SearchOptions::new()));
        match outcome {
            Ok(results) => {
                let texts: Vec<String> = results.hits.into_iter().map(|h| h.text).collect();
                assert_eq!(texts, expected, "byte {at}: different hits, no error");
            }
            Err(error @ SearchError::Corrupt { .. }) => {
                assert_one_message(&error);
                caught += 1;
            }
            Err(error) => panic!("byte {at}: {error:?}"),
        }
    }
    assert!(caught > 0, "no damage was noticed at all");
    std::fs::write(&store, original).unwrap();
}
