//! A volunteer's profile (skills, when they are free, where they live, what they care about,
//! whether associations may suggest missions to them) and "Missions pour moi", the missions
//! ranked for them with the reasons.

use super::{
    cards::Listing,
    extract::{CheckedForm, LoggedIn, OrPage, Page, PageError},
    i18n,
    pages::{flash, shown_errors, PageQuery},
};
use crate::http::params::Query;
use crate::http::web::prelude::*;
use crate::i18n::Lang;
use crate::{
    domain::{
        account::User,
        mission::CATEGORIES,
        volunteer::{Availability, DayPart, Profile},
        DomainError, FieldErrors,
    },
    service::{self, ServiceError},
    state::AppState,
};
use std::collections::BTreeSet;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/profile", get(profile_page).post(save_profile))
        .route("/me/matches", get(matches))
}

pub(super) const PARTS: [(DayPart, &str); 3] = [
    (DayPart::Morning, "morning"),
    (DayPart::Afternoon, "afternoon"),
    (DayPart::Evening, "evening"),
];

/// The form as typed, to show it again.
#[derive(Debug, Default, Serialize)]
pub(super) struct Values {
    skills: String,
    /// `day-part`, e.g. `5-morning`.
    availability: BTreeSet<String>,
    /// Located when saved (the profile keeps no coordinates typed by hand).
    pub(super) home_town: String,
    travel_km: String,
    interests: BTreeSet<String>,
    suggestable: bool,
}

/// A decimal number as French people type it ("48,39") or not ("48.39"); empty is none.
fn decimal(s: &str) -> Result<Option<f64>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(()),
    }
}

fn show_decimal(lang: Lang, v: Option<f64>) -> String {
    match v {
        Some(v) if lang == Lang::En => v.to_string(),
        Some(v) => v.to_string().replace('.', ","),
        None => String::new(),
    }
}

impl Values {
    pub(super) fn of(lang: Lang, p: &Profile) -> Values {
        Values {
            skills: p.skills.join(", "),
            availability: p
                .availability
                .iter()
                .filter_map(|a| {
                    PARTS
                        .iter()
                        .find(|(part, _)| *part == a.part)
                        .map(|(_, code)| format!("{}-{code}", a.day))
                })
                .collect(),
            home_town: p.home_town.clone(),
            travel_km: show_decimal(lang, p.travel_km),
            interests: p.interests.iter().cloned().collect(),
            suggestable: p.suggestable,
        }
    }

    /// Reads the posted fields (boxes come as repeated names; the form's token is the
    /// extractor's).
    pub(super) fn read(pairs: &[(String, String)]) -> Values {
        let mut v = Values::default();
        for (k, value) in pairs {
            match k.as_str() {
                "skills" => v.skills = value.clone(),
                "availability" => {
                    v.availability.insert(value.clone());
                }
                "home_town" => v.home_town = value.clone(),
                "travel_km" => v.travel_km = value.clone(),
                "interests" => {
                    v.interests.insert(value.clone());
                }
                "suggestable" => v.suggestable = true,
                _ => {}
            }
        }
        v
    }

    /// The profile to save, and the errors of fields that are not even numbers.
    pub(super) fn to_profile(&self) -> (Profile, FieldErrors) {
        let mut errors = FieldErrors::new();
        let mut number = |field: &str, text: &str| match decimal(text) {
            Ok(v) => v,
            Err(()) => {
                errors.add(field, crate::domain::FieldError::new("number"));
                None
            }
        };
        let travel_km = number("travel_km", &self.travel_km);
        let mut availability = Vec::new();
        for a in &self.availability {
            let parsed = a.split_once('-').and_then(|(day, part)| {
                let day = day.parse::<u8>().ok()?;
                let part = PARTS.iter().find(|(_, code)| *code == part)?.0;
                Some(Availability { day, part })
            });
            match parsed {
                Some(a) => availability.push(a),
                None => errors.add(
                    "availability",
                    crate::domain::FieldError::new("weekday_range"),
                ),
            }
        }
        let profile = Profile {
            skills: self
                .skills
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            availability,
            home_town: self.home_town.clone(),
            home_latitude: None,
            home_longitude: None,
            travel_km,
            interests: self.interests.iter().cloned().collect(),
            suggestable: self.suggestable,
        };
        (profile, errors)
    }
}

fn profile_form(
    page: &Page,
    values: &Values,
    errors: &FieldErrors,
    status: StatusCode,
    q: &PageQuery,
) -> Response {
    let lang = page.lang;
    let order = [
        "skills",
        "availability",
        "home_town",
        "travel_km",
        "interests",
    ];
    let shown = shown_errors(
        lang,
        errors,
        &order,
        |f| f.to_string(),
        |f| match f {
            "availability" => "availability-0-morning".to_string(),
            "interests" => format!("interest-{}", CATEGORIES[0].0),
            other => other.to_string(),
        },
    );
    let (notice, _) = flash(lang, q);
    let ctx = context! {
        values => values,
        errors => shown.by_field,
        error_summary => shown.summary,
        errors_title => shown.title,
        notice => notice,
        ..week_and_interests(lang, values)
    };
    page.render_status("profile.html", ctx, status)
}

