//! Federation endpoints: discovery, inboxes, collections, and the JSON side of actor and
//! object URLs (the HTML side lives in `http::web`; both share one URL per thing).

use super::{
    context::with_context,
    discovery::{self, WebfingerQuery},
    error::FedError,
    inbox,
    objects::{mission_document, ApubActor},
    protocol::{Activity, ActivityType, OrderedCollection, Tombstone, PUBLIC},
};
use crate::http::params::{Path, Query};
use crate::{
    domain::{
        actor::{Actor, ActorKind},
        mission::Mission,
    },
    state::{AppState, Context},
    storage::MissionQuery,
};
use activitypub_federation::traits::Object;
use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, OriginalUri},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::json;

pub const AP_CONTENT_TYPE: &str = "application/activity+json";

/// Whether the client asked for ActivityPub JSON rather than a page.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("application/activity+json") || v.contains("application/ld+json"))
}

/// A JSON-LD document with our context and the ActivityPub content type.
pub fn ap_json(doc: impl serde::Serialize) -> Response {
    let doc = match serde_json::to_value(doc) {
        Ok(doc) => doc,
        Err(e) => return FedError::Internal(e.to_string()).into_response(),
    };
    let mut res = Json(with_context(doc)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(AP_CONTENT_TYPE),
    );
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    res
}

pub fn router(state: &AppState) -> Router<AppState> {
    let limit = state.config.federation.max_inbox_body_bytes;
    let inboxes = Router::new()
        .route("/inbox", post(post_inbox))
        .route("/relay/inbox", post(post_inbox))
        .route("/g/{name}/inbox", post(post_named_inbox))
        .route("/u/{name}/inbox", post(post_named_inbox))
        .layer(DefaultBodyLimit::max(limit));
    Router::new()
        .route("/.well-known/webfinger", get(get_webfinger))
        .route("/.well-known/nodeinfo", get(get_nodeinfo_links))
        .route("/nodeinfo/2.1", get(get_nodeinfo))
        .route("/g/{name}/followers", get(group_followers))
        .route("/g/{name}/following", get(group_following))
        .route("/g/{name}/outbox", get(group_outbox))
        .route("/u/{name}/followers", get(person_followers))
        .route("/u/{name}/following", get(person_following))
        .route("/u/{name}/outbox", get(person_outbox))
        .route("/relay/followers", get(relay_followers))
        .route("/relay/following", get(relay_following))
        .route("/relay/outbox", get(relay_outbox))
        .route("/relay/current", get(relay_current))
        .route("/s/{uuid}", get(get_slot))
        .merge(inboxes)
}

async fn get_webfinger(ctx: Context, Query(q): Query<WebfingerQuery>) -> Response {
    let Some(resource) = q.resource else {
        return FedError::BadRequest("the resource parameter is required".into()).into_response();
    };
    match discovery::webfinger(&ctx, &resource).await {
        Ok(doc) => {
            let mut res = Json(doc).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jrd+json"),
            );
            res.headers_mut()
                .insert("access-control-allow-origin", HeaderValue::from_static("*"));
            res
        }
        Err(FedError::BadRequest(m)) => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "not_found", "message": m})),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn get_nodeinfo_links(ctx: Context) -> Response {
    Json(discovery::nodeinfo_links(&ctx)).into_response()
}

async fn get_nodeinfo(ctx: Context) -> Response {
    match discovery::nodeinfo(&ctx).await {
        Ok(doc) => {
            let mut res = Json(doc).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\""),
            );
            res
        }
        Err(e) => e.into_response(),
    }
}

/// The body, or 413 with a message when it is larger than allowed.
async fn inbox_response(
    ctx: Context,
    method: Method,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(rejection) => {
            let status = rejection.status();
            ctx.metrics
                .inbox_refused(if status == StatusCode::PAYLOAD_TOO_LARGE {
                    "too_large"
                } else {
                    "bad_request"
                });
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!(
                    "the activity is larger than {} bytes",
                    ctx.config.federation.max_inbox_body_bytes
                )
            } else {
                rejection.body_text()
            };
            return (
                status,
                Json(json!({"error": "bad_request", "message": message})),
            )
                .into_response();
        }
    };
    match inbox::receive(&ctx, &method, &uri.0, &headers, &body).await {
        Ok(status) => status.into_response(),
        Err(e) => {
            ctx.metrics.inbox_refused(e.reason());
            e.into_response()
        }
    }
}

