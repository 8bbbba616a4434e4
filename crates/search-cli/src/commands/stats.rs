//! `search stats`: what the index holds, and whether it is current.

use std::io::{self, Write};
use std::path::Path;

use search_query::{IndexInfo, PassageIndex};

use crate::cli::{EvalFormat, ReportArgs};
use crate::commands::reindex_command;
use crate::exit::Exit;
use crate::render;

/// Runs `search stats`.
pub fn run(args: &ReportArgs) -> anyhow::Result<Exit> {
    let dir = args.location.dir();
    let index = crate::commands::open(&dir)?;
    let info = index.info();
    let changes = search_indexer::changes_since(info.record());
    let index_bytes = folder_size(&dir);
    let source_bytes = info.source_bytes();
    let records_skipped = info.skipped_records().count();
    let files_skipped = info.skipped_files().count();
    let updated_at = updated_at(&info);
    let value = json_value(&index, &dir);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Json => {
            render::json_line(&mut out, &value)?;
        }
        EvalFormat::Text => {
            writeln!(out, "index       {}", dir.display())?;
            let roots: Vec<String> = info
                .roots()
                .map(|(name, path)| format!("{name} ({})", path.display()))
                .collect();
            writeln!(out, "corpus      {}", roots.join(", "))?;
            writeln!(
                out,
                "files       {} indexed, {files_skipped} skipped",
                info.file_count(),
            )?;
            if records_skipped > 0 {
                writeln!(out, "records     {records_skipped} JSONL records skipped")?;
            }
            writeln!(out, "articles    {}", info.article_count())?;
            writeln!(out, "passages    {}", index.passage_count())?;
            let copies = index.copy_stats();
            writeln!(
                out,
                "copies      {} copy groups, {} passages in them, the largest {}",
                copies.groups, copies.passages, copies.largest
            )?;
            let ratio = if source_bytes > 0 {
                index_bytes as f64 / source_bytes as f64
            } else {
                0.0
            };
            writeln!(
                out,
                "size        {index_bytes} bytes ({ratio:.2}x the {source_bytes} bytes of source)"
            )?;
            writeln!(
                out,
                "analyzer    v{} ({:?} stemming)",
                info.analyzer_version(),
                info.language()
            )?;
            writeln!(out, "updated     {}", iso_utc(updated_at))?;
            if changes.is_empty() {
                writeln!(out, "status      up to date with its corpus")?;
            } else {
                writeln!(
                    out,
                    "status      STALE: {} changed, {} new, {} removed files; run `{}`",
                    changes.changed.len(),
                    changes.added.len(),
                    changes.removed.len(),
                    reindex_command(&dir)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}

/// What `search stats --format json` prints about `index`, opened from `dir`
/// (named as given).
pub fn json_value(index: &PassageIndex, dir: &Path) -> serde_json::Value {
    let info = index.info();
    let changes = search_indexer::changes_since(info.record());
    let (root_names, roots): (Vec<&str>, Vec<&Path>) = info.roots().unzip();
    serde_json::json!({
        "index": dir.display().to_string(),
        "roots": roots,
        "root_names": root_names,
        "files": info.file_count(),
        "files_skipped": info.skipped_files().count(),
        "records_skipped": info.skipped_records().count(),
        "skipped": info.skipped().iter().map(|s| serde_json::json!({"path": s.path, "reason": s.reason})).collect::<Vec<_>>(),
        "articles": info.article_count(),
        "passages": index.passage_count(),
        "copy_groups": index.copy_stats().groups,
        "copy_group_passages": index.copy_stats().passages,
        "largest_copy_group": index.copy_stats().largest,
        "source_bytes": info.source_bytes(),
        "index_bytes": folder_size(dir),
        "analyzer_version": info.analyzer_version(),
        "language": info.language(),
        "updated_at": iso_utc(updated_at(&info)),
        "stale": !changes.is_empty(),
        "changed": changes.changed,
        "added": changes.added,
        "removed": changes.removed,
    })
}

/// When the index was last updated, in seconds since the epoch.
fn updated_at(info: &IndexInfo) -> u64 {
    info.updated_at()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
fn iso_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_utc_formats_known_instants() {
        assert_eq!(super::iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso_utc(1_795_000_000), "2026-11-18T11:06:40Z");
        assert_eq!(super::iso_utc(951_782_400), "2000-02-29T00:00:00Z");
    }
}
