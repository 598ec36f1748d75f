//! Whether a reservation request is taken: the rule the owner's node applies under the
//! resource's lock, as pure functions of the resource's terms, the request and the loans that
//! hold items. Storage locks the resource, reads the loans in [`held_window`], asks
//! [`decide_reservation`] (or [`check_pool`] when a coordinator accepts), then writes.
//!
//! The request's own terms (notice, longest loan, quantity) are checked before, with field
//! errors, by [`super::resource::Period::check`].

use super::resource::{peak_use, Borrowers, ReservationState, ResourceDraft};
use chrono::{DateTime, Duration, Utc};

/// A loan that takes items from the pool: quantity, start, end, as stored (no buffer).
pub type HeldLoan = (i64, DateTime<Utc>, DateTime<Utc>);

/// Why the owner's node refuses a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservationRefusal {
    /// The pool is taken over the period: only `free` of `total` items are left.
    PoolTaken { free: i64, total: i64 },
}

impl ReservationRefusal {
    /// The form stored as the reservation's `reason` and sent to the borrower's node as the
    /// `Reject`'s summary: the one rows and other nodes already hold, read back by
    /// [`ReservationRefusal::parse`] where it is shown in the reader's language.
    pub fn stored(&self) -> String {
        match self {
            ReservationRefusal::PoolTaken { free, total } => {
                format!("only {free} of {total} free over this period")
            }
        }
    }

    /// A stored reason back as a refusal; `None` for a reason people wrote.
    pub fn parse(stored: &str) -> Option<ReservationRefusal> {
        let rest = stored.strip_prefix("only ")?;
        let (free, rest) = rest.split_once(" of ")?;
        let total = rest.strip_suffix(" free over this period")?;
        Some(ReservationRefusal::PoolTaken {
            free: free.parse().ok()?,
            total: total.parse().ok()?,
        })
    }
}

/// The other reasons a node (ours, or another Entraide node) writes rather than a person. They
/// travel in a `Reject`'s summary and are stored as the reservation's `reason` in these English
/// wire forms, which other nodes already send; [`NodeReason::parse`] reads them back so that
/// pages word them in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeReason {
    /// The pool is taken over the period.
    Pool(ReservationRefusal),
    /// The resource named is not lent by the node that was asked.
    NotLentHere,
    /// The resource named belongs to another server than the one asked.
    OwnedElsewhere,
    /// The owner's terms do not lend to the asking association.
    NotForYou,
    /// The borrower withdrew its request.
    WithdrawnByBorrower,
    /// The owner removed the resource.
    NoLongerLent,
}

impl NodeReason {
    /// The wire form; `resource` is the id of the resource asked for (only the first two name it).
    pub fn stored(&self, resource: &str) -> String {
        match self {
            NodeReason::Pool(r) => r.stored(),
            NodeReason::NotLentHere => format!("{resource} is not a resource lent on this server"),
            NodeReason::OwnedElsewhere => {
                format!("{resource} belongs to another server: ask its owner there")
            }
            NodeReason::NotForYou => {
                "the owner lends this equipment to other associations only".into()
            }
            NodeReason::WithdrawnByBorrower => "withdrawn by the borrower".into(),
            NodeReason::NoLongerLent => "the owner no longer lends this equipment".into(),
        }
    }

    /// A stored reason back as a node's reason; `None` for a reason people wrote.
    pub fn parse(stored: &str) -> Option<NodeReason> {
        if let Some(r) = ReservationRefusal::parse(stored) {
            return Some(NodeReason::Pool(r));
        }
        let fixed = [
            NodeReason::NotForYou,
            NodeReason::WithdrawnByBorrower,
            NodeReason::NoLongerLent,
        ];
        if let Some(r) = fixed.into_iter().find(|r| r.stored("") == stored) {
            return Some(r);
        }
        let named = |r: NodeReason| {
            let suffix = r.stored("");
            stored.ends_with(&suffix) && !stored[..stored.len() - suffix.len()].contains(' ')
        };
        [NodeReason::NotLentHere, NodeReason::OwnedElsewhere]
            .into_iter()
            .find(|r| named(*r))
    }
}

/// What the owner's node does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservationDecision {
    /// Accepted at once (automatic approval, and the pool allows).
    Accept,
    /// Waits for a coordinator (manual approval, and the pool allows for now).
    Request,
    Refuse(ReservationRefusal),
}

