use std::collections::{HashMap, HashSet};

use super::*;
use crate::text::split_sentences;

const SYLLABLES: &[&str] = &[
    "ka", "lor", "mit", "sen", "dra", "vul", "pes", "tor", "mon", "gri", "bel", "quan", "ster",
    "ip", "ran", "cho",
];

/// The `k`-th made-up word: distinct for every `k` below 16^3.
fn word(k: usize) -> String {
    let n = SYLLABLES.len();
    format!(
        "{}{}{}",
        SYLLABLES[k % n],
        SYLLABLES[(k / n) % n],
        SYLLABLES[(k / n / n) % n]
    )
}

/// A wiki-vital-like source of `topics` summaries of 3–7 sentences, every
/// sentence different (each has a word of its own).
fn source(topics: usize) -> Source {
    let mut k = 0usize;
    let mut next = || {
        k += 1;
        word(k * 7 % 4096)
    };
    let summaries = (0..topics).map(|i| {
        let sentences: Vec<String> = (0..3 + i % 5)
            .map(|_| {
                format!(
                    "The {} of the {} lies near the {} and a {} in {} country, {} said.",
                    next(),
                    next(),
                    next(),
                    next(),
                    next(),
                    next()
                )
            })
            .collect();
        Summary {
            title: format!("Topic {i}"),
            description: Some("Test topic".into()),
            text: sentences.join(" "),
        }
    });
    Source::new(summaries).unwrap()
}

fn options(seed: u64) -> Options {
    Options {
        originals: 30,
        copies: CopyRange { min: 0, max: 3 },
        quote_articles: 12,
        unrelated: Filler::Articles(40),
        seed,
    }
}

fn run(source: &Source, options: &Options) -> (Vec<Record>, Truth) {
    let mut records = Vec::new();
    let truth = generate(source, options, |r| {
        records.push(r.clone());
        Ok(())
    })
    .unwrap();
    (records, truth)
}

fn lines(record: &Record) -> Vec<&str> {
    record.paragraphs().collect()
}

/// The text of a passage.
fn text<'a>(records: &'a HashMap<&str, &Record>, p: &PassageRef) -> &'a str {
    let record = records[p.id.as_str()];
    lines(record)[p.paragraph as usize - 1]
}

fn by_id(records: &[Record]) -> HashMap<&str, &Record> {
    records.iter().map(|r| (r.id.as_str(), r)).collect()
}

#[test]
fn same_seed_same_corpus_and_truth() {
    let src = source(400);
    let (a, ta) = run(&src, &options(5));
    let (b, tb) = run(&src, &options(5));
    assert_eq!(a, b);
    assert_eq!(ta, tb);
    let (c, _) = run(&src, &options(6));
    assert_ne!(a, c);
}

#[test]
fn kinds_and_counts_add_up() {
    let src = source(400);
    let (records, truth) = run(&src, &options(1));
    assert_eq!(truth.sentence_passes, 1, "the test corpus fits in one pass");
    assert_eq!(records.len(), truth.articles);
    assert_eq!(
        truth.articles,
        truth.originals + truth.copies + truth.quote_articles + truth.unrelated
    );
    assert_eq!(
        (truth.originals, truth.quote_articles, truth.unrelated),
        (30, 12, 40)
    );
    let count = |prefix: char, copy: bool| {
        records
            .iter()
            .filter(|r| r.id.starts_with(prefix) && r.id.contains("-c") == copy)
            .count()
    };
    assert_eq!(count('o', false), 30);
    assert_eq!(count('o', true), truth.copies);
    assert!(truth.copies > 0);
    assert_eq!(count('q', false), 12);
    assert_eq!(count('u', false), 40);
    let paragraphs: u64 = records.iter().map(|r| lines(r).len() as u64).sum();
    let bytes: u64 = records
        .iter()
        .flat_map(|r| r.paragraphs())
        .map(|p| p.len() as u64)
        .sum();
    assert_eq!((truth.paragraphs, truth.text_bytes), (paragraphs, bytes));
    let ids: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), records.len(), "ids are unique");
    for r in &records {
        assert!(!r.title.ends_with('.'));
        assert!(r.date.len() == 10 && r.url.starts_with("https://www."));
        assert!(r.paragraphs().all(|p| p.len() <= 2048), "never split");
        assert!(!r.text.contains("\n\n") && !r.text.ends_with('\n'));
    }
}

