//! Text messages through the API (issue 16): my phone number, its confirmation and my choices;
//! the gateway's forwarded replies (STOP); coordinators' messages with their preview and log;
//! the administrators' daily cap per association.

use super::{schema::ErrorBody, ApiJson};
use crate::{
    domain::Denial,
    http::{
        auth::{ApiUser, Caller},
        error::{ApiError, ApiResult},
        params::Path,
    },
    notify::mass::{self, Reach, Scope, Sent},
    service::{
        sms::{self, LogLine, PhoneContact},
        ServiceError,
    },
    state::{AppState, Context},
};
use axum::{
    http::StatusCode,
    routing::{get, post, put},
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/phone", get(my_phone).put(set_phone))
        .route("/api/v1/me/phone/confirm", post(confirm))
        .route("/api/v1/me/phone/choices", put(choices))
        .route("/api/v1/me/phone/stop", post(stop))
        .route("/api/v1/sms/inbound", post(inbound))
        .route("/api/v1/associations/{name}/sms/cap", put(set_cap))
        .route(
            "/api/v1/associations/{name}/messages/preview",
            post(preview),
        )
        .route("/api/v1/associations/{name}/messages", post(send))
        .route("/api/v1/associations/{name}/messages/{id}", get(log))
        .route("/api/v1/admin/messages", post(send_node))
}

/// My phone number and what I chose.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PhoneView {
    /// E.164 (`+33612345678`).
    number: String,
    confirmed: bool,
    /// A confirmation code waits (sent by SMS).
    code_waiting: bool,
    /// Coordinators' messages by SMS.
    messages: bool,
    /// Reminders of a slot the day before by SMS.
    reminders: bool,
    /// When I stopped SMS (STOP), if I did and chose nothing since.
    stopped_at: Option<DateTime<Utc>>,
}

fn view(c: PhoneContact) -> PhoneView {
    PhoneView {
        number: c.number,
        confirmed: c.confirmed_at.is_some(),
        code_waiting: c.code_hash.is_some(),
        messages: c.messages,
        reminders: c.reminders,
        stopped_at: c.stopped_at,
    }
}

async fn current(me: &Caller) -> ApiResult<Json<PhoneView>> {
    match sms::phone(me.store(), &me.user).await? {
        Some(c) => Ok(Json(view(c))),
        None => Err(ApiError::not_found("phone number")),
    }
}

#[utoipa::path(get, path = "/api/v1/me/phone",
    operation_id = "get_my_phone", tag = "me",
    summary = "My phone number for text messages, and what I chose",
    responses(
        (status = 200, description = "the number and choices", body = PhoneView),
        crate::http::api::schema::NoToken,
        (status = 404, description = "no number given", body = ErrorBody)),
    security(("bearer" = [])))]
async fn my_phone(me: Caller) -> ApiResult<Json<PhoneView>> {
    current(&me).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PhoneInput {
    /// As typed: `06 12 34 56 78`, `+32 470 12 34 56` (France when no country is given).
    #[schema(max_length = 40)]
    phone: String,
}

#[utoipa::path(put, path = "/api/v1/me/phone",
    operation_id = "set_my_phone", tag = "me",
    summary = "Give my phone number; a confirmation code is sent to it by SMS",
    description = "The number is checked and stored in E.164. A new number is unconfirmed and chosen for nothing. One code a minute at most.",
    request_body = PhoneInput,
    responses(
        (status = 202, description = "the code is on its way", body = PhoneView),
        crate::http::api::schema::NoToken,
        (status = 403, description = "SMS are not enabled on this node", body = ErrorBody),
        (status = 409, description = "a code was sent less than a minute ago", body = ErrorBody),
        (status = 422, description = "not a valid phone number", body = ErrorBody)),
    security(("bearer" = [])))]
