//! Shared pieces of the benchmark harness: a fixed PRNG, the corpus record,
//! streaming corpus reading, word tokenisation, latency statistics, and the query
//! batch loop and its arguments that both peers use.
//!
//! Everything here is deterministic and free of third-party randomness so that
//! a given seed and source file always produce byte-identical corpora and
//! query sets, whatever crate versions are in the lock file.
#![deny(missing_docs)]

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

pub mod names;
pub mod news;
pub mod syndication;
pub mod text;

/// One article of a generated corpus, as one line of `corpus.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Unique id such as `a000123`.
    pub id: String,
    /// Headline, never ending in a period.
    pub title: String,
    /// Paragraphs separated by `\n`.
    pub text: String,
    /// Outlet name.
    pub source: String,
    /// ISO date, `YYYY-MM-DD`.
    pub date: String,
    /// Canonical URL of the article.
    pub url: String,
    /// By-line: one author as a string, or a JSON list of them.
    pub author: Authors,
}

/// An article's `author` field as the corpus writes it: a string, or a list (the
/// two forms the indexer reads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Authors {
    /// `"author": "Anna Smith"`.
    One(String),
    /// `"author": ["Anna Smith", "Kenji Tanaka"]`.
    List(Vec<String>),
}

impl Authors {
    /// The names, in order.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Authors::One(name) => vec![name.as_str()],
            Authors::List(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

impl Record {
    /// The non-empty paragraphs of `text`.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }
}

/// Calls `f` on every record of a JSONL corpus, streaming the file.
pub fn for_each_record(path: &Path, mut f: impl FnMut(Record) -> Result<()>) -> Result<()> {
    let file = File::open(path).with_context(|| format!("opening corpus {}", path.display()))?;
    for (n, line) in BufReader::with_capacity(1 << 20, file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a corpus record", path.display(), n + 1))?;
        f(record)?;
    }
    Ok(())
}

/// Reads a query file: one query per line, blank lines skipped.
pub fn read_queries(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading queries {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

pub use search_test_support::Rng;

/// Samples ranks `0..n` with probability proportional to `1 / (rank + 1)^s`.
#[derive(Debug, Clone)]
pub struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    /// A Zipf distribution over `n > 0` ranks with exponent `s`.
    pub fn new(n: usize, s: f64) -> Self {
        assert!(n > 0, "Zipf over zero ranks");
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (0..n)
            .map(|k| {
                acc += 1.0 / ((k + 1) as f64).powf(s);
                acc
            })
            .collect();
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf { cdf }
    }

    /// A rank in `0..n`.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.f64();
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1)
    }
}

/// The summary every query runner prints as one JSON line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryStats {
    /// Queries run.
    pub queries: usize,
    /// Wall-clock seconds of the whole batch loop.
    pub seconds: f64,
    /// `queries / seconds`.
    pub qps: f64,
    /// Median per-query latency in milliseconds.
    pub p50_ms: f64,
    /// 99th-percentile per-query latency in milliseconds.
    pub p99_ms: f64,
    /// Hits returned over all queries (at most `limit` each).
    pub hits: u64,
}

impl QueryStats {
    /// Summarises per-query latencies and the batch's wall time.
    pub fn new(latencies: &[Duration], wall: Duration, hits: u64) -> Self {
        let mut ms: Vec<f64> = latencies.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let seconds = wall.as_secs_f64();
        QueryStats {
            queries: ms.len(),
            seconds: round(seconds, 4),
            qps: if seconds > 0.0 {
                round(ms.len() as f64 / seconds, 1)
            } else {
                0.0
            },
            p50_ms: round(percentile(&ms, 50.0), 3),
            p99_ms: round(percentile(&ms, 99.0), 3),
            hits,
        }
    }
}

/// The summary every indexer prints as one JSON line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexStats {
    /// Passages (paragraphs) indexed.
    pub passages: u64,
    /// Bytes of paragraph text indexed (titles not counted).
    pub text_bytes: u64,
    /// Wall-clock seconds from opening the corpus to a finished, merged index.
    pub seconds: f64,
}

/// Nearest-rank percentile of an ascending slice; 0 for an empty one.
pub fn percentile(sorted: &[f64], pct: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (pct / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Rounds to `digits` decimals, for readable JSON.
pub fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

#[cfg(test)]
mod tests;

/// The arguments of a peer's `query` command.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// Index directory.
    #[arg(long)]
    pub index: PathBuf,
    /// One query per line.
    #[arg(long)]
    pub queries: PathBuf,
    /// Hits per query.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Also write every query's hits (doc ids, scores, snippets) as JSONL here.
    #[arg(long)]
    pub jsonl_out: Option<PathBuf>,
}

/// Runs `search` on every query in turn on this thread, timing each call, and
/// writes each query's hits as one JSONL line `{"query","hits"}` to `jsonl_out`
/// (outside the timed call, as our engine's `--timings` excludes its writing).
pub fn run_batch<H: Serialize>(
    queries: &[String],
    jsonl_out: Option<&Path>,
    mut search: impl FnMut(&str) -> Result<Vec<H>>,
) -> Result<QueryStats> {
    #[derive(Serialize)]
    struct QueryResult<'a, H> {
        query: &'a str,
        hits: Vec<H>,
    }
    let mut out = match jsonl_out {
        Some(p) => Some(BufWriter::new(
            File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => None,
    };
    let mut latencies: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut total_hits = 0u64;
    let wall = Instant::now();
    for query in queries {
        let t = Instant::now();
        let hits = search(query)?;
        latencies.push(t.elapsed());
        total_hits += hits.len() as u64;
        if let Some(out) = out.as_mut() {
            serde_json::to_writer(&mut *out, &QueryResult { query, hits })?;
            out.write_all(b"\n")?;
        }
    }
    let wall = wall.elapsed();
    if let Some(mut out) = out {
        out.flush()?;
    }
    Ok(QueryStats::new(&latencies, wall, total_hits))
}
