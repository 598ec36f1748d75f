//! The territory's dashboard (`StatisticsStore`): a node's counts for a year, grouped by month
//! and place in one statement per kind (local data only, drafts, pending hours, refused or
//! personal loans and other years left out), and the figures an aggregator keeps of each
//! source, one copy per source and year.

use crate::fixtures::*;
use crate::territory_scene;
use entraide::{
    domain::{
        aggregator::{NewSource, SourceKind},
        territory::YearBounds,
    },
    storage::{MissionPlace, Store},
};

on_both_backends!(a_nodes_counts_for_a_year, figures_kept_per_source_and_year);

fn place(postal_code: &str, locality: &str, online: bool) -> MissionPlace {
    MissionPlace {
        postal_code: postal_code.into(),
        locality: locality.into(),
        online,
    }
}

async fn a_nodes_counts_for_a_year(s: &dyn Store) {
    let bounds = YearBounds::new(2030, chrono_tz::UTC).unwrap();
    let empty = s.node_counts(&bounds).await.unwrap();
    assert!(empty.missions.is_empty() && empty.loans.is_empty() && empty.minutes.is_empty());
    assert_eq!(empty.volunteers_total, 0);

    let epicerie = territory_scene::build(s).await;
    let mut c = s.node_counts(&bounds).await.unwrap();
    c.missions.sort_by(|a, b| a.place.cmp(&b.place));
    let missions: Vec<_> = c
        .missions
        .iter()
        .map(|m| (m.month, m.place.clone(), m.published, m.filled))
        .collect();
    assert_eq!(
        missions,
        vec![
            (1, place("", "", true), 1, 0),
            (1, place("29200", "Brest", false), 1, 1),
            (1, place("29280", "Plouzané", false), 1, 0),
        ]
    );
    c.volunteers
        .sort_by(|a, b| (a.month, &a.place).cmp(&(b.month, &b.place)));
    let volunteers: Vec<_> = c
        .volunteers
        .iter()
        .map(|v| (v.month, v.place.postal_code.as_str(), v.volunteers))
        .collect();
    assert_eq!(
        volunteers,
        vec![
            (0, "29200", 2),
            (0, "29280", 1),
            (3, "29200", 2),
            (3, "29280", 1)
        ]
    );
    assert_eq!(c.volunteers_total, 2);
    assert_eq!(c.loans.len(), 1);
    let loan = &c.loans[0];
    assert_eq!(
        (loan.month, loan.place.as_str(), loan.loans, loan.quantity),
        (4, "Brest", 1, 2)
    );
    assert_eq!(
        loan.replacement_value
            .as_deref()
            .map(|v| v.parse::<rust_decimal::Decimal>().unwrap()),
        Some(rust_decimal::Decimal::new(450, 0))
    );
    c.minutes.sort_by(|a, b| a.category.cmp(&b.category));
    let minutes: Vec<_> = c
        .minutes
        .iter()
        .map(|m| {
            (
                m.month,
                m.actor_id,
                m.category.as_str(),
                m.place.clone(),
                m.minutes,
            )
        })
        .collect();
    assert_eq!(
        minutes,
        vec![
            (
                5,
                epicerie,
                "accueil",
                Some(place("29200", "Brest", false)),
                90
            ),
            (5, epicerie, "transport", None, 60),
        ]
    );
    assert_eq!(c.settings.len(), 1);
    assert_eq!(c.settings[0].0, epicerie);
    assert_eq!(
        c.settings[0].1.hourly_rate,
        rust_decimal::Decimal::new(20, 0)
    );

    // Another year counts nothing of this one.
    let next = s
        .node_counts(&YearBounds::new(2031, chrono_tz::UTC).unwrap())
        .await
        .unwrap();
    assert!(next.missions.is_empty() && next.volunteers.is_empty() && next.minutes.is_empty());
    assert!(next.loans.is_empty() && next.settings.is_empty());
}

async fn figures_kept_per_source_and_year(s: &dyn Store) {
    let source = |host: &str| NewSource {
        input: format!("https://{host}"),
        actor_ap_id: format!("https://{host}/relay"),
        kind: SourceKind::Entraide,
        host: host.into(),
        collection: format!("https://{host}/relay/current"),
    };
    let a = s.add_source(source("a.example"), t(0)).await.unwrap();
    let b = s.add_source(source("b.example"), t(0)).await.unwrap();
    assert!(s.list_source_figures(2030).await.unwrap().is_empty());
    s.save_source_figures(a.id, 2030, Some("{\"first\":1}"), t(1))
        .await
        .unwrap();
    s.save_source_figures(b.id, 2030, None, t(1)).await.unwrap();
    s.save_source_figures(a.id, 2029, Some("{\"old\":1}"), t(1))
        .await
        .unwrap();
    // Fetched again: replaced, not added.
    s.save_source_figures(a.id, 2030, Some("{\"second\":2}"), t(5))
        .await
        .unwrap();
    let kept = s.list_source_figures(2030).await.unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!(
        (
            kept[0].source_id,
            kept[0].year,
            kept[0].body.as_deref(),
            kept[0].fetched_at
        ),
        (a.id, 2030, Some("{\"second\":2}"), t(5))
    );
    assert_eq!((kept[1].source_id, kept[1].body.as_deref()), (b.id, None));
    assert_eq!(
        s.list_source_figures(2029).await.unwrap()[0]
            .body
            .as_deref(),
        Some("{\"old\":1}")
    );
    // A source removed takes its figures with it.
    s.remove_source(a.id).await.unwrap();
    let kept = s.list_source_figures(2030).await.unwrap();
    assert_eq!(ids(&kept, |k| k.source_id), vec![b.id]);
}
