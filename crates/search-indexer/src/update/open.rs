//! Opening the index for an update: the folder made ready (created and marked, or
//! refused) and locked, the leftovers of a killed writer removed, the index opened
//! (replaced only when a rebuild is asked for or it never held a commit), and the
//! last commit's metadata read.

use std::path::Path;

use search_core::{IndexMeta, PassageFields};
use tantivy::directory::MmapDirectory;
use tantivy::schema::Schema;
use tantivy::store::Compressor;
use tantivy::{Index, IndexSettings};

use crate::lock::{self, WriterLock};
use crate::{folder, io, IndexError, Result};

/// An index opened for writing.
pub(super) struct Opened {
    /// The index.
    pub(super) index: Index,
    /// Its schema's fields.
    pub(super) fields: PassageFields,
    /// The metadata of its last commit: `None` for a new index, one of an older
    /// format (to be rebuilt), or one whose metadata cannot be read when a
    /// rebuild was asked for.
    pub(super) previous: Option<IndexMeta>,
    /// Held until the update ends.
    _lock: WriterLock,
}

/// Opens the index in `dir` for an update (`rebuild`: the user asked for one).
pub(super) fn open(dir: &Path, rebuild: bool) -> Result<Opened> {
    folder::prepare(dir)?;
    let lock = match lock::try_lock(dir).map_err(io("lock", dir))? {
        Ok(lock) => lock,
        Err(busy) => {
            return Err(IndexError::Locked {
                dir: dir.to_path_buf(),
                pid: busy.pid,
            })
        }
    };
    // A killed writer may leave temporary files: tantivy writes `meta.json` and
    // `.managed.json` through `.tmp*` files it never tracks, and so do we.
    folder::remove_prefixed(dir, ".tmp", None)?;
    let (schema, fields) = PassageFields::build();
    let corrupt = |err: &dyn std::fmt::Display| IndexError::Corrupt {
        dir: dir.to_path_buf(),
        reason: err.to_string(),
    };
    let index = match open_or_create(dir, &schema) {
        Ok(index) => index,
        Err(err) => {
            if let Some(denied) = folder::permission_problem(&err) {
                return Err(denied.into_error(dir));
            }
            // A damaged index is replaced only when a rebuild was asked for, or
            // when it never held a commit (a first build was interrupted).
            if !rebuild && !search_core::folder::unfinished(dir) {
                return Err(corrupt(&err));
            }
            folder::clear_owned(dir)?;
            open_or_create(dir, &schema).map_err(|_| corrupt(&err))?
        }
    };
    // An index of an older format is rebuilt from scratch: it cannot be updated.
    let (index, outdated) = if same_schema(&index.schema(), &schema) {
        (index, false)
    } else {
        drop(index);
        folder::clear_owned(dir)?;
        (open_or_create(dir, &schema)?, true)
    };
    folder::remove_orphans(dir, &index)?;
    let previous = match search_core::read_meta(&index) {
        _ if outdated => None,
        Ok(previous) => previous,
        // What the last commit names (file table, dictionary) is unreadable.
        Err(_) if rebuild => None,
        Err(err) => return Err(corrupt(&err)),
    };
    Ok(Opened {
        index,
        fields,
        previous,
        _lock: lock,
    })
}

fn open_or_create(dir: &Path, schema: &Schema) -> tantivy::Result<Index> {
    let mmap = MmapDirectory::open(dir)?;
    // Passage text arrives compressed (see `stored`): compressing the store again
    // would only cost time. A fetch copies a whole store block, so blocks are
    // small: a few passage groups (16 KiB blocks cost 6% of query throughput).
    let settings = IndexSettings {
        docstore_compression: Compressor::None,
        docstore_blocksize: 4096,
        ..IndexSettings::default()
    };
    Index::builder()
        .schema(schema.clone())
        .settings(settings)
        .open_or_create(mmap)
}

fn same_schema(a: &Schema, b: &Schema) -> bool {
    serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
}
