//! Search (issue 15), in process: the French analysis and every filter through
//! `GET /api/v1/search` on SQLite and PostgreSQL, Mobilizon's `GET /api/v1/search/events`,
//! the pages, an index rebuilt when damaged and by `reindex`, a change found again soon after
//! (polled, never timed), and a remote event received through the inbox indexed.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../federation-tests/support/peer.rs"]
#[allow(dead_code)]
mod peer;
mod search_support;

use axum::{
    body::Body,
    http::{Method, Request},
};
use common::{TestApp, BASE};
use peer::{Peer, AS_CONTEXT, PUBLIC};
use search_support::*;
use serde_json::json;

async fn every_filter(d: Data) {
    let t = &d.t;
    // Text, with the French analysis on both sides.
    for (q, want) in [
        ("velo", VELOS),
        ("vélos", VELOS),
        ("benevole", VELOS),
        ("BÉNÉVOLES", VELOS),
        ("jeu", JEUX),
        ("numero", NUMEROS),
        ("numéros", NUMEROS),
        ("tentes", TENTE),
        ("epicerie", ""),
    ] {
        let (found, total) = titles(t, &format!("q={}", urlencode(q))).await;
        if want.is_empty() {
            // The association's name is searched: everything of l'Épicerie solidaire.
            assert_eq!(total, 5, "{q}: {found:?}");
        } else {
            assert_eq!(found, vec![want.to_string()], "{q}");
        }
    }
    assert_eq!(titles(t, "q=kayak").await, (vec![], 0));
    // Kind.
    assert_eq!(sorted_titles(t, "kind=equipment").await, vec![TENTE]);
    assert_eq!(
        sorted_titles(t, "kind=mission&kind=event").await,
        vec![DISTRIBUTION, JEUX, NUMEROS, VELOS]
    );
    // Dates: what overlaps them (equipment is not filtered by dates).
    assert_eq!(
        sorted_titles(t, "kind=mission&from=2030-04-01").await,
        vec![JEUX]
    );
    assert_eq!(
        sorted_titles(t, "kind=mission&from=2030-03-12&to=2030-03-20").await,
        vec![DISTRIBUTION, NUMEROS]
    );
    assert_eq!(sorted_titles(t, "from=2030-04-01").await, vec![JEUX, TENTE]);
    // Places left: the distribution's only slot is taken.
    assert_eq!(
        sorted_titles(t, "kind=mission&places_left=true").await,
        vec![JEUX, NUMEROS, VELOS]
    );
    assert_eq!(
        sorted_titles(
            t,
            "kind=mission&places_left=true&from=2030-03-14&to=2030-03-16"
        )
        .await,
        Vec::<String>::new()
    );
    // Category (ours, comma-separated or repeated).
    assert_eq!(
        sorted_titles(t, "category=culture,tent").await,
        vec![JEUX, TENTE]
    );
    // Skills, without case nor accents.
    assert_eq!(sorted_titles(t, "skills=mecanique").await, vec![VELOS]);
    assert_eq!(
        sorted_titles(t, "skill=ACCUEIL&skill=animation").await,
        vec![DISTRIBUTION, JEUX]
    );
    // In person or remote.
    assert_eq!(sorted_titles(t, "mode=remote").await, vec![NUMEROS]);
    assert_eq!(
        sorted_titles(t, "mode=in_person&kind=mission").await,
        vec![DISTRIBUTION, JEUX, VELOS]
    );
    // Distance from a point, nearest first, with the distance.
    let near = format!("lat={}&lon={}", BREST.0, BREST.1);
    let res = get(t, &format!("{near}&radius=25&sort=distance&kind=mission")).await;
    res.expect(200);
    let v = res.json();
    let got: Vec<(&str, f64)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap(),
                r["distance_km"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].0, got[1].0), (VELOS, DISTRIBUTION));
    assert!(
        got[0].1 < 1.0 && (15.0..25.0).contains(&got[1].1),
        "{got:?}"
    );
    assert_eq!(
        sorted_titles(t, &format!("{near}&radius=5")).await,
        vec![VELOS, TENTE]
    );
    assert_eq!(
        sorted_titles(t, "latlon=47.996:-4.102&radius=2").await,
        vec![JEUX]
    );
    // A box (the map's): north,west:south,east around Quimper.
    assert_eq!(
        sorted_titles(t, "bbox=48.1,-4.2:47.9,-4.0").await,
        vec![JEUX]
    );
    // Sorted by date, one page at a time.
    let (by_date, total) = titles(t, "kind=mission&sort=date").await;
    assert_eq!(total, 4);
    assert_eq!(by_date, vec![VELOS, DISTRIBUTION, NUMEROS, JEUX]);
    let (page, total) = titles(t, "kind=mission&sort=date&limit=2&offset=2").await;
    assert_eq!(
        (page, total),
        (vec![NUMEROS.to_string(), JEUX.to_string()], 4)
    );
    // Relevance: the title counts more than the description.
    let res = get(t, "q=velo").await;
    let first = &res.json()["results"][0];
    assert_eq!(first["kind"], "mission");
    assert_eq!(first["association"], "Épicerie solidaire");
    assert_eq!(first["places_left"], 5);
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{BASE}/m/")),
        "{first}"
    );
    assert_eq!(first["id"], d.mission_ids[0]);

    // Refused: field by field, in English, never a 500.
    let res = get(
        t,
        "radius=80&lat=48.39&lon=-4.49&kind=party&from=demain&sort=price&limit=0",
    )
    .await;
    res.expect(422);
    let fields = &res.json()["fields"];
    for f in ["radius", "kind", "from", "sort", "limit"] {
        assert!(fields[f].is_string(), "{f}: {}", res.text());
    }
    let res = get(t, "lat=48.39").await;
    res.expect(422);
    assert!(res.json()["fields"]["lat"].is_string());
    let res = get(t, "bbox=here").await;
    res.expect(422);
    let res = get(t, "colour=red").await;
    res.expect(400);
    assert!(res.text().contains("colour"), "{}", res.text());

    // Mobilizon's global search contract.
    let res = t.get("/api/v1/search/events?search=velo&latlon=48.39:-4.49&distance=10_km&categoryOneOf[]=COMMUNITY&sortBy=-match&start=0&count=5").await;
    res.expect(200);
    let v = res.json();
    assert_eq!(v["total"], 1, "{v}");
    let e = &v["data"][0];
    assert_eq!(e["name"], VELOS);
    assert_eq!(e["category"], "COMMUNITY");
    assert_eq!(e["creator"]["displayName"], "Épicerie solidaire");
    assert_eq!(e["location"]["location"]["lat"], BREST.0);
    assert_eq!(e["location"]["address"]["addressLocality"], "Brest");
    assert!(e["tags"].is_array() && e["startTime"].is_string());
    let res = t.get("/api/v1/search/events?categoryOneOf[]=MUSIC").await;
    assert_eq!(res.json()["total"], 0);
    // Equipment is not an event; a geohash and dates as Mobilizon sends them.
    let res = t.get("/api/v1/search/events?latlon=gbsg3&distance=100_km&startDateMin=2030-03-14T00:00:00Z&startDateMax=2030-03-31T00:00:00Z").await;
    res.expect(200);
    let body = res.json();
    let mut names: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, vec![DISTRIBUTION]);

    // A change through the API is found again soon: the index follows the change log.
    let id = d.mission_ids[1];
    let res = t
        .api(
            Method::PATCH,
            &format!("/api/v1/missions/{id}"),
            Some(&d.alice),
            Some(&json!({"title": "Sortie en kayak"})),
        )
        .await;
    res.expect(200);
    eventually(t, "q=kayak", |found| {
        found == [String::from("Sortie en kayak")]
    })
    .await;
    assert_eq!(titles(t, "q=jeux").await.1, 0);
    // Deleted: gone.
    t.api(
        Method::DELETE,
        &format!("/api/v1/missions/{id}"),
        Some(&d.alice),
        None,
    )
    .await
    .expect(204);
    eventually(t, "q=kayak", |found| found.is_empty()).await;
}

