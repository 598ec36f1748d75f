//! Places (issue 15): what people type is located. The commune gazetteer through the API
//! (`/api/v1/places`, missions, resources, profiles sent without coordinates), the forms
//! (a commune not found is a field error in the reader's language, with suggestions), and the
//! address service of `[places]` against a fake one started here (answers kept, rate limit,
//! errors and silence falling back to the gazetteer).

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use chrono::Duration;
use common::TestApp;
use entraide::config::PlacesConfig;
use entraide::places::Point;
use entraide::service::places::{Geocoder, Precision};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PLOUZANE: Point = Point {
    latitude: 48.38,
    longitude: -4.62,
};

fn near(lat: &Value, lon: &Value, p: Point, km: f64) -> bool {
    let here = Point {
        latitude: lat.as_f64().unwrap_or(f64::NAN),
        longitude: lon.as_f64().unwrap_or(f64::NAN),
    };
    here.distance_km(&p) < km
}

#[tokio::test]
async fn places_are_offered_while_typing() {
    let t = TestApp::new().await;
    let res = t.get("/api/v1/places?q=plouz").await;
    res.expect(200);
    let places = res.json()["places"].as_array().unwrap().clone();
    let plouzane = places
        .iter()
        .find(|p| p["insee"] == "29212")
        .expect("Plouzané");
    assert_eq!(plouzane["label"], "Plouzané (29)");
    assert_eq!(plouzane["postcodes"], json!(["29280"]));
    assert!(near(
        &plouzane["latitude"],
        &plouzane["longitude"],
        PLOUZANE,
        5.0
    ));
    let by_postcode = t.get("/api/v1/places?q=29200&limit=3").await.json();
    assert_eq!(by_postcode["places"][0]["name"], "Brest");
    let st = t.get("/api/v1/places?q=St%20Ren").await.json();
    assert!(st["places"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["insee"] == "29260"));
    assert_eq!(t.get("/api/v1/places?q=").await.json()["places"], json!([]));
    assert_eq!(
        t.get("/api/v1/places?q=plou&limit=50").await.json()["places"]
            .as_array()
            .unwrap()
            .len(),
        20,
        "at most 20"
    );
    t.get("/api/v1/places?q=plou&limit=abc").await.expect(400);
}

#[tokio::test]
async fn missions_resources_and_profiles_sent_without_coordinates_are_located() {
    let t = TestApp::new().await;
    let (_, token) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let mission = json!({
        "title": "Collecte", "category": "solidarity",
        "start_time": "2030-03-01T08:00", "end_time": "2030-03-01T12:00",
        "postal_code": "29280", "locality": "Plouzané"
    });
    let res = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/missions",
            Some(&token),
            Some(&mission),
        )
        .await;
    res.expect(201);
    let m = res.json();
    assert!(
        near(
            &m["place"]["latitude"],
            &m["place"]["longitude"],
            PLOUZANE,
            5.0
        ),
        "{m}"
    );
    let id = m["id"].as_i64().unwrap();

    // Coordinates sent are kept as they are.
    let mut sent = mission.clone();
    sent["latitude"] = json!(48.0);
    sent["longitude"] = json!(-4.0);
    let kept = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/missions",
            Some(&token),
            Some(&sent),
        )
        .await
        .json();
    assert_eq!(kept["place"]["latitude"], json!(48.0), "{kept}");

    // A changed commune is located again; one that is nowhere is refused, with suggestions.
    let path = format!("/api/v1/missions/{id}");
    let moved = t
        .api(
            Method::PATCH,
            &path,
            Some(&token),
            Some(&json!({"locality": "St Renan", "postal_code": ""})),
        )
        .await;
    moved.expect(200);
    let moved = moved.json();
    let saint_renan = Point {
        latitude: 48.43,
        longitude: -4.62,
    };
    assert!(
        near(
            &moved["place"]["latitude"],
            &moved["place"]["longitude"],
            saint_renan,
            4.0
        ),
        "{moved}"
    );
    let nowhere = t
        .api(
            Method::PATCH,
            &path,
            Some(&token),
            Some(&json!({"locality": "Plouzanet"})),
        )
        .await;
    nowhere.expect(422);
    let body = nowhere.json();
    let message = body["fields"]["locality"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("place not found: Plouzanet") && message.contains("Plouzané (29)"),
        "{body}"
    );

    // A resource's pickup place, an address whose commune is found.
    let resource = json!({"name": "Barnum 3x3", "category": "tent", "place": "Salle Ti Lanvenec, 29280 Locmaria-Plouzané"});
    let r = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/resources",
            Some(&token),
            Some(&resource),
        )
        .await;
    r.expect(201);
    let r = r.json();
    let locmaria = Point {
        latitude: 48.37,
        longitude: -4.65,
    };
    assert!(near(&r["latitude"], &r["longitude"], locmaria, 3.0), "{r}");

    // A profile's home town.
    let profile = json!({"home_town": "Le Relecq-Kerhuon", "travel_km": 10});
    let p = t
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&token),
            Some(&profile),
        )
        .await;
    p.expect(200);
    let p = p.json();
    let relecq = Point {
        latitude: 48.41,
        longitude: -4.40,
    };
    assert!(
        near(&p["home_latitude"], &p["home_longitude"], relecq, 3.0),
        "{p}"
    );
    let bad = t
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&token),
            Some(&json!({"home_town": "Zzyzx Qqq"})),
        )
        .await;
    bad.expect(422);
}

