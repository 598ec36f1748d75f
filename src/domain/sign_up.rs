//! Whether a sign-up is taken: the rule the slot's owner applies under the slot's lock, as a
//! pure function of the slot, what the person already holds, and the time. Storage locks the
//! slot, reads what is held, asks [`decide_sign_up`], then writes what it answers.

use super::slot::{Refusal, Slot};
use chrono::{DateTime, Utc};

/// What storage read, under the slot's lock, about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// The slot's mission takes sign-ups (published, not deleted).
    pub mission_open: bool,
    /// The person already has an active (pending or accepted) sign-up on this slot.
    pub on_this_slot: bool,
    /// The person has an active sign-up on another open slot at an overlapping time.
    pub overlapping: bool,
}

/// What to do with a request for a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpDecision {
    /// Take a place now (free join mode).
    Accept,
    /// Keep the request for a coordinator (manual approval): no place is taken yet.
    Pending,
    Refuse(Refusal),
}

/// Decides a request for a place in `slot`, refusing in this order: the slot cancelled
/// (`Closed`) or over (`Over`), the mission closed (`Closed`), already signed up on this slot
/// (`AlreadySignedUp`), another slot at the same time (`Overlaps`), then, when the place would
/// be taken now, no place left (`Full`). A request left for a coordinator takes no place, so
/// a full slot may still collect requests.
pub fn decide_sign_up(
    slot: &Slot,
    held: &Held,
    auto_accept: bool,
    now: DateTime<Utc>,
) -> SignUpDecision {
    let refusal = if let Some(why) = slot.closed_reason(now) {
        Some(why)
    } else if !held.mission_open {
        Some(Refusal::Closed)
    } else if held.on_this_slot {
        Some(Refusal::AlreadySignedUp)
    } else if held.overlapping {
        Some(Refusal::Overlaps)
    } else if auto_accept && slot.remaining() == 0 {
        Some(Refusal::Full)
    } else {
        None
    };
    match (refusal, auto_accept) {
        (Some(why), _) => SignUpDecision::Refuse(why),
        (None, true) => SignUpDecision::Accept,
        (None, false) => SignUpDecision::Pending,
    }
}

/// Whether a coordinator may accept a pending request now: the slot still open and not over,
/// and a place left.
pub fn decide_acceptance(slot: &Slot, now: DateTime<Utc>) -> Result<(), Refusal> {
    match slot.closed_reason(now) {
        Some(why) => Err(why),
        None if slot.remaining() == 0 => Err(Refusal::Full),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::slot::SlotStatus;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 5, 1, 8, 0, 0)
            .single()
            .expect("date")
    }

    /// A slot tomorrow with `taken` of 2 places taken.
    fn slot(taken: i64) -> Slot {
        Slot {
            id: 1,
            ap_id: "https://a.example/slots/1".into(),
            mission_id: 1,
            local: true,
            start_time: now() + Duration::days(1),
            end_time: now() + Duration::days(1) + Duration::hours(2),
            capacity: 2,
            participant_count: taken,
            status: SlotStatus::Open,
            updated: now(),
        }
    }

    const FREE: Held = Held {
        mission_open: true,
        on_this_slot: false,
        overlapping: false,
    };

    #[test]
    fn a_free_place_is_taken_or_left_to_a_coordinator() {
        assert_eq!(
            decide_sign_up(&slot(1), &FREE, true, now()),
            SignUpDecision::Accept
        );
        assert_eq!(
            decide_sign_up(&slot(1), &FREE, false, now()),
            SignUpDecision::Pending
        );
    }

    #[test]
    fn a_full_slot_refuses_a_place_but_keeps_requests() {
        let full = slot(2);
        assert_eq!(
            decide_sign_up(&full, &FREE, true, now()),
            SignUpDecision::Refuse(Refusal::Full)
        );
        assert_eq!(
            decide_sign_up(&full, &FREE, false, now()),
            SignUpDecision::Pending
        );
    }

    #[test]
    fn refusals_come_in_order() {
        let mut cancelled = slot(2);
        cancelled.status = SlotStatus::Cancelled;
        let everything = Held {
            mission_open: false,
            on_this_slot: true,
            overlapping: true,
        };
        let refused = |s: &Slot, h: &Held, at| match decide_sign_up(s, h, true, at) {
            SignUpDecision::Refuse(why) => Some(why),
            _ => None,
        };
        // Cancelled and over come first, whatever else holds.
        assert_eq!(
            refused(&cancelled, &everything, now()),
            Some(Refusal::Closed)
        );
        let after = now() + Duration::days(2);
        assert_eq!(refused(&slot(2), &everything, after), Some(Refusal::Over));
        // Then the mission, then this slot, then another slot, then the places.
        assert_eq!(refused(&slot(2), &everything, now()), Some(Refusal::Closed));
        let held = Held {
            mission_open: true,
            ..everything
        };
        assert_eq!(
            refused(&slot(2), &held, now()),
            Some(Refusal::AlreadySignedUp)
        );
        let held = Held {
            on_this_slot: false,
            ..held
        };
        assert_eq!(refused(&slot(2), &held, now()), Some(Refusal::Overlaps));
        assert_eq!(refused(&slot(2), &FREE, now()), Some(Refusal::Full));
    }

    #[test]
    fn a_coordinator_accepts_while_a_place_is_left() {
        assert_eq!(decide_acceptance(&slot(1), now()), Ok(()));
        assert_eq!(decide_acceptance(&slot(2), now()), Err(Refusal::Full));
        let later = now() + Duration::days(3);
        assert_eq!(decide_acceptance(&slot(1), later), Err(Refusal::Over));
    }
}
