//! The library an embedder relies on: the example program, path resolution, the
//! read-only index record, strict options, thread safety and one offset type.

use std::ops::Range;
use std::path::{Path, PathBuf};

use search_query::{
    CitationStatus, Feedback, IndexInfo, PassageIndex, RankingWeights, SearchError, SearchOptions,
    MAX_LIMIT,
};

use crate::build;

#[allow(dead_code)] // its `main` is the program's, not the test's
#[path = "../../examples/query_index.rs"]
mod query_index_example;

// Compile-time: one index serves many threads, and so do what it hands out.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<PassageIndex>();
    shareable::<IndexInfo>();
    shareable::<SearchOptions>();
    shareable::<SearchError>();
};

/// The seeds plus a JSONL file (one good record that mentions Miami, one line that
/// is no record), indexed in a temp folder.
fn mixed_corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = search_test_support::copy_seeds(&dir.path().join("corpus"));
    let record = serde_json::json!({
        "id": "wire-1",
        "title": "Envoys in Florida",
        "text": "Opening words.\n\nThe envoys met in Miami, caf\u{e9} in hand, on Friday.",
    });
    std::fs::write(
        corpus.join("wire.jsonl"),
        format!("{record}\nnot a record\n"),
    )
    .unwrap();
    let index = dir.path().join("index");
    build(&index, vec![corpus]);
    (dir, index)
}

