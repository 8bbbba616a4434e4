//! `search serve`: the HTTP API and the page.

pub mod page;
