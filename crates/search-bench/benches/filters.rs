//! Filters, date sorting and facets (issue 11) on one generated index, in one run,
//! against the plain query they restrict, reorder or count:
//!
//! - `filter/unfiltered` vs `filter/source` (`source:"…"`, the outlets in turn)
//!   and `filter/date_range` (`date:A..B`, half-years in turn): goal ≤ 1.2×;
//! - `sort/relevance` vs `sort/newest` over broad one-word queries: goal ≤ 2×;
//! - `facets/source_author` (`--facets source,author`) over the query whose match
//!   count is closest to 100,000 passages, with `facets/none` as its yardstick:
//!   goal < 30 ms.
//!
//! The index (about 120,000 passages; `FILTER_BENCH_ARTICLES` changes the article
//! count) is built with `search_indexer::Indexer` in a temporary folder during
//! setup. Read the ratios off criterion's report.
//!
//! `cargo bench -p search-bench --bench filters`

mod common;

use std::hint::black_box;
use std::io::Write;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use search_bench::news::NewsGen;
use search_bench::{Rng, Zipf};
use search_indexer::{IndexOptions, Indexer};
use search_query::{Facet, PassageIndex, SearchOptions, Sort};

/// Articles in the bench index (~10 passages each).
const ARTICLES: usize = 12_000;
/// Distinct queries, cycled through.
const QUERIES: usize = 256;
/// The facet query's match count the target names.
const FACET_MATCHES: usize = 100_000;

const OUTLETS: &[&str] = &[
    "Global Wire",
    "The Daily Ledger",
    "Metro Herald",
    "Northern Courier",
    "Capital Tribune",
    "Coastal Times",
    "Union Dispatch",
    "Harbor Chronicle",
];

const NAMES: &[&str] = &[
    "Anna Smith",
    "David Garcia",
    "Maria Müller",
    "Kenji Tanaka",
    "Olena Kovalenko",
    "Zoë Park",
    "Omar Haddad",
    "Claire Dubois",
    "Peter Novak",
    "Grace Kim",
];

fn articles() -> usize {
    std::env::var("FILTER_BENCH_ARTICLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ARTICLES)
}

/// A corpus with outlets (Zipf), dates over 2020–2025 and one to three authors,
/// indexed into `dir/index`.
fn build_index(dir: &std::path::Path, gen: &mut NewsGen) -> PassageIndex {
    let corpus = dir.join("corpus.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&corpus).expect("create corpus"));
    let mut rng = Rng::new(5);
    let outlets = Zipf::new(OUTLETS.len(), 1.1);
    for i in 0..articles() {
        let a = gen.article();
        let authors: Vec<&str> = (0..1 + rng.below(3)).map(|_| *rng.pick(NAMES)).collect();
        let date = format!(
            "{}-{:02}-{:02}",
            2020 + rng.below(6),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let record = serde_json::json!({
            "id": format!("a{i:06}"),
            "title": a.title,
            "text": a.paragraphs.join("\n"),
            "source": OUTLETS[outlets.sample(&mut rng)],
            "date": date,
            "url": format!("https://example.com/a{i:06}"),
            "author": authors,
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
    let index = PassageIndex::open(&index_dir).expect("open the bench index");
    assert!(
        index.passage_count() > 0,
        "the indexer skipped every record of the bench corpus (it must read `author` lists)"
    );
    index
}

/// How many passages `query` matches.
fn matches(index: &PassageIndex, query: &str) -> usize {
    let options = SearchOptions::new().limit(1).count_matches(true);
    index
        .search(query, &options)
        .ok()
        .and_then(|r| r.total_matches)
        .unwrap_or(0)
}

/// Times each `(name, query of i, options)` in one criterion group, cycling
/// through `QUERIES` queries.
fn group(
    c: &mut Criterion,
    index: &PassageIndex,
    group_name: &str,
    variants: Vec<(&str, Vec<String>, SearchOptions)>,
) {
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(1));
    for (name, queries, options) in variants {
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

fn filters(c: &mut Criterion) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut gen = NewsGen::new(11, 20_000);
    let index = build_index(scratch.path(), &mut gen);
    let queries = gen.queries(QUERIES);
    let with = |suffix: &dyn Fn(usize) -> String| -> Vec<String> {
        queries
            .iter()
            .enumerate()
            .map(|(i, q)| format!("{q} {}", suffix(i)))
            .collect()
    };
    let source = with(&|i| format!("source:\"{}\"", OUTLETS[i % OUTLETS.len()]));
    let dates = with(&|i| {
        let year = 2020 + (i / 2) % 6;
        if i % 2 == 0 {
            format!("date:{year}-01..{year}-06")
        } else {
            format!("date:{year}-07..{year}-12")
        }
    });
    // Broad queries: the most frequent content words, one at a time.
    let broad: Vec<String> = gen.vocabulary().iter().take(32).cloned().collect();
    // The word whose match count is closest to the facet target.
    let facet_query = gen
        .vocabulary()
        .iter()
        .take(200)
        .map(|w| (matches(&index, w).abs_diff(FACET_MATCHES), w.clone()))
        .min()
        .map(|(_, w)| w)
        .expect("a vocabulary");
    eprintln!(
        "filters bench: {} passages; facet query `{facet_query}` matches {} passages",
        index.passage_count(),
        matches(&index, &facet_query)
    );

    let top10 = SearchOptions::new;
    group(
        c,
        &index,
        "filter",
        vec![
            ("unfiltered", queries.clone(), top10()),
            ("source", source, top10()),
            ("date_range", dates, top10()),
        ],
    );
    group(
        c,
        &index,
        "sort",
        vec![
            ("relevance", broad.clone(), top10().sort(Sort::Relevance)),
            ("newest", broad, top10().sort(Sort::Newest)),
        ],
    );
    group(
        c,
        &index,
        "facets",
        vec![
            ("none", vec![facet_query.clone()], top10()),
            (
                "source_author",
                vec![facet_query],
                top10().facets(vec![Facet::Source, Facet::Author]),
            ),
        ],
    );
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = filters
}
criterion_main!(benches);
