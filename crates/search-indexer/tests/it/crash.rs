//! The states a writer killed mid-update leaves behind, recreated exactly, and what
//! the next update must make of them. The kill harness of the CLI tests
//! (`crates/search-cli/tests/it/concurrency.rs`) finds these states at random;
//! here each is built on purpose, so the tests are deterministic.

use std::path::{Path, PathBuf};

use search_indexer::{IndexError, Indexer};

use crate::util::{self, search_exact, Corpus, Rng, Source, TextArticle};

struct Setup {
    _scratch: tempfile::TempDir,
    corpus: Corpus,
    index: PathBuf,
}

/// Six articles, indexed; then one of them edited (so that the next update deletes
/// passages from the indexed segment) and one added.
fn setup() -> Setup {
    let scratch = tempfile::tempdir().unwrap();
    let mut corpus = Corpus::new(scratch.path().join("corpus"));
    let mut rng = Rng::new(3);
    for _ in 0..6 {
        corpus.add_text(TextArticle::random(&mut rng));
    }
    let index = scratch.path().join("index");
    util::index(&index, &[&corpus.dir], false);
    let Source::Text(mut article) = corpus.files["art_002.txt"].clone() else {
        unreachable!()
    };
    article.paragraphs[0] = "Divers found a lighthouse of turquoise glass.".into();
    corpus.put("art_002.txt", Source::Text(article));
    corpus.add_text(TextArticle {
        title: "Quarry report".into(),
        paragraphs: vec!["Geologists found jasper near the railway.".into()],
    });
    Setup {
        _scratch: scratch,
        corpus,
        index,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Adds `name` to the index's `.managed.json`, as tantivy does before it creates
/// a file.
fn register_as_managed(index: &Path, name: &str) {
    let path = index.join(".managed.json");
    let mut managed: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    managed.push(name.to_string());
    std::fs::write(&path, serde_json::to_string(&managed).unwrap()).unwrap();
}

/// A writer killed after it wrote the delete file of an indexed segment, before
/// the commit that refers to it: tantivy writes `<segment>.<opstamp>.del` (after
/// registering it in `.managed.json`) and then `meta.json`. Readers still see the
/// old commit, which is right. But the next update performs the same operations,
/// reaches the same opstamp, and must write a file of the same name.
#[test]
fn an_update_killed_after_writing_a_delete_file_does_not_block_the_next_one() {
    let s = setup();
    // Where the delete file goes: ask an identical update, run on a copy.
    let probe = s._scratch.path().join("probe");
    copy_dir(&s.index, &probe);
    util::index(&probe, &[&s.corpus.dir], false);
    let before = file_names(&s.index);
    let new_del: Vec<String> = file_names(&probe)
        .into_iter()
        .filter(|n| n.ends_with(".del") && !before.contains(n))
        .collect();
    assert_eq!(
        new_del.len(),
        1,
        "the update should write one delete file: {:?}",
        file_names(&probe)
    );
    let del = &new_del[0];

    // The killed writer's state: that file written and registered, no commit.
    register_as_managed(&s.index, del);
    std::fs::copy(probe.join(del), s.index.join(del)).unwrap();
    let index = util::open(&s.index);
    assert!(
        search_exact(&index, "jasper", 10).hits.is_empty(),
        "no commit was made"
    );
    drop(index);

    let options = util::options(&s.index, &[&s.corpus.dir], false);
    let outcome = Indexer::new(options.clone()).run(&mut ());
    let retry = match &outcome {
        Ok(_) => String::new(),
        Err(_) => match Indexer::new(options).run(&mut ()) {
            Ok(_) => " (a second attempt succeeded)".into(),
            Err(e) => format!(" (a second attempt failed the same way: {e})"),
        },
    };
    match outcome {
        Ok(report) => assert!(report.committed),
        Err(IndexError::Engine(e)) => panic!(
            "after a writer was killed with {del} written but not committed, the next update fails: {e}{retry}\nindex files: {:?}",
            file_names(&s.index)
        ),
        Err(e) => panic!("unexpected error: {e}"),
    }
    let index = util::open(&s.index);
    assert_eq!(search_exact(&index, "jasper", 10).hits.len(), 1);
    assert_eq!(search_exact(&index, "turquoise", 10).hits.len(), 1);
}

/// A writer killed inside tantivy's atomic write of `meta.json` or
/// `.managed.json` (a temporary file, then a rename) leaves the temporary file.
/// tantivy does not track it, so nothing ever removes it unless the indexer does.
#[test]
fn temporary_files_of_a_killed_writer_are_removed_by_the_next_update() {
    let s = setup();
    // The name tantivy's `atomic_write` (the tempfile crate) gives it.
    let leftover = s.index.join(".tmpK1LLed");
    std::fs::write(&leftover, b"{\"segments\":[").unwrap();
    let report = util::index(&s.index, &[&s.corpus.dir], false);
    assert!(report.committed);
    assert!(
        !leftover.exists(),
        "a complete update left the killed writer's temporary file: {:?}",
        file_names(&s.index)
    );
}
