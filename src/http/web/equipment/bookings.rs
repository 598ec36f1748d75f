//! Reservations on the web: an association's (requests to answer, loans of its equipment,
//! what it borrows, finished ones, CSV), one reservation with what each party may do, and the
//! lending agreement as a printable page and a PDF.

use super::{message, moment, state_label, words};
use crate::i18n::Lang;
use crate::{
    domain::{account::User, actor::Actor, resource::Reservation, DomainError},
    http::{
        auth::MaybeUser,
        download::download,
        web::{
            pages::{error_page, login_redirect, page_ctx, PageQuery},
            render, PageCtx,
        },
    },
    service::{self, reservations::Move, ServiceError},
    state::AppState,
};
use axum::{
    extract::{Form, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use minijinja::{context, Value};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/reservations", get(association))
        .route("/g/{name}/reservations.csv", get(csv))
        .route("/reservations/{id}", get(one))
        .route("/reservations/{id}/agreement", get(agreement))
        .route("/reservations/{id}/agreement.pdf", get(agreement_pdf))
        .route("/reservations/{id}/{action}", post(act))
        .route("/feeds/{secret}/reservations/{file}", get(feed))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct FeedQuery {
    /// `fr` or `en` (the node's language when left out).
    lang: Option<String>,
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
    use axum::http::header;
    let unknown = || (StatusCode::NOT_FOUND, "unknown calendar address\n").into_response();
    let Some(name) = file.strip_suffix(".ics") else {
        return unknown();
    };
    let secret_ok = !secret.is_empty()
        && secret.len() <= 100
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !secret_ok {
        return unknown();
    }
    let lang = match q.lang.as_deref() {
        Some("en") => "en",
        Some("fr") => "fr",
        _ => state.config.instance.default_language.as_str(),
    };
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
        Ok(Some(body)) => (
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"reservations-{name}.ics\""),
                ),
                (header::CACHE_CONTROL, "private, max-age=300".to_string()),
                (header::REFERRER_POLICY, "no-referrer".to_string()),
                (
                    header::HeaderName::from_static("x-robots-tag"),
                    "noindex".to_string(),
                ),
            ],
            body,
        )
            .into_response(),
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
async fn item(
    state: &AppState,
    lang: Lang,
    r: &Reservation,
    viewer: &Actor,
) -> Result<Value, ServiceError> {
    let store = state.store.as_ref();
    let (resource, owner) = service::resources::get(store, r.resource_id).await?;
    let borrower = match r.borrower_actor_id {
        Some(b) => Some(store.get_actor(b).await?),
        None => None,
    };
    let lender = owner.id == viewer.id;
    let other = if lender {
        borrower
            .as_ref()
            .map(|b| b.label().to_string())
            .unwrap_or_default()
    } else {
        owner.label().to_string()
    };
    let shown = r.shown_state(state.clock.now());
    Ok(context! {
        id => r.id, resource => resource.draft.name, resource_id => resource.id, other => other,
        quantity => r.quantity, start => moment(state, lang, r.start), end => moment(state, lang, r.end),
        state => state_label(lang, shown), shown => shown, reason => message(lang, &r.reason), lender => lender,
        owner => format!("{} ({})", owner.label(), address(state, &owner)),
        borrower => borrower.as_ref().map(|b| format!("{} ({})", b.label(), address(state, b))).unwrap_or_default(),
    })
}

