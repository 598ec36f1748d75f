//! In-process HTTP tests of one node: the JSON API (`/api/v1`; its OpenAPI document in `openapi.rs`), discovery
//! (WebFinger, NodeInfo), content negotiation on actor and mission URLs, and configuration.
//! Each test builds its own node (`App::build`) on a temporary data directory and sends
//! requests through the node's router.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{header, Method};
use common::{Resp, TestApp, BASE, HOST};
use entraide::{
    config::Config,
    domain::{
        account::Role,
        actor::{ActorKind, RemoteActor},
        events::Outgoing,
        mission::{MissionDraft, Place},
    },
    storage::{QueueStats, RemoteMission},
};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const AS_CONTEXT: &str = "https://www.w3.org/ns/activitystreams";
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const AP: &str = "application/activity+json";

/// A valid mission: Friday 14 June 2030, 09:00–12:00 in Paris, in Brest, 8 places.
fn mission_body(title: &str) -> Value {
    json!({
        "title": title,
        "description": "Trier les **dons** et servir le café.",
        "category": "solidarity",
        "skills": ["cuisine", "accueil"],
        "place_name": "Salle Jangot",
        "street_address": "10 rue Jangot",
        "postal_code": "29200",
        "locality": "Brest",
        "start_time": "2030-06-14T09:00:00+02:00",
        "end_time": "2030-06-14T12:00:00+02:00",
        "capacity": 8
    })
}

/// A node with an association `epicerie`: alice owns it (and, as the first user, administers
/// the node), carla coordinates it, bob is a plain member.
struct Node {
    t: TestApp,
    alice: String,
    carla: String,
    bob: String,
}

async fn node() -> Node {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (carla_user, carla) = t.user("carla").await;
    let (bob_user, bob) = t.user("bob").await;
    let a = t.association("epicerie", "alice").await;
    t.store()
        .set_member(a.id, carla_user.id, Role::Coordinator)
        .await
        .unwrap();
    t.store()
        .set_member(a.id, bob_user.id, Role::Member)
        .await
        .unwrap();
    assert!(!carla_user.is_admin && !bob_user.is_admin);
    Node {
        t,
        alice,
        carla,
        bob,
    }
}

const MISSIONS: &str = "/api/v1/associations/epicerie/missions";

fn mission_path(id: &Value) -> String {
    format!("/api/v1/missions/{}", id.as_i64().unwrap())
}

/// The titles of a mission list response.
fn listed(res: &Resp) -> Vec<String> {
    res.titles()
}

/// Outbox events not yet processed, in order (claimed far in the future, so nothing is hidden).
async fn pending_events(t: &TestApp) -> Vec<Outgoing> {
    let now = t.now() + chrono::Duration::days(3650);
    let events = t.store().claim_outbox_events(100, now, now).await.unwrap();
    events.into_iter().map(|e| e.event).collect()
}

