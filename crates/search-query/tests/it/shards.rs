//! A sharded index answers like one index: random corpora, split by article over
//! 1 to 4 shards (by the indexer's own shard assignment), searched with the
//! two-phase search, against one index over the whole corpus.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::Config;
use search_indexer::{IndexOptions, Indexer, Shard};
use search_query::{
    merge_results, search_shards, DateBucket, Facet, Feedback, FilterField, PassageIndex,
    QueryStatistics, SearchError, SearchOptions, SearchResults, ShardResults, Sort,
};

/// Few words, so that passages share terms and scores tie; the long ones are
/// misspelt by the typo queries.
const WORDS: &[&str] = &[
    "frozen",
    "assets",
    "talks",
    "envoys",
    "ceasefire",
    "sanctions",
    "negotiations",
    "ministers",
    "brussels",
    "kyiv",
    "moscow",
    "umerov",
    "witkoff",
    "security",
    "council",
    "guarantees",
    "territory",
    "agreement",
    "delegation",
    "reconstruction",
    "kovalenko",
    "kovalenka",
    "the",
    "of",
    "and",
];

const OUTLETS: &[&str] = &["Reuters", "Associated Press", "BBC News"];

/// One article: its words per paragraph, a title, an outlet and a date (day of
/// December 2025; several articles share one).
#[derive(Debug, Clone)]
struct Article {
    title: Vec<usize>,
    paragraphs: Vec<Vec<usize>>,
    outlet: usize,
    day: Option<u32>,
}

fn article() -> impl Strategy<Value = Article> {
    (
        prop::collection::vec(0..WORDS.len(), 1..4),
        prop::collection::vec(prop::collection::vec(0..WORDS.len(), 2..10), 1..5),
        0..OUTLETS.len(),
        prop::option::weighted(0.8, 1u32..6),
    )
        .prop_map(|(title, paragraphs, outlet, day)| Article {
            title,
            paragraphs,
            outlet,
            day,
        })
}

fn words(ids: &[usize]) -> String {
    ids.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ")
}

