//! Generates a news-like JSONL corpus from real Wikipedia sentences.
//!
//! Articles are assembled from sentences of the wiki-vital summaries, so the
//! vocabulary keeps its natural Zipfian shape; each article mixes a main topic
//! with a few side topics, and carries a headline, outlet, date, one to three
//! authors (several as a JSON list, one as a string or now and then as a list of
//! one) and URL. The output depends only on the seed and the source file.
//!
//! The co-authors come from a second generator seeded from the first, so adding
//! them left the text, titles, outlets, dates and first authors of every article
//! exactly as before: figures measured on earlier corpora stay comparable.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Parser;
use search_bench::names::{
    default_source, slug, FIRST_NAMES, LAST_NAMES, OUTLETS, TITLE_TEMPLATES,
};
use search_bench::text::{is_stop_word, normalize_ws, split_sentences, words};
use search_bench::{Authors, Record, Rng, Zipf};
use serde::{Deserialize, Serialize};

/// Generate a deterministic news-like corpus of about N MB of text.
///
/// Example: gen-corpus --mb 20 --out ../bench-data/c20
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Target size in MB (10^6 bytes) of paragraph text.
    #[arg(long)]
    mb: f64,
    /// Output directory; `corpus.jsonl` and `corpus.meta.json` are written there.
    #[arg(long)]
    out: PathBuf,
    /// Also write one `txt/<id>.txt` file per article (title, blank line, paragraphs).
    #[arg(long)]
    txt: bool,
    /// PRNG seed; the same seed and source give the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Source JSONL of summaries (`title`, `text`, optional `description`).
    /// Default: `../shared/corpora/wiki-vital/en.jsonl` from the repository root.
    #[arg(long)]
    source: Option<PathBuf>,
}

/// Source summary: its title, description and sentences.
struct Topic {
    title: String,
    description: String,
    sentences: Vec<String>,
}

#[derive(Deserialize)]
struct SourceRecord {
    title: String,
    text: String,
    #[serde(default)]
    description: Option<String>,
}

/// What `corpus.meta.json` records; written last, so it marks a finished corpus.
#[derive(Serialize)]
struct Meta {
    articles: u64,
    paragraphs: u64,
    text_bytes: u64,
    file_bytes: u64,
    seed: u64,
    source: String,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if cli.mb.is_nan() || cli.mb <= 0.0 {
        bail!("--mb must be positive");
    }
    let source = match &cli.source {
        Some(p) => p.clone(),
        None => default_source()?,
    };
    let lib = Library::new(load_topics(&source)?);
    let meta = generate(&cli, &lib, &source)?;
    eprintln!(
        "gen-corpus: {} articles, {} paragraphs, {:.2} MB text ({:.2} MB file) -> {}",
        meta.articles,
        meta.paragraphs,
        meta.text_bytes as f64 / 1e6,
        meta.file_bytes as f64 / 1e6,
        cli.out.join("corpus.jsonl").display()
    );
    Ok(())
}

fn load_topics(path: &Path) -> Result<Vec<Topic>> {
    let file = File::open(path).with_context(|| format!("opening source {}", path.display()))?;
    let mut topics = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: SourceRecord = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: bad source record", path.display(), n + 1))?;
        let text = normalize_ws(&rec.text);
        let sentences: Vec<String> = split_sentences(&text)
            .into_iter()
            // Drop fragments and run-ons: news sentences are 20–400 bytes.
            .filter(|s| (20..=400).contains(&s.len()) && s.contains(' '))
            .map(str::to_owned)
            .collect();
        if sentences.is_empty() {
            continue;
        }
        topics.push(Topic {
            title: normalize_ws(&rec.title),
            description: normalize_ws(rec.description.as_deref().unwrap_or("")),
            sentences,
        });
    }
    if topics.len() < 2 {
        bail!("{}: need at least two usable summaries", path.display());
    }
    Ok(topics)
}

