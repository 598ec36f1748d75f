//! Volunteer hours (issue 5): volunteers record what they did for an association; coordinators
//! record for anyone (with or without an account), validate or refuse, mark attendance at slots
//! that are over (a presence becomes an entry), set the rates, and read totals with their value.

use super::{accounts::role_in, missions::association, Result, ServiceError};
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::{Actor, ActorKind},
        events::Outgoing,
        hours::{
            HoursDraft, HoursEntry, HoursInput, HoursSettings, HoursStatus, Report, SettingsInput,
            Tally, Volunteer,
        },
        slot::{Participant, ParticipationStatus},
        DomainError, FieldErrors,
    },
    storage::{AttendanceOutcome, HoursQuery, HoursStore, NewHoursEntry, Store},
};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// Most entries listed or exported at once.
const LIST_LIMIT: i64 = 10_000;
/// Longest name of a person without an account.
const MAX_GUEST_NAME: usize = 100;

/// Today in the node's time zone.
pub fn today(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&config.timezone()).date_naive()
}

/// An association's settings, or the defaults.
pub async fn settings_of(store: &dyn HoursStore, actor_id: i64) -> Result<HoursSettings> {
    Ok(store.hours_settings(actor_id).await?.unwrap_or_default())
}

pub async fn is_coordinator(store: &dyn Store, user: &User, association: &Actor) -> Result<bool> {
    Ok(matches!(role_in(store, user, association).await?, Some(r) if r.can_manage_missions()))
}

async fn require_coordinator(store: &dyn Store, user: &User, association: &Actor) -> Result<()> {
    if is_coordinator(store, user, association).await? {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "only the association's coordinators may do this",
        ))
    }
}

/// The associations whose slots this person took part in (accepted sign-ups, here or on
/// another server), each once.
async fn taken_part_with(store: &dyn Store, user: &User) -> Result<Vec<Actor>> {
    let mut missions = std::collections::BTreeSet::new();
    let mut owners = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (p, slot) in store.user_participations(user.id).await? {
        if p.status != ParticipationStatus::Accepted || !missions.insert(slot.mission_id) {
            continue;
        }
        let owner = store.get_mission(slot.mission_id).await?.actor_id;
        if owners.insert(owner) {
            out.push(store.get_actor(owner).await?);
        }
    }
    Ok(out)
}

/// A member of the association, or someone who took part in one of its slots.
async fn may_log_for(store: &dyn Store, user: &User, association: &Actor) -> Result<bool> {
    Ok(role_in(store, user, association).await?.is_some()
        || taken_part_with(store, user)
            .await?
            .iter()
            .any(|a| a.id == association.id))
}

/// The associations of other servers among the ones this person follows and `taken` (the
/// ones they took part with), each once, by name.
async fn remote_ones(store: &dyn Store, user: &User, taken: &[Actor]) -> Result<Vec<Actor>> {
    let mut out: Vec<Actor> = Vec::new();
    if let Some(me) = store
        .find_local_actor(ActorKind::Person.as_str(), &user.name)
        .await?
    {
        for f in store.list_following(me.id).await? {
            if let Some(a) = store.find_actor_by_ap_id(&f.target_ap_id).await? {
                if a.kind == ActorKind::Group {
                    out.push(a);
                }
            }
        }
    }
    out.extend(taken.iter().cloned());
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|a| !a.local && seen.insert(a.id));
    out.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(out)
}

/// The associations of other servers this person knows: the ones they follow, and the ones
/// whose slots they took part in. Hours can be sent to them.
pub async fn known_remote_associations(store: &dyn Store, user: &User) -> Result<Vec<Actor>> {
    let taken = taken_part_with(store, user).await?;
    remote_ones(store, user, &taken).await
}

/// The association an entry is for: one of this node's by its name, or one of another server
/// the person knows, by its address (`name@host`) or its URL.
async fn association_for_hours(store: &dyn Store, user: &User, name: &str) -> Result<Actor> {
    let wanted = name.trim().trim_start_matches('@');
    if !wanted.contains('@') && !wanted.starts_with("https://") && !wanted.starts_with("http://") {
        return association(store, wanted).await;
    }
    for a in known_remote_associations(store, user).await? {
        if a.ap_id == wanted || format!("{}@{}", a.name, a.host) == wanted {
            return Ok(a);
        }
    }
    Err(DomainError::field(
        "association",
        "no association with this address among the ones you follow or took part with: follow it first",
    )
    .into())
}

