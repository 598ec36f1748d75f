//! Reservations of shared equipment. A request is decided in one transaction that locks the
//! resource (`BEGIN IMMEDIATE` on SQLite, `FOR UPDATE` on PostgreSQL), by
//! [`crate::domain::reservation`]: the pool is never overbooked however many requests arrive
//! at once, and the same offer id twice is one reservation.

use super::db::{query, query_as, query_scalar, values_list, Exec, Pool, Tx};
use super::resources::resource_by_id;
use super::shared::{conflict, push_event, IN_LIST_CHUNK};
use super::{Result, SqlStore, StoreError};
use crate::domain::events::Outgoing;
use crate::domain::reservation::{
    check_pool, decide_reservation, held_window, HeldLoan, ReservationDecision,
};
use crate::domain::resource::{Reservation, ReservationState, Resource, Signature};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use super::reservation_pages::{ReservationPage, ReservationsOf};

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

pub(super) const RESERVATION_COLS: &str =
    "id, resource_id, offer_id, borrower_actor_id, quantity, start_time, end_time, state, reason, \
     agreement_id, pickup_notes, return_notes, owner_signed_by, owner_signed_at, \
     borrower_signed_by, borrower_signed_at, created_at, updated_at";

/// The reservations to remind of (the reminder scan, once a minute): the accepted ones
/// starting in `($1, $2)` and the picked-up ones ending before `$2`, each a range of its own
/// partial index (migration 0031), so the scan reads the loans of the next day and those out,
/// not every reservation the node ever recorded (issue 17). The accepted ones already started
/// (never picked up) stay out: read each minute for nothing, and, being the oldest, the first
/// 5,000 of them would have hidden every loan to come.
pub(super) fn due_sql() -> String {
    format!(
        "SELECT {RESERVATION_COLS} FROM reservation WHERE (state = 'accepted' AND start_time > \
         $1 AND start_time < $2) OR (state = 'picked_up' AND end_time < $2) ORDER BY \
         start_time, id LIMIT 5000"
    )
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

/// Reservations.
#[async_trait]
pub trait ReservationStore: Send + Sync {
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
    /// The reservations of these resources that end after `ending_after`, by start: one read
    /// for the availability of a list of resources.
    async fn list_reservations_of(
        &self,
        resource_ids: &[i64],
        ending_after: DateTime<Utc>,
    ) -> Result<Vec<Reservation>>;
    /// An association's reservations, as owner of the resource or as borrower, by start.
    async fn list_actor_reservations(&self, actor_id: i64) -> Result<Vec<Reservation>>;
    /// A page of a resource's or an association's reservations by start, then id (keyset:
    /// [`ReservationPage`]): the API's pages and the chunks of the streamed CSV.
    async fn list_reservations_after(&self, page: ReservationPage) -> Result<Vec<Reservation>>;
    /// Accepted loans starting in `(now, until)`, and loans out ending before `until`, overdue
    /// ones included (reminders). An accepted loan whose start has passed is no longer due: it
    /// was never picked up, and the scan has nothing to say about it.
    async fn reservations_due(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Reservation>>;
}

async fn reservation_by(
    ex: impl Into<Exec<'_>> + Send,
    filter: &str,
    key: &str,
) -> Result<Option<Reservation>> {
    let sql = format!("SELECT {RESERVATION_COLS} FROM reservation WHERE {filter} = $1");
    query_as::<ReservationRow>(&sql)
        .bind(key)
        .fetch_optional(ex)
        .await?
        .map(Reservation::try_from)
        .transpose()
}

async fn reservation_by_id(ex: impl Into<Exec<'_>> + Send, id: i64) -> Result<Reservation> {
    let sql = format!("SELECT {RESERVATION_COLS} FROM reservation WHERE id = $1");
    query_as::<ReservationRow>(&sql)
        .bind(id)
        .fetch_optional(ex)
        .await?
        .ok_or(StoreError::NotFound("reservation"))
        .and_then(Reservation::try_from)
}

async fn reservations_where(pool: &Pool, filter: &str, bind: i64) -> Result<Vec<Reservation>> {
    let sql = format!(
        "SELECT {RESERVATION_COLS} FROM reservation WHERE {filter} ORDER BY start_time, id LIMIT \
         5000"
    );
    query_as::<ReservationRow>(&sql)
        .bind(bind)
        .fetch_all_try(pool, Reservation::try_from)
        .await
}

/// The loans that hold items of `resource` over `[start, end)` and its turnaround buffers;
/// `except` is left out.
async fn held_loans(
    conn: &mut Tx,
    resource: &Resource,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    except: Option<i64>,
) -> Result<Vec<HeldLoan>> {
    let (from, to) = held_window(&resource.draft, start, end);
    Ok(query_as::<HeldLoan>(
        "SELECT quantity, start_time, end_time FROM reservation WHERE resource_id = $1 \
         AND state IN ('accepted', 'picked_up') AND start_time < $2 AND end_time > $3 \
         AND ($4 IS NULL OR id <> $4)",
    )
    .bind(resource.id)
    .bind(to)
    .bind(from)
    .bind(except)
    .fetch_all(&mut *conn)
    .await?)
}

/// Records a request in one transaction that locks the resource: decided by the domain on
/// the owner's node (`owner_decides`), kept as requested on the borrower's.
async fn record_request(
    pool: &Pool,
    r: &NewReservation,
    owner_decides: bool,
    now: DateTime<Utc>,
) -> Result<ReserveOutcome> {
    let mut tx = pool.begin_write().await?;
    let resource = resource_by_id(&mut tx, r.resource_id, true).await?;
    if let Some(existing) = reservation_by(&mut tx, "offer_id", &r.offer_id).await? {
        return Ok(ReserveOutcome::Existing(existing));
    }
    if resource.deleted_at.is_some() {
        return Err(StoreError::NotFound("resource"));
    }
    let decision = if owner_decides {
        let held = held_loans(&mut tx, &resource, r.start, r.end, None).await?;
        let draft = &resource.draft;
        decide_reservation(draft, r.quantity, r.start, r.end, &held, r.automatic)
    } else {
        ReservationDecision::Request
    };
    let reason = match decision {
        ReservationDecision::Refuse(why) => why.stored(),
        _ => String::new(),
    };
    let state = decision.state();
    let id = insert_reservation(&mut tx, r, state, &reason, now).await?;
    let event = Outgoing::ReservationChanged {
        reservation_id: id,
        by_owner: owner_decides,
        state: state.as_str().to_string(),
    };
    push_event(&mut tx, &event, now).await?;
    let saved = reservation_by_id(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ReserveOutcome::Recorded(saved))
}

async fn insert_reservation(
    conn: &mut Tx,
    r: &NewReservation,
    state: ReservationState,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let agreement = if state == ReservationState::Accepted {
        r.agreement_id.clone()
    } else {
        None
    };
    query_scalar::<i64>(
        "INSERT INTO reservation (resource_id, offer_id, borrower_actor_id, quantity, start_time, \
         end_time, state, reason, agreement_id, created_at, updated_at) VALUES ($1, $2, $3, $4, \
         $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(r.resource_id)
    .bind(&r.offer_id)
    .bind(r.borrower_actor_id)
    .bind(r.quantity)
    .bind(r.start)
    .bind(r.end)
    .bind(state.as_str())
    .bind(reason)
    .bind(agreement)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(conflict("reservation"))
}

#[async_trait]
impl ReservationStore for SqlStore {
    async fn reserve(&self, request: NewReservation, now: DateTime<Utc>) -> Result<ReserveOutcome> {
        record_request(&self.pool, &request, true, now).await
    }

    async fn record_offer(
        &self,
        request: NewReservation,
        now: DateTime<Utc>,
    ) -> Result<ReserveOutcome> {
        record_request(&self.pool, &request, false, now).await
    }

    async fn move_reservation(
        &self,
        id: i64,
        step: &ReservationMove,
        now: DateTime<Utc>,
    ) -> Result<Reservation> {
        let mut tx = self.pool.begin_write().await?;
        let before = reservation_by_id(&mut tx, id).await?;
        let resource = resource_by_id(&mut tx, before.resource_id, true).await?;
        // Read again under the lock: a concurrent move may have come first.
        let before = reservation_by_id(&mut tx, id).await?;
        if !step.from.contains(&before.state) {
            return Err(StoreError::Conflict("reservation state"));
        }
        if step.check_pool && step.to == ReservationState::Accepted {
            let held = held_loans(&mut tx, &resource, before.start, before.end, Some(id)).await?;
            let (quantity, start, end) = (before.quantity, before.start, before.end);
            if check_pool(&resource.draft, quantity, start, end, &held).is_err() {
                return Err(StoreError::Conflict("free quantity for this period"));
            }
        }
        let (pickup, ret) = match step.to {
            ReservationState::PickedUp => (step.notes.clone(), None),
            ReservationState::Returned => (None, step.notes.clone()),
            _ => (None, None),
        };
        query(
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
        .execute(&mut tx)
        .await?;
        push_event(
            &mut tx,
            &Outgoing::ReservationChanged {
                reservation_id: id,
                by_owner: step.by_owner,
                state: step.to.as_str().to_string(),
            },
            now,
        )
        .await?;
        let after = reservation_by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn sign_agreement(
        &self,
        id: i64,
        owner_side: bool,
        by: &str,
        at: DateTime<Utc>,
        announce: bool,
    ) -> Result<Reservation> {
        let sql = if owner_side {
            "UPDATE reservation SET owner_signed_by = $2, owner_signed_at = $3 WHERE id = $1 AND \
             owner_signed_by IS NULL"
        } else {
            "UPDATE reservation SET borrower_signed_by = $2, borrower_signed_at = $3 WHERE id = \
             $1 AND borrower_signed_by IS NULL"
        };
        let mut tx = self.pool.begin_write().await?;
        let done = query(sql)
            .bind(id)
            .bind(by)
            .bind(at)
            .execute(&mut tx)
            .await?;
        if done.rows_affected() > 0 && announce {
            push_event(
                &mut tx,
                &Outgoing::ReservationChanged {
                    reservation_id: id,
                    by_owner: owner_side,
                    state: String::new(),
                },
                at,
            )
            .await?;
        }
        let r = reservation_by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(r)
    }

    async fn get_reservation(&self, id: i64) -> Result<Reservation> {
        reservation_by_id(&self.pool, id).await
    }

    async fn find_reservation_by_offer(&self, offer_id: &str) -> Result<Option<Reservation>> {
        reservation_by(&self.pool, "offer_id", offer_id).await
    }

    async fn find_reservation_by_agreement(
        &self,
        agreement_id: &str,
    ) -> Result<Option<Reservation>> {
        reservation_by(&self.pool, "agreement_id", agreement_id).await
    }

    async fn list_reservations(&self, resource_id: i64) -> Result<Vec<Reservation>> {
        reservations_where(&self.pool, "resource_id = $1", resource_id).await
    }

    async fn list_reservations_of(
        &self,
        resource_ids: &[i64],
        ending_after: DateTime<Utc>,
    ) -> Result<Vec<Reservation>> {
        let mut out = Vec::new();
        for chunk in resource_ids.chunks(IN_LIST_CHUNK) {
            let sql = format!(
                "SELECT {RESERVATION_COLS} FROM reservation WHERE end_time > $1 AND resource_id \
                 IN {} ORDER BY start_time, id",
                values_list(1, chunk.len(), 2)
            );
            let mut read = query_as::<ReservationRow>(&sql).bind(ending_after);
            for id in chunk {
                read = read.bind(*id);
            }
            for row in read.fetch_all(&self.pool).await? {
                out.push(Reservation::try_from(row)?);
            }
        }
        out.sort_by_key(|r| (r.start, r.id));
        Ok(out)
    }

    async fn list_actor_reservations(&self, actor_id: i64) -> Result<Vec<Reservation>> {
        reservations_where(
            &self.pool,
            "borrower_actor_id = $1 OR resource_id IN (SELECT id FROM resource WHERE actor_id = \
             $1)",
            actor_id,
        )
        .await
    }

    async fn list_reservations_after(&self, page: ReservationPage) -> Result<Vec<Reservation>> {
        super::reservation_pages::page(&self.pool, page).await
    }

    async fn reservations_due(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Reservation>> {
        query_as::<ReservationRow>(&due_sql())
            .bind(now)
            .bind(until)
            .fetch_all_try(&self.pool, Reservation::try_from)
            .await
    }
}
