//! The regional aggregator with real processes: an aggregator (`[aggregator] enabled`) and
//! three nodes, one on PostgreSQL when `TEST_DATABASE_URL` is set. The aggregator backfills
//! every page of a node that had 250 missions before the follow, then follows live creation,
//! change and deletion; a source that stops talking is flagged silent; a Mobilizon-shaped
//! source (a relay whose outbox has two pages, a group), served from the fixtures by the test
//! peer, is walked past its first page; a group marked `indexable: false` gives nothing.

use crate::mission_body;
use crate::support::{eventually, fresh_postgres_db, peer::Peer, postgres_base_url, Api, Db, Node};
use serde_json::{json, Value};

const SILENT_AFTER: &str = "6";

/// An aggregator node: walks due sources every second, polite but quick, and flags a source
/// silent after a few seconds without news.
pub(crate) fn aggregator(name: &str, db: Db) -> Node {
    let mut node = Node::new(name, db);
    for (k, v) in [
        ("ENTRAIDE__AGGREGATOR__ENABLED", "true"),
        ("ENTRAIDE__AGGREGATOR__POLL_SECONDS", "1"),
        ("ENTRAIDE__AGGREGATOR__REQUESTS_PER_SECOND", "50"),
        ("ENTRAIDE__AGGREGATOR__BURST", "10"),
        ("ENTRAIDE__AGGREGATOR__SILENT_AFTER_SECONDS", SILENT_AFTER),
    ] {
        node.extra_env.push((k.into(), v.into()));
    }
    node
}

/// The aggregator's sources, as its API lists them.
fn sources(api: &Api, agg: &Node, token: &str) -> Vec<Value> {
    let (status, v) = api.get(&agg.url("/api/v1/admin/sources"), Some(token));
    assert_eq!(status, 200, "{v}");
    v["sources"].as_array().cloned().unwrap_or_default()
}

fn source_of(api: &Api, agg: &Node, token: &str, host: &str) -> Value {
    sources(api, agg, token)
        .into_iter()
        .find(|s| s["host"] == host)
        .unwrap_or_else(|| panic!("no source {host}"))
}

/// The remote missions the node lists now (upcoming ones), by AP id.
fn remote_missions(api: &Api, node: &Node) -> Vec<Value> {
    let (status, v) = api.get(&node.url("/api/v1/missions?origin=remote&limit=500"), None);
    assert_eq!(status, 200, "{v}");
    v["missions"].as_array().cloned().unwrap_or_default()
}

pub(crate) fn create_mission(api: &Api, node: &Node, token: &str, title: &str) -> String {
    let (status, v) = api.send(
        "POST",
        &node.url("/api/v1/associations/epicerie/missions"),
        Some(token),
        Some(&mission_body(title)),
    );
    assert_eq!(status, 201, "{v}");
    v["ap_id"].as_str().expect("ap_id").to_string()
}

pub(crate) fn node_with_association(node: &mut Node) -> String {
    node.start();
    let token = node.user_with_token("alice");
    node.association("epicerie", "alice");
    token
}

