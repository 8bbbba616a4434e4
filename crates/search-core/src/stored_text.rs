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
//!   corpus (by the first build or rebuild, or by the first update of an index that
//!   has none which brings enough text);
//! - the frame is stored on the group's first passage, its *head*; every passage
//!   records how far back its head is (`group_offset`), and reads its own text out
//!   of the group by its byte range.
//!
//! Each group also carries its article's fields that a citation shows and no query
//! needs (id, title, date, URL, author): read from a column, each would cost a
//! dictionary lookup per hit (a sixth of query time); here they come with the text,
//! compressed with it.
//!
//! A stored group is `LEB128(first byte offset of the group in the article text)`,
//! `LEB128(length of the encoded fields)`, then one zstd frame holding the encoded
//! fields followed by the group's text. A frame made with the dictionary carries the
//! dictionary's id, so text written before an index had a dictionary still reads.

use std::cell::RefCell;
use std::num::NonZeroU32;

use zstd_safe::{CCtx, CParameter, DCtx, DDict};

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
/// A stored group claiming more than this (text and article fields) is damaged, not
/// large: a group is at most one paragraph over [`GROUP_BYTES`].
const MAX_GROUP_CONTENT: u64 = 16 << 20;

/// Why stored text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored passage text is damaged ({0})")]
pub struct DamagedText(pub String);

/// The fields of an article that every stored group of it carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFields {
    /// The article id.
    pub doc_id: String,
    /// The title as written.
    pub title: Option<String>,
    /// The date in its normalised ISO 8601 form (see [`crate::dates`]).
    pub date: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// The authors, in the order the source gives them.
    pub authors: Vec<String>,
}

/// A stored group, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGroup {
    /// Where the group starts in its article's text (byte offset).
    pub start: u64,
    /// The article's fields.
    pub article: ArticleFields,
    /// The group's text: the article text from `start` on.
    pub text: String,
}

impl StoredGroup {
    /// The text at byte range `start..end` of the article, if it lies in this group
    /// (on character boundaries).
    pub fn passage(&self, start: u64, end: u64) -> Option<&str> {
        let from = usize::try_from(start.checked_sub(self.start)?).ok()?;
        let to = usize::try_from(end.checked_sub(self.start)?).ok()?;
        self.text.get(from..to)
    }
}

impl ArticleFields {
    /// Each field as `LEB128(length + 1)` and its bytes; `0` for a missing one.
    fn encode(&self, out: &mut Vec<u8>) {
        // Authors share one slot, one per line (a name has no line break).
        let authors = (!self.authors.is_empty()).then(|| self.authors.join("\n"));
        let fields = [
            Some(&self.doc_id),
            self.title.as_ref(),
            self.date.as_ref(),
            self.url.as_ref(),
            authors.as_ref(),
        ];
        for field in fields {
            match field {
                Some(value) => {
                    write_leb128(value.len() as u64 + 1, out);
                    out.extend_from_slice(value.as_bytes());
                }
                None => write_leb128(0, out),
            }
        }
    }

    fn decode(mut bytes: &[u8]) -> Option<ArticleFields> {
        let mut next = || -> Option<Option<String>> {
            let (length, rest) = read_leb128(bytes)?;
            let Some(length) = (length as usize).checked_sub(1) else {
                bytes = rest;
                return Some(None);
            };
            let value = rest.get(..length)?;
            bytes = &rest[length..];
            Some(Some(std::str::from_utf8(value).ok()?.to_string()))
        };
        let fields = ArticleFields {
            doc_id: next()??,
            title: next()?,
            date: next()?,
            url: next()?,
            authors: next()?
                .map(|all| all.split('\n').map(str::to_string).collect())
                .unwrap_or_default(),
        };
        bytes.is_empty().then_some(fields)
    }
}

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
        // Loading checks the entropy tables too: a damaged file is refused here,
        // where zstd-safe's infallible constructors would panic later.
        let mut context = DCtx::try_create()?;
        context.load_dictionary(&bytes).ok()?;
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

/// Compresses group texts.
pub struct TextEncoder {
    /// Holds the level, the checksum flag and the dictionary (loaded once).
    context: CCtx<'static>,
    /// The frame's content, assembled.
    content: Vec<u8>,
    /// zstd writes from the start of a buffer, so frames go here first.
    frame: Vec<u8>,
}

impl TextEncoder {
    /// An encoder using `dictionary`, or plain zstd without one.
    pub fn new(dictionary: Option<&TextDictionary>) -> TextEncoder {
        let mut context = CCtx::create();
        // Both only fail for values out of zstd's range, which these are not.
        let _ = context.set_parameter(CParameter::CompressionLevel(LEVEL));
        // Every frame ends with a checksum of its content (4 bytes), which zstd
        // checks when decompressing: damage is caught even in the article fields,
        // which the passage hashes do not cover.
        let _ = context.set_parameter(CParameter::ChecksumFlag(true));
        // A dictionary zstd cannot load would only cost ratio: frames record
        // whether they used one.
        if let Some(dictionary) = dictionary {
            if context.load_dictionary(dictionary.bytes()).is_err() {
                let _ = context.reset(zstd_safe::ResetDirective::Parameters);
                let _ = context.set_parameter(CParameter::CompressionLevel(LEVEL));
                let _ = context.set_parameter(CParameter::ChecksumFlag(true));
            }
        }
        TextEncoder {
            context,
            content: Vec::new(),
            frame: Vec::new(),
        }
    }

    /// Encodes a group of `article` whose text `text` starts at byte `start` of the
    /// article text into `out` (cleared first).
    pub fn encode(&mut self, article: &ArticleFields, start: u64, text: &str, out: &mut Vec<u8>) {
        let content = &mut self.content;
        content.clear();
        article.encode(content);
        let fields_length = content.len();
        content.extend_from_slice(text.as_bytes());
        let frame = &mut self.frame;
        frame.clear();
        frame.reserve(zstd_safe::compress_bound(content.len()));
        let written = self.context.compress2(frame, content);
        // The buffer has compress_bound room, the only way compression fails.
        written.expect("zstd compresses into a compress_bound buffer");
        out.clear();
        write_leb128(start, out);
        write_leb128(fields_length as u64, out);
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

    /// Decodes a stored group.
    pub fn decode(&self, stored: &[u8]) -> Result<StoredGroup, DamagedText> {
        let damaged = |what: &str| DamagedText(what.to_string());
        let (start, rest) = read_leb128(stored).ok_or_else(|| damaged("no group offset"))?;
        let (fields_length, frame) =
            read_leb128(rest).ok_or_else(|| damaged("no article fields length"))?;
        let size = match zstd_safe::get_frame_content_size(frame) {
            Ok(Some(size)) if size <= MAX_GROUP_CONTENT => size as usize,
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
        let fields_length = usize::try_from(fields_length)
            .ok()
            .filter(|&n| n <= text.len())
            .ok_or_else(|| damaged("article fields longer than the group"))?;
        let article = ArticleFields::decode(&text[..fields_length])
            .ok_or_else(|| damaged("article fields do not parse"))?;
        text.drain(..fields_length);
        let text = String::from_utf8(text).map_err(|_| damaged("not UTF-8"))?;
        Ok(StoredGroup {
            start,
            article,
            text,
        })
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
