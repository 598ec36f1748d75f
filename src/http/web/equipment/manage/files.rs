//! A resource's photos and documents: sending one with the form (`multipart/form-data`), and
//! removing one.

use super::{
    form::{form_page, Owner, ResourceForm},
    owned, Nothing,
};
use crate::http::params::Path;
use crate::http::web::prelude::*;
use crate::{
    domain::{DomainError, FieldErrors},
    http::web::{CheckedForm, OrPage, Page, PageError},
    service::{self, ServiceError},
};
use axum::extract::Multipart;

/// A photo or a document sent with the form (`csrf`, `kind`, `file`). The token is checked
/// once the whole form is read; a file past the limit shows the form again with a 413.
pub(super) async fn upload(
    Path(id): Path<i64>,
    page: Page,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/resources/{id}/edit"))?;
    let (mut csrf, mut kind, mut file) = (None, String::new(), None);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let filename = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) => match name.as_str() {
                        "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).to_string()),
                        "kind" => kind = String::from_utf8_lossy(&bytes).to_string(),
                        "file" => file = Some((filename, bytes)),
                        _ => {}
                    },
                    Err(_) => return too_large(&page, id).await,
                }
            }
            Ok(None) => break,
            Err(_) => return too_large(&page, id).await,
        }
    }
    page.check_csrf(csrf.as_deref())?;
    let state = page.state();
    let (filename, bytes) = file.unwrap_or_default();
    let result = service::files::attach(
        state.store.as_ref(),
        &u,
        id,
        &kind,
        &filename,
        &bytes,
        state.clock.now(),
    )
    .await;
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(Redirect::to(&format!("/resources/{id}/edit?done=saved")).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => refused(&page, id, &e).await,
        Err(e) => Err(page.error(e)),
    }
}

/// The form again, with why the file was refused.
async fn refused(page: &Page, id: i64, errors: &FieldErrors) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/resources/{id}/edit"))?;
    let (r, owner, files) = owned(page, &user, id).await?;
    let who = Owner {
        name: &owner.name,
        label: owner.label(),
    };
    Ok(form_page(
        page,
        who,
        Some((&r, &files)),
        &ResourceForm::of(&r),
        Some(errors),
        None,
    ))
}

/// A file past the limit (or a form cut short): the form again, 413.
async fn too_large(page: &Page, id: i64) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    errors.add(
        "file",
        crate::domain::FieldError::new("file_too_big").num("mb", 10),
    );
    let mut res = refused(page, id, &errors).await?;
    *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    Ok(res)
}

pub(super) async fn remove(
    Path((id, file)): Path<(i64, i64)>,
    CheckedForm(page, Nothing {}): CheckedForm<Nothing>,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/resources/{id}/edit"))?;
    let state = page.state();
    service::files::remove(state.store.as_ref(), &u, id, file, state.clock.now())
        .await
        .or_page(&page)?;
    state.wake.notify_waiters();
    Ok(Redirect::to(&format!("/resources/{id}/edit?done=saved")).into_response())
}
