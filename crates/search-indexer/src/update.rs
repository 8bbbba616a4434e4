//! One update of the index, in four steps, each in its own module:
//!
//! 1. `open`: the folder made ready and locked, leftovers of a killed writer
//!    removed, the index opened, the last commit's metadata read;
//! 2. `plan`: what to do with each source file, from sizes and times alone;
//! 3. `read` and `writer`: changed files read, their articles written;
//! 4. `commit`: the new metadata committed atomically with the documents, and
//!    the files of older commits removed.

mod commit;
mod open;
mod plan;
mod read;
mod writer;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use search_core::shard::Shard;
use search_core::{FileRecord, IndexMeta, SkippedFile, StemLanguage};

use crate::corpus::{self, discover, CorpusRoot, Skipped, SourceFile};
use crate::ids::IdLedger;
use crate::stored::TextStore;
use crate::{IndexError, Result};
use plan::Step;
use read::FileOutcome;
use writer::{DocWriter, LazyWriter};

pub use read::doc_id_of;

/// Total memory tantivy may buffer before flushing a segment, split across threads.
const DEFAULT_MEMORY_BUDGET: usize = 384 * 1024 * 1024;
/// An update reading less than this is small: one thread, a small arena.
const SMALL_UPDATE_BYTES: u64 = 16 * 1024 * 1024;
/// The memory budget of a small update (tantivy wants at least 15 MB a thread).
const SMALL_UPDATE_BUDGET: usize = 32 * 1024 * 1024;
/// Indexing threads when none are asked for: one per core, at most this many
/// (past it, tantivy's merges and memory grow faster than throughput).
const MAX_DEFAULT_THREADS: usize = 8;

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
    /// Indexing threads (0: one per core, at most 8).
    pub threads: usize,
    /// Indexing memory budget in bytes, across threads.
    pub memory_budget: usize,
    /// Follow symbolic links that lead out of a corpus root (`None` keeps the
    /// index's choice; a new index does not follow them).
    pub follow_links: Option<bool>,
    /// Find copy groups (near-duplicate passages of different articles, see
    /// `search_core::copies`) after each commit. On by default.
    pub copy_groups: bool,
    /// Index only the files of this shard of a sharded index (`None` keeps the
    /// index's choice; a new index holds every file).
    pub shard: Option<Shard>,
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
            copy_groups: true,
            shard: None,
        }
    }
}

/// Receives progress while an update runs. Every method has a no-op default.
pub trait Progress {
    /// The files to read are known.
    fn start(&mut self, _files: usize, _bytes: u64) {}
    /// `bytes` of the file being read are read so far (called as a large JSONL
    /// file is streamed, so that progress moves within one file).
    fn reading(&mut self, _bytes: u64) {}
    /// One file was read (indexed, skipped or unchanged); `bytes` is its size.
    fn file_done(&mut self, _path: &str, _bytes: u64) {}
    /// A file or record was passed over.
    fn skipped(&mut self, _skipped: &Skipped) {}
    /// Something in a file being read is wrong but did not stop it being indexed
    /// (a metadata field of the wrong type, a date that does not parse, a
    /// malformed front matter, an empty record). Called as the file is read.
    fn warning(&mut self, _warning: &Warning) {}
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
    /// The warnings of the files read by this update (files kept unread are not
    /// read again, so their warnings are not repeated), in the order they were
    /// found.
    pub warnings: Vec<Warning>,
    /// Articles indexed under an id that another article already has. Both are
    /// indexed; `search show ID#N` cannot tell them apart, their citations can.
    pub duplicate_ids: Vec<DuplicateId>,
    /// Whether a commit was made (false when nothing changed).
    pub committed: bool,
    /// Whether every file was re-read.
    pub rebuilt: bool,
    /// Whether the index had no commit before (a first build, or one replacing an
    /// index of an older format).
    pub created: bool,
    /// Wall time.
    pub elapsed: Duration,
    /// Totals of the index after the update.
    pub total_files: usize,
    /// Totals of the index after the update.
    pub total_passages: u64,
}

/// Something wrong in a source file that did not stop it being indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file's path, as the index records it.
    pub path: String,
    /// The 1-based line it is about, when there is one.
    pub line: Option<u64>,
    /// What is wrong, and what was done about it.
    pub message: String,
}

