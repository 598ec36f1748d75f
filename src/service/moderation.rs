//! Moderation for the node's administrators (issue 18): blocking or silencing a remote host or
//! actor, removing a remote mission or resource, the reports and the log. The rules in force
//! are kept in memory by every process ([`Moderation`]), so that the inbox checks them without
//! a query; a process reloads them when it changed them, and when the log's marker moved
//! (another process sharing the database changed them), looked at most every few seconds.

use super::{Result, ServiceError};
use crate::{
    config::Config,
    domain::{
        account::User,
        events::Outgoing,
        moderation::{
            check_text, host_matches, LogEntry, NewReport, NewRule, Removed, Report, ReportKind,
            Rule, Rules, Severity, Target,
        },
        Denial, FieldError,
    },
    storage::{BlockEffects, ModerationStore, Store, StoreError},
};
use chrono::{DateTime, Duration, Utc};
use std::{
    collections::HashSet,
    sync::{Arc, Mutex, RwLock},
};

/// How long a process trusts its copy of the rules before looking at the marker again.
pub const REFRESH_SECONDS: i64 = 5;

/// The moderation log's marker last read, and when.
type Seen = ((i64, i64), DateTime<Utc>);

/// The rules in force in this process: the configuration's blocked domains (read-only) and the
/// stored rules.
#[derive(Debug)]
pub struct Moderation {
    config_rules: Vec<Rule>,
    rules: RwLock<Arc<Rules>>,
    /// The stored actors a silence names (by their id here), for lists of their items.
    silenced_actors: RwLock<Arc<HashSet<i64>>>,
    /// The marker last read and when.
    seen: Mutex<Option<Seen>>,
}

/// The configuration's `federation.blocked_domains`, as read-only rules.
pub fn config_rules(config: &Config) -> Vec<Rule> {
    config
        .federation
        .blocked_domains
        .iter()
        .map(|d| Rule {
            id: None,
            target: Target::Host(d.trim().trim_start_matches("*.").to_ascii_lowercase()),
            severity: Severity::Block,
            reason: String::new(),
            created_by: "config".into(),
            created_at: None,
        })
        .collect()
}

impl Moderation {
    pub fn new(config: &Config) -> Moderation {
        let config_rules = config_rules(config);
        Moderation {
            rules: RwLock::new(Arc::new(Rules::new(config_rules.clone()))),
            config_rules,
            silenced_actors: Default::default(),
            seen: Mutex::new(None),
        }
    }

    /// The rules as this process knows them now.
    pub fn rules(&self) -> Arc<Rules> {
        self.rules.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The hardest rule naming this actor (or object) URL or its host.
    pub fn verdict(&self, url: &str) -> Option<Severity> {
        self.rules().verdict(url)
    }

    /// Whether this host is blocked as a whole.
    pub fn host_blocked(&self, host: &str) -> bool {
        self.rules().host_blocked(host)
    }

    /// Whether an item (a remote mission or resource: its id, and its actor's id here) is
    /// kept out of public lists and search: its host or its actor silenced.
    pub fn is_silenced(&self, item_ap_id: &str, actor_id: i64) -> bool {
        self.rules().verdict(item_ap_id) == Some(Severity::Silence)
            || self
                .silenced_actors
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&actor_id)
    }

    /// Whether any silence is in force (lists need not look otherwise).
    pub fn silences(&self) -> bool {
        self.rules()
            .all()
            .iter()
            .any(|r| r.severity == Severity::Silence)
    }

    /// Reads the stored rules again, now.
    pub async fn reload(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<()> {
        let marker = store.moderation_marker().await?;
        let mut all = self.config_rules.clone();
        all.extend(store.list_rules().await?);
        let mut silenced = HashSet::new();
        for rule in &all {
            if let (Severity::Silence, Target::Actor(ap_id)) = (rule.severity, &rule.target) {
                if let Some(actor) = store.find_actor_by_ap_id(ap_id).await? {
                    silenced.insert(actor.id);
                }
            }
        }
        *self
            .silenced_actors
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(silenced);
        *self.rules.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Rules::new(all));
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some((marker, now));
        Ok(())
    }

    /// Reloads when the marker moved; looks at it at most every [`REFRESH_SECONDS`].
    pub async fn refresh(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<()> {
        let last = *self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, at)) = last {
            if now - at < Duration::seconds(REFRESH_SECONDS) && now >= at {
                return Ok(());
            }
        }
        let marker = store.moderation_marker().await?;
        if last.map(|(m, _)| m) == Some(marker) {
            *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some((marker, now));
            return Ok(());
        }
        self.reload(store, now).await
    }
}

