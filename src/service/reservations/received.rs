//! What arrives from the other party's server about a reservation: a request from another
//! node (`Offer{Agreement}`), decided here, and the answers, cancellations, withdrawals,
//! signatures and progress the other side records.

use super::*;
use crate::domain::reservation::NodeReason;
use crate::domain::Denial;
/// A request from another node (`Offer{Agreement}`), decided here.
pub struct ReceivedOffer {
    pub offer_id: String,
    pub resource_ap_id: String,
    pub quantity: Option<i64>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

/// What became of a request from another node.
#[derive(Debug)]
pub enum Received {
    /// Recorded (and answered by the outbox), or recorded before.
    Recorded(Box<ReserveOutcome>),
    /// Not recorded: the reason goes back in a `Reject`.
    Refused(String),
}

/// Another node's association asks for one of our resources. Bad requests are refused with a
/// reason and record nothing; good ones are decided in one transaction.
pub async fn received_offer(
    store: &dyn Store,
    config: &Config,
    borrower: &Actor,
    offer: ReceivedOffer,
    now: DateTime<Utc>,
) -> Result<Received> {
    if let Some(known) = store.find_reservation_by_offer(&offer.offer_id).await? {
        return Ok(Received::Recorded(Box::new(ReserveOutcome::Existing(
            known,
        ))));
    }
    let resource = match store.find_resource_by_ap_id(&offer.resource_ap_id).await? {
        Some(r) if r.deleted_at.is_none() => r,
        _ => {
            return Ok(Received::Refused(
                NodeReason::NotLentHere.stored(&offer.resource_ap_id),
            ))
        }
    };
    let owner = store.get_actor(resource.actor_id).await?;
    if !owner.local {
        return Ok(Received::Refused(
            NodeReason::OwnedElsewhere.stored(&offer.resource_ap_id),
        ));
    }
    if !may_borrow(store, config, &resource, borrower).await? {
        return Ok(Received::Refused(NodeReason::NotForYou.stored("")));
    }
    let mut errors = FieldErrors::new();
    let Some(period) = checked_period(
        &resource,
        offer.quantity,
        offer.start,
        offer.end,
        &mut errors,
        now,
    ) else {
        let reason = errors
            .0
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; ");
        return Ok(Received::Refused(reason));
    };
    let outcome = store
        .reserve(
            new_reservation(config, &resource, offer.offer_id, borrower, &period),
            now,
        )
        .await?;
    Ok(Received::Recorded(Box::new(outcome)))
}

/// Our request to another node's resource, when `actor` owns that resource.
async fn ours_to<S: ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    actor: &Actor,
    offer_id: &str,
) -> Result<Option<Reservation>> {
    let Some(r) = store.find_reservation_by_offer(offer_id).await? else {
        return Ok(None);
    };
    let resource = store.get_resource(r.resource_id).await?;
    if resource.actor_id != actor.id {
        return Err(ServiceError::Forbidden(Denial::new("owner_answers")));
    }
    Ok(Some(r))
}

/// A move the other party's server made, recorded as it comes (the pool is the owner's
/// business): `by_owner` tells who made it.
fn told(by_owner: bool) -> ReservationMove {
    ReservationMove {
        to: ReservationState::Cancelled,
        from: Vec::new(),
        reason: String::new(),
        notes: None,
        agreement_id: None,
        by_owner,
        check_pool: false,
    }
}

/// Records a move from the other side; false when the reservation had moved on meanwhile.
async fn from_afar<S: ReservationStore + ?Sized>(
    store: &S,
    id: i64,
    step: ReservationMove,
    now: DateTime<Utc>,
) -> Result<bool> {
    match store.move_reservation(id, &step, now).await {
        Err(StoreError::Conflict(_)) => Ok(false),
        other => other.map(|_| true).map_err(Into::into),
    }
}

/// The owner's node answered our request (`Accept{result: Agreement}` or `Reject`).
pub async fn received_answer<S: ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    owner: &Actor,
    offer_id: &str,
    accepted: bool,
    agreement_id: Option<String>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Option<Reservation>> {
    let Some(r) = ours_to(store, owner, offer_id).await? else {
        return Ok(None);
    };
    let to = if accepted {
        ReservationState::Accepted
    } else {
        ReservationState::Refused
    };
    if r.state == to {
        return Ok(Some(r));
    }
    if let Some(id) = &agreement_id {
        // The agreement is the owner's, on its server, and names this reservation only.
        let taken = store
            .find_reservation_by_agreement(id)
            .await?
            .is_some_and(|other| other.id != r.id);
        if taken || !crate::domain::reservation::agreement_on_owner_host(id, &owner.host) {
            return Err(ServiceError::Forbidden(Denial::new("agreement_not_owners")));
        }
    }
    let step = ReservationMove {
        to,
        from: vec![ReservationState::Requested],
        reason: reason.chars().take(MAX_NOTE).collect(),
        notes: None,
        agreement_id,
        by_owner: true,
        check_pool: false,
    };
    match store.move_reservation(r.id, &step, now).await {
        Err(StoreError::Conflict(_)) => Ok(Some(r)), // withdrawn meanwhile: the Undo is on its way
        other => Ok(Some(other?)),
    }
}