async fn post_inbox(
    ctx: Context,
    method: Method,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    inbox_response(ctx, method, uri, headers, body).await
}

async fn post_named_inbox(
    ctx: Context,
    Path(_name): Path<String>,
    method: Method,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    // Personal inboxes behave like the shared one: recipients are read from the activity.
    inbox_response(ctx, method, uri, headers, body).await
}

/// The JSON of a local actor.
pub async fn actor_response(ctx: &Context, actor: Actor) -> Response {
    if let Some(deleted) = actor.deleted_at {
        // A deleted account answers 410 with a Tombstone: a server fetching it knows it is gone
        // (the `Delete` it was sent may have been lost).
        let mut res = ap_json(Tombstone {
            deleted: Some(deleted.to_rfc3339()),
            ..Tombstone::new(&actor.ap_id, actor.kind.as_str())
        });
        *res.status_mut() = StatusCode::GONE;
        return res;
    }
    let result = async { ApubActor::new(actor)?.into_json(ctx).await }.await;
    match result
        .and_then(|json| serde_json::to_value(json).map_err(|e| FedError::Internal(e.to_string())))
    {
        Ok(v) => ap_json(v),
        Err(e) => e.into_response(),
    }
}

/// The JSON of one of our missions, or a Tombstone with 410 once deleted.
pub async fn mission_response(ctx: &Context, mission: &Mission) -> Response {
    if mission.status == crate::domain::mission::MissionStatus::Draft {
        return FedError::Store(crate::storage::StoreError::NotFound("mission")).into_response();
    }
    if let Some(deleted) = mission.deleted_at {
        let mut res = ap_json(Tombstone {
            deleted: Some(deleted.to_rfc3339()),
            ..Tombstone::new(&mission.ap_id, "Event")
        });
        *res.status_mut() = StatusCode::GONE;
        return res;
    }
    let result = async {
        let json = mission_document(mission, ctx).await?;
        serde_json::to_value(json).map_err(|e| FedError::Internal(e.to_string()))
    }
    .await;
    match result {
        Ok(v) => ap_json(v),
        Err(e) => e.into_response(),
    }
}

async fn local(ctx: &Context, kind: ActorKind, name: &str) -> Result<Actor, FedError> {
    ctx.store
        .find_local_actor(kind.as_str(), name)
        .await?
        .ok_or(FedError::Store(crate::storage::StoreError::NotFound(
            "actor",
        )))
}

async fn followers(ctx: &Context, kind: ActorKind, name: &str) -> Response {
    let result = async {
        let actor = local(ctx, kind, name).await?;
        let total = ctx.store.count_followers(actor.id).await?;
        // The count is public, the list is not (as on Mastodon).
        Ok::<_, FedError>(OrderedCollection::<String>::count(
            format!("{}/followers", actor.ap_id),
            u64::try_from(total).unwrap_or_default(),
        ))
    }
    .await;
    result
        .map(ap_json)
        .unwrap_or_else(IntoResponse::into_response)
}

async fn following(ctx: &Context, kind: ActorKind, name: &str) -> Response {
    let result = async {
        let actor = local(ctx, kind, name).await?;
        let items: Vec<String> = ctx
            .store
            .list_following(actor.id)
            .await?
            .into_iter()
            .filter(|f| f.accepted)
            .map(|f| f.target_ap_id)
            .collect();
        Ok::<_, FedError>(OrderedCollection::of(
            format!("{}/following", actor.ap_id),
            items,
        ))
    }
    .await;
    result
        .map(ap_json)
        .unwrap_or_else(IntoResponse::into_response)
}