fn generate(cli: &Cli, lib: &Library, source: &Path) -> Result<Meta> {
    fs::create_dir_all(&cli.out).with_context(|| format!("creating {}", cli.out.display()))?;
    let txt_dir = cli.out.join("txt");
    if cli.txt {
        fs::create_dir_all(&txt_dir)?;
    }
    let jsonl_path = cli.out.join("corpus.jsonl");
    let meta_path = cli.out.join("corpus.meta.json");
    // A stale meta file would mark a half-written corpus as complete.
    if meta_path.exists() {
        fs::remove_file(&meta_path)?;
    }
    let mut out = BufWriter::with_capacity(
        1 << 20,
        File::create(&jsonl_path).with_context(|| format!("creating {}", jsonl_path.display()))?,
    );

    let target = (cli.mb * 1e6) as u64;
    let mut rng = Rng::new(cli.seed);
    let mut bylines = Rng::new(cli.seed ^ BYLINE_SEED);
    let outlets = Zipf::new(OUTLETS.len(), 1.1);
    let mut meta = Meta {
        articles: 0,
        paragraphs: 0,
        text_bytes: 0,
        file_bytes: 0,
        seed: cli.seed,
        source: source.display().to_string(),
    };
    while meta.text_bytes < target {
        let mut record = article(&mut rng, lib, &outlets, meta.articles);
        record.author = byline(&mut bylines, record.author);
        meta.paragraphs += record.paragraphs().count() as u64;
        meta.text_bytes += record.text.len() as u64;
        let line = serde_json::to_string(&record)?;
        meta.file_bytes += line.len() as u64 + 1;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        if cli.txt {
            let body = format!("{}\n\n{}\n", record.title, record.text);
            fs::write(txt_dir.join(format!("{}.txt", record.id)), body)?;
        }
        meta.articles += 1;
    }
    out.flush()?;
    drop(out);
    fs::write(&meta_path, serde_json::to_string_pretty(&meta)? + "\n")?;
    Ok(meta)
}

/// The source summaries, with what is needed to pick related side topics.
struct Library {
    topics: Vec<Topic>,
    /// For each word, the topics whose text contains it (ascending, distinct).
    postings: HashMap<String, Vec<u32>>,
    /// For each topic, its fairly specific words (in 2..=300 topics), the
    /// links to related topics.
    keys: Vec<Vec<String>>,
}

impl Library {
    fn new(topics: Vec<Topic>) -> Self {
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        let mut topic_words: Vec<Vec<String>> = Vec::with_capacity(topics.len());
        for (i, t) in topics.iter().enumerate() {
            let mut ws: Vec<String> = t
                .sentences
                .iter()
                .flat_map(|s| words(s))
                .map(|w| w.text)
                .filter(|w| w.chars().count() >= 4 && !is_stop_word(w))
                .collect();
            ws.sort();
            ws.dedup();
            for w in &ws {
                postings.entry(w.clone()).or_default().push(i as u32);
            }
            topic_words.push(ws);
        }
        let keys = topic_words
            .into_iter()
            .map(|ws| {
                ws.into_iter()
                    .filter(|w| (2..=300).contains(&postings[w].len()))
                    .collect()
            })
            .collect();
        Library {
            topics,
            postings,
            keys,
        }
    }

    /// A side topic for an article about `main`: usually one sharing a
    /// specific word with it, so articles stay roughly on subject.
    fn side_topic(&self, rng: &mut Rng, main: usize) -> usize {
        let keys = &self.keys[main];
        if !keys.is_empty() && rng.chance(0.7) {
            let related = &self.postings[rng.pick(keys)];
            let t = *rng.pick(related) as usize;
            if t != main {
                return t;
            }
        }
        rng.below(self.topics.len())
    }
}

