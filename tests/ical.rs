//! Calendar feeds and pages, in process. The iCal feeds are read back by a real iCalendar
//! parser that the app did not write: Python's `icalendar` (installed by `.ci/run`; the test
//! fails, saying how to install it, when it is missing). The storage side of the private
//! tokens and of the association's slots also runs on PostgreSQL when it is configured.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{sqlite_store, PgDb, TestApp, BASE, HOST};
use entraide::{
    domain::{
        actor::{ActorKind, RemoteActor},
        mission::{MissionDraft, MissionStatus, Place},
    },
    service::accounts,
    storage::{NewMission, RemoteMission, RemoteSlot, Store},
};
use serde_json::{json, Value};
use std::{collections::BTreeSet, process::Command};

/// A title that needs escaping in iCalendar (commas, semicolons, a backslash) and is not ASCII.
const TRICKY_TITLE: &str = "Tri, rangement; accueil \\ café 🎉";
const PYTHON_HELP: &str = "the iCal tests read the feeds with Python's icalendar package: \
    install it with `python3 -m pip install icalendar==7.3.0` (bash .ci/run does it), \
    or point ENTRAIDE_PYTHON at a Python that has it";

/// A long description with line breaks, commas, semicolons, accents and an emoji: its
/// `DESCRIPTION` line is folded many times.
fn long_description() -> String {
    let mut d = String::from(
        "Bienvenue à l'épicerie ; apportez des gants, un tablier et votre bonne humeur 😀.\n\n",
    );
    for i in 1..=6 {
        d.push_str(&format!(
            "Étape {i} : trier les denrées (fruits, légumes, conserves) ; vérifier les dates ; ranger en réserve.\n"
        ));
    }
    d.push_str("Contact sur place : Zoé, au 02 98 00 00 00.");
    d
}

/// What Python's icalendar read in a feed.
struct Parsed {
    calendar: Value,
    events: Vec<Value>,
}

impl Parsed {
    fn event(&self, uid: &str) -> &Value {
        self.events
            .iter()
            .find(|e| e["UID"] == uid)
            .unwrap_or_else(|| panic!("no event {uid} in {:#?}", self.events))
    }
    fn uids(&self) -> BTreeSet<String> {
        self.events
            .iter()
            .map(|e| e["UID"].as_str().unwrap().to_string())
            .collect()
    }
}

const READER: &str = r#"
import json, sys
try:
    from icalendar import Calendar
except ImportError as e:
    print("MISSING icalendar: %s" % e, file=sys.stderr)
    sys.exit(3)
data = open(sys.argv[1], "rb").read()
cal = Calendar.from_ical(data)  # raises on a broken structure or line
assert not cal.errors, cal.errors
out = {"calendar": {}, "events": []}
for k in ["VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME"]:
    if k in cal:
        out["calendar"][k] = str(cal[k])
for ev in cal.walk("VEVENT"):
    assert not ev.errors, ev.errors
    e = {}
    for k in ["UID", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "STATUS"]:
        if k in ev:
            e[k] = str(ev[k])
    for k in ["DTSTART", "DTEND", "DTSTAMP"]:
        t = ev.decoded(k)
        assert t.tzinfo is not None, "%s has no time zone: %r" % (k, t)
        e[k] = t.isoformat()
    e["SEQUENCE"] = int(ev.decoded("SEQUENCE"))
    if "GEO" in ev:
        e["GEO"] = [ev["GEO"].latitude, ev["GEO"].longitude]
    out["events"].append(e)
print(json.dumps(out))
"#;

/// Checks the octets of a feed (CRLF, folding) and parses it with Python's icalendar.
fn parse_ics(text: &str) -> Parsed {
    assert!(text.contains("\r\n"), "lines must end in CRLF");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "every line ends in CRLF"
    );
    for line in text.split("\r\n") {
        assert!(
            line.len() <= 75,
            "line longer than 75 octets ({}): {line:?}",
            line.len()
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.ics");
    std::fs::write(&file, text).unwrap();
    let python = std::env::var("ENTRAIDE_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg("-c")
        .arg(READER)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e}): {PYTHON_HELP}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code() != Some(3), "{stderr}\n{PYTHON_HELP}");
    assert!(
        out.status.success(),
        "icalendar refused the feed: {stderr}\n--- feed ---\n{text}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    Parsed {
        calendar: v["calendar"].clone(),
        events: v["events"].as_array().unwrap().clone(),
    }
}