#[tokio::test]
async fn every_filter_on_sqlite() {
    every_filter(fill(TestApp::new().await).await).await;
}

#[tokio::test]
async fn every_filter_on_postgres() {
    let Some((t, _db)) = TestApp::on_postgres("search_every_filter").await else {
        return;
    };
    every_filter(fill(t).await).await;
}

#[tokio::test]
async fn a_damaged_index_is_rebuilt_and_reindex_rebuilds_it() {
    let t = TestApp::new().await;
    let d = fill(t).await;
    let t = &d.t;
    // Damaged before the first search: rebuilt from the database.
    let dir = t.app.state.search.dir().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("meta.json"), b"{ not json").unwrap();
    assert_eq!(titles(t, "q=velo").await.0, vec![VELOS]);
    assert_eq!(titles(t, "").await.1, 5);
    // `entraide admin reindex` does this: the same index again, and a request to the others.
    let rebuilt = entraide::service::search::reindex(&t.app.state.search, t.store(), t.now())
        .await
        .unwrap();
    assert_eq!((rebuilt.missions, rebuilt.resources), (4, 1));
    assert_eq!(titles(t, "").await.1, 5);
    let (items, bytes) = t.app.state.search.stats();
    assert_eq!(items, 5);
    assert!(bytes > 0);
}