#[tokio::test]
async fn the_profile_form_says_which_commune_was_not_found() {
    let t = TestApp::new().await;
    let lea = entraide::service::accounts::create_user(
        t.store(),
        "https://entraide.test",
        "entraide.test",
        "lea",
        Some("lea@example.org"),
        Some("a long password"),
        t.now(),
    )
    .await
    .unwrap();
    let cookie = t.web_login("lea", "a long password").await;
    let page = t.get_with("/me/profile", "cookie", &cookie).await;
    let csrf = page.csrf();
    assert!(
        !page.text().contains("home_latitude"),
        "no latitude to type any more"
    );
    assert!(page.text().contains(r#"list="home_town-places""#));
    let bad = t
        .form(
            "/me/profile",
            Some(&cookie),
            &[
                ("csrf", &csrf),
                ("home_town", "Plouzanet"),
                ("travel_km", "10"),
            ],
        )
        .await;
    bad.expect(422);
    let text = bad.text().replace("&#x27;", "'");
    assert!(
        text.contains("Commune introuvable") && text.contains("Plouzané (29)"),
        "{text}"
    );
    let english = t
        .form(
            "/me/profile?lang=en",
            Some(&cookie),
            &[("csrf", &csrf), ("home_town", "Plouzanet")],
        )
        .await;
    assert!(
        english.text().contains("Place not found"),
        "{}",
        english.text()
    );
    let good = t
        .form(
            "/me/profile",
            Some(&cookie),
            &[
                ("csrf", &csrf),
                ("home_town", "St-Renan"),
                ("travel_km", "10"),
            ],
        )
        .await;
    assert!(good.status.is_redirection(), "{}", good.text());
    let saved = entraide::service::volunteers::profile(t.store(), &lea)
        .await
        .unwrap();
    assert_eq!(saved.home_town, "St-Renan");
    let saint_renan = Point {
        latitude: 48.43,
        longitude: -4.62,
    };
    let home = Point {
        latitude: saved.home_latitude.unwrap(),
        longitude: saved.home_longitude.unwrap(),
    };
    assert!(home.distance_km(&saint_renan) < 4.0, "{home:?}");
}

/// A fake address service on loopback: answers every request with `body` (or nothing at all
/// when `silent`), and remembers the request lines.
struct FakeAddress {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn fake_address(status: u16, body: &'static str, silent: bool) -> FakeAddress {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/search", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                log.lock()
                    .unwrap()
                    .push(request.lines().next().unwrap_or("").to_string());
                if silent {
                    // Never answers; the client gives up.
                    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                    return;
                }
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    FakeAddress { url, seen }
}

const SIAM: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[-4.4952,48.3869]},"properties":{"label":"12 Rue de Siam 29200 Brest","score":0.96,"citycode":"29019","type":"housenumber"}}]}"#;

fn config(url: &str, per_second: u32, timeout_ms: u64) -> PlacesConfig {
    PlacesConfig {
        address_url: url.to_string(),
        requests_per_second: per_second,
        timeout_ms,
        ..PlacesConfig::default()
    }
}

