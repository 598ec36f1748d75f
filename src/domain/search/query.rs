//! What a search asks for: the text and every filter, read from the strings of a query
//! string or a form ([`SearchInput`]) into a checked [`SearchQuery`], with an error per field.

use super::geo::{parse_bbox, parse_distance_km, parse_latlon, BBox, Circle};
use super::ItemKind;
use crate::domain::mission::CATEGORIES;
use crate::domain::resource::RESOURCE_CATEGORIES;
use crate::domain::{DomainError, FieldError, FieldErrors};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The smallest and largest radius around a point, in kilometres.
pub const MIN_RADIUS_KM: f64 = 2.0;
pub const MAX_RADIUS_KM: f64 = 50.0;
/// The radius when a point is given without one.
pub const DEFAULT_RADIUS_KM: f64 = 10.0;
/// Results per page, at most; and how far pages go.
pub const MAX_LIMIT: usize = 100;
pub const MAX_OFFSET: usize = 10_000;
const DEFAULT_LIMIT: usize = 20;
const MAX_TEXT: usize = 200;
const MAX_TERMS: usize = 20;

/// In person or remote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    InPerson,
    Remote,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best matches of the text first (the soonest first when no text is given).
    Relevance,
    /// Soonest first.
    Date,
    /// Nearest first (a point is needed).
    Distance,
}

