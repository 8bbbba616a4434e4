//! `passage_search._native`: the library's entry points for Python.
//!
//! Values cross as JSON text (the library's JSON contract, which the Python
//! package turns into objects), so that Python sees exactly what the HTTP API
//! and `search query --json` show. Options cross as a JSON object whose names
//! are those of the Python keyword arguments; an unknown name is refused. Every
//! call that reads an index releases the GIL while it does.

use std::path::PathBuf;
use std::str::FromStr;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use search_indexer::{IndexError, IndexOptions, Indexer, Shard};
use search_query::{
    Citation, CitationStatus, DateRange, Facet, Feedback, FilterField, Lookup, PassageIndex,
    QueryStatistics, SearchError, SearchOptions, Seed, ShardResults, Shown, Sort,
};
use serde::Deserialize;

create_exception!(
    _native,
    SearchFailure,
    PyException,
    "A search, a citation check or an index build failed; `args` is (kind, message)."
);

/// The kind of a search error, as a stable snake_case name.
fn search_kind(err: &SearchError) -> &'static str {
    match err {
        SearchError::IndexNotFound(_) => "index_not_found",
        SearchError::NotADirectory(_) => "not_a_directory",
        SearchError::NotAnIndex { .. } => "not_an_index",
        SearchError::Incomplete(_) => "incomplete",
        SearchError::PermissionDenied { .. } => "permission_denied",
        SearchError::Unreadable { .. } => "unreadable",
        SearchError::Incompatible(_) => "incompatible",
        SearchError::Corrupt { .. } => "corrupt",
        SearchError::EmptyQuery => "empty_query",
        SearchError::NothingSearchable(_) => "nothing_searchable",
        SearchError::QueryTooLong { .. } => "query_too_long",
        SearchError::LimitTooLarge { .. } => "limit_too_large",
        SearchError::InvalidOption { .. } => "invalid_option",
        SearchError::NotACitation(_) => "not_a_citation",
        SearchError::CitationNotFound { .. } => "citation_not_found",
        _ => "io",
    }
}

fn failure(kind: &str, message: impl ToString) -> PyErr {
    SearchFailure::new_err((kind.to_string(), message.to_string()))
}

fn search_failure(err: SearchError) -> PyErr {
    failure(search_kind(&err), err)
}

fn index_failure(err: IndexError) -> PyErr {
    let kind = match &err {
        IndexError::CorpusNotFound(_) => "corpus_not_found",
        IndexError::NoCorpus => "no_corpus",
        IndexError::NotAnIndex { .. } => "not_an_index",
        IndexError::NotADirectory(_) => "not_a_directory",
        IndexError::PermissionDenied { .. } => "permission_denied",
        IndexError::Locked { .. } => "locked",
        IndexError::Corrupt { .. } => "corrupt",
        _ => "io",
    };
    failure(kind, err)
}

fn bad_option(option: &str, reason: impl std::fmt::Display) -> PyErr {
    failure(
        "invalid_option",
        format!("invalid option `{option}`: {reason}"),
    )
}

fn from_json<'a, T: Deserialize<'a>>(what: &str, text: &'a str) -> PyResult<T> {
    serde_json::from_str(text).map_err(|e| bad_option(what, e))
}

fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| failure("io", e))
}

/// Feedback as Python gives it: `True`, or its settings.
#[derive(Deserialize)]
#[serde(untagged)]
enum FeedbackSpec {
    On(bool),
    Settings {
        docs: Option<usize>,
        terms: Option<usize>,
        original_weight: Option<f32>,
    },
}

/// The keyword arguments of a search, by their Python names.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct Options {
    limit: Option<usize>,
    offset: Option<usize>,
    per_article: bool,
    collapse: bool,
    typos: Option<bool>,
    check_stale: Option<bool>,
    highlights: Option<bool>,
    count: bool,
    explain: bool,
    feedback: Option<FeedbackSpec>,
    sort: Option<String>,
    facets: Vec<String>,
    /// `[field, value]` pairs a hit must have (values of one field OR together).
    filters: Vec<(String, String)>,
    /// `[field, value]` pairs a hit must not have.
    exclude: Vec<(String, String)>,
    /// Date ranges, ORed (`2025-12`, `2025-12-01..2025-12-05`, `>=2025-11-28`).
    dates: Vec<String>,
    since: Option<String>,
    until: Option<String>,
    /// Every shard's statistics, for a shard of a sharded search.
    statistics: Option<QueryStatistics>,
    /// Feedback's seeds, for a shard of a sharded search.
    seeds: Option<Vec<Seed>>,
}

