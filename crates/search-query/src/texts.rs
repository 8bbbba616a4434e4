//! Passage text, read out of its group in the document store (see
//! `search_core::stored_text`).

use search_core::stored_text::TextDecoder;
use search_core::PassageFields;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, TantivyError};

use crate::columns::SegmentColumns;

/// Reads passage text for one commit (whose dictionary the decoder holds).
#[derive(Debug)]
pub struct PassageTexts {
    decoder: TextDecoder,
    stored_text: Field,
}

/// The last group read: its head's address, where it starts, its text. Passages of
/// one group are often read one after the other.
pub type GroupCache = Option<(DocAddress, u64, String)>;

impl PassageTexts {
    /// Reads with `decoder`.
    pub fn new(decoder: TextDecoder, fields: &PassageFields) -> PassageTexts {
        PassageTexts {
            decoder,
            stored_text: fields.stored_text,
        }
    }

    /// The text of passage `address`.
    pub fn fetch(
        &self,
        searcher: &Searcher,
        columns: &SegmentColumns,
        address: DocAddress,
    ) -> tantivy::Result<String> {
        self.fetch_cached(searcher, columns, address, &mut None)
    }

    /// [`PassageTexts::fetch`], reusing `cache` when the passage is in the group
    /// read last.
    pub fn fetch_cached(
        &self,
        searcher: &Searcher,
        columns: &SegmentColumns,
        address: DocAddress,
        cache: &mut GroupCache,
    ) -> tantivy::Result<String> {
        let damaged = |what: String| TantivyError::InternalError(what);
        let (offset, start, end) = columns.text_span(address.doc_id);
        let head = address
            .doc_id
            .checked_sub(offset)
            .map(|doc_id| DocAddress::new(address.segment_ord, doc_id))
            .ok_or_else(|| damaged(format!("passage {address:?} has no group")))?;
        if cache.as_ref().is_none_or(|(cached, _, _)| *cached != head) {
            let stored: TantivyDocument = searcher.doc(head)?;
            let bytes = stored
                .get_first(self.stored_text)
                .and_then(|v| v.as_bytes())
                .ok_or_else(|| damaged(format!("passage group {head:?} has no stored text")))?;
            let (group_start, text) = self
                .decoder
                .decode(bytes)
                .map_err(|e| damaged(e.to_string()))?;
            *cache = Some((head, group_start, text));
        }
        let (_, group_start, text) = cache.as_ref().expect("just filled");
        let range = start
            .checked_sub(*group_start)
            .zip(end.checked_sub(*group_start));
        range
            .and_then(|(from, to)| text.get(from as usize..to as usize))
            .map(str::to_string)
            .ok_or_else(|| damaged(format!("passage {address:?} lies outside its group")))
    }
}
