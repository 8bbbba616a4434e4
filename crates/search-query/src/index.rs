//! [`PassageIndex`], the entry type: open an index once, search it from any thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};

use search_core::file_table;
use search_core::folder::{self, Folder};
use search_core::stored_text::{TextDecoder, DICTIONARY_PREFIX};
use search_core::{Citation, IndexMeta, PassageFields};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, Term};

use crate::columns::SegmentColumns;
use crate::copies::CopyGroups;
use crate::error::{classify, guarded, Failure, Result, SearchError};
use crate::expansion;
use crate::faceting;
use crate::filters::Sort;
use crate::global::{Source, Statistics};
use crate::options::{SearchOptions, MAX_QUERY_BYTES, MAX_QUERY_WORDS};
use crate::pipeline::shard::ShardPart;
use crate::pipeline::{self, Context};
use crate::plan::Planner;
use crate::readonly::ReadOnlyDirectory;
use crate::results::SearchResults;
use crate::stale::StaleSources;
use crate::stats::{DeletedContribution, LiveStatistics};
use crate::surface;
use crate::syntax::{self, ParsedQuery};
use crate::texts::PassageTexts;

/// How many times opening is retried when a writer's cleanup races it.
const OPEN_ATTEMPTS: usize = 5;
/// tantivy's commit file.
const META_FILE: &str = "meta.json";

/// The error for a folder or file that could not be read.
fn unreadable(path: PathBuf, error: std::io::Error) -> SearchError {
    if error.kind() == std::io::ErrorKind::PermissionDenied {
        SearchError::PermissionDenied { path, error }
    } else {
        SearchError::Unreadable { path, error }
    }
}

/// True when `dir` holds a file only `search` writes (its writer lock, a file table,
/// a text dictionary): an index of ours, even without a marker or a readable
/// `meta.json`.
fn holds_our_files(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(|e| e.ok()).any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name == folder::LOCK_FILE
            || name.starts_with(file_table::TABLE_PREFIX)
            || name.starts_with(DICTIONARY_PREFIX)
    })
}

/// Locks `mutex`, recovering it if a thread panicked while holding it: every value
/// these mutexes guard is valid at every instant (a cache, a stamp, a pool).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned: PoisonError<_>| {
        mutex.clear_poison();
        poisoned.into_inner()
    })
}

/// Reloads `reader` and returns its searcher with the metadata of the very commit it
/// searches: `meta.json` is read before and checked after, and read again if a commit
/// landed in between, so file records, the text dictionary and segments never come
/// from two different commits.
fn consistent_meta(
    index: &Index,
    reader: &IndexReader,
) -> tantivy::Result<(Searcher, Option<IndexMeta>)> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let metas = index.load_metas()?;
        reader.reload()?;
        let searcher = reader.searcher();
        let mut committed: Vec<_> = metas
            .segments
            .iter()
            .map(|s| (s.id(), s.num_deleted_docs()))
            .collect();
        let mut searched: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|r| (r.segment_id(), r.num_deleted_docs()))
            .collect();
        committed.sort();
        searched.sort();
        // Past a few attempts a writer is committing non-stop: take the latest.
        if committed == searched || attempts >= OPEN_ATTEMPTS {
            match search_core::meta_of_payload(index, metas.payload.as_deref()) {
                // The table of a commit two updates old may be gone: look again.
                Err(_) if attempts < OPEN_ATTEMPTS => continue,
                outcome => return Ok((searcher, outcome?)),
            }
        }
    }
}

/// Per-commit companions of a searcher, made once when the commit is opened (by
/// [`PassageIndex::open`] or a reload), before any search sees the commit.
pub(crate) struct Generation {
    /// Citation columns, one entry per segment.
    pub columns: Vec<SegmentColumns>,
    /// What deleted passages add to tantivy's statistics.
    pub deleted: DeletedContribution,
    /// Reads passage text with the commit's dictionary.
    pub texts: PassageTexts,
    /// The commit's copy groups, loaded on first use (a large table costs more to
    /// load than most searches, which never need it).
    copies: OnceLock<CopyGroups>,
}

