//! Volunteer hours across servers, as ValueFlows `EconomicEvent`s (`action: work`,
//! `effortQuantity` in hours). The volunteer's server sends `Create`, `Update` or `Delete` of the
//! event privately to the association; the association's server answers `Accept` once a
//! coordinator validated the hours, or `Reject` with the reason. The association's server keeps
//! its own copy: it is what counts in its accounts.

use super::{
    error::FedError,
    objects::{host_of, ApubActor},
    protocol::{
        parse_object, ActivityIn, ActivityType, EconomicEvent, EconomicEventIn, EconomicEventType,
        Numeric, ObjectRef, Quantity,
    },
};
use crate::{
    domain::{
        actor::{Actor, ActorKind},
        hours::{HoursEntry, HoursInput, HoursStatus, Volunteer},
    },
    service::{
        hours_remote::{self, OfferOutcome, OfferedHours},
        text::html_to_text,
    },
    state::Context,
};
use activitypub_federation::traits::Object;
use rust_decimal::{prelude::ToPrimitive, Decimal};
use serde_json::Value;
use std::str::FromStr;
use url::Url;

/// The `EconomicEvent` of an entry our user sends to `association` (another server's).
pub fn economic_event(
    entry: &HoursEntry,
    ap_id: &str,
    volunteer: &Actor,
    association: &Actor,
    mission_ap_id: Option<&str>,
) -> EconomicEvent {
    let d = &entry.draft;
    let hours = (Decimal::from(d.minutes) / Decimal::from(60)).round_dp(4);
    EconomicEvent {
        id: ap_id.to_string(),
        kind: EconomicEventType::EconomicEvent,
        attributed_to: volunteer.ap_id.clone(),
        provider: volunteer.ap_id.clone(),
        receiver: association.ap_id.clone(),
        to: vec![association.ap_id.clone()],
        action: "work".into(),
        effort_quantity: Quantity {
            has_unit: "hour".into(),
            has_numerical_value: Numeric::Text(hours.normalize().to_string()),
        },
        minutes: d.minutes,
        has_beginning: d.start_date.to_string(),
        has_end: d.end_date.to_string(),
        category: d.category.clone(),
        note: d.description.clone(),
        published: entry.created_at.to_rfc3339(),
        updated: entry.updated_at.to_rfc3339(),
        distance_km: d.distance_km.map(|km| km.normalize().to_string()),
        in_scope_of: mission_ap_id.map(str::to_string),
    }
}

/// A `YYYY-MM-DD` date from a date or a date-time.
fn day_of(s: &str) -> Option<String> {
    s.get(..10).map(str::to_string)
}

/// Minutes from `minutes`, else from `effortQuantity` in hours (or minutes), rounded.
fn minutes_of(event: &EconomicEventIn) -> Option<i64> {
    if let Some(m) = event.minutes {
        return Some(m);
    }
    let q = event.effort_quantity.as_ref()?;
    let value = match q.has_numerical_value.as_ref()? {
        Numeric::Text(s) => Decimal::from_str(s.trim()).ok()?,
        Numeric::Number(n) => Decimal::from_str(&n.to_string()).ok()?,
    };
    let unit = q
        .has_unit
        .as_deref()
        .unwrap_or("hour")
        .rsplit([':', '/', '#'])
        .next()
        .unwrap_or("hour")
        .to_ascii_lowercase();
    let minutes = match unit.as_str() {
        "hour" | "hours" | "h" => value * Decimal::from(60),
        "minute" | "minutes" | "min" => value,
        _ => return None,
    };
    minutes.round().to_i64()
}

/// `Create` or `Update` of an `EconomicEvent`: hours a volunteer of another server logged for
/// one of our associations.
pub async fn offered(
    ctx: &Context,
    object: &Value,
    actor: &ApubActor,
    update: bool,
) -> Result<(), FedError> {
    let event: EconomicEventIn = parse_object("EconomicEvent", object)?;
    let id = &event.id;
    if host_of(id) != host_of(actor.id()) {
        return Err(FedError::Forbidden(
            "an EconomicEvent comes from the server of its id".into(),
        ));
    }
    let provider = event.provider.as_ref().or(event.attributed_to.as_ref());
    if provider.map(Url::as_str) != Some(actor.actor.ap_id.as_str()) {
        return Err(FedError::Forbidden(
            "only the volunteer who did the work (provider) sends their hours".into(),
        ));
    }
    let action = event.action.as_deref().unwrap_or("");
    if action.rsplit([':', '#', '/']).next() != Some("work") {
        return Err(FedError::BadRequest(
            "only EconomicEvents with action work (volunteer hours) are received".into(),
        ));
    }
    let receiver = &event.receiver;
    let association = ctx
        .store
        .find_actor_by_ap_id(receiver.as_str())
        .await?
        .filter(|a| a.local && a.kind == ActorKind::Group)
        .ok_or_else(|| {
            FedError::BadRequest(format!("{receiver} is not an association of this server"))
        })?;
    let mission_id = match &event.in_scope_of {
        Some(m) => ctx
            .store
            .find_mission_by_ap_id(m.as_str())
            .await?
            .filter(|m| m.local)
            .map(|m| m.id),
        None => None,
    };
    let text = |v: &Option<String>| v.as_deref().map(html_to_text);
    let input = HoursInput {
        date: event.has_beginning.as_deref().and_then(day_of),
        end_date: event.has_end.as_deref().and_then(day_of),
        minutes: minutes_of(&event),
        distance_km: event.distance_km.clone(),
        category: text(&event.category),
        mission_id,
        description: text(&event.note).or_else(|| text(&event.summary)),
        ..HoursInput::default()
    };
    let offer = OfferedHours {
        ap_id: id.to_string(),
        volunteer_ap_id: actor.actor.ap_id.clone(),
        input,
    };
    match hours_remote::receive_offer(
        ctx.store.as_ref(),
        &ctx.config,
        &association,
        offer,
        update,
        ctx.clock.now(),
    )
    .await?
    {
        OfferOutcome::Recorded(e) => {
            tracing::info!(
                entry = e.id,
                status = e.status.as_str(),
                "hours received from another server"
            );
        }
        OfferOutcome::Duplicate(e) => {
            tracing::debug!(entry = e.id, "hours received twice: counted once");
        }
        OfferOutcome::Refused(reason) => {
            tracing::info!(%reason, "hours from another server refused on arrival");
        }
    }
    ctx.wake.notify_waiters();
    Ok(())
}

