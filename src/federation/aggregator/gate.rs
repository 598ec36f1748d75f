//! What an aggregator takes: public items whose publisher consents to being indexed
//! (FEP-5feb: `indexable: true`, no `discoverable: false`, on the actor and the object), inside
//! its territory. An item refused is not stored, and a copy stored before (the item moved out
//! of the territory, or its publisher withdrew consent) is removed.

use super::super::{
    error::FedError,
    objects::{host_of, ApubActor},
    protocol::{ActorJson, EventJson, PUBLIC},
};
use crate::{
    domain::aggregator::{actor_consents, object_consents},
    state::Context,
    storage::AggregatedItem,
};
use activitypub_federation::fetch::object_id::ObjectId;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Whether an addressing field (`to`, `cc`) names the public collection.
pub fn addressed_to_public(v: &Value) -> bool {
    let public = |s: &str| s == PUBLIC || s == "as:Public" || s == "Public";
    match v {
        Value::String(s) => public(s),
        Value::Array(items) => items.iter().any(|i| i.as_str().is_some_and(public)),
        _ => false,
    }
}

/// Keeps what an actor's document says of being indexed (only on an aggregator).
pub async fn read_consent(json: &ActorJson, ctx: &Context) -> Result<(), FedError> {
    if !ctx.config.aggregator.enabled {
        return Ok(());
    }
    let consents = actor_consents(json.indexable, json.discoverable);
    ctx.store
        .set_actor_consent(json.id.as_str(), consents, ctx.clock.now())
        .await?;
    Ok(())
}

/// Whether the publisher consents, reading its document again when it was never read since
/// this node became an aggregator.
async fn publisher_consents(ctx: &Context, owner: &ApubActor) -> Result<bool, FedError> {
    if let Some(known) = ctx.store.actor_consent(&owner.actor.ap_id).await? {
        return Ok(known);
    }
    ObjectId::<ApubActor>::from(activitypub_federation::traits::Object::id(owner).clone())
        .dereference_forced(ctx)
        .await?;
    Ok(ctx
        .store
        .actor_consent(&owner.actor.ap_id)
        .await?
        .unwrap_or(false))
}

/// Where an item is, as the territory reads it.
pub struct Whereabouts {
    pub postcode: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The first French postcode (five digits) in a line of address, if any.
pub fn postcode_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 5)
        .unwrap_or("")
        .to_string()
}

/// The checks, in order; `Err(NotTaken)` says why an item is not taken.
async fn admit(
    ctx: &Context,
    id: &str,
    object_ok: bool,
    owner: &ApubActor,
    at: Whereabouts,
) -> Result<(), FedError> {
    let why = if !object_ok {
        Some("it is not public, or marked not indexable")
    } else if !publisher_consents(ctx, owner).await? {
        Some("its publisher does not consent to being indexed (FEP-5feb)")
    } else if !ctx
        .config
        .aggregator
        .territory()
        .contains(&at.postcode, at.latitude, at.longitude)
    {
        Some("it is outside the aggregator's territory")
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(FedError::NotTaken(format!("{id} is not taken: {why}"))),
    }
}

/// An `Event` about to be stored: taken or not (a stored copy is then removed).
pub async fn admit_event(
    ctx: &Context,
    json: &EventJson,
    owner: &ApubActor,
) -> Result<(), FedError> {
    if !ctx.config.aggregator.enabled {
        return Ok(());
    }
    let public = addressed_to_public(&json.to) || addressed_to_public(&json.cc);
    let place = json.location.as_ref();
    let at = Whereabouts {
        postcode: place
            .and_then(|p| p.address.as_ref())
            .map(|a| match a {
                Value::String(s) => postcode_in(s),
                other => other
                    .get("postalCode")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            })
            .unwrap_or_default(),
        latitude: place.and_then(|p| p.latitude),
        longitude: place.and_then(|p| p.longitude),
    };
    let object_ok = object_consents(public, json.indexable, json.discoverable);
    let verdict = admit(ctx, json.id.as_str(), object_ok, owner, at).await;
    if verdict.is_err() {
        if let Some(m) = ctx.store.find_mission_by_ap_id(json.id.as_str()).await? {
            if !m.local {
                ctx.store
                    .delete_remote_mission(json.id.as_str(), ctx.clock.now())
                    .await?;
            }
        }
        ctx.store.forget_aggregated_item(json.id.as_str()).await?;
    }
    verdict
}

/// A resource's `Page` about to be stored: taken or not (a stored copy is then removed).
pub async fn admit_page(
    ctx: &Context,
    id: &str,
    page: &Value,
    at: Whereabouts,
    owner: &ApubActor,
) -> Result<(), FedError> {
    if !ctx.config.aggregator.enabled {
        return Ok(());
    }
    let public = page.get("to").is_some_and(addressed_to_public)
        || page.get("cc").is_some_and(addressed_to_public);
    let flag = |k: &str| page.get(k).and_then(Value::as_bool);
    let object_ok = object_consents(public, flag("indexable"), flag("discoverable"));
    let verdict = admit(ctx, id, object_ok, owner, at).await;
    if verdict.is_err() {
        if let Some(r) = ctx.store.find_resource_by_ap_id(id).await? {
            if r.actor_id == owner.actor.id && !owner.actor.local {
                ctx.store
                    .delete_remote_resource(r.actor_id, id, ctx.clock.now())
                    .await?;
            }
        }
        ctx.store.forget_aggregated_item(id).await?;
    }
    verdict
}

/// An item was stored: the aggregator notes which source it came from and its kind
/// (`mission` from an Entraide node, `event` from Mobilizon or others, `resource`).
pub async fn taken(
    ctx: &Context,
    ap_id: &url::Url,
    owner_ap_id: &str,
    kind: &str,
    updated: DateTime<Utc>,
) -> Result<(), FedError> {
    if !ctx.config.aggregator.enabled {
        return Ok(());
    }
    let sources = ctx.store.list_sources().await?;
    let host = host_of(ap_id);
    let source = sources
        .iter()
        .find(|s| s.actor_ap_id == owner_ap_id)
        .or_else(|| sources.iter().find(|s| s.host == host));
    let item = AggregatedItem {
        ap_id: ap_id.to_string(),
        source_id: source.map(|s| s.id),
        kind: kind.to_string(),
        updated,
    };
    ctx.store
        .record_aggregated_item(item, ctx.clock.now())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn public_addressing_and_postcodes_are_read() {
        assert!(addressed_to_public(&json!(PUBLIC)));
        assert!(addressed_to_public(&json!([
            "https://x.example/f",
            "as:Public"
        ])));
        assert!(!addressed_to_public(&json!([
            "https://x.example/followers"
        ])));
        assert!(!addressed_to_public(&Value::Null));
        assert_eq!(postcode_in("12 rue de Siam, 29200 Brest"), "29200");
        assert_eq!(postcode_in("Brest"), "");
        assert_eq!(postcode_in("BP 123456 Quimper"), "");
    }
}
