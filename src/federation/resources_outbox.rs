//! What the events of shared equipment mean on the wire (see [`super::resources`]): a resource
//! published, changed or removed goes to its owner's followers (and the relay's); a
//! reservation's move goes to the other party when it is on another node.

use super::{
    error::FedError,
    outbox::{activity_id, relay, with_relay, Send},
    protocol::PUBLIC,
    resources::{agreement_json, offer_json, resource_document},
};
use crate::{
    domain::{events::Outgoing, resource::ReservationState},
    state::Context,
    storage::StoreError,
};
use serde_json::json;
use std::collections::BTreeSet;

pub(super) async fn plan(ctx: &Context, event: &Outgoing) -> Result<Vec<Send>, FedError> {
    match event {
        Outgoing::ResourcePublished { resource_id } => published(ctx, *resource_id, "Create").await,
        Outgoing::ResourceUpdated { resource_id } => published(ctx, *resource_id, "Update").await,
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
            Ok(vec![Send {
                activity: json!({
                    "id": activity_id(ctx, "reject"),
                    "type": "Reject",
                    "actor": signer.ap_id,
                    "to": [borrower_ap_id],
                    "object": {"id": offer_id, "type": "Offer"},
                    "content": reason,
                }),
                signer,
                inboxes: BTreeSet::from([target.inbox.clone()]),
            }])
        }
        _ => Ok(Vec::new()),
    }
}

/// `Create` or `Update` of a resource's `Page` to its owner's followers, and the relay's
/// `Announce` to the nodes that follow this one.
async fn published(ctx: &Context, resource_id: i64, kind: &str) -> Result<Vec<Send>, FedError> {
    let r = ctx.store.get_resource(resource_id).await?;
    let owner = ctx.store.get_actor(r.actor_id).await?;
    if r.deleted_at.is_some() || !owner.local {
        return Ok(Vec::new());
    }
    let object = resource_document(ctx, &r).await?;
    let activity = json!({
        "id": activity_id(ctx, &kind.to_lowercase()),
        "type": kind,
        "actor": owner.ap_id,
        "published": ctx.clock.now().to_rfc3339(),
        "to": [PUBLIC],
        "cc": [format!("{}/followers", owner.ap_id)],
        "object": object,
    });
    with_relay(ctx, owner, activity, json!(r.ap_id)).await
}

async fn deleted(ctx: &Context, resource_id: i64) -> Result<Vec<Send>, FedError> {
    let r = ctx.store.get_resource(resource_id).await?;
    let owner = ctx.store.get_actor(r.actor_id).await?;
    if !owner.local {
        return Ok(Vec::new());
    }
    let delete = json!({
        "id": activity_id(ctx, "delete"),
        "type": "Delete",
        "actor": owner.ap_id,
        "to": [PUBLIC],
        "cc": [format!("{}/followers", owner.ap_id)],
        "object": {"id": r.ap_id, "type": "Tombstone", "formerType": "Page"},
    });
    let announced = delete.clone();
    with_relay(ctx, owner, delete, announced).await
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
        let agreement = agreement_json(&r, &resource, &owner, &borrower);
        let (kind, object, content) = match r.state {
            Requested => ("", json!(null), String::new()),
            Accepted => (
                "Accept",
                json!({"id": r.offer_id, "type": "Offer"}),
                String::new(),
            ),
            Refused => (
                "Reject",
                json!({"id": r.offer_id, "type": "Offer"}),
                r.reason.clone(),
            ),
            Cancelled if r.agreement_id.is_some() => {
                ("Delete", agreement.clone(), r.reason.clone())
            }
            Cancelled => (
                "Reject",
                json!({"id": r.offer_id, "type": "Offer"}),
                r.reason.clone(),
            ),
            PickedUp | Returned => ("Update", agreement.clone(), String::new()),
        };
        if !kind.is_empty() {
            let mut activity = json!({
                "id": activity_id(ctx, &kind.to_lowercase()),
                "type": kind,
                "actor": owner.ap_id,
                "to": [borrower.ap_id],
                "object": object,
            });
            if kind == "Accept" {
                activity["result"] = agreement;
            }
            if !content.is_empty() {
                activity["content"] = json!(content);
            }
            out.push(Send {
                signer: owner.clone(),
                activity,
                inboxes: BTreeSet::from([borrower.inbox.clone()]),
            });
        }
    }
    if !owner.local && borrower.local && !by_owner {
        let activity = match r.state {
            Requested => Some(offer_json(&r, &resource, &owner, &borrower)),
            Cancelled => Some(json!({
                "id": activity_id(ctx, "undo"),
                "type": "Undo",
                "actor": borrower.ap_id,
                "to": [owner.ap_id],
                "object": {"id": r.offer_id, "type": "Offer", "actor": borrower.ap_id},
            })),
            // The borrower accepted the agreement online.
            Accepted | PickedUp | Returned if r.agreement_id.is_some() => {
                let mut agreement = json!({"id": r.agreement_id, "type": "Agreement"});
                if let Some(s) = &r.borrower_signed {
                    agreement["borrowerSigned"] = json!({"by": s.by, "at": s.at.to_rfc3339()});
                }
                Some(json!({
                    "id": activity_id(ctx, "accept"),
                    "type": "Accept",
                    "actor": borrower.ap_id,
                    "to": [owner.ap_id],
                    "object": agreement,
                }))
            }
            _ => None,
        };
        if let Some(activity) = activity {
            out.push(Send {
                signer: borrower.clone(),
                activity,
                inboxes: BTreeSet::from([owner.inbox.clone()]),
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
        out.extend(published(ctx, resource.id, "Update").await?);
    }
    Ok(out)
}