async fn set_phone(
    me: Caller,
    ApiJson(input): ApiJson<PhoneInput>,
) -> ApiResult<(StatusCode, Json<PhoneView>)> {
    sms::set_phone(me.store(), &me.config.sms, &me.user, &input.phone, me.now()).await?;
    me.queued();
    Ok((StatusCode::ACCEPTED, current(&me).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CodeInput {
    /// The code received by SMS.
    #[schema(max_length = 20)]
    code: String,
}

#[utoipa::path(post, path = "/api/v1/me/phone/confirm",
    operation_id = "confirm_my_phone", tag = "me",
    summary = "Confirm my phone number with the code received by SMS",
    request_body = CodeInput,
    responses(
        (status = 200, description = "confirmed", body = PhoneView),
        crate::http::api::schema::NoToken,
        (status = 404, description = "no number given", body = ErrorBody),
        (status = 409, description = "no code waits", body = ErrorBody),
        (status = 422, description = "wrong or expired code", body = ErrorBody)),
    security(("bearer" = [])))]
async fn confirm(me: Caller, ApiJson(input): ApiJson<CodeInput>) -> ApiResult<Json<PhoneView>> {
    sms::confirm_phone(me.store(), &me.user, &input.code, me.now()).await?;
    current(&me).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ChoicesInput {
    /// Coordinators' messages by SMS.
    messages: bool,
    /// Reminders of a slot the day before by SMS.
    reminders: bool,
}

#[utoipa::path(put, path = "/api/v1/me/phone/choices",
    operation_id = "choose_my_sms", tag = "me",
    summary = "Choose which messages I receive by SMS (a confirmed number only)",
    request_body = ChoicesInput,
    responses(
        (status = 200, description = "chosen", body = PhoneView),
        crate::http::api::schema::NoToken,
        (status = 403, description = "SMS are not enabled on this node", body = ErrorBody),
        (status = 404, description = "no number given", body = ErrorBody),
        (status = 409, description = "the number is not confirmed", body = ErrorBody)),
    security(("bearer" = [])))]
async fn choices(me: Caller, ApiJson(input): ApiJson<ChoicesInput>) -> ApiResult<Json<PhoneView>> {
    sms::set_choices(
        me.store(),
        &me.config.sms,
        &me.user,
        input.messages,
        input.reminders,
        me.now(),
    )
    .await?;
    current(&me).await
}

#[utoipa::path(post, path = "/api/v1/me/phone/stop",
    operation_id = "stop_my_sms", tag = "me",
    summary = "STOP: no more text messages (those waiting are not sent)",
    responses(
        (status = 200, description = "stopped", body = PhoneView),
        crate::http::api::schema::NoToken,
        (status = 404, description = "no number given", body = ErrorBody)),
    security(("bearer" = [])))]
async fn stop(me: Caller) -> ApiResult<Json<PhoneView>> {
    sms::stop(me.store(), &me.user, me.now()).await?;
    current(&me).await
}

/// A reply to one of our SMS, as the gateway forwards it.
#[derive(Debug, Deserialize, ToSchema)]
pub(super) struct InboundInput {
    /// The number that replied.
    #[schema(max_length = 40)]
    from: String,
    /// The reply's text (`STOP`, `ARRET`… stop every account with that number).
    #[schema(max_length = 2000)]
    text: String,
}

/// The SMS gateway, known by `sms.inbound_token` (checked before the body is read).
pub(super) struct GatewayToken;

impl axum::extract::FromRequestParts<AppState> for GatewayToken {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if sms::inbound_allowed(&state.config.sms, presented.trim()) {
            Ok(GatewayToken)
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this endpoint takes the SMS gateway's token (sms.inbound_token)",
            ))
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct InboundAnswer {
    /// Accounts that stopped receiving SMS (0 for another reply or an unknown number).
    stopped: usize,
}

#[utoipa::path(post, path = "/api/v1/sms/inbound",
    operation_id = "sms_inbound", tag = "sms",
    summary = "The SMS gateway forwards a reply (authenticated by sms.inbound_token)",
    description = "`Authorization: Bearer <sms.inbound_token>`. A reply of STOP (or ARRET, STOP SMS, UNSUBSCRIBE) stops messages and reminders by SMS for every account with that number; other replies change nothing.",
    request_body = InboundInput,
    responses(
        (status = 200, description = "taken", body = InboundAnswer),
        (status = 401, description = "not the gateway's token (or replies are not taken)", body = ErrorBody),
        (status = 422, description = "`from` is not a phone number", body = ErrorBody)),
    security(("bearer" = [])))]
