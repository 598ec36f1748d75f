//! Read models: what a page lists, read in a fixed number of statements whatever the number of
//! missions, slots and people it shows. Each method takes the ids of the missions the page shows
//! (a page shows at most a few hundred) and joins what would otherwise be read one row at a time
//! (who signed up, by name; who showed interest, by handle).

use super::db::{query_as, values_list, QueryAs, Row};
use super::rows::ParticipationRow;
use super::{Result, SqlStore};
use crate::domain::{fediverse::Interest, slot::Participation};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A local account as a sign-up names it: its name, its full name (empty when not given) and,
/// when given, its email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName {
    pub name: String,
    pub full_name: String,
    pub email: Option<String>,
}

impl UserName {
    /// The full name when given, else the account's name (as `User::shown_name`).
    pub fn shown(&self) -> &str {
        match self.full_name.trim() {
            "" => &self.name,
            full => full,
        }
    }
}

/// A remote actor as this node knows it, enough to name it: `@name@host`, and the name it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorName {
    pub name: String,
    pub host: String,
    pub display_name: String,
}

impl ActorName {
    /// The name it shows, or its account name when it shows none (as `Actor::label`).
    pub fn label(&self) -> &str {
        if self.display_name.is_empty() {
            &self.name
        } else {
            &self.display_name
        }
    }

    /// `@name@host` (as `Actor::handle`).
    pub fn handle(&self) -> String {
        format!("@{}@{}", self.name, self.host)
    }
}

/// A sign-up read with what it takes to say who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSignUp {
    pub participation: Participation,
    /// The local account, for a local user's sign-up.
    pub user: Option<UserName>,
    /// The remote person, for a remote sign-up, when this node knows them.
    pub actor: Option<ActorName>,
}

/// What waits for an association's coordinators, counted (the dashboard's work list).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkCounts {
    /// Sign-ups waiting for an answer, on slots not over yet.
    pub sign_ups: i64,
    /// Hours waiting for validation.
    pub hours: i64,
    /// Attestations asked and not confirmed yet.
    pub attestations: i64,
    /// Reservation requests of its resources waiting for an answer, not over yet.
    pub reservations: i64,
    /// Accepted loans to hand over: starting before `soon`, not over yet.
    pub pickups: i64,
    /// Loans handed over whose end falls between now and `soon`.
    pub returns: i64,
    /// Loans handed over and not returned although their end has passed.
    pub overdue: i64,
}

/// Reads of the coordinators' dashboard.
#[async_trait]
pub trait DashboardStore: Send + Sync {
    /// What waits for the coordinators of the association `actor_id` at `now`, counted in one
    /// statement; `soon` bounds the pickups and returns said to be due.
    async fn work_counts(
        &self,
        actor_id: i64,
        now: DateTime<Utc>,
        soon: DateTime<Utc>,
    ) -> Result<WorkCounts>;
    /// The active sign-ups (pending or accepted) on the slots of these missions that end after
    /// `ending_after`, oldest first (as `list_participations`), each with its person's names.
    async fn named_sign_ups(
        &self,
        mission_ids: &[i64],
        ending_after: DateTime<Utc>,
    ) -> Result<Vec<NamedSignUp>>;
    /// The `latest` newest interests shown in each of these missions, by mission id then newest
    /// first, each with its author when this node knows them.
    async fn latest_interests(
        &self,
        mission_ids: &[i64],
        latest: i64,
    ) -> Result<Vec<(Interest, Option<ActorName>)>>;
}

/// `(p.id, …)`-style columns of a participation read from the table aliased `p`.
const P_COLS: &str = "p.id, p.slot_id, p.user_id, p.actor_ap_id, p.guest_name, p.guest_contact, \
    p.join_ap_id, p.status, p.message, p.reason, p.created_at, p.decided_at";

#[derive(sqlx::FromRow)]
struct NamedSignUpRow {
    #[sqlx(flatten)]
    participation: ParticipationRow,
    u_name: Option<String>,
    u_full_name: Option<String>,
    u_email: Option<String>,
    a_name: Option<String>,
    a_host: Option<String>,
    a_display_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct InterestRow {
    id: i64,
    mission_id: i64,
    actor_ap_id: String,
    note_ap_id: String,
    content: String,
    created_at: DateTime<Utc>,
    a_name: Option<String>,
    a_host: Option<String>,
    a_display_name: Option<String>,
}

/// The names of a joined actor, when the join found it.
fn actor_name(
    name: Option<String>,
    host: Option<String>,
    display_name: Option<String>,
) -> Option<ActorName> {
    Some(ActorName {
        name: name?,
        host: host?,
        display_name: display_name.unwrap_or_default(),
    })
}

/// Binds each id in turn (after the statement's other values).
fn bind_ids<'q, R: Row>(mut q: QueryAs<'q, R>, ids: &[i64]) -> QueryAs<'q, R> {
    for id in ids {
        q = q.bind(*id);
    }
    q
}

