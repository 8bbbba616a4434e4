//! Reading a passage's columns (see `search_core::schema`): its place, article id,
//! source, path, byte range and group; with the article fields its stored group
//! carries, they make its citation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use search_core::stored_text::ArticleFields;
use search_core::Citation;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

/// The citation columns of one segment.
pub struct SegmentColumns {
    doc_id: Option<StrColumn>,
    source: Option<StrColumn>,
    path: Option<StrColumn>,
    paragraph: Option<Column<u64>>,
    line: Option<Column<u64>>,
    byte_start: Option<Column<u64>>,
    byte_end: Option<Column<u64>>,
    part: Option<Column<u64>>,
    boilerplate: Option<Column<u64>>,
    passage_hash: Option<Column<u64>>,
    group_offset: Option<Column<u64>>,
    /// Strings already read from the dictionaries, by (column, ordinal): sources
    /// and paths repeat across hits and queries, and a dictionary lookup decodes a
    /// block.
    pub(crate) strings: Mutex<HashMap<(u8, u64), Arc<str>>>,
}

/// Beyond this many entries the string cache starts over, bounding its memory.
const MAX_CACHED_STRINGS: usize = 200_000;

impl SegmentColumns {
    /// Opens the columns of `segment`. A column no document filled is absent.
    pub fn open(segment: &SegmentReader) -> SegmentColumns {
        let fast = segment.fast_fields();
        let text = |name: &str| fast.str(name).ok().flatten();
        let number = |name: &str| fast.u64(name).ok();
        SegmentColumns {
            doc_id: text("doc_id"),
            source: text("source"),
            path: text("path"),
            paragraph: number("paragraph"),
            line: number("line"),
            byte_start: number("byte_start"),
            byte_end: number("byte_end"),
            part: number("part"),
            boilerplate: number("boilerplate"),
            passage_hash: number("passage_hash"),
            group_offset: number("group_offset"),
            strings: Mutex::new(HashMap::new()),
        }
    }

    /// The citation of passage `doc` of `article` (the fields its stored group
    /// carries).
    pub fn citation(&self, doc: DocId, article: &ArticleFields) -> Citation {
        let part = number(&self.part, doc);
        Citation {
            doc_id: article.doc_id.clone(),
            title: article.title.clone(),
            source: self.text(2, &self.source, doc),
            path: self.text(3, &self.path, doc).unwrap_or_default(),
            paragraph: number(&self.paragraph, doc),
            line: number(&self.line, doc),
            byte_start: number(&self.byte_start, doc) as usize,
            byte_end: number(&self.byte_end, doc) as usize,
            part: (part > 0).then_some(part),
            date: article.date.clone(),
            url: article.url.clone(),
            author: (!article.authors.is_empty()).then(|| article.authors.join(", ")),
            authors: (article.authors.len() > 1).then(|| article.authors.clone()),
        }
    }

    /// The article id of passage `doc`.
    pub fn doc_id(&self, doc: DocId) -> String {
        self.text(0, &self.doc_id, doc).unwrap_or_default()
    }

    /// The outlet of passage `doc`'s article, if known.
    pub fn source(&self, doc: DocId) -> Option<String> {
        self.text(2, &self.source, doc)
    }

    /// Whether passage `doc` is boilerplate.
    pub fn boilerplate(&self, doc: DocId) -> bool {
        number(&self.boilerplate, doc) == 1
    }

    /// Where passage `doc` is: path, line, byte start (a stable, unique order).
    pub fn place(&self, doc: DocId) -> (String, u64, u64) {
        (
            self.text(3, &self.path, doc).unwrap_or_default(),
            number(&self.line, doc),
            number(&self.byte_start, doc),
        )
    }

    /// [`SegmentColumns::place`] as numbers, in the same order within this segment
    /// (a path's dictionary ordinal orders paths as their strings do).
    pub fn place_key(&self, doc: DocId) -> (u64, u64, u64) {
        let path = self
            .path
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(0);
        (path, number(&self.line, doc), number(&self.byte_start, doc))
    }

    /// Where passage `doc`'s text is: how many documents back its group's head is,
    /// and its byte range in the article text.
    pub fn text_span(&self, doc: DocId) -> (DocId, u64, u64) {
        (
            number(&self.group_offset, doc) as DocId,
            number(&self.byte_start, doc),
            number(&self.byte_end, doc),
        )
    }

    /// The stored hash of passage `doc`'s text.
    pub fn passage_hash(&self, doc: DocId) -> u64 {
        number(&self.passage_hash, doc)
    }
}

fn number(column: &Option<Column<u64>>, doc: DocId) -> u64 {
    column.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
}

impl SegmentColumns {
    /// The string of `doc` in `column` (numbered `id` for the cache).
    fn text(&self, id: u8, column: &Option<StrColumn>, doc: DocId) -> Option<String> {
        let column = column.as_ref()?;
        let ord = column.term_ords(doc).next()?;
        // A cache: if a panic poisoned it, what it holds is still right.
        let mut strings = self
            .strings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = strings.get(&(id, ord)) {
            return Some(found.to_string());
        }
        let mut out = String::new();
        column
            .ord_to_str(ord, &mut out)
            .ok()
            .filter(|&found| found)?;
        if strings.len() >= MAX_CACHED_STRINGS {
            strings.clear();
        }
        strings.insert((id, ord), Arc::from(out.as_str()));
        Some(out)
    }
}
