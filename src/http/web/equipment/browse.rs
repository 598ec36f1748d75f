//! Finding equipment: the search of what is free over given dates, a resource's page with its
//! terms, photos, documents and availability calendar, and the request form.

use super::{category_label, count, euros, i18n, owner_kind_label, word, words};
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::i18n::Lang;
use crate::{
    domain::{
        account::User,
        actor::Actor,
        resource::{Approval, LoanMode, Resource, RESOURCE_CATEGORIES},
        DomainError, FieldError, FieldErrors,
    },
    http::web::{CheckedForm, OrPage, Page, PageError},
    service::{
        self,
        reservations::{ReservationInput, ReserveOutcome},
        resources::{DayFree, SearchQuery},
        ServiceError,
    },
    state::AppState,
};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/resources", get(search))
        .route("/resources/{id}", get(resource))
        .route("/resources/{id}/reserve", post(reserve))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchForm {
    q: String,
    category: String,
    from: String,
    to: String,
    quantity: String,
    /// Where the page starts: the cursor of the "next" link (a bad one starts from the first).
    cursor: String,
}

/// The link to the page after `next` (a name and an id), or to the first page, with the
/// search's filters.
fn search_link(form: &SearchForm, next: Option<&(String, i64)>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("q", &form.q),
        ("category", &form.category),
        ("from", &form.from),
        ("to", &form.to),
        ("quantity", &form.quantity),
    ] {
        if !v.is_empty() {
            query.append_pair(k, v);
        }
    }
    if let Some((name, id)) = next {
        query.append_pair("cursor", &crate::http::api::cursor::encode_text(name, *id));
    }
    format!("/resources?{}", query.finish())
}

/// Midnight (or a given hour) of a day in the node's time zone.
fn local_time(state: &AppState, day: NaiveDate, time: NaiveTime) -> chrono::DateTime<Utc> {
    let tz = state.config.timezone();
    let naive = day.and_time(time);
    tz.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&naive))
        .with_timezone(&Utc)
}

pub(super) fn card(lang: Lang, r: &Resource, owner: &Actor, free: Option<i64>) -> Value {
    let d = &r.draft;
    let terms = match d.mode {
        LoanMode::FreeLoan => word(lang, "free_loan").to_string(),
        LoanMode::Exchange => word(lang, "exchange").to_string(),
        LoanMode::Rental => format!(
            "{} · {} {}",
            word(lang, "rental"),
            d.price_per_day.map(|p| euros(lang, p)).unwrap_or_default(),
            word(lang, "per_day")
        ),
    };
    context! {
        id => r.id, name => d.name, owner => owner.label(), elsewhere => !owner.local,
        owner_kind => owner_kind_label(lang, &d.owner_kind), category => category_label(lang, &d.category),
        place => d.place, quantity => d.quantity, free => free, terms => terms,
    }
}

fn category_options(lang: Lang) -> Vec<Value> {
    RESOURCE_CATEGORIES
        .iter()
        .map(|c| context! { value => c, label => category_label(lang, c) })
        .collect()
}

