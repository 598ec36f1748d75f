//! Volunteer hours (`HoursStore`): an association's settings, entries with their event and
//! their history row written together, listing filters, and the ids that cross servers.

use crate::fixtures::*;
use chrono::NaiveDate;
use entraide::{
    domain::{
        events::Outgoing,
        hours::{HoursDraft, HoursSettings, HoursStatus, Volunteer},
    },
    storage::{HoursQuery, NewHoursEntry, Store, StoreError},
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

on_both_backends!(hours_settings, hours_entries, hours_changes_and_history);

pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 1, d).unwrap()
}

pub fn hours_draft(d: u32, minutes: i64) -> HoursDraft {
    HoursDraft {
        start_date: day(d),
        end_date: day(d),
        minutes,
        distance_km: Some(Decimal::new(125, 1)),
        category: "accueil".into(),
        mission_id: None,
        description: format!("day {d}"),
    }
}

pub fn entry(actor_id: i64, volunteer: Volunteer, d: u32, status: HoursStatus) -> NewHoursEntry {
    NewHoursEntry {
        actor_id,
        volunteer,
        draft: hours_draft(d, 90),
        status,
        slot_id: None,
        participation_id: None,
        ap_id: None,
    }
}

async fn hours_settings(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    assert_eq!(s.hours_settings(g.id).await.unwrap(), None);
    let mut rates = BTreeMap::new();
    rates.insert("transport".to_string(), Decimal::new(1525, 2));
    let chosen = HoursSettings {
        moderation: false,
        hourly_rate: Decimal::new(1234, 2),
        category_rates: rates,
        mileage_rate: Decimal::new(45, 2),
    };
    s.set_hours_settings(g.id, &chosen, t(1)).await.unwrap();
    assert_eq!(s.hours_settings(g.id).await.unwrap(), Some(chosen));
    assert_eq!(s.hours_settings(h.id).await.unwrap(), None);
    // Saved again: replaced whole.
    s.set_hours_settings(g.id, &HoursSettings::default(), t(2))
        .await
        .unwrap();
    assert_eq!(
        s.hours_settings(g.id).await.unwrap(),
        Some(HoursSettings::default())
    );
}

