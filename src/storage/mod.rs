//! Storage: one trait, two real back ends (SQLite by default, PostgreSQL by URL).
//!
//! The SQL is written once in the shared subset of both dialects (`$N` placeholders,
//! `ON CONFLICT`, `RETURNING`) and stamped onto each concrete pool type by the `store_impl!`
//! macro in `sql.rs`; where the dialects differ (claiming jobs), each back end gives its own
//! statement. Every method that changes data *and* records an [`Outgoing`] event does both in
//! one transaction, so a crash never loses an announcement.

mod attestation_sql;
mod calendar_sql;
mod fediverse_sql;
pub mod group_commit;
mod hours_sql;
mod notification_sql;
mod postgres;
mod resource_sql;
mod rows;
mod sql;
mod sqlite;

use crate::domain::{
    account::{Role, User},
    actor::{Actor, Follower, Following, NewLocalActor, RemoteActor},
    events::Outgoing,
    mission::{Mission, MissionDraft},
    slot::{Participant, Participation, Refusal, SignUpOutcome, Slot, SlotDraft},
    volunteer::Profile,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

pub use attestation_sql::Attestation;
pub use hours_sql::{AttendanceOutcome, HoursHistory, HoursQuery, NewHoursEntry};
pub use postgres::PgStore;
pub use resource_sql::{
    NewReservation, ReservationMove, ReserveOutcome, ResourceFile, ResourceStore,
};
pub use sqlite::SqliteStore;

/// Errors of the storage layer, already sorted into what a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A new user, with the password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub is_admin: bool,
}

/// A mission to insert: the checked draft plus what the service decided.
#[derive(Debug, Clone)]
pub struct NewMission {
    pub ap_id: String,
    pub url: String,
    pub actor_id: i64,
    pub content_html: String,
    pub draft: MissionDraft,
    pub now: DateTime<Utc>,
}

/// A mission read from another node, to insert or refresh.
#[derive(Debug, Clone)]
pub struct RemoteMission {
    pub ap_id: String,
    pub url: String,
    pub actor_id: i64,
    pub content_html: String,
    pub remote_summary: String,
    pub draft: MissionDraft,
    pub participant_count: i64,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

/// Which missions to list.
#[derive(Debug, Clone, Default)]
pub struct MissionQuery {
    pub actor_id: Option<i64>,
    /// `Some(true)`: ours; `Some(false)`: from other nodes.
    pub local: Option<bool>,
    /// Only missions not yet over at this time.
    pub upcoming_after: Option<DateTime<Utc>>,
    pub limit: i64,
    pub offset: i64,
    /// Also list drafts (for the association's coordinators).
    pub include_drafts: bool,
}

/// A request for a place in a slot.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub slot_id: i64,
    pub participant: Participant,
    /// The `Join` activity id, or a fresh local id: the idempotency key.
    pub join_ap_id: String,
    pub message: String,
    /// Take the place now (free join mode) or wait for a coordinator.
    pub auto_accept: bool,
    /// Keep a refused request (to answer a remote `Join` with `Reject`).
    pub record_refusal: bool,
}

/// A slot as another node describes it.
#[derive(Debug, Clone)]
pub struct RemoteSlot {
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub capacity: i64,
    pub participant_count: i64,
    pub cancelled: bool,
    pub updated: DateTime<Utc>,
}

/// An event waiting to become deliveries.
#[derive(Debug, Clone)]
pub struct OutboxEvent {
    pub id: i64,
    pub event: Outgoing,
}

/// One signed POST to make.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDelivery {
    pub activity_ap_id: String,
    pub signer_actor_id: i64,
    pub inbox: String,
    pub payload: String,
}

#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub activity_ap_id: String,
    pub signer_actor_id: i64,
    pub inbox: String,
    pub payload: String,
    pub attempts: i64,
}

/// Counts of the delivery queue, for the operator.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct QueueStats {
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
}

/// What a purge of the federation history removed (see [`Store::purge_history`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgedHistory {
    /// Deliveries delivered or given up.
    pub deliveries: u64,
    /// Documents sent to many inboxes that no delivery needs any more.
    pub payloads: u64,
    /// Outbox events already turned into deliveries.
    pub events: u64,
    /// De-duplication marks of received activities.
    pub received: u64,
}

