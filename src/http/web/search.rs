//! The search of every node's home page (issue 15): a GET form that works without
//! JavaScript, and `/search`, its results one page at a time with the form filled again.
//! The home page shows the form over its usual content; the filters are the API's.

use super::{
    extract::{Page, PageError},
    i18n::{self, Lang},
};
use crate::{
    domain::{
        mission::CATEGORIES,
        resource::RESOURCE_CATEGORIES,
        search::{Found, ItemKind, SearchInput, SearchPage},
        DomainError, FieldErrors,
    },
    service::{self, ServiceError},
    state::AppState,
};
use axum::{extract::RawQuery, http::StatusCode, response::Response, routing::get, Router};
use minijinja::{context, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .merge(super::search_feeds::router())
}

/// Results per page.
const PER_PAGE: usize = 20;
/// The radii offered, in kilometres.
const RADII: [u32; 6] = [2, 5, 10, 20, 30, 50];
/// The form's fields, in its order (for the list of refused fields).
const ORDER: [&str; 11] = [
    "q", "kind", "category", "skills", "from", "to", "mode", "near", "radius", "sort", "offset",
];
/// The fields of a point, whose errors show on "Près de".
const POINT: [&str; 4] = ["near", "lat", "lon", "latlon"];

/// What the form sent: the search, the page asked, and the values to show again.
pub(super) struct Form {
    pub input: SearchInput,
    pub page: usize,
    pub values: std::collections::BTreeMap<String, String>,
}

impl Form {
    /// The search's query string without its page: what its feeds and its map are asked with.
    pub fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in self
            .values
            .iter()
            .filter(|(k, v)| *k != "page" && !v.is_empty())
        {
            q.append_pair(k, v);
        }
        q.finish()
    }
}

pub(super) fn read_form(raw: Option<&str>) -> Form {
    let mut input = SearchInput::default();
    let mut values = std::collections::BTreeMap::new();
    let mut page = 1;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v = v.into_owned();
        match k.as_ref() {
            "q" => input.q = Some(v.clone()),
            "kind" => input.kinds.push(v.clone()),
            "from" => input.from = Some(v.clone()),
            "to" => input.to = Some(v.clone()),
            "places_left" => input.places_left = Some(v.clone()),
            "category" => input.categories.push(v.clone()),
            "skills" => input.skills.push(v.clone()),
            "mode" => input.mode = Some(v.clone()),
            "near" => input.near = Some(v.clone()),
            "bbox" => input.bbox = Some(v.clone()),
            "lat" => input.lat = Some(v.clone()),
            "lon" => input.lon = Some(v.clone()),
            "radius" => input.radius = Some(v.clone()),
            "sort" => input.sort = Some(v.clone()),
            "page" => page = v.trim().parse::<usize>().unwrap_or(1).clamp(1, 500),
            _ => continue,
        }
        values.insert(k.into_owned(), v);
    }
    input.limit = Some(PER_PAGE.to_string());
    input.offset = Some(((page - 1) * PER_PAGE).to_string());
    Form {
        input,
        page,
        values,
    }
}

/// The choices of the form's lists.
pub(super) fn options(state: &AppState, lang: Lang) -> Value {
    let pair = |value: &str, label: String| context! { value => value, label => label };
    let missions = CATEGORIES
        .iter()
        .map(|(c, _)| pair(c, crate::i18n::category(lang, c)));
    let equipment = RESOURCE_CATEGORIES
        .iter()
        .map(|c| pair(c, i18n::word(lang, &format!("eq-cat_{c}"))));
    let kinds = ItemKind::ALL.map(|k| pair(k.as_str(), kind_label(lang, k)));
    let sorts = ["relevance", "date", "distance"]
        .map(|s| pair(s, i18n::word(lang, &format!("search-sort_{s}"))));
    let modes =
        ["in_person", "remote"].map(|m| pair(m, i18n::word(lang, &format!("search-mode_{m}"))));
    context! {
        mission_categories => missions.collect::<Vec<_>>(),
        equipment_categories => equipment.collect::<Vec<_>>(),
        kinds => kinds.to_vec(), sorts => sorts.to_vec(), modes => modes.to_vec(),
        radii => RADII.to_vec(), addresses => state.config.places.address_url().is_some(),
    }
}

fn kind_label(lang: Lang, k: ItemKind) -> String {
    i18n::word(lang, &format!("search-kind_{}", k.as_str()))
}

