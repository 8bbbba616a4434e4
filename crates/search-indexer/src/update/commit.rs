//! The end of an update: the new metadata committed atomically with the documents
//! (its file table and any new dictionary written and synced first), then the
//! files of older commits removed.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use search_core::stored_text::TextDictionary;
use search_core::IndexMeta;
use tantivy::{IndexWriter, TantivyDocument};

use super::writer::LazyWriter;
use super::IndexReport;
use crate::{corpus, folder, Result};

/// Whether the update must commit: it wrote or deleted something, or the metadata
/// differs from the last commit's.
pub(super) fn is_change(
    previous: Option<&IndexMeta>,
    meta: &IndexMeta,
    rebuild: bool,
    report: &IndexReport,
) -> bool {
    rebuild
        || report.files_indexed > 0
        || report.files_removed > 0
        || previous.is_none_or(|m| {
            m.roots != meta.roots
                || m.root_names != meta.root_names
                || m.follow_links != meta.follow_links
                || m.shard != meta.shard
                || m.files != meta.files
                || m.skipped != meta.skipped
                // Folders changed since the last update (files added, then
                // removed): a commit with the same content renews the update
                // time, so that queries stop warning about a stale corpus.
                || corpus::corpus_may_have_changed(m)
        })
}

/// Writes what `meta` names (its file table, the `trained` dictionary), then
/// commits the writer's documents with `meta` as the payload.
pub(super) fn commit(
    dir: &Path,
    writer: &mut LazyWriter<'_>,
    meta: &mut IndexMeta,
    trained: Option<&TextDictionary>,
) -> Result<()> {
    meta.files_table = Some(write_file_table(dir, meta)?);
    if let Some(dictionary) = trained {
        folder::write_atomically(dir, &dictionary.file_name(), dictionary.bytes())?;
    }
    let writer = writer.get()?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&meta.to_payload());
    prepared.commit()?;
    folder::share_like_marker(dir, &["meta.json", ".managed.json"])?;
    Ok(())
}

/// Removes the file tables and dictionaries that `current` (the metadata of the
/// last commit) does not name: those of older commits, or of a writer killed
/// before or just after its commit. A reader that read an older commit and finds
/// its table gone reads `meta.json` again (see the query crate's
/// `consistent_meta`). Then waits for the writer's merges.
pub(super) fn clean_up(
    dir: &Path,
    current: Option<&IndexMeta>,
    writer: Option<IndexWriter<TantivyDocument>>,
) -> Result<()> {
    let table = current.and_then(|m| m.files_table.as_deref());
    folder::remove_prefixed(dir, search_core::file_table::TABLE_PREFIX, table)?;
    let copies = current.and_then(|m| m.copies_table.as_deref());
    folder::remove_prefixed(dir, search_core::copies::TABLE_PREFIX, copies)?;
    let dictionary = current.and_then(|m| m.text_dictionary.as_deref());
    folder::remove_prefixed(dir, search_core::stored_text::DICTIONARY_PREFIX, dictionary)?;
    if let Some(writer) = writer {
        writer.wait_merging_threads()?;
    }
    Ok(())
}

/// Writes the file table of `meta` into the index folder and returns its name.
fn write_file_table(dir: &Path, meta: &IndexMeta) -> Result<String> {
    let encoded = search_core::file_table::encode(&meta.files, &meta.skipped);
    let name = search_core::file_table::table_name(&encoded);
    folder::write_atomically(dir, &name, encoded.as_bytes())?;
    Ok(name)
}

/// Seconds since the Unix epoch.
pub(super) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
