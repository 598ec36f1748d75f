//! Remote servers that answer slowly (never), endlessly or with garbage: the node's lookups of
//! them end with an error on their own, and meanwhile nobody else waits: another server's
//! delivery arrives and a lookup of another server answers, each within a few seconds.

use crate::{
    mission_body,
    support::{
        eventually,
        peer::{Fault, Peer},
        Api, Db, Node,
    },
};
use serde_json::json;
use std::time::{Duration, Instant};

/// What "nobody else waits" means here: well under the 10 s an outgoing request may take.
const PROMPT: Duration = Duration::from_secs(5);

#[test]
fn slow_endless_and_garbage_servers_hold_up_nobody_else() {
    let api = Api::default();
    let mut node = Node::new("patient", Db::Sqlite);
    node.start();
    let token = node.user_with_token("alice");
    node.association("asso", "alice");
    let good = Peer::start(&["gina", "hugo"]);
    let bad = [
        (Fault::Silent, Peer::start(&["sam"])),
        (Fault::Endless, Peer::start(&["eve"])),
        (Fault::Garbage, Peer::start(&["gus"])),
    ];
    // Everyone follows the association while their servers still behave.
    let asso = node.url("/g/asso");
    let mut followers = vec![good.actor("gina")];
    followers.extend(bad.iter().map(|(_, p)| &p.actors_list()[0]));
    for actor in &followers {
        let follow = actor.follow(&actor.new_id("follow"), &asso);
        let (status, v) = actor.post(&node.url("/inbox"), &follow);
        assert_eq!(status, 202, "{v}");
    }
    eventually(20, "four followers", || {
        let (_, v) = api.get(&node.url("/api/v1/associations/asso"), None);
        (v["followers_count"] == 4).then_some(())
    });
    eventually(20, "gina's Accept", || {
        (good.count(|r| r.kind() == "Accept") == 1).then_some(())
    });
    for (fault, peer) in &bad {
        peer.go_bad(*fault);
    }

    std::thread::scope(|s| {
        // Lookups of the bad servers, in flight while the rest goes on.
        let lookups: Vec<_> = bad
            .iter()
            .map(|(fault, peer)| {
                let (api, node, token) = (&api, &node, &token);
                let target = peer.actors_list()[0].handle();
                s.spawn(move || {
                    let started = Instant::now();
                    let answer = api.try_send(
                        "POST",
                        &node.url("/api/v1/follows"),
                        Some(token),
                        Some(&json!({"target": target})),
                    );
                    (*fault, answer, started.elapsed())
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300));

        // A mission for the four followers: the good server has it promptly.
        let started = Instant::now();
        let (status, v) = api.send(
            "POST",
            &node.url("/api/v1/associations/asso/missions"),
            Some(&token),
            Some(&mission_body("Maraude du soir")),
        );
        assert_eq!(status, 201, "{v}");
        eventually(10, "the good server receives the Create", || {
            (good.count(|r| r.kind() == "Create") == 1).then_some(())
        });
        let delivered_in = started.elapsed();
        // A lookup of the good server answers promptly too.
        let started = Instant::now();
        let (status, v) = api.send(
            "POST",
            &node.url("/api/v1/follows"),
            Some(&token),
            Some(&json!({"target": good.actor("hugo").handle()})),
        );
        assert_eq!(status, 202, "{v}");
        let looked_up_in = started.elapsed();
        assert!(delivered_in < PROMPT, "delivery waited {delivered_in:?}");
        assert!(looked_up_in < PROMPT, "lookup waited {looked_up_in:?}");

        // Each bad lookup ends by itself, with an error that says the remote side failed.
        for handle in lookups {
            let (fault, answer, took) = handle.join().expect("lookup thread");
            let (status, v) = answer.unwrap_or_else(|| panic!("{fault:?}: no answer in 30 s"));
            assert!(
                [422, 502].contains(&status) && v["message"].is_string(),
                "{fault:?}: {status} {v}"
            );
            assert!(took < Duration::from_secs(15), "{fault:?} took {took:?}");
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "bad remote servers: the good server's delivery took {delivered_in:?}, its lookup \
             {looked_up_in:?}"
        );
    });
    let (status, _) = api.get(&node.url("/health/ready"), None);
    assert_eq!(status, 200);
}