#[tokio::test]
async fn the_pages_search_without_javascript() {
    let d = fill(TestApp::new().await).await;
    let t = &d.t;
    let home = t.get("/").await;
    home.expect(200);
    let html = home.text();
    assert!(
        html.contains(r#"action="/search""#) && html.contains("<legend>"),
        "{html}"
    );
    assert!(html.contains(r#"<label for="q">"#));
    let res = t
        .get("/search?q=velo&kind=&category=&from=&to=&mode=&lat=&lon=&radius=10&sort=relevance")
        .await;
    res.expect(200);
    let html = res.text();
    assert!(html.contains(VELOS) && !html.contains(JEUX), "{html}");
    assert!(html.contains("1 résultat"), "{html}");
    assert!(html.contains(r#"value="velo""#), "the form is filled again");
    // Pages of results.
    let mut more = Vec::new();
    for i in 0..21 {
        more.push(
            create(
                t,
                &d.alice,
                json!({"title": format!("Atelier {i}"), "category": "other",
            "start_time": "2030-05-01T09:00", "end_time": "2030-05-01T10:00"}),
                place(None, ""),
            )
            .await,
        );
    }
    // The bicycles' description ("Un atelier où…") matches too: 22 in all.
    eventually(t, "q=atelier&limit=100", |found| {
        found.iter().filter(|f| f.starts_with("Atelier ")).count() == 21
    })
    .await;
    assert_eq!(titles(t, "q=atelier").await.1, 22);
    let res = t.get("/search?q=atelier&sort=date").await;
    let html = res.text();
    assert!(
        html.contains("Page 1 sur 2") && html.contains("page=2"),
        "{html}"
    );
    let res = t.get("/search?q=atelier&sort=date&page=2&lang=en").await;
    assert!(res.text().contains("Page 2 of 2"), "{}", res.text());
    // Refused filters: the page says which, next to the field, in the reader's language.
    let res = t.get("/search?lat=48.39&radius=10").await;
    res.expect(422);
    assert!(res.text().contains("Près de"), "{}", res.text());
}

#[tokio::test]
async fn an_event_received_through_the_inbox_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.federation.allow_private_addresses = true;
    let t = TestApp::with_config(config, dir).await;
    assert_eq!(titles(&t, "").await.1, 0, "the index starts empty");
    let peer = Peer::start(&["club"]);
    let club = peer.actor("club");
    // The node's relay follows the club (events of actors nobody follows are ignored).
    let ctx = t.app.context();
    let actor = entraide::federation::resolve::resolve_actor(&ctx, &club.handle())
        .await
        .unwrap();
    let relay = t
        .store()
        .find_local_actor("Application", "relay")
        .await
        .unwrap()
        .unwrap();
    entraide::federation::inbox::record_following(&ctx, relay.id, &actor)
        .await
        .unwrap();
    let event = json!({
        "id": club.new_id("event"), "type": "Event", "attributedTo": club.id,
        "name": "Fête des vélos", "content": "<p>Balade et ateliers pour petits et grands.</p>",
        "startTime": "2030-05-01T10:00:00+02:00", "endTime": "2030-05-01T18:00:00+02:00",
        "to": [PUBLIC], "category": "SPORTS",
        "location": {"type": "Place", "name": "Place de la Liberté", "latitude": BREST.0, "longitude": BREST.1,
                     "address": {"type": "PostalAddress", "addressLocality": "Brest"}}
    });
    let create = json!({"@context": AS_CONTEXT, "id": club.new_id("create"), "type": "Create",
        "actor": club.id, "to": [PUBLIC], "object": event});
    let body = create.to_string();
    let mut req = Request::post("/inbox");
    for (name, value) in club.sign(&format!("{BASE}/inbox"), body.as_bytes()) {
        req = req.header(name, value);
    }
    let res = t.send(req.body(Body::from(body)).unwrap()).await;
    assert!(res.status.is_success(), "{} {}", res.status, res.text());
    eventually(&t, "q=velo", |found| {
        found == [String::from("Fête des vélos")]
    })
    .await;
    let res = get(&t, "q=balade&kind=event").await;
    let v = res.json();
    assert_eq!(v["total"], 1, "another software's event is an event: {v}");
    assert_eq!(v["results"][0]["local"], false);
    // Another software's event links to its origin.
    assert_eq!(v["results"][0]["url"], event["id"], "{v}");
}
