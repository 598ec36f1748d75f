//! Shared equipment (issue 4), the inventory side: coordinators list what their association
//! lends; anyone sees it, how much of a pool is free day by day, and searches what is free over
//! given dates, here and on the nodes this one follows. Reservations are in
//! [`super::reservations`].

use super::kept::earliest;
use super::places::{with_place_errors, Geocoder};
use super::{hours::is_coordinator, missions::association, Result, ServiceError};
use crate::domain::reservation::NodeReason;
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::Actor,
        resource::{
            free_over, BusyPeriod, Reservation, Resource, ResourceDraft, ResourceInput,
            RESOURCE_CATEGORIES,
        },
        DomainError, FieldError,
    },
    storage::{ActorStore, ReservationStore, ResourceChunk, ResourceStore},
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;

/// The page of an association's resources that [`page_of_association`] reads.
pub use crate::storage::ResourcePage;
use std::collections::HashMap;

pub(super) async fn require_coordinator<S: ActorStore + ?Sized>(
    store: &S,
    user: &User,
    a: &Actor,
) -> Result<()> {
    if is_coordinator(store, user, a).await? {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(Denial::new("coordinators_only")))
    }
}

/// A new resource of the association (coordinators); its pickup place is located when no
/// coordinates were sent.
#[allow(clippy::too_many_arguments)]
pub async fn create<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    config: &Config,
    places: &Geocoder,
    user: &User,
    association_name: &str,
    mut input: ResourceInput,
    now: DateTime<Utc>,
) -> Result<Resource> {
    let owner = association(store, association_name).await?;
    require_coordinator(store, user, &owner).await?;
    let place = places.locate_resource(&mut input, None, now).await;
    let draft = with_place_errors(ResourceDraft::parse(&input), place)?;
    let ap_id = format!("{}/r/{}", config.base(), uuid::Uuid::new_v4());
    Ok(store.create_resource(owner.id, &ap_id, &draft, now).await?)
}

/// A resource (removed ones too) and its owner.
pub async fn get<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    id: i64,
) -> Result<(Resource, Actor)> {
    let r = store.get_resource(id).await?;
    let owner = store.get_actor(r.actor_id).await?;
    Ok((r, owner))
}

/// A resource that is still offered, and its owner.
pub async fn offered<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    id: i64,
) -> Result<(Resource, Actor)> {
    let (r, owner) = get(store, id).await?;
    if r.deleted_at.is_some() {
        return Err(ServiceError::NotFound("resource"));
    }
    Ok((r, owner))
}

/// The resource whose ActivityPub id is `ap_id`, removed or not, if this node knows it.
pub async fn by_ap_id(store: &dyn ResourceStore, ap_id: &str) -> Result<Option<Resource>> {
    Ok(store.find_resource_by_ap_id(ap_id).await?)
}

/// The association `name` of this node, if `user` coordinates it (they add and change its
/// equipment).
pub async fn managed(store: &dyn ActorStore, user: &User, name: &str) -> Result<Actor> {
    let a = association(store, name).await?;
    require_coordinator(store, user, &a).await?;
    Ok(a)
}

/// One of this node's resources, still offered, whose association `user` coordinates: what
/// its edit form shows (another node's resource is not found here).
pub async fn editable<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<(Resource, Actor)> {
    let (r, owner) = offered(store, id).await?;
    if !owner.local {
        return Err(ServiceError::NotFound("resource"));
    }
    require_coordinator(store, user, &owner).await?;
    Ok((r, owner))
}

/// One of this node's resources the user coordinates.
async fn own<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<(Resource, Actor)> {
    let (r, owner) = offered(store, id).await?;
    if !owner.local {
        return Err(ServiceError::Forbidden(Denial::new(
            "resource_remote_owner",
        )));
    }
    require_coordinator(store, user, &owner).await?;
    Ok((r, owner))
}

