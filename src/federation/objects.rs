//! Our rows seen as ActivityPub objects: `ApubActor` (Group, Person, Application) and
//! `ApubMission` (Event). The federation crate fetches and stores remote ones through these.

use super::{
    error::FedError,
    protocol::{
        first_url, ActorJson, Endpoints, EventJson, ImageJson, PlaceJson, PostalAddress,
        PublicKeyJson, Tag, PUBLIC,
    },
};
use crate::{
    domain::{
        actor::{Actor, ActorKind, RemoteActor},
        mission::{category_to_ap, Mission, MissionStatus},
        slot::{Slot, SlotStatus},
    },
    i18n::{self, Lang},
    service::text::{html_to_text, sanitize_html},
    state::{AppState, Context},
};
use activitypub_federation::{
    protocol::verification::verify_domains_match,
    traits::{Actor as ApActor, Object},
};
use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

/// An actor row with its parsed id (the federation traits hand out `&Url`).
#[derive(Debug, Clone)]
pub struct ApubActor {
    pub actor: Actor,
    id: Url,
}

impl ApubActor {
    pub fn new(actor: Actor) -> Result<Self, FedError> {
        Ok(ApubActor {
            id: parse_url(&actor.ap_id)?,
            actor,
        })
    }
}

/// A mission row with its parsed id.
#[derive(Debug, Clone)]
pub struct ApubMission {
    pub mission: Mission,
    pub(super) id: Url,
}

impl ApubMission {
    pub fn new(mission: Mission) -> Result<Self, FedError> {
        Ok(ApubMission {
            id: parse_url(&mission.ap_id)?,
            mission,
        })
    }
}

pub(super) fn parse_url(s: &str) -> Result<Url, FedError> {
    Url::parse(s).map_err(|e| FedError::Internal(format!("stored URL {s}: {e}")))
}

/// Ids and inboxes of remote objects must be web URLs (never `javascript:` and the like).
pub(super) fn web_id(url: &Url) -> Result<(), FedError> {
    if matches!(url.scheme(), "https" | "http") {
        Ok(())
    } else {
        Err(FedError::BadRequest(format!("{url} is not an http(s) URL")))
    }
}

/// `host` or `host:port` of a URL.
pub fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

