//! The life of a mission across three real nodes: relay-to-relay and user-to-association
//! follows, `Create`/`Update`/`Delete` reaching both followers, a foreign actor refused when it
//! tries to change someone else's mission, and a delivery that survives a `kill -9`.

use crate::{
    cli_queue, collection_total, mission_body, remote_mission,
    support::dates::mission_at,
    support::{eventually, fresh_postgres_db, peer::Peer, postgres_base_url, Api, Db, Node},
};
use serde_json::json;

/// Node A runs on PostgreSQL when there is one (SQLite otherwise, said loudly); B and C on SQLite.
#[test]
fn three_nodes_follow_publish_update_delete_and_survive_kill9() {
    let api = Api::default();
    let db_a = match postgres_base_url(
        "three_nodes_follow_publish_update_delete_and_survive_kill9 (node A)",
    ) {
        Some(base) => Db::Postgres(fresh_postgres_db(&base, "fed_three_a")),
        None => Db::Sqlite,
    };
    let mut a = Node::new("a", db_a);
    let mut b = Node::new("b", Db::Sqlite);
    let mut c = Node::new("c", Db::Sqlite);
    a.start();
    b.start();
    c.start();
    let token_a = a.user_with_token("alice"); // first user of A: its administrator
    a.association("asso", "alice");
    let token_c = c.user_with_token("carole");
    let asso = a.url("/g/asso");

    // 1. B's relay follows A's relay, and A accepts.
    b.cli(&["admin", "follow", &a.base], None);
    eventually(20, "A's relay has B's relay as follower", || {
        (collection_total(&api, &a.url("/relay/followers")) == Some(1)).then_some(())
    });
    eventually(20, "B's relay follow of A's relay is accepted", || {
        let (_, v) = api.get_ap(&b.url("/relay/following"));
        (v["orderedItems"] == json!([a.url("/relay")])).then_some(())
    });

    // 2. A user on C follows the association on A, by handle.
    let (status, v) = api.send(
        "POST",
        &c.url("/api/v1/follows"),
        Some(&token_c),
        Some(&json!({"target": format!("@asso@{}", a.host())})),
    );
    assert_eq!(status, 202, "{v}");
    assert_eq!(v["target"], asso.as_str(), "{v}");
    eventually(20, "the association on A has one follower", || {
        (collection_total(&api, &a.url("/g/asso/followers")) == Some(1)).then_some(())
    });
    eventually(20, "C shows the follow as accepted", || {
        let (status, v) = api.get(&c.url("/api/v1/follows"), Some(&token_c));
        assert_eq!(status, 200, "{v}");
        let follows = v["follows"].as_array()?;
        assert_eq!(follows.len(), 1, "{v}");
        (follows[0]["target_ap_id"] == asso.as_str() && follows[0]["accepted"] == true)
            .then_some(())
    });

    // 3. A mission created on A reaches B (through the relay) and C (through the association).
    let (status, created) = api.send(
        "POST",
        &a.url("/api/v1/associations/asso/missions"),
        Some(&token_a),
        Some(&mission_body("Collecte de la banque alimentaire")),
    );
    assert_eq!(status, 201, "{created}");
    let id_on_a = created["id"].as_i64().expect("id");
    let ap_id = created["ap_id"].as_str().expect("ap_id").to_string();
    let mut ids = Vec::new();
    for node in [&b, &c] {
        let m = eventually(20, &format!("the mission reaches {}", node.name), || {
            remote_mission(&api, node, &ap_id)
        });
        assert_eq!(
            m["title"], "Collecte de la banque alimentaire",
            "on {}",
            node.name
        );
        assert_eq!(m["capacity"], 8, "on {}", node.name);
        assert_eq!(m["local"], false, "on {}", node.name);
        assert_eq!(m["association"]["ap_id"], asso.as_str(), "on {}", node.name);
        ids.push(m["id"].as_i64().expect("local id of the copy"));
    }

    // A foreign actor may neither update nor delete A's mission, on A or on the nodes holding a copy.
    let peer = Peer::start(&["mallory"]);
    let mallory = peer.actor("mallory");
    let event = |attributed_to: &str| {
        json!({"type": "Event", "id": ap_id, "attributedTo": attributed_to, "name": "Mission détournée",
               "startTime": mission_at(0, 9), "maximumAttendeeCapacity": 1})
    };
    for node in [&a, &b, &c] {
        let inbox = node.url("/inbox");
        for (what, activity) in [
            (
                "Update attributed to itself",
                mallory.activity("Update", event(&mallory.id)),
            ),
            (
                "Update attributed to the owner",
                mallory.activity("Update", event(&asso)),
            ),
            ("Delete", mallory.activity("Delete", json!(ap_id))),
        ] {
            let (status, v) = mallory.post(&inbox, &activity);
            assert_eq!(
                status, 403,
                "{what} of A's mission by a foreign actor, sent to {}: {v}",
                node.name
            );
        }
    }
    let (status, v) = api.get(&a.url(&format!("/api/v1/missions/{id_on_a}")), None);
    assert_eq!(
        (status, &v["title"]),
        (200, &json!("Collecte de la banque alimentaire")),
        "{v}"
    );
    for node in [&b, &c] {
        let m = remote_mission(&api, node, &ap_id)
            .unwrap_or_else(|| panic!("{} lost the mission", node.name));
        assert_eq!(
            (&m["title"], &m["capacity"]),
            (&json!("Collecte de la banque alimentaire"), &json!(8)),
            "on {}",
            node.name
        );
    }

    // Its update reaches both.
    let (status, v) = api.send(
        "PATCH",
        &a.url(&format!("/api/v1/missions/{id_on_a}")),
        Some(&token_a),
        Some(&json!({"title": "Collecte de printemps", "capacity": 12})),
    );
    assert_eq!(status, 200, "{v}");
    for node in [&b, &c] {
        eventually(20, &format!("the update reaches {}", node.name), || {
            let m = remote_mission(&api, node, &ap_id)?;
            (m["title"] == "Collecte de printemps" && m["capacity"] == 12).then_some(())
        });
    }

    // Its deletion removes it on both; A answers 410 with a Tombstone.
    let (status, v) = api.send(
        "DELETE",
        &a.url(&format!("/api/v1/missions/{id_on_a}")),
        Some(&token_a),
        None,
    );
    assert_eq!(status, 204, "{v}");
    for (node, id) in [&b, &c].into_iter().zip(&ids) {
        eventually(20, &format!("the deletion reaches {}", node.name), || {
            remote_mission(&api, node, &ap_id).is_none().then_some(())
        });
        let (status, v) = api.get(&node.url(&format!("/api/v1/missions/{id}")), None);
        assert_eq!(status, 410, "the deleted copy on {}: {v}", node.name);
    }
    let (status, tombstone) = api.get_ap(&ap_id);
    assert_eq!(status, 410, "{tombstone}");
    assert_eq!(tombstone["type"], "Tombstone", "{tombstone}");
    assert_eq!(tombstone["id"], ap_id.as_str(), "{tombstone}");

    // 4. A delivery pending while A is killed with SIGKILL arrives after A restarts.
    c.kill9();
    let (status, created) = api.send(
        "POST",
        &a.url("/api/v1/associations/asso/missions"),
        Some(&token_a),
        Some(&mission_body("Maraude du jeudi")),
    );
    assert_eq!(status, 201, "{created}");
    let ap_id = created["ap_id"].as_str().expect("ap_id").to_string();
    eventually(20, "the second mission reaches B", || {
        remote_mission(&api, &b, &ap_id)
    });
    eventually(
        20,
        "only the delivery to C is pending on A, and nothing is given up",
        || {
            let (pending, _, failed) = cli_queue(&a);
            assert_eq!(failed, 0, "nothing is given up yet");
            (pending == 1).then_some(())
        },
    );
    // Kill A between two attempts, not while one is in flight: a claimed delivery stays leased
    // (for longer than this test waits) until its lease ends.
    eventually(
        20,
        "A failed to deliver to C, and its next attempt is not imminent",
        || {
            let next = next_retry(&a.log(), &c.url("/inbox"))?;
            (chrono::Utc::now() + chrono::Duration::milliseconds(300) < next).then_some(())
        },
    );
    a.kill9();
    c.start();
    assert!(
        remote_mission(&api, &c, &ap_id).is_none(),
        "C cannot have the mission before A is back"
    );
    a.start();
    let m = eventually(
        40,
        "the pending delivery reaches C after A's restart",
        || remote_mission(&api, &c, &ap_id),
    );
    assert_eq!(m["title"], "Maraude du jeudi");
    eventually(20, "A's queue is empty once delivered", || {
        (cli_queue(&a).0 == 0).then_some(())
    });
}

/// When the last failed delivery to `inbox` in a node's log is due again (`retry=Some(…)`).
fn next_retry(log: &str, inbox: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let to_inbox = format!("inbox={inbox} ");
    let line = without_colours(log)
        .lines()
        .rfind(|l| l.contains("delivery failed") && l.contains(&to_inbox))?
        .to_string();
    let retry = line.split("retry=Some(").nth(1)?.split(')').next()?;
    let when = chrono::DateTime::parse_from_rfc3339(retry)
        .unwrap_or_else(|e| panic!("retry time {retry:?}: {e}"));
    Some(when.with_timezone(&chrono::Utc))
}

/// The log without its ANSI colour codes (`ESC [ … m`).
fn without_colours(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut chars = log.chars();
    while let Some(ch) = chars.next() {
        if ch == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(ch);
        }
    }
    out
}