/// Changes the fields sent (the owner's coordinators); a changed pickup place is located again
/// unless coordinates were sent, and a resource left without a place keeps no position.
pub async fn update<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    places: &Geocoder,
    user: &User,
    id: i64,
    mut input: ResourceInput,
    now: DateTime<Utc>,
) -> Result<Resource> {
    let (r, owner) = own(store, user, id).await?;
    let sent_position = input.latitude.is_some() || input.longitude.is_some();
    let place = places
        .locate_resource(&mut input, Some(&r.draft), now)
        .await;
    let mut draft = with_place_errors(r.draft.apply(&input), place)?;
    if draft.place.trim().is_empty() && !sent_position {
        draft.latitude = None;
        draft.longitude = None;
    }
    Ok(store
        .update_resource(owner.id, &r.ap_id, &draft, now)
        .await?)
}

/// Removes a resource: its requests and loans to come are cancelled, with this reason.
pub async fn delete<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let (r, _) = own(store, user, id).await?;
    Ok(store
        .delete_resource(r.id, &NodeReason::NoLongerLent.stored(""), now)
        .await?)
}

/// The resources of an association (anyone may see what it lends).
pub async fn of_association<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    association_name: &str,
) -> Result<(Actor, Vec<Resource>)> {
    let owner = association(store, association_name).await?;
    Ok((owner.clone(), store.list_resources(Some(owner.id)).await?))
}

/// A page of an association's resources, by name then id (see [`ResourcePage`]: a cursor
/// or an offset); `page.actor_id` is set here.
pub async fn page_of_association<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    association_name: &str,
    page: crate::storage::ResourcePage,
) -> Result<(Actor, Vec<Resource>)> {
    let owner = association(store, association_name).await?;
    let page = crate::storage::ResourcePage {
        actor_id: owner.id,
        ..page
    };
    Ok((owner, store.list_resources_after(page).await?))
}

/// The periods during which some of the pool is taken, without who took it: computed from
/// the reservations for ours, as last published for another node's.
pub async fn busy_periods<S: ActorStore + ReservationStore + ?Sized>(
    store: &S,
    r: &Resource,
    now: DateTime<Utc>,
) -> Result<Vec<BusyPeriod>> {
    let owner = store.get_actor(r.actor_id).await?;
    if !owner.local {
        return Ok(r.remote_busy.clone());
    }
    Ok(held(&store.list_reservations(r.id).await?, now))
}

/// Since when a loan still counts as busy: those that ended more than a day ago are history.
fn recent(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(1)
}

/// The busy periods of the reservations that hold items (of one resource) and end after
/// [`recent`].
fn held(reservations: &[Reservation], now: DateTime<Utc>) -> Vec<BusyPeriod> {
    reservations
        .iter()
        .filter(|x| x.state.holds() && x.end > recent(now))
        .map(|x| BusyPeriod {
            start: x.start,
            end: x.end,
            quantity: x.quantity,
        })
        .collect()
}

fn stretched(
    busy: &[BusyPeriod],
    turnaround_hours: i64,
) -> Vec<(i64, DateTime<Utc>, DateTime<Utc>)> {
    let b = Duration::hours(turnaround_hours);
    busy.iter()
        .map(|p| (p.quantity, p.start - b, p.end + b))
        .collect()
}

/// How many are free on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DayFree {
    pub date: NaiveDate,
    pub free: i64,
    pub total: i64,
}

/// The most days an availability calendar shows at once.
pub const MAX_DAYS: i64 = 92;

/// Midnight of `day` in the node's time zone.
fn midnight(config: &Config, day: NaiveDate) -> DateTime<Utc> {
    let tz = config.timezone();
    let naive = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    tz.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&naive))
        .with_timezone(&Utc)
}

/// Day by day from `from`, how many of the pool are free all day long (the peak of the loans
/// that day, each stretched by the turnaround buffer).
pub async fn availability<S: ActorStore + ReservationStore + ?Sized>(
    store: &S,
    config: &Config,
    r: &Resource,
    from: NaiveDate,
    days: i64,
    now: DateTime<Utc>,
) -> Result<Vec<DayFree>> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(
            DomainError::field("days", FieldError::new("days_range").num("max", MAX_DAYS)).into(),
        );
    }
    let held = stretched(
        &busy_periods(store, r, now).await?,
        r.draft.turnaround_hours,
    );
    let dates: Vec<NaiveDate> = (0..days).map(|i| from + Duration::days(i)).collect();
    let windows: Vec<_> = dates
        .iter()
        .map(|d| {
            (
                midnight(config, *d),
                midnight(config, *d + Duration::days(1)),
            )
        })
        .collect();
    Ok(dates
        .into_iter()
        .zip(free_over(r.draft.quantity, &held, &windows))
        .map(|(date, free)| DayFree {
            date,
            free,
            total: r.draft.quantity,
        })
        .collect())
}

