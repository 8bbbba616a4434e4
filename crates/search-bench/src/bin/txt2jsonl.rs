//! Converts a folder of `.txt` articles (title line, blank line, one paragraph
//! per line, as in `seeds/`) into the `corpus.jsonl` the peers index, so that
//! every engine can be timed over the same small corpus.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Parser;
use search_bench::{Authors, Record};

/// Convert DIR/*.txt into one JSONL corpus (id = file stem, title = first line).
///
/// Example: txt2jsonl --dir seeds --out /tmp/seeds.jsonl
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Folder of `.txt` articles (not searched recursively).
    #[arg(long)]
    dir: PathBuf,
    /// Output JSONL file.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let mut paths: Vec<PathBuf> = fs::read_dir(&cli.dir)
        .with_context(|| format!("reading {}", cli.dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        bail!("no .txt file in {}", cli.dir.display());
    }
    let mut out = BufWriter::new(
        File::create(&cli.out).with_context(|| format!("creating {}", cli.out.display()))?,
    );
    for path in &paths {
        let text =
            fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let title = lines.next().unwrap_or_default().to_owned();
        let body: Vec<&str> = lines.collect();
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let record = Record {
            url: format!("file://{}", path.display()),
            id,
            title,
            text: body.join("\n"),
            source: String::new(),
            date: String::new(),
            author: Authors::One(String::new()),
        };
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "txt2jsonl: {} articles -> {}",
        paths.len(),
        cli.out.display()
    );
    Ok(())
}
