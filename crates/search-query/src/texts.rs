//! Passage text and citations, read out of the passage's group in the document
//! store (see `search_core::stored_text`) and its columns.

use search_core::stored_text::{DamagedText, StoredGroup, TextDecoder};
use search_core::{passage_hash, Citation, PassageFields};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, TantivyError};

use crate::columns::SegmentColumns;

/// Reads passages of one commit (whose dictionary the decoder holds).
#[derive(Debug)]
pub struct PassageTexts {
    decoder: TextDecoder,
    stored_text: Field,
}

/// The last group read, by its first passage's address. Passages of one group are
/// often read one after the other.
pub type GroupCache = Option<(DocAddress, StoredGroup)>;

impl PassageTexts {
    /// Reads with `decoder`.
    pub fn new(decoder: TextDecoder, fields: &PassageFields) -> PassageTexts {
        PassageTexts {
            decoder,
            stored_text: fields.stored_text,
        }
    }

    /// The text and citation of passage `address`.
    pub fn read(
        &self,
        searcher: &Searcher,
        columns: &SegmentColumns,
        address: DocAddress,
    ) -> tantivy::Result<(String, Citation)> {
        self.read_cached(searcher, columns, address, &mut None)
    }

    /// [`PassageTexts::read`], reusing `cache` when the passage is in the group read
    /// last.
    pub fn read_cached(
        &self,
        searcher: &Searcher,
        columns: &SegmentColumns,
        address: DocAddress,
        cache: &mut GroupCache,
    ) -> tantivy::Result<(String, Citation)> {
        let damaged = |what: String| TantivyError::InternalError(DamagedText(what).to_string());
        let (offset, start, end) = columns.text_span(address.doc_id);
        let head = address
            .doc_id
            .checked_sub(offset)
            .map(|doc_id| DocAddress::new(address.segment_ord, doc_id))
            .ok_or_else(|| damaged(format!("passage {address:?} has no group")))?;
        if cache.as_ref().is_none_or(|(cached, _)| *cached != head) {
            let stored: TantivyDocument = searcher.doc(head)?;
            let bytes = stored
                .get_first(self.stored_text)
                .and_then(|v| v.as_bytes())
                .ok_or_else(|| damaged(format!("passage group {head:?} has no stored text")))?;
            let group = self
                .decoder
                .decode(bytes)
                .map_err(|e| TantivyError::InternalError(e.to_string()))?;
            *cache = Some((head, group));
        }
        let (_, group) = cache.as_ref().expect("just filled");
        let text = group
            .passage(start, end)
            .ok_or_else(|| damaged(format!("passage {address:?} lies outside its group")))?;
        // Stored bytes that decode but are not what was indexed (a flipped bit in
        // the store or a column) must not pass for the passage.
        if passage_hash(text) != columns.passage_hash(address.doc_id) {
            return Err(damaged(format!(
                "passage {address:?} does not match its hash"
            )));
        }
        let citation = columns.citation(address.doc_id, &group.article);
        Ok((text.to_string(), citation))
    }
}
