//! Property: an index kept up to date incrementally answers every query exactly as
//! an index rebuilt from scratch over the same corpus.
//!
//! Each case starts from a seed, generates a corpus, applies a random sequence of
//! changes (indexing after most steps), then rebuilds the final corpus into another
//! folder and compares the answers to single-word and two-word queries: same hits
//! (doc_id, paragraph, line, byte range, text) in the same order, same match count,
//! same spelling corrections, scores equal within a tolerance.
//!
//! The cases are fixed by default; `PROP_SEED=random` draws new ones, and
//! `PROP_SEED=<seed>` replays one case (the failure message prints it);
//! `PROP_CASES=<n>` changes the number of cases (default 20).

use std::fmt::Write as _;
use std::path::Path;

use search_query::{PassageIndex, SearchOptions, SearchResults};

use crate::util::{self, paragraph, segments, Corpus, Rng, Source, TextArticle, WORDS};

const DEFAULT_CASES: u64 = 20;
/// Where the default cases come from.
const DEFAULT_BASE_SEED: u64 = 0x05EE_D0FC_A5E5;
/// Relative tolerance on scores (f32 arithmetic over the same statistics differs
/// only in summation order).
const SCORE_TOLERANCE: f32 = 1e-4;

#[test]
fn incremental_updates_answer_like_a_rebuild() {
    // Fixed cases by default, so that a run never fails by chance; `PROP_SEED=random`
    // draws new ones, `PROP_SEED=<seed>` replays one.
    let seed = std::env::var("PROP_SEED").ok();
    let seeds: Vec<u64> = match seed.as_deref() {
        Some(seed) if seed != "random" => vec![parse_seed(seed)],
        random => {
            let cases = std::env::var("PROP_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(DEFAULT_CASES);
            let base = match random {
                Some(_) => std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64,
                None => DEFAULT_BASE_SEED,
            };
            eprintln!("property cases from base seed {base:#x}");
            let mut rng = Rng::new(base);
            (0..cases).map(|_| rng.next_u64()).collect()
        }
    };
    let mut failures = Vec::new();
    let mut tally = Tally::default();
    for &seed in &seeds {
        if let Some(failure) = run_case(seed, &mut tally) {
            failures.push(failure);
        }
    }
    eprintln!(
        "incremental vs rebuild: {} cases, {} queries compared; mismatching queries: {} with equal scores but another order of tied hits, {} with only scores off, {} with a different ranking, {} with different matches or corrections",
        seeds.len(),
        tally.queries,
        tally.ties,
        tally.scores,
        tally.ranking,
        tally.matches
    );
    assert!(
        tally.groups > 0 || seeds.len() < 5,
        "no case had copy groups: the property does not test them"
    );
    if !failures.is_empty() {
        let mut message = format!(
            "{} of {} cases answer differently after incremental updates than after a rebuild.\n",
            failures.len(),
            seeds.len()
        );
        for failure in failures.iter().take(4) {
            message.push_str(failure);
            message.push('\n');
        }
        panic!("{message}");
    }
}

fn parse_seed(text: &str) -> u64 {
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    }
    .unwrap_or_else(|_| panic!("PROP_SEED={text} is not a number"))
}

#[derive(Default)]
struct Tally {
    queries: usize,
    ties: usize,
    scores: usize,
    ranking: usize,
    matches: usize,
    diagnosed: usize,
    /// Copy groups found in the rebuilt indexes.
    groups: usize,
}

/// Every copy group as its members' places, sorted.
fn copy_groups(index: &PassageIndex) -> Vec<Vec<(String, String, u64, usize)>> {
    let mut groups: Vec<Vec<_>> = index
        .copy_groups()
        .unwrap()
        .into_iter()
        .map(|g| {
            let mut members: Vec<_> = g
                .members
                .iter()
                .map(|c| (c.path.clone(), c.doc_id.clone(), c.paragraph, c.byte_start))
                .collect();
            members.sort();
            members
        })
        .collect();
    groups.sort();
    groups
}