#[test]
fn copies_change_about_one_word_in_forty() {
    let src = source(400);
    let mut options = options(3);
    options.copies = CopyRange { min: 2, max: 3 };
    let (records, truth) = run(&src, &options);
    let records = by_id(&records);
    let (mut words, mut changed) = (0usize, 0usize);
    for group in &truth.groups {
        let original = text(&records, &group[0]);
        assert!(!group[0].id.contains("-c"), "the original comes first");
        for copy in &group[1..] {
            assert!(copy.id.starts_with(&format!("{}-c", group[0].id)));
            let copied = text(&records, copy);
            let (a, b): (Vec<&str>, Vec<&str>) =
                (original.split(' ').collect(), copied.split(' ').collect());
            assert_eq!(a.len(), b.len(), "a copy keeps every token");
            let (mut here, mut changes) = (0usize, 0usize);
            for (x, y) in a.iter().zip(&b) {
                if word_core(x).is_some() {
                    here += 1;
                }
                if x != y {
                    changes += 1;
                    assert!(word_core(x).is_some(), "only words change: {x} -> {y}");
                }
            }
            // n/40 rounded up or down, never more.
            assert!(
                changes <= here.div_ceil(40),
                "{changes} of {here} words changed"
            );
            assert!(changes >= here / 40, "{changes} of {here} words changed");
            words += here;
            changed += changes;
        }
    }
    let rate = changed as f64 / words as f64;
    assert!(words > 5000, "{words} words copied");
    assert!(
        (1.0 / 44.0..=1.0 / 36.0).contains(&rate),
        "{changed} of {words} words changed ({rate:.4})"
    );
}

#[test]
fn quote_articles_quote_exactly_one_sentence_of_their_source() {
    let src = source(400);
    let (records, truth) = run(&src, &options(4));
    let records = by_id(&records);
    let boilerplate: HashSet<&PassageRef> = truth.boilerplate.iter().collect();
    assert_eq!(truth.quotes.len(), 12);
    for quote in &truth.quotes {
        let source = records[quote.source.as_str()];
        let quoting = records[quote.id.as_str()];
        let sentences: Vec<&str> = source
            .paragraphs()
            .enumerate()
            .filter(|(j, _)| {
                !boilerplate.contains(&PassageRef {
                    id: source.id.clone(),
                    paragraph: *j as u64 + 1,
                })
            })
            .flat_map(|(_, p)| split_sentences(p))
            .collect();
        let quoted: Vec<&str> = sentences
            .iter()
            .copied()
            .filter(|s| quoting.text.contains(s))
            .collect();
        assert_eq!(quoted.len(), 1, "{} quotes {quoted:?}", quote.id);
        let paragraph = text(
            &records,
            &PassageRef {
                id: quote.id.clone(),
                paragraph: quote.paragraph,
            },
        );
        assert!(paragraph.starts_with(&format!(
            "As {} reported, \"{}\" ",
            source.source, quoted[0]
        )));
        let from = text(
            &records,
            &PassageRef {
                id: quote.source.clone(),
                paragraph: quote.source_paragraph,
            },
        );
        assert!(from.contains(quoted[0]));
        // The quotation is a small part of both paragraphs.
        assert!(quoted[0].len() * 3 < paragraph.len(), "{paragraph}");
        assert!(quoted[0].len() * 2 <= from.len(), "{from}");
        assert_ne!(quoting.source, source.source);
    }
}

#[test]
fn truth_is_consistent_with_the_records() {
    let src = source(400);
    let (records, truth) = run(&src, &options(9));
    let records_by_id = by_id(&records);
    let mut grouped: HashMap<&PassageRef, usize> = HashMap::new();
    for (g, group) in truth.groups.iter().enumerate() {
        assert!(group.len() >= 2);
        let articles: HashSet<&str> = group.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(articles.len(), group.len(), "one passage per article");
        let original = text(&records_by_id, &group[0]);
        for p in group {
            assert!(grouped.insert(p, g).is_none(), "{p:?} in two groups");
            let copied = text(&records_by_id, p);
            assert_eq!(copied.split(' ').count(), original.split(' ').count());
        }
    }
    let boilerplate: HashSet<&PassageRef> = truth.boilerplate.iter().collect();
    let credits: HashSet<&PassageRef> = truth.credits.iter().collect();
    for p in &truth.boilerplate {
        let line = text(&records_by_id, p);
        assert!(search_indexer::boilerplate::is_boilerplate(line), "{line}");
        assert!(!grouped.contains_key(p) && !credits.contains(p));
    }
    assert_eq!(credits.len(), truth.copies, "one credit line per copy");
    for p in &truth.credits {
        let line = text(&records_by_id, p);
        assert!(
            line.starts_with("This article was originally published by ")
                || line.starts_with("(Reporting by ")
                || line.starts_with("This story first appeared in "),
            "{line}"
        );
        assert!(!grouped.contains_key(p));
    }
    // No accidental copies: a paragraph that occurs twice is boilerplate, a
    // credit line, or in a true group (within one pass over the sentences).
    let mut seen: HashMap<&str, PassageRef> = HashMap::new();
    for r in &records {
        for (j, line) in r.paragraphs().enumerate() {
            let p = PassageRef {
                id: r.id.clone(),
                paragraph: j as u64 + 1,
            };
            if boilerplate.contains(&p) || credits.contains(&p) {
                continue;
            }
            if let Some(q) = seen.get(line) {
                assert_eq!(grouped.get(&p), grouped.get(q), "{p:?} repeats {q:?}");
                assert!(grouped.contains_key(&p));
            } else {
                seen.insert(line, p);
            }
        }
    }
    // Every other paragraph of a copy is in its original's group.
    for r in records.iter().filter(|r| r.id.contains("-c")) {
        for j in 1..=lines(r).len() as u64 {
            let p = PassageRef {
                id: r.id.clone(),
                paragraph: j,
            };
            assert!(credits.contains(&p) ^ grouped.contains_key(&p), "{p:?}");
        }
    }
    let ids: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    for q in &truth.quotes {
        assert!(ids.contains(q.id.as_str()) && ids.contains(q.source.as_str()));
    }
}

