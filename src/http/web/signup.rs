//! Time slots on the mission page: one click to sign up, one to leave, the reason in words when
//! a slot cannot be taken; and "Mes créneaux", a volunteer's sign-ups.
//!
//! The rules (capacity, overlaps, closed or past slots) are the service's: these pages only
//! call `service::slots` and say what came out.

use super::{
    cards::{card, mission_path, place_short, places_line},
    extract::{CheckedForm, LoggedIn, OrPage, Page, PageError},
    i18n,
    login::safe_next,
    pages::{flash, with_param, CsrfForm, PageQuery},
};
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::i18n::Lang;
use crate::{
    domain::{
        account::User,
        mission::{Mission, MissionStatus},
        slot::{Participation, ParticipationStatus, Refusal, Slot, SlotStatus},
    },
    service::{self, ServiceError},
    state::AppState,
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/slots/{id}/signup", post(sign_up))
        .route("/participations/{id}/withdraw", post(withdraw))
        .route("/me/slots", get(my_slots))
}

/// The key of a refusal in the words (`refused_full`, …) and in `?refused=`.
pub(super) fn refusal_key(r: Refusal) -> &'static str {
    match r {
        Refusal::Full => "full",
        Refusal::Overlaps => "overlaps",
        Refusal::Closed => "closed",
        Refusal::Over => "over",
        Refusal::AlreadySignedUp => "already",
    }
}

/// Where a sign-up stands, in a word for its volunteer.
fn status_word(lang: Lang, p: &Participation, slot: &Slot) -> String {
    let key = match p.status {
        ParticipationStatus::Accepted => "st_accepted",
        ParticipationStatus::Pending => "st_pending",
        ParticipationStatus::Rejected => "st_rejected",
        ParticipationStatus::Withdrawn if slot.status == SlotStatus::Cancelled => {
            "st_slot_cancelled"
        }
        ParticipationStatus::Withdrawn => "st_withdrawn",
    };
    i18n::word(lang, key)
}

/// The volunteer's own sign-up on a slot, as the mission page and "Mes créneaux" show it.
#[derive(Serialize)]
struct Mine {
    id: i64,
    status: String,
    /// `accepted`, `pending`, … (for the style).
    code: &'static str,
    reason: String,
    can_withdraw: bool,
}

fn mine(lang: Lang, p: &Participation, slot: &Slot, now: DateTime<Utc>) -> Mine {
    Mine {
        id: p.id,
        status: status_word(lang, p, slot),
        code: p.status.as_str(),
        reason: p.reason.clone(),
        can_withdraw: p.status.is_active() && slot.end_time > now,
    }
}

/// One slot on the mission page.
#[derive(Serialize)]
struct SlotView {
    id: i64,
    when: String,
    places: String,
    /// `open`, `full`, `cancelled` or `over`.
    state: &'static str,
    /// Takes sign-ups now: the button is shown.
    open: bool,
    mine: Option<Mine>,
}

/// The mission page: the mission, its slots with places left and, for a logged-in volunteer,
/// their own status and the buttons to sign up or leave. Drafts are for coordinators only.
pub(super) async fn mission_page(
    page: &Page,
    m: Mission,
    q: &PageQuery,
) -> Result<Response, PageError> {
    if m.deleted_at.is_some() {
        return Ok(page.message(StatusCode::GONE, "not_found", "gone"));
    }
    match mission_ctx(page, m, q).await.or_page(page)? {
        Some(ctx) => Ok(page.render("mission.html", ctx)),
        None => Err(page.not_found()),
    }
}

/// What the mission page shows; `None` for a draft the reader may not see.
async fn mission_ctx(
    page: &Page,
    m: Mission,
    q: &PageQuery,
) -> Result<Option<Value>, ServiceError> {
    let state = page.state();
    let store = state.store.as_ref();
    let owner = service::actors::get(store, m.actor_id).await?;
    let can_manage = match &page.user {
        Some(u) if m.local => service::accounts::role_in(store, u, &owner)
            .await?
            .is_some_and(|r| r.can_manage_missions()),
        _ => false,
    };
    if m.status == MissionStatus::Draft && !can_manage {
        return Ok(None);
    }
    let now = state.clock.now();
    let slots = service::slots::of_mission(store, m.id).await?;
    // The volunteer's sign-ups on this mission: the active one of each slot, else the last.
    let mut my: HashMap<i64, Participation> = HashMap::new();
    if let Some(u) = &page.user {
        for (p, s) in service::slots::of_user(store, u.id).await? {
            if s.mission_id != m.id {
                continue;
            }
            let keep = match my.get(&s.id) {
                Some(old) => p.status.is_active() || (!old.status.is_active() && p.id > old.id),
                None => true,
            };
            if keep {
                my.insert(s.id, p);
            }
        }
    }
    let takes_sign_ups = m.status == MissionStatus::Published;
    let views: Vec<SlotView> = slots
        .iter()
        .map(|s| {
            let closed = s.closed_reason(now);
            let state_code = match closed {
                Some(_) if s.status == SlotStatus::Cancelled => "cancelled",
                Some(_) => "over",
                None if s.remaining() == 0 => "full",
                None => "open",
            };
            let places = match state_code {
                "cancelled" => i18n::word(page.lang, "slot_cancelled"),
                "over" => i18n::word(page.lang, "slot_over"),
                _ => i18n::places(page.lang, Some(s.remaining()), Some(s.capacity)),
            };
            let mine = my.get(&s.id).map(|p| mine(page.lang, p, s, now));
            let signed = mine.as_ref().is_some_and(|x| x.can_withdraw);
            SlotView {
                id: s.id,
                when: i18n::long_span(s.start_time, s.end_time, state.config.timezone(), page.lang),
                places,
                state: state_code,
                open: takes_sign_ups && state_code == "open" && !signed,
                mine,
            }
        })
        .collect();
    let mut c = card(state, page.lang, &m, &owner);
    (c.places, c.full) = places_line(page.lang, &m, &slots, now);
    c.picture = service::mission_pictures::versions(state.store.as_ref(), &[m.id])
        .await?
        .get(&m.id)
        .map(|v| super::cards::picture_path(m.id, *v));
    let path = mission_path(state, &m);
    let (notice, error) = flash(page.lang, q);
    let open_slots = views.iter().any(|v| v.open);
    // Visitors without an account here may sign up with their Mastodon account.
    let fediverse_slots = if page.user.is_none() {
        super::fediverse::slot_forms(state, &m, &slots, page.lang)
    } else {
        Vec::new()
    };
    Ok(Some(context! {
        m => c,
        slots => views,
        open_slots => open_slots,
        fediverse_slots => fediverse_slots,
        path => path,
        login_next => format!("/login?next={}", encode(&path)),
        report_path => format!("/report?kind=mission&target={}", encode(&m.ap_id)),
        can_manage => can_manage,
        association_name => owner.name,
        just_published => q.published.is_some() && page.user.is_some(),
        notice => notice,
        error => error,
    }))
}

