//! The form to publish a mission, and the same form to change one: title, description, dates,
//! place, places, skills, one-off or regular (time asked per week or month), accessibility,
//! contact, how volunteers sign up; "save as draft" keeps it for the coordinators only.

use super::{
    extract::{CheckedForm, LoggedIn, OrPage, Page, PageError},
    pages::{local_path, managed_association, managed_mission, shown_errors, with_param},
};
use crate::http::params::Path;
use crate::http::web::prelude::*;
use crate::i18n::Lang;
use crate::{
    domain::{
        actor::Actor,
        mission::{self as draft, Mission, MissionDraft, MissionInput, MissionStatus, CATEGORIES},
        DomainError, FieldErrors,
    },
    service::{self, ServiceError},
    state::AppState,
};
use chrono::Utc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/g/{name}/missions/new",
            get(new_mission).post(create_mission),
        )
        .route(
            "/g/{name}/missions/{id}/edit",
            get(edit_mission).post(update_mission),
        )
}

fn category_options(lang: Lang) -> Vec<minijinja::Value> {
    CATEGORIES
        .iter()
        .map(|c| context! { code => c.0, label => crate::i18n::category(lang, c.0) })
        .collect()
}

/// Which form: a new mission, or a change to an existing one (and whether it is a draft).
enum Mode<'a> {
    New,
    /// A mission and its picture's version, when it has one.
    Edit(&'a Mission, Option<i64>),
}

/// The form's page, empty or with the values and errors of a refused submission.
fn form_page(
    page: &Page,
    a: &Actor,
    mode: Mode,
    values: serde_json::Value,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    // The list at the top follows the order of the form; each entry links to its field.
    let order = [
        "title",
        "description",
        "category",
        "start_time",
        "end_time",
        "place_name",
        "street_address",
        "postal_code",
        "locality",
        "latitude",
        "longitude",
        "capacity",
        "repeat_weeks",
        "skills",
        "commitment_hours",
        "commitment_period",
        "contact",
        "join_mode",
        "status",
    ];
    let shown = shown_errors(
        page.lang,
        errors,
        &order,
        |f| match f {
            // The service counts minutes; the form asks for hours and minutes.
            "commitment_minutes" => "commitment_hours".to_string(),
            other => other.to_string(),
        },
        |f| match f {
            "join_mode" => "join_free".to_string(),
            "status" => "title".to_string(),
            other => other.to_string(),
        },
    );
    let (picture, mission_id) = match mode {
        Mode::Edit(m, v) => (v.map(|v| super::cards::picture_path(m.id, v)), Some(m.id)),
        Mode::New => (None, None),
    };
    let (action, editing, draft, page_link) = match mode {
        Mode::New => (format!("/g/{}/missions/new", a.name), false, false, None),
        Mode::Edit(m, _) => (
            format!("/g/{}/missions/{}/edit", a.name, m.id),
            true,
            m.status == MissionStatus::Draft,
            Some(local_path(page.state(), &m.url)),
        ),
    };
    let ctx = context! {
        a => context! { name => a.name, display_name => a.label() },
        values => values,
        errors => shown.by_field,
        error_summary => shown.summary,
        errors_title => shown.title,
        categories => category_options(page.lang),
        action => action,
        editing => editing,
        is_draft => draft,
        mission_page => page_link,
        picture => picture,
        mission_id => mission_id,
        // The fields' limits are the domain's (a browser stops typing where the server would
        // refuse, not before nor after).
        limits => context! {
            title => draft::MAX_TITLE, description => draft::MAX_DESCRIPTION,
            capacity => draft::MAX_CAPACITY, contact => draft::MAX_CONTACT,
            place => draft::MAX_PLACE_FIELD,
            weeks => crate::domain::slot::MAX_REPEAT_WEEKS,
        },
    };
    page.render_status("mission_form.html", ctx, status)
}