/// How many are free over the whole of `[start, end)`.
pub async fn free_between<S: ActorStore + ReservationStore + ?Sized>(
    store: &S,
    r: &Resource,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(free_of(r, &busy_periods(store, r, now).await?, start, end))
}

/// How many of `r` are free over the whole of `[start, end)`, given its busy periods.
fn free_of(r: &Resource, busy: &[BusyPeriod], start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let held = stretched(busy, r.draft.turnaround_hours);
    free_over(r.draft.quantity, &held, &[(start, end)])[0]
}

/// A search of what is free.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words of the name, description or place.
    pub q: Option<String>,
    /// furniture, tent, stage, sound_light, vehicle, room, kitchen, other.
    pub category: Option<String>,
    /// Over this period (both or neither): pickup…
    pub start: Option<DateTime<Utc>>,
    /// …and return.
    pub end: Option<DateTime<Utc>>,
    /// At least this many free (1 when left out).
    pub quantity: Option<i64>,
}

/// A resource found, with how many are free over the period asked.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub resource: Resource,
    pub owner: Actor,
    /// Free over the period asked, or the whole pool when no period was given.
    pub free: i64,
}

/// Resources found on a page of the search unless said (the API's default `limit`).
pub const SEARCH_PAGE: i64 = 50;
/// The most resources found on one page.
pub const SEARCH_MAX_PAGE: i64 = 200;
/// Resources read at once by the search, from the cursor on.
pub const SEARCH_CHUNK: i64 = 200;
/// The most resources examined for one page: a search matching few of many resources
/// answers a short page (or an empty one) with a `next`, and costs the same at any depth.
pub const SEARCH_EXAMINED: i64 = 25 * SEARCH_CHUNK;

/// A page of the search: what was found, and where the next page starts (after the last
/// resource examined, by name then id), if some resources were not examined yet.
#[derive(Debug, Clone)]
pub struct Searched {
    pub found: Vec<Found>,
    pub next: Option<(String, i64)>,
    /// The first instant at which time alone changes this page (a loan it counted becomes
    /// history, see [`recent`]); `None`: only a write does.
    pub until: Option<DateTime<Utc>>,
}

/// A pickup and a return.
type Period = (DateTime<Utc>, DateTime<Utc>);

/// Checks a search: its period (if any) and the quantity wanted (1 unless said).
fn checked(query: &SearchQuery) -> Result<(Option<Period>, i64)> {
    let mut errors = crate::domain::FieldErrors::new();
    let period = match (query.start, query.end) {
        (Some(s), Some(e)) if e > s && e - s <= Duration::days(366) => Some((s, e)),
        (Some(s), Some(e)) if e <= s => {
            errors.add("end", FieldError::new("return_after_pickup"));
            None
        }
        (Some(_), Some(_)) => {
            errors.add("end", FieldError::new("return_within_year"));
            None
        }
        (None, None) => None,
        _ => {
            errors.add("end", FieldError::new("pickup_and_return"));
            None
        }
    };
    if let Some(c) = query.category.as_deref().filter(|c| !c.is_empty()) {
        if !RESOURCE_CATEGORIES.contains(&c) {
            errors.add(
                "category",
                FieldError::new("one_of").text("list", RESOURCE_CATEGORIES.join(", ")),
            );
        }
    }
    let wanted = query.quantity.unwrap_or(1);
    if wanted < 1 {
        errors.add("quantity", FieldError::new("at_least").num("min", 1));
    }
    errors.into_result(())?;
    Ok((period, wanted))
}

