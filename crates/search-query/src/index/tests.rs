use super::*;

fn seeds_index() -> (tempfile::TempDir, PassageIndex) {
    let scratch = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    let dir = scratch.path().join("index");
    let mut options = search_indexer::IndexOptions::new(&dir);
    options.roots = vec![seeds];
    options.threads = 1;
    search_indexer::Indexer::new(options).run(&mut ()).unwrap();
    let index = PassageIndex::open(&dir).unwrap();
    (scratch, index)
}

/// Runs `hold` on another thread, which panics while it holds what `hold` locked.
fn poison<T>(hold: impl FnOnce() -> T + Send) {
    std::thread::scope(|scope| {
        let holder = scope.spawn(|| {
            let _held = hold();
            panic!("a search panicked while holding a lock (deliberately, in a test)");
        });
        assert!(holder.join().is_err());
    });
}

/// A panic in one search (a bug, or tantivy on damaged data) must not make every
/// later search of the same `PassageIndex` panic on a poisoned lock.
#[test]
fn a_poisoned_lock_does_not_break_later_searches() {
    let (_scratch, index) = seeds_index();
    let options = SearchOptions::new();
    let before = index.search("frozen assets", &options).unwrap();
    for columns in &index.generation(&index.snapshot()).unwrap().columns {
        poison(|| columns.strings.lock());
    }
    poison(|| index.analyzers.lock());
    poison(|| index.commit_stamp.lock());
    poison(|| index.reloading.lock());
    poison(|| index.snapshot.write());
    assert!(index.analyzers.is_poisoned());
    let after = index.search("frozen assets", &options).unwrap();
    assert_eq!(before, after);
    assert!(index.reload().is_ok());
    assert!(!index
        .article(&before.hits[0].citation.doc_id)
        .unwrap()
        .is_empty());
    // The caches were recovered, not left poisoned for every later call.
    assert!(!index.analyzers.is_poisoned());
    assert!(!index.analyzers.is_poisoned());
}

/// A reload makes the new commit's generation before any search sees it: the
/// snapshot carries it, with one set of columns per segment searched.
#[test]
fn a_reload_makes_the_new_commits_generation() {
    let scratch = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    let corpus = scratch.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(&seeds).unwrap().take(3) {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    let dir = scratch.path().join("index");
    let build = || {
        let mut options = search_indexer::IndexOptions::new(&dir);
        options.roots = vec![corpus.clone()];
        options.threads = 1;
        search_indexer::Indexer::new(options).run(&mut ()).unwrap();
    };
    build();
    let index = PassageIndex::open(&dir).unwrap();
    let before = index.snapshot();
    assert!(!index.reload().unwrap());
    assert!(Arc::ptr_eq(
        &before.generation,
        &index.snapshot().generation
    ));
    std::fs::write(
        corpus.join("new.txt"),
        "A new article\n\nWitkoff met Umerov again.\n",
    )
    .unwrap();
    build();
    assert!(index.reload().unwrap());
    let after = index.snapshot();
    assert!(!Arc::ptr_eq(&before.generation, &after.generation));
    assert_eq!(
        after.generation.columns.len(),
        after.searcher.segment_readers().len()
    );
}
