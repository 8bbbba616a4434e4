//! Helpers of the indexer's integration tests: a small seeded PRNG, a generated
//! corpus kept as a model in memory and written to disk, and one-call wrappers
//! around the indexer and the query library.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use search_indexer::{IndexOptions, IndexReport, Indexer};
use search_query::{PassageIndex, SearchOptions, SearchResults};

/// splitmix64: tiny, fast, and good enough to drive property tests. Every case
/// prints its seed so a failure can be replayed exactly.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "Rng::below(0)");
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The words every generated text is made of: no stop words, so that every one of
/// them is a searchable query term. A few are close spellings of one another
/// (harbor/harbour, trade/trace, senate/senator...) so that the typo-tolerance path,
/// which reads term statistics, is exercised too.
pub const WORDS: &[&str] = &[
    "harbor",
    "harbour",
    "minister",
    "ministry",
    "trade",
    "trace",
    "tariff",
    "senate",
    "senator",
    "budget",
    "drought",
    "harvest",
    "pipeline",
    "frontier",
    "ceasefire",
    "envoy",
    "summit",
    "treaty",
    "border",
    "reactor",
    "uranium",
    "election",
    "ballot",
    "verdict",
    "appeal",
    "stadium",
    "festival",
    "glacier",
    "wildfire",
    "satellite",
    "vaccine",
    "protest",
    "strike",
    "merger",
    "refinery",
    "bridge",
    "railway",
    "orchard",
    "lighthouse",
    "monsoon",
];

/// Words that open a sentence (capitalized) so the text looks like prose.
const OPENERS: &[&str] = &[
    "Officials",
    "Reporters",
    "Witnesses",
    "Analysts",
    "Residents",
];

/// A paragraph of `words` from [`WORDS`], as one sentence.
pub fn paragraph(rng: &mut Rng) -> String {
    let n = rng.between(5, 16);
    let mut out = String::from(*rng.pick(OPENERS));
    for _ in 0..n {
        out.push(' ');
        let word: &&str = rng.pick(WORDS);
        out.push_str(word);
    }
    out.push('.');
    out
}

/// A title: a few words, capitalized, no closing punctuation.
pub fn title(rng: &mut Rng) -> String {
    let n = rng.between(2, 5);
    let words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
    let mut title = words.join(" ");
    title[..1].make_ascii_uppercase();
    title
}

/// One `.txt` article.
#[derive(Debug, Clone)]
pub struct TextArticle {
    pub title: String,
    pub paragraphs: Vec<String>,
}

impl TextArticle {
    pub fn random(rng: &mut Rng) -> TextArticle {
        let n = rng.between(2, 6);
        TextArticle {
            title: title(rng),
            paragraphs: (0..n).map(|_| paragraph(rng)).collect(),
        }
    }

    pub fn render(&self) -> String {
        let mut out = format!("{}\n\n", self.title);
        for p in &self.paragraphs {
            out.push_str(p);
            out.push('\n');
        }
        out
    }
}

/// One `.jsonl` record.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub title: String,
    pub paragraphs: Vec<String>,
}

impl Record {
    pub fn random(rng: &mut Rng, id: String) -> Record {
        let n = rng.between(1, 4);
        Record {
            id,
            title: title(rng),
            paragraphs: (0..n).map(|_| paragraph(rng)).collect(),
        }
    }

    pub fn render(&self) -> String {
        serde_json::json!({
            "id": self.id,
            "title": self.title,
            "text": self.paragraphs.join("\n"),
        })
        .to_string()
    }
}

/// A source file of the model.
#[derive(Debug, Clone)]
pub enum Source {
    Text(TextArticle),
    Jsonl(Vec<Record>),
}

impl Source {
    pub fn render(&self) -> String {
        match self {
            Source::Text(a) => a.render(),
            Source::Jsonl(records) => records.iter().map(|r| r.render() + "\n").collect(),
        }
    }
}

/// A corpus folder and its model: file name -> content.
pub struct Corpus {
    pub dir: PathBuf,
    pub files: BTreeMap<String, Source>,
    next_file: usize,
    next_record: usize,
}

impl Corpus {
    /// An empty corpus in `dir` (created).
    pub fn new(dir: PathBuf) -> Corpus {
        std::fs::create_dir_all(&dir).unwrap();
        Corpus {
            dir,
            files: BTreeMap::new(),
            next_file: 0,
            next_record: 0,
        }
    }

