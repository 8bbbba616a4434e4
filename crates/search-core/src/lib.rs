//! What the indexer and the query side must agree on: the passage schema, the
//! analyzer, the citation type and the index's metadata record.
//!
//! Nothing here reads a corpus or answers a query; both sides depend on this crate
//! so that an index written by one is read the same way by the other.

#![deny(missing_docs)]

pub mod analyzer;
pub mod citation;
pub mod copies;
pub mod dates;
pub mod file_table;
pub mod folder;
pub mod jsonl;
pub mod meta;
pub mod names;
pub mod schema;
pub mod shard;
pub mod stopwords;
pub mod stored_text;

pub use analyzer::{analyze, news_analyzer, StemLanguage, ANALYZER_NAME, ANALYZER_VERSION};
pub use citation::Citation;
pub use meta::{
    content_hash, passage_hash, ContentHasher, FileRecord, FileStatus, IndexMeta, SkippedFile,
    FORMAT_VERSION,
};
pub use schema::PassageFields;

/// Registers the analyzer the index `meta` records with `index`, so that indexing and
/// query parsing use it.
pub fn register_analyzer(index: &tantivy::Index, language: StemLanguage) {
    index
        .tokenizers()
        .register(ANALYZER_NAME, news_analyzer(language));
}

/// Reads the metadata that an index's last commit carries (`None` for an index
/// without one, e.g. one not written by this project).
pub fn read_meta(index: &tantivy::Index) -> tantivy::Result<Option<IndexMeta>> {
    let metas = index.load_metas()?;
    meta_of_payload(index, metas.payload.as_deref())
}

/// Parses a commit payload and loads the file table and text dictionary it names.
pub fn meta_of_payload(
    index: &tantivy::Index,
    payload: Option<&str>,
) -> tantivy::Result<Option<IndexMeta>> {
    let Some(mut meta) = payload.and_then(|p| IndexMeta::from_payload(p).ok()) else {
        return Ok(None);
    };
    if let Some(name) = &meta.files_table {
        use tantivy::Directory;
        let bytes = index
            .directory()
            .atomic_read(std::path::Path::new(name))
            .map_err(|e| tantivy::TantivyError::InternalError(format!("file table: {e}")))?;
        let text = String::from_utf8_lossy(&bytes);
        let (files, skipped) =
            file_table::decode(&text).map_err(tantivy::TantivyError::InternalError)?;
        meta.files = files;
        meta.skipped = skipped;
    }
    if let Some(name) = &meta.text_dictionary {
        use tantivy::Directory;
        let bytes = index
            .directory()
            .atomic_read(std::path::Path::new(name))
            .map_err(|e| tantivy::TantivyError::InternalError(format!("text dictionary: {e}")))?;
        let dictionary = stored_text::TextDictionary::from_bytes(bytes).ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!("{name} is not a zstd dictionary"))
        })?;
        meta.dictionary = Some(std::sync::Arc::new(dictionary));
    }
    Ok(Some(meta))
}
