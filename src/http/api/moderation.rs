//! Moderation (issue 18): the rules (block or silence a host or an account), the reports, the
//! remote items removed from this node and the log, for the node's administrators; and the
//! report any logged-in person may make.

use super::{schema::ErrorBody, ApiJson};
use crate::http::params::{Path, Query};
use crate::{
    domain::moderation::{LogEntry, Removed, Report, Rule, Severity},
    federation::moderation::target_of,
    http::{auth::Caller, error::ApiResult},
    service::moderation,
    state::{AppState, Context},
};
use axum::{
    http::StatusCode,
    routing::{delete, get, post},
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/admin/moderation/rules",
            get(list_rules).post(add_rule),
        )
        .route("/api/v1/admin/moderation/rules/{id}", delete(lift_rule))
        .route("/api/v1/admin/moderation/reports", get(list_reports))
        .route(
            "/api/v1/admin/moderation/reports/{id}/resolve",
            post(resolve_report),
        )
        .route(
            "/api/v1/admin/moderation/reports/{id}/forward",
            post(forward_report),
        )
        .route(
            "/api/v1/admin/moderation/removed",
            get(list_removed).post(remove_item),
        )
        .route("/api/v1/admin/moderation/restore", post(restore_item))
        .route("/api/v1/admin/moderation/log", get(moderation_log))
        .route("/api/v1/reports", post(make_report))
}

/// A rule: a host or an actor, blocked or silenced.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RuleJson {
    /// `null` for a rule of the configuration file (`federation.blocked_domains`, read-only).
    id: Option<i64>,
    /// `host` or `actor`.
    kind: String,
    /// The host, or the actor's ActivityPub id.
    target: String,
    /// `block` or `silence`.
    severity: String,
    reason: String,
    /// Who set it: an administrator's name, `console`, or `config`.
    created_by: String,
    created_at: Option<DateTime<Utc>>,
    read_only: bool,
}

