//! Errors as JSON problem objects (RFC 9457): a status, a short title, a detail a person can
//! act on, and nothing about the server's insides (paths, SQL, backtraces go to the log).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use presswatch_app::AppError;
use presswatch_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of a problem object.
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem object, the body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank`: the status says it all).
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status's phrase ("Not Found").
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, for a person.
    pub detail: String,
}

/// An error a handler returns: rendered as a [`Problem`].
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    status: StatusCode,
    detail: String,
}

impl ApiError {
    /// An error with this status and detail (the detail is shown to the client: no internals).
    pub(crate) fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        ApiError { status, detail: detail.into() }
    }

    /// 400: the request is malformed.
    pub(crate) fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    /// 404: nothing here.
    pub(crate) fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    /// 500: logged in full, shown as a generic message.
    pub(crate) fn internal(what: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %what, "request failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "the server could not answer this request; see its log")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            // The caller's own input: safe and useful to echo.
            StoreError::InvalidId { .. } | StoreError::AmbiguousId { .. } => Self::bad_request(e.to_string()),
            StoreError::DiskFull { .. } => {
                tracing::error!(error = %e, "write failed");
                Self::new(StatusCode::INSUFFICIENT_STORAGE, "the disk holding the store is full")
            }
            e if e.is_damage() => {
                tracing::error!(error = %e, "damaged store");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "part of the store is damaged; `presswatch check` lists what and how to repair it",
                )
            }
            e => Self::internal(&e),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Store(e) => e.into(),
            e => Self::internal(&e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        problem_response(self.status, &self.detail)
    }
}

/// A problem response with this status and detail.
pub(crate) fn problem_response(status: StatusCode, detail: &str) -> Response {
    let body = Problem {
        kind: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").into(),
        status: status.as_u16(),
        detail: detail.into(),
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}
