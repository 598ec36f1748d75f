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
    protocol::{id_of, type_of},
};
use crate::{
    domain::{
        events::Outgoing,
        resource::{BusyPeriod, ReservationState, ResourceInput, Signature},
        DomainError,
    },
    service::reservations,
    state::Context,
    storage::StoreError,
};
use activitypub_federation::traits::Object;
use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

fn text_of(object: &Value, key: &str) -> Option<String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .map(crate::service::text::html_to_text)
}

fn number_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Object(_) => number_of(v?.get("hasNumericalValue")),
        _ => None,
    }
}

fn time_of(v: Option<&Value>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(v?.as_str()?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The resource described by another node's `Page`, checked by the same rules as ours.
fn draft_of(page: &Value) -> Result<crate::domain::resource::ResourceDraft, FedError> {
    let location = page.get("location");
    let input = ResourceInput {
        name: text_of(page, "name"),
        description: text_of(page, "description").or_else(|| text_of(page, "content")),
        category: text_of(page, "category"),
        owner_kind: text_of(page, "ownerKind"),
        place: location.and_then(|l| text_of(l, "name").or_else(|| text_of(l, "address"))),
        latitude: location
            .and_then(|l| l.get("latitude"))
            .and_then(Value::as_f64),
        longitude: location
            .and_then(|l| l.get("longitude"))
            .and_then(Value::as_f64),
        quantity: number_of(page.pointer("/publishes/resourceQuantity")),
        replacement_value: page.get("replacementValue").cloned(),
        mode: text_of(page, "loanMode"),
        price_per_day: page.get("pricePerDay").cloned(),
        deposit: page.get("deposit").cloned(),
        conditions: text_of(page, "conditions"),
        insurance_required: page.get("insuranceRequired").and_then(Value::as_bool),
        min_notice_hours: number_of(page.get("minNoticeHours")),
        max_days: number_of(page.get("maxDays")),
        turnaround_hours: number_of(page.get("turnaroundHours")),
        approval: text_of(page, "approval"),
        // Who may borrow is the owner's business, checked on its node.
        borrowers: None,
        borrower_list: None,
        agreement_template: page
            .get("agreementTemplate")
            .and_then(Value::as_str)
            .map(str::to_string),
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

fn busy_of(page: &Value) -> Vec<BusyPeriod> {
    page.pointer("/availability/orderedItems")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .take(2000)
                .filter_map(|i| {
                    Some(BusyPeriod {
                        start: time_of(i.get("hasBeginning"))?,
                        end: time_of(i.get("hasEnd"))?,
                        quantity: number_of(i.get("resourceQuantity"))?.max(0),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a `Create`/`Update`'s object is a resource (a `Page` offering something).
pub fn is_resource(object: &Value) -> bool {
    type_of(object) == Some("Page")
        && object.get("purpose").and_then(Value::as_str) == Some("offer")
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
    let id = id_of(page).ok_or_else(|| FedError::BadRequest("the Page has no id".into()))?;
    if host_of(&id) != host_of(actor.id()) {
        return Err(FedError::Forbidden(
            "a resource comes from the server of its id".into(),
        ));
    }
    if page
        .get("attributedTo")
        .and_then(id_of)
        .as_ref()
        .map(Url::as_str)
        != Some(actor.actor.ap_id.as_str())
    {
        return Err(FedError::Forbidden(
            "only the association a resource is attributed to publishes it".into(),
        ));
    }
    let known = ctx.store.find_resource_by_ap_id(id.as_str()).await?;
    if known.is_none() && !via_relay && !ctx.store.is_followed_locally(&actor.actor.ap_id).await? {
        tracing::debug!(%id, "resource from an actor nobody here follows: ignored");
        return Ok(());
    }
    let draft = draft_of(page)?;
    match ctx
        .store
        .save_remote_resource(
            actor.actor.id,
            id.as_str(),
            &draft,
            &busy_of(page),
            ctx.clock.now(),
        )
        .await
    {
        Err(StoreError::Conflict(_)) => Err(FedError::Forbidden(
            "this resource belongs to another actor".into(),
        )),
        other => other.map(|_| ()).map_err(Into::into),
    }
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
    if !is_resource(&page) || id_of(&page).as_ref() != Some(target) {
        return Ok(false);
    }
    let Some(owner) = page.get("attributedTo").and_then(id_of) else {
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
    store_page(ctx, &page, &actor, true).await?;
    Ok(true)
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

/// The resource an `Offer{Agreement}` asks for: its Commitment's `satisfies` (the Intent,
/// `{resource}#primary`) or `resourceInventoriedAs`.
fn asked_resource(commitment: &Value) -> Option<String> {
    let target = commitment
        .get("resourceInventoriedAs")
        .or_else(|| commitment.get("satisfies"))
        .and_then(id_of)?;
    let mut url = target;
    url.set_fragment(None);
    Some(url.to_string())
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
    let agreement = activity.get("object").cloned().unwrap_or(Value::Null);
    let commitment = match agreement.get("stipulates") {
        Some(Value::Array(a)) => a.first().cloned().unwrap_or(Value::Null),
        Some(c) => c.clone(),
        None => Value::Null,
    };
    let Some(resource_ap_id) = asked_resource(&commitment) else {
        return Err(FedError::BadRequest(
            "the Agreement stipulates no Commitment naming the resource (satisfies)".into(),
        ));
    };
    let offer = reservations::ReceivedOffer {
        offer_id: offer_id.clone(),
        resource_ap_id: resource_ap_id.clone(),
        quantity: number_of(commitment.get("resourceQuantity")),
        start: time_of(commitment.get("hasBeginning")),
        end: time_of(commitment.get("hasEnd")),
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
pub async fn known_reservation(ctx: &Context, object: &Value) -> Result<Option<Known>, FedError> {
    let Some(id) = id_of(object) else {
        return Ok(None);
    };
    match type_of(object) {
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

fn signature_of(v: Option<&Value>) -> Option<Signature> {
    let v = v?;
    Some(Signature {
        by: v.get("by")?.as_str()?.to_string(),
        at: time_of(v.get("at"))?,
    })
}

/// Records the signature a party's Agreement carries for its own side.
async fn signatures_in(
    ctx: &Context,
    agreement: &Value,
    actor: &ApubActor,
    owner_side: bool,
) -> Result<(), FedError> {
    let key = if owner_side {
        "ownerSigned"
    } else {
        "borrowerSigned"
    };
    if let (Some(id), Some(sig)) = (id_of(agreement), signature_of(agreement.get(key))) {
        if agreement.is_object() {
            reservations::received_signature(
                ctx.store.as_ref(),
                &actor.actor,
                id.as_str(),
                &sig.by,
                sig.at,
                ctx.clock.now(),
            )
            .await?;
        }
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
    match known {
        Known::Offer(offer_id) => {
            let result = activity.get("result").cloned().unwrap_or(Value::Null);
            let agreement_id = id_of(&result).map(|u| u.to_string());
            let reason = text_of(activity, "content")
                .or_else(|| text_of(activity, "summary"))
                .unwrap_or_default();
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
            let agreement = activity.get("object").cloned().unwrap_or(Value::Null);
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
    let reason = text_of(activity, "content").unwrap_or_else(|| "cancelled by the owner".into());
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
    let Some(id) = id_of(agreement) else {
        return Ok(());
    };
    let state = agreement
        .get("state")
        .and_then(Value::as_str)
        .and_then(ReservationState::parse);
    if let Some(state @ (ReservationState::PickedUp | ReservationState::Returned)) = state {
        let notes = text_of(
            agreement,
            if state == ReservationState::PickedUp {
                "pickupNotes"
            } else {
                "returnNotes"
            },
        );
        reservations::received_progress(
            ctx.store.as_ref(),
            &actor.actor,
            id.as_str(),
            state,
            notes,
            ctx.clock.now(),
        )
        .await?;
    }
    signatures_in(ctx, agreement, actor, true).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_asked_resource_is_the_intent_without_its_fragment() {
        let c = json!({"satisfies": "https://a.example/r/1#primary"});
        assert_eq!(asked_resource(&c).as_deref(), Some("https://a.example/r/1"));
        let c = json!({"resourceInventoriedAs": "https://a.example/r/2"});
        assert_eq!(asked_resource(&c).as_deref(), Some("https://a.example/r/2"));
        assert_eq!(asked_resource(&json!({})), None);
    }

    #[test]
    fn quantities_are_read_from_numbers_strings_and_measures() {
        assert_eq!(number_of(Some(&json!(3))), Some(3));
        assert_eq!(number_of(Some(&json!("12"))), Some(12));
        assert_eq!(
            number_of(Some(&json!({"hasUnit": "one", "hasNumericalValue": "80"}))),
            Some(80)
        );
        assert_eq!(number_of(Some(&json!({"hasNumericalValue": "x"}))), None);
    }
}
