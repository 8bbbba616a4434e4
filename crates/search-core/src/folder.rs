//! What an index folder is: ours, empty, someone else's, or unreadable.
//!
//! The indexer writes, rebuilds or cleans only a folder that is empty or that it
//! marked as its own; the query side says "corrupt" only of a folder marked as ours.
//! Both ask [`inspect`].

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The file that marks a folder as a `search` index. Written when the index is
/// created, before anything else.
pub const INDEX_MARKER: &str = ".search-index";

/// What the marker file says: a person who opens it learns what the folder is.
pub const MARKER_TEXT: &str = "This folder is a passage index written by `search`. \
`search index --rebuild` removes only the files the index made.\n";

/// The writer lock file inside an index folder.
pub const LOCK_FILE: &str = ".search-writer.lock";

/// What [`inspect`] found at an index path.
#[derive(Debug)]
pub enum Folder {
    /// Nothing there yet.
    Missing,
    /// A folder with nothing in it (or only our lock file).
    Empty,
    /// A folder marked as ours.
    Marked,
    /// An index written by an older version of `search`, before folders were
    /// marked: its `meta.json` carries our commit payload.
    Unmarked,
    /// A folder that holds other files and is not ours.
    Foreign {
        /// Why it is not taken for an index, in words.
        reason: String,
    },
    /// The path names something that is not a folder (a regular file, say).
    NotADirectory,
    /// The folder, or a file in it that tells what it is, cannot be read.
    Unreadable {
        /// The path that could not be read.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
}

impl Folder {
    /// True for a folder the indexer may write into.
    pub fn is_ours(&self) -> bool {
        matches!(self, Folder::Marked | Folder::Unmarked)
    }
}

/// Looks at `dir` without changing it.
pub fn inspect(dir: &Path) -> Folder {
    let metadata = match std::fs::metadata(dir) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == ErrorKind::NotFound => return Folder::Missing,
        Err(error) => {
            return Folder::Unreadable {
                path: dir.to_path_buf(),
                error,
            }
        }
    };
    if !metadata.is_dir() {
        return Folder::NotADirectory;
    }
    let unreadable = |path: PathBuf| move |error| Folder::Unreadable { path, error };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => return unreadable(dir.to_path_buf())(error),
    };
    let mut names = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => names.push(entry.file_name()),
            Err(error) => return unreadable(dir.to_path_buf())(error),
        }
    }
    if names.iter().any(|n| n == INDEX_MARKER) {
        return Folder::Marked;
    }
    if names.iter().all(|n| n == LOCK_FILE) {
        return Folder::Empty;
    }
    let meta_path = dir.join("meta.json");
    if !names.iter().any(|n| n == "meta.json") {
        return Folder::Foreign {
            reason: "it holds other files and no search index".into(),
        };
    }
    let bytes = match std::fs::read(&meta_path) {
        Ok(bytes) => bytes,
        Err(error) => return unreadable(meta_path)(error),
    };
    // An index of an older version, before folders were marked: its commit carries
    // our payload, or (its meta.json damaged) it holds files only we make.
    let ours = |n: &std::ffi::OsString| {
        let n = n.to_string_lossy();
        n == LOCK_FILE
            || n.starts_with(crate::file_table::TABLE_PREFIX)
            || n.starts_with(crate::stored_text::DICTIONARY_PREFIX)
    };
    if carries_our_payload(&bytes) || names.iter().any(ours) {
        Folder::Unmarked
    } else {
        Folder::Foreign {
            reason: "its meta.json was not written by search".into(),
        }
    }
}

/// True when `dir` holds no index yet: nothing there, an empty folder, or a folder
/// marked by a first build that was interrupted before its commit ([`unfinished`]).
pub fn needs_first_build(dir: &Path) -> bool {
    match inspect(dir) {
        Folder::Missing | Folder::Empty => true,
        Folder::Marked => unfinished(dir),
        _ => false,
    }
}

/// True for a marked folder whose first build never committed: no `meta.json`, or
/// tantivy's `meta.json` without our payload (every commit we make carries one). A
/// `meta.json` that is not even JSON is damage, not an unfinished build.
pub fn unfinished(dir: &Path) -> bool {
    match std::fs::read(dir.join("meta.json")) {
        Err(error) => error.kind() == ErrorKind::NotFound,
        Ok(bytes) => serde_json::from_slice::<serde_json::Value>(&bytes)
            .is_ok_and(|meta| meta.is_object() && meta.get("payload").is_none_or(|p| p.is_null())),
    }
}

/// True when `meta_json` is a tantivy `meta.json` whose commit payload is our
/// `IndexMeta` (of any format version).
fn carries_our_payload(meta_json: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(meta_json) else {
        return false;
    };
    let Some(payload) = value.get("payload").and_then(|p| p.as_str()) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(payload).is_ok_and(|p| {
        p.get("format_version").is_some_and(|v| v.is_u64())
            && p.get("analyzer_version").is_some_and(|v| v.is_u64())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn kinds_of_folder() {
        let root = scratch();
        let dir = root.path().join("idx");
        assert!(matches!(inspect(&dir), Folder::Missing));
        std::fs::create_dir(&dir).unwrap();
        assert!(matches!(inspect(&dir), Folder::Empty));
        std::fs::write(dir.join(LOCK_FILE), "1").unwrap();
        assert!(matches!(inspect(&dir), Folder::Empty));
        std::fs::remove_file(dir.join(LOCK_FILE)).unwrap();
        std::fs::write(dir.join("thesis.txt"), "x").unwrap();
        assert!(matches!(inspect(&dir), Folder::Foreign { .. }));
        std::fs::write(dir.join("meta.json"), r#"{"name":"x"}"#).unwrap();
        assert!(matches!(inspect(&dir), Folder::Foreign { .. }));
        let ours = serde_json::json!({
            "segments": [],
            "payload": r#"{"format_version":3,"analyzer_version":2}"#,
        });
        std::fs::write(dir.join("meta.json"), ours.to_string()).unwrap();
        assert!(matches!(inspect(&dir), Folder::Unmarked));
        // A damaged older index: its meta.json unreadable, but files only we make.
        std::fs::write(dir.join("meta.json"), "not JSON {").unwrap();
        std::fs::write(dir.join("search-files-0a.tsv"), "").unwrap();
        assert!(matches!(inspect(&dir), Folder::Unmarked));
        std::fs::write(dir.join("meta.json"), ours.to_string()).unwrap();
        std::fs::write(dir.join(INDEX_MARKER), MARKER_TEXT).unwrap();
        assert!(matches!(inspect(&dir), Folder::Marked));
        assert!(!unfinished(&dir) && !needs_first_build(&dir));
        std::fs::write(dir.join("meta.json"), r#"{"segments":[]}"#).unwrap();
        assert!(unfinished(&dir) && needs_first_build(&dir));
        std::fs::write(dir.join("meta.json"), "not JSON {").unwrap();
        assert!(!unfinished(&dir), "damage is not an unfinished build");
        std::fs::remove_file(dir.join("meta.json")).unwrap();
        assert!(unfinished(&dir));
        let file = root.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(inspect(&file), Folder::NotADirectory));
    }
}
