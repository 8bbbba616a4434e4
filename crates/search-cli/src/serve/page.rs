//! The web page of `search serve`: a small hand-written page whose assets are
//! embedded in the binary (nothing is fetched at run time).

use axum::Router;

/// The routes of the page (`/` and its assets), for the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
}
