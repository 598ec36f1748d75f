//! "Aidez-moi à trouver" (issue 16) for the référents' apps: the requests for help, one with
//! its notes, proposals and the missions the matching ranks for it, moving its state, a note,
//! a proposal (emailed to the person, or links to read out on the phone).

use super::{schema::ErrorBody, ApiJson};
use crate::{
    domain::{
        help::{Channel, HelpNote, HelpRequest, HelpState},
        volunteer::{Availability, Reason},
    },
    http::{
        auth::Caller,
        error::ApiResult,
        params::{Path, Query},
    },
    service::help,
    state::AppState,
};
use axum::{
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/help/requests", get(list_requests))
        .route("/api/v1/help/requests/{id}", get(get_request))
        .route("/api/v1/help/requests/{id}/state", post(move_request))
        .route("/api/v1/help/requests/{id}/notes", post(add_note))
        .route("/api/v1/help/requests/{id}/proposals", post(propose))
}

/// A request for help (personal data: référents only).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HelpRequestJson {
    id: i64,
    name: String,
    /// What they would like to do, in their words.
    wishes: String,
    /// When they are free, in their words.
    when_note: String,
    /// Their commune, as located.
    commune: String,
    /// Mission categories ticked.
    interests: Vec<String>,
    /// The week's free times ticked.
    availability: Vec<Availability>,
    email: String,
    phone: String,
    /// How they wish to hear of a proposal.
    channel: Channel,
    state: HelpState,
    /// The référent following it (their account's name).
    referent: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn request_json(r: HelpRequest, referent: Option<String>) -> HelpRequestJson {
    HelpRequestJson {
        id: r.id,
        name: r.name,
        wishes: r.wishes,
        when_note: r.when_note,
        commune: r.wish.home_town,
        interests: r.wish.interests,
        availability: r.wish.availability,
        email: r.email,
        phone: r.phone,
        channel: r.channel,
        state: r.state,
        referent,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HelpRequestList {
    /// Newest first.
    requests: Vec<HelpRequestJson>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StateQuery {
    /// `new`, `in_progress`, `placed` or `closed`; all when absent.
    state: Option<HelpState>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NoteJson {
    id: i64,
    /// Its author's name.
    author: String,
    body: String,
    created_at: DateTime<Utc>,
}

fn note_json(n: HelpNote, author: String) -> NoteJson {
    NoteJson {
        id: n.id,
        author,
        body: n.body,
        created_at: n.created_at,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProposalJson {
    mission_id: i64,
    /// The mission's title, when it still exists.
    title: Option<String>,
    slot_id: Option<i64>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    /// When the person first followed its link.
    opened_at: Option<DateTime<Utc>>,
}

/// A mission the matching ranks for the request.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RankedJson {
    mission_id: i64,
    title: String,
    /// The mission's address (ours or another node's).
    ap_id: String,
    /// The slot that fits best, if it has slots.
    slot_id: Option<i64>,
    /// From this node (`true`) or a node it follows.
    local: bool,
    score: f64,
    reasons: Vec<Reason>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HelpRequestFile {
    request: HelpRequestJson,
    /// Oldest first.
    notes: Vec<NoteJson>,
    proposals: Vec<ProposalJson>,
    /// Best first, at most 50.
    ranked: Vec<RankedJson>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StateInput {
    /// `in_progress` (take it), `placed` or `closed`.
    state: HelpState,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteInput {
    body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProposalInput {
    /// One to five missions (ours or of followed nodes), by their number on this node.
    missions: Vec<i64>,
}

/// A proposal's one-click link, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LinkJson {
    mission_id: i64,
    title: String,
    link: String,
    expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProposalResult {
    /// An email carries the links (the person chose email).
    emailed: bool,
    /// An SMS carries the links (the person chose SMS and the node sends them). When neither
    /// does, call them.
    texted: bool,
    channel: Channel,
    phone: String,
    links: Vec<LinkJson>,
}

#[utoipa::path(get, path = "/api/v1/help/requests", tag = "help",
    operation_id = "list_help_requests",
    summary = "Requests for help (référents)",
    params(StateQuery),
    responses(
        (status = 200, description = "the requests", body = HelpRequestList),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not a référent, or help is off", body = ErrorBody)),
    security(("bearer" = [])))]
async fn list_requests(
    caller: Caller,
    Query(q): Query<StateQuery>,
) -> ApiResult<Json<HelpRequestList>> {
    let listed = help::list(caller.store(), &caller.config, &caller.user, q.state).await?;
    Ok(Json(HelpRequestList {
        requests: listed
            .into_iter()
            .map(|l| request_json(l.request, l.referent))
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/help/requests/{id}", tag = "help",
    operation_id = "get_help_request",
    summary = "One request with its notes, proposals and ranked missions (référents)",
    params(("id" = i64, Path, description = "the request's number")),
    responses(
        (status = 200, description = "the request", body = HelpRequestFile),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not a référent", body = ErrorBody),
        crate::http::api::schema::NoSuchRequest),
    security(("bearer" = [])))]
async fn get_request(caller: Caller, Path(id): Path<i64>) -> ApiResult<Json<HelpRequestFile>> {
    let f = help::file(
        caller.store(),
        &caller.config,
        &caller.user,
        id,
        caller.now(),
    )
    .await?;
    Ok(Json(HelpRequestFile {
        request: request_json(f.request, f.referent),
        notes: f.notes.into_iter().map(|(n, a)| note_json(n, a)).collect(),
        proposals: f
            .proposals
            .into_iter()
            .map(|p| ProposalJson {
                mission_id: p.proposal.mission_id,
                title: p.mission.map(|m| m.title),
                slot_id: p.proposal.slot_id,
                created_at: p.proposal.created_at,
                expires_at: p.proposal.expires_at,
                opened_at: p.proposal.opened_at,
            })
            .collect(),
        ranked: f
            .ranked
            .into_iter()
            .map(|r| RankedJson {
                mission_id: r.mission.id,
                title: r.mission.title,
                ap_id: r.mission.ap_id,
                slot_id: r.slot.map(|s| s.id),
                local: r.mission.local,
                score: r.fit.score,
                reasons: r.fit.reasons,
            })
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/help/requests/{id}/state", tag = "help",
    operation_id = "move_help_request",
    summary = "Take a request, mark it placed or closed, or reopen it (référents)",
    params(("id" = i64, Path, description = "the request's number")),
    request_body = StateInput,
    responses(
        (status = 200, description = "moved", body = HelpRequestJson),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not a référent", body = ErrorBody),
        crate::http::api::schema::NoSuchRequest,
        (status = 409, description = "not allowed from its state, or moved meanwhile", body = ErrorBody)),
    security(("bearer" = [])))]
async fn move_request(
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StateInput>,
) -> ApiResult<Json<HelpRequestJson>> {
    let r = help::set_state(
        caller.store(),
        &caller.config,
        &caller.user,
        id,
        input.state,
        caller.now(),
    )
    .await?;
    let referent = (r.referent_id == Some(caller.user.id)).then(|| caller.user.name.clone());
    Ok(Json(request_json(r, referent)))
}

#[utoipa::path(post, path = "/api/v1/help/requests/{id}/notes", tag = "help",
    operation_id = "add_help_note",
    summary = "Note a call or what was said (référents)",
    params(("id" = i64, Path, description = "the request's number")),
    request_body = NoteInput,
    responses(
        (status = 201, description = "noted", body = NoteJson),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not a référent", body = ErrorBody),
        crate::http::api::schema::NoSuchRequest,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn add_note(
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<NoteInput>,
) -> ApiResult<(StatusCode, Json<NoteJson>)> {
    let n = help::note(
        caller.store(),
        &caller.config,
        &caller.user,
        id,
        &input.body,
        caller.now(),
    )
    .await?;
    let author = caller.user.shown_name().to_string();
    Ok((StatusCode::CREATED, Json(note_json(n, author))))
}

#[utoipa::path(post, path = "/api/v1/help/requests/{id}/proposals", tag = "help",
    operation_id = "propose_missions",
    summary = "Propose missions to the person: by email, or links to read out (référents)",
    params(("id" = i64, Path, description = "the request's number")),
    request_body = ProposalInput,
    responses(
        (status = 201, description = "proposed; the links are shown this once", body = ProposalResult),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not a référent", body = ErrorBody),
        crate::http::api::schema::NoSuchRequest,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn propose(
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ProposalInput>,
) -> ApiResult<(StatusCode, Json<ProposalResult>)> {
    let done = help::propose(
        caller.store(),
        &caller.config,
        &caller.user,
        id,
        input.missions,
        caller.now(),
    )
    .await?;
    caller.wake.notify_waiters();
    Ok((
        StatusCode::CREATED,
        Json(ProposalResult {
            emailed: done.emailed,
            texted: done.texted,
            channel: done.channel,
            phone: done.phone,
            links: done
                .links
                .into_iter()
                .map(|l| LinkJson {
                    mission_id: l.mission.id,
                    title: l.mission.title,
                    link: l.link,
                    expires_at: l.proposal.expires_at,
                })
                .collect(),
        }),
    ))
}
