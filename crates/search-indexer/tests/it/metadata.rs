//! Article metadata through the public API: front matter and JSONL fields reach the
//! citations, edits of them are picked up by an incremental update like any other
//! change, and what is wrong with them is reported as warnings, as the files are
//! read.

use std::path::{Path, PathBuf};

use search_core::Citation;
use search_indexer::{Indexer, Progress, Warning};

use crate::util::{self, search_exact};

struct Fixture {
    _scratch: tempfile::TempDir,
    corpus: PathBuf,
    index: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let scratch = tempfile::tempdir().unwrap();
        let corpus = scratch.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let index = scratch.path().join("index");
        Fixture {
            _scratch: scratch,
            corpus,
            index,
        }
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.corpus.join(name), text).unwrap();
    }

    /// An update (or a rebuild) reporting to a recorder.
    fn update(&self, rebuild: bool) -> (search_indexer::IndexReport, Recorded) {
        let mut recorded = Recorded::default();
        let report = Indexer::new(util::options(&self.index, &[&self.corpus], rebuild))
            .run(&mut recorded)
            .unwrap();
        (report, recorded)
    }

    /// The citation of the one passage holding `word`.
    fn cited(&self, word: &str) -> Citation {
        let index = util::open(&self.index);
        let results = search_exact(&index, word, 10);
        assert_eq!(results.hits.len(), 1, "{word}: {:?}", results.hits);
        results.hits[0].citation.clone()
    }
}

/// Records the warnings an update reports, and when.
#[derive(Default)]
struct Recorded {
    warnings: Vec<Warning>,
    /// The files finished when each warning came.
    done_at_warning: Vec<usize>,
    done: usize,
}

impl Progress for Recorded {
    fn file_done(&mut self, _path: &str, _bytes: u64) {
        self.done += 1;
    }
    fn warning(&mut self, warning: &Warning) {
        self.warnings.push(warning.clone());
        self.done_at_warning.push(self.done);
    }
}

fn article(date: &str, author: &str) -> String {
    format!(
        "---\ntitle: Harbour report\nsource: Local Wire\ndate: {date}\nauthor: {author}\n---\nFerries resumed to Rottnest on Monday.\n\nQuokkas greeted the passengers.\n"
    )
}

fn record(date: &str, authors: &str) -> String {
    format!(
        "{{\"id\": \"w1\", \"title\": \"Wire\", \"date\": \"{date}\", \"authors\": {authors}, \"text\": \"Dockworkers voted to strike.\"}}\n"
    )
}

#[test]
fn an_edit_of_front_matter_or_a_record_date_is_picked_up_by_an_update() {
    let f = Fixture::new();
    f.write("harbour.md", &article("2025-12-04", "Ann Lee"));
    f.write(
        "wire.jsonl",
        &record("2025-12-01T09:00:00Z", "[\"Bo Chen\"]"),
    );
    f.write("other.txt", "Unrelated\n\nNothing about boats here.\n");
    let (first, _) = f.update(false);
    assert_eq!(first.files_indexed, 3);
    let before = f.cited("quokkas");
    assert_eq!(before.date.as_deref(), Some("2025-12-04"));
    assert_eq!(before.author.as_deref(), Some("Ann Lee"));
    assert_eq!(before.source.as_deref(), Some("Local Wire"));
    assert_eq!(
        f.cited("dockworkers").date.as_deref(),
        Some("2025-12-01T09:00:00Z")
    );

    // Only the front matter and the record's metadata change.
    let edited = article("Fri, 05 Dec 2025 08:00:00 +0100", "[Ann Lee, Cy Diaz]");
    f.write("harbour.md", &edited);
    f.write(
        "wire.jsonl",
        &record("2025-12-02", "[\"Bo Chen\", \"Dee Eve\"]"),
    );
    let (update, _) = f.update(false);
    assert_eq!(
        (update.files_indexed, update.files_unchanged),
        (2, 1),
        "{update:?}"
    );
    let after = f.cited("quokkas");
    assert_eq!(after.date.as_deref(), Some("2025-12-05T07:00:00Z"));
    assert_eq!(after.author.as_deref(), Some("Ann Lee, Cy Diaz"));
    assert_eq!(
        after.authors,
        Some(vec!["Ann Lee".to_string(), "Cy Diaz".to_string()])
    );
    // The same paragraph and line; its bytes moved with the longer front matter.
    assert_eq!(
        (after.line, after.paragraph),
        (before.line, before.paragraph)
    );
    assert_eq!(
        &edited[after.byte_range()],
        "Quokkas greeted the passengers."
    );
    let wire = f.cited("dockworkers");
    assert_eq!(wire.date.as_deref(), Some("2025-12-02"));
    assert_eq!(wire.authors.as_ref().map(Vec::len), Some(2));

    // And the update answers like a rebuild.
    let updated = f.cited("quokkas");
    f.update(true);
    assert_eq!(f.cited("quokkas"), updated);
}

