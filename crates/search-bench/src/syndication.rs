//! A syndication corpus and its ground truth, to measure copy groups (the
//! near-duplicate passages the engine groups at index time).
//!
//! Four kinds of articles, assembled from real sentences of the wiki-vital
//! summaries:
//!
//! - **originals** (`o000012`): 3 to 11 paragraphs, an outlet, a date, a by-line,
//!   a headline; a fifth end with their outlet's copyright line;
//! - **syndicated copies** (`o000012-c1`, `o000012-c2`…) of originals under other
//!   outlets: a new headline and URL, the original's paragraphs with one word
//!   in forty replaced by another word ([`SUBSTITUTION_RATE`], rounded per
//!   paragraph, see [`substitute_words`]), a credit line
//!   paragraph added first or last (`This article was originally published by
//!   Global Wire.`, `(Reporting by Anna Smith; Editing by Kenji Tanaka)`), the
//!   original's copyright line left out, and now and then its last paragraph too;
//! - **quote-only articles** (`q000003`): one paragraph quotes a single sentence of
//!   an original, verbatim (`As Global Wire reported, "…" …`), followed by
//!   sentences of its own, twice as long at least; the sentence is at most a
//!   third of its paragraph where the original has one so short (else half);
//!   every other paragraph is unrelated text;
//! - **unrelated articles** (`u000123`): half of them end with their outlet's
//!   copyright line (`Copyright 2024 The Daily Ledger. All rights reserved.`), so
//!   the same line recurs in thousands of articles; some carry an agency credit
//!   or an editor's note.
//!
//! [`Truth`] says what an engine should find: the copy groups (one per paragraph
//! of an original with at least one copy), the quote-only articles (never to be
//! grouped with their source), the boilerplate lines (never to be grouped) and
//! the credit lines of the copies (copies of nothing). Paragraphs are numbered as
//! the engine numbers them: the non-empty lines of a record's `text`, from 1.
//!
//! Within one pass over the source's sentences ([`Truth::sentence_passes`] = 1)
//! every sentence is used once (sentences repeated in the source are dropped), so
//! two paragraphs share a sentence only when one is a copy of the other, or
//! quotes it. A larger corpus (the cost benchmark's) goes through the sentences
//! again in a shuffled order; repeats across passes are then not in the truth.

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::str::FromStr;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::names::{slug, FIRST_NAMES, LAST_NAMES, OUTLETS, TITLE_TEMPLATES};
use crate::text::{normalize_ws, split_sentences, words};
use crate::{Authors, Record, Rng, Zipf};

mod score;

pub use score::{score, Example, Scores, Targets};

/// The share of words a syndicated copy replaces: about one in forty.
pub const SUBSTITUTION_RATE: f64 = 1.0 / 40.0;

/// A paragraph grows up to this many bytes (the engine splits paragraphs above
/// 2,048 bytes into pieces; a generated one never is).
const MAX_PARAGRAPH_BYTES: usize = 1500;

/// News agencies credited at the end of some unrelated articles.
const AGENCIES: &[&str] = &["Reuters", "The Associated Press", "Agence France-Presse"];

/// One summary of the source: a topic's title, description and text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Summary {
    /// The topic's title, used in headlines.
    pub title: String,
    /// A short description (`Art movement`), sometimes added to headlines.
    #[serde(default)]
    pub description: Option<String>,
    /// Running text, split into sentences.
    pub text: String,
}

/// A topic of the source: its title, description and usable sentences.
#[derive(Debug, Clone)]
struct Topic {
    title: String,
    description: String,
    sentences: Vec<String>,
}

/// The sentences articles are made of, by topic, and the words copies
/// substitute.
#[derive(Debug, Clone)]
pub struct Source {
    topics: Vec<Topic>,
    /// Distinct alphabetic words of three letters or more, sorted.
    vocabulary: Vec<String>,
}

