//! Signing up with a Mastodon (fediverse) account, for people whose server cannot send
//! `Join`: the mission page takes their address (`POST /s/{slot}/fediverse`), a one-time link
//! goes to them by direct message, and the link's page (`GET /confirm/{token}`) shows what it
//! confirms with a button that POSTs to the same URL. A GET never changes anything.

use super::{i18n, message, render, PageCtx};
use crate::i18n::Lang;
use crate::{
    domain::{
        actor::ActorKind,
        fediverse::{clean_handle, handle_host, HandleProblem},
        mission::{JoinMode, Mission, MissionStatus},
        slot::{ParticipationStatus, Slot},
    },
    federation::error::FedError,
    http::auth::{csrf_token, MaybeUser},
    service::{
        fediverse::{Confirmed, LinkRefused},
        ServiceError,
    },
    state::{AppState, Context},
};
use axum::{
    extract::{rejection::FormRejection, Form, Path, Query},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::Response,
    routing::post,
    Router,
};
use minijinja::{context, Value};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{uuid}/fediverse", post(ask_link))
        .route(
            "/confirm/{token}",
            axum::routing::get(show_link).post(use_link),
        )
}

#[derive(Debug, Default, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
struct HandleForm {
    handle: Option<String>,
}

fn page_ctx(state: &AppState, headers: &HeaderMap, q: &LangQuery, user: MaybeUser) -> PageCtx {
    let lang = i18n::pick(
        q.lang.as_deref(),
        headers,
        &state.config.instance.default_language,
    );
    PageCtx {
        remember_lang: q.lang.as_deref() == Some(lang.code()),
        csrf: user.1.as_deref().map(csrf_token).unwrap_or_default(),
        user: user.0,
        lang,
    }
}

/// A path on this site for one of our URLs.
fn local_path(state: &AppState, url: &str) -> String {
    match url.strip_prefix(&state.config.base()) {
        Some(path) if path.starts_with('/') => path.to_string(),
        _ => url.to_string(),
    }
}

fn slot_label(state: &AppState, slot: &Slot, lang: Lang) -> String {
    i18n::long_span(
        slot.start_time,
        slot.end_time,
        state.config.timezone(),
        lang,
    )
}

/// The forms the mission page shows under "Vous avez un compte Mastodon… ?" (`fediverse_slots`):
/// one per slot of `slots` that still takes people. Empty for missions of other servers, drafts
/// and closed missions.
pub fn slot_forms(state: &AppState, m: &Mission, slots: &[Slot], lang: Lang) -> Vec<Value> {
    if !m.local || m.deleted_at.is_some() || m.status != MissionStatus::Published {
        return Vec::new();
    }
    let now = state.clock.now();
    slots
        .iter()
        .filter(|s| s.local && s.closed_reason(now).is_none() && s.remaining() > 0)
        .map(|s| {
            context! {
                action => format!("{}/fediverse", local_path(state, &s.ap_id)),
                label => slot_label(state, s, lang),
                places => i18n::places(lang, Some(s.remaining()), Some(s.capacity)),
            }
        })
        .collect()
}

/// What the pages say about a slot: mission, association, when, how sign-ups go.
fn slot_view(
    state: &AppState,
    lang: Lang,
    slot: &Slot,
    mission: &Mission,
    association: &crate::domain::actor::Actor,
) -> Value {
    context! {
        mission => mission.title,
        mission_page => local_path(state, &mission.url),
        association => association.label(),
        slot => slot_label(state, slot, lang),
        action => format!("{}/fediverse", local_path(state, &slot.ap_id)),
        signup => i18n::word(lang, if mission.join_mode == JoinMode::Free { "signup_free" } else { "signup_restricted" }),
    }
}

/// Pages about a one-time link are not cached and never tell other sites their address.
fn private(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut()
        .insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    res
}

fn unavailable(state: &AppState, page: &PageCtx, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "fediverse sign-up page failed");
    message(
        state,
        page,
        StatusCode::SERVICE_UNAVAILABLE,
        "error",
        "error_text",
    )
}

