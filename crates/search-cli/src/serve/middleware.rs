//! What wraps the handlers: the request log, the API key, the request timeout,
//! and the JSON answers for routes and methods that do not exist.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::state::AppState;
use crate::messages;
use crate::render::safe;

/// Logs one line per request to stderr, unless `-q`: method, path, status and
/// time (`GET /api/search 200 3.1ms`). The query string is left out: it may
/// hold what people searched for.
pub async fn log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if !messages::quiet() {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        // A closed stderr must not stop the server.
        let _ = writeln!(
            std::io::stderr().lock(),
            "{method} {} {} {ms:.1}ms",
            safe(&path),
            response.status().as_u16()
        );
    }
    response
}

/// Lets a request through only with `Authorization: Bearer KEY` when the server
/// has a key; 401 otherwise.
pub async fn auth(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(HeaderValue::as_bytes);
    if state.authorized(given) {
        return next.run(request).await;
    }
    let message = if given.is_some() {
        "the API key is wrong"
    } else {
        "this server needs an API key: send `Authorization: Bearer KEY`"
    };
    let mut response =
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message).into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// Answers 504 to a request still running after the server's timeout. The work
/// on the blocking thread cannot be interrupted: it finishes, and its answer is
/// dropped.
pub async fn timeout(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::timeout(state.timeout.as_secs_f64()).into_response(),
    }
}

/// 404 for a route that does not exist.
pub async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::no_route(method.as_str(), uri.path())
}

/// 405 for a route that exists, asked with another method.
pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::method_not_allowed(method.as_str(), uri.path())
}
