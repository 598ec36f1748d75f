//! Time slots and sign-ups: add and cancel slots, take or leave a place, accept or refuse
//! requests, sign up people without an account, see one's own sign-ups.

use super::{
    schema::{self, ErrorBody},
    ApiJson,
};
use crate::http::params::Path;
use crate::{
    domain::slot::{Participant, Participation, Refusal, Slot},
    http::{
        auth::{ApiUser, Caller, MaybeApiUser},
        error::{ApiError, ApiResult},
    },
    service::{accounts::role_in, missions, slots},
    state::AppState,
};
use axum::{
    extract::State,
    http::StatusCode,
    routing::{delete, get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/missions/{id}/slots",
            get(list_slots).post(add_slots),
        )
        .route(
            "/api/v1/slots/{id}",
            get(get_slot).patch(update_slot).delete(cancel_slot),
        )
        .route(
            "/api/v1/slots/{id}/participations",
            get(list_participations).post(sign_up),
        )
        .route("/api/v1/slots/{id}/guests", post(sign_up_guest))
        .route("/api/v1/slots/{id}/message", post(message_participants))
        .route("/api/v1/participations/{id}/accept", post(accept))
        .route("/api/v1/participations/{id}/reject", post(reject))
        .route("/api/v1/participations/{id}", delete(withdraw))
        .route("/api/v1/me/participations", get(my_participations))
}

/// A slot as the API shows it.
pub fn slot_view(s: &Slot) -> schema::Slot {
    schema::Slot {
        id: s.id,
        ap_id: s.ap_id.clone(),
        mission_id: s.mission_id,
        local: s.local,
        start_time: s.start_time,
        end_time: s.end_time,
        capacity: s.capacity,
        participant_count: s.participant_count,
        remaining: s.remaining(),
        status: s.status,
    }
}

/// A sign-up; contact details only for those allowed to see them (`with_contact`).
fn participation_view(p: &Participation, with_contact: bool) -> schema::Participation {
    let participant = match &p.participant {
        Participant::Guest { name, .. } if !with_contact => {
            json!({"kind": "guest", "name": name, "contact": Value::Null})
        }
        other => json!(other),
    };
    schema::Participation {
        id: p.id,
        slot_id: p.slot_id,
        participant,
        status: p.status,
        message: p.message.clone(),
        reason: p.reason.clone(),
        created_at: p.created_at,
        decided_at: p.decided_at,
    }
}

fn refused(r: Refusal, lang: &str) -> ApiError {
    let code = match r {
        Refusal::Full => "slot_full",
        Refusal::Overlaps => "overlaps_another_slot",
        Refusal::Closed => "slot_closed",
        Refusal::Over => "slot_over",
        Refusal::AlreadySignedUp => "already_signed_up",
    };
    ApiError::new(
        StatusCode::CONFLICT,
        code,
        crate::i18n::refusal(crate::i18n::Lang::or_reference(lang), r),
    )
}

/// A JSON body that may be left out entirely.
fn optional_json<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> ApiResult<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        let status = if e.is_syntax() || e.is_eof() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        ApiError::new(
            status,
            if status == StatusCode::BAD_REQUEST {
                "invalid_json"
            } else {
                "validation_failed"
            },
            format!("the body is not what was expected: {e}"),
        )
    })
}

fn lang(state: &AppState) -> &str {
    &state.config.instance.default_language
}

#[utoipa::path(get, path = "/api/v1/missions/{id}/slots", tag = "slots",
    summary = "The time slots of a mission (a draft's: its coordinators only, 404 otherwise)",
    params(("id" = i64, Path, description = "the mission's id")),
    responses(
        (status = 200, description = "slots", body = schema::SlotList),
        crate::http::api::schema::BadOptionalToken,
        (status = 404, description = "no such mission", body = ErrorBody),
        (status = 410, description = "deleted", body = ErrorBody)))]