/// Where an item of a public list comes from: what a silence is checked against (serialised
/// only to be weighed with the list).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Origin {
    local: bool,
    ap_id: String,
    actor_id: i64,
}

impl Origin {
    pub fn of(m: &crate::domain::mission::Mission) -> Origin {
        Origin {
            local: m.local,
            ap_id: m.ap_id.clone(),
            actor_id: m.actor_id,
        }
    }
}

/// The items a public list shows now, without those of silenced hosts and actors (silences
/// change without a change of the items: lists kept between requests apply them each time).
pub fn shown<'a, T>(
    moderation: &'a Moderation,
    items: &'a [(T, Origin)],
) -> impl Iterator<Item = &'a T> + 'a {
    let silences = moderation.silences();
    (items.iter())
        .filter(move |(_, o)| !silences || o.local || !moderation.is_silenced(&o.ap_id, o.actor_id))
        .map(|(item, _)| item)
}

/// Search results without the items of silenced hosts and actors (their owners read in one
/// statement per kind).
pub async fn hide_silenced_hits(
    moderation: &Moderation,
    store: &dyn Store,
    page: &mut crate::domain::search::SearchPage,
) -> Result<()> {
    use crate::domain::search::ItemKind;
    if !moderation.silences() {
        return Ok(());
    }
    let ids = |kind: ItemKind| -> Vec<i64> {
        (page.hits.iter())
            .filter(|f| !f.item.local && f.item.kind == kind)
            .map(|f| f.item.id)
            .collect()
    };
    let mut mission_ids = ids(ItemKind::Mission);
    mission_ids.extend(ids(ItemKind::Event));
    let missions = store.get_missions(&mission_ids).await?;
    let resources = store.get_resources(&ids(ItemKind::Equipment)).await?;
    let before = page.hits.len();
    page.hits.retain(|f| {
        let item = &f.item;
        if item.local {
            return true;
        }
        let owner = match item.kind {
            ItemKind::Equipment => resources
                .iter()
                .find(|r| r.id == item.id)
                .map(|r| (r.ap_id.as_str(), r.actor_id)),
            _ => missions
                .iter()
                .find(|m| m.id == item.id)
                .map(|m| (m.ap_id.as_str(), m.actor_id)),
        };
        match owner {
            Some((ap_id, actor)) => !moderation.is_silenced(ap_id, actor),
            None => !moderation.is_silenced(&item.origin_url, -1),
        }
    });
    page.total = page.total.saturating_sub(before - page.hits.len());
    Ok(())
}

/// Who acted, as the log names them: a user's name, or `console` for the operator.
pub fn actor_name(by: Option<&User>) -> String {
    by.map_or_else(|| "console".to_string(), |u| u.name.clone())
}

/// Only administrators (or the operator at the console, `None`) moderate.
pub fn may_moderate(by: Option<&User>) -> Result<()> {
    if by.is_some_and(|u| !u.is_admin) {
        return Err(ServiceError::Forbidden(Denial::new("admins_only")));
    }
    Ok(())
}

fn field(name: &str, e: FieldError) -> ServiceError {
    let mut errors = crate::domain::FieldErrors::new();
    errors.add(name, e);
    ServiceError::Domain(crate::domain::DomainError::Invalid(errors))
}

/// Every rule: the configuration's first (read-only, no id), then the stored ones.
pub async fn list_rules(
    store: &dyn ModerationStore,
    config: &Config,
    by: Option<&User>,
) -> Result<Vec<Rule>> {
    may_moderate(by)?;
    let mut all = config_rules(config);
    all.extend(store.list_rules().await?);
    Ok(all)
}

/// Blocks or silences a target; the node's own host is refused.
#[allow(clippy::too_many_arguments)]
pub async fn set_rule(
    store: &dyn Store,
    moderation: &Moderation,
    config: &Config,
    by: Option<&User>,
    target: Target,
    severity: Severity,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(Rule, BlockEffects)> {
    may_moderate(by)?;
    if host_matches(&config.domain(), &target.host()) {
        return Err(ServiceError::Forbidden(Denial::new("moderation_own_node")));
    }
    let reason = check_text(reason).map_err(|e| field("reason", e))?;
    let name = target.value().to_string();
    let rule = NewRule {
        target,
        severity,
        reason,
    };
    let done = match store.add_rule(rule, &actor_name(by), now).await {
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Conflict(
                Denial::new("moderation_rule_exists").text("name", name),
            ))
        }
        other => other?,
    };
    moderation.reload(store, now).await?;
    Ok(done)
}

