//! A node's year 2030 for the territory's dashboard, built through the store alone (shared by
//! the conformance suite and `tests/territory.rs`, which includes this file by its path):
//!
//! - `epicerie` publishes, in January, a mission in Brest (one slot of 2 places in March,
//!   taken by Alice and Bob: filled), one in Plouzané (a slot of 5 a week later, Alice: not
//!   filled), one online (no slot, no capacity: not filled) and a draft (not counted);
//! - it lends 2 tents (replacement value 450 €) to `atelier` from April (900 €), and 1 to
//!   nobody's association (a person: not counted);
//! - its rates: 20 € an hour, 30 € for `transport`; in May, 90 min of `accueil` on the Brest
//!   mission (30 €) and 60 min of `transport` outside a mission (30 €) are validated, and 45
//!   min wait (not counted).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use entraide::{
    domain::{
        actor::{Actor, ActorKind, NewLocalActor},
        hours::{HoursDraft, HoursSettings, HoursStatus, Volunteer},
        mission::{MissionDraft, MissionStatus, Place},
        resource::{Approval, Borrowers, LoanMode, ResourceDraft},
        slot::{Participant, SlotDraft},
    },
    storage::{NewHoursEntry, NewMission, NewReservation, NewUser, SignUp, Store},
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const BASE: &str = "https://scene.example";

fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, month, day, 10, 0, 0)
        .single()
        .unwrap()
}

async fn group(s: &dyn Store, name: &str) -> Actor {
    s.create_local_actor(
        NewLocalActor {
            kind: ActorKind::Group,
            name: name.into(),
            display_name: name.into(),
            summary: String::new(),
            public_key_pem: format!("PUBLIC KEY {name}"),
            private_key_pem: format!("PRIVATE KEY {name}"),
            user_id: None,
        },
        &format!("{BASE}/g/{name}"),
        "scene.example",
        None,
        at(1, 1),
    )
    .await
    .unwrap()
}

async fn mission(
    s: &dyn Store,
    actor_id: i64,
    slug: &str,
    place: Option<(&str, &str)>,
    status: MissionStatus,
) -> i64 {
    let ap_id = format!("{BASE}/m/{slug}");
    let (postal_code, locality) = place.unwrap_or(("", ""));
    let draft = MissionDraft {
        title: slug.into(),
        description: slug.into(),
        category: "solidarity".into(),
        place: Place {
            name: String::new(),
            street_address: String::new(),
            postal_code: postal_code.into(),
            locality: locality.into(),
            country: "FR".into(),
            latitude: None,
            longitude: None,
        },
        online: place.is_none(),
        start_time: at(3, 2),
        end_time: at(3, 2) + Duration::hours(3),
        capacity: None,
        status,
        ..MissionDraft::default()
    };
    s.create_mission(NewMission {
        url: ap_id.clone(),
        ap_id,
        actor_id,
        content_html: String::new(),
        draft,
        now: at(1, 15),
    })
    .await
    .unwrap()
    .id
}

/// A slot on `day` of March, taken by `who`.
async fn slot_taken_by(
    s: &dyn Store,
    mission_id: i64,
    slug: &str,
    day: u32,
    capacity: i64,
    who: &[i64],
) {
    let slot = s
        .create_slots(
            mission_id,
            vec![(
                format!("{BASE}/s/{slug}"),
                SlotDraft {
                    start_time: at(3, day),
                    end_time: at(3, day) + Duration::hours(3),
                    capacity,
                },
            )],
            at(1, 15),
        )
        .await
        .unwrap()
        .remove(0);
    for user_id in who {
        s.sign_up(
            SignUp {
                slot_id: slot.id,
                participant: Participant::User { user_id: *user_id },
                join_ap_id: format!("{BASE}/join/{slug}/{user_id}"),
                message: String::new(),
                auto_accept: true,
                record_refusal: false,
            },
            at(2, 1),
        )
        .await
        .unwrap();
    }
}

