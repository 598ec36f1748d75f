//! The private iCalendar feed of an association's reservations, for its coordinators: what it
//! lends and what it borrows, from a month ago on (asked: TENTATIVE; accepted, out or back:
//! CONFIRMED; refused or cancelled: CANCELLED, so that subscribed calendars drop them). It is
//! read with the coordinator's private calendar secret (the one of `/feeds/{secret}.ics`).

use super::{accounts::hash_secret, calendar::PAST_DAYS, Result};
use crate::{
    config::Config,
    domain::resource::ReservationState,
    i18n::{tr, tr_args, Lang},
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
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let Some(user) = store.find_calendar_token_user(&hash_secret(secret)).await? else {
        return Ok(None);
    };
    let since = now - Duration::days(PAST_DAYS);
    let read = super::reservations::ending_since(store, &user, name, since).await;
    let (association, list) = match read {
        Ok(x) => x,
        Err(super::ServiceError::Forbidden(_) | super::ServiceError::NotFound(_)) => {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    let mut events = Vec::new();
    // The resources and the other parties come with the list, read once for each chunk.
    for item in &list {
        let (r, resource) = (&item.reservation, &item.resource);
        let (lender, other) = item.seen_from(&association);
        let item = format!("{} × {}", r.quantity, resource.draft.name);
        let summary = tr_args(
            lang,
            if lender {
                "eq-feed_loan"
            } else {
                "eq-feed_borrowing"
            },
            &[("item", item.into()), ("other", other.into())],
        );
        let status = match r.state {
            ReservationState::Requested => EventStatus::Tentative,
            ReservationState::Refused | ReservationState::Cancelled => EventStatus::Cancelled,
            _ => EventStatus::Confirmed,
        };
        let state = tr(lang, &format!("eq-st_{}", r.shown_state(now)));
        let mut description = tr_args(lang, "eq-feed_state", &[("state", state.into())]);
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
    let named = [("association", association.label().to_string().into())];
    let title = tr_args(lang, "eq-feed_name", &named);
    let about = tr_args(lang, "eq-feed_about", &named);
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