#[test]
fn a_text_size_fills_with_unrelated_articles() {
    let src = source(400);
    let mut options = options(2);
    options.unrelated = Filler::TextBytes(400_000);
    let (records, truth) = run(&src, &options);
    assert!(truth.text_bytes >= 400_000);
    assert!(truth.unrelated > 0);
    // Unrelated articles are spread between the others, not all at the end.
    let last_planned = records
        .iter()
        .rposition(|r| !r.id.starts_with('u'))
        .unwrap();
    let first_unrelated = records.iter().position(|r| r.id.starts_with('u')).unwrap();
    assert!(first_unrelated < last_planned);
}

#[test]
fn a_large_corpus_goes_through_the_sentences_again() {
    let src = source(40);
    let mut options = options(2);
    options.unrelated = Filler::Articles(100);
    let (_, truth) = run(&src, &options);
    assert!(truth.sentence_passes > 1);
}

#[test]
fn copy_ranges_parse() {
    assert_eq!("2".parse(), Ok(CopyRange { min: 2, max: 2 }));
    assert_eq!("0-4".parse(), Ok(CopyRange { min: 0, max: 4 }));
    assert_eq!(CopyRange { min: 0, max: 4 }.mean(), 2.0);
    assert!("4-1".parse::<CopyRange>().is_err());
    assert!("x".parse::<CopyRange>().is_err());
    assert!(
        "0-20".parse::<CopyRange>().is_err(),
        "more copies than outlets"
    );
}

#[test]
fn substitution_keeps_punctuation_and_capitals() {
    let vocabulary = vec!["zebra".to_owned(), "yak".to_owned()];
    let mut rng = Rng::new(1);
    let out = substitute_words(
        &mut rng,
        "The \"Nile\", at 6,650 km, is long.",
        &vocabulary,
        1.0,
    );
    let tokens: Vec<&str> = out.split(' ').collect();
    assert_eq!(tokens.len(), 7);
    assert!(tokens[0] == "Zebra" || tokens[0] == "Yak", "{out}");
    assert!(
        tokens[1].starts_with('"') && tokens[1].ends_with("\","),
        "{out}"
    );
    assert_eq!(tokens[3], "6,650", "numbers are not words");
    assert!(tokens[6].ends_with('.') && tokens[6] != "long.", "{out}");
    assert_eq!(word_core("a"), None);
    assert_eq!(word_core("(Reuters)"), Some(1..8));
    assert_eq!(word_core("U.S."), None);
}

fn r(id: &str, paragraph: u64) -> PassageRef {
    PassageRef {
        id: id.into(),
        paragraph,
    }
}

fn small_truth() -> Truth {
    Truth {
        seed: 0,
        articles: 5,
        originals: 1,
        copies: 2,
        quote_articles: 1,
        unrelated: 1,
        paragraphs: 0,
        text_bytes: 0,
        sentence_passes: 1,
        groups: vec![
            vec![r("o1", 1), r("o1-c1", 1), r("o1-c2", 2)],
            vec![r("o1", 2), r("o1-c1", 2), r("o1-c2", 3)],
        ],
        quotes: vec![Quote {
            id: "q1".into(),
            source: "o1".into(),
            paragraph: 2,
            source_paragraph: 1,
        }],
        boilerplate: vec![r("u1", 4), r("o1", 3)],
        credits: vec![r("o1-c1", 3), r("o1-c2", 1)],
    }
}