fn not_found(state: &AppState, page: &PageCtx) -> Response {
    message(
        state,
        page,
        StatusCode::NOT_FOUND,
        "not_found",
        "not_found_text",
    )
}

/// Why an address could not be used, as a status and a sentence.
fn resolve_problem(e: &FedError) -> (StatusCode, &'static str) {
    match e {
        // A WebFinger answer we cannot read (a 404 page) or without an actor link: the server
        // answered, the account is not there.
        FedError::Remote(m)
            if m.contains("is not a valid object") || m.contains("resolve actor via webfinger") =>
        {
            (StatusCode::UNPROCESSABLE_ENTITY, "fedi_err_not_found")
        }
        FedError::Remote(_) => (StatusCode::UNPROCESSABLE_ENTITY, "fedi_err_unreachable"),
        FedError::Forbidden(_) => (StatusCode::UNPROCESSABLE_ENTITY, "fedi_err_blocked"),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, "fedi_err_not_found"),
    }
}

/// `POST /s/{slot}/fediverse`: checks the address, finds the account, sends the link.
async fn ask_link(
    ctx: Context,
    headers: HeaderMap,
    Path(uuid): Path<String>,
    Query(q): Query<LangQuery>,
    user: MaybeUser,
    form: Result<Form<HandleForm>, FormRejection>,
) -> Response {
    let state = ctx.app_data().clone();
    let page = page_ctx(&state, &headers, &q, user);
    let lang = page.lang;
    let ap_id = format!("{}/s/{}", state.config.base(), uuid);
    let slot = match state.store.find_slot_by_ap_id(&ap_id).await {
        Ok(Some(s)) if s.local => s,
        Ok(_) => return not_found(&state, &page),
        Err(e) => return unavailable(&state, &page, e),
    };
    let (mission, association) = match crate::service::missions::local_mission(
        state.store.as_ref(),
        slot.mission_id,
    )
    .await
    {
        Ok(found) => found,
        Err(ServiceError::NotFound(_)) => return not_found(&state, &page),
        Err(e) => return unavailable(&state, &page, e),
    };
    let v = slot_view(&state, lang, &slot, &mission, &association);
    let typed = form.ok().and_then(|f| f.0.handle).unwrap_or_default();
    let again = |status: StatusCode, error: String| {
        let ctx =
            context! { mode => "form", v => v.clone(), error => error, handle => typed.trim() };
        render(&state, &page, "fediverse.html", ctx, status)
    };
    let refuse = |key: &str| again(StatusCode::UNPROCESSABLE_ENTITY, i18n::word(lang, key));

    let handle = match clean_handle(&typed) {
        Ok(h) => h,
        Err(HandleProblem::Empty) => return refuse("fedi_err_empty"),
        Err(HandleProblem::TooLong) => return refuse("fedi_err_too_long"),
        Err(HandleProblem::Shape) => return refuse("fedi_err_shape"),
    };
    let host = handle_host(&handle);
    if host == state.config.domain().to_lowercase() {
        return refuse("fedi_err_local");
    }
    if let Ok(server) = url::Url::parse(&format!("https://{host}/")) {
        if crate::federation::policy::check_host(&state.config, &server).is_err() {
            return refuse("fedi_err_blocked");
        }
    }
    let person = match crate::federation::resolve::resolve_actor(&ctx, &handle).await {
        Ok(a) => a.actor,
        Err(e) => {
            tracing::info!(handle = %handle, error = %e, "fediverse address not resolved");
            let (status, key) = resolve_problem(&e);
            return again(status, i18n::word(lang, key));
        }
    };
    if person.local {
        return refuse("fedi_err_local");
    }
    if matches!(person.kind, ActorKind::Group | ActorKind::Application) {
        return refuse("fedi_err_not_person");
    }
    match crate::service::fediverse::send_link(
        state.store.as_ref(),
        &state.config,
        &slot,
        &person,
        state.clock.now(),
    )
    .await
    {
        Ok(Ok(_)) => {
            state.wake.notify_waiters();
            let ctx = context! { mode => "sent", v => v, handle => person.handle() };
            render(&state, &page, "fediverse.html", ctx, StatusCode::OK)
        }
        Ok(Err(LinkRefused::Slot(r))) => again(StatusCode::CONFLICT, crate::i18n::refusal(lang, r)),
        Ok(Err(LinkRefused::TooMany)) => again(
            StatusCode::TOO_MANY_REQUESTS,
            i18n::word(lang, "fedi_err_too_many"),
        ),
        Err(ServiceError::NotFound(_)) => not_found(&state, &page),
        Err(e) => unavailable(&state, &page, e),
    }
}