impl From<Rule> for RuleJson {
    fn from(r: Rule) -> Self {
        RuleJson {
            id: r.id,
            kind: r.target.kind().into(),
            target: r.target.value().into(),
            severity: r.severity.as_str().into(),
            reason: r.reason,
            created_by: r.created_by,
            created_at: r.created_at,
            read_only: r.id.is_none(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RuleList {
    /// The configuration's first, then the stored ones, oldest first.
    rules: Vec<RuleJson>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleInput {
    /// `example.org`, `https://example.org/users/name` or `@name@example.org`.
    target: String,
    /// `block` (the default) or `silence`.
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    reason: String,
}

/// A report.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReportJson {
    id: i64,
    /// A user's name here, or the actor of the server that sent the `Flag`.
    reporter: String,
    /// `local` or `remote`.
    origin: String,
    /// `mission`, `resource` or `actor`.
    kind: String,
    /// The reported object's ActivityPub id.
    target: String,
    /// The actor it belongs to.
    target_actor: String,
    comment: String,
    created_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
    resolved_by: Option<String>,
    forwarded_at: Option<DateTime<Utc>>,
}

impl From<Report> for ReportJson {
    fn from(r: Report) -> Self {
        ReportJson {
            id: r.id,
            reporter: r.reporter,
            origin: r.origin,
            kind: r.kind.as_str().into(),
            target: r.target,
            target_actor: r.target_actor,
            comment: r.comment,
            created_at: r.created_at,
            resolved_at: r.resolved_at,
            resolved_by: r.resolved_by,
            forwarded_at: r.forwarded_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReportList {
    /// Newest first.
    reports: Vec<ReportJson>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReportsQuery {
    /// Also the resolved ones (default: only the open ones).
    #[serde(default)]
    all: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportInput {
    /// `mission`, `resource` or `actor`.
    kind: String,
    /// The ActivityPub id of what is reported, known to this node.
    target: String,
    #[serde(default)]
    comment: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResolveInput {
    /// What was done about it.
    #[serde(default)]
    note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RemovedJson {
    ap_id: String,
    /// `mission` or `resource`.
    kind: String,
    removed_by: String,
    reason: String,
    removed_at: DateTime<Utc>,
}

impl From<Removed> for RemovedJson {
    fn from(r: Removed) -> Self {
        RemovedJson {
            ap_id: r.ap_id,
            kind: r.kind.as_str().into(),
            removed_by: r.removed_by,
            reason: r.reason,
            removed_at: r.removed_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RemovedList {
    removed: Vec<RemovedJson>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemInput {
    /// A remote mission's or resource's ActivityPub id.
    ap_id: String,
    #[serde(default)]
    reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LogJson {
    id: i64,
    at: DateTime<Utc>,
    /// An administrator's name, or `console`.
    by: String,
    /// `block`, `silence`, `unblock`, `remove`, `restore`, `resolve` or `forward`.
    action: String,
    target: String,
    reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LogList {
    /// Newest first, the last 500.
    entries: Vec<LogJson>,
}

impl From<LogEntry> for LogJson {
    fn from(e: LogEntry) -> Self {
        LogJson {
            id: e.id,
            at: e.at,
            by: e.by,
            action: e.action,
            target: e.target,
            reason: e.reason,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/admin/moderation/rules", tag = "admin",
    operation_id = "list_moderation_rules",
    summary = "Blocked and silenced hosts and accounts (administrators)",
    responses(
        (status = 200, description = "the rules", body = RuleList),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator),
    security(("bearer" = [])))]
async fn list_rules(caller: Caller) -> ApiResult<Json<RuleList>> {
    let rules = moderation::list_rules(caller.store(), &caller.config, Some(&caller.user)).await?;
    Ok(Json(RuleList {
        rules: rules.into_iter().map(RuleJson::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/moderation/rules", tag = "admin",
    operation_id = "add_moderation_rule",
    summary = "Block or silence a host or an account (administrators)",
    request_body = RuleInput,
    responses(
        (status = 201, description = "in force at once in every process", body = RuleJson),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not an administrator, or this node itself", body = ErrorBody),
        (status = 404, description = "no such account", body = ErrorBody),
        (status = 409, description = "a rule already names it", body = ErrorBody),
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn add_rule(
    ctx: Context,
    caller: Caller,
    ApiJson(input): ApiJson<RuleInput>,
) -> ApiResult<(StatusCode, Json<RuleJson>)> {
    moderation::may_moderate(Some(&caller.user))?;
    let severity = match input.severity.as_deref().map(str::trim) {
        None | Some("") => Severity::Block,
        Some(s) => Severity::parse(s).ok_or_else(|| {
            let mut errors = crate::domain::FieldErrors::new();
            errors.add(
                "severity",
                crate::domain::FieldError::new("moderation_severity"),
            );
            crate::service::ServiceError::Domain(crate::domain::DomainError::Invalid(errors))
        })?,
    };
    let target = target_of(&ctx, &input.target).await?;
    let (rule, _) = moderation::set_rule(
        caller.store(),
        &caller.moderation,
        &caller.config,
        Some(&caller.user),
        target,
        severity,
        &input.reason,
        caller.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(rule.into())))
}

#[utoipa::path(delete, path = "/api/v1/admin/moderation/rules/{id}", tag = "admin",
    operation_id = "lift_moderation_rule",
    summary = "Lift a block or a silence (administrators)",
    params(("id" = i64, Path, description = "the rule's number")),
    responses(
        (status = 200, description = "lifted", body = RuleJson),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        (status = 404, description = "no such rule (those of the configuration are read-only)", body = ErrorBody)),
    security(("bearer" = [])))]
async fn lift_rule(caller: Caller, Path(id): Path<i64>) -> ApiResult<Json<RuleJson>> {
    let rule = moderation::lift_rule(
        caller.store(),
        &caller.moderation,
        Some(&caller.user),
        &id.to_string(),
        caller.now(),
    )
    .await?;
    Ok(Json(rule.into()))
}

#[utoipa::path(get, path = "/api/v1/admin/moderation/reports", tag = "admin",
    operation_id = "list_reports",
    summary = "Reports made here or received from other servers (administrators)",
    params(ReportsQuery),
    responses(
        (status = 200, description = "newest first", body = ReportList),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator),
    security(("bearer" = [])))]
async fn list_reports(
    caller: Caller,
    Query(q): Query<ReportsQuery>,
) -> ApiResult<Json<ReportList>> {
    let reports = moderation::reports(caller.store(), Some(&caller.user), !q.all).await?;
    Ok(Json(ReportList {
        reports: reports.into_iter().map(ReportJson::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/moderation/reports/{id}/resolve", tag = "admin",
    operation_id = "resolve_report",
    summary = "Mark a report resolved (administrators)",
    params(("id" = i64, Path, description = "the report's number")),
    request_body = ResolveInput,
    responses(
        (status = 200, description = "resolved", body = ReportJson),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        (status = 404, description = "no such report", body = ErrorBody),
        (status = 409, description = "already resolved", body = ErrorBody)),
    security(("bearer" = [])))]
async fn resolve_report(
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResolveInput>,
) -> ApiResult<Json<ReportJson>> {
    let report = moderation::resolve(
        caller.store(),
        Some(&caller.user),
        id,
        &input.note,
        caller.now(),
    )
    .await?;
    Ok(Json(report.into()))
}

#[utoipa::path(post, path = "/api/v1/admin/moderation/reports/{id}/forward", tag = "admin",
    operation_id = "forward_report",
    summary = "Forward a report to the server of the reported item, as a Flag (administrators)",
    params(("id" = i64, Path, description = "the report's number")),
    responses(
        (status = 200, description = "queued for delivery", body = ReportJson),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        (status = 404, description = "no such report", body = ErrorBody),
        (status = 409, description = "not a report made here about another server's item", body = ErrorBody)),
    security(("bearer" = [])))]
async fn forward_report(caller: Caller, Path(id): Path<i64>) -> ApiResult<Json<ReportJson>> {
    let report = moderation::forward(
        caller.store(),
        &caller.config,
        Some(&caller.user),
        id,
        caller.now(),
    )
    .await?;
    caller.queued();
    Ok(Json(report.into()))
}

#[utoipa::path(get, path = "/api/v1/admin/moderation/removed", tag = "admin",
    operation_id = "list_removed_items",
    summary = "Remote missions and resources removed from this node (administrators)",
    responses(
        (status = 200, description = "newest first", body = RemovedList),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator),
    security(("bearer" = [])))]
async fn list_removed(caller: Caller) -> ApiResult<Json<RemovedList>> {
    let removed = moderation::removed(caller.store(), Some(&caller.user)).await?;
    Ok(Json(RemovedList {
        removed: removed.into_iter().map(RemovedJson::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/moderation/removed", tag = "admin",
    operation_id = "remove_item",
    summary = "Remove a remote mission or resource from this node (administrators)",
    request_body = ItemInput,
    responses(
        (status = 201, description = "removed; not taken again until restored", body = RemovedJson),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not an administrator, or one of this node's items", body = ErrorBody),
        (status = 404, description = "no such remote item", body = ErrorBody),
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn remove_item(
    caller: Caller,
    ApiJson(input): ApiJson<ItemInput>,
) -> ApiResult<(StatusCode, Json<RemovedJson>)> {
    let removed = moderation::remove_item(
        caller.store(),
        Some(&caller.user),
        &input.ap_id,
        &input.reason,
        caller.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(removed.into())))
}

#[utoipa::path(post, path = "/api/v1/admin/moderation/restore", tag = "admin",
    operation_id = "restore_item",
    summary = "Give back a removed remote item (administrators)",
    request_body = ItemInput,
    responses(
        (status = 204, description = "restored"),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        (status = 404, description = "not removed", body = ErrorBody)),
    security(("bearer" = [])))]
async fn restore_item(caller: Caller, ApiJson(input): ApiJson<ItemInput>) -> ApiResult<StatusCode> {
    moderation::restore_item(
        caller.store(),
        Some(&caller.user),
        &input.ap_id,
        caller.now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/admin/moderation/log", tag = "admin",
    operation_id = "moderation_log",
    summary = "Who did what, when, on what and why (administrators)",
    responses(
        (status = 200, description = "newest first", body = LogList),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator),
    security(("bearer" = [])))]
async fn moderation_log(caller: Caller) -> ApiResult<Json<LogList>> {
    let entries = moderation::log(caller.store(), Some(&caller.user), 500).await?;
    Ok(Json(LogList {
        entries: entries.into_iter().map(LogJson::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/reports", tag = "moderation",
    operation_id = "make_report",
    summary = "Report a mission, a resource or an account to this node's administrators",
    request_body = ReportInput,
    responses(
        (status = 201, description = "recorded", body = ReportJson),
        crate::http::api::schema::NoToken,
        (status = 404, description = "nothing known here at this address", body = ErrorBody),
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn make_report(
    caller: Caller,
    ApiJson(input): ApiJson<ReportInput>,
) -> ApiResult<(StatusCode, Json<ReportJson>)> {
    let report = moderation::report(
        caller.store(),
        &caller.user,
        &input.kind,
        &input.target,
        &input.comment,
        caller.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(report.into())))
}