impl Source {
    /// The usable sentences of `summaries`: news-sized (20 to 400 bytes, several
    /// words), each kept once (a sentence seen before, ignoring case, is
    /// dropped). Fails with fewer than two topics or two vocabulary words.
    pub fn new(summaries: impl IntoIterator<Item = Summary>) -> Result<Source> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut vocabulary: BTreeSet<String> = BTreeSet::new();
        let mut topics = Vec::new();
        for summary in summaries {
            let text = normalize_ws(&summary.text);
            let sentences: Vec<String> = split_sentences(&text)
                .into_iter()
                .filter(|s| (20..=400).contains(&s.len()) && s.contains(' '))
                .filter(|s| seen.insert(s.to_lowercase()))
                .map(str::to_owned)
                .collect();
            if sentences.is_empty() {
                continue;
            }
            for sentence in &sentences {
                vocabulary.extend(
                    words(sentence)
                        .into_iter()
                        .map(|w| w.text)
                        .filter(|w| w.chars().count() >= 3),
                );
            }
            topics.push(Topic {
                title: normalize_ws(&summary.title),
                description: normalize_ws(summary.description.as_deref().unwrap_or("")),
                sentences,
            });
        }
        if topics.len() < 2 || vocabulary.len() < 2 {
            bail!("the source needs at least two summaries with usable sentences");
        }
        Ok(Source {
            topics,
            vocabulary: vocabulary.into_iter().collect(),
        })
    }

    /// Reads a JSONL file of summaries (`title`, `text`, optional `description`),
    /// such as `../shared/corpora/wiki-vital/en.jsonl`.
    pub fn read_jsonl(path: &Path) -> Result<Source> {
        let file =
            File::open(path).with_context(|| format!("opening source {}", path.display()))?;
        let mut summaries = Vec::new();
        for (n, line) in BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("reading {}", path.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            let summary: Summary = serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: not a summary record", path.display(), n + 1))?;
            summaries.push(summary);
        }
        Source::new(summaries).with_context(|| format!("source {}", path.display()))
    }

    /// How many sentences one pass over the source offers.
    pub fn sentence_count(&self) -> usize {
        self.topics.iter().map(|t| t.sentences.len()).sum()
    }
}

/// How many syndicated copies an original gets: uniform in `min..=max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyRange {
    /// Fewest copies.
    pub min: usize,
    /// Most copies (each copy has its own outlet, so at most `OUTLETS.len() - 1`).
    pub max: usize,
}

impl CopyRange {
    /// The mean number of copies per original.
    pub fn mean(&self) -> f64 {
        (self.min + self.max) as f64 / 2.0
    }
}

impl FromStr for CopyRange {
    type Err = String;

    /// `N` (exactly N copies) or `A-B` (uniform from A to B).
    fn from_str(s: &str) -> std::result::Result<CopyRange, String> {
        let number = |t: &str| {
            t.trim().parse::<usize>().map_err(|_| {
                format!("`{s}` is not a number of copies: use N or A-B, as in 2 or 0-4")
            })
        };
        let (min, max) = match s.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(s)?;
                (n, n)
            }
        };
        if min > max {
            return Err(format!(
                "`{s}`: the range runs backwards (use A-B with A <= B)"
            ));
        }
        let most = OUTLETS.len() - 1;
        if max > most {
            return Err(format!(
                "`{s}`: at most {most} copies per original (each copy has its own outlet)"
            ));
        }
        Ok(CopyRange { min, max })
    }
}

/// How many unrelated articles to write.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Filler {
    /// Exactly this many.
    Articles(usize),
    /// As many as it takes for the whole corpus to hold this many bytes of
    /// paragraph text.
    TextBytes(u64),
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Original articles.
    pub originals: usize,
    /// Syndicated copies per original.
    pub copies: CopyRange,
    /// Quote-only articles.
    pub quote_articles: usize,
    /// Unrelated articles.
    pub unrelated: Filler,
    /// PRNG seed: the same seed and source give the same corpus and truth.
    pub seed: u64,
}

/// One passage as the engine cites it: article id and 1-based paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PassageRef {
    /// The article's id (the record's `id`).
    pub id: String,
    /// 1-based paragraph: the non-empty lines of the record's `text`, counted
    /// from its start.
    pub paragraph: u64,
}

/// A quote-only article and the original it quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The quote-only article.
    pub id: String,
    /// The original whose sentence it quotes.
    pub source: String,
    /// The paragraph of `id` that holds the quotation.
    pub paragraph: u64,
    /// The paragraph of `source` the quoted sentence comes from.
    pub source_paragraph: u64,
}

