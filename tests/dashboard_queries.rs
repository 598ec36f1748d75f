//! The coordinators' dashboard takes the same number of SQL statements whatever it shows: a
//! board of one mission with one slot and four people, and one of five missions with slots full
//! of people, suggested volunteers and replies from the fediverse, are read alike.
//!
//! The statements are counted as sqlx reports them (its `sqlx::query` events), by a counter
//! installed as this process's only tracing subscriber: this file holds one test, so nothing
//! else runs statements while it counts.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestApp;
use entraide::{
    domain::{
        account::User,
        fediverse::NewInterest,
        mission::MissionInput,
        slot::{Participant, SlotInput},
        volunteer::Profile,
    },
    http::auth::SESSION_COOKIE,
    service::{self, slots::NewSlots},
    storage::SignUp,
};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};
use tracing_subscriber::{layer::Context, prelude::*, Layer};

/// Counts the statements sqlx runs (one `sqlx::query` event each), but for the `PRAGMA`s that
/// set up a connection the pool opens (whenever it likes): they are no read of the page.
struct Statements(Arc<AtomicUsize>);

/// The `summary` of a `sqlx::query` event: the statement's first words.
#[derive(Default)]
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_string();
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}").trim_matches('"').to_string();
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut summary = Summary::default();
        event.record(&mut summary);
        if !summary.0.trim_start().to_uppercase().starts_with("PRAGMA") {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

const ASSOCIATION: &str = "epicerie";

/// What was added so far, to name new people and things uniquely.
#[derive(Default)]
struct Seeded {
    missions: usize,
    people: usize,
}

/// Adds `missions` missions (every other one with requests to approve), each with `slots`
/// slots; on each slot a volunteer of this node, someone of another server (known to this
/// node or not) and a guest; a volunteer who may be suggested and a reply from the fediverse
/// per mission.
async fn grow(t: &TestApp, coordinator: &User, seeded: &mut Seeded, missions: usize, slots: usize) {
    let store = t.store();
    let config = &t.app.state.config;
    for _ in 0..missions {
        seeded.missions += 1;
        let n = seeded.missions;
        let input = MissionInput {
            title: Some(format!("Mission numéro {n}")),
            locality: Some("Brest".into()),
            category: Some("solidarity".into()),
            skills: Some(vec!["cuisine".into()]),
            start_time: Some("2030-03-01T08:00".into()),
            end_time: Some("2030-03-31T20:00".into()),
            join_mode: Some(
                if n.is_multiple_of(2) {
                    "restricted"
                } else {
                    "free"
                }
                .into(),
            ),
            ..Default::default()
        };
        let m = service::missions::create(
            store,
            config,
            &service::places::Geocoder::new(&config.places),
            coordinator,
            ASSOCIATION,
            input,
            t.now(),
        )
        .await
        .unwrap();
        let wanted = NewSlots {
            slots: (0..slots)
                .map(|d| SlotInput {
                    start_time: Some(format!("2030-03-{:02}T09:00", d + 2)),
                    end_time: Some(format!("2030-03-{:02}T12:00", d + 2)),
                    capacity: Some(10),
                })
                .collect(),
            rule: None,
        };
        let made = service::slots::add(store, config, coordinator, m.id, wanted, t.now())
            .await
            .unwrap();
        for slot in made {
            seeded.people += 1;
            let p = seeded.people;
            let volunteer = common::plain_user(store, &format!("benevole{p}")).await;
            service::slots::sign_up(store, config, &volunteer, slot.id, "Je viens", t.now())
                .await
                .unwrap()
                .unwrap();
            service::slots::sign_up_guest(
                store,
                config,
                coordinator,
                slot.id,
                &format!("Invitée {p}"),
                "06 11 22 33 44",
                t.now(),
            )
            .await
            .unwrap()
            .unwrap();
            let known = remote_person(t, &format!("zoe{p}")).await;
            for (who, join) in [
                (known, "known"),
                (format!("https://ailleurs.example/u/{p}"), "unknown"),
            ] {
                let request = SignUp {
                    slot_id: slot.id,
                    participant: Participant::Remote { actor_ap_id: who },
                    join_ap_id: format!("https://ailleurs.example/join/{join}/{p}"),
                    message: String::new(),
                    auto_accept: !n.is_multiple_of(2),
                    record_refusal: false,
                };
                store.sign_up(request, t.now()).await.unwrap();
            }
        }
        let helper = common::plain_user(store, &format!("renfort{n}")).await;
        let profile = Profile {
            skills: vec!["cuisine".into()],
            suggestable: true,
            ..Default::default()
        };
        service::volunteers::save_profile(
            store,
            &service::places::Geocoder::new(&config.places),
            &helper,
            profile,
            t.now(),
        )
        .await
        .unwrap();
        let author = remote_person(t, &format!("lecteur{n}")).await;
        let reply = NewInterest {
            mission_id: m.id,
            actor_ap_id: author,
            note_ap_id: format!("https://ailleurs.example/notes/{n}"),
            content: format!("Intéressée par la mission {n}"),
        };
        store
            .record_interest(reply, None, None, t.now())
            .await
            .unwrap();
    }
}

/// A person of another server, known to this node; their ActivityPub id.
async fn remote_person(t: &TestApp, name: &str) -> String {
    let id = format!("https://ailleurs.example/u/{name}");
    let actor = entraide::domain::actor::RemoteActor {
        ap_id: id.clone(),
        kind: entraide::domain::actor::ActorKind::Person,
        name: name.into(),
        host: "ailleurs.example".into(),
        display_name: format!("{name} d'ailleurs"),
        summary: String::new(),
        inbox: format!("{id}/inbox"),
        shared_inbox: None,
        outbox: None,
        followers: None,
        url: None,
        public_key_pem: "KEY".into(),
    };
    t.store().upsert_remote_actor(actor, t.now()).await.unwrap();
    id
}

/// The dashboard page, and how many statements it took.
async fn dashboard(t: &TestApp, cookie: &str, counter: &AtomicUsize) -> (usize, String) {
    let path = format!("/g/{ASSOCIATION}/dashboard");
    // Once before counting: the pool's connection is open and warm.
    t.get_with(&path, "cookie", cookie).await.expect(200);
    let before = counter.load(Ordering::SeqCst);
    let page = t.get_with(&path, "cookie", cookie).await;
    let taken = counter.load(Ordering::SeqCst) - before;
    page.expect(200);
    (taken, page.text())
}

#[tokio::test]
async fn the_dashboard_takes_as_many_statements_for_one_mission_as_for_five() {
    let counter = Arc::new(AtomicUsize::new(0));
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(Statements(counter.clone())),
    )
    .unwrap();

    let t = TestApp::new().await;
    let (coordinator, _) = t.user("alice").await;
    t.association(ASSOCIATION, "alice").await;
    let session = service::accounts::open_session(t.store(), &coordinator, t.now())
        .await
        .unwrap();
    let cookie = format!("{SESSION_COOKIE}={session}");

    let mut seeded = Seeded::default();
    grow(&t, &coordinator, &mut seeded, 1, 1).await;
    let (small, page) = dashboard(&t, &cookie, &counter).await;
    assert!(
        page.contains("Mission numéro 1")
            && page.contains("Invitée 1")
            && page.contains("@zoe1@ailleurs.example"),
        "{page}"
    );

    grow(&t, &coordinator, &mut seeded, 4, 3).await;
    let (large, page) = dashboard(&t, &cookie, &counter).await;
    // Everything is there: every mission, guest, known remote person, suggested volunteer
    // and reply.
    for n in 1..=seeded.missions {
        for shown in [
            format!("Mission numéro {n}"),
            format!("renfort{n}"),
            format!("Intéressée par la mission {n}"),
            format!("@lecteur{n}@ailleurs.example"),
        ] {
            assert!(page.contains(&shown), "{shown} missing:\n{page}");
        }
    }
    for p in 1..=seeded.people {
        for shown in [
            format!("Invitée {p}"),
            format!("@zoe{p}@ailleurs.example"),
            format!("benevole{p}"),
        ] {
            assert!(page.contains(&shown), "{shown} missing:\n{page}");
        }
    }
    assert!(
        small > 0,
        "no statement was counted: is the counter installed?"
    );
    assert_eq!(
        small, large,
        "1 mission, 1 slot: {small} statements; 5 missions, 13 slots: {large}"
    );
}
