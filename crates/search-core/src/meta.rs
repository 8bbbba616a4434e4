//! What an index records about itself, committed atomically with its segments.
//!
//! The record travels as tantivy's commit payload, so a reader always sees the
//! metadata that belongs to the segments it opened: never newer, never older.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analyzer::{StemLanguage, ANALYZER_VERSION};

/// Bumped when the schema or the meaning of a stored field changes.
pub const FORMAT_VERSION: u32 = 7;

/// The index's own record of how and from what it was built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexMeta {
    /// Schema version, see [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Analyzer version, see [`ANALYZER_VERSION`].
    pub analyzer_version: u32,
    /// Stemming language of the analyzer.
    pub language: StemLanguage,
    /// The corpus roots as absolute, canonical paths, recorded at index time: every
    /// source is read through them, whatever the current directory is.
    pub roots: Vec<PathBuf>,
    /// How each root was named at index time (`seeds`, `.`, `../news`): the start of
    /// its files' recorded paths, which are the paths citations carry. Same length
    /// and order as `roots`.
    pub root_names: Vec<String>,
    /// Whether symbolic links that lead out of a corpus root are followed.
    #[serde(default)]
    pub follow_links: bool,
    /// When the index was last written, in seconds since the Unix epoch.
    pub updated_at: u64,
    /// Every source file that was indexed, sorted by path. Kept in the file table,
    /// not in the payload.
    #[serde(skip)]
    pub files: Vec<FileRecord>,
    /// Source files that were found but could not be indexed, and JSONL records
    /// (`path:line`) that were passed over, sorted by path. Kept in the file table.
    #[serde(skip)]
    pub skipped: Vec<SkippedFile>,
    /// The name of the file table (in the index folder) holding `files` and
    /// `skipped`.
    #[serde(default)]
    pub files_table: Option<String>,
    /// The name of the dictionary file (in the index folder) the stored passage
    /// text is compressed with; `None` when the corpus was too small for one.
    #[serde(default)]
    pub text_dictionary: Option<String>,
    /// The name of the copy group table (in the index folder, see
    /// [`crate::copies`]); `None` when the groups were not computed (turned off,
    /// or a writer stopped between its two commits).
    #[serde(default)]
    pub copies_table: Option<String>,
    /// How many copy groups the table holds.
    #[serde(default)]
    pub copy_groups: u64,
    /// How many passages are in them.
    #[serde(default)]
    pub copy_group_passages: u64,
    /// How many passages the largest holds.
    #[serde(default)]
    pub largest_copy_group: u64,
    /// The shard of a sharded index this index is: only the files that belong
    /// to it are indexed. `None`: every file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::shard::Shard>,
    /// The dictionary `text_dictionary` names, loaded with the record.
    #[serde(skip)]
    pub dictionary: Option<std::sync::Arc<crate::stored_text::TextDictionary>>,
}

/// A source file (or a JSONL record, as `path:line`) that could not be indexed, as
/// it was when it was tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    /// The path as given at index time.
    pub path: String,
    /// Size in bytes when tried.
    pub size: u64,
    /// Modification time in nanoseconds when tried.
    pub mtime_ns: u128,
    /// Why it was not indexed.
    pub reason: String,
}

impl SkippedFile {
    /// For a skipped JSONL record (`path:line`), the path of its file.
    pub fn record_file(&self) -> Option<&str> {
        let (file, line) = self.path.rsplit_once(':')?;
        (!line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())).then_some(file)
    }
}

/// One indexed source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The path as given at index time (also the `path` of its citations).
    pub path: String,
    /// Size in bytes when indexed.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch, when indexed.
    pub mtime_ns: u128,
    /// Content hash (BLAKE3, hex) when indexed.
    pub hash: String,
    /// Articles read from it.
    pub articles: u64,
    /// Passages indexed from it.
    pub passages: u64,
}

impl IndexMeta {
    /// A record for a new, empty index.
    pub fn new(language: StemLanguage) -> IndexMeta {
        IndexMeta {
            format_version: FORMAT_VERSION,
            analyzer_version: ANALYZER_VERSION,
            language,
            roots: Vec::new(),
            root_names: Vec::new(),
            follow_links: false,
            updated_at: 0,
            files: Vec::new(),
            skipped: Vec::new(),
            files_table: None,
            text_dictionary: None,
            copies_table: None,
            copy_groups: 0,
            copy_group_passages: 0,
            largest_copy_group: 0,
            shard: None,
            dictionary: None,
        }
    }

    /// True when this build of the code can read the index.
    pub fn is_compatible(&self) -> bool {
        self.format_version == FORMAT_VERSION && self.analyzer_version == ANALYZER_VERSION
    }

    /// Total articles over all files.
    pub fn article_count(&self) -> u64 {
        self.files.iter().map(|f| f.articles).sum()
    }

    /// Total passages over all files.
    pub fn passage_count(&self) -> u64 {
        self.files.iter().map(|f| f.passages).sum()
    }

    /// Resolves a recorded source path for reading, through the absolute root it was
    /// found under: the answer never depends on the current directory.
    pub fn resolve(&self, recorded: &str) -> PathBuf {
        resolve_source(&self.roots, &self.root_names, recorded)
    }

    /// The corpus roots, each with the name it was given at index time.
    pub fn named_roots(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.root_names
            .iter()
            .map(String::as_str)
            .zip(self.roots.iter().map(PathBuf::as_path))
    }