/// The associations a person may record hours for, to choose from: this node's associations
/// they belong to or took part with (by name), then those of other servers they know (by
/// `name@host`). Returns `(value to send, association)`.
pub async fn associations_for(store: &dyn Store, user: &User) -> Result<Vec<(String, Actor)>> {
    let taken = taken_part_with(store, user).await?;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let members = store
        .memberships(user.id)
        .await?
        .into_iter()
        .map(|(a, _)| a);
    for a in members.chain(taken.iter().filter(|a| a.local).cloned()) {
        if seen.insert(a.id) {
            out.push((a.name.clone(), a));
        }
    }
    for a in remote_ones(store, user, &taken).await? {
        if seen.insert(a.id) {
            out.push((format!("{}@{}", a.name, a.host), a));
        }
    }
    Ok(out)
}

/// A person's own entries as CSV, the same columns as an association's export plus the
/// association (value only for validated entries, at the association's current rates).
pub async fn export_mine_csv(store: &dyn Store, user: &User, period: &Period) -> Result<String> {
    let mut list = list_mine(store, user, period).await?;
    list.reverse();
    let mut settings: BTreeMap<i64, HoursSettings> = BTreeMap::new();
    let mut out = format!("{CSV_HEADER},association\r\n");
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
        out.push_str(&csv_row(e, &rates));
        out.push(',');
        out.push_str(&csv_field(&association, true));
        out.push_str("\r\n");
    }
    Ok(out)
}

/// The id of the `EconomicEvent` for hours sent to an association of another server.
fn new_hours_ap_id(config: &Config) -> String {
    format!("{}/hours/{}", config.base(), uuid::Uuid::new_v4())
}

/// A mission given with an entry must be one of the association's.
pub(super) async fn check_mission(
    store: &dyn Store,
    association: &Actor,
    draft: &HoursDraft,
    errors: &mut FieldErrors,
) -> Result<()> {
    if let Some(id) = draft.mission_id {
        let ok = match store.get_mission(id).await {
            Ok(m) => {
                m.actor_id == association.id
                    && m.local == association.local
                    && m.deleted_at.is_none()
            }
            Err(crate::storage::StoreError::NotFound(_)) => false,
            Err(e) => return Err(e.into()),
        };
        if !ok {
            errors.add("mission_id", "no such mission of this association");
        }
    }
    Ok(())
}

fn merge(errors: &mut FieldErrors, e: DomainError) -> Result<()> {
    match e {
        DomainError::Invalid(more) => {
            for (k, v) in more.0 {
                errors.add(&k, v);
            }
            Ok(())
        }
        other => Err(other.into()),
    }
}

/// A volunteer records their own action for an association (named in `input.association`).
pub async fn log_mine(
    store: &dyn Store,
    config: &Config,
    user: &User,
    input: HoursInput,
    now: DateTime<Utc>,
) -> Result<HoursEntry> {
    let mut errors = FieldErrors::new();
    if input.user.is_some() || input.guest_name.is_some() {
        errors.add(
            "user",
            "record someone else's hours through the association (coordinators)",
        );
    }
    let Some(name) = input.association.as_deref().map(str::trim) else {
        errors.add("association", "give the association's name");
        if let Err(e) = HoursDraft::parse(&input, today(config, now)) {
            merge(&mut errors, e)?;
        }
        return Err(DomainError::Invalid(errors).into());
    };
    let association = association_for_hours(store, user, name).await?;
    if association.local && !may_log_for(store, user, &association).await? {
        return Err(ServiceError::Forbidden(
            "only members and people who took part in its slots record hours for an association",
        ));
    }
    let draft = match HoursDraft::parse(&input, today(config, now)) {
        Ok(d) => Some(d),
        Err(e) => {
            merge(&mut errors, e)?;
            None
        }
    };
    if let Some(d) = &draft {
        check_mission(store, &association, d, &mut errors).await?;
    }
    let draft = errors
        .into_result(draft)?
        .ok_or(ServiceError::Internal("no draft without errors".into()))?;
    if !association.local {
        // The association's server decides: the entry waits for its Accept or Reject.
        let entry = NewHoursEntry {
            actor_id: association.id,
            volunteer: Volunteer::User { user_id: user.id },
            draft,
            status: HoursStatus::Pending,
            slot_id: None,
            participation_id: None,
            ap_id: Some(new_hours_ap_id(config)),
        };
        let offered: fn(i64) -> Outgoing = |entry_id| Outgoing::HoursOffered {
            entry_id,
            update: false,
        };
        return Ok(store
            .create_hours_entry(entry, Some(user.id), Some(offered), now)
            .await?);
    }
    let settings = settings_of(store, association.id).await?;
    let status = if settings.moderation && !is_coordinator(store, user, &association).await? {
        HoursStatus::Pending
    } else {
        HoursStatus::Validated
    };
    let entry = NewHoursEntry {
        actor_id: association.id,
        volunteer: Volunteer::User { user_id: user.id },
        draft,
        status,
        slot_id: None,
        participation_id: None,
        ap_id: None,
    };
    Ok(store
        .create_hours_entry(entry, Some(user.id), None, now)
        .await?)
}