/// The search page: what is free over the dates asked (everything when no dates are given).
async fn search(page: Page, Query(form): Query<SearchForm>) -> Result<Response, PageError> {
    let state = page.state();
    let lang = page.lang;
    let mut errors = FieldErrors::new();
    let day = |s: &str, field: &str, errors: &mut FieldErrors| {
        if s.trim().is_empty() {
            return None;
        }
        let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        if d.is_none() {
            errors.add(field, FieldError::new("search_day"));
        }
        d
    };
    let from = day(&form.from, "from", &mut errors);
    let to = day(&form.to, "to", &mut errors).or(from);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            // Said, not searched over the other way round nor over nothing.
            errors.add("to", FieldError::new("after_first_day"));
        }
    }
    let quantity = if form.quantity.trim().is_empty() {
        None
    } else {
        match form.quantity.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add("quantity", FieldError::new("whole_number"));
                None
            }
        }
    };
    let query = SearchQuery {
        q: Some(form.q.clone()),
        category: (!form.category.is_empty()).then(|| form.category.clone()),
        start: from.map(|d| local_time(state, d, NaiveTime::MIN)),
        end: to.map(|d| local_time(state, d + Duration::days(1), NaiveTime::MIN)),
        quantity,
    };
    let after = (!form.cursor.is_empty())
        .then(|| crate::http::api::cursor::decode_text(&form.cursor).ok())
        .flatten();
    let first_page = after.is_none();
    let searched = if errors.0.is_empty() {
        let limit = service::resources::SEARCH_PAGE;
        match crate::http::web::kept_pages::equipment(state, &query, after, limit).await {
            Ok(s) => Some(s),
            Err(ServiceError::Domain(DomainError::Invalid(e))) => {
                errors = e;
                None
            }
            Err(e) => return Err(page.error(e)),
        }
    } else {
        None
    };
    let searched = searched.as_ref().map(|s| &s.value);
    let next = (searched.and_then(|s| s.next.as_ref())).map(|n| search_link(&form, Some(n)));
    let first = (!first_page).then(|| search_link(&form, None));
    let dated = from.is_some();
    let cards: Vec<Value> = (searched.iter().flat_map(|s| &s.found))
        .map(|f| card(lang, &f.resource, &f.owner, dated.then_some(f.free)))
        .collect();
    let (by_field, error_box) = super::errors_view(
        lang,
        &errors,
        &["q", "category", "from", "to", "quantity"],
        |f| {
            if f == "end" {
                "to".into()
            } else {
                f.to_string()
            }
        },
    );
    Ok(page.render_status(
        "resources.html",
        context! {
            e => words(lang), results => cards, categories => category_options(lang),
            values => context! { q => form.q, category => form.category, from => form.from, to => form.to, quantity => form.quantity },
            searched => dated || !form.q.is_empty() || !form.category.is_empty(),
            next => next, first => first,
            field_errors => by_field, error_box => (!errors.0.is_empty()).then_some(error_box),
        },
        if errors.0.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResourcePageQuery {
    /// The first month shown, `YYYY-MM`.
    month: Option<String>,
    done: Option<String>,
}

/// A month of availability as weeks of days (Monday first), for the calendar table.
fn month_weeks(
    state: &AppState,
    lang: Lang,
    days: &[DayFree],
    first: NaiveDate,
) -> Vec<Vec<Value>> {
    let mut weeks = Vec::new();
    let mut week: Vec<Value> = (0..first.weekday().num_days_from_monday())
        .map(|_| Value::from(()))
        .collect();
    let today = state.clock.today(state.config.timezone());
    for d in days {
        let label = i18n::tr_args(
            lang,
            "eq-day_label",
            &[
                (
                    "weekday",
                    i18n::tr(
                        lang,
                        &format!("weekday_{}", d.date.weekday().num_days_from_monday()),
                    )
                    .into(),
                ),
                ("day", d.date.day().to_string().into()),
                ("month", month_name(lang, d.date).into()),
            ],
        );
        let level = if d.free == 0 {
            "none"
        } else if d.free < d.total {
            "some"
        } else {
            "all"
        };
        week.push(context! {
            day => d.date.day(), label => label, free => d.free, total => d.total, level => level,
            past => d.date < today,
        });
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(Value::from(()));
        }
        weeks.push(week);
    }
    weeks
}

/// The name of `day`'s month: "juin", "June".
fn month_name(lang: Lang, day: NaiveDate) -> String {
    i18n::tr(lang, &format!("month_{}", day.month0()))
}

fn month_title(lang: Lang, first: NaiveDate) -> String {
    i18n::tr_args(
        lang,
        "eq-month_title",
        &[
            ("month", month_name(lang, first).into()),
            ("year", first.year().to_string().into()),
        ],
    )
}

/// The associations of this node the user coordinates that may ask for `r`.
async fn borrowers_for(
    state: &AppState,
    user: &User,
    owner: &Actor,
) -> Result<Vec<Actor>, ServiceError> {
    Ok(
        service::reservations::coordinated(state.store.as_ref(), user)
            .await?
            .into_iter()
            .filter(|a| a.id != owner.id)
            .collect(),
    )
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct RequestForm {
    borrower: String,
    quantity: String,
    start_date: String,
    start_time: String,
    end_date: String,
    end_time: String,
}

/// A resource's page: its terms, photos, documents, a month of availability and the request
/// form (blank, or as sent with what was refused).
pub(super) async fn resource_page(
    page: &Page,
    id: i64,
    month: Option<&str>,
    notice: Option<String>,
    form: Option<(&RequestForm, &FieldErrors)>,
) -> Result<Response, PageError> {
    let state = page.state();
    let lang = page.lang;
    let result = async {
        let store = state.store.as_ref();
        let (r, owner) = service::resources::offered(store, id).await?;
        let today = state.clock.today(state.config.timezone());
        let first = month
            .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
            .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
        let next = (first + Duration::days(32)).with_day(1).unwrap_or(first);
        let prev = (first - Duration::days(1)).with_day(1).unwrap_or(first);
        let days = service::resources::availability(
            store,
            &state.config,
            &r,
            first,
            (next - first).num_days(),
            state.clock.now(),
        )
        .await?;
        let files = service::files::of_resource(store, r.id).await?;
        let is_owner = match &page.user {
            Some(u) => owner.local && service::hours::is_coordinator(store, u, &owner).await?,
            None => false,
        };
        let borrowers = match &page.user {
            Some(u) => borrowers_for(state, u, &owner).await?,
            None => Vec::new(),
        };
        Ok::<_, ServiceError>((
            r, owner, first, next, prev, days, files, is_owner, borrowers,
        ))
    }
    .await;
    let (r, owner, first, next, prev, days, files, is_owner, borrowers) = result.or_page(page)?;
    let d = &r.draft;
    let mut facts = vec![
        context! { label => word(lang, "lent_by"), value => format!("{} ({})", owner.label(), owner_kind_label(lang, &d.owner_kind)) },
        context! { label => word(lang, "quantity"), value => format!("{} {}", d.quantity, word(lang, "in_all")) },
        context! { label => word(lang, "mode"), value => card(lang, &r, &owner, None).get_attr("terms").ok() },
    ];
    if !d.place.is_empty() {
        facts.push(context! { label => word(lang, "place"), value => d.place });
    }
    if let Some(v) = d.deposit {
        facts.push(context! { label => word(lang, "deposit"), value => euros(lang, v) });
    }
    if let Some(v) = d.replacement_value {
        facts.push(context! { label => word(lang, "value"), value => format!("{} {}", euros(lang, v), word(lang, "per_unit")) });
    }
    facts.push(context! { label => word(lang, "notice"), value => count(lang, "notice_hours", d.min_notice_hours) });
    facts.push(
        context! { label => word(lang, "max_days"), value => count(lang, "days", d.max_days) },
    );
    if d.turnaround_hours > 0 {
        facts.push(context! { label => word(lang, "buffer"), value => count(lang, "hours", d.turnaround_hours) });
    }
    if d.insurance_required {
        facts.push(context! { label => word(lang, "insurance"), value => word(lang, "yes") });
    }
    facts.push(context! { label => word(lang, "approval"), value => word(lang, if d.approval == Approval::Automatic { "approval_automatic" } else { "approval_manual" }) });
    let photos: Vec<Value> = files
        .iter()
        .filter(|f| f.kind == "photo")
        .map(|f| context! { id => f.id, name => f.name })
        .collect();
    let documents: Vec<Value> = files
        .iter()
        .filter(|f| f.kind == "document")
        .map(|f| context! { id => f.id, name => f.name, size => format!("{} Ko", (f.size + 1023) / 1024) })
        .collect();
    let (values, field_errors, error_box) = match form {
        Some((f, errors)) => {
            let (by_field, error_box) = super::errors_view(
                lang,
                errors,
                &["borrower", "quantity", "start", "end"],
                |k| match k {
                    "start" => "start_date".into(),
                    "end" => "end_date".into(),
                    other => other.to_string(),
                },
            );
            (Value::from_serialize(f), by_field, Some(error_box))
        }
        None => {
            let start = state.clock.today(state.config.timezone())
                + Duration::days((d.min_notice_hours + 23) / 24 + 1);
            let f = RequestForm {
                borrower: borrowers
                    .first()
                    .map(|b| b.name.clone())
                    .unwrap_or_default(),
                quantity: "1".into(),
                start_date: start.to_string(),
                start_time: "09:00".into(),
                end_date: start.to_string(),
                end_time: "18:00".into(),
            };
            (Value::from_serialize(&f), Default::default(), None)
        }
    };
    let borrower_options: Vec<Value> = borrowers
        .iter()
        .map(|b| context! { value => b.name, label => b.label() })
        .collect();
    let weeks = month_weeks(state, lang, &days, first);
    let weekdays: Vec<String> = (0..7)
        .map(|n| word(lang, &format!("weekday_short_{n}")))
        .collect();
    let today = state.clock.today(state.config.timezone());
    let has_errors = error_box.is_some();
    Ok(page.render_status(
        "resource.html",
        context! {
            e => words(lang), r => context! {
                id => r.id, name => d.name, description => d.description, conditions => d.conditions,
                category => category_label(lang, &d.category), quantity => d.quantity,
                owner => owner.label(), owner_name => owner.name, owner_local => owner.local,
                owner_url => if owner.local { format!("/g/{}", owner.name) } else { owner.url.clone().unwrap_or(owner.ap_id.clone()) },
            },
            facts => facts, photos => photos, documents => documents,
            weeks => weeks, weekdays => weekdays, month => month_title(lang, first),
            prev => (prev >= today.with_day(1).unwrap_or(today)).then(|| prev.format("%Y-%m").to_string()),
            next => next.format("%Y-%m").to_string(),
            is_owner => is_owner, borrowers => borrower_options, remote => !owner.local,
            values => values, field_errors => field_errors, error_box => error_box, notice => notice,
        },
        if has_errors {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
    ))
}

async fn resource(
    page: Page,
    Path(id): Path<i64>,
    Query(q): Query<ResourcePageQuery>,
) -> Result<Response, PageError> {
    let notice = match q.done.as_deref() {
        Some("saved") => Some(word(page.lang, "done_saved")),
        _ => None,
    };
    resource_page(&page, id, q.month.as_deref(), notice, None).await
}

/// Reads a date and a time of the form as a moment in the node's time zone.
fn moment_of(
    state: &AppState,
    date: &str,
    time: &str,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<chrono::DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok();
    let t = NaiveTime::parse_from_str(time.trim(), "%H:%M").ok();
    match (d, t) {
        (Some(d), Some(t)) => Some(local_time(state, d, t)),
        _ => {
            errors.add(
                field,
                FieldError::new("date_time_required").text("example", "2031-06-14T09:00:00+02:00"),
            );
            None
        }
    }
}

async fn reserve(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<RequestForm>,
) -> Result<Response, PageError> {
    let u = page.user_or_login(&format!("/resources/{id}"))?;
    let state = page.state();
    let mut errors = FieldErrors::new();
    let start = moment_of(
        state,
        &form.start_date,
        &form.start_time,
        "start",
        &mut errors,
    );
    let end = moment_of(state, &form.end_date, &form.end_time, "end", &mut errors);
    let quantity = match form.quantity.trim().parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add("quantity", FieldError::new("whole_number"));
            None
        }
    };
    let input = ReservationInput {
        borrower: Some(form.borrower.clone()),
        quantity,
        start,
        end,
        offer_id: None,
    };
    let result = if errors.0.is_empty() {
        service::reservations::request(
            state.store.as_ref(),
            &state.config,
            &u,
            id,
            input,
            state.clock.now(),
        )
        .await
    } else {
        Err(DomainError::Invalid(errors).into())
    };
    match result {
        Ok((outcome, _)) => {
            state.wake.notify_waiters();
            let r = match outcome {
                ReserveOutcome::Recorded(r) | ReserveOutcome::Existing(r) => r,
            };
            Ok(Redirect::to(&format!("/reservations/{}?done=requested", r.id)).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            resource_page(&page, id, None, None, Some((&form, &errors))).await
        }
        Err(e) => Err(page.error(e)),
    }
}
