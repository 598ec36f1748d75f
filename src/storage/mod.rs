//! Storage: one trait per aggregate, one implementation ([`SqlStore`]) on two real back ends
//! (SQLite by default, PostgreSQL by URL).
//!
//! Each aggregate's module holds its trait, its row structs and its SQL, written once in the
//! subset both dialects share (`$N` placeholders, `ON CONFLICT`, `RETURNING`) and run through
//! the dialect-aware runner in [`db`]; where the dialects differ (how a write transaction
//! begins, `FOR UPDATE`, `SKIP LOCKED` claims, arrays), the code matches on [`db::Dialect`] at
//! that one place. Every method that changes data *and* records an [`Outgoing`] event does both
//! in one transaction, so a crash never loses an announcement.
//!
//! [`Store`] gathers every aggregate trait, so `Arc<dyn Store>` ([`DynStore`]) reaches every
//! method; a service that needs one aggregate takes `&dyn MissionStore` (a `&dyn Store`
//! coerces to it), one that needs two or three is generic over its bounds
//! (`S: MissionStore + ActorStore + ?Sized`). Decisions (whether a sign-up or a reservation
//! is accepted) are pure functions in `domain/`: storage locks, reads what is held, asks the
//! domain, writes.
//!
//! [`Outgoing`]: crate::domain::events::Outgoing

mod accounts;
mod actors;
mod associations;
mod attestations;
mod calendars;
pub mod db;
mod fediverse;
mod follows;
pub mod group_commit;
mod help;
mod hours;
mod hours_rows;
mod invitations;
mod lease_queue;
mod mission_pictures;
mod missions;
mod moderation;
mod notifications;
mod operating;
mod participations;
#[cfg(test)]
mod plans;
mod privacy;
mod profiles;
mod queue;
mod read_model;
mod reservation_pages;
mod reservations;
mod resource_pages;
mod resources;
mod rows;
pub mod search;
mod shared;
mod slots;
mod sms;
mod sms_batch;
mod sources;
mod statistics;
mod store;

use std::sync::Arc;

pub use accounts::{AccountStore, LinkPurpose, NewAccountLink, NewUser};
pub use actors::ActorStore;
pub use associations::{AssociationProfile, AssociationStore, LogoChange};
pub use attestations::{Attestation, AttestationStore};
pub use calendars::CalendarStore;
pub use fediverse::FediverseStore;
pub use follows::FollowStore;
pub use help::{HelpStore, NewProposal};
pub use hours::HoursStore;
pub use hours_rows::{AttendanceCount, AttendanceOutcome, HoursHistory, HoursQuery, NewHoursEntry};
pub use invitations::{InvitationStore, NewInvitation};
pub use mission_pictures::MissionPictureStore;
pub use missions::{MissionQuery, MissionStore, NewMission, RemoteMission};
pub use moderation::{BlockEffects, ModerationStore};
pub use notifications::{NewNotification, Notification, NotificationStore};
pub use operating::{inspect, latest_migration, sqlite_path, OperatingStore, SchemaStatus};
pub use participations::{ParticipationStore, SignUp};
pub use privacy::{ErasedAccount, ErasedRemote, Erasure, PrivacyStore};
pub use profiles::ProfileStore;
pub use queue::{Delivery, FederationStore, NewDelivery, OutboxEvent, PurgedHistory, QueueStats};
pub use read_model::{ActorName, DashboardStore, NamedSignUp, UserName, WorkCounts};
pub use reservations::{
    NewReservation, ReservationMove, ReservationPage, ReservationStore, ReservationsOf,
    ReserveOutcome,
};
pub use resources::{ResourceChunk, ResourceFile, ResourcePage, ResourceStore};
pub use search::SearchStore;
pub use slots::{RemoteSlot, SlotStore};
pub use sms::{
    CappedSms, LogLine, MassMessage, NewMassMessage, NewSms, PhoneContact, Recorded, Sms, SmsBatch,
    SmsFailure, SmsStore, StopBy,
};
pub use sms_batch::notice_prefix;
pub use sources::{AggregatedItem, CurrentItem, SourceStore};
pub use statistics::{
    LoanCount, MinutesSum, MissionCount, MissionPlace, NodeCounts, StatisticsStore, StoredFigures,
    VolunteerCount,
};
pub use store::{PoolSize, SqlStore};

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

/// Everything the node stores: every aggregate's trait. Implemented by [`SqlStore`].
pub trait Store:
    AccountStore
    + ActorStore
    + FollowStore
    + MissionStore
    + SlotStore
    + ParticipationStore
    + ProfileStore
    + FederationStore
    + FediverseStore
    + NotificationStore
    + CalendarStore
    + HoursStore
    + AttestationStore
    + ResourceStore
    + ReservationStore
    + DashboardStore
    + PrivacyStore
    + AssociationStore
    + InvitationStore
    + MissionPictureStore
    + SearchStore
    + SourceStore
    + OperatingStore
    + StatisticsStore
    + ModerationStore
    + SmsStore
    + HelpStore
    + Send
    + Sync
    + 'static
{
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;
}

impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        SqlStore::backend(self)
    }
}

pub type DynStore = Arc<dyn Store>;

/// Opens the store named by the URL, creating the SQLite file if needed, and migrates it; the
/// pool holds `size` (a number of connections, or the node's `[database]` settings).
pub async fn connect(url: &str, size: impl Into<PoolSize>) -> Result<DynStore> {
    Ok(Arc::new(SqlStore::connect(url, size).await?))
}