/// A coordinator records an action for a user of this node (`user`) or someone without an
/// account (`guest_name`); it counts at once.
pub async fn record_for(
    store: &dyn Store,
    config: &Config,
    user: &User,
    association_name: &str,
    input: HoursInput,
    now: DateTime<Utc>,
) -> Result<HoursEntry> {
    let association = association(store, association_name).await?;
    require_coordinator(store, user, &association).await?;
    let mut errors = FieldErrors::new();
    if input.association.is_some() {
        errors.add("association", "the association is in the address");
    }
    let volunteer = match (
        input.user.as_deref().map(str::trim),
        input.guest_name.as_deref().map(str::trim),
    ) {
        (Some(_), Some(_)) => {
            errors.add("user", "give either user or guest_name, not both");
            None
        }
        (Some(name), None) => match store.find_user_by_name(name).await? {
            Some(u) => Some(Volunteer::User { user_id: u.id }),
            None => {
                errors.add("user", "no such user on this node");
                None
            }
        },
        (None, Some(name)) if name.is_empty() || name.chars().count() > MAX_GUEST_NAME => {
            errors.add(
                "guest_name",
                format!("give a name of 1 to {MAX_GUEST_NAME} characters"),
            );
            None
        }
        (None, Some(name)) => Some(Volunteer::Guest { name: name.into() }),
        (None, None) => {
            errors.add(
                "user",
                "give the user's name, or guest_name for someone without an account",
            );
            None
        }
    };
    let draft = match HoursDraft::parse(&input, today(config, now)) {
        Ok(d) => Some(d),
        Err(e) => {
            merge(&mut errors, e)?;
            None
        }
    };
    if let Some(d) = &draft {
        check_mission(store, &association, d, &mut errors).await?;
    }
    let (Some(volunteer), Some(draft)) = errors.into_result((volunteer, draft))? else {
        return Err(ServiceError::Internal("no entry without errors".into()));
    };
    let entry = NewHoursEntry {
        actor_id: association.id,
        volunteer,
        draft,
        status: HoursStatus::Validated,
        slot_id: None,
        participation_id: None,
        ap_id: None,
    };
    Ok(store
        .create_hours_entry(entry, Some(user.id), None, now)
        .await?)
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
    fn query(&self) -> Result<HoursQuery> {
        let mut errors = FieldErrors::new();
        let mut q = HoursQuery {
            limit: LIST_LIMIT,
            ..HoursQuery::default()
        };
        let date = |field: &str, v: &Option<String>, errors: &mut FieldErrors| {
            v.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
                let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
                if d.is_none() {
                    errors.add(field, "must be a date like 2025-01-31");
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
                Some(_) => errors.add("year", "give either year or from/to"),
                None => errors.add("year", "must be a year like 2025"),
            }
        }
        if let (Some(f), Some(t)) = (q.from, q.to) {
            if t < f {
                errors.add("to", "must not be before from");
            }
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            match HoursStatus::parse(s) {
                Some(s) => q.status = Some(s),
                None => errors.add("status", "must be pending, validated or refused"),
            }
        }
        Ok(errors.into_result(q)?)
    }
}

