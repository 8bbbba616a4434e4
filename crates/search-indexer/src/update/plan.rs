//! What an update must do with each source file, decided from the index's records
//! and the files' sizes and times alone: no file is read here, and no index is
//! touched, so the decisions are tested without tantivy.

use std::collections::HashMap;

use search_core::{FileRecord, IndexMeta, SkippedFile};

use crate::corpus::SourceFile;

/// The decision for one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// Same size and modification time as indexed: kept without being read.
    Keep(FileRecord),
    /// Tried before and passed over, and unchanged since: passed over again,
    /// unread.
    StillSkipped(SkippedFile),
    /// New, changed, or of unknown content: read it (its record, if it has one).
    Read(Option<FileRecord>),
}

/// The decisions of one update.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Plan {
    /// One step per source file, in the order of the files.
    pub(super) steps: Vec<Step>,
    /// Indexed files that are no longer in the corpus, sorted.
    pub(super) gone: Vec<String>,
    /// Bytes of the files to read.
    pub(super) bytes_to_read: u64,
}

/// Plans an update of the index `previous` (none, or `rebuild`: every file is read)
/// to the corpus `files`.
pub(super) fn plan(previous: Option<&IndexMeta>, rebuild: bool, files: &[SourceFile]) -> Plan {
    let kept = previous.filter(|_| !rebuild);
    let mut records: HashMap<&str, &FileRecord> = kept
        .map(|m| m.files.iter().map(|f| (f.path.as_str(), f)).collect())
        .unwrap_or_default();
    let skipped: HashMap<&str, &SkippedFile> = kept
        .map(|m| m.skipped.iter().map(|s| (s.path.as_str(), s)).collect())
        .unwrap_or_default();
    let same_stat =
        |f: &SourceFile, size: u64, mtime_ns: u128| f.size == size && f.mtime_ns == mtime_ns;
    let mut plan = Plan::default();
    for file in files {
        let record = records.remove(file.path.as_str());
        let step = match (record, skipped.get(file.path.as_str())) {
            (Some(r), _) if same_stat(file, r.size, r.mtime_ns) => Step::Keep(r.clone()),
            (None, Some(s)) if same_stat(file, s.size, s.mtime_ns) => {
                Step::StillSkipped((*s).clone())
            }
            (record, _) => {
                plan.bytes_to_read += file.size;
                Step::Read(record.cloned())
            }
        };
        plan.steps.push(step);
    }
    plan.gone = records.into_keys().map(str::to_string).collect();
    plan.gone.sort();
    plan
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use search_core::StemLanguage;

    use super::*;
    use crate::corpus::SourceKind;

    fn file(path: &str, size: u64, mtime_ns: u128) -> SourceFile {
        SourceFile {
            path: path.into(),
            absolute: PathBuf::from("/corpus").join(path),
            kind: SourceKind::Text,
            size,
            mtime_ns,
        }
    }

    fn record(path: &str, size: u64, mtime_ns: u128) -> FileRecord {
        FileRecord {
            path: path.into(),
            size,
            mtime_ns,
            hash: "h".into(),
            articles: 1,
            passages: 3,
        }
    }

    fn meta() -> IndexMeta {
        let mut meta = IndexMeta::new(StemLanguage::default());
        meta.files = vec![
            record("a.txt", 10, 1),
            record("b.txt", 20, 2),
            record("gone.txt", 5, 5),
        ];
        meta.skipped = vec![SkippedFile {
            path: "bad.txt".into(),
            size: 7,
            mtime_ns: 7,
            reason: "binary".into(),
        }];
        meta
    }

    #[test]
    fn files_are_kept_read_or_still_skipped_by_size_and_time() {
        let files = [
            file("a.txt", 10, 1),
            file("b.txt", 20, 99),
            file("bad.txt", 7, 7),
            file("new.txt", 30, 3),
        ];
        let plan = plan(Some(&meta()), false, &files);
        assert_eq!(
            plan.steps,
            [
                Step::Keep(record("a.txt", 10, 1)),
                Step::Read(Some(record("b.txt", 20, 2))),
                Step::StillSkipped(meta().skipped[0].clone()),
                Step::Read(None),
            ]
        );
        assert_eq!(plan.gone, ["gone.txt"]);
        assert_eq!(plan.bytes_to_read, 50);
    }

    #[test]
    fn a_skipped_file_that_changed_is_tried_again() {
        let plan = plan(Some(&meta()), false, &[file("bad.txt", 8, 7)]);
        assert_eq!(plan.steps, [Step::Read(None)]);
    }

    #[test]
    fn a_rebuild_reads_every_file() {
        let files = [file("a.txt", 10, 1), file("bad.txt", 7, 7)];
        let plan = plan(Some(&meta()), true, &files);
        assert_eq!(plan.steps, [Step::Read(None), Step::Read(None)]);
        assert!(plan.gone.is_empty());
        assert_eq!(plan.bytes_to_read, 17);
    }
}
