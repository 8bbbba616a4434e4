//! Article ids seen by one update, to report an id that two articles share.
//!
//! Both articles stay indexed (their citations tell them apart), but `search show
//! ID#N` cannot, so the update names both places.

use std::collections::{HashMap, HashSet};

use search_core::PassageFields;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::article::Article;
use crate::update::DuplicateId;

/// The ids of the articles an update indexes, and the index it updates.
pub(crate) struct IdLedger {
    /// Where each id was first seen in this update.
    seen: HashMap<String, String>,
    /// The commit being updated (absent for a new index or a rebuild): articles of
    /// files this update does not read are looked up there.
    kept: Option<Searcher>,
    fields: PassageFields,
    /// Ids this update found in the kept index: (id, kept path, new place).
    in_kept: Vec<(String, String, String)>,
    found: Vec<DuplicateId>,
}

impl IdLedger {
    pub(crate) fn new(kept: Option<Searcher>, fields: PassageFields) -> IdLedger {
        IdLedger {
            seen: HashMap::new(),
            kept,
            fields,
            in_kept: Vec::new(),
            found: Vec::new(),
        }
    }

    /// Notes that `article` of the file at `path` is being indexed.
    pub(crate) fn note(&mut self, article: &Article, path: &str) {
        let place = place_of(article, path);
        if let Some(first) = self.seen.get(&article.doc_id) {
            self.found.push(DuplicateId {
                id: article.doc_id.clone(),
                first: first.clone(),
                second: place,
            });
            return;
        }
        for kept_path in self.kept_paths(&article.doc_id) {
            if kept_path != path {
                self.in_kept
                    .push((article.doc_id.clone(), kept_path, place.clone()));
            }
        }
        self.seen.insert(article.doc_id.clone(), place);
    }

    /// The duplicates found. `unchanged` holds the files this update kept as they
    /// were: the kept index's passages of other files are deleted by the update.
    pub(crate) fn finish(mut self, unchanged: &HashSet<String>) -> Vec<DuplicateId> {
        for (id, kept_path, place) in self.in_kept {
            if unchanged.contains(&kept_path) {
                self.found.push(DuplicateId {
                    id,
                    first: kept_path,
                    second: place,
                });
            }
        }
        self.found
    }

    /// The paths of the kept index's articles with id `id`.
    fn kept_paths(&self, id: &str) -> Vec<String> {
        let Some(searcher) = &self.kept else {
            return Vec::new();
        };
        let term = Term::from_field_text(self.fields.doc_id, id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let Ok(found) = searcher.search(&query, &TopDocs::with_limit(16).order_by_score()) else {
            return Vec::new();
        };
        let mut paths = Vec::new();
        for (_, address) in found {
            let reader = searcher.segment_reader(address.segment_ord);
            let Ok(Some(column)) = reader.fast_fields().str("path") else {
                continue;
            };
            let mut path = String::new();
            let ord = column.term_ords(address.doc_id).next();
            if ord.is_some_and(|ord| column.ord_to_str(ord, &mut path).unwrap_or(false))
                && !paths.contains(&path)
            {
                paths.push(path);
            }
        }
        paths
    }
}

/// Where an article is: its file, or `path:line` for a JSONL record.
fn place_of(article: &Article, path: &str) -> String {
    let is_jsonl =
        crate::SourceKind::of(std::path::Path::new(path)) == Some(crate::SourceKind::Jsonl);
    match article.passages.first() {
        Some(first) if is_jsonl => format!("{path}:{}", first.line),
        _ => path.to_string(),
    }
}