/// My entries, with the associations they are for.
pub async fn list_mine(
    store: &dyn Store,
    user: &User,
    period: &Period,
) -> Result<Vec<(HoursEntry, Actor)>> {
    let mut q = period.query()?;
    q.user_id = Some(user.id);
    let entries = store.list_hours_entries(q).await?;
    let mut actors: BTreeMap<i64, Actor> = BTreeMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let a = match actors.get(&e.actor_id) {
            Some(a) => a.clone(),
            None => {
                let a = store.get_actor(e.actor_id).await?;
                actors.insert(e.actor_id, a.clone());
                a
            }
        };
        out.push((e, a));
    }
    Ok(out)
}

/// All entries of an association (coordinators).
pub async fn list_association(
    store: &dyn Store,
    user: &User,
    association_name: &str,
    period: &Period,
) -> Result<(Actor, Vec<HoursEntry>)> {
    let association = association(store, association_name).await?;
    require_coordinator(store, user, &association).await?;
    let mut q = period.query()?;
    q.actor_id = Some(association.id);
    Ok((association, store.list_hours_entries(q).await?))
}

/// An entry with its association, if the user may change it: a coordinator always; the
/// volunteer while it is not validated, or at any time when moderation is off.
async fn changeable(store: &dyn Store, user: &User, id: i64) -> Result<(HoursEntry, Actor, bool)> {
    let entry = store.get_hours_entry(id).await?;
    let association = store.get_actor(entry.actor_id).await?;
    if is_coordinator(store, user, &association).await? {
        return Ok((entry, association, true));
    }
    if entry.volunteer != (Volunteer::User { user_id: user.id }) {
        // Nobody else learns that the entry exists.
        return Err(ServiceError::NotFound("hours entry"));
    }
    // Hours sent to another server are moderated there.
    let moderated = !association.local || settings_of(store, association.id).await?.moderation;
    if moderated && entry.status == HoursStatus::Validated {
        return Err(ServiceError::Forbidden(
            "a validated entry is changed by the association's coordinators",
        ));
    }
    Ok((entry, association, false))
}

/// An entry and its association, for its volunteer or the association's coordinators; nobody
/// else learns that it exists.
pub async fn visible(store: &dyn Store, user: &User, id: i64) -> Result<(HoursEntry, Actor)> {
    let entry = store.get_hours_entry(id).await?;
    let association = store.get_actor(entry.actor_id).await?;
    if entry.volunteer == (Volunteer::User { user_id: user.id })
        || is_coordinator(store, user, &association).await?
    {
        Ok((entry, association))
    } else {
        Err(ServiceError::NotFound("hours entry"))
    }
}

/// Every change of an entry, oldest first: who, when, before and after.
pub async fn history(
    store: &dyn Store,
    user: &User,
    id: i64,
) -> Result<(HoursEntry, Actor, Vec<crate::storage::HoursHistory>)> {
    let (entry, association) = visible(store, user, id).await?;
    let changes = store.hours_history(id).await?;
    Ok((entry, association, changes))
}

/// Changes an entry. A volunteer's change waits again for validation when moderation is on.
pub async fn update(
    store: &dyn Store,
    config: &Config,
    user: &User,
    id: i64,
    input: HoursInput,
    now: DateTime<Utc>,
) -> Result<HoursEntry> {
    let (entry, association, coordinator) = changeable(store, user, id).await?;
    let mut errors = FieldErrors::new();
    for (field, given) in [
        ("association", input.association.is_some()),
        ("user", input.user.is_some()),
        ("guest_name", input.guest_name.is_some()),
    ] {
        if given {
            errors.add(
                field,
                "cannot be changed; delete the entry and record a new one",
            );
        }
    }
    let draft = match entry.draft.apply(&input, today(config, now)) {
        Ok(d) => Some(d),
        Err(e) => {
            merge(&mut errors, e)?;
            None
        }
    };
    if let Some(d) = &draft {
        check_mission(store, &association, d, &mut errors).await?;
    }
    let draft = errors
        .into_result(draft)?
        .ok_or(ServiceError::Internal("no draft without errors".into()))?;
    let status = if coordinator {
        entry.status
    } else if !association.local || settings_of(store, association.id).await?.moderation {
        HoursStatus::Pending
    } else {
        HoursStatus::Validated
    };
    let reason = if status == HoursStatus::Refused {
        entry.reason.as_str()
    } else {
        ""
    };
    // A change of hours sent to another server goes there too (`Update`).
    let event = (!association.local).then_some(Outgoing::HoursOffered {
        entry_id: id,
        update: true,
    });
    Ok(store
        .update_hours_entry(
            id,
            draft,
            status,
            reason,
            Some(user.id),
            event.as_ref(),
            now,
        )
        .await?)
}

