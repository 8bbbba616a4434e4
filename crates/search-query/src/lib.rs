//! Passage search with citations you can check.
//!
//! Open an index built by `search index` (or the `search-indexer` crate), run a
//! query, and get ranked passages: each with its text, its score, the byte ranges
//! that matched, and a [`Citation`] whose byte range holds exactly the passage.
//! Byte offsets are `usize` throughout: a citation's [`Citation::byte_range`] and a
//! hit's [`Hit::highlights`] slice bytes the same way.
//!
//! [`PassageIndex`] is the entry point: open it once and share it, since it is
//! `Send + Sync` and [`PassageIndex::search`] takes `&self` (each call blocks its
//! thread while it reads the index). [`SearchOptions`] is a builder whose values
//! are checked, never clamped: an out-of-range one is a [`SearchError`].
//! [`PassageIndex::check`] tells whether a citation still holds,
//! [`PassageIndex::source_path`] where its source is, and [`PassageIndex::info`]
//! what the index records about itself ([`IndexInfo`]).
//!
//! ```
//! use search_query::{CitationStatus, PassageIndex, SearchOptions};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Build a tiny index in a temporary folder.
//! let scratch = tempfile::tempdir()?;
//! let corpus = scratch.path().join("corpus");
//! std::fs::create_dir(&corpus)?;
//! std::fs::write(
//!     corpus.join("talks.txt"),
//!     "Talks in Miami\n\nEnvoys met in Miami on Friday.\nThe use of frozen Russian assets is still open.\n",
//! )?;
//! let index_dir = scratch.path().join("index");
//! let mut options = search_indexer::IndexOptions::new(&index_dir);
//! options.roots = vec![corpus.clone()];
//! search_indexer::Indexer::new(options).run(&mut ())?;
//!
//! // Search it.
//! let index = PassageIndex::open(&index_dir)?;
//! let results = index.search("frozen assets", &SearchOptions::new().limit(3))?;
//! let best = &results.hits[0];
//! assert_eq!(best.text, "The use of frozen Russian assets is still open.");
//! assert_eq!(best.citation.paragraph, 2);
//!
//! // The citation is checkable: the source's bytes at the range are the passage.
//! assert_eq!(index.check(&best.citation)?, CitationStatus::Holds);
//! let source = index.source_path(&best.citation).expect("a file of the index");
//! let bytes = std::fs::read(source)?;
//! assert_eq!(&bytes[best.citation.byte_range()], best.text.as_bytes());
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

mod check;
mod citations;
mod columns;
mod constraint;
mod copies;
mod dated;
mod error;
mod expansion;
mod faceting;
mod feedback;
mod filtered;
mod filters;
mod global;
mod index;
mod info;
mod maxscore;
mod options;
mod pipeline;
mod plan;
mod rank;
mod readonly;
mod related;
mod results;
mod safe_seek;
mod shards;
mod show;
mod stale;
mod stats;
mod surface;
mod syntax;
mod texts;
mod typos;
mod verify;
mod words;

pub use citations::{
    CitationStatus, Found, IndexedPassage, LineKind, Lookup, SourceError, StaleReason,
};
pub use copies::{CopyGroup, CopyStats};
pub use error::{IndexError, Result, SearchError};
pub use feedback::{Feedback, Seed};
pub use filters::{
    BadDateFilter, DateBucket, DateRange, Facet, FacetCount, Facets, FilterField, Sort,
};
pub use global::QueryStatistics;
pub use index::PassageIndex;
pub use info::IndexInfo;
pub use options::{RankingWeights, SearchOptions, MAX_LIMIT, MAX_QUERY_BYTES, MAX_QUERY_WORDS};
pub use related::Related;
pub use results::{Correction, Explanation, Hit, SearchResults, TermScore};
pub use search_core::citation::{Location, NotALocation};
pub use search_core::{Citation, FileRecord, SkippedFile, StemLanguage};
pub use shards::{merge_results, search_shards, ShardHit, ShardResults};
pub use show::{cited_location, Problem, Shown, ShownPassage};
pub use verify::{StaleCitation, VerifyMode, VerifyReport};