impl PurgedHistory {
    pub fn total(&self) -> u64 {
        self.deliveries + self.payloads + self.events + self.received
    }
}

impl std::ops::AddAssign for PurgedHistory {
    fn add_assign(&mut self, round: PurgedHistory) {
        self.deliveries += round.deliveries;
        self.payloads += round.payloads;
        self.events += round.events;
        self.received += round.received;
    }
}

/// A notice to someone about their sign-up: an email for the mail worker, or a direct message
/// whose delivery is queued with it. Recorded once per `dedupe_key`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    pub participation_id: Option<i64>,
    /// `confirmed`, `pending`, `refused`, `withdrawn`, `slot_cancelled`, `slot_moved`, …
    pub kind: String,
    /// `email` or `fediverse`.
    pub channel: String,
    /// An email address, or the person's actor id.
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    /// `pending` (an email to send), `skipped` (mail is off) or `federated` (a direct message).
    pub status: String,
    /// What makes two notices the same one: a known key is not recorded again.
    pub dedupe_key: String,
    /// The direct message carrying it, queued only when the notice is new.
    pub delivery: Option<NewDelivery>,
}

/// A notice as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub participation_id: Option<i64>,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    /// `pending`, `sent`, `failed` (given up), `skipped` or `federated`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub dedupe_key: String,
}