impl Options {
    fn search_options(self) -> PyResult<SearchOptions> {
        let defaults = SearchOptions::new();
        let mut options = SearchOptions::new()
            .limit(self.limit.unwrap_or(defaults.get_limit()))
            .offset(self.offset.unwrap_or(0))
            .per_article(self.per_article)
            .collapse(self.collapse)
            .typo_tolerance(self.typos.unwrap_or(true))
            .check_stale(self.check_stale.unwrap_or(true))
            .highlights(self.highlights.unwrap_or(true))
            .count_matches(self.count)
            .explain(self.explain)
            .global_statistics(self.statistics)
            .feedback_seeds(self.seeds);
        let feedback = match self.feedback {
            None | Some(FeedbackSpec::On(false)) => None,
            Some(FeedbackSpec::On(true)) => Some(Feedback::default()),
            Some(FeedbackSpec::Settings {
                docs,
                terms,
                original_weight,
            }) => {
                let default = Feedback::default();
                Some(Feedback {
                    docs: docs.unwrap_or(default.docs),
                    terms: terms.unwrap_or(default.terms),
                    original_weight: original_weight.unwrap_or(default.original_weight),
                })
            }
        };
        options = options.feedback(feedback);
        if let Some(sort) = self.sort {
            options = options.sort(Sort::from_str(&sort).map_err(|e| bad_option("sort", e))?);
        }
        if !self.facets.is_empty() {
            let facets =
                Facet::parse_list(&self.facets.join(",")).map_err(|e| bad_option("facets", e))?;
            options = options.facets(facets);
        }
        for (field, value) in self.filters {
            options = options.filter(filter_field(&field, "filters")?, value);
        }
        for (field, value) in self.exclude {
            options = options.exclude(filter_field(&field, "exclude")?, value);
        }
        for date in self.dates {
            options = options.date(DateRange::parse(&date).map_err(|e| bad_option("dates", e))?);
        }
        let any = DateRange::default();
        let since = match self.since {
            Some(since) => DateRange::since(&since).map_err(|e| bad_option("since", e))?,
            None => any,
        };
        let until = match self.until {
            Some(until) => DateRange::until(&until).map_err(|e| bad_option("until", e))?,
            None => any,
        };
        options = options.within(since.intersect(&until));
        options.validate().map_err(search_failure)?;
        Ok(options)
    }
}

/// The library's options from the JSON object of a call's keyword arguments.
fn search_options(json: &str) -> PyResult<SearchOptions> {
    from_json::<Options>("options", json)?.search_options()
}

fn filter_field(name: &str, option: &str) -> PyResult<FilterField> {
    [
        FilterField::Source,
        FilterField::Author,
        FilterField::Title,
        FilterField::Id,
        FilterField::Url,
    ]
    .into_iter()
    .find(|f| f.name() == name)
    .ok_or_else(|| {
        bad_option(
            option,
            format!("unknown field `{name}`: use source, author, title, id or url"),
        )
    })
}

/// An open index, shared by every Python thread that searches it.
#[pyclass(frozen, module = "passage_search._native")]
struct Index {
    inner: PassageIndex,
}

#[pymethods]
impl Index {
    #[new]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Index> {
        let inner = py
            .detach(|| PassageIndex::open(&path))
            .map_err(search_failure)?;
        Ok(Index { inner })
    }

    /// The index folder.
    #[getter]
    fn path(&self) -> PathBuf {
        self.inner.dir().to_path_buf()
    }

    /// Live passages.
    #[getter]
    fn passage_count(&self) -> u64 {
        self.inner.passage_count()
    }

    /// The results of `query` as JSON.
    fn search(&self, py: Python<'_>, query: String, options: String) -> PyResult<String> {
        let options = search_options(&options)?;
        let results = py
            .detach(|| self.inner.search(&query, &options))
            .map_err(search_failure)?;
        to_json(&results)
    }

    /// Whether the citation (JSON) still holds: `holds`, `stale`, `missing` or
    /// `not_indexed`.
    fn check(&self, py: Python<'_>, citation: String) -> PyResult<String> {
        let citation: Citation = from_json("citation", &citation)?;
        let status = py
            .detach(|| self.inner.check(&citation))
            .map_err(search_failure)?;
        Ok(match status {
            CitationStatus::Holds => "holds",
            CitationStatus::Stale { .. } => "stale",
            CitationStatus::Missing => "missing",
            _ => "not_indexed",
        }
        .to_string())
    }

    /// The cited passage(s) of `citation` (as `search query` prints it) with
    /// `context` paragraphs on each side, checked against the source: what
    /// `search show --format json` prints, as JSON. A citation this index does
    /// not hold raises kind `citation_not_found`; text that is no citation,
    /// `not_a_citation`.
    fn show(&self, py: Python<'_>, citation: String, context: usize) -> PyResult<String> {
        let shown = py.detach(|| -> Result<Shown, SearchError> {
            match self.inner.lookup(&citation)? {
                Some(Lookup::Found(found)) => self.inner.show(&found, context),
                Some(other) => Err(SearchError::CitationNotFound {
                    citation: citation.clone(),
                    lookup: Box::new(other),
                }),
                None => Err(SearchError::NotACitation(citation.clone())),
            }
        });
        to_json(&shown.map_err(search_failure)?)
    }

    /// The statistics `query` consults on this shard, as JSON.
    fn statistics(&self, py: Python<'_>, query: String, options: String) -> PyResult<String> {
        let options = search_options(&options)?;
        let stats = py
            .detach(|| self.inner.statistics(&query, &options))
            .map_err(search_failure)?;
        to_json(&stats)
    }

    /// The statistics of the words feedback's seeds (JSON) use, as JSON.
    fn feedback_statistics(&self, py: Python<'_>, seeds: String) -> PyResult<String> {
        let seeds: Vec<Seed> = from_json("seeds", &seeds)?;
        let stats = py
            .detach(|| self.inner.feedback_statistics(&seeds))
            .map_err(search_failure)?;
        to_json(&stats)
    }

    /// This shard's part of a sharded search, as JSON.
    fn search_shard(&self, py: Python<'_>, query: String, options: String) -> PyResult<String> {
        let options = search_options(&options)?;
        let part = py
            .detach(|| self.inner.search_shard(&query, &options))
            .map_err(search_failure)?;
        to_json(&part)
    }
}

