//! The dialect-aware runner: the one place that touches sqlx's SQLite and PostgreSQL types
//! (besides opening the pool in `connect`).
//!
//! Every aggregate writes its SQL once, in the subset both dialects share, through builders
//! that mirror sqlx's (`query(sql).bind(x).execute(&mut tx)`,
//! `query_as::<Row>(sql).bind(x).fetch_optional(&pool)`, `query_scalar`). Arguments are kept
//! as an [`Arg`] list and bound, when the statement runs, with the native driver types of the
//! back end it runs on: timestamps, booleans and text are stored exactly as the drivers store
//! them (why not `sqlx::Any`: it has no chrono types). Each call matches once on the back end.
//! Where the dialects differ (how a write transaction begins, `FOR UPDATE`, `SKIP LOCKED`
//! claims, arrays), the caller matches on [`Dialect`] at that one place.
//!
//! Why not generic code over `sqlx::Database`: its trait bounds grow with every type bound, and
//! a macro stamping the SQL onto both pools (what we had) hides the code from rustfmt, clippy
//! and rust-analyzer.

use chrono::{DateTime, Utc};
use sqlx::{
    postgres::{PgArguments, PgPool, PgRow},
    sqlite::{SqliteArguments, SqlitePool, SqliteRow},
    Arguments, FromRow, Postgres, Sqlite, Transaction,
};
use std::borrow::Cow;

/// Which SQL dialect a pool or a transaction speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// What locks the rows a `SELECT` reads until the transaction ends. SQLite has one writer
    /// at a time (`BEGIN IMMEDIATE`), so it needs nothing.
    pub fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// What makes a claim pass over rows another process is claiming. SQLite has one writer
    /// at a time, so none is ever being claimed.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// A pool of connections to one of the two back ends.
#[derive(Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open transaction; dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Pool {
    pub fn dialect(&self) -> Dialect {
        match self {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads then writes fails with "database
    /// is locked" when another writer came in between, instead of waiting for it.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin_with("BEGIN").await?),
        })
    }
}

impl Tx {
    pub fn dialect(&self) -> Dialect {
        match self {
            Tx::Sqlite(_) => Dialect::Sqlite,
            Tx::Postgres(_) => Dialect::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
    }
}

/// Where a statement runs: on any connection of the pool, or inside a transaction.
pub enum Exec<'e> {
    Pool(&'e Pool),
    Tx(&'e mut Tx),
}

impl<'e> From<&'e Pool> for Exec<'e> {
    fn from(pool: &'e Pool) -> Self {
        Exec::Pool(pool)
    }
}

impl<'e> From<&'e mut Tx> for Exec<'e> {
    fn from(tx: &'e mut Tx) -> Self {
        Exec::Tx(tx)
    }
}

impl<'e, 'x> From<&'e mut Exec<'x>> for Exec<'e> {
    /// Lets a helper given an `Exec` run several statements on it.
    fn from(ex: &'e mut Exec<'x>) -> Self {
        match ex {
            Exec::Pool(p) => Exec::Pool(p),
            Exec::Tx(t) => Exec::Tx(t),
        }
    }
}

impl Exec<'_> {
    pub fn dialect(&self) -> Dialect {
        match self {
            Exec::Pool(p) => p.dialect(),
            Exec::Tx(t) => t.dialect(),
        }
    }
}

