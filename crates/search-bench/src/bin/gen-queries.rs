//! Generates a deterministic set of 2- and 3-word queries from a corpus.
//!
//! Words come from the corpus's own vocabulary (stop words and words with
//! digits excluded), mostly from the mid-frequency band; about a quarter of
//! the queries start with two words that stand side by side in a real
//! sentence, so phrase-like queries occur; 40% take all their words from one
//! paragraph, as a query about one subject does; the rest combine words
//! drawn independently.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Parser;
use search_bench::text::{is_stop_word, words};
use search_bench::{for_each_record, Rng};

/// Generate N distinct 2- and 3-word queries, one per line.
///
/// Example: gen-queries --corpus ../bench-data/c20/corpus.jsonl --n 1000 --out queries.txt
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Corpus written by gen-corpus.
    #[arg(long)]
    corpus: PathBuf,
    /// Number of queries.
    #[arg(long, default_value_t = 1000)]
    n: usize,
    /// Output file.
    #[arg(long)]
    out: PathBuf,
    /// PRNG seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// Share of single words drawn from each frequency band.
const HEAD_SHARE: f64 = 0.10;
const TAIL_SHARE: f64 = 0.15;
/// Share of queries built around an adjacent word pair.
const PHRASE_SHARE: f64 = 0.25;
/// Share of queries whose words all come from one paragraph (on one subject).
const TOPICAL_SHARE: f64 = 0.40;

