//! The association's "Heures des bénévoles": validate or refuse, record for someone, the
//! slots waiting for their attendance, the year's report with its charts, rates, attestations.

use super::*;
use crate::i18n::Lang;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/hours", get(association_page).post(record_for))
        .route("/g/{name}/hours/settings", post(save_settings))
        .route("/hours/{id}/validate", post(validate))
        .route("/hours/{id}/refuse", post(refuse))
}

#[derive(Debug, Deserialize, Default)]
struct AssociationQuery {
    lang: Option<String>,
    year: Option<String>,
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

async fn association_ctx(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    a: &Actor,
    year: i32,
    redo: &AssociationRedo,
) -> Result<Value, ServiceError> {
    let store = state.store.as_ref();
    let lang = page.lang;
    let pending_period = Period {
        status: Some("pending".into()),
        ..Period::default()
    };
    let (_, pending) =
        service::hours::list_association(store, user, &a.name, &pending_period).await?;
    let pending: Vec<Value> = pending
        .iter()
        .map(|e| {
            let errors = match &redo.refusal {
                Some((id, errs)) if *id == e.id => Some(
                    errs.0
                        .values()
                        .map(|m| field_message(lang, &m.to_string()))
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
            km => decimal(lang.code(), t.distance_km), value => euros(lang, t.value()),
        }
    };
    let by_volunteer: Vec<Value> = r
        .by_volunteer
        .iter()
        .map(|(v, t)| row(v.clone(), t))
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
        entries => o.entries, duration => duration(o.minutes), km => decimal(lang.code(), o.distance_km),
        time_value => euros(lang, o.time_value()), mileage_value => euros(lang, o.mileage_value()),
        value => euros(lang, o.value()),
    };
    // Slots of the last two months that are over and wait for their attendance.
    let now = state.clock.now();
    let mut to_mark = Vec::new();
    for slot in store
        .association_slots(a.id, now - Duration::days(62), now)
        .await?
    {
        if slot.end_time > now || slot.status == crate::domain::slot::SlotStatus::Cancelled {
            continue;
        }
        let accepted = store
            .list_participations(slot.id)
            .await?
            .into_iter()
            .filter(|p| p.status == ParticipationStatus::Accepted)
            .count();
        let marked = store.slot_attendance(slot.id).await?.len();
        if accepted > marked {
            let mission = store.get_mission(slot.mission_id).await?;
            to_mark.push(context! {
                id => slot.id, mission => mission.title,
                when => i18n::long_span(slot.start_time, slot.end_time, state.config.timezone(), lang),
                left => accepted - marked,
            });
        }
    }
    let settings = service::hours::settings_of(store, a.id).await?;
    let settings_values = match &redo.settings {
        Some((f, _)) => context! {
            moderation => f.moderation.is_some(), hourly_rate => f.hourly_rate, mileage_rate => f.mileage_rate,
        },
        None => context! {
            moderation => settings.moderation, hourly_rate => decimal(lang.code(), settings.hourly_rate),
            mileage_rate => decimal(lang.code(), settings.mileage_rate),
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
                    .map(|r| decimal(lang.code(), *r))
                    .unwrap_or_default(),
            };
            let error = redo.settings.as_ref().and_then(|(_, e)| {
                e.0.get(&format!("category_rates.{}", c.0))
                    .map(|m| field_message(lang, &m.to_string()))
            });
            context! {
                code => c.0, label => crate::i18n::category(lang, c.0), value => value, error => error,
            }
        })
        .collect();
    let (record_values, record_errors, record_box) = match &redo.record {
        Some((f, e)) => {
            let (errors, b) = form_errors(lang, e, "rec-");
            let mut v = f.clone();
            v.csrf = None;
            (v, errors, Some(b))
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

#[allow(clippy::too_many_arguments)]
async fn association_response(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    a: &Actor,
    year: i32,
    q: &PageQuery,
    redo: &AssociationRedo,
    status: StatusCode,
) -> Response {
    match association_ctx(state, page, user, a, year, redo).await {
        Ok(ctx) => {
            let (notice, error) = flash(page.lang, q);
            render(
                state,
                page,
                "hours_association.html",
                context! { notice => notice, error => error, ..ctx },
                status,
            )
        }
        Err(e) => error_page(state, page, e),
    }
}

async fn association_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(aq): Query<AssociationQuery>,
    user: MaybeUser,
) -> Response {
    let q = PageQuery {
        lang: aq.lang.clone(),
        done: aq.done.clone(),
        refused: aq.refused.clone(),
        ..PageQuery::default()
    };
    let page = page_ctx(&state, &headers, &q, user);
    let path = format!("/g/{name}/hours");
    let Some(u) = page.user.clone() else {
        return login_redirect(&path);
    };
    let a = match managed_association(&state, &u, &name).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, &page, e),
    };
    let this_year = state.clock.today(state.config.timezone()).year();
    let year = aq
        .year
        .as_deref()
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (1900..=this_year + 1).contains(y))
        .unwrap_or(this_year);
    association_response(
        &state,
        &page,
        &u,
        &a,
        year,
        &q,
        &AssociationRedo::default(),
        StatusCode::OK,
    )
    .await
}

