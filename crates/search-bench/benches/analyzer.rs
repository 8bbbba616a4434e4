//! The analyzer over a few KB of news text: ours (`search_core::news_analyzer`,
//! reused, and cloned fresh per text as a query does), without stemming, its
//! tokenizer alone, and tantivy's stock `en_stem` chain for reference.
//!
//! `cargo bench -p search-bench --bench analyzer`

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use search_bench::news::NewsGen;
use search_core::analyzer::NewsTokenizer;
use search_core::{news_analyzer, StemLanguage};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream,
};

/// Runs the analyzer over `text`, touching every token.
fn count_tokens(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut n = 0;
    while stream.advance() {
        black_box(stream.token());
        n += 1;
    }
    n
}

fn analyzer(c: &mut Criterion) {
    let text = NewsGen::new(42, 5000).text(4 * 1024);
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Bytes(text.len() as u64));

    let mut ours = news_analyzer(StemLanguage::English);
    group.bench_function("news_en", |b| {
        b.iter(|| count_tokens(&mut ours, black_box(&text)))
    });
    // As `PassageIndex::search` uses it: a fresh clone per query, so the stem cache
    // starts empty every time.
    let template = news_analyzer(StemLanguage::English);
    group.bench_function("news_en_fresh_clone", |b| {
        b.iter(|| count_tokens(&mut template.clone(), black_box(&text)))
    });
    let mut unstemmed = news_analyzer(StemLanguage::None);
    group.bench_function("news_no_stem", |b| {
        b.iter(|| count_tokens(&mut unstemmed, black_box(&text)))
    });
    let mut tokenizer_only = TextAnalyzer::from(NewsTokenizer::default());
    group.bench_function("news_tokenizer_only", |b| {
        b.iter(|| count_tokens(&mut tokenizer_only, black_box(&text)))
    });
    let mut en_stem = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build();
    group.bench_function("tantivy_en_stem", |b| {
        b.iter(|| count_tokens(&mut en_stem, black_box(&text)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = analyzer
}
criterion_main!(benches);
