//! Calendars: the month and week pages of an association's slots, its public iCal feed, and
//! each volunteer's private feed (a secret address, made on the "Mon agenda" page or by the API).
//!
//! The pages work without JavaScript: a table of weeks for the month (a list of days on a
//! phone), a list of days for the week, plain links to move from one period to the next.

use super::{i18n, message, render, PageCtx};
use crate::i18n::Lang;
use crate::{
    domain::account::User,
    http::auth::{csrf_token, MaybeUser},
    service::{self, calendar::CalendarSlot, ServiceError},
    state::AppState,
};
use axum::{
    extract::{Form, Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use minijinja::{context, Value};
use serde::Deserialize;
use std::collections::HashMap;

/// The templates of this module, added to the others by `web::templates()`.
pub const TEMPLATES: [(&str, &str); 3] = [
    (
        "calendar_month.html",
        include_str!("../../../templates/calendar_month.html"),
    ),
    (
        "calendar_week.html",
        include_str!("../../../templates/calendar_week.html"),
    ),
    (
        "calendar_token.html",
        include_str!("../../../templates/calendar_token.html"),
    ),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/calendar.css", get(style))
        .route("/g/{name}/calendar", get(association_calendar))
        .route("/g/{name}/calendar.ics", get(association_feed))
        .route("/feeds/{file}", get(volunteer_feed))
        .route("/me/calendar", get(my_calendar).post(new_address))
}

/// The words of these pages (`cal.key` in the templates), from the catalogue (`cal-` ids).
fn words(lang: Lang) -> minijinja::Value {
    i18n::area(lang, "cal-")
}

fn word(lang: Lang, key: &str) -> String {
    i18n::word(lang, &format!("cal-{key}"))
}

fn day_name(lang: Lang, d: NaiveDate) -> String {
    i18n::day_name(lang, d.weekday().num_days_from_monday() as u8)
}

fn month_name(lang: Lang, d: NaiveDate) -> String {
    i18n::month_name(lang, d.month0())
}

/// "samedi 1er juin 2030", "Saturday 1 June 2030".
fn long_date(lang: Lang, d: NaiveDate) -> String {
    i18n::long_date(lang, d)
}

/// "juin 2030", "June 2030".
fn month_label(lang: Lang, first: NaiveDate) -> String {
    format!("{} {}", month_name(lang, first), first.year())
}

/// "Semaine du 10 au 16 juin 2030", "Week from 10 to 16 June 2030" (months and years as needed).
fn week_label(lang: Lang, monday: NaiveDate) -> String {
    let sunday = monday + Duration::days(6);
    let start = if monday.year() != sunday.year() {
        format!(
            "{} {} {}",
            monday.day(),
            month_name(lang, monday),
            monday.year()
        )
    } else if monday.month() != sunday.month() {
        format!("{} {}", monday.day(), month_name(lang, monday))
    } else {
        monday.day().to_string()
    };
    let end = format!(
        "{} {} {}",
        sunday.day(),
        month_name(lang, sunday),
        sunday.year()
    );
    i18n::tr_args(
        lang,
        "cal-week",
        &[("start", start.into()), ("end", end.into())],
    )
}

/// Which period a calendar page shows, as typed in the address.
#[derive(Debug, Deserialize, Default)]
struct CalendarQuery {
    lang: Option<String>,
    /// `month` (default) or `week`.
    view: Option<String>,
    /// `2030-06`
    month: Option<String>,
    /// Any day of the week, `2030-06-10`.
    week: Option<String>,
}

/// `2030-06` as the first day of that month.
fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !(y.chars().chain(m.chars())).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    if !(1900..=9998).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// `2030-06-12` as the Monday of its week.
fn parse_week(s: &str) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    if !(1900..=9998).contains(&d.year()) {
        return None;
    }
    Some(monday_of(d))
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The instant a local day starts (the first valid time, should midnight not exist).
fn day_start(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    (0..24)
        .find_map(|h| {
            let t = NaiveTime::from_hms_opt(h, 0, 0)?;
            tz.from_local_datetime(&d.and_time(t)).earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)))
}

fn page_ctx(state: &AppState, headers: &HeaderMap, lang: Option<&str>, user: MaybeUser) -> PageCtx {
    let picked = i18n::pick(lang, headers, &state.config.instance.default_language);
    PageCtx {
        remember_lang: lang == Some(picked.code()),
        lang: picked,
        csrf: user.1.as_deref().map(csrf_token).unwrap_or_default(),
        user: user.0,
    }
}

/// A path on this site for one of our own URLs; other URLs are kept whole.
fn local_path(state: &AppState, url: &str) -> String {
    match url.strip_prefix(&state.config.base()) {
        Some(path) if path.starts_with('/') => path.to_string(),
        _ => url.to_string(),
    }
}

fn error_page(state: &AppState, page: &PageCtx, e: ServiceError) -> Response {
    match e {
        ServiceError::NotFound(_) => message(
            state,
            page,
            StatusCode::NOT_FOUND,
            "not_found",
            "not_found_text",
        ),
        other => {
            tracing::error!(error = %other, "calendar page failed");
            message(
                state,
                page,
                StatusCode::SERVICE_UNAVAILABLE,
                "error",
                "error_text",
            )
        }
    }
}

/// 400: the period in the address cannot be read; says how to write it.
fn bad_period(state: &AppState, page: &PageCtx, field: &str, value: &str) -> Response {
    let en = page.lang == Lang::En;
    let text = match (field, en) {
        ("month", false) => format!("«\u{a0}{value}\u{a0}» n'est pas un mois. Écrivez l'année puis le mois, par exemple ?month=2030-06."),
        ("month", true) => format!("“{value}” is not a month. Write the year then the month, for example ?month=2030-06."),
        ("week", false) => format!("«\u{a0}{value}\u{a0}» n'est pas une date. Écrivez un jour de la semaine, par exemple ?view=week&week=2030-06-10."),
        ("week", true) => format!("“{value}” is not a date. Write a day of the week, for example ?view=week&week=2030-06-10."),
        (_, false) => format!("«\u{a0}{value}\u{a0}» n'est pas un affichage connu\u{a0}: choisissez view=month ou view=week."),
        (_, true) => format!("“{value}” is not a known display: choose view=month or view=week."),
    };
    let heading = if en {
        "This period cannot be shown"
    } else {
        "Cette période ne peut pas être affichée"
    };
    render(
        state,
        page,
        "message.html",
        context! { heading => heading, text => text },
        StatusCode::BAD_REQUEST,
    )
}

/// One slot in a day of the calendar.
fn slot_view(state: &AppState, lang: Lang, tz: Tz, cs: &CalendarSlot) -> Value {
    let (s, e) = (
        cs.slot.start_time.with_timezone(&tz),
        cs.slot.end_time.with_timezone(&tz),
    );
    let time = format!(
        "{:02}:{:02}–{:02}:{:02}",
        s.hour(),
        s.minute(),
        e.hour(),
        e.minute()
    );
    let cancelled = cs.cancelled();
    let remaining = cs.slot.remaining();
    context! {
        time => time,
        title => cs.mission.title,
        page => local_path(state, &cs.mission.url),
        places => if cancelled { word(lang, "cancelled").to_string() } else { i18n::places(lang, Some(remaining), Some(cs.slot.capacity)) },
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

/// The slots between two local days (the end excluded), by local day of their start.
async fn slots_by_day(
    state: &AppState,
    association: &crate::domain::actor::Actor,
    lang: Lang,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<NaiveDate, Vec<Value>>, ServiceError> {
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
}

async fn association_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<CalendarQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, q.lang.as_deref(), user);
    let a = match service::missions::association(state.store.as_ref(), &name).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, &page, e),
    };
    let tz = state.config.timezone();
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let filled = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let base = state.config.base();
    let feed_path = format!("/g/{}/calendar.ics", a.name);
    let feed_url = format!("{base}{feed_path}");
    let webcal = match feed_url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => feed_url.clone(),
    };
    let common = context! {
        cal => words(page.lang),
        a => context! { name => a.name, display_name => a.label() },
        feed_path => feed_path, feed_url => feed_url, webcal => webcal,
    };
    let lang = page.lang;
    match filled(&q.view).as_deref() {
        None | Some("month") => {
            let first = match filled(&q.month) {
                None => today.with_day(1).unwrap_or(today),
                Some(m) => match parse_month(&m) {
                    Some(d) => d,
                    None => return bad_period(&state, &page, "month", &m),
                },
            };
            let next = first + Months::new(1);
            let prev = first - Months::new(1);
            let (grid_start, grid_end) = (
                monday_of(first),
                monday_of(next - Duration::days(1)) + Duration::days(7),
            );
            let mut by_day = match slots_by_day(&state, &a, lang, grid_start, grid_end).await {
                Ok(d) => d,
                Err(e) => return error_page(&state, &page, e),
            };
            let any = by_day.iter().any(|(d, s)| {
                d.month() == first.month() && d.year() == first.year() && !s.is_empty()
            });
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
            let ctx = context! {
                heading => format!("{} · {}", word(lang, "calendar"), month_label(lang, first)),
                month_label => month_label(lang, first),
                weeks => weeks, weekdays => weekdays, any_slots => any,
                prev => prev.format("%Y-%m").to_string(), prev_label => month_label(lang, prev),
                next => next.format("%Y-%m").to_string(), next_label => month_label(lang, next),
                this_month => today.format("%Y-%m").to_string(),
                is_this_month => first == today.with_day(1).unwrap_or(today),
                week_of_month => if first.year() == today.year() && first.month() == today.month() { today } else { first }.format("%Y-%m-%d").to_string(),
                ..common
            };
            render(&state, &page, "calendar_month.html", ctx, StatusCode::OK)
        }
        Some("week") => {
            let monday = match filled(&q.week) {
                None => monday_of(today),
                Some(w) => match parse_week(&w) {
                    Some(d) => d,
                    None => return bad_period(&state, &page, "week", &w),
                },
            };
            let end = monday + Duration::days(7);
            let mut by_day = match slots_by_day(&state, &a, lang, monday, end).await {
                Ok(d) => d,
                Err(e) => return error_page(&state, &page, e),
            };
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
            render(&state, &page, "calendar_week.html", ctx, StatusCode::OK)
        }
        Some(other) => bad_period(&state, &page, "view", other),
    }
}