impl std::fmt::Display for Warning {
    /// `path:line: message` (or `path: message` without a line).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
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

/// What writing the files of an update left to commit.
struct Written {
    /// The records of the files indexed or kept, in corpus order.
    records: Vec<FileRecord>,
    /// Files and records passed over, with what the metadata keeps of them.
    skipped_files: Vec<SkippedFile>,
    /// The dictionary the update trained, if any.
    trained: Option<search_core::stored_text::TextDictionary>,
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
        let opened = open::open(dir, self.options.rebuild)?;
        let previous = opened.previous.as_ref();
        let language = self
            .options
            .language
            .or(previous.map(|m| m.language))
            .unwrap_or_default();
        let rebuild = self.options.rebuild
            || previous.is_none_or(|m| !m.is_compatible() || m.language != language);
        search_core::register_analyzer(&opened.index, language);

        let roots = self.roots(previous)?;
        let follow_links = self
            .options
            .follow_links
            .or(previous.map(|m| m.follow_links))
            .unwrap_or(false);
        let (mut files, mut walk_skips) =
            discover(&roots, follow_links).map_err(|m| IndexError::CorpusNotFound(m.0))?;
        let shard = self.options.shard.or(previous.and_then(|m| m.shard));
        if let Some(shard) = shard {
            files.retain(|f| shard.holds(&f.path));
            walk_skips.retain(|s| shard.holds(&s.path));
        }
        for s in &walk_skips {
            progress.skipped(s);
        }
        let plan = plan::plan(previous, rebuild, &files);
        // The writer (threads, memory arenas) is only made when something must be
        // written, and sized for what there is to read: a one-file update stays cheap.
        let (threads, budget) = if plan.bytes_to_read < SMALL_UPDATE_BYTES {
            (1, SMALL_UPDATE_BUDGET.min(self.options.memory_budget))
        } else {
            (self.threads(), self.options.memory_budget)
        };
        let mut writer = LazyWriter {
            index: &opened.index,
            threads,
            budget,
            clear_first: rebuild,
            writer: None,
        };
        let mut report = IndexReport {
            rebuilt: rebuild,
            created: previous.is_none(),
            skipped: walk_skips,
            ..IndexReport::default()
        };
        let written = write_files(
            &opened,
            rebuild,
            &files,
            plan,
            &mut writer,
            &mut report,
            progress,
        )?;

        let mut meta = IndexMeta::new(language);
        meta.roots = roots.iter().map(|r| r.path.clone()).collect();
        meta.root_names = roots.iter().map(|r| r.name.clone()).collect();
        meta.follow_links = follow_links;
        meta.shard = shard;
        meta.updated_at = commit::now_secs();
        meta.files = written.records;
        meta.skipped = written.skipped_files;
        meta.text_dictionary = match (&written.trained, previous) {
            (Some(dictionary), _) => Some(dictionary.file_name()),
            (None, Some(previous)) if !rebuild => previous.text_dictionary.clone(),
            (None, _) => None,
        };
        report.total_files = meta.files.len();
        report.total_passages = meta.passage_count();
        let changed = commit::is_change(previous, &meta, rebuild, &report);
        if changed {
            progress.committing();
            commit::commit(dir, &mut writer, &mut meta, written.trained.as_ref())?;
            report.committed = true;
        }
        // Copy groups are read back from the commit just made, and named by a
        // second commit (a writer stopped between the two leaves an index without
        // groups, which the next update completes).
        let ungrouped = previous.is_some_and(|m| m.copies_table.is_none());
        if self.options.copy_groups && (changed || ungrouped) && meta.passage_count() > 0 {
            let dictionary = written.trained.as_ref().or(previous
                .filter(|_| !rebuild)
                .and_then(|m| m.dictionary.as_deref()));
            let table = crate::copies::write_table(dir, &opened.index, dictionary)?;
            meta.copies_table = Some(table.name);
            meta.copy_groups = table.groups;
            meta.copy_group_passages = table.passages;
            meta.largest_copy_group = table.largest;
            commit::commit(dir, &mut writer, &mut meta, None)?;
            report.committed = true;
        }
        let current = if report.committed {
            Some(&meta)
        } else {
            previous
        };
        commit::clean_up(dir, current, writer.writer.take())?;
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
            .min(MAX_DEFAULT_THREADS)
    }
}

