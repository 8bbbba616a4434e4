//! A generated corpus of `.txt` articles and `.jsonl` records, kept as a model in
//! memory and written to disk, for tests that change a corpus step by step.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::Rng;

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
    "quarry",
    "vineyard",
    "convoy",
    "tribunal",
    "reservoir",
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
    let n = rng.range(5, 16);
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
    let n = rng.range(2, 5);
    let words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
    let mut title = words.join(" ");
    title[..1].make_ascii_uppercase();
    title
}

/// One `.txt` article.
#[derive(Debug, Clone)]
pub struct TextArticle {
    /// The title line.
    pub title: String,
    /// The body paragraphs, one per line.
    pub paragraphs: Vec<String>,
}

impl TextArticle {
    /// A random article: a title and 2-6 paragraphs.
    pub fn random(rng: &mut Rng) -> TextArticle {
        let n = rng.range(2, 6);
        TextArticle {
            title: title(rng),
            paragraphs: (0..n).map(|_| paragraph(rng)).collect(),
        }
    }

    /// The file content (or JSONL line) this stands for.
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
    /// The record's `id`.
    pub id: String,
    /// Its `title`.
    pub title: String,
    /// Its `text`, paragraph by paragraph.
    pub paragraphs: Vec<String>,
}

impl Record {
    /// A random record with this id: a title and 1-4 paragraphs.
    pub fn random(rng: &mut Rng, id: String) -> Record {
        let n = rng.range(1, 4);
        Record {
            id,
            title: title(rng),
            paragraphs: (0..n).map(|_| paragraph(rng)).collect(),
        }
    }

    /// The file content (or JSONL line) this stands for.
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
    /// A `.txt` article.
    Text(TextArticle),
    /// A `.jsonl` file of records.
    Jsonl(Vec<Record>),
}

impl Source {
    /// The file content (or JSONL line) this stands for.
    pub fn render(&self) -> String {
        match self {
            Source::Text(a) => a.render(),
            Source::Jsonl(records) => records.iter().map(|r| r.render() + "\n").collect(),
        }
    }
}

/// A corpus folder and its model: file name -> content.
pub struct Corpus {
    /// The folder.
    pub dir: PathBuf,
    /// File name -> content.
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
        for _ in 0..rng.range(5, 15) {
            corpus.add_text(TextArticle::random(rng));
        }
        if rng.chance(0.5) {
            corpus.add_jsonl(rng);
        }
        corpus
    }

    /// The path of file `name`.
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
        let records = (0..rng.range(2, 6)).map(|_| self.new_record(rng)).collect();
        self.put(&name, Source::Jsonl(records));
        name
    }

    /// A random record with a fresh id (not yet in any file).
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

    /// Removes a file, from the model and from disk.
    pub fn remove(&mut self, name: &str) {
        std::fs::remove_file(self.path(name)).unwrap();
        self.files.remove(name);
    }

    /// The names of the `.jsonl` files (`jsonl`) or of the `.txt` files.
    pub fn names_of(&self, jsonl: bool) -> Vec<String> {
        self.files
            .iter()
            .filter(|(_, s)| matches!(s, Source::Jsonl(_)) == jsonl)
            .map(|(n, _)| n.clone())
            .collect()
    }
}