#[tokio::test]
async fn missions_are_created_listed_read_updated_and_deleted() {
    let n = node().await;
    let t = &n.t;
    assert!(listed(&t.get(MISSIONS).await).is_empty());

    // Create (a coordinator): 201 with the mission as the API shows it.
    let res = t
        .api(
            Method::POST,
            MISSIONS,
            Some(&n.carla),
            Some(&mission_body("Distribution du samedi")),
        )
        .await;
    res.expect(201);
    let created = res.json();
    let id = created["id"].clone();
    assert_eq!(created["title"], "Distribution du samedi");
    assert_eq!(created["local"], true);
    assert_eq!(created["association"]["name"], "epicerie");
    assert_eq!(
        created["association"]["handle"],
        format!("@epicerie@{HOST}")
    );
    assert_eq!(created["category"], "solidarity");
    assert_eq!(created["skills"], json!(["cuisine", "accueil"]));
    assert_eq!(created["place"]["locality"], "Brest");
    assert_eq!(created["place"]["postal_code"], "29200");
    assert_eq!(created["start_time"], "2030-06-14T07:00:00Z");
    assert_eq!(created["end_time"], "2030-06-14T10:00:00Z");
    assert_eq!(created["capacity"], 8);
    assert_eq!(created["remaining"], 8);
    assert_eq!(created["participant_count"], 0);
    assert_eq!(created["join_mode"], "free");
    assert_eq!(created["status"], "published");
    assert!(
        created["content_html"]
            .as_str()
            .unwrap()
            .contains("<strong>dons</strong>"),
        "{created}"
    );
    assert_eq!(
        created["summary"],
        "ven. 14 juin 2030, de 9 h à 12 h · Brest · 8 places restantes sur 8"
    );
    let ap_id = created["ap_id"].as_str().unwrap().to_string();
    assert!(ap_id.starts_with(&format!("{BASE}/m/")), "{ap_id}");
    assert_eq!(
        t.store().queue_stats().await.unwrap().pending,
        1,
        "the Create is queued"
    );

    // The owner (and node admin) may publish too.
    t.api(
        Method::POST,
        MISSIONS,
        Some(&n.alice),
        Some(&mission_body("Collecte au marché")),
    )
    .await
    .expect(201);

    // List and read.
    assert_eq!(
        listed(&t.get(MISSIONS).await),
        ["Distribution du samedi", "Collecte au marché"]
    );
    assert_eq!(
        listed(&t.get("/api/v1/missions").await),
        ["Distribution du samedi", "Collecte au marché"]
    );
    assert_eq!(
        listed(&t.get("/api/v1/missions?limit=1&offset=1").await),
        ["Collecte au marché"]
    );
    let read = t.get(&mission_path(&id)).await;
    read.expect(200);
    assert_eq!(read.json(), created);

    // Update: only the given fields change.
    let res = t
        .api(
            Method::PATCH,
            &mission_path(&id),
            Some(&n.carla),
            Some(&json!({"title": "Distribution du dimanche", "capacity": 12})),
        )
        .await;
    res.expect(200);
    let updated = res.json();
    assert_eq!(updated["id"], id);
    assert_eq!(updated["title"], "Distribution du dimanche");
    assert_eq!(updated["capacity"], 12);
    assert_eq!(updated["remaining"], 12);
    assert_eq!(updated["place"], created["place"]);
    assert_eq!(updated["start_time"], created["start_time"]);
    assert_eq!(updated["published"], created["published"]);
    assert_eq!(t.get(&mission_path(&id)).await.json(), updated);

    // Delete: 204, then 410 for the mission, and it leaves the lists.
    t.api(Method::DELETE, &mission_path(&id), Some(&n.carla), None)
        .await
        .expect(204);
    let gone = t.get(&mission_path(&id)).await;
    gone.expect(410);
    assert_eq!(gone.json()["error"], "gone");
    assert_eq!(listed(&t.get(MISSIONS).await), ["Collecte au marché"]);
    t.api(Method::DELETE, &mission_path(&id), Some(&n.carla), None)
        .await
        .expect(404);
    t.api(
        Method::PATCH,
        &mission_path(&id),
        Some(&n.carla),
        Some(&json!({"title": "Encore"})),
    )
    .await
    .expect(404);

    // Every change was recorded for the federation worker, in order.
    let mission_id = id.as_i64().unwrap();
    let events = pending_events(t).await;
    assert_eq!(events.len(), 4, "{events:?}");
    assert_eq!(events[0], Outgoing::MissionPublished { mission_id });
    assert!(matches!(events[1], Outgoing::MissionPublished { .. }));
    assert_eq!(
        events[2..],
        [
            Outgoing::MissionUpdated { mission_id },
            Outgoing::MissionDeleted { mission_id }
        ]
    );
}

