//! A fresh and safe index, through the real binary: updates killed at random
//! moments leave an index that answers exactly as before or exactly as after; a
//! second writer is turned away at once; queries run during an update; and
//! `verify`, `stats` and `query` notice sources edited since indexing.
//!
//! `KILL_ROUNDS=<n>` sets how many updates the kill harness kills (default 30);
//! its delays are fixed by default; `KILL_SEED=<n>` picks another sequence and
//! `KILL_SEED=random` a new one each run (what a delay hits still depends on the
//! machine's speed).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use search_test_support::news::WORDS;
use search_test_support::Rng;
use serde_json::{json, Value};

use crate::util::{cited, hits, Sandbox, NEWSMAX_PATH, UKRAINE_PATH};

const DEFAULT_KILL_ROUNDS: usize = 30;

// ---------------------------------------------------------------------------
// A generated corpus, in three versions.

/// `0..=n`, from the shared seeded generator (kill delays).
fn upto(rng: &mut Rng, n: u64) -> u64 {
    rng.below(n as usize + 1) as u64
}

/// A word only the given version of the corpus holds.
const VERSION_WORDS: [&str; 3] = ["zircon", "amber", "cobalt"];

/// A paragraph of random words, from `seed`; versioned text carries its version's word.
fn paragraph(seed: u64, version: Option<usize>) -> String {
    let mut rng = Rng::new(seed);
    let n = 8 + rng.below(14);
    let mut words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
    if let Some(v) = version {
        let at = rng.below(n);
        words.insert(at, VERSION_WORDS[v]);
    }
    format!("Officials said {}.", words.join(" "))
}

fn title(seed: u64) -> String {
    let mut rng = Rng::new(seed ^ 0x5EED);
    let words: Vec<&str> = (0..4).map(|_| *rng.pick(WORDS)).collect();
    format!("Report on {}", words.join(" "))
}

fn record(file: u64, i: u64, version: Option<usize>) -> String {
    let seed = file << 32 | i << 4 | version.map_or(0, |v| v as u64 + 1);
    let text: Vec<String> = (0..3)
        .map(|p| paragraph(seed.wrapping_mul(31).wrapping_add(p), version))
        .collect();
    json!({"id": format!("w{file}-{i}"), "title": title(seed), "text": text.join("\n")}).to_string()
}

/// `records` JSONL records; with `version`, every 20th record is that version's.
fn jsonl(file: u64, records: u64, version: Option<usize>) -> String {
    (0..records)
        .map(|i| record(file, i, version.filter(|_| i % 20 == 0)) + "\n")
        .collect()
}

fn article(k: u64, version: Option<usize>) -> String {
    let seed = 1000 + k * 16 + version.map_or(0, |v| v as u64 + 1);
    let mut out = format!("{}\n\n", title(seed));
    for p in 0..5 {
        out.push_str(&paragraph(seed * 7 + p, version));
        out.push('\n');
    }
    out
}

/// Writes version `v` of the corpus into `corpus/` (removing what it lacks).
/// 0 -> 1 and 1 -> 2 each change part of a large JSONL file (so that it is
/// re-read whole), delete a file, add a file and edit articles.
fn write_corpus(sb: &Sandbox, v: usize) {
    let dir = sb.join("corpus");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    files.insert("wire_a.jsonl".into(), jsonl(1, 600, Some(v)));
    files.insert("wire_b.jsonl".into(), jsonl(2, 200, None));
    if v < 2 {
        files.insert("wire_c.jsonl".into(), jsonl(3, 200, None));
    }
    if v == 2 {
        files.insert("wire_d.jsonl".into(), jsonl(4, 200, Some(2)));
    }
    for k in 0..10 {
        if v == 2 && k == 3 {
            continue;
        }
        let version = (k < 3).then_some(v);
        files.insert(format!("art_{k:02}.txt"), article(k, version));
    }
    if v == 0 {
        files.insert("art_11.txt".into(), article(11, None));
    }
    if v == 2 {
        files.insert("art_10.txt".into(), article(10, Some(2)));
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !files.contains_key(&name) {
            std::fs::remove_file(dir.join(&name)).unwrap();
        }
    }
    for (name, text) in files {
        let path = dir.join(&name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(path, text).unwrap();
        }
    }
}

