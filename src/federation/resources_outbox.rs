//! What the events of shared equipment mean on the wire (see [`super::resources`]): a resource
//! published, changed or removed goes to its owner's followers (and the relay's); a
//! reservation's move goes to the other party when it is on another node.

use super::{
    error::FedError,
    outbox::{self, activity_id, relay, wire, Send},
    protocol::{Activity, ActivityType, Agreement, Reference, Tombstone},
    resource_documents::{agreement, offer, resource_document, signed},
};
use crate::{
    domain::{events::Outgoing, resource::ReservationState},
    state::Context,
    storage::StoreError,
};

pub(super) async fn plan(ctx: &Context, event: &Outgoing) -> Result<Vec<Send>, FedError> {
    match event {
        Outgoing::ResourcePublished { resource_id } => {
            published(ctx, *resource_id, ActivityType::Create).await
        }
        Outgoing::ResourceUpdated { resource_id } => {
            published(ctx, *resource_id, ActivityType::Update).await
        }
        Outgoing::ResourceDeleted { resource_id } => deleted(ctx, *resource_id).await,
        Outgoing::ReservationChanged {
            reservation_id,
            by_owner,
            ..
        } => reservation_changed(ctx, *reservation_id, *by_owner).await,
        Outgoing::OfferRefusedOnArrival {
            signer_actor_id,
            borrower_ap_id,
            offer_id,
            reason,
        } => {
            let signer = match signer_actor_id {
                Some(id) => ctx.store.get_actor(*id).await?,
                None => relay(ctx).await?,
            };
            let Some(target) = ctx.store.find_actor_by_ap_id(borrower_ap_id).await? else {
                return Ok(Vec::new());
            };
            let offer = Reference::new(offer_id, "Offer");
            outbox::refusal(ctx, signer, borrower_ap_id, &target.inbox, offer, reason)
        }
        _ => Ok(Vec::new()),
    }
}

/// `Create` or `Update` of a resource's `Page` to its owner's followers, and the relay's
/// `Announce` to the nodes that follow this one.
async fn published(
    ctx: &Context,
    resource_id: i64,
    kind: ActivityType,
) -> Result<Vec<Send>, FedError> {
    let r = ctx.store.get_resource(resource_id).await?;
    let owner = ctx.store.get_actor(r.actor_id).await?;
    if r.deleted_at.is_some() || !owner.local {
        return Ok(Vec::new());
    }
    let object = resource_document(ctx, &r).await?;
    outbox::published(ctx, owner, kind, object, r.ap_id).await
}

async fn deleted(ctx: &Context, resource_id: i64) -> Result<Vec<Send>, FedError> {
    let r = ctx.store.get_resource(resource_id).await?;
    let owner = ctx.store.get_actor(r.actor_id).await?;
    if !owner.local {
        return Ok(Vec::new());
    }
    outbox::deleted(ctx, owner, Tombstone::new(&r.ap_id, "Page")).await
}

/// A reservation moved: the other party hears of it when it is on another node, and the
/// owner's followers see the resource's new busy periods when the pool changed.
async fn reservation_changed(
    ctx: &Context,
    id: i64,
    by_owner: bool,
) -> Result<Vec<Send>, FedError> {
    use ReservationState::*;
    let r = match ctx.store.get_reservation(id).await {
        Ok(r) => r,
        Err(StoreError::NotFound(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let resource = ctx.store.get_resource(r.resource_id).await?;
    let owner = ctx.store.get_actor(resource.actor_id).await?;
    let Some(borrower_id) = r.borrower_actor_id else {
        return Ok(Vec::new());
    };
    let borrower = ctx.store.get_actor(borrower_id).await?;
    let mut out = Vec::new();
    if owner.local && !borrower.local && by_owner {
        let agreement = agreement(&r, &resource, &owner, &borrower);
        let offer_ref = || Reference::new(&r.offer_id, "Offer");
        let to = vec![borrower.ap_id.clone()];
        let new = |kind| activity_id(ctx, kind);
        let activity = match r.state {
            Requested => None,
            Accepted => Some(wire(&Activity {
                result: Some(Box::new(agreement)),
                ..Activity::new(
                    new(ActivityType::Accept),
                    ActivityType::Accept,
                    &owner.ap_id,
                    to,
                    offer_ref(),
                )
            })?),
            Cancelled if r.agreement_id.is_some() => Some(wire(
                &Activity::new(
                    new(ActivityType::Delete),
                    ActivityType::Delete,
                    &owner.ap_id,
                    to,
                    agreement,
                )
                .with_reason(&r.reason),
            )?),
            Refused | Cancelled => Some(wire(
                &Activity::new(
                    new(ActivityType::Reject),
                    ActivityType::Reject,
                    &owner.ap_id,
                    to,
                    offer_ref(),
                )
                .with_reason(&r.reason),
            )?),
            PickedUp | Returned => Some(wire(&Activity::new(
                new(ActivityType::Update),
                ActivityType::Update,
                &owner.ap_id,
                to,
                agreement,
            ))?),
        };
        if let Some(activity) = activity {
            out.push(Send {
                signer: owner.clone(),
                activity,
                inboxes: [borrower.inbox.clone()].into(),
            });
        }
    }
    if !owner.local && borrower.local && !by_owner {
        let to = vec![owner.ap_id.clone()];
        let activity = match r.state {
            Requested => Some(wire(&offer(&r, &resource, &owner, &borrower))?),
            Cancelled => Some(wire(&Activity::new(
                activity_id(ctx, ActivityType::Undo),
                ActivityType::Undo,
                &borrower.ap_id,
                to,
                Reference::activity(&r.offer_id, "Offer", &borrower.ap_id, None),
            ))?),
            // The borrower accepted the agreement online.
            Accepted | PickedUp | Returned if r.agreement_id.is_some() => {
                let agreement = Agreement {
                    borrower_signed: r.borrower_signed.as_ref().map(signed),
                    ..Agreement::named(r.agreement_id.clone())
                };
                Some(wire(&Activity::new(
                    activity_id(ctx, ActivityType::Accept),
                    ActivityType::Accept,
                    &borrower.ap_id,
                    to,
                    agreement,
                ))?)
            }
            _ => None,
        };
        if let Some(activity) = activity {
            out.push(Send {
                signer: borrower.clone(),
                activity,
                inboxes: [owner.inbox.clone()].into(),
            });
        }
    }
    // The pool changed: followers see the new busy periods.
    let pool_changed = if by_owner {
        matches!(r.state, Accepted | Cancelled | Returned)
    } else {
        r.state == Cancelled
    };
    if owner.local && pool_changed {
        out.extend(published(ctx, resource.id, ActivityType::Update).await?);
    }
    Ok(out)
}
