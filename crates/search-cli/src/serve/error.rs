//! The API's errors: every failure is `{"error": {"code": "…", "message": "…"}}`
//! with the status that says whose fault it is. A malformed request is a 4xx,
//! never a 500; axum's own rejections (plain text) are turned into this shape.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use search_query::SearchError;
use serde_json::json;

use crate::exit::Exit;
use crate::CliError;

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable, machine-readable code (`bad_parameter`, `index_missing`…).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400: a parameter is missing, unknown, or has a bad value.
    pub fn bad_parameter(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_parameter", message)
    }

    /// 404: no such route.
    pub fn no_route(method: &str, path: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "no route {method} {path}; the API is described at /api/openapi.json",
                path = crate::render::safe(path)
            ),
        )
    }

    /// 405: the route exists, but not for this method.
    pub fn method_not_allowed(method: &str, path: &str) -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!(
                "{path} does not take {method}; the API is described at /api/openapi.json",
                path = crate::render::safe(path)
            ),
        )
    }

    /// 504: the request ran longer than the server's `--timeout`.
    pub fn timeout(seconds: f64) -> ApiError {
        ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "timeout",
            format!("the request took longer than the server's limit of {seconds} s"),
        )
    }

    /// 500: a failure of the server itself, not of the request.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The error of a library failure: the user's mistakes are 4xx, an index that
    /// cannot be searched is 503.
    pub fn from_search(err: &SearchError) -> ApiError {
        let message = crate::exit::search_headline(err);
        let (status, code) = match err {
            SearchError::EmptyQuery => (StatusCode::BAD_REQUEST, "empty_query"),
            SearchError::NothingSearchable(_) => (StatusCode::BAD_REQUEST, "nothing_searchable"),
            SearchError::InvalidOption { .. } => (StatusCode::BAD_REQUEST, "bad_parameter"),
            SearchError::QueryTooLong { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "query_too_long"),
            SearchError::LimitTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "limit_too_large"),
            SearchError::IndexNotFound(_)
            | SearchError::Incomplete(_)
            | SearchError::NotADirectory(_)
            | SearchError::NotAnIndex { .. } => (StatusCode::SERVICE_UNAVAILABLE, "index_missing"),
            SearchError::Incompatible(_) | SearchError::Corrupt { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "index_damaged")
            }
            SearchError::PermissionDenied { .. } | SearchError::Unreadable { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "index_unreadable")
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "search_failed"),
        };
        ApiError::new(status, code, message)
    }

    /// The error of a failure of the code the CLI shares with the API (`show`,
    /// `stats`, `verify`): a citation the index does not hold is 404, one that
    /// is no citation (or an ambiguous one) 400, a library failure as
    /// [`ApiError::from_search`] says.
    pub fn from_command(err: &anyhow::Error) -> ApiError {
        if let Some(err) = err.downcast_ref::<SearchError>() {
            return ApiError::from_search(err);
        }
        if let Some(CliError { exit, message, .. }) = err.downcast_ref::<CliError>() {
            return match exit {
                Exit::NotFound => ApiError::new(StatusCode::NOT_FOUND, "unknown_citation", message),
                Exit::Usage => ApiError::new(StatusCode::BAD_REQUEST, "bad_citation", message),
                _ => ApiError::internal(message.clone()),
            };
        }
        ApiError::internal(format!("{err:#}"))
    }

    /// The error of a query string axum could not read into the parameters.
    pub fn from_query(rejection: &QueryRejection) -> ApiError {
        ApiError::bad_parameter(rejection.body_text())
    }

    /// The error of a body that is not the JSON object expected: 413 when it is
    /// over the size limit, 415 when it is not sent as JSON, else 400.
    pub fn from_json(rejection: &JsonRejection) -> ApiError {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "the request body is over the limit of {} bytes",
                    super::MAX_BODY_BYTES
                ),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON, with `Content-Type: application/json`",
            ),
            _ => ApiError::new(StatusCode::BAD_REQUEST, "bad_body", rejection.body_text()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}
