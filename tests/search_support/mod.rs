//! The data the search tests share (tests/search.rs, tests/map.rs): four missions of
//! l'Épicerie solidaire around Brest and online, one of them full, and a tent, published
//! through the API; and how to read the API's results.

#![allow(dead_code)]

use crate::common::{Resp, TestApp};
use axum::http::Method;
use serde_json::{json, Value};

pub const MISSIONS: &str = "/api/v1/associations/epicerie/missions";
/// Brest, Landerneau (about 19 km east) and Quimper (about 60 km south-east).
pub const BREST: (f64, f64) = (48.39, -4.49);
pub const LANDERNEAU: (f64, f64) = (48.45, -4.25);
pub const QUIMPER: (f64, f64) = (47.996, -4.102);

pub struct Data {
    pub t: TestApp,
    pub alice: String,
    pub mission_ids: Vec<i64>,
}

pub fn place(p: Option<(f64, f64)>, locality: &str) -> Value {
    match p {
        Some((lat, lon)) => json!({"locality": locality, "latitude": lat, "longitude": lon}),
        None => json!({"online": true}),
    }
}

pub async fn create(t: &TestApp, token: &str, mut body: Value, extra: Value) -> i64 {
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let res = t
        .api(Method::POST, MISSIONS, Some(token), Some(&body))
        .await;
    res.expect(201);
    res.json()["id"].as_i64().unwrap()
}

/// Four missions, one of them full, and a tent, published through the API.
pub async fn fill(t: TestApp) -> Data {
    let (_, alice) = t.user("alice").await;
    let (_, bob) = t.user("bob").await;
    t.association("epicerie", "alice").await;
    let mission = |title: &str, category: &str, skills: Value, day: &str| {
        json!({"title": title, "category": category, "skills": skills,
               "start_time": format!("{day}T09:00"), "end_time": format!("{day}T12:00")})
    };
    let mut velos_place = place(Some(BREST), "Brest");
    velos_place["description"] = json!("Un atelier où des bénévoles réparent.");
    velos_place["capacity"] = json!(5);
    let velos = create(
        &t,
        &alice,
        mission(
            "Réparation de vélos",
            "community",
            json!(["Mécanique"]),
            "2030-03-10",
        ),
        velos_place,
    )
    .await;
    let mut jeux_place = place(Some(QUIMPER), "Quimper");
    jeux_place["capacity"] = json!(2);
    let jeux = create(
        &t,
        &alice,
        mission(
            "Jeux de société",
            "culture",
            json!(["animation"]),
            "2030-04-05",
        ),
        jeux_place,
    )
    .await;
    let numeros = create(
        &t,
        &alice,
        mission(
            "Numéros d'urgence à traduire",
            "education",
            json!([]),
            "2030-03-20",
        ),
        place(None, ""),
    )
    .await;
    let distribution = create(
        &t,
        &alice,
        mission(
            "Distribution alimentaire",
            "solidarity",
            json!(["accueil"]),
            "2030-03-15",
        ),
        place(Some(LANDERNEAU), "Landerneau"),
    )
    .await;
    // Its only slot is taken.
    let res = t
        .api(Method::POST, &format!("/api/v1/missions/{distribution}/slots"), Some(&alice),
            Some(&json!({"slots": [{"start_time": "2030-03-15T09:00", "end_time": "2030-03-15T12:00", "capacity": 1}]})))
        .await;
    res.expect(201);
    let slot = res.json()["slots"][0]["id"].clone();
    t.api(
        Method::POST,
        &format!("/api/v1/slots/{slot}/participations"),
        Some(&bob),
        None,
    )
    .await
    .expect(201);
    let res = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/resources",
            Some(&alice),
            Some(
                &json!({"name": "Tente de réception", "quantity": 1, "category": "tent",
                         "place": "Brest", "latitude": BREST.0, "longitude": BREST.1}),
            ),
        )
        .await;
    res.expect(201);
    Data {
        t,
        alice,
        mission_ids: vec![velos, jeux, numeros, distribution],
    }
}

pub async fn get(t: &TestApp, query: &str) -> Resp {
    t.get(&format!("/api/v1/search?{query}")).await
}

/// The titles found, in order, and the total.
pub async fn titles(t: &TestApp, query: &str) -> (Vec<String>, u64) {
    let res = get(t, query).await;
    res.expect(200);
    let v = res.json();
    let titles = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect();
    (titles, v["total"].as_u64().unwrap())
}

pub async fn sorted_titles(t: &TestApp, query: &str) -> Vec<String> {
    let mut found = titles(t, query).await.0;
    found.sort();
    found
}

pub const VELOS: &str = "Réparation de vélos";
pub const JEUX: &str = "Jeux de société";
pub const NUMEROS: &str = "Numéros d'urgence à traduire";
pub const DISTRIBUTION: &str = "Distribution alimentaire";
pub const TENTE: &str = "Tente de réception";

/// Polls a search until its titles satisfy `done` (the follower reads the log every 200 ms);
/// fails after 10 s, well beyond what it takes.
pub async fn eventually(t: &TestApp, query: &str, done: impl Fn(&[String]) -> bool) {
    for _ in 0..100 {
        if done(&titles(t, query).await.0) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{query}: still {:?}", titles(t, query).await.0);
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
