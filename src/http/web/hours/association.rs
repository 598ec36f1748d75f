//! The association's "Heures des bénévoles": validate or refuse, record for someone, the
//! slots waiting for their attendance, the year's report with its charts, rates, attestations.

use super::*;
use crate::http::api::cursor;
use crate::i18n::Lang;
use chrono::NaiveDate;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/hours", get(association_page).post(record_for))
        .route("/g/{name}/hours/settings", post(save_settings))
        .route("/hours/{id}/validate", post(validate))
        .route("/hours/{id}/refuse", post(refuse))
}

#[derive(Debug, Deserialize, Default)]
struct AssociationQuery {
    year: Option<String>,
    /// The "À valider" list from this cursor on (the `next` of its page before).
    pending: Option<String>,
    done: Option<String>,
    refused: Option<String>,
}

/// The forms of the association's page that can come back refused.
#[derive(Default)]
struct AssociationRedo {
    record: Option<(EntryForm, FieldErrors)>,
    settings: Option<(SettingsForm, FieldErrors)>,
    refusal: Option<(i64, FieldErrors)>,
}

/// The entries to validate shown at a time (newest first): a page of an association that never
/// validates stays this size, the older ones a link away (keyset).
const PENDING_PAGE: i64 = 50;

/// What the page shows: the year's report, and the list to validate from this cursor on.
#[derive(Clone, Copy)]
struct Showing {
    year: i32,
    pending_from: Option<(NaiveDate, i64)>,
}

