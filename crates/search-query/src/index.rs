//! [`PassageIndex`], the entry type: open an index once, search it from any thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use search_core::stored_text::TextDecoder;
use search_core::{Citation, IndexMeta, PassageFields};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, Term};

use crate::columns::SegmentColumns;
use crate::error::{Result, SearchError};
use crate::feedback::{expanded_query, expansion_terms};
use crate::options::SearchOptions;
use crate::pipeline::{self, Context};
use crate::plan::Planner;
use crate::readonly::ReadOnlyDirectory;
use crate::results::SearchResults;
use crate::stale::StaleSources;
use crate::stats::{DeletedContribution, LiveStatistics};
use crate::syntax;
use crate::texts::PassageTexts;
use tantivy::query::Bm25StatisticsProvider;

/// How many times opening is retried when a writer's cleanup races it.
const OPEN_ATTEMPTS: usize = 5;

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

/// Per-commit companions of a searcher.
pub(crate) struct Generation {
    /// Citation columns, one entry per segment.
    pub columns: Vec<SegmentColumns>,
    /// What deleted passages add to tantivy's statistics.
    pub deleted: DeletedContribution,
    /// Reads passage text with the commit's dictionary.
    pub texts: PassageTexts,
}

/// An open passage index. Cheap to share: `search` takes `&self`, and the type is
/// `Send + Sync`, so one instance serves many threads.
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
    /// Citation columns of the last searcher generation.
    generation: Mutex<Option<(u64, Arc<Generation>)>>,
    /// Verdicts on whether sources changed since indexing.
    stale: StaleSources,
    /// Analyzers with warm stem caches, one per concurrent search at most.
    analyzers: Mutex<Vec<TextAnalyzer>>,
}

/// A searcher and the metadata of the commit it searches. Taken together, so that a
/// search never reads one commit's segments with another commit's dictionary or
/// file records.
pub(crate) struct Snapshot {
    pub searcher: Searcher,
    pub meta: Arc<IndexMeta>,
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
    pub fn open(dir: impl AsRef<Path>) -> Result<PassageIndex> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.join("meta.json").is_file() {
            return Err(SearchError::IndexNotFound(dir));
        }
        let mut last_error = None;
        for attempt in 0..OPEN_ATTEMPTS {
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
        Err(last_error.expect("at least one attempt"))
    }