impl ReservationDecision {
    /// The state the reservation is recorded in.
    pub fn state(&self) -> ReservationState {
        match self {
            ReservationDecision::Accept => ReservationState::Accepted,
            ReservationDecision::Request => ReservationState::Requested,
            ReservationDecision::Refuse(_) => ReservationState::Refused,
        }
    }
}

/// Who asks to borrow, as the owner's node knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Borrower<'a> {
    /// An association of this node.
    pub local: bool,
    /// `name@host`, lower case, as owners write their lists.
    pub address: &'a str,
    /// Some association of this node follows it (read only when the terms ask).
    pub followed: bool,
}

/// Whether the resource's terms lend to `borrower` (who may borrow): everyone; associations
/// of this node or followed by one of them; or those on the owner's list.
pub fn may_borrow(resource: &ResourceDraft, borrower: &Borrower) -> bool {
    match resource.borrowers {
        Borrowers::Everyone => true,
        Borrowers::Followed => borrower.local || borrower.followed,
        Borrowers::List => resource.borrower_list.iter().any(|a| a == borrower.address),
    }
}

/// The span whose loans can take items from `[start, end)`: each loan blocks the pool for
/// the turnaround buffer before and after it, so loans that end up to a buffer before the
/// start, or begin up to a buffer after the end, count too.
pub fn held_window(
    resource: &ResourceDraft,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let buffer = Duration::hours(resource.turnaround_hours);
    (start - buffer, end + buffer)
}

/// Whether `quantity` more items fit over `[start, end)` beside the `held` loans, each
/// stretched by the turnaround buffer: the peak of overlapping loans, not their sum, counts.
pub fn check_pool(
    resource: &ResourceDraft,
    quantity: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    held: &[HeldLoan],
) -> Result<(), ReservationRefusal> {
    let buffer = Duration::hours(resource.turnaround_hours);
    let stretched: Vec<HeldLoan> = held
        .iter()
        .map(|&(q, s, e)| (q, s - buffer, e + buffer))
        .collect();
    let peak = peak_use(&stretched, start, end);
    if peak + quantity <= resource.quantity {
        Ok(())
    } else {
        Err(ReservationRefusal::PoolTaken {
            free: (resource.quantity - peak).max(0),
            total: resource.quantity,
        })
    }
}

/// Decides a request on the owner's node: refused when the pool is taken over the period,
/// else accepted at once when `automatic`, else left for a coordinator.
pub fn decide_reservation(
    resource: &ResourceDraft,
    quantity: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    held: &[HeldLoan],
    automatic: bool,
) -> ReservationDecision {
    match check_pool(resource, quantity, start, end, held) {
        Err(why) => ReservationDecision::Refuse(why),
        Ok(()) if automatic => ReservationDecision::Accept,
        Ok(()) => ReservationDecision::Request,
    }
}

