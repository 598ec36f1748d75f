//! The forms of the board: accepting or refusing a request, signing up someone without an
//! account, writing to everyone signed up for a slot; and publishing a draft. Each goes back
//! to the dashboard with what was done or why it could not be; a form with a field to fix shows
//! the board again with it filled in.
//!
//! The checks come in this order: the session's token when someone is logged in (a form from
//! elsewhere does nothing), then the slot or sign-up the address names (else an error page;
//! publishing names its association in the address and skips this), then someone logged in
//! (else the login page, back to the dashboard), then the services' rules.

use super::{
    back_to,
    board::{show_refused, GuestRedo, Redo},
    dashboard_path,
};
use crate::http::params::Path;
use crate::http::web::prelude::NoFields;
use crate::{
    domain::{mission::MissionInput, mission::MissionStatus, DomainError},
    http::web::{i18n, signup::refusal_key, CheckedForm, OrPage, Page, PageError},
    service::{self, ServiceError},
};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct DecisionForm {
    #[serde(default)]
    reason: String,
}

/// A coordinator accepts or refuses a pending request (a reason may say why).
async fn decide(
    page: Page,
    id: i64,
    form: DecisionForm,
    accept: bool,
) -> Result<Response, PageError> {
    let state = page.state();
    let store = state.store.as_ref();
    let (a, back, user) = super::acting_on(
        &page,
        service::dashboard::association_of_participation(store, id).await,
    )?;
    let now = state.clock.now();
    match service::slots::decide(store, &user, id, accept, &form.reason, now).await {
        Ok(Ok(_)) => {
            state.wake.notify_waiters();
            let done = if accept { "accepted" } else { "declined" };
            Ok(back_to(&back, "done", done))
        }
        Ok(Err(r)) => Ok(back_to(&back, "refused", refusal_key(r))),
        Err(ServiceError::Conflict(_)) => Ok(back_to(&back, "refused", "not_pending")),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let message = errors
                .0
                .values()
                .next()
                .map(|m| i18n::field_error(page.lang, m))
                .unwrap_or_default();
            let redo = Redo {
                reason: Some((id, form.reason, message)),
                ..Default::default()
            };
            show_refused(&page, &user, &a.name, redo).await
        }
        Err(e) => Err(page.error(e)),
    }
}

pub(super) async fn accept(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<DecisionForm>,
) -> Result<Response, PageError> {
    decide(page, id, form, true).await
}

pub(super) async fn refuse(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<DecisionForm>,
) -> Result<Response, PageError> {
    decide(page, id, form, false).await
}

#[derive(Deserialize)]
pub(super) struct GuestForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
}

/// A coordinator signs up someone without an account (a name, a phone or an email).
pub(super) async fn add_guest(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<GuestForm>,
) -> Result<Response, PageError> {
    let state = page.state();
    let store = state.store.as_ref();
    let (a, back, user) = super::acting_on(
        &page,
        service::dashboard::association_of_slot(store, id).await,
    )?;
    let outcome = service::slots::sign_up_guest(
        store,
        &state.config,
        &user,
        id,
        &form.name,
        &form.contact,
        state.clock.now(),
    )
    .await;
    match outcome {
        Ok(Ok(_)) => {
            state.wake.notify_waiters();
            Ok(back_to(&back, "done", "guest_added"))
        }
        Ok(Err(r)) => Ok(back_to(&back, "refused", refusal_key(r))),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let messages = errors
                .0
                .iter()
                .map(|(f, m)| (f.clone(), i18n::field_error(page.lang, m)))
                .collect();
            let values = [
                ("name".to_string(), form.name),
                ("contact".to_string(), form.contact),
            ]
            .into();
            let redo = Redo {
                guest: Some(GuestRedo {
                    slot: id,
                    values,
                    errors: messages,
                }),
                ..Default::default()
            };
            show_refused(&page, &user, &a.name, redo).await
        }
        Err(e) => Err(page.error(e)),
    }
}

#[derive(Deserialize)]
pub(super) struct MessageForm {
    #[serde(default)]
    text: String,
}

/// A coordinator writes to everyone signed up for a slot (email, or direct message).
pub(super) async fn message_slot(
    ctx: crate::state::Context,
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<MessageForm>,
) -> Result<Response, PageError> {
    let state = page.state();
    let store = state.store.as_ref();
    let (_, back, user) = super::acting_on(
        &page,
        service::dashboard::association_of_slot(store, id).await,
    )?;
    match service::slots::check_message(store, &user, id, &form.text).await {
        Ok(()) => {}
        Err(ServiceError::Domain(DomainError::Invalid(_))) => {
            return Ok(back_to(&back, "refused", "message_empty"))
        }
        Err(e) => return Err(page.error(e)),
    }
    match crate::notify::message_slot(&ctx, id, form.text.trim(), state.clock.now()).await {
        Ok(_) => Ok(back_to(&back, "done", "message_sent")),
        Err(e) => Err(page.error(ServiceError::Internal(e.to_string()))),
    }
}

/// A coordinator publishes a draft; one that cannot be published as it is goes to its form,
/// which says why.
pub(super) async fn publish(
    Path((name, id)): Path<(String, i64)>,
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let back = dashboard_path(&name);
    let user = page.user_or_login(&back)?;
    let state = page.state();
    let store = state.store.as_ref();
    service::dashboard::managed_mission(store, &user, &name, id)
        .await
        .or_page(&page)?;
    let input = MissionInput {
        status: Some(MissionStatus::Published.as_str().to_string()),
        ..Default::default()
    };
    let now = state.clock.now();
    match service::missions::update(store, &state.config, &state.places, &user, id, input, now)
        .await
    {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(back_to(&back, "done", "published"))
        }
        Err(ServiceError::Domain(DomainError::Invalid(_))) => {
            Ok(Redirect::to(&format!("/g/{name}/missions/{id}/edit")).into_response())
        }
        Err(e) => Err(page.error(e)),
    }
}
