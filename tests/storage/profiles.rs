//! Volunteer profiles (`ProfileStore`): kept whole, replaced whole, and offered to associations
//! only with the volunteer's agreement.

use crate::fixtures::*;
use entraide::{
    domain::volunteer::{Availability, DayPart, Profile},
    storage::Store,
};

on_both_backends!(profiles);

fn profile(town: &str, suggestable: bool) -> Profile {
    Profile {
        skills: vec!["cuisine".into(), "bricolage".into()],
        availability: vec![
            Availability {
                day: 6,
                part: DayPart::Morning,
            },
            Availability {
                day: 0,
                part: DayPart::Evening,
            },
        ],
        home_town: town.into(),
        home_latitude: Some(48.39),
        home_longitude: Some(-4.49),
        travel_km: Some(12.5),
        interests: vec!["solidarity".into()],
        suggestable,
    }
}

async fn profiles(s: &dyn Store) {
    let [alice, bob, carol] = users(s, ["alice", "bob", "carol"]).await;
    assert_eq!(s.get_profile(alice.id).await.unwrap(), None);
    assert!(s.suggestable_profiles().await.unwrap().is_empty());

    // Read back exactly as written.
    s.set_profile(alice.id, &profile("Brest", true), t(1))
        .await
        .unwrap();
    assert_eq!(
        s.get_profile(alice.id).await.unwrap(),
        Some(profile("Brest", true))
    );
    s.set_profile(carol.id, &profile("Quimper", true), t(1))
        .await
        .unwrap();
    // Private by default: not suggested.
    s.set_profile(bob.id, &Profile::default(), t(1))
        .await
        .unwrap();
    assert_eq!(
        s.get_profile(bob.id).await.unwrap(),
        Some(Profile::default())
    );

    // Only those who agreed, by user.
    let offered = s.suggestable_profiles().await.unwrap();
    let got: Vec<(&str, &str)> = offered
        .iter()
        .map(|(u, p)| (u.name.as_str(), p.home_town.as_str()))
        .collect();
    assert_eq!(got, vec![("alice", "Brest"), ("carol", "Quimper")]);
    assert_eq!(offered[0].0, alice);

    // A second save replaces the first, agreement included.
    let minimal = Profile {
        skills: vec!["accueil".into()],
        ..Profile::default()
    };
    s.set_profile(alice.id, &minimal, t(2)).await.unwrap();
    assert_eq!(s.get_profile(alice.id).await.unwrap(), Some(minimal));
    let offered = s.suggestable_profiles().await.unwrap();
    assert_eq!(ids(&offered, |(u, _)| u.id), vec![carol.id]);
}
