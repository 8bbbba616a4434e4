//! Passage text is stored compressed, a group of passages at a time, with a
//! dictionary trained on the corpus: what a hit says it quotes must still be
//! exactly the cited bytes, through builds, updates, dictionaries and rebuilds.

use std::path::Path;

use search_core::stored_text::{DICTIONARY_PREFIX, TRAINING_BYTES};
use search_query::{PassageIndex, SearchResults};

use crate::util::{self, paragraph, Corpus, Rng, Source, TextArticle};

/// Enough articles for a dictionary, plus one article long enough to need several
/// passage groups.
fn large_corpus(dir: &Path, rng: &mut Rng) -> Corpus {
    let mut corpus = Corpus::new(dir.to_path_buf());
    grow(&mut corpus, rng);
    corpus
}

fn grow(corpus: &mut Corpus, rng: &mut Rng) {
    let mut bytes = 0;
    while bytes < TRAINING_BYTES + TRAINING_BYTES / 4 {
        let article = TextArticle::random(rng);
        bytes += article.render().len();
        corpus.add_text(article);
    }
    let long = TextArticle {
        title: "Long harbor report".into(),
        paragraphs: (0..400).map(|_| paragraph(rng)).collect(),
    };
    corpus.put("long.txt", Source::Text(long));
}

fn dictionary_files(index: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(DICTIONARY_PREFIX))
        .collect();
    names.sort();
    names
}

/// Every hit's text is exactly the bytes its citation points at, and returns how
/// many hits were checked.
fn assert_hits_quote_their_sources(corpus: &Corpus, results: &SearchResults) -> usize {
    for hit in &results.hits {
        let name = Path::new(&hit.citation.path).file_name().unwrap();
        let bytes = std::fs::read(corpus.path(&name.to_string_lossy())).unwrap();
        let cited = &bytes[hit.citation.byte_range()];
        assert_eq!(
            std::str::from_utf8(cited).unwrap(),
            hit.text,
            "{:?}",
            hit.citation
        );
    }
    results.hits.len()
}

fn check_queries(index: &PassageIndex, corpus: &Corpus) {
    let mut checked = 0;
    for query in ["harbor minister", "trade senate", "id:long", "ministry"] {
        checked += assert_hits_quote_their_sources(corpus, &util::search_exact(index, query, 50));
    }
    assert!(checked > 100, "only {checked} hits checked");
}

#[test]
fn a_large_corpus_is_compressed_with_a_trained_dictionary() {
    let scratch = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(7);
    let corpus = large_corpus(&scratch.path().join("corpus"), &mut rng);
    let dir = scratch.path().join("index");
    util::index(&dir, &[&corpus.dir], false);

    let index = util::open(&dir);
    let named = index
        .info()
        .record()
        .text_dictionary
        .clone()
        .expect("a dictionary");
    assert_eq!(dictionary_files(&dir), vec![named]);
    check_queries(&index, &corpus);
    // Every passage of the long article reads back, whichever group it is in.
    let long = util::search_exact(&index, "id:long", 1000);
    assert_eq!(long.hits.len(), 400);
    assert_hits_quote_their_sources(&corpus, &long);
}

