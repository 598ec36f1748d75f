//! Reading reservations: an association's, a resource's, with their resources and parties read
//! once per list (never once per reservation), and the CSV export.

use super::super::{
    hours::is_coordinator, missions::association, resources::require_coordinator, Result,
    ServiceError,
};
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::Actor,
        resource::{Reservation, Resource},
    },
    service::{csv::CsvStyle, hours::CsvPieces},
    storage::{ActorStore, ReservationPage, ReservationStore, ReservationsOf, ResourceStore},
};
use chrono::{DateTime, Utc};

/// A reservation with what people need to read it: its resource and both parties.
pub struct Described {
    pub reservation: Reservation,
    pub resource: Resource,
    pub owner: Actor,
    pub borrower: Option<Actor>,
}

/// These reservations with their resources and parties, in the same order; the resources and
/// the actors are read once for the whole list.
pub async fn described<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    list: Vec<Reservation>,
) -> Result<Vec<Described>> {
    let mut ids: Vec<i64> = list.iter().map(|r| r.resource_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let resources: std::collections::HashMap<i64, Resource> = if ids.is_empty() {
        Default::default()
    } else {
        (store.get_resources(&ids).await?.into_iter())
            .map(|r| (r.id, r))
            .collect()
    };
    let parties = (resources.values().map(|r| r.actor_id))
        .chain(list.iter().filter_map(|r| r.borrower_actor_id));
    let actors = super::super::actors::by_ids(store, parties).await?;
    let actor = |id: i64| (actors.get(&id).cloned()).ok_or(ServiceError::NotFound("actor"));
    list.into_iter()
        .map(|reservation| {
            let resource = (resources.get(&reservation.resource_id).cloned())
                .ok_or(ServiceError::NotFound("resource"))?;
            let owner = actor(resource.actor_id)?;
            let borrower = reservation.borrower_actor_id.map(actor).transpose()?;
            Ok(Described {
                reservation,
                resource,
                owner,
                borrower,
            })
        })
        .collect()
}

/// A page of the reservations of one of this node's resources (its owner's coordinators), by
/// pickup then id, after `after` (a cursor), at most `limit`.
pub async fn of_resource<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    resource_id: i64,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Vec<Reservation>> {
    let (r, owner) = super::super::resources::get(store, resource_id).await?;
    if !owner.local || !is_coordinator(store, user, &owner).await? {
        return Err(ServiceError::Forbidden(Denial::new(
            "owner_coordinators_see_reservations",
        )));
    }
    let page = ReservationPage {
        after,
        ..ReservationPage::of(ReservationsOf::Resource(r.id), limit)
    };
    Ok(store.list_reservations_after(page).await?)
}

/// An association's reservations (coordinators), as owner and as borrower.
pub async fn of_association<S: ActorStore + ReservationStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
) -> Result<(Actor, Vec<Reservation>)> {
    let a = association(store, name).await?;
    require_coordinator(store, user, &a).await?;
    Ok((a.clone(), store.list_actor_reservations(a.id).await?))
}

/// A page of an association's reservations (coordinators), as owner and as borrower, by
/// pickup then id, after `after` (a cursor), at most `limit`.
pub async fn page_of_association<S: ActorStore + ReservationStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Vec<Reservation>> {
    let a = association(store, name).await?;
    require_coordinator(store, user, &a).await?;
    let page = ReservationPage {
        after,
        ..ReservationPage::of(ReservationsOf::Actor(a.id), limit)
    };
    Ok(store.list_reservations_after(page).await?)
}

/// An association's reservations (coordinators) with their resources and parties, read in one
/// call each whatever the number of reservations.
pub async fn listed<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
) -> Result<(Actor, Vec<Described>)> {
    let (a, list) = of_association(store, user, name).await?;
    Ok((a, described(store, list).await?))
}

/// An association's reservations (coordinators) that end at `since` or later, by pickup, with
/// their resources and parties: read [`CSV_CHUNK`] at a time in keyset order, all of them
/// however long the association's history (a whole list would stop at its oldest 5,000).
pub async fn ending_since<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
    since: DateTime<Utc>,
) -> Result<(Actor, Vec<Described>)> {
    let a = association(store, name).await?;
    require_coordinator(store, user, &a).await?;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = ReservationPage {
            after,
            ending_after: Some(since),
            ..ReservationPage::of(ReservationsOf::Actor(a.id), CSV_CHUNK)
        };
        let chunk = store.list_reservations_after(page).await?;
        let full = chunk.len() as i64 == CSV_CHUNK;
        after = chunk.last().map(|r| (r.start, r.id));
        out.extend(described(store, chunk).await?);
        if !full {
            return Ok((a, out));
        }
    }
}

/// How far back the reservations page reads all of an association's reservations (those
/// ending since then: to decide, lent, borrowed, and the recent past).
pub const PAGE_RECENT_DAYS: i64 = 30;
/// The most older reservations the page reads (newest first) for its past ones.
pub const PAGE_PAST: i64 = 50;

/// What an association's reservations page shows (coordinators), by pickup: all those ending
/// in the last [`PAGE_RECENT_DAYS`] days or later (read in keyset chunks, however long the
/// history), after the newest [`PAGE_PAST`] of those that ended before. Before, the page read
/// the association's oldest 5,000, so after a long history the loans to come dropped out.
pub async fn on_page<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(Actor, Vec<Described>)> {
    let since = now - chrono::Duration::days(PAGE_RECENT_DAYS);
    let (a, current) = ending_since(store, user, name, since).await?;
    let page = ReservationPage {
        ending_before: Some(since),
        newest_first: true,
        ..ReservationPage::of(ReservationsOf::Actor(a.id), PAGE_PAST)
    };
    let mut older = store.list_reservations_after(page).await?;
    older.reverse();
    let mut out = described(store, older).await?;
    out.extend(current);
    Ok((a, out))
}

