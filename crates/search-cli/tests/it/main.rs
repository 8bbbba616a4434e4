//! Integration tests of the `search` command-line program: every test runs the real
//! binary in its own temp folder holding a copy of the repository's `seeds/`.

mod batch;
mod browser;
mod cite;
mod concurrency;
mod conventions;
mod copies;
mod errors;
mod eval;
mod explain;
mod filters;
mod index;
mod metadata;
mod query;
mod related;
mod robust;
mod safety;
mod serve;
mod show;
mod terminal;
mod util;