#[test]
fn updates_keep_the_dictionary_and_rebuilds_replace_it() {
    let scratch = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(11);
    let mut corpus = large_corpus(&scratch.path().join("corpus"), &mut rng);
    let dir = scratch.path().join("index");
    util::index(&dir, &[&corpus.dir], false);
    let first = dictionary_files(&dir);

    // An edit re-indexes one file with the same dictionary; the deleted passages'
    // text (read back for the statistics) still decodes.
    corpus.put("long.txt", Source::Text(TextArticle::random(&mut rng)));
    let report = util::index(&dir, &[&corpus.dir], false);
    assert_eq!(report.files_indexed, 1);
    assert_eq!(dictionary_files(&dir), first);
    let index = util::open(&dir);
    check_queries(&index, &corpus);
    let fresh = scratch.path().join("fresh");
    util::index(&fresh, &[&corpus.dir], true);
    let ranking = |i: &PassageIndex| -> Vec<(String, u64, f32)> {
        util::search_exact(i, "harbor senate", 20)
            .hits
            .iter()
            .map(|h| (h.citation.doc_id.clone(), h.citation.paragraph, h.score))
            .collect()
    };
    assert_eq!(ranking(&index), ranking(&util::open(&fresh)));

    // A rebuild over a different corpus trains a new dictionary; the old file goes.
    for name in corpus.names_of(false).into_iter().take(200) {
        corpus.remove(&name);
    }
    util::index(&dir, &[&corpus.dir], true);
    let rebuilt = dictionary_files(&dir);
    assert_eq!(rebuilt.len(), 1);
    assert_ne!(rebuilt, first);
    check_queries(&util::open(&dir), &corpus);
}

#[test]
fn a_small_index_that_grows_gains_a_dictionary_and_keeps_its_older_text() {
    let scratch = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(13);
    let mut corpus = Corpus::new(scratch.path().join("corpus"));
    for _ in 0..5 {
        corpus.add_text(TextArticle::random(&mut rng));
    }
    let dir = scratch.path().join("index");
    util::index(&dir, &[&corpus.dir], false);
    assert!(util::open(&dir).info().record().text_dictionary.is_none());
    assert!(dictionary_files(&dir).is_empty());

    grow(&mut corpus, &mut rng);
    util::index(&dir, &[&corpus.dir], false);
    let index = util::open(&dir);
    assert!(index.info().record().text_dictionary.is_some());
    check_queries(&index, &corpus);
    // The five first articles were written without the dictionary.
    for id in ["art_000", "art_004"] {
        let hits = util::search_exact(&index, &format!("id:{id}"), 100);
        assert!(assert_hits_quote_their_sources(&corpus, &hits) > 0, "{id}");
    }
}

/// Builds an index with a dictionary, lets `damage` loose on the dictionary file,
/// and checks that reading and updating report a corrupt index (never a panic)
/// and that a rebuild repairs it.
fn assert_dictionary_damage_is_reported_and_repaired(seed: u64, damage: impl Fn(&Path)) {
    let scratch = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(seed);
    let corpus = large_corpus(&scratch.path().join("corpus"), &mut rng);
    let dir = scratch.path().join("index");
    util::index(&dir, &[&corpus.dir], false);
    for name in dictionary_files(&dir) {
        damage(&dir.join(name));
    }

    let error = PassageIndex::open(&dir).unwrap_err();
    assert!(
        matches!(error, search_query::SearchError::Corrupt { .. }),
        "{error}"
    );
    let update = search_indexer::Indexer::new(util::options(&dir, &[&corpus.dir], false))
        .run(&mut ())
        .unwrap_err();
    assert!(
        matches!(update, search_indexer::IndexError::Corrupt { .. }),
        "{update}"
    );

    util::index(&dir, &[&corpus.dir], true);
    check_queries(&util::open(&dir), &corpus);
}

#[test]
fn a_missing_dictionary_is_reported_with_the_remedy_and_a_rebuild_repairs_it() {
    assert_dictionary_damage_is_reported_and_repaired(17, |path| {
        std::fs::remove_file(path).unwrap()
    });
}

#[test]
fn a_damaged_dictionary_is_an_error_not_a_panic() {
    // The header (magic number, id) survives; the entropy tables behind it do not.
    // The rebuild trains the very same dictionary, so its file must be rewritten.
    assert_dictionary_damage_is_reported_and_repaired(19, |path| {
        let mut bytes = std::fs::read(path).unwrap();
        for byte in &mut bytes[8..200] {
            *byte = 0xff;
        }
        std::fs::write(path, bytes).unwrap();
    });
}
