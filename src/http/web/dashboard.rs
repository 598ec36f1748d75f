//! The coordinators' dashboard of an association: missions (drafts included) with their slots
//! filling up, requests to accept or refuse, who comes to each slot and how to reach them,
//! signing up someone without an account, cancelling a slot (after a confirmation page),
//! adding slots (one, or a weekly rule), publishing a draft, and volunteers who may fit.
//!
//! Every rule is the services' (`service::slots`, `service::missions`,
//! `service::volunteers`): these pages gather what they need and say what came out.

use super::{
    i18n,
    pages::{
        csrf_ok, csrf_refused, error_page, flash, login_redirect, managed_association,
        managed_mission, mission_path, page_ctx, shown_errors, with_param, PageQuery,
    },
    render,
    signup::refusal_key,
    PageCtx,
};
use crate::i18n::Lang;
use crate::{
    domain::{
        account::User,
        actor::Actor,
        mission::{Mission, MissionInput, MissionStatus},
        slot::{Participant, Participation, ParticipationStatus, SlotInput, SlotRule, SlotStatus},
        DomainError, FieldErrors,
    },
    http::auth::MaybeUser,
    service::{self, slots::NewSlots, ServiceError},
    state::AppState,
    storage::MissionQuery,
};
use axum::{
    extract::{Form, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use chrono::Timelike;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/dashboard", get(dashboard))
        .route(
            "/g/{name}/missions/{id}/slots",
            get(slots_form).post(add_slots),
        )
        .route("/g/{name}/missions/{id}/publish", post(publish))
        .route("/participations/{id}/accept", post(accept))
        .route("/participations/{id}/refuse", post(refuse))
        .route("/slots/{id}/guests", post(add_guest))
        .route("/slots/{id}/message", post(message_slot))
        .route("/slots/{id}/cancel", get(cancel_page).post(cancel))
}

fn dashboard_path(a: &Actor) -> String {
    format!("/g/{}/dashboard", a.name)
}

/// A form of the dashboard that was refused, shown again with its values and messages.
#[derive(Default)]
struct Redo {
    guest: Option<GuestRedo>,
    /// The refusal form of a request: participation id, reason typed, message.
    reason: Option<(i64, String, String)>,
}

/// The guest form of a slot, refused: what was typed and the messages, by field.
struct GuestRedo {
    slot: i64,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
}

/// Who signed up, as a coordinator needs to reach them.
#[derive(Serialize)]
struct Person {
    id: i64,
    name: String,
    contact: String,
    /// `kind_user`, `kind_remote` or `kind_guest`, in words.
    kind: String,
    status: String,
    pending: bool,
    message: String,
}

async fn person(state: &AppState, lang: Lang, p: &Participation) -> Result<Person, ServiceError> {
    let (name, contact, kind) = match &p.participant {
        Participant::User { user_id } => {
            let u = state.store.get_user(*user_id).await?;
            (u.name, u.email.unwrap_or_default(), "kind_user")
        }
        Participant::Remote { actor_ap_id } => {
            match state.store.find_actor_by_ap_id(actor_ap_id).await? {
                Some(a) => (a.label().to_string(), a.handle(), "kind_remote"),
                None => (actor_ap_id.clone(), actor_ap_id.clone(), "kind_remote"),
            }
        }
        Participant::Guest { name, contact } => (name.clone(), contact.clone(), "kind_guest"),
    };
    let status = match p.status {
        ParticipationStatus::Pending => "co_pending",
        _ => "co_accepted",
    };
    Ok(Person {
        id: p.id,
        name,
        contact,
        kind: i18n::word(lang, kind),
        status: i18n::word(lang, status),
        pending: p.status == ParticipationStatus::Pending,
        message: p.message.clone(),
    })
}

/// The width class of a filling bar, by steps of 5 %.
fn fill_class(taken: i64, capacity: i64) -> String {
    let pct = if capacity > 0 {
        ((taken.clamp(0, capacity) * 20 + capacity / 2) / capacity) * 5
    } else {
        0
    };
    format!("w-{pct}")
}

fn mission_status_key(s: MissionStatus) -> &'static str {
    match s {
        MissionStatus::Draft => "mission_draft",
        MissionStatus::Published => "mission_published",
        MissionStatus::Closed => "mission_closed",
        MissionStatus::Cancelled => "mission_cancelled",
    }
}