impl Generation {
    /// The commit's copy groups, loaded the first time they are asked for.
    pub(crate) fn copies(
        &self,
        searcher: &Searcher,
        meta: &IndexMeta,
    ) -> Result<&CopyGroups, Failure> {
        if let Some(copies) = self.copies.get() {
            return Ok(copies);
        }
        let loaded = CopyGroups::load(searcher, meta)?;
        Ok(self.copies.get_or_init(|| loaded))
    }
}

/// An open passage index. Cheap to share: `search` takes `&self`, and the type is
/// `Send + Sync`, so one instance serves many threads (share it by reference, as
/// with `std::thread::scope`, or in an `Arc`). Its methods block the calling thread
/// while they read the index or, for citation checks, the sources.
pub struct PassageIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: PassageFields,
    analyzer: TextAnalyzer,
    /// The searcher and the metadata of one commit, swapped together.
    snapshot: RwLock<Arc<Snapshot>>,
    /// Held while reloading.
    reloading: Mutex<()>,
    /// Size and modification time of `meta.json` when last loaded: a cheap way to
    /// notice that a writer committed.
    commit_stamp: Mutex<Option<CommitStamp>>,
    /// Verdicts on whether sources changed since indexing.
    stale: StaleSources,
    /// Analyzers with warm stem caches, one per concurrent search at most.
    analyzers: Mutex<Vec<TextAnalyzer>>,
}

/// A searcher, the metadata of the commit it searches and that commit's
/// [`Generation`]. Taken together, so that a search never reads one commit's
/// segments with another commit's dictionary, file records or columns.
pub(crate) struct Snapshot {
    /// The searcher of one commit.
    pub searcher: Searcher,
    /// That commit's metadata (file records, dictionary).
    pub meta: Arc<IndexMeta>,
    /// That commit's columns, text decoder and deleted passages' statistics.
    pub generation: Arc<Generation>,
}

/// Whether `a` and `b` search the same segments, in the same order, with the same
/// deletes (tantivy makes a new searcher generation at every reload, changed or
/// not).
fn same_segments(a: &Searcher, b: &Searcher) -> bool {
    let segments = |s: &Searcher| -> Vec<_> {
        s.segment_readers()
            .iter()
            .map(|r| (r.segment_id(), r.delete_opstamp(), r.num_deleted_docs()))
            .collect()
    };
    segments(a) == segments(b)
}

/// Makes the [`Generation`] of `searcher`'s commit, whose metadata is `meta`: opens
/// every segment's columns, the text decoder of the commit's dictionary, and
/// re-analyzes the commit's deleted passages for their statistics.
fn build_generation(
    searcher: &Searcher,
    meta: &IndexMeta,
    fields: &PassageFields,
    analyzer: &TextAnalyzer,
) -> Result<Generation, Failure> {
    let columns: Vec<SegmentColumns> = searcher
        .segment_readers()
        .iter()
        .map(SegmentColumns::open)
        .collect();
    let decoder = TextDecoder::new(meta.dictionary.as_deref());
    let texts = PassageTexts::new(decoder, fields);
    let deleted =
        DeletedContribution::compute(searcher, fields, &columns, &texts, &mut analyzer.clone())?;
    Ok(Generation {
        columns,
        deleted,
        texts,
        copies: OnceLock::new(),
    })
}

/// What is searched: the query as given, parsed, and whether a query with no
/// words and no filters lists every passage.
struct Request<'a> {
    query: &'a str,
    parsed: &'a ParsedQuery,
    match_all: bool,
}

/// More concurrent searches than this clone a fresh analyzer.
const MAX_POOLED_ANALYZERS: usize = 16;

type CommitStamp = (u64, std::time::SystemTime);