/// `?lang=` of a feed: `fr` or `en`, otherwise the node's language.
#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FeedQuery {
    /// `fr` or `en` (the node's language when left out).
    lang: Option<String>,
}

fn feed_lang(state: &AppState, q: &FeedQuery) -> Lang {
    q.lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(|| Lang::or_reference(&state.config.instance.default_language))
}

fn ics(body: String, file_name: &str, cache: &'static str) -> Response {
    let disposition = format!("inline; filename=\"{file_name}\"");
    let mut res = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

#[utoipa::path(get, path = "/g/{name}/calendar.ics", tag = "calendar",
    summary = "iCalendar feed (RFC 5545) of an association's slots, public; cancelled slots are marked CANCELLED",
    params(("name" = String, Path, description = "the association's name"), FeedQuery),
    responses(
        (status = 200, description = "the calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "no such association", content_type = "text/plain", body = String)))]
async fn association_feed(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Response {
    let lang = feed_lang(&state, &q);
    match service::calendar::association_feed(
        state.store.as_ref(),
        &state.config,
        &name,
        lang.code(),
        state.clock.now(),
    )
    .await
    {
        Ok(body) => ics(body, &format!("{name}.ics"), "public, max-age=300"),
        Err(ServiceError::NotFound(_)) => plain(StatusCode::NOT_FOUND, "no such association\n"),
        Err(e) => {
            tracing::error!(error = %e, "association feed failed");
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "the calendar cannot be made right now, please retry later\n",
            )
        }
    }
}

#[utoipa::path(get, path = "/feeds/{token}.ics", tag = "calendar",
    summary = "iCalendar feed of one volunteer's slots (accepted: CONFIRMED, waiting: TENTATIVE), here and on other nodes",
    params(("token" = String, Path, description = "the secret from /api/v1/me/calendar-token"), FeedQuery),
    responses(
        (status = 200, description = "the calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "unknown address", content_type = "text/plain", body = String)))]
async fn volunteer_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Response {
    const UNKNOWN: &str = "unknown calendar address\n";
    // Secrets are URL-safe base64: anything else is not one of ours.
    let token = match file.strip_suffix(".ics") {
        Some(t)
            if !t.is_empty()
                && t.len() <= 100
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            t
        }
        _ => return plain(StatusCode::NOT_FOUND, UNKNOWN),
    };
    let lang = feed_lang(&state, &q);
    match service::calendar::volunteer_feed(
        state.store.as_ref(),
        &state.config,
        token,
        lang.code(),
        state.clock.now(),
    )
    .await
    {
        Ok(Some(body)) => {
            let mut res = ics(body, "entraide.ics", "private, max-age=300");
            res.headers_mut().insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            res.headers_mut()
                .insert("x-robots-tag", HeaderValue::from_static("noindex"));
            res
        }
        Ok(None) => plain(StatusCode::NOT_FOUND, UNKNOWN),
        Err(e) => {
            tracing::error!(error = %e, "volunteer feed failed");
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "the calendar cannot be made right now, please retry later\n",
            )
        }
    }
}

fn login_redirect() -> Response {
    Redirect::to("/login?next=%2Fme%2Fcalendar").into_response()
}

/// "Mon agenda": the page that makes the private address; `address` is shown only when made.
async fn token_page(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    address: Option<String>,
) -> Response {
    let created = match service::calendar::feed_created(state.store.as_ref(), user).await {
        Ok(c) => c,
        Err(e) => return error_page(state, page, e),
    };
    let tz = state.config.timezone();
    let created = created.map(|c| long_date(page.lang, c.with_timezone(&tz).date_naive()));
    let has_text = created.as_ref().map(|d| {
        if page.lang == Lang::En {
            format!("You made your calendar address on {d}.")
        } else {
            format!("Vous avez créé votre adresse d'agenda le {d}.")
        }
    });
    let webcal = address.as_ref().and_then(|a| {
        a.split_once("://")
            .map(|(_, rest)| format!("webcal://{rest}"))
    });
    // The same secret reads the reservations of the associations the user coordinates.
    let mut equipment = Vec::new();
    if let Some(a) = &address {
        let coordinated = match service::reservations::coordinated(state.store.as_ref(), user).await
        {
            Ok(list) => list,
            Err(e) => return error_page(state, page, e),
        };
        for asso in coordinated {
            let url = format!(
                "{}/reservations/{}.ics",
                a.trim_end_matches(".ics"),
                asso.name
            );
            let webcal = url
                .split_once("://")
                .map(|(_, rest)| format!("webcal://{rest}"));
            equipment.push(context! { association => asso.label(), url => url, webcal => webcal });
        }
    }
    let ctx = context! {
        cal => words(page.lang), address => address, webcal => webcal, has_text => has_text,
        equipment => equipment,
    };
    render(state, page, "calendar_token.html", ctx, StatusCode::OK)
}

#[derive(Debug, Deserialize, Default)]
struct LangQuery {
    lang: Option<String>,
}

async fn my_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, q.lang.as_deref(), user);
    let Some(u) = page.user.clone() else {
        return login_redirect();
    };
    token_page(&state, &page, &u, None).await
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn new_address(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: MaybeUser,
    Form(form): Form<CsrfForm>,
) -> Response {
    let session = user.1.clone();
    let page = page_ctx(&state, &headers, None, user);
    let Some(u) = page.user.clone() else {
        return login_redirect();
    };
    if session.as_deref().map(csrf_token) != form.csrf {
        return message(
            &state,
            &page,
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "csrf_failed_text",
        );
    }
    match service::calendar::new_feed_url(
        state.store.as_ref(),
        &state.config,
        &u,
        state.clock.now(),
    )
    .await
    {
        Ok(url) => token_page(&state, &page, &u, Some(url)).await,
        Err(e) => error_page(&state, &page, e),
    }
}

async fn style() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        include_str!("../../../static/calendar.css"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_strictly() {
        assert_eq!(parse_month("2030-06"), NaiveDate::from_ymd_opt(2030, 6, 1));
        for bad in [
            "2030-13",
            "2030-6",
            "30-06",
            "juin",
            "2030-06-01",
            "",
            "+203-06",
            "0000-01",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        // Any day gives the Monday of its week.
        assert_eq!(
            parse_week("2030-06-14"),
            NaiveDate::from_ymd_opt(2030, 6, 10)
        );
        assert_eq!(
            parse_week("2030-06-10"),
            NaiveDate::from_ymd_opt(2030, 6, 10)
        );
        assert_eq!(parse_week("2030-02-30"), None);
        assert_eq!(parse_week("demain"), None);
    }

    #[test]
    fn dates_in_words() {
        let d = |m, day| NaiveDate::from_ymd_opt(2030, m, day).expect("date");
        assert_eq!(long_date(Lang::Fr, d(6, 1)), "samedi 1er juin 2030");
        assert_eq!(long_date(Lang::En, d(6, 1)), "Saturday 1 June 2030");
        assert_eq!(
            week_label(Lang::Fr, d(6, 10)),
            "Semaine du 10 au 16 juin 2030"
        );
        assert_eq!(
            week_label(Lang::Fr, d(6, 24)),
            "Semaine du 24 au 30 juin 2030"
        );
        assert_eq!(
            week_label(Lang::Fr, d(7, 29)),
            "Semaine du 29 juillet au 4 août 2030"
        );
        assert_eq!(
            week_label(Lang::En, d(7, 29)),
            "Week from 29 July to 4 August 2030"
        );
        assert_eq!(
            week_label(
                Lang::Fr,
                NaiveDate::from_ymd_opt(2029, 12, 31).expect("date")
            ),
            "Semaine du 31 décembre 2029 au 6 janvier 2030"
        );
    }

    #[test]
    fn templates_compile_and_use_known_words() {
        crate::http::web::word_check::check_templates(&TEMPLATES, "cal.", |k| {
            i18n::has(&format!("cal-{k}"))
        });
    }
}
