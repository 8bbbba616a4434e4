//! Test support for the workspace (not published): one seeded generator, one
//! generated corpus, one copy of the shipped seeds and their questions, so that no
//! test helper is defined twice.
//!
//! Randomness is seeded; tests use fixed seeds by default and take a random one
//! only when asked (`PROP_SEED=random`, `KILL_SEED=random`).

#![deny(missing_docs)]

pub mod damage;
pub mod news;
mod rng;
mod seeds;

pub use rng::Rng;
pub use seeds::{copy_seeds, repo_root, seed_questions, SeedQuestion};
