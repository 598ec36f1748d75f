//! An association's settings for its coordinators (`/g/{name}/settings`): its page (names,
//! address, contact, website, fields of action, logo) and its team (invite by email as member
//! or coordinator, the invitations not used yet with their expiry, withdraw one).

use super::multipart::{Sent, TooLarge};
use super::{category_boxes, errors_view, words};
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::{
    domain::DomainError,
    domain::{
        association::{AssociationDetails, InvitationState},
        FieldErrors,
    },
    http::web::{i18n, CheckedForm, LoggedIn, OrPage, Page, PageError},
    service::{self, associations::AssociationChange, associations::MAX_LOGO_BYTES, ServiceError},
    state::AppState,
};
use axum::extract::{DefaultBodyLimit, Multipart};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/g/{name}/settings",
            get(settings_page)
                .post(save)
                .layer(DefaultBodyLimit::max(MAX_LOGO_BYTES + 64 * 1024)),
        )
        .route("/g/{name}/settings/invitations", post(invite))
        .route("/g/{name}/settings/invitations/{id}/revoke", post(revoke))
}

/// The page's fields as shown (stored, or as sent when refused).
#[derive(Debug, Default, Serialize)]
struct ProfileForm {
    display_name: String,
    summary: String,
    #[serde(flatten)]
    details: AssociationDetails,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// What a refused form brings back to the page.
enum Refused<'a> {
    None,
    Profile(&'a ProfileForm, &'a FieldErrors),
    Invite(&'a InviteForm, &'a FieldErrors),
}

async fn render(
    page: &Page,
    name: &str,
    notice: Option<String>,
    refused: Refused<'_>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/g/{name}/settings"))?;
    let state = page.state();
    let store = state.store.as_ref();
    let now = state.clock.now();
    // The invitations first: they are for the coordinators only (403 for anyone else).
    let invitations = service::invitations::pending(store, &user, name, now)
        .await
        .or_page(page)?;
    let a = service::missions::association(store, name)
        .await
        .or_page(page)?;
    let profile = service::associations::profile(store, &a)
        .await
        .or_page(page)?;
    let stored = ProfileForm {
        display_name: a.display_name.clone(),
        summary: a.summary.clone(),
        details: profile.details.clone(),
    };
    let lang = page.lang;
    let tz = state.config.timezone();
    let list: Vec<Value> = invitations
        .iter()
        .map(|(inv, s)| {
            let until = inv.expires_at.with_timezone(&tz).date_naive();
            context! {
                id => inv.id, email => inv.email,
                role => i18n::word(lang, &format!("assoc-role_{}", inv.role.as_str())),
                until => i18n::long_date(lang, until),
                expired => *s == InvitationState::Expired,
            }
        })
        .collect();
    let empty = FieldErrors::new();
    let (values, profile_errors, invite, invite_errors) = match refused {
        Refused::Profile(f, e) => (f, e, &InviteForm::default(), &empty),
        Refused::Invite(f, e) => (&stored, &empty, f, e),
        Refused::None => (&stored, &empty, &InviteForm::default(), &empty),
    };
    let (errors, error_box) = errors_view(lang, profile_errors);
    let (inv_errors, inv_box) = errors_view(lang, invite_errors);
    let status = if profile_errors.is_empty() && invite_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page.render_status(
        "association_settings.html",
        context! {
            w => words(lang), a => context! { name => a.name, display_name => a.label() },
            values => Value::from_serialize(values),
            categories => category_boxes(lang, &values.details.categories),
            logo => profile.logo_updated_at.map(|t| t.timestamp()),
            errors => errors, error_box => (!profile_errors.is_empty()).then_some(error_box),
            invite => Value::from_serialize(invite), invite_errors => inv_errors,
            invite_box => (!invite_errors.is_empty()).then_some(inv_box),
            invitations => list, notice => notice,
        },
        status,
    ))
}

#[derive(Debug, Deserialize)]
struct Done {
    done: Option<String>,
}

/// `GET /g/{name}/settings`.
async fn settings_page(
    Path(name): Path<String>,
    LoggedIn { page, .. }: LoggedIn,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["saved", "invited", "revoked"].contains(d))
        .map(|d| i18n::word(page.lang, &format!("assoc-settings_done_{d}")));
    render(&page, &name, notice, Refused::None).await
}

fn done(name: &str, what: &str) -> Response {
    Redirect::to(&format!("/g/{name}/settings?done={what}")).into_response()
}

/// `POST /g/{name}/settings` (`multipart/form-data`): the page's fields and the logo.
async fn save(
    Path(name): Path<String>,
    page: Page,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/g/{name}/settings"))?;
    let sent = match Sent::read(multipart).await {
        Ok(s) => s,
        Err(TooLarge) => {
            let e = TooLarge::errors("logo");
            let form = ProfileForm::default();
            let mut res = render(&page, &name, None, Refused::Profile(&form, &e)).await?;
            *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(res);
        }
    };
    page.check_csrf(Some(sent.text("csrf").as_str()))?;
    let form = ProfileForm {
        display_name: sent.text("display_name"),
        summary: sent.text("summary"),
        details: sent.details(),
    };
    let state = page.state();
    let d = form.details.clone();
    let change = AssociationChange {
        display_name: Some(form.display_name.clone()),
        summary: Some(form.summary.clone()),
        address: Some(d.address),
        email: Some(d.email),
        phone: Some(d.phone),
        website: Some(d.website),
        categories: Some(d.categories),
        logo: sent.file("logo").map(<[u8]>::to_vec),
        remove_logo: sent.has("remove_logo"),
    };
    let result = service::associations::update(
        state.store.as_ref(),
        &user,
        &name,
        change,
        state.clock.now(),
    )
    .await;
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(done(&name, "saved"))
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => {
            render(&page, &name, None, Refused::Profile(&form, &e)).await
        }
        Err(e) => Err(page.error(e)),
    }
}

/// `POST /g/{name}/settings/invitations`: an invitation by email.
async fn invite(
    Path(name): Path<String>,
    CheckedForm(page, form): CheckedForm<InviteForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/g/{name}/settings"))?;
    let state = page.state();
    let result = service::invitations::invite(
        state.store.as_ref(),
        &user,
        &name,
        &form.email,
        &form.role,
        state.clock.now(),
    )
    .await;
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(done(&name, "invited"))
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => {
            render(&page, &name, None, Refused::Invite(&form, &e)).await
        }
        Err(e) => Err(page.error(e)),
    }
}

#[derive(Debug, Deserialize)]
struct Nothing {}

/// `POST /g/{name}/settings/invitations/{id}/revoke`.
async fn revoke(
    Path((name, id)): Path<(String, i64)>,
    CheckedForm(page, Nothing {}): CheckedForm<Nothing>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/g/{name}/settings"))?;
    let state = page.state();
    service::invitations::revoke(state.store.as_ref(), &user, &name, id, state.clock.now())
        .await
        .or_page(&page)?;
    Ok(done(&name, "revoked"))
}
