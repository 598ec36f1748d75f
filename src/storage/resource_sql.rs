//! The SQL of shared equipment (issue 4): resources (ours and other nodes'), reservations and
//! the files attached to resources. A reservation is decided in one transaction that locks the
//! resource (`BEGIN IMMEDIATE` on SQLite, `FOR UPDATE` on PostgreSQL): the pool is never
//! overbooked however many requests arrive at once, and the same offer id twice is one
//! reservation. Every change records its event (`Outgoing`) in the same transaction.
//! `store_impl!` stamps these functions and [`ResourceStore`] onto each back end with
//! `resource_fns!($store, $db, $begin_write, $lock_row)`.

use super::Result;
use crate::domain::resource::{
    Approval, Borrowers, BusyPeriod, LoanMode, Reservation, ReservationState, Resource,
    ResourceDraft, Signature,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

/// A request to record.
#[derive(Debug, Clone)]
pub struct NewReservation {
    pub resource_id: i64,
    pub offer_id: String,
    pub borrower_actor_id: Option<i64>,
    pub quantity: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Accepted at once when the pool allows (automatic approval), else waits as requested.
    pub automatic: bool,
    /// The agreement's id, kept when the request is accepted at once.
    pub agreement_id: Option<String>,
}

/// What a request became.
#[derive(Debug, Clone, PartialEq)]
pub enum ReserveOutcome {
    /// Recorded now: accepted, requested, or refused because the pool is taken.
    Recorded(Reservation),
    /// This offer id was recorded before: nothing changed.
    Existing(Reservation),
}

impl ReserveOutcome {
    pub fn reservation(&self) -> &Reservation {
        match self {
            ReserveOutcome::Recorded(r) | ReserveOutcome::Existing(r) => r,
        }
    }
}

/// A move of a reservation, checked in its transaction.
#[derive(Debug, Clone)]
pub struct ReservationMove {
    pub to: ReservationState,
    /// The states it may move from: another one is a `Conflict` (someone moved it first).
    pub from: Vec<ReservationState>,
    pub reason: String,
    /// Condition notes at pickup (`to` picked up) or return (`to` returned).
    pub notes: Option<String>,
    pub agreement_id: Option<String>,
    pub by_owner: bool,
    /// Whether the pool is checked (the owner's node accepting); a borrower's node records the
    /// owner's answer as it comes.
    pub check_pool: bool,
}

/// A photo or a contract document of a resource (its bytes are read apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceFile {
    pub id: i64,
    pub resource_id: i64,
    /// `photo` or `document`.
    pub kind: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

/// Everything the store knows about shared equipment.
#[async_trait::async_trait]
pub trait ResourceStore {
    /// A new resource of a local owner (`ResourcePublished`).
    async fn create_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        now: DateTime<Utc>,
    ) -> Result<Resource>;
    /// Changes the resource with this id of this owner (`ResourceUpdated`).
    async fn update_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        now: DateTime<Utc>,
    ) -> Result<Resource>;
    /// Removes a local resource (`ResourceDeleted`); the requests and loans to come are
    /// cancelled with it (`ReservationChanged` each).
    async fn delete_resource(&self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<()>;
    /// Records another node's resource as its owner published it (`Conflict` when the id is
    /// another owner's).
    async fn save_remote_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        busy: &[BusyPeriod],
        now: DateTime<Utc>,
    ) -> Result<Resource>;
    /// Forgets another node's resource its owner removed: false when unknown.
    async fn delete_remote_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// A resource, removed or not.
    async fn get_resource(&self, id: i64) -> Result<Resource>;
    async fn find_resource_by_ap_id(&self, ap_id: &str) -> Result<Option<Resource>>;
    /// An owner's resources, or all of them (not removed ones), by name.
    async fn list_resources(&self, actor_id: Option<i64>) -> Result<Vec<Resource>>;
    /// The owner's node decides a request in one transaction (`ReservationChanged`).
    async fn reserve(&self, request: NewReservation, now: DateTime<Utc>) -> Result<ReserveOutcome>;
    /// The borrower's node keeps its request to another node's resource, waiting for the
    /// owner's answer (`ReservationChanged` by the borrower: the `Offer` goes out).
    async fn record_offer(
        &self,
        request: NewReservation,
        now: DateTime<Utc>,
    ) -> Result<ReserveOutcome>;
    /// Moves a reservation on (`ReservationChanged`).
    async fn move_reservation(
        &self,
        id: i64,
        step: &ReservationMove,
        now: DateTime<Utc>,
    ) -> Result<Reservation>;
    /// Records one side's online acceptance of the lending agreement, once: the first
    /// signature stays (`ReservationChanged` when it is new).
    async fn sign_agreement(
        &self,
        id: i64,
        owner_side: bool,
        by: &str,
        at: DateTime<Utc>,
        announce: bool,
    ) -> Result<Reservation>;
    async fn get_reservation(&self, id: i64) -> Result<Reservation>;
    async fn find_reservation_by_offer(&self, offer_id: &str) -> Result<Option<Reservation>>;
    async fn find_reservation_by_agreement(
        &self,
        agreement_id: &str,
    ) -> Result<Option<Reservation>>;
    /// A resource's reservations, by start.
    async fn list_reservations(&self, resource_id: i64) -> Result<Vec<Reservation>>;
    /// An association's reservations, as owner of the resource or as borrower, by start.
    async fn list_actor_reservations(&self, actor_id: i64) -> Result<Vec<Reservation>>;
    /// Accepted loans starting before `until`, and loans out ending before it (reminders).
    async fn reservations_due(&self, until: DateTime<Utc>) -> Result<Vec<Reservation>>;
    /// Attaches a file, refused (`Conflict`) past `max` files of that kind.
    #[allow(clippy::too_many_arguments)]
    async fn add_resource_file(
        &self,
        resource_id: i64,
        kind: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        max: i64,
        now: DateTime<Utc>,
    ) -> Result<ResourceFile>;
    async fn list_resource_files(&self, resource_id: i64) -> Result<Vec<ResourceFile>>;
    async fn get_resource_file(&self, id: i64) -> Result<(ResourceFile, Vec<u8>)>;
    async fn delete_resource_file(
        &self,
        resource_id: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// The coordinators (and owners) of an association with an email address: `(name, email)`.
    async fn coordinator_emails(&self, actor_id: i64) -> Result<Vec<(String, String)>>;
}

