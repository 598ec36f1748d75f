//! Remote missions arriving: the `Event` of another server read into our mission (and its
//! embedded slots) as a mirror of the owner's.

use super::objects::{host_of, mission_document, web_id, ApubActor, ApubMission};
use super::{
    error::FedError,
    protocol::{first_url, id_of, EventJson},
};
use crate::{
    domain::{
        mission::{category_from_ap, JoinMode, Mission, MissionDraft, MissionStatus, Place},
        slot::SlotStatus,
    },
    service::text::{html_to_text, sanitize_html},
    state::{AppState, Context},
    storage::{RemoteMission, RemoteSlot},
};
use activitypub_federation::{
    fetch::object_id::ObjectId, protocol::verification::verify_domains_match, traits::Object,
};
use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

/// The slots embedded in a remote mission's document, stored as mirrors of the owner's.
pub async fn store_remote_slots(
    json: &EventJson,
    mission: &Mission,
    data: &Context,
) -> Result<(), FedError> {
    for value in &json.slots {
        let Ok(slot) = serde_json::from_value::<EventJson>(value.clone()) else {
            continue;
        };
        if web_id(&slot.id).is_err() {
            continue;
        }
        if host_of(&slot.id) != host_of(&json.id)
            || slot.super_event.as_ref().and_then(id_of).as_ref() != Some(&json.id)
        {
            continue; // a slot speaks for its own mission only
        }
        let start = slot.start_time.with_timezone(&Utc);
        let remote = RemoteSlot {
            start_time: start,
            end_time: slot
                .end_time
                .map(|e| e.with_timezone(&Utc))
                .filter(|e| *e > start)
                .unwrap_or(start),
            capacity: slot.maximum_attendee_capacity.unwrap_or(1),
            participant_count: slot.participant_count.unwrap_or(0),
            cancelled: slot.status.as_deref() == Some("CANCELLED"),
            updated: slot
                .updated
                .or(json.updated)
                .map(|u| u.with_timezone(&Utc))
                .unwrap_or_else(|| data.clock.now()),
        };
        if remote.cancelled {
            // The owner cancelled it: our people's sign-ups end as theirs did, and they are told.
            let copy = data.store.find_slot_by_ap_id(slot.id.as_str()).await?;
            if let Some(copy) = copy
                .filter(|c| !c.local && c.mission_id == mission.id && c.status == SlotStatus::Open)
            {
                if copy.updated <= remote.updated {
                    data.store.cancel_slot(copy.id, remote.updated).await?;
                    data.wake.notify_waiters();
                }
            }
        }
        let before = data.store.find_slot_by_ap_id(slot.id.as_str()).await?;
        let after = data
            .store
            .upsert_remote_slot(mission.id, slot.id.as_str(), remote)
            .await?;
        // The owner moved it: our people signed up for it are told the new time.
        if let Some(before) = before.filter(|b| !b.local && b.mission_id == mission.id) {
            if (before.start_time, before.end_time) != (after.start_time, after.end_time) {
                crate::notify::tell_slot_moved(data, after.id, data.clock.now()).await?;
            }
        }
    }
    Ok(())
}