    /// A random corpus: 5-15 articles and, sometimes, a `.jsonl` file.
    pub fn random(dir: PathBuf, rng: &mut Rng) -> Corpus {
        let mut corpus = Corpus::new(dir);
        for _ in 0..rng.between(5, 15) {
            corpus.add_text(TextArticle::random(rng));
        }
        if rng.chance(0.5) {
            corpus.add_jsonl(rng);
        }
        corpus
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Adds a `.txt` article under a new name; returns the name.
    pub fn add_text(&mut self, article: TextArticle) -> String {
        let name = format!("art_{:03}.txt", self.next_file);
        self.next_file += 1;
        self.put(&name, Source::Text(article));
        name
    }

    /// Adds a `.jsonl` file of 2-6 records; returns its name.
    pub fn add_jsonl(&mut self, rng: &mut Rng) -> String {
        let name = format!("wire_{:03}.jsonl", self.next_file);
        self.next_file += 1;
        let records = (0..rng.between(2, 6))
            .map(|_| self.new_record(rng))
            .collect();
        self.put(&name, Source::Jsonl(records));
        name
    }

    pub fn new_record(&mut self, rng: &mut Rng) -> Record {
        let id = format!("rec-{}", self.next_record);
        self.next_record += 1;
        Record::random(rng, id)
    }

    /// Sets a file's content, in the model and on disk.
    pub fn put(&mut self, name: &str, source: Source) {
        std::fs::write(self.path(name), source.render()).unwrap();
        self.files.insert(name.to_string(), source);
    }

    pub fn remove(&mut self, name: &str) {
        std::fs::remove_file(self.path(name)).unwrap();
        self.files.remove(name);
    }

    pub fn names_of(&self, jsonl: bool) -> Vec<String> {
        self.files
            .iter()
            .filter(|(_, s)| matches!(s, Source::Jsonl(_)) == jsonl)
            .map(|(n, _)| n.clone())
            .collect()
    }
}

/// Indexer options for `index` over `roots`. One thread: each commit makes one
/// segment, so a run is the same every time (several threads deal passages to
/// segments differently from run to run).
pub fn options(index: &Path, roots: &[&Path], rebuild: bool) -> IndexOptions {
    let mut options = IndexOptions::new(index);
    options.roots = roots.iter().map(|r| r.to_path_buf()).collect();
    options.rebuild = rebuild;
    options.threads = 1;
    options.memory_budget = 32 * 1024 * 1024;
    options
}

/// Runs the indexer, panicking with the error.
pub fn index(index: &Path, roots: &[&Path], rebuild: bool) -> IndexReport {
    Indexer::new(options(index, roots, rebuild))
        .run(&mut ())
        .unwrap_or_else(|e| panic!("indexing {} failed: {e}", index.display()))
}

/// Opens an index for reading.
pub fn open(index: &Path) -> PassageIndex {
    PassageIndex::open(index).unwrap_or_else(|e| panic!("open {}: {e}", index.display()))
}

/// Runs a query without typo tolerance (exact words only).
pub fn search_exact(index: &PassageIndex, query: &str, limit: usize) -> SearchResults {
    index
        .search(
            query,
            &SearchOptions::new().limit(limit).typo_tolerance(false),
        )
        .unwrap_or_else(|e| panic!("query {query:?}: {e}"))
}

/// The segments of the index's last commit, from its `meta.json`: (id, max_doc,
/// deleted docs).
pub fn segments(index: &Path) -> Vec<(String, u64, u64)> {
    let text = std::fs::read_to_string(index.join("meta.json")).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&text).unwrap();
    meta["segments"]
        .as_array()
        .expect("meta.json lists segments")
        .iter()
        .map(|s| {
            (
                s["segment_id"].as_str().unwrap_or_default().to_string(),
                s["max_doc"].as_u64().unwrap_or(0),
                s["deletes"]["num_deleted_docs"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// A copy of the index in `dir` with all its segments merged into one, so deleted
/// passages are gone for good (diagnostics: separates the effect of deletes).
pub fn merged_copy(dir: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let index = tantivy::Index::open_in_dir(copy.path()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let ids = index.searchable_segment_ids().unwrap();
    if ids.len() > 1 || segments(dir).iter().any(|s| s.2 > 0) {
        writer.merge(&ids).wait().unwrap();
    }
    writer.wait_merging_threads().unwrap();
    copy
}