/// The week's grid of free times and the boxes of the fields of action, as the form shows
/// them (`wish_week.html`, `wish_interests.html`): `grid`, `parts`, `interests`.
pub(super) fn week_and_interests(lang: Lang, values: &Values) -> Value {
    let grid: Vec<minijinja::Value> = (0..7u8)
        .map(|day| {
            let name = i18n::day_name(lang, day);
            let cells: Vec<minijinja::Value> = PARTS
                .iter()
                .map(|(_, code)| {
                    let value = format!("{day}-{code}");
                    context! {
                        id => format!("availability-{value}"),
                        label => format!("{name} {}", i18n::word(lang, code)),
                        checked => values.availability.contains(&value),
                        value => value,
                    }
                })
                .collect();
            context! { day => name, cells => cells }
        })
        .collect();
    let interests: Vec<minijinja::Value> = CATEGORIES
        .iter()
        .map(|c| {
            context! {
                code => c.0, label => crate::i18n::category(lang, c.0),
                checked => values.interests.contains(c.0),
            }
        })
        .collect();
    context! {
        grid => grid,
        parts => PARTS.iter().map(|(_, code)| i18n::word(lang, code)).collect::<Vec<_>>(),
        interests => interests,
    }
}

async fn profile_page(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let p = service::volunteers::profile(page.state().store.as_ref(), &user)
        .await
        .or_page(&page)?;
    let values = Values::of(page.lang, &p);
    Ok(profile_form(
        &page,
        &values,
        &FieldErrors::new(),
        StatusCode::OK,
        &q,
    ))
}

async fn save_profile(
    CheckedForm(page, pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = page.user_or_login("/me/profile")?;
    let state = page.state();
    let values = Values::read(&pairs);
    let (profile, mut unreadable) = values.to_profile();
    let outcome = if unreadable.is_empty() {
        service::volunteers::save_profile(
            state.store.as_ref(),
            &state.places,
            &user,
            profile,
            state.clock.now(),
        )
        .await
    } else {
        // Nothing is saved, but the other fields are checked too: every mistake shows at once.
        if let Err(DomainError::Invalid(more)) = profile.validate() {
            for (field, message) in more.0 {
                unreadable.add(&field, message);
            }
        }
        Err(ServiceError::Domain(DomainError::Invalid(unreadable)))
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/me/profile?done=profile_saved").into_response()),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => Ok(profile_form(
            &page,
            &values,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            &PageQuery::default(),
        )),
        Err(e) => Err(page.error(e)),
    }
}

/// "Missions pour moi": upcoming missions ranked for the volunteer, with why.
async fn matches(LoggedIn { page, user }: LoggedIn) -> Result<Response, PageError> {
    let ctx = matches_ctx(&page, &user).await.or_page(&page)?;
    Ok(page.render("matches.html", ctx))
}

async fn matches_ctx(page: &Page, user: &User) -> Result<Value, ServiceError> {
    let state = page.state();
    let store = state.store.as_ref();
    let profile = service::volunteers::profile(store, user).await?;
    let ranked =
        service::volunteers::matches(store, &state.config, user, state.clock.now()).await?;
    // The associations and slots of every mission ranked, in one go.
    let listing = Listing::read(state, ranked.iter().map(|r| &r.mission)).await?;
    let mut items = Vec::with_capacity(ranked.len());
    for r in &ranked {
        let Some(mut c) = listing.card(state, page.lang, &r.mission) else {
            continue;
        };
        if let Some(s) = &r.slot {
            c.when = i18n::long_span(s.start_time, s.end_time, state.config.timezone(), page.lang);
        }
        let why: Vec<String> = r
            .fit
            .reasons
            .iter()
            .map(|x| crate::i18n::match_reason(page.lang, x, false))
            .collect();
        items.push(context! { m => c, why => why.join(" · ") });
    }
    let thin = profile.skills.is_empty()
        && profile.availability.is_empty()
        && profile.home_latitude.is_none();
    Ok(context! { matches => items, thin_profile => thin })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_profile() {
        let pairs: Vec<(String, String)> = [
            ("csrf", "t"),
            ("skills", "cuisine, accueil,, "),
            ("availability", "5-morning"),
            ("availability", "2-evening"),
            ("home_town", "Brest"),
            ("home_latitude", "48,39"),
            ("travel_km", "10,5"),
            ("interests", "solidarity"),
            ("suggestable", "true"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let values = Values::read(&pairs);
        let (p, errors) = values.to_profile();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(p.skills, vec!["cuisine", "accueil"]);
        assert_eq!(
            p.home_latitude, None,
            "located from the town when saved, never typed"
        );
        assert_eq!(p.travel_km, Some(10.5));
        assert_eq!(p.availability.len(), 2);
        assert!(p.suggestable);
        // And back: what the page shows is what was typed (French decimals).
        let shown = Values::of(Lang::Fr, &p.validate().expect("valid"));
        assert_eq!(shown.travel_km, "10,5");
        assert!(shown.availability.contains("5-morning"));
    }

    #[test]
    fn numbers_that_are_not_numbers_are_field_errors() {
        let values = Values {
            travel_km: "loin".into(),
            availability: ["9-night".to_string()].into(),
            ..Default::default()
        };
        let (_, errors) = values.to_profile();
        for f in ["travel_km", "availability"] {
            assert!(errors.0.contains_key(f), "{f}: {errors:?}");
        }
    }
}