    /// Serializes for the commit payload.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("IndexMeta serializes")
    }

    /// Parses a commit payload.
    pub fn from_payload(payload: &str) -> Result<IndexMeta, serde_json::Error> {
        serde_json::from_str(payload)
    }
}

/// See [`IndexMeta::resolve`]: the root whose name is the longest leading part of
/// `recorded` (component-wise) gives the absolute folder; a root named `.` holds every
/// relative path. An absolute path, or one under no root, is returned as recorded.
pub fn resolve_source(roots: &[PathBuf], names: &[String], recorded: &str) -> PathBuf {
    let path = Path::new(recorded);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let mut best: Option<(usize, PathBuf)> = None;
    for (name, root) in names.iter().zip(roots) {
        let name_path = Path::new(name.as_str());
        let (depth, rest) = if name == "." || name.is_empty() {
            (0, Some(path))
        } else {
            (
                name_path.components().count(),
                path.strip_prefix(name_path).ok(),
            )
        };
        if let Some(rest) = rest {
            if best.as_ref().is_none_or(|(d, _)| depth > *d) {
                let resolved = if rest.as_os_str().is_empty() {
                    root.clone()
                } else {
                    root.join(rest)
                };
                best = Some((depth, resolved));
            }
        }
    }
    best.map_or_else(|| path.to_path_buf(), |(_, resolved)| resolved)
}

/// Modification time of `metadata` in nanoseconds since the epoch (0 when the
/// platform has none).
pub fn mtime_ns(metadata: &std::fs::Metadata) -> u128 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Content hash used for files and passages: BLAKE3, as lowercase hex.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// [`content_hash`] of a file, read in pieces (a corpus file may be gigabytes).
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = ContentHasher::default();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(hasher.finish());
        }
        hasher.update(&buffer[..read]);
    }
}

/// [`content_hash`] computed piece by piece, for files too large to hold at once.
#[derive(Default)]
pub struct ContentHasher(blake3::Hasher);

impl ContentHasher {
    /// Adds the next bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The hash of everything added, as [`content_hash`] gives it.
    pub fn finish(&self) -> String {
        self.0.finalize().to_hex().to_string()
    }
}

/// A short passage hash stored with each passage (first 8 bytes of BLAKE3).
pub fn passage_hash(text: &str) -> u64 {
    let hash = blake3::hash(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// How a source file compares with what was indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Same content as when indexed.
    Unchanged,
    /// The content differs (by hash).
    Changed,
    /// The file is gone or unreadable.
    Missing,
}

impl IndexMeta {
    /// The skipped entries that are JSONL records (`path:line` of an indexed file),
    /// not whole files.
    pub fn skipped_records(&self) -> impl Iterator<Item = &SkippedFile> {
        self.skipped.iter().filter(|s| {
            s.record_file()
                .is_some_and(|file| self.file(file).is_some())
        })
    }

    /// The indexed record of `path`, if the file was indexed.
    pub fn file(&self, path: &str) -> Option<&FileRecord> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// Compares a source file with its record: size and modification time first,
    /// and the content hash only when those differ (touching a file is not a change).
    pub fn file_status(&self, record: &FileRecord) -> FileStatus {
        let path = self.resolve(&record.path);
        match std::fs::metadata(&path) {
            Ok(metadata) => file_status_given(record, &path, &metadata),
            Err(_) => FileStatus::Missing,
        }
    }
}

/// [`IndexMeta::file_status`] for a file whose metadata was already read from
/// `path`.
pub fn file_status_given(
    record: &FileRecord,
    path: &Path,
    metadata: &std::fs::Metadata,
) -> FileStatus {
    if metadata.len() == record.size && mtime_ns(metadata) == record.mtime_ns {
        return FileStatus::Unchanged;
    }
    match hash_file(path) {
        Ok(hash) if hash == record.hash => FileStatus::Unchanged,
        Ok(_) => FileStatus::Changed,
        Err(_) => FileStatus::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_paths_resolve_through_their_root() {
        let roots = vec![PathBuf::from("/data/news"), PathBuf::from("/data/wire")];
        let names = vec!["news".to_string(), "../wire".to_string()];
        let resolve = |p: &str| resolve_source(&roots, &names, p);
        assert_eq!(resolve("news/a.txt"), Path::new("/data/news/a.txt"));
        assert_eq!(resolve("news/sub/b.md"), Path::new("/data/news/sub/b.md"));
        assert_eq!(resolve("../wire/c.jsonl"), Path::new("/data/wire/c.jsonl"));
        // `newsroom/` is not under `news/`.
        assert_eq!(resolve("newsroom/a.txt"), Path::new("newsroom/a.txt"));
        assert_eq!(resolve("/abs/x.txt"), Path::new("/abs/x.txt"));
    }

    #[test]
    fn a_root_named_dot_holds_relative_paths_and_a_file_root_resolves_to_itself() {
        let roots = vec![PathBuf::from("/corpus"), PathBuf::from("/one/file.txt")];
        let names = vec![".".to_string(), "file.txt".to_string()];
        let resolve = |p: &str| resolve_source(&roots, &names, p);
        assert_eq!(resolve("a.txt"), Path::new("/corpus/a.txt"));
        assert_eq!(resolve("file.txt"), Path::new("/one/file.txt"));
    }
}
