//! "Aidez-moi à trouver" in the demo: the demo's coordinator is also a référent of the node, and
//! two people have asked for help (one to be called back, one by email), so that the référents'
//! pages show a list, a request's matches and its proposals at once.

use super::Demo;
use crate::domain::{
    help::HelpDraft,
    volunteer::{Availability, DayPart, Profile},
};
use chrono::Duration;

pub(super) async fn requests(d: &Demo<'_>) -> anyhow::Result<()> {
    if !d.config.help.enabled {
        return Ok(());
    }
    d.store.add_referent(d.coordinator.id, d.now).await?;
    let mornings = (0..5u8)
        .map(|day| Availability {
            day,
            part: DayPart::Morning,
        })
        .collect();
    let asks = [
        HelpDraft {
            name: "Monique".into(),
            wishes:
                "Je suis à la retraite depuis peu, j'aimerais aider à l'accueil ou en cuisine, \
                     près de chez moi."
                    .into(),
            when_note: "Les matins de semaine.".into(),
            wish: Profile {
                interests: vec!["solidarity".into()],
                availability: mornings,
                home_town: "Brest".into(),
                home_latitude: Some(48.3904),
                home_longitude: Some(-4.4861),
                travel_km: Some(5.0),
                ..Profile::default()
            },
            phone: "02 98 00 00 00".into(),
            channel: "phone".into(),
            consent: true,
            language: "fr".into(),
            ..HelpDraft::default()
        },
        HelpDraft {
            name: "Jean".into(),
            wishes: "Donner un coup de main dehors, nettoyage de plage ou jardin.".into(),
            when_note: "Le week-end.".into(),
            wish: Profile {
                interests: vec!["environment".into()],
                home_town: "Guipavas".into(),
                home_latitude: Some(48.4347),
                home_longitude: Some(-4.3997),
                travel_km: Some(20.0),
                ..Profile::default()
            },
            email: "jean@example.org".into(),
            consent: true,
            language: "fr".into(),
            ..HelpDraft::default()
        },
    ];
    for (i, ask) in asks.into_iter().enumerate() {
        let checked = ask.check()?;
        let when = d.now - Duration::hours(30 - 24 * i as i64);
        d.store.create_help_request(&checked, None, when).await?;
    }
    Ok(())
}
