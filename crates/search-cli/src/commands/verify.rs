//! `search verify`: re-read every source and report citations that no longer hold.

use std::io::{self, Write};

use search_query::{PassageIndex, VerifyMode};

use crate::cli::{EvalFormat, VerifyArgs};
use crate::exit::Exit;
use crate::render::safe;

/// Runs `search verify`.
pub fn run(args: &VerifyArgs) -> anyhow::Result<Exit> {
    let index = PassageIndex::open(args.location.dir())?;
    let mode = if args.quick {
        VerifyMode::Quick
    } else {
        VerifyMode::Full
    };
    let report = index.verify_with(mode)?;
    let added = search_indexer::changes_since(&index.meta()).added;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        EvalFormat::Json => {
            let mut value = serde_json::to_value(&report)?;
            value["files_added"] = serde_json::to_value(&added)?;
            serde_json::to_writer(&mut out, &value)?;
            writeln!(out)?;
        }
        EvalFormat::Text => {
            for stale in &report.stale {
                let c = &stale.citation;
                writeln!(
                    out,
                    "STALE {} ¶{} ({}): {}",
                    safe(&c.location()),
                    c.paragraph,
                    safe(&c.doc_id),
                    stale.reason
                )?;
            }
            for path in &report.files_changed {
                writeln!(out, "changed since indexing: {}", safe(path))?;
            }
            for path in &report.files_missing {
                writeln!(out, "gone since indexing: {}", safe(path))?;
            }
            for path in &added {
                writeln!(out, "new, not indexed yet: {}", safe(path))?;
            }
            let how = match report.mode {
                VerifyMode::Quick => format!(
                    " (quick: {} read, the rest trusted by size and modification time)",
                    report.files_hashed
                ),
                _ => " (every file read and hashed)".to_string(),
            };
            writeln!(
                out,
                "{} files checked{how}: {} changed, {} gone, {} new; {} stale citations",
                report.files_checked,
                report.files_changed.len(),
                report.files_missing.len(),
                added.len(),
                report.stale.len()
            )?;
        }
    }
    if !report.is_clean() {
        eprintln!("search: some citations no longer hold; run `just index` (or `search index`) to re-index the changed sources");
        return Ok(Exit::Stale);
    }
    Ok(Exit::Ok)
}