#[test]
fn perfect_groups_score_one() {
    let truth = small_truth();
    let s = score(&truth, &truth.groups, 5);
    assert_eq!(
        (s.true_pairs, s.predicted_pairs, s.correct_pairs),
        (6, 6, 6)
    );
    assert_eq!((s.precision, s.recall), (1.0, 1.0));
    assert!(s.misses(&Targets::default()).is_empty());
    assert!(s.false_pairs.is_empty() && s.missed_pairs.is_empty());
}

#[test]
fn merged_and_split_groups_cost_precision_and_recall() {
    let truth = small_truth();
    let merged: Vec<PassageRef> = truth.groups.concat();
    let s = score(&truth, &[merged], 3);
    assert_eq!((s.predicted_pairs, s.correct_pairs), (15, 6));
    assert!((s.precision - 0.4).abs() < 1e-9 && s.recall == 1.0);
    assert_eq!(s.false_pairs.len(), 3);
    let split = vec![vec![r("o1", 1), r("o1-c1", 1)], truth.groups[1].clone()];
    let s = score(&truth, &split, 5);
    assert_eq!(
        (s.predicted_pairs, s.correct_pairs, s.true_pairs),
        (4, 4, 6)
    );
    assert_eq!(s.missed_pairs.len(), 2);
    assert_eq!(s.misses(&Targets::default()).len(), 1, "recall only");
}

#[test]
fn boilerplate_is_left_out_and_counted() {
    let truth = small_truth();
    let mut groups = truth.groups.clone();
    groups.push(vec![r("u1", 4), r("o1", 3)]);
    groups[0].push(r("u1", 4));
    let s = score(&truth, &groups, 5);
    assert_eq!((s.precision, s.recall), (1.0, 1.0));
    assert_eq!(s.boilerplate_grouped, 2);
    assert_eq!(s.predicted_groups, 2);
    assert_eq!(s.misses(&Targets::default()).len(), 1);
}

#[test]
fn credit_lines_and_quotes_grouped_are_errors() {
    let truth = small_truth();
    let mut groups = truth.groups.clone();
    groups.push(vec![r("o1-c1", 3), r("o1-c2", 1)]);
    groups[1].push(r("q1", 2));
    let s = score(&truth, &groups, 5);
    assert_eq!((s.credits_grouped, s.credit_pairs), (2, 1));
    assert_eq!(s.quotes_grouped, 1);
    assert_eq!(
        s.grouped_quotes,
        vec![Example {
            a: r("q1", 2),
            b: r("o1", 2)
        }]
    );
    // 6 true pairs of 6 + 3 (quote) + 1 (credits) predicted.
    assert_eq!((s.predicted_pairs, s.correct_pairs), (10, 6));
    // A quote grouped with a copy of its source only is grouped with its source.
    let groups = vec![vec![r("q1", 1), r("o1-c2", 2)]];
    assert_eq!(score(&truth, &groups, 5).quotes_grouped, 1);
}

/// The truth's paragraph numbers are the engine's: every passage the truth
/// names is a passage of the index with that number, and its cited bytes are
/// that line of the record.
#[test]
fn truth_paragraphs_are_the_engines() {
    let src = source(400);
    let (records, truth) = run(&src, &options(11));
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let mut jsonl = String::new();
    for record in &records {
        jsonl.push_str(&serde_json::to_string(record).unwrap());
        jsonl.push('\n');
    }
    std::fs::write(&corpus, jsonl).unwrap();
    let index_dir = dir.path().join("index");
    let mut index_options = search_indexer::IndexOptions::new(&index_dir);
    index_options.roots = vec![corpus];
    search_indexer::Indexer::new(index_options)
        .run(&mut ())
        .unwrap();
    let index = search_query::PassageIndex::open(&index_dir).unwrap();
    assert_eq!(index.passage_count(), truth.paragraphs);

    let records = by_id(&records);
    let mut named: Vec<PassageRef> = truth.groups.concat();
    named.extend(truth.boilerplate.iter().cloned());
    named.extend(truth.credits.iter().cloned());
    for q in &truth.quotes {
        named.push(r(&q.id, q.paragraph));
        named.push(r(&q.source, q.source_paragraph));
    }
    let mut citations: HashMap<String, Vec<search_query::Citation>> = HashMap::new();
    for p in &named {
        let cited = citations
            .entry(p.id.clone())
            .or_insert_with(|| index.article(&p.id).unwrap());
        let c = cited
            .iter()
            .find(|c| c.paragraph == p.paragraph)
            .unwrap_or_else(|| panic!("{p:?} is not in the index"));
        assert_eq!(c.part, None);
        let record = records[p.id.as_str()];
        assert_eq!(&record.text[c.byte_range()], text(&records, p), "{p:?}");
    }
}