#[tokio::test]
async fn tokens_roles_and_unknown_things_are_refused() {
    let n = node().await;
    let t = &n.t;
    let body = mission_body("Distribution du samedi");

    // No token, a wrong token, another scheme: 401, with a JSON explanation.
    for auth in [
        None,
        Some("Bearer not-a-token"),
        Some("Basic YWxpY2U6cGFzc3dvcmQ="),
        Some(n.carla.as_str()),
    ] {
        let mut req =
            axum::http::Request::post(MISSIONS).header(header::CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        let res = t
            .send(req.body(axum::body::Body::from(body.to_string())).unwrap())
            .await;
        res.expect(401);
        assert_eq!(res.json()["error"], "unauthorized");
        assert!(!res.json()["message"].as_str().unwrap().is_empty());
    }
    t.api(Method::POST, MISSIONS, Some("forged"), Some(&body))
        .await
        .expect(401);

    // A member who does not coordinate: 403, and nothing is stored.
    let res = t
        .api(Method::POST, MISSIONS, Some(&n.bob), Some(&body))
        .await;
    res.expect(403);
    assert_eq!(res.json()["error"], "forbidden");
    assert!(listed(&t.get(MISSIONS).await).is_empty());
    assert_eq!(
        t.store().queue_stats().await.unwrap(),
        QueueStats::default()
    );

    let created = t.publish("epicerie", &n.carla, &body).await;
    let path = mission_path(&created.json()["id"]);
    for token in [None, Some("forged")] {
        t.api(
            Method::PATCH,
            &path,
            token,
            Some(&json!({"title": "Piraté"})),
        )
        .await
        .expect(401);
        t.api(Method::DELETE, &path, token, None).await.expect(401);
    }
    t.api(
        Method::PATCH,
        &path,
        Some(&n.bob),
        Some(&json!({"title": "Piraté"})),
    )
    .await
    .expect(403);
    t.api(Method::DELETE, &path, Some(&n.bob), None)
        .await
        .expect(403);
    let still = t.get(&path).await;
    still.expect(200);
    assert_eq!(still.json(), created.json());
    assert_eq!(
        pending_events(t).await.len(),
        1,
        "only the Create was recorded"
    );

    // Unknown association or mission: 404 with a JSON error.
    for res in [
        t.api(
            Method::POST,
            "/api/v1/associations/nope/missions",
            Some(&n.carla),
            Some(&body),
        )
        .await,
        t.get("/api/v1/associations/nope/missions").await,
        t.get("/api/v1/associations/nope").await,
        t.get("/api/v1/missions/999999").await,
        t.api(
            Method::PATCH,
            "/api/v1/missions/999999",
            Some(&n.carla),
            Some(&json!({"title": "Rien"})),
        )
        .await,
        t.api(
            Method::DELETE,
            "/api/v1/missions/999999",
            Some(&n.carla),
            None,
        )
        .await,
    ] {
        res.expect(404);
        assert_eq!(res.json()["error"], "not_found");
    }

    // Who am I: the token's user and their roles.
    let me = t.api(Method::GET, "/api/v1/me", Some(&n.bob), None).await;
    me.expect(200);
    assert_eq!(me.json()["name"], "bob");
    assert_eq!(me.json()["is_admin"], false);
    assert_eq!(
        me.json()["associations"],
        json!([{"name": "epicerie", "role": "member"}])
    );
    t.get("/api/v1/me").await.expect(401);
    // The queue is for administrators only.
    t.api(Method::GET, "/api/v1/admin/queue", Some(&n.bob), None)
        .await
        .expect(403);
    let queue = t
        .api(Method::GET, "/api/v1/admin/queue", Some(&n.alice), None)
        .await;
    queue.expect(200);
    assert_eq!(
        queue.json(),
        json!({"pending": 1, "delivered": 0, "failed": 0})
    );
}

#[tokio::test]
async fn refused_input_is_explained_per_field_and_nothing_is_stored() {
    let t = TestApp::new().await;
    let (_, token) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let with = |changes: Value| {
        let mut body = mission_body("Distribution du samedi");
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body
    };
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "end before start",
            with(json!({"end_time": "2030-06-14T08:00:00+02:00"})),
            vec!["end_time"],
        ),
        ("capacity 0", with(json!({"capacity": 0})), vec!["capacity"]),
        (
            "negative capacity",
            with(json!({"capacity": -5})),
            vec!["capacity"],
        ),
        ("missing title", with(json!({"title": null})), vec!["title"]),
        ("blank title", with(json!({"title": "   "})), vec!["title"]),
        (
            "unknown category",
            with(json!({"category": "astrologie"})),
            vec!["category"],
        ),
        (
            "oversized description",
            with(json!({"description": "a".repeat(20_001)})),
            vec!["description"],
        ),
        (
            "bad date",
            with(json!({"start_time": "demain matin"})),
            vec!["start_time"],
        ),
        (
            "missing place",
            with(json!({"locality": null})),
            vec!["locality"],
        ),
        (
            "several at once",
            with(
                json!({"title": "x", "capacity": 0, "category": "nope", "end_time": "pas une date"}),
            ),
            vec!["title", "capacity", "category", "end_time"],
        ),
    ];
    for (case, body, fields) in cases {
        let res = t
            .api(Method::POST, MISSIONS, Some(&token), Some(&body))
            .await;
        assert_eq!(res.status.as_u16(), 422, "{case}: {}", res.text());
        let v = res.json();
        assert_eq!(v["error"], "validation_failed", "{case}");
        assert!(!v["message"].as_str().unwrap().is_empty(), "{case}");
        let got: BTreeSet<&str> = v["fields"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            got,
            fields.iter().copied().collect::<BTreeSet<_>>(),
            "{case}: {v}"
        );
        for f in fields {
            assert!(
                v["fields"][f].as_str().is_some_and(|m| m.len() > 3),
                "{case}: no message for {f}: {v}"
            );
        }
    }
    assert_eq!(
        t.api(
            Method::POST,
            MISSIONS,
            Some(&token),
            Some(&with(json!({"end_time": "2030-06-14T08:00:00+02:00"})))
        )
        .await
        .json()["fields"]["end_time"],
        "must be after the start"
    );
    // Exactly the limit is fine (checked on an update below, so that nothing is created here).

    // Not JSON at all: 400 with a JSON message.
    let res = t
        .raw(
            Method::POST,
            MISSIONS,
            Some(&token),
            Some("application/json"),
            "{\"title\": ",
        )
        .await;
    res.expect(400);
    assert_eq!(res.json()["error"], "invalid_json");
    assert!(res.json()["message"].as_str().unwrap().contains("JSON"));
    // Not declared as JSON: 415.
    let res = t
        .raw(
            Method::POST,
            MISSIONS,
            Some(&token),
            None,
            &mission_body("Sans type").to_string(),
        )
        .await;
    res.expect(415);
    assert!(res.json()["message"]
        .as_str()
        .unwrap()
        .contains("application/json"));
    let res = t
        .raw(
            Method::POST,
            MISSIONS,
            Some(&token),
            Some("text/plain"),
            &mission_body("Texte").to_string(),
        )
        .await;
    res.expect(415);
    // JSON of the wrong shape: 422.
    t.api(
        Method::POST,
        MISSIONS,
        Some(&token),
        Some(&with(json!({"capacity": "huit"}))),
    )
    .await
    .expect(422);
    t.api(
        Method::POST,
        MISSIONS,
        Some(&token),
        Some(&with(json!({"colour": "blue"}))),
    )
    .await
    .expect(422);
    t.api(
        Method::POST,
        MISSIONS,
        Some(&token),
        Some(&json!(["a list"])),
    )
    .await
    .expect(422);

    // Nothing was stored and nothing is to be sent.
    assert!(listed(&t.get(MISSIONS).await).is_empty());
    assert!(listed(&t.get("/api/v1/missions?past=true").await).is_empty());
    assert_eq!(
        t.store().queue_stats().await.unwrap(),
        QueueStats::default()
    );
    assert!(pending_events(&t).await.is_empty());

    // A refused update changes nothing and announces nothing.
    let created = t
        .api(
            Method::POST,
            MISSIONS,
            Some(&token),
            Some(&mission_body("Distribution")),
        )
        .await;
    created.expect(201);
    let path = mission_path(&created.json()["id"]);
    for bad in [
        json!({"end_time": "2030-06-14T08:00:00+02:00"}),
        json!({"capacity": 0}),
        json!({"title": ""}),
        json!({"category": "nope"}),
        json!({"description": "é".repeat(20_001)}),
        json!({"start_time": "14/06/2030"}),
    ] {
        let res = t.api(Method::PATCH, &path, Some(&token), Some(&bad)).await;
        res.expect(422);
        let key = bad.as_object().unwrap().keys().next().unwrap().clone();
        assert!(
            res.json()["fields"].as_object().unwrap().contains_key(&key),
            "{bad}: {}",
            res.text()
        );
    }
    t.raw(
        Method::PATCH,
        &path,
        Some(&token),
        Some("application/json"),
        "not json",
    )
    .await
    .expect(400);
    t.raw(Method::PATCH, &path, Some(&token), None, "{}")
        .await
        .expect(415);
    assert_eq!(t.get(&path).await.json(), created.json());
    assert_eq!(
        pending_events(&t).await,
        vec![Outgoing::MissionPublished {
            mission_id: created.json()["id"].as_i64().unwrap()
        }]
    );
    let res = t
        .api(
            Method::PATCH,
            &path,
            Some(&token),
            Some(&json!({"description": "é".repeat(20_000)})),
        )
        .await;
    res.expect(200);
}

