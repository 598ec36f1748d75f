//! Reservations of shared equipment (issue 4). A coordinator asks, for their association, for
//! a quantity over a period. When the resource is this node's, the node decides at once in one
//! transaction (`ReservationStore::reserve`, which asks `domain::reservation`); when it is
//! another node's, this node keeps the request and sends an `Offer{Agreement}` there, and the
//! owner's node answers. The functions named `received_*` are what arrives from the other side.

use super::{
    hours::is_coordinator, missions::association, resources::offered, Result, ServiceError,
};
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::Actor,
        reservation,
        resource::{Approval, Borrowers, Period, Reservation, ReservationState, Resource},
        DomainError, FieldError, FieldErrors,
    },
    storage::{
        ActorStore, FollowStore, NewReservation, ReservationMove, ReservationStore, ResourceStore,
        Store, StoreError,
    },
};

/// What a request came to: a new reservation, or the one the same offer already made.
pub use crate::storage::ReserveOutcome;
use chrono::{DateTime, Utc};

mod lists;
mod received;

pub use lists::{
    coordinated, csv, csv_stream, described, ending_since, listed, of_association, of_resource,
    on_page, page_of_association, Described, CSV_CHUNK, CSV_HEADER, PAGE_PAST, PAGE_RECENT_DAYS,
};

pub use received::{
    received_answer, received_cancellation, received_offer, received_progress, received_signature,
    received_withdrawal, Received, ReceivedOffer,
};

/// What a borrower sends.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
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

/// A new agreement id on this node.
fn agreement_id(config: &Config) -> String {
    format!("{}/agreements/{}", config.base(), uuid::Uuid::new_v4())
}

/// A request for `period` of `resource` by `borrower`, under a new agreement id: accepted at
/// once when the resource's terms say so.
fn new_reservation(
    config: &Config,
    resource: &Resource,
    offer_id: String,
    borrower: &Actor,
    period: &Period,
) -> NewReservation {
    NewReservation {
        resource_id: resource.id,
        offer_id,
        borrower_actor_id: Some(borrower.id),
        quantity: period.quantity,
        start: period.start,
        end: period.end,
        automatic: resource.draft.approval == Approval::Automatic,
        agreement_id: Some(agreement_id(config)),
    }
}

/// Whether `borrower` may ask for `resource` (who may borrow, decided by
/// `domain::reservation::may_borrow`); whether it is followed is read only when the terms ask.
pub async fn may_borrow(
    store: &dyn FollowStore,
    config: &Config,
    resource: &Resource,
    borrower: &Actor,
) -> Result<bool> {
    let host = if borrower.local {
        config.domain()
    } else {
        borrower.host.clone()
    };
    let address = format!("{}@{}", borrower.name, host).to_lowercase();
    let followed = resource.draft.borrowers == Borrowers::Followed
        && !borrower.local
        && store.is_followed_locally(&borrower.ap_id).await?;
    let who = reservation::Borrower {
        local: borrower.local,
        address: &address,
        followed,
    };
    Ok(reservation::may_borrow(&resource.draft, &who))
}

/// The period asked, checked against the resource's terms; its refusals are added to `errors`.
fn checked_period(
    resource: &Resource,
    quantity: Option<i64>,
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    errors: &mut FieldErrors,
    now: DateTime<Utc>,
) -> Option<Period> {
    let (Some(start), Some(end)) = (start, end) else {
        if start.is_none() {
            errors.add(
                "start",
                FieldError::new("date_time_required").text("example", "2031-06-14T09:00:00+02:00"),
            );
        }
        if end.is_none() {
            errors.add(
                "end",
                FieldError::new("date_time_required").text("example", "2031-06-14T18:00:00+02:00"),
            );
        }
        return None;
    };
    match Period::check(&resource.draft, quantity.unwrap_or(1), start, end, now) {
        Ok(p) => Some(p),
        Err(DomainError::Invalid(more)) => {
            for (k, v) in more.0 {
                errors.add(&k, v);
            }
            None
        }
        Err(_) => None,
    }
}

