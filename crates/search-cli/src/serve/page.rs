//! The web page of `search serve`: a small hand-written page whose assets are
//! embedded in the binary (nothing is fetched at run time).
//!
//! `/` is the page (it reads its query from the URL: `/?q=frozen+assets`), and
//! `/assets/…` its script, style sheet and icon. The page talks only to the API
//! (`/api/search`, `/api/show`) and renders corpus text through DOM text APIs;
//! the Content-Security-Policy sent with it allows no inline script and no other
//! origin, so even a slip in the script could not run text from the corpus.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The page itself.
const INDEX_HTML: &str = include_str!("../../assets/index.html");
/// The page's script.
const APP_JS: &str = include_str!("../../assets/app.js");
/// The page's style sheet.
const STYLE_CSS: &str = include_str!("../../assets/style.css");
/// The page's icon.
const FAVICON_SVG: &str = include_str!("../../assets/favicon.svg");

/// Only this server's own script, styles and API; no inline script, no frames,
/// no form posted elsewhere.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// The routes of the page (`/` and its assets), for the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/assets/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        )
        .route(
            "/assets/favicon.svg",
            get(|| async { asset("image/svg+xml", FAVICON_SVG) }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset("image/svg+xml", FAVICON_SVG) }),
        )
}

/// An embedded file with its type and the page's security headers. `no-cache`
/// lets a browser keep a copy but ask again, so a new binary's page is never
/// mixed with an old script.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "no-cache"),
            (CONTENT_SECURITY_POLICY, CSP),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (X_FRAME_OPTIONS, "DENY"),
            (REFERRER_POLICY, "no-referrer"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    /// GETs `path` from the page's routes: status, content type, CSP and body.
    async fn get(path: &str) -> (StatusCode, String, String, String) {
        let response = routes::<()>()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let (status, content_type, csp) = (
            response.status(),
            header(CONTENT_TYPE),
            header(CONTENT_SECURITY_POLICY),
        );
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            content_type,
            csp,
            String::from_utf8(body.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn the_page_and_every_asset_it_names_are_served_with_their_types() {
        let (status, content_type, csp, html) = get("/?q=frozen+assets").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "text/html; charset=utf-8");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        let mut named = 0;
        for attr in ["src=\"", "href=\""] {
            for piece in html.split(attr).skip(1) {
                let url = &piece[..piece.find('"').unwrap()];
                assert!(
                    url.starts_with("/assets/"),
                    "{url} is not an embedded asset"
                );
                let (status, content_type, _, body) = get(url).await;
                assert_eq!(status, StatusCode::OK, "{url}");
                assert!(!body.is_empty(), "{url}");
                let expected = match url.rsplit('.').next() {
                    Some("js") => "text/javascript; charset=utf-8",
                    Some("css") => "text/css; charset=utf-8",
                    _ => "image/svg+xml",
                };
                assert_eq!(content_type, expected, "{url}");
                named += 1;
            }
        }
        assert_eq!(named, 3, "the page names its script, style sheet and icon");
    }

    #[test]
    fn nothing_is_fetched_from_elsewhere() {
        for (name, text) in [
            ("index.html", INDEX_HTML),
            ("app.js", APP_JS),
            ("style.css", STYLE_CSS),
        ] {
            for needle in ["http://", "https://", "src=\"//", "href=\"//", "@import"] {
                assert!(!text.contains(needle), "{name} refers to {needle}…");
            }
        }
    }

    #[test]
    fn the_script_never_parses_strings_as_html() {
        for needle in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "DOMParser",
            "createContextualFragment",
            "eval(",
            "new Function",
        ] {
            assert!(!APP_JS.contains(needle), "app.js uses {needle}");
        }
    }
}