/// The ground truth of a generated corpus, as `truth.json` holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    /// The seed it was generated with.
    pub seed: u64,
    /// Articles written, of every kind.
    pub articles: usize,
    /// Original articles.
    pub originals: usize,
    /// Syndicated copies.
    pub copies: usize,
    /// Quote-only articles.
    pub quote_articles: usize,
    /// Unrelated articles.
    pub unrelated: usize,
    /// Paragraphs (passages) written.
    pub paragraphs: u64,
    /// Bytes of paragraph text written.
    pub text_bytes: u64,
    /// Passes over the source's sentences; above 1, sentences repeat and the
    /// truth may miss accidental copies.
    pub sentence_passes: u32,
    /// The true copy groups: for every paragraph of an original that has copies,
    /// the paragraph and its copies (original first, then its copies by id).
    pub groups: Vec<Vec<PassageRef>>,
    /// Quote-only articles: never in a group with their source or its copies.
    pub quotes: Vec<Quote>,
    /// Copyright lines, agency credits and editor's notes: boilerplate the engine
    /// recognizes, never to be grouped.
    pub boilerplate: Vec<PassageRef>,
    /// The credit lines added to copies: copies of nothing (in no group).
    pub credits: Vec<PassageRef>,
}

/// Generates the corpus: hands every record to `sink` in corpus order and
/// returns the truth.
///
/// Originals are made first (they take the source's sentences first), then the
/// originals, copies and quote-only articles are written in a shuffled order,
/// with the unrelated articles spread evenly between them.
pub fn generate(
    source: &Source,
    options: &Options,
    mut sink: impl FnMut(&Record) -> Result<()>,
) -> Result<Truth> {
    let mut gen = Generator {
        source,
        rng: Rng::new(options.seed),
        pool: Pool::default(),
        outlets: Zipf::new(OUTLETS.len(), 1.1),
        written: Written::default(),
        boilerplate: Vec::new(),
        credits: Vec::new(),
    };
    let mut originals: Vec<Original> = (0..options.originals).map(|i| gen.original(i)).collect();
    let quotable: Vec<usize> = (0..originals.len())
        .filter(|&i| {
            let o = &originals[i];
            (o.sentences.iter().zip(&o.paragraphs))
                .any(|(sentences, p)| sentences.iter().any(|s| 2 * s.len() <= p.len()))
        })
        .collect();

    let mut plan: Vec<Planned> = Vec::new();
    for i in 0..originals.len() {
        plan.push(Planned::Original(i));
        let copies = gen.rng.range(options.copies.min, options.copies.max);
        plan.extend((1..=copies).map(|k| Planned::Copy(i, k)));
    }
    if options.quote_articles > 0 && originals.is_empty() {
        bail!("quote-only articles need originals to quote (--articles 0)");
    }
    let quotable = if quotable.is_empty() {
        (0..originals.len()).collect()
    } else {
        quotable
    };
    for j in 0..options.quote_articles {
        plan.push(Planned::Quote(j, *gen.rng.pick(&quotable)));
    }
    shuffle(&mut gen.rng, &mut plan);

    let mut quotes = Vec::new();
    let mut unrelated = 0usize;
    let total = plan.len();
    // Unrelated articles are due in proportion to the planned ones written.
    let due = |done: usize, unrelated: usize, written: &Written| -> bool {
        let (have, want) = match options.unrelated {
            Filler::Articles(n) => (unrelated as u128, n as u128),
            Filler::TextBytes(target) => (u128::from(written.text_bytes), u128::from(target)),
        };
        have * (total.max(1) as u128) < want * (done as u128)
    };
    for (done, planned) in plan.iter().enumerate() {
        let record = match *planned {
            Planned::Original(i) => originals[i].record.clone(),
            Planned::Copy(i, k) => gen.copy(&mut originals[i], k),
            Planned::Quote(j, i) => {
                let (record, quote) = gen.quote(j, &originals[i]);
                quotes.push(quote);
                record
            }
        };
        gen.write(&record, &mut sink)?;
        while due(done + 1, unrelated, &gen.written) {
            let record = gen.unrelated(unrelated);
            gen.write(&record, &mut sink)?;
            unrelated += 1;
        }
    }
    // With no planned article, the unrelated ones are all still due.
    while due(total.max(1), unrelated, &gen.written) {
        let record = gen.unrelated(unrelated);
        gen.write(&record, &mut sink)?;
        unrelated += 1;
    }

    let mut groups = Vec::new();
    for original in &originals {
        for members in &original.members {
            if members.len() >= 2 {
                let mut members = members.clone();
                members.sort();
                groups.push(members);
            }
        }
    }
    quotes.sort_by(|a: &Quote, b| a.id.cmp(&b.id));
    let copies = originals.iter().map(|o| o.copies.len()).sum();
    Ok(Truth {
        seed: options.seed,
        articles: gen.written.articles,
        originals: originals.len(),
        copies,
        quote_articles: quotes.len(),
        unrelated,
        paragraphs: gen.written.paragraphs,
        text_bytes: gen.written.text_bytes,
        sentence_passes: gen.pool.passes.max(1),
        groups,
        quotes,
        boilerplate: sorted(gen.boilerplate),
        credits: sorted(gen.credits),
    })
}

