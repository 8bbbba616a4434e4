//! A read-only view of what an index records about itself.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use search_core::{Citation, FileRecord, IndexMeta, SkippedFile, StemLanguage};

use crate::PassageIndex;

/// What the index records about itself at the commit it searches: its corpus
/// roots, the files it indexed and skipped, and how it analyzes text. Read-only,
/// and cheap to clone; take a new one from [`PassageIndex::info`] after a
/// [`PassageIndex::reload`] to see a newer commit.
///
/// Recorded source paths (the `path` of citations, of [`FileRecord`]s) are
/// relative to the name each root was given at index time; [`IndexInfo::resolve`]
/// turns one into the file to read, whatever the current directory is.
#[derive(Debug, Clone)]
pub struct IndexInfo {
    meta: Arc<IndexMeta>,
}

impl IndexInfo {
    /// The corpus roots, each with the name it was given at index time (`seeds`,
    /// `.`, `../news`) and its absolute, canonical path.
    pub fn roots(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.meta.named_roots()
    }

    /// The indexed source files, sorted by path.
    pub fn files(&self) -> &[FileRecord] {
        &self.meta.files
    }

    /// The record of the indexed file whose recorded path is `path`, if any.
    pub fn file(&self, path: &str) -> Option<&FileRecord> {
        self.meta.file(path)
    }

    /// How many source files are indexed.
    pub fn file_count(&self) -> usize {
        self.meta.files.len()
    }

    /// How many articles the indexed files hold.
    pub fn article_count(&self) -> u64 {
        self.meta.article_count()
    }

    /// How many passages the indexed files hold, as recorded per file (the same
    /// number as [`PassageIndex::passage_count`] for a consistent index).
    pub fn passage_count(&self) -> u64 {
        self.meta.passage_count()
    }

    /// The total size of the indexed files when they were indexed, in bytes.
    pub fn source_bytes(&self) -> u64 {
        self.meta.files.iter().map(|f| f.size).sum()
    }

    /// Everything that was passed over: whole files and single JSONL records
    /// (`path:line`), sorted by path.
    pub fn skipped(&self) -> &[SkippedFile] {
        &self.meta.skipped
    }

    /// The skipped entries that are whole files (found, but not indexed).
    pub fn skipped_files(&self) -> impl Iterator<Item = &SkippedFile> {
        let records: Vec<&SkippedFile> = self.meta.skipped_records().collect();
        self.meta
            .skipped
            .iter()
            .filter(move |s| !records.iter().any(|r| std::ptr::eq(*r, *s)))
    }

    /// The skipped entries that are JSONL records (`path:line` of an indexed file).
    pub fn skipped_records(&self) -> impl Iterator<Item = &SkippedFile> {
        self.meta.skipped_records()
    }

    /// The stemming language of the index's analyzer.
    pub fn language(&self) -> StemLanguage {
        self.meta.language
    }

    /// The version of the analyzer the index was built with.
    pub fn analyzer_version(&self) -> u32 {
        self.meta.analyzer_version
    }

    /// When the index was last written.
    pub fn updated_at(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(self.meta.updated_at)
    }

    /// The file a recorded source path names, through the absolute root it was found
    /// under. A path under no root is returned as it is.
    pub fn resolve(&self, recorded: &str) -> PathBuf {
        self.meta.resolve(recorded)
    }

    /// The whole record, for the crates of this workspace that take it (the
    /// indexer's `changes_since` and `corpus_may_have_changed` compare it with the
    /// corpus). Read-only; its layout follows the index format, not this crate's
    /// semantic version, so embedders should prefer the accessors above.
    pub fn record(&self) -> &IndexMeta {
        &self.meta
    }
}

impl PassageIndex {
    /// What the index records about itself, at the commit currently searched.
    pub fn info(&self) -> IndexInfo {
        IndexInfo { meta: self.meta() }
    }

    /// The file that holds the cited passage, resolved through the corpus root the
    /// index recorded it under (so the answer does not depend on the current
    /// directory). `None` when the citation's path is not a file of the index.
    /// Read the bytes at `citation.byte_range()` there, or let [`PassageIndex::check`]
    /// and [`PassageIndex::source_text`] do it.
    pub fn source_path(&self, citation: &Citation) -> Option<PathBuf> {
        let meta = self.meta();
        meta.file(&citation.path)?;
        Some(meta.resolve(&citation.path))
    }
}
