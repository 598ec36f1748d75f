//! The territory's dashboard (issue 15), in process: a node's yearly counts
//! (`/api/v1/statistics`, only when `[statistics] publish`), an aggregator's sums of the
//! figures kept of its sources (`/api/v1/territory`, the page `/territory` in French and
//! English), and the figures fetched from a source at its walk: checked, bad ones refused.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../federation-tests/support/peer.rs"]
#[allow(dead_code)]
mod peer;
#[path = "storage/territory_scene.rs"]
mod scene;

use common::TestApp;
use entraide::{
    domain::{
        aggregator::{NewSource, Source, SourceKind},
        territory::check_remote,
    },
    federation::aggregator::{
        limiter::HostLimiter,
        territory::{fetch_figures, Fetched},
    },
};
use peer::Peer;
use serde_json::{json, Value};

async fn node(publish: bool, aggregator: bool) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.federation.allow_private_addresses = true;
    config.statistics.publish = publish;
    config.aggregator.enabled = aggregator;
    TestApp::with_config(config, dir).await
}

/// The row of a month and commune (INSEE code, empty for none).
fn row<'a>(doc: &'a Value, month: u64, insee: &str) -> &'a Value {
    doc["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["month"] == month && r["insee"] == insee)
        .unwrap_or_else(|| panic!("no row for {month} {insee} in {doc}"))
}