fn sorted(mut refs: Vec<PassageRef>) -> Vec<PassageRef> {
    refs.sort();
    refs
}

/// An article of the plan, written in a shuffled order.
#[derive(Debug, Clone, Copy)]
enum Planned {
    /// Original `i`.
    Original(usize),
    /// Copy `k` (1-based) of original `i`.
    Copy(usize, usize),
    /// Quote-only article `j`, quoting original `i`.
    Quote(usize, usize),
}

/// Totals of what was written.
#[derive(Debug, Default)]
struct Written {
    articles: usize,
    paragraphs: u64,
    text_bytes: u64,
}

/// An original article, kept whole until its copies are written.
#[derive(Debug)]
struct Original {
    record: Record,
    /// The prose paragraphs (the copyright line left out), as sentences.
    sentences: Vec<Vec<String>>,
    /// The prose paragraphs as text (paragraph `j` is line `j + 1` of the record).
    paragraphs: Vec<String>,
    topic: usize,
    template: usize,
    day: u32,
    outlet: usize,
    /// Outlets its copies have taken (each copy has its own).
    copies: Vec<usize>,
    /// For each prose paragraph, the passages of its copy group so far.
    members: Vec<Vec<PassageRef>>,
}

/// The source's sentences in the order articles take them. The first pass goes
/// topic by topic (topics shuffled, sentences in source order), so paragraphs
/// stay on one subject; later passes take the sentences in a shuffled order, so
/// that paragraphs of different passes seldom match.
#[derive(Debug, Default)]
struct Pool {
    order: Vec<(u32, u32)>,
    at: usize,
    passes: u32,
}

impl Pool {
    /// The next sentence as (topic, sentence), not yet taken.
    fn peek(&mut self, source: &Source, rng: &mut Rng) -> (usize, usize) {
        if self.at == self.order.len() {
            self.refill(source, rng);
        }
        let (t, s) = self.order[self.at];
        (t as usize, s as usize)
    }

    fn take(&mut self) {
        self.at += 1;
    }

    fn refill(&mut self, source: &Source, rng: &mut Rng) {
        self.order.clear();
        if self.passes == 0 {
            let mut topics: Vec<u32> = (0..source.topics.len() as u32).collect();
            shuffle(rng, &mut topics);
            for t in topics {
                let n = source.topics[t as usize].sentences.len() as u32;
                self.order.extend((0..n).map(|s| (t, s)));
            }
        } else {
            for (t, topic) in source.topics.iter().enumerate() {
                let n = topic.sentences.len() as u32;
                self.order.extend((0..n).map(|s| (t as u32, s)));
            }
            shuffle(rng, &mut self.order);
        }
        self.at = 0;
        self.passes += 1;
    }
}

/// Fisher–Yates with our PRNG.
fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

struct Generator<'a> {
    source: &'a Source,
    rng: Rng,
    pool: Pool,
    outlets: Zipf,
    written: Written,
    boilerplate: Vec<PassageRef>,
    credits: Vec<PassageRef>,
}

/// The paragraphs of a new article and what its headline is about.
struct Fresh {
    sentences: Vec<Vec<String>>,
    topic: usize,
}

