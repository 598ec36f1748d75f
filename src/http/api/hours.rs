//! Volunteer hours (issue 5): my entries, an association's entries, validation, attendance at
//! slots that are over, the association's rates, totals with their value, and a CSV export.
//! Money and distances are decimal strings (`"89.10"`), never floats.

use super::ApiJson;
use crate::{
    documents::Document,
    domain::{
        actor::Actor,
        hours::{HoursEntry, HoursInput, HoursSettings, SettingsInput, Tally},
        mission::category_label,
    },
    http::{auth::ApiUser, download::download, error::ApiResult},
    service::hours::{self, Attendance, Period},
    state::AppState,
    storage::AttendanceOutcome,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/hours", get(list_mine).post(log_mine))
        .route(
            "/api/v1/hours/{id}",
            get(get_one).patch(update).delete(delete),
        )
        .route("/api/v1/hours/{id}/history", get(history))
        .route("/api/v1/hours/{id}/validate", post(validate))
        .route("/api/v1/hours/{id}/refuse", post(refuse))
        .route(
            "/api/v1/associations/{name}/hours",
            get(list_association).post(record_for),
        )
        .route(
            "/api/v1/associations/{name}/hours/settings",
            get(get_settings).put(put_settings),
        )
        .route("/api/v1/associations/{name}/hours/totals", get(totals))
        .route(
            "/api/v1/associations/{name}/hours/export.csv",
            get(export_csv),
        )
        .route("/api/v1/slots/{id}/attendance", post(attendance))
}

/// An association as entries name it: its name here, `name@host` when it is elsewhere.
fn association_name(a: &Actor) -> String {
    if a.local {
        a.name.clone()
    } else {
        format!("{}@{}", a.name, a.host)
    }
}

pub fn entry_view(e: &HoursEntry, association: Option<&Actor>) -> Value {
    let d = &e.draft;
    json!({
        "id": e.id, "association": association.map(association_name), "ap_id": e.ap_id,
        "volunteer": e.volunteer, "volunteer_name": e.volunteer_name(),
        "date": d.start_date, "end_date": d.end_date, "minutes": d.minutes,
        "distance_km": d.distance_km.map(|k| k.to_string()),
        "category": d.category, "mission_id": d.mission_id, "description": d.description,
        "status": e.status, "reason": e.reason, "slot_id": e.slot_id,
        "participation_id": e.participation_id, "created_at": e.created_at, "updated_at": e.updated_at,
    })
}

fn settings_view(a: &Actor, s: &HoursSettings) -> Value {
    let per_category: serde_json::Map<String, Value> = s
        .category_rates
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
        .collect();
    json!({
        "association": a.name, "moderation": s.moderation, "currency": "EUR",
        "hourly_rate": s.hourly_rate.to_string(), "category_rates": per_category,
        "mileage_rate": s.mileage_rate.to_string(),
    })
}

fn tally_view(t: &Tally) -> Value {
    json!({
        "entries": t.entries, "minutes": t.minutes, "hours": t.hours().to_string(),
        "distance_km": t.distance_km.normalize().to_string(),
        "time_value": t.time_value().to_string(), "mileage_value": t.mileage_value().to_string(),
        "value": t.value().to_string(),
    })
}

fn with(mut base: Value, key: &str, v: Value) -> Value {
    if let Some(o) = base.as_object_mut() {
        o.insert(key.to_string(), v);
    }
    base
}

async fn list_mine(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(period): Query<Period>,
) -> ApiResult<Json<Value>> {
    let list = hours::list_mine(state.store.as_ref(), &user, &period).await?;
    Ok(Json(json!({
        "entries": list.iter().map(|(e, a)| entry_view(e, Some(a))).collect::<Vec<_>>()
    })))
}

async fn log_mine(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<HoursInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let e = hours::log_mine(state.store.as_ref(), &state.config, &user, input).await?;
    state.wake.notify_waiters();
    let a = state.store.get_actor(e.actor_id).await?;
    Ok((StatusCode::CREATED, Json(entry_view(&e, Some(&a)))))
}

