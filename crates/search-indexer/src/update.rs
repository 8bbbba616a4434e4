//! One update of the index: plan what changed, write it, commit it atomically.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use search_core::{
    content_hash, passage_hash, FileRecord, IndexMeta, PassageFields, SkippedFile, StemLanguage,
};
use tantivy::directory::MmapDirectory;
use tantivy::indexer::UserOperation;
use tantivy::schema::Schema;
use tantivy::store::Compressor;
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term};

use crate::article::{parse_jsonl_record, parse_text_article, Article, Rejection};
use crate::corpus::{self, discover, CorpusRoot, Skipped, SourceFile, SourceKind};
use crate::folder;
use crate::ids::IdLedger;
use crate::lock;
use crate::stored::{self, TextStore};
use crate::{IndexError, Result};

/// Total memory tantivy may buffer before flushing a segment, split across threads.
const DEFAULT_MEMORY_BUDGET: usize = 384 * 1024 * 1024;
/// An update reading less than this is small: one thread, a small arena.
const SMALL_UPDATE_BYTES: u64 = 16 * 1024 * 1024;
/// The memory budget of a small update (tantivy wants at least 15 MB a thread).
const SMALL_UPDATE_BUDGET: usize = 32 * 1024 * 1024;

/// What to index, and where.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The index folder.
    pub index_dir: PathBuf,
    /// Corpus roots. Empty means "the roots the index recorded last time".
    pub roots: Vec<PathBuf>,
    /// Re-read every file instead of only the changed ones.
    pub rebuild: bool,
    /// Stemming language; `None` keeps the index's (English for a new index).
    pub language: Option<StemLanguage>,
    /// Indexing threads (0: one per core).
    pub threads: usize,
    /// Indexing memory budget in bytes, across threads.
    pub memory_budget: usize,
    /// Follow symbolic links that lead out of a corpus root (`None` keeps the
    /// index's choice; a new index does not follow them).
    pub follow_links: Option<bool>,
}

impl IndexOptions {
    /// Options for the index in `index_dir`, with defaults for the rest.
    pub fn new(index_dir: impl Into<PathBuf>) -> IndexOptions {
        IndexOptions {
            index_dir: index_dir.into(),
            roots: Vec::new(),
            rebuild: false,
            language: None,
            threads: 0,
            memory_budget: DEFAULT_MEMORY_BUDGET,
            follow_links: None,
        }
    }
}

/// Receives progress while an update runs. Every method has a no-op default.
pub trait Progress {
    /// The files to read are known.
    fn start(&mut self, _files: usize, _bytes: u64) {}
    /// One file was read (indexed, skipped or unchanged).
    fn file_done(&mut self, _path: &str, _bytes: u64) {}
    /// A file or record was passed over.
    fn skipped(&mut self, _skipped: &Skipped) {}
    /// All documents are written; the commit is under way.
    fn committing(&mut self) {}
}

impl Progress for () {}

/// What an update did.
#[derive(Debug, Clone, Default)]
pub struct IndexReport {
    /// Files read and (re)indexed.
    pub files_indexed: usize,
    /// Files found unchanged and kept as they were.
    pub files_unchanged: usize,
    /// Files that were indexed before and are gone (or no longer readable).
    pub files_removed: usize,
    /// Articles (re)indexed.
    pub articles: u64,
    /// Passages (re)indexed.
    pub passages: u64,
    /// Bytes of source read.
    pub bytes: u64,
    /// Files and records passed over, with the reason.
    pub skipped: Vec<Skipped>,
    /// Articles indexed under an id that another article already has. Both are
    /// indexed; `search show ID#N` cannot tell them apart, their citations can.
    pub duplicate_ids: Vec<DuplicateId>,
    /// Whether a commit was made (false when nothing changed).
    pub committed: bool,
    /// Whether every file was re-read.
    pub rebuilt: bool,
    /// Wall time.
    pub elapsed: Duration,
    /// Totals of the index after the update.
    pub total_files: usize,
    /// Totals of the index after the update.
    pub total_passages: u64,
}

/// Two articles with one id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateId {
    /// The id.
    pub id: String,
    /// Where the article indexed first is (`path`, or `path:line` for a JSONL record).
    pub first: String,
    /// Where the other one is.
    pub second: String,
}

/// Builds or updates one index. See the crate docs.
#[derive(Debug, Clone)]
pub struct Indexer {
    options: IndexOptions,
}