/// The queries whose answers tell the versions apart.
const QUERIES: &[&str] = &[
    "amber",
    "cobalt",
    "zircon harbor",
    "glacier treaty",
    "convoy",
    "amber cobalt reservoir",
    "tribunal vineyard",
];

// ---------------------------------------------------------------------------
// Running the binary.

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_search")
}

/// `search index corpus --threads 1` in the sandbox, not waited for. One thread:
/// every complete update from the same state makes the same segments, so the
/// answers after it can be compared exactly.
fn spawn_index(sb: &Sandbox, extra: &[&str]) -> Child {
    Command::new(bin())
        .current_dir(sb.path())
        .env_remove("SEARCH_INDEX")
        .args(["index", "corpus", "--threads", "1"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start `search index`")
}

/// Runs `search index corpus --threads 1` to completion; returns its duration.
fn index_to_completion(sb: &Sandbox) -> Duration {
    try_index_to_completion(sb).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `search index corpus --threads 1` to completion: its duration, or why it
/// failed.
fn try_index_to_completion(sb: &Sandbox) -> Result<Duration, String> {
    let started = Instant::now();
    let out = spawn_index(sb, &[]).wait_with_output().unwrap();
    let elapsed = started.elapsed();
    if out.status.code() == Some(0) {
        return Ok(elapsed);
    }
    Err(format!(
        "`search index` exited {:?}:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// The index folder's file names and its commit's segments, for failure messages.
fn describe_index(index: &Path) -> String {
    let mut files: Vec<String> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let meta: Value = std::fs::read_to_string(index.join("meta.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let segments: Vec<String> = meta["segments"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    format!(
                        "{} max_doc {} deletes {}",
                        s["segment_id"], s["max_doc"], s["deletes"]
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "index files: {files:?}\ncommitted opstamp {}, segments: {segments:?}",
        meta["opstamp"]
    )
}

/// What one process answered to [`QUERIES`] (`search query --batch -`). The
/// process follows commits between queries, so while a writer runs its answers
/// may straddle two commits; with no writer running they are all from one.
#[derive(Debug, Clone, PartialEq)]
struct Answers(Vec<Value>);

impl Answers {
    /// A one-line digest: per query, the number of hits and the first hit.
    fn digest(&self) -> String {
        self.0
            .iter()
            .map(|r| {
                let first = r["hits"]
                    .get(0)
                    .map(|h| format!("{}#{}", h["citation"]["doc_id"], h["citation"]["paragraph"]))
                    .unwrap_or_default();
                format!("{}: {} hits {first}", r["query"], r["total_matches"])
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Runs the queries; panics unless the index opened and every query got an answer.
fn answers(sb: &Sandbox) -> Answers {
    let mut child = Command::new(bin())
        .current_dir(sb.path())
        .env_remove("SEARCH_INDEX")
        .args(["query", "--batch", "-", "--limit", "10"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = QUERIES.join("\n") + "\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "`search query --batch` could not use the index (exit {:?}: 3 = missing, 4 = corrupt, 101 = panic):\n{stderr}\n{stdout}",
        out.status.code()
    );
    let values: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(values.len(), QUERIES.len(), "{stdout}\n{stderr}");
    for v in &values {
        assert!(v.get("error").is_none(), "a query failed: {v}\n{stderr}");
    }
    Answers(values)
}

/// The first query whose answer differs, for failure messages.
fn first_difference(got: &Answers, want: &Answers) -> String {
    for (g, w) in got.0.iter().zip(&want.0) {
        if g != w {
            return format!("query {}:\n  got  {g}\n  want {w}", w["query"]);
        }
    }
    "no difference".into()
}

// ---------------------------------------------------------------------------
// The index folder's files.

fn copy_dir(from: &Path, to: &Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).unwrap();
    }
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        assert!(entry.file_type().unwrap().is_file(), "{:?}", entry.path());
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Files of the index folder that belong to no live part of the last commit:
/// segment files of segments `meta.json` does not list, delete files of another
/// opstamp than the listed one, temporary files.
fn orphans(index: &Path) -> Vec<String> {
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(index.join("meta.json")).unwrap()).unwrap();
    let mut live: HashMap<String, Option<u64>> = HashMap::new();
    for segment in meta["segments"]
        .as_array()
        .expect("meta.json lists segments")
    {
        let id = segment["segment_id"]
            .as_str()
            .expect("segment_id")
            .replace('-', "");
        live.insert(id, segment["deletes"]["opstamp"].as_u64());
    }
    const COMPONENTS: &[&str] = &["idx", "pos", "term", "store", "fast", "fieldnorm"];
    const OWN_FILES: &[&str] = &[
        "meta.json",
        ".managed.json",
        ".search-writer.lock",
        ".search-index",
        ".tantivy-writer.lock",
        ".tantivy-meta.lock",
    ];
    // The file table and copy table the commit names (its payload is JSON inside
    // meta.json).
    let payload: Option<Value> = meta["payload"]
        .as_str()
        .and_then(|p| serde_json::from_str::<Value>(p).ok());
    let named: Vec<String> = ["files_table", "copies_table"]
        .iter()
        .filter_map(|key| payload.as_ref()?[key].as_str().map(str::to_string))
        .collect();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(index).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if OWN_FILES.contains(&name.as_str()) || named.contains(&name) {
            continue;
        }
        let belongs = name.split_once('.').is_some_and(|(id, rest)| {
            let Some(deletes) = live.get(id) else {
                return false;
            };
            match rest.strip_suffix(".del") {
                Some(opstamp) => opstamp.parse::<u64>().ok() == *deletes,
                None => COMPONENTS.contains(&rest),
            }
        });
        if !belongs {
            out.push(name);
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------
// The tests.

/// The old index (version 1 of the corpus, indexed on top of version 0 so that
/// it has several segments and deletes) kept as `pristine`, version 2 on disk, the
/// answers of the old index and of the new one (updated from the old), and how
/// long that update took.
struct Versions {
    sb: Sandbox,
    pristine: PathBuf,
    old: Answers,
    new: Answers,
    update: Duration,
}

fn versions() -> Versions {
    let sb = Sandbox::empty();
    write_corpus(&sb, 0);
    index_to_completion(&sb);
    write_corpus(&sb, 1);
    index_to_completion(&sb);
    let pristine = sb.join("pristine-index");
    copy_dir(&sb.join("index"), &pristine);
    write_corpus(&sb, 2);
    // The old index's answers, with the new corpus on disk (so `stale` is as it
    // will be after a killed update).
    let old = answers(&sb);
    let update = index_to_completion(&sb);
    let new = answers(&sb);
    assert_ne!(old, new, "the two versions must answer differently");
    assert!(
        orphans(&sb.join("index")).is_empty(),
        "an uninterrupted update left files behind: {:?}",
        orphans(&sb.join("index"))
    );
    Versions {
        sb,
        pristine,
        old,
        new,
        update,
    }
}

#[test]
fn updates_killed_at_random_moments_leave_the_old_or_the_new_index() {
    let rounds: usize = std::env::var("KILL_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_KILL_ROUNDS);
    let seed = kill_seed(0x5EED_D1E5);
    let v = versions();
    let index = v.sb.join("index");
    // Kill anywhere from before the process starts working to a bit after a
    // full update would have finished.
    let window = (v.update.as_millis() as u64 * 6 / 5).max(20);
    eprintln!(
        "kill harness: {rounds} rounds, KILL_SEED={seed}, a full update takes {:?}, kills within {window} ms",
        v.update
    );
    let mut rng = Rng::new(seed);
    let (mut saw_old, mut saw_new, mut finished) = (0, 0, 0);
    // Where the commit happens, as far as the kills so far tell: the latest kill
    // that left the old index and the earliest that left the new one. Every other
    // round kills near it, where the files of the commit are being written.
    let (mut last_old, mut first_new) = (0u64, window);
    // Failures by kind: every round starts from the same old index, so one bad
    // round does not spoil the next, and the report shows every kind of failure.
    let mut failures: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for round in 0..rounds {
        copy_dir(&v.pristine, &index);
        let delay = if round % 2 == 0 {
            upto(&mut rng, window)
        } else {
            let (lo, hi) = (last_old.min(first_new), first_new.max(last_old));
            let spread = (window / 10).max(5);
            lo.saturating_sub(spread) + upto(&mut rng, hi - lo + 2 * spread)
        };
        let mut child = spawn_index(&v.sb, &[]);
        std::thread::sleep(Duration::from_millis(delay));
        let exited_before_kill = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let status = child.wait().unwrap();
        if exited_before_kill {
            assert_eq!(status.code(), Some(0), "round {round}: the update failed");
            finished += 1;
        }
        let context = format!("round {round}, killed after {delay} ms");

        // Panics (and so fails at once) unless the index opens and answers.
        let got = answers(&v.sb);
        let state = if got == v.old {
            saw_old += 1;
            last_old = last_old.max(delay);
            "old"
        } else if got == v.new {
            saw_new += 1;
            first_new = first_new.min(delay);
            "new"
        } else {
            failures
                .entry("answers neither as the old nor as the new corpus")
                .or_default()
                .push(format!(
                    "{context}:\nvs old: {}\nvs new: {}\ngot: {}",
                    first_difference(&got, &v.old),
                    first_difference(&got, &v.new),
                    got.digest()
                ));
            continue;
        };

        let before = describe_index(&index);
        if let Err(failure) = try_index_to_completion(&v.sb) {
            let after = describe_index(&index);
            let again = match try_index_to_completion(&v.sb) {
                Ok(_) => "a second attempt succeeded".to_string(),
                Err(e) => format!("a second attempt failed too: {e}"),
            };
            failures.entry("the next update fails").or_default().push(format!(
                "{context}, the index answering as the {state} corpus: {failure}before that update: {before}\nafter it: {after}\n{again}"
            ));
            continue;
        }
        let got = answers(&v.sb);
        if got != v.new {
            failures
                .entry("after a complete update, does not answer as the new corpus")
                .or_default()
                .push(format!("{context}: {}", first_difference(&got, &v.new)));
        }
        let left = orphans(&index);
        if !left.is_empty() {
            failures
                .entry("files no commit refers to are left after a complete update")
                .or_default()
                .push(format!(
                    "{context} (the index answered as the {state} corpus): {left:?}"
                ));
        }
    }
    eprintln!(
        "kill harness: {saw_old} kills left the old index, {saw_new} the new one ({finished} updates had finished before the kill)"
    );
    if !failures.is_empty() {
        let mut message = format!("KILL_SEED={seed}: {rounds} rounds\n");
        for (kind, cases) in &failures {
            message.push_str(&format!(
                "=== {kind}: {} rounds. First: {}\n",
                cases.len(),
                cases[0]
            ));
            if cases.len() > 1 {
                message.push_str(&format!("    last: {}\n", cases[cases.len() - 1]));
            }
        }
        panic!("{message}");
    }
}

/// The seed of the kill delays: `default`, unless `KILL_SEED` gives one (or says
/// `random`).
fn kill_seed(default: u64) -> u64 {
    match std::env::var("KILL_SEED").ok().as_deref() {
        None => default,
        Some("random") => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
        Some(seed) => seed
            .parse()
            .unwrap_or_else(|_| panic!("KILL_SEED={seed} is not a number or `random`")),
    }
}

/// What a query process says of the index after a first build was killed: `Ok` with
/// its answers when the build got as far as its commit, else the refusal.
fn answers_or_refusal(sb: &Sandbox) -> Result<Answers, (Option<i32>, String)> {
    let out = Command::new(bin())
        .current_dir(sb.path())
        .env_remove("SEARCH_INDEX")
        .args(["query", "--batch", "-", "--limit", "10"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    if out.status.code() == Some(0) {
        return Ok(answers(sb));
    }
    Err((
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[test]
fn first_builds_killed_at_random_moments_leave_an_honest_folder_and_the_next_build_completes() {
    let rounds: usize = std::env::var("KILL_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .map_or(DEFAULT_KILL_ROUNDS / 2, |n: usize| n / 2);
    let seed = kill_seed(0x5EED_F1F5);
    let sb = Sandbox::empty();
    write_corpus(&sb, 0);
    let index = sb.join("index");
    let full = index_to_completion(&sb);
    let complete = answers(&sb);
    let window = (full.as_millis() as u64 * 6 / 5).max(20);
    eprintln!("first-build kills: {rounds} rounds, KILL_SEED={seed}, within {window} ms");
    let mut rng = Rng::new(seed);
    let (mut refused, mut answered) = (0, 0);
    for round in 0..rounds {
        if index.exists() {
            std::fs::remove_dir_all(&index).unwrap();
        }
        let delay = upto(&mut rng, window);
        let mut child = spawn_index(&sb, &[]);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let context = format!("round {round}, killed after {delay} ms");
        match answers_or_refusal(&sb) {
            Ok(got) => {
                assert!(got == complete, "{context}: a partial index answered");
                answered += 1;
            }
            Err((code, stderr)) => {
                assert_eq!(code, Some(3), "{context}: {stderr}");
                for wrong in ["incompatible", "corrupt", "panicked"] {
                    assert!(!stderr.contains(wrong), "{context}: {stderr}");
                }
                if index.join("meta.json").exists() {
                    assert!(stderr.contains("interrupted"), "{context}: {stderr}");
                }
                refused += 1;
            }
        }
        if let Err(failure) = try_index_to_completion(&sb) {
            panic!("{context}: the next `search index` failed: {failure}");
        }
        assert!(
            answers(&sb) == complete,
            "{context}: the completed build differs"
        );
    }
    eprintln!("first-build kills: {refused} refused honestly, {answered} complete");
}

#[test]
fn a_second_writer_fails_fast_while_an_update_runs() {
    let v = versions();
    copy_dir(&v.pristine, &v.sb.join("index"));
    // The old index and the new corpus: a long update.
    let mut first = spawn_index(&v.sb, &[]);
    let pid = first.id().to_string();
    let lock = v.sb.join("index/.search-writer.lock");
    // Until the first writer holds the lock (it ends first if it never does).
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != pid {
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first writer ended before it was seen holding the lock"
        );
        std::thread::sleep(Duration::from_millis(2));
    }

    // The second writer is turned away at once: it ends while the first still runs
    // (no clock is asserted on).
    let second = spawn_index(&v.sb, &[]).wait_with_output().unwrap();
    let first_still_running = first.try_wait().unwrap().is_none();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        first_still_running,
        "the first writer finished before the second started; make the update longer"
    );
    assert_eq!(second.status.code(), Some(6), "{stderr}");
    assert!(
        stderr.contains(&format!("being updated by process {pid}")),
        "{stderr}"
    );

    let out = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(answers(&v.sb), v.new);
}

/// Which version of the corpus one query's answer belongs to.
fn version_of(got: &Value, i: usize, v: &Versions) -> Option<&'static str> {
    if *got == v.old.0[i] {
        Some("old")
    } else if *got == v.new.0[i] {
        Some("new")
    } else {
        None
    }
}

#[test]
fn queries_during_an_update_answer_as_the_old_or_the_new_index() {
    let v = versions();
    copy_dir(&v.pristine, &v.sb.join("index"));
    let mut update = spawn_index(&v.sb, &[]);
    // Every answer, in the order they were given: a process may move on to a newer
    // commit between two queries (`PassageIndex` follows commits), never back.
    let mut seen: Vec<&str> = Vec::new();
    let mut processes = 0;
    loop {
        let running = update.try_wait().unwrap().is_none();
        let got = answers(&v.sb);
        for (i, answer) in got.0.iter().enumerate() {
            let Some(which) = version_of(answer, i, &v) else {
                panic!(
                    "during the update (process {processes}), query {:?} answers neither as the old nor as the new corpus:\n  got {answer}\n  old {}\n  new {}",
                    QUERIES[i], v.old.0[i], v.new.0[i]
                );
            };
            seen.push(which);
        }
        // A plain `search query` too: exit 0 with hits, 1 without, nothing else.
        let query = v.sb.any(&["query", "--format", "json", "--", QUERIES[0]]);
        assert!(
            query.code == 0 || query.code == 1,
            "`search query` exited {} during the update:\n{query:?}",
            query.code
        );
        let parsed: Value = serde_json::from_str(&query.stdout).unwrap();
        assert_eq!(query.code == 1, hits(&parsed).is_empty(), "{query:?}");
        let which = version_of(&parsed, 0, &v).unwrap_or_else(|| {
            panic!(
                "during the update, `search query` answers neither as old nor as new:\n{query:?}"
            )
        });
        seen.push(which);
        processes += 1;
        if !running {
            break;
        }
    }
    let status = update.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let back = seen.windows(2).position(|w| w[0] == "new" && w[1] == "old");
    assert!(
        back.is_none(),
        "answers went back from new to old: {seen:?}"
    );
    assert_eq!(seen.last(), Some(&"new"));
    let old = seen.iter().filter(|w| **w == "old").count();
    eprintln!(
        "{processes} query processes during the update: {old} answers from the old index, then {} from the new one",
        seen.len() - old
    );
}

/// The line of `path` (1-based) holding `needle`.
fn line_of(sb: &Sandbox, path: &str, needle: &str) -> usize {
    std::fs::read_to_string(sb.join(path))
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {path}"))
        + 1
}

fn stats(sb: &Sandbox) -> Value {
    serde_json::from_str(&sb.ok(&["stats", "--format", "json"]).stdout).unwrap()
}

#[test]
fn verify_stats_and_query_report_a_paragraph_edited_since_indexing() {
    let sb = Sandbox::indexed();
    let clean = sb.ok(&["verify"]);
    assert!(!clean.stdout.contains("STALE"), "{clean:?}");
    assert_eq!(stats(&sb)["stale"], json!(false));

    // Change words inside a cited paragraph; the same length keeps every other
    // passage's bytes where they were.
    let path = sb.join(UKRAINE_PATH);
    let text = std::fs::read_to_string(&path).unwrap();
    let line = line_of(&sb, UKRAINE_PATH, "the use of frozen Russian assets");
    std::fs::write(
        &path,
        text.replace(
            "the use of frozen Russian assets",
            "the use of seized Russian assets",
        ),
    )
    .unwrap();

    let run = sb.run(&["verify"], 7);
    let stale: Vec<&str> = run.stdout.lines().filter(|l| l.contains("STALE")).collect();
    assert_eq!(
        stale.len(),
        1,
        "exactly the edited paragraph is stale:\n{run:?}"
    );
    assert!(
        stale[0].starts_with(&format!("STALE {UKRAINE_PATH}:{line} ")),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains(&format!("changed since indexing: {UKRAINE_PATH}")),
        "{run:?}"
    );
    let s = stats(&sb);
    assert_eq!(s["stale"], json!(true), "{s}");
    assert_eq!(s["changed"], json!([UKRAINE_PATH]), "{s}");

    let results = sb.query_json("Russian assets", &["--limit", "50"]);
    let mut from_edited = 0;
    for hit in hits(&results) {
        let edited = cited(hit, "path") == UKRAINE_PATH;
        from_edited += usize::from(edited);
        assert_eq!(hit["stale"], json!(edited), "{hit}");
    }
    assert!(from_edited > 0, "{results}");

    sb.ok(&["index"]);
    sb.ok(&["verify"]);
    let s = stats(&sb);
    assert_eq!(s["stale"], json!(false), "{s}");
    let results = sb.query_json("seized Russian assets", &[]);
    assert!(hits(&results).iter().all(|h| h["stale"] == json!(false)));
    assert_eq!(cited(&hits(&results)[0], "path"), UKRAINE_PATH);
}

#[test]
fn verify_and_stats_report_a_deleted_source_until_reindexed() {
    let sb = Sandbox::indexed();
    std::fs::remove_file(sb.join(NEWSMAX_PATH)).unwrap();
    let run = sb.run(&["verify"], 7);
    assert!(
        run.stdout
            .contains(&format!("gone since indexing: {NEWSMAX_PATH}")),
        "{run:?}"
    );
    assert!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("STALE"))
            .all(|l| l.starts_with(&format!("STALE {NEWSMAX_PATH}:"))),
        "{run:?}"
    );
    let s = stats(&sb);
    assert_eq!(s["stale"], json!(true), "{s}");
    assert_eq!(s["removed"], json!([NEWSMAX_PATH]), "{s}");

    sb.ok(&["index"]);
    sb.ok(&["verify"]);
    assert_eq!(stats(&sb)["stale"], json!(false));
}