/// Lifts a stored rule, named by its number, its host or its actor.
pub async fn lift_rule(
    store: &dyn Store,
    moderation: &Moderation,
    by: Option<&User>,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Rule> {
    may_moderate(by)?;
    let name = name.trim();
    let bare = name.trim_start_matches("https://").trim_end_matches('/');
    let rules = store.list_rules().await?;
    let found = rules.iter().find(|r| {
        r.id.map(|id| id.to_string()) == Some(name.to_string())
            || r.target.value() == name
            || r.target
                .value()
                .trim_start_matches("https://")
                .trim_end_matches('/')
                == bare
    });
    let Some(id) = found.and_then(|r| r.id) else {
        return Err(ServiceError::NotFound("moderation rule"));
    };
    let rule = store
        .remove_rule(id, &actor_name(by), now)
        .await?
        .ok_or(ServiceError::NotFound("moderation rule"))?;
    moderation.reload(store, now).await?;
    Ok(rule)
}

/// What a report names, found on this node: its kind and the actor it belongs to.
async fn locate(store: &dyn Store, kind: ReportKind, target: &str) -> Result<String> {
    let owner = match kind {
        ReportKind::Mission => match store.find_mission_by_ap_id(target).await? {
            Some(m) => Some(store.get_actor(m.actor_id).await?.ap_id),
            None => None,
        },
        ReportKind::Resource => match store.find_resource_by_ap_id(target).await? {
            Some(r) => Some(store.get_actor(r.actor_id).await?.ap_id),
            None => None,
        },
        ReportKind::Actor => store.find_actor_by_ap_id(target).await?.map(|a| a.ap_id),
    };
    owner.ok_or(ServiceError::NotFound("reported item"))
}

/// A logged-in person reports a mission, a resource or an actor known here.
pub async fn report(
    store: &dyn Store,
    by: &User,
    kind: &str,
    target: &str,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<Report> {
    let kind = ReportKind::parse(kind.trim())
        .ok_or_else(|| field("kind", FieldError::new("report_kind")))?;
    let comment = check_text(comment).map_err(|e| field("comment", e))?;
    let target = target.trim();
    let target_actor = locate(store, kind, target).await?;
    Ok(store
        .add_report(
            NewReport {
                reporter: by.name.clone(),
                origin: "local".into(),
                kind,
                target: target.into(),
                target_actor,
                comment,
                flag_ap_id: None,
            },
            now,
        )
        .await?)
}

/// A `Flag` received from another server: the first object known here that is a mission or a
/// resource is reported, else the first actor known here. `None` when it names nothing of ours.
pub async fn flag_received(
    store: &dyn Store,
    reporter: &str,
    flag_id: &str,
    objects: &[String],
    comment: &str,
    now: DateTime<Utc>,
) -> Result<Option<Report>> {
    let mut found = None;
    for kind in [ReportKind::Mission, ReportKind::Resource, ReportKind::Actor] {
        for object in objects {
            if let Ok(owner) = locate(store, kind, object).await {
                found = Some((kind, object.clone(), owner));
                break;
            }
        }
        if found.is_some() {
            break;
        }
    }
    let Some((kind, target, target_actor)) = found else {
        return Ok(None);
    };
    let comment: String = comment
        .trim()
        .chars()
        .take(crate::domain::moderation::MAX_TEXT)
        .collect();
    let report = NewReport {
        reporter: reporter.into(),
        origin: "remote".into(),
        kind,
        target,
        target_actor,
        comment,
        flag_ap_id: Some(flag_id.into()),
    };
    match store.add_report(report, now).await {
        Err(StoreError::Conflict(_)) => Ok(None),
        other => Ok(Some(other?)),
    }
}

/// The reports, newest first (only the open ones when `open_only`).
pub async fn reports(
    store: &dyn ModerationStore,
    by: Option<&User>,
    open_only: bool,
) -> Result<Vec<Report>> {
    may_moderate(by)?;
    Ok(store.list_reports(open_only).await?)
}

async fn open_report(store: &dyn ModerationStore, id: i64) -> Result<Report> {
    store
        .find_report(id)
        .await?
        .ok_or(ServiceError::NotFound("report"))
}

/// Marks a report resolved, with what was done about it.
pub async fn resolve(
    store: &dyn ModerationStore,
    by: Option<&User>,
    id: i64,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Report> {
    may_moderate(by)?;
    let note = check_text(note).map_err(|e| field("note", e))?;
    open_report(store, id).await?;
    if !store
        .resolve_report(id, &actor_name(by), &note, now)
        .await?
    {
        return Err(ServiceError::Conflict(Denial::new(
            "moderation_report_resolved",
        )));
    }
    open_report(store, id).await
}

/// Forwards a report made here about another server's item to that server, as a `Flag` sent
/// by the node's instance actor (the relay), through the delivery queue.
pub async fn forward(
    store: &dyn ModerationStore,
    config: &Config,
    by: Option<&User>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Report> {
    may_moderate(by)?;
    let report = open_report(store, id).await?;
    let remote = !report.target_actor.is_empty()
        && crate::domain::moderation::host_of(&report.target_actor) != config.domain();
    if report.origin != "local" || !remote {
        return Err(ServiceError::Conflict(Denial::new(
            "moderation_not_forwardable",
        )));
    }
    store
        .report_forwarded(
            id,
            &actor_name(by),
            Outgoing::ReportForwarded { report_id: id },
            now,
        )
        .await?;
    open_report(store, id).await
}

/// Removes a remote mission or resource from this node.
pub async fn remove_item(
    store: &dyn Store,
    by: Option<&User>,
    ap_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Removed> {
    may_moderate(by)?;
    let reason = check_text(reason).map_err(|e| field("reason", e))?;
    let ap_id = ap_id.trim();
    let kind = if let Some(m) = store.find_mission_by_ap_id(ap_id).await? {
        if m.local {
            return Err(ServiceError::Forbidden(Denial::new(
                "moderation_not_remote",
            )));
        }
        ReportKind::Mission
    } else if let Some(r) = store.find_resource_by_ap_id(ap_id).await? {
        if store.get_actor(r.actor_id).await?.local {
            return Err(ServiceError::Forbidden(Denial::new(
                "moderation_not_remote",
            )));
        }
        ReportKind::Resource
    } else {
        return Err(ServiceError::NotFound("remote mission or resource"));
    };
    store
        .remove_item(kind, ap_id, &actor_name(by), &reason, now)
        .await?;
    Ok(Removed {
        ap_id: ap_id.into(),
        kind,
        removed_by: actor_name(by),
        reason,
        removed_at: now,
    })
}

/// Gives a removed item back.
pub async fn restore_item(
    store: &dyn ModerationStore,
    by: Option<&User>,
    ap_id: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    may_moderate(by)?;
    if !store
        .restore_item(ap_id.trim(), &actor_name(by), now)
        .await?
    {
        return Err(ServiceError::NotFound("removed item"));
    }
    Ok(())
}

/// Whether an administrator removed this remote item (then it is not imported again).
pub async fn is_removed(store: &dyn ModerationStore, ap_id: &str) -> Result<bool> {
    Ok(store.is_removed(ap_id).await?)
}

/// The removed items, newest first.
pub async fn removed(store: &dyn ModerationStore, by: Option<&User>) -> Result<Vec<Removed>> {
    may_moderate(by)?;
    Ok(store.list_removed().await?)
}

/// The log, newest first.
pub async fn log(
    store: &dyn ModerationStore,
    by: Option<&User>,
    limit: i64,
) -> Result<Vec<LogEntry>> {
    may_moderate(by)?;
    Ok(store.list_moderation_log(limit.clamp(1, 1000)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_s_blocked_domains_are_read_only_rules() {
        let mut c = Config::default();
        c.federation.blocked_domains = vec!["*.Bad.Example".into()];
        let m = Moderation::new(&c);
        assert_eq!(
            m.verdict("https://x.bad.example/users/a"),
            Some(Severity::Block)
        );
        let rules = config_rules(&c);
        assert_eq!(rules[0].id, None);
        assert_eq!(rules[0].target, Target::Host("bad.example".into()));
    }

    #[test]
    fn only_administrators_moderate() {
        let mut u = User {
            id: 1,
            name: "ann".into(),
            email: None,
            password_hash: None,
            is_admin: false,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            full_name: String::new(),
            language: String::new(),
            email_confirmed: true,
            state: crate::domain::account::AccountState::Active,
        };
        assert!(may_moderate(Some(&u)).is_err());
        u.is_admin = true;
        assert!(may_moderate(Some(&u)).is_ok());
        assert!(may_moderate(None).is_ok(), "the operator at the console");
    }
}
