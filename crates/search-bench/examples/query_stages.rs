//! Where a query's time goes, on a real index: runs a query set through
//! `PassageIndex::search` with single stages switched off, then through plain
//! tantivy calls on the same index files (our analyzer, `QueryParser` over text
//! and title) that add our stages one at a time. Single thread; each variant
//! runs the whole set once after a warm-up pass.
//!
//! ```sh
//! cargo run --release -p search-bench --example query_stages -- \
//!     --index scratch/bench/idx-200/ours --queries scratch/bench/corpus-200/queries-1000.txt
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use search_bench::{read_queries, QueryStats};
use search_core::stored_text::TextDecoder;
use search_query::{PassageIndex, RankingWeights, SearchOptions};
use tantivy::collector::{Count, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, DocId, DocSet, Index, Score, SegmentReader, TantivyDocument, Term};

/// Per-stage query timings on an index built by `search index`.
#[derive(Debug, Parser)]
struct Cli {
    /// Index directory (built by `search index`).
    #[arg(long)]
    index: PathBuf,
    /// One query per line.
    #[arg(long)]
    queries: PathBuf,
    /// Hits per query.
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

fn time_all(queries: &[String], mut f: impl FnMut(&str) -> Result<usize>) -> Result<QueryStats> {
    for q in queries {
        f(q)?;
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut hits = 0u64;
    let wall = Instant::now();
    for q in queries {
        let t = Instant::now();
        hits += f(q)? as u64;
        latencies.push(t.elapsed());
    }
    Ok(QueryStats::new(&latencies, wall.elapsed(), hits))
}

fn row(name: &str, s: &QueryStats, base: f64) {
    println!(
        "| {name} | {:.0} | {:.3} | {:.3} | {:.3} | {:.0}% |",
        s.qps,
        s.seconds * 1e3 / s.queries as f64,
        s.p50_ms,
        s.p99_ms,
        100.0 * s.seconds / base
    );
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let queries = read_queries(&cli.queries)?;
    let limit = cli.limit;
    println!(
        "{} queries, limit {limit}, index {}\n",
        queries.len(),
        cli.index.display()
    );
    println!("| variant | qps | mean ms | p50 ms | p99 ms | time vs default |");
    println!("|---|---:|---:|---:|---:|---:|");

    // --- our engine, stages switched off -----------------------------------
    let ours = PassageIndex::open(&cli.index).context("opening the index")?;
    let no_proximity = RankingWeights {
        proximity: 0.0,
        ..RankingWeights::default()
    };
    let base_options = SearchOptions::new().limit(limit);
    let variants: Vec<(&str, SearchOptions)> = vec![
        ("ours: default (= search query)", base_options.clone()),
        (
            "ours: no typo tolerance",
            base_options.clone().typo_tolerance(false),
        ),
        (
            "ours: no proximity re-rank",
            base_options.clone().ranking(no_proximity),
        ),
        (
            "ours: no highlights",
            base_options.clone().highlights(false),
        ),
        (
            "ours: no stale check",
            base_options.clone().check_stale(false),
        ),
        (
            "ours: no proximity, no highlights",
            base_options.clone().ranking(no_proximity).highlights(false),
        ),
        (
            "ours: all four off (BM25 + citations)",
            base_options
                .clone()
                .typo_tolerance(false)
                .ranking(no_proximity)
                .highlights(false)
                .check_stale(false),
        ),
    ];
    let mut base = 0.0;
    for (name, options) in &variants {
        let stats = time_all(&queries, |q| Ok(ours.search(q, options)?.hits.len()))?;
        if base == 0.0 {
            base = stats.seconds;
        }
        row(name, &stats, base);
    }
    drop(ours);

    // --- plain tantivy calls on the same files, adding our stages ----------
    let index = Index::open_in_dir(&cli.index)?;
    search_core::register_analyzer(&index, search_core::StemLanguage::English);
    let schema = index.schema();
    let text = schema.get_field("text")?;
    let title = schema.get_field("title")?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let meta = search_core::read_meta(&index)?.context("not an index built by search")?;
    let decoder = TextDecoder::new(meta.dictionary.as_deref());
    let passage_text = |address: DocAddress| -> Result<String> {
        stored_passage_text(&searcher, &decoder, address)
    };
    let parser = QueryParser::for_index(&index, vec![text, title]);
    let candidates = (limit * 3).max(30);
    let boilerplate = |segment: &SegmentReader| {
        let column = segment
            .fast_fields()
            .u64("boilerplate")
            .ok()
            .map(|c| c.first_or_default_col(0));
        move |doc: DocId, score: Score| match &column {
            Some(c) if c.get_val(doc) == 1 => score * 0.01,
            _ => score,
        }
    };
    let mut analyzer = search_core::news_analyzer(search_core::StemLanguage::English);

    let top_k = |k: usize| TopDocs::with_limit(k).order_by_score();
    let s = time_all(&queries, |q| {
        let query = parser.parse_query_lenient(q).0;
        Ok(searcher.search(&query, &top_k(limit))?.len())
    })?;
    row("tantivy: top 10 by BM25 (block-max WAND)", &s, base);
    let s = time_all(&queries, |q| {
        let query = parser.parse_query_lenient(q).0;
        Ok(searcher.search(&query, &top_k(candidates))?.len())
    })?;
    row("tantivy: top 30 by BM25", &s, base);
    let s = time_all(&queries, |q| {
        let query = parser.parse_query_lenient(q).0;
        Ok(searcher
            .search(&query, &(top_k(candidates), Count))?
            .0
            .len())
    })?;
    row("tantivy: top 30 + Count (every match visited)", &s, base);
    let tweaked = |q: &str| -> Result<Vec<(Score, tantivy::DocAddress)>> {
        let query = parser.parse_query_lenient(q).0;
        let collector = TopDocs::with_limit(candidates).tweak_score(boilerplate);
        Ok(searcher.search(&query, &(collector, Count))?.0)
    };
    let s = time_all(&queries, |q| Ok(tweaked(q)?.len()))?;
    row(
        "tantivy: top 30 + Count + boilerplate tweak_score",
        &s,
        base,
    );
    let s = time_all(&queries, |q| {
        let top = tweaked(q)?;
        for (_, address) in &top {
            std::hint::black_box(passage_text(*address)?);
        }
        Ok(top.len())
    })?;
    row("  … + fetch 30 passage texts", &s, base);
    let s = time_all(&queries, |q| {
        let top = tweaked(q)?;
        for (_, address) in &top {
            let body = passage_text(*address)?;
            let mut stream = analyzer.token_stream(&body);
            while stream.advance() {}
        }
        Ok(top.len())
    })?;
    row("  … + re-analyze the 30 passages (news analyzer)", &s, base);

    // The proposed proximity source: positions of the query terms in the 30
    // candidates, read from the postings instead of re-analyzing stored text.
    let mut query_analyzer = search_core::news_analyzer(search_core::StemLanguage::English);
    let mut terms_of = |q: &str| -> Vec<Term> {
        let mut stream = query_analyzer.token_stream(q);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            if token.position_length == 1 {
                terms.push(Term::from_field_text(text, &token.text));
            }
        }
        terms
    };
    let positions_of = |top: &[(Score, DocAddress)], terms: &[Term]| -> Result<usize> {
        let mut docs: Vec<DocAddress> = top.iter().map(|(_, a)| *a).collect();
        docs.sort();
        let mut found = 0;
        let mut buffer = Vec::new();
        for chunk in docs.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
            let inverted = searcher
                .segment_reader(chunk[0].segment_ord)
                .inverted_index(text)?;
            for term in terms {
                let Some(mut postings) =
                    inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
                else {
                    continue;
                };
                for address in chunk {
                    if postings.doc() <= address.doc_id
                        && postings.seek(address.doc_id) == address.doc_id
                    {
                        postings.positions(&mut buffer);
                        found += buffer.len();
                    }
                }
            }
        }
        Ok(found)
    };
    let s = time_all(&queries, |q| {
        let top = tweaked(q)?;
        let terms = terms_of(q);
        std::hint::black_box(positions_of(&top, &terms)?);
        Ok(top.len())
    })?;
    row(
        "  … + term positions of the 30 from the postings instead (proposed)",
        &s,
        base,
    );
    let s = time_all(&queries, |q| {
        let top = tweaked(q)?;
        let terms = terms_of(q);
        std::hint::black_box(positions_of(&top, &terms)?);
        for (_, address) in top.iter().take(limit) {
            let body = passage_text(*address)?;
            let mut stream = analyzer.token_stream(&body);
            while stream.advance() {}
        }
        Ok(top.len())
    })?;
    row(
        "  … + fetch and analyze only the 10 hits (proposed pipeline)",
        &s,
        base,
    );
    let s = time_all(&queries, |q| {
        let query = parser.parse_query_lenient(q).0;
        let top = searcher.search(&query, &top_k(limit))?;
        let mut snippets = SnippetGenerator::create(&searcher, &*query, text)?;
        snippets.set_max_num_chars(150);
        for (_, address) in &top {
            std::hint::black_box(snippets.snippet(&passage_text(*address)?));
        }
        Ok(top.len())
    })?;
    row(
        "tantivy: top 10 + fetch + SnippetGenerator (≈ peer-tantivy)",
        &s,
        base,
    );
    Ok(())
}

/// A passage's text, read out of its stored group (see `search_core::stored_text`).
fn stored_passage_text(
    searcher: &tantivy::Searcher,
    decoder: &TextDecoder,
    address: DocAddress,
) -> Result<String> {
    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
    let number =
        |name: &str| -> Result<u64> { Ok(fast.u64(name)?.first(address.doc_id).unwrap_or(0)) };
    let head = DocAddress::new(
        address.segment_ord,
        address.doc_id - number("group_offset")? as DocId,
    );
    let stored_text = searcher.schema().get_field("stored_text")?;
    let doc: TantivyDocument = searcher.doc(head)?;
    let bytes = doc
        .get_first(stored_text)
        .and_then(|v| v.as_bytes())
        .context("group head without text")?;
    let group = decoder.decode(bytes)?;
    let text = group
        .passage(number("byte_start")?, number("byte_end")?)
        .context("passage outside its group")?;
    Ok(text.to_string())
}
