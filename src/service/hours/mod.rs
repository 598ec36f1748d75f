//! Volunteer hours (issue 5): volunteers record what they did for an association; coordinators
//! record for anyone (with or without an account), validate or refuse, mark attendance at slots
//! that are over (a presence becomes an entry), set the rates, and read totals with their value.

use super::{accounts::role_in, missions::association, Result, ServiceError};
use crate::domain::Denial;
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
        mission::Mission,
        slot::{Participant, ParticipationStatus, Slot, SlotStatus},
        DomainError, FieldError, FieldErrors,
    },
    storage::{
        ActorStore, FollowStore, HoursQuery, HoursStore, MissionStore, NewHoursEntry,
        ParticipationStore, Store,
    },
};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

pub use crate::storage::AttendanceOutcome;

/// Most entries listed or exported at once.
const LIST_LIMIT: i64 = 10_000;
/// Longest name of a person without an account.
const MAX_GUEST_NAME: usize = 100;

mod associations;
mod attendance;
mod reports;

use associations::may_log_for;
pub use associations::{associations_for, known_remote_associations};

pub use attendance::{
    attendance_due, attendance_sheet, mark_attendance, Attendance, AttendanceDue, Attendee, Mark,
};
pub use reports::{
    export_csv, export_csv_stream, export_mine_csv, get_settings, put_settings, totals, Period,
    Totals, CSV_HEADER,
};
pub use reports::{CsvPieces, CsvStyle};

/// Today in the node's time zone.
pub fn today(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&config.timezone()).date_naive()
}

/// An association's settings, or the defaults.
pub async fn settings_of<S: HoursStore + ?Sized>(
    store: &S,
    actor_id: i64,
) -> Result<HoursSettings> {
    Ok(store.hours_settings(actor_id).await?.unwrap_or_default())
}

pub async fn is_coordinator<S: ActorStore + ?Sized>(
    store: &S,
    user: &User,
    association: &Actor,
) -> Result<bool> {
    Ok(matches!(role_in(store, user, association).await?, Some(r) if r.can_manage_missions()))
}

async fn require_coordinator<S: ActorStore + ?Sized>(
    store: &S,
    user: &User,
    association: &Actor,
) -> Result<()> {
    if is_coordinator(store, user, association).await? {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(Denial::new("coordinators_only")))
    }
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
    Err(DomainError::field("association", FieldError::new("association_unknown")).into())
}

/// The id of the `EconomicEvent` for hours sent to an association of another server.
fn new_hours_ap_id(config: &Config) -> String {
    format!("{}/hours/{}", config.base(), uuid::Uuid::new_v4())
}

/// A mission given with an entry must be one of the association's.
pub(super) async fn check_mission<S: MissionStore + ?Sized>(
    store: &S,
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
            errors.add("mission_id", FieldError::new("no_such_mission"));
        }
    }
    Ok(())
}

/// The draft once every field is checked, the mission included: all the errors at once.
async fn checked<S: MissionStore + ?Sized>(
    store: &S,
    association: &Actor,
    parsed: std::result::Result<HoursDraft, DomainError>,
    mut errors: FieldErrors,
) -> Result<HoursDraft> {
    let draft = match parsed {
        Ok(d) => Some(d),
        Err(e) => {
            merge(&mut errors, e)?;
            None
        }
    };
    if let Some(d) = &draft {
        check_mission(store, association, d, &mut errors).await?;
    }
    errors
        .into_result(draft)?
        .ok_or(ServiceError::Internal("no draft without errors".into()))
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
        errors.add("user", FieldError::new("others_hours"));
    }
    let Some(name) = input.association.as_deref().map(str::trim) else {
        errors.add("association", FieldError::new("association_required"));
        if let Err(e) = HoursDraft::parse(&input, today(config, now)) {
            merge(&mut errors, e)?;
        }
        return Err(DomainError::Invalid(errors).into());
    };
    let association = association_for_hours(store, user, name).await?;
    if association.local && !may_log_for(store, user, &association).await? {
        return Err(ServiceError::Forbidden(Denial::new("hours_members_only")));
    }
    let draft = checked(
        store,
        &association,
        HoursDraft::parse(&input, today(config, now)),
        errors,
    )
    .await?;
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
    let volunteer = Volunteer::User { user_id: user.id };
    record(store, &association, volunteer, draft, status, user, now).await
}