fn is_content(word: &str) -> bool {
    (3..=20).contains(&word.chars().count()) && !is_stop_word(word)
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if cli.n == 0 {
        bail!("--n must be positive");
    }
    let mut rng = Rng::new(cli.seed);

    // One pass: word counts, and a reservoir sample of adjacent content-word pairs.
    let mut counts: HashMap<String, u64> = HashMap::new();
    let capacity = cli.n * 4;
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(capacity);
    let mut pairs_seen: u64 = 0;
    let mut paras: Vec<Vec<String>> = Vec::with_capacity(capacity);
    let mut paras_seen: u64 = 0;
    for_each_record(&cli.corpus, |record| {
        for para in record.paragraphs() {
            let ws = words(para);
            let mut content: Vec<String> = ws
                .iter()
                .filter(|w| is_content(&w.text))
                .map(|w| w.text.clone())
                .collect();
            content.sort();
            content.dedup();
            if content.len() >= 3 {
                paras_seen += 1;
                if paras.len() < capacity {
                    paras.push(content);
                } else {
                    let j = rng.below(paras_seen as usize);
                    if j < capacity {
                        paras[j] = content;
                    }
                }
            }
            for (i, w) in ws.iter().enumerate() {
                if !is_content(&w.text) {
                    continue;
                }
                match counts.get_mut(&w.text) {
                    Some(c) => *c += 1,
                    None => {
                        counts.insert(w.text.clone(), 1);
                    }
                }
                if i > 0 && w.adjacent && is_content(&ws[i - 1].text) && ws[i - 1].text != w.text {
                    pairs_seen += 1;
                    let slot = if pairs.len() < capacity {
                        Some(pairs.len())
                    } else {
                        let j = rng.below(pairs_seen as usize);
                        (j < capacity).then_some(j)
                    };
                    if let Some(j) = slot {
                        let pair = (ws[i - 1].text.clone(), w.text.clone());
                        if j == pairs.len() {
                            pairs.push(pair);
                        } else {
                            pairs[j] = pair;
                        }
                    }
                }
            }
        }
        Ok(())
    })?;

    // Vocabulary by falling frequency (ties alphabetical: deterministic).
    let mut vocab: Vec<(String, u64)> = counts.into_iter().filter(|(_, c)| *c >= 2).collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if vocab.len() < 50 {
        bail!("corpus too small: {} distinct content words", vocab.len());
    }
    // Bands: head = the most frequent ~300 words; mid = up to rank 30,000 while
    // a word occurs at least 5 times; tail = the rest.
    let head_end = (vocab.len() / 20).clamp(1, 300);
    let mid_end = vocab
        .iter()
        .position(|(_, c)| *c < 5)
        .unwrap_or(vocab.len())
        .clamp(head_end + 1, 30_000.max(head_end + 1))
        .min(vocab.len());
    let bands = Bands {
        head_end,
        mid_end,
        len: vocab.len(),
    };
    let word = |rng: &mut Rng| vocab[bands.sample(rng)].0.as_str();
    let rank: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (w.as_str(), i))
        .collect();

    let mut seen: HashSet<String> = HashSet::with_capacity(cli.n);
    let mut queries: Vec<String> = Vec::with_capacity(cli.n);
    let (mut phrase_like, mut topical, mut three) = (0usize, 0usize, 0usize);
    let mut attempts = 0usize;
    while queries.len() < cli.n {
        attempts += 1;
        if attempts > cli.n * 100 {
            bail!("could only make {} distinct queries", queries.len());
        }
        let mut terms: Vec<&str> = Vec::with_capacity(3);
        let kind = rng.f64();
        let phrase = !pairs.is_empty() && kind < PHRASE_SHARE;
        let on_topic = !phrase && !paras.is_empty() && kind < PHRASE_SHARE + TOPICAL_SHARE;
        if phrase {
            let (a, b) = rng.pick(&pairs);
            terms.push(a);
            terms.push(b);
            if rng.chance(0.4) {
                terms.push(word(&mut rng));
            }
        } else if on_topic {
            // Words of one paragraph, keeping mostly mid-frequency ones.
            let para = rng.pick(&paras);
            let n_terms = if rng.chance(0.6) { 2 } else { 3 };
            let mut tries = 0;
            while terms.len() < n_terms && tries < 50 {
                tries += 1;
                let w = rng.pick(para).as_str();
                let keep = match rank.get(w) {
                    Some(&r) => bands.keep_probability(r),
                    None => 0.0, // seen once: too rare
                };
                if !terms.contains(&w) && rng.chance(keep) {
                    terms.push(w);
                }
            }
            if terms.len() < n_terms {
                continue;
            }
        } else {
            let n_terms = if rng.chance(0.6) { 2 } else { 3 };
            while terms.len() < n_terms {
                terms.push(word(&mut rng));
            }
        }
        let distinct: HashSet<&str> = terms.iter().copied().collect();
        if distinct.len() != terms.len() {
            continue;
        }
        let q = terms.join(" ");
        if seen.insert(q.clone()) {
            phrase_like += usize::from(phrase);
            topical += usize::from(on_topic);
            three += usize::from(terms.len() == 3);
            queries.push(q);
        }
    }

    let mut out = BufWriter::new(
        File::create(&cli.out).with_context(|| format!("creating {}", cli.out.display()))?,
    );
    for q in &queries {
        writeln!(out, "{q}")?;
    }
    out.flush()?;
    eprintln!(
        "gen-queries: {} queries ({} with 3 words, {} phrase-like, {} on one paragraph) \
         from {} words (head <{}, mid <{}, {} adjacent pairs seen) -> {}",
        queries.len(),
        three,
        phrase_like,
        topical,
        bands.len,
        bands.head_end,
        bands.mid_end,
        pairs_seen,
        cli.out.display()
    );
    Ok(())
}

/// Rank bands of the vocabulary.
struct Bands {
    head_end: usize,
    mid_end: usize,
    len: usize,
}

impl Bands {
    /// How readily a word of rank `r` is kept when drawn from a paragraph.
    fn keep_probability(&self, r: usize) -> f64 {
        if r < self.head_end {
            0.15
        } else if r < self.mid_end {
            1.0
        } else {
            0.5
        }
    }

    /// A vocabulary rank: mostly mid-frequency.
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.f64();
        if u < HEAD_SHARE {
            rng.below(self.head_end)
        } else if u < HEAD_SHARE + TAIL_SHARE && self.mid_end < self.len {
            rng.range(self.mid_end, self.len - 1)
        } else {
            // Log-uniform over mid ranks, i.e. roughly proportional to frequency
            // within the band, as query terms are.
            let (lo, hi) = (self.head_end as f64, self.mid_end as f64);
            let r = (lo * (hi / lo).powf(rng.f64())) as usize;
            r.clamp(self.head_end, self.mid_end - 1)
        }
    }
}