/// A coordinator asks, for an association of this node, for a quantity over a period. For
/// this node's resources the answer comes at once (accepted when automatic and the pool
/// allows, refused when it does not, else requested); for another node's the request waits
/// for that node's answer.
pub async fn request(
    store: &dyn Store,
    config: &Config,
    user: &User,
    resource_id: i64,
    input: ReservationInput,
    now: DateTime<Utc>,
) -> Result<(ReserveOutcome, Resource)> {
    let (resource, owner) = offered(store, resource_id).await?;
    let mut errors = FieldErrors::new();
    let borrower = match input.borrower.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add("borrower", FieldError::new("borrower_required"));
            None
        }
        Some(name) => match association(store, name).await {
            Ok(a) if is_coordinator(store, user, &a).await? => Some(a),
            Ok(_) => {
                return Err(ServiceError::Forbidden(Denial::new(
                    "borrower_coordinators_ask",
                )))
            }
            Err(ServiceError::NotFound(_)) => {
                errors.add("borrower", FieldError::new("no_such_association"));
                None
            }
            Err(e) => return Err(e),
        },
    };
    if let Some(b) = &borrower {
        if b.id == owner.id {
            errors.add("borrower", FieldError::new("own_equipment"));
        } else if !may_borrow(store, config, &resource, b).await? {
            errors.add("borrower", FieldError::new("others_only"));
        }
    }
    let period = checked_period(
        &resource,
        input.quantity,
        input.start,
        input.end,
        &mut errors,
        now,
    );
    let offer_id = match input.offer_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() && id.chars().count() <= 200 => {
            let key: String = id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            format!("{}/offers/local/{key}", config.base())
        }
        Some(_) => {
            errors.add(
                "offer_id",
                FieldError::new("chars_range").num("min", 1).num("max", 200),
            );
            String::new()
        }
        None => format!("{}/offers/{}", config.base(), uuid::Uuid::new_v4()),
    };
    let (Some(borrower), Some(period)) = errors.into_result((borrower, period))? else {
        return Err(ServiceError::Internal("no request without errors".into()));
    };
    let request = new_reservation(config, &resource, offer_id, &borrower, &period);
    let outcome = if owner.local {
        store.reserve(request, now).await?
    } else {
        store.record_offer(request, now).await?
    };
    Ok((outcome, resource))
}

/// The two parties of a reservation, and whether the user coordinates each.
pub struct Parties {
    pub reservation: Reservation,
    pub resource: Resource,
    pub owner: Actor,
    pub borrower: Option<Actor>,
    pub is_owner: bool,
    pub is_borrower: bool,
}