/// One case; returns a description of the first mismatches, if any.
fn run_case(seed: u64, tally: &mut Tally) -> Option<String> {
    let scratch = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(seed);
    let mut corpus = Corpus::random(scratch.path().join("corpus"), &mut rng);
    let inc = scratch.path().join("incremental");
    let fresh = scratch.path().join("rebuilt");
    let root = corpus.dir.clone();
    util::index(&inc, &[&root], false);

    let mut log = Vec::new();
    let steps = rng.range(3, 8);
    for step in 0..steps {
        for _ in 0..rng.range(1, 3) {
            log.push(change(&mut corpus, &mut rng));
        }
        if step + 1 == steps || rng.chance(0.75) {
            let report = util::index(&inc, &[&root], false);
            log.push(format!(
                "index: {} indexed, {} unchanged, {} removed",
                report.files_indexed, report.files_unchanged, report.files_removed
            ));
        }
    }
    util::index(&fresh, &[&root], true);

    let inc_index = util::open(&inc);
    let fresh_index = util::open(&fresh);
    assert_eq!(
        inc_index.passage_count(),
        fresh_index.passage_count(),
        "seed {seed:#x}: live passage counts differ"
    );

    let queries = queries(&mut rng);
    let mut mismatches = Vec::new();
    for (query, label, options) in &queries {
        {
            tally.queries += 1;
            let a = search(&inc_index, query, options);
            let b = search(&fresh_index, query, options);
            if let Some((kind, detail)) = compare(&a, &b) {
                match kind {
                    Kind::Ties => tally.ties += 1,
                    Kind::Scores => tally.scores += 1,
                    Kind::Ranking => tally.ranking += 1,
                    Kind::Matches => tally.matches += 1,
                }
                mismatches.push(format!("query {query:?}{label}: {kind:?}: {detail}"));
            }
        }
    }
    // The same copy groups.
    let (a, b) = (copy_groups(&inc_index), copy_groups(&fresh_index));
    tally.groups += b.len();
    if a != b {
        mismatches.push(format!("copy groups: {a:?}, rebuilt {b:?}"));
    }
    if mismatches.is_empty() {
        return None;
    }
    let live = |dir: &Path| {
        segments(dir)
            .iter()
            .map(|(id, max, del)| format!("{}:{max} docs/{del} deleted", &id[..8]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Evidence of the cause (for the first failing cases): merge a copy of the
    // incremental index into one segment, which drops deleted passages and their
    // statistics, and compare again.
    let mut after_merge = None;
    if tally.diagnosed < 3 {
        tally.diagnosed += 1;
        let merged = util::merged_copy(&inc);
        let merged_index = util::open(merged.path());
        let mut still = Vec::new();
        for (query, label, options) in &queries {
            let a = search(&merged_index, query, options);
            let b = search(&fresh_index, query, options);
            if let Some((kind, _)) = compare(&a, &b) {
                still.push(format!("{query:?}{label}: {kind:?}"));
            }
        }
        after_merge = Some(still);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "--- seed {seed:#x} (replay: PROP_SEED={seed:#x} cargo test -p search-indexer --test it incremental_updates_answer_like_a_rebuild -- --nocapture): {} of {} queries differ",
        mismatches.len(),
        queries.len()
    );
    let _ = writeln!(out, "incremental segments: [{}]", live(&inc));
    let _ = writeln!(out, "rebuilt segments:     [{}]", live(&fresh));
    let _ = writeln!(out, "changes: {}", log.join("; "));
    if let Some(still) = after_merge {
        let _ = writeln!(
            out,
            "after merging a copy of the incremental index into one segment (deleted passages purged), {} of these queries still differ: {:?}",
            still.len(),
            still.iter().take(6).collect::<Vec<_>>()
        );
    }
    for m in mismatches.iter().take(3) {
        let _ = writeln!(out, "{m}");
    }
    Some(out)
}

/// The queries of a case: single words, pairs (some per article), and misspelled
/// words, which go through the typo-tolerance path (it reads term statistics).
fn queries(rng: &mut Rng) -> Vec<(String, &'static str, SearchOptions)> {
    let mut out = Vec::new();
    for _ in 0..14 {
        out.push((rng.pick(WORDS).to_string(), "", SearchOptions::new()));
    }
    for i in 0..14 {
        let query = format!("{} {}", rng.pick(WORDS), rng.pick(WORDS));
        if i % 2 == 0 {
            out.push((query, "", SearchOptions::new()));
        } else {
            let options = SearchOptions::new().limit(5).per_article(true);
            out.push((query, " --per-article", options));
        }
    }
    for _ in 0..4 {
        let word = rng.pick(WORDS);
        let cut = 1 + rng.below(word.len() - 2);
        let typo = format!("{}{}", &word[..cut], &word[cut + 1..]);
        out.push((typo, "", SearchOptions::new()));
    }
    out
}

fn search(index: &PassageIndex, query: &str, options: &SearchOptions) -> SearchResults {
    index
        .search(query, options)
        .unwrap_or_else(|e| panic!("query {query:?}: {e}"))
}

/// Applies one random change to the corpus; returns what it did.
fn change(corpus: &mut Corpus, rng: &mut Rng) -> String {
    let texts = corpus.names_of(false);
    let jsonls = corpus.names_of(true);
    let roll = rng.below(100);
    if roll < 15 || texts.len() < 3 {
        let name = corpus.add_text(TextArticle::random(rng));
        return format!("add {name}");
    }
    if roll < 22 {
        // Syndication: a copy of an article under a new name, a word changed in
        // each paragraph (copy groups must follow it through later changes).
        let name = rng.pick(&texts).clone();
        let Some(Source::Text(mut article)) = corpus.files.get(&name).cloned() else {
            unreachable!("a text file")
        };
        for p in &mut article.paragraphs {
            let mut words: Vec<&str> = p.split(' ').collect();
            let at = rng.below(words.len());
            words[at] = "syndicated";
            *p = words.join(" ");
        }
        let copy = corpus.add_text(article);
        return format!("copy {name} to {copy}");
    }
    if roll < 30 {
        let name = rng.pick(&texts).clone();
        corpus.remove(&name);
        return format!("delete {name}");
    }
    if roll < 75 {
        let name = rng.pick(&texts).clone();
        let Some(Source::Text(mut article)) = corpus.files.get(&name).cloned() else {
            unreachable!("a text file")
        };
        let what = rng.below(4);
        let done = match what {
            0 => {
                let at = rng.below(article.paragraphs.len());
                article.paragraphs[at] = paragraph(rng);
                format!("edit {name} ¶{}", at + 1)
            }
            1 => {
                article.paragraphs.push(paragraph(rng));
                format!("append to {name}")
            }
            2 if article.paragraphs.len() > 1 => {
                let at = rng.below(article.paragraphs.len());
                article.paragraphs.remove(at);
                format!("drop {name} ¶{}", at + 1)
            }
            _ => {
                article.title = util::title(rng);
                format!("retitle {name}")
            }
        };
        corpus.put(&name, Source::Text(article));
        return done;
    }
    // JSONL records.
    let Some(name) = (!jsonls.is_empty()).then(|| rng.pick(&jsonls).clone()) else {
        let name = corpus.add_jsonl(rng);
        return format!("add {name}");
    };
    if rng.chance(0.1) {
        corpus.remove(&name);
        return format!("delete {name}");
    }
    let Some(Source::Jsonl(mut records)) = corpus.files.get(&name).cloned() else {
        unreachable!("a jsonl file")
    };
    let done = match rng.below(3) {
        0 => {
            let at = rng.below(records.len());
            let p = rng.below(records[at].paragraphs.len());
            records[at].paragraphs[p] = paragraph(rng);
            format!("edit {name} record {} ¶{}", records[at].id, p + 1)
        }
        1 => {
            let record = corpus.new_record(rng);
            let done = format!("add record {} to {name}", record.id);
            records.push(record);
            done
        }
        _ if records.len() > 1 => {
            let at = rng.below(records.len());
            let gone = records.remove(at);
            format!("remove record {} from {name}", gone.id)
        }
        _ => {
            let at = rng.below(records.len());
            records[at].paragraphs.push(paragraph(rng));
            format!("extend {name} record {}", records[at].id)
        }
    };
    corpus.put(&name, Source::Jsonl(records));
    done
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Every hit has the same score in both, but tied hits come in another order
    /// (or another of several tied hits made the cut).
    Ties,
    /// Same hits in the same order; some scores differ.
    Scores,
    /// Scores differ and so does the order or the set of hits.
    Ranking,
    /// Different match counts or spelling corrections.
    Matches,
}

type Key = (String, u64, u64, usize, usize, String);

fn key(hit: &search_query::Hit) -> Key {
    let c = &hit.citation;
    (
        c.doc_id.clone(),
        c.paragraph,
        c.line,
        c.byte_start,
        c.byte_end,
        hit.text.clone(),
    )
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= SCORE_TOLERANCE * a.abs().max(b.abs()).max(1e-6)
}

/// Compares the incremental index's answer `a` with the rebuilt index's `b`.
fn compare(a: &SearchResults, b: &SearchResults) -> Option<(Kind, String)> {
    let fix = |r: &SearchResults| {
        r.corrections
            .iter()
            .map(|c| format!("{}->{}", c.word, c.replacement))
            .collect::<Vec<_>>()
    };
    if a.total_matches != b.total_matches || fix(a) != fix(b) {
        return Some((
            Kind::Matches,
            format!(
                "incremental: {:?} matches, corrections {:?}; rebuilt: {:?} matches, corrections {:?}",
                a.total_matches,
                fix(a),
                b.total_matches,
                fix(b)
            ),
        ));
    }
    let keys_a: Vec<Key> = a.hits.iter().map(key).collect();
    let keys_b: Vec<Key> = b.hits.iter().map(key).collect();
    let scores_b: std::collections::HashMap<&Key, f32> =
        keys_b.iter().zip(b.hits.iter().map(|h| h.score)).collect();
    let mut worst: f32 = 0.0;
    for (k, hit) in keys_a.iter().zip(&a.hits) {
        if let Some(&s) = scores_b.get(k) {
            if !close(hit.score, s) {
                worst = worst.max((hit.score - s).abs() / hit.score.abs().max(s.abs()));
            }
        }
    }
    let same_order = keys_a == keys_b;
    let all_scores_equal = same_order
        && a.hits
            .iter()
            .zip(&b.hits)
            .all(|(x, y)| close(x.score, y.score))
        || !same_order && worst == 0.0 && tied_permutation(a, b);
    let kind = match (same_order, all_scores_equal) {
        (true, true) => return None,
        (false, true) => Kind::Ties,
        (true, false) => Kind::Scores,
        (false, false) => Kind::Ranking,
    };
    let show = |r: &SearchResults| {
        r.hits
            .iter()
            .map(|h| {
                format!(
                    "{}#{}={:.5}",
                    h.citation.doc_id, h.citation.paragraph, h.score
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    Some((
        kind,
        format!(
            "largest relative score difference {worst:.2e}\n    incremental: {}\n    rebuilt:     {}",
            show(a),
            show(b)
        ),
    ))
}

/// True when `a` and `b` list hits with the same sequence of scores (within
/// tolerance), so they differ only in how equal scores were ordered or cut.
fn tied_permutation(a: &SearchResults, b: &SearchResults) -> bool {
    a.hits.len() == b.hits.len()
        && a.hits
            .iter()
            .zip(&b.hits)
            .all(|(x, y)| close(x.score, y.score))
}
