//! Incremental updates do only the work the change needs: what `IndexReport` says
//! was re-read, kept and removed, and what the index answers afterwards.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use search_indexer::IndexReport;

use crate::util::{self, search_exact, Corpus, Record, Rng, Source, TextArticle};

/// One word per file that no other file holds, so queries can tell files apart.
const MARKERS: &[&str] = &[
    "amethyst", "basalt", "cinnabar", "dolomite", "emerald", "feldspar", "garnet", "hematite",
];
const N: usize = MARKERS.len();

struct Fixture {
    _scratch: tempfile::TempDir,
    corpus: Corpus,
    index: PathBuf,
}

impl Fixture {
    /// N articles, each with its marker word in paragraph 2, indexed.
    fn new() -> Fixture {
        let scratch = tempfile::tempdir().unwrap();
        let mut corpus = Corpus::new(scratch.path().join("corpus"));
        let mut rng = Rng::new(7);
        for marker in MARKERS {
            let mut article = TextArticle::random(&mut rng);
            article
                .paragraphs
                .insert(1, format!("Geologists found {marker} near the harbor."));
            corpus.add_text(article);
        }
        let index = scratch.path().join("index");
        let fixture = Fixture {
            _scratch: scratch,
            corpus,
            index,
        };
        let first = fixture.update();
        assert_eq!(
            (
                first.files_indexed,
                first.files_unchanged,
                first.files_removed
            ),
            (N, 0, 0)
        );
        fixture
    }

    fn update(&self) -> IndexReport {
        let report = util::index(&self.index, &[&self.corpus.dir], false);
        // The report's totals are the index's.
        let index = util::open(&self.index);
        assert_eq!(report.total_passages, index.passage_count(), "{report:?}");
        assert_eq!(report.total_files, index.info().file_count(), "{report:?}");
        report
    }

    fn name(&self, i: usize) -> String {
        format!("art_{i:03}.txt")
    }

    fn path(&self, i: usize) -> PathBuf {
        self.corpus.path(&self.name(i))
    }

    fn article(&self, i: usize) -> TextArticle {
        match &self.corpus.files[&self.name(i)] {
            Source::Text(article) => article.clone(),
            Source::Jsonl(_) => unreachable!(),
        }
    }

