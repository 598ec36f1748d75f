//! Faults, caused on purpose to real `entraide` processes (issue 18): the database restarted
//! under load, a full disk, the mail server down, remote servers that answer slowly, endlessly
//! or with garbage, `kill -9` in the middle of sign-ups and reservations. Each test says what
//! must hold afterwards, and checks it in the database itself when the API cannot show it.

mod disk_full;
mod kill9;
mod postgres_restart;
mod remote_hosts;
mod sms;
mod smtp;

// The SMTP sink of the in-process tests (aiosmtpd, from PyPI), shared as it is.
#[path = "../../tests/common/smtp.rs"]
mod smtp_sink;

use crate::support::{Api, Node};
use serde_json::{json, Value};

use crate::support::dates::utc_day_at;

/// `quantity` folding chairs, lent at once (automatic approval), owned by `asso`; their id.
pub fn chairs(api: &Api, node: &Node, token: &str, asso: &str, quantity: i64) -> i64 {
    let body = json!({
        "name": "Chaises pliantes", "description": "Chaises en bois, pliantes.",
        "category": "furniture", "quantity": quantity, "approval": "automatic",
        "min_notice_hours": 24, "max_days": 5, "turnaround_hours": 12,
        "place": "Maison des associations, Brest",
    });
    let (status, v) = api.send(
        "POST",
        &node.url(&format!("/api/v1/associations/{asso}/resources")),
        Some(token),
        Some(&body),
    );
    assert_eq!(status, 201, "{v}");
    v["id"].as_i64().expect("resource id")
}

/// One chair for `borrower` on day 12, the same hours for every request.
pub fn one_chair(borrower: &str) -> Value {
    json!({"borrower": borrower, "quantity": 1, "start": utc_day_at(12, 10), "end": utc_day_at(12, 16)})
}

/// The guest sign-up of person `n`.
pub fn guest(n: usize) -> Value {
    json!({"name": format!("Invité {n}"), "contact": format!("invite{n}@example.test")})
}

/// What the database must say after anything happened to the node: every slot counts exactly
/// its accepted sign-ups and no more than its places, no resource lends more than it has on
/// day 12, and (SQLite) the file is sound and no row points at nothing.
pub fn assert_consistent(url: &str) {
    use crate::support::sql::{column, number};
    let miscounted = number(
        url,
        "SELECT count(*) FROM slot s WHERE s.participant_count <> \
         (SELECT count(*) FROM participation p WHERE p.slot_id = s.id AND p.status = 'accepted') \
         OR s.participant_count > s.capacity",
    );
    assert_eq!(miscounted, 0, "a slot's count disagrees with its sign-ups");
    let overlent = number(
        url,
        "SELECT count(*) FROM resource r WHERE r.quantity < \
         (SELECT coalesce(sum(x.quantity), 0) FROM reservation x \
          WHERE x.resource_id = r.id AND x.state = 'accepted')",
    );
    assert_eq!(overlent, 0, "a resource lends more than it has");
    if !url.starts_with("postgres") {
        assert_eq!(column(url, "PRAGMA integrity_check"), ["ok"]);
        assert!(
            column(url, "PRAGMA foreign_key_check").is_empty(),
            "rows point at nothing"
        );
    }
}
