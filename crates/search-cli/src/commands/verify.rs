//! `search verify`: re-read every source and report citations that no longer hold.

use std::io::{self, Write};

use search_query::PassageIndex;

use crate::cli::{EvalFormat, ReportArgs};
use crate::exit::Exit;

/// Runs `search verify`.
pub fn run(args: &ReportArgs) -> anyhow::Result<Exit> {
    let index = PassageIndex::open(args.location.dir())?;
    let report = index.verify()?;
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
                    "STALE {}:{} ¶{} ({}): {}",
                    c.path, c.line, c.paragraph, c.doc_id, stale.reason
                )?;
            }
            for path in &report.files_changed {
                writeln!(out, "changed since indexing: {path}")?;
            }
            for path in &report.files_missing {
                writeln!(out, "gone since indexing: {path}")?;
            }
            for path in &added {
                writeln!(out, "new, not indexed yet: {path}")?;
            }
            writeln!(
                out,
                "{} files checked: {} changed, {} gone, {} new; {} stale citations",
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