fn commit_stamp(dir: &Path) -> Option<CommitStamp> {
    let metadata = std::fs::metadata(dir.join("meta.json")).ok()?;
    Some((metadata.len(), metadata.modified().ok()?))
}

impl std::fmt::Debug for PassageIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PassageIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl PassageIndex {
    /// Opens the index in `dir` for reading. Nothing in `dir` is ever written.
    ///
    /// A missing or empty folder is [`SearchError::IndexNotFound`]; a file is
    /// [`SearchError::NotADirectory`]; a folder that is not ours is
    /// [`SearchError::NotAnIndex`]; an index whose first build was interrupted is
    /// [`SearchError::Incomplete`]; a folder or file we may not read is
    /// [`SearchError::PermissionDenied`]. Only an index of ours that does not read
    /// is [`SearchError::Corrupt`].
    pub fn open(dir: impl AsRef<Path>) -> Result<PassageIndex> {
        let dir = dir.as_ref().to_path_buf();
        match folder::inspect(&dir) {
            Folder::Missing | Folder::Empty => return Err(SearchError::IndexNotFound(dir)),
            Folder::NotADirectory => return Err(SearchError::NotADirectory(dir)),
            Folder::Unreadable { path, error } => return Err(unreadable(path, error)),
            Folder::Foreign { reason } if !holds_our_files(&dir) => {
                return Err(SearchError::NotAnIndex { dir, reason })
            }
            // An index of an older version that predates the marker, whose
            // meta.json no longer reads, is still ours: damaged, not foreign.
            Folder::Foreign { .. } | Folder::Marked | Folder::Unmarked => {}
        }
        let mut last_error = None;
        for attempt in 0..OPEN_ATTEMPTS {
            if !dir.join(META_FILE).exists() {
                // Ours, but no commit was ever made: a first build was killed.
                return Err(SearchError::Incomplete(dir));
            }
            match Self::try_open(&dir) {
                Ok(index) => return Ok(index),
                // A writer may have replaced the segments we were about to open.
                Err(err @ SearchError::Corrupt { .. }) => {
                    last_error = Some(err);
                    std::thread::sleep(std::time::Duration::from_millis(20 << attempt));
                }
                Err(err) => return Err(err),
            }
        }
        Err(last_error.unwrap_or(SearchError::Incomplete(dir)))
    }

    fn try_open(dir: &Path) -> Result<PassageIndex> {
        // tantivy panics on some damaged files (a doc store footer or skip index):
        // such a panic is the damage, reported as such.
        guarded(
            || Self::open_unguarded(dir),
            |what| Failure::Panicked(what).at(dir),
        )
    }

