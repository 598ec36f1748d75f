//! Shared equipment on the wire (FEP-0837, ValueFlows). A resource is a `Page` with
//! `purpose: offer` and a `publishes` Intent (`action: use`, the pool's quantity), its terms
//! in our namespace, and its busy periods (no borrower named) inline and at
//! `{id}/availability`. A reservation is an `Offer{Agreement{stipulates: Commitment}}` from
//! the borrowing association to the owner, answered by the owner's node alone:
//! `Accept{object: offer, result: Agreement}` or `Reject{content: reason}`; the requester
//! withdraws with `Undo{Offer}`, the owner cancels with `Delete{Agreement}`; pickup and return
//! travel as `Update{Agreement}`, and a borrower's online acceptance of the agreement as
//! `Accept{Agreement}`.

pub use super::resource_documents::{availability_collection, resource_document};
use super::{
    error::FedError,
    objects::{host_of, ApubActor},
    protocol::{
        id_of, is_resource_page, parse_object, ActivityIn, AgreementIn, ObjectRef, PageIn, SignedIn,
    },
};
use crate::{
    domain::{
        events::Outgoing,
        resource::{BusyPeriod, ReservationState, ResourceInput},
        DomainError,
    },
    service::{reservations, text::html_to_text},
    state::Context,
    storage::StoreError,
};
use activitypub_federation::traits::Object;
use serde_json::Value;
use url::Url;

/// Text as a person reads it (no markup).
fn text(v: &Option<String>) -> Option<String> {
    v.as_deref().map(html_to_text)
}

