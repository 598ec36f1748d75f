//! Demo mode: fills an empty node with associations and missions of the pays de Brest, so a
//! newcomer sees a living node at once. Does nothing when associations already exist.

use crate::{
    domain::volunteer::{Availability, DayPart, Profile},
    domain::{mission::MissionInput, slot::SlotInput},
    service::{
        accounts, missions,
        slots::{self, NewSlots},
        volunteers,
    },
    state::AppState,
};
use chrono::{Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};

/// The demo coordinator's password, printed in the log so the newcomer can log in.
pub const DEMO_PASSWORD: &str = "demo-entraide";
/// A demo volunteer (same password), with a profile that opts in to suggestions.
pub const DEMO_VOLUNTEER: &str = "camille";

/// One sample mission, as the table below lists it.
type SampleMission = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    i64,
    u32,
    u32,
    Option<i64>,
    (&'static str, &'static str, &'static str, f64, f64),
);

struct Sample {
    association: (&'static str, &'static str, &'static str),
    missions: &'static [SampleMission],
}

const SAMPLES: &[Sample] = &[
    Sample {
        association: ("epicerie-bellevue", "Épicerie solidaire de Bellevue", "Une épicerie où les familles du quartier font leurs courses à petit prix, tenue par des bénévoles."),
        missions: &[
            ("Accueil et caisse à l'épicerie", "Accueillir les familles, tenir la caisse, ranger les rayons. **Aucune expérience demandée** : un binôme vous accompagne la première fois.", "solidarity", &["accueil", "caisse"], 3, 9, 12, Some(4), ("Épicerie solidaire", "12 rue Sisley", "29200", 48.4036, -4.5063)),
            ("Collecte au supermarché", "Présenter la collecte aux clients à l'entrée du magasin et trier les dons.", "solidarity", &["contact", "tri"], 10, 10, 13, Some(8), ("Entrée du supermarché", "Place de Metz", "29200", 48.3994, -4.4921)),
        ],
    },
    Sample {
        association: ("repair-cafe-landerneau", "Repair Café de Landerneau", "Chaque mois, on répare ensemble grille-pain, vélos et vêtements au lieu de les jeter."),
        missions: &[
            ("Réparateur ou réparatrice d'un jour", "Vous savez souder, coudre ou régler un dérailleur ? Venez transmettre votre savoir-faire.", "environment", &["bricolage", "électricité", "couture"], 6, 14, 18, Some(6), ("Salle Saint-Ernel", "Rue Saint-Ernel", "29800", 48.4508, -4.2489)),
            ("Accueil des visiteurs du Repair Café", "Noter les objets apportés, orienter vers le bon atelier, servir le café.", "environment", &["accueil"], 6, 14, 18, Some(2), ("Salle Saint-Ernel", "Rue Saint-Ernel", "29800", 48.4508, -4.2489)),
        ],
    },
    Sample {
        association: ("littoral-plouzane", "Amis du littoral de Plouzané", "Nettoyage des plages et sensibilisation à la protection du littoral de la rade."),
        missions: &[
            ("Nettoyage de la plage du Minou", "Ramassage des déchets laissés par les grandes marées. Gants et sacs fournis, bottes conseillées.", "environment", &[], 13, 9, 12, Some(30), ("Plage du Minou", "", "29280", 48.3417, -4.6153)),
        ],
    },
    Sample {
        association: ("francais-pour-tous", "Français pour tous – Brest", "Cours de français et accompagnement administratif pour les personnes arrivées depuis peu."),
        missions: &[
            ("Animer un atelier de conversation", "Une heure et demie de conversation en petit groupe, avec un support préparé par l'association.", "education", &["pédagogie", "patience"], 2, 18, 20, Some(3), ("Maison de quartier de Saint-Martin", "Rue Bruat", "29200", 48.3945, -4.4856)),
            ("Aide à la comptabilité de l'association", "Tenir le tableau des dépenses et préparer le bilan annuel avec la trésorière. Possible à distance.", "support", &["comptabilité", "tableur"], 4, 18, 20, Some(1), ("", "", "", 0.0, 0.0)),
        ],
    },
];

/// Fills the node if it has no association yet; returns whether it did.
pub async fn fill(state: &AppState) -> anyhow::Result<bool> {
    let store = state.store.as_ref();
    // Every date of the demo is counted from this instant, so the demo is in the future
    // whenever it is filled.
    let now = state.clock.now();
    if !store.list_local_actors("Group").await?.is_empty() {
        tracing::info!("demo: the node already has associations, nothing added");
        return Ok(false);
    }
    let config = &state.config;
    let (base, host) = (config.base(), config.domain());
    let user = match store.find_user_by_name("demo").await? {
        Some(u) => u,
        None => {
            accounts::create_user(
                store,
                &base,
                &host,
                "demo",
                Some("demo@example.org"),
                Some(DEMO_PASSWORD),
                now,
            )
            .await?
        }
    };
    let tz = config.timezone();
    let today = state.clock.today(tz);
    for sample in SAMPLES {
        let (name, display, summary) = sample.association;
        accounts::create_association(
            store,
            &base,
            &host,
            name,
            &user.name,
            Some(display),
            summary,
            now,
        )
        .await?;
        for (title, description, category, skills, days, from, to, capacity, place) in
            sample.missions
        {
            // Next occurrence of a Saturday-ish day, `days` from now, at local hours.
            let mut day = today + Duration::days(*days);
            if day.weekday() == Weekday::Sun {
                day += Duration::days(1);
            }
            let at = |h: u32| {
                tz.from_local_datetime(
                    &day.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default()),
                )
                .earliest()
                .map(|t| t.with_timezone(&Utc).to_rfc3339())
            };
            let (place_name, street, postal, lat, lon) = place;
            let online = place_name.is_empty();
            let input = MissionInput {
                title: Some(title.to_string()),
                description: Some(description.to_string()),
                category: Some(category.to_string()),
                skills: Some(skills.iter().map(|s| s.to_string()).collect()),
                place_name: (!online).then(|| place_name.to_string()),
                street_address: (!online).then(|| street.to_string()),
                postal_code: (!online).then(|| postal.to_string()),
                locality: (!online).then(|| {
                    match *postal {
                        "29800" => "Landerneau",
                        "29280" => "Plouzané",
                        _ => "Brest",
                    }
                    .to_string()
                }),
                latitude: (!online).then_some(*lat),
                longitude: (!online).then_some(*lon),
                online: Some(online),
                start_time: at(*from),
                end_time: at(*to),
                capacity: *capacity,
                ..Default::default()
            };
            let start = input.start_time.clone();
            let end = input.end_time.clone();
            let mission = missions::create(store, config, &user, name, input, now).await?;
            // One slot over the mission's hours, so that volunteers can sign up at once.
            let slot = SlotInput {
                start_time: start,
                end_time: end,
                capacity: Some(capacity.unwrap_or(10)),
            };
            slots::add(
                store,
                config,
                &user,
                mission.id,
                NewSlots {
                    slots: vec![slot],
                    rule: None,
                },
                now,
            )
            .await?;
        }
    }
    equipment(state, &user).await?;
    // A volunteer who agreed to be suggested, so that "Missions pour moi" and the coordinators'
    // suggestions show something at once.
    let volunteer = match store.find_user_by_name(DEMO_VOLUNTEER).await? {
        Some(u) => u,
        None => {
            accounts::create_user(
                store,
                &base,
                &host,
                DEMO_VOLUNTEER,
                Some("camille@example.org"),
                Some(DEMO_PASSWORD),
                now,
            )
            .await?
        }
    };
    let free = (0..7u8)
        .flat_map(|day| {
            [DayPart::Morning, DayPart::Afternoon].map(|part| Availability { day, part })
        })
        .collect();
    let profile = Profile {
        skills: vec!["accueil".into(), "cuisine".into(), "bricolage".into()],
        availability: free,
        home_town: "Brest".into(),
        home_latitude: Some(48.3904),
        home_longitude: Some(-4.4861),
        travel_km: Some(25.0),
        interests: vec!["solidarity".into(), "environment".into()],
        suggestable: true,
    };
    volunteers::save_profile(store, &volunteer, profile, now).await?;
    tracing::info!("demo: sample associations and missions added; log in as demo / {DEMO_PASSWORD} (coordinator) or {DEMO_VOLUNTEER} / {DEMO_PASSWORD} (volunteer)");
    state.wake.notify_waiters();
    Ok(true)
}

