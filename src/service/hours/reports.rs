//! An association's hours settings (rates), its totals with their value, and the CSV export.

use super::*;
pub use crate::service::csv::CsvStyle;

pub async fn get_settings<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    association_name: &str,
) -> Result<(Actor, HoursSettings)> {
    let association = association(store, association_name).await?;
    require_coordinator(store, user, &association).await?;
    let s = settings_of(store, association.id).await?;
    Ok((association, s))
}

pub async fn put_settings<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    association_name: &str,
    input: SettingsInput,
    now: DateTime<Utc>,
) -> Result<(Actor, HoursSettings)> {
    let (association, current) = get_settings(store, user, association_name).await?;
    let s = current.apply(&input)?;
    store.set_hours_settings(association.id, &s, now).await?;
    Ok((association, s))
}

/// Totals of an association's validated entries, with the mission titles.
pub struct Totals {
    pub association: Actor,
    pub settings: HoursSettings,
    pub report: Report,
    pub mission_titles: BTreeMap<i64, String>,
}

pub async fn totals<S: ActorStore + HoursStore + MissionStore + ?Sized>(
    store: &S,
    user: &User,
    association_name: &str,
    period: &Period,
) -> Result<Totals> {
    let (association, entries) = list_association(store, user, association_name, period).await?;
    let settings = settings_of(store, association.id).await?;
    let report = Report::of(&entries, &settings);
    let mission_titles = crate::service::missions::titles(
        store,
        report.by_mission.keys().flatten().copied().collect(),
    )
    .await?;
    Ok(Totals {
        association,
        settings,
        report,
        mission_titles,
    })
}

pub const CSV_HEADER: &str = "id,date,end_date,volunteer,category,mission_id,minutes,hours,\
distance_km,status,value_eur,description";

/// An association's entries as CSV (RFC 4180: CRLF, a header row, UTF-8 without a byte order
/// mark), written for its reader (`style`: see [`CsvStyle`]). `value_eur` is the entry's
/// value at the current rates (validated only).
pub async fn export_csv<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    association_name: &str,
    period: &Period,
    style: CsvStyle,
) -> Result<String> {
    let (association, mut entries) =
        list_association(store, user, association_name, period).await?;
    let settings = settings_of(store, association.id).await?;
    entries.reverse();
    let codes: Vec<&str> = CSV_HEADER.split(',').collect();
    let mut out = style.header(&codes);
    out.push_str("\r\n");
    for e in &entries {
        out.push_str(&style.row(&csv_row(e, &settings, style)));
        out.push_str("\r\n");
    }
    Ok(out)
}

/// Entries read at a time by [`export_csv_stream`].
pub const EXPORT_CHUNK: i64 = 500;

/// A piece of a streamed export: text, or the error that ends it.
pub type CsvPieces = futures::stream::BoxStream<'static, Result<String>>;

/// [`export_csv`] as a stream: the header row, then the entries read [`EXPORT_CHUNK`] at a
/// time in keyset order (oldest first: day, then id), each chunk written and sent before the
/// next is read, so a year of a large association never sits in memory at once and each
/// chunk costs the same however deep it is. The bytes are those of [`export_csv`] (tests
/// compare them), except that nothing is cut: the built list stops at its newest
/// `LIST_LIMIT` entries. Who may read it is checked before the first byte.
pub async fn export_csv_stream(
    store: crate::storage::DynStore,
    user: &User,
    association_name: &str,
    period: &Period,
    style: CsvStyle,
) -> Result<CsvPieces> {
    use futures::StreamExt;
    let association = association(store.as_ref(), association_name).await?;
    require_coordinator(store.as_ref(), user, &association).await?;
    let settings = settings_of(store.as_ref(), association.id).await?;
    let query = crate::storage::HoursQuery {
        actor_id: Some(association.id),
        limit: EXPORT_CHUNK,
        ..period.query()?
    };
    let codes: Vec<&str> = CSV_HEADER.split(',').collect();
    let header = format!("{}\r\n", style.header(&codes));
    // The state: where the next chunk starts (`None` once a chunk came back short).
    let start: Option<Option<(NaiveDate, i64)>> = Some(None);
    let rows = futures::stream::try_unfold(start, move |after| {
        let (store, query, settings) = (store.clone(), query.clone(), settings.clone());
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let chunk = store.hours_entries_after(query, after).await?;
            let mut out = String::new();
            for e in &chunk {
                out.push_str(&style.row(&csv_row(e, &settings, style)));
                out.push_str("\r\n");
            }
            let next = match chunk.last() {
                Some(last) if chunk.len() as i64 == EXPORT_CHUNK => {
                    Some(Some((last.draft.start_date, last.id)))
                }
                _ => None,
            };
            Ok(Some((out, next)))
        }
    });
    Ok(futures::stream::once(async move { Ok(header) })
        .chain(rows)
        .boxed())
}

