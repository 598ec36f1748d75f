//! The demo's equipment: three resources with a photo each, and loans of the épicerie's tables
//! in every state (requested, accepted, picked up, returned, refused, cancelled). Past loans are
//! asked, accepted and handed over at their own time (an earlier `now`).

use super::{images, Demo, DEMO_ASSOCIATION};
use crate::{
    domain::resource::ResourceInput,
    service::{
        files,
        reservations::{self, Move, ReservationInput},
        resources,
    },
};
use chrono::Duration;

/// Equipment to lend, with photos, and loans in every state.
pub(super) async fn equipment(d: &Demo<'_>) -> anyhow::Result<()> {
    let (store, config, user, now) = (d.store, d.config, &d.coordinator, d.now);
    // Created a month ago, so that the loans of the last weeks are asked of existing equipment.
    let since = now - Duration::days(30);
    let json = |s: &str| Some(serde_json::Value::String(s.into()));
    let items = [
        (
            DEMO_ASSOCIATION,
            ResourceInput {
                name: Some("Tables pliantes".into()),
                description: Some("Tables de 180 × 80 cm, pliantes, avec leurs housses.".into()),
                category: Some("furniture".into()),
                quantity: Some(20),
                approval: Some("manual".into()),
                place: Some("Épicerie solidaire, 12 rue Sisley, Brest".into()),
                latitude: Some(48.4036),
                longitude: Some(-4.5063),
                min_notice_hours: Some(24),
                max_days: Some(5),
                turnaround_hours: Some(12),
                replacement_value: json("45"),
                deposit: json("100"),
                ..Default::default()
            },
            ([196, 84, 46], images::Shape::Table),
        ),
        (
            "repair-cafe-landerneau",
            ResourceInput {
                name: Some("Tente de réception 3 × 6 m".into()),
                description: Some(
                    "Barnum blanc avec côtés, montage à quatre personnes en 30 minutes.".into(),
                ),
                category: Some("tent".into()),
                quantity: Some(2),
                mode: Some("rental".into()),
                price_per_day: json("15"),
                deposit: json("200"),
                replacement_value: json("650"),
                insurance_required: Some(true),
                place: Some("Salle Saint-Ernel, Landerneau".into()),
                min_notice_hours: Some(72),
                max_days: Some(4),
                turnaround_hours: Some(24),
                conditions: Some(
                    "Rendre la tente sèche, ou la faire sécher dans les 48 heures.".into(),
                ),
                ..Default::default()
            },
            ([46, 125, 90], images::Shape::Tent),
        ),
        (
            "littoral-plouzane",
            ResourceInput {
                name: Some("Sono portable".into()),
                description: Some("Enceinte sur batterie avec deux micros sans fil.".into()),
                category: Some("sound_light".into()),
                quantity: Some(1),
                replacement_value: json("400"),
                place: Some("Plouzané".into()),
                min_notice_hours: Some(48),
                max_days: Some(3),
                ..Default::default()
            },
            ([30, 110, 160], images::Shape::Ring),
        ),
    ];
    let mut tables = None;
    let geocoder = crate::service::places::Geocoder::new(&config.places);
    for (owner, input, (colour, shape)) in items {
        let r = resources::create(store, config, &geocoder, user, owner, input, since).await?;
        let photo = images::png(400, 300, colour, shape)?;
        files::attach(store, user, r.id, "photo", "photo.png", &photo, since).await?;
        if owner == DEMO_ASSOCIATION {
            tables = Some(r.id);
        }
    }
    let Some(tables) = tables else {
        return Ok(());
    };
    // (asked, from, to in days from today, borrower, quantity, key, then what happened: each
    // step with the day it happened)
    type Loan = (
        i64,
        (i64, u32),
        (i64, u32),
        &'static str,
        i64,
        &'static str,
        &'static [(Move, i64, &'static str)],
    );
    const LOANS: &[Loan] = &[
        // Waits for an answer.
        (
            0,
            (9, 9),
            (9, 19),
            "francais-pour-tous",
            8,
            "demo-tables",
            &[],
        ),
        // To hand over the day after tomorrow.
        (
            -3,
            (2, 9),
            (2, 18),
            "repair-cafe-landerneau",
            6,
            "demo-tables-accepted",
            &[(Move::Accept, -2, "")],
        ),
        // Handed over two days ago, back tomorrow.
        (
            -10,
            (-2, 9),
            (1, 18),
            "littoral-plouzane",
            4,
            "demo-tables-out",
            &[
                (Move::Accept, -9, ""),
                (
                    Move::PickUp,
                    -2,
                    "Quatre tables en bon état, housses comprises.",
                ),
            ],
        ),
        // Lent and back.
        (
            -20,
            (-15, 9),
            (-13, 18),
            "francais-pour-tous",
            10,
            "demo-tables-back",
            &[
                (Move::Accept, -19, ""),
                (Move::PickUp, -15, "Dix tables, une housse déchirée."),
                (Move::Return, -13, "Tout est revenu propre."),
            ],
        ),
        // Refused, with its reason.
        (
            -5,
            (4, 9),
            (4, 18),
            "repair-cafe-landerneau",
            18,
            "demo-tables-refused",
            &[(
                Move::Refuse,
                -4,
                "Les tables servent à notre propre distribution ce jour-là.",
            )],
        ),
        // Accepted, then called off.
        (
            -6,
            (12, 9),
            (12, 18),
            "littoral-plouzane",
            5,
            "demo-tables-cancelled",
            &[
                (Move::Accept, -5, ""),
                (Move::Cancel, -1, "La fête de quartier est reportée."),
            ],
        ),
    ];
    for (asked, (from_day, from_hour), (to_day, to_hour), borrower, quantity, key, steps) in LOANS {
        let asked_at = d.now + Duration::days(*asked);
        let input = ReservationInput {
            borrower: Some(borrower.to_string()),
            quantity: Some(*quantity),
            start: Some(d.at(*from_day, *from_hour)?),
            end: Some(d.at(*to_day, *to_hour)?),
            offer_id: Some(key.to_string()),
        };
        let (outcome, _) =
            reservations::request(store, config, user, tables, input, asked_at).await?;
        let id = outcome.reservation().id;
        for (step, day, text) in *steps {
            // At the same hour as the request, on the day it happened (never after now).
            let at = (d.now + Duration::days(*day)).min(d.now);
            reservations::move_on(store, config, user, id, *step, text, at).await?;
        }
    }
    Ok(())
}
