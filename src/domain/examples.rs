//! Domain values for the crate's unit tests: a published local mission, one of its slots and
//! its association, with plain defaults. A test states what matters to it with struct update
//! syntax (`Mission { title: …, ..examples::mission(start, end) }`), so the long literals are
//! written once.

use super::{
    actor::{Actor, ActorKind},
    mission::{JoinMode, Mission, MissionStatus, Place},
    slot::{Slot, SlotStatus},
};
use chrono::{DateTime, Duration, Utc};

/// Mission 1 of association 1, published an hour before it starts, open to all.
pub(crate) fn mission(start: DateTime<Utc>, end: DateTime<Utc>) -> Mission {
    let published = start - Duration::hours(1);
    Mission {
        id: 1,
        ap_id: "https://a.example/m/1".into(),
        actor_id: 1,
        local: true,
        title: "Mission".into(),
        description: String::new(),
        content_html: String::new(),
        remote_summary: String::new(),
        category: "other".into(),
        skills: vec![],
        place: Place::default(),
        online: false,
        start_time: start,
        end_time: end,
        capacity: None,
        participant_count: 0,
        join_mode: JoinMode::Free,
        status: MissionStatus::Published,
        url: "https://a.example/m/1".into(),
        published,
        updated: published,
        deleted_at: None,
        regular: false,
        commitment_minutes: None,
        commitment_period: String::new(),
        reduced_mobility: false,
        open_to_minors: false,
        contact: String::new(),
    }
}

/// Slot 7 of mission 1, five places, two taken, open.
pub(crate) fn slot(start: DateTime<Utc>, end: DateTime<Utc>, updated: DateTime<Utc>) -> Slot {
    Slot {
        id: 7,
        ap_id: "https://a.example/s/7".into(),
        mission_id: 1,
        local: true,
        start_time: start,
        end_time: end,
        capacity: 5,
        participant_count: 2,
        status: SlotStatus::Open,
        updated,
    }
}

/// Association 1, `epicerie` on a.example, local.
pub(crate) fn association(at: DateTime<Utc>) -> Actor {
    Actor {
        id: 1,
        ap_id: "https://a.example/g/epicerie".into(),
        kind: ActorKind::parse("Group"),
        name: "epicerie".into(),
        host: "a.example".into(),
        display_name: "Épicerie".into(),
        summary: String::new(),
        inbox: String::new(),
        shared_inbox: None,
        outbox: None,
        followers: None,
        url: None,
        public_key_pem: String::new(),
        private_key_pem: None,
        local: true,
        user_id: None,
        published: at,
        last_refreshed_at: at,
        deleted_at: None,
    }
}
