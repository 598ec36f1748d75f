//! Hours across servers (issue 5). The association's server receives the hours a volunteer of
//! another server logged (`Create`, `Update` or `Delete` of an `EconomicEvent`) and decides on
//! them like on its own volunteers' entries; the volunteer's server receives the decision
//! (`Accept` or `Reject`). The wire format is federation's business: these functions get plain
//! values and keep the same rules as an entry typed on this server.

use super::{
    hours::{check_mission, settings_of, today},
    Result, ServiceError,
};
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        actor::Actor,
        events::Outgoing,
        hours::{HoursDraft, HoursEntry, HoursInput, HoursStatus, Volunteer},
        DomainError, FieldErrors,
    },
    storage::{ActorStore, HoursStore, NewHoursEntry, Store},
};
use chrono::{DateTime, Utc};

/// Hours sent by a volunteer of another server, as read from their `EconomicEvent`.
#[derive(Debug, Clone)]
pub struct OfferedHours {
    /// The `EconomicEvent` id: the same id twice is one entry.
    pub ap_id: String,
    pub volunteer_ap_id: String,
    pub input: HoursInput,
}

/// What became of hours sent from another server.
#[derive(Debug)]
pub enum OfferOutcome {
    /// Recorded (or changed), validated at once or waiting for a coordinator.
    Recorded(Box<HoursEntry>),
    /// Already here with this id: counted once, nothing changed.
    Duplicate(Box<HoursEntry>),
    /// Refused on arrival (the reason went back in a `Reject`); nothing was recorded.
    Refused(String),
}

/// The name shown for a person of another server: "Name (@name@host)", or their address.
pub async fn remote_name(store: &dyn ActorStore, actor_ap_id: &str) -> Result<String> {
    let known = store.find_actor_by_ap_id(actor_ap_id).await?;
    Ok(shown_name(actor_ap_id, known.as_ref()))
}

/// The names of several people of other servers, by address, read at once (a list of people
/// signed up for a slot): the same names as [`remote_name`].
pub async fn remote_names(
    store: &dyn ActorStore,
    actor_ap_ids: &[String],
) -> Result<std::collections::BTreeMap<String, String>> {
    if actor_ap_ids.is_empty() {
        return Ok(Default::default());
    }
    let known: std::collections::BTreeMap<String, Actor> = store
        .find_actors_by_ap_ids(actor_ap_ids)
        .await?
        .into_iter()
        .map(|a| (a.ap_id.clone(), a))
        .collect();
    Ok(actor_ap_ids
        .iter()
        .map(|id| (id.clone(), shown_name(id, known.get(id))))
        .collect())
}

fn shown_name(actor_ap_id: &str, known: Option<&Actor>) -> String {
    match known {
        Some(a) if !a.display_name.trim().is_empty() && a.display_name != a.name => {
            format!("{} ({})", a.display_name.trim(), a.handle())
        }
        Some(a) => a.handle(),
        None => actor_ap_id.to_string(),
    }
}

