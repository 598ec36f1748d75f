//! Filling a node's database for the pages benchmark: realistic volumes written straight into
//! the tables, in statements of a few hundred rows and transactions of 50,000, on SQLite or
//! PostgreSQL through the store's own runner (`storage::db`), so 100,000 missions and 1,000,000
//! hours entries take minutes, not hours.
//!
//! At `missions = 100,000` (scale 1): 500 associations, 5,000 volunteers, 300,000 slots,
//! 200,000 sign-ups, 20,000 resources with 100,000 reservations, 1,000,000 hours entries and
//! 50,000 followers; every count scales with the missions (at least 5 associations), so an
//! association holds the same amount at every size and only the node grows. Missions start
//! over two years back to one year ahead (a third to come), as on a node that has run a while.

use chrono::{DateTime, Duration, Utc};
use entraide::domain::mission::CATEGORIES;
use entraide::domain::resource::RESOURCE_CATEGORIES;
use entraide::storage::db::{query, query_scalar, values_list, Arg, Pool};
use rand::{rngs::StdRng, Rng, SeedableRng};

/// What was filled, for the pages the benchmark asks for.
pub struct Filled {
    /// The path of an upcoming mission of the first association (`/m/…`).
    pub mission_path: String,
    pub associations: usize,
}

/// Opens the runner's pool on the node's (already migrated) database.
pub async fn open(url: &str) -> Pool {
    if url.starts_with("postgres") {
        Pool::Postgres(sqlx::PgPool::connect(url).await.expect("PostgreSQL"))
    } else {
        Pool::Sqlite(sqlx::SqlitePool::connect(url).await.expect("SQLite"))
    }
}

/// Inserts `rows` into `head` (`INSERT INTO t (a, b, c)`), a few hundred rows a statement.
async fn insert<I>(pool: &Pool, head: &str, columns: usize, rows: I)
where
    I: IntoIterator<Item = Vec<Arg<'static>>>,
{
    let per = (8_000 / columns).min(500);
    let mut tx = pool.begin_write().await.expect("begin");
    let mut batch: Vec<Vec<Arg<'static>>> = Vec::with_capacity(per);
    let mut in_tx = 0;
    for row in rows {
        debug_assert_eq!(row.len(), columns);
        batch.push(row);
        if batch.len() == per {
            let sql = format!("{head} VALUES {}", values_list(per, columns, 1));
            query(&sql)
                .bind_all(batch.drain(..).flatten())
                .execute(&mut tx)
                .await
                .expect(head);
            in_tx += per;
            if in_tx >= 50_000 {
                tx.commit().await.expect("commit");
                tx = pool.begin_write().await.expect("begin");
                in_tx = 0;
            }
        }
    }
    if !batch.is_empty() {
        let sql = format!("{head} VALUES {}", values_list(batch.len(), columns, 1));
        query(&sql)
            .bind_all(batch.drain(..).flatten())
            .execute(&mut tx)
            .await
            .expect(head);
    }
    tx.commit().await.expect("commit");
}

async fn ids(pool: &Pool, sql: &str) -> Vec<i64> {
    query_scalar::<i64>(sql).fetch_all(pool).await.expect(sql)
}

fn t(v: DateTime<Utc>) -> Arg<'static> {
    Arg::from(v)
}

fn s(v: impl Into<String>) -> Arg<'static> {
    Arg::from(v.into())
}

fn i(v: i64) -> Arg<'static> {
    Arg::from(v)
}

fn scaled(n: usize, missions: usize) -> usize {
    (n as u128 * missions as u128 / 100_000) as usize
}

