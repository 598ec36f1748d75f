//! An association's calendar page (`/g/{name}/calendar`): its slots by month (a table of
//! weeks, a list of days on a phone) or by week (a list of days), with plain links from one
//! period to the next.

use super::{
    period::{
        day_name, day_start, long_date, monday_of, month_label, parse_month, parse_week, week_label,
    },
    word, words,
};
use crate::http::params::{Path, Query};
use crate::http::web::{i18n, kept_pages, pages::local_path, OrPage, Page, PageError};
use crate::i18n::Lang;
use crate::{
    domain::actor::Actor,
    service::{self, calendar::CalendarSlot, ServiceError},
    state::AppState,
};
use axum::{http::StatusCode, response::Response};
use chrono::{Datelike, Duration, Months, NaiveDate};
use chrono_tz::Tz;
use minijinja::{context, Value};
use serde::Deserialize;
use std::collections::HashMap;

/// Which period a calendar page shows, as typed in the address (`?lang=` is the page's).
#[derive(Debug, Deserialize, Default)]
pub(super) struct CalendarQuery {
    /// `month` (default) or `week`.
    view: Option<String>,
    /// `2030-06`
    month: Option<String>,
    /// Any day of the week, `2030-06-10`.
    week: Option<String>,
}

/// A value typed in the address, `None` when left empty.
fn filled(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// 400: the period in the address cannot be read; says how to write it (`field`: `month`,
/// `week` or `view`).
fn bad_period(page: &Page, field: &str, value: &str) -> Response {
    let id = match field {
        "month" => "cal-bad_month",
        "week" => "cal-bad_week",
        _ => "cal-bad_view",
    };
    let text = i18n::tr_args(page.lang, id, &[("value", value.to_string().into())]);
    page.render_status(
        "message.html",
        context! { heading => word(page.lang, "bad_period"), text => text },
        StatusCode::BAD_REQUEST,
    )
}

/// One slot in a day of the calendar.
fn slot_view(state: &AppState, lang: Lang, tz: Tz, cs: &CalendarSlot) -> Value {
    let (s, e) = (
        cs.slot.start_time.with_timezone(&tz),
        cs.slot.end_time.with_timezone(&tz),
    );
    let time = crate::i18n::time_range(lang, s, e);
    let cancelled = cs.cancelled();
    let remaining = cs.slot.remaining();
    context! {
        time => time,
        title => cs.mission.title,
        page => local_path(state, &cs.mission.url),
        places => if cancelled { word(lang, "cancelled") } else { i18n::places(lang, Some(remaining), Some(cs.slot.capacity)) },
        full => !cancelled && remaining == 0,
        cancelled => cancelled,
    }
}

/// One day: its labels and its slots.
fn day_view(
    lang: Lang,
    d: NaiveDate,
    today: NaiveDate,
    slots: Vec<Value>,
    in_month: bool,
) -> Value {
    context! {
        iso => d.format("%Y-%m-%d").to_string(),
        num => d.day(),
        long => long_date(lang, d),
        today => d == today,
        in_month => in_month,
        slots => slots,
    }
}

/// The slots between two local days (the end excluded), by local day of their start (kept
/// between requests while none of them changed: `kept_pages`).
async fn slots_by_day(
    state: &AppState,
    association: &Actor,
    lang: Lang,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<NaiveDate, Vec<Value>>, ServiceError> {
    let key = (association.id, lang, from, to);
    kept_pages::calendar(state, key, || async move {
        let tz = state.config.timezone();
        let slots = service::calendar::association_slots(
            state.store.as_ref(),
            association,
            day_start(tz, from),
            day_start(tz, to),
        )
        .await?;
        let mut by_day: HashMap<NaiveDate, Vec<Value>> = HashMap::new();
        for cs in &slots {
            let day = cs.slot.start_time.with_timezone(&tz).date_naive();
            by_day
                .entry(day)
                .or_default()
                .push(slot_view(state, lang, tz, cs));
        }
        Ok(by_day)
    })
    .await
}

/// `GET /g/{name}/calendar`: the month (default) or the week asked for.
pub(super) async fn association_calendar(
    page: Page,
    Path(name): Path<String>,
    Query(q): Query<CalendarQuery>,
) -> Result<Response, PageError> {
    let state = page.state();
    let a = service::missions::association(state.store.as_ref(), &name)
        .await
        .or_page(&page)?;
    let tz = state.config.timezone();
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let feed_path = format!("/g/{}/calendar.ics", a.name);
    let feed_url = format!("{}{feed_path}", state.config.base());
    let webcal = match feed_url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => feed_url.clone(),
    };
    let common = context! {
        cal => words(page.lang),
        a => context! { name => a.name, display_name => a.label() },
        feed_path => feed_path, feed_url => feed_url, webcal => webcal,
    };
    match filled(&q.view).as_deref() {
        None | Some("month") => {
            let first = match filled(&q.month) {
                None => today.with_day(1).unwrap_or(today),
                Some(m) => match parse_month(&m) {
                    Some(d) => d,
                    None => return Ok(bad_period(&page, "month", &m)),
                },
            };
            month(&page, &a, today, first, common).await
        }
        Some("week") => {
            let monday = match filled(&q.week) {
                None => monday_of(today),
                Some(w) => match parse_week(&w) {
                    Some(d) => d,
                    None => return Ok(bad_period(&page, "week", &w)),
                },
            };
            week(&page, &a, today, monday, common).await
        }
        Some(other) => Ok(bad_period(&page, "view", other)),
    }
}

/// The month that starts on `first`, as weeks from Monday to Sunday.
async fn month(
    page: &Page,
    a: &Actor,
    today: NaiveDate,
    first: NaiveDate,
    common: Value,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let next = first + Months::new(1);
    let prev = first - Months::new(1);
    let (grid_start, grid_end) = (
        monday_of(first),
        monday_of(next - Duration::days(1)) + Duration::days(7),
    );
    let mut by_day = slots_by_day(page.state(), a, lang, grid_start, grid_end)
        .await
        .or_page(page)?;
    let any = by_day
        .iter()
        .any(|(d, s)| d.month() == first.month() && d.year() == first.year() && !s.is_empty());
    let mut weeks = Vec::new();
    let mut day = grid_start;
    while day < grid_end {
        let week: Vec<Value> = (0..7)
            .map(|i| {
                let d = day + Duration::days(i);
                let slots = by_day.remove(&d).unwrap_or_default();
                day_view(lang, d, today, slots, d.month() == first.month())
            })
            .collect();
        weeks.push(week);
        day += Duration::days(7);
    }
    let weekdays: Vec<Value> = (0..7)
        .map(|i| {
            let d = grid_start + Duration::days(i);
            let long = day_name(lang, d);
            let short: String = long.chars().take(3).collect();
            context! { long => long, short => short }
        })
        .collect();
    let this_month = first.year() == today.year() && first.month() == today.month();
    let ctx = context! {
        heading => format!("{} · {}", word(lang, "calendar"), month_label(lang, first)),
        month_label => month_label(lang, first),
        weeks => weeks, weekdays => weekdays, any_slots => any,
        prev => prev.format("%Y-%m").to_string(), prev_label => month_label(lang, prev),
        next => next.format("%Y-%m").to_string(), next_label => month_label(lang, next),
        this_month => today.format("%Y-%m").to_string(),
        is_this_month => first == today.with_day(1).unwrap_or(today),
        week_of_month => if this_month { today } else { first }.format("%Y-%m-%d").to_string(),
        ..common
    };
    Ok(page.render("calendar_month.html", ctx))
}

/// The week that starts on `monday`, as a list of days.
async fn week(
    page: &Page,
    a: &Actor,
    today: NaiveDate,
    monday: NaiveDate,
    common: Value,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let end = monday + Duration::days(7);
    let mut by_day = slots_by_day(page.state(), a, lang, monday, end)
        .await
        .or_page(page)?;
    let any = by_day.values().any(|s| !s.is_empty());
    let days: Vec<Value> = (0..7)
        .map(|i| {
            let d = monday + Duration::days(i);
            let slots = by_day.remove(&d).unwrap_or_default();
            day_view(lang, d, today, slots, true)
        })
        .collect();
    let prev = monday - Duration::days(7);
    let ctx = context! {
        heading => format!("{} · {}", word(lang, "calendar"), week_label(lang, monday)),
        week_label => week_label(lang, monday),
        days => days, any_slots => any,
        prev => prev.format("%Y-%m-%d").to_string(), prev_label => week_label(lang, prev),
        next => end.format("%Y-%m-%d").to_string(), next_label => week_label(lang, end),
        this_week => monday_of(today).format("%Y-%m-%d").to_string(),
        is_this_week => monday == monday_of(today),
        month_of_week => monday.format("%Y-%m").to_string(),
        ..common
    };
    Ok(page.render("calendar_week.html", ctx))
}