#[tokio::test]
async fn missions_from_other_nodes_are_listed_apart() {
    let t = TestApp::new().await;
    let (_, token) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    t.api(
        Method::POST,
        MISSIONS,
        Some(&token),
        Some(&mission_body("Mission locale")),
    )
    .await
    .expect(201);
    let remote = t
        .store()
        .upsert_remote_actor(
            RemoteActor {
                ap_id: "https://voisins.example/g/amis".into(),
                kind: ActorKind::Group,
                name: "amis".into(),
                host: "voisins.example".into(),
                display_name: "Les amis".into(),
                summary: String::new(),
                inbox: "https://voisins.example/g/amis/inbox".into(),
                shared_inbox: Some("https://voisins.example/inbox".into()),
                outbox: None,
                followers: None,
                url: Some("https://voisins.example/@amis".into()),
                public_key_pem: "KEY".into(),
            },
            t.now(),
        )
        .await
        .unwrap();
    let start = t.now() + chrono::Duration::days(30);
    let m = t
        .store()
        .upsert_remote_mission(RemoteMission {
            ap_id: "https://voisins.example/m/1".into(),
            url: "https://voisins.example/m/1".into(),
            actor_id: remote.id,
            content_html: "<p>Chez les voisins</p>".into(),
            remote_summary: "demain · Quimper · 2 places".into(),
            draft: MissionDraft {
                title: "Mission voisine".into(),
                category: "culture".into(),
                place: Place {
                    locality: "Quimper".into(),
                    ..Place::default()
                },
                start_time: start,
                end_time: start + chrono::Duration::hours(2),
                capacity: Some(4),
                ..MissionDraft::default()
            },
            participant_count: 2,
            published: t.now(),
            updated: t.now(),
            is_event: false,
        })
        .await
        .unwrap();

    assert_eq!(
        listed(&t.get("/api/v1/missions?origin=remote").await),
        ["Mission voisine"]
    );
    assert_eq!(
        listed(&t.get("/api/v1/missions?origin=local").await),
        ["Mission locale"]
    );
    // By start time: the neighbours' mission comes first (next month, ours is in 2030).
    assert_eq!(
        listed(&t.get("/api/v1/missions?origin=all").await),
        ["Mission voisine", "Mission locale"]
    );
    assert_eq!(
        listed(&t.get("/api/v1/missions").await),
        ["Mission voisine", "Mission locale"]
    );
    assert_eq!(
        listed(&t.get(&format!("{MISSIONS}?origin=remote")).await),
        Vec::<String>::new()
    );
    let bad = t.get("/api/v1/missions?origin=elsewhere").await;
    bad.expect(400);
    assert!(bad.json()["message"].as_str().unwrap().contains("origin"));

    let res = t.get("/api/v1/missions?origin=remote").await;
    let v = &res.json()["missions"][0];
    assert_eq!(v["local"], false);
    assert_eq!(v["summary"], "demain · Quimper · 2 places");
    assert_eq!(v["remaining"], 2);
    assert_eq!(v["association"]["handle"], "@amis@voisins.example");
    assert_eq!(v["association"]["local"], false);
    assert_eq!(v["url"], "https://voisins.example/m/1");
    // Readable here, but only its own node changes it.
    let path = format!("/api/v1/missions/{}", m.id);
    t.get(&path).await.expect(200);
    t.api(
        Method::PATCH,
        &path,
        Some(&token),
        Some(&json!({"title": "Volée"})),
    )
    .await
    .expect(404);
    t.api(Method::DELETE, &path, Some(&token), None)
        .await
        .expect(404);
    assert_eq!(t.get(&path).await.json()["title"], "Mission voisine");
}