/// Fills the database of a node whose association `asso0` (coordinated by `coordinator`, a
/// user id) exists already. `base` is the node's public URL.
pub async fn fill(
    pool: &Pool,
    base: &str,
    missions: usize,
    coordinator: i64,
    now: DateTime<Utc>,
) -> Filled {
    let mut rng = StdRng::seed_from_u64(17);
    let started = std::time::Instant::now();
    let step = |what: &str| println!("  {what} at {:.1} s", started.elapsed().as_secs_f64());
    let associations = scaled(500, missions).max(5);
    let volunteers = scaled(5_000, missions).max(50);

    // Associations: copies of asso0 (its keys, profile and hours settings) under other names.
    let first: i64 = query_scalar::<i64>("SELECT id FROM actor WHERE local AND name = 'asso0'")
        .fetch_one(pool)
        .await
        .expect("asso0");
    let mut actors = vec![first];
    for n in 1..associations {
        let name = format!("asso{n}");
        let id: i64 = query_scalar::<i64>(
            "INSERT INTO actor (ap_id, kind, name, host, display_name, summary, inbox, \
             shared_inbox, outbox, followers, url, public_key_pem, private_key_pem, local, \
             user_id, published, last_refreshed_at) SELECT replace(ap_id, '/asso0', '/' || $1), \
             kind, $1, host, 'Association ' || $1, summary, replace(inbox, '/asso0', '/' || $1), \
             shared_inbox, replace(outbox, '/asso0', '/' || $1), replace(followers, '/asso0', \
             '/' || $1), replace(url, '/asso0', '/' || $1), public_key_pem, private_key_pem, \
             local, user_id, published, last_refreshed_at FROM actor WHERE id = $2 RETURNING id",
        )
        .bind(name.as_str())
        .bind(first)
        .fetch_one(pool)
        .await
        .expect("association");
        actors.push(id);
    }

    // Volunteers (no password: they exist to have signed up and given hours).
    insert(
        pool,
        "INSERT INTO user_account (name, full_name, created_at)",
        3,
        (0..volunteers).map(|n| vec![s(format!("vol{n}")), s(format!("Bénévole {n}")), t(now)]),
    )
    .await;
    step("volunteers");
    let users = ids(
        pool,
        "SELECT id FROM user_account WHERE name LIKE 'vol%' ORDER BY id",
    )
    .await;

    // Missions: 200 per association, from two years back to a year ahead.
    let mut starts = Vec::with_capacity(missions);
    let mut rows = Vec::with_capacity(missions);
    let mut upcoming_of_first = None;
    for n in 0..missions {
        let start = now + Duration::hours(rng.gen_range(-24 * 730..24 * 365));
        let end = start + Duration::hours(rng.gen_range(2..6));
        let actor = n % associations;
        if actor == 0 && start > now + Duration::days(7) && upcoming_of_first.is_none() {
            upcoming_of_first = Some(n);
        }
        starts.push((start, end));
        let (category, _) = CATEGORIES[rng.gen_range(0..CATEGORIES.len())];
        let url = format!("{base}/m/bench{n}");
        let title = format!("Mission {n}: coup de main");
        rows.push(vec![
            s(url.clone()),
            i(actors[actor]),
            Arg::from(true),
            s(title),
            s("Une mission de test."),
            s("<p>Une mission de test.</p>"),
            s(""),
            s(category),
            s("[]"),
            s(""),
            s(""),
            s("29200"),
            s("Brest"),
            s("FR"),
            Arg::from(48.39 + rng.gen_range(-0.05..0.05)),
            Arg::from(-4.49 + rng.gen_range(-0.05..0.05)),
            Arg::from(false),
            t(start),
            t(end),
            Arg::from(Some(10_i64)),
            s("free"),
            s("published"),
            s(url),
            t(now),
            t(now),
        ]);
    }
    insert(
        pool,
        "INSERT INTO mission (ap_id, actor_id, local, title, description, content_html, \
         remote_summary, category, skills, place_name, street_address, postal_code, locality, \
         country, latitude, longitude, online, start_time, end_time, capacity, join_mode, status, \
         url, published, updated)",
        25,
        rows,
    )
    .await;
    step("missions");
    let mission_ids = ids(pool, "SELECT id FROM mission ORDER BY id").await;

    // Slots: three per mission, within it; sign-ups on two slots in three, a fifth pending.
    let slots = missions * 3;
    let signups = scaled(200_000, missions);
    let mut accepted = vec![0_i64; slots];
    let signup_slot = |k: usize| (k * 3 / 2) % slots;
    for k in 0..signups {
        if k % 5 != 0 {
            accepted[signup_slot(k)] += 1;
        }
    }
    insert(
        pool,
        "INSERT INTO slot (ap_id, mission_id, local, start_time, end_time, capacity, \
         participant_count, status, updated)",
        9,
        (0..slots).map(|k| {
            let (start, end) = starts[k / 3];
            let part = (end - start) / 3;
            let from = start + part * (k % 3) as i32;
            vec![
                s(format!("{base}/s/bench{k}")),
                i(mission_ids[k / 3]),
                Arg::from(true),
                t(from),
                t(from + part),
                i(10),
                i(accepted[k]),
                s("open"),
                t(now),
            ]
        }),
    )
    .await;
    step("slots");
    let slot_ids = ids(pool, "SELECT id FROM slot ORDER BY id").await;
    insert(
        pool,
        "INSERT INTO participation (slot_id, user_id, join_ap_id, status, created_at, decided_at)",
        6,
        (0..signups).map(|k| {
            let pending = k % 5 == 0;
            vec![
                i(slot_ids[signup_slot(k)]),
                i(users[k % users.len()]),
                s(format!("{base}/join/bench{k}")),
                s(if pending { "pending" } else { "accepted" }),
                t(now),
                Arg::from((!pending).then_some(now)),
            ]
        }),
    )
    .await;

    // Resources and their reservations (five each, a week apart, over the same three years).
    let resources = scaled(20_000, missions);
    insert(
        pool,
        "INSERT INTO resource (ap_id, actor_id, name, description, category, owner_kind, place, \
         latitude, longitude, quantity, mode, insurance_required, min_notice_hours, max_days, \
         turnaround_hours, approval, created_at, updated_at)",
        18,
        (0..resources).map(|k| {
            let category = RESOURCE_CATEGORIES[k % RESOURCE_CATEGORIES.len()];
            vec![
                s(format!("{base}/r/bench{k}")),
                i(actors[k % associations]),
                s(format!("Matériel {k}")),
                s("Du matériel à prêter."),
                s(category),
                s("association"),
                s("Brest"),
                Arg::from(48.39),
                Arg::from(-4.49),
                i(5),
                s("free_loan"),
                Arg::from(false),
                i(24),
                i(7),
                i(2),
                s("automatic"),
                t(now),
                t(now),
            ]
        }),
    )
    .await;
    step("sign-ups, resources");
    let resource_ids = ids(pool, "SELECT id FROM resource ORDER BY id").await;
    let reservations = scaled(100_000, missions);
    insert(
        pool,
        "INSERT INTO reservation (resource_id, offer_id, borrower_actor_id, quantity, start_time, \
         end_time, state, created_at, updated_at)",
        9,
        (0..reservations).map(|k| {
            let start = now + Duration::hours(rng.gen_range(-24 * 730..24 * 365));
            let state = if start > now { "accepted" } else { "returned" };
            vec![
                i(resource_ids[k % resource_ids.len()]),
                s(format!("{base}/offer/bench{k}")),
                i(actors[(k + 1) % associations]),
                i(1),
                t(start),
                t(start + Duration::days(2)),
                s(state),
                t(now),
                t(now),
            ]
        }),
    )
    .await;

    step("reservations");
    // Hours: 2,000 entries per association over three years, validated but a tenth. The entry
    // `k` is the association's `k / associations`-th: a tenth of those pending (`k % 10` was
    // the same for every entry of an association when their number is a multiple of 10, so
    // all of asso0's 2,000 entries were pending from 10,000 missions on, half at 1,000, and
    // all of one category).
    let hours = scaled(1_000_000, missions);
    insert(
        pool,
        "INSERT INTO hours_entry (actor_id, user_id, start_date, end_date, minutes, category, \
         mission_id, status, created_by, created_at, updated_at)",
        11,
        (0..hours).map(|k| {
            let nth = k / associations;
            let day = (now - Duration::days(rng.gen_range(0..1095))).date_naive();
            let day = day.format("%Y-%m-%d").to_string();
            vec![
                i(actors[k % associations]),
                i(users[k % users.len()]),
                s(day.clone()),
                s(day),
                i(rng.gen_range(1..9) * 30),
                s(CATEGORIES[rng.gen_range(0..CATEGORIES.len())].0),
                Arg::from(Some(mission_ids[k % mission_ids.len()])),
                s(if nth.is_multiple_of(10) {
                    "pending"
                } else {
                    "validated"
                }),
                Arg::from(Some(coordinator)),
                t(now),
                t(now),
            ]
        }),
    )
    .await;

    step("hours");
    // Followers: 100 per association, on 50 hosts.
    let followers = scaled(50_000, missions);
    insert(
        pool,
        "INSERT INTO follower (actor_id, follower_ap_id, inbox, shared_inbox, follow_ap_id, \
         created_at)",
        6,
        (0..followers).map(|k| {
            let host = format!("https://f{}.example", k % 50);
            vec![
                i(actors[k % associations]),
                s(format!("{host}/users/u{k}")),
                s(format!("{host}/users/u{k}/inbox")),
                s(format!("{host}/inbox")),
                s(format!("{host}/follows/{k}")),
                t(now),
            ]
        }),
    )
    .await;

    let n = upcoming_of_first.unwrap_or(0);
    Filled {
        mission_path: format!("/m/bench{n}"),
        associations,
    }
}
