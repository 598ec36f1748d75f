//! Attendance at a slot that is over: a coordinator marks who came; a presence becomes an
//! entry of the slot's duration, an absence is kept as a no-show.

use super::*;

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
    let (slot, mission, association) = crate::service::slots::local_slot(store, slot_id).await?;
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
