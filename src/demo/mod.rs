//! Demo mode: fills an empty node with associations and missions of the pays de Brest, so a
//! newcomer sees a living node at once: every screen shows something (missions to come and
//! past ones with attendance marked, hours validated and waiting, attestations, logos and
//! pictures, equipment with photos and loans in every state). Does nothing when associations
//! already exist.
//!
//! Everything goes through the use cases (`service::*`), as a coordinator or a volunteer would
//! do it. The past is made by calling them with an earlier `now`: each thing is valid at its
//! own time, then what is done afterwards (attendance, validation) happens at the real now.

mod equipment;
mod help;
mod history;
mod images;
mod logins;
mod samples;

use crate::{
    config::Config,
    domain::account::User,
    domain::volunteer::{Availability, DayPart, Profile},
    domain::{mission::MissionInput, slot::SlotInput},
    service::{
        accounts, missions, registration,
        slots::{self, NewSlots},
        volunteers,
    },
    state::AppState,
    storage::Store,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use samples::SAMPLES;

/// The demo coordinator's password, printed in the log so the newcomer can log in.
pub const DEMO_PASSWORD: &str = "demo-entraide";
/// A demo volunteer (same password), with a profile that opts in to suggestions.
pub const DEMO_VOLUNTEER: &str = "camille";
/// A second demo volunteer (same password), who gave a full name.
pub const DEMO_SECOND_VOLUNTEER: &str = "yann";
/// The full name of the second demo volunteer, as the pages show them.
pub const DEMO_SECOND_FULL_NAME: &str = "Yann Le Bihan";
/// The association that lends equipment: its loans are in every state.
pub const DEMO_ASSOCIATION: &str = "epicerie-bellevue";
/// The association with a past: slots over with attendance marked, hours, attestations.
/// (Not the épicerie, nor Camille: the tests of real `serve --demo` processes start from a
/// blank épicerie and a Camille who did nothing yet.)
pub const DEMO_HISTORY: &str = "littoral-plouzane";

/// What the parts of the demo share: the node, its time, and the people acting.
pub(crate) struct Demo<'a> {
    pub store: &'a dyn Store,
    pub config: &'a Config,
    /// The real now: every date of the demo is counted from it.
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    /// The coordinator of every demo association.
    pub coordinator: User,
}

impl Demo<'_> {
    /// `days` days from today (before it when negative), at `hour` o'clock local time.
    pub fn at(&self, days: i64, hour: u32) -> anyhow::Result<DateTime<Utc>> {
        let day = self.today + Duration::days(days);
        local(self.config, day, hour)
    }
}

/// `day` at `hour` o'clock in the node's time zone.
fn local(config: &Config, day: NaiveDate, hour: u32) -> anyhow::Result<DateTime<Utc>> {
    let time = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default();
    config
        .timezone()
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| anyhow::anyhow!("demo: no such local time {day} {hour}:00"))
}

/// A sign-up, an attendance or a loan the demo expected to go through.
fn went_through<T, R: std::fmt::Debug>(r: Result<T, R>) -> anyhow::Result<T> {
    r.map_err(|r| anyhow::anyhow!("demo: refused: {r:?}"))
}

/// A mission created by the demo: its association, title, id and first slot.
pub(crate) struct Made {
    pub association: &'static str,
    pub title: &'static str,
    pub mission_id: i64,
    pub slot_id: i64,
}

/// What `serve` does about the demo as the node starts. With `--demo`: [`fill`], and the
/// demo accounts open with [`DEMO_PASSWORD`] (again). Without: the demo accounts that still
/// open with it lose it (a random one instead, their sessions and tokens ended), so that a
/// node once tried with `--demo` does not keep a published password.
pub async fn start(state: &AppState, demo: bool) -> anyhow::Result<()> {
    if demo {
        fill(state).await?;
    }
    logins::demo_password(state.store.as_ref(), demo).await
}

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
    let user = account(state, "demo", logins::email("demo"), now).await?;
    let demo = Demo {
        store,
        config,
        now,
        today: state.clock.today(config.timezone()),
        coordinator: user,
    };
    let made = associations_and_missions(&demo).await?;
    images::dress(&demo, &made).await?;
    equipment::equipment(&demo).await?;
    // A volunteer who agreed to be suggested, so that "Missions pour moi" and the coordinators'
    // suggestions show something at once.
    let camille = account(state, DEMO_VOLUNTEER, logins::email(DEMO_VOLUNTEER), now).await?;
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
    volunteers::save_profile(store, &state.places, &camille, profile, now).await?;
    // A second volunteer, shown by their full name on the coordinators' pages.
    let yann = account(
        state,
        DEMO_SECOND_VOLUNTEER,
        logins::email(DEMO_SECOND_VOLUNTEER),
        now,
    )
    .await?;
    let change = registration::ProfileChange {
        full_name: DEMO_SECOND_FULL_NAME.into(),
        display_name: DEMO_SECOND_FULL_NAME.into(),
        language: String::new(),
    };
    let yann = registration::update_profile(store, &yann, change, now).await?;
    history::history(&demo, &made, &yann).await?;
    help::requests(&demo).await?;
    tracing::info!("demo: sample associations and missions added; log in as demo / {DEMO_PASSWORD} (coordinator and référent) or {DEMO_VOLUNTEER} / {DEMO_PASSWORD} (volunteer)");
    state.wake.notify_waiters();
    Ok(true)
}

/// The account `name` (with the demo password), created unless it exists; never an
/// administrator, even as the node's first account.
async fn account(
    state: &AppState,
    name: &str,
    email: String,
    now: DateTime<Utc>,
) -> anyhow::Result<User> {
    let store = state.store.as_ref();
    if let Some(u) = store.find_user_by_name(name).await? {
        return Ok(u);
    }
    let config = &state.config;
    let hash = accounts::hash_password_bounded(DEMO_PASSWORD).await?;
    let new = crate::storage::NewUser::by_operator(name, Some(&email), Some(hash));
    Ok(accounts::create_account(store, &config.base(), &config.domain(), new, name, now).await?)
}

/// The sample associations, and their coming missions each with one slot.
async fn associations_and_missions(d: &Demo<'_>) -> anyhow::Result<Vec<Made>> {
    let (store, config, user) = (d.store, d.config, &d.coordinator);
    let (base, host) = (config.base(), config.domain());
    let geocoder = crate::service::places::Geocoder::new(&config.places);
    let mut made = Vec::new();
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
            d.now,
        )
        .await?;
        for (title, description, category, skills, days, from, to, capacity, place) in
            sample.missions
        {
            // Next occurrence of a Saturday-ish day, `days` from now, at local hours.
            let mut day = d.today + Duration::days(*days);
            if day.weekday() == Weekday::Sun {
                day += Duration::days(1);
            }
            let at = |h: u32| local(config, day, h).ok().map(|t| t.to_rfc3339());
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
            let mission =
                missions::create(store, config, &geocoder, user, name, input, d.now).await?;
            // One slot over the mission's hours, so that volunteers can sign up at once.
            let slot = SlotInput {
                start_time: start,
                end_time: end,
                capacity: Some(capacity.unwrap_or(10)),
            };
            let slots = slots::add(
                store,
                config,
                user,
                mission.id,
                NewSlots {
                    slots: vec![slot],
                    rule: None,
                },
                d.now,
            )
            .await?;
            made.push(Made {
                association: name,
                title,
                mission_id: mission.id,
                slot_id: slots.first().map(|s| s.id).unwrap_or_default(),
            });
        }
    }
    Ok(made)
}