/// A node with a coordinator (alice) and two volunteers (bob, carol), each with an API token.
async fn node() -> (TestApp, String, String, String) {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (_, bob) = t.user("bob").await;
    let (_, carol) = t.user("carol").await;
    t.association("epicerie", "alice").await;
    (t, alice, bob, carol)
}

async fn mission(t: &TestApp, token: &str, body: Value) -> Value {
    let res = t.publish("epicerie", token, &body).await;
    res.json()
}

async fn slot(
    t: &TestApp,
    token: &str,
    mission: &Value,
    start: &str,
    end: &str,
    capacity: i64,
) -> Value {
    let path = format!("/api/v1/missions/{}/slots", mission["id"]);
    let body = json!({"slots": [{"start_time": start, "end_time": end, "capacity": capacity}]});
    let res = t.api(Method::POST, &path, Some(token), Some(&body)).await;
    res.expect(201);
    res.json()["slots"][0].clone()
}

async fn sign_up(t: &TestApp, token: &str, slot: &Value) -> Value {
    let path = format!("/api/v1/slots/{}/participations", slot["id"]);
    let res = t.api(Method::POST, &path, Some(token), None).await;
    res.expect(201);
    res.json()
}

/// A mission and a slot of another node, as federation would have stored them.
async fn remote_slot(t: &TestApp) -> i64 {
    let store = t.store();
    let actor = store
        .upsert_remote_actor(
            RemoteActor {
                ap_id: "https://voisins.example/g/amis".into(),
                kind: ActorKind::Group,
                name: "amis".into(),
                host: "voisins.example".into(),
                display_name: "Les amis".into(),
                summary: String::new(),
                inbox: "https://voisins.example/g/amis/inbox".into(),
                shared_inbox: None,
                outbox: None,
                followers: None,
                url: None,
                public_key_pem: "KEY".into(),
            },
            t.now(),
        )
        .await
        .unwrap();
    let start = at(2030, 6, 21, 8);
    let m = store
        .upsert_remote_mission(RemoteMission {
            ap_id: "https://voisins.example/m/1".into(),
            url: "https://voisins.example/m/1".into(),
            actor_id: actor.id,
            content_html: "<p>Chez les voisins, <strong>à Quimper</strong>.</p>".into(),
            remote_summary: String::new(),
            draft: draft(
                "Jardin partagé des voisins",
                start,
                MissionStatus::Published,
            ),
            participant_count: 0,
            published: t.now(),
            updated: t.now(),
            is_event: false,
        })
        .await
        .unwrap();
    let remote = RemoteSlot {
        start_time: start,
        end_time: start + Duration::hours(2),
        capacity: 4,
        participant_count: 0,
        cancelled: false,
        updated: t.now(),
    };
    store
        .upsert_remote_slot(m.id, "https://voisins.example/s/1", remote)
        .await
        .unwrap()
        .id
}

fn at(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).single().unwrap()
}

fn draft(title: &str, start: DateTime<Utc>, status: MissionStatus) -> MissionDraft {
    MissionDraft {
        title: title.into(),
        category: "environment".into(),
        place: Place {
            locality: "Quimper".into(),
            ..Place::default()
        },
        start_time: start,
        end_time: start + Duration::days(20),
        status,
        ..MissionDraft::default()
    }
}

/// The path of an absolute URL of the test node.
fn path_of(url: &str) -> String {
    url.strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not on {BASE}"))
        .to_string()
}

/// A page's HTML with the entities the templates write for `/` and `'` turned back into
/// characters (the markup stays escaped otherwise: `&amp;` and `&lt;` are kept).
fn page(html: String) -> String {
    html.replace("&#x2f;", "/").replace("&#x27;", "'")
}

/// The HTML of one day of a calendar page (`data-date="…"` up to the next day).
fn day_html<'a>(html: &'a str, date: &str) -> &'a str {
    let marker = format!("data-date=\"{date}\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no day {date} in the page"));
    let rest = &html[start + marker.len()..];
    match rest.find("data-date=\"") {
        Some(end) => &rest[..end],
        None => rest,
    }
}

