//! Integration tests of the indexer through its public API (and the query library's,
//! to look at what an index answers): incremental updates must be incremental, and
//! must answer exactly like a rebuild.

mod crash;
mod equivalence;
mod incremental;
mod metadata;
mod progress;
mod property;
mod stored_text;
mod util;