impl Described {
    /// Whether `viewer` lends it, and the name of the other party.
    pub fn seen_from(&self, viewer: &Actor) -> (bool, String) {
        let lender = self.owner.id == viewer.id;
        let other = if lender {
            self.borrower
                .as_ref()
                .map(|b| b.label().to_string())
                .unwrap_or_default()
        } else {
            self.owner.label().to_string()
        };
        (lender, other)
    }
}

/// The associations of this node the user coordinates (all of them for an administrator),
/// by name: those they may borrow for.
pub async fn coordinated(store: &dyn ActorStore, user: &User) -> Result<Vec<Actor>> {
    let mut out: Vec<Actor> = if user.is_admin {
        store
            .list_local_actors(crate::domain::actor::ActorKind::Group.as_str())
            .await?
    } else {
        store
            .memberships(user.id)
            .await?
            .into_iter()
            .filter(|(_, r)| r.can_manage_missions())
            .map(|(a, _)| a)
            .collect()
    };
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

pub const CSV_HEADER: &str = "id,resource,role,other_party,quantity,pickup,return,state,\
reason,pickup_notes,return_notes,owner_signed_by,owner_signed_at,borrower_signed_by,borrower_signed_at";

/// An association's reservations as CSV (RFC 4180, CRLF, a header row), as owner
/// (`role` lender) and as borrower; times in RFC 3339, in the node's time zone; written for
/// its reader (`style`: headings in words and semicolons for a French reader).
pub async fn csv<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    name: &str,
    now: DateTime<Utc>,
    style: CsvStyle,
) -> Result<crate::documents::Document> {
    let (a, list) = listed(store, user, name).await?;
    let tz = config.timezone();
    let mut out = csv_header(style);
    for item in &list {
        out.push_str(&csv_line(item, &a, tz, now, style));
    }
    Ok(crate::documents::Document::csv(
        format!("reservations-{}.csv", a.name),
        out,
    ))
}

/// Reservations read at a time by [`csv_stream`].
pub const CSV_CHUNK: i64 = 500;

/// [`csv`] as a stream (its file name, its pieces): the header row, then the reservations
/// read [`CSV_CHUNK`] at a time in keyset order (pickup, then id) with their resources and
/// parties, each chunk written and sent before the next is read, so a long history never sits
/// in memory at once. The bytes are those of [`csv`], except that nothing is cut (the built
/// list stops at 5,000). Who may read it is checked before the first byte.
pub async fn csv_stream(
    store: crate::storage::DynStore,
    config: &Config,
    user: &User,
    name: &str,
    now: DateTime<Utc>,
    style: CsvStyle,
) -> Result<(String, CsvPieces)> {
    use futures::StreamExt;
    let a = association(store.as_ref(), name).await?;
    require_coordinator(store.as_ref(), user, &a).await?;
    let tz = config.timezone();
    let file = format!("reservations-{}.csv", a.name);
    let header = csv_header(style);
    // The state: where the next chunk starts (`None` once a chunk came back short).
    let start: Option<Option<(DateTime<Utc>, i64)>> = Some(None);
    let rows = futures::stream::try_unfold(start, move |after| {
        let (store, a) = (store.clone(), a.clone());
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let page = ReservationPage {
                after,
                ..ReservationPage::of(ReservationsOf::Actor(a.id), CSV_CHUNK)
            };
            let chunk = store.list_reservations_after(page).await?;
            let next = match chunk.last() {
                Some(last) if chunk.len() as i64 == CSV_CHUNK => Some(Some((last.start, last.id))),
                _ => None,
            };
            let mut out = String::new();
            for item in &described(store.as_ref(), chunk).await? {
                out.push_str(&csv_line(item, &a, tz, now, style));
            }
            Ok(Some((out, next)))
        }
    });
    let pieces = futures::stream::once(async move { Ok(header) })
        .chain(rows)
        .boxed();
    Ok((file, pieces))
}

/// The header row of the reservations' CSV, with its end of line.
fn csv_header(style: CsvStyle) -> String {
    let codes: Vec<&str> = CSV_HEADER.split(',').collect();
    format!("{}\r\n", style.header(&codes))
}

/// One reservation as a line of the CSV of `a`'s reservations, with its end of line.
fn csv_line(
    item: &Described,
    a: &Actor,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    style: CsvStyle,
) -> String {
    let at = |t: DateTime<Utc>| t.with_timezone(&tz).to_rfc3339();
    let (r, resource) = (&item.reservation, &item.resource);
    let (lender, other) = item.seen_from(a);
    let sig = |s: &Option<crate::domain::resource::Signature>| match s {
        Some(s) => (s.by.clone(), at(s.at)),
        None => (String::new(), String::new()),
    };
    let (ob, oa) = sig(&r.owner_signed);
    let (bb, ba) = sig(&r.borrower_signed);
    let fields = [
        r.id.to_string(),
        style.text(&resource.draft.name),
        if lender { "lender" } else { "borrower" }.to_string(),
        style.text(&other),
        r.quantity.to_string(),
        at(r.start),
        at(r.end),
        r.shown_state(now).to_string(),
        style.text(&r.reason),
        style.text(&r.pickup_notes),
        style.text(&r.return_notes),
        style.text(&ob),
        oa,
        style.text(&bb),
        ba,
    ];
    format!("{}\r\n", style.row(&fields))
}