/// Only what our links can hold: URL-safe base64, not too long.
fn plausible_token(token: &str) -> bool {
    (20..=100).contains(&token.len())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn gone(state: &AppState, page: &PageCtx) -> Response {
    private(render(
        state,
        page,
        "fediverse.html",
        context! { mode => "gone" },
        StatusCode::GONE,
    ))
}

/// `GET /confirm/{token}`: what the link confirms, and a button. Changes nothing.
async fn show_link(
    ctx: Context,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    user: MaybeUser,
) -> Response {
    let state = ctx.app_data().clone();
    let page = page_ctx(&state, &headers, &q, user);
    if !plausible_token(&token) {
        return gone(&state, &page);
    }
    match crate::service::fediverse::preview(state.store.as_ref(), &token, state.clock.now()).await
    {
        Ok(Some(p)) => {
            let handle = p
                .person
                .as_ref()
                .map(|a| a.handle())
                .unwrap_or_else(|| p.confirmation.actor_ap_id.clone());
            let ctx = context! {
                mode => "confirm",
                v => slot_view(&state, page.lang, &p.slot, &p.mission, &p.association),
                handle => handle,
                action => format!("/confirm/{token}"),
            };
            private(render(&state, &page, "fediverse.html", ctx, StatusCode::OK))
        }
        Ok(None) => gone(&state, &page),
        Err(e) => unavailable(&state, &page, e),
    }
}

/// `POST /confirm/{token}`: spends the link and signs the person up.
async fn use_link(
    ctx: Context,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    user: MaybeUser,
) -> Response {
    let state = ctx.app_data().clone();
    let page = page_ctx(&state, &headers, &q, user);
    if !plausible_token(&token) {
        return gone(&state, &page);
    }
    let (outcome, slot_id) =
        match crate::service::fediverse::confirm(state.store.as_ref(), &token, state.clock.now())
            .await
        {
            Ok(Confirmed::Gone) => return gone(&state, &page),
            Ok(Confirmed::Done(p)) => {
                let key = if p.status == ParticipationStatus::Accepted {
                    "accepted"
                } else {
                    "pending"
                };
                ((key, String::new()), p.slot_id)
            }
            Ok(Confirmed::Refused(r, slot_id)) => {
                (("refused", crate::i18n::refusal(page.lang, r)), slot_id)
            }
            Err(e) => return unavailable(&state, &page, e),
        };
    state.wake.notify_waiters();
    let view = async {
        let slot = state.store.get_slot(slot_id).await?;
        let (mission, association) =
            crate::service::missions::local_mission(state.store.as_ref(), slot.mission_id).await?;
        Ok::<_, ServiceError>(slot_view(&state, page.lang, &slot, &mission, &association))
    }
    .await;
    let v = match view {
        Ok(v) => Some(v),
        // Deleted since the link was sent: the outcome alone says it.
        Err(ServiceError::NotFound(_)) => None,
        Err(e) => return unavailable(&state, &page, e),
    };
    let status = if outcome.0 == "refused" {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let ctx = context! { mode => "done", outcome => outcome.0, reason => outcome.1, v => v };
    private(render(&state, &page, "fediverse.html", ctx, status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_we_could_have_made() {
        let (token, _) = crate::service::accounts::new_secret();
        assert!(plausible_token(&token), "{token}");
        assert!(!plausible_token("short"));
        assert!(!plausible_token(&"a".repeat(101)));
        assert!(!plausible_token("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/../etc"));
    }
}
