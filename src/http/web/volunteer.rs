//! A volunteer's profile (skills, when they are free, where they live, what they care about,
//! whether associations may suggest missions to them) and "Missions pour moi", the missions
//! ranked for them with the reasons.

use super::{
    i18n,
    pages::{
        card, csrf_ok, csrf_refused, error_page, flash, login_redirect, page_ctx, places_line,
        shown_errors, PageQuery,
    },
    render, PageCtx,
};
use crate::i18n::Lang;
use crate::{
    domain::{
        mission::CATEGORIES,
        volunteer::{Availability, DayPart, Profile},
        DomainError, FieldErrors,
    },
    http::auth::MaybeUser,
    service::{self, ServiceError},
    state::AppState,
};
use axum::{
    extract::{Form, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use minijinja::context;
use serde::Serialize;
use std::collections::BTreeSet;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/profile", get(profile_page).post(save_profile))
        .route("/me/matches", get(matches))
}

const PARTS: [(DayPart, &str); 3] = [
    (DayPart::Morning, "morning"),
    (DayPart::Afternoon, "afternoon"),
    (DayPart::Evening, "evening"),
];

/// The form as typed, to show it again.
#[derive(Debug, Default, Serialize)]
struct Values {
    skills: String,
    /// `day-part`, e.g. `5-morning`.
    availability: BTreeSet<String>,
    home_town: String,
    home_latitude: String,
    home_longitude: String,
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
    fn of(lang: Lang, p: &Profile) -> Values {
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
            home_latitude: show_decimal(lang, p.home_latitude),
            home_longitude: show_decimal(lang, p.home_longitude),
            travel_km: show_decimal(lang, p.travel_km),
            interests: p.interests.iter().cloned().collect(),
            suggestable: p.suggestable,
        }
    }

    /// Reads the posted fields (boxes come as repeated names).
    fn read(pairs: &[(String, String)]) -> (Option<String>, Values) {
        let mut v = Values::default();
        let mut csrf = None;
        for (k, value) in pairs {
            match k.as_str() {
                "csrf" => csrf = Some(value.clone()),
                "skills" => v.skills = value.clone(),
                "availability" => {
                    v.availability.insert(value.clone());
                }
                "home_town" => v.home_town = value.clone(),
                "home_latitude" => v.home_latitude = value.clone(),
                "home_longitude" => v.home_longitude = value.clone(),
                "travel_km" => v.travel_km = value.clone(),
                "interests" => {
                    v.interests.insert(value.clone());
                }
                "suggestable" => v.suggestable = true,
                _ => {}
            }
        }
        (csrf, v)
    }

    /// The profile to save, and the errors of fields that are not even numbers.
    fn to_profile(&self) -> (Profile, FieldErrors) {
        let mut errors = FieldErrors::new();
        let mut number = |field: &str, text: &str| match decimal(text) {
            Ok(v) => v,
            Err(()) => {
                errors.add(field, "must be a number");
                None
            }
        };
        let home_latitude = number("home_latitude", &self.home_latitude);
        let home_longitude = number("home_longitude", &self.home_longitude);
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
                None => errors.add("availability", "days go from 0 (Monday) to 6 (Sunday)"),
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
            home_latitude,
            home_longitude,
            travel_km,
            interests: self.interests.iter().cloned().collect(),
            suggestable: self.suggestable,
        };
        (profile, errors)
    }
}

fn profile_form(
    state: &AppState,
    page: &PageCtx,
    values: &Values,
    errors: &FieldErrors,
    status: StatusCode,
    q: &PageQuery,
) -> Response {
    let lang = page.lang;
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
    let order = [
        "skills",
        "availability",
        "home_town",
        "home_latitude",
        "home_longitude",
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
        grid => grid,
        parts => PARTS.iter().map(|(_, code)| i18n::word(lang, code)).collect::<Vec<_>>(),
        interests => interests,
        errors => shown.by_field,
        error_summary => shown.summary,
        errors_title => shown.title,
        notice => notice,
    };
    render(state, page, "profile.html", ctx, status)
}