impl Generator<'_> {
    fn write(
        &mut self,
        record: &Record,
        sink: &mut impl FnMut(&Record) -> Result<()>,
    ) -> Result<()> {
        let paragraphs = record.paragraphs();
        for p in paragraphs {
            self.written.paragraphs += 1;
            self.written.text_bytes += p.len() as u64;
        }
        self.written.articles += 1;
        sink(record)
    }

    /// One paragraph of unused sentences: mostly 150–650 bytes, one to four
    /// sentences, never above [`MAX_PARAGRAPH_BYTES`]. Returns the sentences and
    /// the topic of the first.
    fn paragraph(&mut self) -> (Vec<String>, usize) {
        let target = 150 + self.rng.below(300) + self.rng.below(200);
        let most = self.rng.range(1, 4);
        let mut sentences: Vec<String> = Vec::new();
        let mut len = 0usize;
        let mut topic = None;
        loop {
            let (t, s) = self.pool.peek(self.source, &mut self.rng);
            let sentence = &self.source.topics[t].sentences[s];
            if !sentences.is_empty() && len + 1 + sentence.len() > MAX_PARAGRAPH_BYTES {
                break;
            }
            self.pool.take();
            len += sentence.len() + usize::from(!sentences.is_empty());
            sentences.push(sentence.clone());
            topic.get_or_insert(t);
            if len >= target || (sentences.len() >= most && len >= 150) {
                break;
            }
        }
        (sentences, topic.unwrap_or(0))
    }

    /// `n` paragraphs of unused sentences.
    fn fresh(&mut self, n: usize) -> Fresh {
        let mut sentences = Vec::with_capacity(n);
        let mut topic = 0;
        for i in 0..n {
            let (p, t) = self.paragraph();
            if i == 0 {
                topic = t;
            }
            sentences.push(p);
        }
        Fresh { sentences, topic }
    }

    fn outlet(&mut self) -> usize {
        self.outlets.sample(&mut self.rng)
    }

    fn person(&mut self) -> String {
        format!(
            "{} {}",
            self.rng.pick(FIRST_NAMES),
            self.rng.pick(LAST_NAMES)
        )
    }

    fn original(&mut self, i: usize) -> Original {
        let n = 3 + self.rng.below(5) + self.rng.below(5); // 3..=11
        let Fresh { sentences, topic } = self.fresh(n);
        let paragraphs: Vec<String> = sentences.iter().map(|s| s.join(" ")).collect();
        let outlet = self.outlet();
        let day = self.rng.below(DAYS as usize) as u32;
        let template = self.rng.below(TITLE_TEMPLATES.len());
        let id = format!("o{i:06}");
        let mut lines = paragraphs.clone();
        if self.rng.chance(0.2) {
            let (y, _, _) = civil(day);
            lines.push(format!(
                "Copyright {y} {}. All rights reserved.",
                OUTLETS[outlet]
            ));
            self.boilerplate.push(PassageRef {
                id: id.clone(),
                paragraph: lines.len() as u64,
            });
        }
        let title = headline(&mut self.rng, &self.source.topics[topic], template);
        let author = Authors::One(self.person());
        let record = record(id.clone(), title, &lines, outlet, day, author);
        let members = (0..paragraphs.len())
            .map(|j| {
                vec![PassageRef {
                    id: id.clone(),
                    paragraph: j as u64 + 1,
                }]
            })
            .collect();
        Original {
            record,
            sentences,
            paragraphs,
            topic,
            template,
            day,
            outlet,
            copies: Vec::new(),
            members,
        }
    }

    /// Copy `k` of `original`, under an outlet of its own.
    fn copy(&mut self, original: &mut Original, k: usize) -> Record {
        let id = format!("{}-c{k}", original.record.id);
        let outlet = loop {
            let o = self.outlet();
            if o != original.outlet && !original.copies.contains(&o) {
                break o;
            }
        };
        original.copies.push(outlet);
        let from = OUTLETS[original.outlet];
        let keep = if original.paragraphs.len() >= 4 && self.rng.chance(0.2) {
            original.paragraphs.len() - 1
        } else {
            original.paragraphs.len()
        };
        let (credit, first) = match self.rng.below(10) {
            0..=3 => (
                format!("This article was originally published by {from}."),
                self.rng.chance(0.3),
            ),
            4..=6 => {
                let (a, b) = (self.person(), self.person());
                (format!("(Reporting by {a}; Editing by {b})"), false)
            }
            _ => (
                format!("This story first appeared in {from} and is republished with permission."),
                self.rng.chance(0.5),
            ),
        };
        let mut lines = Vec::with_capacity(keep + 1);
        if first {
            lines.push(credit.clone());
        }
        for (j, paragraph) in original.paragraphs[..keep].iter().enumerate() {
            lines.push(substitute_words(
                &mut self.rng,
                paragraph,
                &self.source.vocabulary,
                SUBSTITUTION_RATE,
            ));
            original.members[j].push(PassageRef {
                id: id.clone(),
                paragraph: lines.len() as u64,
            });
        }
        if !first {
            lines.push(credit);
        }
        self.credits.push(PassageRef {
            id: id.clone(),
            paragraph: if first { 1 } else { lines.len() as u64 },
        });
        let template = loop {
            let t = self.rng.below(TITLE_TEMPLATES.len());
            if t != original.template {
                break t;
            }
        };
        let title = headline(&mut self.rng, &self.source.topics[original.topic], template);
        let day = original.day + self.rng.below(4) as u32;
        record(
            id,
            title,
            &lines,
            outlet,
            day,
            original.record.author.clone(),
        )
    }

    /// Quote-only article `j`: one paragraph quotes one sentence of `source`.
    fn quote(&mut self, j: usize, source: &Original) -> (Record, Quote) {
        // The quoted sentence is at most a third of its paragraph where one is
        // (else at most half, else any), and at most a third of the quoting
        // paragraph: the quotation is a small part of both.
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for share in [3, 2, 1] {
            for (p, sentences) in source.sentences.iter().enumerate() {
                let len = source.paragraphs[p].len();
                candidates.extend(
                    (0..sentences.len())
                        .filter(|&k| sentences[k].len() * share <= len)
                        .map(|k| (p, k)),
                );
            }
            if !candidates.is_empty() {
                break;
            }
        }
        let (p, k) = *self.rng.pick(&candidates);
        let quoted = source.sentences[p][k].clone();

        let n = self.rng.range(3, 8);
        let at = self.rng.below(n);
        let Fresh { sentences, topic } = self.fresh(n);
        let mut lines: Vec<String> = sentences.iter().map(|s| s.join(" ")).collect();
        // Two or three sentences of its own, at least twice the quotation.
        let mut tail: Vec<String> = Vec::new();
        let wanted_tail = self.rng.range(2, 3);
        let mut tail_len = 0;
        while tail.len() < wanted_tail || tail_len < 2 * quoted.len() {
            let (t, s) = self.pool.peek(self.source, &mut self.rng);
            self.pool.take();
            let sentence = &self.source.topics[t].sentences[s];
            tail_len += sentence.len() + 1;
            tail.push(sentence.clone());
        }
        lines[at] = format!(
            "As {} reported, \"{quoted}\" {}",
            OUTLETS[source.outlet],
            tail.join(" ")
        );

        let id = format!("q{j:06}");
        let outlet = loop {
            let o = self.outlet();
            if o != source.outlet {
                break o;
            }
        };
        let template = self.rng.below(TITLE_TEMPLATES.len());
        let title = headline(&mut self.rng, &self.source.topics[topic], template);
        let day = source.day + 1 + self.rng.below(30) as u32;
        let author = Authors::One(self.person());
        let quote = Quote {
            id: id.clone(),
            source: source.record.id.clone(),
            paragraph: at as u64 + 1,
            source_paragraph: p as u64 + 1,
        };
        (record(id, title, &lines, outlet, day, author), quote)
    }

    /// Unrelated article `n`, with the boilerplate news sites add.
    fn unrelated(&mut self, n: usize) -> Record {
        let count = 3 + self.rng.below(5) + self.rng.below(5);
        let Fresh { sentences, topic } = self.fresh(count);
        let mut lines: Vec<String> = Vec::with_capacity(count + 3);
        let id = format!("u{n:06}");
        let outlet = self.outlet();
        let day = self.rng.below(DAYS as usize) as u32;
        let (y, _, _) = civil(day);
        let mut boilerplate = Vec::new();
        if self.rng.chance(0.05) {
            boilerplate.push(1);
            lines.push("Editor's note: This story has been updated.".to_owned());
        }
        lines.extend(sentences.iter().map(|s| s.join(" ")));
        if self.rng.chance(0.1) {
            lines.push(format!(
                "{} contributed to this report.",
                self.rng.pick(AGENCIES)
            ));
            boilerplate.push(lines.len() as u64);
        }
        if self.rng.chance(0.5) {
            let name = OUTLETS[outlet];
            lines.push(if self.rng.chance(0.8) {
                format!("Copyright {y} {name}. All rights reserved.")
            } else {
                format!("© {y} {name}. All rights reserved.")
            });
            boilerplate.push(lines.len() as u64);
        }
        self.boilerplate
            .extend(boilerplate.into_iter().map(|paragraph| PassageRef {
                id: id.clone(),
                paragraph,
            }));
        let template = self.rng.below(TITLE_TEMPLATES.len());
        let title = headline(&mut self.rng, &self.source.topics[topic], template);
        let author = Authors::One(self.person());
        record(id, title, &lines, outlet, day, author)
    }
}