/// Everything the node stores. Implemented by [`SqliteStore`] and [`PgStore`].
#[async_trait]
pub trait Store: resource_sql::ResourceStore + Send + Sync + 'static {
    fn backend(&self) -> &'static str;

    // users, sessions, tokens
    async fn create_user(&self, user: NewUser, now: DateTime<Utc>) -> Result<User>;
    async fn find_user_by_name(&self, name: &str) -> Result<Option<User>>;
    async fn get_user(&self, id: i64) -> Result<User>;
    async fn count_users(&self) -> Result<i64>;
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    async fn find_session_user(&self, token_hash: &str, now: DateTime<Utc>)
        -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn create_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn find_token_user(&self, token_hash: &str) -> Result<Option<User>>;

    // actors and memberships
    /// Creates a local actor; for a `Group` with an owner, also the owner's membership.
    async fn create_local_actor(
        &self,
        actor: NewLocalActor,
        ap_id: &str,
        host: &str,
        owner: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Actor>;
    async fn get_actor(&self, id: i64) -> Result<Actor>;
    async fn find_local_actor(&self, kind: &str, name: &str) -> Result<Option<Actor>>;
    async fn find_actor_by_ap_id(&self, ap_id: &str) -> Result<Option<Actor>>;
    async fn upsert_remote_actor(&self, actor: RemoteActor, now: DateTime<Utc>) -> Result<Actor>;
    async fn list_local_actors(&self, kind: &str) -> Result<Vec<Actor>>;
    async fn set_member(&self, actor_id: i64, user_id: i64, role: Role) -> Result<()>;
    async fn member_role(&self, actor_id: i64, user_id: i64) -> Result<Option<Role>>;
    /// Associations a user belongs to, with the role.
    async fn memberships(&self, user_id: i64) -> Result<Vec<(Actor, Role)>>;

    // follows
    /// Records a follower and the `Accept` to send, in one transaction. False if already there.
    async fn add_follower(
        &self,
        actor_id: i64,
        follower: Follower,
        accept: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    async fn remove_follower(&self, actor_id: i64, follower_ap_id: &str) -> Result<bool>;
    async fn list_followers(&self, actor_id: i64) -> Result<Vec<Follower>>;
    async fn count_followers(&self, actor_id: i64) -> Result<i64>;
    /// Records a follow we send and the `Follow` activity to deliver. False if already following.
    async fn add_following(
        &self,
        following: Following,
        event: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// The followed actor answered: `Accept` marks the follow accepted, `Reject` removes it.
    async fn answer_following(
        &self,
        follow_ap_id: &str,
        target_ap_id: &str,
        accepted: bool,
    ) -> Result<bool>;
    async fn remove_following(
        &self,
        local_actor_id: i64,
        target_ap_id: &str,
        event: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    async fn list_following(&self, local_actor_id: i64) -> Result<Vec<Following>>;
    /// Whether any local actor follows this remote actor (accepted or not).
    async fn is_followed_locally(&self, target_ap_id: &str) -> Result<bool>;

    // missions
    async fn create_mission(&self, mission: NewMission) -> Result<Mission>;
    async fn update_mission(
        &self,
        id: i64,
        draft: MissionDraft,
        content_html: &str,
        now: DateTime<Utc>,
    ) -> Result<Mission>;
    /// Marks a local mission deleted (it then answers 410) and records the `Delete`.
    async fn delete_mission(&self, id: i64, now: DateTime<Utc>) -> Result<()>;
    async fn get_mission(&self, id: i64) -> Result<Mission>;
    async fn find_mission_by_ap_id(&self, ap_id: &str) -> Result<Option<Mission>>;
    async fn list_missions(&self, query: MissionQuery) -> Result<Vec<Mission>>;
    /// How many public (not draft, not deleted) missions this node published.
    async fn count_local_missions(&self) -> Result<i64>;
    /// Inserts or refreshes a remote mission; an older `updated` than stored is ignored.
    async fn upsert_remote_mission(&self, mission: RemoteMission) -> Result<Mission>;
    async fn delete_remote_mission(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool>;

    // slots and sign-ups
    /// Adds slots (with their ids) to a local mission and records their publication.
    async fn create_slots(
        &self,
        mission_id: i64,
        slots: Vec<(String, SlotDraft)>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Slot>>;
    async fn list_slots(&self, mission_id: i64) -> Result<Vec<Slot>>;
    async fn get_slot(&self, id: i64) -> Result<Slot>;
    async fn find_slot_by_ap_id(&self, ap_id: &str) -> Result<Option<Slot>>;
    /// Changes a local slot's times or capacity (never below the places taken).
    /// `Err(Full)` when the new capacity is lower than the places already taken.
    async fn update_slot(
        &self,
        id: i64,
        draft: SlotDraft,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Slot, Refusal>>;
    /// Cancels a slot; every active sign-up is withdrawn (and told). Returns them.
    async fn cancel_slot(&self, id: i64, now: DateTime<Utc>) -> Result<Vec<Participation>>;
    /// Takes or asks for a place, in one transaction: the capacity is never exceeded,
    /// and the same `join_ap_id` twice is one sign-up.
    async fn sign_up(&self, request: SignUp, now: DateTime<Utc>) -> Result<SignUpOutcome>;
    /// A coordinator accepts or refuses a pending sign-up. `Err(Full)` when no place is left.
    async fn decide_participation(
        &self,
        id: i64,
        accept: bool,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Participation, Refusal>>;
    /// The volunteer leaves; an accepted place is freed. `None` if it was not active.
    async fn withdraw_participation(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<Participation>>;
    async fn get_participation(&self, id: i64) -> Result<Participation>;
    async fn find_participation_by_join(&self, join_ap_id: &str) -> Result<Option<Participation>>;
    async fn list_participations(&self, slot_id: i64) -> Result<Vec<Participation>>;
    /// Active sign-ups of a participant on a slot (for `Leave`, which names the slot only).
    async fn active_participation(
        &self,
        slot_id: i64,
        participant: &Participant,
    ) -> Result<Option<Participation>>;
    /// Inserts or refreshes a slot of a remote mission (an older `updated` is ignored).
    async fn upsert_remote_slot(
        &self,
        mission_id: i64,
        ap_id: &str,
        slot: RemoteSlot,
    ) -> Result<Slot>;
    /// The owner of a remote slot answered our `Join`: accepted, or refused with a reason.
    async fn record_join_answer(
        &self,
        join_ap_id: &str,
        accepted: bool,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Participation>>;
    /// A local user's sign-ups, with their slots, soonest first.
    async fn user_participations(&self, user_id: i64) -> Result<Vec<(Participation, Slot)>>;

    // volunteer profiles
    async fn get_profile(&self, user_id: i64) -> Result<Option<Profile>>;
    async fn set_profile(&self, user_id: i64, profile: &Profile, now: DateTime<Utc>) -> Result<()>;
    /// Users who agreed to be suggested to associations, with their profiles.
    async fn suggestable_profiles(&self) -> Result<Vec<(User, Profile)>>;

    // inbox
    /// True when the activity id is new (and is now recorded).
    async fn record_received_activity(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool>;
    async fn forget_received_activity(&self, ap_id: &str) -> Result<()>;

    // outbox and delivery queue
    /// Records an event on its own (when nothing else changes with it).
    async fn queue_event(&self, event: Outgoing, now: DateTime<Utc>) -> Result<()>;
    async fn claim_outbox_events(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<OutboxEvent>>;
    /// Marks the event processed and queues its deliveries, in one transaction.
    async fn complete_outbox_event(
        &self,
        id: i64,
        deliveries: Vec<NewDelivery>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.complete_outbox_event_with(id, deliveries, Vec::new(), now)
            .await
    }
    /// Marks the event processed, queues its deliveries and records its notifications (a known
    /// `dedupe_key` is skipped, with its delivery), in one transaction.
    async fn complete_outbox_event_with(
        &self,
        id: i64,
        deliveries: Vec<NewDelivery>,
        notifications: Vec<NewNotification>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn claim_deliveries(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Delivery>>;
    /// Marks these deliveries done, in one transaction (the worker writes its successes in
    /// groups).
    async fn mark_delivered_many(&self, ids: &[i64], now: DateTime<Utc>) -> Result<()>;
    /// Gives claimed deliveries back, due again at `due` (their host was busy): not an
    /// attempt, and behind the deliveries already due.
    async fn defer_deliveries(&self, ids: &[i64], due: DateTime<Utc>) -> Result<()>;
    /// Schedules another attempt, or gives up when `next_attempt` is `None`.
    async fn mark_delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn queue_stats(&self) -> Result<QueueStats>;
    /// Forgets finished federation work older than `before`: deliveries delivered or given up,
    /// shared documents no delivery needs any more, processed outbox events, and the
    /// de-duplication marks of received activities. Pending work is never touched. At most
    /// `limit` rows of each kind per call (short write transactions): call again while it
    /// removes something.
    async fn purge_history(&self, before: DateTime<Utc>, limit: i64) -> Result<PurgedHistory>;
    /// When the next delivery is due, if any is pending (lets workers sleep until then).
    async fn next_delivery_due(&self) -> Result<Option<DateTime<Utc>>>;

    // Mastodon users: one-time links sent by direct message, replies kept as interest
    /// Records a one-time link and the direct message that carries it, in one transaction.
    async fn create_confirmation(
        &self,
        link: crate::domain::fediverse::NewConfirmation,
        message: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::fediverse::Confirmation>;
    async fn find_confirmation(
        &self,
        token_hash: &str,
    ) -> Result<Option<crate::domain::fediverse::Confirmation>>;
    /// Marks a link used if it still can be at `now`; `None` when unknown, used or expired.
    async fn take_confirmation(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<crate::domain::fediverse::Confirmation>>;
    /// Makes a taken link usable again (what it was for could not be done).
    async fn release_confirmation(&self, id: i64) -> Result<()>;
    /// How many links were made for this account since `since`.
    async fn count_confirmations_since(
        &self,
        actor_ap_id: &str,
        since: DateTime<Utc>,
    ) -> Result<i64>;
    /// Keeps a reply as interest and, when it is new, records the link and the answer to send,
    /// in one transaction. False when this reply was already kept.
    async fn record_interest(
        &self,
        interest: crate::domain::fediverse::NewInterest,
        link: Option<crate::domain::fediverse::NewConfirmation>,
        answer: Option<Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    async fn list_interests(
        &self,
        mission_id: i64,
    ) -> Result<Vec<crate::domain::fediverse::Interest>>;

    // notifications (emails and direct messages about sign-ups)
    /// Records notices not tied to an event (reminders), in one transaction; returns how many
    /// were new.
    async fn record_notifications(
        &self,
        notifications: Vec<NewNotification>,
        now: DateTime<Utc>,
    ) -> Result<usize>;
    /// Leases emails that are due, as deliveries are leased.
    async fn claim_notifications(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Notification>>;
    async fn mark_notification_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()>;
    /// Schedules another attempt, or gives up when `next_attempt` is `None`.
    async fn mark_notification_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Notices about one sign-up (or all, newest first, when `None`), at most `limit`.
    async fn list_notifications(
        &self,
        participation_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Notification>>;
    /// Accepted sign-ups on open slots starting in `(from, to]` that have no reminder yet: on
    /// our slots, and our users' on other servers' slots.
    async fn reminder_candidates(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(Participation, Slot)>>;

    // calendar feeds and pages
    /// Sets a user's private calendar token (its hash). With `replace`, the one they had is
    /// replaced; without, nothing changes if they have one. True when the token was stored.
    async fn set_calendar_token(
        &self,
        user_id: i64,
        token_hash: &str,
        replace: bool,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// When the user's calendar token was made, if they have one.
    async fn calendar_token_created(&self, user_id: i64) -> Result<Option<DateTime<Utc>>>;
    async fn find_calendar_token_user(&self, token_hash: &str) -> Result<Option<User>>;
    /// Slots of an association's own missions (not drafts, not deleted) overlapping `[from, to)`,
    /// soonest first, cancelled ones included.
    async fn association_slots(
        &self,
        actor_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Slot>>;

    // volunteer hours (issue 5); every change of an entry writes its history row in the same
    // transaction
    async fn hours_settings(
        &self,
        actor_id: i64,
    ) -> Result<Option<crate::domain::hours::HoursSettings>>;
    async fn set_hours_settings(
        &self,
        actor_id: i64,
        settings: &crate::domain::hours::HoursSettings,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Inserts an entry; `event`, given the new entry's id, is the federation event recorded
    /// in the same transaction (hours sent to or answered for another server).
    async fn create_hours_entry(
        &self,
        entry: NewHoursEntry,
        by: Option<i64>,
        event: Option<fn(i64) -> Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::hours::HoursEntry>;
    async fn get_hours_entry(&self, id: i64) -> Result<crate::domain::hours::HoursEntry>;
    async fn create_attestation(
        &self,
        actor_id: i64,
        user_id: i64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Attestation>;
    async fn get_attestation(&self, id: i64) -> Result<Attestation>;
    /// Newest first; an association's, a user's, or both filters.
    async fn list_attestations(
        &self,
        actor_id: Option<i64>,
        user_id: Option<i64>,
    ) -> Result<Vec<Attestation>>;
    /// Records who confirmed and when, once: false when it was confirmed already.
    async fn confirm_attestation(
        &self,
        id: i64,
        by: i64,
        by_name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// The marks of a slot's sign-ups: `(participation, present, hours entry)`.
    async fn slot_attendance(&self, slot_id: i64) -> Result<Vec<(i64, bool, Option<i64>)>>;
    /// Whether this person of another server took part (accepted) in a slot of the association.
    async fn took_part_remotely(&self, association_id: i64, actor_ap_id: &str) -> Result<bool>;
    /// The entry that crossed servers with this `EconomicEvent` id.
    async fn find_hours_entry_by_ap_id(
        &self,
        ap_id: &str,
    ) -> Result<Option<crate::domain::hours::HoursEntry>>;
    #[allow(clippy::too_many_arguments)]
    async fn update_hours_entry(
        &self,
        id: i64,
        draft: crate::domain::hours::HoursDraft,
        status: crate::domain::hours::HoursStatus,
        reason: &str,
        by: Option<i64>,
        event: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::hours::HoursEntry>;
    async fn delete_hours_entry(
        &self,
        id: i64,
        by: Option<i64>,
        event: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn list_hours_entries(
        &self,
        query: HoursQuery,
    ) -> Result<Vec<crate::domain::hours::HoursEntry>>;
    async fn hours_history(&self, entry_id: i64) -> Result<Vec<HoursHistory>>;
    /// Marks a sign-up present or absent, once: a presence inserts `entry` in the same
    /// transaction; a second mark changes nothing and says what the first one was.
    async fn mark_attendance(
        &self,
        participation_id: i64,
        slot_id: i64,
        present: bool,
        entry: Option<NewHoursEntry>,
        by: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<AttendanceOutcome>;
}

pub type DynStore = Arc<dyn Store>;

/// Opens the store named by the URL, creating the SQLite file if needed, and migrates it.
pub async fn connect(url: &str, max_connections: u32) -> Result<DynStore> {
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(PgStore::connect(url, max_connections).await?))
    } else {
        Ok(Arc::new(SqliteStore::connect(url, max_connections).await?))
    }
}
