//! Accounts through the API: registering, confirming the address, a new password by email,
//! the account's names, language, password and address, and the administrators' decision on
//! new accounts. Requests that make accounts or send emails are braked per client address and
//! per account or address (`AccountThrottle`), whatever their outcome.

use super::{schema::ErrorBody, ApiJson};
use crate::http::params::{Path, Query};
use crate::{
    domain::account::{AccountState, User},
    http::{
        auth::{ApiUser, ClientAddress},
        error::{ApiError, ApiResult},
    },
    service::{
        accounts,
        registration::{self, ProfileChange, Registered, Registration},
    },
    state::AppState,
};
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts", post(register))
        .route("/api/v1/accounts/confirm", post(confirm))
        .route("/api/v1/auth/password-reset", post(reset_request))
        .route("/api/v1/auth/password-reset/confirm", post(reset_confirm))
        .route(
            "/api/v1/me",
            get(me).patch(update_me).delete(super::privacy::delete_me),
        )
        .route("/api/v1/me/password", post(change_password))
        .route("/api/v1/me/email", post(change_email))
        .route("/api/v1/me/email/confirmation", post(resend))
        .route("/api/v1/admin/accounts", get(list_accounts))
        .route("/api/v1/admin/accounts/{id}/approve", post(approve))
        .route("/api/v1/admin/accounts/{id}/refuse", post(refuse))
}

fn braked(wait: chrono::Duration) -> Response {
    ApiError::too_many(wait, "requests of this kind").into_response()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RegisterInput {
    /// The account's name: public (it is in the account's fediverse address), 1 to 40 of
    /// `a-z 0-9 _ - .`.
    username: String,
    email: String,
    /// At least 8 characters.
    password: String,
    /// Private: shown to the coordinators of associations the person works with and printed on
    /// attestations, lending agreements and hours statements (else the username is).
    #[serde(default)]
    full_name: String,
    /// `fr` or `en`: the language of the emails; the node's when left out.
    #[serde(default)]
    language: String,
}

/// What happens next.
#[derive(Serialize, ToSchema)]
struct Accepted {
    /// `check_email`, `awaiting_approval` (and check the email), or `sent`.
    status: &'static str,
    message: &'static str,
}

const CHECK_EMAIL: &str = "if the details are right, an email is on its way with a link to \
                           confirm the address (valid 48 hours); until then you may log in but \
                           not sign up for slots";

#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    operation_id = "register",
    summary = "Register a new account (when the node takes registrations)",
    description = "The answer is the same whether the email is free or already used (its owner then gets an email saying someone tried): no one learns from it who has an account. A taken username is said (usernames are public). On a node with `registration = \"approval\"` the account waits for an administrator. At most 10 registrations per client address and 3 emails per address an hour.",
    request_body = RegisterInput,
    responses(
        (status = 202, description = "check your mailbox", body = Accepted),
        (status = 403, description = "the node does not take registrations", body = ErrorBody),
        (status = 422, description = "invalid fields, or a username already taken", body = ErrorBody),
        (status = 429, description = "too many registrations; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait")))))]
