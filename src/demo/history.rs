//! The demo's past and what waits for the coordinators, at the friends of the shore: a mission
//! whose two slots are over (signed up for a month ago, attendance marked now, which validates
//! hours), hours typed by Yann (one validated, two waiting), two attestations (one confirmed,
//! one waiting), and Yann signed up for the coming beach cleaning.

use super::{went_through, Demo, Made, DEMO_HISTORY};
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

/// A mission of the friends of the shore with slots on these days (from today) from `from` to `to` o'clock,
/// created at `created`; returns the slots' ids.
async fn mission_with_slots(
    d: &Demo<'_>,
    title: &str,
    description: &str,
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
        category: Some("environment".into()),
        skills: Some(vec!["observation".into()]),
        place_name: Some("Plage du Minou".into()),
        street_address: Some(String::new()),
        postal_code: Some("29280".into()),
        locality: Some("Plouzané".into()),
        latitude: Some(48.3417),
        longitude: Some(-4.6153),
        online: Some(false),
        start_time: Some(d.at(first, from)?.to_rfc3339()),
        end_time: Some(d.at(last, to)?.to_rfc3339()),
        capacity: Some(6),
        ..Default::default()
    };
    let mission = missions::create(
        d.store,
        d.config,
        &crate::service::places::Geocoder::new(&d.config.places),
        &d.coordinator,
        DEMO_HISTORY,
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

/// Hours `user` types for the friends of the shore, `days_ago` days ago.
async fn log(
    d: &Demo<'_>,
    user: &User,
    days_ago: i64,
    minutes: i64,
    what: &str,
) -> anyhow::Result<i64> {
    let input = HoursInput {
        association: Some(DEMO_HISTORY.into()),
        date: Some((d.today - Duration::days(days_ago)).to_string()),
        minutes: Some(minutes),
        category: Some("environment".into()),
        description: Some(what.into()),
        ..Default::default()
    };
    Ok(hours::log_mine(d.store, d.config, user, input, d.now)
        .await?
        .id)
}

/// The past, the hours, the attestations, and a coming sign-up.
pub(super) async fn history(d: &Demo<'_>, made: &[Made], yann: &User) -> anyhow::Result<()> {
    let (store, config, coordinator) = (d.store, d.config, &d.coordinator);
    // A month ago: a count of the birds on the shore, two and one weeks ago; Yann signs up,
    // and the coordinator signs up a neighbour without an account.
    let month_ago = d.now - Duration::days(30);
    let past = mission_with_slots(
        d,
        "Comptage des oiseaux du littoral",
        "Compter les oiseaux de l'estran à marée basse avec un ornithologue de l'association.",
        &[-14, -7],
        (9, 12),
        month_ago,
    )
    .await?;
    let mut marks = Vec::new();
    for (i, slot) in past.iter().enumerate() {
        let signed_up = month_ago + Duration::hours(1 + i as i64);
        let y = sign_up(d, yann, *slot, signed_up).await?;
        let guest = slots::sign_up_guest(
            store,
            config,
            coordinator,
            *slot,
            "Maëlle Guivarc'h",
            "06 12 34 56 78",
            signed_up,
        )
        .await?;
        // Both came the first time; the second time Maëlle could not.
        marks.push((*slot, y, went_through(guest)?.id, i == 0));
    }
    // Now: the coordinator marks who came; a presence counts as validated hours.
    for (slot, y, guest, guest_came) in marks {
        let attendance = Attendance {
            marks: vec![
                Mark {
                    participation_id: y,
                    present: true,
                    minutes: None,
                },
                Mark {
                    participation_id: guest,
                    present: guest_came,
                    minutes: None,
                },
            ],
        };
        hours::mark_attendance(store, config, coordinator, slot, attendance, d.now).await?;
    }
    // Hours Yann typed: the coordinators validate them (one is done, two wait).
    let sorted = log(d, yann, 12, 120, "Tri des déchets ramassés sur la plage").await?;
    hours::decide(store, coordinator, sorted, true, "", d.now).await?;
    log(d, yann, 5, 90, "Préparation du panneau d'information").await?;
    log(d, yann, 2, 60, "Relevé des laisses de mer").await?;
    // Attestations: the first two weeks confirmed, the last ones waiting.
    for (from, to, confirmed) in [(30, 10, true), (9, 0, false)] {
        let input = AttestationInput {
            association: Some(DEMO_HISTORY.into()),
            from: Some((d.today - Duration::days(from)).to_string()),
            to: Some((d.today - Duration::days(to)).to_string()),
        };
        let (asked, _) = attestations::request(store, config, yann, input, d.now).await?;
        if confirmed {
            attestations::confirm(store, coordinator, asked.id, d.now).await?;
        }
    }
    // To come: Yann takes a place at the next beach cleaning.
    if let Some(beach) = made
        .iter()
        .find(|m| m.association == DEMO_HISTORY && m.slot_id != 0)
    {
        sign_up(d, yann, beach.slot_id, d.now).await?;
    }
    Ok(())
}
