//! Errors of the federation layer, sorted by what the remote side should be told.

use crate::storage::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum FedError {
    /// The request is malformed or refers to nothing we accept (400).
    #[error("{0}")]
    BadRequest(String),
    /// Missing, wrong or stale signature (401).
    #[error("{0}")]
    Unauthorized(String),
    /// Signed correctly, but this actor may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// A remote server could not be reached or answered nonsense (502).
    #[error("remote server: {0}")]
    Remote(String),
    /// The remote object answered 410: it was deleted.
    #[error("{0} was deleted")]
    Gone(String),
    /// An aggregator does not take this item (not public, not indexable, outside its
    /// territory): nothing is stored, and the sender is told it was received (202).
    #[error("{0}")]
    NotTaken(String),
    /// The sender's server sent more than its share lately (429); it may try again after this
    /// many seconds.
    #[error("{0}")]
    TooMany(String, u64),
    /// Too many requests are being handled at once (503); try again after this many seconds.
    #[error("{0}")]
    Busy(String, u64),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl From<activitypub_federation::error::Error> for FedError {
    fn from(e: activitypub_federation::error::Error) -> Self {
        use activitypub_federation::error::Error as E;
        match e {
            E::UrlVerificationError(m) => FedError::BadRequest(format!("URL refused: {m}")),
            E::DomainResolveError(d) => {
                FedError::BadRequest(format!("{d} resolves to a private address"))
            }
            E::ResolveInternalIpError(d, ip) => {
                FedError::BadRequest(format!("{d} resolves to a private address ({ip})"))
            }
            E::ObjectDeleted(u) => FedError::Gone(u.to_string()),
            E::NotFound => FedError::BadRequest("object not found".into()),
            E::ParseFetchedObject(err, url, _) => {
                FedError::Remote(format!("{url} is not a valid object: {err}"))
            }
            other => FedError::Remote(other.to_string()),
        }
    }
}

impl From<super::protocol::Unreadable> for FedError {
    /// An incoming object of the wrong shape: the sender's mistake, said in its words.
    fn from(e: super::protocol::Unreadable) -> Self {
        FedError::BadRequest(e.to_string())
    }
}

impl From<crate::service::ServiceError> for FedError {
    fn from(e: crate::service::ServiceError) -> Self {
        use crate::service::ServiceError as S;
        match e {
            // What the sender did wrong is a 4xx for them; only our own failures are 5xx.
            S::Domain(_) | S::NotFound(_) | S::Conflict(_) => FedError::BadRequest(e.to_string()),
            S::Forbidden(_) | S::BadCredentials | S::Account(_) | S::RegistrationClosed => {
                FedError::Forbidden(e.to_string())
            }
            S::LinkInvalid => FedError::BadRequest(e.to_string()),
            S::Store(s) => FedError::Store(s),
            S::Internal(m) => FedError::Internal(m),
            // A 503: the sender's delivery queue tries again a little later.
            S::NotYet(m) => FedError::Internal(format!("not yet: {m}")),
            S::Busy => FedError::Internal(e.to_string()),
        }
    }
}

pub type Result<T, E = FedError> = std::result::Result<T, E>;

impl FedError {
    /// Nothing of this kind here: 404, for those who name it by its id.
    pub fn not_found(what: &'static str) -> FedError {
        FedError::Store(StoreError::NotFound(what))
    }

    /// One word for why the inbox refused an activity, as `/metrics` counts it.
    pub fn reason(&self) -> &'static str {
        match self {
            FedError::BadRequest(_) => "bad_request",
            FedError::Unauthorized(_) => "signature",
            FedError::Forbidden(_) => "forbidden",
            FedError::Gone(_) => "gone",
            FedError::NotTaken(_) => "not_taken",
            FedError::Remote(_) => "remote",
            FedError::TooMany(..) => "host_rate",
            FedError::Busy(..) => "busy",
            FedError::Store(StoreError::NotFound(_)) => "not_found",
            FedError::Store(_) | FedError::Internal(_) => "error",
        }
    }

    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            FedError::BadRequest(_) => S::BAD_REQUEST,
            FedError::Unauthorized(_) => S::UNAUTHORIZED,
            FedError::Forbidden(_) => S::FORBIDDEN,
            FedError::Gone(_) => S::GONE,
            FedError::NotTaken(_) => S::ACCEPTED,
            FedError::Remote(_) => S::BAD_GATEWAY,
            FedError::TooMany(..) => S::TOO_MANY_REQUESTS,
            FedError::Busy(..) => S::SERVICE_UNAVAILABLE,
            FedError::Store(crate::storage::StoreError::NotFound(_)) => S::NOT_FOUND,
            FedError::Store(_) | FedError::Internal(_) => S::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            FedError::BadRequest(_) => "bad_request",
            FedError::Unauthorized(_) => "unauthorized",
            FedError::Forbidden(_) => "forbidden",
            FedError::Gone(_) => "gone",
            FedError::NotTaken(_) => "not_taken",
            FedError::Remote(_) => "remote_error",
            FedError::TooMany(..) => "too_many_requests",
            FedError::Busy(..) => "busy",
            FedError::Store(crate::storage::StoreError::NotFound(_)) => "not_found",
            FedError::Store(_) | FedError::Internal(_) => "temporarily_unavailable",
        }
    }
}

impl axum::response::IntoResponse for FedError {
    fn into_response(self) -> axum::response::Response {
        let status = self.status();
        // Internal causes go to the log, not to the remote server.
        let retry_after = match &self {
            FedError::TooMany(_, secs) | FedError::Busy(_, secs) => Some(*secs),
            _ => None,
        };
        let said = retry_after.is_some() || status == http::StatusCode::BAD_GATEWAY;
        let message = if status.is_server_error() && !said {
            tracing::error!(error = %self, "federation request failed");
            "the server cannot handle this right now, please retry later".to_string()
        } else {
            tracing::info!(error = %self, status = %status, "federation request refused");
            self.to_string()
        };
        let mut res = (
            status,
            axum::Json(serde_json::json!({"error": self.code(), "message": message})),
        )
            .into_response();
        if let Some(secs) = retry_after {
            res.headers_mut()
                .insert(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
        }
        res
    }
}

impl From<crate::notify::NotifyError> for FedError {
    fn from(e: crate::notify::NotifyError) -> Self {
        match e {
            crate::notify::NotifyError::Store(s) => FedError::Store(s),
            crate::notify::NotifyError::Direct(m) => FedError::Internal(m),
        }
    }
}
