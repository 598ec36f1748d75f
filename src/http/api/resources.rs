//! Shared equipment (issue 4): an association's resources, and reservations decided by the
//! owner's node. Money is a decimal string (`"150.00"`), never a float.

use super::ApiJson;
use crate::{
    domain::{
        actor::Actor,
        resource::{Reservation, Resource, ResourceInput},
    },
    http::{auth::ApiUser, error::ApiResult},
    service::resources::{self, Move, ReservationInput},
    state::AppState,
    storage::ReserveOutcome,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/associations/{name}/resources",
            get(list).post(create),
        )
        .route("/api/v1/resources/{id}", get(one).patch(update))
        .route("/api/v1/resources/{id}/reservations", post(reserve))
        .route("/api/v1/reservations/{id}", get(reservation))
        .route("/api/v1/reservations/{id}/{action}", post(act))
}

fn money(d: Option<rust_decimal::Decimal>) -> Value {
    d.map(|d| Value::String(d.to_string()))
        .unwrap_or(Value::Null)
}

pub fn resource_view(r: &Resource, owner: &Actor) -> Value {
    let d = &r.draft;
    json!({
        "id": r.id, "ap_id": r.ap_id, "owner": owner.name, "name": d.name, "description": d.description,
        "category": d.category, "owner_kind": d.owner_kind, "place": d.place,
        "latitude": d.latitude, "longitude": d.longitude, "quantity": d.quantity,
        "replacement_value": money(d.replacement_value), "mode": d.mode, "price_per_day": money(d.price_per_day),
        "deposit": money(d.deposit), "conditions": d.conditions, "insurance_required": d.insurance_required,
        "min_notice_hours": d.min_notice_hours, "max_days": d.max_days, "turnaround_hours": d.turnaround_hours,
        "approval": d.approval, "created_at": r.created_at, "updated_at": r.updated_at,
    })
}

fn reservation_view(r: &Reservation) -> Value {
    json!({
        "id": r.id, "resource_id": r.resource_id, "offer_id": r.offer_id,
        "borrower_actor_id": r.borrower_actor_id, "quantity": r.quantity, "start": r.start, "end": r.end,
        "state": r.state, "reason": r.reason, "created_at": r.created_at, "updated_at": r.updated_at,
    })
}

async fn list(State(state): State<AppState>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let (owner, list) = resources::of_association(state.store.as_ref(), &name).await?;
    Ok(Json(json!({
        "resources": list.iter().map(|r| resource_view(r, &owner)).collect::<Vec<_>>()
    })))
}

async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let r = resources::create(state.store.as_ref(), &state.config, &user, &name, input).await?;
    let owner = state.store.get_actor(r.actor_id).await?;
    Ok((StatusCode::CREATED, Json(resource_view(&r, &owner))))
}

async fn one(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let (r, owner) = resources::get(state.store.as_ref(), id).await?;
    Ok(Json(resource_view(&r, &owner)))
}

async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<Json<Value>> {
    let r = resources::update(state.store.as_ref(), &user, id, input).await?;
    let owner = state.store.get_actor(r.actor_id).await?;
    Ok(Json(resource_view(&r, &owner)))
}

async fn reserve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReservationInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (outcome, _) =
        resources::request(state.store.as_ref(), &state.config, &user, id, input).await?;
    Ok(match outcome {
        ReserveOutcome::Recorded(r) => (StatusCode::CREATED, Json(reservation_view(&r))),
        ReserveOutcome::Existing(r) => (StatusCode::OK, Json(reservation_view(&r))),
    })
}

async fn reservation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let r = resources::reservation(state.store.as_ref(), &user, id).await?;
    Ok(Json(reservation_view(&r)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Reason {
    reason: String,
}

async fn act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, action)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let step = match action.as_str() {
        "accept" => Move::Accept,
        "refuse" => Move::Refuse,
        "cancel" => Move::Cancel,
        "pickup" => Move::PickUp,
        "return" => Move::Return,
        _ => return Err(crate::service::ServiceError::NotFound("action").into()),
    };
    // The body is optional: `{"reason": "…"}` when refusing or cancelling.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        serde_json::from_slice::<Reason>(&body)
            .map_err(|_| {
                crate::service::ServiceError::from(crate::domain::DomainError::field(
                    "reason",
                    "send {\"reason\": \"…\"} or nothing",
                ))
            })?
            .reason
    };
    let r = resources::move_on(state.store.as_ref(), &user, id, step, &reason).await?;
    Ok(Json(reservation_view(&r)))
}