#[test]
fn an_aggregator_backfills_every_page_then_follows_live_changes() {
    let api = Api::default();
    let b_db = match postgres_base_url("an_aggregator_backfills_every_page (node b)") {
        Some(base) => Db::Postgres(fresh_postgres_db(&base, "fed_aggr_b")),
        None => Db::Sqlite,
    };
    let mut a = Node::new("a", Db::Sqlite);
    let mut b = Node::new("b", b_db);
    let mut c = Node::new("c", Db::Sqlite);
    let mut agg = aggregator("agg", Db::Sqlite);
    let token_a = node_with_association(&mut a);
    let token_b = node_with_association(&mut b);
    let token_c = node_with_association(&mut c);
    agg.start();
    let admin = agg.user_with_token("gwen");

    // 250 missions on A before anyone follows it: five pages of /relay/current.
    let mut on_a = Vec::new();
    for i in 0..250 {
        on_a.push(create_mission(
            &api,
            &a,
            &token_a,
            &format!("Mission {i} de A"),
        ));
    }
    let (_, current) = api.get_ap(&a.url("/relay/current"));
    assert_eq!(current["totalItems"], 250, "{current}");
    let on_b = create_mission(&api, &b, &token_b, "Collecte de B");

    // A by the command line, B and C by the API.
    let out = agg.cli(&["admin", "source", "add", &a.base], None);
    assert!(out.contains("entraide"), "{out}");
    for node in [&b, &c] {
        let (status, v) = api.send(
            "POST",
            &agg.url("/api/v1/admin/sources"),
            Some(&admin),
            Some(&json!({"target": node.base})),
        );
        assert_eq!(status, 201, "{v}");
        assert_eq!(v["kind"], "entraide");
        assert_eq!(v["collection"], node.url("/relay/current"));
    }
    let (status, v) = api.send(
        "POST",
        &agg.url("/api/v1/admin/sources"),
        Some(&admin),
        Some(&json!({"target": c.base})),
    );
    assert_eq!(status, 409, "a source is added once: {v}");

    // Every page of A walked: all 250 missions, the oldest one too (on the last page); B's
    // walk too (the sources are walked one after the other, B may come after A).
    eventually(
        120,
        "A's 250 missions and B's one reach the aggregator",
        || {
            let s = source_of(&api, &agg, &admin, &a.host());
            let walked = |s: &Value| s["last_reconciled_at"].is_string();
            let b_source = source_of(&api, &agg, &admin, &b.host());
            (s["items"] == 250 && walked(&s) && b_source["items"] == 1 && walked(&b_source))
                .then_some(())
        },
    );
    let here = remote_missions(&api, &agg);
    for ap_id in [&on_a[0], &on_a[249], &on_b] {
        assert!(
            here.iter().any(|m| m["ap_id"] == ap_id.as_str()),
            "{ap_id} missing"
        );
    }
    let listed = agg.cli(&["admin", "source", "list"], None);
    assert!(
        listed.contains(&a.url("/relay")) && listed.contains("items 250"),
        "{listed}"
    );

    // Live: C's relay announces what changes; the aggregator fetches it from C.
    eventually(30, "the aggregator follows C's relay", || {
        let (_, v) = api.get_ap(&c.url("/relay/followers"));
        (v["totalItems"] == 1).then_some(())
    });
    let live = create_mission(&api, &c, &token_c, "Maraude du soir");
    eventually(30, "a new mission of C reaches the aggregator", || {
        remote_missions(&api, &agg)
            .into_iter()
            .find(|m| m["ap_id"] == live.as_str())
    });
    let heard = source_of(&api, &agg, &admin, &c.host());
    assert!(heard["last_activity_at"].is_string(), "{heard}");
    let (_, created) = api.get(&c.url("/api/v1/missions?origin=local"), None);
    let id = created["missions"][0]["id"].as_i64().expect("id");
    let mut changed = mission_body("Maraude du soir, avec soupe");
    changed["capacity"] = json!(3);
    let (status, v) = api.send(
        "PATCH",
        &c.url(&format!("/api/v1/missions/{id}")),
        Some(&token_c),
        Some(&changed),
    );
    assert_eq!(status, 200, "{v}");
    eventually(30, "the change reaches the aggregator", || {
        remote_missions(&api, &agg)
            .into_iter()
            .find(|m| m["ap_id"] == live.as_str() && m["title"] == "Maraude du soir, avec soupe")
    });
    let (status, v) = api.send(
        "DELETE",
        &c.url(&format!("/api/v1/missions/{id}")),
        Some(&token_c),
        None,
    );
    assert!(status == 200 || status == 204, "{status} {v}");
    eventually(30, "the deletion reaches the aggregator", || {
        (!remote_missions(&api, &agg)
            .iter()
            .any(|m| m["ap_id"] == live.as_str()))
        .then_some(())
    });

    // B stops: nothing is heard from it any more, and it is flagged silent.
    b.kill9();
    eventually(30, "B is flagged silent in the API", || {
        (source_of(&api, &agg, &admin, &b.host())["silent"] == true).then_some(())
    });

    // Removing a source stops the follow.
    let c_id = source_of(&api, &agg, &admin, &c.host())["id"].clone();
    let (status, v) = api.send(
        "DELETE",
        &agg.url(&format!("/api/v1/admin/sources/{c_id}")),
        Some(&admin),
        None,
    );
    assert_eq!(status, 200, "{v}");
    eventually(30, "C's relay lost its follower", || {
        let (_, v) = api.get_ap(&c.url("/relay/followers"));
        (v["totalItems"] == 0).then_some(())
    });
    assert_eq!(sources(&api, &agg, &admin).len(), 2);
}