/// A page of the resources of this node and of the nodes it follows that match, with at
/// least the quantity asked free over the period, by name then id, after `after` (a
/// cursor). The resources are read a chunk at a time ([`SEARCH_CHUNK`], the category in the
/// statement), filtered by words, then by what is free over the period (the loans of that
/// chunk's resources only, in one read), until `limit` are found, the resources end, or
/// [`SEARCH_EXAMINED`] were examined.
pub async fn search<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    query: &SearchQuery,
    after: Option<(String, i64)>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Searched> {
    let (period, wanted) = checked(query)?;
    let limit = limit.clamp(1, SEARCH_MAX_PAGE);
    let category = query.category.clone().filter(|c| !c.is_empty());
    let words: Vec<String> = query
        .q
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(fold)
        .collect();
    let mut cursor = after;
    let mut examined = 0;
    let mut out = Vec::new();
    let mut until = None;
    loop {
        let chunk = store
            .list_resources_chunk(ResourceChunk {
                after: cursor.clone(),
                category: category.clone(),
                limit: SEARCH_CHUNK,
            })
            .await?;
        let ended = (chunk.len() as i64) < SEARCH_CHUNK;
        examined += chunk.len() as i64;
        let last = chunk.last().map(|r| (r.draft.name.clone(), r.id));
        let matching: Vec<Resource> = chunk
            .into_iter()
            .filter(|r| {
                let haystack = fold(&format!(
                    "{} {} {}",
                    r.draft.name, r.draft.description, r.draft.place
                ));
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect();
        let (found, steady) = free_in(store, matching, period, wanted, now).await?;
        until = earliest(until, steady);
        for f in found {
            let key = (f.resource.draft.name.clone(), f.resource.id);
            out.push(f);
            if out.len() as i64 >= limit {
                let next = Some(key);
                return Ok(Searched {
                    found: out,
                    next,
                    until,
                });
            }
        }
        if ended {
            return Ok(Searched {
                found: out,
                next: None,
                until,
            });
        }
        cursor = last;
        if examined >= SEARCH_EXAMINED {
            return Ok(Searched {
                found: out,
                next: cursor,
                until,
            });
        }
    }
}

/// Those of `matching` (one chunk) with at least `wanted` free over the period, in order:
/// the owners, and the loans of our own resources, each in one read. With the first instant
/// at which time alone changes what was counted (see [`counted_until`]).
async fn free_in<S: ActorStore + ReservationStore + ?Sized>(
    store: &S,
    matching: Vec<Resource>,
    period: Option<Period>,
    wanted: i64,
    now: DateTime<Utc>,
) -> Result<(Vec<Found>, Option<DateTime<Utc>>)> {
    if matching.is_empty() {
        return Ok((Vec::new(), None));
    }
    let owners = super::actors::by_ids(store, matching.iter().map(|r| r.actor_id)).await?;
    let mut loans: HashMap<i64, Vec<Reservation>> = HashMap::new();
    if period.is_some() {
        let ours: Vec<i64> = matching
            .iter()
            .filter(|r| owners.get(&r.actor_id).is_some_and(|o| o.local))
            .map(|r| r.id)
            .collect();
        for x in store.list_reservations_of(&ours, recent(now)).await? {
            loans.entry(x.resource_id).or_default().push(x);
        }
    }
    let mut out = Vec::new();
    let mut until = None;
    for r in matching {
        let owner = owners
            .get(&r.actor_id)
            .cloned()
            .ok_or(ServiceError::NotFound("actor"))?;
        let free = match period {
            Some((s, e)) => {
                let busy = if owner.local {
                    let busy = held(loans.get(&r.id).map_or(&[][..], Vec::as_slice), now);
                    until = earliest(until, counted_until(&r, &busy, s, e));
                    busy
                } else {
                    r.remote_busy.clone()
                };
                free_of(&r, &busy, s, e)
            }
            None => r.draft.quantity,
        };
        if free >= wanted {
            out.push(Found {
                resource: r,
                owner,
                free,
            });
        }
    }
    Ok((out, until))
}

/// When the first of `busy` (loans of our resource `r` still counted at the search's `now`)
/// that takes items over `start..end` stops being counted: a day after it ends ([`recent`]),
/// how many are free there may change with no write. Those outside the period (turnaround
/// included) change nothing when they go.
fn counted_until(
    r: &Resource,
    busy: &[BusyPeriod],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    (stretched(busy, r.draft.turnaround_hours).iter())
        .zip(busy)
        .filter(|((_, s, e), _)| *s < end && *e > start)
        .map(|(_, p)| p.end + Duration::days(1))
        .min()
}

/// Lower case without French accents, for matching words.
fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn words_match_without_accents_or_case() {
        assert_eq!(fold("Tente RÉCEPTION à Brest"), "tente reception a brest");
    }
}