/// A corpus record: one paragraph per line, as the engine reads them.
fn record(
    id: String,
    title: String,
    lines: &[String],
    outlet: usize,
    day: u32,
    author: Authors,
) -> Record {
    let (y, m, d) = civil(day);
    let name = OUTLETS[outlet];
    let url = format!(
        "https://www.{}.example/{y:04}/{m:02}/{d:02}/{}-{id}",
        slug(name).replace('-', ""),
        slug(&title)
    );
    Record {
        id,
        title,
        text: lines.join("\n"),
        source: name.to_owned(),
        date: format!("{y:04}-{m:02}-{d:02}"),
        url,
        author,
    }
}

/// Replaces about `rate` of the words of `text` (runs of two letters or more
/// between spaces and punctuation, see [`word_core`]) by other words of
/// `vocabulary`, keeping an initial capital: `n × rate` words of a paragraph of
/// `n` words, the fraction rounded up or down at random in proportion (so 30
/// words at 1/40 give one change three times in four, never three). Spaces and
/// punctuation are kept, so the copy has as many space-separated tokens as the
/// original.
pub fn substitute_words(rng: &mut Rng, text: &str, vocabulary: &[String], rate: f64) -> String {
    let tokens: Vec<&str> = text.split(' ').collect();
    let mut eligible: Vec<usize> = (0..tokens.len())
        .filter(|&i| word_core(tokens[i]).is_some())
        .collect();
    let exact = eligible.len() as f64 * rate.clamp(0.0, 1.0);
    let count =
        (exact.floor() as usize + usize::from(rng.chance(exact.fract()))).min(eligible.len());
    // The first `count` of a partial shuffle are the words to replace.
    for i in 0..count {
        let j = i + rng.below(eligible.len() - i);
        eligible.swap(i, j);
    }
    let mut replaced: Vec<Option<String>> = vec![None; tokens.len()];
    for &i in &eligible[..count] {
        let token = tokens[i];
        let Some(core) = word_core(token) else {
            continue;
        };
        let word = &token[core.clone()];
        let lower = word.to_lowercase();
        let replacement = loop {
            let w = rng.pick(vocabulary);
            if *w != lower {
                break w;
            }
        };
        let replacement = if word.starts_with(char::is_uppercase) {
            capitalize(replacement)
        } else {
            replacement.clone()
        };
        replaced[i] = Some(format!(
            "{}{replacement}{}",
            &token[..core.start],
            &token[core.end..]
        ));
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(replaced[i].as_deref().unwrap_or(token));
    }
    out
}