pub fn openapi(doc: &mut Value) {
    let err = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let ok = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"type": "object"}}}});
    let bearer = json!([{"bearer": []}]);
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let name =
        json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string"}});
    let action = json!({"name": "action", "in": "path", "required": true,
        "schema": {"type": "string", "enum": ["accept", "refuse", "cancel", "pickup", "return"]}});
    let resource_input = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {
        "name": {"type": "string", "maxLength": 120}, "description": {"type": "string"}, "category": {"type": "string"},
        "owner_kind": {"type": "string", "enum": ["association", "cooperative", "craftsman", "company", "local_authority"]},
        "place": {"type": "string"}, "latitude": {"type": "number"}, "longitude": {"type": "number"},
        "quantity": {"type": "integer", "minimum": 1}, "replacement_value": {"type": ["string", "number"]},
        "mode": {"type": "string", "enum": ["free_loan", "rental", "exchange"]}, "price_per_day": {"type": ["string", "number"]},
        "deposit": {"type": ["string", "number"]}, "conditions": {"type": "string"}, "insurance_required": {"type": "boolean"},
        "min_notice_hours": {"type": "integer"}, "max_days": {"type": "integer"}, "turnaround_hours": {"type": "integer"},
        "approval": {"type": "string", "enum": ["automatic", "manual"]}}}}}});
    let paths = json!({
        "/api/v1/associations/{name}/resources": {
            "get": {"summary": "The equipment an association lends", "parameters": [name],
                    "responses": {"200": ok("its resources"), "404": err("no such association")}},
            "post": {"summary": "Add a resource (one item or a pool) with its terms (coordinators)", "security": bearer,
                     "parameters": [name], "requestBody": resource_input,
                     "responses": {"201": ok("added"), "401": err("no valid token"), "403": err("not a coordinator"),
                                   "404": err("no such association"), "422": err("a message per invalid field")}}},
        "/api/v1/resources/{id}": {
            "get": {"summary": "A resource", "parameters": [id], "responses": {"200": ok("the resource"), "404": err("no such resource")}},
            "patch": {"summary": "Change a resource (the fields given; its owner's coordinators)", "security": bearer,
                      "parameters": [id], "requestBody": resource_input,
                      "responses": {"200": ok("changed"), "401": err("no valid token"), "403": err("not the owner's coordinator"),
                                    "404": err("no such resource"), "422": err("a message per invalid field")}}},
        "/api/v1/resources/{id}/reservations": {"post": {
            "summary": "Ask for a quantity over a period for an association of this node you coordinate; decided at once by the owner's node (accepted, refused with the reason, or waiting for its coordinators). The same offer_id twice answers the first reservation (200).",
            "security": bearer, "parameters": [id],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false,
                "required": ["borrower", "start", "end"], "properties": {"borrower": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1},
                "start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"}, "offer_id": {"type": "string"}}}}}},
            "responses": {"201": ok("recorded"), "200": ok("this offer id was recorded before"), "401": err("no valid token"),
                          "403": err("not a coordinator of the borrower"), "404": err("no such resource"),
                          "422": err("return before pickup, more than the pool, shorter than the notice, longer than allowed…")}}},
        "/api/v1/reservations/{id}": {"get": {"summary": "A reservation (its owner's or its borrower's coordinators)", "security": bearer,
            "parameters": [id], "responses": {"200": ok("the reservation"), "401": err("no valid token"), "404": err("no such reservation")}}},
        "/api/v1/reservations/{id}/{action}": {"post": {
            "summary": "Move a reservation on: accept or refuse (with a reason) a waiting request, pickup and return (the owner's coordinators); cancel before the pickup (either party)",
            "security": bearer, "parameters": [id, action],
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}}}}}},
            "responses": {"200": ok("moved"), "401": err("no valid token"), "403": err("not allowed"), "404": err("no such reservation or action"),
                          "409": err("not possible in its state, or the pool is taken"), "422": err("a refusal without a reason")}}},
    });
    if let (Some(all), Some(new)) = (doc["paths"].as_object_mut(), paths.as_object()) {
        for (k, v) in new {
            all.insert(k.clone(), v.clone());
        }
    }
}
