//! Plain tantivy peer: what a competent user gets from tantivy's stock parts.
//!
//! One document per paragraph, stock `en_stem` analysis, `QueryParser` in
//! lenient mode over `text` and `title`, top-k by BM25, and a snippet from
//! `SnippetGenerator` for every hit — the same work as our engine's query.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use search_bench::{
    for_each_record, read_queries, round, run_batch, IndexStats, QueryArgs, QueryStats,
};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::snippet::{collapse_overlapped_ranges, Snippet, SnippetGenerator};
use tantivy::{doc, Index, IndexWriter, ReloadPolicy, TantivyDocument};

/// Plain-tantivy peer for the benchmark.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Index a corpus: one document per paragraph. Prints {"passages","text_bytes","seconds"}.
    Index {
        /// corpus.jsonl written by gen-corpus.
        #[arg(long)]
        corpus: PathBuf,
        /// Index directory (created; must be empty if it exists).
        #[arg(long)]
        index: PathBuf,
        /// Indexing threads.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Total indexing memory budget in bytes, split across threads.
        #[arg(long, default_value_t = 256_000_000)]
        memory: usize,
    },
    /// Run a query batch single-threaded. Prints {"queries","seconds","qps","p50_ms","p99_ms","hits"}.
    Query(QueryArgs),
}

struct Fields {
    text: Field,
    title: Field,
    doc_id: Field,
}

fn schema() -> (Schema, Fields) {
    let en_stem = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let mut builder = Schema::builder();
    let text = builder.add_text_field("text", en_stem.clone());
    let title = builder.add_text_field("title", en_stem);
    let doc_id = builder.add_text_field("doc_id", STRING | STORED);
    (
        builder.build(),
        Fields {
            text,
            title,
            doc_id,
        },
    )
}

fn fields(schema: &Schema) -> Result<Fields> {
    Ok(Fields {
        text: schema.get_field("text")?,
        title: schema.get_field("title")?,
        doc_id: schema.get_field("doc_id")?,
    })
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Index {
            corpus,
            index,
            threads,
            memory,
        } => {
            let stats = build_index(&corpus, &index, threads, memory)?;
            println!("{}", serde_json::to_string(&stats)?);
        }
        Command::Query(args) => {
            let stats = run_queries(&args)?;
            println!("{}", serde_json::to_string(&stats)?);
        }
    }
    Ok(())
}

fn build_index(corpus: &Path, dir: &Path, threads: usize, memory: usize) -> Result<IndexStats> {
    let start = Instant::now();
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    if fs::read_dir(dir)?.next().is_some() {
        bail!("index directory {} is not empty", dir.display());
    }
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, memory)?;
    let (mut passages, mut text_bytes) = (0u64, 0u64);
    for_each_record(corpus, |record| {
        for para in record.paragraphs() {
            writer.add_document(doc!(
                f.text => para,
                f.title => record.title.as_str(),
                f.doc_id => record.id.as_str(),
            ))?;
            passages += 1;
            text_bytes += para.len() as u64;
        }
        Ok(())
    })?;
    writer.commit()?;
    // Count background merges in the time: the index is finished when they are.
    writer.wait_merging_threads()?;
    Ok(IndexStats {
        passages,
        text_bytes,
        seconds: round(start.elapsed().as_secs_f64(), 3),
    })
}

#[derive(Serialize)]
struct Hit {
    doc_id: String,
    score: f32,
    snippet: String,
}

fn run_queries(args: &QueryArgs) -> Result<QueryStats> {
    let queries = read_queries(&args.queries)?;
    let (dir, limit) = (&args.index, args.limit);
    let index = Index::open_in_dir(dir).with_context(|| format!("opening {}", dir.display()))?;
    let f = fields(&index.schema())?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let parser = QueryParser::for_index(&index, vec![f.text, f.title]);
    let collector = TopDocs::with_limit(limit).order_by_score();
    run_batch(&queries, args.jsonl_out.as_deref(), |q| {
        let (query, _errors) = parser.parse_query_lenient(q);
        let top = searcher.search(&query, &collector)?;
        let mut snippets = SnippetGenerator::create(&searcher, &*query, f.text)?;
        snippets.set_max_num_chars(150);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let snippet = snippets.snippet_from_doc(&doc);
            let doc_id = doc
                .get_first(f.doc_id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            hits.push(Hit {
                doc_id,
                score,
                snippet: mark(&snippet),
            });
        }
        Ok(hits)
    })
}

/// The fragment with `[`…`]` around highlights, like FTS5's `snippet()`
/// output (tantivy's `to_html` would also HTML-escape it).
fn mark(snippet: &Snippet) -> String {
    let fragment = snippet.fragment();
    let mut out = String::with_capacity(fragment.len() + 8);
    let mut from = 0;
    for r in collapse_overlapped_ranges(snippet.highlighted()) {
        out.push_str(&fragment[from..r.start]);
        out.push('[');
        out.push_str(&fragment[r.clone()]);
        out.push(']');
        from = r.end;
    }
    out.push_str(&fragment[from..]);
    out
}
