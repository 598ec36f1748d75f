//! The demo's past and what waits for the coordinators: a mission of the épicerie whose two
//! slots are over (signed up for a month ago, attendance marked now, which validates hours),
//! hours typed by the volunteers (one validated, two waiting), two attestations (one confirmed,
//! one waiting), and a coming mission on request with a sign-up to answer.

use super::{went_through, Demo, Made, DEMO_ASSOCIATION};
use crate::{
    domain::{account::User, hours::HoursInput, mission::MissionInput, slot::SlotInput},
    service::{
        attestations::{self, AttestationInput},
        hours::{self, Attendance, Mark},
        missions,
        slots::{self, NewSlots},
    },
};
use chrono::Duration;

/// A mission of the épicerie with slots on these days (from today) from `from` to `to` o'clock,
/// created at `created`; returns the slots' ids.
async fn mission_with_slots(
    d: &Demo<'_>,
    title: &str,
    description: &str,
    join_mode: &str,
    days: &[i64],
    (from, to): (u32, u32),
    created: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<i64>> {
    let (first, last) = match (days.first(), days.last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => anyhow::bail!("demo: a mission needs days"),
    };
    let input = MissionInput {
        title: Some(title.into()),
        description: Some(description.into()),
        category: Some("solidarity".into()),
        skills: Some(vec!["logistique".into()]),
        place_name: Some("Épicerie solidaire".into()),
        street_address: Some("12 rue Sisley".into()),
        postal_code: Some("29200".into()),
        locality: Some("Brest".into()),
        latitude: Some(48.4036),
        longitude: Some(-4.5063),
        online: Some(false),
        start_time: Some(d.at(first, from)?.to_rfc3339()),
        end_time: Some(d.at(last, to)?.to_rfc3339()),
        capacity: Some(6),
        join_mode: Some(join_mode.into()),
        ..Default::default()
    };
    let mission = missions::create(
        d.store,
        d.config,
        &d.coordinator,
        DEMO_ASSOCIATION,
        input,
        created,
    )
    .await?;
    let mut wanted = Vec::new();
    for day in days {
        wanted.push(SlotInput {
            start_time: Some(d.at(*day, from)?.to_rfc3339()),
            end_time: Some(d.at(*day, to)?.to_rfc3339()),
            capacity: Some(6),
        });
    }
    let new = NewSlots {
        slots: wanted,
        rule: None,
    };
    let made = slots::add(d.store, d.config, &d.coordinator, mission.id, new, created).await?;
    Ok(made.into_iter().map(|s| s.id).collect())
}

/// Signs `user` up for the slot at `at`; the participation's id.
async fn sign_up(
    d: &Demo<'_>,
    user: &User,
    slot_id: i64,
    at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<i64> {
    let p = slots::sign_up(d.store, d.config, user, slot_id, "", at).await?;
    Ok(went_through(p)?.id)
}

/// Hours `user` types for the épicerie, `days_ago` days ago.
async fn log(
    d: &Demo<'_>,
    user: &User,
    days_ago: i64,
    minutes: i64,
    what: &str,
) -> anyhow::Result<i64> {
    let input = HoursInput {
        association: Some(DEMO_ASSOCIATION.into()),
        date: Some((d.today - Duration::days(days_ago)).to_string()),
        minutes: Some(minutes),
        category: Some("solidarity".into()),
        description: Some(what.into()),
        ..Default::default()
    };
    Ok(hours::log_mine(d.store, d.config, user, input, d.now)
        .await?
        .id)
}

/// The past, the hours, the attestations and a sign-up to answer.
pub(super) async fn history(
    d: &Demo<'_>,
    made: &[Made],
    camille: &User,
    yann: &User,
) -> anyhow::Result<()> {
    let (store, config, coordinator) = (d.store, d.config, &d.coordinator);
    // A month ago: a mission with two slots, two and one weeks ago; both volunteers sign up.
    let month_ago = d.now - Duration::days(30);
    let past = mission_with_slots(
        d,
        "Inventaire de la réserve",
        "Compter les conserves et les produits secs, noter les dates limites, ranger la réserve.",
        "free",
        &[-14, -7],
        (9, 12),
        month_ago,
    )
    .await?;
    let mut marks = Vec::new();
    for (i, slot) in past.iter().enumerate() {
        let signed_up = month_ago + Duration::hours(1 + i as i64);
        let c = sign_up(d, camille, *slot, signed_up).await?;
        let y = sign_up(d, yann, *slot, signed_up).await?;
        // The first time both came; the second time Yann could not.
        marks.push((*slot, c, y, i == 0));
    }
    // Now: the coordinator marks who came; a presence counts as validated hours.
    for (slot, c, y, yann_came) in marks {
        let attendance = Attendance {
            marks: vec![
                Mark {
                    participation_id: c,
                    present: true,
                    minutes: None,
                },
                Mark {
                    participation_id: y,
                    present: yann_came,
                    minutes: None,
                },
            ],
        };
        hours::mark_attendance(store, config, coordinator, slot, attendance, d.now).await?;
    }
    // Hours typed by the volunteers: the coordinators validate them (one is done, two wait).
    let sorted = log(d, camille, 5, 120, "Tri des dons de la collecte").await?;
    hours::decide(store, coordinator, sorted, true, "", d.now).await?;
    log(d, camille, 2, 90, "Permanence téléphonique").await?;
    log(d, yann, 3, 150, "Livraison de colis à domicile").await?;
    // Attestations of the month: Camille's is confirmed, Yann's waits.
    for who in [camille, yann] {
        let input = AttestationInput {
            association: Some(DEMO_ASSOCIATION.into()),
            from: Some((d.today - Duration::days(30)).to_string()),
            to: Some(d.today.to_string()),
        };
        let (asked, _) = attestations::request(store, config, who, input, d.now).await?;
        if who.id == camille.id {
            attestations::confirm(store, coordinator, asked.id, d.now).await?;
        }
    }
    // To come: a mission on request, Yann's sign-up waits for an answer; Camille takes a
    // place at the épicerie's till.
    let on_request = mission_with_slots(
        d,
        "Préparation des colis d'urgence",
        "Composer des colis pour les familles orientées par les assistantes sociales.",
        "restricted",
        &[5],
        (14, 17),
        d.now,
    )
    .await?;
    for slot in on_request {
        sign_up(d, yann, slot, d.now).await?;
    }
    if let Some(till) = made
        .iter()
        .find(|m| m.association == DEMO_ASSOCIATION && m.slot_id != 0)
    {
        sign_up(d, camille, till.slot_id, d.now).await?;
    }
    Ok(())
}