fn write_corpus(root: &Path, articles: &[Article]) {
    std::fs::create_dir_all(root).unwrap();
    for (n, a) in articles.iter().enumerate() {
        let mut text = String::from("---\n");
        text += &format!("source: {}\n", OUTLETS[a.outlet]);
        if let Some(day) = a.day {
            text += &format!("date: 2025-12-0{day}\n");
        }
        text += "---\n";
        text += &format!("{}\n\n", capitalised(&words(&a.title)));
        for paragraph in &a.paragraphs {
            text += &format!("{}.\n\n", capitalised(&words(paragraph)));
        }
        std::fs::write(root.join(format!("a{n:02}.txt")), text).unwrap();
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn index(dir: &Path, root: &Path, shard: Option<Shard>) -> PassageIndex {
    let mut options = IndexOptions::new(dir);
    options.roots = vec![root.to_path_buf()];
    options.threads = 1;
    options.copy_groups = false;
    options.shard = shard;
    Indexer::new(options).run(&mut ()).unwrap();
    PassageIndex::open(dir).unwrap()
}

/// A query of one of the forms the syntax offers, over the vocabulary.
#[derive(Debug, Clone)]
enum Form {
    Words(usize, usize),
    Phrase(usize, usize),
    Required(usize, usize),
    Excluded(usize, usize),
    Title(usize, usize),
    Typo(usize, usize),
    One(usize),
}

fn form() -> impl Strategy<Value = Form> {
    let w = 0..WORDS.len();
    prop_oneof![
        (w.clone(), w.clone()).prop_map(|(a, b)| Form::Words(a, b)),
        (w.clone(), w.clone()).prop_map(|(a, b)| Form::Phrase(a, b)),
        (w.clone(), w.clone()).prop_map(|(a, b)| Form::Required(a, b)),
        (w.clone(), w.clone()).prop_map(|(a, b)| Form::Excluded(a, b)),
        (w.clone(), w.clone()).prop_map(|(a, b)| Form::Title(a, b)),
        (w.clone(), w.clone()).prop_map(|(a, b)| Form::Typo(a, b)),
        w.prop_map(Form::One),
    ]
}

impl Form {
    fn text(&self) -> String {
        match *self {
            Form::Words(a, b) => format!("{} {}", WORDS[a], WORDS[b]),
            Form::Phrase(a, b) => format!("\"{} {}\"", WORDS[a], WORDS[b]),
            Form::Required(a, b) => format!("+{} {}", WORDS[a], WORDS[b]),
            Form::Excluded(a, b) => format!("{} -{}", WORDS[a], WORDS[b]),
            Form::Title(a, b) => format!("title:{} {}", WORDS[a], WORDS[b]),
            // One edit from two words: the correction is the one more passages
            // use over every shard, which a shard alone may not see.
            Form::Typo(a, b) if b % 3 == 0 => format!("kovalenk {}", WORDS[a]),
            Form::Typo(a, b) => {
                // A long word with a letter dropped: rare, and one edit away.
                let long: Vec<&str> = WORDS.iter().copied().filter(|w| w.len() >= 8).collect();
                let word = long[a % long.len()];
                let cut = 1 + b % (word.len() - 2);
                format!("{}{} {}", &word[..cut], &word[cut + 1..], WORDS[b])
            }
            Form::One(a) => WORDS[a].to_string(),
        }
    }
}

/// Search settings: page, roll-up, feedback, sort, filter.
#[derive(Debug, Clone)]
struct Settings {
    limit: usize,
    offset: usize,
    per_article: bool,
    feedback: bool,
    sort: u8,
    outlet: Option<usize>,
    explain: bool,
    facets: bool,
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        1usize..12,
        0usize..4,
        any::<bool>(),
        prop::bool::weighted(0.3),
        0u8..4,
        prop::option::weighted(0.2, 0..OUTLETS.len()),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(limit, offset, per_article, feedback, sort, outlet, explain, facets)| Settings {
                limit,
                offset,
                per_article,
                feedback,
                sort,
                outlet,
                explain,
                facets,
            },
        )
}

impl Settings {
    fn options(&self) -> SearchOptions {
        let mut options = SearchOptions::new()
            .limit(self.limit)
            .offset(self.offset)
            .per_article(self.per_article)
            .count_matches(true)
            .explain(self.explain || self.feedback)
            .feedback(self.feedback.then_some(Feedback {
                docs: 3,
                terms: 5,
                original_weight: 0.5,
            }));
        // Mostly relevance; sometimes a date sort.
        match self.sort {
            2 => options = options.sort(Sort::Newest),
            3 => options = options.sort(Sort::Oldest),
            _ => {}
        }
        if self.facets {
            options = options.facets(vec![Facet::Source, Facet::Date(DateBucket::Day)]);
        }
        if let Some(outlet) = self.outlet {
            options = options.filter(FilterField::Source, OUTLETS[outlet]);
        }
        options
    }
}

/// `sharded` is `single`, hit for hit, with scores equal to a relative 1e-5.
fn assert_same(single: &SearchResults, sharded: &SearchResults, what: &str) {
    let show = |r: &SearchResults| {
        r.hits
            .iter()
            .map(|h| {
                let terms = h.explanation.as_ref().map(|e| {
                    e.terms
                        .iter()
                        .map(|t| format!("{}:{} {}×{}", t.field, t.term, t.bm25, t.weight))
                        .collect::<Vec<_>>()
                });
                (
                    h.rank,
                    h.score,
                    h.citation.location(),
                    h.text.clone(),
                    terms,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        single.hits.len(),
        sharded.hits.len(),
        "{what}: hit counts differ\none: {:#?}\nsharded: {:#?}",
        show(single),
        show(sharded)
    );
    for (one, many) in single.hits.iter().zip(&sharded.hits) {
        let close = (one.score - many.score).abs() <= 1e-5 * one.score.abs().max(1e-6);
        assert!(
            one.citation == many.citation && one.rank == many.rank && close,
            "{what}: hits differ\none: {:#?}\nsharded: {:#?}",
            show(single),
            show(sharded)
        );
        assert_eq!(one.text, many.text, "{what}");
        assert_eq!(one.highlights, many.highlights, "{what}");
        assert_eq!(one.boilerplate, many.boilerplate, "{what}");
        if let (Some(a), Some(b)) = (&one.explanation, &many.explanation) {
            assert_eq!(a.reranked, b.reranked, "{what}");
            assert_eq!(a.terms.len(), b.terms.len(), "{what}");
        }
    }
    assert_eq!(single.total_matches, sharded.total_matches, "{what}");
    let corrected = |r: &SearchResults| {
        r.corrections
            .iter()
            .map(|c| (c.word.clone(), c.replacement.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(corrected(single), corrected(sharded), "{what}");
    assert_eq!(single.sort, sharded.sort, "{what}");
    assert_eq!(single.facets, sharded.facets, "{what}");
}

proptest! {
    #![proptest_config(Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn a_sharded_index_answers_exactly_like_one_index(
        articles in prop::collection::vec(article(), 3..60),
        shards in 1u32..5,
        queries in prop::collection::vec((form(), settings()), 6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        write_corpus(&root, &articles);
        let single = index(&dir.path().join("one"), &root, None);
        let parts: Vec<PassageIndex> = (0..shards)
            .map(|s| {
                let shard = Shard::new(s, shards).unwrap();
                index(&dir.path().join(format!("shard{s}")), &root, Some(shard))
            })
            .collect();
        let held: u64 = parts.iter().map(PassageIndex::passage_count).sum();
        prop_assert_eq!(held, single.passage_count());
        for (form, settings) in &queries {
            let query = form.text();
            let options = settings.options();
            let what = format!("{query:?} {settings:?} over {shards} shards");
            match (single.search(&query, &options), search_shards(&parts, &query, &options)) {
                (Ok(one), Ok(many)) => assert_same(&one, &many, &what),
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{what}: {a:?} vs {b:?}"),
            }
        }
    }
}

/// A small corpus in two shards, for the protocol's own checks.
fn two_shards() -> (tempfile::TempDir, PassageIndex, Vec<PassageIndex>) {
    two_shards_with("")
}

#[test]
fn statistics_and_shard_results_survive_json_between_processes() {
    let (_dir, single, parts) = two_shards();
    let query = "frozen talks";
    let options = SearchOptions::new().limit(5).explain(true);
    // Phase 1 over JSON.
    let stats: Vec<QueryStatistics> = parts
        .iter()
        .map(|p| {
            let json = serde_json::to_string(&p.statistics(query, &options).unwrap()).unwrap();
            serde_json::from_str(&json).unwrap()
        })
        .collect();
    let global = QueryStatistics::merged(&stats);
    assert_eq!(global.passages, single.passage_count());
    assert_eq!(global.shards, 2);
    let options = options.global_statistics(Some(global));
    // Phase 2 over JSON.
    let results: Vec<ShardResults> = parts
        .iter()
        .map(|p| {
            let json = serde_json::to_string(&p.search_shard(query, &options).unwrap()).unwrap();
            serde_json::from_str(&json).unwrap()
        })
        .collect();
    let merged = merge_results(results, &options);
    let one = single
        .search(query, &SearchOptions::new().limit(5).explain(true))
        .unwrap();
    assert!(!one.hits.is_empty());
    assert_same(&one, &merged, query);
}

#[test]
fn a_shard_scored_with_its_own_statistics_scores_differently() {
    // What the global statistics are for: without them a shard's BM25 differs.
    let (_dir, single, parts) = two_shards();
    let query = "frozen talks";
    let every = SearchOptions::new().limit(100);
    let one = single.search(query, &every).unwrap();
    let own = parts[0].search(query, &every).unwrap();
    let global = search_shards(&parts, query, &every).unwrap();
    let score_of = |r: &SearchResults, location: &str| {
        r.hits
            .iter()
            .find(|h| h.citation.location() == location)
            .map(|h| h.score)
    };
    let location = own.hits[0].citation.location();
    let (own, one, global) = (
        score_of(&own, &location).unwrap(),
        score_of(&one, &location).unwrap(),
        score_of(&global, &location).unwrap(),
    );
    assert!((own - one).abs() > 1e-3 * one, "{own} vs {one}");
    assert!((global - one).abs() <= 1e-5 * one, "{global} vs {one}");
}

#[test]
fn collapsing_across_shards_is_refused_with_the_reason() {
    let (_dir, _single, parts) = two_shards();
    let err = search_shards(&parts, "frozen", &SearchOptions::new().collapse(true)).unwrap_err();
    assert!(
        matches!(
            err,
            SearchError::InvalidOption {
                option: "collapse",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("without collapse"), "{err}");
}

#[test]
fn copies_of_one_paragraph_tie_exactly_and_go_by_place_on_every_layout() {
    // tantivy adds term scores in an order that depends on the index (block-max
    // WAND, intersections from the rarest clause), so copies of one paragraph
    // could score an ulp apart, differently in each shard: their order must go
    // by place all the same.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    let shared = vec![0, 1, 2, 8, 13, 14, 16, 17];
    let articles: Vec<Article> = (0..60)
        .map(|n| Article {
            title: vec![1, 8, 13],
            paragraphs: vec![
                shared.clone(),
                vec![n % WORDS.len(), (n * 3) % WORDS.len(), 2, 8],
                vec![0, 13, (n * 5) % WORDS.len(), 14, 1],
            ],
            outlet: n % 3,
            day: None,
        })
        .collect();
    write_corpus(&root, &articles);
    let single = index(&dir.path().join("one"), &root, None);
    for count in [2, 3, 4] {
        let parts: Vec<PassageIndex> = (0..count)
            .map(|s| {
                let shard = Shard::new(s, count).unwrap();
                index(&dir.path().join(format!("{count}-{s}")), &root, Some(shard))
            })
            .collect();
        for query in [
            "frozen assets talks brussels security council",
            "frozen assets talks ceasefire envoys brussels security council guarantees territory",
            "assets council kyiv moscow umerov talks territory frozen",
            "\"frozen assets\" talks ministers guarantees",
            "+frozen +assets talks security",
        ] {
            let options = SearchOptions::new().limit(30);
            let one = single.search(query, &options).unwrap();
            let many = search_shards(&parts, query, &options).unwrap();
            assert_same(&one, &many, &format!("{query} over {count}"));
            // The copies tie exactly, in order of place.
            let copies: Vec<_> = one
                .hits
                .iter()
                .filter(|h| h.text == one.hits[0].text)
                .collect();
            assert!(copies.len() > 1, "{query}");
            assert!(copies
                .windows(2)
                .all(|w| w[0].score == w[1].score
                    && w[0].citation.location() < w[1].citation.location()));
        }
    }
}

#[test]
fn a_typed_word_no_shard_holds_is_no_typo_candidate() {
    // `witkoffff` is two edits from `witkoff` and one from `witkofff`, the other
    // typed word, which no passage holds: one index (whose dictionary lacks it)
    // corrects to `witkoff`, and so must every shard.
    let (_dir, single, parts) = two_shards_with("Witkoff met Umerov in Miami.");
    for query in ["witkofff witkoffff", "witkoffff witkofff"] {
        let options = SearchOptions::new().limit(20);
        let one = single.search(query, &options).unwrap();
        let many = search_shards(&parts, query, &options).unwrap();
        assert!(
            one.corrections.iter().any(|c| c.replacement == "witkoff"),
            "{query}: {:?}",
            one.corrections
        );
        assert_same(&one, &many, query);
    }
}

#[test]
fn a_shard_reports_no_other_shard_s_files_as_added() {
    let (_dir, _single, parts) = two_shards();
    for part in &parts {
        let changes = search_indexer::changes_since(part.info().record());
        assert!(changes.is_empty(), "{changes:?}");
    }
}

/// The corpus of [`two_shards`], one index over it and two shards of it; `extra`
/// (unless empty) is one more paragraph of every third article.
fn two_shards_with(extra: &str) -> (tempfile::TempDir, PassageIndex, Vec<PassageIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    let articles: Vec<Article> = (0..12)
        .map(|n| Article {
            title: vec![n % 5],
            paragraphs: vec![
                vec![0, 1, n % WORDS.len()],
                vec![2, 3, (n * 7) % WORDS.len()],
            ],
            outlet: n % 3,
            day: Some(1 + (n % 5) as u32),
        })
        .collect();
    write_corpus(&root, &articles);
    for n in (0..12).step_by(3).filter(|_| !extra.is_empty()) {
        let path = root.join(format!("a{n:02}.txt"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}{extra}\n")).unwrap();
    }
    let single = index(&dir.path().join("one"), &root, None);
    let parts = (0..2)
        .map(|s| {
            let shard = Shard::new(s, 2).unwrap();
            index(&dir.path().join(format!("s{s}")), &root, Some(shard))
        })
        .collect();
    (dir, single, parts)
}