/// Whether an activity's object is hours that crossed servers (by type, or by a known id).
pub async fn is_hours(ctx: &Context, object: &ObjectRef) -> Result<bool, FedError> {
    if object.is("EconomicEvent") || object.former_type.as_deref() == Some("EconomicEvent") {
        return Ok(true);
    }
    // An embedded object of another type (a Follow, a Join, a mission's Tombstone) is not
    // hours: no need to look it up. Only a bare id or an untyped Tombstone can be.
    if matches!(&object.kind, Some(t) if t != "Tombstone") {
        return Ok(false);
    }
    match &object.id {
        Some(id) => Ok(ctx
            .store
            .find_hours_entry_by_ap_id(id.as_str())
            .await?
            .is_some()),
        None => Ok(false),
    }
}

/// `Accept` or `Reject` of hours one of our users sent.
pub async fn answered(
    ctx: &Context,
    activity: &Value,
    actor: &ApubActor,
    accepted: bool,
) -> Result<(), FedError> {
    let answer: ActivityIn = parse_object(if accepted { "Accept" } else { "Reject" }, activity)?;
    let id = (answer.object.id.as_ref())
        .ok_or_else(|| FedError::BadRequest("the answer has no object".into()))?;
    let reason = answer.reason().map(html_to_text).unwrap_or_default();
    if !hours_remote::receive_answer(
        ctx.store.as_ref(),
        &actor.actor,
        id.as_str(),
        accepted,
        &reason,
        ctx.clock.now(),
    )
    .await?
    {
        tracing::debug!(%id, "answer about unknown hours ignored");
    }
    Ok(())
}

/// `Delete` of hours a volunteer of another server had sent.
pub async fn withdrawn(
    ctx: &Context,
    object: &ObjectRef,
    actor: &ApubActor,
) -> Result<(), FedError> {
    let id = (object.id.as_ref())
        .ok_or_else(|| FedError::BadRequest("the Delete has no object".into()))?;
    if !hours_remote::receive_withdrawal(
        ctx.store.as_ref(),
        &actor.actor.ap_id,
        id.as_str(),
        ctx.clock.now(),
    )
    .await?
    {
        tracing::debug!(%id, "withdrawal of unknown hours ignored");
    }
    Ok(())
}

/// What an answered entry sends back: `Accept` when validated, `Reject` with the reason when
/// refused, nothing while it waits. `None` when the entry is not a remote volunteer's.
pub fn answer_kind(entry: &HoursEntry) -> Option<ActivityType> {
    if !matches!(entry.volunteer, Volunteer::Remote { .. }) {
        return None;
    }
    match entry.status {
        HoursStatus::Validated => Some(ActivityType::Accept),
        HoursStatus::Refused => Some(ActivityType::Reject),
        HoursStatus::Pending => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn minutes_are_read_exactly_or_from_hours() {
        let minutes_of = |mut v: Value| {
            v["id"] = json!("https://b.example/hours/1");
            v["receiver"] = json!("https://a.example/g/epicerie");
            minutes_of(&parse_object("EconomicEvent", &v).unwrap())
        };
        assert_eq!(minutes_of(json!({"minutes": 20})), Some(20));
        let q = |v: Value, unit: &str| json!({"effortQuantity": {"hasNumericalValue": v, "hasUnit": unit}});
        assert_eq!(minutes_of(q(json!("2.5"), "hour")), Some(150));
        assert_eq!(minutes_of(q(json!(1.25), "om2:hour")), Some(75));
        assert_eq!(minutes_of(q(json!("45"), "minute")), Some(45));
        assert_eq!(minutes_of(q(json!("3"), "kilogram")), None);
        assert_eq!(minutes_of(q(json!("x"), "hour")), None);
    }

    #[test]
    fn dates_are_read_from_dates_or_date_times() {
        assert_eq!(day_of("2026-11-20").as_deref(), Some("2026-11-20"));
        assert_eq!(
            day_of("2026-11-20T09:00:00Z").as_deref(),
            Some("2026-11-20")
        );
        assert_eq!(day_of("2026"), None);
        // A date that is not text is no date.
        let v = json!({"id": "https://b.example/hours/1", "receiver": "https://a.example/g/e",
                       "hasBeginning": 20261120});
        let e: EconomicEventIn = parse_object("EconomicEvent", &v).unwrap();
        assert_eq!(e.has_beginning, None);
    }
}