#[tokio::test]
async fn a_node_publishes_its_year_when_it_chooses_to() {
    let t = node(true, false).await;
    scene::build(t.store()).await;
    let res = t.get("/api/v1/statistics?year=2030").await;
    res.expect(200);
    let doc = res.json();
    assert_eq!(doc["year"], 2030);
    let brest_january = row(&doc, 1, "29019");
    assert_eq!(brest_january["commune"], "Brest");
    assert_eq!(
        (
            brest_january["missions_published"].as_i64(),
            brest_january["missions_filled"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(row(&doc, 1, "29212")["missions_filled"], 0); // Plouzané
    assert_eq!(row(&doc, 1, "")["missions_published"], 1); // online
    assert_eq!(row(&doc, 3, "29019")["volunteers"], 2);
    assert_eq!(row(&doc, 3, "29212")["volunteers"], 1);
    let loans = row(&doc, 4, "29019");
    assert_eq!(
        (loans["loans"].as_i64(), loans["loan_value"].as_str()),
        (Some(1), Some("900.00"))
    );
    // 90 min at 20 €/h on the Brest mission; 60 min of transport at 30 €/h outside a mission.
    let brest_may = row(&doc, 5, "29019");
    assert_eq!(
        (
            brest_may["minutes"].as_i64(),
            brest_may["hours_value"].as_str()
        ),
        (Some(90), Some("30.00"))
    );
    let elsewhere = row(&doc, 5, "");
    assert_eq!(
        (
            elsewhere["minutes"].as_i64(),
            elsewhere["hours_value"].as_str()
        ),
        (Some(60), Some("30.00"))
    );
    assert_eq!(doc["months"].as_array().unwrap().len(), 8, "{doc}");
    assert_eq!(doc["volunteers_total"], 2);
    assert_eq!(
        doc["volunteers_by_commune"],
        json!([{"insee": "29019", "commune": "Brest", "volunteers": 2},
               {"insee": "29212", "commune": "Plouzané", "volunteers": 1}])
    );
    // What it publishes is what an aggregator takes.
    assert!(check_remote(&doc, 2030).is_ok());
    let other = t.get("/api/v1/statistics?year=2029").await;
    other.expect(200);
    assert_eq!(other.json()["months"], json!([]));
    t.get("/api/v1/statistics?year=1800").await.expect(400);
}

#[tokio::test]
async fn a_node_publishes_nothing_by_default() {
    let t = node(false, false).await;
    scene::build(t.store()).await;
    let res = t.get("/api/v1/statistics?year=2030").await;
    res.expect(404);
    assert_eq!(res.json()["error"], "not_published");
    assert!(res.json()["message"].as_str().unwrap().contains("publish"));
    // Not an aggregator: no territory.
    t.get("/api/v1/territory?year=2030").await.expect(404);
    t.get("/territory").await.expect(404);
}

fn source(host: &str) -> NewSource {
    NewSource {
        input: format!("http://{host}"),
        actor_ap_id: format!("http://{host}/actors/relay"),
        kind: SourceKind::Entraide,
        host: host.into(),
        collection: format!("http://{host}/actors/relay/current"),
    }
}

/// A node's figures for 2030: `minutes` in Brest in `month`, one loan worth 100 €.
fn figures(month: u32, minutes: i64, volunteers: i64) -> Value {
    json!({"year": 2030, "volunteers_total": volunteers,
        "volunteers_by_commune": [{"insee": "29019", "commune": "Brest", "volunteers": volunteers}],
        "months": [{"month": month, "insee": "29019", "commune": "Brest",
            "missions_published": 2, "missions_filled": 1, "volunteers": volunteers, "loans": 1,
            "loan_value": "100.00", "minutes": minutes, "hours_value": "40.00"},
            {"month": month, "insee": "", "commune": "",
            "missions_published": 1, "missions_filled": 0, "volunteers": 0, "loans": 0,
            "loan_value": "0", "minutes": 0, "hours_value": "0"}]})
}

async fn keep(t: &TestApp, s: &Source, doc: Option<Value>) {
    let body = doc.map(|d| serde_json::to_string(&check_remote(&d, 2030).unwrap()).unwrap());
    t.store()
        .save_source_figures(s.id, 2030, body.as_deref(), t.now())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_territory_sums_the_figures_of_its_sources() {
    let t = node(false, true).await;
    let a = t
        .store()
        .add_source(source("a.example"), t.now())
        .await
        .unwrap();
    let b = t
        .store()
        .add_source(source("b.example"), t.now())
        .await
        .unwrap();
    let c = t
        .store()
        .add_source(source("c.example"), t.now())
        .await
        .unwrap();
    t.store()
        .add_source(source("d.example"), t.now())
        .await
        .unwrap();
    keep(&t, &a, Some(figures(3, 120, 4))).await;
    keep(&t, &b, Some(figures(3, 60, 2))).await;
    keep(&t, &c, None).await;

    let res = t.get("/api/v1/territory?year=2030").await;
    res.expect(200);
    let doc = res.json();
    assert_eq!(doc["total"]["minutes"], 180);
    assert_eq!(doc["total"]["hours_value"], "80.00");
    assert_eq!(doc["total"]["loans"], 2);
    assert_eq!(doc["total"]["loan_value"], "200.00");
    assert_eq!(doc["total"]["missions_published"], 6);
    assert_eq!(doc["total"]["volunteers"], 6);
    assert_eq!(doc["months"].as_array().unwrap().len(), 12);
    assert_eq!(doc["months"][2]["minutes"], 180);
    assert_eq!(doc["months"][0]["minutes"], 0);
    assert_eq!(doc["communes"][0]["insee"], "29019");
    assert_eq!(doc["communes"][0]["volunteers"], 6);
    assert_eq!(doc["communes"][1]["insee"], "");
    let states: Vec<(&str, &str)> = doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["host"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        vec![
            ("a.example", "published"),
            ("b.example", "published"),
            ("c.example", "not_published"),
            ("d.example", "not_fetched")
        ]
    );
    let one = t
        .get("/api/v1/territory?year=2030&commune=29019")
        .await
        .json();
    assert_eq!(one["total"]["missions_published"], 4);
    assert_eq!(one["communes"].as_array().unwrap().len(), 1);
    let none = t.get("/api/v1/territory?year=2029").await.json();
    assert_eq!(none["total"]["minutes"], 0);
    t.get("/api/v1/territory?year=abc").await.expect(400);

    let page = t.get("/territory?year=2030").await;
    page.expect(200);
    let html = page.html();
    assert!(html.contains("Le territoire en chiffres"), "{html}");
    assert!(html.contains("<svg"), "a chart");
    assert!(
        html.contains("<caption>Mois par mois</caption>"),
        "its table"
    );
    assert!(html.contains("Brest"));
    assert!(html.contains("ne publie pas ses chiffres"));
    assert!(html.contains("chiffres pas encore relevés"));
    assert!(html.contains("200 €"), "the value lent");
    let en = t.get("/territory?year=2030&lang=en").await.html();
    assert!(en.contains("The territory in figures"));
    assert!(en.contains("does not publish its figures"));
    // Linked from every page of an aggregator.
    assert!(t.get("/").await.html().contains("href=\"/territory\""));
}

#[tokio::test]
async fn figures_fetched_at_a_walk_are_checked() {
    let good = figures(3, 120, 4);
    let mut bad = figures(3, 120, 4);
    bad["months"][0]["minutes"] = json!(-60);
    bad["year"] = json!(2029);
    let peer = Peer::start_serving(&["relay"], move |_, _| {
        vec![
            ("/api/v1/statistics?year=2030".into(), good),
            ("/api/v1/statistics?year=2029".into(), bad),
        ]
    });
    let silent = Peer::start_serving(&["relay"], |_, _| Vec::new());
    let t = node(false, true).await;
    let ctx = t.app.context();
    let limiter = HostLimiter::new(&t.app.state.config.aggregator);
    let host = peer.base.trim_start_matches("http://");
    let s = t.store().add_source(source(host), t.now()).await.unwrap();
    let fetched = fetch_figures(&ctx, &limiter, &s).await.unwrap();
    assert_eq!(fetched[0], (2030, Fetched::Kept));
    assert!(
        matches!(fetched[1], (2029, Fetched::Failed(_))),
        "{fetched:?}"
    );
    let kept = t.store().list_source_figures(2030).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert!(t
        .store()
        .list_source_figures(2029)
        .await
        .unwrap()
        .is_empty());
    let doc = t.get("/api/v1/territory?year=2030").await.json();
    assert_eq!(doc["total"]["minutes"], 120);

    // A node that does not publish answers 404: listed as such.
    let quiet = t
        .store()
        .add_source(source(silent.base.trim_start_matches("http://")), t.now())
        .await
        .unwrap();
    let fetched = fetch_figures(&ctx, &limiter, &quiet).await.unwrap();
    assert_eq!(fetched[0], (2030, Fetched::NotPublished));
    let doc = t.get("/api/v1/territory?year=2030").await.json();
    assert_eq!(doc["sources"][1]["state"], "not_published");

    // Not an Entraide node: nothing asked.
    let mobilizon = Source {
        kind: SourceKind::Mobilizon,
        ..s.clone()
    };
    assert!(fetch_figures(&ctx, &limiter, &mobilizon)
        .await
        .unwrap()
        .is_empty());
}
