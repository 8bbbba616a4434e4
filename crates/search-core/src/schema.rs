//! The tantivy schema: one document per passage.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use crate::analyzer::ANALYZER_NAME;

/// Field handles of the passage schema, shared by the indexer and the query side.
#[derive(Debug, Clone, Copy)]
pub struct PassageFields {
    /// The passage text: analyzed with positions, stored for snippets and citations.
    pub text: Field,
    /// The article title, repeated on each passage so that it counts in ranking.
    pub title: Field,
    /// The outlet, analyzed so `source:reuters` works.
    pub source: Field,
    /// The article id, untokenized (`id:` queries, grouping, deletes).
    pub doc_id: Field,
    /// The source path as given at index time, untokenized (deletes per file).
    pub path: Field,
    /// 1-based paragraph number.
    pub paragraph: Field,
    /// 1-based line number.
    pub line: Field,
    /// Byte range start.
    pub byte_start: Field,
    /// Byte range end (exclusive).
    pub byte_end: Field,
    /// Piece number of a split paragraph, 0 when the paragraph is whole.
    pub part: Field,
    /// 1 for boilerplate lines (editor's notes, credits, copyright), else 0.
    pub boilerplate: Field,
    /// Hash of the passage text, to detect stale citations.
    pub passage_hash: Field,
    /// The article date, stored only.
    pub date: Field,
    /// The article URL, stored only.
    pub url: Field,
    /// The article author, stored only.
    pub author: Field,
}

impl PassageFields {
    /// Builds the schema and returns it with its field handles.
    pub fn build() -> (Schema, PassageFields) {
        let analyzed = |stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let mut b = Schema::builder();
        let fields = PassageFields {
            text: b.add_text_field("text", analyzed(true)),
            title: b.add_text_field("title", analyzed(true)),
            source: b.add_text_field("source", analyzed(true)),
            doc_id: b.add_text_field("doc_id", STRING | STORED | FAST),
            path: b.add_text_field("path", STRING | STORED),
            paragraph: b.add_u64_field("paragraph", STORED),
            line: b.add_u64_field("line", STORED),
            byte_start: b.add_u64_field("byte_start", STORED),
            byte_end: b.add_u64_field("byte_end", STORED),
            part: b.add_u64_field("part", STORED),
            boilerplate: b.add_u64_field("boilerplate", STORED | FAST | INDEXED),
            passage_hash: b.add_u64_field("passage_hash", STORED),
            date: b.add_text_field("date", STORED),
            url: b.add_text_field("url", STORED),
            author: b.add_text_field("author", STORED),
        };
        (b.build(), fields)
    }

    /// Looks the fields up in an existing index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<PassageFields> {
        let f = |name: &str| schema.get_field(name);
        Ok(PassageFields {
            text: f("text")?,
            title: f("title")?,
            source: f("source")?,
            doc_id: f("doc_id")?,
            path: f("path")?,
            paragraph: f("paragraph")?,
            line: f("line")?,
            byte_start: f("byte_start")?,
            byte_end: f("byte_end")?,
            part: f("part")?,
            boilerplate: f("boilerplate")?,
            passage_hash: f("passage_hash")?,
            date: f("date")?,
            url: f("url")?,
            author: f("author")?,
        })
    }
}