async fn profile_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect("/me/profile");
    };
    match service::volunteers::profile(state.store.as_ref(), &u).await {
        Ok(p) => profile_form(
            &state,
            &page,
            &Values::of(page.lang, &p),
            &FieldErrors::new(),
            StatusCode::OK,
            &q,
        ),
        Err(e) => error_page(&state, &page, e),
    }
}

async fn save_profile(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: MaybeUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let session = user.1.clone();
    let q = PageQuery::default();
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect("/me/profile");
    };
    let (csrf, values) = Values::read(&pairs);
    if !csrf_ok(session.as_deref(), csrf.as_deref()) {
        return csrf_refused(&state, &page);
    }
    let (profile, mut unreadable) = values.to_profile();
    let outcome = if unreadable.is_empty() {
        service::volunteers::save_profile(state.store.as_ref(), &u, profile, state.clock.now())
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
        Ok(_) => Redirect::to("/me/profile?done=profile_saved").into_response(),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => profile_form(
            &state,
            &page,
            &values,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            &q,
        ),
        Err(e) => error_page(&state, &page, e),
    }
}

/// "Missions pour moi": upcoming missions ranked for the volunteer, with why.
async fn matches(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect("/me/matches");
    };
    let result = async {
        let store = state.store.as_ref();
        let profile = service::volunteers::profile(store, &u).await?;
        let ranked =
            service::volunteers::matches(store, &state.config, &u, state.clock.now()).await?;
        let now = state.clock.now();
        let mut items = Vec::with_capacity(ranked.len());
        for r in ranked {
            let owner = store.get_actor(r.mission.actor_id).await?;
            let slots = store.list_slots(r.mission.id).await?;
            let mut c = card(&state, page.lang, &r.mission, &owner);
            (c.places, c.full) = places_line(page.lang, &r.mission, &slots, now);
            if let Some(s) = &r.slot {
                c.when =
                    i18n::long_span(s.start_time, s.end_time, state.config.timezone(), page.lang);
            }
            items.push(context! { m => c, why => r.fit.reasons.iter().map(|x| crate::i18n::match_reason(page.lang, x, false)).collect::<Vec<_>>().join(" · ") });
        }
        let thin = profile.skills.is_empty()
            && profile.availability.is_empty()
            && profile.home_latitude.is_none();
        Ok::<_, ServiceError>(context! { matches => items, thin_profile => thin })
    }
    .await;
    match result {
        Ok(ctx) => render(&state, &page, "matches.html", ctx, StatusCode::OK),
        Err(e) => error_page(&state, &page, e),
    }
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
            ("home_longitude", "-4.49"),
            ("travel_km", "10"),
            ("interests", "solidarity"),
            ("suggestable", "true"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (csrf, values) = Values::read(&pairs);
        assert_eq!(csrf.as_deref(), Some("t"));
        let (p, errors) = values.to_profile();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(p.skills, vec!["cuisine", "accueil"]);
        assert_eq!(p.home_latitude, Some(48.39));
        assert_eq!(p.availability.len(), 2);
        assert!(p.suggestable);
        // And back: what the page shows is what was typed (French decimals).
        let shown = Values::of(Lang::Fr, &p.validate().expect("valid"));
        assert_eq!(shown.home_latitude, "48,39");
        assert!(shown.availability.contains("5-morning"));
    }

    #[test]
    fn numbers_that_are_not_numbers_are_field_errors() {
        let values = Values {
            home_latitude: "au nord".into(),
            travel_km: "loin".into(),
            availability: ["9-night".to_string()].into(),
            ..Default::default()
        };
        let (_, errors) = values.to_profile();
        for f in ["home_latitude", "travel_km", "availability"] {
            assert!(errors.0.contains_key(f), "{f}: {errors:?}");
        }
    }
}