async fn association_ctx(
    page: &Page,
    user: &User,
    a: &Actor,
    Showing { year, pending_from }: Showing,
    redo: &AssociationRedo,
) -> Result<Value, ServiceError> {
    let state = page.state();
    let store = state.store.as_ref();
    let lang = page.lang;
    let pending_period = Period {
        status: Some("pending".into()),
        ..Period::default()
    };
    let (_, mut pending) = service::hours::page_association(
        store,
        user,
        &a.name,
        &pending_period,
        pending_from,
        PENDING_PAGE + 1,
    )
    .await?;
    let pending_more = pending.len() as i64 > PENDING_PAGE;
    pending.truncate(PENDING_PAGE as usize);
    let pending_next = pending
        .last()
        .filter(|_| pending_more)
        .map(|e| cursor::encode_day(e.draft.start_date, e.id));
    let pending: Vec<Value> = pending
        .iter()
        .map(|e| {
            let errors = match &redo.refusal {
                Some((id, errs)) if *id == e.id => Some(
                    errs.0
                        .values()
                        .map(|m| i18n::field_error(lang, m))
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                _ => None,
            };
            context! { refuse_error => errors, ..entry_view(lang, e, None) }
        })
        .collect();
    let period = Period {
        year: Some(year.to_string()),
        ..Period::default()
    };
    let totals = service::hours::totals(store, user, &a.name, &period).await?;
    let r = &totals.report;
    let month_names: Vec<String> = (0..12).map(|m| i18n::month_name(lang, m)).collect();
    let hours_of = |t: &Tally| t.hours();
    let months: Vec<Mark> = (1..=12)
        .map(|m| {
            let key = format!("{year}-{m:02}");
            let t = r.by_month.get(&key).cloned().unwrap_or_default();
            // Three letters, four for June and July, which share their first three in French.
            let full = &month_names[(m - 1) as usize];
            let n = if lang != Lang::En && (m == 6 || m == 7) {
                4
            } else {
                3
            };
            let name: String = full.chars().take(n).collect();
            Mark {
                label: name,
                value: hours_of(&t),
                shown: duration(t.minutes),
            }
        })
        .collect();
    let categories: Vec<Mark> = r
        .by_category
        .iter()
        .map(|(c, t)| Mark {
            label: crate::i18n::category(lang, c),
            value: hours_of(t),
            shown: duration(t.minutes),
        })
        .collect();
    let title = |key: &str| {
        format!(
            "{} {year}",
            word(lang, key).unwrap_or_else(|| key.to_string())
        )
    };
    let row = |label: String, t: &Tally| {
        context! {
            label => label, entries => t.entries, duration => duration(t.minutes),
            km => decimal(lang, t.distance_km), value => euros(lang, t.value()),
        }
    };
    let by_volunteer: Vec<Value> = r
        .by_volunteer
        .iter()
        .map(|(v, t)| row(crate::i18n::volunteer_name(lang, v), t))
        .collect();
    let by_category: Vec<Value> = r
        .by_category
        .iter()
        .map(|(c, t)| row(crate::i18n::category(lang, c), t))
        .collect();
    let by_mission: Vec<Value> = r
        .by_mission
        .iter()
        .map(|(m, t)| {
            let label = match m {
                Some(id) => totals
                    .mission_titles
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| format!("#{id}")),
                None => word(lang, "no_mission").unwrap_or_default(),
            };
            row(label, t)
        })
        .collect();
    let by_month: Vec<Value> = (1..=12)
        .filter_map(|m| {
            let t = r.by_month.get(&format!("{year}-{m:02}"))?;
            Some(row(month_names[(m - 1) as usize].clone(), t))
        })
        .collect();
    let o = &r.overall;
    let overall = context! {
        entries => o.entries, duration => duration(o.minutes), km => decimal(lang, o.distance_km),
        time_value => euros(lang, o.time_value()), mileage_value => euros(lang, o.mileage_value()),
        value => euros(lang, o.value()),
    };
    // Slots of the last two months that are over and wait for their attendance.
    let to_mark: Vec<Value> = service::hours::attendance_due(store, user, a, 62, state.clock.now())
        .await?
        .into_iter()
        .map(|d| {
            let (start, end) = (d.slot.start_time, d.slot.end_time);
            context! {
                id => d.slot.id, mission => d.mission_title,
                when => i18n::long_span(start, end, state.config.timezone(), lang),
                left => d.left,
            }
        })
        .collect();
    let settings = service::hours::settings_of(store, a.id).await?;
    let settings_values = match &redo.settings {
        Some((f, _)) => context! {
            moderation => f.moderation.is_some(), hourly_rate => f.hourly_rate, mileage_rate => f.mileage_rate,
        },
        None => context! {
            moderation => settings.moderation, hourly_rate => decimal(lang, settings.hourly_rate),
            mileage_rate => decimal(lang, settings.mileage_rate),
        },
    };
    // One rate per category, when the association wants: empty means the general rate.
    let category_rates: Vec<Value> = CATEGORIES
        .iter()
        .map(|c| {
            let value = match &redo.settings {
                Some((f, _)) => f.category_rates.get(c.0).cloned().unwrap_or_default(),
                None => settings
                    .category_rates
                    .get(c.0)
                    .map(|r| decimal(lang, *r))
                    .unwrap_or_default(),
            };
            let error = redo.settings.as_ref().and_then(|(_, e)| {
                e.0.get(&format!("category_rates.{}", c.0))
                    .map(|m| i18n::field_error(lang, m))
            });
            context! {
                code => c.0, label => crate::i18n::category(lang, c.0), value => value, error => error,
            }
        })
        .collect();
    let (record_values, record_errors, record_box) = match &redo.record {
        Some((f, e)) => {
            let (errors, b) = form_errors(lang, e, "rec-");
            (f.clone(), errors, Some(b))
        }
        None => (
            EntryForm {
                date: state.clock.today(state.config.timezone()).to_string(),
                category: "solidarity".into(),
                ..EntryForm::default()
            },
            BTreeMap::new(),
            None,
        ),
    };
    let (settings_errors, settings_box) = match &redo.settings {
        Some((_, e)) => {
            let (errors, b) = form_errors(lang, e, "set-");
            (errors, Some(b))
        }
        None => (BTreeMap::new(), None),
    };
    let this_year = state.clock.today(state.config.timezone()).year();
    let years: Vec<i32> = ((this_year - 5)..=this_year).rev().collect();
    let tz = state.config.timezone();
    let (_, asked) = service::attestations::of_association(store, user, &a.name).await?;
    let attestations: Vec<Value> = asked
        .iter()
        .map(|(x, who)| files::view(lang, tz, x, a, who))
        .collect();
    Ok(context! {
        attestations => attestations,
        h => words(lang), association => a.label(), name => a.name, pending => pending,
        pending_more => pending_more, pending_next => pending_next,
        pending_first => pending_from.is_none(),
        year => year, years => years, overall => overall,
        months_chart => charts::columns(&title("by_month"), &months),
        categories_chart => (!categories.is_empty()).then(|| charts::bars(&title("by_category"), &categories)),
        by_volunteer => by_volunteer, by_category => by_category, by_mission => by_mission,
        by_month => by_month, to_mark => to_mark, settings => settings_values,
        category_rates => category_rates,
        categories => category_options(lang), record => record_values,
        record_errors => record_errors, record_box => record_box,
        settings_errors => settings_errors, settings_box => settings_box,
        today => state.clock.today(state.config.timezone()).to_string(),
    })
}

/// The association's page for `year`, with the notice or error of `q` and the forms of `redo`.
async fn association_response(
    page: &Page,
    user: &User,
    a: &Actor,
    showing: Showing,
    q: &PageQuery,
    redo: &AssociationRedo,
    status: StatusCode,
) -> Result<Response, PageError> {
    let ctx = association_ctx(page, user, a, showing, redo)
        .await
        .or_page(page)?;
    let (notice, error) = flash(page.lang, q);
    Ok(page.render_status(
        "hours_association.html",
        context! { notice => notice, error => error, ..ctx },
        status,
    ))
}

async fn association_page(
    Path(name): Path<String>,
    Query(aq): Query<AssociationQuery>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let q = PageQuery {
        done: aq.done.clone(),
        refused: aq.refused.clone(),
        ..PageQuery::default()
    };
    let state = page.state();
    let a = managed_association(state, &user, &name)
        .await
        .or_page(&page)?;
    let this_year = state.clock.today(state.config.timezone()).year();
    let year = aq
        .year
        .as_deref()
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (1900..=this_year + 1).contains(y))
        .unwrap_or(this_year);
    // A cursor that is not one shows the list from its start.
    let pending_from = aq
        .pending
        .as_deref()
        .and_then(|c| cursor::decode_day(c).ok());
    association_response(
        &page,
        &user,
        &a,
        Showing { year, pending_from },
        &q,
        &AssociationRedo::default(),
        StatusCode::OK,
    )
    .await
}