async fn hours_entries(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    take_events(s).await;

    // Read back whole, with the user's name.
    let mut new = entry(
        g.id,
        Volunteer::User { user_id: alice.id },
        3,
        HoursStatus::Pending,
    );
    new.draft.mission_id = Some(m.id);
    let a3 = s
        .create_hours_entry(new, Some(alice.id), None, t(1))
        .await
        .unwrap();
    assert_eq!(a3.actor_id, g.id);
    assert_eq!(a3.volunteer, Volunteer::User { user_id: alice.id });
    assert_eq!(a3.user_name.as_deref(), Some("alice"));
    assert_eq!(a3.draft.mission_id, Some(m.id));
    assert_eq!(a3.draft.distance_km, Some(Decimal::new(125, 1)));
    assert_eq!((a3.status, a3.reason.as_str()), (HoursStatus::Pending, ""));
    assert_eq!(
        (a3.created_by, a3.created_at, a3.updated_at),
        (Some(alice.id), t(1), t(1))
    );
    assert_eq!(s.get_hours_entry(a3.id).await.unwrap(), a3);
    assert!(matches!(
        s.get_hours_entry(a3.id + 1000).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        take_events(s).await.is_empty(),
        "no event asked, none recorded"
    );

    // Hours sent to another server: the event, given the new id, is recorded with it.
    let mut sent = entry(
        h.id,
        Volunteer::User { user_id: alice.id },
        5,
        HoursStatus::Pending,
    );
    sent.ap_id = Some(format!("{BASE}/hours/1"));
    let offered = |entry_id| Outgoing::HoursOffered {
        entry_id,
        update: false,
    };
    let a5 = s
        .create_hours_entry(sent.clone(), Some(alice.id), Some(offered), t(2))
        .await
        .unwrap();
    assert_eq!(take_events(s).await, vec![offered(a5.id)]);
    assert_eq!(
        s.find_hours_entry_by_ap_id(&format!("{BASE}/hours/1"))
            .await
            .unwrap(),
        Some(a5.clone())
    );
    assert_eq!(
        s.find_hours_entry_by_ap_id("https://x.example/h")
            .await
            .unwrap(),
        None
    );
    // The same `EconomicEvent` twice: a conflict, and its event is not recorded either.
    assert!(matches!(
        s.create_hours_entry(sent, Some(alice.id), Some(offered), t(3))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(take_events(s).await.is_empty());

    // A guest, and a person of another server, as recorded.
    let guest = s
        .create_hours_entry(
            entry(
                g.id,
                Volunteer::Guest {
                    name: "Zoé".into()
                },
                4,
                HoursStatus::Validated,
            ),
            None,
            None,
            t(3),
        )
        .await
        .unwrap();
    assert_eq!(
        guest.volunteer,
        Volunteer::Guest {
            name: "Zoé".into()
        }
    );
    assert_eq!(guest.user_name, None);
    let remote = Volunteer::Remote {
        actor_ap_id: "https://remote.example/u/zoe".into(),
        name: "Zoé R.".into(),
    };
    let mut theirs = entry(g.id, remote.clone(), 4, HoursStatus::Validated);
    theirs.ap_id = Some("https://remote.example/hours/9".into());
    let r4 = s
        .create_hours_entry(theirs, None, None, t(4))
        .await
        .unwrap();
    assert_eq!(r4.volunteer, remote);
    let b1 = s
        .create_hours_entry(
            entry(
                g.id,
                Volunteer::User { user_id: bob.id },
                1,
                HoursStatus::Refused,
            ),
            None,
            None,
            t(4),
        )
        .await
        .unwrap();

    // Listed by day, latest first (then newest), with every filter.
    let list =
        |q: HoursQuery| async move { ids(&s.list_hours_entries(q).await.unwrap(), |e| e.id) };
    let all = HoursQuery {
        limit: 100,
        ..HoursQuery::default()
    };
    assert_eq!(
        list(all.clone()).await,
        vec![a5.id, r4.id, guest.id, a3.id, b1.id]
    );
    assert_eq!(
        list(HoursQuery {
            limit: 2,
            ..all.clone()
        })
        .await,
        vec![a5.id, r4.id]
    );
    assert_eq!(
        list(HoursQuery {
            actor_id: Some(g.id),
            ..all.clone()
        })
        .await,
        vec![r4.id, guest.id, a3.id, b1.id]
    );
    assert_eq!(
        list(HoursQuery {
            user_id: Some(alice.id),
            ..all.clone()
        })
        .await,
        vec![a5.id, a3.id]
    );
    assert_eq!(
        list(HoursQuery {
            from: Some(day(3)),
            to: Some(day(4)),
            ..all.clone()
        })
        .await,
        vec![r4.id, guest.id, a3.id]
    );
    assert_eq!(
        list(HoursQuery {
            status: Some(HoursStatus::Validated),
            actor_id: Some(g.id),
            ..all.clone()
        })
        .await,
        vec![r4.id, guest.id]
    );
    assert!(list(HoursQuery {
        actor_id: Some(g.id + h.id + 1000),
        ..all.clone()
    })
    .await
    .is_empty());

    // Oldest first in keyset chunks: each chunk starts after the last (day, id) read, and an
    // entry added meanwhile before that place shifts nothing.
    let chunk = |after: Option<(chrono::NaiveDate, i64)>| {
        let q = HoursQuery {
            limit: 2,
            ..all.clone()
        };
        async move { s.hours_entries_after(q, after).await.unwrap() }
    };
    let first = chunk(None).await;
    assert_eq!(ids(&first, |e| e.id), vec![b1.id, a3.id]);
    s.create_hours_entry(
        entry(
            g.id,
            Volunteer::User { user_id: bob.id },
            2,
            HoursStatus::Pending,
        ),
        None,
        None,
        t(5),
    )
    .await
    .unwrap();
    let key = |e: &entraide::domain::hours::HoursEntry| Some((e.draft.start_date, e.id));
    let second = chunk(key(&first[1])).await;
    assert_eq!(ids(&second, |e| e.id), vec![guest.id, r4.id]);
    let third = chunk(key(&second[1])).await;
    assert_eq!(ids(&third, |e| e.id), vec![a5.id]);
    assert!(chunk(key(&third[0])).await.is_empty());
    let of_g = s
        .hours_entries_after(
            HoursQuery {
                actor_id: Some(g.id),
                from: Some(day(4)),
                ..all
            },
            key(&guest),
        )
        .await
        .unwrap();
    assert_eq!(ids(&of_g, |e| e.id), vec![r4.id]);
}

async fn hours_changes_and_history(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, coordinator] = users(s, ["alice", "coord"]).await;
    let created = s
        .create_hours_entry(
            entry(
                g.id,
                Volunteer::User { user_id: alice.id },
                3,
                HoursStatus::Pending,
            ),
            Some(alice.id),
            None,
            t(1),
        )
        .await
        .unwrap();

    // A change writes the entry, its history row and its event together.
    let answered = Outgoing::HoursAnswered {
        entry_id: created.id,
    };
    let changed = s
        .update_hours_entry(
            created.id,
            hours_draft(4, 120),
            HoursStatus::Refused,
            "trop long",
            Some(coordinator.id),
            Some(&answered),
            t(5),
        )
        .await
        .unwrap();
    assert_eq!(changed.draft, hours_draft(4, 120));
    assert_eq!(
        (changed.status, changed.reason.as_str()),
        (HoursStatus::Refused, "trop long")
    );
    assert_eq!((changed.created_at, changed.updated_at), (t(1), t(5)));
    assert_eq!(s.get_hours_entry(created.id).await.unwrap(), changed);
    assert_eq!(take_events(s).await, vec![answered]);
    assert!(matches!(
        s.update_hours_entry(
            created.id + 1000,
            hours_draft(4, 1),
            HoursStatus::Pending,
            "",
            None,
            None,
            t(6)
        )
        .await,
        Err(StoreError::NotFound(_))
    ));

    // Deleted: gone, with its last history row and its event.
    let withdrawn = Outgoing::HoursWithdrawn {
        user_id: alice.id,
        association_actor_id: g.id,
        ap_id: format!("{BASE}/hours/1"),
    };
    s.delete_hours_entry(created.id, Some(alice.id), Some(&withdrawn), t(7))
        .await
        .unwrap();
    assert!(matches!(
        s.get_hours_entry(created.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(take_events(s).await, vec![withdrawn]);
    assert!(matches!(
        s.delete_hours_entry(created.id, None, None, t(8)).await,
        Err(StoreError::NotFound(_))
    ));

    // The history outlives the entry: creation, change, deletion, each whole.
    let history = s.hours_history(created.id).await.unwrap();
    let as_json = |e: &entraide::domain::hours::HoursEntry| serde_json::to_value(e).unwrap();
    let got: Vec<_> = history
        .iter()
        .map(|h| {
            (
                h.entry_id,
                h.changed_by,
                h.changed_at,
                h.before.clone(),
                h.after.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                created.id,
                Some(alice.id),
                t(1),
                None,
                Some(as_json(&created))
            ),
            (
                created.id,
                Some(coordinator.id),
                t(5),
                Some(as_json(&created)),
                Some(as_json(&changed))
            ),
            (
                created.id,
                Some(alice.id),
                t(7),
                Some(as_json(&changed)),
                None
            ),
        ]
    );
    assert!(history[0].id < history[1].id && history[1].id < history[2].id);
    assert!(s.hours_history(created.id + 1000).await.unwrap().is_empty());
}
