//! PostgreSQL restarted (`pg_ctl restart -m fast`) while a node takes missions: the node comes
//! back by itself (no restart of `entraide`), every mission it answered 201 is in the database,
//! and its workers resume: each answered mission's `Create` reaches the follower, once.

use crate::{
    mission_body,
    support::{
        cluster::Cluster,
        eventually,
        peer::Peer,
        sql::{column, number},
        Api, Db, Node,
    },
};
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Mutex,
    },
    time::Instant,
};

const THREADS: usize = 4;

#[test]
fn postgres_restarted_under_load_loses_nothing_answered() {
    let Some(cluster) = Cluster::start("faults::postgres_restarted_under_load") else {
        return;
    };
    let api = Api::default();
    let mut node = Node::new("pg", Db::Postgres(cluster.url()));
    // Load, not an abuse of one token: the per-token brake (600 a minute) stays out of the way.
    node.extra_env.push((
        "ENTRAIDE__SERVER__API_REQUESTS_PER_MINUTE".into(),
        "1000000".into(),
    ));
    node.start();
    let token = node.user_with_token("alice");
    node.association("asso", "alice");
    let peer = Peer::start(&["fanny"]);
    let fanny = peer.actor("fanny");
    let follow = fanny.follow(&fanny.new_id("follow"), &node.url("/g/asso"));
    let (status, v) = fanny.post(&node.url("/inbox"), &follow);
    assert_eq!(status, 202, "{v}");

    // Missions from four threads, before, during and after the restart.
    let (stop, answered, refused) = (
        AtomicBool::new(false),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let created = Mutex::new(Vec::new());
    let url = node.url("/api/v1/associations/asso/missions");
    let recovered_in = std::thread::scope(|s| {
        for t in 0..THREADS {
            let (stop, answered, refused, created, url, api, token) =
                (&stop, &answered, &refused, &created, &url, &api, &token);
            s.spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let body = mission_body(&format!("Tournée {t}-{n}"));
                    match api.try_send("POST", url, Some(token), Some(&body)) {
                        Some((201, v)) => {
                            answered.fetch_add(1, Ordering::SeqCst);
                            created.lock().expect("lock").push((
                                v["id"].as_i64().expect("id"),
                                v["ap_id"].as_str().expect("ap_id").to_string(),
                            ));
                        }
                        Some((503, v)) => {
                            assert_eq!(v["error"], "temporarily_unavailable", "{v}");
                            refused.fetch_add(1, Ordering::SeqCst);
                        }
                        other => panic!("mission {t}-{n}: {other:?}"),
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
            });
        }
        // Whatever happens below (a failed check panics), the clients stop.
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let _stop = Stop(&stop);
        eventually(30, "some missions before the restart", || {
            (answered.load(Ordering::SeqCst) >= 10).then_some(())
        });
        cluster.restart();
        let restarted_at = Instant::now();
        let before = answered.load(Ordering::SeqCst);
        // The node answers 201 again by itself.
        eventually(30, "missions are taken again after the restart", || {
            (answered.load(Ordering::SeqCst) >= before + 10).then_some(())
        });
        restarted_at.elapsed()
    });
    let created = created.into_inner().expect("lock");
    let (status, _) = api.get(&node.url("/health/ready"), None);
    assert_eq!(status, 200, "ready again");

    // Everything answered 201 is in the database.
    let ids: Vec<String> = created.iter().map(|(id, _)| id.to_string()).collect();
    let kept = number(
        &cluster.url(),
        &format!(
            "SELECT count(*) FROM mission WHERE id IN ({})",
            ids.join(",")
        ),
    );
    assert_eq!(kept as usize, created.len(), "answered missions lost");
    super::assert_consistent(&cluster.url());

    // The workers came back too: each answered mission reaches the follower, once.
    let seen = || {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for r in peer.received().iter().filter(|r| r.kind() == "Create") {
            *seen.entry(r.object_id().to_string()).or_default() += 1;
        }
        seen
    };
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let seen = seen();
        let missing: Vec<&str> = (created.iter())
            .filter(|(_, ap_id)| !seen.contains_key(ap_id))
            .map(|(_, ap_id)| ap_id.as_str())
            .collect();
        if missing.is_empty() {
            break;
        }
        if Instant::now() > deadline {
            let db = cluster.url();
            panic!(
                "Creates never delivered: {missing:?}\noutbox events pending: {:?}\n\
                 deliveries pending: {:?}\nnode log:\n{}",
                column(
                    &db,
                    "SELECT payload FROM outbox_event WHERE processed_at IS NULL"
                ),
                column(
                    &db,
                    "SELECT activity_ap_id || ' ' || coalesce(last_error, '') FROM delivery \
                     WHERE delivered_at IS NULL"
                ),
                node.log()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // A moment more: nothing comes twice.
    std::thread::sleep(std::time::Duration::from_secs(1));
    let seen = seen();
    for (_, ap_id) in &created {
        assert_eq!(seen.get(ap_id), Some(&1), "Create of {ap_id}");
    }
    assert!(
        seen.values().all(|n| *n == 1),
        "a mission sent twice: {seen:?}"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "postgres restart: {} missions answered 201, {} answered 503 meanwhile; ten more \
         taken {:.1} s after the server was back",
        created.len(),
        refused.load(Ordering::SeqCst),
        recovered_in.as_secs_f64()
    );
}
