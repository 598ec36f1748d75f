//! The rules of a person's data leaving the node (issue 14): who may delete their account,
//! and what stays of what they did. Pure: the storage reads, asks, writes.

use super::hours::HoursStatus;

/// The reason recorded on a sign-up withdrawn because its person's account was deleted.
pub const WITHDRAWN_ACCOUNT_DELETED: &str = "account_deleted";

/// An association a person coordinates (or owns), with how many other people coordinate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coordinating {
    pub association_id: i64,
    pub other_coordinators: i64,
}

/// The associations the person is the last coordinator of: they must name another one
/// before their account goes, else nobody could run the association any more.
pub fn left_without_coordinator(held: &[Coordinating]) -> Vec<i64> {
    let mut ids: Vec<i64> = held
        .iter()
        .filter(|c| c.other_coordinators == 0)
        .map(|c| c.association_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// What becomes of a deleted person's hours entry in an association: validated hours are the
/// association's record (its totals, its annual statement) and stay, attributed to a former
/// volunteer with no name; hours still waiting or refused were only the person's claim and go.
pub fn keeps_hours(status: HoursStatus) -> bool {
    status == HoursStatus::Validated
}

/// A sign-up whose slot has not ended is withdrawn (its place freed); one to a slot that is
/// over is history (attendance, hours) and stays, without the person's name.
pub fn withdraws_sign_up(slot_over: bool, active: bool) -> bool {
    active && !slot_over
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_associations_with_no_other_coordinator_block_the_deletion() {
        let held = [
            Coordinating {
                association_id: 3,
                other_coordinators: 0,
            },
            Coordinating {
                association_id: 1,
                other_coordinators: 2,
            },
            Coordinating {
                association_id: 2,
                other_coordinators: 0,
            },
        ];
        assert_eq!(left_without_coordinator(&held), vec![2, 3]);
        assert!(left_without_coordinator(&[]).is_empty());
    }

    #[test]
    fn validated_hours_stay_others_go() {
        assert!(keeps_hours(HoursStatus::Validated));
        assert!(!keeps_hours(HoursStatus::Pending));
        assert!(!keeps_hours(HoursStatus::Refused));
    }

    #[test]
    fn only_active_sign_ups_to_slots_to_come_are_withdrawn() {
        assert!(withdraws_sign_up(false, true));
        assert!(!withdraws_sign_up(true, true));
        assert!(!withdraws_sign_up(false, false));
    }
}
