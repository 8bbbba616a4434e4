//! Splitting articles into passages: `non_empty_lines`, `passages_of` (with and
//! without a long paragraph to cut at sentence boundaries), `parse_text_article`
//! and `parse_jsonl_record`, over generated news articles of a few KB.
//!
//! `cargo bench -p search-bench --bench passages`

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use search_bench::news::NewsGen;
use search_indexer::passage::{non_empty_lines, passages_of};
use search_indexer::{parse_jsonl_record, parse_text_article};

fn passages(c: &mut Criterion) {
    let mut gen = NewsGen::new(7, 5000);
    // A few KB: three articles back to back, as one file body.
    let articles: Vec<_> = (0..3).map(|_| gen.article()).collect();
    let title = articles[0].title.clone();
    let body: Vec<String> = articles
        .iter()
        .flat_map(|a| a.paragraphs.iter().cloned())
        .collect();
    let txt = format!("{title}\n\n{}\n", body.join("\n"));
    let lines = non_empty_lines(&txt, 0);

    let mut group = c.benchmark_group("passages");
    group.throughput(Throughput::Bytes(txt.len() as u64));
    group.bench_function("non_empty_lines", |b| {
        b.iter(|| non_empty_lines(black_box(&txt), 0))
    });
    group.bench_function("passages_of", |b| {
        b.iter(|| passages_of(black_box(&txt), black_box(&lines[1..])))
    });
    group.bench_function("parse_text_article", |b| {
        b.iter_batched(
            || txt.clone(),
            |text| parse_text_article("a000001", text, false),
            BatchSize::SmallInput,
        )
    });
    let record = serde_json::json!({
        "id": "a000001",
        "title": title,
        "text": body.join("\n"),
        "source": "Global Wire",
        "date": "2025-12-04",
        "url": "https://example.com/a000001",
        "author": "Anna Smith",
    })
    .to_string();
    group.bench_function("parse_jsonl_record", |b| {
        b.iter(|| parse_jsonl_record(black_box(&record), 1))
    });

    // One 12 KB paragraph: cut into ~1 KB pieces at sentence boundaries.
    let mut long = String::new();
    while long.len() < 12 * 1024 {
        if !long.is_empty() {
            long.push(' ');
        }
        long.push_str(&gen.sentence());
    }
    let long_text = format!("Headline of a long one\n\n{long}\n");
    let long_lines = non_empty_lines(&long_text, 0);
    group.throughput(Throughput::Bytes(long.len() as u64));
    group.bench_function("passages_of_long_paragraph", |b| {
        b.iter(|| passages_of(black_box(&long_text), black_box(&long_lines[1..])))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = passages
}
criterion_main!(benches);
