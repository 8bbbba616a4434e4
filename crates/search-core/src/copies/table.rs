//! The copy table on disk, and decoded for queries.
//!
//! A table is a zstd frame of tab-separated lines: `P path` for each distinct path,
//! then `M group path_number doc_id line byte_start` per member (paths and ids as
//! JSON strings). Paths repeat across members (a JSONL file holds thousands of
//! articles), so each is written once.
//!
//! Decoded, a [`Table`] keeps every member in a few flat arrays (paths once, the
//! ids in one string, members as numbers) and finds a passage's group by binary
//! search: an index whose passages are mostly copies holds hundreds of thousands
//! of members, and a query that collapses copies loads the table first.

use std::collections::HashMap;

use super::Member;
use crate::meta::content_hash;

/// Encodes `groups` (see the module documentation).
pub fn encode(groups: &[Vec<Member>]) -> Vec<u8> {
    let quote = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let mut paths: HashMap<&str, usize> = HashMap::new();
    let mut head = String::new();
    let mut body = String::new();
    for (number, group) in groups.iter().enumerate() {
        for m in group {
            let next = paths.len();
            let path = *paths.entry(&m.path).or_insert_with(|| {
                head.push_str(&format!("P\t{}\n", quote(&m.path)));
                next
            });
            body.push_str(&format!(
                "M\t{number}\t{path}\t{}\t{}\t{}\n",
                quote(&m.doc_id),
                m.line,
                m.byte_start
            ));
        }
    }
    head.push_str(&body);
    let mut out = vec![0u8; zstd_safe::compress_bound(head.len())];
    let written = zstd_safe::compress(&mut out[..], head.as_bytes(), 3)
        .expect("the buffer holds the compression bound");
    out.truncate(written);
    out
}

/// The name of the table holding `encoded`.
pub fn table_name(encoded: &[u8]) -> String {
    format!(
        "{}{}.zst",
        super::TABLE_PREFIX,
        &content_hash(encoded)[..16]
    )
}

/// A member of a group, borrowed from a [`Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberRef<'a> {
    /// The source path as given at index time.
    pub path: &'a str,
    /// The article id.
    pub doc_id: &'a str,
    /// The line the passage starts on.
    pub line: u64,
    /// The passage's first byte in the file.
    pub byte_start: u64,
}

impl MemberRef<'_> {
    /// The member, owned.
    pub fn to_member(self) -> Member {
        Member {
            path: self.path.to_string(),
            doc_id: self.doc_id.to_string(),
            line: self.line,
            byte_start: self.byte_start,
        }
    }
}

/// One member, as numbers.
#[derive(Debug, Clone, Copy)]
struct Packed {
    path: u32,
    group: u32,
    /// Its id: `ids[id_start..id_end]`.
    id_start: u32,
    id_end: u32,
    line: u64,
    byte_start: u64,
}

/// A decoded copy table.
#[derive(Debug, Default)]
pub struct Table {
    paths: Vec<String>,
    /// Path numbers, sorted by path.
    path_order: Vec<u32>,
    ids: String,
    /// Members, group after group.
    members: Vec<Packed>,
    /// Group `g` is `members[starts[g]..starts[g + 1]]`.
    starts: Vec<u32>,
    /// Member numbers, sorted by place (path number, line, byte start).
    by_place: Vec<u32>,
}

impl Table {
    /// Decodes a table written by [`encode`].
    pub fn decode(encoded: &[u8]) -> Result<Table, String> {
        let damaged = || "copy table: not a zstd frame of known size".to_string();
        let size = match zstd_safe::get_frame_content_size(encoded) {
            Ok(Some(size)) => usize::try_from(size).map_err(|_| damaged())?,
            _ => return Err(damaged()),
        };
        let mut text = vec![0u8; size];
        let read = zstd_safe::decompress(&mut text[..], encoded).map_err(|_| damaged())?;
        text.truncate(read);
        let text = std::str::from_utf8(&text).map_err(|_| damaged())?;
        let mut table = Table::default();
        for (number, line) in text.lines().enumerate() {
            table
                .read_line(line)
                .ok_or_else(|| format!("copy table line {}: malformed", number + 1))?;
        }
        let too_big = || "copy table: too many members".to_string();
        table
            .starts
            .push(u32::try_from(table.members.len()).map_err(|_| too_big())?);
        table.path_order = (0..table.paths.len() as u32).collect();
        table
            .path_order
            .sort_unstable_by(|a, b| table.paths[*a as usize].cmp(&table.paths[*b as usize]));
        table.by_place = (0..table.members.len() as u32).collect();
        let members = &table.members;
        table.by_place.sort_unstable_by_key(|m| {
            let m = &members[*m as usize];
            (m.path, m.line, m.byte_start)
        });
        Ok(table)
    }

    /// Reads one line; `None` when it is malformed.
    fn read_line(&mut self, line: &str) -> Option<()> {
        let mut cols = line.split('\t');
        match cols.next()? {
            "P" => {
                let path = unquote(cols.next()?)?;
                self.paths.push(path);
            }
            "M" => {
                let group = u32::try_from(number(cols.next()?)?).ok()?;
                let path = u32::try_from(number(cols.next()?)?).ok()?;
                if path as usize >= self.paths.len() {
                    return None;
                }
                let id = unquote(cols.next()?)?;
                let line = number(cols.next()?)?;
                let byte_start = number(cols.next()?)?;
                let groups = self.starts.len() as u32;
                if group == groups {
                    self.starts.push(u32::try_from(self.members.len()).ok()?);
                } else if group + 1 != groups {
                    return None;
                }
                let id_start = u32::try_from(self.ids.len()).ok()?;
                self.ids.push_str(&id);
                self.members.push(Packed {
                    path,
                    group,
                    id_start,
                    id_end: u32::try_from(self.ids.len()).ok()?,
                    line,
                    byte_start,
                });
            }
            _ => return None,
        }
        cols.next().is_none().then_some(())
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The members of group `group`, in index order.
    pub fn group(&self, group: usize) -> impl ExactSizeIterator<Item = MemberRef<'_>> + '_ {
        let range = self.starts[group] as usize..self.starts[group + 1] as usize;
        self.members[range].iter().map(|m| self.member(m))
    }

    /// The group of the passage at `path`, `line`, `byte_start`, if it has one.
    pub fn group_of(&self, path: &str, line: u64, byte_start: u64) -> Option<usize> {
        let at = self
            .path_order
            .binary_search_by(|p| self.paths[*p as usize].as_str().cmp(path))
            .ok()?;
        let key = (self.path_order[at], line, byte_start);
        let at = self
            .by_place
            .binary_search_by_key(&key, |m| {
                let m = &self.members[*m as usize];
                (m.path, m.line, m.byte_start)
            })
            .ok()?;
        Some(self.members[self.by_place[at] as usize].group as usize)
    }

    fn member(&self, m: &Packed) -> MemberRef<'_> {
        MemberRef {
            path: &self.paths[m.path as usize],
            doc_id: &self.ids[m.id_start as usize..m.id_end as usize],
            line: m.line,
            byte_start: m.byte_start,
        }
    }
}

fn number(col: &str) -> Option<u64> {
    col.parse().ok()
}

/// A JSON string's value; without escapes, its inside as is.
fn unquote(col: &str) -> Option<String> {
    let inside = col.strip_prefix('"')?.strip_suffix('"')?;
    if !inside.contains(['\\', '"']) {
        return Some(inside.to_string());
    }
    serde_json::from_str(col).ok()
}