async fn inbound(
    me: axum::extract::State<AppState>,
    _gateway: GatewayToken,
    ApiJson(input): ApiJson<InboundInput>,
) -> ApiResult<Json<InboundAnswer>> {
    let stopped = sms::inbound(me.store(), &input.from, &input.text, me.now()).await?;
    Ok(Json(InboundAnswer { stopped }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CapInput {
    /// SMS a day (0 to 100000); null: back to `sms.daily_cap_default`.
    daily_cap: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CapView {
    /// The association's own cap, or null when the node's default applies.
    daily_cap: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/associations/{name}/sms/cap",
    operation_id = "set_sms_cap", tag = "sms",
    summary = "Set an association's daily cap of SMS (the node's administrators)",
    params(("name" = String, Path, description = "the association's name")),
    request_body = CapInput,
    responses(
        (status = 200, description = "set", body = CapView),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not an administrator of the node", body = ErrorBody),
        crate::http::api::schema::NoSuchAssociation,
        (status = 422, description = "out of range", body = ErrorBody)),
    security(("bearer" = [])))]
async fn set_cap(
    me: Caller,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<CapInput>,
) -> ApiResult<Json<CapView>> {
    sms::set_cap(me.store(), &me.user, &name, input.daily_cap).await?;
    Ok(Json(CapView {
        daily_cap: input.daily_cap,
    }))
}

/// A coordinator's message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct MessageInput {
    /// `slot`, `mission` or `association`.
    scope: String,
    /// The slot's or the mission's id (not for `association`).
    scope_id: Option<i64>,
    #[schema(max_length = 1600)]
    text: String,
    /// Sending again with the same key sends nothing more (a retried request, a double
    /// click); 1 to 64 letters, digits, `-` or `_`; a new one when absent.
    #[schema(max_length = 64)]
    request_key: Option<String>,
}

fn scope(input: &MessageInput) -> ApiResult<Scope> {
    let bad = || {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "scope must be slot or mission with a scope_id, or association",
        )
    };
    Ok(match (input.scope.as_str(), input.scope_id) {
        ("slot", Some(id)) => Scope::Slot(id),
        ("mission", Some(id)) => Scope::Mission(id),
        ("association", None) => Scope::Association,
        _ => return Err(bad()),
    })
}

#[utoipa::path(post, path = "/api/v1/associations/{name}/messages/preview",
    operation_id = "preview_message", tag = "sms",
    summary = "How many people each channel would reach, and the cost in SMS (coordinators)",
    params(("name" = String, Path, description = "the association's name")),
    request_body = MessageInput,
    responses(
        (status = 200, description = "the reach", body = Reach),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such association, slot or mission", body = ErrorBody),
        (status = 422, description = "empty or too long, or a bad scope", body = ErrorBody)),
    security(("bearer" = [])))]