#[test]
fn query_index_example_finds_every_citation_holds_jsonl_included() {
    let (_dir, index) = mixed_corpus();
    let mut out = Vec::new();
    let broken = query_index_example::run(&index, "envoys Miami", &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(broken, 0, "{out}");
    assert!(
        out.contains("wire.jsonl:1#2"),
        "a JSONL hit is printed: {out}"
    );
    let checked = out.matches("citation: ").count();
    assert!(checked > 1, "{out}");
    assert_eq!(out.matches("citation: Holds").count(), checked, "{out}");
    assert!(out.contains("source: /") || cfg!(windows), "{out}");
}

#[test]
fn source_path_resolves_a_relative_root_whatever_the_current_directory() {
    // Tests run in the crate's folder: the repository's seeds are `../../seeds`, and
    // the index records that relative name in the citations.
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    build(&index_dir, vec![PathBuf::from("../../seeds")]);
    let index = PassageIndex::open(&index_dir).unwrap();
    let hit = index
        .search("frozen assets", &SearchOptions::new().limit(1))
        .unwrap()
        .hits
        .remove(0);
    let c = &hit.citation;
    assert!(c.path.starts_with("../../seeds/"), "{}", c.path);
    let source = index.source_path(c).unwrap();
    assert!(source.is_absolute(), "{}", source.display());
    let bytes = std::fs::read(&source).unwrap();
    assert_eq!(&bytes[c.byte_range()], hit.text.as_bytes());
    assert_eq!(index.info().resolve(&c.path), source);

    let mut foreign = c.clone();
    foreign.path = "elsewhere/unknown.txt".into();
    assert_eq!(index.source_path(&foreign), None);
}

#[test]
fn index_info_reports_roots_counts_skips_and_files_read_only() {
    let (dir, index_dir) = mixed_corpus();
    let index = PassageIndex::open(&index_dir).unwrap();
    let info = index.info();
    let corpus = std::fs::canonicalize(dir.path().join("corpus")).unwrap();
    let roots: Vec<(&str, &Path)> = info.roots().collect();
    assert_eq!(roots.len(), 1);
    assert_eq!(roots[0].1, corpus.as_path());
    assert_eq!(info.file_count(), 3);
    assert_eq!(info.files().len(), 3);
    assert_eq!(info.passage_count(), index.passage_count());
    assert!(info.article_count() >= 3);
    assert!(info.source_bytes() > 0);
    let wire = info
        .files()
        .iter()
        .find(|f| f.path.ends_with("wire.jsonl"))
        .unwrap();
    assert_eq!(wire.articles, 1);
    assert_eq!(info.file(&wire.path), Some(wire));
    assert_eq!(info.resolve(&wire.path), corpus.join("wire.jsonl"));
    assert_eq!(info.skipped_records().count(), 1);
    assert_eq!(info.skipped_files().count(), 0);
    assert_eq!(info.skipped().len(), 1);
    assert!(info.analyzer_version() > 0);
    assert_eq!(info.language(), search_query::StemLanguage::default());
    assert!(info.updated_at() > std::time::UNIX_EPOCH);
}

#[test]
fn options_out_of_range_are_errors_not_clamps() {
    let (_dir, index_dir) = mixed_corpus();
    let index = PassageIndex::open(&index_dir).unwrap();
    let weights = |f: fn(&mut RankingWeights)| {
        let mut w = RankingWeights::default();
        f(&mut w);
        SearchOptions::new().ranking(w)
    };
    let feedback = |f: fn(&mut Feedback)| {
        let mut settings = Feedback::default();
        f(&mut settings);
        SearchOptions::new().feedback(Some(settings))
    };
    let cases = [
        (weights(|w| w.title = -1.0), "ranking.title"),
        (weights(|w| w.title = f32::NAN), "ranking.title"),
        (
            weights(|w| w.proximity = f32::INFINITY),
            "ranking.proximity",
        ),
        (weights(|w| w.rerank_depth = 0), "ranking.rerank_depth"),
        (feedback(|f| f.docs = 0), "feedback.docs"),
        (feedback(|f| f.docs = MAX_LIMIT + 1), "feedback.docs"),
        (feedback(|f| f.terms = 0), "feedback.terms"),
        (feedback(|f| f.terms = 100_000), "feedback.terms"),
        (
            feedback(|f| f.original_weight = 0.01),
            "feedback.original_weight",
        ),
        (
            feedback(|f| f.original_weight = 1.5),
            "feedback.original_weight",
        ),
        (
            feedback(|f| f.original_weight = f32::NAN),
            "feedback.original_weight",
        ),
    ];
    for (options, name) in cases {
        match options.validate() {
            Err(SearchError::InvalidOption { option, .. }) => assert_eq!(option, name),
            other => panic!("{name}: {other:?}"),
        }
        let refused = index.search("Miami", &options).unwrap_err();
        assert!(
            matches!(refused, SearchError::InvalidOption { option, .. } if option == name),
            "{refused}"
        );
        assert!(refused.to_string().contains(name), "{refused}");
    }
    let too_many = SearchOptions::new().limit(MAX_LIMIT + 1);
    assert!(matches!(
        too_many.validate(),
        Err(SearchError::LimitTooLarge { .. })
    ));
    // The edges are allowed, and the builder reads back what it was given.
    let edges = SearchOptions::new()
        .limit(MAX_LIMIT)
        .feedback(Some(Feedback {
            docs: 1,
            terms: 1,
            original_weight: 0.05,
        }))
        .ranking(RankingWeights {
            title: 0.0,
            proximity: 0.0,
            ..RankingWeights::default()
        });
    edges.validate().unwrap();
    assert_eq!(edges.get_limit(), MAX_LIMIT);
    assert_eq!(edges.get_feedback().map(|f| f.docs), Some(1));
    assert_eq!(edges.get_ranking().title, 0.0);
    index.search("Miami", &edges).unwrap();
}

#[test]
fn many_threads_share_one_index_and_every_citation_holds() {
    let (_dir, index_dir) = mixed_corpus();
    let index = PassageIndex::open(&index_dir).unwrap();
    let queries = ["frozen assets", "Miami", "envoys", "peace plan", "Witkof"];
    std::thread::scope(|scope| {
        let workers: Vec<_> = queries
            .iter()
            .map(|q| {
                let index = &index;
                scope.spawn(move || {
                    let hits = index.search(q, &SearchOptions::new()).unwrap().hits;
                    for hit in &hits {
                        assert_eq!(index.check(&hit.citation).unwrap(), CitationStatus::Holds);
                    }
                    hits.len()
                })
            })
            .collect();
        for worker in workers {
            assert!(worker.join().unwrap() > 0);
        }
    });
}

#[test]
fn citation_offsets_and_highlights_are_both_usize_ranges_with_the_same_json() {
    let (_dir, index_dir) = mixed_corpus();
    let index = PassageIndex::open(&index_dir).unwrap();
    let results = index.search("Miami", &SearchOptions::new()).unwrap();
    let hit = &results.hits[0];
    let cited: Range<usize> = hit.citation.byte_range();
    let highlight: &Range<usize> = &hit.highlights[0];
    assert!(highlight.end <= cited.len());
    let json = serde_json::to_value(hit).unwrap();
    assert_eq!(
        json["citation"]["byte_start"],
        serde_json::json!(cited.start)
    );
    assert_eq!(json["citation"]["byte_end"], serde_json::json!(cited.end));
    assert_eq!(
        json["highlights"][0],
        serde_json::json!([highlight.start, highlight.end])
    );
}

#[test]
fn errors_print_their_cause_once() {
    use std::error::Error;
    let (dir, index_dir) = mixed_corpus();
    let index = PassageIndex::open(&index_dir).unwrap();
    let hit = index
        .search("envoys Miami", &SearchOptions::new())
        .unwrap()
        .hits
        .into_iter()
        .find(|h| h.citation.is_record())
        .unwrap();
    std::fs::remove_file(dir.path().join("corpus/wire.jsonl")).unwrap();
    let error = index.source_text(&hit.citation).unwrap_err();
    assert!(
        matches!(error, search_query::SourceError::Unreadable { .. }),
        "{error}"
    );
    assert!(error.source().is_none(), "the I/O error is in the message");
    let invalid = SearchOptions::new()
        .ranking(RankingWeights {
            title: -1.0,
            ..RankingWeights::default()
        })
        .validate()
        .unwrap_err();
    assert!(invalid.source().is_none());
    let missing = PassageIndex::open(dir.path().join("nothing")).unwrap_err();
    assert!(missing.source().is_none());
}