/// A reservation and its parties, for one of them (someone else gets "not found").
pub async fn parties<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<Parties> {
    let reservation = store.get_reservation(id).await?;
    let (resource, owner) = super::resources::get(store, reservation.resource_id).await?;
    let is_owner = owner.local && is_coordinator(store, user, &owner).await?;
    let borrower = match reservation.borrower_actor_id {
        Some(b) => Some(store.get_actor(b).await?),
        None => None,
    };
    let is_borrower = match &borrower {
        Some(b) if b.local => is_coordinator(store, user, b).await?,
        _ => false,
    };
    if !is_owner && !is_borrower {
        return Err(ServiceError::NotFound("reservation"));
    }
    Ok(Parties {
        reservation,
        resource,
        owner,
        borrower,
        is_owner,
        is_borrower,
    })
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

const MAX_NOTE: usize = 2000;

/// Moves a reservation on: the owner accepts or refuses a request (with a reason), hands the
/// equipment over and takes it back (with condition notes); either party cancels before the
/// pickup. Only the owner's node moves another node's request on; the borrower's node only
/// withdraws it.
pub async fn move_on<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    id: i64,
    step: Move,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Reservation> {
    use ReservationState::*;
    let p = parties(store, user, id).await?;
    let r = &p.reservation;
    let (from, allowed) = match step {
        Move::Accept | Move::Refuse => (vec![Requested], p.is_owner),
        Move::Cancel => (vec![Requested, Accepted], p.is_owner || p.is_borrower),
        Move::PickUp => (vec![Accepted], p.is_owner),
        Move::Return => (vec![PickedUp], p.is_owner),
    };
    if !allowed {
        return Err(ServiceError::Forbidden(Denial::new(if p.owner.local {
            "owner_coordinators_only"
        } else {
            "owner_server_decides"
        })));
    }
    if !from.contains(&r.state) {
        return Err(ServiceError::Conflict(
            Denial::new("reservation_state").text("state", r.state.as_str()),
        ));
    }
    let text = text.trim();
    if step == Move::Refuse && text.is_empty() {
        return Err(
            DomainError::field("reason", FieldError::new("refusal_reason_required")).into(),
        );
    }
    if text.chars().count() > MAX_NOTE {
        return Err(DomainError::field(
            "reason",
            FieldError::new("at_most_chars").num("max", MAX_NOTE),
        )
        .into());
    }
    let to = match step {
        Move::Accept => Accepted,
        Move::Refuse => Refused,
        Move::Cancel => Cancelled,
        Move::PickUp => PickedUp,
        Move::Return => Returned,
    };
    let (reason, notes) = match step {
        Move::PickUp | Move::Return => (r.reason.clone(), Some(text.to_string())),
        _ => (text.to_string(), None),
    };
    let by_owner = p.is_owner;
    let step = ReservationMove {
        to,
        from,
        reason,
        notes,
        agreement_id: (to == Accepted).then(|| agreement_id(config)),
        by_owner,
        check_pool: true,
    };
    match store.move_reservation(id, &step, now).await {
        Err(StoreError::Conflict("free quantity for this period")) => {
            Err(ServiceError::Conflict(Denial::new("pool_taken")))
        }
        Err(StoreError::Conflict(_)) => {
            Err(ServiceError::Conflict(Denial::new("reservation_moved")))
        }
        other => Ok(other?),
    }
}

/// What comes with an action on a reservation, from a form or a JSON body: a reason (refusal,
/// cancellation), condition notes (pickup, return), the side that signs.
#[derive(Debug, Default)]
pub struct Action {
    pub reason: String,
    pub notes: String,
    pub side: Option<String>,
}

/// An action named in a path (`accept`, `refuse`, `cancel`, `pickup`, `return`, `sign`), done by
/// `move_on` or `sign`; `NotFound("action")` for any other name.
pub async fn act<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    id: i64,
    name: &str,
    action: Action,
    now: DateTime<Utc>,
) -> Result<Reservation> {
    let step = match name {
        "sign" => return sign(store, user, id, action.side.as_deref(), now).await,
        "accept" => Move::Accept,
        "refuse" => Move::Refuse,
        "cancel" => Move::Cancel,
        "pickup" => Move::PickUp,
        "return" => Move::Return,
        _ => return Err(ServiceError::NotFound("action")),
    };
    let text = if action.notes.is_empty() {
        action.reason
    } else {
        action.notes
    };
    move_on(store, config, user, id, step, &text, now).await
}

/// A party accepts the lending agreement online: who (the person and the association) and
/// when are recorded once and printed on the agreement.
pub async fn sign<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
    side: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Reservation> {
    let p = parties(store, user, id).await?;
    if !matches!(
        p.reservation.state,
        ReservationState::Accepted | ReservationState::PickedUp | ReservationState::Returned
    ) {
        return Err(ServiceError::Conflict(Denial::new(
            "agreement_after_accept",
        )));
    }
    let owner_side = match (side, p.is_owner, p.is_borrower) {
        (Some("owner"), true, _) => true,
        (Some("borrower"), _, true) => false,
        (Some("owner" | "borrower"), _, _) => {
            return Err(ServiceError::Forbidden(Denial::new("other_party")))
        }
        (Some(_), _, _) => return Err(DomainError::field("side", FieldError::new("side")).into()),
        (None, true, false) => true,
        (None, false, true) => false,
        (None, _, _) => {
            return Err(DomainError::field("side", FieldError::new("side_required")).into())
        }
    };
    let association = if owner_side {
        p.owner.label().to_string()
    } else {
        p.borrower
            .as_ref()
            .map(|b| b.label().to_string())
            .unwrap_or_default()
    };
    let by = format!("{} ({association})", user.shown_name());
    let other_remote = if owner_side {
        p.borrower.as_ref().is_some_and(|b| !b.local)
    } else {
        !p.owner.local
    };
    Ok(store
        .sign_agreement(id, owner_side, &by, now, other_remote)
        .await?)
}