/// Equipment to lend, and one loan already agreed, so that the equipment pages show something.
async fn equipment(state: &AppState, user: &crate::domain::account::User) -> anyhow::Result<()> {
    use crate::{
        domain::resource::ResourceInput,
        service::{reservations, resources},
    };
    let store = state.store.as_ref();
    let config = &state.config;
    let now = state.clock.now();
    let json = |s: &str| Some(serde_json::Value::String(s.into()));
    let items = [
        (
            "epicerie-bellevue",
            ResourceInput {
                name: Some("Tables pliantes".into()),
                description: Some("Tables de 180 × 80 cm, pliantes, avec leurs housses.".into()),
                category: Some("furniture".into()),
                quantity: Some(20),
                approval: Some("automatic".into()),
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
        ),
    ];
    let mut tables = None;
    for (owner, input) in items {
        let r = resources::create(store, config, user, owner, input, now).await?;
        if owner == "epicerie-bellevue" {
            tables = Some(r.id);
        }
    }
    if let Some(id) = tables {
        let day = state.clock.today(config.timezone()) + Duration::days(9);
        let at = |h: u32| {
            config
                .timezone()
                .from_local_datetime(
                    &day.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default()),
                )
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        };
        reservations::request(
            store,
            config,
            user,
            id,
            reservations::ReservationInput {
                borrower: Some("francais-pour-tous".into()),
                quantity: Some(8),
                start: at(9),
                end: at(19),
                offer_id: Some("demo-tables".into()),
            },
            now,
        )
        .await?;
    }
    Ok(())
}
