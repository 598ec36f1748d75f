//! The home page, an association's page and its calendar, the API's lists and the equipment
//! search keep what they show between requests (issue 17, `service::kept`): every change they
//! show appears on the very next page, on SQLite and PostgreSQL alike, and so does what time
//! alone changes. Each step reads the pages once before the change, so that a kept list
//! exists to be dropped.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use chrono::Duration;
use common::TestApp;
use serde_json::{json, Value};

/// Runs each test function `name(&TestApp)` on SQLite and on PostgreSQL (a fresh database,
/// or "NOT RUN" when none is configured), as `sqlite::name` and `postgres::name`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(&super::TestApp::new().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let test = concat!("kept_", stringify!($name));
                    let Some((t, _db)) = super::TestApp::on_postgres(test).await else {
                        return;
                    };
                    super::$name(&t).await;
                }
            )*
        }
    };
}

on_both_backends!(
    cards_show_every_change_on_the_next_page,
    equipment_search_shows_every_loan_change_on_the_next_page,
);

/// The home page and the association's page, in French, as anyone sees them.
async fn pages(t: &TestApp) -> (String, String) {
    let home = t.get("/").await;
    home.expect(200);
    let association = t.get("/g/epicerie").await;
    association.expect(200);
    (home.html(), association.html())
}

/// The association's calendar of this month (January 2030), in French.
async fn calendar(t: &TestApp) -> String {
    let month = t.get("/g/epicerie/calendar").await;
    month.expect(200);
    month.html()
}

/// The association's public iCalendar feed.
async fn feed(t: &TestApp) -> String {
    let r = t.get("/g/epicerie/calendar.ics").await;
    r.expect(200);
    r.text()
}

/// The missions `/api/v1/missions` lists (with `query`), as JSON objects.
async fn api_missions(t: &TestApp, query: &str) -> Vec<Value> {
    let r = t.get(&format!("/api/v1/missions{query}")).await;
    r.expect(200);
    r.json()["missions"].as_array().unwrap().clone()
}

/// The titles `/api/v1/missions` lists.
async fn api_titles(t: &TestApp) -> Vec<String> {
    (api_missions(t, "").await.iter())
        .map(|m| m["title"].as_str().unwrap().to_string())
        .collect()
}

/// The status the API gives the mission titled `title` in the list of all (`past=true`).
async fn api_status(t: &TestApp, title: &str) -> String {
    let all = api_missions(t, "?past=true").await;
    let m = all.iter().find(|m| m["title"] == title).unwrap();
    m["status"].as_str().unwrap().to_string()
}

/// Both pages show `what` (or, with `shown` false, neither does).
#[track_caller]
fn both(pages: &(String, String), what: &str, shown: bool) {
    assert_eq!(pages.0.contains(what), shown, "home, {what:?}: {}", pages.0);
    assert_eq!(
        pages.1.contains(what),
        shown,
        "association, {what:?}: {}",
        pages.1
    );
}

fn mission(title: &str, start: &str, end: &str) -> Value {
    json!({
        "title": title, "locality": "Brest", "latitude": 48.39, "longitude": -4.49,
        "category": "solidarity", "join_mode": "free", "start_time": start, "end_time": end
    })
}

async fn put_picture(t: &TestApp, token: &str, id: i64) {
    let req = axum::http::Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/v1/missions/{id}/picture"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "image/jpeg")
        .body(axum::body::Body::from(common::upload::jpeg(64, 48)))
        .unwrap();
    let r = t.send(req).await;
    assert!(r.status.is_success(), "{}", r.text());
}