/// The owner's node cancelled the agreement (`Delete{Agreement}`).
pub async fn received_cancellation<S: ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    owner: &Actor,
    agreement_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(r) = store.find_reservation_by_agreement(agreement_id).await? else {
        return unknown_agreement(store, owner).await;
    };
    if ours_to(store, owner, &r.offer_id).await?.is_none() {
        return Ok(false);
    }
    let step = ReservationMove {
        to: ReservationState::Cancelled,
        from: vec![ReservationState::Requested, ReservationState::Accepted],
        reason: reason.chars().take(MAX_NOTE).collect(),
        notes: None,
        agreement_id: None,
        ..told(true)
    };
    from_afar(store, r.id, step, now).await
}

/// What an activity about an agreement we do not know yet gets. Deliveries are not ordered:
/// the owner's `Accept`, which names the agreement, may still be on its way. While one of our
/// requests to this owner awaits its answer, the sender is asked to try again (its queue
/// retries a 503); with none, there is nothing of ours it could be about.
async fn unknown_agreement<S: ReservationStore + ?Sized>(store: &S, owner: &Actor) -> Result<bool> {
    let waiting = store
        .list_actor_reservations(owner.id)
        .await?
        .iter()
        .any(|r| r.state == ReservationState::Requested && r.agreement_id.is_none());
    if waiting {
        Err(ServiceError::NotYet(Denial::new("answer_not_arrived")))
    } else {
        Ok(false)
    }
}

/// The borrowing association of another node withdrew its request (`Undo{Offer}`).
pub async fn received_withdrawal(
    store: &dyn ReservationStore,
    borrower: &Actor,
    offer_id: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(r) = store.find_reservation_by_offer(offer_id).await? else {
        return Ok(false);
    };
    if r.borrower_actor_id != Some(borrower.id) {
        return Err(ServiceError::Forbidden(Denial::new("asker_withdraws")));
    }
    let step = ReservationMove {
        to: ReservationState::Cancelled,
        from: vec![ReservationState::Requested, ReservationState::Accepted],
        reason: NodeReason::WithdrawnByBorrower.stored(""),
        notes: None,
        agreement_id: None,
        ..told(false)
    };
    from_afar(store, r.id, step, now).await
}

/// The other party accepted the lending agreement online.
pub async fn received_signature<S: ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    party: &Actor,
    agreement_id: &str,
    by: &str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(r) = store.find_reservation_by_agreement(agreement_id).await? else {
        // From the owner, about an agreement whose `Accept` has not arrived: later.
        return unknown_agreement(store, party).await;
    };
    let resource = store.get_resource(r.resource_id).await?;
    let owner_side = if resource.actor_id == party.id {
        true
    } else if r.borrower_actor_id == Some(party.id) {
        false
    } else {
        return Err(ServiceError::Forbidden(Denial::new("agreement_party_only")));
    };
    let by: String = crate::service::text::html_to_text(by)
        .chars()
        .take(200)
        .collect();
    let at = at.min(now);
    store
        .sign_agreement(r.id, owner_side, &by, at, false)
        .await?;
    Ok(true)
}

/// The owner's node handed the equipment over or took it back (`Update{Agreement}`).
pub async fn received_progress<S: ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    owner: &Actor,
    agreement_id: &str,
    state: ReservationState,
    notes: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(r) = store.find_reservation_by_agreement(agreement_id).await? else {
        return unknown_agreement(store, owner).await;
    };
    if ours_to(store, owner, &r.offer_id).await?.is_none() || r.state == state {
        return Ok(false);
    }
    let from = match state {
        ReservationState::PickedUp => vec![ReservationState::Accepted],
        _ => vec![ReservationState::Accepted, ReservationState::PickedUp],
    };
    let step = ReservationMove {
        to: state,
        from,
        reason: r.reason.clone(),
        notes: notes.map(|n| n.chars().take(MAX_NOTE).collect()),
        agreement_id: None,
        by_owner: true,
        check_pool: false,
    };
    from_afar(store, r.id, step, now).await
}