async fn new_mission(
    Path(name): Path<String>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let a = managed_association(page.state(), &user, &name)
        .await
        .or_page(&page)?;
    let values = serde_json::json!({
        "category": "other", "join_mode": "free", "regular": false, "commitment_period": "week",
    });
    Ok(form_page(
        &page,
        &a,
        Mode::New,
        values,
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}

/// The form's fields, as text (numbers and dates are checked by the domain).
#[derive(Debug, Deserialize, Serialize, Default)]
struct MissionForm {
    /// Which button was pressed: `publish`, `draft` or `save`.
    #[serde(skip_serializing)]
    action: Option<String>,
    title: Option<String>,
    description: Option<String>,
    category: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    online: Option<String>,
    place_name: Option<String>,
    street_address: Option<String>,
    postal_code: Option<String>,
    locality: Option<String>,
    capacity: Option<String>,
    /// New missions: how many weeks the first slot repeats (empty or 1: once).
    repeat_weeks: Option<String>,
    skills: Option<String>,
    join_mode: Option<String>,
    contact: Option<String>,
    reduced_mobility: Option<String>,
    open_to_minors: Option<String>,
    /// `true` for a regular mission, anything else for a one-off.
    regular: Option<String>,
    commitment_hours: Option<String>,
    commitment_minutes: Option<String>,
    commitment_period: Option<String>,
}

impl MissionForm {
    /// The values to show in the form again after a refusal (boxes as booleans).
    fn values(&self) -> serde_json::Value {
        let mut values = serde_json::to_value(self).unwrap_or_default();
        for (key, checked) in [
            ("online", &self.online),
            ("reduced_mobility", &self.reduced_mobility),
            ("open_to_minors", &self.open_to_minors),
        ] {
            values[key] = serde_json::json!(checked.is_some());
        }
        values["regular"] = serde_json::json!(self.regular.as_deref() == Some("true"));
        values
    }

    /// The domain's input, and the errors of fields that are not even text it could check
    /// (a capacity that is not a number).
    fn to_input(&self) -> (MissionInput, FieldErrors) {
        let (input, errors, _) = self.to_input_and_weeks();
        (input, errors)
    }

    /// The domain's input, the weeks the first slot repeats, and what could not be read.
    fn to_input_and_weeks(&self) -> (MissionInput, FieldErrors, Option<i64>) {
        let mut errors = FieldErrors::new();
        let mut whole = |field: &str, v: &Option<String>| match v
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => s
                .parse::<i64>()
                .map_err(|_| errors.add(field, crate::domain::FieldError::new("whole_number")))
                .ok(),
        };
        let capacity = whole("capacity", &self.capacity);
        let repeat_weeks = whole("repeat_weeks", &self.repeat_weeks);
        let regular = self.regular.as_deref() == Some("true");
        let hours = whole("commitment_hours", &self.commitment_hours);
        let minutes = whole("commitment_hours", &self.commitment_minutes);
        let commitment_minutes = match (hours, minutes) {
            (None, None) => None,
            (h, m) => Some(
                h.unwrap_or(0)
                    .saturating_mul(60)
                    .saturating_add(m.unwrap_or(0)),
            ),
        };
        // An empty field is a missing one ("is required", not "too short").
        let filled = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let time = |v: &Option<String>| filled(v).map(|s| french_date_time(&s).unwrap_or(s));
        let input = MissionInput {
            title: filled(&self.title),
            description: self.description.clone(),
            category: self.category.clone(),
            skills: self.skills.as_ref().map(|s| {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            }),
            place_name: self.place_name.clone(),
            street_address: self.street_address.clone(),
            postal_code: self.postal_code.clone(),
            locality: self.locality.clone(),
            online: Some(self.online.is_some()),
            start_time: time(&self.start_time),
            end_time: time(&self.end_time),
            capacity,
            join_mode: self.join_mode.clone(),
            contact: self.contact.clone(),
            reduced_mobility: Some(self.reduced_mobility.is_some()),
            open_to_minors: Some(self.open_to_minors.is_some()),
            regular: Some(regular),
            commitment_minutes: if regular { commitment_minutes } else { None },
            commitment_period: if regular {
                self.commitment_period.clone()
            } else {
                None
            },
            ..Default::default()
        };
        (input, errors, repeat_weeks)
    }

    /// What a mission's form shows before any change.
    fn of(m: &Mission, tz: chrono_tz::Tz) -> serde_json::Value {
        let local =
            |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
        let (h, min) = match m.commitment_minutes {
            Some(total) => ((total / 60).to_string(), (total % 60).to_string()),
            None => (String::new(), String::new()),
        };
        serde_json::json!({
            "title": m.title, "description": m.description, "category": m.category,
            "start_time": local(m.start_time), "end_time": local(m.end_time),
            "online": m.online, "place_name": m.place.name, "street_address": m.place.street_address,
            "postal_code": m.place.postal_code, "locality": m.place.locality,
            "capacity": m.capacity.map(|c| c.to_string()).unwrap_or_default(),
            "skills": m.skills.join(", "), "join_mode": m.join_mode.as_str(), "contact": m.contact,
            "reduced_mobility": m.reduced_mobility, "open_to_minors": m.open_to_minors,
            "regular": m.regular, "commitment_hours": h, "commitment_minutes": min,
            "commitment_period": if m.commitment_period.is_empty() { "week" } else { m.commitment_period.as_str() },
        })
    }
}

/// "14/06/2026 09:00", "14/06/2026 à 9h30" (what people type where a browser shows a plain text
/// field instead of a date picker) as "2026-06-14T09:00"; `None` for anything else.
fn french_date_time(s: &str) -> Option<String> {
    let numbers: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let (day, month, year, hour, minute) = match numbers[..] {
        [d, m, y, h, min] => (d, m, y, h, min),
        [d, m, y, h] => (d, m, y, h, 0),
        _ => return None,
    };
    let valid = s.contains('/')
        && (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && (1000..=9999).contains(&year)
        && hour < 24
        && minute < 60;
    valid.then(|| format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}"))
}

/// The errors of a refused form, with the domain's view of the other fields added when some
/// fields could not even be read (so that every mistake shows at once).
fn all_errors(mut unreadable: FieldErrors, more: Result<MissionDraft, DomainError>) -> FieldErrors {
    if let Err(DomainError::Invalid(more)) = more {
        for (field, message) in more.0 {
            unreadable.add(&field, message);
        }
    }
    unreadable
}

async fn create_mission(
    Path(name): Path<String>,
    CheckedForm(page, form): CheckedForm<MissionForm>,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/g/{name}/missions/new"))?;
    let state = page.state();
    let a = managed_association(state, &u, &name).await.or_page(&page)?;
    let draft = form.action.as_deref() == Some("draft");
    let (mut input, unreadable, repeat_weeks) = form.to_input_and_weeks();
    if draft {
        input.status = Some(MissionStatus::Draft.as_str().to_string());
    }
    let outcome = if unreadable.0.is_empty() {
        service::missions::create_with_first_slots(
            state.store.as_ref(),
            &state.config,
            &state.places,
            &u,
            &name,
            input,
            repeat_weeks,
            state.clock.now(),
        )
        .await
    } else {
        let checked = MissionDraft::create(input, state.config.timezone(), state.clock.now());
        Err(ServiceError::Domain(DomainError::Invalid(all_errors(
            unreadable, checked,
        ))))
    };
    match outcome {
        Ok(m) => {
            state.wake.notify_waiters();
            let path = local_path(state, &m.url);
            let to = if draft {
                with_param(&path, "done", "draft_saved")
            } else {
                with_param(&path, "published", "1")
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(fields))) => Ok(form_page(
            &page,
            &a,
            Mode::New,
            form.values(),
            &fields,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e) => Err(page.error(e)),
    }
}

async fn edit_mission(
    Path((name, id)): Path<(String, i64)>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let (a, m) = managed_mission(page.state(), &user, &name, id)
        .await
        .or_page(&page)?;
    edit_page(&page, &a, &m, &FieldErrors::new(), StatusCode::OK).await
}

/// The version of a mission's picture, when it has one.
async fn picture_of(page: &Page, id: i64) -> Result<Option<i64>, PageError> {
    Ok(
        service::mission_pictures::versions(page.state().store.as_ref(), &[id])
            .await
            .or_page(page)?
            .get(&id)
            .copied(),
    )
}

/// The form of a mission as stored, with these errors (those of its picture's own form).
pub(super) async fn edit_page(
    page: &Page,
    a: &Actor,
    m: &Mission,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let values = MissionForm::of(m, page.state().config.timezone());
    let picture = picture_of(page, m.id).await?;
    Ok(form_page(
        page,
        a,
        Mode::Edit(m, picture),
        values,
        errors,
        status,
    ))
}

async fn update_mission(
    Path((name, id)): Path<(String, i64)>,
    CheckedForm(page, form): CheckedForm<MissionForm>,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/g/{name}/missions/{id}/edit"))?;
    let state = page.state();
    let (a, m) = managed_mission(state, &u, &name, id).await.or_page(&page)?;
    let (mut input, unreadable) = form.to_input();
    // A draft is published from its form; a published mission stays published.
    let publish = m.status == MissionStatus::Draft && form.action.as_deref() == Some("publish");
    if publish {
        input.status = Some(MissionStatus::Published.as_str().to_string());
    }
    let outcome = if unreadable.0.is_empty() {
        service::missions::update(
            state.store.as_ref(),
            &state.config,
            &state.places,
            &u,
            id,
            input,
            state.clock.now(),
        )
        .await
    } else {
        let checked = MissionDraft::from_mission(&m).apply(
            input,
            state.config.timezone(),
            state.clock.now(),
            false,
        );
        Err(ServiceError::Domain(DomainError::Invalid(all_errors(
            unreadable, checked,
        ))))
    };
    match outcome {
        Ok(saved) => {
            state.wake.notify_waiters();
            let path = local_path(state, &saved.url);
            let to = if publish {
                with_param(&path, "published", "1")
            } else {
                with_param(&path, "done", "mission_saved")
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(fields))) => Ok(form_page(
            &page,
            &a,
            Mode::Edit(&m, picture_of(&page, m.id).await?),
            form.values(),
            &fields,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e) => Err(page.error(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates_typed_by_hand_are_understood() {
        assert_eq!(
            french_date_time("14/06/2026 09:00").as_deref(),
            Some("2026-06-14T09:00")
        );
        assert_eq!(
            french_date_time("4/6/2026 à 9h30").as_deref(),
            Some("2026-06-04T09:30")
        );
        assert_eq!(
            french_date_time("14/06/2026 9h").as_deref(),
            Some("2026-06-14T09:00")
        );
        assert_eq!(french_date_time("2026-06-14T09:00"), None);
        assert_eq!(french_date_time("32/06/2026 09:00"), None);
        assert_eq!(french_date_time("demain"), None);
    }

    #[test]
    fn commitment_is_typed_in_hours_and_minutes() {
        let form = MissionForm {
            regular: Some("true".into()),
            commitment_hours: Some("2".into()),
            commitment_minutes: Some("30".into()),
            commitment_period: Some("week".into()),
            ..Default::default()
        };
        let (input, errors) = form.to_input();
        assert!(errors.is_empty());
        assert_eq!(input.commitment_minutes, Some(150));
        assert_eq!(input.regular, Some(true));
        let one_off = MissionForm {
            commitment_hours: Some("2".into()),
            ..Default::default()
        };
        assert_eq!(one_off.to_input().0.commitment_minutes, None);
        let bad = MissionForm {
            regular: Some("true".into()),
            commitment_hours: Some("deux".into()),
            ..Default::default()
        };
        assert!(bad.to_input().1 .0.contains_key("commitment_hours"));
    }
}
