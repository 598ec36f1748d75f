//! The coordinators' dashboard shows a volunteer by the full name they gave, else by their
//! account's name; the contact stays their email. Suggestions still leave out those signed up.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::header;
use common::TestApp;
use entraide::{
    domain::{mission::MissionInput, slot::SlotInput},
    service::{self, registration::ProfileChange, slots::NewSlots},
};

#[tokio::test]
async fn a_volunteer_with_a_full_name_is_shown_by_it_on_the_dashboard() {
    let t = TestApp::new().await;
    let (coordinator, _) = t.user("annie").await;
    t.association("epicerie", "annie").await;
    let store = t.store();
    let config = &t.app.state.config;
    // In three days, local time (as the forms send it).
    let date = (t.now() + chrono::Duration::days(3)).format("%Y-%m-%d");
    let day = |h: u32| format!("{date}T{h:02}:00");
    let input = MissionInput {
        title: Some("Distribution du samedi".into()),
        locality: Some("Brest".into()),
        category: Some("solidarity".into()),
        start_time: Some(day(9)),
        end_time: Some(day(12)),
        ..Default::default()
    };
    let m = service::missions::create(
        store,
        config,
        &service::places::Geocoder::new(&config.places),
        &coordinator,
        "epicerie",
        input,
        t.now(),
    )
    .await
    .unwrap();
    let wanted = NewSlots {
        slots: vec![SlotInput {
            start_time: Some(day(9)),
            end_time: Some(day(12)),
            capacity: Some(5),
        }],
        rule: None,
    };
    let slot = service::slots::add(store, config, &coordinator, m.id, wanted, t.now())
        .await
        .unwrap()
        .remove(0);
    let (named, _) = t.user("ykerouedan").await;
    let change = ProfileChange {
        full_name: "Yann Kerouédan".into(),
        display_name: String::new(),
        language: String::new(),
    };
    let named = service::registration::update_profile(store, &named, change, t.now())
        .await
        .unwrap();
    let (plain, _) = t.user("bruno").await;
    for who in [&named, &plain] {
        service::slots::sign_up(store, config, who, slot.id, "", t.now())
            .await
            .unwrap()
            .unwrap();
    }

    let board = service::dashboard::board(store, config, &coordinator, "epicerie", t.now())
        .await
        .unwrap();
    let people: Vec<(&str, Option<&str>)> = board.missions[0].slots[0]
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.account.as_deref()))
        .collect();
    assert_eq!(
        people,
        [
            ("Yann Kerouédan", Some("ykerouedan")),
            ("bruno", Some("bruno"))
        ]
    );

    let session = service::accounts::open_session(store, &coordinator, t.now())
        .await
        .unwrap();
    let req = axum::http::Request::builder()
        .uri("/g/epicerie/dashboard")
        .header(header::COOKIE, format!("entraide_session={session}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let page = t.send(req).await;
    page.expect(200);
    let html = page.text();
    assert!(html.contains("<strong>Yann Kerouédan</strong>"), "{html}");
    assert!(!html.contains("<strong>ykerouedan</strong>"), "{html}");
    assert!(html.contains("<strong>bruno</strong>"), "{html}");
}
