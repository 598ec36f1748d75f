//! Two `serve` processes on one PostgreSQL database, as behind a load balancer: both run the
//! outbox and delivery workers, and a follower still receives every activity exactly once.
//! Each keeps its own search index, fed from the database's change log: a mission created or
//! deleted through one process is found, or no longer found, through the other.

use crate::{
    api_queue, collection_total, mission_body,
    support::{eventually, fresh_postgres_db, peer::Peer, postgres_base_url, Api, Db, Node},
};
use serde_json::json;
use std::collections::HashMap;

const MISSIONS: usize = 6;

#[test]
fn two_serve_processes_on_one_postgres_database_send_everything_once() {
    let Some(base) =
        postgres_base_url("two_serve_processes_on_one_postgres_database_send_everything_once")
    else {
        return;
    };
    let url = fresh_postgres_db(&base, "fed_shared");
    let api = Api::default();
    let mut first = Node::new("first", Db::Postgres(url.clone()));
    let mut second = Node::new("second", Db::Postgres(url));
    // One node, two processes: the second has the first's identity and only runs workers.
    second
        .extra_env
        .push(("ENTRAIDE__SERVER__PUBLIC_URL".into(), first.base.clone()));
    // Started together: both migrate the same database and make sure the relay actor exists.
    std::thread::scope(|s| {
        s.spawn(|| first.start());
        s.spawn(|| second.start());
    });
    let admin = first.user_with_token("alice");
    first.association("asso", "alice");
    let asso = first.url("/g/asso");

    // Two remote followers on one server (one shared inbox); Fanny's Follow reaches both
    // processes, and counts once.
    let peer = Peer::start(&["fanny", "gael"]);
    let mut follow_ids = Vec::new();
    for (name, nodes) in [("fanny", vec![&first, &second]), ("gael", vec![&second])] {
        let actor = peer.actor(name);
        let follow_id = actor.new_id("follow");
        let follow = actor.follow(&follow_id, &asso);
        for node in nodes {
            let (status, v) = actor.post(&node.url("/inbox"), &follow);
            assert_eq!(status, 202, "Follow by {name} posted to {}: {v}", node.name);
        }
        follow_ids.push(follow_id);
    }
    assert_eq!(
        collection_total(&api, &first.url("/g/asso/followers")),
        Some(2)
    );

    // Enough work at once for both processes' workers to compete for it: the changes are made
    // through both processes in turn, so each wakes its own workers while the other's are busy.
    let nodes = [&first, &second];
    let mut ap_ids = Vec::new();
    for i in 0..MISSIONS {
        let (status, v) = api.send(
            "POST",
            &nodes[i % 2].url("/api/v1/associations/asso/missions"),
            Some(&admin),
            Some(&mission_body(&format!("Permanence n°{i}"))),
        );
        assert_eq!(status, 201, "{v}");
        ap_ids.push((
            v["id"].as_i64().expect("id"),
            v["ap_id"].as_str().expect("ap_id").to_string(),
        ));
    }
    for (i, (id, _)) in ap_ids.iter().enumerate() {
        let (status, v) = api.send(
            "PATCH",
            &nodes[(i + 1) % 2].url(&format!("/api/v1/missions/{id}")),
            Some(&admin),
            Some(&json!({"capacity": 20})),
        );
        assert_eq!(status, 200, "{v}");
    }
    let count_of = |kind: &str| peer.count(|r| r.kind() == kind);
    // Each process searches its own index; both follow the change log, whichever process
    // made the change.
    let mut titles: Vec<String> = (0..MISSIONS).map(|i| format!("Permanence n°{i}")).collect();
    titles.sort();
    for node in nodes {
        eventually(10, &format!("{} finds every mission", node.name), || {
            (found(&api, node) == titles).then_some(())
        });
    }
    eventually(30, "every Create and Update reaches the follower", || {
        (count_of("Create") >= MISSIONS && count_of("Update") >= MISSIONS).then_some(())
    });
    for (i, (id, _)) in ap_ids.iter().take(2).enumerate() {
        let (status, v) = api.send(
            "DELETE",
            &nodes[i % 2].url(&format!("/api/v1/missions/{id}")),
            Some(&admin),
            None,
        );
        assert_eq!(status, 204, "{v}");
    }
    for node in nodes {
        eventually(
            10,
            &format!("{} no longer finds the deleted missions", node.name),
            || (found(&api, node) == titles[2..]).then_some(()),
        );
    }
    eventually(30, "both Deletes reach the follower", || {
        (count_of("Delete") >= 2).then_some(())
    });
    eventually(30, "the shared queue is empty", || {
        (api_queue(&api, &first, &admin).0 == 0).then_some(())
    });

    // Nothing was sent twice: neither the same activity, nor two activities for one change.
    let received = peer.received();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_change: HashMap<(&str, &str), usize> = HashMap::new();
    for r in &received {
        *by_id.entry(r.id()).or_default() += 1;
        *by_change.entry((r.kind(), r.object_id())).or_default() += 1;
    }
    let twice: Vec<_> = by_id.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "activities received more than once: {twice:?}"
    );
    let doubled: Vec<_> = by_change.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        doubled.is_empty(),
        "one change sent as several activities: {doubled:?}"
    );
    // One Accept per follower at its own inbox; each Create, Update and Delete once, at the shared inbox.
    let expected = 2 + 2 * MISSIONS + 2;
    assert_eq!(
        received.len(),
        expected,
        "{:#?}",
        received
            .iter()
            .map(|r| (r.kind(), r.object_id(), &r.path))
            .collect::<Vec<_>>()
    );
    for (follow_id, name) in follow_ids.iter().zip(["fanny", "gael"]) {
        assert_eq!(
            by_change.get(&("Accept", follow_id.as_str())),
            Some(&1),
            "Accept of {name}'s Follow"
        );
    }
    for r in &received {
        let expected_path = match r.kind() {
            "Accept" => peer
                .actor(if r.object_id() == follow_ids[0] {
                    "fanny"
                } else {
                    "gael"
                })
                .inbox
                .replace(&peer.base, ""),
            _ => "/inbox".to_string(),
        };
        assert_eq!(
            r.path,
            expected_path,
            "where {} {} was delivered",
            r.kind(),
            r.id()
        );
        assert!(r.signed, "{} {} is signed", r.kind(), r.id());
    }
    for (_, ap_id) in &ap_ids {
        assert_eq!(
            by_change.get(&("Create", ap_id.as_str())),
            Some(&1),
            "Create of {ap_id}"
        );
        assert_eq!(
            by_change.get(&("Update", ap_id.as_str())),
            Some(&1),
            "Update of {ap_id}"
        );
    }
    assert_eq!(api_queue(&api, &first, &admin), (0, expected as i64, 0));
}

