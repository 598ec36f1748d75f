//! "Mes heures": a volunteer records an action in a few taps (the last ones again in one
//! tap), sees where each stands, deletes a pending one, asks for attestations.

use super::*;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/me/hours", get(mine).post(log_mine))
        .route("/me/hours/{id}/repeat", post(repeat))
        .route("/me/hours/{id}/delete", post(delete_mine))
}

async fn mine_ctx(
    page: &Page,
    user: &User,
    form: &EntryForm,
    errors: Option<&FieldErrors>,
) -> Result<Value, ServiceError> {
    let state = page.state();
    let store = state.store.as_ref();
    let lang = page.lang;
    let choices = service::hours::associations_for(store, user).await?;
    let associations: Vec<Value> = choices
        .iter()
        .map(|(value, a)| context! { value => value, label => a.label(), elsewhere => !a.local })
        .collect();
    let list = service::hours::list_mine(store, user, &Period::default()).await?;
    // The last different actions, to do again in one tap.
    let mut repeat = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (e, a) in &list {
        let key = (
            e.actor_id,
            e.draft.minutes,
            e.draft.category.clone(),
            e.draft.description.clone(),
        );
        if e.status != HoursStatus::Refused && e.draft.days() == 1 && seen.insert(key) {
            repeat.push(context! {
                id => e.id, association => a.label(), duration => duration(e.draft.minutes),
                category => crate::i18n::category(lang, &e.draft.category), description => e.draft.description,
            });
        }
        if repeat.len() == 3 {
            break;
        }
    }
    let year = state.clock.today(state.config.timezone()).year();
    let mut per_association: BTreeMap<String, Tally> = BTreeMap::new();
    let mut settings = BTreeMap::new();
    for (e, a) in &list {
        if e.status != HoursStatus::Validated || e.draft.start_date.year() != year {
            continue;
        }
        if let std::collections::btree_map::Entry::Vacant(v) = settings.entry(a.id) {
            v.insert(service::hours::settings_of(store, a.id).await?);
        }
        let rates = settings.get(&a.id).cloned().unwrap_or_default();
        per_association
            .entry(a.label().to_string())
            .or_default()
            .add(&e.draft, &rates);
    }
    let totals: Vec<Value> = per_association
        .iter()
        .map(|(name, t)| context! { association => name, duration => duration(t.minutes), entries => t.entries })
        .collect();
    let entries: Vec<Value> = list
        .iter()
        .take(100)
        .map(|(e, a)| {
            let mut v = entry_view(lang, e, Some(a));
            let deletable = e.status != HoursStatus::Validated;
            v = context! { deletable => deletable, ..v };
            v
        })
        .collect();
    let (field_errors, error_box) = match errors {
        Some(e) => {
            let (f, b) = form_errors(lang, e, "log-");
            (f, Some(b))
        }
        None => (BTreeMap::new(), None),
    };
    let mut values = form.clone();
    if values.date.is_empty() {
        values.date = state.clock.today(state.config.timezone()).to_string();
    }
    if values.category.is_empty() {
        values.category = "solidarity".into();
    }
    if values.association.is_empty() {
        if let Some((first, _)) = choices.first() {
            values.association = first.clone();
        }
    }
    // Attestations: asked of this node's associations only (they confirm them here).
    let tz = state.config.timezone();
    let attestations: Vec<Value> = service::attestations::mine(store, user)
        .await?
        .iter()
        .map(|(a, asso)| files::view(lang, tz, a, asso, user.shown_name()))
        .collect();
    let local_choices: Vec<Value> = choices
        .iter()
        .filter(|(_, a)| a.local)
        .map(|(value, a)| context! { value => value, label => a.label() })
        .collect();
    let today = state.clock.today(state.config.timezone());
    let attestation_from = format!("{}-01-01", today.year());
    Ok(context! {
        attestations => attestations, local_associations => local_choices,
        attestation_from => attestation_from,
        h => words(lang), associations => associations, repeat => repeat, entries => entries,
        totals => totals, year => year, categories => category_options(lang), values => values,
        field_errors => field_errors, error_box => error_box,
        today => state.clock.today(state.config.timezone()).to_string(),
    })
}

/// "Mes heures", with the notice or error of `q`; with a refused `form` and its messages, 422.
async fn mine_response(
    page: &Page,
    user: &User,
    q: &PageQuery,
    form: &EntryForm,
    errors: Option<&FieldErrors>,
) -> Result<Response, PageError> {
    let ctx = mine_ctx(page, user, form, errors).await.or_page(page)?;
    let (notice, error) = flash(page.lang, q);
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page.render_status(
        "hours_mine.html",
        context! { notice => notice, error => error, ..ctx },
        status,
    ))
}

async fn mine(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    mine_response(&page, &user, &q, &EntryForm::default(), None).await
}

async fn log_mine(CheckedForm(page, form): CheckedForm<EntryForm>) -> Result<Response, PageError> {
    let user = page.user_or_login("/me/hours")?;
    let mut input = match form.input() {
        Ok(i) => i,
        Err(errors) => {
            return mine_response(&page, &user, &PageQuery::default(), &form, Some(&errors)).await
        }
    };
    input.user = None;
    input.guest_name = None;
    log(&page, &user, input, &form).await
}

async fn repeat(
    Path(id): Path<i64>,
    CheckedForm(page, _): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let user = page.user_or_login("/me/hours")?;
    let state = page.state();
    let (e, a) = service::hours::visible(state.store.as_ref(), &user, id)
        .await
        .or_page(&page)?;
    if e.volunteer != (Volunteer::User { user_id: user.id }) {
        return Err(page.error(ServiceError::NotFound("hours entry")));
    }
    let today = state.clock.today(state.config.timezone()).to_string();
    let input = HoursInput {
        association: Some(association_value(&a)),
        date: Some(today.clone()),
        end_date: Some(today),
        minutes: Some(e.draft.minutes),
        distance_km: e
            .draft
            .distance_km
            .map(|k| serde_json::Value::String(k.to_string())),
        category: Some(e.draft.category.clone()),
        mission_id: e.draft.mission_id,
        description: Some(e.draft.description.clone()),
        ..HoursInput::default()
    };
    log(&page, &user, input, &EntryForm::default()).await
}

/// Records the action and says so, or shows `form` again with the messages.
async fn log(
    page: &Page,
    user: &User,
    input: HoursInput,
    form: &EntryForm,
) -> Result<Response, PageError> {
    let state = page.state();
    match service::hours::log_mine(
        state.store.as_ref(),
        &state.config,
        user,
        input,
        state.clock.now(),
    )
    .await
    {
        Ok(e) => {
            state.wake.notify_waiters();
            let done = if e.status == HoursStatus::Pending {
                "logged_pending"
            } else {
                "logged"
            };
            Ok(back_to("/me/hours", "done", done))
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            mine_response(page, user, &PageQuery::default(), form, Some(&errors)).await
        }
        Err(e) => Err(page.error(e)),
    }
}

async fn delete_mine(
    Path(id): Path<i64>,
    CheckedForm(page, _): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let user = page.user_or_login("/me/hours")?;
    let state = page.state();
    match service::hours::delete(state.store.as_ref(), &user, id, state.clock.now()).await {
        Ok(()) => {
            state.wake.notify_waiters();
            Ok(back_to("/me/hours", "done", "deleted"))
        }
        Err(ServiceError::Forbidden(_)) => Ok(back_to("/me/hours", "refused", "locked")),
        Err(e) => Err(page.error(e)),
    }
}