/// Builds article number `n`.
fn article(rng: &mut Rng, lib: &Library, outlets: &Zipf, n: u64) -> Record {
    let main = rng.below(lib.topics.len());
    // The lede and about 40% of later paragraphs follow the main topic, in
    // source order, while its sentences last; the others follow side topics,
    // one after the other, each in source order.
    let mut main_left: &[String] = &lib.topics[main].sentences;
    let mut side_left: &[String] = &[];

    let n_paragraphs = 4 + rng.below(9) + rng.below(9); // 4..=20, peaked at 12
    let mut paragraphs: Vec<String> = Vec::with_capacity(n_paragraphs + 3);
    for i in 0..n_paragraphs {
        let from_main = !main_left.is_empty() && (i == 0 || rng.chance(0.4));
        if !from_main && side_left.is_empty() {
            side_left = &lib.topics[lib.side_topic(rng, main)].sentences;
        }
        // News paragraphs: mostly 200–600 bytes, 1–5 sentences.
        let target_len = 150 + rng.below(300) + rng.below(200);
        let max_sentences = rng.range(1, 5);
        let mut para = String::new();
        let mut count = 0;
        let mut on_main = from_main;
        while count < max_sentences && para.len() < target_len {
            let stream = if on_main {
                &mut main_left
            } else {
                &mut side_left
            };
            let Some((sentence, rest)) = stream.split_first() else {
                if para.len() >= 150 {
                    break;
                }
                // A topic ran out early: carry on with a related one.
                on_main = false;
                side_left = &lib.topics[lib.side_topic(rng, main)].sentences;
                continue;
            };
            *stream = rest;
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(sentence);
            count += 1;
        }
        paragraphs.push(para);
    }

    let outlet = OUTLETS[outlets.sample(rng)];
    let (y, m, d) = random_date(rng);

    // Boilerplate, as wire copy and syndicated pages carry it.
    if rng.chance(0.05) {
        paragraphs.insert(0, "Editor's note: This story is being updated.".to_owned());
    }
    if rng.chance(0.12) {
        paragraphs.push("Reuters contributed to this report.".to_owned());
    } else if rng.chance(0.05) {
        paragraphs.push("The Associated Press contributed to this report.".to_owned());
    }
    if rng.chance(0.10) {
        paragraphs.push(format!("© {y} {outlet}. All rights reserved."));
    }

    let title = headline(rng, &lib.topics[main]);
    let id = format!("a{n:06}");
    let author = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
    let url = format!(
        "https://www.{}.example/{y:04}/{m:02}/{d:02}/{}-{id}",
        slug(outlet).replace('-', ""),
        slug(&title)
    );
    Record {
        id,
        title,
        text: paragraphs.join("\n"),
        source: outlet.to_owned(),
        date: format!("{y:04}-{m:02}-{d:02}"),
        url,
        author: Authors::One(author),
    }
}

/// Mixed into the seed of the co-author generator.
const BYLINE_SEED: u64 = 0xB7_11E5;

/// The by-line of an article whose first author is `first`: 70% one author (a
/// tenth of those written as a list of one), 22% two, 8% three, as a list.
fn byline(rng: &mut Rng, first: Authors) -> Authors {
    let Authors::One(first) = first else {
        return first;
    };
    let count = match rng.below(100) {
        0..=69 => 1,
        70..=91 => 2,
        _ => 3,
    };
    if count == 1 {
        return if rng.chance(0.1) {
            Authors::List(vec![first])
        } else {
            Authors::One(first)
        };
    }
    let mut names = vec![first];
    while names.len() < count {
        let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Authors::List(names)
}

fn headline(rng: &mut Rng, topic: &Topic) -> String {
    let template = rng.pick(TITLE_TEMPLATES);
    let mut title = template.replace("{}", &topic.title);
    // Sometimes add the summary's description ("Art movement"), as sub-heads do.
    if !topic.description.is_empty() && topic.description.len() < 60 && rng.chance(0.25) {
        title.push_str(", ");
        title.push_str(&topic.description.to_lowercase());
    }
    // Headlines never end with a period (the engine uses that to spot titles).
    while title.ends_with('.') {
        title.pop();
    }
    let mut chars = title.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => title,
    }
}

/// Uniform day in 2020-01-01..=2025-12-31.
fn random_date(rng: &mut Rng) -> (u32, u32, u32) {
    let days_in = |y: u32, m: u32| match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let total: u32 = (2020..=2025)
        .map(|y| (1..=12).map(|m| days_in(y, m)).sum::<u32>())
        .sum();
    let mut day = rng.below(total as usize) as u32;
    for y in 2020..=2025 {
        for m in 1..=12 {
            let n = days_in(y, m);
            if day < n {
                return (y, m, day + 1);
            }
            day -= n;
        }
    }
    unreachable!("day index within range")
}
