//! The API's keyset cursors (issue 17): an opaque `cursor` names the last item of a page by
//! its sort key, and the next page starts after it. Asking page 1,000 costs what page 1
//! costs (an `offset` makes the database read and drop every row before it), and an item
//! added meanwhile before the cursor shifts nothing: a walk meets each item once. The text is
//! base64url of `<sort key>:<id>`; clients pass it back as they got it.

use crate::http::error::ApiError;
use axum::http::StatusCode;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, NaiveDate, Utc};

/// The cursor after an item sorted by a time, then its id.
pub fn encode_time(at: DateTime<Utc>, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{id}", at.timestamp_micros()))
}

fn refused(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_request",
        format!("{what} (pass back the `next` of the previous page as it is)"),
    )
}

/// Reads a cursor of [`encode_time`].
pub fn decode_time(cursor: &str) -> Result<(DateTime<Utc>, i64), ApiError> {
    let (micros, id) = decode_text(cursor)?;
    let at = (micros.parse::<i64>().ok())
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(|| refused("the cursor is not valid"))?;
    Ok((at, id))
}

/// The cursor after an item sorted by a text (a name), then its id.
pub fn encode_text(key: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{key}:{id}"))
}

/// Reads a cursor of [`encode_text`] (the id follows the last `:`; the text may hold some).
pub fn decode_text(cursor: &str) -> Result<(String, i64), ApiError> {
    let bad = || refused("the cursor is not valid");
    let text = URL_SAFE_NO_PAD
        .decode(cursor.trim_end_matches('='))
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let (key, id) = text.rsplit_once(':').ok_or_else(bad)?;
    Ok((key.to_string(), id.parse::<i64>().map_err(|_| bad())?))
}

/// The cursor after an item sorted by a day, then its id.
pub fn encode_day(day: NaiveDate, id: i64) -> String {
    encode_text(&day.to_string(), id)
}

/// Reads a cursor of [`encode_day`].
pub fn decode_day(cursor: &str) -> Result<(NaiveDate, i64), ApiError> {
    let (day, id) = decode_text(cursor)?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map_err(|_| refused("the cursor is not valid"))?;
    Ok((day, id))
}

/// The place a page starts from: a decoded `cursor`, or none (refused with an `offset`).
pub fn after<K>(
    cursor: Option<&str>,
    offset: Option<i64>,
    decode: impl Fn(&str) -> Result<K, ApiError>,
) -> Result<Option<K>, ApiError> {
    match (cursor, offset) {
        (Some(_), Some(_)) => Err(not_with_offset()),
        (Some(c), None) => Ok(Some(decode(c)?)),
        (None, _) => Ok(None),
    }
}

/// A cursor and an offset together say two different places.
pub fn not_with_offset() -> ApiError {
    refused("`cursor` and `offset` cannot be combined")
}

/// The next page's cursor: the last item's, when the page is full (else there is none).
pub fn next<T>(items: &[T], limit: i64, key: impl Fn(&T) -> String) -> Option<String> {
    match items.last() {
        Some(last) if items.len() as i64 >= limit => Some(key(last)),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back() {
        let at = DateTime::from_timestamp(1_900_000_000, 123_000).unwrap();
        let c = encode_time(at, 42);
        assert!(!c.contains(['+', '/', '=', ':']), "{c}");
        assert_eq!(decode_time(&c).unwrap(), (at, 42));
        for bad in ["", "%%%", "bm9wZQ", "MTox:", "OjE"] {
            assert!(decode_time(bad).is_err(), "{bad}");
        }
        let c = encode_text("Chaise: été", 7);
        assert_eq!(decode_text(&c).unwrap(), ("Chaise: été".to_string(), 7));
        for bad in ["", "%%%", "bm9wZQ", "OjE6"] {
            assert!(decode_text(bad).is_err(), "{bad}");
        }
        let day = NaiveDate::from_ymd_opt(2029, 12, 31).unwrap();
        assert_eq!(decode_day(&encode_day(day, 3)).unwrap(), (day, 3));
        assert!(decode_day(&encode_text("2029-13-01", 3)).is_err());
        assert!(decode_day(&c).is_err());
    }
}
