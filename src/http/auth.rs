//! Who is asking: an API token (`Authorization: Bearer …`) or a web session cookie.

use super::error::ApiError;
use crate::{
    domain::account::User,
    service::accounts::{self, hash_secret},
    state::AppState,
};
use axum::{extract::FromRequestParts, http::request::Parts};

pub const SESSION_COOKIE: &str = "entraide_session";

/// A user authenticated by API token; rejects with 401 otherwise.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiError::unauthorized)?;
        let token = token.trim();
        let user = accounts::user_by_token(state.store.as_ref(), token)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        // Each token has its share of requests per minute (a script gone wild, a token stolen).
        let key = format!("token:{}", hash_secret(token));
        state
            .api_throttle
            .hit(&key, state.clock.now())
            .map_err(|wait| ApiError::too_many(wait, "requests with this token"))?;
        Ok(ApiUser(user))
    }
}

/// The person calling an API use case (authenticated by token, 401 otherwise) with the node's
/// state: `me.store()`, `me.config`, `me.now()`, `me.queued()` after a write.
pub struct Caller {
    pub user: User,
    state: AppState,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
        Ok(Caller {
            user,
            state: state.clone(),
        })
    }
}

impl std::ops::Deref for Caller {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.state
    }
}

/// A user authenticated by API token when a token is given; anonymous otherwise.
/// A token that is given but wrong is still refused (401).
pub struct MaybeApiUser(pub Option<User>);

impl FromRequestParts<AppState> for MaybeApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            Ok(MaybeApiUser(Some(
                ApiUser::from_request_parts(parts, state).await?.0,
            )))
        } else {
            Ok(MaybeApiUser(None))
        }
    }
}

/// The session cookie's value, if any.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The logged-in web user, if any (never rejects).
pub struct MaybeUser(pub Option<User>, pub Option<String>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = session_token(parts) else {
            return Ok(MaybeUser(None, None));
        };
        // A session that cannot be read now is treated as none: the page still shows.
        let user = accounts::user_by_session(state.store.as_ref(), &token, state.clock.now())
            .await
            .ok()
            .flatten();
        Ok(MaybeUser(user, Some(token)))
    }
}

/// A token to put in forms, bound to the session (forms from other sites cannot know it).
pub fn csrf_token(session: &str) -> String {
    hash_secret(&format!("csrf:{session}"))
}

/// The client's address for the per-address brakes (see [`crate::http::client_address`]).
pub use crate::http::client_address::ClientAddress;