/// The byte range of a token's word: the token without leading and trailing
/// punctuation, when what is left is two letters or more and letters only.
pub fn word_core(token: &str) -> Option<std::ops::Range<usize>> {
    let start = token.len() - token.trim_start_matches(|c: char| !c.is_alphabetic()).len();
    let end = token.trim_end_matches(|c: char| !c.is_alphabetic()).len();
    if end <= start {
        return None;
    }
    let core = &token[start..end];
    (core.chars().count() >= 2 && core.chars().all(char::is_alphabetic)).then_some(start..end)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn headline(rng: &mut Rng, topic: &Topic, template: usize) -> String {
    let mut title = TITLE_TEMPLATES[template].replace("{}", &topic.title);
    if !topic.description.is_empty() && topic.description.len() < 60 && rng.chance(0.25) {
        title.push_str(", ");
        title.push_str(&topic.description.to_lowercase());
    }
    // Headlines never end with a period (the engine uses that to spot titles).
    while title.ends_with('.') {
        title.pop();
    }
    capitalize(&title)
}

/// Days in 2020-01-01..=2025-12-31, the span of article dates.
const DAYS: u32 = 6 * 365 + 2;

/// The civil date `day` days after 2020-01-01.
fn civil(mut day: u32) -> (u32, u32, u32) {
    let days_in = |y: u32, m: u32| match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let mut y = 2020;
    loop {
        for m in 1..=12 {
            let n = days_in(y, m);
            if day < n {
                return (y, m, day + 1);
            }
            day -= n;
        }
        y += 1;
    }
}

#[cfg(test)]
mod tests;