#[test]
fn warnings_name_the_file_and_line_as_the_files_are_read_and_are_not_errors() {
    let f = Fixture::new();
    f.write(
        "a.md",
        "---\ntitle: 7\ndate: someday\n---\nThe assets were frozen.\n",
    );
    f.write(
        "b.txt",
        "---\ntitle: [broken\n---\nBody of the damaged one.\n",
    );
    f.write(
        "c.jsonl",
        "{\"id\": \"c1\", \"text\": \"Wire copy.\", \"author\": 5}\n{\"id\": \"c2\", \"text\": \"\"}\n",
    );
    let (report, recorded) = f.update(false);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(report.files_indexed, 3);
    assert_eq!(report.articles, 3, "the empty record is left out");
    assert_eq!(recorded.warnings, report.warnings);
    let at: Vec<(&str, Option<u64>)> = report
        .warnings
        .iter()
        .map(|w| (file_name(&w.path), w.line))
        .collect();
    assert_eq!(
        at,
        [
            ("a.md", Some(2)),
            ("a.md", Some(3)),
            // The YAML parser finds the unclosed list at its end.
            ("b.txt", Some(3)),
            ("c.jsonl", Some(1)),
            ("c.jsonl", Some(2)),
        ]
    );
    // Reported while reading: a file's warnings come before it is done.
    assert_eq!(recorded.done_at_warning, [0, 0, 1, 2, 2]);
    let text = |i: usize| report.warnings[i].to_string();
    let a = f.corpus.join("a.md");
    assert_eq!(
        text(0),
        format!("{}:2: field `title` should be a string, found a number; the article is indexed without it", a.display())
    );
    assert!(text(1).starts_with(&format!(
        "{}:3: field `date`: `someday` is not a date",
        a.display()
    )));
    assert!(text(2).contains("not valid YAML"), "{}", text(2));
    assert!(text(3).contains(
        "record `c1`: field `author` should be a string or a list of strings, found a number"
    ));
    assert!(text(4).contains("record `c2` has an empty `text`"));

    // Each file is still indexed: the broken front matter as plain text.
    let broken = f.cited("damaged");
    assert_eq!((broken.title, broken.line, broken.paragraph), (None, 4, 4));
    let frozen = f.cited("frozen");
    assert_eq!(
        (frozen.title, frozen.date, frozen.paragraph),
        (None, None, 1)
    );

    // An update that reads nothing repeats nothing.
    let (again, recorded) = f.update(false);
    assert!(again.warnings.is_empty() && recorded.warnings.is_empty());
    assert!(!again.committed);
}

#[test]
fn a_jsonl_file_of_empty_records_only_is_skipped() {
    let f = Fixture::new();
    f.write("e.jsonl", "{\"id\": \"e\", \"text\": \" \"}\n");
    f.write("ok.txt", "Fine text.\n");
    let (report, recorded) = f.update(false);
    assert_eq!(recorded.warnings.len(), 1);
    assert_eq!(report.skipped.len(), 1);
    assert!(
        report.skipped[0].reason.contains("non-empty `text`"),
        "{:?}",
        report.skipped
    );
    assert_eq!(file_name(&report.skipped[0].path), "e.jsonl");
}

/// The file name of a recorded path.
fn file_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap()
}
