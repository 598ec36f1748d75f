//! Attendance at a slot that is over: a coordinator marks who came; a presence becomes an
//! entry of the slot's duration, an absence is kept as a no-show.

use super::*;
use crate::domain::Denial;

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

/// Someone whose sign-up for a slot was accepted, as the attendance sheet lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Attendee {
    pub participation_id: i64,
    pub name: String,
    /// Marked present (`true`) or absent (`false`), or not marked yet.
    pub marked: Option<bool>,
}

/// The attendance sheet of a slot of this node, for the association's coordinators: the slot,
/// its mission and association, and the accepted sign-ups in sign-up order with their names
/// and marks. The names are read at once, however many people signed up.
pub async fn attendance_sheet(
    store: &dyn Store,
    user: &User,
    slot_id: i64,
) -> Result<(Slot, Mission, Actor, Vec<Attendee>)> {
    let (slot, mission, association) = crate::service::slots::local_slot(store, slot_id).await?;
    require_coordinator(store, user, &association).await?;
    let marks: BTreeMap<i64, bool> = store
        .slot_attendance(slot.id)
        .await?
        .into_iter()
        .map(|(p, present, _)| (p, present))
        .collect();
    let accepted: Vec<_> = store
        .list_participations(slot.id)
        .await?
        .into_iter()
        .filter(|p| p.status == ParticipationStatus::Accepted)
        .collect();
    let user_ids: Vec<i64> = accepted
        .iter()
        .filter_map(|p| match &p.participant {
            Participant::User { user_id } => Some(*user_id),
            _ => None,
        })
        .collect();
    let remote_ids: Vec<String> = accepted
        .iter()
        .filter_map(|p| match &p.participant {
            Participant::Remote { actor_ap_id } => Some(actor_ap_id.clone()),
            _ => None,
        })
        .collect();
    let users: BTreeMap<i64, String> = if user_ids.is_empty() {
        BTreeMap::new()
    } else {
        store
            .get_users(&user_ids)
            .await?
            .into_iter()
            .map(|u| (u.id, u.shown_name().to_string()))
            .collect()
    };
    let remote = crate::service::hours_remote::remote_names(store, &remote_ids).await?;
    let mut people = Vec::with_capacity(accepted.len());
    for p in accepted {
        let name = match &p.participant {
            Participant::User { user_id } => users
                .get(user_id)
                .cloned()
                .ok_or(ServiceError::NotFound("user"))?,
            Participant::Guest { name, .. } => name.clone(),
            Participant::Remote { actor_ap_id } => remote
                .get(actor_ap_id)
                .cloned()
                .unwrap_or_else(|| actor_ap_id.clone()),
        };
        people.push(Attendee {
            participation_id: p.id,
            name,
            marked: marks.get(&p.id).copied(),
        });
    }
    Ok((slot, mission, association, people))
}

/// A slot that is over and still has sign-ups to mark present or absent.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceDue {
    pub slot: Slot,
    pub mission_title: String,
    /// Accepted sign-ups not marked yet.
    pub left: i64,
}

/// The association's slots that ended in the last `days` days, were not cancelled and still
/// have accepted sign-ups without a mark, soonest first (coordinators). Three reads, however
/// many slots.
pub async fn attendance_due(
    store: &dyn Store,
    user: &User,
    association: &Actor,
    days: i64,
    now: DateTime<Utc>,
) -> Result<Vec<AttendanceDue>> {
    require_coordinator(store, user, association).await?;
    let over: Vec<Slot> = store
        .association_slots(association.id, now - chrono::Duration::days(days), now)
        .await?
        .into_iter()
        .filter(|s| s.end_time <= now && s.status != SlotStatus::Cancelled)
        .collect();
    if over.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = over.iter().map(|s| s.id).collect();
    let counts: BTreeMap<i64, (i64, i64)> = store
        .attendance_counts(&ids)
        .await?
        .into_iter()
        .map(|c| (c.slot_id, (c.accepted, c.marked)))
        .collect();
    let waiting: Vec<(Slot, i64)> = over
        .into_iter()
        .filter_map(|s| {
            let (accepted, marked) = counts.get(&s.id).copied().unwrap_or_default();
            (accepted > marked).then_some((s, accepted - marked))
        })
        .collect();
    let titles = crate::service::missions::titles(
        store,
        waiting.iter().map(|(s, _)| s.mission_id).collect(),
    )
    .await?;
    Ok(waiting
        .into_iter()
        .map(|(slot, left)| AttendanceDue {
            mission_title: titles
                .get(&slot.mission_id)
                .cloned()
                .unwrap_or_else(|| format!("#{}", slot.mission_id)),
            slot,
            left,
        })
        .collect())
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
    let (slot, mission, association) = crate::service::slots::local_slot(store, slot_id).await?;
    require_coordinator(store, user, &association).await?;
    if slot.end_time > now {
        return Err(ServiceError::Conflict(Denial::new("attendance_after_slot")));
    }
    let participations = store.list_participations(slot_id).await?;
    let tz = config.timezone();
    let start = slot.start_time.with_timezone(&tz).date_naive();
    let end = slot.end_time.with_timezone(&tz).date_naive().max(start);
    let mut errors = FieldErrors::new();
    if input.marks.is_empty() {
        errors.add("marks", FieldError::new("mark_one"));
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
                FieldError::new("no_such_signup"),
            );
            continue;
        };
        if !seen.insert(p.id) {
            errors.add(
                &format!("marks[{i}].participation_id"),
                FieldError::new("marked_twice"),
            );
            continue;
        }
        let volunteer = match &p.participant {
            Participant::User { user_id } => Volunteer::User { user_id: *user_id },
            Participant::Guest { name, .. } => Volunteer::Guest { name: name.clone() },
            Participant::Remote { actor_ap_id } => Volunteer::Remote {
                actor_ap_id: actor_ap_id.clone(),
                name: crate::service::hours_remote::remote_name(store, actor_ap_id).await?,
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