#[async_trait]
impl DashboardStore for SqlStore {
    async fn work_counts(
        &self,
        actor_id: i64,
        now: DateTime<Utc>,
        soon: DateTime<Utc>,
    ) -> Result<WorkCounts> {
        let sql = work_counts_sql();
        Ok(query_as::<WorkCounts>(&sql)
            .bind(actor_id)
            .bind(now)
            .bind(soon)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn named_sign_ups(
        &self,
        mission_ids: &[i64],
        ending_after: DateTime<Utc>,
    ) -> Result<Vec<NamedSignUp>> {
        if mission_ids.is_empty() {
            return Ok(Vec::new());
        }
        // An actor's ActivityPub id is unique: the join adds no row.
        let sql = format!(
            "SELECT {P_COLS}, u.name AS u_name, u.full_name AS u_full_name, u.email AS u_email, \
             a.name AS a_name, a.host AS a_host, a.display_name AS a_display_name \
             FROM participation p \
             JOIN slot s ON s.id = p.slot_id \
             LEFT JOIN user_account u ON u.id = p.user_id \
             LEFT JOIN actor a ON a.ap_id = p.actor_ap_id \
             WHERE s.end_time > $1 AND p.status IN ('pending', 'accepted') \
             AND s.mission_id IN {} ORDER BY p.created_at, p.id",
            values_list(1, mission_ids.len(), 2)
        );
        let q = query_as::<NamedSignUpRow>(&sql).bind(ending_after);
        bind_ids(q, mission_ids)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                Ok(NamedSignUp {
                    participation: Participation::try_from(r.participation)?,
                    user: r.u_name.map(|name| UserName {
                        name,
                        full_name: r.u_full_name.unwrap_or_default(),
                        email: r.u_email,
                    }),
                    actor: actor_name(r.a_name, r.a_host, r.a_display_name),
                })
            })
            .collect()
    }

    async fn latest_interests(
        &self,
        mission_ids: &[i64],
        latest: i64,
    ) -> Result<Vec<(Interest, Option<ActorName>)>> {
        if mission_ids.is_empty() || latest <= 0 {
            return Ok(Vec::new());
        }
        // Numbered newest first within each mission, so only the newest few are read.
        let sql = format!(
            "SELECT i.id, i.mission_id, i.actor_ap_id, i.note_ap_id, i.content, i.created_at, \
             a.name AS a_name, a.host AS a_host, a.display_name AS a_display_name FROM (\
             SELECT id, mission_id, actor_ap_id, note_ap_id, content, created_at, ROW_NUMBER() \
             OVER (PARTITION BY mission_id ORDER BY created_at DESC, id DESC) AS n \
             FROM interest WHERE mission_id IN {}) i \
             LEFT JOIN actor a ON a.ap_id = i.actor_ap_id \
             WHERE i.n <= $1 ORDER BY i.mission_id, i.created_at DESC, i.id DESC",
            values_list(1, mission_ids.len(), 2)
        );
        let q = query_as::<InterestRow>(&sql).bind(latest);
        Ok(bind_ids(q, mission_ids)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                let author = actor_name(r.a_name, r.a_host, r.a_display_name);
                let interest = Interest {
                    id: r.id,
                    mission_id: r.mission_id,
                    actor_ap_id: r.actor_ap_id,
                    note_ap_id: r.note_ap_id,
                    content: r.content,
                    created_at: r.created_at,
                };
                (interest, author)
            })
            .collect())
    }
}

/// The work list's counts of an association (`$1`) at `$2`, due by `$3`, in one statement;
/// each count reads an index of the association's rows. The sign-ups waiting are sought in
/// its missions not over yet only (`mission_actor_end`): a slot lies within its mission's
/// dates, and the board lists those missions alone, so its cost does not grow with the
/// association's past.
pub(super) fn work_counts_sql() -> String {
    const LOANS: &str =
        "FROM reservation r JOIN resource x ON x.id = r.resource_id WHERE x.actor_id = $1";
    format!(
        "SELECT \
         (SELECT COUNT(*) FROM participation p JOIN slot s ON s.id = p.slot_id \
          JOIN mission m ON m.id = s.mission_id WHERE m.actor_id = $1 AND m.end_time > $2 \
          AND m.deleted_at IS NULL AND p.status = 'pending' AND s.end_time > $2) AS sign_ups, \
         (SELECT COUNT(*) FROM hours_entry WHERE actor_id = $1 AND status = 'pending') \
          AS hours, \
         (SELECT COUNT(*) FROM hours_attestation WHERE actor_id = $1 \
          AND confirmed_at IS NULL) AS attestations, \
         (SELECT COUNT(*) {LOANS} AND r.state = 'requested' AND r.end_time > $2) \
          AS reservations, \
         (SELECT COUNT(*) {LOANS} AND r.state = 'accepted' AND r.start_time <= $3 \
          AND r.end_time > $2) AS pickups, \
         (SELECT COUNT(*) {LOANS} AND r.state = 'picked_up' AND r.end_time >= $2 \
          AND r.end_time <= $3) AS returns, \
         (SELECT COUNT(*) {LOANS} AND r.state = 'picked_up' AND r.end_time < $2) AS overdue"
    )
}
