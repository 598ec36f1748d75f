//! `kill -9` while sign-ups and reservations pour in: after the restart, no slot holds more
//! than its places, no resource lends more than it has, every answered request is kept, and
//! nothing is half-written (counts agree with rows; SQLite's integrity check passes).

use super::{assert_consistent, chairs, guest, one_chair};
use crate::{
    participation::mission_with_slot,
    support::{fresh_postgres_db, postgres_base_url, sql::number, Api, Db, Node},
};
use std::sync::{
    atomic::{AtomicBool, AtomicUsize, Ordering},
    Mutex,
};

const PLACES: usize = 20;
const THREADS: usize = 8;

/// Sign-ups (`guests`) and reservations of one chair each from [`THREADS`] threads, numbered
/// from `from`, until `stop` or the node stops answering; the ids of the accepted ones.
fn pour(
    api: &Api,
    node: &Node,
    token: &str,
    (slot, resource): (i64, i64),
    (from, each): (usize, usize),
    stop: &AtomicBool,
    answered: &AtomicUsize,
) -> (Vec<i64>, Vec<i64>) {
    let (signed, lent) = (Mutex::new(Vec::new()), Mutex::new(Vec::new()));
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let (signed, lent) = (&signed, &lent);
            s.spawn(move || {
                for k in 0..each {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let n = from + t * each + k;
                    let url = node.url(&format!("/api/v1/slots/{slot}/guests"));
                    let Some((status, v)) =
                        api.try_send("POST", &url, Some(token), Some(&guest(n)))
                    else {
                        return;
                    };
                    assert!(status == 201 || status == 409, "sign-up {n}: {status} {v}");
                    if status == 201 {
                        signed
                            .lock()
                            .expect("lock")
                            .push(v["id"].as_i64().expect("id"));
                    }
                    let url = node.url(&format!("/api/v1/resources/{resource}/reservations"));
                    let body = one_chair("club");
                    let Some((status, v)) = api.try_send("POST", &url, Some(token), Some(&body))
                    else {
                        return;
                    };
                    assert!(
                        status == 201 || status == 409,
                        "reservation {n}: {status} {v}"
                    );
                    if status == 201 && v["state"] == "accepted" {
                        lent.lock()
                            .expect("lock")
                            .push(v["id"].as_i64().expect("id"));
                    }
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    (
        signed.into_inner().expect("lock"),
        lent.into_inner().expect("lock"),
    )
}

fn killed_during_sign_ups_and_reservations(db: Db) {
    let api = Api::default();
    let mut node = Node::new("killed", db);
    node.start();
    let token = node.user_with_token("alice");
    node.association("asso", "alice");
    node.association("club", "alice");
    let (_, slot) = mission_with_slot(&api, &node, &token, "asso", PLACES as i64, "free");
    let slot = slot["id"].as_i64().expect("slot id");
    let resource = chairs(&api, &node, &token, "asso", PLACES as i64);
    let url = node.database_url();

    // Phase 1: the process is killed once a few requests were answered.
    let (stop, answered) = (AtomicBool::new(false), AtomicUsize::new(0));
    let (mut signed, mut lent) = std::thread::scope(|s| {
        let pouring = s.spawn(|| {
            pour(
                &api,
                &node,
                &token,
                (slot, resource),
                (0, 4),
                &stop,
                &answered,
            )
        });
        while answered.load(Ordering::SeqCst) < 6 && !pouring.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let pid = node.pid().expect("pid");
        let killed = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        stop.store(true, Ordering::SeqCst);
        pouring.join().expect("requests")
    });
    node.kill9(); // reaps the process
    assert!(
        signed.len() < PLACES && lent.len() < PLACES,
        "the kill came after the slot was full: {} sign-ups, {} loans",
        signed.len(),
        lent.len()
    );
    // Nothing answered is lost, nothing is half-written, even before the node starts again.
    assert_consistent(&url);
    let kept = |table: &str, ids: &[i64], state: &str| {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let q = format!(
            "SELECT count(*) FROM {table} WHERE id IN ({}) AND {state}",
            if list.is_empty() {
                "0".to_string()
            } else {
                list.join(",")
            }
        );
        number(&url, &q) as usize
    };
    assert_eq!(
        kept("participation", &signed, "status = 'accepted'"),
        signed.len()
    );
    assert_eq!(kept("reservation", &lent, "state = 'accepted'"), lent.len());

    // Phase 2: the node starts again by itself and takes more than there is room for; exactly
    // the places left are given.
    node.start();
    let (stop, answered) = (AtomicBool::new(false), AtomicUsize::new(0));
    let (more_signed, more_lent) = pour(
        &api,
        &node,
        &token,
        (slot, resource),
        (1000, 5),
        &stop,
        &answered,
    );
    signed.extend(more_signed);
    lent.extend(more_lent);
    assert_consistent(&url);
    let taken = number(
        &url,
        &format!(
            "SELECT count(*) FROM participation WHERE slot_id = {slot} AND status = 'accepted'"
        ),
    );
    let on_loan = number(
        &url,
        &format!(
            "SELECT CAST(coalesce(sum(quantity), 0) AS BIGINT) FROM reservation \
             WHERE resource_id = {resource} AND state = 'accepted'"
        ),
    );
    assert_eq!(taken as usize, PLACES, "exactly the places, never more");
    assert_eq!(on_loan as usize, PLACES, "exactly the chairs, never more");
    // Every sign-up kept was answered 201, except those in flight at the kill (answered to
    // nobody): never more rows than places either way.
    assert!(signed.len() <= PLACES && lent.len() <= PLACES);
    assert_eq!(
        kept("participation", &signed, "status = 'accepted'"),
        signed.len()
    );
    assert_eq!(kept("reservation", &lent, "state = 'accepted'"), lent.len());
}

#[test]
fn kill_9_during_sign_ups_and_reservations_on_sqlite() {
    killed_during_sign_ups_and_reservations(Db::Sqlite);
}

#[test]
fn kill_9_during_sign_ups_and_reservations_on_postgres() {
    let Some(base) = postgres_base_url("faults::kill9 on PostgreSQL") else {
        return;
    };
    killed_during_sign_ups_and_reservations(Db::Postgres(fresh_postgres_db(&base, "fault_kill9")));
}
