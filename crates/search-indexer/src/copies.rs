//! The copy groups of a commit (see `search_core::copies`): every live passage of
//! the committed index is read back from the store, sketched and grouped, and the
//! groups are written to a table the next commit's payload names.
//!
//! Reading back what was committed, rather than tracking what an update changed,
//! makes the groups of an update exactly those of a rebuild.

use std::collections::HashMap;
use std::path::Path;

use search_core::copies::{self, Member, Passage, Sketch};
use search_core::stored_text::{StoredGroup, TextDecoder, TextDictionary};
use search_core::PassageFields;
use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::Value;
use tantivy::{DocId, Index, ReloadPolicy, TantivyDocument};

use crate::{folder, IndexError, Result};

/// Reads every live passage of the last commit of `index` and writes its copy
/// groups' table into `dir`.
pub(crate) fn write_table(
    dir: &Path,
    index: &Index,
    dictionary: Option<&TextDictionary>,
) -> Result<CopyTable> {
    let corrupt = |reason: String| IndexError::Corrupt {
        dir: dir.to_path_buf(),
        reason,
    };
    let groups = copy_groups(index, dictionary, &corrupt)?;
    let encoded = copies::encode(&groups);
    let name = copies::table_name(&encoded);
    folder::write_atomically(dir, &name, &encoded)?;
    Ok(CopyTable {
        name,
        groups: groups.len() as u64,
        passages: groups.iter().map(|g| g.len() as u64).sum(),
        largest: groups.iter().map(|g| g.len() as u64).max().unwrap_or(0),
    })
}

/// A written copy table: its name and what it holds.
pub(crate) struct CopyTable {
    pub name: String,
    pub groups: u64,
    pub passages: u64,
    pub largest: u64,
}

/// The copy groups of the last commit of `index`, members in place order (so that
/// they do not depend on how the segments are laid out).
fn copy_groups(
    index: &Index,
    dictionary: Option<&TextDictionary>,
    corrupt: &dyn Fn(String) -> IndexError,
) -> Result<Vec<Vec<Member>>> {
    let fields = PassageFields::from_schema(&index.schema())
        .map_err(|e| corrupt(format!("the index schema: {e}")))?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let decoder = TextDecoder::new(dictionary);
    let mut members: Vec<Member> = Vec::new();
    let mut passages: Vec<Passage> = Vec::new();
    // An article lives in one segment: (segment, id ordinal) names it.
    let mut articles: HashMap<(usize, u64), u32> = HashMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let columns = Columns::open(segment);
        let mut paths: HashMap<u64, String> = HashMap::new();
        let store = segment
            .get_store_reader(16)
            .map_err(|e| corrupt(format!("the document store: {e}")))?;
        let mut group: Option<(DocId, StoredGroup)> = None;
        for doc in 0..segment.max_doc() {
            if segment.is_deleted(doc) {
                continue;
            }
            let head = doc.saturating_sub(columns.number(&columns.group_offset, doc) as DocId);
            if group.as_ref().is_none_or(|(at, _)| *at != head) {
                let stored: TantivyDocument = store.get(head)?;
                let bytes = stored
                    .get_first(fields.stored_text)
                    .and_then(|v| v.as_bytes())
                    .ok_or_else(|| corrupt(format!("passage {head} has no stored text")))?;
                let decoded = decoder.decode(bytes).map_err(|e| corrupt(e.0))?;
                group = Some((head, decoded));
            }
            let text = group.as_ref().and_then(|(_, g)| {
                g.passage(
                    columns.number(&columns.byte_start, doc),
                    columns.number(&columns.byte_end, doc),
                )
            });
            let path_ord = columns.ord(&columns.path, doc);
            let path = paths
                .entry(path_ord)
                .or_insert_with(|| columns.string(&columns.path, doc));
            let member = Member {
                path: path.clone(),
                doc_id: group
                    .as_ref()
                    .map(|(_, g)| g.article.doc_id.clone())
                    .unwrap_or_default(),
                line: columns.number(&columns.line, doc),
                byte_start: columns.number(&columns.file_start, doc),
            };
            let next = articles.len() as u32;
            let article = *articles
                .entry((ord, columns.ord(&columns.doc_id, doc)))
                .or_insert(next);
            let boilerplate = columns.number(&columns.boilerplate, doc) == 1;
            passages.push(Passage {
                article,
                sketch: text.filter(|_| !boilerplate).and_then(Sketch::of),
            });
            members.push(member);
        }
    }
    // In place order: the grouping is then the same however the index is laid out.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| members[a].cmp(&members[b]));
    let passages: Vec<Passage> = order.iter().map(|&i| passages[i].clone()).collect();
    let members: Vec<Member> = order.iter().map(|&i| members[i].clone()).collect();
    Ok(copies::groups(&passages)
        .into_iter()
        .map(|group| {
            group
                .into_iter()
                .map(|i| members[i as usize].clone())
                .collect()
        })
        .collect())
}

/// The columns a member and its text need.
struct Columns {
    path: Option<StrColumn>,
    doc_id: Option<StrColumn>,
    line: Option<Column<u64>>,
    file_start: Option<Column<u64>>,
    byte_start: Option<Column<u64>>,
    byte_end: Option<Column<u64>>,
    group_offset: Option<Column<u64>>,
    boilerplate: Option<Column<u64>>,
}

impl Columns {
    fn open(segment: &tantivy::SegmentReader) -> Columns {
        let fast = segment.fast_fields();
        let text = |name: &str| fast.str(name).ok().flatten();
        let number = |name: &str| fast.u64(name).ok();
        Columns {
            path: text("path"),
            doc_id: text("doc_id"),
            line: number("line"),
            file_start: number("byte_start"),
            byte_start: number("byte_start"),
            byte_end: number("byte_end"),
            group_offset: number("group_offset"),
            boilerplate: number("boilerplate"),
        }
    }

    fn number(&self, column: &Option<Column<u64>>, doc: DocId) -> u64 {
        column.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
    }

    fn ord(&self, column: &Option<StrColumn>, doc: DocId) -> u64 {
        column
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(u64::MAX)
    }

    fn string(&self, column: &Option<StrColumn>, doc: DocId) -> String {
        let mut out = String::new();
        if let Some(column) = column {
            if let Some(ord) = column.term_ords(doc).next() {
                let _ = column.ord_to_str(ord, &mut out);
            }
        }
        out
    }
}
