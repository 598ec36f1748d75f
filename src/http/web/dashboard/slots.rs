//! Adding slots to a mission (one, or a weekly rule), on a page of its own that shows a refused
//! submission again with what to fix; and cancelling a slot, after a page that says who will be
//! told (GET changes nothing).

use super::{
    association_ctx, back_to, dashboard_path,
    forms::{form_errors, read_slots_form, slot_defaults, WEEKDAYS},
};
use crate::http::params::Path;
use crate::http::web::prelude::NoFields;
use crate::{
    domain::{actor::Actor, mission::Mission, slot::SlotStatus, DomainError, FieldErrors},
    http::web::{
        i18n,
        pages::{mission_path, shown_errors, with_param},
        CheckedForm, LoggedIn, OrPage, Page, PageError,
    },
    service::{self, ServiceError},
};
use axum::{http::StatusCode, response::Response};
use minijinja::{context, Value};
use std::collections::BTreeMap;

/// The order of the form's fields, for the list of what to fix.
const FIELDS: [&str; 10] = [
    "slot_date",
    "slot_start",
    "slot_end",
    "slot_capacity",
    "rule_from",
    "rule_to",
    "rule_days",
    "rule_start",
    "rule_end",
    "rule_capacity",
];

/// The page with the two ways to add slots, empty or with the values and messages of a
/// refused submission.
fn slots_page(
    page: &Page,
    a: &Actor,
    m: &Mission,
    (values, days): (&BTreeMap<String, String>, &[String]),
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let (lang, state) = (page.lang, page.state());
    let shown = shown_errors(
        lang,
        errors,
        &FIELDS,
        |f| f.to_string(),
        |f| match f {
            "rule_days" => "rule_day_mon".to_string(),
            other => other.to_string(),
        },
    );
    let weekdays: Vec<Value> = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, code)| {
            context! {
                code => code, label => i18n::day_name(lang, i as u8),
                checked => days.iter().any(|d| d == code),
            }
        })
        .collect();
    let ctx = context! {
        a => association_ctx(a),
        m => context! {
            id => m.id, title => m.title, page => mission_path(state, m),
            when => i18n::long_span(m.start_time, m.end_time, state.config.timezone(), lang),
        },
        values => values,
        weekdays => weekdays,
        errors => shown.by_field,
        error_summary => shown.summary,
        errors_title => shown.title,
    };
    page.render_status("slots_form.html", ctx, status)
}

pub(super) async fn slots_form(
    Path((name, id)): Path<(String, i64)>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let state = page.state();
    let (a, m) = service::dashboard::managed_mission(state.store.as_ref(), &user, &name, id)
        .await
        .or_page(&page)?;
    let values = slot_defaults(state.config.timezone(), &m);
    Ok(slots_page(
        &page,
        &a,
        &m,
        (&values, &[]),
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}

pub(super) async fn add_slots(
    Path((name, id)): Path<(String, i64)>,
    CheckedForm(page, pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/g/{name}/missions/{id}/slots"))?;
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    let mut days = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => {}
            "rule_days" => days.push(v),
            _ => {
                values.insert(k, v);
            }
        }
    }
    let state = page.state();
    let (store, tz) = (state.store.as_ref(), state.config.timezone());
    let (a, m) = service::dashboard::managed_mission(store, &user, &name, id)
        .await
        .or_page(&page)?;
    let kind = if values.get("kind").map(String::as_str) == Some("weekly") {
        "weekly"
    } else {
        "one"
    };
    let (input, unreadable) = read_slots_form(kind, &values, &days);
    let outcome = if unreadable.is_empty() {
        let now = state.clock.now();
        service::slots::add(store, &state.config, &user, id, input, now).await
    } else {
        Err(ServiceError::Domain(DomainError::Invalid(unreadable)))
    };
    match outcome {
        Ok(created) => {
            state.wake.notify_waiters();
            let back = with_param(&dashboard_path(&name), "done", "slots_added");
            Ok(back_to(&back, "n", &created.len().to_string()))
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let errors = form_errors(page.lang, kind, &m, tz, errors);
            // The other form keeps its starting values.
            let prefix = if kind == "weekly" { "slot_" } else { "rule_" };
            for (k, v) in slot_defaults(tz, &m) {
                if k.starts_with(prefix) {
                    values.insert(k, v);
                }
            }
            Ok(slots_page(
                &page,
                &a,
                &m,
                (&values, &days),
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(page.error(e)),
    }
}

/// "Annuler ce créneau ?": what will happen, and the button that does it (GET changes nothing).
pub(super) async fn cancel_page(
    Path(id): Path<i64>,
    LoggedIn { page, user }: LoggedIn,
) -> Result<Response, PageError> {
    let state = page.state();
    let to_cancel = service::dashboard::slot_to_cancel(state.store.as_ref(), &user, id)
        .await
        .or_page(&page)?;
    let (slot, lang) = (&to_cancel.slot, page.lang);
    let ctx = context! {
        slot => context! {
            id => slot.id,
            when => i18n::long_span(slot.start_time, slot.end_time, state.config.timezone(), lang),
            cancelled => slot.status == SlotStatus::Cancelled,
        },
        mission => to_cancel.mission.title,
        told => i18n::people_told(lang, to_cancel.told as i64),
        back => dashboard_path(&to_cancel.association.name),
    };
    Ok(page.render("slot_cancel.html", ctx))
}

pub(super) async fn cancel(
    Path(id): Path<i64>,
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let state = page.state();
    let store = state.store.as_ref();
    let (_, back, user) = super::acting_on(
        &page,
        service::dashboard::association_of_slot(store, id).await,
    )?;
    service::slots::cancel(store, &user, id, state.clock.now())
        .await
        .or_page(&page)?;
    state.wake.notify_waiters();
    Ok(back_to(&back, "done", "slot_cancelled"))
}