/// Whether `agreement_id`, which the owner's server gives the agreement of an accepted
/// request, is an address on that server (`owner_host`, `host` or `host:port`): another
/// server's address would let the owner's server speak for agreements it does not hold.
pub fn agreement_on_owner_host(agreement_id: &str, owner_host: &str) -> bool {
    let Ok(url) = url::Url::parse(agreement_id) else {
        return false;
    };
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => return false,
    };
    matches!(url.scheme(), "http" | "https") && host.eq_ignore_ascii_case(owner_host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::resource::ResourceInput;
    use chrono::TimeZone;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 6, 1, 0, 0, 0)
            .single()
            .expect("date")
            + Duration::hours(h)
    }

    /// A pool of 10 with a 2-hour turnaround.
    fn pool() -> ResourceDraft {
        let mut d = ResourceDraft::parse(&ResourceInput {
            name: Some("Chairs".into()),
            quantity: Some(10),
            ..Default::default()
        })
        .expect("draft");
        d.turnaround_hours = 2;
        d
    }

    #[test]
    fn a_free_pool_accepts_or_waits_for_a_coordinator() {
        let held = [(4, at(0), at(10))];
        let d = decide_reservation(&pool(), 6, at(5), at(8), &held, true);
        assert_eq!(d, ReservationDecision::Accept);
        assert_eq!(d.state(), ReservationState::Accepted);
        let d = decide_reservation(&pool(), 6, at(5), at(8), &held, false);
        assert_eq!(d.state(), ReservationState::Requested);
    }

    #[test]
    fn the_peak_counts_not_the_sum() {
        // Two loans of 5 one after the other (with their buffers apart) never take 10.
        let held = [(5, at(0), at(4)), (5, at(10), at(14))];
        assert_eq!(check_pool(&pool(), 5, at(0), at(14), &held), Ok(()));
        assert_eq!(
            check_pool(&pool(), 6, at(0), at(14), &held),
            Err(ReservationRefusal::PoolTaken { free: 5, total: 10 })
        );
    }

    #[test]
    fn the_turnaround_buffer_blocks_the_pool() {
        // A loan ending at 10h blocks until 12h: a request from 11h meets it, from 12h not.
        let held = [(8, at(0), at(10))];
        let refused = decide_reservation(&pool(), 3, at(11), at(15), &held, true);
        let why = ReservationRefusal::PoolTaken { free: 2, total: 10 };
        assert_eq!(refused, ReservationDecision::Refuse(why));
        assert_eq!(refused.state(), ReservationState::Refused);
        let accepted = decide_reservation(&pool(), 3, at(14), at(15), &held, true);
        assert_eq!(accepted, ReservationDecision::Accept);
        assert_eq!(held_window(&pool(), at(11), at(15)), (at(9), at(17)));
    }

    #[test]
    fn the_terms_say_who_may_borrow() {
        let mut terms = pool();
        let stranger = Borrower {
            local: false,
            address: "amis@b.example",
            followed: false,
        };
        assert!(may_borrow(&terms, &stranger));
        terms.borrowers = Borrowers::Followed;
        assert!(!may_borrow(&terms, &stranger));
        assert!(may_borrow(
            &terms,
            &Borrower {
                followed: true,
                ..stranger
            }
        ));
        assert!(may_borrow(
            &terms,
            &Borrower {
                local: true,
                ..stranger
            }
        ));
        terms.borrowers = Borrowers::List;
        terms.borrower_list = vec!["amis@b.example".into()];
        assert!(may_borrow(&terms, &stranger));
        let other = Borrower {
            address: "autres@b.example",
            ..stranger
        };
        assert!(!may_borrow(&terms, &other));
    }

    #[test]
    fn the_stored_reason_reads_back() {
        let why = ReservationRefusal::PoolTaken { free: 3, total: 80 };
        assert_eq!(why.stored(), "only 3 of 80 free over this period");
        assert_eq!(ReservationRefusal::parse(&why.stored()), Some(why));
        assert_eq!(ReservationRefusal::parse("we need them that day"), None);
    }

    #[test]
    fn every_node_reason_reads_back_from_its_wire_form() {
        let all = [
            NodeReason::Pool(ReservationRefusal::PoolTaken { free: 1, total: 4 }),
            NodeReason::NotLentHere,
            NodeReason::OwnedElsewhere,
            NodeReason::NotForYou,
            NodeReason::WithdrawnByBorrower,
            NodeReason::NoLongerLent,
        ];
        for r in all {
            let wire = r.stored("https://a.example/r/1");
            assert_eq!(NodeReason::parse(&wire), Some(r), "{wire}");
        }
        assert_eq!(
            NodeReason::stored(&NodeReason::OwnedElsewhere, "https://a.example/r/1"),
            "https://a.example/r/1 belongs to another server: ask its owner there"
        );
        assert_eq!(NodeReason::parse("withdrawn by the borrower, sorry"), None);
        assert_eq!(
            NodeReason::parse("sorry, it is not lent on this server"),
            None
        );
    }

    #[test]
    fn an_agreement_is_named_on_its_owners_server() {
        assert!(agreement_on_owner_host(
            "https://voisins.example/agreements/7",
            "voisins.example"
        ));
        assert!(agreement_on_owner_host(
            "http://localhost:8081/agreements/7",
            "localhost:8081"
        ));
        for elsewhere in [
            "https://ailleurs.example/agreements/7",
            "https://voisins.example.evil/agreements/7",
            "http://localhost:8082/agreements/7",
            "urn:uuid:7",
            "not a url",
        ] {
            assert!(
                !agreement_on_owner_host(elsewhere, "voisins.example"),
                "{elsewhere}"
            );
        }
    }
}
