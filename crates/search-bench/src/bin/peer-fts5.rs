//! SQLite FTS5 peer: the embedded full-text search most people reach for.
//!
//! One row per paragraph in an FTS5 table with the `porter unicode61`
//! tokenizer; queries are the words OR-ed together, ranked by `bm25()`, with
//! FTS5's own `snippet()` for every hit.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use rusqlite::{params, Connection, OpenFlags};
use search_bench::{
    for_each_record, read_queries, round, run_batch, IndexStats, QueryArgs, QueryStats,
};
use serde::Serialize;

/// The database file inside the index directory.
const DB_FILE: &str = "fts5.db";

/// SQLite FTS5 peer for the benchmark.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Index a corpus: one row per paragraph. Prints {"passages","text_bytes","seconds"}.
    Index {
        /// corpus.jsonl written by gen-corpus.
        #[arg(long)]
        corpus: PathBuf,
        /// Index directory (created; must be empty if it exists); holds fts5.db.
        #[arg(long)]
        index: PathBuf,
    },
    /// Run a query batch single-threaded. Prints {"queries","seconds","qps","p50_ms","p99_ms","hits"}.
    Query(QueryArgs),
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Index { corpus, index } => {
            let stats = build_index(&corpus, &index)?;
            println!("{}", serde_json::to_string(&stats)?);
        }
        Command::Query(args) => {
            let stats = run_queries(&args)?;
            println!("{}", serde_json::to_string(&stats)?);
        }
    }
    Ok(())
}

fn build_index(corpus: &Path, dir: &Path) -> Result<IndexStats> {
    let start = Instant::now();
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    if fs::read_dir(dir)?.next().is_some() {
        bail!("index directory {} is not empty", dir.display());
    }
    let mut conn = Connection::open(dir.join(DB_FILE))?;
    // Bulk-load settings: no rollback journal and no fsync. A crash mid-load
    // would leave a broken file, which is fine for a throw-away benchmark
    // index, and our engine and tantivy do not fsync per document either, so
    // this keeps the comparison about indexing work rather than about
    // durability. The page cache stays at SQLite's default (2 MB).
    conn.execute_batch(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE p USING fts5(title, text, doc_id UNINDEXED, tokenize = 'porter unicode61');",
    )?;
    let (mut passages, mut text_bytes) = (0u64, 0u64);
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO p (title, text, doc_id) VALUES (?1, ?2, ?3)")?;
        for_each_record(corpus, |record| {
            for para in record.paragraphs() {
                insert.execute(params![record.title, para, record.id])?;
                passages += 1;
                text_bytes += para.len() as u64;
            }
            Ok(())
        })?;
    }
    tx.commit()?;
    // Merge the segment b-trees into one, as tantivy's merges do; counted in
    // the indexing time like tantivy's wait_merging_threads().
    conn.execute("INSERT INTO p (p) VALUES ('optimize')", [])?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(IndexStats {
        passages,
        text_bytes,
        seconds: round(start.elapsed().as_secs_f64(), 3),
    })
}

/// `"w1" OR "w2" OR …`: every whitespace-separated word quoted (inner quotes
/// doubled), so no user text can be FTS5 syntax. `None` when there is no word.
fn match_expression(query: &str) -> Option<String> {
    let terms: Vec<String> = query
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" OR "))
}

#[derive(Serialize)]
struct Hit {
    doc_id: String,
    score: f64,
    snippet: String,
}

fn run_queries(args: &QueryArgs) -> Result<QueryStats> {
    let queries = read_queries(&args.queries)?;
    let (dir, limit) = (&args.index, args.limit);
    let db = dir.join(DB_FILE);
    if !db.is_file() {
        bail!("no FTS5 index at {}", db.display());
    }
    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare(
        "SELECT doc_id, snippet(p, 1, '[', ']', '…', 16), bm25(p) FROM p \
         WHERE p MATCH ?1 ORDER BY bm25(p) LIMIT ?2",
    )?;
    run_batch(&queries, args.jsonl_out.as_deref(), |q| {
        let mut hits = Vec::new();
        if let Some(expr) = match_expression(q) {
            let mut rows = stmt.query(params![expr, limit as i64])?;
            while let Some(row) = rows.next()? {
                hits.push(Hit {
                    doc_id: row.get(0)?,
                    snippet: row.get(1)?,
                    score: row.get(2)?,
                });
            }
        }
        Ok(hits)
    })
}

#[cfg(test)]
mod tests {
    use super::match_expression;

    #[test]
    fn match_expression_quotes_every_word() {
        assert_eq!(
            match_expression("frozen  \"assets"),
            Some("\"frozen\" OR \"\"\"assets\"".to_owned())
        );
        assert_eq!(match_expression("   "), None);
    }
}
