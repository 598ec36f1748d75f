//! A JSON body extractor whose rejections are clear API errors.
//!
//! Every body the API takes is a JSON object (its document says so): a list in its place is
//! refused with 422, where serde alone would read a struct from a sequence, field by field in
//! order (`["Ann"]` set the first field; found by schemathesis, `tests/schemathesis.rs`).

use crate::http::error::ApiError;
use axum::{
    body::Bytes,
    extract::{rejection::JsonRejection, FromRequest, Request},
    http::{header, HeaderMap, StatusCode},
};
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(unsupported_media_type());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), "bad_request", e.body_text()))?;
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(_) if is_list(&bytes) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "the JSON does not have the expected fields: send an object, not a list",
            )),
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(e) => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    format!(
                        "the JSON does not have the expected fields: {}",
                        e.body_text()
                    ),
                ),
                JsonRejection::JsonSyntaxError(e) => ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_json",
                    format!("the body is not valid JSON: {}", e.body_text()),
                ),
                JsonRejection::MissingJsonContentType(_) => unsupported_media_type(),
                other => ApiError::new(other.status(), "bad_request", other.body_text()),
            }),
        }
    }
}

fn unsupported_media_type() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the body as JSON with Content-Type: application/json",
    )
}

/// Whether the body is said to be JSON: `application/json` or `application/…+json`, with
/// parameters or not (axum's rule).
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", subtype)) => subtype == "json" || subtype.ends_with("+json"),
        _ => false,
    }
}

/// Whether a JSON text is a list (its first character after white space is `[`).
fn is_list(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        == Some(&b'[')
}
