//! The SQL of shared equipment (issue 4): resources and reservations. A reservation is decided
//! in one transaction that locks the resource (`BEGIN IMMEDIATE` on SQLite, `FOR UPDATE` on
//! PostgreSQL): the pool is never overbooked however many requests arrive at once, and the same
//! offer id twice is one reservation. `store_impl!` stamps these functions onto each back end
//! with `resource_fns!($db, $begin_write, $lock_row)`.

use crate::domain::resource::{
    Approval, LoanMode, Reservation, ReservationState, Resource, ResourceDraft,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
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
}

/// What a request became.
#[derive(Debug, Clone, PartialEq)]
pub enum ReserveOutcome {
    /// Recorded now: accepted, requested, or refused because the pool is taken.
    Recorded(Reservation),
    /// This offer id was recorded before: nothing changed.
    Existing(Reservation),
}

pub(super) const RESOURCE_COLS: &str = "id, ap_id, actor_id, name, description, category, \
    owner_kind, place, latitude, longitude, quantity, replacement_value, mode, price_per_day, \
    deposit, conditions, insurance_required, min_notice_hours, max_days, turnaround_hours, \
    approval, created_at, updated_at";

pub(super) const RESERVATION_COLS: &str = "id, resource_id, offer_id, borrower_actor_id, \
    quantity, start_time, end_time, state, reason, created_at, updated_at";

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
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ResourceRow> for Resource {
    type Error = super::StoreError;

    fn try_from(r: ResourceRow) -> Result<Resource, Self::Error> {
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
            },
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
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ReservationRow> for Reservation {
    type Error = super::StoreError;

    fn try_from(r: ReservationRow) -> Result<Reservation, Self::Error> {
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
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// Money as stored: decimal text.
pub(super) fn money(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

macro_rules! resource_fns {
    ($db:ty, $begin_write:expr, $lock_row:expr) => {
        async fn res_get(
            conn: &mut <$db as sqlx::Database>::Connection,
            id: i64,
            lock: bool,
        ) -> $crate::storage::Result<$crate::domain::resource::Resource> {
            let sql = format!(
                "SELECT {} FROM resource WHERE id = $1{}",
                $crate::storage::resource_sql::RESOURCE_COLS,
                if lock { $lock_row } else { "" }
            );
            sqlx::query_as::<$db, $crate::storage::resource_sql::ResourceRow>(&sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or($crate::storage::StoreError::NotFound("resource"))
                .and_then($crate::domain::resource::Resource::try_from)
        }

        async fn res_save(
            pool: &sqlx::Pool<$db>,
            id: Option<i64>,
            actor_id: i64,
            ap_id: &str,
            d: &$crate::domain::resource::ResourceDraft,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<$crate::domain::resource::Resource> {
            use $crate::storage::resource_sql::money;
            let sql = match id {
                None => "INSERT INTO resource (ap_id, actor_id, name, description, category, owner_kind, place, \
                     latitude, longitude, quantity, replacement_value, mode, price_per_day, deposit, conditions, \
                     insurance_required, min_notice_hours, max_days, turnaround_hours, approval, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21) \
                     RETURNING id",
                Some(_) => "UPDATE resource SET name = $3, description = $4, category = $5, owner_kind = $6, place = $7, \
                     latitude = $8, longitude = $9, quantity = $10, replacement_value = $11, mode = $12, \
                     price_per_day = $13, deposit = $14, conditions = $15, insurance_required = $16, \
                     min_notice_hours = $17, max_days = $18, turnaround_hours = $19, approval = $20, updated_at = $21 \
                     WHERE ap_id = $1 AND actor_id = $2 RETURNING id",
            };
            let mut tx = pool.begin_with($begin_write).await?;
            let saved: i64 = sqlx::query_scalar::<$db, i64>(sql)
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
                .bind(now)
                .fetch_optional(&mut *tx)
                .await
                .map_err($crate::storage::sql::conflict("resource"))?
                .ok_or($crate::storage::StoreError::NotFound("resource"))?;
            let r = res_get(&mut *tx, saved, false).await?;
            tx.commit().await?;
            Ok(r)
        }

        async fn res_list(
            pool: &sqlx::Pool<$db>,
            actor_id: Option<i64>,
        ) -> $crate::storage::Result<Vec<$crate::domain::resource::Resource>> {
            let sql = format!(
                "SELECT {} FROM resource WHERE ($1 IS NULL OR actor_id = $1) ORDER BY name, id LIMIT 1000",
                $crate::storage::resource_sql::RESOURCE_COLS
            );
            sqlx::query_as::<$db, $crate::storage::resource_sql::ResourceRow>(&sql)
                .bind(actor_id)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map($crate::domain::resource::Resource::try_from)
                .collect()
        }

        async fn rsv_by_offer(
            conn: &mut <$db as sqlx::Database>::Connection,
            offer_id: &str,
        ) -> $crate::storage::Result<Option<$crate::domain::resource::Reservation>> {
            let sql = format!(
                "SELECT {} FROM reservation WHERE offer_id = $1",
                $crate::storage::resource_sql::RESERVATION_COLS
            );
            sqlx::query_as::<$db, $crate::storage::resource_sql::ReservationRow>(&sql)
                .bind(offer_id)
                .fetch_optional(&mut *conn)
                .await?
                .map($crate::domain::resource::Reservation::try_from)
                .transpose()
        }

        async fn rsv_get(
            conn: &mut <$db as sqlx::Database>::Connection,
            id: i64,
        ) -> $crate::storage::Result<$crate::domain::resource::Reservation> {
            let sql = format!(
                "SELECT {} FROM reservation WHERE id = $1",
                $crate::storage::resource_sql::RESERVATION_COLS
            );
            sqlx::query_as::<$db, $crate::storage::resource_sql::ReservationRow>(&sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or($crate::storage::StoreError::NotFound("reservation"))
                .and_then($crate::domain::resource::Reservation::try_from)
        }

        /// The most items the holding reservations take at once over `[start, end)`, each
        /// stretched by the resource's turnaround buffer; `except` is left out.
        async fn rsv_peak(
            conn: &mut <$db as sqlx::Database>::Connection,
            resource: &$crate::domain::resource::Resource,
            start: chrono::DateTime<chrono::Utc>,
            end: chrono::DateTime<chrono::Utc>,
            except: Option<i64>,
        ) -> $crate::storage::Result<i64> {
            let buffer = chrono::Duration::hours(resource.draft.turnaround_hours);
            let held: Vec<(i64, chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> =
                sqlx::query_as::<$db, (i64, chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>(
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

        async fn rsv_reserve(
            pool: &sqlx::Pool<$db>,
            r: &$crate::storage::resource_sql::NewReservation,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<$crate::storage::resource_sql::ReserveOutcome> {
            use $crate::storage::resource_sql::ReserveOutcome;
            let mut tx = pool.begin_with($begin_write).await?;
            let resource = res_get(&mut *tx, r.resource_id, true).await?;
            if let Some(existing) = rsv_by_offer(&mut *tx, &r.offer_id).await? {
                return Ok(ReserveOutcome::Existing(existing));
            }
            let peak = rsv_peak(&mut *tx, &resource, r.start, r.end, None).await?;
            let fits = peak + r.quantity <= resource.draft.quantity;
            let (state, reason) = match (fits, r.automatic) {
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
            };
            let id: i64 = sqlx::query_scalar::<$db, i64>(
                "INSERT INTO reservation (resource_id, offer_id, borrower_actor_id, quantity, start_time, end_time, \
                 state, reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(r.resource_id)
            .bind(&r.offer_id)
            .bind(r.borrower_actor_id)
            .bind(r.quantity)
            .bind(r.start)
            .bind(r.end)
            .bind(state)
            .bind(&reason)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err($crate::storage::sql::conflict("reservation"))?;
            let saved = rsv_get(&mut *tx, id).await?;
            tx.commit().await?;
            Ok(ReserveOutcome::Recorded(saved))
        }

        /// Moves a reservation to `state`; accepting checks the pool again in the same
        /// transaction (a request waiting for approval holds nothing until then).
        async fn rsv_set_state(
            pool: &sqlx::Pool<$db>,
            id: i64,
            state: $crate::domain::resource::ReservationState,
            reason: &str,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<$crate::domain::resource::Reservation> {
            let mut tx = pool.begin_with($begin_write).await?;
            let before = rsv_get(&mut *tx, id).await?;
            let resource = res_get(&mut *tx, before.resource_id, true).await?;
            if state == $crate::domain::resource::ReservationState::Accepted {
                let peak = rsv_peak(&mut *tx, &resource, before.start, before.end, Some(id)).await?;
                if peak + before.quantity > resource.draft.quantity {
                    return Err($crate::storage::StoreError::Conflict("free quantity for this period"));
                }
            }
            sqlx::query("UPDATE reservation SET state = $2, reason = $3, updated_at = $4 WHERE id = $1")
                .bind(id)
                .bind(state.as_str())
                .bind(reason)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let after = rsv_get(&mut *tx, id).await?;
            tx.commit().await?;
            Ok(after)
        }

        async fn rsv_list(
            pool: &sqlx::Pool<$db>,
            resource_id: i64,
        ) -> $crate::storage::Result<Vec<$crate::domain::resource::Reservation>> {
            let sql = format!(
                "SELECT {} FROM reservation WHERE resource_id = $1 ORDER BY start_time, id",
                $crate::storage::resource_sql::RESERVATION_COLS
            );
            sqlx::query_as::<$db, $crate::storage::resource_sql::ReservationRow>(&sql)
                .bind(resource_id)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map($crate::domain::resource::Reservation::try_from)
                .collect()
        }
    };
}

pub(super) use resource_fns;