async fn register(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(input): ApiJson<RegisterInput>,
) -> Response {
    let now = state.clock.now();
    if let Err(closed) = crate::service::registration::open(&state.config) {
        return ApiError::from(closed).into_response();
    }
    if let Err(wait) = state.account_throttle.register(address, &input.email, now) {
        return braked(wait);
    }
    let registration = Registration {
        username: input.username,
        email: input.email,
        password: input.password,
        full_name: input.full_name,
        language: input.language,
    };
    match registration::register(state.store.as_ref(), &state.config, registration, now).await {
        Ok(Registered::CheckMailbox { awaiting_approval }) => {
            state.wake.notify_waiters();
            let status = if awaiting_approval {
                "awaiting_approval"
            } else {
                "check_email"
            };
            let body = Accepted {
                status,
                message: CHECK_EMAIL,
            };
            (StatusCode::ACCEPTED, Json(body)).into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TokenInput {
    /// The `token` of the link sent by email.
    token: String,
}

#[derive(Serialize, ToSchema)]
struct Confirmed {
    name: String,
    email: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/accounts/confirm", tag = "accounts",
    operation_id = "confirm_email",
    summary = "Confirm an address with the token of the link sent to it (once, within 48 hours)",
    request_body = TokenInput,
    responses(
        (status = 200, description = "the address is the account's, confirmed", body = Confirmed),
        (status = 410, description = "unknown, used or expired link", body = ErrorBody),
        (status = 422, description = "missing token", body = ErrorBody)))]
async fn confirm(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult<Json<Confirmed>> {
    let user =
        registration::confirm_email(state.store.as_ref(), &input.token, state.clock.now()).await?;
    Ok(Json(Confirmed {
        name: user.name,
        email: user.email,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ResetInput {
    email: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth",
    operation_id = "ask_password_reset",
    summary = "Ask for a link to set a new password (valid one hour, once)",
    description = "The answer is the same whether an account has this email or not. At most 3 requests per email and 20 per client address an hour.",
    request_body = ResetInput,
    responses(
        (status = 202, description = "if an account has this email, the link is on its way", body = Accepted),
        (status = 422, description = "not an email address", body = ErrorBody),
        (status = 429, description = "too many requests; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait")))))]
async fn reset_request(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(input): ApiJson<ResetInput>,
) -> Response {
    let now = state.clock.now();
    if let Err(wait) = state.account_throttle.reset(address, &input.email, now) {
        return braked(wait);
    }
    match registration::request_reset(state.store.as_ref(), &state.config, &input.email, now).await
    {
        Ok(()) => {
            state.wake.notify_waiters();
            let body = Accepted {
                status: "sent",
                message: "if an account has this email, a link to set a new password is on \
                          its way (valid one hour)",
            };
            (StatusCode::ACCEPTED, Json(body)).into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ResetConfirmInput {
    /// The `token` of the link sent by email.
    token: String,
    /// The new password (at least 8 characters).
    password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth",
    operation_id = "reset_password",
    summary = "Set a new password with the token of the link sent by email",
    description = "Every web session of the account ends; API tokens stay (revoke them under `/api/v1/me/tokens`).",
    request_body = ResetConfirmInput,
    responses(
        (status = 204, description = "the new password is set"),
        (status = 410, description = "unknown, used or expired link", body = ErrorBody),
        (status = 422, description = "password too short or too long", body = ErrorBody)))]
async fn reset_confirm(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ResetConfirmInput>,
) -> ApiResult<StatusCode> {
    registration::reset_password(
        state.store.as_ref(),
        &input.token,
        &input.password,
        state.clock.now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An association of mine and my role in it.
#[derive(Serialize, ToSchema)]
pub struct Membership {
    pub name: String,
    pub role: crate::domain::account::Role,
}

/// The token's user.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub name: String,
    #[schema(required = true)]
    pub email: Option<String>,
    pub is_admin: bool,
    /// Private: printed on documents instead of the name (empty: the name is).
    pub full_name: String,
    /// The name shown on the fediverse.
    pub display_name: String,
    /// `fr`, `en`, or empty (the node's).
    pub language: String,
    /// Until it is, the account does not sign up for slots.
    pub email_confirmed: bool,
    pub state: AccountState,
    pub associations: Vec<Membership>,
}

async fn me_view(state: &AppState, user: User) -> ApiResult<Json<Me>> {
    let store = state.store.as_ref();
    let memberships = accounts::memberships(store, user.id).await?;
    let display_name = registration::display_name(store, &user).await?;
    Ok(Json(Me {
        name: user.name,
        email: user.email,
        is_admin: user.is_admin,
        full_name: user.full_name,
        display_name,
        language: user.language,
        email_confirmed: user.email_confirmed,
        state: user.state,
        associations: memberships
            .into_iter()
            .map(|(a, role)| Membership { name: a.name, role })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    summary = "The token's user: names, language, whether the email is confirmed, associations",
    responses(
        (status = 200, description = "me", body = Me),
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn me(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Me>> {
    me_view(&state, user).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct MeInput {
    /// At most 100 characters; empty: documents show the username.
    full_name: Option<String>,
    /// At most 100 characters; empty: the username.
    display_name: Option<String>,
    /// `fr`, `en` or empty.
    language: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/me", tag = "me",
    operation_id = "update_me",
    summary = "Change my full name, display name or language (fields left out stay)",
    request_body = MeInput,
    responses(
        (status = 200, description = "me, changed", body = Me),
        crate::http::api::schema::NoToken,
        (status = 422, description = "invalid fields", body = ErrorBody)),
    security(("bearer" = [])))]
async fn update_me(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<MeInput>,
) -> ApiResult<Json<Me>> {
    let store = state.store.as_ref();
    let display_name = match input.display_name {
        Some(d) => d,
        None => registration::display_name(store, &user).await?,
    };
    let change = ProfileChange {
        full_name: input.full_name.unwrap_or_else(|| user.full_name.clone()),
        display_name,
        language: input.language.unwrap_or_else(|| user.language.clone()),
    };
    let user = registration::update_profile(store, &user, change, state.clock.now()).await?;
    state.wake.notify_waiters();
    me_view(&state, user).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PasswordInput {
    current_password: String,
    /// At least 8 characters.
    new_password: String,
}

#[utoipa::path(post, path = "/api/v1/me/password", tag = "me",
    operation_id = "change_password",
    summary = "Change my password (the current one is needed); my web sessions end",
    request_body = PasswordInput,
    responses(
        (status = 204, description = "changed"),
        crate::http::api::schema::NoToken,
        (status = 422, description = "wrong current password, or a new one too short", body = ErrorBody)),
    security(("bearer" = [])))]
async fn change_password(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<PasswordInput>,
) -> ApiResult<StatusCode> {
    let store = state.store.as_ref();
    registration::change_password(
        store,
        &user,
        &input.current_password,
        &input.new_password,
        None,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct EmailInput {
    current_password: String,
    /// The new address: it becomes the account's when the link sent to it is followed.
    email: String,
}

#[utoipa::path(post, path = "/api/v1/me/email", tag = "me",
    operation_id = "change_email",
    summary = "Move my account to another address: a link goes to it, the old address is told",
    description = "The account keeps its address until the link (valid 48 hours) is followed. An address already used by another account gets an email saying so, and the answer here is the same. At most 3 an hour.",
    request_body = EmailInput,
    responses(
        (status = 202, description = "the link is on its way", body = Accepted),
        crate::http::api::schema::NoToken,
        (status = 422, description = "wrong current password, invalid or unchanged address", body = ErrorBody),
        (status = 429, description = "too many; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait")))),
    security(("bearer" = [])))]
async fn change_email(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<EmailInput>,
) -> Response {
    let now = state.clock.now();
    if let Err(wait) = state.account_throttle.account_email(user.id, now) {
        return braked(wait);
    }
    let store = state.store.as_ref();
    let config = &state.config;
    match registration::change_email(
        store,
        config,
        &user,
        &input.current_password,
        &input.email,
        now,
    )
    .await
    {
        Ok(()) => {
            state.account_throttle.account_email_sent(user.id, now);
            state.wake.notify_waiters();
            let body = Accepted {
                status: "sent",
                message: "a link to confirm the new address is on its way (valid 48 hours)",
            };
            (StatusCode::ACCEPTED, Json(body)).into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[utoipa::path(post, path = "/api/v1/me/email/confirmation", tag = "me",
    operation_id = "resend_confirmation",
    summary = "Send the link confirming my address again (the earlier one stops working)",
    responses(
        (status = 202, description = "sent (`sent`), or nothing to confirm (`already_confirmed`)", body = Accepted),
        crate::http::api::schema::NoToken,
        (status = 429, description = "too many; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait")))),
    security(("bearer" = [])))]
async fn resend(State(state): State<AppState>, ApiUser(user): ApiUser) -> Response {
    let now = state.clock.now();
    if let Err(wait) = state.account_throttle.account_email(user.id, now) {
        return braked(wait);
    }
    match registration::resend_confirmation(state.store.as_ref(), &state.config, &user, now).await {
        Ok(sent) => {
            if sent {
                state.account_throttle.account_email_sent(user.id, now);
            }
            state.wake.notify_waiters();
            let body = if sent {
                Accepted {
                    status: "sent",
                    message: "a new link is on its way (valid 48 hours)",
                }
            } else {
                Accepted {
                    status: "already_confirmed",
                    message: "this address is confirmed already",
                }
            };
            (StatusCode::ACCEPTED, Json(body)).into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// An account as the node's administrators see it.
#[derive(Serialize, ToSchema)]
struct AccountView {
    id: i64,
    name: String,
    #[schema(required = true)]
    email: Option<String>,
    full_name: String,
    email_confirmed: bool,
    state: AccountState,
    created_at: chrono::DateTime<chrono::Utc>,
}

fn account_view(u: User) -> AccountView {
    AccountView {
        id: u.id,
        name: u.name,
        email: u.email,
        full_name: u.full_name,
        email_confirmed: u.email_confirmed,
        state: u.state,
        created_at: u.created_at,
    }
}

#[derive(Serialize, ToSchema)]
struct AccountList {
    /// Oldest first.
    accounts: Vec<AccountView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct StateQuery {
    /// `pending` (the default), `active` or `refused`.
    state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/accounts", tag = "admin",
    operation_id = "list_accounts",
    summary = "Accounts in a state, waiting ones by default (administrators)",
    params(StateQuery),
    responses(
        (status = 200, description = "the accounts, oldest first", body = AccountList),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        (status = 422, description = "unknown state", body = ErrorBody)),
    security(("bearer" = [])))]
async fn list_accounts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<StateQuery>,
) -> ApiResult<Json<AccountList>> {
    let wanted = q.state.as_deref().unwrap_or("pending");
    let Some(wanted) = AccountState::parse(wanted) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "state is one of pending, active, refused",
        ));
    };
    let list = registration::accounts_in_state(state.store.as_ref(), &user, wanted).await?;
    Ok(Json(AccountList {
        accounts: list.into_iter().map(account_view).collect(),
    }))
}

async fn decide(
    state: AppState,
    user: User,
    id: i64,
    approve: bool,
) -> ApiResult<Json<AccountView>> {
    let store = state.store.as_ref();
    let now = state.clock.now();
    let decided = registration::decide(store, &state.config, &user, id, approve, now).await?;
    state.wake.notify_waiters();
    Ok(Json(account_view(decided)))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/approve", tag = "admin",
    operation_id = "approve_account",
    summary = "Accept a waiting account; the person is told by email (administrators)",
    params(("id" = i64, Path, description = "the account's id")),
    responses(
        (status = 200, description = "accepted", body = AccountView),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        (status = 404, description = "no such account", body = ErrorBody),
        (status = 409, description = "the account is not waiting", body = ErrorBody)),
    security(("bearer" = [])))]
async fn approve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<AccountView>> {
    decide(state, user, id, true).await
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/refuse", tag = "admin",
    operation_id = "refuse_account",
    summary = "Refuse a waiting account; the person is told by email (administrators)",
    params(("id" = i64, Path, description = "the account's id")),
    responses(
        (status = 200, description = "refused", body = AccountView),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        (status = 404, description = "no such account", body = ErrorBody),
        (status = 409, description = "the account is not waiting", body = ErrorBody)),
    security(("bearer" = [])))]
async fn refuse(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<AccountView>> {
    decide(state, user, id, false).await
}
