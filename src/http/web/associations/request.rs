//! Asking for a new association (`/associations/new`, a form with a logo) and what became of
//! one's requests (`/associations/requests`); the node's administrators' page to answer them
//! (`/admin/associations`: approve, or refuse saying why).

use super::multipart::{Sent, TooLarge};
use super::{category_boxes, errors_view, words};
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::{
    domain::{
        association::{AssociationDetails, AssociationNames, AssociationRequest},
        DomainError, FieldErrors,
    },
    http::web::{i18n, CheckedForm, LoggedIn, OrPage, Page, PageError},
    service::{self, associations::MAX_LOGO_BYTES, ServiceError},
    state::AppState,
};
use axum::extract::{DefaultBodyLimit, Multipart};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/associations/new",
            get(new_form)
                .post(create)
                .layer(DefaultBodyLimit::max(MAX_LOGO_BYTES + 64 * 1024)),
        )
        .route("/associations/requests", get(mine))
        .route("/associations/requests/{id}/logo.jpg", get(request_logo))
        .route("/admin/associations", get(admin_page))
        .route("/admin/associations/{id}/approve", post(approve))
        .route("/admin/associations/{id}/refuse", post(refuse))
}

const NEW: &str = "/associations/new";

/// The form as sent (a file input cannot be filled again: the logo is chosen again).
#[derive(Debug, Default, serde::Serialize)]
struct RequestForm {
    name: String,
    display_name: String,
    summary: String,
    #[serde(flatten)]
    details: AssociationDetails,
}

impl RequestForm {
    fn of(sent: &Sent) -> RequestForm {
        RequestForm {
            name: sent.text("name"),
            display_name: sent.text("display_name"),
            summary: sent.text("summary"),
            details: sent.details(),
        }
    }
}

fn form_page(page: &Page, form: &RequestForm, errors: Option<&FieldErrors>) -> Response {
    let lang = page.lang;
    let empty = FieldErrors::new();
    let (field_errors, error_box) = errors_view(lang, errors.unwrap_or(&empty));
    let (error_box, status) = match errors {
        Some(_) => (Some(error_box), StatusCode::UNPROCESSABLE_ENTITY),
        None => (None, StatusCode::OK),
    };
    page.render_status(
        "association_new.html",
        context! {
            w => words(lang), values => Value::from_serialize(form),
            categories => category_boxes(lang, &form.details.categories),
            errors => field_errors, error_box => error_box,
        },
        status,
    )
}

/// `GET /associations/new`.
async fn new_form(LoggedIn { page, .. }: LoggedIn) -> Response {
    form_page(&page, &RequestForm::default(), None)
}

/// `POST /associations/new` (`multipart/form-data`, with the logo).
async fn create(page: Page, multipart: Multipart) -> Result<Response, PageError> {
    let user = page.user_or_login(NEW)?;
    let sent = match Sent::read(multipart).await {
        Ok(s) => s,
        Err(TooLarge) => {
            let e = TooLarge::errors("logo");
            let mut res = form_page(&page, &RequestForm::default(), Some(&e));
            *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(res);
        }
    };
    page.check_csrf(Some(sent.text("csrf").as_str()))?;
    let form = RequestForm::of(&sent);
    let state = page.state();
    let names = AssociationNames {
        name: form.name.clone(),
        display_name: form.display_name.clone(),
        summary: form.summary.clone(),
    };
    let result = service::associations::request(
        state.store.as_ref(),
        &user,
        names,
        form.details.clone(),
        sent.file("logo"),
        state.clock.now(),
    )
    .await;
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(Redirect::to("/associations/requests?done=sent").into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => Ok(form_page(&page, &form, Some(&e))),
        Err(e) => Err(page.error(e)),
    }
}

/// A request as the pages show it.
fn request_view(page: &Page, r: &AssociationRequest, author: &str) -> Value {
    let tz = page.state().config.timezone();
    let date = |d: chrono::DateTime<chrono::Utc>| {
        i18n::long_date(page.lang, d.with_timezone(&tz).date_naive())
    };
    let categories: Vec<String> = r
        .details
        .categories
        .iter()
        .map(|c| crate::i18n::category(page.lang, c))
        .collect();
    context! {
        id => r.id, name => r.names.name, display_name => r.names.display_name,
        summary => r.names.summary, address => r.details.address, email => r.details.email,
        phone => r.details.phone, website => r.details.website, categories => categories,
        has_logo => r.has_logo, status => r.status.as_str(), reason => r.reason,
        since => date(r.created_at), author => author,
    }
}