/// A path as a query-string value.
pub(super) fn encode(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(path, SET).to_string()
}

/// "Je m'inscris": takes the place (or asks for it), then back to the mission page with the
/// outcome in words.
async fn sign_up(
    Path(id): Path<i64>,
    CheckedForm(page, _): CheckedForm<CsrfForm>,
) -> Result<Response, PageError> {
    let state = page.state();
    let mission = service::slots::mission_of(state.store.as_ref(), id)
        .await
        .or_page(&page)?;
    if mission.deleted_at.is_some() {
        return Err(page.error(ServiceError::NotFound("mission")));
    }
    let back = mission_path(state, &mission);
    let u = page.user_or_login(&back)?;
    let outcome = match service::slots::sign_up(
        state.store.as_ref(),
        &state.config,
        &u,
        id,
        "",
        state.clock.now(),
    )
    .await
    {
        // Said on the account's page, with the button that sends the link again.
        Err(ServiceError::Account(crate::domain::account::AccountBlock::EmailUnconfirmed)) => {
            return Ok(Redirect::to("/me/account?refused=unconfirmed").into_response());
        }
        other => other.or_page(&page)?,
    };
    let to = match outcome {
        Ok(p) => {
            state.wake.notify_waiters();
            let done = if p.status == ParticipationStatus::Accepted {
                "signed_up"
            } else {
                "pending"
            };
            with_param(&back, "done", done)
        }
        Err(r) => with_param(&back, "refused", refusal_key(r)),
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(Deserialize)]
struct WithdrawForm {
    /// The page to go back to (the mission, or "Mes créneaux").
    next: Option<String>,
}

/// "Me désinscrire": leaves the slot (the place is freed), then back where the button was.
async fn withdraw(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<WithdrawForm>,
) -> Result<Response, PageError> {
    let back = safe_next(form.next.as_deref());
    let u = page.user_or_login(&back)?;
    let state = page.state();
    let to = match service::slots::withdraw(state.store.as_ref(), &u, id, state.clock.now()).await {
        Ok(_) => {
            state.wake.notify_waiters();
            with_param(&back, "done", "withdrawn")
        }
        Err(ServiceError::Conflict(_)) => with_param(&back, "refused", "inactive"),
        Err(e) => return Err(page.error(e)),
    };
    Ok(Redirect::to(&to).into_response())
}

/// One line of "Mes créneaux".
#[derive(Serialize)]
struct MyRow {
    mission: String,
    mission_page: String,
    association: String,
    place: String,
    when: String,
    mine: Mine,
}

/// "Mes créneaux": the volunteer's sign-ups, upcoming (soonest first) then past (latest first).
async fn my_slots(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let ctx = my_slots_ctx(&page, &user, &q).await.or_page(&page)?;
    Ok(page.render("my_slots.html", ctx))
}

async fn my_slots_ctx(page: &Page, user: &User, q: &PageQuery) -> Result<Value, ServiceError> {
    let state = page.state();
    let store = state.store.as_ref();
    let now = state.clock.now();
    let signed = service::slots::of_user(store, user.id).await?;
    // Their missions and associations, each read once for the whole list.
    let ids: BTreeSet<i64> = signed.iter().map(|(_, s)| s.mission_id).collect();
    let mut missions = service::missions::by_ids(store, &Vec::from_iter(ids)).await?;
    missions.retain(|_, m| m.deleted_at.is_none());
    let owners = service::missions::owners(store, missions.values()).await?;
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    for (p, s) in signed {
        let Some(m) = missions.get(&s.mission_id) else {
            continue; // the mission was deleted
        };
        let Some(owner) = owners.get(&m.actor_id) else {
            continue;
        };
        let row = MyRow {
            mission: m.title.clone(),
            mission_page: mission_path(state, m),
            association: owner.label().to_string(),
            place: place_short(page.lang, m),
            when: i18n::long_span(s.start_time, s.end_time, state.config.timezone(), page.lang),
            mine: mine(page.lang, &p, &s, now),
        };
        if s.end_time > now {
            upcoming.push(row);
        } else {
            past.push(row);
        }
    }
    past.reverse();
    let (notice, error) = flash(page.lang, q);
    Ok(context! {
        upcoming => upcoming, past => past, notice => notice, error => error,
    })
}