/// The resource described by another node's `Page`, checked by the same rules as ours.
fn draft_of(page: &PageIn) -> Result<crate::domain::resource::ResourceDraft, FedError> {
    let location = page.location.as_ref();
    let input = ResourceInput {
        name: text(&page.name),
        description: text(&page.description).or_else(|| text(&page.content)),
        category: text(&page.category),
        owner_kind: text(&page.owner_kind),
        place: location.and_then(|l| text(&l.name).or_else(|| text(&l.address))),
        latitude: location.and_then(|l| l.latitude),
        longitude: location.and_then(|l| l.longitude),
        quantity: page.publishes.as_ref().and_then(|i| i.resource_quantity),
        replacement_value: page.replacement_value.clone(),
        mode: text(&page.loan_mode),
        price_per_day: page.price_per_day.clone(),
        deposit: page.deposit.clone(),
        conditions: text(&page.conditions),
        insurance_required: page.insurance_required,
        min_notice_hours: page.min_notice_hours,
        max_days: page.max_days,
        turnaround_hours: page.turnaround_hours,
        approval: text(&page.approval),
        // Who may borrow is the owner's business, checked on its node.
        borrowers: None,
        borrower_list: None,
        agreement_template: page.agreement_template.clone(),
    };
    crate::domain::resource::ResourceDraft::parse(&input).map_err(|e| match e {
        DomainError::Invalid(f) => FedError::BadRequest(format!(
            "the resource cannot be read: {}",
            f.0.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        other => FedError::BadRequest(other.to_string()),
    })
}

fn busy_of(page: &PageIn) -> Vec<BusyPeriod> {
    page.availability
        .iter()
        .flat_map(|a| a.ordered_items.iter().take(2000))
        .filter_map(|i| {
            Some(BusyPeriod {
                start: i.has_beginning?,
                end: i.has_end?,
                quantity: i.resource_quantity?.max(0),
            })
        })
        .collect()
}

/// Whether a `Create`/`Update`'s object is a resource (a `Page` offering something).
pub fn is_resource(object: &Value) -> bool {
    is_resource_page(object)
}

/// Another node's association published or changed a resource: kept when someone here
/// follows it (or knew the resource already).
pub async fn received_page(ctx: &Context, page: &Value, actor: &ApubActor) -> Result<(), FedError> {
    store_page(ctx, page, actor, false).await
}

/// Checks and keeps another node's resource; `via_relay`: fetched from its origin after a
/// relay this node follows announced it (no follow of the owner needed).
async fn store_page(
    ctx: &Context,
    page: &Value,
    actor: &ApubActor,
    via_relay: bool,
) -> Result<(), FedError> {
    let raw = page;
    let page: PageIn = parse_object("Page", page)?;
    let id = (page.id.clone()).ok_or_else(|| FedError::BadRequest("the Page has no id".into()))?;
    if host_of(&id) != host_of(actor.id()) {
        return Err(FedError::Forbidden(
            "a resource comes from the server of its id".into(),
        ));
    }
    if page.attributed_to.as_ref().map(Url::as_str) != Some(actor.actor.ap_id.as_str()) {
        return Err(FedError::Forbidden(
            "only the association a resource is attributed to publishes it".into(),
        ));
    }
    if ctx.store.is_removed(id.as_str()).await? {
        tracing::debug!(%id, "resource removed by this node's administrators: not imported");
        return Ok(());
    }
    let known = ctx.store.find_resource_by_ap_id(id.as_str()).await?;
    if known.is_none() && !via_relay && !ctx.store.is_followed_locally(&actor.actor.ap_id).await? {
        tracing::debug!(%id, "resource from an actor nobody here follows: ignored");
        return Ok(());
    }
    let draft = draft_of(&page)?;
    let place = page.location.as_ref();
    let at = super::aggregator::gate::Whereabouts {
        postcode: place
            .and_then(|l| l.address.as_deref().or(l.name.as_deref()))
            .map(super::aggregator::gate::postcode_in)
            .unwrap_or_default(),
        latitude: place.and_then(|l| l.latitude),
        longitude: place.and_then(|l| l.longitude),
    };
    super::aggregator::gate::admit_page(ctx, id.as_str(), raw, at, actor).await?;
    let saved = match ctx
        .store
        .save_remote_resource(
            actor.actor.id,
            id.as_str(),
            &draft,
            &busy_of(&page),
            ctx.clock.now(),
        )
        .await
    {
        Err(StoreError::Conflict(_)) => Err(FedError::Forbidden(
            "this resource belongs to another actor".into(),
        )),
        other => other.map_err(FedError::from),
    }?;
    // The publisher's own `updated` (a later walk compares it), else when it was saved.
    let updated = raw
        .get("updated")
        .and_then(Value::as_str)
        .and_then(|u| chrono::DateTime::parse_from_rfc3339(u).ok())
        .map_or(saved.updated_at, |u| u.with_timezone(&chrono::Utc));
    let owner = &actor.actor.ap_id;
    super::aggregator::gate::taken(ctx, &id, owner, "resource", updated).await
}

/// A relay this node follows announced an object of its host that is not a mission: when it
/// is a resource, it is fetched from its origin (never trusted from the announce) and kept.
/// Returns whether it was one.
pub async fn announced(ctx: &Context, target: &Url) -> Result<bool, FedError> {
    let page: Value = match activitypub_federation::fetch::fetch_object_http(target, ctx).await {
        Ok(fetched) => fetched.object,
        Err(activitypub_federation::error::Error::ObjectDeleted(_)) => {
            if let Some(r) = ctx.store.find_resource_by_ap_id(target.as_str()).await? {
                ctx.store
                    .delete_remote_resource(r.actor_id, target.as_str(), ctx.clock.now())
                    .await?;
                return Ok(true);
            }
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    };
    take_announced(ctx, target, &page).await
}

/// A resource's `Page` read from its origin: kept when it is one.
async fn take_announced(ctx: &Context, target: &Url, page: &Value) -> Result<bool, FedError> {
    if !is_resource(page) || id_of(page).as_ref() != Some(target) {
        return Ok(false);
    }
    let read: PageIn = parse_object("Page", page)?;
    let Some(owner) = read.attributed_to else {
        return Err(FedError::BadRequest("the Page names no owner".into()));
    };
    if host_of(&owner) != host_of(target) {
        return Err(FedError::Forbidden(
            "a resource's owner is on the server of the resource".into(),
        ));
    }
    let actor = activitypub_federation::fetch::object_id::ObjectId::<ApubActor>::from(owner)
        .dereference(ctx)
        .await?;
    store_page(ctx, page, &actor, true).await?;
    Ok(true)
}

/// A walk of a source met a resource's `Page` on its own server's collection (fetched from
/// the origin, as [`announced`] would): checked and kept.
pub async fn walked(ctx: &Context, target: &Url, page: &Value) -> Result<bool, FedError> {
    take_announced(ctx, target, page).await
}

/// `Delete` of a resource of another node: forgotten (its reservations stay, for the records).
pub async fn received_delete(ctx: &Context, id: &Url, actor: &ApubActor) -> Result<bool, FedError> {
    match ctx.store.find_resource_by_ap_id(id.as_str()).await? {
        Some(r) if r.actor_id == actor.actor.id => {
            ctx.store
                .delete_remote_resource(actor.actor.id, id.as_str(), ctx.clock.now())
                .await?;
            Ok(true)
        }
        Some(_) => Err(FedError::Forbidden(
            "only the owner of a resource may delete it".into(),
        )),
        None => Ok(false),
    }
}

/// An `Offer{Agreement}` from another node's association: decided here, answered by the outbox
/// (a bad one is refused with a reason and records nothing).
pub async fn received_offer(
    ctx: &Context,
    activity: &Value,
    actor: &ApubActor,
) -> Result<(), FedError> {
    let offer_id = id_of(activity)
        .ok_or_else(|| FedError::BadRequest("the Offer has no id".into()))?
        .to_string();
    let agreement = AgreementIn::from_object(activity.get("object").unwrap_or(&Value::Null))?;
    let commitment = agreement.stipulates.first().cloned().unwrap_or_default();
    let Some(resource_ap_id) = commitment.resource() else {
        return Err(FedError::BadRequest(
            "the Agreement stipulates no Commitment naming the resource (satisfies)".into(),
        ));
    };
    let offer = reservations::ReceivedOffer {
        offer_id: offer_id.clone(),
        resource_ap_id: resource_ap_id.clone(),
        quantity: commitment.resource_quantity,
        start: commitment.has_beginning,
        end: commitment.has_end,
    };
    match reservations::received_offer(
        ctx.store.as_ref(),
        &ctx.config,
        &actor.actor,
        offer,
        ctx.clock.now(),
    )
    .await?
    {
        reservations::Received::Recorded(outcome) => {
            tracing::info!(
                reservation = outcome.reservation().id,
                state = outcome.reservation().state.as_str(),
                "reservation request from another server"
            );
        }
        reservations::Received::Refused(reason) => {
            tracing::info!(%reason, "reservation request from another server refused on arrival");
            // The owner signs when it is ours; else the node's relay.
            let signer = match ctx.store.find_resource_by_ap_id(&resource_ap_id).await? {
                Some(r) if ctx.store.get_actor(r.actor_id).await?.local => Some(r.actor_id),
                _ => None,
            };
            ctx.store
                .queue_event(
                    Outgoing::OfferRefusedOnArrival {
                        signer_actor_id: signer,
                        borrower_ap_id: actor.actor.ap_id.clone(),
                        offer_id,
                        reason,
                    },
                    ctx.clock.now(),
                )
                .await?;
        }
    }
    ctx.wake.notify_waiters();
    Ok(())
}

/// What an activity's object says a reservation is: an offer id, or an agreement id.
pub enum Known {
    Offer(String),
    Agreement(String),
}

/// Whether an answer, an `Undo`, a `Delete` or an `Update` is about a reservation.
pub async fn known_reservation(
    ctx: &Context,
    object: &ObjectRef,
) -> Result<Option<Known>, FedError> {
    let Some(id) = &object.id else {
        return Ok(None);
    };
    match object.kind.as_deref() {
        Some("Offer") => return Ok(Some(Known::Offer(id.to_string()))),
        Some("Agreement") => return Ok(Some(Known::Agreement(id.to_string()))),
        Some(t) if t != "Tombstone" => return Ok(None),
        _ => {}
    }
    if ctx
        .store
        .find_reservation_by_offer(id.as_str())
        .await?
        .is_some()
    {
        return Ok(Some(Known::Offer(id.to_string())));
    }
    if ctx
        .store
        .find_reservation_by_agreement(id.as_str())
        .await?
        .is_some()
    {
        return Ok(Some(Known::Agreement(id.to_string())));
    }
    Ok(None)
}

/// Records the signature a party's Agreement carries for its own side.
async fn signatures_in(
    ctx: &Context,
    agreement: &AgreementIn,
    actor: &ApubActor,
    owner_side: bool,
) -> Result<(), FedError> {
    let signed = if owner_side {
        &agreement.owner_signed
    } else {
        &agreement.borrower_signed
    };
    if let (Some(id), Some(SignedIn { by, at })) = (&agreement.id, signed) {
        reservations::received_signature(
            ctx.store.as_ref(),
            &actor.actor,
            id.as_str(),
            by,
            *at,
            ctx.clock.now(),
        )
        .await?;
    }
    Ok(())
}

/// `Accept` or `Reject` about a reservation: the owner answering our `Offer`, or the borrower
/// accepting the agreement.
pub async fn answered(
    ctx: &Context,
    activity: &Value,
    known: Known,
    actor: &ApubActor,
    accepted: bool,
) -> Result<(), FedError> {
    let answer: ActivityIn = parse_object(if accepted { "Accept" } else { "Reject" }, activity)?;
    match known {
        Known::Offer(offer_id) => {
            let result = answer.result.clone().unwrap_or_default();
            let agreement_id = result.id.as_ref().map(Url::to_string);
            let reason = answer.reason().map(html_to_text).unwrap_or_default();
            let done = reservations::received_answer(
                ctx.store.as_ref(),
                &actor.actor,
                &offer_id,
                accepted,
                agreement_id,
                &reason,
                ctx.clock.now(),
            )
            .await?;
            if done.is_some() && accepted {
                signatures_in(ctx, &result, actor, true).await?;
            }
        }
        Known::Agreement(_) if accepted => {
            let agreement =
                AgreementIn::from_object(activity.get("object").unwrap_or(&Value::Null))?;
            signatures_in(ctx, &agreement, actor, false).await?;
        }
        Known::Agreement(_) => {}
    }
    ctx.wake.notify_waiters();
    Ok(())
}

/// `Undo{Offer}`: the borrower withdraws; `Delete{Agreement}`: the owner cancels.
pub async fn withdrawn(
    ctx: &Context,
    activity: &Value,
    known: Known,
    actor: &ApubActor,
) -> Result<(), FedError> {
    let said: ActivityIn = parse_object("activity", activity)?;
    let reason = (said.content.as_deref().map(html_to_text))
        .unwrap_or_else(|| "cancelled by the owner".into());
    match known {
        Known::Offer(offer_id) => {
            reservations::received_withdrawal(
                ctx.store.as_ref(),
                &actor.actor,
                &offer_id,
                ctx.clock.now(),
            )
            .await?;
        }
        Known::Agreement(agreement_id) => {
            reservations::received_cancellation(
                ctx.store.as_ref(),
                &actor.actor,
                &agreement_id,
                &reason,
                ctx.clock.now(),
            )
            .await?;
        }
    }
    ctx.wake.notify_waiters();
    Ok(())
}

/// `Update{Agreement}` from the owner: the equipment was handed over or brought back.
pub async fn agreement_updated(
    ctx: &Context,
    agreement: &Value,
    actor: &ApubActor,
) -> Result<(), FedError> {
    let agreement: AgreementIn = parse_object("Agreement", agreement)?;
    let Some(id) = &agreement.id else {
        return Err(FedError::BadRequest(
            "the updated Agreement has no id (an http or https URL)".into(),
        ));
    };
    let state = agreement.state.as_deref().and_then(ReservationState::parse);
    if let Some(state @ (ReservationState::PickedUp | ReservationState::Returned)) = state {
        let notes = if state == ReservationState::PickedUp {
            &agreement.pickup_notes
        } else {
            &agreement.return_notes
        };
        reservations::received_progress(
            ctx.store.as_ref(),
            &actor.actor,
            id.as_str(),
            state,
            text(notes),
            ctx.clock.now(),
        )
        .await?;
    }
    signatures_in(ctx, &agreement, actor, true).await
}