pub(super) const RESOURCE_COLS: &str = "id, ap_id, actor_id, name, description, category, \
    owner_kind, place, latitude, longitude, quantity, replacement_value, mode, price_per_day, \
    deposit, conditions, insurance_required, min_notice_hours, max_days, turnaround_hours, \
    approval, borrowers, borrower_list, agreement_template, remote_busy, deleted_at, created_at, \
    updated_at";

pub(super) const RESERVATION_COLS: &str = "id, resource_id, offer_id, borrower_actor_id, \
    quantity, start_time, end_time, state, reason, agreement_id, pickup_notes, return_notes, \
    owner_signed_by, owner_signed_at, borrower_signed_by, borrower_signed_at, created_at, \
    updated_at";

pub(super) const FILE_COLS: &str =
    "id, resource_id, kind, name, content_type, CAST(LENGTH(bytes) AS BIGINT) AS size, created_at";

#[derive(sqlx::FromRow)]
pub(super) struct ResourceRow {
    id: i64,
    ap_id: String,
    actor_id: i64,
    name: String,
    description: String,
    category: String,
    owner_kind: String,
    place: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    quantity: i64,
    replacement_value: Option<String>,
    mode: String,
    price_per_day: Option<String>,
    deposit: Option<String>,
    conditions: String,
    insurance_required: bool,
    min_notice_hours: i64,
    max_days: i64,
    turnaround_hours: i64,
    approval: String,
    borrowers: String,
    borrower_list: String,
    agreement_template: String,
    remote_busy: String,
    deleted_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ResourceRow> for Resource {
    type Error = super::StoreError;

    fn try_from(r: ResourceRow) -> std::result::Result<Resource, Self::Error> {
        let bad = |what: &str| super::StoreError::Corrupt(format!("resource {}: bad {what}", r.id));
        let money = |v: &Option<String>, what: &str| {
            v.as_deref()
                .map(|s| Decimal::from_str(s).map_err(|_| bad(what)))
                .transpose()
        };
        Ok(Resource {
            id: r.id,
            ap_id: r.ap_id.clone(),
            actor_id: r.actor_id,
            draft: ResourceDraft {
                name: r.name.clone(),
                description: r.description.clone(),
                category: r.category.clone(),
                owner_kind: r.owner_kind.clone(),
                place: r.place.clone(),
                latitude: r.latitude,
                longitude: r.longitude,
                quantity: r.quantity,
                replacement_value: money(&r.replacement_value, "value")?,
                mode: LoanMode::parse(&r.mode).ok_or_else(|| bad("mode"))?,
                price_per_day: money(&r.price_per_day, "price")?,
                deposit: money(&r.deposit, "deposit")?,
                conditions: r.conditions.clone(),
                insurance_required: r.insurance_required,
                min_notice_hours: r.min_notice_hours,
                max_days: r.max_days,
                turnaround_hours: r.turnaround_hours,
                approval: Approval::parse(&r.approval).ok_or_else(|| bad("approval"))?,
                borrowers: Borrowers::parse(&r.borrowers).ok_or_else(|| bad("borrowers"))?,
                borrower_list: r
                    .borrower_list
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                agreement_template: r.agreement_template.clone(),
            },
            remote_busy: serde_json::from_str(&r.remote_busy).map_err(|_| bad("busy periods"))?,
            deleted_at: r.deleted_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ReservationRow {
    id: i64,
    resource_id: i64,
    offer_id: String,
    borrower_actor_id: Option<i64>,
    quantity: i64,
    start_time: DateTime<Utc>,
    end_time: DateTime<Utc>,
    state: String,
    reason: String,
    agreement_id: Option<String>,
    pickup_notes: String,
    return_notes: String,
    owner_signed_by: Option<String>,
    owner_signed_at: Option<DateTime<Utc>>,
    borrower_signed_by: Option<String>,
    borrower_signed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn signature(by: Option<String>, at: Option<DateTime<Utc>>) -> Option<Signature> {
    Some(Signature { by: by?, at: at? })
}

impl TryFrom<ReservationRow> for Reservation {
    type Error = super::StoreError;

    fn try_from(r: ReservationRow) -> std::result::Result<Reservation, Self::Error> {
        Ok(Reservation {
            id: r.id,
            resource_id: r.resource_id,
            offer_id: r.offer_id,
            borrower_actor_id: r.borrower_actor_id,
            quantity: r.quantity,
            start: r.start_time,
            end: r.end_time,
            state: ReservationState::parse(&r.state).ok_or_else(|| {
                super::StoreError::Corrupt(format!("reservation {}: bad state", r.id))
            })?,
            reason: r.reason,
            agreement_id: r.agreement_id,
            pickup_notes: r.pickup_notes,
            return_notes: r.return_notes,
            owner_signed: signature(r.owner_signed_by, r.owner_signed_at),
            borrower_signed: signature(r.borrower_signed_by, r.borrower_signed_at),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct FileRow {
    id: i64,
    resource_id: i64,
    kind: String,
    name: String,
    content_type: String,
    size: i64,
    created_at: DateTime<Utc>,
}

impl From<FileRow> for ResourceFile {
    fn from(f: FileRow) -> ResourceFile {
        ResourceFile {
            id: f.id,
            resource_id: f.resource_id,
            kind: f.kind,
            name: f.name,
            content_type: f.content_type,
            size: f.size,
            created_at: f.created_at,
        }
    }
}

/// Money as stored: decimal text.
pub(super) fn money(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Busy periods as stored.
pub(super) fn busy_json(busy: &[BusyPeriod]) -> String {
    serde_json::to_string(busy).unwrap_or_else(|_| "[]".into())
}

macro_rules! resource_fns {
    ($store:ty, $db:ty, $begin_write:expr, $lock_row:expr) => {
        use $crate::domain::resource::{Reservation, ReservationState, Resource, ResourceDraft};
        use $crate::storage::resource_sql::{
            money, FileRow, NewReservation, ReservationMove, ReservationRow, ReserveOutcome,
            ResourceFile, ResourceRow, FILE_COLS, RESERVATION_COLS, RESOURCE_COLS,
        };

        async fn res_get(
            conn: &mut <$db as sqlx::Database>::Connection,
            id: i64,
            lock: bool,
        ) -> Result<Resource> {
            let sql = format!(
                "SELECT {RESOURCE_COLS} FROM resource WHERE id = $1{}",
                if lock { $lock_row } else { "" }
            );
            sqlx::query_as::<$db, ResourceRow>(&sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound("resource"))
                .and_then(Resource::try_from)
        }

        /// Inserts (`id` None) or updates the resource `ap_id` of `actor_id`; `busy` is kept for
        /// another node's resource.
        #[allow(clippy::too_many_arguments)]
        async fn res_write(
            conn: &mut <$db as sqlx::Database>::Connection,
            insert: bool,
            actor_id: i64,
            ap_id: &str,
            d: &ResourceDraft,
            busy: &str,
            now: DateTime<Utc>,
        ) -> Result<i64> {
            let sql = if insert {
                "INSERT INTO resource (ap_id, actor_id, name, description, category, owner_kind, place, \
                 latitude, longitude, quantity, replacement_value, mode, price_per_day, deposit, conditions, \
                 insurance_required, min_notice_hours, max_days, turnaround_hours, approval, borrowers, \
                 borrower_list, agreement_template, remote_busy, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                 $19, $20, $21, $22, $23, $24, $25, $25) RETURNING id"
            } else {
                "UPDATE resource SET name = $3, description = $4, category = $5, owner_kind = $6, place = $7, \
                 latitude = $8, longitude = $9, quantity = $10, replacement_value = $11, mode = $12, \
                 price_per_day = $13, deposit = $14, conditions = $15, insurance_required = $16, \
                 min_notice_hours = $17, max_days = $18, turnaround_hours = $19, approval = $20, \
                 borrowers = $21, borrower_list = $22, agreement_template = $23, remote_busy = $24, \
                 updated_at = $25, deleted_at = NULL \
                 WHERE ap_id = $1 AND actor_id = $2 RETURNING id"
            };
            sqlx::query_scalar::<$db, i64>(sql)
                .bind(ap_id)
                .bind(actor_id)
                .bind(&d.name)
                .bind(&d.description)
                .bind(&d.category)
                .bind(&d.owner_kind)
                .bind(&d.place)
                .bind(d.latitude)
                .bind(d.longitude)
                .bind(d.quantity)
                .bind(money(d.replacement_value))
                .bind(d.mode.as_str())
                .bind(money(d.price_per_day))
                .bind(money(d.deposit))
                .bind(&d.conditions)
                .bind(d.insurance_required)
                .bind(d.min_notice_hours)
                .bind(d.max_days)
                .bind(d.turnaround_hours)
                .bind(d.approval.as_str())
                .bind(d.borrowers.as_str())
                .bind(d.borrower_list.join("\n"))
                .bind(&d.agreement_template)
                .bind(busy)
                .bind(now)
                .fetch_optional(&mut *conn)
                .await
                .map_err(conflict("resource"))?
                .ok_or(StoreError::NotFound("resource"))
        }

        async fn res_save(
            pool: &sqlx::Pool<$db>,
            insert: bool,
            actor_id: i64,
            ap_id: &str,
            d: &ResourceDraft,
            now: DateTime<Utc>,
        ) -> Result<Resource> {
            let mut tx = pool.begin_with($begin_write).await?;
            let id = res_write(&mut *tx, insert, actor_id, ap_id, d, "[]", now).await?;
            let event = if insert {
                Outgoing::ResourcePublished { resource_id: id }
            } else {
                Outgoing::ResourceUpdated { resource_id: id }
            };
            push_event(&mut *tx, &event, now).await?;
            let r = res_get(&mut *tx, id, false).await?;
            tx.commit().await?;
            Ok(r)
        }

        async fn res_by_ap_id(
            conn: &mut <$db as sqlx::Database>::Connection,
            ap_id: &str,
        ) -> Result<Option<Resource>> {
            let sql = format!("SELECT {RESOURCE_COLS} FROM resource WHERE ap_id = $1");
            sqlx::query_as::<$db, ResourceRow>(&sql)
                .bind(ap_id)
                .fetch_optional(&mut *conn)
                .await?
                .map(Resource::try_from)
                .transpose()
        }

        async fn rsv_query(
            conn: &mut <$db as sqlx::Database>::Connection,
            filter: &str,
            key: &str,
        ) -> Result<Option<Reservation>> {
            let sql = format!("SELECT {RESERVATION_COLS} FROM reservation WHERE {filter} = $1");
            sqlx::query_as::<$db, ReservationRow>(&sql)
                .bind(key)
                .fetch_optional(&mut *conn)
                .await?
                .map(Reservation::try_from)
                .transpose()
        }

        async fn rsv_get(
            conn: &mut <$db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<Reservation> {
            let sql = format!("SELECT {RESERVATION_COLS} FROM reservation WHERE id = $1");
            sqlx::query_as::<$db, ReservationRow>(&sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound("reservation"))
                .and_then(Reservation::try_from)
        }

        async fn rsv_many(
            pool: &sqlx::Pool<$db>,
            filter: &str,
            bind: i64,
        ) -> Result<Vec<Reservation>> {
            let sql = format!("SELECT {RESERVATION_COLS} FROM reservation WHERE {filter} ORDER BY start_time, id LIMIT 5000");
            sqlx::query_as::<$db, ReservationRow>(&sql)
                .bind(bind)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Reservation::try_from)
                .collect()
        }

        /// The most items the holding reservations take at once over `[start, end)`, each
        /// stretched by the resource's turnaround buffer; `except` is left out.
        async fn rsv_peak(
            conn: &mut <$db as sqlx::Database>::Connection,
            resource: &Resource,
            start: DateTime<Utc>,
            end: DateTime<Utc>,
            except: Option<i64>,
        ) -> Result<i64> {
            let buffer = chrono::Duration::hours(resource.draft.turnaround_hours);
            let held: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> =
                sqlx::query_as::<$db, (i64, DateTime<Utc>, DateTime<Utc>)>(
                    "SELECT quantity, start_time, end_time FROM reservation WHERE resource_id = $1 \
                     AND state IN ('accepted', 'picked_up') AND start_time < $2 AND end_time > $3 \
                     AND ($4 IS NULL OR id <> $4)",
                )
                .bind(resource.id)
                .bind(end + buffer)
                .bind(start - buffer)
                .bind(except)
                .fetch_all(&mut *conn)
                .await?;
            let stretched: Vec<_> = held
                .into_iter()
                .map(|(q, s, e)| (q, s - buffer, e + buffer))
                .collect();
            Ok($crate::domain::resource::peak_use(&stretched, start, end))
        }

        async fn rsv_insert(
            conn: &mut <$db as sqlx::Database>::Connection,
            r: &NewReservation,
            state: &str,
            reason: &str,
            now: DateTime<Utc>,
        ) -> Result<i64> {
            let agreement = if state == "accepted" { r.agreement_id.clone() } else { None };
            sqlx::query_scalar::<$db, i64>(
                "INSERT INTO reservation (resource_id, offer_id, borrower_actor_id, quantity, start_time, end_time, \
                 state, reason, agreement_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(r.resource_id)
            .bind(&r.offer_id)
            .bind(r.borrower_actor_id)
            .bind(r.quantity)
            .bind(r.start)
            .bind(r.end)
            .bind(state)
            .bind(reason)
            .bind(agreement)
            .bind(now)
            .fetch_one(&mut *conn)
            .await
            .map_err(conflict("reservation"))
        }

        async fn rsv_reserve(
            pool: &sqlx::Pool<$db>,
            r: &NewReservation,
            owner_decides: bool,
            now: DateTime<Utc>,
        ) -> Result<ReserveOutcome> {
            let mut tx = pool.begin_with($begin_write).await?;
            let resource = res_get(&mut *tx, r.resource_id, true).await?;
            if let Some(existing) = rsv_query(&mut *tx, "offer_id", &r.offer_id).await? {
                return Ok(ReserveOutcome::Existing(existing));
            }
            if resource.deleted_at.is_some() {
                return Err(StoreError::NotFound("resource"));
            }
            let (state, reason) = if owner_decides {
                let peak = rsv_peak(&mut *tx, &resource, r.start, r.end, None).await?;
                let fits = peak + r.quantity <= resource.draft.quantity;
                match (fits, r.automatic) {
                    (false, _) => (
                        "refused",
                        format!(
                            "only {} of {} free over this period",
                            (resource.draft.quantity - peak).max(0),
                            resource.draft.quantity
                        ),
                    ),
                    (true, true) => ("accepted", String::new()),
                    (true, false) => ("requested", String::new()),
                }
            } else {
                ("requested", String::new())
            };
            let id = rsv_insert(&mut *tx, r, state, &reason, now).await?;
            push_event(
                &mut *tx,
                &Outgoing::ReservationChanged {
                    reservation_id: id,
                    by_owner: owner_decides,
                    state: state.to_string(),
                },
                now,
            )
            .await?;
            let saved = rsv_get(&mut *tx, id).await?;
            tx.commit().await?;
            Ok(ReserveOutcome::Recorded(saved))
        }

        async fn rsv_move(
            pool: &sqlx::Pool<$db>,
            id: i64,
            step: &ReservationMove,
            now: DateTime<Utc>,
        ) -> Result<Reservation> {
            let mut tx = pool.begin_with($begin_write).await?;
            let before = rsv_get(&mut *tx, id).await?;
            let resource = res_get(&mut *tx, before.resource_id, true).await?;
            // Read again under the lock: a concurrent move may have come first.
            let before = rsv_get(&mut *tx, id).await?;
            if !step.from.contains(&before.state) {
                return Err(StoreError::Conflict("reservation state"));
            }
            if step.check_pool && step.to == ReservationState::Accepted {
                let peak = rsv_peak(&mut *tx, &resource, before.start, before.end, Some(id)).await?;
                if peak + before.quantity > resource.draft.quantity {
                    return Err(StoreError::Conflict("free quantity for this period"));
                }
            }
            let (pickup, ret) = match step.to {
                ReservationState::PickedUp => (step.notes.clone(), None),
                ReservationState::Returned => (None, step.notes.clone()),
                _ => (None, None),
            };
            sqlx::query(
                "UPDATE reservation SET state = $2, reason = $3, updated_at = $4, \
                 agreement_id = COALESCE($5, agreement_id), pickup_notes = COALESCE($6, pickup_notes), \
                 return_notes = COALESCE($7, return_notes) WHERE id = $1",
            )
            .bind(id)
            .bind(step.to.as_str())
            .bind(&step.reason)
            .bind(now)
            .bind(step.agreement_id.clone())
            .bind(pickup)
            .bind(ret)
            .execute(&mut *tx)
            .await?;
            push_event(
                &mut *tx,
                &Outgoing::ReservationChanged {
                    reservation_id: id,
                    by_owner: step.by_owner,
                    state: step.to.as_str().to_string(),
                },
                now,
            )
            .await?;
            let after = rsv_get(&mut *tx, id).await?;
            tx.commit().await?;
            Ok(after)
        }

        #[async_trait::async_trait]
        impl $crate::storage::resource_sql::ResourceStore for $store {
            async fn create_resource(&self, actor_id: i64, ap_id: &str, draft: &ResourceDraft, now: DateTime<Utc>) -> Result<Resource> {
                res_save(&self.pool, true, actor_id, ap_id, draft, now).await
            }

            async fn update_resource(&self, actor_id: i64, ap_id: &str, draft: &ResourceDraft, now: DateTime<Utc>) -> Result<Resource> {
                res_save(&self.pool, false, actor_id, ap_id, draft, now).await
            }

            async fn delete_resource(&self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<()> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                res_get(&mut *tx, id, true).await?;
                let open: Vec<i64> = sqlx::query_scalar::<$db, i64>(
                    "SELECT id FROM reservation WHERE resource_id = $1 AND state IN ('requested', 'accepted')",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                for r in &open {
                    sqlx::query("UPDATE reservation SET state = 'cancelled', reason = $2, updated_at = $3 WHERE id = $1")
                        .bind(r)
                        .bind(reason)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    push_event(&mut *tx, &Outgoing::ReservationChanged { reservation_id: *r, by_owner: true, state: "cancelled".into() }, now).await?;
                }
                sqlx::query("UPDATE resource SET deleted_at = $2, updated_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                push_event(&mut *tx, &Outgoing::ResourceDeleted { resource_id: id }, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn save_remote_resource(&self, actor_id: i64, ap_id: &str, draft: &ResourceDraft, busy: &[$crate::domain::resource::BusyPeriod], now: DateTime<Utc>) -> Result<Resource> {
                let busy = $crate::storage::resource_sql::busy_json(busy);
                let mut tx = self.pool.begin_with($begin_write).await?;
                let known = res_by_ap_id(&mut *tx, ap_id).await?;
                if known.as_ref().is_some_and(|r| r.actor_id != actor_id) {
                    return Err(StoreError::Conflict("resource of another owner"));
                }
                let id = res_write(&mut *tx, known.is_none(), actor_id, ap_id, draft, &busy, now).await?;
                let r = res_get(&mut *tx, id, false).await?;
                tx.commit().await?;
                Ok(r)
            }

            async fn delete_remote_resource(&self, actor_id: i64, ap_id: &str, now: DateTime<Utc>) -> Result<bool> {
                let done = sqlx::query("UPDATE resource SET deleted_at = $3, updated_at = $3 WHERE ap_id = $1 AND actor_id = $2 AND deleted_at IS NULL")
                    .bind(ap_id)
                    .bind(actor_id)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn get_resource(&self, id: i64) -> Result<Resource> {
                let mut conn = self.pool.acquire().await?;
                res_get(&mut *conn, id, false).await
            }

            async fn find_resource_by_ap_id(&self, ap_id: &str) -> Result<Option<Resource>> {
                let mut conn = self.pool.acquire().await?;
                res_by_ap_id(&mut *conn, ap_id).await
            }

            async fn list_resources(&self, actor_id: Option<i64>) -> Result<Vec<Resource>> {
                let sql = format!(
                    "SELECT {RESOURCE_COLS} FROM resource WHERE deleted_at IS NULL AND ($1 IS NULL OR actor_id = $1) \
                     ORDER BY name, id LIMIT 2000"
                );
                sqlx::query_as::<$db, ResourceRow>(&sql)
                    .bind(actor_id)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(Resource::try_from)
                    .collect()
            }

            async fn reserve(&self, request: NewReservation, now: DateTime<Utc>) -> Result<ReserveOutcome> {
                rsv_reserve(&self.pool, &request, true, now).await
            }

            async fn record_offer(&self, request: NewReservation, now: DateTime<Utc>) -> Result<ReserveOutcome> {
                rsv_reserve(&self.pool, &request, false, now).await
            }

            async fn move_reservation(&self, id: i64, step: &ReservationMove, now: DateTime<Utc>) -> Result<Reservation> {
                rsv_move(&self.pool, id, step, now).await
            }

            async fn sign_agreement(&self, id: i64, owner_side: bool, by: &str, at: DateTime<Utc>, announce: bool) -> Result<Reservation> {
                let sql = if owner_side {
                    "UPDATE reservation SET owner_signed_by = $2, owner_signed_at = $3 WHERE id = $1 AND owner_signed_by IS NULL"
                } else {
                    "UPDATE reservation SET borrower_signed_by = $2, borrower_signed_at = $3 WHERE id = $1 AND borrower_signed_by IS NULL"
                };
                let mut tx = self.pool.begin_with($begin_write).await?;
                let done = sqlx::query(sql).bind(id).bind(by).bind(at).execute(&mut *tx).await?;
                if done.rows_affected() > 0 && announce {
                    push_event(&mut *tx, &Outgoing::ReservationChanged { reservation_id: id, by_owner: owner_side, state: String::new() }, at).await?;
                }
                let r = rsv_get(&mut *tx, id).await?;
                tx.commit().await?;
                Ok(r)
            }

            async fn get_reservation(&self, id: i64) -> Result<Reservation> {
                let mut conn = self.pool.acquire().await?;
                rsv_get(&mut *conn, id).await
            }

            async fn find_reservation_by_offer(&self, offer_id: &str) -> Result<Option<Reservation>> {
                let mut conn = self.pool.acquire().await?;
                rsv_query(&mut *conn, "offer_id", offer_id).await
            }

            async fn find_reservation_by_agreement(&self, agreement_id: &str) -> Result<Option<Reservation>> {
                let mut conn = self.pool.acquire().await?;
                rsv_query(&mut *conn, "agreement_id", agreement_id).await
            }

            async fn list_reservations(&self, resource_id: i64) -> Result<Vec<Reservation>> {
                rsv_many(&self.pool, "resource_id = $1", resource_id).await
            }

            async fn list_actor_reservations(&self, actor_id: i64) -> Result<Vec<Reservation>> {
                rsv_many(
                    &self.pool,
                    "borrower_actor_id = $1 OR resource_id IN (SELECT id FROM resource WHERE actor_id = $1)",
                    actor_id,
                )
                .await
            }

            async fn reservations_due(&self, until: DateTime<Utc>) -> Result<Vec<Reservation>> {
                let sql = format!(
                    "SELECT {RESERVATION_COLS} FROM reservation WHERE (state = 'accepted' AND start_time < $1) \
                     OR (state = 'picked_up' AND end_time < $1) ORDER BY start_time, id LIMIT 5000"
                );
                sqlx::query_as::<$db, ReservationRow>(&sql)
                    .bind(until)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(Reservation::try_from)
                    .collect()
            }

            async fn add_resource_file(&self, resource_id: i64, kind: &str, name: &str, content_type: &str, bytes: &[u8], max: i64, now: DateTime<Utc>) -> Result<ResourceFile> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                res_get(&mut *tx, resource_id, true).await?;
                let count: i64 = sqlx::query_scalar::<$db, i64>("SELECT COUNT(*) FROM resource_file WHERE resource_id = $1 AND kind = $2")
                    .bind(resource_id)
                    .bind(kind)
                    .fetch_one(&mut *tx)
                    .await?;
                if count >= max {
                    return Err(StoreError::Conflict("files of this kind"));
                }
                let id: i64 = sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO resource_file (resource_id, kind, name, content_type, bytes, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(resource_id)
                .bind(kind)
                .bind(name)
                .bind(content_type)
                .bind(bytes)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                // A photo changes what followers see.
                if kind == "photo" {
                    push_event(&mut *tx, &Outgoing::ResourceUpdated { resource_id }, now).await?;
                }
                let sql = format!("SELECT {FILE_COLS} FROM resource_file WHERE id = $1");
                let f = sqlx::query_as::<$db, FileRow>(&sql).bind(id).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                Ok(f.into())
            }

            async fn list_resource_files(&self, resource_id: i64) -> Result<Vec<ResourceFile>> {
                let sql = format!("SELECT {FILE_COLS} FROM resource_file WHERE resource_id = $1 ORDER BY kind, id");
                Ok(sqlx::query_as::<$db, FileRow>(&sql)
                    .bind(resource_id)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(ResourceFile::from)
                    .collect())
            }

            async fn get_resource_file(&self, id: i64) -> Result<(ResourceFile, Vec<u8>)> {
                let sql = format!("SELECT {FILE_COLS} FROM resource_file WHERE id = $1");
                let f = sqlx::query_as::<$db, FileRow>(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound("file"))?;
                let bytes: Vec<u8> = sqlx::query_scalar::<$db, Vec<u8>>("SELECT bytes FROM resource_file WHERE id = $1")
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await?;
                Ok((f.into(), bytes))
            }

            async fn coordinator_emails(&self, actor_id: i64) -> Result<Vec<(String, String)>> {
                Ok(sqlx::query_as::<$db, (String, String)>(
                    "SELECT u.name, u.email FROM membership m JOIN user_account u ON u.id = m.user_id \
                     WHERE m.actor_id = $1 AND m.role IN ('coordinator', 'owner') AND u.email IS NOT NULL \
                     ORDER BY u.name",
                )
                .bind(actor_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn delete_resource_file(&self, resource_id: i64, id: i64, now: DateTime<Utc>) -> Result<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let done = sqlx::query("DELETE FROM resource_file WHERE id = $1 AND resource_id = $2")
                    .bind(id)
                    .bind(resource_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() > 0 {
                    push_event(&mut *tx, &Outgoing::ResourceUpdated { resource_id }, now).await?;
                }
                tx.commit().await?;
                Ok(done.rows_affected() > 0)
            }
        }
    };
}

pub(super) use resource_fns;
