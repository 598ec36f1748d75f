//! The dashboard page: the requests waiting for an answer, then each mission with its slots,
//! the people signed up, the replies from the fediverse and the volunteers who may fit. The
//! same page comes back (422) with a refused form of the board filled in again.

use super::association_ctx;
use crate::http::params::{Path, Query};
use crate::{
    domain::{
        account::User,
        mission::MissionStatus,
        slot::{Participant, ParticipationStatus, SlotStatus},
    },
    http::web::{
        i18n,
        pages::{flash, mission_path, PageQuery},
        LoggedIn, OrPage, Page, PageError,
    },
    i18n::Lang,
    service::{
        self,
        dashboard::{Board, MissionBoard, Person, WorkCounts},
    },
};
use axum::{http::StatusCode, response::Response};
use minijinja::{context, Value};
use serde::Serialize;
use std::collections::BTreeMap;

/// A form of the dashboard that was refused, shown again with its values and messages.
#[derive(Default)]
pub(super) struct Redo {
    pub(super) guest: Option<GuestRedo>,
    /// The refusal form of a request: participation id, reason typed, message.
    pub(super) reason: Option<(i64, String, String)>,
}

/// The guest form of a slot, refused: what was typed and the messages, by field.
pub(super) struct GuestRedo {
    pub(super) slot: i64,
    pub(super) values: BTreeMap<String, String>,
    pub(super) errors: BTreeMap<String, String>,
}

/// Who signed up, in the page's words.
#[derive(Serialize)]
struct PersonView {
    id: i64,
    name: String,
    contact: String,
    /// `kind_user`, `kind_remote` or `kind_guest`, in words.
    kind: String,
    status: String,
    pending: bool,
    message: String,
}