async fn association(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match super::logged_in(
        &state,
        &headers,
        &q,
        user,
        &format!("/g/{name}/reservations"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    let lang = page.lang;
    let result = async {
        let (a, list) =
            service::reservations::of_association(state.store.as_ref(), &u, &name).await?;
        let mut to_decide = Vec::new();
        let mut lent = Vec::new();
        let mut borrowed = Vec::new();
        let mut past = Vec::new();
        for r in &list {
            let v = item(&state, lang, r, &a).await?;
            let lender = v.get_attr("lender").map(|l| l.is_true()).unwrap_or(false);
            use crate::domain::resource::ReservationState::*;
            match (r.state, lender) {
                (Requested, true) => to_decide.push(v),
                (Accepted | PickedUp, true) => lent.push(v),
                (Requested | Accepted | PickedUp, false) => borrowed.push(v),
                _ => past.push(v),
            }
        }
        past.reverse();
        past.truncate(50);
        Ok::<_, ServiceError>(context! {
            e => words(lang), name => a.name, association => a.label(), to_decide => to_decide,
            lent => lent, borrowed => borrowed, past => past,
        })
    }
    .await;
    match result {
        Ok(ctx) => render(&state, &page, "reservations.html", ctx, StatusCode::OK),
        Err(e) => error_page(&state, &page, e),
    }
}

/// The association's reservations as CSV (for a spreadsheet), both sides.
async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match super::logged_in(
        &state,
        &headers,
        &q,
        user,
        &format!("/g/{name}/reservations.csv"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    match service::reservations::csv(
        state.store.as_ref(),
        &state.config,
        &u,
        &name,
        state.clock.now(),
    )
    .await
    {
        Ok(doc) => download(doc),
        Err(e) => error_page(&state, &page, e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OneQuery {
    lang: Option<String>,
    done: Option<String>,
}

async fn reservation_page(
    state: &AppState,
    page: &PageCtx,
    u: &User,
    id: i64,
    notice: Option<String>,
    error: Option<(String, String)>,
) -> Response {
    let lang = page.lang;
    let result = async {
        let p = service::reservations::parties(state.store.as_ref(), u, id).await?;
        let viewer = if p.is_owner {
            p.owner.clone()
        } else {
            p.borrower
                .clone()
                .ok_or(ServiceError::NotFound("reservation"))?
        };
        let v = item(state, lang, &p.reservation, &viewer).await?;
        Ok::<_, ServiceError>((p, v))
    }
    .await;
    let (p, v) = match result {
        Ok(x) => x,
        Err(e) => return error_page(state, page, e),
    };
    use crate::domain::resource::ReservationState::*;
    let r = &p.reservation;
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
    render(
        state,
        page,
        "reservation.html",
        context! {
            e => words(lang), r => v, can => can, notice => notice,
            owner_signed => signed(&r.owner_signed), borrower_signed => signed(&r.borrower_signed),
            pickup_notes => r.pickup_notes, return_notes => r.return_notes,
            error_field => error_field, error_text => error_text,
            remote => !p.owner.local || p.borrower.as_ref().is_some_and(|b| !b.local),
        },
        if error_text.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
    )
}

async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<OneQuery>,
    user: MaybeUser,
) -> Response {
    let pq = PageQuery {
        lang: q.lang.clone(),
        ..PageQuery::default()
    };
    let page = page_ctx(&state, &headers, &pq, user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/reservations/{id}"));
    };
    let notice = q
        .done
        .as_deref()
        .map(|d| done_text(page.lang, d).to_string());
    reservation_page(&state, &page, &u, id, notice, None).await
}

fn done_text(lang: Lang, done: &str) -> &'static str {
    let (fr, en) = match done {
        "requested" => (
            "Votre demande est enregistrée.",
            "Your request is recorded.",
        ),
        "accept" => ("La demande est acceptée.", "The request is accepted."),
        "refuse" => ("La demande est refusée.", "The request is refused."),
        "cancel" => (
            "La réservation est annulée.",
            "The reservation is cancelled.",
        ),
        "pickup" => ("Le retrait est noté.", "The pickup is recorded."),
        "return" => ("Le retour est noté.", "The return is recorded."),
        "sign" => (
            "La convention est acceptée en ligne.",
            "The agreement is accepted online.",
        ),
        _ => ("C'est fait.", "Done."),
    };
    if lang == Lang::En {
        en
    } else {
        fr
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActForm {
    csrf: Option<String>,
    reason: String,
    notes: String,
    side: Option<String>,
}

async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
    Form(form): Form<ActForm>,
) -> Response {
    let (page, u) = match super::posted(
        &state,
        &headers,
        &q,
        user,
        form.csrf.as_deref(),
        &format!("/reservations/{id}"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    let store = state.store.as_ref();
    let result = if action == "sign" {
        service::reservations::sign(store, &u, id, form.side.as_deref(), state.clock.now()).await
    } else {
        let step = match action.as_str() {
            "accept" => Move::Accept,
            "refuse" => Move::Refuse,
            "cancel" => Move::Cancel,
            "pickup" => Move::PickUp,
            "return" => Move::Return,
            _ => return error_page(&state, &page, ServiceError::NotFound("action")),
        };
        let text = if form.notes.is_empty() {
            form.reason.clone()
        } else {
            form.notes.clone()
        };
        service::reservations::move_on(store, &state.config, &u, id, step, &text, state.clock.now())
            .await
    };
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Redirect::to(&format!("/reservations/{id}?done={action}")).into_response()
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let (field, text) = errors
                .0
                .iter()
                .next()
                .map(|(k, v)| (k.clone(), message(page.lang, &v.to_string())))
                .unwrap_or_default();
            reservation_page(&state, &page, &u, id, None, Some((field, text))).await
        }
        Err(ServiceError::Conflict(m)) => {
            let mut res = reservation_page(
                &state,
                &page,
                &u,
                id,
                None,
                Some(("state".into(), conflict_text(page.lang, &m))),
            )
            .await;
            *res.status_mut() = StatusCode::CONFLICT;
            res
        }
        Err(e) => error_page(&state, &page, e),
    }
}

fn conflict_text(lang: Lang, m: &str) -> String {
    if lang == Lang::En {
        return m.to_string();
    }
    if m.starts_with("the pool is taken") {
        "Le matériel n'est plus libre sur cette période : refusez la demande, ou annulez une autre réservation.".into()
    } else if m.starts_with("someone moved") {
        "Quelqu'un a modifié cette réservation entre-temps : la page est à jour.".into()
    } else {
        "Ce n'est plus possible dans l'état actuel de la réservation.".into()
    }
}

async fn agreement(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match super::logged_in(
        &state,
        &headers,
        &q,
        user,
        &format!("/reservations/{id}/agreement"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    match service::agreement::agreement(state.store.as_ref(), &state.config, &u, id).await {
        Ok(a) => render(
            &state,
            &page,
            "agreement.html",
            // The agreement is a French document (`lang="fr"`), whatever the page's language.
            context! { e => words(Lang::Fr), a => Value::from_serialize(&a) },
            StatusCode::OK,
        ),
        Err(ServiceError::Conflict(_)) => {
            error_page(&state, &page, ServiceError::NotFound("agreement"))
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn agreement_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match super::logged_in(
        &state,
        &headers,
        &q,
        user,
        &format!("/reservations/{id}/agreement.pdf"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    match service::agreement::agreement(state.store.as_ref(), &state.config, &u, id).await {
        Ok(a) => match service::agreement::pdf(&a) {
            Ok(document) => download(document),
            Err(e) => error_page(&state, &page, e),
        },
        Err(ServiceError::Conflict(_)) => {
            error_page(&state, &page, ServiceError::NotFound("agreement"))
        }
        Err(e) => error_page(&state, &page, e),
    }
}
