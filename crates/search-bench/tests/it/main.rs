//! End-to-end runs of the four binaries on a tiny synthetic source.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use search_bench::text::is_stop_word;
use search_bench::{Authors, IndexStats, QueryStats, Record};

const SYLLABLES: &[&str] = &[
    "ka", "lor", "mit", "sen", "dra", "vul", "pes", "tor", "mon", "gri", "bel", "quan",
];

/// The `k`-th synthetic word, Zipf-ish: low numbers come up more often.
fn word(k: usize) -> String {
    let n = SYLLABLES.len();
    let r = (k * 2_654_435_761) % 1000;
    let rank = 1000 / (r + 1) + r % 40; // skewed towards small ranks
    format!("{}{}", SYLLABLES[rank % n], SYLLABLES[(rank / n) % n])
}

/// A wiki-vital-like source: `n` summaries of 3–6 sentences.
fn write_source(dir: &Path, n: usize) -> PathBuf {
    let mut out = String::new();
    let mut k = 0usize;
    let mut next = || {
        k += 1;
        word(k)
    };
    for i in 0..n {
        let sentences: Vec<String> = (0..3 + i % 4)
            .map(|_| {
                format!(
                    "The {} of the {} is near a {} and a {} in {} country.",
                    next(),
                    next(),
                    next(),
                    next(),
                    next()
                )
            })
            .collect();
        let rec = serde_json::json!({
            "id": format!("Topic {i}"),
            "title": format!("Topic {i}"),
            "text": sentences.join(" "),
            "description": "Test topic",
        });
        out.push_str(&rec.to_string());
        out.push('\n');
    }
    let path = dir.join("source.jsonl");
    fs::write(&path, out).unwrap();
    path
}

fn run(bin: &str, args: &[&str]) -> String {
    let output = Command::new(bin).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{bin} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

const GEN_CORPUS: &str = env!("CARGO_BIN_EXE_gen-corpus");
const GEN_QUERIES: &str = env!("CARGO_BIN_EXE_gen-queries");
const PEER_TANTIVY: &str = env!("CARGO_BIN_EXE_peer-tantivy");
const PEER_FTS5: &str = env!("CARGO_BIN_EXE_peer-fts5");

#[test]
fn corpus_is_deterministic_and_well_formed() {
    let tmp = tempfile::tempdir().unwrap();
    let source = write_source(tmp.path(), 80);
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    for (dir, seed) in [(&a, "1"), (&b, "1"), (&c, "2")] {
        run(
            GEN_CORPUS,
            &[
                "--mb",
                "0.1",
                "--out",
                p(dir),
                "--seed",
                seed,
                "--source",
                p(&source),
                "--txt",
            ],
        );
    }
    let corpus_a = fs::read_to_string(a.join("corpus.jsonl")).unwrap();
    assert_eq!(
        corpus_a,
        fs::read_to_string(b.join("corpus.jsonl")).unwrap()
    );
    assert_ne!(
        corpus_a,
        fs::read_to_string(c.join("corpus.jsonl")).unwrap()
    );

    let records: Vec<Record> = corpus_a
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let text_bytes: usize = records.iter().map(|r| r.text.len()).sum();
    assert!((100_000..110_000).contains(&text_bytes), "{text_bytes}");
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), records.len());
    let mut lists = 0;
    let mut several = 0;
    for r in &records {
        let names = r.author.names();
        assert!((1..=3).contains(&names.len()), "{:?}", r.author);
        assert!(names.iter().all(|n| n.split(' ').count() == 2), "{names:?}");
        lists += usize::from(matches!(r.author, Authors::List(_)));
        several += usize::from(names.len() > 1);
        assert!(!r.title.ends_with('.'), "{}", r.title);
        let n = r.paragraphs().count();
        assert!((4..=23).contains(&n), "{n} paragraphs");
        assert!(r.date.starts_with("202") && r.date.len() == 10);
        assert!(r.url.starts_with("https://") && r.url.ends_with(&r.id));
        let txt = fs::read_to_string(a.join("txt").join(format!("{}.txt", r.id))).unwrap();
        assert_eq!(txt, format!("{}\n\n{}\n", r.title, r.text));
    }
    assert!(
        several > 0 && lists >= several,
        "{several} with co-authors, {lists} lists"
    );
    assert!(lists < records.len(), "every by-line is a list");
    let meta: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(a.join("corpus.meta.json")).unwrap()).unwrap();
    assert_eq!(meta["articles"], records.len());
}

#[test]
fn queries_and_both_peers_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let source = write_source(tmp.path(), 80);
    let dir = tmp.path().join("corpus");
    run(
        GEN_CORPUS,
        &["--mb", "0.1", "--out", p(&dir), "--source", p(&source)],
    );
    let corpus = dir.join("corpus.jsonl");
    let queries = tmp.path().join("queries.txt");
    run(
        GEN_QUERIES,
        &["--corpus", p(&corpus), "--n", "40", "--out", p(&queries)],
    );
    let text = fs::read_to_string(&queries).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 40);
    let mut distinct = lines.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 40);
    for q in &lines {
        let words: Vec<&str> = q.split(' ').collect();
        assert!((2..=3).contains(&words.len()), "{q}");
        assert!(words.iter().all(|w| !is_stop_word(w)), "{q}");
    }

    for peer in [PEER_TANTIVY, PEER_FTS5] {
        let index = tmp.path().join(format!("idx-{}", peer.len()));
        let stats: IndexStats = serde_json::from_str(&run(
            peer,
            &["index", "--corpus", p(&corpus), "--index", p(&index)],
        ))
        .unwrap();
        assert!(stats.passages > 100);
        let dump = tmp.path().join("dump.jsonl");
        let q: QueryStats = serde_json::from_str(&run(
            peer,
            &[
                "query",
                "--index",
                p(&index),
                "--queries",
                p(&queries),
                "--jsonl-out",
                p(&dump),
            ],
        ))
        .unwrap();
        assert_eq!(q.queries, 40);
        assert!(q.hits >= 40, "{peer}: {} hits", q.hits);
        let dump = fs::read_to_string(&dump).unwrap();
        assert_eq!(dump.lines().count(), 40);
        assert!(dump.contains('['), "{peer}: no highlight in snippets");
    }
}
