//! Reading a node's database directly, to check what the API cannot show: counts that must
//! agree, rows that must not be half-written, SQLite's own integrity check.

use sqlx::{sqlite::SqliteConnectOptions, Connection, PgConnection, Row, SqliteConnection};
use std::str::FromStr;

/// The first column of a row, as text (a number or a string; NULL as "").
fn first<R: Row>(row: &R) -> String
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get::<Option<i64>, _>(0usize)
        .map(|n| n.map(|n| n.to_string()))
        .or_else(|_| row.try_get::<Option<String>, _>(0usize))
        .unwrap_or_else(|e| panic!("neither a number nor text: {e}"))
        .unwrap_or_default()
}

/// The first column of every row `query` returns (SQLite or PostgreSQL, by URL).
pub fn column(url: &str, query: &str) -> Vec<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        if url.starts_with("postgres") {
            let mut c = PgConnection::connect(url)
                .await
                .expect("connect to PostgreSQL");
            let rows = sqlx::query(query)
                .fetch_all(&mut c)
                .await
                .unwrap_or_else(|e| panic!("{query}: {e}"));
            rows.iter().map(first).collect()
        } else {
            let options = SqliteConnectOptions::from_str(url).expect("SQLite URL");
            let mut c = SqliteConnection::connect_with(&options)
                .await
                .expect("open SQLite");
            let rows = sqlx::query(query)
                .fetch_all(&mut c)
                .await
                .unwrap_or_else(|e| panic!("{query}: {e}"));
            rows.iter().map(first).collect()
        }
    })
}

/// The one number `query` returns.
pub fn number(url: &str, query: &str) -> i64 {
    let rows = column(url, query);
    assert_eq!(rows.len(), 1, "{query}: {rows:?}");
    rows[0]
        .parse()
        .unwrap_or_else(|_| panic!("{query}: {rows:?}"))
}
