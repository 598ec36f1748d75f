//! Reservations on the web: an association's (requests to answer, loans of its equipment,
//! what it borrows, finished ones, CSV), one reservation with what each party may do, and the
//! lending agreement as a printable page and a PDF.

use super::{i18n, moment, reason_text, state_label, word, words};
use crate::http::params::{Path, Query};
use crate::http::web::calendar::{feed_lang, is_secret, private_ics, FeedQuery};
use crate::http::web::prelude::*;
use crate::i18n::Lang;
use crate::{
    domain::{actor::Actor, DomainError},
    http::{
        download::download,
        web::{CheckedForm, LoggedIn, OrPage, Page, PageError},
    },
    service::{self, reservations::Described, ServiceError},
    state::AppState,
};
use axum::extract::State;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/reservations", get(association))
        .route("/g/{name}/reservations.csv", get(csv))
        .route("/reservations/{id}", get(one))
        .route("/reservations/{id}/agreement", get(agreement))
        .route("/agreements/{uuid}", get(agreement_reference))
        .route("/reservations/{id}/agreement.pdf", get(agreement_pdf))
        .route("/reservations/{id}/{action}", post(act))
        .route("/feeds/{secret}/reservations/{file}", get(feed))
}

/// The private iCalendar feed of an association's reservations (see
/// [`service::reservation_feed`]): `/feeds/{secret}/reservations/{association}.ics`.
#[utoipa::path(get, path = "/feeds/{secret}/reservations/{association}.ics", tag = "calendar",
    summary = "Private iCalendar feed of an association's reservations, read with the secret of a coordinator's private calendar address (GET /api/v1/me/calendar-token)",
    description = "Lent and borrowed; asked: TENTATIVE, accepted: CONFIRMED, refused or cancelled: CANCELLED.",
    params(
        ("secret" = String, Path, description = "the secret of a coordinator's private calendar address"),
        ("association" = String, Path, description = "the association's name"),
        FeedQuery),
    responses(
        (status = 200, description = "the feed", content_type = "text/calendar", body = String),
        (status = 404, description = "unknown secret, or not a coordinator of the association", content_type = "text/plain", body = String)))]