/// The latest public activities of an actor: `Create` of its upcoming missions.
async fn outbox(ctx: &Context, kind: ActorKind, name: &str) -> Response {
    let result = async {
        let actor = local(ctx, kind, name).await?;
        let missions = if kind == ActorKind::Person {
            Vec::new()
        } else {
            let query = MissionQuery {
                actor_id: (kind == ActorKind::Group).then_some(actor.id),
                local: Some(true),
                limit: 20,
                ..Default::default()
            };
            ctx.store.list_missions(query).await?
        };
        let mut items = Vec::new();
        for m in &missions {
            let owner = ctx.store.get_actor(m.actor_id).await?;
            let object = mission_document(m, ctx).await?;
            items.push(
                Activity::new(
                    format!("{}#create", m.ap_id),
                    ActivityType::Create,
                    &owner.ap_id,
                    vec![PUBLIC.to_string()],
                    object,
                )
                .dated(m.published.to_rfc3339()),
            );
        }
        Ok::<_, FedError>(OrderedCollection::of(
            format!("{}/outbox", actor.ap_id),
            items,
        ))
    }
    .await;
    result
        .map(ap_json)
        .unwrap_or_else(IntoResponse::into_response)
}

async fn group_followers(ctx: Context, Path(n): Path<String>) -> Response {
    followers(&ctx, ActorKind::Group, &n).await
}
async fn group_following(ctx: Context, Path(n): Path<String>) -> Response {
    following(&ctx, ActorKind::Group, &n).await
}
async fn group_outbox(ctx: Context, Path(n): Path<String>) -> Response {
    outbox(&ctx, ActorKind::Group, &n).await
}
async fn person_followers(ctx: Context, Path(n): Path<String>) -> Response {
    followers(&ctx, ActorKind::Person, &n).await
}
async fn person_following(ctx: Context, Path(n): Path<String>) -> Response {
    following(&ctx, ActorKind::Person, &n).await
}
async fn person_outbox(ctx: Context, Path(n): Path<String>) -> Response {
    outbox(&ctx, ActorKind::Person, &n).await
}
async fn relay_followers(ctx: Context) -> Response {
    followers(&ctx, ActorKind::Application, "relay").await
}
async fn relay_following(ctx: Context) -> Response {
    following(&ctx, ActorKind::Application, "relay").await
}
async fn relay_outbox(ctx: Context) -> Response {
    outbox(&ctx, ActorKind::Application, "relay").await
}

async fn relay_current(
    ctx: Context,
    Query(q): Query<super::aggregator::current::PageQuery>,
) -> Response {
    super::aggregator::current::current(&ctx, q.page.as_deref()).await
}

/// A slot's URL: its `Event` for ActivityPub clients, its mission's page for browsers.
async fn get_slot(ctx: Context, headers: HeaderMap, Path(uuid): Path<String>) -> Response {
    let ap_id = format!("{}/s/{}", ctx.config.base(), uuid);
    let result = async {
        let slot = ctx
            .store
            .find_slot_by_ap_id(&ap_id)
            .await?
            .filter(|s| s.local)
            .ok_or(FedError::Store(crate::storage::StoreError::NotFound(
                "slot",
            )))?;
        let mission = ctx.store.get_mission(slot.mission_id).await?;
        // A draft's slots are not shown, nor where they lead.
        if mission.status == crate::domain::mission::MissionStatus::Draft {
            return Err(FedError::Store(crate::storage::StoreError::NotFound(
                "slot",
            )));
        }
        Ok::<_, FedError>((slot, mission))
    }
    .await;
    match result {
        Ok((_, mission)) if !wants_activity_json(&headers) => {
            axum::response::Redirect::to(&mission.url).into_response()
        }
        Ok((_, mission)) if mission.deleted_at.is_some() => mission_response(&ctx, &mission).await,
        Ok((slot, mission)) => {
            let doc = async {
                let owner = ctx.store.get_actor(mission.actor_id).await?;
                let json = super::objects::slot_json(&slot, &mission, &owner, &ctx)?;
                serde_json::to_value(json).map_err(|e| FedError::Internal(e.to_string()))
            }
            .await;
            doc.map(ap_json).unwrap_or_else(IntoResponse::into_response)
        }
        Err(e) => e.into_response(),
    }
}