/// The fixture `name` with its made-up host made the peer's.
fn mobilizon_fixture(name: &str, base: &str) -> Value {
    let path = format!(
        "{}/federation-tests/fixtures/mobilizon/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text.replace("https://mobilizon.example", base))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An actor fixture with the peer actor's id, inbox and key.
fn actor_fixture(name: &str, base: &str, key_of: &Value) -> Value {
    let mut doc = mobilizon_fixture(name, base);
    doc["publicKey"]["publicKeyPem"] = key_of["publicKey"]["publicKeyPem"].clone();
    doc
}

/// The fixture's event, moved `days` ahead (so it is upcoming), under another id.
fn event(base: &str, uuid: &str, title: &str, days: i64, attributed_to: &str) -> Value {
    let mut e = mobilizon_fixture("event.json", base);
    let id = format!("{base}/events/{uuid}");
    e["id"] = json!(id);
    e["url"] = json!(id);
    e["name"] = json!(title);
    e["attributedTo"] = json!(attributed_to);
    e["startTime"] = json!(crate::support::dates::mission_at(days, 9));
    e["endTime"] = json!(crate::support::dates::mission_at(days, 12));
    e
}

fn announce(base: &str, object: &str, n: usize) -> Value {
    let mut a = mobilizon_fixture("announce.json", base);
    a["id"] = json!(format!("{object}/announces/{n}"));
    a["object"] = json!(object);
    a
}

#[test]
fn a_mobilizon_relay_is_walked_past_its_first_page_and_indexable_false_is_respected() {
    let api = Api::default();
    // Actors: the relay, the group, and a group that does not consent to indexing.
    let peer = Peer::start_serving(&["relay", "jardins", "prive"], |actors, base| {
        let relay = format!("{base}/actors/relay");
        let group = format!("{base}/actors/jardins");
        let prive = format!("{base}/actors/prive");
        let mut relay_doc = actor_fixture("relay.json", base, &actors[0].document());
        relay_doc["id"] = json!(relay);
        relay_doc["inbox"] = json!(format!("{relay}/inbox"));
        relay_doc["outbox"] = json!(format!("{relay}/outbox"));
        relay_doc["publicKey"]["id"] = json!(format!("{relay}#main-key"));
        relay_doc["publicKey"]["owner"] = json!(relay);
        let mut group_doc = actor_fixture("group.json", base, &actors[1].document());
        group_doc["id"] = json!(group);
        group_doc["inbox"] = json!(format!("{group}/inbox"));
        group_doc["publicKey"]["id"] = json!(format!("{group}#main-key"));
        group_doc["publicKey"]["owner"] = json!(group);
        let mut prive_doc = group_doc.clone();
        prive_doc["id"] = json!(prive);
        prive_doc["preferredUsername"] = json!("prive");
        prive_doc["inbox"] = json!(format!("{prive}/inbox"));
        prive_doc["outbox"] = json!(format!("{prive}/outbox"));
        prive_doc["indexable"] = json!(false);
        prive_doc["publicKey"] = actors[2].document()["publicKey"].clone();
        let first = event(
            base,
            "e-first",
            "Chantier au jardin des Capucins",
            3,
            &group,
        );
        let second = event(base, "e-second", "Troc de graines", 4, &group);
        let hidden = event(base, "e-prive", "Réunion du bureau", 5, &prive);
        let outbox = format!("{relay}/outbox");
        vec![
            (
                "/.well-known/nodeinfo".into(),
                json!({"links": [
                    {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                     "href": format!("{base}/nodeinfo/2.0.json")},
                    {"rel": "https://www.w3.org/ns/activitystreams#Application", "href": relay}]}),
            ),
            (
                "/nodeinfo/2.0.json".into(),
                json!({"version": "2.0", "software": {"name": "Mobilizon", "version": "5.1.0"}}),
            ),
            ("/actors/relay".into(), relay_doc),
            ("/actors/jardins".into(), group_doc),
            ("/actors/prive".into(), prive_doc),
            (
                "/actors/relay/outbox".into(),
                json!({"id": outbox, "type": "OrderedCollection", "totalItems": 2,
                       "first": format!("{outbox}?page=1")}),
            ),
            // Mobilizon reads only this first page when it follows a relay.
            (
                "/actors/relay/outbox?page=1".into(),
                json!({"id": format!("{outbox}?page=1"), "type": "OrderedCollectionPage",
                       "partOf": outbox, "next": format!("{outbox}?page=2"),
                       "orderedItems": [announce(base, first["id"].as_str().unwrap_or(""), 1)]}),
            ),
            (
                "/actors/relay/outbox?page=2".into(),
                json!({"id": format!("{outbox}?page=2"), "type": "OrderedCollectionPage",
                       "partOf": outbox,
                       "items": [announce(base, second["id"].as_str().unwrap_or(""), 2)]}),
            ),
            (
                "/actors/prive/outbox".into(),
                json!({"id": format!("{prive}/outbox"), "type": "OrderedCollection",
                       "totalItems": 1, "orderedItems": [
                        {"type": "Create", "id": format!("{prive}/create/1"), "actor": prive,
                         "object": hidden.clone()}]}),
            ),
            ("/events/e-first".into(), first),
            ("/events/e-second".into(), second),
            ("/events/e-prive".into(), hidden),
        ]
    });
    let mut agg = aggregator("agg", Db::Sqlite);
    agg.start();
    let admin = agg.user_with_token("gwen");
    let out = agg.cli(&["admin", "source", "add", &peer.base], None);
    assert!(out.contains("mobilizon"), "{out}");
    let (status, v) = api.send(
        "POST",
        &agg.url("/api/v1/admin/sources"),
        Some(&admin),
        Some(&json!({"target": format!("@prive@{}", peer.base.trim_start_matches("http://"))})),
    );
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["kind"], "group");

    let events = eventually(60, "both events of the relay's outbox are taken", || {
        let here = remote_missions(&api, &agg);
        let titles: Vec<String> = here
            .iter()
            .filter_map(|m| m["title"].as_str().map(str::to_string))
            .collect();
        (titles.contains(&"Chantier au jardin des Capucins".to_string())
            && titles.contains(&"Troc de graines".to_string()))
        .then_some(here)
    });
    // The link leads to Mobilizon, where people take part.
    let first = events
        .iter()
        .find(|m| m["title"] == "Chantier au jardin des Capucins")
        .expect("first event");
    assert_eq!(first["url"], format!("{}/events/e-first", peer.base));
    // The group that said `indexable: false` was walked, and nothing of it was kept.
    eventually(60, "the private group's walk ended", || {
        let s = sources(&api, &agg, &admin)
            .into_iter()
            .find(|s| s["kind"] == "group")?;
        s["last_reconciled_at"].is_string().then_some(())
    });
    assert!(
        !remote_missions(&api, &agg)
            .iter()
            .any(|m| m["title"] == "Réunion du bureau"),
        "an event of a group marked indexable: false was kept"
    );
    // Our relay followed theirs.
    assert!(peer.count(|r| r.kind() == "Follow" && r.object_id().ends_with("/actors/relay")) >= 1);
}
