//! Time slots and sign-ups: add and cancel slots, take or leave a place, accept or refuse
//! requests, sign up people without an account, see one's own sign-ups.

use super::ApiJson;
use crate::{
    domain::slot::{Participant, Participation, Refusal, Slot},
    http::{
        auth::ApiUser,
        error::{ApiError, ApiResult},
    },
    service::{accounts::role_in, slots},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{delete, get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

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

pub fn slot_view(s: &Slot) -> Value {
    json!({
        "id": s.id, "ap_id": s.ap_id, "mission_id": s.mission_id, "local": s.local,
        "start_time": s.start_time, "end_time": s.end_time, "capacity": s.capacity,
        "participant_count": s.participant_count, "remaining": s.remaining(), "status": s.status,
    })
}

/// A sign-up; contact details only for those allowed to see them (`with_contact`).
fn participation_view(p: &Participation, with_contact: bool) -> Value {
    let participant = match &p.participant {
        Participant::Guest { name, .. } if !with_contact => {
            json!({"kind": "guest", "name": name, "contact": Value::Null})
        }
        other => json!(other),
    };
    json!({
        "id": p.id, "slot_id": p.slot_id, "participant": participant, "status": p.status,
        "message": p.message, "reason": p.reason, "created_at": p.created_at, "decided_at": p.decided_at,
    })
}

fn refused(r: Refusal, lang: &str) -> ApiError {
    let code = match r {
        Refusal::Full => "slot_full",
        Refusal::Overlaps => "overlaps_another_slot",
        Refusal::Closed => "slot_closed",
        Refusal::Over => "slot_over",
        Refusal::AlreadySignedUp => "already_signed_up",
    };
    ApiError::new(StatusCode::CONFLICT, code, r.message(lang))
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

async fn list_slots(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let m = state.store.get_mission(id).await?;
    if m.deleted_at.is_some() {
        return Err(ApiError::new(
            StatusCode::GONE,
            "gone",
            "this mission was deleted",
        ));
    }
    let list = state.store.list_slots(id).await?;
    Ok(Json(
        json!({"slots": list.iter().map(slot_view).collect::<Vec<_>>()}),
    ))
}

async fn add_slots(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<slots::NewSlots>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let created = slots::add(state.store.as_ref(), &state.config, &user, id, input).await?;
    state.wake.notify_waiters();
    Ok((
        StatusCode::CREATED,
        Json(json!({"slots": created.iter().map(slot_view).collect::<Vec<_>>()})),
    ))
}

async fn get_slot(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    Ok(Json(slot_view(&state.store.get_slot(id).await?)))
}

async fn update_slot(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<crate::domain::slot::SlotInput>,
) -> ApiResult<Json<Value>> {
    let slot = slots::update(state.store.as_ref(), &state.config, &user, id, input).await?;
    state.wake.notify_waiters();
    Ok(Json(slot_view(&slot)))
}

async fn cancel_slot(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let withdrawn = slots::cancel(state.store.as_ref(), &user, id).await?;
    state.wake.notify_waiters();
    Ok(Json(
        json!({"slot": slot_view(&state.store.get_slot(id).await?), "withdrawn": withdrawn.len()}),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SignUpInput {
    message: String,
}

async fn sign_up(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let message = optional_json::<SignUpInput>(&body)?.message;
    match slots::sign_up(state.store.as_ref(), &state.config, &user, id, &message).await? {
        Ok(p) => {
            state.wake.notify_waiters();
            Ok((StatusCode::CREATED, Json(participation_view(&p, true))))
        }
        Err(r) => Err(refused(r, lang(&state))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuestInput {
    name: String,
    /// A phone number or an email.
    contact: String,
}

async fn sign_up_guest(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<GuestInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    match slots::sign_up_guest(
        state.store.as_ref(),
        &state.config,
        &user,
        id,
        &input.name,
        &input.contact,
    )
    .await?
    {
        Ok(p) => {
            state.wake.notify_waiters();
            Ok((StatusCode::CREATED, Json(participation_view(&p, true))))
        }
        Err(r) => Err(refused(r, lang(&state))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageInput {
    text: String,
}

/// A coordinator writes to everyone signed up for a slot (email, or direct message).
async fn message_participants(
    ctx: crate::state::Context,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Json<Value>> {
    slots::check_message(ctx.store.as_ref(), &user, id, &input.text).await?;
    let reached =
        crate::notify::message_slot(&ctx, id, input.text.trim(), chrono::Utc::now()).await?;
    Ok(Json(json!({"recipients": reached})))
}

async fn list_participations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (slot, _, association) = slots::local_slot(state.store.as_ref(), id).await?;
    match role_in(state.store.as_ref(), &user, &association).await? {
        Some(r) if r.can_manage_missions() => {}
        _ => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only the association's coordinators see who signed up",
            ))
        }
    }
    let list = state.store.list_participations(slot.id).await?;
    Ok(Json(
        json!({"slot": slot_view(&slot), "participations": list.iter().map(|p| participation_view(p, true)).collect::<Vec<_>>()}),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct DecisionInput {
    reason: String,
}

async fn decide(
    state: AppState,
    user: crate::domain::account::User,
    id: i64,
    accept: bool,
    reason: String,
) -> ApiResult<Json<Value>> {
    match slots::decide(state.store.as_ref(), &user, id, accept, &reason).await? {
        Ok(p) => {
            state.wake.notify_waiters();
            Ok(Json(participation_view(&p, true)))
        }
        Err(r) => Err(refused(r, lang(&state))),
    }
}

async fn accept(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    decide(
        state,
        user,
        id,
        true,
        optional_json::<DecisionInput>(&body)?.reason,
    )
    .await
}

async fn reject(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    decide(
        state,
        user,
        id,
        false,
        optional_json::<DecisionInput>(&body)?.reason,
    )
    .await
}

async fn withdraw(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let p = slots::withdraw(state.store.as_ref(), &user, id).await?;
    state.wake.notify_waiters();
    Ok(Json(participation_view(&p, true)))
}

async fn my_participations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Value>> {
    let list = state.store.user_participations(user.id).await?;
    let items: Vec<Value> = list
        .iter()
        .map(|(p, s)| {
            let mut v = participation_view(p, true);
            v["slot"] = slot_view(s);
            v
        })
        .collect();
    Ok(Json(json!({"participations": items})))
}
