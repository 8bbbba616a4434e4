//! [`PassageIndex`], the entry type: open an index once, search it from any thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use search_core::{Citation, IndexMeta, PassageFields};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

use crate::columns::SegmentColumns;
use crate::error::{Result, SearchError};
use crate::feedback::{expanded_query, expansion_terms};
use crate::options::SearchOptions;
use crate::pipeline::{self, Context};
use crate::plan::Planner;
use crate::readonly::ReadOnlyDirectory;
use crate::results::SearchResults;
use crate::syntax;

/// How many times opening is retried when a writer's cleanup races it.
const OPEN_ATTEMPTS: usize = 5;

/// An open passage index. Cheap to share: `search` takes `&self`, and the type is
/// `Send + Sync`, so one instance serves many threads.
pub struct PassageIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: PassageFields,
    analyzer: TextAnalyzer,
    meta: RwLock<Arc<IndexMeta>>,
    /// Size and modification time of `meta.json` when last loaded: a cheap way to
    /// notice that a writer committed.
    commit_stamp: Mutex<Option<CommitStamp>>,
    /// Citation columns of the last searcher generation.
    columns: Mutex<Option<(u64, Arc<Vec<SegmentColumns>>)>>,
}

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
        let meta = search_core::read_meta(&index)
            .map_err(|e| corrupt(e.to_string()))?
            .filter(IndexMeta::is_compatible)
            .ok_or_else(|| SearchError::Incompatible(dir.to_path_buf()))?;
        search_core::register_analyzer(&index, meta.language);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| corrupt(e.to_string()))?;
        Ok(PassageIndex {
            dir: dir.to_path_buf(),
            analyzer: search_core::news_analyzer(meta.language),
            index,
            reader,
            fields,
            meta: RwLock::new(Arc::new(meta)),
            commit_stamp: Mutex::new(commit_stamp(dir)),
            columns: Mutex::new(None),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The metadata of the commit currently searched.
    pub fn meta(&self) -> Arc<IndexMeta> {
        self.meta.read().expect("meta lock").clone()
    }

    /// The searcher of the current commit.
    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The citation columns of `searcher`'s segments, opened once per commit.
    pub(crate) fn columns(&self, searcher: &tantivy::Searcher) -> Arc<Vec<SegmentColumns>> {
        let generation = searcher.generation().generation_id();
        let mut cache = self.columns.lock().expect("columns lock");
        match &*cache {
            Some((seen, columns)) if *seen == generation => columns.clone(),
            _ => {
                let columns: Arc<Vec<SegmentColumns>> = Arc::new(
                    searcher
                        .segment_readers()
                        .iter()
                        .map(SegmentColumns::open)
                        .collect(),
                );
                *cache = Some((generation, columns.clone()));
                columns
            }
        }
    }

    /// The schema's field handles.
    pub(crate) fn fields(&self) -> PassageFields {
        self.fields
    }

    /// Number of passages searched.
    pub fn passage_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Picks up the latest commit, if a writer made one since the index was opened
    /// (or last reloaded). Returns whether anything changed. Searches running during
    /// the reload finish on the state they started with. `search` calls this by
    /// itself when `meta.json` changed, so a long-running process follows updates.
    pub fn reload(&self) -> Result<bool> {
        *self.commit_stamp.lock().expect("stamp lock") = commit_stamp(&self.dir);
        let current = self.meta();
        let latest = search_core::read_meta(&self.index)?;
        match latest {
            Some(latest) if latest != *current => {
                self.reader.reload()?;
                *self.meta.write().expect("meta lock") = Arc::new(latest);
                Ok(true)
            }
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
        let searcher = self.reader.searcher();
        let mut planner = Planner {
            searcher: &searcher,
            fields: self.fields,
            analyzer: self.analyzer.clone(),
            weights: options.ranking,
            typo_tolerance: options.typo_tolerance,
        };
        let mut plan = planner.plan(&parsed)?.ok_or(SearchError::EmptyQuery)?;
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
        let meta = self.meta();
        let columns = self.columns(&searcher);
        let mut ctx = Context {
            searcher: &searcher,
            fields: self.fields,
            analyzer: self.analyzer.clone(),
            meta: &meta,
            columns: &columns,
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
                let n = searcher
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
        results.hits = hits;
        results.total_matches = options.count_matches.then_some(total);
        Ok(results)
    }

    /// The citations of every passage of article `doc_id`, in reading order.
    pub fn article(&self, doc_id: &str) -> Result<Vec<Citation>> {
        let searcher = self.reader.searcher();
        let columns = self.columns(&searcher);
        let query = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, doc_id),
            IndexRecordOption::Basic,
        );
        let limit = (searcher.num_docs() as usize).max(1);
        let found = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut citations: Vec<Citation> = found
            .into_iter()
            .map(|(_, a)| columns[a.segment_ord as usize].citation(a.doc_id))
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
}
