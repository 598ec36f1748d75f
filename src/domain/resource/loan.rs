//! Reservations of a resource: where a request stands, the checked request ([`Period`])
//! against the resource's terms, and how much of a pool loans take over a period.

use super::ResourceDraft;
use crate::domain::{DomainError, FieldError, FieldErrors};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Where a reservation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReservationState {
    Requested,
    Accepted,
    Refused,
    PickedUp,
    Returned,
    Cancelled,
}

impl ReservationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReservationState::Requested => "requested",
            ReservationState::Accepted => "accepted",
            ReservationState::Refused => "refused",
            ReservationState::PickedUp => "picked_up",
            ReservationState::Returned => "returned",
            ReservationState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ReservationState> {
        use ReservationState::*;
        [Requested, Accepted, Refused, PickedUp, Returned, Cancelled]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    /// Whether it takes items from the pool.
    pub fn holds(self) -> bool {
        matches!(
            self,
            ReservationState::Accepted | ReservationState::PickedUp
        )
    }
}

/// A request for a quantity over a period, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reservation {
    pub id: i64,
    pub resource_id: i64,
    /// The idempotency key: a remote `Offer`'s id, or one made here.
    pub offer_id: String,
    /// The borrowing association (local or remote), when known.
    pub borrower_actor_id: Option<i64>,
    pub quantity: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: ReservationState,
    /// Why it was refused or cancelled.
    pub reason: String,
    /// The owner's `Agreement` once accepted.
    pub agreement_id: Option<String>,
    /// What the owner noted when handing the equipment over, and when taking it back.
    pub pickup_notes: String,
    pub return_notes: String,
    /// Who accepted the lending agreement online for each side, and when.
    pub owner_signed: Option<Signature>,
    pub borrower_signed: Option<Signature>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An online acceptance of the lending agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Signature {
    /// The person's name as shown (and their account).
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Reservation {
    /// Taken and not back at the agreed time.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.state == ReservationState::PickedUp && self.end < now
    }

    /// What a person sees: the state, or `overdue`.
    pub fn shown_state(&self, now: DateTime<Utc>) -> &'static str {
        if self.is_overdue(now) {
            "overdue"
        } else {
            self.state.as_str()
        }
    }
}

/// A checked request: how many, from when to when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub quantity: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Period {
    /// Checks a request against the resource's terms at `now`: the return after the pickup,
    /// a quantity the pool has, the notice, the longest loan.
    pub fn check(
        resource: &ResourceDraft,
        quantity: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Period, DomainError> {
        let mut errors = FieldErrors::new();
        if end <= start {
            errors.add("end", FieldError::new("return_after_pickup"));
        } else if end - start > Duration::days(resource.max_days) {
            errors.add(
                "end",
                FieldError::new("loan_max_days").num("max", resource.max_days),
            );
        }
        if start < now {
            // Not a notice too short: a pickup that has passed cannot be asked for at all.
            errors.add("start", FieldError::new("pickup_in_past"));
        } else if start < now + Duration::hours(resource.min_notice_hours) {
            errors.add(
                "start",
                FieldError::new("min_notice").num("hours", resource.min_notice_hours),
            );
        }
        if quantity < 1 {
            errors.add("quantity", FieldError::new("at_least").num("min", 1));
        } else if quantity > resource.quantity {
            errors.add(
                "quantity",
                FieldError::new("only_in_all").num("total", resource.quantity),
            );
        }
        errors.into_result(Period {
            quantity,
            start,
            end,
        })
    }

    /// The period as it blocks the pool: stretched by the turnaround buffer on both sides.
    pub fn blocked(&self, turnaround_hours: i64) -> (DateTime<Utc>, DateTime<Utc>) {
        let b = Duration::hours(turnaround_hours);
        (self.start - b, self.end + b)
    }
}

/// The most items taken at any instant of `[from, to)` by `held` periods (quantity, start,
/// end, already stretched by the buffer): the peak of overlapping loans, not their sum.
pub fn peak_use(
    held: &[(i64, DateTime<Utc>, DateTime<Utc>)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    // Sweep over the starts and ends that fall in the window.
    let mut events: Vec<(DateTime<Utc>, i64)> = Vec::new();
    for &(q, s, e) in held {
        if s < to && e > from {
            events.push((s.max(from), q));
            events.push((e.min(to), -q));
        }
    }
    // Ends before starts at the same instant: back-to-back loans do not overlap.
    events.sort_by_key(|&(t, d)| (t, d));
    let (mut now, mut peak) = (0, 0);
    for (_, d) in events {
        now += d;
        peak = peak.max(now);
    }
    peak
}

/// How many of a pool are free over each window (a day, in the node's time zone): the pool
/// less the peak of `held` periods (already stretched by the buffer) inside it.
pub fn free_over(
    quantity: i64,
    held: &[(i64, DateTime<Utc>, DateTime<Utc>)],
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<i64> {
    windows
        .iter()
        .map(|&(from, to)| (quantity - peak_use(held, from, to)).max(0))
        .collect()
}
