//! Attendance at a slot that is over: each presence becomes hours, each absence is kept.

use super::*;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/slots/{id}/attendance",
        get(attendance_page).post(save_attendance),
    )
}

async fn attendance_page(
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let state = page.state();
    let lang = page.lang;
    let (slot, mission, a, people) =
        service::hours::attendance_sheet(state.store.as_ref(), &user, id)
            .await
            .or_page(&page)?;
    let people: Vec<Value> = people
        .iter()
        .map(|p| context! { id => p.participation_id, name => p.name, marked => p.marked })
        .collect();
    let minutes = (slot.end_time - slot.start_time).num_minutes();
    let (notice, error) = flash(lang, &q);
    Ok(page.render(
        "hours_attendance.html",
        context! {
            h => words(lang), association => a.label(), name => a.name, slot_id => slot.id,
            mission => mission.title, people => people, slot_duration => duration(minutes),
            when => i18n::long_span(slot.start_time, slot.end_time, state.config.timezone(), lang),
            over => slot.end_time <= state.clock.now(),
            notice => notice, error => error,
        },
    ))
}

/// `mark-<participation>` = present | absent; `minutes-<participation>` = minutes or empty.
fn marks(pairs: &[(String, String)]) -> Vec<AttendanceMark> {
    let mut marks = Vec::new();
    for (k, v) in pairs {
        let Some(pid) = k.strip_prefix("mark-").and_then(|p| p.parse::<i64>().ok()) else {
            continue;
        };
        let minutes = pairs
            .iter()
            .find(|(mk, _)| *mk == format!("minutes-{pid}"))
            .map(|(_, m)| m.trim())
            .filter(|m| !m.is_empty())
            .and_then(|m| m.parse::<i64>().ok());
        marks.push(AttendanceMark {
            participation_id: pid,
            present: v == "present",
            minutes,
        });
    }
    marks
}

async fn save_attendance(
    Path(id): Path<i64>,
    CheckedForm(page, pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = format!("/slots/{id}/attendance");
    let user = page.user_or_login(&back)?;
    let state = page.state();
    let store = state.store.as_ref();
    let marks = marks(&pairs);
    let result = service::hours::mark_attendance(
        store,
        &state.config,
        &user,
        id,
        Attendance { marks },
        state.clock.now(),
    )
    .await;
    match result {
        Ok(outcomes) => {
            let recorded = outcomes
                .iter()
                .any(|(_, o)| matches!(o, AttendanceOutcome::Recorded { .. }));
            let (_, _, a) = service::slots::local_slot(store, id).await.or_page(&page)?;
            Ok(if recorded {
                back_to(&hours_path(&a), "done", "attendance")
            } else {
                back_to(&back, "refused", "already")
            })
        }
        Err(ServiceError::Conflict(_)) => Ok(back_to(&back, "refused", "not_over")),
        Err(ServiceError::Domain(DomainError::Invalid(_))) => {
            Ok(back_to(&back, "refused", "already"))
        }
        Err(e) => Err(page.error(e)),
    }
}
