//! Indexing progress on stderr: a bar on a terminal, a summary line either way
//! (neither under `-q`; skipped files are always listed, as they explain exit 5).
//! Warnings about the files read (a metadata field of the wrong type, a date that
//! does not parse, a malformed front matter) are printed as they are found, as
//! `warning: PATH:LINE: …`, and like every warning are silenced by `-q`: they do
//! not change the exit status.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use search_indexer::{IndexReport, Progress, Skipped, Warning};

use crate::render::safe;

/// Reports progress to stderr.
pub struct StderrProgress {
    bar: Option<ProgressBar>,
    /// Bytes of the files finished so far.
    done: u64,
}

impl StderrProgress {
    /// A bar when stderr is a terminal, otherwise quiet until the summary.
    pub fn new() -> StderrProgress {
        StderrProgress { bar: None, done: 0 }
    }

    /// Prints a line on stderr, above the bar when there is one. Corpus text in
    /// it (paths, values) is escaped by the caller.
    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            // A closed stderr must not turn into a panic (eprintln! would).
            None => {
                use std::io::Write;
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
        }
    }

    /// Prints the one-line summary of a finished update.
    pub fn finish(&mut self, report: &IndexReport) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if !crate::messages::quiet() {
            eprintln!("{}", summary(report));
        }
    }
}

impl Progress for StderrProgress {
    fn start(&mut self, _files: usize, bytes: u64) {
        if std::io::stderr().is_terminal() && !crate::messages::quiet() {
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

    fn reading(&mut self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.done + bytes);
        }
    }

    fn file_done(&mut self, _path: &str, bytes: u64) {
        self.done += bytes;
        if let Some(bar) = &self.bar {
            bar.set_position(self.done);
        }
    }

    fn skipped(&mut self, skipped: &Skipped) {
        self.say(&format!(
            "skipped {}: {}",
            safe(&skipped.path),
            safe(&skipped.reason)
        ));
    }

    fn warning(&mut self, warning: &Warning) {
        if !crate::messages::quiet() {
            self.say(&format!("warning: {}", safe(&warning.to_string())));
        }
    }

    fn committing(&mut self) {
        if let Some(bar) = &self.bar {
            bar.set_message("committing");
        }
    }
}

/// `built: indexed 2 files (2 articles, 25 passages, 6.1 KiB) in 0.05 s; ...`: what an
/// update did, and what the index holds after it.
pub fn summary(r: &IndexReport) -> String {
    let secs = r.elapsed.as_secs_f64();
    let what = if r.created {
        "built: indexed"
    } else if r.rebuilt {
        "rebuilt: indexed"
    } else {
        "indexed"
    };
    let mut line = format!(
        "{what} {} ({}, {}, {}) in {secs:.2} s",
        count(r.files_indexed as u64, "file"),
        count(r.articles, "article"),
        count(r.passages, "passage"),
        human_bytes(r.bytes),
    );
    // A rate over a few KiB or a few milliseconds says nothing.
    if r.bytes >= 1024 * 1024 && secs >= 0.05 {
        let mib = r.bytes as f64 / (1024.0 * 1024.0);
        line.push_str(&format!(", {:.1} MiB/s", mib / secs));
    }
    line.push_str(&format!(
        "; {} unchanged, {} removed, {} skipped",
        r.files_unchanged,
        r.files_removed,
        r.skipped.len(),
    ));
    if !r.warnings.is_empty() {
        line.push_str(&format!(", {}", count(r.warnings.len() as u64, "warning")));
    }
    line.push_str(&format!(
        "; the index holds {}, {}",
        count(r.total_files as u64, "file"),
        count(r.total_passages, "passage"),
    ));
    if !r.committed {
        line.push_str(" (already up to date)");
    }
    line
}

/// `1 file`, `2 files`.
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_in_words_and_names_a_first_build() {
        let report = IndexReport {
            files_indexed: 1,
            articles: 1,
            passages: 2,
            bytes: 300,
            created: true,
            rebuilt: true,
            committed: true,
            total_files: 1,
            total_passages: 2,
            elapsed: Duration::from_millis(40),
            ..IndexReport::default()
        };
        let line = summary(&report);
        assert!(
            line.starts_with("built: indexed 1 file (1 article, 2 passages, 300 B) in 0.04 s;"),
            "{line}"
        );
        assert!(!line.contains("MiB/s"), "{line}");
        assert!(
            line.ends_with("the index holds 1 file, 2 passages"),
            "{line}"
        );
        let line = summary(&IndexReport {
            created: false,
            bytes: 8 << 20,
            elapsed: Duration::from_secs(2),
            ..report
        });
        assert!(line.starts_with("rebuilt: indexed 1 file"), "{line}");
        assert!(line.contains(", 4.0 MiB/s;"), "{line}");
        let warning = Warning {
            path: "a.md".into(),
            line: Some(2),
            message: "m".into(),
        };
        let line = summary(&IndexReport {
            warnings: vec![warning.clone(), warning],
            ..IndexReport::default()
        });
        assert!(
            line.contains(" 0 skipped, 2 warnings; the index holds"),
            "{line}"
        );
    }
}