#[async_trait::async_trait]
impl Object for ApubActor {
    type DataType = AppState;
    type Kind = ActorJson;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        (!self.actor.local).then_some(self.actor.last_refreshed_at)
    }

    async fn read_from_id(id: Url, data: &Context) -> Result<Option<Self>, FedError> {
        if let Some(actor) = data.actors.get(id.as_str()) {
            return ApubActor::new(actor).map(Some);
        }
        let actor = data.store.find_actor_by_ap_id(id.as_str()).await?;
        if let Some(actor) = &actor {
            data.actors.put(actor);
        }
        actor.map(ApubActor::new).transpose()
    }

    async fn into_json(self, data: &Context) -> Result<ActorJson, FedError> {
        let a = &self.actor;
        let base = data.config.base();
        let id = parse_url(&a.ap_id)?;
        Ok(ActorJson {
            kind: a.kind.as_str().to_string(),
            preferred_username: a.name.clone(),
            name: Some(a.label().to_string()),
            summary: (!a.summary.is_empty())
                .then(|| crate::service::text::markdown_to_html(&a.summary)),
            inbox: parse_url(&a.inbox)?,
            outbox: Some(parse_url(&format!("{}/outbox", a.ap_id))?),
            followers: Some(parse_url(&format!("{}/followers", a.ap_id))?),
            following: Some(parse_url(&format!("{}/following", a.ap_id))?),
            endpoints: Some(Endpoints {
                shared_inbox: Some(parse_url(&format!("{base}/inbox"))?),
            }),
            public_key: PublicKeyJson {
                id: format!("{}#main-key", a.ap_id),
                owner: id.clone(),
                public_key_pem: a.public_key_pem.clone(),
            },
            url: Some(Value::String(a.ap_id.clone())),
            manually_approves_followers: Some(false),
            discoverable: Some(a.kind != ActorKind::Person),
            indexable: Some(a.kind == ActorKind::Group),
            published: Some(a.published),
            icon: group_icon(a, data).await?,
            id,
        })
    }

    async fn verify(
        json: &ActorJson,
        expected_domain: &Url,
        _data: &Context,
    ) -> Result<(), FedError> {
        web_id(&json.id)?;
        web_id(&json.inbox)?;
        verify_domains_match(&json.id, expected_domain)?;
        verify_domains_match(&json.id, &json.inbox)?;
        if json.public_key.owner != json.id {
            return Err(FedError::BadRequest(
                "the actor's key belongs to another actor".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(json: ActorJson, data: &Context) -> Result<Self, FedError> {
        super::aggregator::gate::read_consent(&json, data).await?;
        let text = |s: Option<String>, max: usize| -> String {
            s.map(|s| sanitize_html(&s))
                .unwrap_or_default()
                .chars()
                .take(max)
                .collect()
        };
        let remote = RemoteActor {
            ap_id: json.id.to_string(),
            kind: ActorKind::parse(&json.kind),
            name: json.preferred_username.chars().take(100).collect(),
            host: host_of(&json.id),
            display_name: html_to_text(&text(json.name, 200)),
            summary: text(json.summary, 5000),
            inbox: json.inbox.to_string(),
            // A shared inbox elsewhere than the actor's own server is ignored: its server
            // would receive what its followers here are sent.
            shared_inbox: json
                .endpoints
                .and_then(|e| e.shared_inbox)
                .filter(|u| host_of(u) == host_of(&json.id))
                .map(|u| u.to_string()),
            outbox: json.outbox.map(|u| u.to_string()),
            followers: json.followers.map(|u| u.to_string()),
            url: json.url.as_ref().and_then(first_url),
            public_key_pem: json.public_key.public_key_pem,
        };
        let actor = data
            .store
            .upsert_remote_actor(remote, data.clock.now())
            .await?;
        data.actors.put(&actor);
        ApubActor::new(actor)
    }
}

impl ApActor for ApubActor {
    fn public_key_pem(&self) -> &str {
        &self.actor.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.actor.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.actor.inbox).unwrap_or_else(|_| self.id().clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.actor
            .shared_inbox
            .as_deref()
            .and_then(|s| Url::parse(s).ok())
    }
}

/// The JSON of one of our missions (with its slots), loading what it needs.
pub async fn mission_document(m: &Mission, data: &Context) -> Result<EventJson, FedError> {
    let owner = data.store.get_actor(m.actor_id).await?;
    let slots = data.store.list_slots(m.id).await?;
    // With slots, the places are theirs: the mission shows the sum over its open slots.
    let open: Vec<&Slot> = slots
        .iter()
        .filter(|s| s.status == SlotStatus::Open)
        .collect();
    let counted = if open.is_empty() {
        m.clone()
    } else {
        Mission {
            capacity: Some(open.iter().map(|s| s.capacity).sum()),
            participant_count: open.iter().map(|s| s.participant_count).sum(),
            ..m.clone()
        }
    };
    let mut json = mission_json(&counted, &owner, data)?;
    if let Some((_, at)) = data.store.missions_with_picture(&[m.id]).await?.first() {
        let url = format!(
            "{}/missions/{}/picture.jpg?v={}",
            data.config.base(),
            m.id,
            at.timestamp()
        );
        json.image = Some(ImageJson::jpeg(url.clone(), None));
        json.attachment = vec![serde_json::json!({
            "type": "Document",
            "mediaType": "image/jpeg",
            "url": url,
            "name": "Banner",
        })];
    }
    for slot in &slots {
        let slot_doc = slot_json(slot, m, &owner, data)?;
        json.slots
            .push(serde_json::to_value(slot_doc).map_err(|e| FedError::Internal(e.to_string()))?);
    }
    Ok(json)
}

/// A local association's logo as its `icon` (none for other actors, or without a logo).
async fn group_icon(a: &Actor, data: &Context) -> Result<Option<Value>, FedError> {
    if !a.local || a.kind != ActorKind::Group {
        return Ok(None);
    }
    let profile = data.store.association_profile(a.id).await?;
    Ok(profile.logo_updated_at.map(|at| {
        let url = format!(
            "{}/g/{}/logo.jpg?v={}",
            data.config.base(),
            a.name,
            at.timestamp()
        );
        serde_json::to_value(ImageJson::jpeg(url, None)).unwrap_or(Value::Null)
    }))
}

/// The JSON of one of our missions, as an `Event` Mobilizon and Mastodon understand.
pub fn mission_json(m: &Mission, owner: &Actor, data: &Context) -> Result<EventJson, FedError> {
    let config = &data.config;
    let tz = config.timezone();
    let lang = Lang::or_reference(&config.instance.default_language);
    let with_tz = |t: DateTime<Utc>| t.with_timezone(&tz).fixed_offset();
    let place = (!m.online && !m.place.is_empty()).then(|| PlaceJson {
        kind: "Place".into(),
        name: Some(if m.place.name.is_empty() {
            m.place.one_line()
        } else {
            m.place.name.clone()
        }),
        address: serde_json::to_value(PostalAddress {
            kind: "PostalAddress".into(),
            street_address: m.place.street_address.clone(),
            postal_code: m.place.postal_code.clone(),
            address_locality: m.place.locality.clone(),
            address_country: if m.place.country.is_empty() {
                "FR".into()
            } else {
                m.place.country.clone()
            },
        })
        .ok(),
        latitude: m.place.latitude,
        longitude: m.place.longitude,
    });
    // Hashtags put missions in Mastodon's hashtag timelines; we have no tag pages to link.
    let mut tags = vec![Tag::hashtag("#bénévolat".into())];
    for skill in &m.skills {
        let tag: String = skill.chars().filter(|c| c.is_alphanumeric()).collect();
        if !tag.is_empty() {
            tags.push(Tag::hashtag(format!("#{tag}")));
        }
    }
    Ok(EventJson {
        kind: "Event".into(),
        id: parse_url(&m.ap_id)?,
        url: Some(Value::String(m.url.clone())),
        attributed_to: Value::String(owner.ap_id.clone()),
        to: Value::from(vec![PUBLIC]),
        cc: Value::from(vec![format!("{}/followers", owner.ap_id)]),
        name: m.title.clone(),
        summary: Some(i18n::mission_summary(lang, m, tz)),
        content: Some(m.content_html.clone()),
        media_type: Some("text/html".into()),
        start_time: with_tz(m.start_time),
        end_time: Some(with_tz(m.end_time)),
        timezone: Some(config.instance.timezone.clone()),
        location: place,
        join_mode: Some(m.join_mode.as_str().into()),
        maximum_attendee_capacity: m.capacity,
        remaining_attendee_capacity: m.remaining(),
        participant_count: Some(m.participant_count),
        anonymous_participation_enabled: Some(false),
        category: Some(category_to_ap(&m.category).into()),
        status: Some(match m.status {
            MissionStatus::Published | MissionStatus::Closed => "CONFIRMED".into(),
            MissionStatus::Draft => "TENTATIVE".into(),
            MissionStatus::Cancelled => "CANCELLED".into(),
        }),
        is_online: Some(m.online),
        skills: m.skills.clone(),
        tag: tags,
        entraide_kind: Some("mission".into()),
        super_event: None,
        slots: Vec::new(),
        image: None,
        attachment: Vec::new(),
        published: Some(with_tz(m.published)),
        updated: Some(with_tz(m.updated)),
        indexable: None,
        discoverable: None,
    })
}

/// The JSON of one slot: an `Event` of its own, linked to its mission, joinable alone.
pub fn slot_json(
    slot: &Slot,
    m: &Mission,
    owner: &Actor,
    data: &Context,
) -> Result<EventJson, FedError> {
    let tz = data.config.timezone();
    let lang = Lang::or_reference(&data.config.instance.default_language);
    let mut doc = mission_json(m, owner, data)?;
    let as_mission = Mission {
        start_time: slot.start_time,
        end_time: slot.end_time,
        capacity: Some(slot.capacity),
        participant_count: slot.participant_count,
        status: if slot.status == SlotStatus::Cancelled {
            MissionStatus::Cancelled
        } else {
            m.status
        },
        ..m.clone()
    };
    let with_tz = |t: DateTime<Utc>| t.with_timezone(&tz).fixed_offset();
    doc.id = parse_url(&slot.ap_id)?;
    doc.url = Some(Value::String(m.url.clone()));
    doc.name = format!(
        "{} – {}",
        m.title,
        i18n::short_span(lang, slot.start_time, slot.end_time, tz)
    );
    doc.summary = Some(i18n::mission_summary(lang, &as_mission, tz));
    doc.start_time = with_tz(slot.start_time);
    doc.end_time = Some(with_tz(slot.end_time));
    doc.maximum_attendee_capacity = Some(slot.capacity);
    doc.remaining_attendee_capacity = Some(slot.remaining());
    doc.participant_count = Some(slot.participant_count);
    doc.status = Some(
        if as_mission.status == MissionStatus::Cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }
        .into(),
    );
    doc.entraide_kind = Some("slot".into());
    doc.super_event = Some(Value::String(m.ap_id.clone()));
    doc.updated = Some(with_tz(slot.updated));
    doc.tag = Vec::new();
    Ok(doc)
}

pub use super::remote_events::{remote_mission_from_json, store_remote_slots};
