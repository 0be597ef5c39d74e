//! Errors as HTTP answers: what the caller got wrong is a 4xx with the
//! reason; only the server's own failures (a damaged dataset) are 5xx.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub reason: String,
}

impl ApiError {
    pub fn bad_request(reason: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, reason: reason.into() }
    }

    pub fn not_found(reason: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, reason: reason.into() }
    }

    pub fn too_large(reason: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::PAYLOAD_TOO_LARGE, reason: reason.into() }
    }

    pub fn internal(reason: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            reason: format!("the dataset could not be read: {reason}"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.reason }))).into_response()
    }
}

impl From<tumen_store::CatalogError> for ApiError {
    fn from(e: tumen_store::CatalogError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<tumen_store::StoreError> for ApiError {
    fn from(e: tumen_store::StoreError) -> ApiError {
        ApiError::internal(e)
    }
}