fn person_view(lang: Lang, p: &Person) -> PersonView {
    let kind = match p.participation.participant {
        Participant::User { .. } => "kind_user",
        Participant::Remote { .. } => "kind_remote",
        Participant::Guest { .. } => "kind_guest",
    };
    let pending = p.participation.status == ParticipationStatus::Pending;
    let status = if pending { "co_pending" } else { "co_accepted" };
    PersonView {
        id: p.participation.id,
        name: p.name.clone(),
        contact: p.contact.clone(),
        kind: i18n::word(lang, kind),
        status: i18n::word(lang, status),
        pending,
        message: p.participation.message.clone(),
    }
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

/// One mission of the board, in the page's words; its pending requests go to `requests`.
fn mission_view(page: &Page, m: &MissionBoard, redo: &Redo, requests: &mut Vec<Value>) -> Value {
    let state = page.state();
    let (lang, tz) = (page.lang, state.config.timezone());
    let mut slots = Vec::with_capacity(m.slots.len());
    for s in &m.slots {
        let slot = &s.slot;
        let when = i18n::long_span(slot.start_time, slot.end_time, tz, lang);
        let mut people = Vec::new();
        for p in &s.people {
            let who = person_view(lang, p);
            if who.pending {
                let (reason, reason_error) = match &redo.reason {
                    Some((id, value, message)) if *id == who.id => (value.clone(), message.clone()),
                    _ => (String::new(), String::new()),
                };
                requests.push(context! {
                    p => who, mission => m.mission.title, when => when,
                    reason => reason, reason_error => reason_error,
                });
            } else {
                people.push(who);
            }
        }
        let (guest_values, guest_errors) = match &redo.guest {
            Some(g) if g.slot == slot.id => (g.values.clone(), g.errors.clone()),
            _ => (BTreeMap::new(), BTreeMap::new()),
        };
        slots.push(context! {
            id => slot.id,
            when => when,
            cancelled => slot.status == SlotStatus::Cancelled,
            taken => i18n::taken(lang, slot.participant_count, slot.capacity),
            fill => fill_class(slot.participant_count, slot.capacity),
            full => slot.remaining() == 0,
            people => people,
            guest_values => guest_values,
            guest_errors => guest_errors,
        });
    }
    let suggestions: Vec<Value> = m
        .suggestions
        .iter()
        .map(|s| {
            let why: Vec<String> = s
                .fit
                .reasons
                .iter()
                .map(|r| crate::i18n::match_reason(lang, r, true))
                .collect();
            context! { name => s.name, skills => s.skills.join(", "), why => why.join(" · ") }
        })
        .collect();
    // Replies on the fediverse that mention the association: people who showed interest.
    let interests: Vec<Value> = m
        .interests
        .iter()
        .map(|(i, who)| {
            // Only web links: a remote id could use another scheme.
            let link = (i.note_ap_id.starts_with("https://")
                || i.note_ap_id.starts_with("http://"))
            .then_some(&i.note_ap_id);
            context! { who => who, text => i.content, link => link }
        })
        .collect();
    let (mission, status) = (&m.mission, m.status);
    context! {
        id => mission.id,
        title => mission.title,
        interests => interests,
        page => mission_path(state, mission),
        when => i18n::long_span(mission.start_time, mission.end_time, tz, lang),
        status => i18n::word(lang, mission_status_key(status)),
        status_code => status.as_str(),
        draft => status == MissionStatus::Draft,
        slots => slots,
        suggestions => suggestions,
    }
}

/// The work list at the top of the board: what waits, counted, each line leading to where it
/// is done; only what is not zero.
fn work_list(lang: Lang, name: &str, w: &WorkCounts) -> Vec<Value> {
    let reservations = format!("/g/{name}/reservations");
    [
        ("work_sign_ups", w.sign_ups, "#h-requests".to_string()),
        ("work_hours", w.hours, format!("/g/{name}/hours#h-pending")),
        (
            "work_attestations",
            w.attestations,
            format!("/g/{name}/hours#h-attestations"),
        ),
        ("work_reservations", w.reservations, reservations.clone()),
        ("work_pickups", w.pickups, reservations.clone()),
        ("work_returns", w.returns, reservations.clone()),
        ("work_overdue", w.overdue, reservations),
    ]
    .into_iter()
    .filter(|(_, n, _)| *n > 0)
    .map(|(key, n, link)| {
        context! {
            code => key, n => n, link => link,
            text => i18n::tr_args(lang, key, &[("n", n.into())]),
        }
    })
    .collect()
}

/// The dashboard page with this board, the notice or error a form sent back (`q`), and a
/// refused form filled in again.
fn board_page(
    page: &Page,
    board: &Board,
    redo: &Redo,
    q: &PageQuery,
    status: StatusCode,
) -> Response {
    let lang = page.lang;
    let mut requests = Vec::new();
    let missions: Vec<Value> = board
        .missions
        .iter()
        .map(|m| mission_view(page, m, redo, &mut requests))
        .collect();
    let (notice, error) = flash(lang, q);
    // A refused form: the box at the top says so and leads to its first field.
    let refused_form = match (&redo.guest, &redo.reason) {
        (Some(g), _) => g.errors.keys().next().map(|f| {
            context! {
                title => i18n::form_errors(lang, g.errors.len()),
                anchor => format!("guest-{f}-{}", g.slot),
            }
        }),
        (None, Some((id, _, _))) => Some(context! {
            title => i18n::form_errors(lang, 1), anchor => format!("reason-{id}"),
        }),
        _ => None,
    };
    let ctx = context! {
        a => association_ctx(&board.association),
        work => work_list(lang, &board.association.name, &board.work),
        missions => missions,
        requests => requests,
        notice => notice,
        error => error,
        refused_form => refused_form,
    };
    page.render_status("dashboard.html", ctx, status)
}

/// The board of the association `name` for the page's user (a coordinator), shown with a
/// refused form of it filled in again (422).
pub(super) async fn show_refused(
    page: &Page,
    user: &User,
    name: &str,
    redo: Redo,
) -> Result<Response, PageError> {
    let state = page.state();
    let now = state.clock.now();
    let board = service::dashboard::board(state.store.as_ref(), &state.config, user, name, now)
        .await
        .or_page(page)?;
    let q = PageQuery::default();
    Ok(board_page(
        page,
        &board,
        &redo,
        &q,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

pub(super) async fn dashboard(
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let state = page.state();
    let now = state.clock.now();
    let board = service::dashboard::board(state.store.as_ref(), &state.config, &user, &name, now)
        .await
        .or_page(&page)?;
    Ok(board_page(
        &page,
        &board,
        &Redo::default(),
        &q,
        StatusCode::OK,
    ))
}

#[cfg(test)]
mod tests {
    use super::fill_class;

    #[test]
    fn bars_fill_by_steps_of_five() {
        assert_eq!(fill_class(0, 5), "w-0");
        assert_eq!(fill_class(3, 5), "w-60");
        assert_eq!(fill_class(1, 3), "w-35");
        assert_eq!(fill_class(5, 5), "w-100");
        assert_eq!(fill_class(9, 5), "w-100");
        assert_eq!(fill_class(0, 0), "w-0");
    }
}