/// The field errors as one sentence for the person who sent the hours.
fn reason_of(errors: &FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|(field, message)| format!("{field}: {message}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Hours for `association` (one of ours) from a volunteer of another server. Someone who took
/// part in one of its slots follows the association's moderation setting; anyone else's hours
/// always wait for a coordinator.
pub async fn receive_offer(
    store: &dyn Store,
    config: &Config,
    association: &Actor,
    offer: OfferedHours,
    update: bool,
    now: DateTime<Utc>,
) -> Result<OfferOutcome> {
    if !association.local {
        return Err(ServiceError::NotFound("association"));
    }
    let existing = store.find_hours_entry_by_ap_id(&offer.ap_id).await?;
    if let Some(e) = &existing {
        let same_person = matches!(&e.volunteer,
            Volunteer::Remote { actor_ap_id, .. } if *actor_ap_id == offer.volunteer_ap_id);
        if e.actor_id != association.id || !same_person {
            return Err(ServiceError::Forbidden(Denial::new("hours_other_sender")));
        }
        if !update {
            return Ok(OfferOutcome::Duplicate(Box::new(e.clone())));
        }
    }
    let refuse = |reason: String| Outgoing::HoursRefusedOnArrival {
        association_actor_id: association.id,
        volunteer_ap_id: offer.volunteer_ap_id.clone(),
        object_ap_id: offer.ap_id.clone(),
        reason,
    };
    let mut draft = match HoursDraft::parse(&offer.input, today(config, now)) {
        Ok(d) => d,
        Err(DomainError::Invalid(errors)) => {
            let reason = reason_of(&errors);
            store.queue_event(refuse(reason.clone()), now).await?;
            return Ok(OfferOutcome::Refused(reason));
        }
        Err(other) => return Err(other.into()),
    };
    let mut errors = FieldErrors::new();
    check_mission(store, association, &draft, &mut errors).await?;
    if !errors.0.is_empty() {
        // A mission we do not know (deleted since, or another association's): the hours still
        // count for the association, without the link.
        draft.mission_id = None;
    }
    let settings = settings_of(store, association.id).await?;
    let known = store
        .took_part_remotely(association.id, &offer.volunteer_ap_id)
        .await?;
    let status = if known && !settings.moderation {
        HoursStatus::Validated
    } else {
        HoursStatus::Pending
    };
    let entry = match existing {
        Some(e) => {
            let event = (status == HoursStatus::Validated)
                .then_some(Outgoing::HoursAnswered { entry_id: e.id });
            store
                .update_hours_entry(e.id, draft, status, "", None, event.as_ref(), now)
                .await?
        }
        None => {
            let answered: fn(i64) -> Outgoing = |entry_id| Outgoing::HoursAnswered { entry_id };
            let entry = NewHoursEntry {
                actor_id: association.id,
                volunteer: Volunteer::Remote {
                    actor_ap_id: offer.volunteer_ap_id.clone(),
                    name: remote_name(store, &offer.volunteer_ap_id).await?,
                },
                draft,
                status,
                slot_id: None,
                participation_id: None,
                ap_id: Some(offer.ap_id.clone()),
            };
            let event = (status == HoursStatus::Validated).then_some(answered);
            match store.create_hours_entry(entry, None, event, now).await {
                Ok(e) => e,
                // The same EconomicEvent delivered twice at once: the other delivery stored it.
                Err(crate::storage::StoreError::Conflict(_)) => {
                    return match store.find_hours_entry_by_ap_id(&offer.ap_id).await? {
                        Some(e) => Ok(OfferOutcome::Duplicate(Box::new(e))),
                        None => Err(ServiceError::Conflict(Denial::new("hours_exist"))),
                    };
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    Ok(OfferOutcome::Recorded(Box::new(entry)))
}

/// The association of another server answered hours one of our users sent. Returns false when
/// the hours are unknown here (answered twice, or deleted since).
pub async fn receive_answer(
    store: &dyn HoursStore,
    from: &Actor,
    ap_id: &str,
    accepted: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(entry) = store.find_hours_entry_by_ap_id(ap_id).await? else {
        return Ok(false);
    };
    if entry.actor_id != from.id || !matches!(entry.volunteer, Volunteer::User { .. }) {
        return Err(ServiceError::Forbidden(Denial::new(
            "hours_receiver_answers",
        )));
    }
    let (status, reason) = if accepted {
        (HoursStatus::Validated, String::new())
    } else {
        let r: String = reason.trim().chars().take(500).collect();
        (HoursStatus::Refused, r)
    };
    if entry.status == status && entry.reason == reason {
        return Ok(true);
    }
    store
        .update_hours_entry(
            entry.id,
            entry.draft.clone(),
            status,
            &reason,
            None,
            None,
            now,
        )
        .await?;
    Ok(true)
}

/// A volunteer of another server deleted hours they had sent. Returns false when unknown here.
pub async fn receive_withdrawal(
    store: &dyn HoursStore,
    from_ap_id: &str,
    ap_id: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(entry) = store.find_hours_entry_by_ap_id(ap_id).await? else {
        return Ok(false);
    };
    if !matches!(&entry.volunteer, Volunteer::Remote { actor_ap_id, .. } if actor_ap_id == from_ap_id)
    {
        return Err(ServiceError::Forbidden(Denial::new(
            "hours_sender_withdraws",
        )));
    }
    store.delete_hours_entry(entry.id, None, None, now).await?;
    Ok(true)
}
