//! Scores an index's copy groups against the truth `gen-syndication` wrote:
//! pairwise precision and recall, quote-only articles grouped with their source,
//! boilerplate grouped (see `search_bench::syndication::score`).
//!
//! Exit status: 0 when the figures were computed (and, with `--check`, every
//! target met); 1 with `--check` when a target is missed; 2 when the index or the
//! truth cannot be read, or they do not belong together.

use std::fs::File;
use std::io::{BufReader, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use search_bench::syndication::{score, PassageRef, Scores, Targets, Truth};
use search_query::PassageIndex;
use serde::Serialize;

/// Score the copy groups of an index against a syndication corpus's truth.
///
/// Targets (`--check`): pairwise precision >= 0.99, recall >= 0.95, no quote-only
/// article grouped with its source (or a copy of it), no boilerplate grouped.
///
/// Exit status: 0 figures computed (with --check: every target met), 1 a target
/// missed (--check), 2 the index or truth unreadable or not of the same corpus.
#[derive(Debug, Parser)]
#[command(version, after_help = EXAMPLE)]
struct Cli {
    /// Index of the corpus `gen-syndication` wrote (`search index DIR/corpus.jsonl`).
    #[arg(long)]
    index: PathBuf,
    /// `truth.json` written with that corpus.
    #[arg(long)]
    truth: PathBuf,
    /// Print the figures as one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Exit with status 1 when a target is missed.
    #[arg(long)]
    check: bool,
    /// Examples of false pairs, missed pairs and grouped quotes to show.
    #[arg(long, default_value_t = 5)]
    examples: usize,
}

const EXAMPLE: &str = "\
Example:
  gen-syndication --out scratch/copies
  search index scratch/copies/corpus.jsonl --index scratch/copies/index
  eval-copies --index scratch/copies/index --truth scratch/copies/truth.json --check";

fn main() -> ExitCode {
    match run(&Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("eval-copies: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode> {
    let truth = read_truth(&cli.truth)?;
    let index = PassageIndex::open(&cli.index)
        .with_context(|| format!("opening index {}", cli.index.display()))?;
    check_index(&index, &truth)?;
    if truth.sentence_passes > 1 {
        eprintln!(
            "eval-copies: warning: the corpus went through the source's sentences {} times; \
             accidental repeats are not in the truth (generate fewer articles for an exact truth)",
            truth.sentence_passes
        );
    }
    let predicted = predicted_groups(&index)?;
    let scores = score(&truth, &predicted, cli.examples);
    let targets = Targets::default();
    let misses = scores.misses(&targets);
    if cli.json {
        #[derive(Serialize)]
        struct Report<'a> {
            index: String,
            truth: String,
            passages: u64,
            #[serde(flatten)]
            scores: &'a Scores,
            targets: &'a Targets,
            met: bool,
            misses: &'a [String],
        }
        let report = Report {
            index: cli.index.display().to_string(),
            truth: cli.truth.display().to_string(),
            passages: index.passage_count(),
            scores: &scores,
            targets: &targets,
            met: misses.is_empty(),
            misses: &misses,
        };
        emit(&(serde_json::to_string_pretty(&report)? + "\n"))?;
    } else {
        emit(&table(&index, &truth, &scores, &targets))?;
    }
    if cli.check && !misses.is_empty() {
        for miss in &misses {
            eprintln!("eval-copies: target missed: {miss}");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to stdout; a closed pipe (`eval-copies … | head`) is not an error.
fn emit(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("writing to stdout"),
        _ => Ok(()),
    }
}

fn read_truth(path: &PathBuf) -> Result<Truth> {
    let file = File::open(path).with_context(|| format!("opening truth {}", path.display()))?;
    serde_json::from_reader(BufReader::with_capacity(1 << 20, file)).with_context(|| {
        format!(
            "{}: not a truth file of gen-syndication (a JSON object with `groups`, `quotes`, `boilerplate`, `credits`)",
            path.display()
        )
    })
}

/// Every passage the truth names must be in the index under that article id and
/// paragraph number; otherwise the index is of another corpus (or an older one).
fn check_index(index: &PassageIndex, truth: &Truth) -> Result<()> {
    let mut named: Vec<PassageRef> = truth.groups.concat();
    named.extend(truth.boilerplate.iter().cloned());
    named.extend(truth.credits.iter().cloned());
    for q in &truth.quotes {
        named.push(PassageRef {
            id: q.id.clone(),
            paragraph: q.paragraph,
        });
        named.push(PassageRef {
            id: q.source.clone(),
            paragraph: q.source_paragraph,
        });
    }
    named.sort();
    let mut missing = Vec::new();
    let mut current: Option<(String, Vec<u64>)> = None;
    for p in &named {
        if current.as_ref().is_none_or(|(id, _)| *id != p.id) {
            let paragraphs = index
                .article(&p.id)
                .with_context(|| format!("reading article {} from the index", p.id))?
                .into_iter()
                .map(|c| c.paragraph)
                .collect();
            current = Some((p.id.clone(), paragraphs));
        }
        let Some((_, paragraphs)) = &current else {
            continue;
        };
        if !paragraphs.contains(&p.paragraph) {
            missing.push(format!("{}#{}", p.id, p.paragraph));
        }
    }
    if !missing.is_empty() {
        let shown = missing
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        bail!(
            "{} passages of the truth are not in the index ({shown}{}): index the corpus written with this truth",
            missing.len(),
            if missing.len() > 5 { ", …" } else { "" }
        );
    }
    Ok(())
}

/// The index's copy groups as passages (article id, paragraph); the pieces of
/// a split paragraph count once.
fn predicted_groups(index: &PassageIndex) -> Result<Vec<Vec<PassageRef>>> {
    let groups = index
        .copy_groups()
        .context("reading the copy groups of the index")?;
    Ok(groups
        .iter()
        .map(|group| {
            let mut members: Vec<PassageRef> = group
                .members
                .iter()
                .map(|c| PassageRef {
                    id: c.doc_id.clone(),
                    paragraph: c.paragraph,
                })
                .collect();
            members.sort();
            members.dedup();
            members
        })
        .collect())
}

fn table(index: &PassageIndex, truth: &Truth, s: &Scores, t: &Targets) -> String {
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let mut out = vec![
        format!(
            "Copy groups: {} passages indexed; truth: {} articles ({} originals, {} copies, \
             {} quote-only, {} unrelated), seed {}",
            index.passage_count(),
            truth.articles,
            truth.originals,
            truth.copies,
            truth.quote_articles,
            truth.unrelated,
            truth.seed
        ),
        format!(
            "{} groups predicted, {} true; {} pairs predicted, {} true, {} correct",
            s.predicted_groups, s.true_groups, s.predicted_pairs, s.true_pairs, s.correct_pairs
        ),
        String::new(),
        "| figure | measured | target | verdict |".to_owned(),
        "|---|---:|---:|---|".to_owned(),
        format!(
            "| pairwise precision | {:.4} | >= {} | {} |",
            s.precision,
            t.precision,
            verdict(s.precision >= t.precision)
        ),
        format!(
            "| pairwise recall | {:.4} | >= {} | {} |",
            s.recall,
            t.recall,
            verdict(s.recall >= t.recall)
        ),
        format!(
            "| quote-only articles grouped with their source | {} of {} | <= {} | {} |",
            s.quotes_grouped,
            s.quote_articles,
            t.quotes_grouped,
            verdict(s.quotes_grouped <= t.quotes_grouped)
        ),
        format!(
            "| boilerplate passages grouped | {} of {} | <= {} | {} |",
            s.boilerplate_grouped,
            s.boilerplate_passages,
            t.boilerplate_grouped,
            verdict(s.boilerplate_grouped <= t.boilerplate_grouped)
        ),
        format!(
            "| credit lines of copies grouped (their {} pairs count as false) | {} of {} | | |",
            s.credit_pairs, s.credits_grouped, s.credit_passages
        ),
    ];
    if s.passages_in_several_groups > 0 {
        out.push(format!(
            "| passages in more than one group | {} | 0 | |",
            s.passages_in_several_groups
        ));
    }
    for (label, examples) in [
        ("false pairs (grouped, not copies)", &s.false_pairs),
        ("missed pairs (copies, not grouped)", &s.missed_pairs),
        ("quotes grouped with their source", &s.grouped_quotes),
    ] {
        if !examples.is_empty() {
            out.push(String::new());
            out.push(format!("{label}:"));
            out.extend(examples.iter().map(|e| {
                format!(
                    "  {}#{}  {}#{}",
                    e.a.id, e.a.paragraph, e.b.id, e.b.paragraph
                )
            }));
        }
    }
    out.push(String::new());
    out.join("\n")
}
