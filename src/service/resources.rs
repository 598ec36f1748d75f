//! Shared equipment (issue 4): coordinators list what their association lends; coordinators of
//! another association of this node ask for a quantity over a period; the owner's node decides
//! in one transaction (`Store::reserve`). Requests across nodes (`Offer{Agreement}`) come later.

use super::{hours::is_coordinator, missions::association, Result, ServiceError};
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::Actor,
        resource::{Period, Reservation, ReservationState, Resource, ResourceDraft, ResourceInput},
        DomainError, FieldErrors,
    },
    storage::{NewReservation, ReserveOutcome, Store},
};
use chrono::{DateTime, Utc};

async fn require_coordinator(store: &dyn Store, user: &User, a: &Actor) -> Result<()> {
    if is_coordinator(store, user, a).await? {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "only the association's coordinators may do this",
        ))
    }
}

/// A new resource of the association (coordinators).
pub async fn create(
    store: &dyn Store,
    config: &Config,
    user: &User,
    association_name: &str,
    input: ResourceInput,
) -> Result<Resource> {
    let owner = association(store, association_name).await?;
    require_coordinator(store, user, &owner).await?;
    let draft = ResourceDraft::parse(&input)?;
    let ap_id = format!("{}/r/{}", config.base(), uuid::Uuid::new_v4());
    Ok(store
        .create_resource(owner.id, &ap_id, &draft, Utc::now())
        .await?)
}

/// A resource and its owner, if it is one of this node's.
pub async fn get(store: &dyn Store, id: i64) -> Result<(Resource, Actor)> {
    let r = store.get_resource(id).await?;
    let owner = store.get_actor(r.actor_id).await?;
    Ok((r, owner))
}

/// Changes the fields sent (the owner's coordinators).
pub async fn update(
    store: &dyn Store,
    user: &User,
    id: i64,
    input: ResourceInput,
) -> Result<Resource> {
    let (r, owner) = get(store, id).await?;
    require_coordinator(store, user, &owner).await?;
    let draft = r.draft.apply(&input)?;
    Ok(store
        .update_resource(owner.id, &r.ap_id, &draft, Utc::now())
        .await?)
}

/// The resources of an association (anyone may see what it lends).
pub async fn of_association(
    store: &dyn Store,
    association_name: &str,
) -> Result<(Actor, Vec<Resource>)> {
    let owner = association(store, association_name).await?;
    Ok((owner.clone(), store.list_resources(Some(owner.id)).await?))
}

/// What a borrower sends.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReservationInput {
    /// The borrowing association (its name on this node), which the user coordinates.
    pub borrower: Option<String>,
    pub quantity: Option<i64>,
    /// Pickup and return, RFC 3339.
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// An idempotency key: the same one twice is one reservation.
    pub offer_id: Option<String>,
}