#[tokio::test]
async fn feeds_load_in_a_real_ical_parser() {
    let (t, alice, bob, carol) = node().await;
    let description = long_description();
    let tri = mission(
        &t,
        &alice,
        json!({"title": TRICKY_TITLE, "description": description, "place_name": "Salle Jangot",
               "street_address": "10 rue Jangot", "postal_code": "29200", "locality": "Brest",
               "latitude": 48.39, "longitude": -4.49,
               "start_time": "2030-06-01T08:00", "end_time": "2030-06-30T20:00"}),
    )
    .await;
    // Paris is UTC+2 in June: 09:00 there is 07:00Z.
    let s1 = slot(&t, &alice, &tri, "2030-06-14T09:00", "2030-06-14T12:00", 3).await;
    let s2 = slot(&t, &alice, &tri, "2030-06-20T14:00", "2030-06-20T17:00", 2).await;
    let gone = slot(&t, &alice, &tri, "2030-06-27T09:00", "2030-06-27T10:00", 2).await;
    let collecte = mission(
        &t,
        &alice,
        json!({"title": "Collecte de printemps", "locality": "Brest", "join_mode": "restricted",
               "start_time": "2030-06-01T08:00", "end_time": "2030-06-30T20:00"}),
    )
    .await;
    let s3 = slot(
        &t,
        &alice,
        &collecte,
        "2030-06-15T10:00",
        "2030-06-15T12:00",
        5,
    )
    .await;
    let hidden = mission(
        &t,
        &alice,
        json!({"title": "Brouillon secret", "locality": "Brest", "status": "draft",
               "start_time": "2030-06-01T08:00", "end_time": "2030-06-30T20:00"}),
    )
    .await;
    let s_draft = slot(
        &t,
        &alice,
        &hidden,
        "2030-06-16T10:00",
        "2030-06-16T12:00",
        5,
    )
    .await;
    t.api(
        Method::DELETE,
        &format!("/api/v1/slots/{}", gone["id"]),
        Some(&alice),
        None,
    )
    .await
    .expect(200);

    sign_up(&t, &bob, &s1).await; // accepted at once
    let pending = sign_up(&t, &bob, &s3).await; // waits for the coordinator
    assert_eq!(pending["status"], "pending");
    sign_up(&t, &carol, &s2).await;
    // Bob also signed up on another node, which accepted.
    let remote = remote_slot(&t).await;
    let p = sign_up(&t, &bob, &json!({"id": remote})).await;
    let join = t
        .store()
        .get_participation(p["id"].as_i64().unwrap())
        .await
        .unwrap()
        .join_ap_id;
    t.store()
        .record_join_answer(&join, true, "", t.now())
        .await
        .unwrap()
        .unwrap();

    // --- the association's public feed
    let res = t.get("/g/epicerie/calendar.ics").await;
    res.expect(200);
    assert_eq!(res.content_type(), "text/calendar; charset=utf-8");
    let text = res.text();
    assert!(
        text.contains("SUMMARY:Tri\\, rangement\\; accueil \\\\ café 🎉\r\n"),
        "escaped title: {text}"
    );
    assert!(text.contains("\r\n "), "the long description is folded");
    let feed = parse_ics(&text);
    assert_eq!(feed.calendar["VERSION"], "2.0");
    assert_eq!(feed.calendar["CALSCALE"], "GREGORIAN");
    assert!(feed.calendar["PRODID"]
        .as_str()
        .unwrap()
        .contains("Entraide"));
    assert_eq!(feed.calendar["X-WR-CALNAME"], "Épicerie solidaire");
    let ap = |s: &Value| s["ap_id"].as_str().unwrap().to_string();
    assert_eq!(
        feed.uids(),
        BTreeSet::from([ap(&s1), ap(&s2), ap(&gone), ap(&s3)]),
        "the draft's slot and the other node's slot are not in the association's feed"
    );
    assert!(!feed.uids().contains(&ap(&s_draft)));
    let e1 = feed.event(&ap(&s1));
    assert_eq!(e1["SUMMARY"], TRICKY_TITLE, "the title comes back exactly");
    assert_eq!(e1["DTSTART"], "2030-06-14T07:00:00+00:00");
    assert_eq!(e1["DTEND"], "2030-06-14T10:00:00+00:00");
    assert_eq!(e1["STATUS"], "CONFIRMED");
    assert_eq!(e1["LOCATION"], "Salle Jangot, 10 rue Jangot, 29200 Brest");
    assert_eq!(e1["GEO"], json!([48.39, -4.49]));
    let mission_url = tri["url"].as_str().unwrap();
    assert_eq!(e1["URL"], mission_url);
    let d1 = e1["DESCRIPTION"].as_str().unwrap();
    assert!(
        d1.starts_with("ven. 14 juin 2030, de 9 h à 12 h · Brest · 2 places restantes sur 3\n\n"),
        "summary line first: {d1}"
    );
    assert!(
        d1.contains(&description),
        "the whole description, line breaks and all: {d1}"
    );
    assert!(
        d1.ends_with(&format!("\n\n{mission_url}")),
        "the link last: {d1}"
    );
    assert!(e1["SEQUENCE"].as_i64().unwrap() > 0);
    assert_eq!(feed.event(&ap(&gone))["STATUS"], "CANCELLED");
    assert_eq!(feed.event(&ap(&s3))["DTSTART"], "2030-06-15T08:00:00+00:00");
    // English on demand.
    let en = parse_ics(&t.get("/g/epicerie/calendar.ics?lang=en").await.text());
    assert!(en.event(&ap(&s1))["DESCRIPTION"]
        .as_str()
        .unwrap()
        .starts_with("Fri 14 Jun 2030, 09:00–12:00 · Brest · 2 places left of 3"));
    t.get("/g/nobody/calendar.ics").await.expect(404);

    // --- private feeds: the address is made once, shown once, and can be replaced
    t.api(Method::GET, "/api/v1/me/calendar-token", None, None)
        .await
        .expect(401);
    let first = t
        .api(Method::GET, "/api/v1/me/calendar-token", Some(&bob), None)
        .await;
    first.expect(200);
    let bob_url = first.json()["feed_url"].as_str().unwrap().to_string();
    assert!(
        bob_url.starts_with(&format!("{BASE}/feeds/")) && bob_url.ends_with(".ics"),
        "{bob_url}"
    );
    let again = t
        .api(Method::GET, "/api/v1/me/calendar-token", Some(&bob), None)
        .await
        .json();
    assert_eq!(
        again["feed_url"],
        Value::Null,
        "only its hash is kept: it cannot be shown again"
    );
    assert_eq!(again["new"], false);
    assert!(again["created_at"].is_string());

    let res = t.get(&path_of(&bob_url)).await;
    res.expect(200);
    assert_eq!(res.content_type(), "text/calendar; charset=utf-8");
    let mine = parse_ics(&res.text());
    let remote_ap = "https://voisins.example/s/1".to_string();
    assert_eq!(
        mine.uids(),
        BTreeSet::from([ap(&s1), ap(&s3), remote_ap.clone()]),
        "bob's slots only: accepted, pending and on another node"
    );
    assert_eq!(mine.event(&ap(&s1))["STATUS"], "CONFIRMED");
    assert_eq!(mine.event(&ap(&s3))["STATUS"], "TENTATIVE");
    let far = mine.event(&remote_ap);
    assert_eq!(far["SUMMARY"], "Jardin partagé des voisins");
    assert_eq!(far["DTSTART"], "2030-06-21T08:00:00+00:00");
    assert_eq!(far["URL"], "https://voisins.example/m/1");
    assert!(far["DESCRIPTION"]
        .as_str()
        .unwrap()
        .contains("Chez les voisins, à Quimper."));

    let carol_url = t
        .api(Method::GET, "/api/v1/me/calendar-token", Some(&carol), None)
        .await
        .json()["feed_url"]
        .as_str()
        .unwrap()
        .to_string();
    let hers = parse_ics(&t.get(&path_of(&carol_url)).await.text());
    assert_eq!(hers.uids(), BTreeSet::from([ap(&s2)]));

    // A new address replaces the old one.
    let renewed = t
        .api(Method::POST, "/api/v1/me/calendar-token", Some(&bob), None)
        .await;
    renewed.expect(201);
    let new_url = renewed.json()["feed_url"].as_str().unwrap().to_string();
    assert_ne!(new_url, bob_url);
    t.get(&path_of(&bob_url)).await.expect(404);
    t.get(&path_of(&new_url)).await.expect(200);

    // Wrong addresses.
    for bad in [
        "/feeds/not-a-token.ics",
        "/feeds/nothing",
        "/feeds/.ics",
        "/feeds/%2E%2E%2Fetc.ics",
    ] {
        let res = t.get(bad).await;
        res.expect(404);
        assert!(!res.content_type().starts_with("text/calendar"), "{bad}");
    }
    // Withdrawing removes the slot from the volunteer's calendar.
    let listed = t
        .api(Method::GET, "/api/v1/me/participations", Some(&bob), None)
        .await
        .json();
    let pid = listed["participations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slot"]["id"] == s1["id"])
        .unwrap_or_else(|| panic!("bob's sign-up for the first slot is not listed: {listed}"))
        ["id"]
        .as_i64()
        .unwrap();
    t.api(
        Method::DELETE,
        &format!("/api/v1/participations/{pid}"),
        Some(&bob),
        None,
    )
    .await
    .expect(200);
    let after = parse_ics(&t.get(&path_of(&new_url)).await.text());
    assert!(
        !after.uids().contains(&ap(&s1)),
        "a withdrawn sign-up leaves the calendar"
    );
    assert!(after.uids().contains(&ap(&s3)));
}

