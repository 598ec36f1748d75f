//! The private iCalendar feed of an association's reservations, for its coordinators: what it
//! lends and what it borrows, from a month ago on (asked: TENTATIVE; accepted, out or back:
//! CONFIRMED; refused or cancelled: CANCELLED, so that subscribed calendars drop them). It is
//! read with the coordinator's private calendar secret (the one of `/feeds/{secret}.ics`).

use super::{accounts::hash_secret, calendar::PAST_DAYS, Result};
use crate::{
    config::Config,
    domain::resource::ReservationState,
    ical::{Calendar, Event, EventStatus},
    storage::Store,
};
use chrono::{DateTime, Duration, Utc};

/// The feed, or `None` when the secret is unknown or its owner does not coordinate `name`.
pub async fn feed(
    store: &dyn Store,
    config: &Config,
    secret: &str,
    name: &str,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let Some(user) = store.find_calendar_token_user(&hash_secret(secret)).await? else {
        return Ok(None);
    };
    let (association, list) = match super::reservations::of_association(store, &user, name).await {
        Ok(x) => x,
        Err(super::ServiceError::Forbidden(_) | super::ServiceError::NotFound(_)) => {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    let since = now - Duration::days(PAST_DAYS);
    let en = lang == "en";
    let mut events = Vec::new();
    for r in list.iter().filter(|r| r.end >= since) {
        let (resource, lender, other) =
            super::reservations::seen_from(store, r, &association).await?;
        let item = format!("{} × {}", r.quantity, resource.draft.name);
        let summary = match (lender, en) {
            (true, false) => format!("Prêt : {item} → {other}"),
            (true, true) => format!("Loan: {item} → {other}"),
            (false, false) => format!("Emprunt : {item} ← {other}"),
            (false, true) => format!("Borrowing: {item} ← {other}"),
        };
        let status = match r.state {
            ReservationState::Requested => EventStatus::Tentative,
            ReservationState::Refused | ReservationState::Cancelled => EventStatus::Cancelled,
            _ => EventStatus::Confirmed,
        };
        let mut description = if en {
            format!("State: {}", r.shown_state(now))
        } else {
            format!("État : {}", r.shown_state(now))
        };
        if !r.reason.is_empty() {
            description.push('\n');
            description.push_str(&r.reason);
        }
        events.push(Event {
            uid: format!("reservation-{}@{}", r.id, config.domain()),
            stamp: r.updated_at,
            start: r.start,
            end: r.end,
            summary,
            location: resource.draft.place.clone(),
            geo: resource.draft.latitude.zip(resource.draft.longitude),
            description,
            url: format!("{}/reservations/{}", config.base(), r.id),
            status,
            sequence: u32::try_from((r.updated_at - r.created_at).num_seconds().max(0))
                .unwrap_or(0),
        });
    }
    let (title, about) = if en {
        (
            format!("Equipment – {}", association.label()),
            format!("What {} lends and borrows", association.label()),
        )
    } else {
        (
            format!("Matériel – {}", association.label()),
            format!("Ce que {} prête et emprunte", association.label()),
        )
    };
    Ok(Some(
        Calendar {
            prodid: super::calendar::prodid(lang),
            name: title,
            description: about,
            events,
        }
        .to_ics(),
    ))
}