fn result_card(state: &AppState, lang: Lang, f: &Found) -> Value {
    let item = &f.item;
    let tz = state.config.timezone();
    let when = match (item.start, item.end) {
        (Some(s), Some(e)) => Some(crate::i18n::short_span(lang, s, e, tz)),
        _ => None,
    };
    let category = if item.kind == ItemKind::Equipment {
        i18n::word(lang, &format!("eq-cat_{}", item.category))
    } else {
        crate::i18n::category(lang, &item.category)
    };
    let places = match (item.kind, item.places_left) {
        (ItemKind::Equipment, _) => None,
        (_, Some(n)) => Some(crate::i18n::tr_args(
            lang,
            "search-places",
            &[("n", n.into())],
        )),
        (_, None) => Some(i18n::word(lang, "search-places_unlimited")),
    };
    let distance = f.distance_km.map(|d| {
        crate::i18n::tr_args(lang, "search-distance", &[("km", format!("{d:.1}").into())])
    });
    context! {
        kind => kind_label(lang, item.kind), title => item.title,
        url => super::pages::local_path(state, &item.url(&state.config.base())),
        association => item.association, when => when, place => item.place,
        online => item.online, category => category, places => places, distance => distance,
        elsewhere => !item.local,
    }
}

/// The link to another page of the same search.
fn page_link(values: &std::collections::BTreeMap<String, String>, page: usize) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in values.iter().filter(|(k, _)| k.as_str() != "page") {
        q.append_pair(k, v);
    }
    q.append_pair("page", &page.to_string());
    format!("/search?{}", q.finish())
}

/// The refused fields: by field (next to it) and as the list at the top of the form.
fn errors_view(lang: Lang, errors: &FieldErrors) -> (Value, Vec<Value>) {
    let mut fields: Vec<_> = errors.0.iter().collect();
    let rank = |f: &str| ORDER.iter().position(|o| *o == f).unwrap_or(ORDER.len());
    fields.sort_by_key(|(f, _)| rank(f));
    let mut by_field = std::collections::BTreeMap::new();
    let mut summary = Vec::new();
    let near_refused = errors.0.contains_key("near");
    for (f, e) in fields {
        let id = if POINT.contains(&f.as_str()) {
            "near"
        } else {
            f.as_str()
        };
        if id == "near" && f != "near" && near_refused {
            continue; // the place's own error says it
        }
        let message = i18n::field_error(lang, e);
        let label = i18n::word(lang, &format!("search-field_{id}"));
        summary.push(context! { anchor => id, label => label, message => message.clone() });
        by_field.insert(id.to_string(), message);
    }
    (Value::from_serialize(by_field), summary)
}

/// The results page: the form filled again, how many match, one page of them, and links to
/// the other pages.
async fn search(page: Page, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let state = page.state();
    let lang = page.lang;
    let form = read_form(raw.as_deref());
    let (found, near, errors) = match service::search::search(state, &form.input).await {
        Ok((found, near)) => (found, near, FieldErrors::new()),
        Err(ServiceError::Domain(DomainError::Invalid(e))) => (SearchPage::default(), None, e),
        Err(e) => return Err(page.error(e)),
    };
    let query = form.query();
    let suffix = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    // Searched around a point given as numbers (the browser's position, a link): said, with
    // a way to drop it; a place typed wins over it.
    let point_given = near.is_none()
        && form
            .input
            .near
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
        && form.values.get("lat").is_some_and(|v| !v.trim().is_empty());
    let without_point = {
        let mut v = form.values.clone();
        v.retain(|k, _| !matches!(k.as_str(), "lat" | "lon" | "page"));
        page_link(&v, 1)
    };
    let map = state.config.map.enabled().then(|| {
        let center = near
            .as_ref()
            .map(|l| format!("{},{}", l.point.latitude, l.point.longitude))
            .or_else(|| {
                point_given.then(|| {
                    let v = |k: &str| form.values.get(k).cloned().unwrap_or_default();
                    format!("{},{}", v("lat"), v("lon"))
                })
            });
        context! {
            tiles => state.config.map.tile_url, attribution => state.config.map.attribution,
            markers => format!("/api/v1/search{suffix}{}limit=100", if query.is_empty() { "?" } else { "&" }),
            center => center, radius => form.values.get("radius").cloned().unwrap_or_else(|| "10".into()),
            bbox => form.values.get("bbox"),
        }
    });
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let cards: Vec<Value> = found
        .hits
        .iter()
        .map(|f| result_card(state, lang, f))
        .collect();
    let (field_errors, summary) = errors_view(lang, &errors);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let count = crate::i18n::tr_args(lang, "search-count", &[("n", (found.total as i64).into())]);
    Ok(page.render_status(
        "search.html",
        context! {
            s => i18n::area(lang, "search-"), o => options(state, lang), values => form.values,
            results => cards, count => count, searched => true,
            errors => field_errors, error_summary => summary,
            near_label => near.map(|l| l.label), point_given => point_given,
            without_point => without_point, map => map,
            feeds => context! {
                ics => format!("/search.ics{suffix}"), atom => format!("/search.atom{suffix}"),
            },
            errors_title => i18n::form_errors(lang, errors.0.len()),
            page => form.page, pages => pages,
            previous => (form.page > 1).then(|| page_link(&form.values, form.page - 1)),
            next => (form.page < pages).then(|| page_link(&form.values, form.page + 1)),
        },
        status,
    ))
}
