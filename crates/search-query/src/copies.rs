//! Copy groups on the query side: the table the commit names (see
//! `search_core::copies`), loaded with the commit's generation; which group a
//! passage is in; a group's members as citations; collapsing a ranked list to one
//! passage per group.

use std::path::Path;

use search_core::copies::{MemberRef, Table};
use search_core::{Citation, IndexMeta};
use tantivy::query::{EnableScoring, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, Term, TERMINATED};

use crate::columns::SegmentColumns;
use crate::error::{Failure, Result};
use crate::index::{Generation, PassageIndex};
use crate::texts::PassageTexts;

/// The copy groups of one commit.
#[derive(Debug, Default)]
pub struct CopyGroups {
    table: Table,
}

/// A group of near-duplicate passages of different articles (syndicated copies),
/// as the index found them: two or more members, in index order.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyGroup {
    /// The members' citations.
    pub members: Vec<Citation>,
}

impl CopyGroups {
    /// The groups of the commit `meta` describes (none when it names no table).
    pub fn load(searcher: &Searcher, meta: &IndexMeta) -> std::result::Result<CopyGroups, Failure> {
        use tantivy::Directory;
        let Some(name) = &meta.copies_table else {
            return Ok(CopyGroups::default());
        };
        let bytes = searcher
            .index()
            .directory()
            .atomic_read(Path::new(name))
            .map_err(|e| {
                Failure::from(tantivy::TantivyError::InternalError(format!(
                    "copy table: {e}"
                )))
            })?;
        let table = Table::decode(&bytes)
            .map_err(|e| Failure::from(tantivy::TantivyError::InternalError(e)))?;
        Ok(CopyGroups { table })
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// The members of group `group`, in index order.
    pub fn group(&self, group: usize) -> impl ExactSizeIterator<Item = MemberRef<'_>> + '_ {
        self.table.group(group)
    }

    /// The group of the passage at `place` (path, line, byte start), if any.
    pub fn group_of(&self, place: &(String, u64, u64)) -> Option<usize> {
        self.table.group_of(&place.0, place.1, place.2)
    }

    /// The other members of the group of the passage at `place` (none when it has
    /// no group).
    pub fn others<'a>(
        &'a self,
        place: &'a (String, u64, u64),
    ) -> impl Iterator<Item = MemberRef<'a>> + 'a {
        self.group_of(place)
            .into_iter()
            .flat_map(|group| self.table.group(group))
            .filter(move |m| (m.path, m.line, m.byte_start) != (place.0.as_str(), place.1, place.2))
    }
}

/// Reads members' citations, finding each by its article id.
pub struct MemberReader<'a> {
    /// The commit's searcher.
    pub searcher: &'a Searcher,
    /// Its columns.
    pub columns: &'a [SegmentColumns],
    /// Its passage texts.
    pub texts: &'a PassageTexts,
    /// The `doc_id` field.
    pub doc_id: tantivy::schema::Field,
}

impl MemberReader<'_> {
    /// The citation of `member`; `None` if the commit no longer holds it.
    pub fn citation(
        &self,
        member: MemberRef<'_>,
    ) -> std::result::Result<Option<Citation>, Failure> {
        match self.address(member)? {
            Some(address) => {
                let columns = &self.columns[address.segment_ord as usize];
                let (_, citation) = self.texts.read(self.searcher, columns, address)?;
                Ok(Some(citation))
            }
            None => Ok(None),
        }
    }

    /// The outlet of `member`'s article (from its column: no text is read).
    pub fn source(&self, member: MemberRef<'_>) -> std::result::Result<Option<String>, Failure> {
        Ok(self
            .address(member)?
            .and_then(|a| self.columns[a.segment_ord as usize].source(a.doc_id)))
    }

    /// Where `member` is in the commit; `None` if the commit no longer holds it.
    fn address(&self, member: MemberRef<'_>) -> std::result::Result<Option<DocAddress>, Failure> {
        let term = Term::from_field_text(self.doc_id, member.doc_id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let weight = query.weight(EnableScoring::disabled_from_searcher(self.searcher))?;
        for (ord, reader) in self.searcher.segment_readers().iter().enumerate() {
            let columns = &self.columns[ord];
            let mut docs = weight.scorer(reader, 1.0)?;
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if !reader.is_deleted(doc) {
                    let (path, line, start) = columns.place(doc);
                    if path == member.path && line == member.line && start == member.byte_start {
                        return Ok(Some(DocAddress::new(ord as u32, doc)));
                    }
                }
                doc = docs.advance();
            }
        }
        Ok(None)
    }
}

/// How many copy groups an index holds, and the size of the largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CopyStats {
    /// Copy groups (two or more passages each).
    pub groups: usize,
    /// Passages in the largest group (0 without groups).
    pub largest: usize,
    /// Passages in some group.
    pub passages: usize,
}

impl PassageIndex {
    /// Every copy group of the index, members in index order (see
    /// [`SearchOptions::collapse`](crate::SearchOptions::collapse)).
    pub fn copy_groups(&self) -> Result<Vec<CopyGroup>> {
        let snapshot = self.snapshot();
        let generation = self.generation(&snapshot)?;
        self.guard(|| {
            let reader = self.member_reader(&snapshot.searcher, &generation);
            let groups = generation.copies(&snapshot.searcher, &snapshot.meta)?;
            (0..groups.len())
                .map(|group| {
                    let members_of = groups.group(group);
                    let mut members = Vec::with_capacity(members_of.len());
                    for member in members_of {
                        members.extend(reader.citation(member)?);
                    }
                    Ok(CopyGroup { members })
                })
                .collect()
        })
    }

    /// How many copy groups the index holds.
    pub fn copy_stats(&self) -> CopyStats {
        let meta = &self.snapshot().meta;
        CopyStats {
            groups: meta.copy_groups as usize,
            largest: meta.largest_copy_group as usize,
            passages: meta.copy_group_passages as usize,
        }
    }

    /// The other members of the copy group of the passage `citation` cites (empty
    /// when it has none).
    pub fn copies_of(&self, citation: &Citation) -> Result<Vec<Citation>> {
        let snapshot = self.snapshot();
        let generation = self.generation(&snapshot)?;
        let place = (
            citation.path.clone(),
            citation.line,
            citation.byte_start as u64,
        );
        self.guard(|| {
            let groups = generation.copies(&snapshot.searcher, &snapshot.meta)?;
            let reader = self.member_reader(&snapshot.searcher, &generation);
            let mut copies = Vec::new();
            for member in groups.others(&place) {
                copies.extend(reader.citation(member)?);
            }
            Ok(copies)
        })
    }

    fn member_reader<'a>(
        &self,
        searcher: &'a Searcher,
        generation: &'a Generation,
    ) -> MemberReader<'a> {
        MemberReader {
            searcher,
            columns: &generation.columns,
            texts: &generation.texts,
            doc_id: self.fields().doc_id,
        }
    }
}
