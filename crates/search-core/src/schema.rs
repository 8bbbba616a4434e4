//! The tantivy schema: one document per passage.
//!
//! The document store holds the passage text, compressed in groups of consecutive
//! passages, with the article fields only a citation shows (id, title, date, URL,
//! author; see [`crate::stored_text`]). What a passage needs before its text is read
//! (its place for the stable tie order, its article id for the per-article
//! roll-up, its byte range, its group) and what repeats across many articles
//! (source, authors, path) are fast fields (columns). Filters read their own
//! untokenized key fields (`source_key`, `author_key`, `url_key`, see
//! [`crate::names`]) and the date's calendar buckets (`date_bucket`, see
//! [`crate::dates::bucket_keys`]; the date itself is a column).
//!
//! Boilerplate passages are indexed in their own text field, so that ordinary
//! queries score them far below real paragraphs while the query stays a plain union
//! of term queries (which tantivy answers with block-max WAND).

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};

use crate::analyzer::ANALYZER_NAME;

/// Field handles of the passage schema, shared by the indexer and the query side.
#[derive(Debug, Clone, Copy)]
pub struct PassageFields {
    /// The text of an ordinary passage: analyzed with positions.
    pub text: Field,
    /// The text of a boilerplate passage (editor's note, credit, copyright):
    /// analyzed with positions.
    pub boilerplate_text: Field,
    /// The compressed text of a passage group, on the group's first passage only
    /// (stored; see [`crate::stored_text`]).
    pub stored_text: Field,
    /// How many documents before this passage its group's first passage is
    /// (column).
    pub group_offset: Field,
    /// The article title, analyzed, on every ordinary passage so that it counts in
    /// ranking.
    pub title: Field,
    /// The outlet as written: a column (citations, facets), not indexed.
    pub source: Field,
    /// The outlet's [`crate::names::name_key`], untokenized (`source:` filters).
    pub source_key: Field,
    /// Each author as written: a multi-valued column (facets), not indexed.
    pub author: Field,
    /// Each author's [`crate::names::name_key`], untokenized (`author:` filters).
    pub author_key: Field,
    /// The article URL's [`crate::names::url_keys`], untokenized (`url:` filters).
    pub url_key: Field,
    /// The article's date: seconds since the Unix epoch, UTC; absent when the
    /// article has none. A column (sorting, facets, checks of `date:` filters).
    pub date: Field,
    /// The date's calendar buckets ([`crate::dates::bucket_keys`]: year, month,
    /// day), untokenized: `date:` filters are unions of their postings.
    pub date_bucket: Field,
    /// The article id, untokenized (`id:` queries, grouping) and a column.
    pub doc_id: Field,
    /// The source path as given at index time, untokenized (deletes per file) and a
    /// column.
    pub path: Field,
    /// 1-based paragraph number (column).
    pub paragraph: Field,
    /// 1-based line number (column).
    pub line: Field,
    /// Byte range start (column).
    pub byte_start: Field,
    /// Byte range end, exclusive (column).
    pub byte_end: Field,
    /// Piece number of a split paragraph, 0 when the paragraph is whole (column).
    pub part: Field,
    /// 1 for boilerplate passages, else 0 (column).
    pub boilerplate: Field,
    /// Hash of the passage text, to detect stale citations (column).
    pub passage_hash: Field,
}

impl PassageFields {
    /// Builds the schema and returns it with its field handles.
    pub fn build() -> (Schema, PassageFields) {
        let analyzed = || {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let number = || NumericOptions::from(FAST);
        let mut b = Schema::builder();
        let fields = PassageFields {
            text: b.add_text_field("text", analyzed()),
            boilerplate_text: b.add_text_field("boilerplate_text", analyzed()),
            stored_text: b.add_bytes_field("stored_text", STORED),
            group_offset: b.add_u64_field("group_offset", number()),
            title: b.add_text_field("title", analyzed()),
            source: b.add_text_field("source", TextOptions::default().set_fast("raw")),
            source_key: b.add_text_field("source_key", STRING),
            author: b.add_text_field("author", TextOptions::default().set_fast("raw")),
            author_key: b.add_text_field("author_key", STRING),
            url_key: b.add_text_field("url_key", STRING),
            date: b.add_i64_field("date", number()),
            date_bucket: b.add_text_field("date_bucket", STRING),
            doc_id: b.add_text_field("doc_id", STRING.set_fast("raw")),
            path: b.add_text_field("path", STRING.set_fast("raw")),
            paragraph: b.add_u64_field("paragraph", number()),
            line: b.add_u64_field("line", number()),
            byte_start: b.add_u64_field("byte_start", number()),
            byte_end: b.add_u64_field("byte_end", number()),
            part: b.add_u64_field("part", number()),
            boilerplate: b.add_u64_field("boilerplate", NumericOptions::from(FAST | INDEXED)),
            passage_hash: b.add_u64_field("passage_hash", number()),
        };
        (b.build(), fields)
    }

    /// Looks the fields up in an existing index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<PassageFields> {
        let f = |name: &str| schema.get_field(name);
        Ok(PassageFields {
            text: f("text")?,
            boilerplate_text: f("boilerplate_text")?,
            stored_text: f("stored_text")?,
            group_offset: f("group_offset")?,
            title: f("title")?,
            source: f("source")?,
            source_key: f("source_key")?,
            author: f("author")?,
            author_key: f("author_key")?,
            url_key: f("url_key")?,
            date: f("date")?,
            date_bucket: f("date_bucket")?,
            doc_id: f("doc_id")?,
            path: f("path")?,
            paragraph: f("paragraph")?,
            line: f("line")?,
            byte_start: f("byte_start")?,
            byte_end: f("byte_end")?,
            part: f("part")?,
            boilerplate: f("boilerplate")?,
            passage_hash: f("passage_hash")?,
        })
    }
}