impl Sort {
    pub const NAMES: [&'static str; 3] = ["relevance", "date", "distance"];
}

/// A search, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    pub text: String,
    /// Empty: every kind.
    pub kinds: Vec<ItemKind>,
    /// Missions and events that are not over before `from` and start before `to`.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Only missions and events someone may still sign up for (in the dates, when given).
    pub places_left: bool,
    /// Category codes (missions' and equipment's); empty: any.
    pub categories: Vec<String>,
    /// Any of these skills; empty: any.
    pub skills: Vec<String>,
    pub mode: Option<Mode>,
    pub near: Option<Circle>,
    pub bbox: Option<BBox>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            kinds: Vec::new(),
            from: None,
            to: None,
            places_left: false,
            categories: Vec::new(),
            skills: Vec::new(),
            mode: None,
            near: None,
            bbox: None,
            sort: Sort::Relevance,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

/// A search as typed: the strings of a query string or of the search form (empty strings are
/// fields left blank). Lists may be given comma-separated or by repeating the key.
#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    pub q: Option<String>,
    pub kinds: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub places_left: Option<String>,
    pub categories: Vec<String>,
    pub skills: Vec<String>,
    /// `in_person` or `remote`.
    pub mode: Option<String>,
    /// A commune, a postcode or an address to search around: located by the service
    /// (`service::search::check`), it then wins over `lat`/`lon`/`latlon`.
    pub near: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    /// `lat,lon`, `lat:lon` or a geohash, instead of `lat` and `lon`.
    pub latlon: Option<String>,
    /// Kilometres (`10`, `10km`, `10_km`).
    pub radius: Option<String>,
    /// `north,west:south,east`.
    pub bbox: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// A field's text, or `None` when absent or blank.
fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Every item of lists given comma-separated or repeated, trimmed, blanks left out.
fn items(lists: &[String]) -> Vec<String> {
    lists
        .iter()
        .flat_map(|l| l.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A date (`2030-03-01`, the day in the node's time zone: its start, or its end when
/// `end_of_day`), a local date and time (`2030-03-01T14:00`) or an RFC 3339 instant.
pub fn parse_day_or_time(s: &str, tz: Tz, end_of_day: bool) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let local = |naive: NaiveDateTime| {
        tz.from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    };
    if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let day = if end_of_day { day.succ_opt()? } else { day };
        return local(day.and_hms_opt(0, 0, 0)?);
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .and_then(local)
}

fn whole(s: &str, min: usize, max: usize, field: &str, e: &mut FieldErrors) -> Option<usize> {
    match s.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(_) => {
            e.add(
                field,
                FieldError::new("between").num("min", min).num("max", max),
            );
            None
        }
        Err(_) => {
            e.add(field, FieldError::new("whole_number"));
            None
        }
    }
}

fn is_category(code: &str) -> bool {
    CATEGORIES.iter().any(|c| c.0 == code) || RESOURCE_CATEGORIES.contains(&code)
}

impl SearchInput {
    /// The checked search; `tz` reads plain dates as days of the node's time zone.
    pub fn check(&self, tz: Tz) -> Result<SearchQuery, DomainError> {
        let mut e = FieldErrors::new();
        let mut q = SearchQuery::default();
        if let Some(text) = given(&self.q) {
            if text.chars().count() > MAX_TEXT {
                e.add("q", FieldError::new("max_chars").num("max", MAX_TEXT));
            }
            q.text = text.to_string();
        }
        for k in items(&self.kinds) {
            match ItemKind::parse(&k) {
                Some(kind) if !q.kinds.contains(&kind) => q.kinds.push(kind),
                Some(_) => {}
                None => e.add("kind", FieldError::new("one_of").text("list", kinds_list())),
            }
        }
        let example = "2030-03-01";
        let mut date = |field: &str, s: &Option<String>, end: bool| {
            let s = given(s)?;
            let t = parse_day_or_time(s, tz, end);
            if t.is_none() {
                e.add(
                    field,
                    FieldError::new("not_date_time").text("example", example),
                );
            }
            t
        };
        q.from = date("from", &self.from, false);
        q.to = date("to", &self.to, true);
        if let (Some(from), Some(to)) = (q.from, q.to) {
            if to < from {
                e.add("to", FieldError::new("not_before_from"));
            }
        }
        q.places_left =
            given(&self.places_left).is_some_and(|s| matches!(s, "true" | "1" | "on" | "yes"));
        for c in items(&self.categories) {
            if !is_category(&c) {
                e.add(
                    "category",
                    FieldError::new("not_a_category").text("value", c),
                );
            } else if !q.categories.contains(&c) {
                q.categories.push(c);
            }
        }
        q.skills = items(&self.skills);
        if q.skills.len() > MAX_TERMS || q.categories.len() > MAX_TERMS {
            e.add(
                "skills",
                FieldError::new("too_many_skills").num("max", MAX_TERMS),
            );
        }
        q.mode = match given(&self.mode) {
            None | Some("any") => None,
            Some("in_person") => Some(Mode::InPerson),
            Some("remote") => Some(Mode::Remote),
            Some(_) => {
                e.add(
                    "mode",
                    FieldError::new("one_of").text("list", "in_person, remote"),
                );
                None
            }
        };
        let point = self.point(&mut e);
        let radius = match given(&self.radius).map(parse_distance_km) {
            None => None,
            Some(Ok(km)) if (MIN_RADIUS_KM..=MAX_RADIUS_KM).contains(&km) => Some(km),
            Some(Ok(_)) => {
                let error = FieldError::new("between").num("min", MIN_RADIUS_KM as i64);
                e.add("radius", error.num("max", MAX_RADIUS_KM as i64));
                None
            }
            Some(Err(error)) => {
                e.add("radius", error);
                None
            }
        };
        q.near = point.map(|(lat, lon)| Circle {
            lat,
            lon,
            radius_km: radius.unwrap_or(DEFAULT_RADIUS_KM),
        });
        if let Some(b) = given(&self.bbox) {
            match parse_bbox(b) {
                Ok(b) => q.bbox = Some(b),
                Err(error) => e.add("bbox", error),
            }
        }
        q.sort = match given(&self.sort) {
            None if q.text.is_empty() => Sort::Date,
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some("distance") if q.near.is_some() => Sort::Distance,
            Some("distance") => {
                e.add("lat", FieldError::new("required"));
                Sort::Distance
            }
            Some(_) => {
                let list = Sort::NAMES.join(", ");
                e.add("sort", FieldError::new("one_of").text("list", list));
                Sort::Relevance
            }
        };
        if let Some(s) = given(&self.limit) {
            q.limit = whole(s, 1, MAX_LIMIT, "limit", &mut e).unwrap_or(DEFAULT_LIMIT);
        }
        if let Some(s) = given(&self.offset) {
            q.offset = whole(s, 0, MAX_OFFSET, "offset", &mut e).unwrap_or(0);
        }
        e.into_result(q)
    }

    /// The point searched around: `lat` and `lon`, or `latlon`.
    fn point(&self, e: &mut FieldErrors) -> Option<(f64, f64)> {
        if let Some(s) = given(&self.latlon) {
            return parse_latlon(s).map_err(|error| e.add("latlon", error)).ok();
        }
        let number = |field: &str, s: Option<&str>, e: &mut FieldErrors| {
            let n = s?
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite());
            if n.is_none() {
                e.add(field, FieldError::new("number"));
            }
            n
        };
        match (given(&self.lat), given(&self.lon)) {
            (None, None) => None,
            (Some(_), None) | (None, Some(_)) => {
                e.add("lat", FieldError::new("lat_lon_together"));
                None
            }
            (lat, lon) => {
                let (lat, lon) = (number("lat", lat, e)?, number("lon", lon, e)?);
                let text = format!("{lat},{lon}");
                parse_latlon(&text)
                    .map_err(|error| e.add("lat", error))
                    .ok()
            }
        }
    }
}

fn kinds_list() -> String {
    ItemKind::ALL.map(ItemKind::as_str).join(", ")
}

/// Our mission categories that Mobilizon's categories (`CAUSES`, …) stand for; categories
/// without any of ours give none.
pub fn categories_of_mobilizon(codes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        let upper = code.trim().to_ascii_uppercase();
        for (ours, _) in CATEGORIES.iter().filter(|(_, ap)| *ap == upper) {
            if !out.iter().any(|o| o == ours) {
                out.push(ours.to_string());
            }
        }
    }
    out
}
