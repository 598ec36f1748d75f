//! Private row structs, shared by both back ends, and their mapping to domain types.

use super::StoreError;
use crate::domain::{
    account::{AccountState, ApiToken, User},
    actor::{Actor, ActorKind, Follower, Following},
    mission::{JoinMode, Mission, MissionStatus, Place},
    slot::{Participant, Participation, ParticipationStatus, Slot, SlotStatus},
};
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: i64,
    name: String,
    email: Option<String>,
    password_hash: Option<String>,
    is_admin: bool,
    created_at: DateTime<Utc>,
    full_name: String,
    language: String,
    email_confirmed: bool,
    state: String,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User {
            id: r.id,
            name: r.name,
            email: r.email,
            password_hash: r.password_hash,
            is_admin: r.is_admin,
            created_at: r.created_at,
            full_name: r.full_name,
            language: r.language,
            email_confirmed: r.email_confirmed,
            // An unknown state (a newer version wrote it?) lets nobody in.
            state: AccountState::parse(&r.state).unwrap_or(AccountState::Refused),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ApiTokenRow {
    id: i64,
    user_id: i64,
    label: String,
    created_at: DateTime<Utc>,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(r: ApiTokenRow) -> ApiToken {
        ApiToken {
            id: r.id,
            user_id: r.user_id,
            label: r.label,
            created_at: r.created_at,
        }
    }
}

pub(super) const ACTOR_COLS: &str = "id, ap_id, kind, name, host, display_name, summary, inbox, \
    shared_inbox, outbox, followers, url, public_key_pem, private_key_pem, local, user_id, \
    published, last_refreshed_at, deleted_at";

#[derive(sqlx::FromRow)]
pub(super) struct ActorRow {
    id: i64,
    ap_id: String,
    kind: String,
    name: String,
    host: String,
    display_name: String,
    summary: String,
    inbox: String,
    shared_inbox: Option<String>,
    outbox: Option<String>,
    followers: Option<String>,
    url: Option<String>,
    public_key_pem: String,
    private_key_pem: Option<String>,
    local: bool,
    user_id: Option<i64>,
    published: DateTime<Utc>,
    last_refreshed_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

impl From<ActorRow> for Actor {
    fn from(r: ActorRow) -> Actor {
        Actor {
            id: r.id,
            ap_id: r.ap_id,
            kind: ActorKind::parse(&r.kind),
            name: r.name,
            host: r.host,
            display_name: r.display_name,
            summary: r.summary,
            inbox: r.inbox,
            shared_inbox: r.shared_inbox,
            outbox: r.outbox,
            followers: r.followers,
            url: r.url,
            public_key_pem: r.public_key_pem,
            private_key_pem: r.private_key_pem,
            local: r.local,
            user_id: r.user_id,
            published: r.published,
            last_refreshed_at: r.last_refreshed_at,
            deleted_at: r.deleted_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct FollowerRow {
    follower_ap_id: String,
    inbox: String,
    shared_inbox: Option<String>,
    follow_ap_id: String,
}

impl From<FollowerRow> for Follower {
    fn from(r: FollowerRow) -> Follower {
        Follower {
            actor_ap_id: r.follower_ap_id,
            inbox: r.inbox,
            shared_inbox: r.shared_inbox,
            follow_ap_id: r.follow_ap_id,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct FollowingRow {
    local_actor_id: i64,
    target_ap_id: String,
    follow_ap_id: String,
    accepted: bool,
}

impl From<FollowingRow> for Following {
    fn from(r: FollowingRow) -> Following {
        Following {
            local_actor_id: r.local_actor_id,
            target_ap_id: r.target_ap_id,
            follow_ap_id: r.follow_ap_id,
            accepted: r.accepted,
        }
    }
}

pub(super) const MISSION_COLS: &str = "id, ap_id, actor_id, local, title, description, \
    content_html, remote_summary, category, skills, place_name, street_address, postal_code, \
    locality, country, latitude, longitude, online, start_time, end_time, capacity, \
    participant_count, join_mode, status, url, published, updated, deleted_at, regular, \
    commitment_minutes, commitment_period, reduced_mobility, open_to_minors, contact";

#[derive(sqlx::FromRow)]
pub(super) struct MissionRow {
    id: i64,
    ap_id: String,
    actor_id: i64,
    local: bool,
    title: String,
    description: String,
    content_html: String,
    remote_summary: String,
    category: String,
    skills: String,
    place_name: String,
    street_address: String,
    postal_code: String,
    locality: String,
    country: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    online: bool,
    start_time: DateTime<Utc>,
    end_time: DateTime<Utc>,
    capacity: Option<i64>,
    participant_count: i64,
    join_mode: String,
    status: String,
    url: String,
    published: DateTime<Utc>,
    updated: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
    regular: bool,
    commitment_minutes: Option<i64>,
    commitment_period: String,
    reduced_mobility: bool,
    open_to_minors: bool,
    contact: String,
}

impl TryFrom<MissionRow> for Mission {
    type Error = StoreError;

    fn try_from(r: MissionRow) -> Result<Mission, StoreError> {
        let skills: Vec<String> = serde_json::from_str(&r.skills)
            .map_err(|e| StoreError::Corrupt(format!("mission {} skills: {e}", r.id)))?;
        Ok(Mission {
            id: r.id,
            ap_id: r.ap_id,
            actor_id: r.actor_id,
            local: r.local,
            title: r.title,
            description: r.description,
            content_html: r.content_html,
            remote_summary: r.remote_summary,
            category: r.category,
            skills,
            place: Place {
                name: r.place_name,
                street_address: r.street_address,
                postal_code: r.postal_code,
                locality: r.locality,
                country: r.country,
                latitude: r.latitude,
                longitude: r.longitude,
            },
            online: r.online,
            start_time: r.start_time,
            end_time: r.end_time,
            capacity: r.capacity,
            participant_count: r.participant_count,
            join_mode: JoinMode::parse(&r.join_mode)
                .ok_or_else(|| StoreError::Corrupt(format!("join mode {}", r.join_mode)))?,
            status: MissionStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("status {}", r.status)))?,
            url: r.url,
            published: r.published,
            updated: r.updated,
            deleted_at: r.deleted_at,
            regular: r.regular,
            commitment_minutes: r.commitment_minutes,
            commitment_period: r.commitment_period,
            reduced_mobility: r.reduced_mobility,
            open_to_minors: r.open_to_minors,
            contact: r.contact,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    pub id: i64,
    pub payload: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct DeliveryRow {
    pub id: i64,
    pub activity_ap_id: String,
    pub signer_actor_id: i64,
    pub inbox: String,
    pub payload: String,
    pub payload_id: Option<i64>,
    pub attempts: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct MembershipRow {
    #[sqlx(flatten)]
    pub actor: ActorRow,
    pub role: String,
}

/// `ACTOR_COLS` read from the table aliased `a` (for joins where names would clash).
pub(super) fn actor_cols_of_a() -> String {
    ACTOR_COLS
        .split(", ")
        .map(|c| format!("a.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) const SLOT_COLS: &str =
    "id, ap_id, mission_id, local, start_time, end_time, capacity, participant_count, status, \
     updated";

#[derive(sqlx::FromRow)]
pub(super) struct SlotRow {
    id: i64,
    ap_id: String,
    mission_id: i64,
    local: bool,
    start_time: DateTime<Utc>,
    end_time: DateTime<Utc>,
    capacity: i64,
    participant_count: i64,
    status: String,
    updated: DateTime<Utc>,
}

impl TryFrom<SlotRow> for Slot {
    type Error = StoreError;

    fn try_from(r: SlotRow) -> Result<Slot, StoreError> {
        Ok(Slot {
            status: SlotStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("slot status {}", r.status)))?,
            id: r.id,
            ap_id: r.ap_id,
            mission_id: r.mission_id,
            local: r.local,
            start_time: r.start_time,
            end_time: r.end_time,
            capacity: r.capacity,
            participant_count: r.participant_count,
            updated: r.updated,
        })
    }
}

pub(super) const PARTICIPATION_COLS: &str =
    "id, slot_id, user_id, actor_ap_id, guest_name, guest_contact, join_ap_id, status, message, \
     reason, created_at, decided_at";

#[derive(sqlx::FromRow)]
pub(super) struct ParticipationRow {
    id: i64,
    slot_id: i64,
    user_id: Option<i64>,
    actor_ap_id: Option<String>,
    guest_name: Option<String>,
    guest_contact: Option<String>,
    join_ap_id: String,
    status: String,
    message: String,
    reason: String,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
}

impl TryFrom<ParticipationRow> for Participation {
    type Error = StoreError;

    fn try_from(r: ParticipationRow) -> Result<Participation, StoreError> {
        let participant = match (r.user_id, r.actor_ap_id, r.guest_name) {
            (Some(user_id), _, _) => Participant::User { user_id },
            (None, Some(actor_ap_id), _) => Participant::Remote { actor_ap_id },
            (None, None, Some(name)) => Participant::Guest {
                name,
                contact: r.guest_contact.unwrap_or_default(),
            },
            _ => {
                return Err(StoreError::Corrupt(format!(
                    "participation {} has no participant",
                    r.id
                )))
            }
        };
        Ok(Participation {
            id: r.id,
            slot_id: r.slot_id,
            participant,
            join_ap_id: r.join_ap_id,
            status: ParticipationStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("participation status {}", r.status)))?,
            message: r.message,
            reason: r.reason,
            created_at: r.created_at,
            decided_at: r.decided_at,
        })
    }
}

/// The participant's columns: (user_id, actor_ap_id, guest_name, guest_contact).
pub(super) fn participant_columns(
    p: &Participant,
) -> (Option<i64>, Option<&str>, Option<&str>, Option<&str>) {
    match p {
        Participant::User { user_id } => (Some(*user_id), None, None, None),
        Participant::Remote { actor_ap_id } => (None, Some(actor_ap_id.as_str()), None, None),
        Participant::Guest { name, contact } => {
            (None, None, Some(name.as_str()), Some(contact.as_str()))
        }
    }
}

/// A participation with its slot, read in one query.
#[derive(sqlx::FromRow)]
pub(super) struct ParticipationWithSlotRow {
    #[sqlx(flatten)]
    pub participation: ParticipationRow,
    pub s_id: i64,
    pub s_ap_id: String,
    pub s_mission_id: i64,
    pub s_local: bool,
    pub s_start_time: DateTime<Utc>,
    pub s_end_time: DateTime<Utc>,
    pub s_capacity: i64,
    pub s_participant_count: i64,
    pub s_status: String,
    pub s_updated: DateTime<Utc>,
}

impl TryFrom<ParticipationWithSlotRow> for (Participation, Slot) {
    type Error = StoreError;

    fn try_from(r: ParticipationWithSlotRow) -> Result<(Participation, Slot), StoreError> {
        let slot = SlotRow {
            id: r.s_id,
            ap_id: r.s_ap_id,
            mission_id: r.s_mission_id,
            local: r.s_local,
            start_time: r.s_start_time,
            end_time: r.s_end_time,
            capacity: r.s_capacity,
            participant_count: r.s_participant_count,
            status: r.s_status,
            updated: r.s_updated,
        };
        Ok((
            Participation::try_from(r.participation)?,
            Slot::try_from(slot)?,
        ))
    }
}