/// Writes an entry made here, outside any slot and without federation, by `user`.
async fn record<S: HoursStore + ?Sized>(
    store: &S,
    association: &Actor,
    volunteer: Volunteer,
    draft: HoursDraft,
    status: HoursStatus,
    user: &User,
    now: DateTime<Utc>,
) -> Result<HoursEntry> {
    let entry = NewHoursEntry {
        actor_id: association.id,
        volunteer,
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
        errors.add("association", FieldError::new("association_in_address"));
    }
    let volunteer = match (
        input.user.as_deref().map(str::trim),
        input.guest_name.as_deref().map(str::trim),
    ) {
        (Some(_), Some(_)) => {
            errors.add("user", FieldError::new("user_or_guest"));
            None
        }
        (Some(name), None) => match store.find_user_by_name(name).await? {
            Some(u) => Some(Volunteer::User { user_id: u.id }),
            None => {
                errors.add("user", FieldError::new("no_such_user"));
                None
            }
        },
        (None, Some(name)) if name.is_empty() || name.chars().count() > MAX_GUEST_NAME => {
            errors.add(
                "guest_name",
                FieldError::new("guest_name_length").num("max", MAX_GUEST_NAME),
            );
            None
        }
        (None, Some(name)) => Some(Volunteer::Guest { name: name.into() }),
        (None, None) => {
            errors.add("user", FieldError::new("user_needed"));
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
    let validated = HoursStatus::Validated;
    record(store, &association, volunteer, draft, validated, user, now).await
}

/// My entries, with the associations they are for.
pub async fn list_mine<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    period: &Period,
) -> Result<Vec<(HoursEntry, Actor)>> {
    let mut q = period.query()?;
    q.user_id = Some(user.id);
    let entries = store.list_hours_entries(q).await?;
    let actors = super::actors::by_ids(store, entries.iter().map(|e| e.actor_id)).await?;
    entries
        .into_iter()
        .map(|e| {
            let a = (actors.get(&e.actor_id).cloned()).ok_or(ServiceError::NotFound("actor"))?;
            Ok((e, a))
        })
        .collect()
}

/// All entries of an association (coordinators).
pub async fn list_association<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
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
async fn changeable<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<(HoursEntry, Actor, bool)> {
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
        return Err(ServiceError::Forbidden(Denial::new(
            "validated_entry_locked",
        )));
    }
    Ok((entry, association, false))
}

/// An entry and its association, for its volunteer or the association's coordinators; nobody
/// else learns that it exists.
pub async fn visible<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<(HoursEntry, Actor)> {
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
pub async fn history<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<(HoursEntry, Actor, Vec<crate::storage::HoursHistory>)> {
    let (entry, association) = visible(store, user, id).await?;
    let changes = store.hours_history(id).await?;
    Ok((entry, association, changes))
}

/// Changes an entry. A volunteer's change waits again for validation when moderation is on.
pub async fn update<S: ActorStore + HoursStore + MissionStore + ?Sized>(
    store: &S,
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
            errors.add(field, FieldError::new("fixed_volunteer"));
        }
    }
    let draft = checked(
        store,
        &association,
        entry.draft.apply(&input, today(config, now)),
        errors,
    )
    .await?;
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

pub async fn delete<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
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
pub async fn decide<S: ActorStore + HoursStore + ?Sized>(
    store: &S,
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
            return Err(ServiceError::Forbidden(Denial::new(
                "coordinators_validate_hours",
            )));
        }
        return Err(ServiceError::NotFound("hours entry"));
    }
    let reason = reason.trim();
    let (status, reason) = if validate {
        (HoursStatus::Validated, "")
    } else {
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(DomainError::field(
                "reason",
                FieldError::new("refusal_reason").num("max", 500),
            )
            .into());
        }
        (HoursStatus::Refused, reason)
    };
    if entry.status == status {
        return Err(ServiceError::Conflict(
            Denial::new("entry_already").text("status", status.as_str()),
        ));
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

#[cfg(test)]
mod tests;
