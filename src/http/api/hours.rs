//! Volunteer hours (issue 5): my entries, an association's entries, validation, attendance at
//! slots that are over, the association's rates, totals with their value, and a CSV export.
//! Money and distances are decimal strings (`"89.10"`), never floats.

use super::{
    cursor,
    schema::{self, ErrorBody},
    ApiJson,
};
use crate::http::params::{Path, Query};
use crate::{
    domain::{
        actor::Actor,
        hours::{HoursEntry, HoursInput, HoursSettings, SettingsInput, Tally},
    },
    http::{auth::Caller, download::download_stream, error::ApiResult},
    service::{
        accounts, actors,
        hours::{self, Attendance, AttendanceOutcome, Period},
    },
    state::AppState,
};
use axum::{
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Json, Router,
};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

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

/// An entry as the API shows it, with its association read from the store.
async fn owned_view(state: &AppState, e: &HoursEntry) -> ApiResult<schema::HoursEntry> {
    let a = actors::get(state.store.as_ref(), e.actor_id).await?;
    Ok(entry_view(e, Some(&a)))
}

/// An entry as the API shows it.
pub fn entry_view(e: &HoursEntry, association: Option<&Actor>) -> schema::HoursEntry {
    let d = &e.draft;
    schema::HoursEntry {
        id: e.id,
        association: association.map(association_name),
        ap_id: e.ap_id.clone(),
        volunteer: e.volunteer.clone(),
        volunteer_name: crate::i18n::volunteer_name(crate::i18n::Lang::En, &e.volunteer_name()),
        date: d.start_date,
        end_date: d.end_date,
        minutes: d.minutes,
        distance_km: d.distance_km.map(|k| k.to_string()),
        category: d.category.clone(),
        mission_id: d.mission_id,
        description: d.description.clone(),
        status: e.status,
        reason: e.reason.clone(),
        slot_id: e.slot_id,
        participation_id: e.participation_id,
        created_at: e.created_at,
        updated_at: e.updated_at,
    }
}

fn settings_view(a: &Actor, s: &HoursSettings) -> schema::HoursSettings {
    schema::HoursSettings {
        association: a.name.clone(),
        moderation: s.moderation,
        currency: "EUR".to_string(),
        hourly_rate: s.hourly_rate.to_string(),
        category_rates: s
            .category_rates
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
        mileage_rate: s.mileage_rate.to_string(),
    }
}

fn tally_view(t: &Tally) -> schema::Tally {
    schema::Tally {
        entries: t.entries,
        minutes: t.minutes,
        hours: t.hours().to_string(),
        distance_km: t.distance_km.normalize().to_string(),
        time_value: t.time_value().to_string(),
        mileage_value: t.mileage_value().to_string(),
        value: t.value().to_string(),
    }
}

/// A tally with what it is the tally of.
fn tally_of<K>(t: &Tally, key: K) -> schema::TallyOf<K> {
    schema::TallyOf {
        tally: tally_view(t),
        key,
    }
}

/// Which page of a list of entries (newest first: day, then id).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct PageQuery {
    /// How many at most (10,000 unless said, 10,000 at most).
    limit: Option<i64>,
    /// Start after the last entry of a page: its `next`, passed back as it is (with the same
    /// period and status).
    cursor: Option<String>,
}

impl PageQuery {
    /// Where the page starts, and its size.
    fn read(&self) -> ApiResult<(Option<(NaiveDate, i64)>, i64)> {
        let before = cursor::after(self.cursor.as_deref(), None, cursor::decode_day)?;
        let limit = (self.limit.unwrap_or(hours::LIST_LIMIT)).clamp(1, hours::LIST_LIMIT);
        Ok((before, limit))
    }
}

/// The cursor of the page after `list`, when it is full.
fn next_of<T>(list: &[T], limit: i64, entry: impl Fn(&T) -> &HoursEntry) -> Option<String> {
    cursor::next(list, limit, |x| {
        let e = entry(x);
        cursor::encode_day(e.draft.start_date, e.id)
    })
}

#[utoipa::path(get, path = "/api/v1/me/hours", tag = "hours",
    summary = "My volunteer hours, newest first",
    description = "In pages: `limit`, then `cursor` = the `next` of the page before (given when a page is full), cheap at any depth; an entry added meanwhile is seen once or not at all, never twice.",
    params(Period, PageQuery),
    responses(
        (status = 200, description = "my entries", body = schema::HoursEntries),
        (status = 400, description = "a cursor that is not one", body = ErrorBody),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::BadPeriod),
    security(("bearer" = [])))]