/// One bound value, typed as the column it fills. Text and bytes are borrowed when they can be
/// (SQLite binds them without a copy).
#[derive(Debug, Clone)]
pub enum Arg<'q> {
    Int(Option<i64>),
    Real(Option<f64>),
    Bool(Option<bool>),
    Text(Option<Cow<'q, str>>),
    Time(Option<DateTime<Utc>>),
    Bytes(Option<Cow<'q, [u8]>>),
    /// PostgreSQL only (`UNNEST($1::text[])`, the inbox's group commit).
    TextArray(Cow<'q, [String]>),
    /// PostgreSQL only (`UNNEST($2::timestamptz[])`).
    TimeArray(Cow<'q, [DateTime<Utc>]>),
}

impl<'q> Arg<'q> {
    fn add_sqlite(self, args: &mut SqliteArguments<'q>) -> Result<(), sqlx::Error> {
        let done = match self {
            Arg::Int(v) => args.add(v),
            Arg::Real(v) => args.add(v),
            Arg::Bool(v) => args.add(v),
            Arg::Text(v) => args.add(v),
            Arg::Time(v) => args.add(v),
            Arg::Bytes(Some(Cow::Borrowed(v))) => args.add(v),
            Arg::Bytes(v) => args.add(v.map(Cow::into_owned)),
            Arg::TextArray(_) | Arg::TimeArray(_) => {
                return Err(sqlx::Error::Protocol("SQLite has no arrays".into()))
            }
        };
        done.map_err(sqlx::Error::Encode)
    }

    fn add_pg(self, args: &mut PgArguments) -> Result<(), sqlx::Error> {
        let done = match self {
            Arg::Int(v) => args.add(v),
            Arg::Real(v) => args.add(v),
            Arg::Bool(v) => args.add(v),
            Arg::Text(v) => args.add(v.as_deref()),
            Arg::Time(v) => args.add(v),
            Arg::Bytes(v) => args.add(v.as_deref()),
            Arg::TextArray(v) => args.add(v.as_ref()),
            Arg::TimeArray(v) => args.add(v.as_ref()),
        };
        done.map_err(sqlx::Error::Encode)
    }
}

impl<'q> From<i64> for Arg<'q> {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl<'q> From<&i64> for Arg<'q> {
    fn from(v: &i64) -> Self {
        Arg::Int(Some(*v))
    }
}
impl<'q> From<Option<i64>> for Arg<'q> {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl<'q> From<f64> for Arg<'q> {
    fn from(v: f64) -> Self {
        Arg::Real(Some(v))
    }
}
impl<'q> From<Option<f64>> for Arg<'q> {
    fn from(v: Option<f64>) -> Self {
        Arg::Real(v)
    }
}
impl<'q> From<bool> for Arg<'q> {
    fn from(v: bool) -> Self {
        Arg::Bool(Some(v))
    }
}
impl<'q> From<Option<bool>> for Arg<'q> {
    fn from(v: Option<bool>) -> Self {
        Arg::Bool(v)
    }
}
impl<'q> From<&'q str> for Arg<'q> {
    fn from(v: &'q str) -> Self {
        Arg::Text(Some(Cow::Borrowed(v)))
    }
}
impl<'q> From<&'q String> for Arg<'q> {
    fn from(v: &'q String) -> Self {
        Arg::Text(Some(Cow::Borrowed(v)))
    }
}
impl<'q> From<String> for Arg<'q> {
    fn from(v: String) -> Self {
        Arg::Text(Some(Cow::Owned(v)))
    }
}
impl<'q> From<Option<String>> for Arg<'q> {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v.map(Cow::Owned))
    }
}
impl<'q> From<&'q Option<String>> for Arg<'q> {
    fn from(v: &'q Option<String>) -> Self {
        Arg::Text(v.as_deref().map(Cow::Borrowed))
    }
}
impl<'q> From<Option<&'q str>> for Arg<'q> {
    fn from(v: Option<&'q str>) -> Self {
        Arg::Text(v.map(Cow::Borrowed))
    }
}
impl<'q> From<Option<&'q String>> for Arg<'q> {
    fn from(v: Option<&'q String>) -> Self {
        Arg::Text(v.map(|s| Cow::Borrowed(s.as_str())))
    }
}
impl<'q> From<DateTime<Utc>> for Arg<'q> {
    fn from(v: DateTime<Utc>) -> Self {
        Arg::Time(Some(v))
    }
}
impl<'q> From<Option<DateTime<Utc>>> for Arg<'q> {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Arg::Time(v)
    }
}
impl<'q> From<&'q [u8]> for Arg<'q> {
    fn from(v: &'q [u8]) -> Self {
        Arg::Bytes(Some(Cow::Borrowed(v)))
    }
}
impl<'q> From<Option<Vec<u8>>> for Arg<'q> {
    fn from(v: Option<Vec<u8>>) -> Self {
        Arg::Bytes(v.map(Cow::Owned))
    }
}
impl<'q> From<Vec<u8>> for Arg<'q> {
    fn from(v: Vec<u8>) -> Self {
        Arg::Bytes(Some(Cow::Owned(v)))
    }
}
impl<'q> From<&'q [String]> for Arg<'q> {
    fn from(v: &'q [String]) -> Self {
        Arg::TextArray(Cow::Borrowed(v))
    }
}
impl<'q> From<&'q [DateTime<Utc>]> for Arg<'q> {
    fn from(v: &'q [DateTime<Utc>]) -> Self {
        Arg::TimeArray(Cow::Borrowed(v))
    }
}

/// A row struct that decodes on both drivers (`#[derive(sqlx::FromRow)]` gives it).
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T
where
    T: for<'r> FromRow<'r, SqliteRow>,
    T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
}