/// One entry as a CSV line (without its end of line), in the columns of [`CSV_HEADER`].
fn csv_row(e: &HoursEntry, settings: &HoursSettings, style: CsvStyle) -> Vec<String> {
    let mut one = Tally::default();
    one.add(&e.draft, settings);
    let value = if e.status == HoursStatus::Validated {
        style.number(one.value())
    } else {
        String::new()
    };
    let d = &e.draft;
    vec![
        e.id.to_string(),
        d.start_date.to_string(),
        d.end_date.to_string(),
        style.text(&crate::i18n::volunteer_name(
            style.lang,
            &e.volunteer_name(),
        )),
        style.text(&d.category),
        d.mission_id.map(|m| m.to_string()).unwrap_or_default(),
        d.minutes.to_string(),
        style.number(one.hours()),
        d.distance_km.map(|k| style.number(k)).unwrap_or_default(),
        e.status.as_str().to_string(),
        value,
        style.text(&d.description),
    ]
}

/// A person's own entries as CSV, the same columns as an association's export plus the
/// association (value only for validated entries, at the association's current rates).
pub async fn export_mine_csv<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    period: &Period,
    style: CsvStyle,
) -> Result<String> {
    let mut list = list_mine(store, user, period).await?;
    list.reverse();
    let mut settings: BTreeMap<i64, HoursSettings> = BTreeMap::new();
    let mut codes: Vec<&str> = CSV_HEADER.split(',').collect();
    codes.push("association");
    let mut out = style.header(&codes);
    out.push_str("\r\n");
    for (e, a) in &list {
        if let std::collections::btree_map::Entry::Vacant(v) = settings.entry(a.id) {
            v.insert(settings_of(store, a.id).await?);
        }
        let rates = settings.get(&a.id).cloned().unwrap_or_default();
        let association = if a.local {
            a.name.clone()
        } else {
            format!("{}@{}", a.name, a.host)
        };
        let mut row = csv_row(e, &rates, style);
        row.push(style.text(&association));
        out.push_str(&style.row(&row));
        out.push_str("\r\n");
    }
    Ok(out)
}

/// Which entries, from the query string: `from`/`to` (`YYYY-MM-DD`) or `year`, and `status`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day (included), `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day (included), `YYYY-MM-DD`.
    pub to: Option<String>,
    /// A calendar year, instead of from/to.
    pub year: Option<String>,
    /// `pending`, `validated` or `refused`.
    pub status: Option<String>,
}

impl Period {
    pub(super) fn query(&self) -> Result<HoursQuery> {
        let mut errors = FieldErrors::new();
        let mut q = HoursQuery {
            limit: LIST_LIMIT,
            ..HoursQuery::default()
        };
        let date = |field: &str, v: &Option<String>, errors: &mut FieldErrors| {
            v.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
                let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
                if d.is_none() {
                    errors.add(field, FieldError::new("period_day"));
                }
                d
            })
        };
        q.from = date("from", &self.from, &mut errors);
        q.to = date("to", &self.to, &mut errors);
        if let Some(y) = self.year.as_deref().filter(|s| !s.is_empty()) {
            match y.parse::<i32>().ok().filter(|y| (1900..=9999).contains(y)) {
                Some(y) if q.from.is_none() && q.to.is_none() => {
                    q.from = NaiveDate::from_ymd_opt(y, 1, 1);
                    q.to = NaiveDate::from_ymd_opt(y, 12, 31);
                }
                Some(_) => errors.add("year", FieldError::new("year_or_period")),
                None => errors.add("year", FieldError::new("year_like")),
            }
        }
        if let (Some(f), Some(t)) = (q.from, q.to) {
            if t < f {
                errors.add("to", FieldError::new("not_before_from"));
            }
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            match HoursStatus::parse(s) {
                Some(s) => q.status = Some(s),
                None => errors.add("status", FieldError::new("hours_status")),
            }
        }
        Ok(errors.into_result(q)?)
    }
}
