//! The types of volunteer hours' storage: what to insert and list, an entry's history, and the
//! rows they are read from.

use crate::domain::hours::{HoursDraft, HoursEntry, HoursStatus, Volunteer};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::str::FromStr;

/// An entry to insert.
#[derive(Debug, Clone)]
pub struct NewHoursEntry {
    pub actor_id: i64,
    pub volunteer: Volunteer,
    pub draft: HoursDraft,
    pub status: HoursStatus,
    pub slot_id: Option<i64>,
    pub participation_id: Option<i64>,
    /// The `EconomicEvent` id, for an entry that crosses servers.
    pub ap_id: Option<String>,
}

/// Which entries to list (all filters optional).
#[derive(Debug, Clone, Default)]
pub struct HoursQuery {
    pub actor_id: Option<i64>,
    pub user_id: Option<i64>,
    /// First day, included.
    pub from: Option<NaiveDate>,
    /// Last day, included.
    pub to: Option<NaiveDate>,
    pub status: Option<HoursStatus>,
    pub limit: i64,
    /// Only those before this `(start_date, id)` in the list's order (newest first): the
    /// keyset cursor of a page, cheap at any depth.
    pub before: Option<(NaiveDate, i64)>,
}

/// One change of an entry: `before` is `None` for a creation, `after` for a deletion.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HoursHistory {
    pub id: i64,
    pub entry_id: i64,
    pub changed_by: Option<i64>,
    pub changed_at: DateTime<Utc>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// What marking a sign-up present or absent did.
#[derive(Debug, Clone, PartialEq)]
pub enum AttendanceOutcome {
    /// Recorded now; the new entry for a presence.
    Recorded { entry: Option<Box<HoursEntry>> },
    /// Already marked before: nothing changed.
    AlreadyMarked {
        present: bool,
        entry_id: Option<i64>,
    },
}

/// How far a slot's attendance is: its accepted sign-ups, and how many marks it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct AttendanceCount {
    pub slot_id: i64,
    pub accepted: i64,
    pub marked: i64,
}

pub(super) const HOURS_SELECT: &str =
    "SELECT h.id, h.actor_id, h.user_id, h.guest_name, COALESCE(NULLIF(u.full_name, ''), u.name) AS user_name, h.start_date, \
     h.end_date, h.minutes, h.distance_km, h.category, h.mission_id, h.description, h.status, \
     h.reason, h.slot_id, h.participation_id, h.created_by, h.created_at, h.updated_at, \
     h.remote_actor, h.ap_id FROM hours_entry h LEFT JOIN user_account u ON u.id = h.user_id";

#[derive(sqlx::FromRow)]
pub(super) struct HoursRow {
    id: i64,
    actor_id: i64,
    user_id: Option<i64>,
    guest_name: Option<String>,
    user_name: Option<String>,
    start_date: String,
    end_date: String,
    minutes: i64,
    distance_km: Option<String>,
    category: String,
    mission_id: Option<i64>,
    description: String,
    status: String,
    reason: String,
    slot_id: Option<i64>,
    participation_id: Option<i64>,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    remote_actor: Option<String>,
    ap_id: Option<String>,
}

fn corrupt(id: i64, what: &str) -> super::StoreError {
    super::StoreError::Corrupt(format!("hours entry {id}: bad {what}"))
}

impl TryFrom<HoursRow> for HoursEntry {
    type Error = super::StoreError;

    fn try_from(r: HoursRow) -> Result<HoursEntry, Self::Error> {
        let date =
            |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| corrupt(r.id, "date"));
        let volunteer = match (r.user_id, &r.guest_name, &r.remote_actor) {
            (Some(user_id), _, _) => Volunteer::User { user_id },
            (None, name, Some(actor_ap_id)) => Volunteer::Remote {
                actor_ap_id: actor_ap_id.clone(),
                name: name.clone().unwrap_or_default(),
            },
            (None, Some(name), None) => Volunteer::Guest { name: name.clone() },
            // The user's account was deleted: the hours stay, anonymous.
            (None, None, None) => Volunteer::Former,
        };
        let distance_km = r
            .distance_km
            .as_deref()
            .map(|s| Decimal::from_str(s).map_err(|_| corrupt(r.id, "distance")))
            .transpose()?;
        Ok(HoursEntry {
            id: r.id,
            actor_id: r.actor_id,
            volunteer,
            user_name: r.user_name,
            draft: HoursDraft {
                start_date: date(&r.start_date)?,
                end_date: date(&r.end_date)?,
                minutes: r.minutes,
                distance_km,
                category: r.category,
                mission_id: r.mission_id,
                description: r.description,
            },
            status: HoursStatus::parse(&r.status).ok_or_else(|| corrupt(r.id, "status"))?,
            reason: r.reason,
            slot_id: r.slot_id,
            participation_id: r.participation_id,
            ap_id: r.ap_id,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct HistoryRow {
    id: i64,
    entry_id: i64,
    changed_by: Option<i64>,
    changed_at: DateTime<Utc>,
    before_json: Option<String>,
    after_json: Option<String>,
}

impl TryFrom<HistoryRow> for HoursHistory {
    type Error = super::StoreError;

    fn try_from(r: HistoryRow) -> Result<HoursHistory, Self::Error> {
        let parse = |s: &Option<String>| {
            s.as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| super::StoreError::Corrupt(format!("hours history {}: {e}", r.id)))
        };
        Ok(HoursHistory {
            id: r.id,
            entry_id: r.entry_id,
            changed_by: r.changed_by,
            changed_at: r.changed_at,
            before: parse(&r.before_json)?,
            after: parse(&r.after_json)?,
        })
    }
}

pub(super) fn entry_json(e: &HoursEntry) -> super::Result<String> {
    serde_json::to_string(e).map_err(|err| super::StoreError::Corrupt(err.to_string()))
}

/// The stored text of a date.
pub(super) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(super) fn settings_from_row(
    actor_id: i64,
    row: (bool, String, String, String),
) -> super::Result<crate::domain::hours::HoursSettings> {
    let bad =
        |what: &str| super::StoreError::Corrupt(format!("hours settings {actor_id}: bad {what}"));
    let (moderation, hourly, per_category, mileage) = row;
    let category_rates: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&per_category).map_err(|_| bad("category rates"))?;
    let mut rates = std::collections::BTreeMap::new();
    for (k, v) in category_rates {
        rates.insert(k, Decimal::from_str(&v).map_err(|_| bad("category rate"))?);
    }
    Ok(crate::domain::hours::HoursSettings {
        moderation,
        hourly_rate: Decimal::from_str(&hourly).map_err(|_| bad("hourly rate"))?,
        category_rates: rates,
        mileage_rate: Decimal::from_str(&mileage).map_err(|_| bad("mileage rate"))?,
    })
}
