//! Indexing progress on stderr: a bar on a terminal, a summary line either way.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use search_indexer::{IndexReport, Progress, Skipped};

/// Reports progress to stderr.
pub struct StderrProgress {
    bar: Option<ProgressBar>,
}

impl StderrProgress {
    /// A bar when stderr is a terminal, otherwise quiet until the summary.
    pub fn new() -> StderrProgress {
        StderrProgress { bar: None }
    }

    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Prints the one-line summary of a finished update.
    pub fn finish(&mut self, report: &IndexReport) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        eprintln!("{}", summary(report));
    }
}

impl Progress for StderrProgress {
    fn start(&mut self, _files: usize, bytes: u64) {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(bytes);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} indexing [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {msg}",
                )
                .expect("progress template is valid")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            self.bar = Some(bar);
        }
    }

    fn file_done(&mut self, _path: &str, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    fn skipped(&mut self, skipped: &Skipped) {
        self.say(&format!("skipped {}: {}", skipped.path, skipped.reason));
    }

    fn committing(&mut self) {
        if let Some(bar) = &self.bar {
            bar.set_message("committing");
        }
    }
}

/// `indexed 2 files (2 articles, 25 passages, 6.1 KiB) in 0.05 s, 0.12 MiB/s; ...`
pub fn summary(r: &IndexReport) -> String {
    let secs = r.elapsed.as_secs_f64();
    let mib = r.bytes as f64 / (1024.0 * 1024.0);
    let rate = if secs > 0.0 { mib / secs } else { 0.0 };
    let mut line = format!(
        "{} {} files ({} articles, {} passages, {}) in {:.2} s, {:.1} MiB/s",
        if r.rebuilt {
            "rebuilt: indexed"
        } else {
            "indexed"
        },
        r.files_indexed,
        r.articles,
        r.passages,
        human_bytes(r.bytes),
        secs,
        rate
    );
    line.push_str(&format!(
        "; {} unchanged, {} removed, {} skipped; index holds {} files, {} passages",
        r.files_unchanged,
        r.files_removed,
        r.skipped.len(),
        r.total_files,
        r.total_passages
    ));
    if !r.committed {
        line.push_str(" (already up to date)");
    }
    line
}

fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else if b >= 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{bytes} B")
    }
}