/// A coordinator asks, for an association of this node, for a quantity over a period. The
/// owner's node decides at once (automatic approval, when the pool allows) or the request
/// waits for its coordinators.
pub async fn request(
    store: &dyn Store,
    config: &Config,
    user: &User,
    resource_id: i64,
    input: ReservationInput,
) -> Result<(ReserveOutcome, Resource)> {
    let (resource, _) = get(store, resource_id).await?;
    let mut errors = FieldErrors::new();
    let borrower = match input.borrower.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add("borrower", "give the borrowing association's name");
            None
        }
        Some(name) => match association(store, name).await {
            Ok(a) if is_coordinator(store, user, &a).await? => Some(a),
            Ok(_) => {
                return Err(ServiceError::Forbidden(
                    "only the borrowing association's coordinators ask for equipment",
                ))
            }
            Err(ServiceError::NotFound(_)) => {
                errors.add("borrower", "no association of that name on this node");
                None
            }
            Err(e) => return Err(e),
        },
    };
    let (Some(start), Some(end)) = (input.start, input.end) else {
        if input.start.is_none() {
            errors.add(
                "start",
                "is required, as a date and time like 2031-06-14T09:00:00+02:00",
            );
        }
        if input.end.is_none() {
            errors.add(
                "end",
                "is required, as a date and time like 2031-06-14T18:00:00+02:00",
            );
        }
        return Err(DomainError::Invalid(errors).into());
    };
    let period = match Period::check(
        &resource.draft,
        input.quantity.unwrap_or(1),
        start,
        end,
        Utc::now(),
    ) {
        Ok(p) => Some(p),
        Err(DomainError::Invalid(more)) => {
            for (k, v) in more.0 {
                errors.add(&k, v);
            }
            None
        }
        Err(e) => return Err(e.into()),
    };
    let offer_id = match input.offer_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() && id.chars().count() <= 200 => {
            format!("{}/offers/local/{id}", config.base())
        }
        Some(_) => {
            errors.add("offer_id", "1 to 200 characters");
            String::new()
        }
        None => format!("{}/offers/{}", config.base(), uuid::Uuid::new_v4()),
    };
    let (Some(borrower), Some(period)) = errors.into_result((borrower, period))? else {
        return Err(ServiceError::Internal("no request without errors".into()));
    };
    let outcome = store
        .reserve(
            NewReservation {
                resource_id,
                offer_id,
                borrower_actor_id: Some(borrower.id),
                quantity: period.quantity,
                start: period.start,
                end: period.end,
                automatic: resource.draft.approval == crate::domain::resource::Approval::Automatic,
            },
            Utc::now(),
        )
        .await?;
    Ok((outcome, resource))
}

/// Who may move a reservation: the owner's coordinators, the borrower's coordinators.
async fn parties(store: &dyn Store, user: &User, id: i64) -> Result<(Reservation, bool, bool)> {
    let r = store.get_reservation(id).await?;
    let (_, owner) = get(store, r.resource_id).await?;
    let is_owner = is_coordinator(store, user, &owner).await?;
    let is_borrower = match r.borrower_actor_id {
        Some(b) => is_coordinator(store, user, &store.get_actor(b).await?).await?,
        None => false,
    };
    if !is_owner && !is_borrower {
        return Err(ServiceError::NotFound("reservation"));
    }
    Ok((r, is_owner, is_borrower))
}

/// A reservation, for its two parties.
pub async fn reservation(store: &dyn Store, user: &User, id: i64) -> Result<Reservation> {
    Ok(parties(store, user, id).await?.0)
}

/// What a party does with a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Accept,
    Refuse,
    Cancel,
    PickUp,
    Return,
}

/// Moves a reservation on: the owner accepts or refuses a request (with a reason), hands the
/// equipment over and takes it back; either party cancels before the pickup.
pub async fn move_on(
    store: &dyn Store,
    user: &User,
    id: i64,
    step: Move,
    reason: &str,
) -> Result<Reservation> {
    use ReservationState::*;
    let (r, is_owner, is_borrower) = parties(store, user, id).await?;
    let allowed = match step {
        Move::Accept | Move::Refuse => is_owner && r.state == Requested,
        Move::Cancel => (is_owner || is_borrower) && matches!(r.state, Requested | Accepted),
        Move::PickUp => is_owner && r.state == Accepted,
        Move::Return => is_owner && r.state == PickedUp,
    };
    if !allowed {
        if !is_owner && step != Move::Cancel {
            return Err(ServiceError::Forbidden(
                "only the owner's coordinators do this",
            ));
        }
        return Err(ServiceError::Conflict(format!(
            "a reservation that is {} cannot be moved this way",
            r.state.as_str()
        )));
    }
    let reason = reason.trim();
    if step == Move::Refuse && (reason.is_empty() || reason.chars().count() > 500) {
        return Err(DomainError::field("reason", "give a reason of 1 to 500 characters").into());
    }
    let next = match step {
        Move::Accept => Accepted,
        Move::Refuse => Refused,
        Move::Cancel => Cancelled,
        Move::PickUp => PickedUp,
        Move::Return => Returned,
    };
    match store
        .set_reservation_state(id, next, reason, Utc::now())
        .await
    {
        Err(crate::storage::StoreError::Conflict(_)) => Err(ServiceError::Conflict(
            "the pool is taken over this period: refuse the request, or cancel another one".into(),
        )),
        other => Ok(other?),
    }
}
