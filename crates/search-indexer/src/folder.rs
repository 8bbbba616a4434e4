//! The index folder's housekeeping: what the indexer may write into, how it writes
//! its own files, and what it may remove. It writes only into an empty folder or
//! one it marked as its own, and removes only the files an index makes.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use tantivy::Index;

use search_core::folder::{inspect, Folder, INDEX_MARKER, LOCK_FILE, MARKER_TEXT};

use crate::{io, IndexError, Result};

/// Makes `dir` ready to hold an index: creates and marks a new or empty folder,
/// marks an index an older version wrote, and refuses anything else.
pub(crate) fn prepare(dir: &Path) -> Result<()> {
    match inspect(dir) {
        Folder::Marked => Ok(()),
        Folder::Missing => {
            std::fs::create_dir_all(dir).map_err(io("create", dir))?;
            mark(dir)
        }
        Folder::Empty | Folder::Unmarked => mark(dir),
        Folder::Foreign { reason } => Err(IndexError::NotAnIndex {
            dir: dir.to_path_buf(),
            reason,
        }),
        Folder::NotADirectory => Err(IndexError::NotADirectory(dir.to_path_buf())),
        Folder::Unreadable { path, error } => Err(io("read", &path)(error)),
    }
}

/// Writes the marker, durably, before anything else goes into the folder.
fn mark(dir: &Path) -> Result<()> {
    let path = dir.join(INDEX_MARKER);
    std::fs::write(&path, MARKER_TEXT)
        .and_then(|()| std::fs::File::open(&path)?.sync_all())
        .map_err(io("write", &path))
}

/// Writes a content-named file into the index folder, durably and atomically
/// (temporary file, sync, rename). A file of that name is replaced, not trusted: it
/// may be a damaged copy.
pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let target = dir.join(name);
    let temporary = dir.join(format!(".tmp-{name}"));
    let mut file = std::fs::File::create(&temporary).map_err(io("write", &temporary))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io("write", &temporary))?;
    std::fs::rename(&temporary, &target).map_err(io("write", &target))
}

/// Removes the files named `prefix…` other than `keep`: temporary files, or the
/// file tables or dictionaries of older commits or of a writer killed before or
/// just after its commit.
pub(crate) fn remove_prefixed(dir: &Path, prefix: &str, keep: Option<&str>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(io("read", dir))? {
        let entry = entry.map_err(io("read", dir))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && keep != Some(name.as_ref()) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(io("remove", &path))?;
        }
    }
    Ok(())
}

/// Removes segment files the last commit does not reference: what a writer killed
/// before its commit wrote. We hold the writer lock and readers only open committed
/// files, so nothing else can be using them. (tantivy's own garbage collection
/// misses files a killed writer made but never registered, and a stray delete file
/// would make the next commit of the same opstamp fail.)
pub(crate) fn remove_orphans(dir: &Path, index: &Index) -> Result<()> {
    let referenced = index.load_metas()?.list_segment_files();
    for entry in std::fs::read_dir(dir).map_err(io("read", dir))? {
        let entry = entry.map_err(io("read", dir))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_segment_file(&name) && !referenced.contains(Path::new(name.as_ref())) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(io("remove", &path))?;
        }
    }
    Ok(())
}

/// Gives `names` the permissions of the marker file. tantivy writes `meta.json`
/// and `.managed.json` through temporary files made readable by their owner only,
/// so an index built by one user could not be searched by another; every other
/// file of the index is created with the usual mode (the umask's), as the marker
/// is.
pub(crate) fn share_like_marker(dir: &Path, names: &[&str]) -> Result<()> {
    let marker = dir.join(INDEX_MARKER);
    let Ok(metadata) = std::fs::metadata(&marker) else {
        return Ok(());
    };
    for name in names {
        let path = dir.join(name);
        if path.exists() {
            std::fs::set_permissions(&path, metadata.permissions()).map_err(io("write", &path))?;
        }
    }
    Ok(())
}

/// A permission problem inside a tantivy error, if that is what it is.
pub(crate) struct Denied {
    path: Option<PathBuf>,
    source: std::io::Error,
}

impl Denied {
    /// The error to report, naming the file when tantivy did, else the folder.
    pub(crate) fn into_error(self, dir: &Path) -> IndexError {
        IndexError::PermissionDenied {
            path: self.path.unwrap_or_else(|| dir.to_path_buf()),
            source: self.source,
        }
    }
}

/// Looks through `err` for an OS "permission denied".
pub(crate) fn permission_problem(err: &tantivy::TantivyError) -> Option<Denied> {
    use tantivy::directory::error::{OpenDirectoryError, OpenReadError, OpenWriteError};
    use tantivy::TantivyError;
    let copy = |e: &std::io::Error| std::io::Error::new(e.kind(), e.to_string());
    let denied = |e: &std::io::Error, path: Option<&Path>| {
        (e.kind() == ErrorKind::PermissionDenied).then(|| Denied {
            path: path.map(Path::to_path_buf),
            source: copy(e),
        })
    };
    match err {
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            denied(io_error, Some(filepath))
        }
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, filepath }) => {
            denied(io_error, Some(filepath))
        }
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError {
            io_error,
            directory_path,
        }) => denied(io_error, Some(directory_path)),
        TantivyError::IoError(io_error) => denied(io_error, None),
        other => {
            // Other variants carry the OS error only in their message.
            let text = other.to_string();
            text.contains("Permission denied").then(|| Denied {
                path: None,
                source: std::io::Error::new(ErrorKind::PermissionDenied, text),
            })
        }
    }
}

/// True for the name of a tantivy segment file: a 32-digit hex segment id, a dot,
/// a component (`.idx`, `.store`, `.123.del`…).
fn is_segment_file(name: &str) -> bool {
    name.len() > 33
        && name.as_bytes()[32] == b'.'
        && name[..32].bytes().all(|b| b.is_ascii_hexdigit())
}

/// True for the name of a file that an index of ours makes: tantivy's own files and
/// segment files, our file tables, dictionaries and temporary files.
fn is_owned(name: &str) -> bool {
    const PREFIXES: [&str; 3] = [
        search_core::file_table::TABLE_PREFIX,
        search_core::stored_text::DICTIONARY_PREFIX,
        ".tmp",
    ];
    is_segment_file(name)
        || name == "meta.json"
        || name == ".managed.json"
        || PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Removes every file the index made, and nothing else: the marker and the writer
/// lock stay, and so does anything a person put into the folder.
pub(crate) fn clear_owned(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(io("read", dir))? {
        let entry = entry.map_err(io("read", dir))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == INDEX_MARKER || name == LOCK_FILE || !is_owned(&name) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(io("remove", &path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_index_files_are_owned() {
        for name in [
            "meta.json",
            ".managed.json",
            "0123456789abcdef0123456789abcdef.idx",
            "0123456789abcdef0123456789abcdef.123.del",
            "search-files-abc.tsv",
            "search-dict-abc.zdict",
            ".tmp-search-files-abc.tsv",
        ] {
            assert!(is_owned(name), "{name}");
        }
        for name in [
            "thesis.txt",
            "notes",
            "meta.json.bak",
            "0123.idx",
            "README.md",
        ] {
            assert!(!is_owned(name), "{name}");
        }
    }
}