#[derive(Debug, Deserialize)]
struct Done {
    done: Option<String>,
}

/// `GET /associations/requests`: the person's requests and where each stands (the page the
/// form leads to once sent).
async fn mine(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let list = service::associations::my_requests(page.state().store.as_ref(), &user)
        .await
        .or_page(&page)?;
    let requests: Vec<Value> = list
        .iter()
        .map(|r| request_view(&page, r, &user.name))
        .collect();
    Ok(page.render(
        "association_requests.html",
        context! { w => words(page.lang), requests => requests, sent => q.done.as_deref() == Some("sent") },
    ))
}

/// `GET /associations/requests/{id}/logo.jpg`: for the administrators and the author.
async fn request_logo(
    LoggedIn { page, user }: LoggedIn,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let bytes = service::associations::request_logo(page.state().store.as_ref(), &user, id)
        .await
        .or_page(&page)?;
    let mut res = super::jpeg(bytes);
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, max-age=300"),
    );
    Ok(res)
}

const ADMIN: &str = "/admin/associations";

/// The administrators' page; `refused` is a refusal whose reason was not accepted.
async fn admin_view(
    page: &Page,
    notice: Option<String>,
    refused: Option<(i64, &str, &FieldErrors)>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(ADMIN)?;
    let state = page.state();
    let list = service::associations::requests(state.store.as_ref(), &user, true)
        .await
        .or_page(page)?;
    let mut requests = Vec::new();
    for r in &list {
        let author = service::accounts::user(state.store.as_ref(), r.user_id)
            .await
            .map(|u| u.name)
            .unwrap_or_default();
        requests.push(request_view(page, r, &author));
    }
    let (refused_id, reason, error) = match refused {
        Some((id, reason, e)) => (
            Some(id),
            reason.to_string(),
            e.0.get("reason").map(|e| i18n::field_error(page.lang, e)),
        ),
        None => (None, String::new(), None),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page.render_status(
        "admin_associations.html",
        context! {
            w => words(page.lang), requests => requests, notice => notice,
            refused_id => refused_id, reason => reason, reason_error => error,
        },
        status,
    ))
}

/// `GET /admin/associations`: the requests waiting (administrators only; 403 otherwise).
async fn admin_page(
    LoggedIn { page, .. }: LoggedIn,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["approved", "refused"].contains(d))
        .map(|d| i18n::word(page.lang, &format!("assoc-admin_done_{d}")));
    admin_view(&page, notice, None).await
}

#[derive(Debug, Deserialize)]
struct Nothing {}

/// `POST /admin/associations/{id}/approve`.
async fn approve(
    Path(id): Path<i64>,
    CheckedForm(page, Nothing {}): CheckedForm<Nothing>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(ADMIN)?;
    let state = page.state();
    service::associations::approve(
        state.store.as_ref(),
        &state.config.base(),
        &state.config.domain(),
        &user,
        id,
        state.clock.now(),
    )
    .await
    .or_page(&page)?;
    state.wake.notify_waiters();
    Ok(Redirect::to(&format!("{ADMIN}?done=approved")).into_response())
}

#[derive(Debug, Deserialize)]
struct RefuseForm {
    #[serde(default)]
    reason: String,
}

/// `POST /admin/associations/{id}/refuse`: with a reason, told to the author.
async fn refuse(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<RefuseForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(ADMIN)?;
    let state = page.state();
    let result = service::associations::refuse(
        state.store.as_ref(),
        &user,
        id,
        &form.reason,
        state.clock.now(),
    )
    .await;
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(Redirect::to(&format!("{ADMIN}?done=refused")).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => {
            admin_view(&page, None, Some((id, &form.reason, &e))).await
        }
        Err(e) => Err(page.error(e)),
    }
}