async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<HoursInput>,
) -> ApiResult<Json<Value>> {
    let e = hours::update(state.store.as_ref(), &state.config, &user, id, input).await?;
    state.wake.notify_waiters();
    let a = state.store.get_actor(e.actor_id).await?;
    Ok(Json(entry_view(&e, Some(&a))))
}

async fn delete(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    hours::delete(state.store.as_ref(), &user, id).await?;
    state.wake.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}

async fn get_one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (e, a) = hours::visible(state.store.as_ref(), &user, id).await?;
    Ok(Json(entry_view(&e, Some(&a))))
}

async fn history(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (e, a, changes) = hours::history(state.store.as_ref(), &user, id).await?;
    let mut names = std::collections::BTreeMap::new();
    let mut out = Vec::with_capacity(changes.len());
    for c in changes {
        let by = match c.changed_by {
            Some(uid) => match names.get(&uid) {
                Some(n) => Some(Value::clone(n)),
                None => {
                    let n = match state.store.get_user(uid).await {
                        Ok(u) => json!(u.name),
                        Err(_) => Value::Null,
                    };
                    names.insert(uid, n.clone());
                    Some(n)
                }
            },
            None => None,
        };
        out.push(json!({
            "id": c.id, "changed_at": c.changed_at, "changed_by": by.unwrap_or(Value::Null),
            "before": c.before, "after": c.after,
        }));
    }
    Ok(Json(
        json!({"entry": entry_view(&e, Some(&a)), "history": out}),
    ))
}

async fn validate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let e = hours::decide(state.store.as_ref(), &user, id, true, "").await?;
    state.wake.notify_waiters();
    let a = state.store.get_actor(e.actor_id).await?;
    Ok(Json(entry_view(&e, Some(&a))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RefuseInput {
    reason: String,
}

async fn refuse(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RefuseInput>,
) -> ApiResult<Json<Value>> {
    let e = hours::decide(state.store.as_ref(), &user, id, false, &input.reason).await?;
    state.wake.notify_waiters();
    let a = state.store.get_actor(e.actor_id).await?;
    Ok(Json(entry_view(&e, Some(&a))))
}

async fn list_association(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    Query(period): Query<Period>,
) -> ApiResult<Json<Value>> {
    let (a, list) = hours::list_association(state.store.as_ref(), &user, &name, &period).await?;
    Ok(Json(json!({
        "entries": list.iter().map(|e| entry_view(e, Some(&a))).collect::<Vec<_>>()
    })))
}

async fn record_for(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<HoursInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let e = hours::record_for(state.store.as_ref(), &state.config, &user, &name, input).await?;
    let a = state.store.get_actor(e.actor_id).await?;
    Ok((StatusCode::CREATED, Json(entry_view(&e, Some(&a)))))
}

async fn get_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let (a, s) = hours::get_settings(state.store.as_ref(), &user, &name).await?;
    Ok(Json(settings_view(&a, &s)))
}

async fn put_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<SettingsInput>,
) -> ApiResult<Json<Value>> {
    let (a, s) = hours::put_settings(state.store.as_ref(), &user, &name, input).await?;
    Ok(Json(settings_view(&a, &s)))
}

async fn totals(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    Query(period): Query<Period>,
) -> ApiResult<Json<Value>> {
    let t = hours::totals(state.store.as_ref(), &user, &name, &period).await?;
    let lang = state.config.instance.default_language.as_str();
    let r = &t.report;
    Ok(Json(json!({
        "association": t.association.name,
        "rates": settings_view(&t.association, &t.settings),
        "overall": tally_view(&r.overall),
        "by_volunteer": r.by_volunteer.iter().map(|(k, v)| with(tally_view(v), "volunteer", json!(k))).collect::<Vec<_>>(),
        "by_category": r.by_category.iter().map(|(k, v)| {
            with(with(tally_view(v), "category", json!(k)), "label", json!(category_label(k, lang)))
        }).collect::<Vec<_>>(),
        "by_mission": r.by_mission.iter().map(|(k, v)| {
            let title = k.and_then(|id| t.mission_titles.get(&id).cloned());
            with(with(tally_view(v), "mission_id", json!(k)), "title", json!(title))
        }).collect::<Vec<_>>(),
        "by_month": r.by_month.iter().map(|(k, v)| with(tally_view(v), "month", json!(k))).collect::<Vec<_>>(),
        "by_year": r.by_year.iter().map(|(k, v)| with(tally_view(v), "year", json!(k))).collect::<Vec<_>>(),
    })))
}