    fn open_unguarded(dir: &Path) -> Result<PassageIndex> {
        let fail = |e: tantivy::TantivyError| classify(dir, e);
        let directory = ReadOnlyDirectory::open(dir).map_err(|e| fail(e.into()))?;
        let index = Index::open(directory).map_err(fail)?;
        // The payload first: an index without one is a first build that never
        // committed (tantivy writes an empty meta.json when it creates an index).
        let Some(payload) = index.load_metas().map_err(fail)?.payload else {
            return Err(SearchError::Incomplete(dir.to_path_buf()));
        };
        let first = IndexMeta::from_payload(&payload)
            .ok()
            .filter(IndexMeta::is_compatible)
            .ok_or_else(|| SearchError::Incompatible(dir.to_path_buf()))?;
        let fields = PassageFields::from_schema(&index.schema())
            .map_err(|_| SearchError::Incompatible(dir.to_path_buf()))?;
        // The files the payload names are read below, where a failure no longer
        // says why: one we may not read is said so here.
        for name in first.files_table.iter().chain(&first.text_dictionary) {
            let path = dir.join(name);
            if let Err(error) = std::fs::File::open(&path) {
                if error.kind() == std::io::ErrorKind::PermissionDenied {
                    return Err(SearchError::PermissionDenied { path, error });
                }
            }
        }
        search_core::register_analyzer(&index, first.language);
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(fail)?;
        let (searcher, meta) = consistent_meta(&index, &reader).map_err(fail)?;
        let meta = meta
            .filter(IndexMeta::is_compatible)
            .ok_or_else(|| SearchError::Incompatible(dir.to_path_buf()))?;
        let analyzer = search_core::news_analyzer(meta.language);
        let generation =
            build_generation(&searcher, &meta, &fields, &analyzer).map_err(|e| e.at(dir))?;
        Ok(PassageIndex {
            dir: dir.to_path_buf(),
            analyzer,
            index,
            reader,
            fields,
            snapshot: RwLock::new(Arc::new(Snapshot {
                searcher,
                meta: Arc::new(meta),
                generation: Arc::new(generation),
            })),
            reloading: Mutex::new(()),
            commit_stamp: Mutex::new(commit_stamp(dir)),
            stale: StaleSources::default(),
            analyzers: Mutex::new(Vec::new()),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The record of the commit currently searched (see [`PassageIndex::info`]).
    pub(crate) fn meta(&self) -> Arc<IndexMeta> {
        self.snapshot().meta.clone()
    }

    /// The searcher and metadata of the current commit.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        // The lock guards one `Arc`, replaced in one assignment: never half-written.
        self.snapshot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What a searcher generation needs besides the searcher: its citation columns,
    /// text decoder and its deleted passages' contribution to the statistics. Made
    /// when the commit was opened; this only hands it out.
    pub(crate) fn generation(&self, snapshot: &Snapshot) -> Result<Arc<Generation>> {
        Ok(snapshot.generation.clone())
    }

    /// Runs `f`, which reads the index, as one guarded step: tantivy errors and
    /// panics raised by damaged files become this index's typed errors.
    pub(crate) fn guard<T>(&self, f: impl FnOnce() -> Result<T, Failure>) -> Result<T> {
        guarded(
            || f().map_err(|e| e.at(&self.dir)),
            |what| Failure::Panicked(what).at(&self.dir),
        )
    }

    /// The schema's field handles.
    pub(crate) fn fields(&self) -> PassageFields {
        self.fields
    }

    /// Number of passages searched.
    pub fn passage_count(&self) -> u64 {
        self.snapshot().searcher.num_docs()
    }

    /// Picks up the latest commit, if a writer made one since the index was opened
    /// (or last reloaded). Returns whether anything changed. Searches running during
    /// the reload finish on the state they started with. `search` calls this by
    /// itself when `meta.json` changed, so a long-running process follows updates.
    pub fn reload(&self) -> Result<bool> {
        // One reload at a time: the reader is shared, and a snapshot must pair the
        // searcher a reload checked with that reload's metadata.
        let reloading = lock(&self.reloading);
        self.reload_holding(reloading)
    }

    /// Reloads; `_reloading` is the held reload lock. The new commit's
    /// [`Generation`] is made here, before the snapshot is swapped: searches keep
    /// running on the old snapshot meanwhile, and none waits for it.
    fn reload_holding(&self, _reloading: MutexGuard<'_, ()>) -> Result<bool> {
        *lock(&self.commit_stamp) = commit_stamp(&self.dir);
        let current = self.snapshot();
        let (searcher, latest) =
            self.guard(|| consistent_meta(&self.index, &self.reader).map_err(Failure::from))?;
        match latest {
            Some(latest) if latest.is_compatible() => {
                let same_searcher = same_segments(&searcher, &current.searcher);
                let changed = latest != *current.meta || !same_searcher;
                if changed {
                    // The columns and statistics depend on the segments only; the
                    // text decoder on the metadata's dictionary.
                    let made = if same_searcher && latest.dictionary == current.meta.dictionary {
                        current.generation.clone()
                    } else {
                        Arc::new(self.guard(|| {
                            build_generation(&searcher, &latest, &self.fields, &self.analyzer)
                        })?)
                    };
                    *self
                        .snapshot
                        .write()
                        .unwrap_or_else(PoisonError::into_inner) = Arc::new(Snapshot {
                        searcher,
                        meta: Arc::new(latest),
                        generation: made,
                    });
                }
                Ok(changed)
            }
            // An index rebuilt by another version: keep searching what was open.
            _ => Ok(false),
        }
    }

    /// Reloads when a writer committed since the last look. A failed reload (a
    /// writer cleaning up at that very moment) keeps the current state: the next
    /// search tries again. While another thread reloads, a search does not wait:
    /// it runs on the current snapshot.
    pub(crate) fn follow_commits(&self) {
        let seen = *lock(&self.commit_stamp);
        if commit_stamp(&self.dir) == seen {
            return;
        }
        let reloading = match self.reloading.try_lock() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::WouldBlock) => return,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                self.reloading.clear_poison();
                poisoned.into_inner()
            }
        };
        if self.reload_holding(reloading).is_err() {
            *lock(&self.commit_stamp) = seen;
        }
    }

