//! The owner's side: an association's equipment, the form to add or change a resource (all
//! its terms, who may borrow, the agreement's text), its photos and documents
//! ([`files`]), its removal.

use super::{word, words};
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::{
    domain::{actor::Actor, resource::Resource, DomainError},
    http::web::{CheckedForm, LoggedIn, OrPage, Page, PageError},
    service::{self, files::ResourceFile, ServiceError},
    state::AppState,
};
use axum::extract::DefaultBodyLimit;
use form::{form_page, Owner, ResourceForm};

mod files;
mod form;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/resources", get(list))
        .route("/g/{name}/resources/new", get(new_form).post(create))
        .route("/resources/{id}/edit", get(edit_form).post(update))
        .route("/resources/{id}/delete", post(delete))
        .route(
            "/resources/{id}/files",
            post(files::upload).layer(DefaultBodyLimit::max(service::files::MAX_BYTES + 64 * 1024)),
        )
        .route("/resources/{id}/files/{file}/delete", post(files::remove))
}

/// An association's equipment: everyone sees it; its coordinators add and change it.
async fn list(page: Page, Path(name): Path<String>) -> Result<Response, PageError> {
    let lang = page.lang;
    let store = page.state().store.as_ref();
    let (owner, list) = service::resources::of_association(store, &name)
        .await
        .or_page(&page)?;
    let manages = match &page.user {
        Some(u) => service::hours::is_coordinator(store, u, &owner)
            .await
            .unwrap_or(false),
        None => false,
    };
    let cards: Vec<Value> = list
        .iter()
        .map(|r| super::browse::card(lang, r, &owner, None))
        .collect();
    Ok(page.render(
        "resources.html",
        context! {
            e => words(lang), results => cards, owner => context! { name => owner.name, label => owner.label() },
            manages => manages, listing => true, values => context! {}, field_errors => context! {},
        },
    ))
}

async fn new_form(
    Path(name): Path<String>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let a = service::resources::managed(page.state().store.as_ref(), &user, &name)
        .await
        .or_page(&page)?;
    let owner = Owner {
        name: &a.name,
        label: a.label(),
    };
    Ok(form_page(
        &page,
        owner,
        None,
        &ResourceForm::blank(),
        None,
        None,
    ))
}

async fn create(
    Path(name): Path<String>,
    CheckedForm(page, form): CheckedForm<ResourceForm>,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/g/{name}/resources/new"))?;
    let state = page.state();
    let a = service::resources::managed(state.store.as_ref(), &u, &name)
        .await
        .or_page(&page)?;
    let result = match form.input() {
        Ok(input) => {
            service::resources::create(
                state.store.as_ref(),
                &state.config,
                &state.places,
                &u,
                &name,
                input,
                state.clock.now(),
            )
            .await
        }
        Err(e) => Err(DomainError::Invalid(e).into()),
    };
    match result {
        Ok(r) => {
            state.wake.notify_waiters();
            Ok(Redirect::to(&format!("/resources/{}/edit?done=saved", r.id)).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => {
            let owner = Owner {
                name: &a.name,
                label: a.label(),
            };
            Ok(form_page(&page, owner, None, &form, Some(&e), None))
        }
        Err(e) => Err(page.error(e)),
    }
}

/// One of this node's resources the user coordinates, its owner and its files, for the form.
async fn owned(
    page: &Page,
    user: &crate::domain::account::User,
    id: i64,
) -> Result<(Resource, Actor, Vec<ResourceFile>), PageError> {
    let store = page.state().store.as_ref();
    let (r, owner) = service::resources::editable(store, user, id)
        .await
        .or_page(page)?;
    let files = service::files::of_resource(store, r.id)
        .await
        .or_page(page)?;
    Ok((r, owner, files))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EditQuery {
    done: Option<String>,
}

async fn edit_form(
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let (r, owner, files) = owned(&page, &user, id).await?;
    let saved = (q.done.as_deref() == Some("saved")).then(|| word(page.lang, "done_saved"));
    let who = Owner {
        name: &owner.name,
        label: owner.label(),
    };
    Ok(form_page(
        &page,
        who,
        Some((&r, &files)),
        &ResourceForm::of(&r),
        None,
        saved,
    ))
}

async fn update(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<ResourceForm>,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/resources/{id}/edit"))?;
    let state = page.state();
    let (r, owner, files) = owned(&page, &u, id).await?;
    let result = match form.input() {
        Ok(input) => {
            service::resources::update(
                state.store.as_ref(),
                &state.places,
                &u,
                id,
                input,
                state.clock.now(),
            )
            .await
        }
        Err(e) => Err(DomainError::Invalid(e).into()),
    };
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(Redirect::to(&format!("/resources/{id}?done=saved")).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => {
            let who = Owner {
                name: &owner.name,
                label: owner.label(),
            };
            Ok(form_page(
                &page,
                who,
                Some((&r, &files)),
                &form,
                Some(&e),
                None,
            ))
        }
        Err(e) => Err(page.error(e)),
    }
}

/// A form with nothing but its token.
#[derive(Deserialize)]
struct Nothing {}

async fn delete(
    Path(id): Path<i64>,
    CheckedForm(page, Nothing {}): CheckedForm<Nothing>,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/resources/{id}/edit"))?;
    let state = page.state();
    let (_, owner, _) = owned(&page, &u, id).await?;
    service::resources::delete(state.store.as_ref(), &u, id, state.clock.now())
        .await
        .or_page(&page)?;
    state.wake.notify_waiters();
    Ok(Redirect::to(&format!("/g/{}/resources", owner.name)).into_response())
}
