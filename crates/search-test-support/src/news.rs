//! A generated corpus of `.txt` articles and `.jsonl` records, kept as a model in
//! memory and written to disk, for tests that change a corpus step by step.
//!
//! Records carry metadata ([`Metadata`]: source, authors, date, URL), sometimes
//! partly or wholly missing, with spellings that differ only in case or
//! diacritics, so that filters and facets have something to group. `.txt`
//! articles carry none.

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

/// Outlets, some spelled two ways that are one name to a filter (case,
/// diacritics, punctuation).
pub const SOURCES: &[&str] = &[
    "Reuters",
    "REUTERS",
    "Associated Press",
    "BBC News",
    "Agence France-Presse",
    "Agence France Presse",
    "Kyiv Indépendant",
];

/// Authors, one of them spelled with and without its diacritic.
pub const AUTHORS: &[&str] = &[
    "Olena Kovalenko",
    "Zoë Park",
    "Zoe Park",
    "Marcus Webb",
    "Ana Souza",
    "Ryo Tanaka",
];

/// Hosts and sections of generated URLs.
const HOSTS: &[&str] = &[
    "https://www.reuters.com",
    "https://apnews.com",
    "http://bbc.co.uk",
];
const SECTIONS: &[&str] = &["world", "world/europe", "business", "politics"];

/// An article's metadata, as a `.jsonl` record gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// `source`.
    pub source: Option<String>,
    /// The authors: none (no `author` key), one (a string) or several (a list).
    pub authors: Vec<String>,
    /// `date`, always one the indexer parses: a day (many articles share it), a
    /// date-time with or without an offset, or RFC 2822.
    pub date: Option<String>,
    /// `url`.
    pub url: Option<String>,
}

impl Metadata {
    /// Random metadata, each field sometimes missing; several authors only when
    /// `several_authors` (written as a JSON list).
    pub fn random(rng: &mut Rng, several_authors: bool) -> Metadata {
        let source = rng.chance(0.85).then(|| rng.pick(SOURCES).to_string());
        let most = if several_authors { 3 } else { 1 };
        let mut authors: Vec<String> = Vec::new();
        for _ in 0..rng.below(most + 1) {
            let author = rng.pick(AUTHORS).to_string();
            if !authors.contains(&author) {
                authors.push(author);
            }
        }
        let date = rng.chance(0.8).then(|| {
            let day = rng.range(25, 37);
            let (month, day) = if day > 30 { (12, day - 30) } else { (11, day) };
            let hour = rng.below(24);
            match rng.below(4) {
                0 | 1 => format!("2025-{month:02}-{day:02}"),
                2 => format!("2025-{month:02}-{day:02}T{hour:02}:30:00+02:00"),
                _ => {
                    let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
                    let name = if month == 11 { "Nov" } else { "Dec" };
                    // The weekday of 2025-11-01 is Saturday (index 5).
                    let offset = if month == 11 { day - 1 } else { 30 + day - 1 };
                    let wd = weekday[(5 + offset) % 7];
                    format!("{wd}, {day:02} {name} 2025 {hour:02}:15:00 +0000")
                }
            }
        });
        let url = rng.chance(0.7).then(|| {
            format!(
                "{}/{}/story-{}",
                rng.pick(HOSTS),
                rng.pick(SECTIONS),
                rng.below(1000)
            )
        });
        Metadata {
            source,
            authors,
            date,
            url,
        }
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
    /// Its source, authors, date and URL.
    pub meta: Metadata,
}

impl Record {
    /// A random record with this id: a title, 1-4 paragraphs and metadata (at most
    /// one author).
    pub fn random(rng: &mut Rng, id: String) -> Record {
        Record::random_with(rng, id, false)
    }

    /// A random record, with several authors sometimes when `several_authors`.
    pub fn random_with(rng: &mut Rng, id: String, several_authors: bool) -> Record {
        let n = rng.range(1, 4);
        Record {
            id,
            title: title(rng),
            paragraphs: (0..n).map(|_| paragraph(rng)).collect(),
            meta: Metadata::random(rng, several_authors),
        }
    }

    /// The file content (or JSONL line) this stands for.
    pub fn render(&self) -> String {
        let mut record = serde_json::json!({
            "id": self.id,
            "title": self.title,
            "text": self.paragraphs.join("\n"),
        });
        let meta = &self.meta;
        let fields = [
            ("source", meta.source.clone().map(serde_json::Value::from)),
            ("date", meta.date.clone().map(serde_json::Value::from)),
            ("url", meta.url.clone().map(serde_json::Value::from)),
            (
                "author",
                match meta.authors.as_slice() {
                    [] => None,
                    [one] => Some(one.clone().into()),
                    several => Some(several.to_vec().into()),
                },
            ),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                record[key] = value;
            }
        }
        record.to_string()
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
    /// Whether new records may have several authors (written as a JSON list; on by
    /// default).
    pub several_authors: bool,
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
            several_authors: true,
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
        Record::random_with(rng, id, self.several_authors)
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