/// What a statement that returns no rows did.
#[derive(Debug, Clone, Copy)]
pub struct Done(u64);

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.0
    }
}

/// A statement and its arguments.
pub struct Query<'q> {
    sql: &'q str,
    args: Vec<Arg<'q>>,
}

/// A statement whose rows decode into `R`.
pub struct QueryAs<'q, R> {
    inner: Query<'q>,
    row: std::marker::PhantomData<fn() -> R>,
}

/// A statement whose rows are one column of type `T`.
pub struct QueryScalar<'q, T> {
    inner: QueryAs<'q, (T,)>,
}

/// A statement to run for its effect (or its row count).
pub fn query(sql: &str) -> Query<'_> {
    // Most statements bind a handful of values: one allocation for them.
    Query {
        sql,
        args: Vec::with_capacity(8),
    }
}

/// A statement whose rows decode into `R`.
pub fn query_as<R: Row>(sql: &str) -> QueryAs<'_, R> {
    QueryAs {
        inner: query(sql),
        row: std::marker::PhantomData,
    }
}

/// A statement returning one column.
pub fn query_scalar<T>(sql: &str) -> QueryScalar<'_, T>
where
    (T,): Row,
{
    QueryScalar {
        inner: query_as(sql),
    }
}

impl<'q> Query<'q> {
    pub fn bind(mut self, value: impl Into<Arg<'q>>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Makes room for `n` more values (a bulk statement binds hundreds).
    pub fn reserve(mut self, n: usize) -> Self {
        self.args.reserve(n);
        self
    }

    /// Binds each value in turn (the rows of a bulk insert, the ids of an `IN` list).
    pub fn bind_all(mut self, values: impl IntoIterator<Item = Arg<'q>>) -> Self {
        self.args.extend(values);
        self
    }

    fn sqlite_args(&mut self) -> Result<SqliteArguments<'q>, sqlx::Error> {
        let mut args = SqliteArguments::default();
        for arg in self.args.drain(..) {
            arg.add_sqlite(&mut args)?;
        }
        Ok(args)
    }

    fn pg_args(&mut self) -> Result<PgArguments, sqlx::Error> {
        let mut args = PgArguments::default();
        args.reserve(self.args.len(), 0);
        for arg in self.args.drain(..) {
            arg.add_pg(&mut args)?;
        }
        Ok(args)
    }

    pub async fn execute<'e>(mut self, ex: impl Into<Exec<'e>>) -> Result<Done, sqlx::Error> {
        let done = match ex.into() {
            Exec::Pool(Pool::Sqlite(p)) => {
                let args = self.sqlite_args()?;
                sqlx::query_with(self.sql, args)
                    .execute(p)
                    .await?
                    .rows_affected()
            }
            Exec::Tx(Tx::Sqlite(t)) => {
                let args = self.sqlite_args()?;
                sqlx::query_with(self.sql, args)
                    .execute(&mut **t)
                    .await?
                    .rows_affected()
            }
            Exec::Pool(Pool::Postgres(p)) => {
                let args = self.pg_args()?;
                sqlx::query_with(self.sql, args)
                    .execute(p)
                    .await?
                    .rows_affected()
            }
            Exec::Tx(Tx::Postgres(t)) => {
                let args = self.pg_args()?;
                sqlx::query_with(self.sql, args)
                    .execute(&mut **t)
                    .await?
                    .rows_affected()
            }
        };
        Ok(Done(done))
    }
}

impl<'q, R: Row> QueryAs<'q, R> {
    pub fn bind(mut self, value: impl Into<Arg<'q>>) -> Self {
        self.inner = self.inner.bind(value);
        self
    }