/// The association's page again, this year's, with a refused form and its messages (422).
async fn refused_form(
    page: &Page,
    user: &User,
    a: &Actor,
    redo: &AssociationRedo,
) -> Result<Response, PageError> {
    let state = page.state();
    let year = state.clock.today(state.config.timezone()).year();
    association_response(
        page,
        user,
        a,
        Showing {
            year,
            pending_from: None,
        },
        &PageQuery::default(),
        redo,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The user and the association every coordinator form starts with (its token checked).
async fn coordinator(page: &Page, name: &str) -> Result<(User, Actor), PageError> {
    let user = page.user_or_login(&format!("/g/{name}/hours"))?;
    let a = managed_association(page.state(), &user, name)
        .await
        .or_page(page)?;
    Ok((user, a))
}

async fn record_for(
    Path(name): Path<String>,
    CheckedForm(page, form): CheckedForm<EntryForm>,
) -> Result<Response, PageError> {
    let (user, a) = coordinator(&page, &name).await?;
    let refused = |errors: FieldErrors| AssociationRedo {
        record: Some((form.clone(), errors)),
        ..AssociationRedo::default()
    };
    let mut input = match form.input() {
        Ok(i) => i,
        Err(errors) => return refused_form(&page, &user, &a, &refused(errors)).await,
    };
    input.association = None;
    let state = page.state();
    match service::hours::record_for(
        state.store.as_ref(),
        &state.config,
        &user,
        &a.name,
        input,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(back_to(&hours_path(&a), "done", "recorded")),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            refused_form(&page, &user, &a, &refused(errors)).await
        }
        Err(e) => Err(page.error(e)),
    }
}

/// The settings form as typed: moderation, the rates, and `rate-<category>` for the categories
/// with a rate of their own (empty: the general rate).
#[derive(Debug, Default, Clone)]
struct SettingsForm {
    moderation: Option<String>,
    hourly_rate: String,
    mileage_rate: String,
    category_rates: BTreeMap<String, String>,
}

impl SettingsForm {
    fn read(pairs: Vec<(String, String)>) -> SettingsForm {
        let mut f = SettingsForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "moderation" => f.moderation = Some(v),
                "hourly_rate" => f.hourly_rate = v,
                "mileage_rate" => f.mileage_rate = v,
                other => {
                    if let Some(code) = other.strip_prefix("rate-") {
                        f.category_rates.insert(code.to_string(), v);
                    }
                }
            }
        }
        f
    }
}

async fn save_settings(
    Path(name): Path<String>,
    CheckedForm(page, pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = SettingsForm::read(pairs);
    let (user, a) = coordinator(&page, &name).await?;
    let rate = |s: &str| serde_json::Value::String(s.trim().replace(',', ".").replace(' ', ""));
    let per_category = form
        .category_rates
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), rate(v)))
        .collect();
    let input = SettingsInput {
        moderation: Some(form.moderation.is_some()),
        hourly_rate: Some(rate(&form.hourly_rate)),
        category_rates: Some(per_category),
        mileage_rate: Some(rate(&form.mileage_rate)),
    };
    let state = page.state();
    match service::hours::put_settings(
        state.store.as_ref(),
        &user,
        &a.name,
        input,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(back_to(&hours_path(&a), "done", "settings")),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let redo = AssociationRedo {
                settings: Some((form, errors)),
                ..AssociationRedo::default()
            };
            refused_form(&page, &user, &a, &redo).await
        }
        Err(e) => Err(page.error(e)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    reason: String,
}

/// A coordinator validates or refuses an entry; back to the association's page.
async fn decide(
    id: i64,
    page: Page,
    form: DecisionForm,
    validate: bool,
) -> Result<Response, PageError> {
    let user = page.user_or_login("/me/hours")?;
    let state = page.state();
    let store = state.store.as_ref();
    // Its volunteer sees it too: the service then says only coordinators decide.
    let (_, a) = service::hours::visible(store, &user, id)
        .await
        .or_page(&page)?;
    match service::hours::decide(store, &user, id, validate, &form.reason, state.clock.now()).await
    {
        Ok(_) => {
            state.wake.notify_waiters();
            let done = if validate { "validated" } else { "refused" };
            Ok(back_to(&hours_path(&a), "done", done))
        }
        Err(ServiceError::Conflict(_)) => Ok(back_to(&hours_path(&a), "refused", "already")),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let redo = AssociationRedo {
                refusal: Some((id, errors)),
                ..AssociationRedo::default()
            };
            refused_form(&page, &user, &a, &redo).await
        }
        Err(e) => Err(page.error(e)),
    }
}

async fn validate(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<DecisionForm>,
) -> Result<Response, PageError> {
    decide(id, page, form, true).await
}

async fn refuse(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<DecisionForm>,
) -> Result<Response, PageError> {
    decide(id, page, form, false).await
}
