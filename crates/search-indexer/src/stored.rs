//! The stored side of passage documents: passage text compressed a group of
//! passages at a time (see `search_core::stored_text`), with a dictionary trained on
//! the first megabytes of the corpus.

use std::ops::Range;

use search_core::stored_text::{
    ArticleFields, TextDictionary, TextEncoder, GROUP_BYTES, TRAINING_BYTES,
};
use tantivy::schema::Field;
use tantivy::TantivyDocument;

use crate::passage::PassageSpan;
use crate::Result;

/// A passage group: the index of its first passage, and the byte range of the
/// article text from that passage's start to its last passage's end.
pub type Group = (usize, Range<usize>);

/// Splits an article's passages (in reading order) into groups of at most
/// [`GROUP_BYTES`] of text; a longer passage is a group of its own.
pub fn groups(passages: &[PassageSpan]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (i, passage) in passages.iter().enumerate() {
        match groups.last_mut() {
            Some((_, range))
                if passage.range.start >= range.end
                    && passage.range.end - range.start <= GROUP_BYTES =>
            {
                range.end = passage.range.end;
            }
            _ => groups.push((i, passage.range.clone())),
        }
    }
    groups
}

/// Receives an article's finished documents; they must land in one segment, in
/// order (`IndexWriter::run`), because a passage finds its group's text by counting
/// back from itself.
pub type Submit<'a> = dyn FnMut(Vec<TantivyDocument>) -> Result<()> + 'a;

/// Compresses the groups of each article into their first passage's document and
/// hands the documents on.
///
/// An index without a dictionary samples the text it is given; once it has
/// [`TRAINING_BYTES`], it trains one and compresses the rest of the update with
/// it. Nothing waits for the dictionary: the sampled text itself is compressed
/// without one (a frame records whether it used one).
pub struct TextStore {
    field: Field,
    encoder: TextEncoder,
    samples: Option<Samples>,
    trained: Option<TextDictionary>,
    buffer: Vec<u8>,
}

#[derive(Default)]
struct Samples {
    text: Vec<u8>,
    sizes: Vec<usize>,
}

impl TextStore {
    /// Compresses with `dictionary`; with none, trains one when `train` is set.
    pub fn new(field: Field, dictionary: Option<&TextDictionary>, train: bool) -> TextStore {
        TextStore {
            field,
            encoder: TextEncoder::new(dictionary),
            samples: train.then(Samples::default),
            trained: None,
            buffer: Vec::new(),
        }
    }

    /// Adds the passage documents `docs` of an article whose text is `text` and
    /// whose passages form `groups`.
    pub fn add(
        &mut self,
        article: &ArticleFields,
        text: &str,
        mut docs: Vec<TantivyDocument>,
        groups: &[Group],
        submit: &mut Submit<'_>,
    ) -> Result<()> {
        for (head, range) in groups {
            let group = &text[range.clone()];
            self.encoder
                .encode(article, range.start as u64, group, &mut self.buffer);
            docs[*head].add_bytes(self.field, &self.buffer);
            if let Some(samples) = &mut self.samples {
                samples.text.extend_from_slice(group.as_bytes());
                samples.sizes.push(group.len());
            }
        }
        submit(docs)?;
        if self
            .samples
            .as_ref()
            .is_some_and(|s| s.text.len() >= TRAINING_BYTES)
        {
            let samples = self.samples.take().expect("checked above");
            self.trained = TextDictionary::train(&samples.text, &samples.sizes);
            if let Some(dictionary) = &self.trained {
                self.encoder = TextEncoder::new(Some(dictionary));
            }
        }
        Ok(())
    }

    /// The dictionary this update trained, if it trained one: its file must be
    /// written before the commit.
    pub fn finish(self) -> Option<TextDictionary> {
        self.trained
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(range: Range<usize>) -> PassageSpan {
        PassageSpan {
            range,
            paragraph: 1,
            line: 1,
            part: None,
            boilerplate: false,
        }
    }

    #[test]
    fn consecutive_passages_share_a_group_up_to_the_limit() {
        let half = GROUP_BYTES / 2;
        let passages = [
            span(0..100),
            span(102..half),
            span(half + 2..GROUP_BYTES),
            span(GROUP_BYTES + 2..GROUP_BYTES + 50),
            span(GROUP_BYTES + 52..3 * GROUP_BYTES),
            span(3 * GROUP_BYTES + 2..3 * GROUP_BYTES + 10),
        ];
        assert_eq!(
            groups(&passages),
            vec![
                (0, 0..GROUP_BYTES),
                (3, GROUP_BYTES + 2..GROUP_BYTES + 50),
                (4, GROUP_BYTES + 52..3 * GROUP_BYTES),
                (5, 3 * GROUP_BYTES + 2..3 * GROUP_BYTES + 10),
            ]
        );
    }

    #[test]
    fn every_passage_lies_inside_its_group() {
        let passages = [span(0..10), span(5..8), span(20..30)];
        let groups = groups(&passages);
        for (i, passage) in passages.iter().enumerate() {
            let (_, range) = groups.iter().rev().find(|(head, _)| *head <= i).unwrap();
            assert!(range.start <= passage.range.start && passage.range.end <= range.end);
        }
    }
}