    pub async fn fetch_optional<'e>(
        mut self,
        ex: impl Into<Exec<'e>>,
    ) -> Result<Option<R>, sqlx::Error> {
        let q = &mut self.inner;
        match ex.into() {
            Exec::Pool(Pool::Sqlite(p)) => {
                let args = q.sqlite_args()?;
                sqlx::query_as_with(q.sql, args).fetch_optional(p).await
            }
            Exec::Tx(Tx::Sqlite(t)) => {
                let args = q.sqlite_args()?;
                sqlx::query_as_with(q.sql, args)
                    .fetch_optional(&mut **t)
                    .await
            }
            Exec::Pool(Pool::Postgres(p)) => {
                let args = q.pg_args()?;
                sqlx::query_as_with(q.sql, args).fetch_optional(p).await
            }
            Exec::Tx(Tx::Postgres(t)) => {
                let args = q.pg_args()?;
                sqlx::query_as_with(q.sql, args)
                    .fetch_optional(&mut **t)
                    .await
            }
        }
    }

    /// The first row; `RowNotFound` when there is none.
    pub async fn fetch_one<'e>(self, ex: impl Into<Exec<'e>>) -> Result<R, sqlx::Error> {
        self.fetch_optional(ex)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// Every row, each made into what the caller wants by `f` (a row into its domain type).
    pub async fn fetch_all_map<'e, T>(
        self,
        ex: impl Into<Exec<'e>>,
        f: impl FnMut(R) -> T,
    ) -> Result<Vec<T>, sqlx::Error> {
        Ok(self.fetch_all(ex).await?.into_iter().map(f).collect())
    }

    /// Every row, each made into what the caller wants by `f`, which may refuse one (a row whose
    /// stored text no longer reads): the first refusal is the answer.
    pub async fn fetch_all_try<'e, T, E: From<sqlx::Error>>(
        self,
        ex: impl Into<Exec<'e>>,
        f: impl FnMut(R) -> Result<T, E>,
    ) -> Result<Vec<T>, E> {
        self.fetch_all(ex).await?.into_iter().map(f).collect()
    }

    pub async fn fetch_all<'e>(mut self, ex: impl Into<Exec<'e>>) -> Result<Vec<R>, sqlx::Error> {
        let q = &mut self.inner;
        match ex.into() {
            Exec::Pool(Pool::Sqlite(p)) => {
                let args = q.sqlite_args()?;
                sqlx::query_as_with(q.sql, args).fetch_all(p).await
            }
            Exec::Tx(Tx::Sqlite(t)) => {
                let args = q.sqlite_args()?;
                sqlx::query_as_with(q.sql, args).fetch_all(&mut **t).await
            }
            Exec::Pool(Pool::Postgres(p)) => {
                let args = q.pg_args()?;
                sqlx::query_as_with(q.sql, args).fetch_all(p).await
            }
            Exec::Tx(Tx::Postgres(t)) => {
                let args = q.pg_args()?;
                sqlx::query_as_with(q.sql, args).fetch_all(&mut **t).await
            }
        }
    }
}

impl<'q, T> QueryScalar<'q, T>
where
    (T,): Row,
{
    pub fn bind(mut self, value: impl Into<Arg<'q>>) -> Self {
        self.inner = self.inner.bind(value);
        self
    }

    pub async fn fetch_optional<'e>(
        self,
        ex: impl Into<Exec<'e>>,
    ) -> Result<Option<T>, sqlx::Error> {
        Ok(self.inner.fetch_optional(ex).await?.map(|(v,)| v))
    }

    pub async fn fetch_one<'e>(self, ex: impl Into<Exec<'e>>) -> Result<T, sqlx::Error> {
        Ok(self.inner.fetch_one(ex).await?.0)
    }

    pub async fn fetch_all<'e>(self, ex: impl Into<Exec<'e>>) -> Result<Vec<T>, sqlx::Error> {
        self.inner.fetch_all_map(ex, |(v,)| v).await
    }
}

/// `($1, $2, …), ($n+1, …)`: the placeholders of a bulk `VALUES` list of `rows` rows of
/// `columns` values each, numbered from `$first`. Statements of 100 rows insert a mission's
/// deliveries to 1,000 followers in ten round trips instead of a thousand.
pub fn values_list(rows: usize, columns: usize, first: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    let mut n = first;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&n.to_string());
            n += 1;
        }
        sql.push(')');
    }
    sql
}

/// The rows whose key is one of `keys`, read [`IN_LIST_CHUNK`](super::shared::IN_LIST_CHUNK)
/// keys a statement (neither back end takes an unbounded number of bound values). `sql` writes
/// the statement around the `IN` list of one chunk (`($1, $2, …)`); `arg` binds a key. Rows
/// come chunk after chunk, each chunk in the statement's order.
pub async fn fetch_all_in<'k, R: Row, K>(
    pool: &Pool,
    keys: &'k [K],
    sql: impl Fn(&str) -> String,
    arg: impl Fn(&'k K) -> Arg<'k>,
) -> Result<Vec<R>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in keys.chunks(super::shared::IN_LIST_CHUNK) {
        let text = sql(&values_list(1, chunk.len(), 1));
        let mut q = query_as::<R>(&text);
        for key in chunk {
            q = q.bind(arg(key));
        }
        out.extend(q.fetch_all(pool).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_list_numbers_every_placeholder() {
        assert_eq!(values_list(2, 3, 1), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(values_list(1, 2, 3), "($3, $4)");
    }
}