/// A remote `Event` turned into the mission we store (no network access here).
pub fn remote_mission_from_json(
    json: &EventJson,
    owner_id: i64,
    now: DateTime<Utc>,
) -> RemoteMission {
    let place = json.location.as_ref().map(|p| {
        let address = p.address.as_ref();
        let field = |k: &str| {
            address
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>()
        };
        Place {
            name: p
                .name
                .clone()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect(),
            street_address: match address {
                Some(Value::String(s)) => s.chars().take(200).collect(),
                _ => field("streetAddress"),
            },
            postal_code: field("postalCode"),
            locality: field("addressLocality"),
            country: field("addressCountry"),
            latitude: p.latitude.filter(|l| (-90.0..=90.0).contains(l)),
            longitude: p.longitude.filter(|l| (-180.0..=180.0).contains(l)),
        }
    });
    let start = json.start_time.with_timezone(&Utc);
    let end = json
        .end_time
        .map(|e| e.with_timezone(&Utc))
        .filter(|e| *e >= start)
        .unwrap_or(start);
    let capacity = json.maximum_attendee_capacity.filter(|c| *c > 0);
    let participants = match (
        json.participant_count,
        capacity,
        json.remaining_attendee_capacity,
    ) {
        (Some(p), _, _) => p.max(0),
        (None, Some(c), Some(r)) => (c - r).max(0),
        _ => 0,
    };
    let content_html = sanitize_html(json.content.as_deref().unwrap_or(""));
    let summary = html_to_text(json.summary.as_deref().unwrap_or(""))
        .chars()
        .take(500)
        .collect();
    RemoteMission {
        ap_id: json.id.to_string(),
        url: json
            .url
            .as_ref()
            .and_then(first_url)
            .unwrap_or_else(|| json.id.to_string()),
        actor_id: owner_id,
        content_html,
        remote_summary: summary,
        draft: MissionDraft {
            title: html_to_text(&json.name).chars().take(200).collect(),
            category: category_from_ap(json.category.as_deref().unwrap_or("")).to_string(),
            skills: json
                .skills
                .iter()
                .take(20)
                .map(|s| s.chars().take(60).collect())
                .collect(),
            online: json.is_online.unwrap_or(false) && place.is_none(),
            place: place.unwrap_or_default(),
            start_time: start,
            end_time: end,
            capacity,
            join_mode: JoinMode::parse(json.join_mode.as_deref().unwrap_or("free"))
                .unwrap_or(JoinMode::Restricted),
            status: if json.status.as_deref() == Some("CANCELLED") {
                MissionStatus::Cancelled
            } else {
                MissionStatus::Published
            },
            ..MissionDraft::default()
        },
        participant_count: participants,
        published: json.published.map(|p| p.with_timezone(&Utc)).unwrap_or(now),
        updated: json
            .updated
            .or(json.published)
            .map(|p| p.with_timezone(&Utc))
            .unwrap_or(now),
        // Our missions say so (`kind`); Mobilizon's and Gancio's events do not.
        is_event: json.entraide_kind.as_deref() != Some("mission"),
    }
}

#[async_trait::async_trait]
impl Object for ApubMission {
    type DataType = AppState;
    type Kind = EventJson;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(id: Url, data: &Context) -> Result<Option<Self>, FedError> {
        data.store
            .find_mission_by_ap_id(id.as_str())
            .await?
            .map(ApubMission::new)
            .transpose()
    }

    async fn delete(&self, data: &Context) -> Result<(), FedError> {
        if !self.mission.local {
            data.store
                .delete_remote_mission(&self.mission.ap_id, data.clock.now())
                .await?;
        }
        Ok(())
    }

    fn is_deleted(&self) -> bool {
        self.mission.deleted_at.is_some()
    }

    async fn into_json(self, data: &Context) -> Result<EventJson, FedError> {
        mission_document(&self.mission, data).await
    }

    async fn verify(
        json: &EventJson,
        expected_domain: &Url,
        _data: &Context,
    ) -> Result<(), FedError> {
        web_id(&json.id)?;
        verify_domains_match(&json.id, expected_domain)?;
        let owner = id_of(&json.attributed_to)
            .ok_or_else(|| FedError::BadRequest("the event has no attributedTo".into()))?;
        verify_domains_match(&json.id, &owner).map_err(|_| {
            FedError::Forbidden("an event must be attributed to an actor of its own server".into())
        })?;
        Ok(())
    }

    async fn from_json(json: EventJson, data: &Context) -> Result<Self, FedError> {
        let owner_id = id_of(&json.attributed_to)
            .ok_or_else(|| FedError::BadRequest("the event has no attributedTo".into()))?;
        let owner: ApubActor = ObjectId::<ApubActor>::from(owner_id)
            .dereference(data)
            .await?;
        if owner.actor.local {
            return Err(FedError::Forbidden(
                "a remote event cannot belong to a local actor".into(),
            ));
        }
        super::aggregator::gate::admit_event(data, &json, &owner).await?;
        let remote = remote_mission_from_json(&json, owner.actor.id, data.clock.now());
        let mission = data.store.upsert_remote_mission(remote).await?;
        store_remote_slots(&json, &mission, data).await?;
        let kind = match json.entraide_kind.as_deref() {
            Some("mission") => "mission",
            _ => "event",
        };
        let id = &json.id;
        super::aggregator::gate::taken(data, id, &owner.actor.ap_id, kind, mission.updated).await?;
        ApubMission::new(mission)
    }
}