pub async fn delete(store: &dyn Store, user: &User, id: i64, now: DateTime<Utc>) -> Result<()> {
    let (entry, association, _) = changeable(store, user, id).await?;
    // Hours sent to another server are withdrawn there too (`Delete`).
    let event = match (&entry.volunteer, &entry.ap_id, association.local) {
        (Volunteer::User { user_id }, Some(ap_id), false) => Some(Outgoing::HoursWithdrawn {
            user_id: *user_id,
            association_actor_id: association.id,
            ap_id: ap_id.clone(),
        }),
        _ => None,
    };
    Ok(store
        .delete_hours_entry(id, Some(user.id), event.as_ref(), now)
        .await?)
}

/// A coordinator validates an entry, or refuses it with a reason.
pub async fn decide(
    store: &dyn Store,
    user: &User,
    id: i64,
    validate: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<HoursEntry> {
    let entry = store.get_hours_entry(id).await?;
    let association = store.get_actor(entry.actor_id).await?;
    if !is_coordinator(store, user, &association).await? {
        if entry.volunteer == (Volunteer::User { user_id: user.id }) {
            return Err(ServiceError::Forbidden(
                "only the association's coordinators validate hours",
            ));
        }
        return Err(ServiceError::NotFound("hours entry"));
    }
    let reason = reason.trim();
    let (status, reason) = if validate {
        (HoursStatus::Validated, "")
    } else {
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(
                DomainError::field("reason", "give a reason of 1 to 500 characters").into(),
            );
        }
        (HoursStatus::Refused, reason)
    };
    if entry.status == status {
        return Err(ServiceError::Conflict(format!(
            "this entry is already {}",
            status.as_str()
        )));
    }
    // The volunteer's server learns the decision (`Accept` or `Reject`).
    let event = matches!(entry.volunteer, Volunteer::Remote { .. })
        .then_some(Outgoing::HoursAnswered { entry_id: id });
    Ok(store
        .update_hours_entry(
            id,
            entry.draft.clone(),
            status,
            reason,
            Some(user.id),
            event.as_ref(),
            now,
        )
        .await?)
}

/// One sign-up marked present or absent; `minutes` replaces the slot's duration.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    pub participation_id: i64,
    pub present: bool,
    #[serde(default)]
    pub minutes: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Attendance {
    pub marks: Vec<Mark>,
}

/// A coordinator marks the people signed up for a slot that is over. A presence becomes an
/// entry of the slot's duration (validated, editable later); an absence is kept as a no-show.
/// A sign-up marked before is left as it is.
pub async fn mark_attendance(
    store: &dyn Store,
    config: &Config,
    user: &User,
    slot_id: i64,
    input: Attendance,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, AttendanceOutcome)>> {
    let (slot, mission, association) = super::slots::local_slot(store, slot_id).await?;
    require_coordinator(store, user, &association).await?;
    if slot.end_time > now {
        return Err(ServiceError::Conflict(
            "attendance is marked once the slot is over".into(),
        ));
    }
    let participations = store.list_participations(slot_id).await?;
    let tz = config.timezone();
    let start = slot.start_time.with_timezone(&tz).date_naive();
    let end = slot.end_time.with_timezone(&tz).date_naive().max(start);
    let mut errors = FieldErrors::new();
    if input.marks.is_empty() {
        errors.add("marks", "mark at least one sign-up");
    }
    let mut planned = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, m) in input.marks.iter().enumerate() {
        let Some(p) = participations
            .iter()
            .find(|p| p.id == m.participation_id && p.status == ParticipationStatus::Accepted)
        else {
            errors.add(
                &format!("marks[{i}].participation_id"),
                "no accepted sign-up with this id for this slot",
            );
            continue;
        };
        if !seen.insert(p.id) {
            errors.add(&format!("marks[{i}].participation_id"), "marked twice");
            continue;
        }
        let volunteer = match &p.participant {
            Participant::User { user_id } => Volunteer::User { user_id: *user_id },
            Participant::Guest { name, .. } => Volunteer::Guest { name: name.clone() },
            Participant::Remote { actor_ap_id } => Volunteer::Remote {
                actor_ap_id: actor_ap_id.clone(),
                name: super::hours_remote::remote_name(store, actor_ap_id).await?,
            },
        };
        let minutes = m
            .minutes
            .unwrap_or_else(|| (slot.end_time - slot.start_time).num_minutes());
        let draft = HoursDraft {
            start_date: start,
            end_date: end,
            minutes,
            distance_km: None,
            category: mission.category.clone(),
            mission_id: Some(mission.id),
            description: mission.title.chars().take(200).collect(),
        };
        // The same rules as an entry typed by hand (a slot may have been long).
        if let Err(e) = draft.apply(&HoursInput::default(), start.max(today(config, now))) {
            if let DomainError::Invalid(more) = e {
                for (k, v) in more.0 {
                    errors.add(&format!("marks[{i}].{k}"), v);
                }
            }
            continue;
        }
        let entry = m.present.then_some(NewHoursEntry {
            actor_id: association.id,
            volunteer,
            draft,
            status: HoursStatus::Validated,
            slot_id: Some(slot.id),
            participation_id: Some(p.id),
            ap_id: None,
        });
        planned.push((p.id, m.present, entry));
    }
    errors.into_result(())?;
    let mut out = Vec::with_capacity(planned.len());
    for (pid, present, entry) in planned {
        let outcome = store
            .mark_attendance(pid, slot.id, present, entry, Some(user.id), now)
            .await?;
        out.push((pid, outcome));
    }
    Ok(out)
}