async fn list_mine(
    me: Caller,
    Query(period): Query<Period>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<schema::HoursEntries>> {
    let (before, limit) = page.read()?;
    let list = hours::page_mine(me.store(), &me.user, &period, before, limit).await?;
    Ok(Json(schema::HoursEntries {
        next: next_of(&list, limit, |(e, _)| e),
        entries: list.iter().map(|(e, a)| entry_view(e, Some(a))).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/me/hours", tag = "hours",
    summary = "Record my own action for an association",
    description = "`association` is required: one of this server I am a member of or took part in (pending when it moderates, else validated), or one of another server I follow or took part with, as `name@host` (sent there as a Create{EconomicEvent}; pending until it answers Accept or Reject).",
    request_body = HoursInput,
    responses(
        (status = 201, description = "recorded", body = schema::HoursEntry),
        crate::http::api::schema::NoToken,
        (status = 403, description = "neither a member nor a participant", body = ErrorBody),
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn log_mine(
    me: Caller,
    ApiJson(input): ApiJson<HoursInput>,
) -> ApiResult<(StatusCode, Json<schema::HoursEntry>)> {
    let e = hours::log_mine(me.store(), &me.config, &me.user, input, me.now()).await?;
    me.queued();
    Ok((StatusCode::CREATED, Json(owned_view(&me, &e).await?)))
}

#[utoipa::path(patch, path = "/api/v1/hours/{id}", tag = "hours",
    operation_id = "update_hours",
    summary = "Change an entry (only the fields given)",
    description = "Its volunteer while not validated (or always when moderation is off; it waits again for validation), or a coordinator.",
    params(("id" = i64, Path, description = "the entry's id")),
    request_body = HoursInput,
    responses(
        (status = 200, description = "changed", body = schema::HoursEntry),
        crate::http::api::schema::NoToken,
        (status = 403, description = "validated already", body = ErrorBody),
        crate::http::api::schema::NoSuchEntry,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn update(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<HoursInput>,
) -> ApiResult<Json<schema::HoursEntry>> {
    let e = hours::update(me.store(), &me.config, &me.user, id, input, me.now()).await?;
    me.queued();
    Ok(Json(owned_view(&me, &e).await?))
}

#[utoipa::path(delete, path = "/api/v1/hours/{id}", tag = "hours",
    operation_id = "delete_hours",
    summary = "Delete an entry (same rights as a change); the history keeps it",
    params(("id" = i64, Path, description = "the entry's id")),
    responses(
        (status = 204, description = "deleted"),
        crate::http::api::schema::NoToken,
        (status = 403, description = "validated already", body = ErrorBody),
        crate::http::api::schema::NoSuchEntry),
    security(("bearer" = [])))]
async fn delete(me: Caller, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    hours::delete(me.store(), &me.user, id, me.now()).await?;
    me.queued();
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/hours/{id}", tag = "hours",
    summary = "One entry (its volunteer or the association's coordinators)",
    params(("id" = i64, Path, description = "the entry's id")),
    responses(
        (status = 200, description = "the entry", body = schema::HoursEntry),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NoSuchEntry),
    security(("bearer" = [])))]
async fn get_one(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<schema::HoursEntry>> {
    let (e, a) = hours::visible(me.store(), &me.user, id).await?;
    Ok(Json(entry_view(&e, Some(&a))))
}

#[utoipa::path(get, path = "/api/v1/hours/{id}/history", tag = "hours",
    summary = "Every change of an entry, oldest first (its volunteer or the association's coordinators)",
    description = "Who (null for a change that came from another server), when, before and after.",
    params(("id" = i64, Path, description = "the entry's id")),
    responses(
        (status = 200, description = "the entry and its changes", body = schema::HoursHistory),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NoSuchEntry),
    security(("bearer" = [])))]
async fn history(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<schema::HoursHistory>> {
    let (e, a, changes) = hours::history(me.store(), &me.user, id).await?;
    // Who made each change, read once for the whole history; a me.user gone since is no one.
    let users = accounts::users(me.store(), changes.iter().filter_map(|c| c.changed_by)).await?;
    let out = changes
        .into_iter()
        .map(|c| schema::HoursChange {
            id: c.id,
            changed_at: c.changed_at,
            changed_by: (c.changed_by)
                .and_then(|uid| users.get(&uid))
                .map(|u| u.name.clone()),
            before: c.before,
            after: c.after,
        })
        .collect();
    Ok(Json(schema::HoursHistory {
        entry: entry_view(&e, Some(&a)),
        history: out,
    }))
}

#[utoipa::path(post, path = "/api/v1/hours/{id}/validate", tag = "hours",
    summary = "Validate an entry (coordinators)",
    params(("id" = i64, Path, description = "the entry's id")),
    responses(
        (status = 200, description = "validated", body = schema::HoursEntry),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchEntry,
        (status = 409, description = "already validated", body = ErrorBody)),
    security(("bearer" = [])))]
async fn validate(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<schema::HoursEntry>> {
    let e = hours::decide(me.store(), &me.user, id, true, "", me.now()).await?;
    me.queued();
    Ok(Json(owned_view(&me, &e).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RefuseInput {
    #[schema(max_length = 500)]
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/hours/{id}/refuse", tag = "hours",
    summary = "Refuse an entry with a reason (coordinators)",
    params(("id" = i64, Path, description = "the entry's id")),
    request_body = RefuseInput,
    responses(
        (status = 200, description = "refused", body = schema::HoursEntry),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchEntry,
        (status = 409, description = "already refused", body = ErrorBody),
        (status = 422, description = "no reason", body = ErrorBody)),
    security(("bearer" = [])))]
async fn refuse(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RefuseInput>,
) -> ApiResult<Json<schema::HoursEntry>> {
    let e = hours::decide(me.store(), &me.user, id, false, &input.reason, me.now()).await?;
    me.queued();
    Ok(Json(owned_view(&me, &e).await?))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/hours", tag = "hours",
    summary = "The association's entries, newest first (coordinators)",
    description = "In pages, as `/api/v1/me/hours`.",
    params(("name" = String, Path, description = "the association's name"), Period, PageQuery),
    responses(
        (status = 200, description = "entries", body = schema::HoursEntries),
        (status = 400, description = "a cursor that is not one", body = ErrorBody),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::BadPeriod),
    security(("bearer" = [])))]
async fn list_association(
    me: Caller,
    Path(name): Path<String>,
    Query(period): Query<Period>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<schema::HoursEntries>> {
    let (before, limit) = page.read()?;
    let (a, list) =
        hours::page_association(me.store(), &me.user, &name, &period, before, limit).await?;
    Ok(Json(schema::HoursEntries {
        next: next_of(&list, limit, |e| e),
        entries: list.iter().map(|e| entry_view(e, Some(&a))).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/associations/{name}/hours", tag = "hours",
    summary = "Record an action for a user (`user`) or a person without an account (`guest_name`); validated at once (coordinators)",
    params(("name" = String, Path, description = "the association's name")),
    request_body = HoursInput,
    responses(
        (status = 201, description = "recorded", body = schema::HoursEntry),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn record_for(
    me: Caller,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<HoursInput>,
) -> ApiResult<(StatusCode, Json<schema::HoursEntry>)> {
    let e = hours::record_for(me.store(), &me.config, &me.user, &name, input, me.now()).await?;
    Ok((StatusCode::CREATED, Json(owned_view(&me, &e).await?)))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/hours/settings", tag = "hours",
    summary = "Moderation and rates (coordinators)",
    params(("name" = String, Path, description = "the association's name")),
    responses(
        (status = 200, description = "settings", body = schema::HoursSettings),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation),
    security(("bearer" = [])))]
async fn get_settings(
    me: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<schema::HoursSettings>> {
    let (a, s) = hours::get_settings(me.store(), &me.user, &name).await?;
    Ok(Json(settings_view(&a, &s)))
}

#[utoipa::path(put, path = "/api/v1/associations/{name}/hours/settings", tag = "hours",
    summary = "Change moderation and rates; fields left out stay; `category_rates` replaces all category rates (coordinators)",
    params(("name" = String, Path, description = "the association's name")),
    request_body = SettingsInput,
    responses(
        (status = 200, description = "settings", body = schema::HoursSettings),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn put_settings(
    me: Caller,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<SettingsInput>,
) -> ApiResult<Json<schema::HoursSettings>> {
    let (a, s) = hours::put_settings(me.store(), &me.user, &name, input, me.now()).await?;
    Ok(Json(settings_view(&a, &s)))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/hours/totals", tag = "hours",
    summary = "Totals of validated entries with their value, overall and by volunteer, category, mission, month and year (coordinators)",
    description = "Value: hours × hourly rate of the category + km × mileage rate, exact decimals rounded once to the cent.",
    params(("name" = String, Path, description = "the association's name"), Period),
    responses(
        (status = 200, description = "totals", body = schema::HoursTotals),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::BadPeriod),
    security(("bearer" = [])))]
async fn totals(
    me: Caller,
    Path(name): Path<String>,
    Query(period): Query<Period>,
) -> ApiResult<Json<schema::HoursTotals>> {
    let t = hours::totals(me.store(), &me.user, &name, &period).await?;
    let lang = me.config.instance.default_language.as_str();
    let r = &t.report;
    Ok(Json(schema::HoursTotals {
        association: t.association.name.clone(),
        rates: settings_view(&t.association, &t.settings),
        overall: tally_view(&r.overall),
        by_volunteer: (r.by_volunteer.iter())
            .map(|(k, v)| {
                tally_of(
                    v,
                    schema::ByVolunteer {
                        volunteer: crate::i18n::volunteer_name(
                            crate::i18n::Lang::or_reference(lang),
                            k,
                        ),
                    },
                )
            })
            .collect(),
        by_category: (r.by_category.iter())
            .map(|(k, v)| {
                let label = crate::i18n::category(crate::i18n::Lang::or_reference(lang), k);
                tally_of(
                    v,
                    schema::ByCategory {
                        category: k.clone(),
                        label,
                    },
                )
            })
            .collect(),
        by_mission: (r.by_mission.iter())
            .map(|(k, v)| {
                let title = k.and_then(|id| t.mission_titles.get(&id).cloned());
                tally_of(
                    v,
                    schema::ByMission {
                        mission_id: *k,
                        title,
                    },
                )
            })
            .collect(),
        by_month: (r.by_month.iter())
            .map(|(k, v)| tally_of(v, schema::ByMonth { month: k.clone() }))
            .collect(),
        by_year: (r.by_year.iter())
            .map(|(k, v)| tally_of(v, schema::ByYear { year: *k }))
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/hours/export.csv", tag = "hours",
    summary = "The entries as CSV (coordinators)",
    description = "RFC 4180 (CRLF, quoted fields where needed), a header row (id,date,end_date,volunteer,category,mission_id,minutes,hours,distance_km,status,value_eur,description), dot decimals, UTF-8 without byte order mark; text starting with = + - @ gets a leading apostrophe.",
    params(("name" = String, Path, description = "the association's name"), Period),
    responses(
        (status = 200, description = "the CSV file", content_type = "text/csv", body = String),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::BadPeriod),
    security(("bearer" = [])))]
async fn export_csv(
    me: Caller,
    Path(name): Path<String>,
    Query(period): Query<Period>,
) -> ApiResult<Response> {
    let style = hours::CsvStyle::CODES;
    let pieces =
        hours::export_csv_stream(me.store.clone(), &me.user, &name, &period, style).await?;
    let file = format!("hours-{name}.csv");
    Ok(download_stream(&file, crate::documents::CSV, pieces))
}

#[utoipa::path(post, path = "/api/v1/slots/{id}/attendance", tag = "hours",
    summary = "Mark the accepted sign-ups of a slot that is over present or absent (coordinators)",
    description = "A presence creates a validated entry of the slot's duration (or `minutes`), an absence is kept as a no-show; a sign-up already marked is left as it is.",
    params(("id" = i64, Path, description = "the slot's id")),
    request_body = Attendance,
    responses(
        (status = 200, description = "what each mark did", body = schema::AttendanceMarks),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalSlot,
        (status = 409, description = "the slot is not over", body = ErrorBody),
        (status = 422, description = "a message per invalid mark", body = ErrorBody)),
    security(("bearer" = [])))]
async fn attendance(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<Attendance>,
) -> ApiResult<Json<schema::AttendanceMarks>> {
    let done =
        hours::mark_attendance(me.store(), &me.config, &me.user, id, input, me.now()).await?;
    let marks = done
        .into_iter()
        .map(|(pid, outcome)| match outcome {
            AttendanceOutcome::Recorded { entry } => schema::AttendanceMark::Recorded {
                participation_id: pid,
                recorded: true,
                present: entry.is_some(),
                entry: entry.as_ref().map(|e| Box::new(entry_view(e, None))),
            },
            AttendanceOutcome::AlreadyMarked { present, entry_id } => {
                schema::AttendanceMark::AlreadyMarked {
                    participation_id: pid,
                    recorded: false,
                    present,
                    entry_id,
                }
            }
        })
        .collect();
    Ok(Json(schema::AttendanceMarks { marks }))
}
