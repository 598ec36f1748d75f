//! Signing up with a Mastodon (fediverse) account, for people whose server cannot send
//! `Join`: the mission page takes their address (`POST /s/{slot}/fediverse`), a one-time link
//! goes to them by direct message, and the link's page (`GET /confirm/{token}`) shows what it
//! confirms with a button that POSTs to the same URL. A GET never changes anything.

use super::{i18n, pages::local_path, OrPage, Page, PageError};
use crate::http::params::Path;
use crate::i18n::Lang;
use crate::{
    domain::{
        actor::{Actor, ActorKind},
        fediverse::{clean_handle, handle_host, HandleProblem},
        mission::{JoinMode, Mission, MissionStatus},
        slot::{ParticipationStatus, Slot},
    },
    federation::error::FedError,
    service::{
        self,
        fediverse::{Confirmed, LinkRefused},
        ServiceError,
    },
    state::{AppState, Context},
};
use axum::{
    extract::{rejection::FormRejection, Form},
    http::{header, HeaderValue, StatusCode},
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

#[derive(Debug, Deserialize)]
struct HandleForm {
    handle: Option<String>,
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
    association: &Actor,
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
///
/// The form is for visitors without an account here and carries no CSRF token; whatever the
/// body is, a missing address gets the same clear answer as an empty one.
async fn ask_link(
    ctx: Context,
    page: Page,
    Path(uuid): Path<String>,
    form: Result<Form<HandleForm>, FormRejection>,
) -> Result<Response, PageError> {
    let state = page.state();
    let lang = page.lang;
    let ap_id = format!("{}/s/{}", state.config.base(), uuid);
    let slot = match service::slots::by_ap_id(state.store.as_ref(), &ap_id)
        .await
        .or_page(&page)?
    {
        Some(s) if s.local => s,
        _ => return Err(page.not_found()),
    };
    let (mission, association) =
        service::missions::local_mission(state.store.as_ref(), slot.mission_id)
            .await
            .or_page(&page)?;
    let v = slot_view(state, lang, &slot, &mission, &association);
    let typed = form.ok().and_then(|f| f.0.handle).unwrap_or_default();
    let again = |status: StatusCode, error: String| {
        let ctx =
            context! { mode => "form", v => v.clone(), error => error, handle => typed.trim() };
        Ok(page.render_status("fediverse.html", ctx, status))
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
    let sent = service::fediverse::send_link(
        state.store.as_ref(),
        &state.config,
        &slot,
        &person,
        state.clock.now(),
    )
    .await
    .or_page(&page)?;
    match sent {
        Ok(_) => {
            state.wake.notify_waiters();
            let ctx = context! { mode => "sent", v => v, handle => person.handle() };
            Ok(page.render("fediverse.html", ctx))
        }
        Err(LinkRefused::Slot(r)) => again(StatusCode::CONFLICT, crate::i18n::refusal(lang, r)),
        Err(LinkRefused::TooMany) => again(
            StatusCode::TOO_MANY_REQUESTS,
            i18n::word(lang, "fedi_err_too_many"),
        ),
    }
}

/// Only what our links can hold: URL-safe base64, not too long.
fn plausible_token(token: &str) -> bool {
    (20..=100).contains(&token.len())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// 410: the link is unknown, used or expired.
fn gone(page: &Page) -> Response {
    private(page.render_status(
        "fediverse.html",
        context! { mode => "gone" },
        StatusCode::GONE,
    ))
}

/// `GET /confirm/{token}`: what the link confirms, and a button. Changes nothing.
async fn show_link(page: Page, Path(token): Path<String>) -> Result<Response, PageError> {
    if !plausible_token(&token) {
        return Ok(gone(&page));
    }
    let state = page.state();
    let preview = service::fediverse::preview(state.store.as_ref(), &token, state.clock.now())
        .await
        .or_page(&page)?;
    let Some(p) = preview else {
        return Ok(gone(&page));
    };
    let handle = p
        .person
        .as_ref()
        .map(|a| a.handle())
        .unwrap_or_else(|| p.confirmation.actor_ap_id.clone());
    let ctx = context! {
        mode => "confirm",
        v => slot_view(state, page.lang, &p.slot, &p.mission, &p.association),
        handle => handle,
        action => format!("/confirm/{token}"),
    };
    Ok(private(page.render("fediverse.html", ctx)))
}

/// `POST /confirm/{token}`: spends the link and signs the person up. The link is the secret:
/// the button carries no CSRF token, and someone logged in here may use it too.
async fn use_link(page: Page, Path(token): Path<String>) -> Result<Response, PageError> {
    if !plausible_token(&token) {
        return Ok(gone(&page));
    }
    let state = page.state();
    let confirmed = service::fediverse::confirm(state.store.as_ref(), &token, state.clock.now())
        .await
        .or_page(&page)?;
    let (outcome, reason, slot_id) = match confirmed {
        Confirmed::Gone => return Ok(gone(&page)),
        Confirmed::Done(p) if p.status == ParticipationStatus::Accepted => {
            ("accepted", String::new(), p.slot_id)
        }
        Confirmed::Done(p) => ("pending", String::new(), p.slot_id),
        Confirmed::Refused(r, slot_id) => ("refused", crate::i18n::refusal(page.lang, r), slot_id),
    };
    state.wake.notify_waiters();
    let view = async {
        let slot = service::slots::get(state.store.as_ref(), slot_id).await?;
        let (mission, association) =
            service::missions::local_mission(state.store.as_ref(), slot.mission_id).await?;
        Ok::<_, ServiceError>(slot_view(state, page.lang, &slot, &mission, &association))
    }
    .await;
    let v = match view {
        Ok(v) => Some(v),
        // Deleted since the link was sent: the outcome alone says it.
        Err(ServiceError::NotFound(_)) => None,
        Err(e) => return Err(page.error(e)),
    };
    let status = if outcome == "refused" {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let ctx = context! { mode => "done", outcome => outcome, reason => reason, v => v };
    Ok(private(page.render_status("fediverse.html", ctx, status)))
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