#[tokio::test]
async fn calendar_pages_show_slots_on_their_day() {
    let (t, alice, _bob, _carol) = node().await;
    let tri = mission(
        &t,
        &alice,
        json!({"title": "Tri des dons", "locality": "Brest",
               "start_time": "2030-06-01T08:00", "end_time": "2030-06-30T20:00"}),
    )
    .await;
    let collecte = mission(
        &t,
        &alice,
        json!({"title": "Collecte & <partage>", "locality": "Brest",
               "start_time": "2030-06-01T08:00", "end_time": "2030-06-30T20:00"}),
    )
    .await;
    slot(&t, &alice, &tri, "2030-06-14T09:00", "2030-06-14T12:00", 3).await;
    // 23:30 in Paris is 21:30Z the same day: the slot belongs to the 15th, local time.
    slot(
        &t,
        &alice,
        &collecte,
        "2030-06-15T23:00",
        "2030-06-15T23:45",
        1,
    )
    .await;
    let tri_path = path_of(tri["url"].as_str().unwrap());

    let res = t.get("/g/epicerie/calendar?month=2030-06").await;
    res.expect(200);
    let html = page(res.text());
    assert!(html.contains("<html lang=\"fr\""), "French by default");
    assert!(html.contains("juin 2030"));
    let d14 = day_html(&html, "2030-06-14");
    assert!(
        d14.contains("Tri des dons") && d14.contains("9 h – 12 h"),
        "{d14}"
    );
    assert!(d14.contains("3 places restantes sur 3"), "{d14}");
    assert!(
        d14.contains(&format!("href=\"{tri_path}\"")),
        "links to the mission page: {d14}"
    );
    assert!(
        d14.contains("vendredi 14 juin 2030"),
        "the day in words for screen readers and phones"
    );
    let d15 = day_html(&html, "2030-06-15");
    assert!(
        d15.contains("Collecte &amp; &lt;partage&gt;") && d15.contains("23 h – 23 h 45"),
        "{d15}"
    );
    assert!(
        !d15.contains("Tri des dons") && !day_html(&html, "2030-06-13").contains("Tri des dons")
    );
    assert!(!html.contains("<partage>"), "titles are escaped");
    // The grid runs Monday to Sunday: 27 May to 30 June 2030 (5 weeks).
    assert!(html.contains("data-date=\"2030-05-27\"") && html.contains("data-date=\"2030-06-30\""));
    assert!(
        !html.contains("data-date=\"2030-05-26\"") && !html.contains("data-date=\"2030-07-01\"")
    );
    assert!(html.contains("href=\"?month=2030-05\"") && html.contains("href=\"?month=2030-07\""));
    assert!(
        html.contains("href=\"/g/epicerie/calendar.ics\""),
        "offers the feed"
    );
    assert!(html.contains("webcal://localhost:8080/g/epicerie/calendar.ics"));

    let en = t.get("/g/epicerie/calendar?month=2030-06&lang=en").await;
    en.expect(200);
    let en = page(en.text());
    assert!(en.contains("<html lang=\"en\"") && en.contains("June 2030"));
    assert!(day_html(&en, "2030-06-14").contains("3 places left of 3"));
    assert!(day_html(&en, "2030-06-14").contains("Friday 14 June 2030"));

    let week = t
        .get("/g/epicerie/calendar?view=week&week=2030-06-12")
        .await;
    week.expect(200);
    let week = page(week.text());
    assert!(
        week.contains("Semaine du 10 au 16 juin 2030"),
        "any day gives its week"
    );
    assert!(day_html(&week, "2030-06-14").contains("Tri des dons"));
    assert!(day_html(&week, "2030-06-15").contains("Collecte &amp; &lt;partage&gt;"));
    assert!(day_html(&week, "2030-06-10").contains("Aucun créneau ce jour-là."));
    assert!(
        week.contains("href=\"?view=week&amp;week=2030-06-03\"")
            && week.contains("href=\"?view=week&amp;week=2030-06-17\"")
    );
    let empty = t.get("/g/epicerie/calendar?month=2031-01").await;
    empty.expect(200);
    assert!(page(empty.text()).contains("Aucun créneau ce mois-ci."));
    t.get("/g/epicerie/calendar").await.expect(200);
    t.get("/g/epicerie/calendar?view=week").await.expect(200);

    // Periods that cannot be read: 400 with a sentence that says how to write them.
    for (query, says) in [
        ("month=2030-13", "n'est pas un mois"),
        ("month=juin", "n'est pas un mois"),
        ("month=2030-6", "2030-06"),
        ("view=week&week=2030-02-30", "n'est pas une date"),
        ("view=year", "view=month"),
    ] {
        let res = t.get(&format!("/g/epicerie/calendar?{query}")).await;
        res.expect(400);
        assert!(page(res.text()).contains(says), "{query}: {}", res.text());
        assert!(res.content_type().starts_with("text/html"));
    }
    let res = t.get("/g/epicerie/calendar?month=2030-13&lang=en").await;
    res.expect(400);
    assert!(page(res.text()).contains("is not a month"));
    t.get("/g/nobody/calendar").await.expect(404);
}

