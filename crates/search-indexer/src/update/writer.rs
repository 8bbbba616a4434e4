//! The writing side of an update: tantivy's writer, made only when something must
//! be written, and the documents of an article handed to it as one batch.

use search_core::dates::bucket_keys;
use search_core::names::{name_key, url_keys};
use search_core::{passage_hash, PassageFields};
use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::article::Article;
use crate::ids::IdLedger;
use crate::stored::{self, TextStore};
use crate::update::DuplicateId;
use crate::Result;

/// The index writer, made on first use.
pub(super) struct LazyWriter<'a> {
    pub(super) index: &'a Index,
    pub(super) threads: usize,
    pub(super) budget: usize,
    /// Delete every document first (a rebuild).
    pub(super) clear_first: bool,
    pub(super) writer: Option<IndexWriter<TantivyDocument>>,
}

impl LazyWriter<'_> {
    pub(super) fn get(&mut self) -> Result<&mut IndexWriter<TantivyDocument>> {
        if self.writer.is_none() {
            let writer = self
                .index
                .writer_with_num_threads(self.threads, self.budget)?;
            if self.clear_first {
                writer.delete_all_documents()?;
            }
            self.writer = Some(writer);
        }
        Ok(self.writer.as_mut().expect("just made"))
    }
}

pub(super) struct DocWriter<'w, 'a> {
    pub(super) writer: &'w mut LazyWriter<'a>,
    pub(super) fields: PassageFields,
    pub(super) store: TextStore,
    pub(super) ids: IdLedger,
}

impl DocWriter<'_, '_> {
    pub(super) fn delete_file(&mut self, path: &str) -> Result<()> {
        let term = Term::from_field_text(self.fields.path, path);
        self.writer.get()?.delete_term(term);
        Ok(())
    }

    /// The dictionary the update trained, if any, and the ids found twice
    /// (`unchanged`: the files kept as they were).
    pub(super) fn finish(
        self,
        unchanged: &std::collections::HashSet<String>,
    ) -> (
        Option<search_core::stored_text::TextDictionary>,
        Vec<DuplicateId>,
    ) {
        (self.store.finish(), self.ids.finish(unchanged))
    }

    pub(super) fn add_article(&mut self, article: &Article, path: &str) -> Result<u64> {
        self.ids.note(article, path);
        let f = &self.fields;
        let groups = stored::groups(&article.passages);
        let mut heads = groups.iter().map(|(head, _)| *head).peekable();
        let mut head = 0;
        let mut docs = Vec::with_capacity(article.passages.len());
        let url_keys = article.url.as_deref().map(url_keys).unwrap_or_default();
        for (i, passage) in article.passages.iter().enumerate() {
            if heads.next_if_eq(&i).is_some() {
                head = i;
            }
            let text = &article.text[passage.range.clone()];
            let mut doc = TantivyDocument::new();
            doc.add_u64(f.group_offset, (i - head) as u64);
            if passage.boilerplate {
                doc.add_text(f.boilerplate_text, text);
            } else {
                doc.add_text(f.text, text);
                if let Some(title) = &article.title {
                    doc.add_text(f.title, title);
                }
            }
            if let Some(source) = &article.source {
                doc.add_text(f.source, source);
                doc.add_text(f.source_key, name_key(source));
            }
            for author in &article.authors {
                doc.add_text(f.author, author);
                doc.add_text(f.author_key, name_key(author));
            }
            for key in &url_keys {
                doc.add_text(f.url_key, key);
            }
            if let Some(date) = &article.date {
                doc.add_i64(f.date, date.timestamp);
                for key in bucket_keys(date.timestamp) {
                    doc.add_text(f.date_bucket, key);
                }
            }
            doc.add_text(f.doc_id, &article.doc_id);
            doc.add_text(f.path, path);
            doc.add_u64(f.paragraph, passage.paragraph);
            doc.add_u64(f.line, passage.line);
            doc.add_u64(f.byte_start, passage.range.start as u64);
            doc.add_u64(f.byte_end, passage.range.end as u64);
            doc.add_u64(f.part, passage.part.unwrap_or(0));
            doc.add_u64(f.boilerplate, u64::from(passage.boilerplate));
            doc.add_u64(f.passage_hash, passage_hash(text));
            docs.push(doc);
        }
        let fields = article.stored_fields();
        let writer = &mut *self.writer;
        self.store
            .add(&fields, &article.text, docs, &groups, &mut |docs| {
                submit(writer, docs)
            })?;
        Ok(article.passages.len() as u64)
    }
}

/// Adds an article's documents as one batch: tantivy puts a batch in one segment,
/// in order, which is what lets a passage find its group's text.
fn submit(writer: &mut LazyWriter<'_>, docs: Vec<TantivyDocument>) -> Result<()> {
    writer
        .get()?
        .run(docs.into_iter().map(UserOperation::Add))?;
    Ok(())
}