    fn try_open(dir: &Path) -> Result<PassageIndex> {
        let corrupt = |reason: String| SearchError::Corrupt {
            dir: dir.to_path_buf(),
            reason,
        };
        let directory = ReadOnlyDirectory::open(dir).map_err(|e| corrupt(e.to_string()))?;
        let index = Index::open(directory).map_err(|e| corrupt(e.to_string()))?;
        let fields = PassageFields::from_schema(&index.schema())
            .map_err(|_| SearchError::Incompatible(dir.to_path_buf()))?;
        // The language, to register the analyzer; the file table is read below.
        let payload = index
            .load_metas()
            .map_err(|e| corrupt(e.to_string()))?
            .payload;
        let first = payload
            .as_deref()
            .and_then(|p| IndexMeta::from_payload(p).ok())
            .filter(IndexMeta::is_compatible)
            .ok_or_else(|| SearchError::Incompatible(dir.to_path_buf()))?;
        search_core::register_analyzer(&index, first.language);
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| corrupt(e.to_string()))?;
        let (searcher, meta) =
            consistent_meta(&index, &reader).map_err(|e| corrupt(e.to_string()))?;
        let meta = meta
            .filter(IndexMeta::is_compatible)
            .ok_or_else(|| SearchError::Incompatible(dir.to_path_buf()))?;
        Ok(PassageIndex {
            dir: dir.to_path_buf(),
            analyzer: search_core::news_analyzer(meta.language),
            index,
            reader,
            fields,
            snapshot: RwLock::new(Arc::new(Snapshot {
                searcher,
                meta: Arc::new(meta),
            })),
            reloading: Mutex::new(()),
            commit_stamp: Mutex::new(commit_stamp(dir)),
            generation: Mutex::new(None),
            stale: StaleSources::default(),
            analyzers: Mutex::new(Vec::new()),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The metadata of the commit currently searched.
    pub fn meta(&self) -> Arc<IndexMeta> {
        self.snapshot().meta.clone()
    }

    /// The searcher and metadata of the current commit.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().expect("snapshot lock").clone()
    }

    /// What a searcher generation needs besides the searcher: its citation columns
    /// and its deleted passages' contribution to the statistics. Made once per
    /// commit.
    pub(crate) fn generation(&self, snapshot: &Snapshot) -> Result<Arc<Generation>> {
        let searcher = &snapshot.searcher;
        let id = searcher.generation().generation_id();
        let mut cache = self.generation.lock().expect("generation lock");
        if let Some((seen, generation)) = &*cache {
            if *seen == id {
                return Ok(generation.clone());
            }
        }
        let columns: Vec<SegmentColumns> = searcher
            .segment_readers()
            .iter()
            .map(SegmentColumns::open)
            .collect();
        let decoder = TextDecoder::new(snapshot.meta.dictionary.as_deref());
        let texts = PassageTexts::new(decoder, &self.fields);
        let deleted = DeletedContribution::compute(
            searcher,
            &self.fields,
            &columns,
            &texts,
            &mut self.analyzer.clone(),
        )?;
        let generation = Arc::new(Generation {
            columns,
            deleted,
            texts,
        });
        *cache = Some((id, generation.clone()));
        Ok(generation)
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
        let _reloading = self.reloading.lock().expect("reload lock");
        *self.commit_stamp.lock().expect("stamp lock") = commit_stamp(&self.dir);
        let current = self.snapshot();
        let (searcher, latest) = consistent_meta(&self.index, &self.reader)?;
        match latest {
            Some(latest) if latest.is_compatible() => {
                let generation = |s: &Searcher| s.generation().generation_id();
                let changed = latest != *current.meta
                    || generation(&searcher) != generation(&current.searcher);
                if changed {
                    *self.snapshot.write().expect("snapshot lock") = Arc::new(Snapshot {
                        searcher,
                        meta: Arc::new(latest),
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
    /// search tries again.
    fn follow_commits(&self) {
        let seen = *self.commit_stamp.lock().expect("stamp lock");
        if commit_stamp(&self.dir) != seen && self.reload().is_err() {
            *self.commit_stamp.lock().expect("stamp lock") = seen;
        }
    }

    /// Runs `query` and returns ranked passages with citations.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<SearchResults> {
        self.follow_commits();
        let parsed = syntax::parse(query);
        let snapshot = self.snapshot();
        let searcher = &snapshot.searcher;
        let generation = self.generation(&snapshot)?;
        let stats = LiveStatistics {
            searcher,
            deleted: &generation.deleted,
        };
        let mut planner = Planner {
            searcher,
            stats: &stats,
            fields: self.fields,
            analyzer: self.take_analyzer(),
            weights: options.ranking,
            typo_tolerance: options.typo_tolerance,
        };
        let mut plan = planner.plan(&parsed)?.ok_or(SearchError::EmptyQuery)?;
        let analyzer = planner.analyzer;
        let mut results = SearchResults {
            query: query.to_string(),
            hits: Vec::new(),
            total_matches: None,
            corrections: plan.corrections.clone(),
            warnings: parsed.warnings.clone(),
        };
        if options.limit == 0 {
            return Ok(results);
        }
        let meta = &snapshot.meta;
        let mut ctx = Context {
            searcher,
            stats: &stats,
            fields: self.fields,
            analyzer,
            meta,
            stale: &self.stale,
            columns: &generation.columns,
            texts: &generation.texts,
        };
        if let Some(feedback) = &options.feedback {
            let first_pass = SearchOptions {
                limit: feedback.docs,
                per_article: false,
                highlights: false,
                check_stale: false,
                feedback: None,
                ..options.clone()
            };
            let (seed_hits, _) = pipeline::run(&mut ctx, &plan, &first_pass)?;
            let text = self.fields.text;
            let docs = searcher.num_docs() as f32;
            let idf = |term: &str| {
                let n = stats
                    .doc_freq(&Term::from_field_text(text, term))
                    .unwrap_or(0) as f32;
                (1.0 + (docs - n + 0.5) / (n + 0.5)).ln()
            };
            let expansion = expansion_terms(
                &seed_hits,
                &mut ctx.analyzer,
                feedback,
                &plan.ordered_terms,
                idf,
            );
            if !expansion.is_empty() {
                plan.query = expanded_query(
                    plan.query,
                    &expansion,
                    self.fields.text,
                    feedback,
                    plan.ordered_terms.len(),
                );
            }
        }
        let (hits, total) = pipeline::run(&mut ctx, &plan, options)?;
        self.return_analyzer(ctx.analyzer);
        results.hits = hits;
        results.total_matches = options.count_matches.then_some(total);
        Ok(results)
    }

    /// An analyzer for one search. Analyzers are pooled so that their stem caches
    /// stay warm from query to query.
    fn take_analyzer(&self) -> TextAnalyzer {
        let pooled = self.analyzers.lock().expect("analyzer pool lock").pop();
        pooled.unwrap_or_else(|| self.analyzer.clone())
    }

    fn return_analyzer(&self, analyzer: TextAnalyzer) {
        let mut pool = self.analyzers.lock().expect("analyzer pool lock");
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
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let limit = (searcher.num_docs() as usize).max(1);
        let found = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut addresses: Vec<tantivy::DocAddress> = found.into_iter().map(|(_, a)| a).collect();
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
    }
}