pub async fn get_settings(
    store: &dyn Store,
    user: &User,
    association_name: &str,
) -> Result<(Actor, HoursSettings)> {
    let association = association(store, association_name).await?;
    require_coordinator(store, user, &association).await?;
    let s = settings_of(store, association.id).await?;
    Ok((association, s))
}

pub async fn put_settings(
    store: &dyn Store,
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

pub async fn totals(
    store: &dyn Store,
    user: &User,
    association_name: &str,
    period: &Period,
) -> Result<Totals> {
    let (association, entries) = list_association(store, user, association_name, period).await?;
    let settings = settings_of(store, association.id).await?;
    let report = Report::of(&entries, &settings);
    let mission_titles =
        super::missions::titles(store, report.by_mission.keys().flatten().copied().collect())
            .await?;
    Ok(Totals {
        association,
        settings,
        report,
        mission_titles,
    })
}

/// One field of RFC 4180: quoted when it holds a comma, a quote or a line break. Text that a
/// spreadsheet would read as a formula gets a leading apostrophe.
pub(crate) fn csv_field(s: &str, text: bool) -> String {
    let s = if text && s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub const CSV_HEADER: &str = "id,date,end_date,volunteer,category,mission_id,minutes,hours,\
distance_km,status,value_eur,description";

/// An association's entries as CSV (RFC 4180: CRLF, a header row, dot decimals, UTF-8 without
/// a byte order mark). `value_eur` is the entry's value at the current rates (validated only).
pub async fn export_csv(
    store: &dyn Store,
    user: &User,
    association_name: &str,
    period: &Period,
) -> Result<String> {
    let (association, mut entries) =
        list_association(store, user, association_name, period).await?;
    let settings = settings_of(store, association.id).await?;
    entries.reverse();
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for e in &entries {
        out.push_str(&csv_row(e, &settings));
        out.push_str("\r\n");
    }
    Ok(out)
}

/// One entry as a CSV line (without its end of line), in the columns of [`CSV_HEADER`].
fn csv_row(e: &HoursEntry, settings: &HoursSettings) -> String {
    let mut one = Tally::default();
    one.add(&e.draft, settings);
    let value = if e.status == HoursStatus::Validated {
        one.value().to_string()
    } else {
        String::new()
    };
    let d = &e.draft;
    [
        e.id.to_string(),
        d.start_date.to_string(),
        d.end_date.to_string(),
        csv_field(&e.volunteer_name(), true),
        d.category.clone(),
        d.mission_id.map(|m| m.to_string()).unwrap_or_default(),
        d.minutes.to_string(),
        one.hours().to_string(),
        d.distance_km.map(|k| k.to_string()).unwrap_or_default(),
        e.status.as_str().to_string(),
        value,
        csv_field(&d.description, true),
    ]
    .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain", true), "plain");
        assert_eq!(csv_field("a, \"b\"", true), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_field("=SUM(A1)", true), "'=SUM(A1)");
        assert_eq!(csv_field("two\nlines", true), "\"two\nlines\"");
    }
}
