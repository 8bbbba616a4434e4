//! How passage text is kept in the document store.
//!
//! Passages are short (a few hundred bytes). tantivy's own store compression works
//! on 16 KiB blocks: with LZ4 the store stayed at 0.7× the text and every fetch
//! decompressed a whole block, and its zstd option builds a fresh decompression
//! context per block (35 µs a fetch). So the store is left uncompressed and the
//! text is compressed here instead:
//!
//! - consecutive passages of one article form a *group* of at most
//!   [`GROUP_BYTES`] of text (a longer passage is a group of its own);
//! - the group's text (the article text from its first passage's start to its last
//!   passage's end) is one zstd frame, compressed with a dictionary trained on the
//!   corpus when the index was built;
//! - the frame is stored on the group's first passage, its *head*; every passage
//!   records how far back its head is (`group_offset`), and reads its own text out
//!   of the group by its byte range.
//!
//! A stored group is `LEB128(first byte offset of the group in the article text)`
//! followed by the frame. A frame made with the dictionary carries the dictionary's
//! id, so text written before an index had a dictionary still reads.

use std::cell::RefCell;
use std::num::NonZeroU32;

use zstd_safe::{CCtx, CDict, DCtx, DDict};

/// A group holds at most this much text (unless one passage alone is longer): a
/// fetch decompresses the whole group.
pub const GROUP_BYTES: usize = 16 * 1024;
/// Dictionary files are named `search-dict-<hash>.zdict`.
pub const DICTIONARY_PREFIX: &str = "search-dict-";
/// Text sampled to train a dictionary: as good a dictionary as 8 MiB gives, here,
/// and trained in a fifth of a second.
pub const TRAINING_BYTES: usize = 2 * 1024 * 1024;
/// Dictionaries are at most this large: twice the size compresses news passages
/// 7% better, half the size 8% worse.
const MAX_DICTIONARY_BYTES: usize = 256 * 1024;
/// Below this much sample text there is nothing worth learning.
const MIN_SAMPLE_BYTES: usize = 64 * 1024;
/// zstd's default level: about 200 MB/s per core here, and within a few percent of
/// the ratio of level 9 on passages.
const LEVEL: i32 = 3;
/// A stored group claiming more text than this is damaged, not large.
const MAX_GROUP_TEXT: u64 = 1 << 30;

/// Why stored text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored passage text is damaged ({0}); rebuild the index with `search index --rebuild`")]
pub struct DamagedText(pub String);

/// A zstd dictionary trained on a corpus's passages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDictionary {
    bytes: Vec<u8>,
    id: NonZeroU32,
}

impl TextDictionary {
    /// Trains a dictionary on `samples` (group texts, concatenated) of the given
    /// `sizes`. `None` when there is too little text to learn from, or when zstd
    /// finds nothing to learn.
    pub fn train(samples: &[u8], sizes: &[usize]) -> Option<TextDictionary> {
        if samples.len() < MIN_SAMPLE_BYTES {
            return None;
        }
        let capacity = (samples.len() / 8).min(MAX_DICTIONARY_BYTES);
        let mut bytes = Vec::with_capacity(capacity);
        zstd_safe::train_from_buffer(&mut bytes, samples, sizes).ok()?;
        TextDictionary::from_bytes(bytes)
    }

    /// A dictionary read back from its file; `None` if the bytes are not one.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<TextDictionary> {
        let id = zstd_safe::get_dict_id_from_dict(&bytes)?;
        Some(TextDictionary { bytes, id })
    }

    /// The dictionary's bytes, as its file holds them.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file name, derived from the content so that a new dictionary never
    /// overwrites one an older commit names.
    pub fn file_name(&self) -> String {
        format!(
            "{DICTIONARY_PREFIX}{}.zdict",
            &crate::content_hash(&self.bytes)[..16]
        )
    }
}

/// Compresses group texts (one per indexing thread of the caller; not shared).
pub struct TextEncoder {
    context: CCtx<'static>,
    dictionary: Option<CDict<'static>>,
    /// zstd writes from the start of a buffer, so frames go here first.
    frame: Vec<u8>,
}

impl TextEncoder {
    /// An encoder using `dictionary`, or plain zstd without one.
    pub fn new(dictionary: Option<&TextDictionary>) -> TextEncoder {
        TextEncoder {
            context: CCtx::create(),
            dictionary: dictionary.map(|d| CDict::create(d.bytes(), LEVEL)),
            frame: Vec::new(),
        }
    }

    /// Encodes the text of a group that starts at byte `start` of its article into
    /// `out` (cleared first).
    pub fn encode(&mut self, start: u64, text: &str, out: &mut Vec<u8>) {
        let frame = &mut self.frame;
        frame.clear();
        frame.reserve(zstd_safe::compress_bound(text.len()));
        let written = match &self.dictionary {
            Some(dictionary) => {
                self.context
                    .compress_using_cdict(frame, text.as_bytes(), dictionary)
            }
            None => self.context.compress(frame, text.as_bytes(), LEVEL),
        };
        // The buffer has compress_bound room, the only way compression fails.
        written.expect("zstd compresses into a compress_bound buffer");
        out.clear();
        write_leb128(start, out);
        out.extend_from_slice(frame);
    }
}

/// Decompresses stored groups. Shared by all threads of a reader.
pub struct TextDecoder {
    dictionary: Option<(NonZeroU32, DDict<'static>)>,
}

impl std::fmt::Debug for TextDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextDecoder")
            .field("dictionary", &self.dictionary.as_ref().map(|(id, _)| id))
            .finish()
    }
}

thread_local! {
    // A decompression context costs more to make than a passage group costs to
    // decompress; each thread keeps one.
    static CONTEXT: RefCell<DCtx<'static>> = RefCell::new(DCtx::create());
}

impl TextDecoder {
    /// A decoder for an index with `dictionary` (or without one).
    pub fn new(dictionary: Option<&TextDictionary>) -> TextDecoder {
        TextDecoder {
            dictionary: dictionary.map(|d| (d.id, DDict::create(d.bytes()))),
        }
    }

    /// Decodes a stored group: the byte offset where it starts in its article, and
    /// its text.
    pub fn decode(&self, stored: &[u8]) -> Result<(u64, String), DamagedText> {
        let damaged = |what: &str| DamagedText(what.to_string());
        let (start, frame) = read_leb128(stored).ok_or_else(|| damaged("no group offset"))?;
        let size = match zstd_safe::get_frame_content_size(frame) {
            Ok(Some(size)) if size <= MAX_GROUP_TEXT => size as usize,
            _ => return Err(damaged("no valid zstd frame header")),
        };
        let dictionary = match (zstd_safe::get_dict_id_from_frame(frame), &self.dictionary) {
            (None, _) => None,
            (Some(id), Some((ours, dictionary))) if id == *ours => Some(dictionary),
            (Some(_), _) => {
                return Err(damaged(
                    "compressed with a dictionary the index does not name",
                ))
            }
        };
        let mut text = Vec::with_capacity(size);
        let decoded = CONTEXT.with(|context| {
            let mut context = context.borrow_mut();
            match dictionary {
                Some(dictionary) => context.decompress_using_ddict(&mut text, frame, dictionary),
                None => context.decompress(&mut text, frame),
            }
        });
        if decoded != Ok(size) {
            return Err(damaged("zstd frame does not decompress"));
        }
        let text = String::from_utf8(text).map_err(|_| damaged("not UTF-8"))?;
        Ok((start, text))
    }
}

fn write_leb128(mut value: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_leb128(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, &bytes[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests;