/// Everything the dashboard shows.
async fn dashboard_ctx(
    state: &AppState,
    page: &PageCtx,
    a: &Actor,
    user: &User,
    redo: &Redo,
) -> Result<Value, ServiceError> {
    let (store, lang, tz) = (state.store.as_ref(), page.lang, state.config.timezone());
    let now = state.clock.now();
    let missions = store
        .list_missions(MissionQuery {
            actor_id: Some(a.id),
            upcoming_after: Some(now),
            include_drafts: true,
            limit: 100,
            ..Default::default()
        })
        .await?;
    let mut views = Vec::new();
    let mut requests = Vec::new();
    for m in &missions {
        let all_slots = store.list_slots(m.id).await?;
        let last_end = all_slots.iter().map(|s| s.end_time).max();
        let status = m.effective_status(last_end, now);
        let mut slot_views = Vec::new();
        // Volunteers of this site already signed up are not suggested again.
        let mut signed_up: Vec<String> = Vec::new();
        for s in all_slots.iter().filter(|s| s.end_time > now) {
            let when = i18n::long_span(s.start_time, s.end_time, tz, lang);
            let mut people = Vec::new();
            for p in store.list_participations(s.id).await? {
                if !p.status.is_active() {
                    continue;
                }
                let who = person(state, lang, &p).await?;
                if matches!(p.participant, Participant::User { .. }) {
                    signed_up.push(who.name.clone());
                }
                if who.pending {
                    let (reason, reason_error) = match &redo.reason {
                        Some((id, value, message)) if *id == p.id => {
                            (value.clone(), message.clone())
                        }
                        _ => (String::new(), String::new()),
                    };
                    requests.push(context! {
                        p => who, mission => m.title, when => when,
                        reason => reason, reason_error => reason_error,
                    });
                    continue;
                }
                people.push(who);
            }
            let (guest_values, guest_errors) = match &redo.guest {
                Some(g) if g.slot == s.id => (g.values.clone(), g.errors.clone()),
                _ => (BTreeMap::new(), BTreeMap::new()),
            };
            let cancelled = s.status == SlotStatus::Cancelled;
            slot_views.push(context! {
                id => s.id,
                when => when,
                cancelled => cancelled,
                taken => i18n::taken(lang, s.participant_count, s.capacity),
                fill => fill_class(s.participant_count, s.capacity),
                full => s.remaining() == 0,
                people => people,
                guest_values => guest_values,
                guest_errors => guest_errors,
            });
        }
        let suggestions = if matches!(status, MissionStatus::Draft | MissionStatus::Published) {
            service::volunteers::suggestions(store, &state.config, user, m.id, now)
                .await?
                .into_iter()
                .filter(|s| !signed_up.contains(&s.name))
                .take(5)
                .map(|s| {
                    context! {
                        name => s.name, skills => s.skills.join(", "),
                        why => s.fit.reasons.iter().map(|r| crate::i18n::match_reason(lang, r, true)).collect::<Vec<_>>().join(" · "),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        // Replies on the fediverse that mention the association: people who showed interest.
        let interests: Vec<minijinja::Value> = service::fediverse::interests(store, user, m.id)
            .await
            .map(|(_, list)| list)
            .unwrap_or_default()
            .into_iter()
            .rev()
            .take(10)
            .map(|(i, author)| {
                let who = author
                    .map(|a| a.handle())
                    .unwrap_or_else(|| i.actor_ap_id.clone());
                // Only web links: a remote id could use another scheme.
                let link = (i.note_ap_id.starts_with("https://")
                    || i.note_ap_id.starts_with("http://"))
                .then_some(i.note_ap_id);
                context! { who => who, text => i.content, link => link }
            })
            .collect();
        views.push(context! {
            id => m.id,
            title => m.title,
            interests => interests,
            page => mission_path(state, m),
            when => i18n::long_span(m.start_time, m.end_time, tz, lang),
            status => i18n::word(lang, mission_status_key(status)),
            status_code => status.as_str(),
            draft => status == MissionStatus::Draft,
            slots => slot_views,
            suggestions => suggestions,
        });
    }
    Ok(context! {
        a => context! { name => a.name, display_name => a.label() },
        missions => views,
        requests => requests,
    })
}

async fn dashboard_response(
    state: &AppState,
    page: &PageCtx,
    a: &Actor,
    user: &User,
    redo: &Redo,
    q: &PageQuery,
    status: StatusCode,
) -> Response {
    match dashboard_ctx(state, page, a, user, redo).await {
        Ok(ctx) => {
            let (notice, error) = flash(page.lang, q);
            // A refused form: the box at the top says so and leads to its first field.
            let refused_form = match (&redo.guest, &redo.reason) {
                (Some(g), _) => g.errors.keys().next().map(|f| {
                    context! { title => i18n::form_errors(page.lang, g.errors.len()), anchor => format!("guest-{f}-{}", g.slot) }
                }),
                (None, Some((id, _, _))) => Some(context! {
                    title => i18n::form_errors(page.lang, 1), anchor => format!("reason-{id}"),
                }),
                _ => None,
            };
            let ctx =
                context! { notice => notice, error => error, refused_form => refused_form, ..ctx };
            render(state, page, "dashboard.html", ctx, status)
        }
        Err(e) => error_page(state, page, e),
    }
}

async fn dashboard(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/g/{name}/dashboard"));
    };
    match managed_association(&state, &u, &name).await {
        Ok(a) => {
            dashboard_response(&state, &page, &a, &u, &Redo::default(), &q, StatusCode::OK).await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// What a coordinator's form about a slot or a sign-up needs once past the common checks:
/// the page, the association it belongs to, where to go back, and who is asking.
struct Checked {
    page: PageCtx,
    a: Actor,
    back: String,
    user: User,
}

/// The checks every such form starts with, in order: the association exists (else an error
/// page), someone is logged in (else the login page), the CSRF token is right (else 403).
async fn checked_form(
    state: &AppState,
    headers: &HeaderMap,
    user: MaybeUser,
    csrf: Option<&str>,
    association: impl std::future::Future<Output = Result<Actor, ServiceError>>,
) -> Result<Checked, Response> {
    let session = user.1.clone();
    let page = page_ctx(state, headers, &PageQuery::default(), user);
    let a = match association.await {
        Ok(a) => a,
        Err(e) => return Err(error_page(state, &page, e)),
    };
    let back = dashboard_path(&a);
    let Some(u) = page.user.clone() else {
        return Err(login_redirect(&back));
    };
    if !csrf_ok(session.as_deref(), csrf) {
        return Err(csrf_refused(state, &page));
    }
    Ok(Checked {
        page,
        a,
        back,
        user: u,
    })
}

/// The association a local slot belongs to.
async fn association_of_slot(state: &AppState, id: i64) -> Result<Actor, ServiceError> {
    Ok(service::slots::local_slot(state.store.as_ref(), id)
        .await?
        .2)
}

/// The association a sign-up belongs to (a local slot's).
async fn association_of_participation(state: &AppState, id: i64) -> Result<Actor, ServiceError> {
    let p = state.store.get_participation(id).await?;
    Ok(service::slots::local_slot(state.store.as_ref(), p.slot_id)
        .await?
        .2)
}

#[derive(Deserialize)]
struct DecisionForm {
    csrf: Option<String>,
    #[serde(default)]
    reason: String,
}

async fn decide(
    state: AppState,
    headers: HeaderMap,
    id: i64,
    user: MaybeUser,
    form: DecisionForm,
    accept: bool,
) -> Response {
    let q = PageQuery::default();
    let association = association_of_participation(&state, id);
    let Checked {
        page,
        a,
        back,
        user: u,
    } = match checked_form(&state, &headers, user, form.csrf.as_deref(), association).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    match service::slots::decide(
        state.store.as_ref(),
        &u,
        id,
        accept,
        &form.reason,
        state.clock.now(),
    )
    .await
    {
        Ok(Ok(_)) => {
            state.wake.notify_waiters();
            let done = if accept { "accepted" } else { "declined" };
            Redirect::to(&with_param(&back, "done", done)).into_response()
        }
        Ok(Err(r)) => Redirect::to(&with_param(&back, "refused", refusal_key(r))).into_response(),
        Err(ServiceError::Conflict(_)) => {
            Redirect::to(&with_param(&back, "refused", "not_pending")).into_response()
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let message = errors
                .0
                .values()
                .next()
                .map(|m| i18n::field_error(page.lang, m))
                .unwrap_or_default();
            let redo = Redo {
                reason: Some((id, form.reason.clone(), message)),
                ..Default::default()
            };
            dashboard_response(
                &state,
                &page,
                &a,
                &u,
                &redo,
                &q,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<DecisionForm>,
) -> Response {
    decide(state, headers, id, user, form, true).await
}

async fn refuse(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<DecisionForm>,
) -> Response {
    decide(state, headers, id, user, form, false).await
}

#[derive(Deserialize)]
struct GuestForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
}

/// A coordinator signs up someone without an account (a name, a phone or an email).
#[derive(Deserialize)]
struct MessageForm {
    csrf: Option<String>,
    #[serde(default)]
    text: String,
}

/// A coordinator writes to everyone signed up for a slot (email, or direct message).
async fn message_slot(
    ctx: crate::state::Context,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<MessageForm>,
) -> Response {
    let state = ctx.app_data().clone();
    let association = association_of_slot(&state, id);
    let Checked {
        page,
        back,
        user: u,
        ..
    } = match checked_form(&state, &headers, user, form.csrf.as_deref(), association).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    match service::slots::check_message(state.store.as_ref(), &u, id, &form.text).await {
        Ok(()) => {}
        Err(ServiceError::Domain(DomainError::Invalid(_))) => {
            return Redirect::to(&with_param(&back, "refused", "message_empty")).into_response()
        }
        Err(e) => return error_page(&state, &page, e),
    }
    match crate::notify::message_slot(&ctx, id, form.text.trim(), state.clock.now()).await {
        Ok(_) => Redirect::to(&with_param(&back, "done", "message_sent")).into_response(),
        Err(e) => error_page(&state, &page, ServiceError::Internal(e.to_string())),
    }
}

async fn add_guest(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<GuestForm>,
) -> Response {
    let q = PageQuery::default();
    let association = association_of_slot(&state, id);
    let Checked {
        page,
        a,
        back,
        user: u,
    } = match checked_form(&state, &headers, user, form.csrf.as_deref(), association).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let outcome = service::slots::sign_up_guest(
        state.store.as_ref(),
        &state.config,
        &u,
        id,
        &form.name,
        &form.contact,
        state.clock.now(),
    )
    .await;
    match outcome {
        Ok(Ok(_)) => {
            state.wake.notify_waiters();
            Redirect::to(&with_param(&back, "done", "guest_added")).into_response()
        }
        Ok(Err(r)) => Redirect::to(&with_param(&back, "refused", refusal_key(r))).into_response(),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let messages = errors
                .0
                .iter()
                .map(|(f, m)| (f.clone(), i18n::field_error(page.lang, m)))
                .collect();
            let values = [
                ("name".to_string(), form.name.clone()),
                ("contact".to_string(), form.contact.clone()),
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
            dashboard_response(
                &state,
                &page,
                &a,
                &u,
                &redo,
                &q,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// "Annuler ce créneau ?": what will happen, and the button that does it (GET changes nothing).
async fn cancel_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/slots/{id}/cancel"));
    };
    let result = async {
        let (slot, mission, a) = service::slots::local_slot(state.store.as_ref(), id).await?;
        managed_association(&state, &u, &a.name).await?;
        let told = state
            .store
            .list_participations(id)
            .await?
            .iter()
            .filter(|p| p.status.is_active())
            .count();
        Ok::<_, ServiceError>(context! {
            slot => context! {
                id => slot.id,
                when => i18n::long_span(slot.start_time, slot.end_time, state.config.timezone(), page.lang),
                cancelled => slot.status == SlotStatus::Cancelled,
            },
            mission => mission.title,
            told => i18n::people_told(page.lang, told as i64),
            back => dashboard_path(&a),
        })
    }
    .await;
    match result {
        Ok(ctx) => render(&state, &page, "slot_cancel.html", ctx, StatusCode::OK),
        Err(e) => error_page(&state, &page, e),
    }
}

async fn cancel(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<super::pages::CsrfForm>,
) -> Response {
    let association = association_of_slot(&state, id);
    let Checked {
        page,
        back,
        user: u,
        ..
    } = match checked_form(&state, &headers, user, form.csrf.as_deref(), association).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    match service::slots::cancel(state.store.as_ref(), &u, id, state.clock.now()).await {
        Ok(_) => {
            state.wake.notify_waiters();
            Redirect::to(&with_param(&back, "done", "slot_cancelled")).into_response()
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn publish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((name, id)): Path<(String, i64)>,
    user: MaybeUser,
    Form(form): Form<super::pages::CsrfForm>,
) -> Response {
    let session = user.1.clone();
    let page = page_ctx(&state, &headers, &PageQuery::default(), user);
    let back = format!("/g/{name}/dashboard");
    let Some(u) = page.user.clone() else {
        return login_redirect(&back);
    };
    if !csrf_ok(session.as_deref(), form.csrf.as_deref()) {
        return csrf_refused(&state, &page);
    }
    if let Err(e) = managed_mission(&state, &u, &name, id).await {
        return error_page(&state, &page, e);
    }
    let input = MissionInput {
        status: Some(MissionStatus::Published.as_str().to_string()),
        ..Default::default()
    };
    match service::missions::update(
        state.store.as_ref(),
        &state.config,
        &u,
        id,
        input,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => {
            state.wake.notify_waiters();
            Redirect::to(&with_param(&back, "done", "published")).into_response()
        }
        // A draft that cannot be published as it is: its form says why.
        Err(ServiceError::Domain(DomainError::Invalid(_))) => {
            Redirect::to(&format!("/g/{name}/missions/{id}/edit")).into_response()
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// "14/03/2027" (typed where a browser shows a plain text field) as "2027-03-14"; other text
/// is kept as it is for the service to judge.
fn typed_date(s: &str) -> String {
    let s = s.trim();
    let parts: Vec<&str> = s.split('/').collect();
    match parts[..] {
        [d, m, y]
            if [d, m, y]
                .iter()
                .all(|p| p.chars().all(|c| c.is_ascii_digit())) =>
        {
            match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<u32>()) {
                (Ok(d), Ok(m), Ok(y)) if y >= 1000 => format!("{y:04}-{m:02}-{d:02}"),
                _ => s.to_string(),
            }
        }
        _ => s.to_string(),
    }
}

/// "9h30", "9h", "9:30" as "09:30"; other text is kept as it is.
fn typed_time(s: &str) -> String {
    let s = s.trim().to_lowercase();
    let (h, m) = match s.split_once(['h', ':']) {
        Some((h, m)) => (h.trim(), if m.trim().is_empty() { "0" } else { m.trim() }),
        None => return s,
    };
    match (h.parse::<u32>(), m.parse::<u32>()) {
        (Ok(h), Ok(m)) if h < 24 && m < 60 => format!("{h:02}:{m:02}"),
        _ => s,
    }
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The page with the two ways to add slots, empty or with the values and messages of a
/// refused submission.
fn slots_page(
    state: &AppState,
    page: &PageCtx,
    a: &Actor,
    m: &Mission,
    (values, days): (&BTreeMap<String, String>, &[String]),
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let order = [
        "slot_date",
        "slot_start",
        "slot_end",
        "slot_capacity",
        "rule_from",
        "rule_to",
        "rule_days",
        "rule_start",
        "rule_end",
        "rule_capacity",
    ];
    let shown = shown_errors(
        lang,
        errors,
        &order,
        |f| f.to_string(),
        |f| match f {
            "rule_days" => "rule_day_mon".to_string(),
            other => other.to_string(),
        },
    );
    let weekdays: Vec<Value> = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, code)| {
            context! {
                code => code, label => i18n::day_name(lang, i as u8),
                checked => days.iter().any(|d| d == code),
            }
        })
        .collect();
    let ctx = context! {
        a => context! { name => a.name, display_name => a.label() },
        m => context! {
            id => m.id, title => m.title, page => mission_path(state, m),
            when => i18n::long_span(m.start_time, m.end_time, state.config.timezone(), lang),
        },
        values => values,
        weekdays => weekdays,
        errors => shown.by_field,
        error_summary => shown.summary,
        errors_title => shown.title,
    };
    render(state, page, "slots_form.html", ctx, status)
}

async fn slots_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((name, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/g/{name}/missions/{id}/slots"));
    };
    match managed_mission(&state, &u, &name, id).await {
        Ok((a, m)) => {
            let values = slot_defaults(&state, &m);
            slots_page(
                &state,
                &page,
                &a,
                &m,
                (&values, &[]),
                &FieldErrors::new(),
                StatusCode::OK,
            )
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// What the slot forms start from: the mission's own dates and hours.
fn slot_defaults(state: &AppState, m: &Mission) -> BTreeMap<String, String> {
    let tz = state.config.timezone();
    let (s, e) = (
        m.start_time.with_timezone(&tz),
        m.end_time.with_timezone(&tz),
    );
    let hm = |d: &chrono::DateTime<chrono_tz::Tz>| format!("{:02}:{:02}", d.hour(), d.minute());
    let end = if s.date_naive() == e.date_naive() {
        hm(&e)
    } else {
        String::new()
    };
    [
        ("slot_date", s.format("%Y-%m-%d").to_string()),
        ("slot_start", hm(&s)),
        ("slot_end", end.clone()),
        ("rule_from", s.format("%Y-%m-%d").to_string()),
        ("rule_to", e.format("%Y-%m-%d").to_string()),
        ("rule_start", hm(&s)),
        ("rule_end", end),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The slots a submitted form asks for, and the errors of fields that are missing or not
/// even numbers (the service judges the rest).
fn read_slots_form(
    kind: &str,
    values: &BTreeMap<String, String>,
    days: &[String],
) -> (NewSlots, FieldErrors) {
    let mut errors = FieldErrors::new();
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut capacity = |field: &str| {
        let v = get(field);
        if v.is_empty() {
            errors.add(field, "is required");
            None
        } else {
            v.parse::<i64>()
                .map_err(|_| errors.add(field, "must be a whole number"))
                .ok()
        }
    };
    if kind == "weekly" {
        let capacity = capacity("rule_capacity");
        let filled =
            |k: &str, f: fn(&str) -> String| Some(get(k)).filter(|v| !v.is_empty()).map(|v| f(&v));
        let rule = SlotRule {
            from_date: filled("rule_from", typed_date),
            to_date: filled("rule_to", typed_date),
            weekdays: days.to_vec(),
            start: filled("rule_start", typed_time),
            end: filled("rule_end", typed_time),
            capacity,
        };
        (
            NewSlots {
                slots: Vec::new(),
                rule: Some(rule),
            },
            errors,
        )
    } else {
        let capacity = capacity("slot_capacity");
        for field in ["slot_date", "slot_start", "slot_end"] {
            if get(field).is_empty() {
                errors.add(field, "is required");
            }
        }
        let date = typed_date(&get("slot_date"));
        let at = |field: &str| format!("{date}T{}", typed_time(&get(field)));
        let slot = SlotInput {
            start_time: Some(at("slot_start")),
            end_time: Some(at("slot_end")),
            capacity,
        };
        (
            NewSlots {
                slots: vec![slot],
                rule: None,
            },
            errors,
        )
    }
}

/// The service's field names as the form's ids; the message about the mission's dates written
/// with the dates in the page's language.
fn form_errors(
    lang: Lang,
    kind: &str,
    m: &Mission,
    tz: chrono_tz::Tz,
    errors: FieldErrors,
) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (field, message) in errors.0 {
        let id = match field.as_str() {
            "slots[0].start_time" => "slot_start",
            "slots[0].end_time" => "slot_end",
            "slots[0].capacity" => "slot_capacity",
            "rule.from_date" => "rule_from",
            "rule.to_date" => "rule_to",
            "rule.weekdays" => "rule_days",
            "rule.start" => "rule_start",
            "rule.end" => "rule_end",
            "rule.capacity" => "rule_capacity",
            "slots" if kind == "weekly" => "rule_from",
            "slots" => "slot_date",
            other => other,
        };
        let message = if message.to_string().starts_with("every slot must be within") {
            i18n::within_mission(lang, &i18n::long_span(m.start_time, m.end_time, tz, lang)).into()
        } else {
            message
        };
        out.add(id, message);
    }
    out
}

async fn add_slots(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((name, id)): Path<(String, i64)>,
    user: MaybeUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let session = user.1.clone();
    let page = page_ctx(&state, &headers, &PageQuery::default(), user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/g/{name}/missions/{id}/slots"));
    };
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    let mut days = Vec::new();
    let mut csrf = None;
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => csrf = Some(v),
            "rule_days" => days.push(v),
            _ => {
                values.insert(k, v);
            }
        }
    }
    if !csrf_ok(session.as_deref(), csrf.as_deref()) {
        return csrf_refused(&state, &page);
    }
    let (a, m) = match managed_mission(&state, &u, &name, id).await {
        Ok(found) => found,
        Err(e) => return error_page(&state, &page, e),
    };
    let kind = if values.get("kind").map(String::as_str) == Some("weekly") {
        "weekly"
    } else {
        "one"
    };
    let (input, unreadable) = read_slots_form(kind, &values, &days);
    let outcome = if unreadable.is_empty() {
        service::slots::add(
            state.store.as_ref(),
            &state.config,
            &u,
            id,
            input,
            state.clock.now(),
        )
        .await
    } else {
        Err(ServiceError::Domain(DomainError::Invalid(unreadable)))
    };
    match outcome {
        Ok(created) => {
            state.wake.notify_waiters();
            let back = with_param(&format!("/g/{name}/dashboard"), "done", "slots_added");
            Redirect::to(&with_param(&back, "n", &created.len().to_string())).into_response()
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let errors = form_errors(page.lang, kind, &m, state.config.timezone(), errors);
            // The other form keeps its starting values.
            let prefix = if kind == "weekly" { "slot_" } else { "rule_" };
            for (k, v) in slot_defaults(&state, &m) {
                if k.starts_with(prefix) {
                    values.insert(k, v);
                }
            }
            slots_page(
                &state,
                &page,
                &a,
                &m,
                (&values, &days),
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => error_page(&state, &page, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_dates_and_times_are_understood() {
        assert_eq!(typed_date("14/03/2027"), "2027-03-14");
        assert_eq!(typed_date("2027-03-14"), "2027-03-14");
        assert_eq!(typed_date("demain"), "demain");
        assert_eq!(typed_time("9h30"), "09:30");
        assert_eq!(typed_time("9h"), "09:00");
        assert_eq!(typed_time("14:05"), "14:05");
        assert_eq!(typed_time("midi"), "midi");
    }

    #[test]
    fn bars_fill_by_steps_of_five() {
        assert_eq!(fill_class(0, 5), "w-0");
        assert_eq!(fill_class(3, 5), "w-60");
        assert_eq!(fill_class(1, 3), "w-35");
        assert_eq!(fill_class(5, 5), "w-100");
        assert_eq!(fill_class(9, 5), "w-100");
        assert_eq!(fill_class(0, 0), "w-0");
    }

    #[test]
    fn a_missing_capacity_or_date_is_caught_before_the_service() {
        let values: BTreeMap<String, String> =
            [("slot_capacity".to_string(), "deux".to_string())].into();
        let (_, errors) = read_slots_form("one", &values, &[]);
        for f in ["slot_capacity", "slot_date", "slot_start", "slot_end"] {
            assert!(errors.0.contains_key(f), "{f}: {errors:?}");
        }
        let (input, errors) = read_slots_form(
            "weekly",
            &[("rule_capacity".to_string(), "3".to_string())].into(),
            &["sat".to_string()],
        );
        assert!(errors.is_empty());
        assert_eq!(input.rule.expect("a rule").weekdays, vec!["sat"]);
    }
}
