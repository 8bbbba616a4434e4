//! What every request shares: the index (opened once, read-only), the API key and
//! the limits.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, SystemTime};

use search_query::PassageIndex;

use super::error::ApiError;

/// The server's shared state.
#[derive(Debug)]
pub struct AppState {
    /// The index folder, as given.
    dir: PathBuf,
    /// The open index; empty until it opens (it may be missing or damaged when
    /// the server starts: each request tries again until it opens).
    index: OnceLock<Arc<PassageIndex>>,
    /// Held while opening, so that one request opens the index at a time.
    opening: Mutex<()>,
    /// Size and modification time of `meta.json` when the index was last
    /// (re)loaded for a request that does not search (searches follow commits
    /// by themselves).
    commit: Mutex<Option<(u64, SystemTime)>>,
    /// The BLAKE3 hash of the API key, if there is one (hashes compare in
    /// constant time, whatever the lengths of the keys).
    key: Option<blake3::Hash>,
    /// How long a request may run.
    pub timeout: Duration,
    /// One permit per search run at once (`--threads`; by default two per
    /// core, so that a core whose search waits on a page of the memory-mapped
    /// index has another to run: `just bench-serve` measured 1.4x the batch
    /// throughput with one per core, 1.7x with two, and a p99 twice as long
    /// with four). Searches beyond that wait their turn, first come, first
    /// served, instead of sharing the cores: a slow query is not slowed further
    /// by the queries that arrived after it.
    pub searches: tokio::sync::Semaphore,
}

impl AppState {
    /// The state of a server of the index in `dir`, opened now if it can be.
    pub fn new(
        dir: PathBuf,
        index: Option<PassageIndex>,
        key: Option<&str>,
        limits: Limits,
    ) -> AppState {
        let slot = OnceLock::new();
        if let Some(index) = index {
            let _ = slot.set(Arc::new(index));
        }
        AppState {
            commit: Mutex::new(commit_stamp(&dir)),
            dir,
            index: slot,
            opening: Mutex::new(()),
            key: key.map(|k| blake3::hash(k.as_bytes())),
            timeout: limits.timeout,
            searches: tokio::sync::Semaphore::new(limits.searches),
        }
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The open index, opening it first if it is not open yet. Blocks: call it
    /// on a blocking thread. An index that cannot be opened is a 503.
    pub fn index(&self) -> Result<Arc<PassageIndex>, ApiError> {
        if let Some(index) = self.index.get() {
            return Ok(index.clone());
        }
        let _opening = self.opening.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(index) = self.index.get() {
            return Ok(index.clone());
        }
        let stamp = commit_stamp(&self.dir);
        let index = PassageIndex::open(&self.dir).map_err(|e| ApiError::from_search(&e))?;
        *self.commit.lock().unwrap_or_else(PoisonError::into_inner) = stamp;
        Ok(self.index.get_or_init(|| Arc::new(index)).clone())
    }

    /// [`AppState::index`], reloaded first if `search index` committed since it
    /// was last loaded: for the requests that read the index without searching
    /// (`show`, `stats`, `verify`), which do not follow commits by themselves.
    pub fn current_index(&self) -> Result<Arc<PassageIndex>, ApiError> {
        let index = self.index()?;
        let now = commit_stamp(&self.dir);
        let mut seen = self.commit.lock().unwrap_or_else(PoisonError::into_inner);
        // A failed reload (a writer cleaning up at that moment) keeps the current
        // commit; the next request tries again.
        if *seen != now && index.reload().is_ok() {
            *seen = now;
        }
        Ok(index)
    }

    /// True when `authorization` (the header's value) carries the API key, or
    /// when there is no key.
    pub fn authorized(&self, authorization: Option<&[u8]>) -> bool {
        let Some(key) = &self.key else {
            return true;
        };
        let given = authorization
            .and_then(|value| value.strip_prefix(b"Bearer "))
            .map(blake3::hash);
        // `blake3::Hash` compares in constant time.
        given.is_some_and(|given| given == *key)
    }
}

/// How long requests may run and how many searches run at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The request timeout.
    pub timeout: Duration,
    /// Searches at once.
    pub searches: usize,
}

/// Size and modification time of the index's `meta.json`, which every commit
/// rewrites.
fn commit_stamp(dir: &Path) -> Option<(u64, SystemTime)> {
    let metadata = std::fs::metadata(dir.join("meta.json")).ok()?;
    Some((metadata.len(), metadata.modified().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        timeout: Duration::from_secs(1),
        searches: 2,
    };

    #[test]
    fn only_the_bearer_key_is_authorized() {
        let state = AppState::new("idx".into(), None, Some("s3cret"), LIMITS);
        assert!(state.authorized(Some(b"Bearer s3cret")));
        for wrong in [
            &b"Bearer s3cre"[..],
            b"Bearer s3cret ",
            b"s3cret",
            b"Basic s3cret",
            b"",
        ] {
            assert!(!state.authorized(Some(wrong)), "{wrong:?}");
        }
        assert!(!state.authorized(None));
        let open = AppState::new("idx".into(), None, None, LIMITS);
        assert!(open.authorized(None));
    }
}