async fn feed(
    State(state): State<AppState>,
    Path((secret, file)): Path<(String, String)>,
    Query(q): Query<FeedQuery>,
) -> Response {
    let unknown = || (StatusCode::NOT_FOUND, "unknown calendar address\n").into_response();
    let Some(name) = file.strip_suffix(".ics") else {
        return unknown();
    };
    if !is_secret(&secret) {
        return unknown();
    }
    let lang = feed_lang(&state, &q);
    match service::reservation_feed::feed(
        state.store.as_ref(),
        &state.config,
        &secret,
        name,
        lang,
        state.clock.now(),
    )
    .await
    {
        Ok(Some(body)) => private_ics(body, &format!("reservations-{name}.ics")),
        Ok(None) => unknown(),
        Err(e) => {
            tracing::error!(error = %e, "reservation feed failed");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}

/// `name@host` of a party.
fn address(state: &AppState, a: &Actor) -> String {
    if a.local {
        format!("{}@{}", a.name, state.config.domain())
    } else {
        format!("{}@{}", a.name, a.host)
    }
}

/// One reservation as the lists show it, from `viewer`'s side.
fn item(state: &AppState, lang: Lang, listed: &Described, viewer: &Actor) -> Value {
    let Described {
        reservation: r,
        resource,
        owner,
        borrower,
    } = listed;
    let (lender, other) = listed.seen_from(viewer);
    let shown = r.shown_state(state.clock.now());
    context! {
        id => r.id, resource => resource.draft.name, resource_id => resource.id, other => other,
        quantity => r.quantity, start => moment(state, lang, r.start), end => moment(state, lang, r.end),
        state => state_label(lang, shown), shown => shown, reason => reason_text(lang, &r.reason), lender => lender,
        owner => format!("{} ({})", owner.label(), address(state, owner)),
        borrower => borrower.as_ref().map(|b| format!("{} ({})", b.label(), address(state, b))).unwrap_or_default(),
    }
}

async fn association(
    Path(name): Path<String>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let state = page.state();
    let now = state.clock.now();
    let (a, list) = service::reservations::on_page(state.store.as_ref(), &user, &name, now)
        .await
        .or_page(&page)?;
    let mut to_decide = Vec::new();
    let mut lent = Vec::new();
    let mut borrowed = Vec::new();
    let mut past = Vec::new();
    for listed in &list {
        let v = item(state, lang, listed, &a);
        let lender = v.get_attr("lender").map(|l| l.is_true()).unwrap_or(false);
        use crate::domain::resource::ReservationState::*;
        match (listed.reservation.state, lender) {
            (Requested, true) => to_decide.push(v),
            (Accepted | PickedUp, true) => lent.push(v),
            (Requested | Accepted | PickedUp, false) => borrowed.push(v),
            _ => past.push(v),
        }
    }
    past.reverse();
    past.truncate(service::reservations::PAGE_PAST as usize);
    Ok(page.render(
        "reservations.html",
        context! {
            e => words(lang), name => a.name, association => a.label(), to_decide => to_decide,
            lent => lent, borrowed => borrowed, past => past,
        },
    ))
}

/// The association's reservations as CSV (for a spreadsheet), both sides, streamed.
async fn csv(
    Path(name): Path<String>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let state = page.state();
    let (file, pieces) = service::reservations::csv_stream(
        state.store.clone(),
        &state.config,
        &user,
        &name,
        state.clock.now(),
        service::csv::CsvStyle::for_reader(page.lang),
    )
    .await
    .or_page(&page)?;
    Ok(crate::http::download::download_stream(
        &file,
        crate::documents::CSV,
        pieces,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OneQuery {
    done: Option<String>,
}

/// A reservation with what the reader may do with it; `error` is a refused field and why.
async fn reservation_page(
    page: &Page,
    id: i64,
    notice: Option<String>,
    error: Option<(String, String)>,
) -> Result<Response, PageError> {
    let state = page.state();
    let lang = page.lang;
    let user = page.user_or_login(&format!("/reservations/{id}"))?;
    let p = service::reservations::parties(state.store.as_ref(), &user, id)
        .await
        .or_page(page)?;
    let viewer = if p.is_owner {
        p.owner.clone()
    } else {
        p.borrower
            .clone()
            .ok_or(ServiceError::NotFound("reservation"))
            .or_page(page)?
    };
    let listed = Described {
        reservation: p.reservation,
        resource: p.resource,
        owner: p.owner,
        borrower: p.borrower,
    };
    let v = item(state, lang, &listed, &viewer);
    use crate::domain::resource::ReservationState::*;
    let r = &listed.reservation;
    let signed = |s: &Option<crate::domain::resource::Signature>| {
        s.as_ref()
            .map(|s| format!("{} · {}", s.by, moment(state, lang, s.at)))
    };
    let agreed = matches!(r.state, Accepted | PickedUp | Returned);
    let can = context! {
        decide => p.is_owner && r.state == Requested,
        cancel => (p.is_owner || p.is_borrower) && matches!(r.state, Requested | Accepted),
        pickup => p.is_owner && r.state == Accepted,
        give_back => p.is_owner && r.state == PickedUp,
        sign_owner => agreed && p.is_owner && r.owner_signed.is_none(),
        sign_borrower => agreed && p.is_borrower && r.borrower_signed.is_none(),
        both => p.is_owner && p.is_borrower,
        agreement => agreed,
    };
    let (error_field, error_text) = error.unwrap_or_default();
    Ok(page.render_status(
        "reservation.html",
        context! {
            e => words(lang), r => v, can => can, notice => notice,
            owner_signed => signed(&r.owner_signed), borrower_signed => signed(&r.borrower_signed),
            pickup_notes => r.pickup_notes, return_notes => r.return_notes,
            error_field => error_field, error_text => error_text,
            remote => !listed.owner.local || listed.borrower.as_ref().is_some_and(|b| !b.local),
        },
        if error_text.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
    ))
}

async fn one(
    Path(id): Path<i64>,
    Query(q): Query<OneQuery>,
    LoggedIn { page, .. }: LoggedIn,
) -> Result<Response, PageError> {
    let notice = q.done.as_deref().map(|d| done_text(page.lang, d));
    reservation_page(&page, id, notice, None).await
}

/// The notice after an action (`?done=accept`…).
fn done_text(lang: Lang, done: &str) -> String {
    let key = match done {
        "requested" | "accept" | "refuse" | "cancel" | "pickup" | "return" | "sign" => done,
        _ => "other",
    };
    word(lang, &format!("done_{key}"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActForm {
    reason: String,
    notes: String,
    side: Option<String>,
}

async fn act(
    Path((id, action)): Path<(i64, String)>,
    CheckedForm(page, form): CheckedForm<ActForm>,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/reservations/{id}"))?;
    let state = page.state();
    let store = state.store.as_ref();
    let with = service::reservations::Action {
        reason: form.reason,
        notes: form.notes,
        side: form.side,
    };
    let result = service::reservations::act(
        store,
        &state.config,
        &u,
        id,
        &action,
        with,
        state.clock.now(),
    )
    .await;
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(Redirect::to(&format!("/reservations/{id}?done={action}")).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let (field, text) = errors
                .0
                .iter()
                .next()
                .map(|(k, v)| (k.clone(), i18n::field_error(page.lang, v)))
                .unwrap_or_default();
            reservation_page(&page, id, None, Some((field, text))).await
        }
        Err(ServiceError::Conflict(m)) => {
            let text = crate::i18n::denials::sentence(page.lang, &m);
            let mut res = reservation_page(&page, id, None, Some(("state".into(), text))).await?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(page.error(e)),
    }
}

async fn agreement(
    Path(id): Path<i64>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let a = lending_agreement(&page, &user, id).await?;
    // The agreement is a French document (`lang="fr"`), whatever the page's language.
    Ok(page.render(
        "agreement.html",
        context! { e => words(Lang::Fr), a => Value::from_serialize(&a) },
    ))
}

/// An agreement's reference is an address on the owner's node: it leads to the agreement
/// of its reservation (which only its parties may read).
async fn agreement_reference(Path(uuid): Path<String>, page: Page) -> Result<Response, PageError> {
    let state = page.state();
    let id =
        service::agreement::reservation_of_reference(state.store.as_ref(), &state.config, &uuid)
            .await
            .or_page(&page)?;
    Ok(axum::response::Redirect::to(&format!("/reservations/{id}/agreement")).into_response())
}

async fn agreement_pdf(
    Path(id): Path<i64>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let a = lending_agreement(&page, &user, id).await?;
    let document = service::agreement::pdf(&a).or_page(&page)?;
    Ok(download(document))
}

/// The agreement of reservation `id` for one of its parties; none before it is accepted.
async fn lending_agreement(
    page: &Page,
    user: &crate::domain::account::User,
    id: i64,
) -> Result<service::agreement::Agreement, PageError> {
    let state = page.state();
    match service::agreement::agreement(state.store.as_ref(), &state.config, user, id).await {
        Ok(a) => Ok(a),
        Err(ServiceError::Conflict(_)) => Err(page.error(ServiceError::NotFound("agreement"))),
        Err(e) => Err(page.error(e)),
    }
}
