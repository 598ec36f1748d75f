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
