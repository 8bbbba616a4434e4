//! `PassageIndex::search` (top 10 passages with highlights and citations) on a
//! small generated index, built in a temporary folder by `search_indexer::Indexer`
//! during setup. Variants switch single stages off to show what each costs.
//!
//! `cargo bench -p search-bench --bench query`

mod common;

use std::hint::black_box;
use std::io::Write;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use search_bench::news::NewsGen;
use search_indexer::{IndexOptions, Indexer};
use search_query::{PassageIndex, RankingWeights, SearchOptions};

/// Articles in the bench index (~3 KB each, ~10 passages each).
const ARTICLES: usize = 3000;
/// Distinct queries, cycled through.
const QUERIES: usize = 256;

fn build_index(dir: &std::path::Path, gen: &mut NewsGen) -> PassageIndex {
    let corpus = dir.join("corpus.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&corpus).expect("create corpus"));
    for i in 0..ARTICLES {
        let a = gen.article();
        let record = serde_json::json!({
            "id": format!("a{i:06}"),
            "title": a.title,
            "text": a.paragraphs.join("\n"),
            "source": "Global Wire",
            "date": "2025-12-04",
            "url": format!("https://example.com/a{i:06}"),
            "author": "Anna Smith",
        });
        writeln!(out, "{record}").expect("write corpus");
    }
    out.flush().expect("flush corpus");
    drop(out);
    let index_dir = dir.join("index");
    let mut options = IndexOptions::new(&index_dir);
    options.roots = vec![corpus];
    Indexer::new(options)
        .run(&mut ())
        .expect("index the bench corpus");
    PassageIndex::open(&index_dir).expect("open the bench index")
}

fn query(c: &mut Criterion) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut gen = NewsGen::new(11, 20_000);
    let index = build_index(scratch.path(), &mut gen);
    let queries = gen.queries(QUERIES);
    eprintln!(
        "query bench: {} passages, {} queries",
        index.passage_count(),
        queries.len()
    );

    let no_proximity = RankingWeights {
        proximity: 0.0,
        ..RankingWeights::default()
    };
    let variants: [(&str, SearchOptions); 5] = [
        ("top10_default", SearchOptions::new()),
        ("top10_no_typos", SearchOptions::new().typo_tolerance(false)),
        (
            "top10_no_proximity",
            SearchOptions::new().ranking(no_proximity),
        ),
        (
            "top10_no_highlights",
            SearchOptions::new().highlights(false),
        ),
        (
            "top10_bm25_only",
            SearchOptions::new()
                .typo_tolerance(false)
                .ranking(no_proximity)
                .highlights(false)
                .check_stale(false),
        ),
    ];
    let mut group = c.benchmark_group("search");
    group.throughput(Throughput::Elements(1));
    for (name, options) in variants {
        let mut i = 0usize;
        group.bench_function(name, |b| {
            b.iter(|| {
                let q = &queries[i % queries.len()];
                i += 1;
                index.search(black_box(q), &options).expect("search")
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = query
}
criterion_main!(benches);
