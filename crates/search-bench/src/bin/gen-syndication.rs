//! Generates a syndication corpus and its ground truth from real Wikipedia
//! sentences: original articles, syndicated copies of some of them under other
//! outlets (a new headline, a credit line, about one word in forty changed),
//! quote-only articles quoting one sentence of an original, and unrelated
//! articles, many ending with the same copyright line. See
//! `search_bench::syndication` for the exact recipe and `eval-copies` for the
//! scoring.
//!
//! Writes `OUT/corpus.jsonl` (the records, as `gen-corpus` writes them) and then
//! `OUT/truth.json` (the true copy groups as `{"id", "paragraph"}` lists, the
//! quote-only articles with their sources, the boilerplate and credit lines);
//! the truth is written last, so it marks a finished corpus.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use search_bench::names::default_source;
use search_bench::syndication::{generate, CopyRange, Filler, Options, Source};

/// Generate a syndication corpus (originals, copies, quote-only and unrelated
/// articles) and the truth `eval-copies` scores copy groups against.
///
/// The truth is exact while the corpus uses each source sentence once (about
/// 1,800 articles of fresh text from wiki-vital: originals, quote-only and
/// unrelated ones; copies reuse their original's); larger corpora, for cost
/// benchmarks, say how many passes they made.
#[derive(Debug, Parser)]
#[command(version, after_help = EXAMPLES)]
struct Cli {
    /// Output directory; `corpus.jsonl` and `truth.json` are written there.
    #[arg(long)]
    out: PathBuf,
    /// Original articles.
    #[arg(long, default_value_t = 300)]
    articles: usize,
    /// Syndicated copies of each original: N, or A-B for a number drawn
    /// uniformly from A to B (mean (A+B)/2); at most 19 (one outlet each).
    #[arg(long, default_value = "0-4", value_parser = parse_copies)]
    copies_per_original: CopyRange,
    /// Quote-only articles, each quoting one sentence of a random original.
    #[arg(long, default_value_t = 100)]
    quote_articles: usize,
    /// Unrelated articles [default: three per original].
    #[arg(long, conflicts_with = "mb")]
    unrelated: Option<usize>,
    /// Instead of --unrelated: add unrelated articles until the corpus holds MB
    /// megabytes (10^6 bytes) of paragraph text.
    #[arg(long)]
    mb: Option<f64>,
    /// PRNG seed; the same seed and source give the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Source JSONL of summaries (`title`, `text`, optional `description`).
    /// Default: `../shared/corpora/wiki-vital/en.jsonl` from the repository root.
    #[arg(long)]
    source: Option<PathBuf>,
}

const EXAMPLES: &str = "\
Examples:
  gen-syndication --out scratch/copies
  gen-syndication --articles 8000 --quote-articles 1000 --mb 200 --out scratch/bench/syndication-200";

fn parse_copies(s: &str) -> std::result::Result<CopyRange, String> {
    s.parse()
}

fn main() -> ExitCode {
    match run(&Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gen-syndication: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    let unrelated = match (cli.mb, cli.unrelated) {
        (Some(mb), _) if !(mb.is_finite() && mb > 0.0) => bail!("--mb must be a positive number"),
        (Some(mb), _) => Filler::TextBytes((mb * 1e6) as u64),
        (None, Some(n)) => Filler::Articles(n),
        (None, None) => Filler::Articles(cli.articles.saturating_mul(3)),
    };
    if cli.quote_articles > 0 && cli.articles == 0 {
        bail!("--quote-articles needs originals to quote: give --articles N with N > 0");
    }
    let options = Options {
        originals: cli.articles,
        copies: cli.copies_per_original,
        quote_articles: cli.quote_articles,
        unrelated,
        seed: cli.seed,
    };
    let source_path = match &cli.source {
        Some(p) => p.clone(),
        None => default_source()?,
    };
    let source = Source::read_jsonl(&source_path)?;

    fs::create_dir_all(&cli.out).with_context(|| format!("creating {}", cli.out.display()))?;
    let corpus_path = cli.out.join("corpus.jsonl");
    let truth_path = cli.out.join("truth.json");
    // A stale truth would mark a half-written corpus as complete.
    if truth_path.exists() {
        fs::remove_file(&truth_path)
            .with_context(|| format!("removing the old {}", truth_path.display()))?;
    }
    let mut out = BufWriter::with_capacity(
        1 << 20,
        File::create(&corpus_path)
            .with_context(|| format!("creating {}", corpus_path.display()))?,
    );
    let truth = generate(&source, &options, |record| {
        serde_json::to_writer(&mut out, record)?;
        out.write_all(b"\n")?;
        Ok(())
    })
    .with_context(|| format!("writing {}", corpus_path.display()))?;
    out.flush()
        .with_context(|| format!("writing {}", corpus_path.display()))?;
    drop(out);
    let mut json = serde_json::to_string(&truth)?;
    json.push('\n');
    fs::write(&truth_path, json).with_context(|| format!("writing {}", truth_path.display()))?;

    eprintln!(
        "gen-syndication: {} articles ({} originals, {} copies, {} quote-only, {} unrelated), \
         {} paragraphs, {:.2} MB text, {} copy groups -> {}",
        truth.articles,
        truth.originals,
        truth.copies,
        truth.quote_articles,
        truth.unrelated,
        truth.paragraphs,
        truth.text_bytes as f64 / 1e6,
        truth.groups.len(),
        cli.out.display()
    );
    if truth.sentence_passes > 1 {
        eprintln!(
            "gen-syndication: note: {} passes over the {} source sentences; unrelated paragraphs \
             may repeat, and the truth does not list such accidental copies (fine for cost \
             benchmarks; for eval-copies, ask for fewer articles)",
            truth.sentence_passes,
            source.sentence_count()
        );
    }
    Ok(())
}