/// The sum of shards' statistics (JSON texts), as JSON.
#[pyfunction]
fn merge_statistics(parts: Vec<String>) -> PyResult<String> {
    let parts = parts
        .iter()
        .map(|p| from_json::<QueryStatistics>("statistics", p))
        .collect::<PyResult<Vec<_>>>()?;
    to_json(&QueryStatistics::merged(&parts))
}

/// `base` with the figures of `later` taken over it (see
/// `QueryStatistics::update`), as JSON.
#[pyfunction]
fn update_statistics(base: String, later: String) -> PyResult<String> {
    let mut base: QueryStatistics = from_json("statistics", &base)?;
    base.update(&from_json("statistics", &later)?);
    to_json(&base)
}

/// The results of one index over the shards whose parts (JSON) are given.
#[pyfunction]
fn merge_results(py: Python<'_>, parts: Vec<String>, options: String) -> PyResult<String> {
    let options = search_options(&options)?;
    let parts = parts
        .iter()
        .map(|p| from_json::<ShardResults>("shard results", p))
        .collect::<PyResult<Vec<_>>>()?;
    let merged = py.detach(|| search_query::merge_results(parts, &options));
    to_json(&merged)
}

/// Searches shards open in this process as one index.
#[pyfunction]
fn search_shards(
    py: Python<'_>,
    shards: Vec<Py<Index>>,
    query: String,
    options: String,
) -> PyResult<String> {
    let options = search_options(&options)?;
    let indexes: Vec<&PassageIndex> = shards.iter().map(|s| &s.get().inner).collect();
    let results = py
        .detach(|| search_query::search_shards(&indexes, &query, &options))
        .map_err(search_failure)?;
    to_json(&results)
}

/// Builds or updates the index in `index_dir` from `roots`; the report as JSON.
#[pyfunction]
#[pyo3(signature = (index_dir, roots, rebuild = false, shard = None, threads = 0))]
fn build(
    py: Python<'_>,
    index_dir: PathBuf,
    roots: Vec<PathBuf>,
    rebuild: bool,
    shard: Option<(u32, u32)>,
    threads: usize,
) -> PyResult<String> {
    let mut options = IndexOptions::new(index_dir);
    options.roots = roots;
    options.rebuild = rebuild;
    options.threads = threads;
    options.shard = shard
        .map(|(index, count)| Shard::new(index, count))
        .transpose()
        .map_err(|e| bad_option("shard", e))?;
    let report = py
        .detach(|| Indexer::new(options).run(&mut ()))
        .map_err(index_failure)?;
    to_json(&serde_json::json!({
        "files_indexed": report.files_indexed,
        "files_unchanged": report.files_unchanged,
        "files_removed": report.files_removed,
        "articles": report.articles,
        "passages": report.passages,
        "bytes": report.bytes,
        "skipped": report.skipped.iter().map(|s| serde_json::json!({"path": s.path, "reason": s.reason})).collect::<Vec<_>>(),
        "warnings": report.warnings.len(),
        "committed": report.committed,
        "rebuilt": report.rebuilt,
        "created": report.created,
        "seconds": report.elapsed.as_secs_f64(),
    }))
}

/// The version of the analyzer this build indexes and searches with (an index
/// built by another is rebuilt).
#[pyfunction]
fn analyzer_version() -> u32 {
    search_core::ANALYZER_VERSION
}

/// The shard of `count` a file recorded as `path` belongs to.
#[pyfunction]
fn shard_of(path: &str, count: u32) -> u32 {
    Shard::of(path, count)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SearchFailure", m.py().get_type::<SearchFailure>())?;
    m.add_class::<Index>()?;
    m.add_function(wrap_pyfunction!(merge_statistics, m)?)?;
    m.add_function(wrap_pyfunction!(update_statistics, m)?)?;
    m.add_function(wrap_pyfunction!(merge_results, m)?)?;
    m.add_function(wrap_pyfunction!(search_shards, m)?)?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_function(wrap_pyfunction!(shard_of, m)?)?;
    m.add_function(wrap_pyfunction!(analyzer_version, m)?)?;
    Ok(())
}
