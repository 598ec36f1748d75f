//! A coordinator's first hour, in process: the answers to addresses and parameters no route
//! takes (pages in French and English, the API's JSON), the mission form's first slots, the
//! dashboard's work list, and what the walkthrough of issue 14 found.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{header, Method};
use common::TestApp;

/// A web request with optional session cookie and form fields.
async fn web(
    t: &TestApp,
    method: Method,
    path: &str,
    session: Option<&str>,
    form: &str,
) -> common::Resp {
    let mut req = axum::http::Request::builder().method(method).uri(path);
    if let Some(s) = session {
        req = req.header(header::COOKIE, format!("entraide_session={s}"));
    }
    let req = req
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form.to_string()))
        .unwrap();
    t.send(req).await
}

#[track_caller]
fn html_page(r: &common::Resp, status: u16, lang: &str, words: &str) {
    r.expect(status);
    assert!(
        r.content_type().starts_with("text/html"),
        "{}",
        r.content_type()
    );
    let text = r.text();
    assert!(text.contains(&format!(r#"<html lang="{lang}">"#)), "{text}");
    assert!(text.contains(words), "no {words:?} in {text}");
}

#[track_caller]
fn api_error(r: &common::Resp, status: u16, code: &str) {
    r.expect(status);
    let body = r.json();
    assert_eq!(body["error"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn unknown_addresses_bad_parameters_and_wrong_methods_answer_in_words() {
    let t = TestApp::new().await;
    // No such address.
    html_page(&t.get("/nulle-part").await, 404, "fr", "Page introuvable");
    html_page(
        &t.get("/nowhere?lang=en").await,
        404,
        "en",
        "Page not found",
    );
    html_page(
        &t.get_with("/nowhere", "accept-language", "en-GB,en").await,
        404,
        "en",
        "Page not found",
    );
    // A path parameter of the wrong kind names nothing.
    html_page(&t.get("/missions/abc").await, 404, "fr", "Page introuvable");
    html_page(
        &t.get("/reservations/abc?lang=en").await,
        404,
        "en",
        "Page not found",
    );
    // A query parameter that cannot be read.
    html_page(
        &t.get("/login?n=abc").await,
        400,
        "fr",
        "Adresse incomplète ou mal écrite",
    );
    // A known address with another method.
    let wrong = web(&t, Method::DELETE, "/", None, "").await;
    html_page(&wrong, 405, "fr", "Action impossible à cette adresse");
    assert!(
        wrong.headers.contains_key(header::ALLOW),
        "{:?}",
        wrong.headers
    );
    html_page(
        &web(&t, Method::PUT, "/resources?lang=en", None, "").await,
        405,
        "en",
        "Not possible at this address",
    );

    // The API answers with its JSON error.
    api_error(&t.get("/api/v1/nothing-here").await, 404, "not_found");
    api_error(&t.get("/api/v1/missions/abc").await, 404, "not_found");
    let bad = t.get("/api/v1/missions?limit=abc").await;
    api_error(&bad, 400, "bad_request");
    assert!(
        bad.json()["message"].as_str().unwrap().contains("limit"),
        "{}",
        bad.text()
    );
    let method = t.api(Method::PATCH, "/api/v1/missions", None, None).await;
    api_error(&method, 405, "method_not_allowed");
    assert!(method.headers.contains_key(header::ALLOW));
}

/// A coordinator of `asso` logged in on the pages: the session and its form token.
async fn coordinator(t: &TestApp, name: &str, asso: &str) -> (String, String) {
    let (user, _) = t.user(name).await;
    t.association(asso, name).await;
    let session = entraide::service::accounts::open_session(t.store(), &user, t.now())
        .await
        .unwrap();
    let csrf = entraide::http::auth::csrf_token(&session);
    (session, csrf)
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page, following one redirection.
async fn follow(t: &TestApp, path: &str) -> common::Resp {
    let r = t.get(path).await;
    match r.headers.get(header::LOCATION) {
        Some(to) if r.status.is_redirection() => t.get(to.to_str().unwrap()).await,
        _ => r,
    }
}

/// The id of the mission titled `title`.
async fn mission_id_of(t: &TestApp, title: &str) -> i64 {
    let all = t
        .store()
        .list_missions(entraide::storage::MissionQuery {
            include_drafts: true,
            ..Default::default()
        })
        .await
        .unwrap();
    all.iter().find(|m| m.title == title).unwrap().id
}

#[tokio::test]
async fn the_mission_form_opens_its_first_slot_and_repeats_it_weekly() {
    let t = TestApp::new().await;
    let (session, csrf) = coordinator(&t, "annie", "epicerie").await;
    let new = "/g/epicerie/missions/new";
    let page = web(&t, Method::GET, new, Some(&session), "").await;
    page.expect(200);
    assert!(
        page.text().contains(r#"name="repeat_weeks""#),
        "{}",
        page.text()
    );
    // The title's length is the domain's.
    assert!(
        page.text().contains(r#"maxlength="140""#),
        "{}",
        page.text()
    );

    let fields = |title: &'static str, capacity: &'static str, weeks: &'static str| {
        vec![
            ("title", title),
            ("category", "community"),
            ("start_time", "2030-03-02T09:00"),
            ("end_time", "2030-03-02T12:00"),
            ("online", "true"),
            ("capacity", capacity),
            ("repeat_weeks", weeks),
            ("join_mode", "free"),
            ("action", "publish"),
        ]
    };
    // Five places, four Saturdays: four slots of five places, the mission ends with the last.
    let mut f = fields("Distribution du samedi", "5", "4");
    f.push(("csrf", &csrf));
    let done = web(&t, Method::POST, new, Some(&session), &form(&f)).await;
    done.expect(303);
    let id = mission_id_of(&t, "Distribution du samedi").await;
    let slots = entraide::service::slots::of_mission(t.store(), id)
        .await
        .unwrap();
    assert_eq!(slots.len(), 4, "{slots:?}");
    assert!(slots.iter().all(|s| s.capacity == 5));
    let mission = t.store().get_mission(id).await.unwrap();
    assert_eq!(mission.end_time, slots[3].end_time);
    let shown = follow(&t, &format!("/missions/{id}")).await;
    let text = shown.text();
    assert!(text.contains("20 places restantes sur 20"), "{text}");
    assert!(!text.contains("Aucun créneau"), "{text}");

    // No number of places: no slot, and no count of places next to "no slot yet".
    let mut f = fields("Sans limite", "", "");
    f.push(("csrf", &csrf));
    let done = web(&t, Method::POST, new, Some(&session), &form(&f)).await;
    done.expect(303);
    let id = mission_id_of(&t, "Sans limite").await;
    assert!(entraide::service::slots::of_mission(t.store(), id)
        .await
        .unwrap()
        .is_empty());
    let text = follow(&t, &format!("/missions/{id}")).await.text();
    assert!(text.contains("Aucun créneau"), "{text}");
    assert!(
        !text.contains("Pas de limite de places") && !text.contains("restantes"),
        "{text}"
    );

    // Too many weeks: the form again, nothing written.
    let before = t
        .store()
        .list_missions(Default::default())
        .await
        .unwrap()
        .len();
    let mut f = fields("Trop long", "5", "60");
    f.push(("csrf", &csrf));
    let refused = web(&t, Method::POST, new, Some(&session), &form(&f)).await;
    refused.expect(422);
    assert!(refused.text().contains("52"), "{}", refused.text());
    let after = t
        .store()
        .list_missions(Default::default())
        .await
        .unwrap()
        .len();
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_dashboard_is_one_work_list_with_counts() {
    use entraide::{
        domain::hours::{HoursDraft, HoursStatus, Volunteer},
        storage::NewHoursEntry,
    };
    let t = TestApp::new().await;
    let (session, _) = coordinator(&t, "annie", "epicerie").await;
    let path = "/g/epicerie/dashboard";
    let empty = web(&t, Method::GET, path, Some(&session), "").await;
    empty.expect(200);
    let text = empty.text().replace("&#x27;", "'");
    assert!(
        text.contains("À traiter") && text.contains("Rien n'attend de réponse"),
        "{text}"
    );
    // The equipment and the reservations are one link away.
    assert!(text.contains(r#"href="/g/epicerie/resources""#), "{text}");
    assert!(
        text.contains(r#"href="/g/epicerie/reservations""#),
        "{text}"
    );

    // Two hours records wait for validation: the list says so, and leads to them.
    let (volunteer, _) = t.user("bruno").await;
    let asso = t.group("epicerie").await;
    let today = t.now().date_naive();
    for _ in 0..2 {
        let entry = NewHoursEntry {
            actor_id: asso.id,
            volunteer: Volunteer::User {
                user_id: volunteer.id,
            },
            draft: HoursDraft {
                start_date: today,
                end_date: today,
                minutes: 90,
                distance_km: None,
                category: "accueil".into(),
                mission_id: None,
                description: String::new(),
            },
            status: HoursStatus::Pending,
            slot_id: None,
            participation_id: None,
            ap_id: None,
        };
        t.store()
            .create_hours_entry(entry, Some(volunteer.id), None, t.now())
            .await
            .unwrap();
    }
    let text = web(&t, Method::GET, path, Some(&session), "")
        .await
        .text()
        .replace("&#x27;", "'");
    assert!(
        text.contains(r#"<span class="count">2</span> déclarations d'heures à valider"#),
        "{text}"
    );
    assert!(text.contains("hours#h-pending"), "{text}");
    assert!(!text.contains("Rien n'attend de réponse"), "{text}");
    let english = web(
        &t,
        Method::GET,
        "/g/epicerie/dashboard?lang=en",
        Some(&session),
        "",
    )
    .await;
    assert!(
        english.text().contains("</span> hours records to validate"),
        "{}",
        english.text()
    );
}

/// A resource of `owner` with a reservation accepted under the agreement reference `reference`;
/// the reservation's id.
async fn accepted_loan(t: &TestApp, owner: i64, reference: &str) -> i64 {
    use entraide::{
        domain::resource::{ReservationState, ResourceDraft},
        storage::{NewReservation, ReservationMove, ReserveOutcome},
    };
    let draft = ResourceDraft {
        name: "Barnum".into(),
        description: "Un barnum de 3 m sur 3.".into(),
        category: "tent".into(),
        place: "Brest".into(),
        min_notice_hours: 0,
        max_days: 30,
        ..ResourceDraft::default()
    };
    let r = t
        .store()
        .create_resource(
            owner,
            &format!("{}/r/barnum", common::BASE),
            &draft,
            t.now(),
        )
        .await
        .unwrap();
    let start = t.now() + chrono::Duration::days(10);
    let request = NewReservation {
        resource_id: r.id,
        offer_id: format!("{}/offers/one", common::BASE),
        borrower_actor_id: Some(owner),
        quantity: 1,
        start,
        end: start + chrono::Duration::days(1),
        automatic: false,
        agreement_id: None,
    };
    let ReserveOutcome::Recorded(loan) = t.store().reserve(request, t.now()).await.unwrap() else {
        panic!("not recorded")
    };
    let accept = ReservationMove {
        to: ReservationState::Accepted,
        from: vec![ReservationState::Requested],
        reason: String::new(),
        notes: None,
        agreement_id: Some(reference.to_string()),
        by_owner: true,
        check_pool: false,
    };
    t.store()
        .move_reservation(loan.id, &accept, t.now())
        .await
        .unwrap();
    loan.id
}

#[tokio::test]
async fn an_agreements_reference_leads_to_its_agreement() {
    let t = TestApp::new().await;
    let (session, _) = coordinator(&t, "annie", "epicerie").await;
    let asso = t.group("epicerie").await;
    let reference = format!("{}/agreements/3f0c9a", common::BASE);
    let id = accepted_loan(&t, asso.id, &reference).await;
    let page = web(
        &t,
        Method::GET,
        &format!("/reservations/{id}/agreement"),
        Some(&session),
        "",
    )
    .await;
    page.expect(200);
    assert!(
        page.text().contains("agreements&#x2f;3f0c9a"),
        "{}",
        page.text()
    );
    let followed = t.get("/agreements/3f0c9a").await;
    followed.expect(303);
    assert_eq!(
        followed.headers[header::LOCATION],
        format!("/reservations/{id}/agreement").as_str()
    );
    html_page(
        &t.get("/agreements/unknown").await,
        404,
        "fr",
        "Page introuvable",
    );
}

#[tokio::test]
async fn a_year_out_of_range_on_the_hours_report_is_a_400_in_words() {
    let t = TestApp::new().await;
    let (session, _) = coordinator(&t, "annie", "epicerie").await;
    for path in [
        "/g/epicerie/hours.csv?year=12345",
        "/g/epicerie/hours/statement.pdf?year=1200",
        "/g/epicerie/hours/statement.ods?year=deux-mille",
    ] {
        let r = web(&t, Method::GET, path, Some(&session), "").await;
        html_page(&r, 400, "fr", "Période non valable");
        assert!(
            r.text().contains("Indiquez une année"),
            "{path}: {}",
            r.text()
        );
        assert!(!r.text().contains("ne peut pas répondre"), "{path}");
    }
    let r = web(
        &t,
        Method::GET,
        "/g/epicerie/hours.csv?year=12345&lang=en",
        Some(&session),
        "",
    )
    .await;
    html_page(&r, 400, "en", "Period not valid");
}

#[tokio::test]
async fn a_resource_search_ending_before_it_starts_says_so() {
    let t = TestApp::new().await;
    let r = t.get("/resources?from=2030-03-05&to=2030-03-01").await;
    r.expect(422);
    let text = r.text().replace("&#x27;", "'");
    assert!(
        text.contains("Le dernier jour doit venir après le premier"),
        "{text}"
    );
    assert!(
        text.contains(r#"id="to""#) && text.contains(r#"aria-invalid="true""#),
        "{text}"
    );
    let r = t
        .get("/resources?from=2030-03-05&to=2030-03-01&lang=en")
        .await;
    assert!(
        r.text().contains("The last day must come after the first"),
        "{}",
        r.text()
    );
}

/// `n` records of 90 minutes by a new volunteer for `asso`, with this status.
async fn hours_records(
    t: &TestApp,
    asso: &str,
    n: usize,
    status: entraide::domain::hours::HoursStatus,
) {
    use entraide::{
        domain::hours::{HoursDraft, Volunteer},
        storage::NewHoursEntry,
    };
    let (volunteer, _) = t.user(&format!("benevole{n}")).await;
    let a = t.group(asso).await;
    let today = t.now().date_naive();
    for _ in 0..n {
        let entry = NewHoursEntry {
            actor_id: a.id,
            volunteer: Volunteer::User {
                user_id: volunteer.id,
            },
            draft: HoursDraft {
                start_date: today,
                end_date: today,
                minutes: 90,
                distance_km: Some(rust_decimal::Decimal::new(125, 1)),
                category: "accueil".into(),
                mission_id: None,
                description: "Accueil; caisse".into(),
            },
            status,
            slot_id: None,
            participation_id: None,
            ap_id: None,
        };
        t.store()
            .create_hours_entry(entry, Some(volunteer.id), None, t.now())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn csv_exports_speak_the_readers_language() {
    use entraide::domain::hours::HoursStatus;
    let t = TestApp::new().await;
    let (session, _) = coordinator(&t, "annie", "epicerie").await;
    hours_records(&t, "epicerie", 1, HoursStatus::Validated).await;
    let year = t.now().format("%Y").to_string();
    let path = format!("/g/epicerie/hours.csv?year={year}");
    let fr = web(&t, Method::GET, &path, Some(&session), "").await;
    fr.expect(200);
    let text = fr.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("N°;Date;Date de fin;Bénévole;Domaine"),
        "{text}"
    );
    assert!(lines[1].contains(";90;1,50;12,5;validated;"), "{text}");
    assert!(lines[1].ends_with(";\"Accueil; caisse\""), "{text}");
    // English pages and the API keep the column codes, commas and dots.
    let en = web(
        &t,
        Method::GET,
        &format!("{path}&lang=en"),
        Some(&session),
        "",
    )
    .await;
    let text = en.text();
    assert!(
        text.starts_with("id,date,end_date,volunteer,category"),
        "{text}"
    );
    assert!(text.contains(",90,1.50,12.5,validated,"), "{text}");
    let res = web(
        &t,
        Method::GET,
        "/g/epicerie/reservations.csv",
        Some(&session),
        "",
    )
    .await;
    res.expect(200);
    assert!(res.text().starts_with("N°;Matériel;Rôle"), "{}", res.text());
    let res = web(
        &t,
        Method::GET,
        "/g/epicerie/reservations.csv?lang=en",
        Some(&session),
        "",
    )
    .await;
    assert!(res.text().starts_with("id,resource,role"), "{}", res.text());
}

#[tokio::test]
async fn the_tagline_speaks_the_pages_language() {
    let t = TestApp::new().await;
    let fr = t.get("/").await.text();
    assert!(
        fr.contains("Missions bénévoles et matériel partagé entre associations."),
        "{fr}"
    );
    let en = t.get("/?lang=en").await.text();
    assert!(
        en.contains("Volunteer missions and equipment shared between associations."),
        "{en}"
    );
    assert!(!en.contains("Missions bénévoles"), "{en}");
}