async fn preview(
    ctx: Context,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Json<Reach>> {
    let scope = scope(&input)?;
    let a = sms::check_message(ctx.store.as_ref(), &user, &name, scope, &input.text).await?;
    Ok(Json(
        mass::preview(&ctx, &a, scope, &input.text, ctx.clock.now()).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SentView {
    /// The message's id (its log: `GET …/messages/{id}`).
    id: i64,
    reach: Reach,
}

/// A message recorded (201, its id and reach), or refused past the SMS daily cap (409).
fn sent(outcome: Sent) -> ApiResult<(StatusCode, Json<SentView>)> {
    match outcome {
        Sent::Recorded { message_id, reach } => Ok((
            StatusCode::CREATED,
            Json(SentView {
                id: message_id,
                reach,
            }),
        )),
        Sent::OverCap { left, .. } => Err(ServiceError::Conflict(
            Denial::new("sms_daily_cap").text("left", left.to_string()),
        )
        .into()),
    }
}

#[utoipa::path(post, path = "/api/v1/associations/{name}/messages",
    operation_id = "send_message", tag = "sms",
    summary = "Write to the volunteers of a slot, a mission or the association, on each person's channels (coordinators)",
    description = "Email for accounts and guests with an address, a direct message for people on other servers, SMS for those who confirmed a number and chose messages by SMS. Refused (409) when the SMS would pass the association's daily cap.",
    params(("name" = String, Path, description = "the association's name")),
    request_body = MessageInput,
    responses(
        (status = 201, description = "recorded; the workers send it", body = SentView),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such association, slot or mission", body = ErrorBody),
        (status = 409, description = "over the daily cap of SMS", body = ErrorBody),
        (status = 422, description = "empty or too long, or a bad scope or key", body = ErrorBody)),
    security(("bearer" = [])))]
async fn send(
    ctx: Context,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<(StatusCode, Json<SentView>)> {
    let scope = scope(&input)?;
    let a = sms::check_message(ctx.store.as_ref(), &user, &name, scope, &input.text).await?;
    let key = sms::request_key(input.request_key.as_deref())?;
    let now = ctx.clock.now();
    sent(mass::send(&ctx, user.id, &a, scope, &input.text, &key, now).await?)
}

/// The node's administrators' message to the coordinators of every local association.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NodeMessageInput {
    #[schema(max_length = 1600)]
    text: String,
    /// Sending again with the same key sends nothing more; 1 to 64 letters, digits, `-` or
    /// `_`; a new one when absent.
    #[schema(max_length = 64)]
    request_key: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/messages",
    operation_id = "send_node_message", tag = "sms",
    summary = "Write to the coordinators and owners of every local association, on each person's channels (the node's administrators)",
    description = "Each person once, by email and by SMS for those who confirmed a number and chose messages by SMS; the SMS count against the node's relay actor's daily cap (409 past it).",
    request_body = NodeMessageInput,
    responses(
        (status = 201, description = "recorded; the workers send it", body = SentView),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not an administrator of the node", body = ErrorBody),
        (status = 409, description = "over the daily cap of SMS", body = ErrorBody),
        (status = 422, description = "empty or too long, or a bad key", body = ErrorBody)),
    security(("bearer" = [])))]
async fn send_node(
    ctx: Context,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<NodeMessageInput>,
) -> ApiResult<(StatusCode, Json<SentView>)> {
    let relay = sms::check_node_message(ctx.store.as_ref(), &user, &input.text).await?;
    let key = sms::request_key(input.request_key.as_deref())?;
    let now = ctx.clock.now();
    sent(mass::send(&ctx, user.id, &relay, Scope::Node, &input.text, &key, now).await?)
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct LogLineView {
    /// `email`, `fediverse` or `sms`.
    channel: String,
    recipient: String,
    /// email: pending, sent, failed, skipped; fediverse: federated; sms: pending, sent,
    /// failed (given up), refused, capped, stopped.
    status: String,
    attempts: i64,
    last_error: Option<String>,
    sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MessageLog {
    id: i64,
    scope: String,
    scope_id: i64,
    text: String,
    created_at: DateTime<Utc>,
    lines: Vec<LogLineView>,
}

fn line(l: LogLine) -> LogLineView {
    LogLineView {
        channel: l.channel,
        recipient: l.recipient,
        status: l.status,
        attempts: l.attempts,
        last_error: l.last_error,
        sent_at: l.sent_at,
    }
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/messages/{id}",
    operation_id = "message_log", tag = "sms",
    summary = "A message's log: who received it by which channel, what failed and why (coordinators)",
    params(("name" = String, Path, description = "the association's name"),
        ("id" = i64, Path, description = "the message's id")),
    responses(
        (status = 200, description = "the log", body = MessageLog),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such message", body = ErrorBody)),
    security(("bearer" = [])))]
async fn log(me: Caller, Path((name, id)): Path<(String, i64)>) -> ApiResult<Json<MessageLog>> {
    let (m, lines) = sms::message_log(me.store(), &me.user, &name, id).await?;
    Ok(Json(MessageLog {
        id: m.id,
        scope: m.scope,
        scope_id: m.scope_id,
        text: m.body,
        created_at: m.created_at,
        lines: lines.into_iter().map(line).collect(),
    }))
}