async fn export_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    Query(period): Query<Period>,
) -> ApiResult<Response> {
    let text = hours::export_csv(state.store.as_ref(), &user, &name, &period).await?;
    Ok(download(Document::csv(format!("hours-{name}.csv"), text)))
}

async fn attendance(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<Attendance>,
) -> ApiResult<Json<Value>> {
    let done =
        hours::mark_attendance(state.store.as_ref(), &state.config, &user, id, input).await?;
    let marks: Vec<Value> = done
        .iter()
        .map(|(pid, outcome)| match outcome {
            AttendanceOutcome::Recorded { entry } => json!({
                "participation_id": pid, "recorded": true, "present": entry.is_some(),
                "entry": entry.as_ref().map(|e| entry_view(e, None)),
            }),
            AttendanceOutcome::AlreadyMarked { present, entry_id } => json!({
                "participation_id": pid, "recorded": false, "present": present, "entry_id": entry_id,
            }),
        })
        .collect();
    Ok(Json(json!({ "marks": marks })))
}

/// The hours paths and schemas of the OpenAPI document (added to `openapi::document`).
pub fn openapi(doc: &mut Value) {
    let err = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let ok = |d: &str, schema: &Value| json!({"description": d, "content": {"application/json": {"schema": schema}}});
    let bearer = json!([{"bearer": []}]);
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let name =
        json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string"}});
    let period = json!([
        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "first day (included)"},
        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "last day (included)"},
        {"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "a calendar year, instead of from/to"},
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["pending", "validated", "refused"]}}
    ]);
    let with_name = |extra: &Value| {
        let mut v = vec![name.clone()];
        v.extend(extra.as_array().cloned().unwrap_or_default());
        Value::Array(v)
    };
    let entry = json!({"$ref": "#/components/schemas/HoursEntry"});
    let entries =
        json!({"type": "object", "properties": {"entries": {"type": "array", "items": entry}}});
    let input = json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HoursInput"}}}});
    let settings = json!({"$ref": "#/components/schemas/HoursSettings"});
    let paths = json!({
        "/api/v1/me/hours": {
            "get": {"summary": "My volunteer hours, newest first", "security": bearer, "parameters": period,
                    "responses": {"200": ok("my entries", &entries), "401": err("no valid token"), "422": err("bad period")}},
            "post": {"summary": "Record my own action for an association (`association` is required): one of this server I am a member of or took part in (pending when it moderates, else validated), or one of another server I follow or took part with, as `name@host` (sent there as a Create{EconomicEvent}; pending until it answers Accept or Reject)",
                     "security": bearer, "requestBody": input,
                     "responses": {"201": ok("recorded", &entry), "401": err("no valid token"), "403": err("neither a member nor a participant"),
                                   "404": err("no such association"), "422": err("a message per invalid field")}}},
        "/api/v1/hours/{id}": {
            "get": {"summary": "One entry (its volunteer or the association's coordinators)", "security": bearer, "parameters": [id],
                    "responses": {"200": ok("the entry", &entry), "401": err("no valid token"), "404": err("no such entry")}},
            "patch": {"summary": "Change an entry (only the fields given): its volunteer while not validated (or always when moderation is off; it waits again for validation), or a coordinator",
                      "security": bearer, "parameters": [id], "requestBody": input,
                      "responses": {"200": ok("changed", &entry), "401": err("no valid token"), "403": err("validated already"),
                                    "404": err("no such entry"), "422": err("a message per invalid field")}},
            "delete": {"summary": "Delete an entry (same rights as a change); the history keeps it", "security": bearer, "parameters": [id],
                       "responses": {"204": {"description": "deleted"}, "401": err("no valid token"), "403": err("validated already"), "404": err("no such entry")}}},
        "/api/v1/hours/{id}/history": {"get": {"summary": "Every change of an entry, oldest first: who (null for a change that came from another server), when, before and after (its volunteer or the association's coordinators)",
            "security": bearer, "parameters": [id],
            "responses": {"200": ok("the entry and its changes", &json!({"type": "object", "properties": {"entry": entry, "history": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "changed_at": {"type": "string", "format": "date-time"}, "changed_by": {"type": ["string", "null"]},
                "before": {"type": ["object", "null"]}, "after": {"type": ["object", "null"]}}}}}})),
                          "401": err("no valid token"), "404": err("no such entry")}}},
        "/api/v1/hours/{id}/validate": {"post": {"summary": "Validate an entry (coordinators)", "security": bearer, "parameters": [id],
            "responses": {"200": ok("validated", &entry), "401": err("no valid token"), "403": err("not a coordinator"),
                          "404": err("no such entry"), "409": err("already validated")}}},
        "/api/v1/hours/{id}/refuse": {"post": {"summary": "Refuse an entry with a reason (coordinators)", "security": bearer, "parameters": [id],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "maxLength": 500}}}}}},
            "responses": {"200": ok("refused", &entry), "401": err("no valid token"), "403": err("not a coordinator"),
                          "404": err("no such entry"), "409": err("already refused"), "422": err("no reason")}}},
        "/api/v1/associations/{name}/hours": {
            "get": {"summary": "The association's entries (coordinators)", "security": bearer, "parameters": with_name(&period),
                    "responses": {"200": ok("entries", &entries), "401": err("no valid token"), "403": err("not a coordinator"),
                                  "404": err("no such association"), "422": err("bad period")}},
            "post": {"summary": "Record an action for a user (`user`) or a person without an account (`guest_name`); validated at once (coordinators)",
                     "security": bearer, "parameters": [name], "requestBody": input,
                     "responses": {"201": ok("recorded", &entry), "401": err("no valid token"), "403": err("not a coordinator"),
                                   "404": err("no such association"), "422": err("a message per invalid field")}}},
        "/api/v1/associations/{name}/hours/settings": {
            "get": {"summary": "Moderation and rates (coordinators)", "security": bearer, "parameters": [name],
                    "responses": {"200": ok("settings", &settings), "401": err("no valid token"), "403": err("not a coordinator"), "404": err("no such association")}},
            "put": {"summary": "Change moderation and rates; fields left out stay; `category_rates` replaces all category rates (coordinators)",
                    "security": bearer, "parameters": [name],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
                        "moderation": {"type": "boolean"}, "hourly_rate": {"type": ["string", "number"]}, "mileage_rate": {"type": ["string", "number"]},
                        "category_rates": {"type": "object", "additionalProperties": {"type": ["string", "number"]}}}}}}},
                    "responses": {"200": ok("settings", &settings), "401": err("no valid token"), "403": err("not a coordinator"),
                                  "404": err("no such association"), "422": err("a message per invalid field")}}},
        "/api/v1/associations/{name}/hours/totals": {"get": {"summary": "Totals of validated entries with their value (hours × hourly rate of the category + km × mileage rate, exact decimals rounded once to the cent), overall and by volunteer, category, mission, month and year (coordinators)",
            "security": bearer, "parameters": with_name(&period),
            "responses": {"200": ok("totals", &json!({"type": "object", "properties": {"overall": {"$ref": "#/components/schemas/HoursTally"}}})),
                          "401": err("no valid token"), "403": err("not a coordinator"), "404": err("no such association"), "422": err("bad period")}}},
        "/api/v1/associations/{name}/hours/export.csv": {"get": {"summary": "The entries as CSV: RFC 4180 (CRLF, quoted fields where needed), a header row (id,date,end_date,volunteer,category,mission_id,minutes,hours,distance_km,status,value_eur,description), dot decimals, UTF-8 without byte order mark; text starting with = + - @ gets a leading apostrophe (coordinators)",
            "security": bearer, "parameters": with_name(&period),
            "responses": {"200": {"description": "the CSV file", "content": {"text/csv": {"schema": {"type": "string"}}}},
                          "401": err("no valid token"), "403": err("not a coordinator"), "404": err("no such association"), "422": err("bad period")}}},
        "/api/v1/slots/{id}/attendance": {"post": {"summary": "Mark the accepted sign-ups of a slot that is over present or absent (coordinators): a presence creates a validated entry of the slot's duration (or `minutes`), an absence is kept as a no-show; a sign-up already marked is left as it is",
            "security": bearer, "parameters": [id],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["marks"], "properties": {"marks": {"type": "array", "items": {
                "type": "object", "required": ["participation_id", "present"], "properties": {"participation_id": {"type": "integer"}, "present": {"type": "boolean"}, "minutes": {"type": "integer"}}}}}}}}},
            "responses": {"200": ok("what each mark did", &json!({"type": "object"})), "401": err("no valid token"), "403": err("not a coordinator"),
                          "404": err("no such local slot"), "409": err("the slot is not over"), "422": err("a message per invalid mark")}}}
    });
    let money = json!({"type": "string", "description": "a decimal number, dot separated"});
    let schemas = json!({
        "HoursInput": {"type": "object", "properties": {
            "association": {"type": "string", "description": "for POST /api/v1/me/hours"},
            "user": {"type": "string", "description": "coordinators: a user of this node"},
            "guest_name": {"type": "string", "maxLength": 100, "description": "coordinators: a person without an account"},
            "date": {"type": "string", "format": "date", "description": "not in the future"},
            "end_date": {"type": "string", "format": "date", "description": "last day of a span (default: date)"},
            "minutes": {"type": "integer", "minimum": 1, "description": "at most 24 h per day of the span"},
            "distance_km": {"type": ["string", "number", "null"], "description": "0 to 2000 km"},
            "category": {"type": "string", "description": "a mission category code (default: other)"},
            "mission_id": {"type": ["integer", "null"]},
            "description": {"type": "string", "maxLength": 500}}},
        "HoursEntry": {"type": "object", "properties": {
            "id": {"type": "integer"}, "association": {"type": ["string", "null"], "description": "its name here, name@host when it is on another server"},
            "ap_id": {"type": ["string", "null"], "description": "the EconomicEvent id when the entry crosses servers"},
            "volunteer": {"type": "object", "description": "{kind: user, user_id}, {kind: guest, name} or {kind: remote, actor_ap_id, name} for a volunteer of another server"},
            "volunteer_name": {"type": "string"}, "date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"}, "minutes": {"type": "integer"},
            "distance_km": {"type": ["string", "null"]}, "category": {"type": "string"},
            "mission_id": {"type": ["integer", "null"]}, "description": {"type": "string"},
            "status": {"type": "string", "enum": ["pending", "validated", "refused"]}, "reason": {"type": "string"},
            "slot_id": {"type": ["integer", "null"]}, "participation_id": {"type": ["integer", "null"]},
            "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
        "HoursSettings": {"type": "object", "properties": {
            "association": {"type": "string"}, "moderation": {"type": "boolean"}, "currency": {"type": "string"},
            "hourly_rate": money, "mileage_rate": money,
            "category_rates": {"type": "object", "additionalProperties": money}}},
        "HoursTally": {"type": "object", "properties": {
            "entries": {"type": "integer"}, "minutes": {"type": "integer"}, "hours": money, "distance_km": money,
            "time_value": money, "mileage_value": money, "value": money}}
    });
    for (key, add) in [("paths", paths), ("schemas", schemas)] {
        let target = if key == "paths" {
            doc.get_mut("paths")
        } else {
            doc.get_mut("components").and_then(|c| c.get_mut("schemas"))
        };
        if let (Some(Value::Object(t)), Value::Object(a)) = (target, add) {
            t.extend(a);
        }
    }
}
