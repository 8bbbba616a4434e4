//! `search verify`: re-read every source and report citations that no longer hold.

use std::io::{self, Write};

use search_query::{PassageIndex, VerifyMode, VerifyReport};

use crate::cli::{EvalFormat, VerifyArgs};
use crate::commands::reindex_command;
use crate::exit::Exit;
use crate::messages;
use crate::render::{self, safe};

/// Runs `search verify`.
pub fn run(args: &VerifyArgs) -> anyhow::Result<Exit> {
    let index = crate::commands::open(&args.location.dir())?;
    let mode = if args.quick {
        VerifyMode::Quick
    } else {
        VerifyMode::Full
    };
    let (report, added) = audit(&index, mode)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Json => render::json_line(&mut out, &json_value(&report, &added)?)?,
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
    out.flush()?;
    if !report.is_clean() {
        messages::outcome(format_args!(
            "some citations no longer hold; run `{}` to re-index the changed sources",
            reindex_command(&args.location.dir())
        ));
        return Ok(Exit::Stale);
    }
    Ok(Exit::Ok)
}

/// Checks every citation of `index` (see [`PassageIndex::verify_with`]), and lists
/// the corpus files added since indexing.
pub fn audit(
    index: &PassageIndex,
    mode: VerifyMode,
) -> anyhow::Result<(VerifyReport, Vec<String>)> {
    let report = index.verify_with(mode)?;
    let added = search_indexer::changes_since(index.info().record()).added;
    Ok((report, added))
}

/// What `search verify --format json` prints: the report, with `files_added`.
pub fn json_value(report: &VerifyReport, added: &[String]) -> anyhow::Result<serde_json::Value> {
    let mut value = serde_json::to_value(report)?;
    value["files_added"] = serde_json::to_value(added)?;
    Ok(value)
}