async fn cards_show_every_change_on_the_next_page(t: &TestApp) {
    let (_, admin) = t.user("chef").await; // the first account administers the node
    let (_, alice) = t.user("alice").await;
    let (_, bob) = t.user("bob").await;
    t.association("epicerie", "alice").await;
    // The test clock starts on Monday 7 January 2030 at 09:00 UTC.
    let long = t
        .publish(
            "epicerie",
            &alice,
            &mission(
                "Distribution du samedi",
                "2030-01-08T08:00",
                "2030-03-31T20:00",
            ),
        )
        .await
        .json();
    let before = pages(t).await;
    both(&before, "Distribution du samedi", true);
    both(&before, "Collecte de printemps", false);
    assert_eq!(api_titles(t).await, ["Distribution du samedi"]);

    // A new mission.
    let short = t
        .publish(
            "epicerie",
            &alice,
            &mission(
                "Collecte de printemps",
                "2030-01-09T08:00",
                "2030-01-09T12:00",
            ),
        )
        .await
        .json();
    both(&pages(t).await, "Collecte de printemps", true);
    assert_eq!(
        api_titles(t).await,
        ["Distribution du samedi", "Collecte de printemps"]
    );
    assert_eq!(api_status(t, "Collecte de printemps").await, "published");
    assert!(!calendar(t).await.contains("place restante"));
    assert!(!feed(t).await.contains("BEGIN:VEVENT"));

    // A slot, then its last place taken.
    let path = format!("/api/v1/missions/{}/slots", long["id"]);
    let body = json!({"slots": [{"start_time": "2030-01-10T09:00", "end_time": "2030-01-10T12:00",
                                 "capacity": 1}]});
    let slot = t.api(Method::POST, &path, Some(&alice), Some(&body)).await;
    slot.expect(201);
    let slot = slot.json()["slots"][0]["id"].clone();
    both(&pages(t).await, "1 place restante sur 1", true);
    assert!(calendar(t).await.contains("1 place restante sur 1"));
    assert!(feed(t).await.contains("SUMMARY:Distribution du samedi"));
    let path = format!("/api/v1/slots/{slot}/participations");
    (t.api(Method::POST, &path, Some(&bob), Some(&json!({})))
        .await)
        .expect(201);
    let full = pages(t).await;
    both(&full, "1 place restante sur 1", false);
    both(&full, "Complet", true);
    let month = calendar(t).await;
    assert!(!month.contains("1 place restante sur 1"), "{month}");
    assert!(month.contains("Complet"), "{month}");
    // A volunteer's private feed: a sign-up waiting for an answer shows on it (a change of
    // the sign-up alone, the slot's count unchanged).
    let token = t
        .api(Method::GET, "/api/v1/me/calendar-token", Some(&bob), None)
        .await;
    token.expect(200);
    let url = token.json()["feed_url"].as_str().unwrap().to_string();
    let mine = url.strip_prefix(common::BASE).unwrap().to_string();
    let read_mine = || async { t.get(&mine).await.text() };
    assert!(read_mine().await.contains("SUMMARY:Distribution du samedi"));
    let mut body = mission("Tri des dons", "2030-01-11T08:00", "2030-01-11T12:00");
    body["join_mode"] = json!("restricted");
    let sorting = t.publish("epicerie", &alice, &body).await.json();
    let path = format!("/api/v1/missions/{}/slots", sorting["id"]);
    let body = json!({"slots": [{"start_time": "2030-01-11T09:00", "end_time": "2030-01-11T12:00",
                                 "capacity": 3}]});
    let slot = t.api(Method::POST, &path, Some(&alice), Some(&body)).await;
    slot.expect(201);
    let slot = slot.json()["slots"][0]["id"].clone();
    assert!(!read_mine().await.contains("Tri des dons"));
    let path = format!("/api/v1/slots/{slot}/participations");
    let r = t
        .api(Method::POST, &path, Some(&bob), Some(&json!({})))
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let ics = read_mine().await;
    assert!(ics.contains("SUMMARY:Tri des dons"), "{ics}");
    assert!(ics.contains("STATUS:TENTATIVE"), "{ics}");

    // The mission's new title, on its slot in the calendar.
    let path = format!("/api/v1/missions/{}", long["id"]);
    let title = json!({"title": "Distribution du vendredi"});
    (t.api(Method::PATCH, &path, Some(&alice), Some(&title))
        .await)
        .expect(200);
    let month = calendar(t).await;
    assert!(month.contains("Distribution du vendredi"), "{month}");
    assert!(!month.contains("Distribution du samedi"), "{month}");
    let ics = feed(t).await;
    assert!(ics.contains("SUMMARY:Distribution du vendredi"), "{ics}");

    // A picture, then none.
    let id = short["id"].as_i64().unwrap();
    let picture = format!("/missions/{id}/picture.jpg?v=");
    put_picture(t, &alice, id).await;
    both(&pages(t).await, &picture, true);
    let path = format!("/api/v1/missions/{id}/picture");
    let r = t.api(Method::DELETE, &path, Some(&alice), None).await;
    assert!(r.status.is_success(), "{}", r.text());
    both(&pages(t).await, &picture, false);

    // The association's new summary, in the API's lists; then its new name, on its cards.
    let first = &api_missions(t, "").await[0]["association"];
    assert_eq!(first["summary"], "Aide alimentaire à Brest.");
    let summary = json!({"summary": "Au Bouguen."});
    (t.api(
        Method::PATCH,
        "/api/v1/associations/epicerie",
        Some(&alice),
        Some(&summary),
    )
    .await)
        .expect(200);
    assert_eq!(
        api_missions(t, "").await[0]["association"]["summary"],
        "Au Bouguen."
    );
    let rename = json!({"display_name": "Épicerie du Bouguen"});
    (t.api(
        Method::PATCH,
        "/api/v1/associations/epicerie",
        Some(&alice),
        Some(&rename),
    )
    .await)
        .expect(200);
    let (home, _) = pages(t).await;
    assert!(home.contains("Épicerie du Bouguen"), "{home}");
    let first = &api_missions(t, "").await[0]["association"];
    assert_eq!(first["display_name"], "Épicerie du Bouguen");

    // English cards are kept apart from French ones.
    let english = t.get_with("/", "accept-language", "en").await.html();
    assert!(english.contains("Full"), "{english}");
    assert!(!english.contains("Complet"), "{english}");
    assert!(pages(t).await.0.contains("Complet"));

    // Another node's mission, then its host silenced (no change logged: applied each time).
    t.remote_mission("noisy.example", "Annonce douteuse").await;
    assert!(pages(t).await.0.contains("Annonce douteuse"));
    assert!(api_titles(t)
        .await
        .contains(&"Annonce douteuse".to_string()));
    let silence = json!({"target": "noisy.example", "severity": "silence", "reason": "pub"});
    let rules = "/api/v1/admin/moderation/rules";
    (t.api(Method::POST, rules, Some(&admin), Some(&silence))
        .await)
        .expect(201);
    assert!(!pages(t).await.0.contains("Annonce douteuse"));
    assert!(!api_titles(t)
        .await
        .contains(&"Annonce douteuse".to_string()));

    // Time alone: the short mission ends (it leaves the lists), then the slot (its places
    // stop counting). Times in Paris; the mission ends on Wednesday at 11:00 UTC.
    t.clock
        .advance(Duration::days(2) + Duration::hours(3) + Duration::minutes(5)); // 12:05
    let ended = pages(t).await;
    both(&ended, "Collecte de printemps", false);
    both(&ended, "Distribution du vendredi", true);
    let titles = api_titles(t).await;
    assert!(
        !titles.contains(&"Collecte de printemps".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Distribution du vendredi".to_string()),
        "{titles:?}"
    );
    assert_eq!(api_status(t, "Collecte de printemps").await, "closed");
    t.clock.advance(Duration::days(1)); // Thursday 12:05 UTC: the slot is over
    let closed = pages(t).await;
    both(&closed, "Complet", false);
    both(&closed, "Aucun créneau ouvert", true);
    // The feed keeps a slot 30 days after its end, then lets it go.
    assert!(feed(t).await.contains("SUMMARY:Distribution du vendredi"));
    t.clock.advance(Duration::days(30)); // 9 February, 12:05 UTC
    let ics = feed(t).await;
    assert!(!ics.contains("SUMMARY:Distribution du vendredi"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Tri des dons"),
        "its slot ended a day later: {ics}"
    );
    assert!(!read_mine()
        .await
        .contains("SUMMARY:Distribution du vendredi"));
    t.clock.advance(Duration::days(1));
    assert!(!feed(t).await.contains("BEGIN:VEVENT"));
    assert!(!read_mine().await.contains("BEGIN:VEVENT"));
}

/// How many chairs the equipment search finds free over `[start, end)`, through the API and
/// on the page over the days `from..=to` (which must be the same period in Paris): both must
/// agree.
async fn free_chairs(t: &TestApp, start: &str, end: &str, days: (&str, &str)) -> i64 {
    let q = |s: &str| s.replace('+', "%2B");
    let r = t
        .get(&format!(
            "/api/v1/resources?start={}&end={}",
            q(start),
            q(end)
        ))
        .await;
    r.expect(200);
    let found = r.json()["resources"].as_array().unwrap().clone();
    assert_eq!(found.len(), 1, "{found:?}");
    let api = found[0]["free"].as_i64().unwrap();
    let page = t
        .get(&format!("/resources?from={}&to={}", days.0, days.1))
        .await;
    page.expect(200);
    let html = page.html();
    let shown = format!("<strong>{api}</strong>");
    assert!(html.contains(&shown), "the page does not say {api}: {html}");
    api
}

async fn equipment_search_shows_every_loan_change_on_the_next_page(t: &TestApp) {
    let (_, alice) = t.user("alice").await;
    t.association("materiel", "alice").await;
    t.association("fete", "alice").await;
    let chairs = json!({"name": "Chaises pliantes", "quantity": 80, "approval": "automatic",
        "max_days": 5, "category": "furniture"});
    let path = "/api/v1/associations/materiel/resources";
    let chairs = t.api(Method::POST, path, Some(&alice), Some(&chairs)).await;
    chairs.expect(201);
    let id = chairs.json()["id"].as_i64().unwrap();
    // The test clock starts on Monday 7 January 2030 at 09:00 UTC (10:00 in Paris): Thursday
    // 17 January, all day in Paris.
    let (start, end) = ("2030-01-16T23:00:00+00:00", "2030-01-17T23:00:00+00:00");
    let day = ("2030-01-17", "2030-01-17");
    assert_eq!(free_chairs(t, start, end, day).await, 80);

    let loans = format!("/api/v1/resources/{id}/reservations");
    let ask = |quantity: i64, offer: &str| {
        let body = json!({"borrower": "fete", "quantity": quantity, "offer_id": offer,
            "start": "2030-01-17T08:00:00Z", "end": "2030-01-17T17:00:00Z"});
        let (alice, loans) = (alice.clone(), loans.clone());
        async move {
            let r = t.api(Method::POST, &loans, Some(&alice), Some(&body)).await;
            r.expect(201);
            r.json()["id"].as_i64().unwrap()
        }
    };
    let act = |loan: i64, action: &str| {
        let (alice, path) = (
            alice.clone(),
            format!("/api/v1/reservations/{loan}/{action}"),
        );
        async move {
            let r = t.api(Method::POST, &path, Some(&alice), None).await;
            r.expect(200);
        }
    };
    // A loan accepted at once, then cancelled.
    let first = ask(30, "kermesse").await;
    assert_eq!(free_chairs(t, start, end, day).await, 50);
    act(first, "cancel").await;
    assert_eq!(free_chairs(t, start, end, day).await, 80);
    // Another, handed over (still out), then brought back.
    let second = ask(20, "loto").await;
    assert_eq!(free_chairs(t, start, end, day).await, 60);
    act(second, "pickup").await;
    assert_eq!(free_chairs(t, start, end, day).await, 60);
    act(second, "return").await;
    assert_eq!(free_chairs(t, start, end, day).await, 80);
    // A change of the resource itself.
    let edit = format!("/api/v1/resources/{id}");
    let fewer = json!({"quantity": 70});
    (t.api(Method::PATCH, &edit, Some(&alice), Some(&fewer))
        .await)
        .expect(200);
    assert_eq!(free_chairs(t, start, end, day).await, 70);

    // Time alone: a loan never brought back counts until a day after its end (17:00 UTC on
    // the 17th), then it is history and the chairs are free again over that day.
    let third = ask(10, "brocante").await;
    assert_eq!(free_chairs(t, start, end, day).await, 60);
    act(third, "pickup").await;
    t.clock
        .advance(Duration::days(11) + Duration::hours(7) + Duration::minutes(59)); // 18th, 16:59
    assert_eq!(free_chairs(t, start, end, day).await, 60);
    t.clock.advance(Duration::minutes(2)); // 17:01
    assert_eq!(free_chairs(t, start, end, day).await, 70);
}