async fn list_slots(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<schema::SlotList>> {
    super::missions::not_deleted(
        missions::seen_by(state.store.as_ref(), user.as_ref(), id).await?,
    )?;
    let list = slots::of_mission(state.store.as_ref(), id).await?;
    Ok(Json(schema::SlotList {
        slots: list.iter().map(slot_view).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/missions/{id}/slots", tag = "slots",
    summary = "Add slots, one by one or by a weekly rule (coordinators)",
    params(("id" = i64, Path, description = "the mission's id")),
    request_body = slots::NewSlots,
    responses(
        (status = 201, description = "the slots added", body = schema::SlotList),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalMission,
        (status = 422, description = "invalid slots, one message per field", body = ErrorBody)),
    security(("bearer" = [])))]
async fn add_slots(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<slots::NewSlots>,
) -> ApiResult<(StatusCode, Json<schema::SlotList>)> {
    let created = slots::add(me.store(), &me.config, &me.user, id, input, me.now()).await?;
    me.queued();
    Ok((
        StatusCode::CREATED,
        Json(schema::SlotList {
            slots: created.iter().map(slot_view).collect(),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/slots/{id}", tag = "slots",
    summary = "One slot with its places left (a draft's: its coordinators only, 404 otherwise)",
    params(("id" = i64, Path, description = "the slot's id")),
    responses(
        (status = 200, description = "the slot", body = schema::Slot),
        crate::http::api::schema::BadOptionalToken,
        (status = 404, description = "no such slot", body = ErrorBody)))]
async fn get_slot(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<schema::Slot>> {
    let slot = slots::get(state.store.as_ref(), id).await?;
    missions::seen_by(state.store.as_ref(), user.as_ref(), slot.mission_id)
        .await
        .map_err(|e| match e {
            crate::service::ServiceError::NotFound(_) => ApiError::not_found("slot"),
            other => other.into(),
        })?;
    Ok(Json(slot_view(&slot)))
}

#[utoipa::path(patch, path = "/api/v1/slots/{id}", tag = "slots",
    summary = "Change a slot's times or capacity; people signed up are told (coordinators)",
    params(("id" = i64, Path, description = "the slot's id")),
    request_body = crate::domain::slot::SlotInput,
    responses(
        (status = 200, description = "the slot", body = schema::Slot),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalSlot,
        (status = 422, description = "invalid times, or a capacity below the places taken", body = ErrorBody)),
    security(("bearer" = [])))]
async fn update_slot(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<crate::domain::slot::SlotInput>,
) -> ApiResult<Json<schema::Slot>> {
    let slot = slots::update(me.store(), &me.config, &me.user, id, input, me.now()).await?;
    me.queued();
    Ok(Json(slot_view(&slot)))
}

#[utoipa::path(delete, path = "/api/v1/slots/{id}", tag = "slots",
    summary = "Cancel a slot; everyone signed up is told (coordinators)",
    params(("id" = i64, Path, description = "the slot's id")),
    responses(
        (status = 200, description = "cancelled", body = schema::CancelledSlot),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalSlot),
    security(("bearer" = [])))]
async fn cancel_slot(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<schema::CancelledSlot>> {
    let withdrawn = slots::cancel(me.store(), &me.user, id, me.now()).await?;
    me.queued();
    Ok(Json(schema::CancelledSlot {
        slot: slot_view(&slots::get(me.store(), id).await?),
        withdrawn: withdrawn.len(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
struct SignUpInput {
    #[schema(max_length = 1000)]
    message: String,
}

#[utoipa::path(post, path = "/api/v1/slots/{id}/participations", tag = "slots",
    summary = "Sign up for a slot (here, or on another node: a Join is sent)",
    params(("id" = i64, Path, description = "the slot's id")),
    request_body(content = Option<SignUpInput>, description = "may be left out"),
    responses(
        (status = 201, description = "accepted at once, or pending", body = schema::Participation),
        crate::http::api::schema::NotJson,
        crate::http::api::schema::NoToken,
        (status = 404, description = "no such slot", body = ErrorBody),
        (status = 409, description = "refused: full, overlaps another of your slots, closed, over, already signed up", body = ErrorBody),
        (status = 422, description = "invalid message", body = ErrorBody)),
    security(("bearer" = [])))]
async fn sign_up(
    me: Caller,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<schema::Participation>)> {
    let message = optional_json::<SignUpInput>(&body)?.message;
    match slots::sign_up(me.store(), &me.config, &me.user, id, &message, me.now()).await? {
        Ok(p) => {
            me.queued();
            Ok((StatusCode::CREATED, Json(participation_view(&p, true))))
        }
        Err(r) => Err(refused(r, lang(&me))),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct GuestInput {
    name: String,
    /// A phone number or an email.
    contact: String,
}

#[utoipa::path(post, path = "/api/v1/slots/{id}/guests", tag = "slots",
    summary = "Sign up someone without an account (coordinators)",
    params(("id" = i64, Path, description = "the slot's id")),
    request_body = GuestInput,
    responses(
        (status = 201, description = "signed up", body = schema::Participation),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalSlot,
        (status = 409, description = "refused (full, closed, over)", body = ErrorBody),
        (status = 422, description = "name and contact are required", body = ErrorBody)),
    security(("bearer" = [])))]
async fn sign_up_guest(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<GuestInput>,
) -> ApiResult<(StatusCode, Json<schema::Participation>)> {
    match slots::sign_up_guest(
        me.store(),
        &me.config,
        &me.user,
        id,
        &input.name,
        &input.contact,
        me.now(),
    )
    .await?
    {
        Ok(p) => {
            me.queued();
            Ok((StatusCode::CREATED, Json(participation_view(&p, true))))
        }
        Err(r) => Err(refused(r, lang(&me))),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct MessageInput {
    #[schema(max_length = 5000)]
    text: String,
}

/// A coordinator writes to everyone signed up for a slot (email, or direct message).
#[utoipa::path(post, path = "/api/v1/slots/{id}/message", tag = "slots",
    summary = "Write to everyone signed up for a slot, by email or direct message (coordinators)",
    params(("id" = i64, Path, description = "the slot's id")),
    request_body = MessageInput,
    responses(
        (status = 200, description = "how many people it reaches", body = schema::Recipients),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalSlot,
        (status = 422, description = "the text is empty or too long", body = ErrorBody)),
    security(("bearer" = [])))]
async fn message_participants(
    ctx: crate::state::Context,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Json<schema::Recipients>> {
    slots::check_message(ctx.store.as_ref(), &user, id, &input.text).await?;
    let reached = crate::notify::message_slot(&ctx, id, input.text.trim(), ctx.clock.now()).await?;
    Ok(Json(schema::Recipients {
        recipients: reached,
    }))
}

#[utoipa::path(get, path = "/api/v1/slots/{id}/participations", tag = "slots",
    summary = "Who signed up for a slot, with contacts (coordinators)",
    params(("id" = i64, Path, description = "the slot's id")),
    responses(
        (status = 200, description = "sign-ups", body = schema::SlotParticipations),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalSlot),
    security(("bearer" = [])))]
async fn list_participations(
    me: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<schema::SlotParticipations>> {
    let (slot, _, association) = slots::local_slot(me.store(), id).await?;
    match role_in(me.store(), &me.user, &association).await? {
        Some(r) if r.can_manage_missions() => {}
        _ => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only the association's coordinators see who signed up",
            ))
        }
    }
    let list = slots::participations(me.store(), slot.id).await?;
    Ok(Json(schema::SlotParticipations {
        slot: slot_view(&slot),
        participations: list.iter().map(|p| participation_view(p, true)).collect(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
struct DecisionInput {
    #[schema(max_length = 500)]
    reason: String,
}

async fn decide(
    me: Caller,
    id: i64,
    accept: bool,
    body: &[u8],
) -> ApiResult<Json<schema::Participation>> {
    let reason = optional_json::<DecisionInput>(body)?.reason;
    match slots::decide(me.store(), &me.user, id, accept, &reason, me.now()).await? {
        Ok(p) => {
            me.queued();
            Ok(Json(participation_view(&p, true)))
        }
        Err(r) => Err(refused(r, lang(&me))),
    }
}

#[utoipa::path(post, path = "/api/v1/participations/{id}/accept", tag = "slots",
    summary = "Accept a pending sign-up (coordinators)",
    params(("id" = i64, Path, description = "the sign-up's id")),
    request_body(content = Option<DecisionInput>, description = "may be left out"),
    responses(
        (status = 200, description = "accepted", body = schema::Participation),
        crate::http::api::schema::NotJson,
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such sign-up", body = ErrorBody),
        (status = 409, description = "not pending, or no place left", body = ErrorBody),
        (status = 422, description = "invalid body", body = ErrorBody)),
    security(("bearer" = [])))]
async fn accept(
    me: Caller,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<Json<schema::Participation>> {
    decide(me, id, true, &body).await
}

#[utoipa::path(post, path = "/api/v1/participations/{id}/reject", tag = "slots",
    summary = "Refuse a pending sign-up, with a reason (coordinators)",
    params(("id" = i64, Path, description = "the sign-up's id")),
    request_body(content = Option<DecisionInput>, description = "may be left out"),
    responses(
        (status = 200, description = "refused", body = schema::Participation),
        crate::http::api::schema::NotJson,
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such sign-up", body = ErrorBody),
        (status = 409, description = "not pending", body = ErrorBody),
        (status = 422, description = "invalid reason", body = ErrorBody)),
    security(("bearer" = [])))]
async fn reject(
    me: Caller,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<Json<schema::Participation>> {
    decide(me, id, false, &body).await
}

#[utoipa::path(delete, path = "/api/v1/participations/{id}", tag = "slots",
    summary = "Withdraw (the volunteer, or a coordinator)",
    params(("id" = i64, Path, description = "the sign-up's id")),
    responses(
        (status = 200, description = "withdrawn", body = schema::Participation),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not yours", body = ErrorBody),
        (status = 404, description = "no such sign-up", body = ErrorBody),
        (status = 409, description = "not active any more", body = ErrorBody)),
    security(("bearer" = [])))]
async fn withdraw(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<schema::Participation>> {
    let p = slots::withdraw(me.store(), &me.user, id, me.now()).await?;
    me.queued();
    Ok(Json(participation_view(&p, true)))
}

#[utoipa::path(get, path = "/api/v1/me/participations", tag = "me",
    summary = "My sign-ups with their slots",
    responses(
        (status = 200, description = "sign-ups", body = schema::MyParticipations),
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn my_participations(me: Caller) -> ApiResult<Json<schema::MyParticipations>> {
    let list = slots::of_user(me.store(), me.user.id).await?;
    Ok(Json(schema::MyParticipations {
        participations: list
            .iter()
            .map(|(p, s)| schema::MyParticipation {
                participation: participation_view(p, true),
                slot: slot_view(s),
            })
            .collect(),
    }))
}
