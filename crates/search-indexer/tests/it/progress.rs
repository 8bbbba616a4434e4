//! Progress reports while an update runs: a bar for one large JSONL file moves as
//! the file is read, not only when it is done.

use search_indexer::{Indexer, Progress};

use crate::util::{self, Rng};

/// Records what an update reports.
#[derive(Default)]
struct Recorded {
    started: Option<u64>,
    reading: Vec<u64>,
    done: Vec<u64>,
}

impl Progress for Recorded {
    fn start(&mut self, _files: usize, bytes: u64) {
        self.started = Some(bytes);
    }
    fn reading(&mut self, bytes: u64) {
        assert!(
            self.done.is_empty(),
            "reading reported after the file was done"
        );
        self.reading.push(bytes);
    }
    fn file_done(&mut self, _path: &str, bytes: u64) {
        self.done.push(bytes);
    }
}

#[test]
fn a_large_jsonl_file_reports_progress_while_it_is_read() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let mut rng = Rng::new(3);
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 5 << 20 {
        text.push_str(&util::Record::random(&mut rng, format!("r{i}")).render());
        text.push('\n');
        i += 1;
    }
    std::fs::write(corpus.join("wire.jsonl"), &text).unwrap();
    let mut recorded = Recorded::default();
    Indexer::new(util::options(
        &scratch.path().join("index"),
        &[&corpus],
        false,
    ))
    .run(&mut recorded)
    .unwrap();
    let size = text.len() as u64;
    assert_eq!(recorded.started, Some(size));
    assert_eq!(recorded.done, [size]);
    assert!(recorded.reading.len() >= 4, "{:?}", recorded.reading);
    assert!(recorded.reading.windows(2).all(|w| w[0] < w[1]));
    assert!(recorded.reading.iter().all(|&b| b <= size));
}
