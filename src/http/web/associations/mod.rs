//! Associations coming in (issue 14), the pages' side: an association's logo and a mission's
//! picture at their addresses (what the `Group`'s `icon` and the `Event`'s `image` point to),
//! and the page an invitation's link opens (accept when logged in; otherwise log in or create
//! an account, and come back).

use super::{CheckedForm, OrPage, Page, PageError};
use crate::domain::FieldErrors;
use crate::http::web::prelude::*;
use crate::{domain::association::InvitationState, service, state::AppState};
use axum::http::{header, HeaderValue, StatusCode};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/logo.jpg", get(logo))
        .route("/missions/{id}/picture.jpg", get(picture))
        .route("/invitations/{token}", get(invitation).post(accept))
        .merge(request::router())
        .merge(settings::router())
        .merge(pictures::router())
}

mod multipart;
mod pictures;
mod request;
mod settings;

/// The templates of these pages.
pub(crate) const TEMPLATES: [(&str, &str); 5] = [
    (
        "association_fields.html",
        include_str!("../../../../templates/association_fields.html"),
    ),
    (
        "association_new.html",
        include_str!("../../../../templates/association_new.html"),
    ),
    (
        "association_requests.html",
        include_str!("../../../../templates/association_requests.html"),
    ),
    (
        "admin_associations.html",
        include_str!("../../../../templates/admin_associations.html"),
    ),
    (
        "association_settings.html",
        include_str!("../../../../templates/association_settings.html"),
    ),
];

/// The words of these pages (`w.key`).
fn words(lang: super::i18n::Lang) -> minijinja::Value {
    super::i18n::area(lang, "assoc-")
}

/// Field errors as the templates show them: the sentence by field, and the list at the top.
fn errors_view(
    lang: super::i18n::Lang,
    errors: &FieldErrors,
) -> (minijinja::Value, minijinja::Value) {
    let mut by_field = std::collections::BTreeMap::new();
    let mut summary = Vec::new();
    for (f, e) in &errors.0 {
        let text = super::i18n::field_error(lang, e);
        let label = super::i18n::lookup(lang, &format!("assoc-field_{f}"))
            .unwrap_or_else(|| super::i18n::field_label(lang, f));
        summary.push(context! { anchor => f, label => label, message => text });
        by_field.insert(f.clone(), text);
    }
    let title = super::i18n::form_errors(lang, by_field.len());
    (
        minijinja::Value::from_serialize(by_field),
        context! { title => title, summary => summary },
    )
}

/// The fields of action as checkboxes, those in `chosen` ticked.
fn category_boxes(lang: super::i18n::Lang, chosen: &[String]) -> Vec<minijinja::Value> {
    crate::domain::mission::CATEGORIES
        .iter()
        .map(|(code, _)| {
            context! {
                code => code, label => crate::i18n::category(lang, code),
                checked => chosen.iter().any(|c| c == code),
            }
        })
        .collect()
}

fn jpeg(bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    // The address carries the version (`?v=`): a new image is a new address.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// `GET /g/{name}/logo.jpg`.
async fn logo(page: Page, Path(name): Path<String>) -> Result<Response, PageError> {
    let (bytes, _) = service::associations::logo(page.state().store.as_ref(), &name)
        .await
        .or_page(&page)?;
    Ok(jpeg(bytes))
}

/// `GET /missions/{id}/picture.jpg`: public like the mission (a draft's picture too, as its
/// address is not published anywhere).
async fn picture(page: Page, Path(id): Path<i64>) -> Result<Response, PageError> {
    let (bytes, _) = service::mission_pictures::read(page.state().store.as_ref(), id)
        .await
        .or_page(&page)?;
    Ok(jpeg(bytes))
}

/// A path of this site as a query parameter (`/login?next=…`).
pub(super) fn encode_path(path: &str) -> String {
    const NEXT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(path, NEXT).to_string()
}

/// `GET /invitations/{token}`: what the invitation is, and what to do.
async fn invitation(page: Page, Path(token): Path<String>) -> Result<Response, PageError> {
    let state = page.state();
    let (inv, a) = service::invitations::by_token(state.store.as_ref(), &token)
        .await
        .or_page(&page)?;
    let here = format!("/invitations/{token}");
    let s = match inv.state(state.clock.now()) {
        InvitationState::Open => "open",
        InvitationState::Accepted => "used",
        InvitationState::Revoked => "revoked",
        InvitationState::Expired => "expired",
    };
    let ctx = context! {
        a => context! { name => a.name, display_name => a.label() },
        role => crate::i18n::tr(page.lang, &format!("assoc-role_{}", inv.role.as_str())),
        email => inv.email,
        state => s,
        logged_in => page.user.is_some(),
        next => encode_path(&here),
        action => here,
        w => super::i18n::area(page.lang, "assoc-"),
    };
    Ok(page.render("invitation.html", ctx))
}

#[derive(Debug, Deserialize)]
struct AcceptForm {}

/// `POST /invitations/{token}`: the person logged in takes the role; to the association.
async fn accept(
    Path(token): Path<String>,
    CheckedForm(page, AcceptForm {}): CheckedForm<AcceptForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/invitations/{token}"))?;
    let state = page.state();
    let (_, a) =
        service::invitations::accept(state.store.as_ref(), &user, &token, state.clock.now())
            .await
            .or_page(&page)?;
    Ok((
        StatusCode::SEE_OTHER,
        Redirect::to(&format!("/g/{}", a.name)),
    )
        .into_response())
}
