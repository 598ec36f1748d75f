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
    storage::{ActorStore, ReservationStore, ResourceStore},
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

/// All the reservations of one of this node's resources (its owner's coordinators).
pub async fn of_resource<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    resource_id: i64,
) -> Result<Vec<Reservation>> {
    let (r, owner) = super::super::resources::get(store, resource_id).await?;
    if !owner.local || !is_coordinator(store, user, &owner).await? {
        return Err(ServiceError::Forbidden(Denial::new(
            "owner_coordinators_see_reservations",
        )));
    }
    Ok(store.list_reservations(r.id).await?)
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
    style: crate::service::csv::CsvStyle,
) -> Result<crate::documents::Document> {
    let (a, list) = listed(store, user, name).await?;
    let tz = config.timezone();
    let at = |t: DateTime<Utc>| t.with_timezone(&tz).to_rfc3339();
    let codes: Vec<&str> = CSV_HEADER.split(',').collect();
    let mut out = style.header(&codes);
    out.push_str("\r\n");
    for item in &list {
        let (r, resource) = (&item.reservation, &item.resource);
        let (lender, other) = item.seen_from(&a);
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
        out.push_str(&style.row(&fields));
        out.push_str("\r\n");
    }
    Ok(crate::documents::Document::csv(
        format!("reservations-{}.csv", a.name),
        out,
    ))
}