    /// Paths and (paragraph, line) of the passages that hold `word`.
    fn found(&self, word: &str) -> Vec<(String, u64, u64)> {
        let index = util::open(&self.index);
        search_exact(&index, word, 100)
            .hits
            .iter()
            .map(|h| {
                let c = &h.citation;
                (file_name(&c.path), c.paragraph, c.line)
            })
            .collect()
    }
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn counts(report: &IndexReport) -> (usize, usize, usize) {
    (
        report.files_indexed,
        report.files_unchanged,
        report.files_removed,
    )
}

#[test]
fn an_unchanged_corpus_is_neither_reread_nor_committed() {
    let f = Fixture::new();
    let report = f.update();
    assert_eq!(counts(&report), (0, N, 0), "{report:?}");
    assert_eq!(report.bytes, 0, "{report:?}");
    assert!(!report.committed, "nothing changed, yet a commit was made");
}

#[test]
fn editing_one_file_reindexes_exactly_that_file() {
    let mut f = Fixture::new();
    let before = util::open(&f.index).passage_count();
    let mut article = f.article(3);
    article.paragraphs[1] = "Geologists found obsidian near the harbor.".into();
    article
        .paragraphs
        .push("A new closing paragraph about the railway.".into());
    let name = f.name(3);
    f.corpus.put(&name, Source::Text(article));

    let report = f.update();
    assert_eq!(counts(&report), (1, N - 1, 0), "{report:?}");
    assert!(report.committed);
    assert_eq!(report.passages, f.article(3).paragraphs.len() as u64);
    assert_eq!(util::open(&f.index).passage_count(), before + 1);
    assert_eq!(
        f.found(MARKERS[3]),
        vec![],
        "the replaced paragraph is still found"
    );
    assert_eq!(f.found("obsidian"), vec![(name, 2, 4)]);
    // The other files' passages are untouched.
    for (i, marker) in MARKERS.iter().enumerate().filter(|(i, _)| *i != 3) {
        assert_eq!(f.found(marker), vec![(f.name(i), 2, 4)], "{marker}");
    }
}

#[test]
fn an_edit_that_keeps_the_size_is_seen() {
    let mut f = Fixture::new();
    let mut article = f.article(5);
    let size = std::fs::metadata(f.path(5)).unwrap().len();
    // "feldspar" -> "sapphire": same length.
    article.paragraphs[1] = "Geologists found sapphire near the harbor.".into();
    let name = f.name(5);
    f.corpus.put(&name, Source::Text(article));
    assert_eq!(std::fs::metadata(f.path(5)).unwrap().len(), size);

    let report = f.update();
    assert_eq!(counts(&report), (1, N - 1, 0), "{report:?}");
    assert_eq!(f.found("feldspar"), vec![]);
    assert_eq!(f.found("sapphire"), vec![(name, 2, 4)]);
}

#[test]
fn touching_a_file_reindexes_nothing() {
    let f = Fixture::new();
    let file = std::fs::File::options()
        .write(true)
        .open(f.path(2))
        .unwrap();
    file.set_modified(SystemTime::now() + Duration::from_secs(90))
        .unwrap();
    drop(file);

    let report = f.update();
    assert_eq!(counts(&report), (0, N, 0), "{report:?}");
    assert_eq!(report.passages, 0, "{report:?}");
    // The new time is recorded, so the next update does not even hash the file...
    let again = f.update();
    assert_eq!(counts(&again), (0, N, 0), "{again:?}");
    assert!(!again.committed, "{again:?}");
    // ...and hits from it are not stale.
    let index = util::open(&f.index);
    let hits = search_exact(&index, MARKERS[2], 10).hits;
    assert_eq!(hits.len(), 1);
    assert!(!hits[0].stale, "{:?}", hits[0]);
}

#[test]
fn deleting_a_file_removes_it_and_its_passages() {
    let mut f = Fixture::new();
    let before = util::open(&f.index).passage_count();
    let gone = f.article(6).paragraphs.len() as u64;
    let name = f.name(6);
    f.corpus.remove(&name);

    let report = f.update();
    assert_eq!(counts(&report), (0, N - 1, 1), "{report:?}");
    assert!(report.committed);
    assert_eq!(report.total_files, N - 1);
    let index = util::open(&f.index);
    assert_eq!(index.passage_count(), before - gone);
    assert_eq!(f.found(MARKERS[6]), vec![]);
    assert!(index.article("art_006").unwrap().is_empty());
    assert!(index
        .info()
        .file(&f.path(6).display().to_string())
        .is_none());
}

#[test]
fn adding_a_file_indexes_exactly_that_file() {
    let mut f = Fixture::new();
    let name = f.corpus.add_text(TextArticle {
        title: "Quarry report".into(),
        paragraphs: vec!["Geologists found jasper near the railway.".into()],
    });

    let report = f.update();
    assert_eq!(counts(&report), (1, N, 0), "{report:?}");
    assert_eq!(report.passages, 1);
    assert_eq!(f.found("jasper"), vec![(name, 1, 3)]);
}

#[test]
fn editing_a_jsonl_record_reindexes_that_file_alone() {
    let mut f = Fixture::new();
    let mut rng = Rng::new(11);
    let mut records: Vec<Record> = (0..3).map(|_| f.corpus.new_record(&mut rng)).collect();
    records[1].paragraphs = vec!["Divers saw turquoise reefs.".into()];
    let wire = "wire.jsonl";
    f.corpus.put(wire, Source::Jsonl(records.clone()));
    assert_eq!(counts(&f.update()), (1, N, 0));
    assert_eq!(f.found("turquoise"), vec![(wire.to_string(), 1, 2)]);

    records[1].paragraphs = vec!["Divers saw malachite reefs.".into()];
    f.corpus.put(wire, Source::Jsonl(records));
    let report = f.update();
    assert_eq!(counts(&report), (1, N, 0), "{report:?}");
    assert_eq!(f.found("turquoise"), vec![]);
    assert_eq!(f.found("malachite"), vec![(wire.to_string(), 1, 2)]);
    // The file's other records are still there, once each.
    let index = util::open(&f.index);
    for id in ["rec-0", "rec-2"] {
        let passages = index.article(id).unwrap();
        assert!(!passages.is_empty(), "{id} is gone");
        let mut numbers: Vec<u64> = passages.iter().map(|c| c.paragraph).collect();
        numbers.dedup();
        assert_eq!(
            numbers.len(),
            passages.len(),
            "{id} indexed twice: {passages:?}"
        );
    }
}
