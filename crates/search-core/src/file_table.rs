//! The per-file records of an index, kept beside the segments in a table file that
//! the commit payload names.
//!
//! A corpus can have hundreds of thousands of files. Their records used to ride in
//! the commit payload, which tantivy escapes into `meta.json` and parses on every
//! open and commit; as a table of tab-separated lines (paths and reasons as JSON
//! strings) they cost a fraction of that, and `meta.json` stays small.
//! The table's name is derived from its content, so a commit never overwrites the
//! table another commit names.

use crate::meta::{content_hash, FileRecord, SkippedFile};

/// Table files are named `search-files-<hash>.tsv`.
pub const TABLE_PREFIX: &str = "search-files-";

/// Encodes the records, one line each: `F path size mtime hash articles passages`
/// for indexed files, `S path size mtime reason` for skipped ones.
pub fn encode(files: &[FileRecord], skipped: &[SkippedFile]) -> String {
    let quote = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let mut out = String::with_capacity(files.len() * 120);
    for f in files {
        out.push_str(&format!(
            "F\t{}\t{}\t{}\t{}\t{}\t{}\n",
            quote(&f.path),
            f.size,
            f.mtime_ns,
            f.hash,
            f.articles,
            f.passages
        ));
    }
    for s in skipped {
        out.push_str(&format!(
            "S\t{}\t{}\t{}\t{}\n",
            quote(&s.path),
            s.size,
            s.mtime_ns,
            quote(&s.reason)
        ));
    }
    out
}

/// The name of the table holding `encoded`.
pub fn table_name(encoded: &str) -> String {
    format!(
        "{TABLE_PREFIX}{}.tsv",
        &content_hash(encoded.as_bytes())[..16]
    )
}

/// Decodes a table written by [`encode`].
pub fn decode(text: &str) -> Result<(Vec<FileRecord>, Vec<SkippedFile>), String> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let bad = || format!("file table line {}: malformed", number + 1);
        let cols: Vec<&str> = line.split('\t').collect();
        let text_at = |i: usize| -> Result<String, String> {
            serde_json::from_str(cols.get(i).ok_or_else(bad)?).map_err(|_| bad())
        };
        let number_at = |i: usize| -> Result<u128, String> {
            cols.get(i).ok_or_else(bad)?.parse().map_err(|_| bad())
        };
        match cols.first() {
            Some(&"F") if cols.len() == 7 => files.push(FileRecord {
                path: text_at(1)?,
                size: number_at(2)? as u64,
                mtime_ns: number_at(3)?,
                hash: cols[4].to_string(),
                articles: number_at(5)? as u64,
                passages: number_at(6)? as u64,
            }),
            Some(&"S") if cols.len() == 5 => skipped.push(SkippedFile {
                path: text_at(1)?,
                size: number_at(2)? as u64,
                mtime_ns: number_at(3)?,
                reason: text_at(4)?,
            }),
            _ => return Err(bad()),
        }
    }
    Ok((files, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_with_awkward_paths() {
        let files = vec![FileRecord {
            path: "dir with\ttab/ü \"q\".txt".into(),
            size: 12,
            mtime_ns: 1_700_000_000_123_456_789,
            hash: "ab".repeat(32),
            articles: 1,
            passages: 7,
        }];
        let skipped = vec![SkippedFile {
            path: "bad.txt".into(),
            size: 3,
            mtime_ns: 5,
            reason: "not valid UTF-8\n(first bad byte at 0)".into(),
        }];
        let encoded = encode(&files, &skipped);
        assert_eq!(decode(&encoded).unwrap(), (files, skipped));
        assert!(table_name(&encoded).starts_with(TABLE_PREFIX));
        assert!(decode("X\tnope").is_err());
    }
}
