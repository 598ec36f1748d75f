//! Moderation (issue 18): the rules set at run time (a host or an actor, blocked or silenced),
//! the reports, the remote items removed by an administrator, and the log of every action.
//! Each change writes its log entry in its own transaction; the log's size and highest id are
//! the marker every process compares to know when to read the rules again.

use super::db::{query, query_as, query_scalar, Tx};
use super::shared::push_event;
use super::{Result, SqlStore, StoreError};
use crate::domain::{
    events::Outgoing,
    moderation::{
        LogEntry, NewReport, NewRule, Removed, Report, ReportKind, Rule, Severity, Target,
    },
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What a block took away at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockEffects {
    /// Followers of our actors removed, and follows of ours towards it.
    pub follows: u64,
    /// Remote missions and resources hidden (deleted here).
    pub items: u64,
}

#[async_trait]
pub trait ModerationStore: Send + Sync {
    /// Records a rule and its log entry; a block also removes, in the same transaction, the
    /// follows between our actors and the actors it names, and hides their missions and
    /// resources. Conflict when a rule already names the target.
    async fn add_rule(
        &self,
        rule: NewRule,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(Rule, BlockEffects)>;
    /// Removes a rule (logged as `unblock`); `None` when there is no such rule.
    async fn remove_rule(&self, id: i64, by: &str, now: DateTime<Utc>) -> Result<Option<Rule>>;
    /// Every rule, oldest first.
    async fn list_rules(&self) -> Result<Vec<Rule>>;
    /// Changes when anything moderation-related was written (the log's size and highest id).
    async fn moderation_marker(&self) -> Result<(i64, i64)>;
    /// Records a report (conflict when its `Flag` was already received).
    async fn add_report(&self, report: NewReport, now: DateTime<Utc>) -> Result<Report>;
    async fn find_report(&self, id: i64) -> Result<Option<Report>>;
    /// The reports, newest first; only the open ones when `open_only`.
    async fn list_reports(&self, open_only: bool) -> Result<Vec<Report>>;
    /// Marks an open report resolved (logged with `note`); false when it was not open.
    async fn resolve_report(
        &self,
        id: i64,
        by: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Marks a report forwarded and queues `event` (its `Flag`) in the same transaction.
    async fn report_forwarded(
        &self,
        id: i64,
        by: &str,
        event: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Removes a remote mission or resource from this node (hidden, never imported again
    /// until restored); false when it was already removed.
    async fn remove_item(
        &self,
        kind: ReportKind,
        ap_id: &str,
        by: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Gives a removed item back: shown again, imported again by later updates.
    async fn restore_item(&self, ap_id: &str, by: &str, now: DateTime<Utc>) -> Result<bool>;
    async fn is_removed(&self, ap_id: &str) -> Result<bool>;
    /// The removed items, newest first.
    async fn list_removed(&self) -> Result<Vec<Removed>>;
    /// The log, newest first, at most `limit` entries.
    async fn list_moderation_log(&self, limit: i64) -> Result<Vec<LogEntry>>;
}

#[derive(sqlx::FromRow)]
struct RuleRow {
    id: i64,
    kind: String,
    target: String,
    severity: String,
    reason: String,
    created_by: String,
    created_at: DateTime<Utc>,
}

impl From<RuleRow> for Rule {
    fn from(r: RuleRow) -> Rule {
        Rule {
            id: Some(r.id),
            target: Target::from_parts(&r.kind, &r.target),
            severity: Severity::parse(&r.severity).unwrap_or(Severity::Block),
            reason: r.reason,
            created_by: r.created_by,
            created_at: Some(r.created_at),
        }
    }
}

const RULE_COLS: &str = "id, kind, target, severity, reason, created_by, created_at";

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    reporter: String,
    origin: String,
    target_kind: String,
    target: String,
    target_actor: String,
    comment: String,
    flag_ap_id: Option<String>,
    created_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
    resolved_by: Option<String>,
    forwarded_at: Option<DateTime<Utc>>,
}

impl From<ReportRow> for Report {
    fn from(r: ReportRow) -> Report {
        Report {
            id: r.id,
            reporter: r.reporter,
            origin: r.origin,
            kind: ReportKind::parse(&r.target_kind).unwrap_or(ReportKind::Actor),
            target: r.target,
            target_actor: r.target_actor,
            comment: r.comment,
            flag_ap_id: r.flag_ap_id,
            created_at: r.created_at,
            resolved_at: r.resolved_at,
            resolved_by: r.resolved_by,
            forwarded_at: r.forwarded_at,
        }
    }
}

const REPORT_COLS: &str = "id, reporter, origin, target_kind, target, target_actor, comment, \
    flag_ap_id, created_at, resolved_at, resolved_by, forwarded_at";

#[derive(sqlx::FromRow)]
struct LogRow {
    id: i64,
    at: DateTime<Utc>,
    by_name: String,
    action: String,
    target: String,
    reason: String,
}

#[derive(sqlx::FromRow)]
struct RemovedRow {
    ap_id: String,
    kind: String,
    removed_by: String,
    reason: String,
    removed_at: DateTime<Utc>,
}

async fn log(
    tx: &mut Tx,
    by: &str,
    action: &str,
    target: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    query(
        "INSERT INTO moderation_log (at, by_name, action, target, reason) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now)
    .bind(by)
    .bind(action)
    .bind(target)
    .bind(reason)
    .execute(tx)
    .await?;
    Ok(())
}

/// The remote actors a target names: `$1` the host or the actor's id, `$2` `%.host`.
fn actors_of(target: &Target) -> &'static str {
    match target {
        Target::Host(_) => "SELECT id FROM actor WHERE NOT local AND (host = $1 OR host LIKE $2)",
        Target::Actor(_) => "SELECT id FROM actor WHERE NOT local AND ap_id = $1 AND $2 = $2",
    }
}

async fn apply_block(tx: &mut Tx, target: &Target, now: DateTime<Utc>) -> Result<BlockEffects> {
    let actors = actors_of(target);
    let value = target.value().to_string();
    let sub = format!("%.{value}");
    let ap_ids = format!("SELECT ap_id FROM actor WHERE id IN ({actors})");
    // Follows both ways, then the missions and resources (dated `$3`).
    let statements = [
        format!("DELETE FROM follower WHERE follower_ap_id IN ({ap_ids})"),
        format!("DELETE FROM following WHERE target_ap_id IN ({ap_ids})"),
        format!(
            "UPDATE mission SET deleted_at = $3 WHERE NOT local AND deleted_at IS NULL \
             AND actor_id IN ({actors})"
        ),
        format!(
            "UPDATE resource SET deleted_at = $3, updated_at = $3 WHERE deleted_at IS NULL \
             AND actor_id IN ({actors})"
        ),
    ];
    let mut counts = [0u64; 4];
    for (i, sql) in statements.iter().enumerate() {
        let mut q = query(sql).bind(&value).bind(&sub);
        if i >= 2 {
            q = q.bind(now);
        }
        counts[i] = q.execute(&mut *tx).await?.rows_affected();
    }
    Ok(BlockEffects {
        follows: counts[0] + counts[1],
        items: counts[2] + counts[3],
    })
}

#[async_trait]
impl ModerationStore for SqlStore {
    async fn add_rule(
        &self,
        rule: NewRule,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(Rule, BlockEffects)> {
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "INSERT INTO moderation_rule (kind, target, severity, reason, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (target) DO NOTHING RETURNING {RULE_COLS}"
        );
        let row = query_as::<RuleRow>(&sql)
            .bind(rule.target.kind())
            .bind(rule.target.value())
            .bind(rule.severity.as_str())
            .bind(&rule.reason)
            .bind(by)
            .bind(now)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::Conflict("moderation rule"))?;
        let effects = if rule.severity == Severity::Block {
            apply_block(&mut tx, &rule.target, now).await?
        } else {
            BlockEffects::default()
        };
        log(
            &mut tx,
            by,
            rule.severity.as_str(),
            rule.target.value(),
            &rule.reason,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((Rule::from(row), effects))
    }

    async fn remove_rule(&self, id: i64, by: &str, now: DateTime<Utc>) -> Result<Option<Rule>> {
        let mut tx = self.pool.begin_write().await?;
        let sql = format!("DELETE FROM moderation_rule WHERE id = $1 RETURNING {RULE_COLS}");
        let Some(row) = query_as::<RuleRow>(&sql)
            .bind(id)
            .fetch_optional(&mut tx)
            .await?
        else {
            tx.rollback().await?;
            return Ok(None);
        };
        let rule = Rule::from(row);
        log(&mut tx, by, "unblock", rule.target.value(), "", now).await?;
        tx.commit().await?;
        Ok(Some(rule))
    }

    async fn list_rules(&self) -> Result<Vec<Rule>> {
        let sql = format!("SELECT {RULE_COLS} FROM moderation_rule ORDER BY id");
        Ok(query_as::<RuleRow>(&sql)
            .fetch_all_map(&self.pool, Rule::from)
            .await?)
    }

    async fn moderation_marker(&self) -> Result<(i64, i64)> {
        let n = query_scalar::<i64>("SELECT COUNT(*) FROM moderation_log")
            .fetch_one(&self.pool)
            .await?;
        let top = query_scalar::<i64>("SELECT COALESCE(MAX(id), 0) FROM moderation_log")
            .fetch_one(&self.pool)
            .await?;
        Ok((n, top))
    }

    async fn add_report(&self, r: NewReport, now: DateTime<Utc>) -> Result<Report> {
        let sql = format!(
            "INSERT INTO moderation_report (reporter, origin, target_kind, target, target_actor, \
             comment, flag_ap_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (flag_ap_id) DO NOTHING RETURNING {REPORT_COLS}"
        );
        query_as::<ReportRow>(&sql)
            .bind(&r.reporter)
            .bind(&r.origin)
            .bind(r.kind.as_str())
            .bind(&r.target)
            .bind(&r.target_actor)
            .bind(&r.comment)
            .bind(&r.flag_ap_id)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
            .map(Report::from)
            .ok_or(StoreError::Conflict("report"))
    }

    async fn find_report(&self, id: i64) -> Result<Option<Report>> {
        let sql = format!("SELECT {REPORT_COLS} FROM moderation_report WHERE id = $1");
        Ok(query_as::<ReportRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Report::from))
    }

    async fn list_reports(&self, open_only: bool) -> Result<Vec<Report>> {
        let sql = format!(
            "SELECT {REPORT_COLS} FROM moderation_report WHERE (NOT $1 OR resolved_at IS NULL) \
             ORDER BY id DESC"
        );
        Ok(query_as::<ReportRow>(&sql)
            .bind(open_only)
            .fetch_all_map(&self.pool, Report::from)
            .await?)
    }

    async fn resolve_report(
        &self,
        id: i64,
        by: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let target = query_scalar::<String>(
            "UPDATE moderation_report SET resolved_at = $2, resolved_by = $3 \
             WHERE id = $1 AND resolved_at IS NULL RETURNING target",
        )
        .bind(id)
        .bind(now)
        .bind(by)
        .fetch_optional(&mut tx)
        .await?;
        let Some(target) = target else {
            tx.rollback().await?;
            return Ok(false);
        };
        log(
            &mut tx,
            by,
            "resolve",
            &format!("#{id} {target}"),
            note,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn report_forwarded(
        &self,
        id: i64,
        by: &str,
        event: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let target = query_scalar::<String>(
            "UPDATE moderation_report SET forwarded_at = $2 WHERE id = $1 RETURNING target",
        )
        .bind(id)
        .bind(now)
        .fetch_optional(&mut tx)
        .await?;
        let Some(target) = target else {
            tx.rollback().await?;
            return Ok(false);
        };
        push_event(&mut tx, &event, now).await?;
        log(&mut tx, by, "forward", &format!("#{id} {target}"), "", now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn remove_item(
        &self,
        kind: ReportKind,
        ap_id: &str,
        by: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let added = query(
            "INSERT INTO moderation_removed (ap_id, kind, removed_by, reason, removed_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ap_id) DO NOTHING",
        )
        .bind(ap_id)
        .bind(kind.as_str())
        .bind(by)
        .bind(reason)
        .bind(now)
        .execute(&mut tx)
        .await?
        .rows_affected()
            > 0;
        if !added {
            tx.rollback().await?;
            return Ok(false);
        }
        let sql = match kind {
            ReportKind::Resource => {
                "UPDATE resource SET deleted_at = $2, updated_at = $2 WHERE ap_id = $1 \
                 AND deleted_at IS NULL"
            }
            _ => {
                "UPDATE mission SET deleted_at = $2 WHERE ap_id = $1 AND NOT local \
                 AND deleted_at IS NULL"
            }
        };
        query(sql).bind(ap_id).bind(now).execute(&mut tx).await?;
        log(&mut tx, by, "remove", ap_id, reason, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn restore_item(&self, ap_id: &str, by: &str, now: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let kind = query_scalar::<String>(
            "DELETE FROM moderation_removed WHERE ap_id = $1 RETURNING kind",
        )
        .bind(ap_id)
        .fetch_optional(&mut tx)
        .await?;
        let Some(kind) = kind else {
            tx.rollback().await?;
            return Ok(false);
        };
        let sql = if kind == "resource" {
            "UPDATE resource SET deleted_at = NULL, updated_at = $2 WHERE ap_id = $1"
        } else {
            "UPDATE mission SET deleted_at = NULL WHERE ap_id = $1 AND NOT local AND $2 = $2"
        };
        query(sql).bind(ap_id).bind(now).execute(&mut tx).await?;
        log(&mut tx, by, "restore", ap_id, "", now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn is_removed(&self, ap_id: &str) -> Result<bool> {
        Ok(
            query_scalar::<i64>("SELECT COUNT(*) FROM moderation_removed WHERE ap_id = $1")
                .bind(ap_id)
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
    }

    async fn list_removed(&self) -> Result<Vec<Removed>> {
        Ok(query_as::<RemovedRow>(
            "SELECT ap_id, kind, removed_by, reason, removed_at FROM moderation_removed \
             ORDER BY removed_at DESC, ap_id",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| Removed {
            ap_id: r.ap_id,
            kind: ReportKind::parse(&r.kind).unwrap_or(ReportKind::Mission),
            removed_by: r.removed_by,
            reason: r.reason,
            removed_at: r.removed_at,
        })
        .collect())
    }

    async fn list_moderation_log(&self, limit: i64) -> Result<Vec<LogEntry>> {
        Ok(query_as::<LogRow>(
            "SELECT id, at, by_name, action, target, reason FROM moderation_log \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| LogEntry {
            id: r.id,
            at: r.at,
            by: r.by_name,
            action: r.action,
            target: r.target,
            reason: r.reason,
        })
        .collect())
    }
}