fn tents() -> ResourceDraft {
    ResourceDraft {
        name: "Tentes".into(),
        description: String::new(),
        category: "tent".into(),
        owner_kind: "association".into(),
        place: "Brest".into(),
        latitude: None,
        longitude: None,
        quantity: 5,
        replacement_value: Some(Decimal::new(45000, 2)),
        mode: LoanMode::FreeLoan,
        price_per_day: None,
        deposit: None,
        conditions: String::new(),
        insurance_required: false,
        min_notice_hours: 0,
        max_days: 30,
        turnaround_hours: 0,
        approval: Approval::Automatic,
        borrowers: Borrowers::Everyone,
        borrower_list: Vec::new(),
        agreement_template: String::new(),
    }
}

async fn hours(
    s: &dyn Store,
    actor_id: i64,
    user_id: i64,
    minutes: i64,
    category: &str,
    mission_id: Option<i64>,
    status: HoursStatus,
) {
    let day = NaiveDate::from_ymd_opt(2030, 5, 10).unwrap();
    s.create_hours_entry(
        NewHoursEntry {
            actor_id,
            volunteer: Volunteer::User { user_id },
            draft: HoursDraft {
                start_date: day,
                end_date: day,
                minutes,
                distance_km: Some(Decimal::new(10, 0)),
                category: category.into(),
                mission_id,
                description: String::new(),
            },
            status,
            slot_id: None,
            participation_id: None,
            ap_id: None,
        },
        None,
        None,
        at(5, 10),
    )
    .await
    .unwrap();
}

/// Builds the year; returns the id of `epicerie`.
pub async fn build(s: &dyn Store) -> i64 {
    let mut people = Vec::new();
    for name in ["alice", "bob"] {
        let u = s
            .create_user(
                NewUser::by_operator(name, Some(&format!("{name}@example.org")), None),
                at(1, 1),
            )
            .await
            .unwrap();
        people.push(u.id);
    }
    let g = group(s, "epicerie").await;
    let h = group(s, "atelier").await;
    let published = MissionStatus::Published;
    let brest = mission(s, g.id, "brest", Some(("29200", "Brest")), published).await;
    slot_taken_by(s, brest, "brest", 2, 2, &people).await;
    let plouzane = mission(s, g.id, "plouzane", Some(("29280", "Plouzané")), published).await;
    slot_taken_by(s, plouzane, "plouzane", 9, 5, &people[..1]).await;
    mission(s, g.id, "en-ligne", None, published).await;
    mission(
        s,
        g.id,
        "brouillon",
        Some(("29200", "Brest")),
        MissionStatus::Draft,
    )
    .await;

    let r = s
        .create_resource(g.id, &format!("{BASE}/r/tentes"), &tents(), at(1, 1))
        .await
        .unwrap();
    for (offer, borrower, quantity) in [("a", Some(h.id), 2), ("b", None, 1)] {
        s.reserve(
            NewReservation {
                resource_id: r.id,
                offer_id: format!("{BASE}/offers/{offer}"),
                borrower_actor_id: borrower,
                quantity,
                start: at(4, 3),
                end: at(4, 5),
                automatic: true,
                agreement_id: None,
            },
            at(3, 1),
        )
        .await
        .unwrap();
    }

    let mut rates = BTreeMap::new();
    rates.insert("transport".to_string(), Decimal::new(30, 0));
    let settings = HoursSettings {
        moderation: true,
        hourly_rate: Decimal::new(20, 0),
        category_rates: rates,
        mileage_rate: Decimal::new(1, 0),
    };
    s.set_hours_settings(g.id, &settings, at(1, 1))
        .await
        .unwrap();
    let alice = people[0];
    let validated = HoursStatus::Validated;
    hours(s, g.id, alice, 90, "accueil", Some(brest), validated).await;
    hours(s, g.id, alice, 60, "transport", None, validated).await;
    hours(s, g.id, alice, 45, "accueil", None, HoursStatus::Pending).await;
    g.id
}