    /// Runs `query` and returns ranked passages with citations.
    ///
    /// A query longer than [`MAX_QUERY_BYTES`] is refused; one with more than
    /// [`MAX_QUERY_WORDS`] words is searched on its first ones, with a warning in
    /// [`SearchResults::warnings`]. A limit above [`MAX_LIMIT`] is refused, and so
    /// is an offset and limit that add up to more (as [`SearchError::LimitTooLarge`],
    /// with their sum as the limit: a page that deep ranks that many passages), and
    /// any option out of its range (see [`SearchOptions::validate`]).
    ///
    /// The call blocks: it reads the index (memory-mapped files) on the calling
    /// thread and returns when the hits are ready, typically in milliseconds. It
    /// takes `&self`, so threads sharing one `PassageIndex` (by reference or in an
    /// `Arc`) search at the same time; in async code, run it with
    /// `spawn_blocking`.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<SearchResults> {
        if query.len() > MAX_QUERY_BYTES {
            return Err(SearchError::QueryTooLong {
                bytes: query.len(),
                max: MAX_QUERY_BYTES,
            });
        }
        options.validate()?;
        self.follow_commits();
        let parsed = syntax::parse(query);
        if parsed.clauses.is_empty() && !options.has_filters() {
            return Err(SearchError::EmptyQuery);
        }
        self.run(query, &parsed, options, false, None)
    }

    /// Lists every passage that passes `options`' filters (all of them when there
    /// are none), newest first unless [`SearchOptions::sort`] says otherwise, with
    /// the facets the options ask for: what [`PassageIndex::search`] returns for a
    /// query of filters only, without needing one. [`SearchResults::query`] is
    /// empty. Errors as for `search`.
    pub fn browse(&self, options: &SearchOptions) -> Result<SearchResults> {
        options.validate()?;
        self.follow_commits();
        self.run("", &ParsedQuery::default(), options, true, None)
    }

    /// Runs a parsed query (`match_all`: with no words and no filters, every
    /// passage).
    ///
    /// With `shard`, the candidates a merge of shards needs are put there instead
    /// of the hits (see [`crate::pipeline::shard`]).
    pub(crate) fn run(
        &self,
        query: &str,
        parsed: &ParsedQuery,
        options: &SearchOptions,
        match_all: bool,
        shard: Option<&mut ShardPart>,
    ) -> Result<SearchResults> {
        let snapshot = self.snapshot();
        let mut analyzer = self.take_analyzer();
        let outcome = self.guard(|| {
            let request = Request {
                query,
                parsed,
                match_all,
            };
            self.search_unguarded(request, options, &snapshot, &mut analyzer, shard)
        });
        // An analyzer a caught panic interrupted is not reused.
        if !matches!(outcome, Err(SearchError::Corrupt { .. })) {
            self.return_analyzer(analyzer);
        }
        outcome
    }

    fn search_unguarded(
        &self,
        Request {
            query,
            parsed,
            match_all,
        }: Request<'_>,
        options: &SearchOptions,
        snapshot: &Snapshot,
        analyzer: &mut TextAnalyzer,
        shard: Option<&mut ShardPart>,
    ) -> Result<SearchResults, Failure> {
        let searcher = &snapshot.searcher;
        let generation = &snapshot.generation;
        let live = LiveStatistics {
            searcher,
            deleted: &generation.deleted,
        };
        let source = match options.statistics.as_deref() {
            Some(global) => Source::Global(global),
            None => Source::Live,
        };
        let stats = Statistics::new(live, source);
        let mut planner = Planner {
            searcher,
            stats: &stats,
            fields: self.fields,
            analyzer,
            weights: options.ranking,
            typo_tolerance: options.typo_tolerance,
            max_words: MAX_QUERY_WORDS,
            match_all,
        };
        let Some(mut plan) = planner.plan(parsed, options)? else {
            return Err(Failure::Typed(SearchError::NothingSearchable(
                query.trim().to_string(),
            )));
        };
        // Words rank; a query of filters alone lists the newest first.
        let default_sort = if plan.ranked {
            Sort::Relevance
        } else {
            Sort::Newest
        };
        let sort = options.sort.unwrap_or(default_sort);
        let mut results = SearchResults {
            query: query.to_string(),
            hits: Vec::new(),
            total_matches: None,
            corrections: plan.corrections.clone(),
            warnings: parsed.warnings.clone(),
            sort,
            facets: None,
        };
        results.warnings.append(&mut plan.warnings);
        if plan.dropped_words > 0 {
            results.warnings.push(format!(
                "the query has {} searchable words; only the first {MAX_QUERY_WORDS} were searched",
                MAX_QUERY_WORDS + plan.dropped_words
            ));
        }
        let meta = &snapshot.meta;
        let no_copies = CopyGroups::default();
        let copies = if options.collapse {
            generation.copies(searcher, meta)?
        } else {
            &no_copies
        };
        let mut ctx = Context {
            searcher,
            stats: &stats,
            fields: self.fields,
            analyzer,
            meta,
            stale: &self.stale,
            columns: &generation.columns,
            texts: &generation.texts,
            copies,
        };
        if let Some(feedback) = &options.feedback {
            expansion::expand(&mut ctx, &mut plan, options, feedback)?;
        }
        if options.limit == 0 {
            // No page, but the count and the facets are those of any page: over
            // every match of the final query.
            let query = plan.search_query();
            if options.count_matches {
                results.total_matches = Some(searcher.search(&*query, &Count)?);
            }
            if !options.facets.is_empty() {
                results.facets = Some(faceting::count(searcher, &*query, &options.facets)?);
            }
            surface::spell_corrections(&mut ctx, &mut results.corrections, [])?;
            return Ok(results);
        }
        if !options.facets.is_empty() {
            // Over every match of the final query (feedback widens it).
            let query = plan.search_query();
            results.facets = Some(faceting::count(searcher, &*query, &options.facets)?);
        }
        if let Some(part) = shard {
            let (found, total) = pipeline::shard::candidates(&mut ctx, &plan, options, sort)?;
            let texts = found.iter().map(|c| c.hit.text.as_str());
            surface::spell_corrections(&mut ctx, &mut results.corrections, texts)?;
            part.candidates = found;
            part.passages = searcher.num_docs();
            results.total_matches = options.count_matches.then_some(total);
            return Ok(results);
        }
        let (hits, total) = pipeline::run(&mut ctx, &plan, options, sort, false)?;
        let texts = hits.iter().map(|h| h.text.as_str());
        surface::spell_corrections(&mut ctx, &mut results.corrections, texts)?;
        results.hits = hits;
        results.total_matches = options.count_matches.then_some(total);
        Ok(results)
    }

    /// Runs `f` with a search [`Context`] over the current commit (after following
    /// new commits), as one guarded step, with a pooled analyzer: what `search`
    /// sets up, for searches planned elsewhere in the crate (`related`).
    pub(crate) fn with_context<T>(
        &self,
        f: impl FnOnce(&mut Context<'_>) -> Result<T, Failure>,
    ) -> Result<T> {
        self.with_statistics(Source::Live, f)
    }

    /// [`PassageIndex::with_context`], scoring with the figures `source` names.
    pub(crate) fn with_statistics<T>(
        &self,
        source: Source<'_>,
        f: impl FnOnce(&mut Context<'_>) -> Result<T, Failure>,
    ) -> Result<T> {
        self.follow_commits();
        let snapshot = self.snapshot();
        let generation = &snapshot.generation;
        let live = LiveStatistics {
            searcher: &snapshot.searcher,
            deleted: &generation.deleted,
        };
        let stats = Statistics::new(live, source);
        let mut analyzer = self.take_analyzer();
        let no_copies = CopyGroups::default();
        let outcome = self.guard(|| {
            f(&mut Context {
                searcher: &snapshot.searcher,
                stats: &stats,
                fields: self.fields,
                analyzer: &mut analyzer,
                meta: &snapshot.meta,
                stale: &self.stale,
                columns: &generation.columns,
                texts: &generation.texts,
                copies: &no_copies,
            })
        });
        // An analyzer a caught panic interrupted is not reused.
        if !matches!(outcome, Err(SearchError::Corrupt { .. })) {
            self.return_analyzer(analyzer);
        }
        outcome
    }

    /// An analyzer for one search. Analyzers are pooled so that their stem caches
    /// stay warm from query to query.
    fn take_analyzer(&self) -> TextAnalyzer {
        let pooled = lock(&self.analyzers).pop();
        pooled.unwrap_or_else(|| self.analyzer.clone())
    }

    fn return_analyzer(&self, analyzer: TextAnalyzer) {
        let mut pool = lock(&self.analyzers);
        if pool.len() < MAX_POOLED_ANALYZERS {
            pool.push(analyzer);
        }
    }

    /// The citations of every passage of article `doc_id`, in reading order.
    pub fn article(&self, doc_id: &str) -> Result<Vec<Citation>> {
        let snapshot = self.snapshot();
        let generation = self.generation(&snapshot)?;
        let term = Term::from_field_text(self.fields.doc_id, doc_id);
        let mut citations: Vec<Citation> = self
            .passages_with(&snapshot.searcher, &generation, term)?
            .into_iter()
            .map(|(_, _, citation)| citation)
            .collect();
        citations.sort_by(|a, b| {
            (&a.path, a.line, a.paragraph, a.byte_start).cmp(&(
                &b.path,
                b.line,
                b.paragraph,
                b.byte_start,
            ))
        });
        Ok(citations)
    }

    /// Every passage holding `term` (an untokenized field: an article id, a path),
    /// with its citation; in index order, so passages of one group are read one
    /// after the other.
    pub(crate) fn passages_with(
        &self,
        searcher: &tantivy::Searcher,
        generation: &Generation,
        term: Term,
    ) -> Result<Vec<(tantivy::DocAddress, String, Citation)>> {
        self.guard(|| {
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            let limit = (searcher.num_docs() as usize).max(1);
            let found = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
            let mut addresses: Vec<tantivy::DocAddress> =
                found.into_iter().map(|(_, a)| a).collect();
            addresses.sort();
            let mut group = None;
            addresses
                .into_iter()
                .map(|address| {
                    let columns = &generation.columns[address.segment_ord as usize];
                    let (text, citation) = generation
                        .texts
                        .read_cached(searcher, columns, address, &mut group)?;
                    Ok((address, text, citation))
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests;
