//! A mission's picture from its form page (`multipart/form-data`): set or replace it, remove
//! it; a file refused shows the mission's form again with the sentence next to the field.

use super::multipart::{Sent, TooLarge};
use crate::http::params::Path;
use crate::http::web::prelude::*;
use crate::{
    domain::{DomainError, FieldErrors},
    http::web::{
        mission_form::edit_page,
        pages::{local_path, managed_mission, with_param},
        CheckedForm, OrPage, Page, PageError,
    },
    service::{self, associations::MAX_LOGO_BYTES, ServiceError},
    state::AppState,
};
use axum::extract::{DefaultBodyLimit, Multipart};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/g/{name}/missions/{id}/picture",
            post(upload).layer(DefaultBodyLimit::max(MAX_LOGO_BYTES + 64 * 1024)),
        )
        .route("/g/{name}/missions/{id}/picture/delete", post(remove))
}

/// The mission's form again with why the picture was refused.
async fn refused(
    page: &Page,
    name: &str,
    id: i64,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/g/{name}/missions/{id}/edit"))?;
    let (a, m) = managed_mission(page.state(), &user, name, id)
        .await
        .or_page(page)?;
    edit_page(page, &a, &m, errors, status).await
}

/// `POST /g/{name}/missions/{id}/picture`: sets or replaces the picture; to the mission.
async fn upload(
    Path((name, id)): Path<(String, i64)>,
    page: Page,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/g/{name}/missions/{id}/edit"))?;
    let sent = match Sent::read(multipart).await {
        Ok(s) => s,
        Err(TooLarge) => {
            let e = TooLarge::errors("picture");
            return refused(&page, &name, id, &e, StatusCode::PAYLOAD_TOO_LARGE).await;
        }
    };
    page.check_csrf(Some(sent.text("csrf").as_str()))?;
    let state = page.state();
    let (_, m) = managed_mission(state, &user, &name, id)
        .await
        .or_page(&page)?;
    let result = service::mission_pictures::set(
        state.store.as_ref(),
        &user,
        m.id,
        sent.file("picture").unwrap_or_default(),
        state.clock.now(),
    )
    .await;
    match result {
        Ok(()) => {
            state.wake.notify_waiters();
            let path = local_path(state, &m.url);
            Ok(Redirect::to(&with_param(&path, "done", "picture_saved")).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => {
            refused(&page, &name, id, &e, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(page.error(e)),
    }
}

#[derive(Debug, Deserialize)]
struct Nothing {}

/// `POST /g/{name}/missions/{id}/picture/delete`.
async fn remove(
    Path((name, id)): Path<(String, i64)>,
    CheckedForm(page, Nothing {}): CheckedForm<Nothing>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/g/{name}/missions/{id}/edit"))?;
    let state = page.state();
    let (_, m) = managed_mission(state, &user, &name, id)
        .await
        .or_page(&page)?;
    service::mission_pictures::remove(state.store.as_ref(), &user, m.id, state.clock.now())
        .await
        .or_page(&page)?;
    state.wake.notify_waiters();
    let path = local_path(state, &m.url);
    Ok(Redirect::to(&with_param(&path, "done", "picture_removed")).into_response())
}