#[tokio::test]
async fn webfinger_and_nodeinfo() {
    let t = TestApp::new().await;
    t.user("alice").await;
    // A person and an association may share a name.
    t.user("epicerie").await;
    t.association("epicerie", "alice").await;

    let t = &t;
    let wf = |resource: &str| {
        let path = format!("/.well-known/webfinger?resource={resource}");
        async move { t.get(&path).await }
    };
    let res = wf(&format!("acct:alice@{HOST}")).await;
    res.expect(200);
    assert!(
        res.content_type().starts_with("application/jrd+json"),
        "{}",
        res.content_type()
    );
    let v = res.json();
    assert_eq!(v["subject"], format!("acct:alice@{HOST}"));
    let self_links = |v: &Value| -> Vec<(String, String)> {
        v["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["rel"] == "self")
            .map(|l| {
                assert_eq!(l["type"], AP);
                (
                    l["href"].as_str().unwrap().to_string(),
                    l["properties"]["https://www.w3.org/ns/activitystreams#type"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        self_links(&v),
        [(format!("{BASE}/u/alice"), "Person".to_string())]
    );

    let v = wf(&format!("acct:epicerie@{HOST}")).await.json();
    assert_eq!(v["subject"], format!("acct:epicerie@{HOST}"));
    assert_eq!(
        self_links(&v),
        [
            (format!("{BASE}/g/epicerie"), "Group".to_string()),
            (format!("{BASE}/u/epicerie"), "Person".to_string())
        ],
        "the group first, then the person"
    );
    // Without the acct: scheme, as some clients send it.
    assert_eq!(
        self_links(&wf(&format!("epicerie@{HOST}")).await.json())[0].0,
        format!("{BASE}/g/epicerie")
    );

    // FEP-d556: the server itself, by its URL, is the relay actor.
    for resource in [format!("{BASE}/"), BASE.to_string()] {
        let res = wf(&resource).await;
        res.expect(200);
        let v = res.json();
        assert_eq!(v["subject"], format!("{BASE}/"));
        assert_eq!(self_links(&v), [(format!("{BASE}/relay"), String::new())]);
    }

    // Unknown accounts and other servers: 404.
    for resource in [
        format!("acct:nobody@{HOST}"),
        "acct:alice@elsewhere.example".to_string(),
        "acct:".to_string(),
    ] {
        let res = wf(&resource).await;
        res.expect(404);
        assert!(res.json()["message"].as_str().is_some(), "{resource}");
    }
    assert_eq!(t.get("/.well-known/webfinger").await.status.as_u16(), 400);

    // NodeInfo: the well-known links, with FEP-2677's Application link to the relay.
    let res = t.get("/.well-known/nodeinfo").await;
    res.expect(200);
    let links = res.json()["links"].as_array().unwrap().clone();
    let href = |rel: &str| {
        links
            .iter()
            .find(|l| l["rel"] == rel)
            .map(|l| l["href"].as_str().unwrap().to_string())
    };
    assert_eq!(
        href("http://nodeinfo.diaspora.software/ns/schema/2.1").as_deref(),
        Some(format!("{BASE}/nodeinfo/2.1").as_str())
    );
    assert_eq!(
        href("https://www.w3.org/ns/activitystreams#Application").as_deref(),
        Some(format!("{BASE}/relay").as_str())
    );
    let res = t.get("/nodeinfo/2.1").await;
    res.expect(200);
    assert!(
        res.content_type()
            .contains("nodeinfo.diaspora.software/ns/schema/2.1"),
        "{}",
        res.content_type()
    );
    let ni = res.json();
    assert_eq!(ni["version"], "2.1");
    assert_eq!(ni["software"]["name"], "entraide");
    assert!(ni["software"]["version"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert_eq!(ni["protocols"], json!(["activitypub"]));
    assert_eq!(ni["usage"]["users"]["total"], 2);
    assert_eq!(ni["usage"]["localPosts"], 0);
    assert!(ni["openRegistrations"].is_boolean());
    assert_eq!(ni["metadata"]["nodeName"], "Nœud de test");

    // The relay actor answers without any Accept header (FEP-2677) and with the AP one.
    for res in [
        t.get("/relay").await,
        t.get_with("/relay", "accept", AP).await,
    ] {
        res.expect(200);
        assert!(res.content_type().starts_with(AP));
        let v = res.json();
        assert_eq!(v["type"], "Application");
        assert_eq!(v["id"], format!("{BASE}/relay"));
    }
}

#[tokio::test]
async fn one_url_serves_pages_to_browsers_and_json_ld_to_servers() {
    let t = TestApp::new().await;
    let (_, token) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let created = t
        .api(
            Method::POST,
            MISSIONS,
            Some(&token),
            Some(&mission_body("Distribution du samedi")),
        )
        .await;
    created.expect(201);
    let ap_id = created.json()["ap_id"].as_str().unwrap().to_string();
    let mission_url = ap_id.strip_prefix(BASE).unwrap().to_string();

    // The association: a page for browsers, a Group for servers.
    let page = t.get_with("/g/epicerie", "accept", BROWSER_ACCEPT).await;
    page.expect(200);
    assert!(
        page.content_type().starts_with("text/html"),
        "{}",
        page.content_type()
    );
    assert!(page.text().contains("Épicerie solidaire"));
    assert!(page.text().contains("Distribution du samedi"));
    for accept in [
        AP,
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    ] {
        let res = t.get_with("/g/epicerie", "accept", accept).await;
        res.expect(200);
        assert!(
            res.content_type().starts_with(AP),
            "{accept}: {}",
            res.content_type()
        );
        let v = res.json();
        assert_eq!(v["@context"][0], AS_CONTEXT);
        assert_eq!(v["type"], "Group");
        assert_eq!(v["id"], format!("{BASE}/g/epicerie"));
        assert_eq!(v["preferredUsername"], "epicerie");
        assert_eq!(v["name"], "Épicerie solidaire");
        assert_eq!(v["inbox"], format!("{BASE}/g/epicerie/inbox"));
        assert_eq!(v["outbox"], format!("{BASE}/g/epicerie/outbox"));
        assert_eq!(v["followers"], format!("{BASE}/g/epicerie/followers"));
        assert_eq!(v["endpoints"]["sharedInbox"], format!("{BASE}/inbox"));
        assert_eq!(v["publicKey"]["owner"], v["id"]);
        assert_eq!(v["publicKey"]["id"], format!("{BASE}/g/epicerie#main-key"));
        assert!(v["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----"));
    }
    t.get_with("/g/nobody", "accept", AP).await.expect(404);
    t.get_with("/g/nobody", "accept", BROWSER_ACCEPT)
        .await
        .expect(404);

    // The mission: a page, and a Mobilizon-compatible Event.
    let page = t.get_with(&mission_url, "accept", BROWSER_ACCEPT).await;
    page.expect(200);
    assert!(page.content_type().starts_with("text/html"));
    assert!(page.text().contains("Distribution du samedi"));
    let res = t.get_with(&mission_url, "accept", AP).await;
    res.expect(200);
    assert!(res.content_type().starts_with(AP));
    let vary = res
        .headers
        .get(header::VARY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(vary.contains("Accept"), "Vary: {vary}");
    let e = res.json();
    assert_eq!(e["@context"][0], AS_CONTEXT);
    assert_eq!(e["type"], "Event");
    assert_eq!(e["id"], ap_id);
    assert_eq!(e["name"], "Distribution du samedi");
    assert_eq!(e["attributedTo"], format!("{BASE}/g/epicerie"));
    assert!(e["to"]
        .as_array()
        .unwrap()
        .contains(&json!("https://www.w3.org/ns/activitystreams#Public")));
    assert_eq!(
        e["summary"],
        "ven. 14 juin 2030, de 9 h à 12 h · Brest · 8 places restantes sur 8"
    );
    assert_eq!(e["startTime"], "2030-06-14T09:00:00+02:00");
    assert_eq!(e["endTime"], "2030-06-14T12:00:00+02:00");
    assert_eq!(e["timezone"], "Europe/Paris");
    assert_eq!(e["location"]["type"], "Place");
    assert_eq!(e["location"]["name"], "Salle Jangot");
    assert_eq!(
        e["location"]["address"],
        json!({"type": "PostalAddress", "streetAddress": "10 rue Jangot", "postalCode": "29200",
               "addressLocality": "Brest", "addressCountry": "FR"})
    );
    assert_eq!(e["joinMode"], "free");
    assert_eq!(e["maximumAttendeeCapacity"], 8);
    assert_eq!(e["remainingAttendeeCapacity"], 8);
    assert_eq!(e["participantCount"], 0);
    assert_eq!(e["category"], "CAUSES");
    assert_eq!(e["status"], "CONFIRMED");
    assert!(e["content"]
        .as_str()
        .unwrap()
        .contains("<strong>dons</strong>"));

    // Unknown missions: 404 both ways; deleted ones: 410 both ways, a Tombstone for servers.
    t.get_with("/m/00000000-0000-0000-0000-000000000000", "accept", AP)
        .await
        .expect(404);
    t.get_with(
        "/m/00000000-0000-0000-0000-000000000000",
        "accept",
        BROWSER_ACCEPT,
    )
    .await
    .expect(404);
    t.api(
        Method::DELETE,
        &mission_path(&created.json()["id"]),
        Some(&token),
        None,
    )
    .await
    .expect(204);
    let res = t.get_with(&mission_url, "accept", AP).await;
    res.expect(410);
    assert_eq!(res.json()["type"], "Tombstone");
    assert_eq!(res.json()["id"], ap_id);
    t.get_with(&mission_url, "accept", BROWSER_ACCEPT)
        .await
        .expect(410);
    assert!(!t
        .get_with("/g/epicerie", "accept", BROWSER_ACCEPT)
        .await
        .text()
        .contains("Distribution du samedi"));
}

#[tokio::test]
async fn configuration_comes_from_a_file_and_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("donnees");
    let file = dir.path().join("entraide.toml");
    std::fs::write(
        &file,
        format!(
            "[server]\nbind = \"0.0.0.0:9000\"\npublic_url = \"https://asso.example\"\ndata_dir = \"{}\"\n\n\
             [database]\nurl = \"sqlite://{}\"\nmax_connections = 2\n\n\
             [federation]\nallow_private_addresses = false\nmax_attempts = 5\n\n\
             [instance]\nname = \"Maison des associations\"\ntimezone = \"America/Montreal\"\n",
            data.display(),
            data.join("base.sqlite").display()
        ),
    )
    .unwrap();
    let env = vec![
        (
            "ENTRAIDE__SERVER__PUBLIC_URL".to_string(),
            "http://localhost:8123".to_string(),
        ),
        (
            "ENTRAIDE__FEDERATION__ALLOW_PRIVATE_ADDRESSES".to_string(),
            "true".to_string(),
        ),
        (
            "ENTRAIDE__DATABASE__MAX_CONNECTIONS".to_string(),
            "3".to_string(),
        ),
        (
            "ENTRAIDE__INSTANCE__DEFAULT_LANGUAGE".to_string(),
            "en".to_string(),
        ),
        ("UNRELATED".to_string(), "ignored".to_string()),
    ];
    let config = Config::load(Some(&file), env).unwrap();
    // From the file.
    assert_eq!(config.server.bind, "0.0.0.0:9000");
    assert_eq!(config.server.data_dir, data);
    assert_eq!(config.federation.max_attempts, 5);
    assert_eq!(config.instance.name, "Maison des associations");
    assert_eq!(config.timezone(), chrono_tz::America::Montreal);
    // Overridden by the environment.
    assert_eq!(config.server.public_url.as_str(), "http://localhost:8123/");
    assert_eq!(config.base(), "http://localhost:8123");
    assert_eq!(config.domain(), "localhost:8123");
    assert!(config.federation.allow_private_addresses);
    assert_eq!(config.database.max_connections, 3);
    assert_eq!(config.instance.default_language, "en");
    // Defaults for the rest.
    assert_eq!(config.federation.delivery_workers, 64);

    // The node uses it: the SQLite file where configured, ids under the public URL.
    let app = entraide::app::App::build(config).await.unwrap();
    assert!(data.join("base.sqlite").exists());
    let relay = app
        .state
        .store
        .find_local_actor("Application", "relay")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(relay.ap_id, "http://localhost:8123/relay");
    assert_eq!(relay.display_name, "Maison des associations");

    // Mistakes are refused with a message naming the culprit.
    let bad = |k: &str, v: &str| {
        Config::load(Some(&file), vec![(k.to_string(), v.to_string())])
            .unwrap_err()
            .to_string()
    };
    assert!(bad(
        "ENTRAIDE__SERVER__PUBLIC_URL",
        "https://asso.example/sous-dossier"
    )
    .contains("public_url"));
    assert!(bad("ENTRAIDE__INSTANCE__TIMEZONE", "Mars/Olympus").contains("timezone"));
    assert!(bad("ENTRAIDE__SERVER__COLOUR", "blue").contains("colour"));
    assert!(bad("ENTRAIDE__DATABASE__MAX_CONNECTIONS", "many").contains("max_connections"));
    assert!(bad("ENTRAIDE__ONLY_ONE_PART", "x").contains("ENTRAIDE__ONLY_ONE_PART"));
    let missing = Config::load(Some(&dir.path().join("absent.toml")), Vec::new())
        .unwrap_err()
        .to_string();
    assert!(missing.contains("absent.toml"), "{missing}");
}
