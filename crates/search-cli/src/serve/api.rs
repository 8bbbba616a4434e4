//! The handlers of `/api/…`. Every one that reads the index runs on a blocking
//! thread (`spawn_blocking`): the library blocks while it reads, and the async
//! workers must stay free to accept and answer other requests.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use search_query::{PassageIndex, SearchResults, VerifyMode};
use serde::Serialize;
use serde_json::json;

use super::error::ApiError;
use super::params::{SearchParams, ShowParams};
use super::state::AppState;
use crate::commands;

/// The shared state, as handlers receive it.
pub type Shared = State<Arc<AppState>>;

/// The OpenAPI description of the API.
const OPENAPI: &str = include_str!("openapi.json");

/// A JSON body already serialized (on the blocking thread that made it).
fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Runs `f` with the open index on a blocking thread; `current` reloads the
/// index first if `search index` committed since (searches do so by themselves).
async fn with_index<T: Send + 'static>(
    state: Arc<AppState>,
    current: bool,
    f: impl FnOnce(&AppState, &PassageIndex) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || {
        let index = if current {
            state.current_index()?
        } else {
            state.index()?
        };
        f(&state, &index)
    })
    .await
    .map_err(|e| ApiError::internal(format!("the request's task failed: {e}")))?
}

/// `GET /api/search?q=…`.
pub async fn search_get(
    State(state): Shared,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::from_query(&e))?;
    search(state, params).await
}

/// `POST /api/search` with the parameters as a JSON object.
pub async fn search_post(
    State(state): Shared,
    params: Result<Json<SearchParams>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(params) = params.map_err(|e| ApiError::from_json(&e))?;
    search(state, params).await
}

/// What `/api/search` answers: `search query --format json`, plus `took_ms`.
#[derive(Serialize)]
struct Answer<'a> {
    #[serde(flatten)]
    results: &'a SearchResults,
    /// Milliseconds the search took on the server.
    took_ms: f64,
}

async fn search(state: Arc<AppState>, params: SearchParams) -> Result<Response, ApiError> {
    let (query, options) = params.into_request()?;
    let options = options.to_search_options();
    options.validate().map_err(|e| ApiError::from_search(&e))?;
    // Held until the search is done (or its request timed out).
    let _turn = state
        .searches
        .acquire()
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let body = with_index(state.clone(), false, move |_, index| {
        let started = Instant::now();
        let results = index
            .search(&query, &options)
            .map_err(|e| ApiError::from_search(&e))?;
        let took_ms = started.elapsed().as_secs_f64() * 1000.0;
        serde_json::to_vec(&Answer {
            results: &results,
            took_ms,
        })
        .map_err(|e| ApiError::internal(e.to_string()))
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body))
}

/// `GET /api/show?citation=…&context=N`: what `search show --format json` prints.
/// Only citations of passages the index holds resolve: a path is never looked up
/// on disk.
pub async fn show(
    State(state): Shared,
    params: Result<Query<ShowParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::from_query(&e))?;
    let (citation, context) = params.into_request()?;
    let value = with_index(state, true, move |_, index| {
        let found = commands::show::find(index, &citation, commands::show::Renamed::Refuse)
            .map_err(|e| ApiError::from_command(&e))?;
        commands::show::json_value(index, &found, context).map_err(|e| ApiError::from_command(&e))
    })
    .await?;
    Ok(Json(value).into_response())
}

/// `GET /api/stats`: what `search stats --format json` prints.
pub async fn stats(State(state): Shared) -> Result<Response, ApiError> {
    let value = with_index(state, true, |state, index| {
        Ok(commands::stats::json_value(index, state.dir()))
    })
    .await?;
    Ok(Json(value).into_response())
}

/// `POST /api/verify`: the full audit, as `search verify --format json` prints
/// it. It reads and hashes every source file: it may take a while.
pub async fn verify(State(state): Shared) -> Result<Response, ApiError> {
    let value = with_index(state, true, |_, index| {
        let (report, added) = commands::verify::audit(index, VerifyMode::Full)
            .map_err(|e| ApiError::from_command(&e))?;
        commands::verify::json_value(&report, &added).map_err(|e| ApiError::from_command(&e))
    })
    .await?;
    Ok(Json(value).into_response())
}

/// `GET /api/health`: 200 once the index is open, else 503 with the reason.
pub async fn health(State(state): Shared) -> Result<Response, ApiError> {
    let value = with_index(state, false, |state, index| {
        Ok(json!({
            "status": "ok",
            "index": state.dir().display().to_string(),
            "passages": index.passage_count(),
        }))
    })
    .await?;
    Ok(Json(value).into_response())
}

/// `GET /api/openapi.json`: the OpenAPI 3 description of the API.
pub async fn openapi() -> Response {
    json_bytes(StatusCode::OK, OPENAPI.as_bytes().to_vec())
}
