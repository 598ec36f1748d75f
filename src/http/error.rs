//! Errors as the JSON API shows them: `{"error": code, "message": …, "fields": {…}}`.
//! 5xx causes are logged and never sent to the client.

use crate::{domain::DomainError, service::ServiceError};
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Option<crate::domain::FieldErrors>,
    /// Seconds to wait before trying again (`Retry-After`), for 429 and 503.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: None,
            retry_after: None,
        }
    }
    /// 429 with `Retry-After` (whole seconds, rounded up: retrying then is never too early):
    /// "too many {what}; retry in N seconds".
    pub fn too_many(wait: chrono::Duration, what: &str) -> Self {
        let seconds = u64::try_from((wait.num_milliseconds() + 999) / 1000)
            .unwrap_or(1)
            .max(1);
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("too many {what}; retry in {seconds} seconds"),
            )
        }
    }
    pub fn unauthorized() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid API token is required (Authorization: Bearer …)",
        )
    }
    pub fn not_found(what: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Domain(DomainError::Invalid(fields)) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "validation_failed",
                message: "some fields are not valid".into(),
                fields: Some(fields),
                retry_after: None,
            },
            ServiceError::Domain(DomainError::Forbidden(d)) | ServiceError::Forbidden(d) => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", d.to_string())
            }
            ServiceError::NotFound(what) => ApiError::not_found(what),
            ServiceError::Conflict(d) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", d.to_string())
            }
            ServiceError::Account(block) => {
                use crate::domain::account::AccountBlock as B;
                let message = match block {
                    B::EmailUnconfirmed => {
                        "confirm your email first: follow the link we sent (POST \
                         /api/v1/me/email/confirmation sends it again)"
                    }
                    B::AwaitingApproval => {
                        "this account is waiting for an administrator of the node to accept it"
                    }
                    B::Refused => "this account was refused by an administrator of the node",
                };
                ApiError::new(StatusCode::FORBIDDEN, block.code(), message)
            }
            ServiceError::RegistrationClosed => ApiError::new(
                StatusCode::FORBIDDEN,
                "registration_closed",
                "this node does not take registrations: ask its administrators for an account",
            ),
            ServiceError::LinkInvalid => ApiError::new(
                StatusCode::GONE,
                "link_invalid",
                "this link is unknown, was used already or has expired: ask for a new one",
            ),
            ServiceError::BadCredentials => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "wrong name or password",
            ),
            ServiceError::Busy => ApiError {
                retry_after: Some(1),
                ..ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "the server is busy with many requests like this one; retry in a second",
                )
            },
            other => internal(other),
        }
    }
}

impl From<crate::federation::error::FedError> for ApiError {
    fn from(e: crate::federation::error::FedError) -> Self {
        use crate::federation::error::FedError as F;
        match e {
            F::BadRequest(m) | F::Forbidden(m) | F::Unauthorized(m) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "cannot_resolve", m)
            }
            F::Gone(m) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "gone",
                format!("{m} was deleted"),
            ),
            F::Remote(m) => ApiError::new(StatusCode::BAD_GATEWAY, "remote_error", m),
            other => internal(other),
        }
    }
}

impl From<crate::notify::NotifyError> for ApiError {
    fn from(e: crate::notify::NotifyError) -> Self {
        crate::federation::error::FedError::from(e).into()
    }
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "request failed");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "temporarily_unavailable",
        "the server cannot handle this right now, please retry later",
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The type the OpenAPI document names for every error.
        let body = crate::http::api::ErrorBody {
            error: self.code.to_string(),
            message: self.message,
            fields: self.fields.map(|f| {
                f.0.iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect()
            }),
        };
        let mut res = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
