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
    /// The recorded path: the root's name joined with the path below it.
    pub path: String,
    /// Where it is read from: the root's absolute path joined with the path below it.
    pub absolute: PathBuf,
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

/// A corpus root: the name it was given (the start of its files' recorded paths,
/// which citations carry) and its absolute, canonical path (what is read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusRoot {
    /// As named at index time, without `.` components (`.` itself stays `.`).
    pub name: String,
    /// Absolute and canonical.
    pub path: PathBuf,
}

impl CorpusRoot {
    /// The root named `given`, resolved from the current directory. Fails when it
    /// does not exist.
    pub fn resolve(given: &Path) -> Result<CorpusRoot, MissingRoot> {
        let path = std::fs::canonicalize(given).map_err(|_| MissingRoot(given.to_path_buf()))?;
        let normalized = normalize(given);
        let name = if normalized.as_os_str().is_empty() {
            ".".to_string()
        } else {
            normalized.to_string_lossy().into_owned()
        };
        Ok(CorpusRoot { name, path })
    }

    /// The recorded path of `file`, found under this root.
    fn recorded(&self, file: &Path) -> PathBuf {
        let below = file.strip_prefix(&self.path).unwrap_or(file);
        if below.as_os_str().is_empty() {
            PathBuf::from(&self.name)
        } else if self.name == "." {
            normalize(below)
        } else {
            normalize(&Path::new(&self.name).join(below))
        }
    }
}

/// The roots an index recorded.
pub fn recorded_roots(meta: &search_core::IndexMeta) -> Vec<CorpusRoot> {
    meta.named_roots()
        .map(|(name, path)| CorpusRoot {
            name: name.to_string(),
            path: path.to_path_buf(),
        })
        .collect()
}

/// Lists the source files under `roots`, sorted, and the files that had to be passed
/// over. Hidden files and folders are not entered; files of other types inside a
/// folder are ignored, but a file named directly must be of a known type. A symbolic
/// link that leads out of its root is passed over unless `follow_links` is set.
pub fn discover(
    roots: &[CorpusRoot],
    follow_links: bool,
) -> Result<(Vec<SourceFile>, Vec<Skipped>), MissingRoot> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for root in roots {
        if !root.path.exists() {
            return Err(MissingRoot(PathBuf::from(&root.name)));
        }
        let walker = WalkDir::new(&root.path)
            .follow_links(follow_links)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().map_or_else(
                        || root.name.clone(),
                        |p| root.recorded(p).display().to_string(),
                    );
                    let reason = match err.io_error() {
                        Some(io) => format!("cannot be read: {io}"),
                        None => format!("cannot be read: {err}"),
                    };
                    skipped.push(Skipped { path, reason });
                    continue;
                }
            };
            let recorded = root.recorded(entry.path());
            let mut is_dir = entry.file_type().is_dir();
            if entry.path_is_symlink() && !follow_links {
                match std::fs::canonicalize(entry.path()) {
                    Ok(target) if target.starts_with(&root.path) => is_dir = target.is_dir(),
                    Ok(target) => {
                        if target.is_dir() || SourceKind::of(entry.path()).is_some() {
                            skipped.push(Skipped {
                                path: recorded.display().to_string(),
                                reason: format!(
                                    "a symbolic link to {}, outside the corpus root; pass --follow-links to index it",
                                    target.display()
                                ),
                            });
                        }
                        continue;
                    }
                    Err(err) => {
                        skipped.push(Skipped {
                            path: recorded.display().to_string(),
                            reason: format!("a broken symbolic link: {err}"),
                        });
                        continue;
                    }
                }
                if is_dir {
                    // Its files are under the root and are found there.
                    continue;
                }
            }
            if is_dir {
                continue;
            }
            let named_directly = entry.depth() == 0;
            let Some(kind) = SourceKind::of(entry.path()) else {
                if named_directly {
                    skipped.push(Skipped {
                        path: recorded.display().to_string(),
                        reason: "unsupported file type: expected .txt, .md or .jsonl".into(),
                    });
                }
                continue;
            };
            let Some(path) = recorded.to_str() else {
                skipped.push(Skipped {
                    path: recorded.display().to_string(),
                    reason: "the path is not valid UTF-8, so it cannot be cited; rename the file"
                        .into(),
                });
                continue;
            };
            let metadata = match std::fs::metadata(entry.path()) {
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
                absolute: entry.path().to_path_buf(),
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

/// Rejects a file whose start (`head`) holds NUL bytes: UTF-16 text (a byte order
/// mark, or NULs in every other byte of ASCII-range text), else a binary file.
fn reject_binary(head: &[u8]) -> Result<(), Rejection> {
    let head = &head[..head.len().min(BINARY_SNIFF_BYTES)];
    if let Some(order) = utf16_order(head) {
        return Err(Rejection(format!(
            "UTF-16 text ({order}); only UTF-8 is indexed: convert the file to UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)"
        )));
    }
    if head.contains(&0) {
        return Err(Rejection(
            "binary file (it contains NUL bytes); only UTF-8 text is indexed".into(),
        ));
    }
    Ok(())
}

/// The byte order of UTF-16 text, if `head` looks like it.
fn utf16_order(head: &[u8]) -> Option<&'static str> {
    match head {
        [0xFF, 0xFE, ..] => return Some("little-endian, with a byte order mark"),
        [0xFE, 0xFF, ..] => return Some("big-endian, with a byte order mark"),
        _ => {}
    }
    // Without a mark: text in the ASCII range has a NUL in every other byte.
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul_at = |offset: usize| (0..pairs).filter(|i| head[2 * i + offset] == 0).count();
    let (even, odd) = (nul_at(0), nul_at(1));
    if odd * 10 >= pairs * 9 && even == 0 {
        Some("little-endian")
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some("big-endian")
    } else {
        None
    }
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

/// Compares the corpus on disk with an index's record of it. Sizes and
/// modification times first, and a content hash only for files where those differ.
pub fn changes_since(meta: &search_core::IndexMeta) -> CorpusChanges {
    let mut changes = CorpusChanges::default();
    for record in &meta.files {
        match meta.file_status(record) {
            search_core::FileStatus::Unchanged => {}
            search_core::FileStatus::Changed => changes.changed.push(record.path.clone()),
            search_core::FileStatus::Missing => changes.removed.push(record.path.clone()),
        }
    }
    if let Ok((files, _)) = discover(&recorded_roots(meta), meta.follow_links) {
        // A file that was tried and skipped is not new unless it changed since.
        let tried = |f: &SourceFile| {
            meta.skipped
                .iter()
                .any(|s| s.path == f.path && s.size == f.size && s.mtime_ns == f.mtime_ns)
        };
        changes.added = files
            .into_iter()
            // A shard's corpus is the files that belong to it.
            .filter(|f| meta.shard.is_none_or(|shard| shard.holds(&f.path)))
            .filter(|f| meta.file(&f.path).is_none() && !tried(f))
            .map(|f| f.path)
            .collect();
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
    meta.named_roots().any(|(name, root)| {
        if root.is_file() {
            return match meta.file(name) {
                Some(record) => meta.file_status(record) != search_core::FileStatus::Unchanged,
                None => false,
            };
        }
        WalkDir::new(root)
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
