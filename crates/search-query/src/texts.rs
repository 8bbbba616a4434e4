//! Passage text and citations, read out of the passage's group in the document
//! store (see `search_core::stored_text`) and its columns.

use search_core::stored_text::{DamagedText, StoredGroup, TextDecoder};
use search_core::{passage_hash, Citation, PassageFields};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, TantivyError};

use crate::columns::SegmentColumns;
use crate::error::Failure;

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
    ) -> Result<(String, Citation), Failure> {
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
    ) -> Result<(String, Citation), Failure> {
        let damaged = |what: String| Failure::from(DamagedText(what));
        let passage = format!(
            "passage {} of segment {}",
            address.doc_id, address.segment_ord
        );
        let (offset, start, end) = columns.text_span(address.doc_id);
        let head = address
            .doc_id
            .checked_sub(offset)
            .map(|doc_id| DocAddress::new(address.segment_ord, doc_id))
            .ok_or_else(|| damaged(format!("{passage} has no group")))?;
        let group = match cache {
            Some((cached, group)) if *cached == head => group,
            _ => {
                // The group's head exists (its columns say so): a store that cannot
                // find it has a damaged skip index.
                let stored: TantivyDocument = searcher.doc(head).map_err(|e| match e {
                    TantivyError::InvalidArgument(what) => {
                        damaged(format!("the document store: {what}"))
                    }
                    other => Failure::from(other),
                })?;
                let bytes = stored
                    .get_first(self.stored_text)
                    .and_then(|v| v.as_bytes())
                    .ok_or_else(|| {
                        damaged(format!(
                            "the group of {passage} (passage {}) has no stored text",
                            head.doc_id
                        ))
                    })?;
                let group = self.decoder.decode(bytes)?;
                &cache.insert((head, group)).1
            }
        };
        let text = group
            .passage(start, end)
            .ok_or_else(|| damaged(format!("{passage} lies outside its group")))?;
        // Stored bytes that decode but are not what was indexed (a flipped bit in
        // the store or a column) must not pass for the passage.
        if passage_hash(text) != columns.passage_hash(address.doc_id) {
            return Err(damaged(format!("{passage} does not match its hash")));
        }
        let citation = columns.citation(address.doc_id, &group.article);
        Ok((text.to_string(), citation))
    }
}