#[tokio::test]
async fn my_calendar_page_makes_the_address_once() {
    let (t, _alice, _bob, _carol) = node().await;
    // Bob coordinates an association: the page also gives its reservations' feed.
    t.association("materiel", "bob").await;
    // Not logged in: to the login page, coming back here.
    let res = t.get("/me/calendar").await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    assert_eq!(res.headers["location"], "/login?next=%2Fme%2Fcalendar");
    let user = t.store().find_user_by_name("bob").await.unwrap().unwrap();
    let session = accounts::open_session(t.store(), &user, t.now())
        .await
        .unwrap();
    let cookie = format!("entraide_session={session}");
    let first = t.get_with("/me/calendar", "cookie", &cookie).await;
    first.expect(200);
    assert!(page(first.text()).contains("Créer mon adresse d'agenda"));
    // Without the form's token, nothing is made.
    let req = |body: String| {
        axum::http::Request::post("/me/calendar")
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    t.send(req("csrf=wrong".into())).await.expect(403);
    assert!(t
        .store()
        .calendar_token_created(user.id)
        .await
        .unwrap()
        .is_none());
    let csrf = entraide::http::auth::csrf_token(&session);
    let made = t.send(req(format!("csrf={csrf}"))).await;
    made.expect(200);
    let html = page(made.text());
    let start = html
        .find(&format!("{BASE}/feeds/"))
        .expect("the address is shown");
    let url: String = html[start..]
        .chars()
        .take_while(|c| *c != '<' && *c != '"')
        .collect();
    t.get(&path_of(&url)).await.expect(200);
    let equipment = format!("{}/reservations/materiel.ics", url.trim_end_matches(".ics"));
    assert!(html.contains(&equipment), "{html}");
    let feed = t.get(&path_of(&equipment)).await;
    feed.expect(200);
    assert!(feed.text().starts_with("BEGIN:VCALENDAR"));
    // Shown once: the page then only says when it was made.
    let later = page(t.get_with("/me/calendar", "cookie", &cookie).await.text());
    assert!(
        !later.contains("/feeds/") && later.contains("Créer une nouvelle adresse"),
        "{later}"
    );
}

/// The store's side, on SQLite and PostgreSQL: one token per user, and the slots of an
/// association's own missions (no drafts, no deleted missions) over a span of time.
async fn calendar_storage(s: &dyn Store) {
    let u = s
        .create_user(
            entraide::storage::NewUser::by_operator("bob", None, None),
            common::start(),
        )
        .await
        .unwrap();
    assert!(s.find_calendar_token_user("h1").await.unwrap().is_none());
    assert!(s
        .set_calendar_token(u.id, "h1", false, at(2030, 1, 1, 0))
        .await
        .unwrap());
    assert!(
        !s.set_calendar_token(u.id, "h2", false, at(2030, 1, 2, 0))
            .await
            .unwrap(),
        "kept: not replacing"
    );
    assert_eq!(
        s.find_calendar_token_user("h1").await.unwrap().unwrap().id,
        u.id
    );
    assert!(s
        .set_calendar_token(u.id, "h3", true, at(2030, 1, 3, 0))
        .await
        .unwrap());
    assert!(
        s.find_calendar_token_user("h1").await.unwrap().is_none(),
        "the old token stops working"
    );
    assert_eq!(
        s.find_calendar_token_user("h3")
            .await
            .unwrap()
            .unwrap()
            .name,
        "bob"
    );
    assert_eq!(
        s.calendar_token_created(u.id).await.unwrap(),
        Some(at(2030, 1, 3, 0))
    );

    let owner = s
        .create_user(
            entraide::storage::NewUser::by_operator("alice", None, None),
            common::start(),
        )
        .await
        .unwrap();
    let group = s
        .create_local_actor(
            entraide::domain::actor::NewLocalActor {
                kind: ActorKind::Group,
                name: "epicerie".into(),
                display_name: "Épicerie".into(),
                summary: String::new(),
                public_key_pem: "PUB".into(),
                private_key_pem: "PRIV".into(),
                user_id: None,
            },
            &format!("{BASE}/g/epicerie"),
            HOST,
            Some(owner.id),
            common::start(),
        )
        .await
        .unwrap();
    let start = at(2030, 6, 1, 8);
    let mut ids = Vec::new();
    for (slug, status) in [
        ("open", MissionStatus::Published),
        ("draft", MissionStatus::Draft),
        ("gone", MissionStatus::Published),
    ] {
        let m = s
            .create_mission(NewMission {
                ap_id: format!("{BASE}/m/{slug}"),
                url: format!("{BASE}/m/{slug}"),
                actor_id: group.id,
                content_html: String::new(),
                draft: MissionDraft {
                    place: Place {
                        locality: "Brest".into(),
                        ..Place::default()
                    },
                    ..draft(slug, start, status)
                },
                now: common::start(),
            })
            .await
            .unwrap();
        let slots = (0..3)
            .map(|d| {
                let begin = start + Duration::days(d * 7);
                (
                    format!("{BASE}/s/{slug}{d}"),
                    entraide::domain::slot::SlotDraft {
                        start_time: begin,
                        end_time: begin + Duration::hours(2),
                        capacity: 2,
                    },
                )
            })
            .collect();
        s.create_slots(m.id, slots, common::start()).await.unwrap();
        ids.push(m.id);
    }
    s.delete_mission(ids[2], common::start()).await.unwrap();
    let all = s
        .association_slots(
            group.id,
            start - Duration::days(1),
            start + Duration::days(30),
        )
        .await
        .unwrap();
    let names: Vec<&str> = all
        .iter()
        .map(|x| x.ap_id.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["open0", "open1", "open2"],
        "no draft, no deleted mission, soonest first"
    );
    // Overlapping the span is enough; the end is excluded.
    let some = s
        .association_slots(
            group.id,
            start + Duration::hours(1),
            start + Duration::days(7),
        )
        .await
        .unwrap();
    let names: Vec<&str> = some
        .iter()
        .map(|x| x.ap_id.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names, ["open0"]);
    assert!(s
        .association_slots(group.id + 1000, start, start + Duration::days(30))
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn calendar_storage_on_sqlite() {
    let (s, _dir) = sqlite_store().await;
    calendar_storage(s.as_ref()).await;
}

#[tokio::test]
async fn calendar_storage_on_postgres() {
    let Some(db) = PgDb::fresh("calendar_storage").await else {
        return;
    };
    calendar_storage(db.store().await.as_ref()).await;
}

/// The private feed of an association's reservations loads in a real iCalendar parser: what it
/// lends (CONFIRMED when accepted) and what it borrows (TENTATIVE while asked, CANCELLED once
/// refused); someone who does not coordinate it, or a wrong secret, gets nothing.
#[tokio::test]
async fn reservations_feed_loads_in_a_real_ical_parser() {
    let (t, alice, bob, _) = node().await;
    t.association("materiel", "bob").await;
    let chairs = t
        .api(
            Method::POST,
            "/api/v1/associations/materiel/resources",
            Some(&bob),
            Some(&json!({"name": "Chaises pliantes", "quantity": 80, "approval": "automatic", "place": "Brest", "latitude": 48.39, "longitude": -4.49})),
        )
        .await;
    chairs.expect(201);
    let tent = t
        .api(
            Method::POST,
            "/api/v1/associations/materiel/resources",
            Some(&bob),
            Some(&json!({"name": "Tente", "quantity": 1})),
        )
        .await;
    let day = |d: i64, h: u32| {
        (t.now().date_naive() + chrono::Duration::days(d))
            .and_hms_opt(h, 0, 0)
            .unwrap()
            .and_utc()
            .to_rfc3339()
    };
    for (r, q, d) in [(&chairs, 30, 10), (&tent, 1, 12)] {
        let res = t
            .api(
                Method::POST,
                &format!("/api/v1/resources/{}/reservations", r.json()["id"]),
                Some(&alice),
                Some(&json!({"borrower": "epicerie", "quantity": q, "start": day(d, 9), "end": day(d, 18)})),
            )
            .await;
        res.expect(201);
    }
    let url_of = |token: &str| {
        let token = token.to_string();
        let t = &t;
        async move {
            let res = t
                .api(Method::GET, "/api/v1/me/calendar-token", Some(&token), None)
                .await;
            let url = res.json()["feed_url"].as_str().unwrap().to_string();
            path_of(&url).trim_end_matches(".ics").to_string()
        }
    };
    let mine = url_of(&alice).await;
    let res = t.get(&format!("{mine}/reservations/epicerie.ics")).await;
    res.expect(200);
    assert!(res.content_type().starts_with("text/calendar"));
    let parsed = parse_ics(&res.text());
    assert_eq!(parsed.events.len(), 2, "{:?}", parsed.events);
    let summaries: Vec<&str> = parsed
        .events
        .iter()
        .map(|e| e["SUMMARY"].as_str().unwrap())
        .collect();
    assert!(
        summaries.contains(&"Emprunt : 30 × Chaises pliantes ← Épicerie solidaire"),
        "{summaries:?}"
    );
    let chairs_event = parsed
        .events
        .iter()
        .find(|e| e["SUMMARY"].as_str().unwrap().contains("Chaises"))
        .unwrap();
    assert_eq!(chairs_event["STATUS"], "CONFIRMED");
    assert_eq!(chairs_event["LOCATION"], "Brest");
    let tent_event = parsed
        .events
        .iter()
        .find(|e| e["SUMMARY"].as_str().unwrap().contains("Tente"))
        .unwrap();
    assert_eq!(tent_event["STATUS"], "TENTATIVE");
    // The owner's side: bob's feed of materiel says "Prêt".
    let his = url_of(&bob).await;
    let owner = parse_ics(
        &t.get(&format!("{his}/reservations/materiel.ics"))
            .await
            .text(),
    );
    assert!(owner.events.iter().any(|e| e["SUMMARY"]
        .as_str()
        .unwrap()
        .starts_with("Prêt : 30 × Chaises pliantes")));
    // Bob does not coordinate epicerie; an unknown secret is unknown.
    t.get(&format!("{his}/reservations/epicerie.ics"))
        .await
        .expect(404);
    t.get("/feeds/not-a-secret/reservations/materiel.ics")
        .await
        .expect(404);
}