impl Indexer {
    /// An indexer with these options.
    pub fn new(options: IndexOptions) -> Indexer {
        Indexer { options }
    }

    /// Runs the update, reporting to `progress`.
    pub fn run(&self, progress: &mut dyn Progress) -> Result<IndexReport> {
        let started = Instant::now();
        let dir = &self.options.index_dir;
        folder::prepare(dir)?;
        let _lock = match lock::try_lock(dir).map_err(io("lock", dir))? {
            Ok(lock) => lock,
            Err(busy) => {
                return Err(IndexError::Locked {
                    dir: dir.clone(),
                    pid: busy.pid,
                })
            }
        };
        // A killed writer may leave temporary files: tantivy writes `meta.json` and
        // `.managed.json` through `.tmp*` files it never tracks, and so do we.
        remove_prefixed(dir, ".tmp", None)?;
        let (schema, fields) = PassageFields::build();
        let index = match open_or_create(dir, &schema) {
            Ok(index) => index,
            Err(err) => {
                if let Some(denied) = folder::permission_problem(&err) {
                    return Err(denied.into_error(dir));
                }
                // A damaged index is replaced only when a rebuild was asked for, or
                // when it never held a commit (a first build was interrupted).
                if !self.options.rebuild && search_core::folder::holds_commit(dir) {
                    return Err(IndexError::Corrupt {
                        dir: dir.clone(),
                        reason: err.to_string(),
                    });
                }
                folder::clear_owned(dir)?;
                open_or_create(dir, &schema).map_err(|_| IndexError::Corrupt {
                    dir: dir.clone(),
                    reason: err.to_string(),
                })?
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
        remove_orphans(dir, &index)?;
        let previous = match search_core::read_meta(&index) {
            _ if outdated => None,
            Ok(previous) => previous,
            // What the last commit names (file table, dictionary) is unreadable.
            Err(_) if self.options.rebuild => None,
            Err(err) => {
                return Err(IndexError::Corrupt {
                    dir: dir.clone(),
                    reason: err.to_string(),
                })
            }
        };
        let language = self
            .options
            .language
            .or(previous.as_ref().map(|m| m.language))
            .unwrap_or_default();
        let rebuild = self.options.rebuild
            || previous
                .as_ref()
                .is_none_or(|m| !m.is_compatible() || m.language != language);
        search_core::register_analyzer(&index, language);

        let roots = self.roots(previous.as_ref())?;
        let follow_links = self
            .options
            .follow_links
            .or(previous.as_ref().map(|m| m.follow_links))
            .unwrap_or(false);
        let (files, mut skipped) =
            discover(&roots, follow_links).map_err(|m| IndexError::CorpusNotFound(m.0))?;
        for s in &skipped {
            progress.skipped(s);
        }

        let mut old: HashMap<String, FileRecord> = match (&previous, rebuild) {
            (Some(meta), false) => meta
                .files
                .iter()
                .map(|f| (f.path.clone(), f.clone()))
                .collect(),
            _ => HashMap::new(),
        };
        // Files tried before and skipped, unchanged since: skipped again, unread.
        let still_skipped: HashMap<&str, &SkippedFile> = match (&previous, rebuild) {
            (Some(meta), false) => meta.skipped.iter().map(|s| (s.path.as_str(), s)).collect(),
            _ => HashMap::new(),
        };
        let same_stat =
            |f: &SourceFile, size: u64, mtime: u128| f.size == size && f.mtime_ns == mtime;
        let to_read: u64 = files
            .iter()
            .filter(|f| {
                !old.get(&f.path)
                    .is_some_and(|p| same_stat(f, p.size, p.mtime_ns))
            })
            .filter(|f| {
                !still_skipped
                    .get(f.path.as_str())
                    .is_some_and(|s| same_stat(f, s.size, s.mtime_ns))
            })
            .map(|f| f.size)
            .sum();
        // The writer (threads, memory arenas) is only made when something must be
        // written, and sized for what there is to read: a one-file update stays cheap.
        let (threads, budget) = if to_read < SMALL_UPDATE_BYTES {
            (1, SMALL_UPDATE_BUDGET.min(self.options.memory_budget))
        } else {
            (self.threads(), self.options.memory_budget)
        };
        let mut writer = LazyWriter {
            index: &index,
            threads,
            budget,
            clear_first: rebuild,
            writer: None,
        };
        let mut report = IndexReport {
            rebuilt: rebuild,
            ..IndexReport::default()
        };
        let mut records = Vec::with_capacity(files.len());
        let mut unchanged = HashSet::new();
        // Files passed over while looking for sources (unreadable, links out of a
        // root, unsupported files named directly) are counted too.
        let mut skipped_files: Vec<SkippedFile> = skipped
            .iter()
            .map(|s| SkippedFile {
                path: s.path.clone(),
                size: 0,
                mtime_ns: 0,
                reason: s.reason.clone(),
            })
            .collect();
        progress.start(files.len(), files.iter().map(|f| f.size).sum());
        // A rebuild, or an index that has no dictionary yet, trains one; an update
        // keeps the one its index has.
        let store = match previous.as_ref().filter(|_| !rebuild) {
            Some(meta) if meta.dictionary.is_some() => {
                TextStore::new(fields.stored_text, meta.dictionary.as_deref(), false)
            }
            _ => TextStore::new(fields.stored_text, None, true),
        };
        let kept = match (&previous, rebuild) {
            (Some(_), false) => Some(index.reader()?.searcher()),
            _ => None,
        };
        let mut doc_writer = DocWriter {
            writer: &mut writer,
            fields,
            store,
            ids: IdLedger::new(kept, fields),
        };
        for file in &files {
            let previous_record = old.remove(&file.path);
            let outcome = match still_skipped.get(file.path.as_str()) {
                Some(s) if same_stat(file, s.size, s.mtime_ns) => FileOutcome::Rejected(Skipped {
                    path: file.path.clone(),
                    reason: s.reason.clone(),
                }),
                _ => index_file(file, previous_record.as_ref(), &mut doc_writer)?,
            };
            match outcome {
                FileOutcome::Unchanged(record) => {
                    report.files_unchanged += 1;
                    // The records it had to pass over are passed over still.
                    if let Some(meta) = &previous {
                        skipped_files.extend(record_skips_of(meta, &record.path).cloned());
                    }
                    unchanged.insert(record.path.clone());
                    records.push(record);
                }
                FileOutcome::Indexed(record, record_skips) => {
                    report.files_indexed += 1;
                    report.articles += record.articles;
                    report.passages += record.passages;
                    report.bytes += record.size;
                    records.push(record);
                    for s in record_skips {
                        progress.skipped(&s);
                        skipped_files.push(SkippedFile {
                            path: s.path.clone(),
                            size: 0,
                            mtime_ns: 0,
                            reason: s.reason.clone(),
                        });
                        skipped.push(s);
                    }
                }
                FileOutcome::Rejected(s) => {
                    if previous_record.is_some() {
                        report.files_removed += 1;
                    }
                    progress.skipped(&s);
                    skipped_files.push(SkippedFile {
                        path: file.path.clone(),
                        size: file.size,
                        mtime_ns: file.mtime_ns,
                        reason: s.reason.clone(),
                    });
                    skipped.push(s);
                }
            }
            progress.file_done(&file.path, file.size);
        }
        // Whatever was indexed before and was not seen now is gone from the corpus.
        for gone in old.keys() {
            doc_writer.delete_file(gone)?;
            report.files_removed += 1;
        }
        let (trained, duplicate_ids) = doc_writer.finish(&unchanged);
        report.duplicate_ids = duplicate_ids;

        skipped_files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut meta = IndexMeta::new(language);
        meta.roots = roots.iter().map(|r| r.path.clone()).collect();
        meta.root_names = roots.iter().map(|r| r.name.clone()).collect();
        meta.follow_links = follow_links;
        let changed = rebuild
            || report.files_indexed > 0
            || report.files_removed > 0
            || previous.as_ref().is_none_or(|m| {
                m.roots != meta.roots
                    || m.root_names != meta.root_names
                    || m.follow_links != follow_links
                    || m.files != records
                    || m.skipped != skipped_files
                    // Folders changed since the last update (files added, then
                    // removed): a commit with the same content renews the update
                    // time, so that queries stop warning about a stale corpus.
                    || corpus::corpus_may_have_changed(m)
            });
        meta.updated_at = now_secs();
        meta.files = records;
        meta.skipped = skipped_files;
        meta.text_dictionary = match (&trained, &previous) {
            (Some(dictionary), _) => Some(dictionary.file_name()),
            (None, Some(previous)) if !rebuild => previous.text_dictionary.clone(),
            (None, _) => None,
        };
        report.total_files = meta.files.len();
        report.total_passages = meta.passage_count();
        report.skipped = skipped;
        if changed {
            progress.committing();
            meta.files_table = Some(write_file_table(dir, &meta)?);
            if let Some(dictionary) = &trained {
                write_atomically(dir, &dictionary.file_name(), dictionary.bytes())?;
            }
            let writer = writer.get()?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&meta.to_payload());
            prepared.commit()?;
            report.committed = true;
        }
        // Tables of older commits, or of a writer killed before or just after its
        // commit, go now. A reader that read an older commit and finds its table
        // gone reads `meta.json` again (see the query crate's `consistent_meta`).
        let current = if report.committed {
            Some(&meta)
        } else {
            previous.as_ref()
        };
        let table = current.and_then(|m| m.files_table.as_deref());
        remove_prefixed(dir, search_core::file_table::TABLE_PREFIX, table)?;
        let dictionary = current.and_then(|m| m.text_dictionary.as_deref());
        remove_prefixed(dir, search_core::stored_text::DICTIONARY_PREFIX, dictionary)?;
        if let Some(writer) = writer.writer.take() {
            writer.wait_merging_threads()?;
        }
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// The corpus roots of this update: those named (a root the index already
    /// records keeps its recorded name), else those the index recorded.
    fn roots(&self, previous: Option<&IndexMeta>) -> Result<Vec<CorpusRoot>> {
        let recorded = previous.map(corpus::recorded_roots).unwrap_or_default();
        if self.options.roots.is_empty() {
            if recorded.is_empty() {
                return Err(IndexError::NoCorpus);
            }
            return Ok(recorded);
        }
        self.options
            .roots
            .iter()
            .map(|given| {
                let root =
                    CorpusRoot::resolve(given).map_err(|m| IndexError::CorpusNotFound(m.0))?;
                Ok(recorded
                    .iter()
                    .find(|r| r.path == root.path)
                    .cloned()
                    .unwrap_or(root))
            })
            .collect()
    }

    fn threads(&self) -> usize {
        if self.options.threads > 0 {
            return self.options.threads;
        }
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8)
    }
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

/// Writes the file table of `meta` into the index folder and returns its name.
fn write_file_table(dir: &Path, meta: &IndexMeta) -> Result<String> {
    let encoded = search_core::file_table::encode(&meta.files, &meta.skipped);
    let name = search_core::file_table::table_name(&encoded);
    write_atomically(dir, &name, encoded.as_bytes())?;
    Ok(name)
}

/// Writes a content-named file into the index folder, durably and atomically
/// (temporary file, sync, rename). A file of that name is replaced, not trusted: it
/// may be a damaged copy.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
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
fn remove_prefixed(dir: &Path, prefix: &str, keep: Option<&str>) -> Result<()> {
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
fn remove_orphans(dir: &Path, index: &Index) -> Result<()> {
    let referenced = index.load_metas()?.list_segment_files();
    for entry in std::fs::read_dir(dir).map_err(io("read", dir))? {
        let entry = entry.map_err(io("read", dir))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_segment_file = name.len() > 33
            && name.as_bytes()[32] == b'.'
            && name[..32].bytes().all(|b| b.is_ascii_hexdigit());
        if is_segment_file && !referenced.contains(Path::new(name.as_ref())) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(io("remove", &path))?;
        }
    }
    Ok(())
}

fn same_schema(a: &Schema, b: &Schema) -> bool {
    serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
}

pub(crate) fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> IndexError {
    let path = path.to_path_buf();
    move |source| {
        if source.kind() == std::io::ErrorKind::PermissionDenied {
            IndexError::PermissionDenied { path, source }
        } else {
            IndexError::Io {
                action,
                path,
                source,
            }
        }
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

enum FileOutcome {
    Unchanged(FileRecord),
    Indexed(FileRecord, Vec<Skipped>),
    Rejected(Skipped),
}

/// Decides whether `file` changed since `previous`, and if so re-indexes it.
fn index_file(
    file: &SourceFile,
    previous: Option<&FileRecord>,
    out: &mut DocWriter<'_, '_>,
) -> Result<FileOutcome> {
    // Same size and mtime: trust it without reading (the cheap check).
    if let Some(prev) = previous {
        if prev.size == file.size && prev.mtime_ns == file.mtime_ns {
            return Ok(FileOutcome::Unchanged(prev.clone()));
        }
    }
    if file.kind == SourceKind::Jsonl {
        return index_jsonl(file, previous, out);
    }
    let reject = |reason: String| {
        FileOutcome::Rejected(Skipped {
            path: file.path.clone(),
            reason,
        })
    };
    let text = match corpus::read_text(&file.absolute) {
        Ok(text) => text,
        Err(Rejection(reason)) => {
            if previous.is_some() {
                out.delete_file(&file.path)?;
            }
            return Ok(reject(reason));
        }
    };
    let hash = content_hash(text.as_bytes());
    let mut record = match fresh_record(file, previous, hash, text.len() as u64, out)? {
        Ok(record) => record,
        Err(unchanged) => return Ok(unchanged),
    };
    let skips = Vec::new();
    match file.kind {
        SourceKind::Text | SourceKind::Markdown => {
            let markdown = file.kind == SourceKind::Markdown;
            match parse_text_article(&doc_id_of(&file.path), text, markdown) {
                Ok(article) => {
                    record.articles = 1;
                    record.passages = out.add_article(&article, &file.path)?;
                }
                Err(Rejection(reason)) => return Ok(reject(reason)),
            }
        }
        SourceKind::Jsonl => unreachable!("JSONL is streamed by index_jsonl"),
    }
    Ok(FileOutcome::Indexed(record, skips))
}

/// The record of `file` as read now (content `hash`, `size`), still without
/// counts; or, as `Err`, the outcome "unchanged" when the content is what was
/// indexed. A changed file's old passages are deleted.
fn fresh_record(
    file: &SourceFile,
    previous: Option<&FileRecord>,
    hash: String,
    size: u64,
    out: &mut DocWriter<'_, '_>,
) -> Result<Result<FileRecord, FileOutcome>> {
    let mut record = FileRecord {
        path: file.path.clone(),
        size,
        mtime_ns: file.mtime_ns,
        hash,
        articles: 0,
        passages: 0,
    };
    if let Some(prev) = previous {
        if prev.hash == record.hash {
            record.articles = prev.articles;
            record.passages = prev.passages;
            return Ok(Err(FileOutcome::Unchanged(record)));
        }
        out.delete_file(&file.path)?;
    }
    Ok(Ok(record))
}

/// Indexes a JSONL file record by record, never holding the whole file: a first
/// pass hashes it (and rejects binary or empty files) so an unchanged file is not
/// re-indexed; a second pass reads and indexes one line at a time.
fn index_jsonl(
    file: &SourceFile,
    previous: Option<&FileRecord>,
    out: &mut DocWriter<'_, '_>,
) -> Result<FileOutcome> {
    let path = file.absolute.as_path();
    let (hash, size) = match corpus::hash_and_sniff(path) {
        Ok(found) => found,
        Err(Rejection(reason)) => {
            if previous.is_some() {
                out.delete_file(&file.path)?;
            }
            return Ok(FileOutcome::Rejected(Skipped {
                path: file.path.clone(),
                reason,
            }));
        }
    };
    let mut record = match fresh_record(file, previous, hash, size, out)? {
        Ok(record) => record,
        Err(unchanged) => return Ok(unchanged),
    };
    let opened = std::fs::File::open(path).map_err(io("read", path))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, opened);
    let mut skips = Vec::new();
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = std::io::BufRead::read_until(&mut reader, b'\n', &mut line)
            .map_err(io("read", path))?;
        if read == 0 {
            break;
        }
        number += 1;
        let Ok(text) = std::str::from_utf8(&line) else {
            skips.push(Skipped {
                path: format!("{}:{number}", file.path),
                reason: "not valid UTF-8; convert the file to UTF-8".into(),
            });
            continue;
        };
        let text = text.trim_end_matches(['\n', '\r']);
        // A byte order mark before the first record is not part of it.
        let text = if number == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        match parse_jsonl_record(text, number) {
            Ok(article) => {
                record.articles += 1;
                record.passages += out.add_article(&article, &file.path)?;
            }
            Err(Rejection(reason)) => skips.push(Skipped {
                path: format!("{}:{number}", file.path),
                reason,
            }),
        }
    }
    if record.articles == 0 {
        return Ok(FileOutcome::Rejected(Skipped {
            path: file.path.clone(),
            reason: "no valid JSONL record (each line needs `id` and `text`)".into(),
        }));
    }
    Ok(FileOutcome::Indexed(record, skips))
}

/// The records of the JSONL file at `path` that `meta` records as skipped
/// (`path:line`).
fn record_skips_of<'m>(meta: &'m IndexMeta, path: &str) -> impl Iterator<Item = &'m SkippedFile> {
    let prefix = format!("{path}:");
    meta.skipped.iter().filter(move |s| {
        s.path
            .strip_prefix(&prefix)
            .is_some_and(|line| !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The article id of a single-article file: its file stem.
pub fn doc_id_of(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(path)
        .to_string()
}

/// The index writer, made on first use.
struct LazyWriter<'a> {
    index: &'a Index,
    threads: usize,
    budget: usize,
    /// Delete every document first (a rebuild).
    clear_first: bool,
    writer: Option<IndexWriter<TantivyDocument>>,
}

impl LazyWriter<'_> {
    fn get(&mut self) -> Result<&mut IndexWriter<TantivyDocument>> {
        if self.writer.is_none() {
            let writer = self
                .index
                .writer_with_num_threads(self.threads, self.budget)?;
            if self.clear_first {
                writer.delete_all_documents()?;
            }
            self.writer = Some(writer);
        }
        Ok(self.writer.as_mut().expect("just made"))
    }
}

struct DocWriter<'w, 'a> {
    writer: &'w mut LazyWriter<'a>,
    fields: PassageFields,
    store: TextStore,
    ids: IdLedger,
}

impl DocWriter<'_, '_> {
    fn delete_file(&mut self, path: &str) -> Result<()> {
        let term = Term::from_field_text(self.fields.path, path);
        self.writer.get()?.delete_term(term);
        Ok(())
    }

    /// The dictionary the update trained, if any, and the ids found twice
    /// (`unchanged`: the files kept as they were).
    fn finish(
        self,
        unchanged: &HashSet<String>,
    ) -> (
        Option<search_core::stored_text::TextDictionary>,
        Vec<DuplicateId>,
    ) {
        (self.store.finish(), self.ids.finish(unchanged))
    }

    fn add_article(&mut self, article: &Article, path: &str) -> Result<u64> {
        self.ids.note(article, path);
        let f = &self.fields;
        let groups = stored::groups(&article.passages);
        let mut heads = groups.iter().map(|(head, _)| *head).peekable();
        let mut head = 0;
        let mut docs = Vec::with_capacity(article.passages.len());
        for (i, passage) in article.passages.iter().enumerate() {
            if heads.next_if_eq(&i).is_some() {
                head = i;
            }
            let text = &article.text[passage.range.clone()];
            let mut doc = TantivyDocument::new();
            doc.add_u64(f.group_offset, (i - head) as u64);
            if passage.boilerplate {
                doc.add_text(f.boilerplate_text, text);
            } else {
                doc.add_text(f.text, text);
                if let Some(title) = &article.title {
                    doc.add_text(f.title, title);
                }
            }
            if let Some(source) = &article.source {
                doc.add_text(f.source, source);
            }
            doc.add_text(f.doc_id, &article.doc_id);
            doc.add_text(f.path, path);
            doc.add_u64(f.paragraph, passage.paragraph);
            doc.add_u64(f.line, passage.line);
            doc.add_u64(f.byte_start, passage.range.start as u64);
            doc.add_u64(f.byte_end, passage.range.end as u64);
            doc.add_u64(f.part, passage.part.unwrap_or(0));
            doc.add_u64(f.boilerplate, u64::from(passage.boilerplate));
            doc.add_u64(f.passage_hash, passage_hash(text));
            docs.push(doc);
        }
        let fields = article.stored_fields();
        let writer = &mut *self.writer;
        self.store
            .add(&fields, &article.text, docs, &groups, &mut |docs| {
                submit(writer, docs)
            })?;
        Ok(article.passages.len() as u64)
    }
}

/// Adds an article's documents as one batch: tantivy puts a batch in one segment,
/// in order, which is what lets a passage find its group's text.
fn submit(writer: &mut LazyWriter<'_>, docs: Vec<TantivyDocument>) -> Result<()> {
    writer
        .get()?
        .run(docs.into_iter().map(UserOperation::Add))?;
    Ok(())
}