#[tokio::test]
async fn the_address_service_gives_street_precision_kept_and_paced() {
    let fake = fake_address(200, SIAM, false).await;
    let geo = Geocoder::new(&config(&fake.url, 1, 5000));
    let now = common::start();
    let found = geo
        .locate("12 rue de Siam, 29200 Brest", now)
        .await
        .unwrap();
    assert_eq!(found.precision, Precision::Address);
    assert_eq!(found.label, "12 Rue de Siam 29200 Brest");
    assert_eq!(
        found.point,
        Point {
            latitude: 48.3869,
            longitude: -4.4952
        }
    );
    let asked = fake.seen.lock().unwrap().clone();
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0].starts_with("GET /search?q=12+rue+de+Siam%2C+29200+Brest&limit=1&citycode=29019"),
        "{asked:?}"
    );
    // The same address again: the answer kept, nothing asked.
    let again = geo
        .locate("12 Rue de Siam,  29200 BREST", now)
        .await
        .unwrap();
    assert_eq!(again.precision, Precision::Address);
    assert_eq!(fake.seen.lock().unwrap().len(), 1);
    // A commune alone never needs the service.
    let commune = geo.locate("Plouzané", now).await.unwrap();
    assert_eq!(
        (commune.precision, commune.insee.as_deref()),
        (Precision::Commune, Some("29212"))
    );
    // Another address in the same second: over the rate (1 a second), the gazetteer answers.
    let paced = geo
        .locate("3 rue de Kerhuel, 29280 Plouzané", now)
        .await
        .unwrap();
    assert_eq!(paced.precision, Precision::Commune);
    assert_eq!(paced.label, "Plouzané (29)");
    assert_eq!(fake.seen.lock().unwrap().len(), 1);
    // A second later it is asked again.
    let later = geo
        .locate(
            "3 rue de Kerhuel, 29280 Plouzané",
            now + Duration::seconds(1),
        )
        .await
        .unwrap();
    assert_eq!(later.precision, Precision::Address);
    assert_eq!(fake.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_failing_or_silent_address_service_falls_back_to_the_gazetteer() {
    let now = common::start();
    for fake in [
        fake_address(500, "oops", false).await,
        fake_address(429, "slow down", false).await,
        fake_address(200, "<html>not json</html>", false).await,
        fake_address(200, r#"{"type":"FeatureCollection","features":[]}"#, false).await,
    ] {
        let geo = Geocoder::new(&config(&fake.url, 50, 5000));
        let found = geo
            .locate("12 rue de Siam, 29200 Brest", now)
            .await
            .unwrap();
        assert_eq!(
            (found.precision, found.label.as_str()),
            (Precision::Commune, "Brest (29)")
        );
        assert_eq!(fake.seen.lock().unwrap().len(), 1, "it was asked");
    }
    let silent = fake_address(200, SIAM, true).await;
    let geo = Geocoder::new(&config(&silent.url, 50, 200));
    let found = geo
        .locate("12 rue de Siam, 29200 Brest", now)
        .await
        .unwrap();
    assert_eq!(
        found.precision,
        Precision::Commune,
        "the timeout let the gazetteer answer"
    );
    // Neither the service nor the gazetteer: suggestions.
    let fake = fake_address(200, r#"{"features":[]}"#, false).await;
    let geo = Geocoder::new(&config(&fake.url, 50, 5000));
    let none = geo.locate("Plouzanet", now).await.unwrap_err();
    assert!(none.contains(&"Plouzané (29)".to_string()), "{none:?}");
}

#[tokio::test]
async fn nodes_configure_the_address_service_and_their_territory() {
    let dir = tempfile::tempdir().unwrap();
    let mut env: Vec<(String, String)> = vec![(
        "ENTRAIDE__SERVER__DATA_DIR".into(),
        dir.path().display().to_string(),
    )];
    env.push((
        "ENTRAIDE__PLACES__ADDRESS_URL".into(),
        "ftp://nowhere".into(),
    ));
    assert!(entraide::config::Config::load(None, env.clone()).is_err());
    env.pop();
    env.push(("ENTRAIDE__PLACES__REQUESTS_PER_SECOND".into(), "51".into()));
    let refused = entraide::config::Config::load(None, env.clone())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("requests_per_second"), "{refused}");
    env.pop();
    env.push(("ENTRAIDE__PLACES__DEPARTEMENTS".into(), r#"["65"]"#.into()));
    let config = entraide::config::Config::load(None, env).unwrap();
    let geo = Geocoder::new(&config.places);
    let found = geo.commune("Saint-Martin").unwrap();
    assert_eq!(found.insee.as_deref().map(|c| &c[..2]), Some("65"));
}