/// The titles one process's `GET /api/v1/search?q=permanence` finds, sorted.
fn found(api: &Api, node: &Node) -> Vec<String> {
    let (status, v) = api.get(&node.url("/api/v1/search?q=permanence&limit=50"), None);
    assert_eq!(status, 200, "search on {}: {v}", node.name);
    let mut titles: Vec<String> = (v["results"].as_array().into_iter().flatten())
        .filter_map(|r| r["title"].as_str().map(str::to_string))
        .collect();
    titles.sort();
    titles
}

const PROCESSES: usize = 3;
const SERVERS: usize = 8;
const PLACES: usize = 10;

/// `entraide_deliveries_total{state="delivered"}` of one process (its own `/metrics`, read
/// from loopback).
fn delivered_by(node: &Node) -> i64 {
    let text = reqwest::blocking::get(node.url("/metrics"))
        .and_then(|r| r.text())
        .unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("entraide_deliveries_total{state=\"delivered\"} "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Three `serve` processes of one node on one PostgreSQL database behind a proxy that sends
/// each connection to the next process: concurrent sign-ups and reservations through it are
/// decided once (never more than the places), and what the node publishes reaches each of many
/// followers' servers exactly once, the processes' workers sharing the queue.
#[test]
fn three_processes_behind_a_proxy_decide_and_deliver_once() {
    use crate::{
        faults::{assert_consistent, chairs, guest, one_chair},
        participation::mission_with_slot,
        support::{free_port, proxy::Proxy, sql::number},
    };
    let Some(base) = postgres_base_url("three_processes_behind_a_proxy_decide_and_deliver_once")
    else {
        return;
    };
    let url = fresh_postgres_db(&base, "fed_proxy");
    let proxy_port = free_port();
    let public = format!("http://localhost:{proxy_port}");
    let mut nodes: Vec<Node> = (0..PROCESSES)
        .map(|i| {
            let mut n = Node::new(&format!("p{i}"), Db::Postgres(url.clone()));
            n.extra_env
                .push(("ENTRAIDE__SERVER__PUBLIC_URL".into(), public.clone()));
            n
        })
        .collect();
    std::thread::scope(|s| {
        for n in nodes.iter_mut() {
            s.spawn(move || n.start());
        }
    });
    let proxy = Proxy::start(proxy_port, nodes.iter().map(|n| n.port).collect());
    let at = |path: &str| format!("{public}{path}");
    let api = Api::one_request_per_connection();
    let token = nodes[0].user_with_token("alice");
    nodes[0].association("asso", "alice");
    nodes[0].association("club", "alice");

    // Sixteen followers on eight servers, their Follows posted through the proxy.
    let peers: Vec<Peer> = (0..SERVERS)
        .map(|i| Peer::start(&[&format!("f{i}a"), &format!("f{i}b")]))
        .collect();
    for (i, peer) in peers.iter().enumerate() {
        for name in [format!("f{i}a"), format!("f{i}b")] {
            let actor = peer.actor(&name);
            let follow = actor.follow(&actor.new_id("follow"), &at("/g/asso"));
            let (status, v) = actor.post(&at("/inbox"), &follow);
            assert_eq!(status, 202, "{v}");
        }
    }
    assert_eq!(
        collection_total(&api, &at("/g/asso/followers")),
        Some(2 * SERVERS as i64)
    );

    // A slot of ten places and ten chairs; forty sign-ups and forty requests for one chair,
    // from eight threads, through the proxy.
    let entry = &nodes[0];
    let (first_mission, slot) =
        mission_with_slot(&api, entry, &token, "asso", PLACES as i64, "free");
    let resource = chairs(&api, entry, &token, "asso", PLACES as i64);
    let (signed, lent) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let (api, at, token, slot) = (&api, &at, &token, &slot);
                s.spawn(move || {
                    let (mut signed, mut lent) = (0, 0);
                    for k in 0..5 {
                        let n = t * 5 + k;
                        let (status, v) = api.send(
                            "POST",
                            &at(&format!("/api/v1/slots/{}/guests", slot["id"])),
                            Some(token),
                            Some(&guest(n)),
                        );
                        assert!(status == 201 || status == 409, "{status} {v}");
                        signed += usize::from(status == 201);
                        let (status, v) = api.send(
                            "POST",
                            &at(&format!("/api/v1/resources/{resource}/reservations")),
                            Some(token),
                            Some(&one_chair("club")),
                        );
                        assert!(status == 201 || status == 409, "{status} {v}");
                        lent += usize::from(status == 201 && v["state"] == "accepted");
                    }
                    (signed, lent)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    });
    assert_eq!((signed, lent), (PLACES, PLACES), "decided once, never more");
    assert_consistent(&url);
    let taken = number(
        &url,
        &format!(
            "SELECT count(*) FROM participation WHERE slot_id = {} AND status = 'accepted'",
            slot["id"]
        ),
    );
    assert_eq!(taken as usize, PLACES);

    // Four more missions through the proxy; each reaches each server once.
    let mut ap_ids = vec![first_mission["ap_id"].as_str().expect("ap_id").to_string()];
    for i in 0..4 {
        let (status, v) = api.send(
            "POST",
            &at("/api/v1/associations/asso/missions"),
            Some(&token),
            Some(&mission_body(&format!("Collecte n°{i}"))),
        );
        assert_eq!(status, 201, "{v}");
        ap_ids.push(v["ap_id"].as_str().expect("ap_id").to_string());
    }
    let created =
        |peer: &Peer, ap_id: &str| peer.count(|r| r.kind() == "Create" && r.object_id() == ap_id);
    for peer in &peers {
        eventually(30, "every mission's Create reaches every server", || {
            ap_ids
                .iter()
                .all(|ap_id| created(peer, ap_id) > 0)
                .then_some(())
        });
    }
    eventually(30, "the shared queue is empty", || {
        let pending = number(
            &url,
            "SELECT count(*) FROM delivery WHERE delivered_at IS NULL AND failed_at IS NULL",
        );
        (pending == 0).then_some(())
    });
    for peer in &peers {
        let received = peer.received();
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for r in &received {
            *by_id.entry(r.id()).or_default() += 1;
        }
        assert!(by_id.values().all(|n| *n == 1), "sent twice: {by_id:?}");
        assert_eq!(received.iter().filter(|r| r.kind() == "Accept").count(), 2);
        for ap_id in &ap_ids {
            assert_eq!(
                created(peer, ap_id),
                1,
                "Create of {ap_id} at {}",
                peer.base
            );
        }
    }
    // The processes shared the work: requests and deliveries went through more than one.
    let by_process: Vec<i64> = nodes.iter().map(delivered_by).collect();
    let expected: i64 = peers.iter().map(|p| p.received().len() as i64).sum();
    assert_eq!(by_process.iter().sum::<i64>(), expected, "{by_process:?}");
    assert!(
        by_process.iter().filter(|n| **n > 0).count() >= 2,
        "one process sent everything: {by_process:?}"
    );
    let served: Vec<usize> = proxy
        .served
        .iter()
        .map(|n| n.load(std::sync::atomic::Ordering::SeqCst))
        .collect();
    assert!(
        served.iter().all(|n| *n > 0),
        "the proxy used every process: {served:?}"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "behind a proxy: connections per process {served:?}, deliveries per process {by_process:?}"
    );
    for n in &mut nodes {
        n.kill9();
    }
}
