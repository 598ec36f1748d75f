//! A page of reservations in keyset order (issue 17): a resource's, or an association's as
//! owner and as borrower, by start then id, after a `(start, id)`, so a deep page (or a chunk
//! of a streamed export) costs what the first costs and a reservation added meanwhile before
//! the place shifts nothing. Apart from `reservations.rs`, which is near its size limit.

use super::db::{query_as, Arg, Pool};
use super::reservations::{ReservationRow, RESERVATION_COLS};
use super::Result;
use crate::domain::resource::Reservation;
use chrono::{DateTime, Utc};

/// Whose reservations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservationsOf {
    /// One resource's.
    Resource(i64),
    /// An association's, as owner of the resource or as borrower.
    Actor(i64),
}

/// Which page of reservations (sorted by start, then id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservationPage {
    pub of: ReservationsOf,
    /// Only those after this `(start, id)`: a cursor, cheap at any depth.
    pub after: Option<(DateTime<Utc>, i64)>,
    /// Only those ending at or after this instant (a feed from a month ago on).
    pub ending_after: Option<DateTime<Utc>>,
    /// Only those ending before this instant (the past ones of the reservations page).
    pub ending_before: Option<DateTime<Utc>>,
    /// Newest first: by start, then id, descending, `after` being then *before* a
    /// `(start, id)`.
    pub newest_first: bool,
    /// How many at most (at least 1).
    pub limit: i64,
}

impl ReservationPage {
    /// The first page of `of`'s reservations, `limit` at most.
    pub fn of(of: ReservationsOf, limit: i64) -> Self {
        ReservationPage {
            of,
            after: None,
            ending_after: None,
            ending_before: None,
            newest_first: false,
            limit,
        }
    }
}

/// The statement of a page and its arguments: only the filters asked for. A resource's are
/// read from `reservation_resource` in order; an association's are the union of those it
/// borrows (`reservation_borrower`, in order) and those of its resources, each side cut at the
/// page's size before the two are merged (a loan it borrows from itself is one row).
pub(super) fn page_sql(page: &ReservationPage) -> (String, Vec<Arg<'static>>) {
    let id = match page.of {
        ReservationsOf::Resource(id) | ReservationsOf::Actor(id) => id,
    };
    let mut args: Vec<Arg<'static>> = vec![id.into(), page.limit.max(1).into()];
    let mut filters = String::new();
    if let Some((at, id)) = page.after {
        args.push(at.into());
        args.push(id.into());
        filters.push_str(" AND ({a}start_time > $3 OR ({a}start_time = $3 AND {a}id > $4))");
    }
    if let Some(at) = page.ending_after {
        args.push(at.into());
        filters.push_str(&format!(" AND {{a}}end_time >= ${}", args.len()));
    }
    if let Some(at) = page.ending_before {
        args.push(at.into());
        filters.push_str(&format!(" AND {{a}}end_time < ${}", args.len()));
    }
    let (filters, desc) = if page.newest_first {
        (filters.replace(" > $", " < $"), " DESC")
    } else {
        (filters, "")
    };
    let filters = |alias: &str| filters.replace("{a}", alias);
    let sql = match page.of {
        ReservationsOf::Resource(_) => format!(
            "SELECT {RESERVATION_COLS} FROM reservation WHERE resource_id = $1{} \
             ORDER BY start_time{desc}, id{desc} LIMIT $2",
            filters("")
        ),
        ReservationsOf::Actor(_) => {
            let cols: Vec<String> = (RESERVATION_COLS.split(','))
                .map(|c| format!("r.{}", c.trim()))
                .collect();
            format!(
                "SELECT {RESERVATION_COLS} FROM (\
                 SELECT * FROM (SELECT {RESERVATION_COLS} FROM reservation WHERE \
                 borrower_actor_id = $1{} ORDER BY start_time{desc}, id{desc} LIMIT $2) AS b \
                 UNION \
                 SELECT * FROM (SELECT {} FROM reservation r JOIN resource s ON s.id = \
                 r.resource_id WHERE s.actor_id = $1{} ORDER BY r.start_time{desc}, r.id{desc} \
                 LIMIT $2) AS o) AS u ORDER BY start_time{desc}, id{desc} LIMIT $2",
                filters(""),
                cols.join(", "),
                filters("r.")
            )
        }
    };
    (sql, args)
}

pub(super) async fn page(pool: &Pool, page: ReservationPage) -> Result<Vec<Reservation>> {
    let (sql, args) = page_sql(&page);
    let mut select = query_as::<ReservationRow>(&sql);
    for arg in args {
        select = select.bind(arg);
    }
    select.fetch_all_try(pool, Reservation::try_from).await
}
