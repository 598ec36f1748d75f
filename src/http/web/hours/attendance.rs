//! Attendance at a slot that is over: each presence becomes hours, each absence is kept.

use super::*;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/slots/{id}/attendance",
        get(attendance_page).post(save_attendance),
    )
}

async fn attendance_ctx(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    slot_id: i64,
) -> Result<(Actor, Value), ServiceError> {
    let store = state.store.as_ref();
    let lang = page.lang;
    let (slot, mission, a) = service::slots::local_slot(store, slot_id).await?;
    let a = managed_association(state, user, &a.name).await?;
    let marks: BTreeMap<i64, bool> = store
        .slot_attendance(slot.id)
        .await?
        .into_iter()
        .map(|(p, present, _)| (p, present))
        .collect();
    let mut people = Vec::new();
    for p in store.list_participations(slot.id).await? {
        if p.status != ParticipationStatus::Accepted {
            continue;
        }
        let name = match &p.participant {
            Participant::User { user_id } => store.get_user(*user_id).await?.name,
            Participant::Guest { name, .. } => name.clone(),
            Participant::Remote { actor_ap_id } => {
                service::hours_remote::remote_name(store, actor_ap_id).await?
            }
        };
        people.push(context! { id => p.id, name => name, marked => marks.get(&p.id).copied() });
    }
    let minutes = (slot.end_time - slot.start_time).num_minutes();
    Ok((
        a.clone(),
        context! {
            h => words(lang), association => a.label(), name => a.name, slot_id => slot.id,
            mission => mission.title, people => people, slot_duration => duration(minutes),
            when => i18n::long_span(slot.start_time, slot.end_time, state.config.timezone(), lang),
            over => slot.end_time <= state.clock.now(),
        },
    ))
}

async fn attendance_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/slots/{id}/attendance"));
    };
    match attendance_ctx(&state, &page, &u, id).await {
        Ok((_, ctx)) => {
            let (notice, error) = flash(page.lang, &q);
            render(
                &state,
                &page,
                "hours_attendance.html",
                context! { notice => notice, error => error, ..ctx },
                StatusCode::OK,
            )
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn save_attendance(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    let back = format!("/slots/{id}/attendance");
    let (page, u) = match checked(&state, &headers, user, csrf, &back) {
        Ok(x) => x,
        Err(r) => return r,
    };
    // `mark-<participation>` = present | absent; `minutes-<participation>` = minutes or empty.
    let mut marks = Vec::new();
    for (k, v) in &pairs {
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
    let result = service::hours::mark_attendance(
        state.store.as_ref(),
        &state.config,
        &u,
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
            let a = match service::slots::local_slot(state.store.as_ref(), id).await {
                Ok((_, _, a)) => a,
                Err(e) => return error_page(&state, &page, e),
            };
            if recorded {
                back_to(&hours_path(&a), "done", "attendance")
            } else {
                back_to(&back, "refused", "already")
            }
        }
        Err(ServiceError::Conflict(_)) => back_to(&back, "refused", "not_over"),
        Err(ServiceError::Domain(DomainError::Invalid(_))) => back_to(&back, "refused", "already"),
        Err(e) => error_page(&state, &page, e),
    }
}