/// Carries out `plan`: reads what changed, writes its articles, deletes what is
/// gone, and gathers the records the new metadata needs.
fn write_files(
    opened: &open::Opened,
    rebuild: bool,
    files: &[SourceFile],
    plan: plan::Plan,
    writer: &mut LazyWriter<'_>,
    report: &mut IndexReport,
    progress: &mut dyn Progress,
) -> Result<Written> {
    let previous = opened.previous.as_ref();
    // Files passed over while looking for sources (unreadable, links out of a
    // root, unsupported files named directly) are counted too.
    let mut skipped_files: Vec<SkippedFile> = report.skipped.iter().map(skipped_entry).collect();
    let mut records = Vec::with_capacity(files.len());
    let mut unchanged = HashSet::new();
    progress.start(files.len(), files.iter().map(|f| f.size).sum());
    // A rebuild, or an index that has no dictionary yet, trains one; an update
    // keeps the one its index has.
    let fields = opened.fields;
    let store = match previous.filter(|_| !rebuild) {
        Some(meta) if meta.dictionary.is_some() => {
            TextStore::new(fields.stored_text, meta.dictionary.as_deref(), false)
        }
        _ => TextStore::new(fields.stored_text, None, true),
    };
    let kept = match (previous, rebuild) {
        (Some(_), false) => Some(opened.index.reader()?.searcher()),
        _ => None,
    };
    let mut out = DocWriter {
        writer,
        fields,
        store,
        ids: IdLedger::new(kept, fields),
    };
    for (file, step) in files.iter().zip(plan.steps) {
        let had_record = matches!(step, Step::Keep(_) | Step::Read(Some(_)));
        let outcome = match step {
            Step::Keep(record) => FileOutcome::Unchanged(record),
            Step::StillSkipped(s) => FileOutcome::Rejected(Skipped {
                path: file.path.clone(),
                reason: s.reason,
            }),
            Step::Read(record) => {
                let mut warnings = read::Warnings {
                    progress: &mut *progress,
                    found: &mut report.warnings,
                };
                read::read_file(file, record.as_ref(), &mut out, &mut warnings)?
            }
        };
        match outcome {
            FileOutcome::Unchanged(record) => {
                report.files_unchanged += 1;
                // The records it had to pass over are passed over still.
                if let Some(meta) = previous {
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
                    skipped_files.push(skipped_entry(&s));
                    report.skipped.push(s);
                }
            }
            FileOutcome::Rejected(s) => {
                if had_record {
                    report.files_removed += 1;
                }
                progress.skipped(&s);
                skipped_files.push(SkippedFile {
                    path: file.path.clone(),
                    size: file.size,
                    mtime_ns: file.mtime_ns,
                    reason: s.reason.clone(),
                });
                report.skipped.push(s);
            }
        }
        progress.file_done(&file.path, file.size);
    }
    // Whatever was indexed before and was not seen now is gone from the corpus.
    for gone in &plan.gone {
        out.delete_file(gone)?;
        report.files_removed += 1;
    }
    let (trained, duplicate_ids) = out.finish(&unchanged);
    report.duplicate_ids = duplicate_ids;
    skipped_files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Written {
        records,
        skipped_files,
        trained,
    })
}

/// What the metadata keeps of a file or record passed over while looking for
/// sources or reading a file (no size or time: it is tried again every time).
fn skipped_entry(s: &Skipped) -> SkippedFile {
    SkippedFile {
        path: s.path.clone(),
        size: 0,
        mtime_ns: 0,
        reason: s.reason.clone(),
    }
}

/// The records of the JSONL file at `path` that `meta` records as skipped
/// (`path:line`).
fn record_skips_of<'m>(
    meta: &'m IndexMeta,
    path: &'m str,
) -> impl Iterator<Item = &'m SkippedFile> {
    meta.skipped
        .iter()
        .filter(move |s| s.record_file() == Some(path))
}