/// The association's page again, this year's, with a refused form and its messages (422).
async fn refused_form(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    a: &Actor,
    redo: &AssociationRedo,
) -> Response {
    let year = state.clock.today(state.config.timezone()).year();
    association_response(
        state,
        page,
        user,
        a,
        year,
        &PageQuery::default(),
        redo,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The page, the association and the user every coordinator form starts with.
async fn checked_coordinator(
    state: &AppState,
    headers: &HeaderMap,
    user: MaybeUser,
    csrf: Option<&str>,
    name: &str,
) -> Result<(PageCtx, User, Actor), Response> {
    let (page, u) = checked(state, headers, user, csrf, &format!("/g/{name}/hours"))?;
    match managed_association(state, &u, name).await {
        Ok(a) => Ok((page, u, a)),
        Err(e) => Err(error_page(state, &page, e)),
    }
}

async fn record_for(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    user: MaybeUser,
    Form(form): Form<EntryForm>,
) -> Response {
    let (page, u, a) =
        match checked_coordinator(&state, &headers, user, form.csrf.as_deref(), &name).await {
            Ok(x) => x,
            Err(r) => return r,
        };
    let refused = |errors: FieldErrors| AssociationRedo {
        record: Some((form.clone(), errors)),
        ..AssociationRedo::default()
    };
    let mut input = match form.input(page.lang) {
        Ok(i) => i,
        Err(errors) => return refused_form(&state, &page, &u, &a, &refused(errors)).await,
    };
    input.association = None;
    match service::hours::record_for(
        state.store.as_ref(),
        &state.config,
        &u,
        &a.name,
        input,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => back_to(&hours_path(&a), "done", "recorded"),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            refused_form(&state, &page, &u, &a, &refused(errors)).await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// The settings form as typed: moderation, the rates, and `rate-<category>` for the categories
/// with a rate of their own (empty: the general rate).
#[derive(Debug, Default, Clone)]
struct SettingsForm {
    csrf: Option<String>,
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
                "csrf" => f.csrf = Some(v),
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
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    user: MaybeUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = SettingsForm::read(pairs);
    let (page, u, a) =
        match checked_coordinator(&state, &headers, user, form.csrf.as_deref(), &name).await {
            Ok(x) => x,
            Err(r) => return r,
        };
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
    match service::hours::put_settings(state.store.as_ref(), &u, &a.name, input, state.clock.now())
        .await
    {
        Ok(_) => back_to(&hours_path(&a), "done", "settings"),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let redo = AssociationRedo {
                settings: Some((form, errors)),
                ..AssociationRedo::default()
            };
            refused_form(&state, &page, &u, &a, &redo).await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    csrf: Option<String>,
    reason: String,
}

async fn decide(
    state: AppState,
    headers: HeaderMap,
    id: i64,
    user: MaybeUser,
    form: DecisionForm,
    validate: bool,
) -> Response {
    let (page, u) = match checked(&state, &headers, user, form.csrf.as_deref(), "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let store = state.store.as_ref();
    let a = match store.get_hours_entry(id).await {
        Ok(e) => match store.get_actor(e.actor_id).await {
            Ok(a) => a,
            Err(e) => return error_page(&state, &page, e.into()),
        },
        Err(e) => return error_page(&state, &page, e.into()),
    };
    match service::hours::decide(store, &u, id, validate, &form.reason, state.clock.now()).await {
        Ok(_) => {
            state.wake.notify_waiters();
            let done = if validate { "validated" } else { "refused" };
            back_to(&hours_path(&a), "done", done)
        }
        Err(ServiceError::Conflict(_)) => back_to(&hours_path(&a), "refused", "already"),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let redo = AssociationRedo {
                refusal: Some((id, errors)),
                ..AssociationRedo::default()
            };
            refused_form(&state, &page, &u, &a, &redo).await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn validate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<DecisionForm>,
) -> Response {
    decide(state, headers, id, user, form, true).await
}

async fn refuse(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<DecisionForm>,
) -> Response {
    decide(state, headers, id, user, form, false).await
}
