//! Finding the source files of a corpus and reading them safely.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::article::Rejection;

/// The kinds of source file the indexer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// One plain-text article.
    Text,
    /// One Markdown article.
    Markdown,
    /// One article per line, as JSON.
    Jsonl,
}

impl SourceKind {
    /// The kind a file name says, if it is one the indexer reads.
    pub fn of(path: &Path) -> Option<SourceKind> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" => Some(SourceKind::Text),
            "md" | "markdown" => Some(SourceKind::Markdown),
            "jsonl" | "ndjson" => Some(SourceKind::Jsonl),
            _ => None,
        }
    }
}

/// A source file found under a corpus root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path, as the root was given joined with the path below it.
    pub path: String,
    /// What kind of source it is.
    pub kind: SourceKind,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
}

/// A file (or record) that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file's path (for a record: `path:line`).
    pub path: String,
    /// Why, in words a person can act on.
    pub reason: String,
}

/// A corpus root that does not exist. Nothing is indexed in that case, so that a
/// typo never empties an index.
#[derive(Debug)]
pub struct MissingRoot(pub PathBuf);

/// Lists the source files under `roots`, sorted, and the files that had to be passed
/// over. Hidden files and folders are not entered; files of other types inside a
/// folder are ignored, but a file named directly must be of a known type.
pub fn discover(roots: &[PathBuf]) -> Result<(Vec<SourceFile>, Vec<Skipped>), MissingRoot> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for root in roots {
        if !root.exists() {
            return Err(MissingRoot(root.clone()));
        }
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().unwrap_or(root).display().to_string();
                    skipped.push(Skipped {
                        path,
                        reason: format!("cannot be read: {err}"),
                    });
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let named_directly = entry.depth() == 0;
            let Some(kind) = SourceKind::of(entry.path()) else {
                if named_directly {
                    skipped.push(Skipped {
                        path: entry.path().display().to_string(),
                        reason: "unsupported file type: expected .txt, .md or .jsonl".into(),
                    });
                }
                continue;
            };
            let normalized = normalize(entry.path());
            let Some(path) = normalized.to_str() else {
                skipped.push(Skipped {
                    path: entry.path().display().to_string(),
                    reason: "the path is not valid UTF-8, so it cannot be cited; rename the file"
                        .into(),
                });
                continue;
            };
            let metadata = match entry.metadata() {
                Ok(m) => m,
                Err(err) => {
                    skipped.push(Skipped {
                        path: path.to_string(),
                        reason: format!("cannot be read: {err}"),
                    });
                    continue;
                }
            };
            files.push(SourceFile {
                path: path.to_string(),
                kind,
                size: metadata.len(),
                mtime_ns: mtime_ns(&metadata),
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    Ok((files, skipped))
}

/// `./seeds/a.txt` and `seeds/a.txt` name the same file: the index records one
/// spelling (without `.` components), so that a corpus named either way is not
/// re-indexed as new files.
pub fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

pub use search_core::meta::mtime_ns;

/// Reads a source file as UTF-8 text, rejecting what is not article text.
pub fn read_text(path: &Path) -> Result<String, Rejection> {
    let bytes = std::fs::read(path).map_err(unreadable)?;
    check_text(bytes)
}

/// Hashes a file in pieces and checks that it is text: not empty, and without NUL
/// bytes at its start (a binary file). Returns the hash and the size read.
pub fn hash_and_sniff(path: &Path) -> Result<(String, u64), Rejection> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut hasher = search_core::ContentHasher::default();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    let mut has_text = false;
    loop {
        let read = file.read(&mut buffer).map_err(unreadable)?;
        if read == 0 {
            break;
        }
        let chunk = &buffer[..read];
        if (size as usize) < BINARY_SNIFF_BYTES {
            reject_binary(&chunk[..chunk.len().min(BINARY_SNIFF_BYTES - size as usize)])?;
        }
        has_text = has_text || !chunk.iter().all(u8::is_ascii_whitespace);
        hasher.update(chunk);
        size += read as u64;
    }
    if !has_text {
        return Err(empty_file());
    }
    Ok((hasher.finish(), size))
}

/// How much of a file's start is checked for NUL bytes.
const BINARY_SNIFF_BYTES: usize = 8192;

/// Rejects a file whose start (`head`) holds NUL bytes: a binary file.
fn reject_binary(head: &[u8]) -> Result<(), Rejection> {
    if head[..head.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(Rejection(
            "binary file (it contains NUL bytes); only UTF-8 text is indexed".into(),
        ));
    }
    Ok(())
}

fn empty_file() -> Rejection {
    Rejection("empty file: no text to index".into())
}

fn unreadable(error: std::io::Error) -> Rejection {
    Rejection(format!("cannot be read: {error}"))
}

/// Checks that `bytes` are non-empty UTF-8 text and not a binary file.
pub fn check_text(bytes: Vec<u8>) -> Result<String, Rejection> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(empty_file());
    }
    reject_binary(&bytes)?;
    String::from_utf8(bytes).map_err(|e| {
        Rejection(format!(
            "not valid UTF-8 (first bad byte at offset {}); convert it to UTF-8 and index again",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// How a corpus differs from what an index recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusChanges {
    /// Indexed files whose content changed.
    pub changed: Vec<String>,
    /// Files in the corpus roots that are not indexed.
    pub added: Vec<String>,
    /// Indexed files that are gone.
    pub removed: Vec<String>,
}

impl CorpusChanges {
    /// True when the index matches the corpus.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// Compares the corpus on disk with an index's record of it. Cheap: sizes and
/// modification times first, and a content hash only for files where those differ.
/// New files are looked for only when run from the folder the index was built in,
/// because the recorded paths are relative to it.
pub fn changes_since(meta: &search_core::IndexMeta) -> CorpusChanges {
    let mut changes = CorpusChanges::default();
    for record in &meta.files {
        match meta.file_status(record) {
            search_core::FileStatus::Unchanged => {}
            search_core::FileStatus::Changed => changes.changed.push(record.path.clone()),
            search_core::FileStatus::Missing => changes.removed.push(record.path.clone()),
        }
    }
    let here = std::env::current_dir().ok();
    if here.as_deref() == Some(meta.base_dir.as_path()) {
        let roots: Vec<PathBuf> = meta.roots.iter().map(PathBuf::from).collect();
        if let Ok((files, _)) = discover(&roots) {
            // A file that was tried and skipped is not new unless it changed since.
            let tried = |f: &SourceFile| {
                meta.skipped
                    .iter()
                    .any(|s| s.path == f.path && s.size == f.size && s.mtime_ns == f.mtime_ns)
            };
            changes.added = files
                .into_iter()
                .filter(|f| meta.file(&f.path).is_none() && !tried(f))
                .map(|f| f.path)
                .collect();
        }
    }
    changes
}

/// A quick look for files added to or removed from the corpus since the index was
/// written: corpus folders whose modification time is newer than the index, and
/// corpus files named directly that differ from their record. It reads directory
/// entries and stats folders only, never every file, so a query can afford it; edits
/// inside existing files show up as stale hits and in `search verify`.
pub fn corpus_may_have_changed(meta: &search_core::IndexMeta) -> bool {
    let updated = std::time::UNIX_EPOCH + std::time::Duration::from_secs(meta.updated_at + 1);
    meta.roots.iter().any(|root| {
        let root = meta.resolve(root);
        if root.is_file() {
            let path = root.to_string_lossy();
            return match meta.file(&path) {
                Some(record) => meta.file_status(record) != search_core::FileStatus::Unchanged,
                None => false,
            };
        }
        WalkDir::new(&root)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
            .any(|dir| {
                dir.metadata()
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .is_some_and(|modified| modified > updated)
            })
    })
}
