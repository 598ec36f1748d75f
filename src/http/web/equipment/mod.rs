//! Shared equipment pages (issue 4): the resources an association lends, a resource with its
//! availability calendar and the request form, a search of what is free, the reservations of
//! an association and the lending agreement. A resource's URL is its ActivityPub id:
//! `Accept: application/activity+json` gets its `Page`.

use super::{i18n, wants_json, Page};
use crate::http::params::Path;
use crate::http::web::prelude::*;
use crate::i18n::Lang;
use crate::{
    domain::reservation::{NodeReason, ReservationRefusal},
    federation::{error::FedError, resources::availability_collection, routes::ap_json},
    service::{files, resources, ServiceError},
    state::{AppState, Context},
};
use activitypub_federation::config::Data;
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
};
use std::collections::BTreeMap;

pub(crate) mod bookings;
mod browse;
mod manage;

pub const TEMPLATES: [(&str, &str); 7] = [
    (
        "equipment_macros.html",
        include_str!("../../../../templates/equipment_macros.html"),
    ),
    (
        "resources.html",
        include_str!("../../../../templates/resources.html"),
    ),
    (
        "resource.html",
        include_str!("../../../../templates/resource.html"),
    ),
    (
        "resource_form.html",
        include_str!("../../../../templates/resource_form.html"),
    ),
    (
        "reservations.html",
        include_str!("../../../../templates/reservations.html"),
    ),
    (
        "reservation.html",
        include_str!("../../../../templates/reservation.html"),
    ),
    (
        "agreement.html",
        include_str!("../../../../templates/agreement.html"),
    ),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/r/{uuid}", get(by_ap_id))
        .route("/r/{uuid}/availability", get(availability_json))
        .route("/files/{id}", get(file))
        .route("/guide/materiel", get(guide))
        .merge(browse::router())
        .merge(manage::router())
        .merge(bookings::router())
}

/// The French guide for lenders and borrowers (`docs/guide/materiel.md`), as a page.
async fn guide(page: Page) -> Response {
    page.french_guide(include_str!("../../../../docs/guide/materiel.md"))
}

/// The words of these pages (`e.key` in the templates), from the catalogue (`eq-` ids).
pub(super) fn words(lang: Lang) -> minijinja::Value {
    i18n::area(lang, "eq-")
}

pub(super) fn word(lang: Lang, key: &str) -> String {
    i18n::word(lang, &format!("eq-{key}"))
}

/// A count of these pages' words, in the right form: `count(lang, "days", 5)` is "5 jours".
pub(super) fn count(lang: Lang, key: &str, n: impl Into<i64>) -> String {
    i18n::tr_args(lang, &format!("eq-{key}"), &[("n", n.into().into())])
}

/// Labels of the categories and the kinds of owners (`eq-cat_*`, `eq-owner_*`); an unknown
/// code reads as "other" / "association", as the domain treats it.
pub(super) fn category_label(lang: Lang, c: &str) -> String {
    use crate::domain::resource::RESOURCE_CATEGORIES;
    let c = if RESOURCE_CATEGORIES.contains(&c) {
        c
    } else {
        "other"
    };
    word(lang, &format!("cat_{c}"))
}

pub(super) fn owner_kind_label(lang: Lang, k: &str) -> String {
    use crate::domain::resource::OWNER_KINDS;
    let k = if OWNER_KINDS.contains(&k) {
        k
    } else {
        "association"
    };
    word(lang, &format!("owner_{k}"))
}

/// An amount in euros: "47,13 €", "€47.13".
pub(super) fn euros(lang: Lang, d: rust_decimal::Decimal) -> String {
    let amount = d
        .round_dp(2)
        .normalize()
        .to_string()
        .replace('.', &word(lang, "decimal_separator"));
    i18n::tr_args(lang, "eq-euros", &[("amount", amount.into())])
}

/// A moment in the node's time zone: "14/06/2031 09:00" or "2031-06-14 09:00".
pub(super) fn moment(state: &AppState, lang: Lang, t: chrono::DateTime<chrono::Utc>) -> String {
    let local = t.with_timezone(&state.config.timezone());
    let part = |f: &str| crate::i18n::Arg::from(local.format(f).to_string());
    i18n::tr_args(
        lang,
        "eq-moment",
        &[
            ("dd", part("%d")),
            ("mo", part("%m")),
            ("yyyy", part("%Y")),
            ("hh", part("%H")),
            ("mi", part("%M")),
        ],
    )
}

/// Why a reservation was refused or cancelled, in the page's language: a refusal of the pool
/// is stored in its typed form's words (`ReservationRefusal::stored`) and worded here; a reason
/// people wrote is shown as they wrote it.
pub(super) fn reason_text(lang: Lang, reason: &str) -> String {
    let key = match NodeReason::parse(reason) {
        Some(NodeReason::Pool(ReservationRefusal::PoolTaken { free, total })) => {
            return i18n::tr_args(
                lang,
                "eq-pool_taken",
                &[("free", free.into()), ("total", total.into())],
            )
        }
        Some(NodeReason::NotLentHere) => "eq-reason_not_lent_here",
        Some(NodeReason::OwnedElsewhere) => "eq-reason_owned_elsewhere",
        Some(NodeReason::NotForYou) => "eq-reason_not_for_you",
        Some(NodeReason::WithdrawnByBorrower) => "eq-reason_withdrawn",
        Some(NodeReason::NoLongerLent) => "eq-reason_no_longer_lent",
        None => return reason.to_string(),
    };
    i18n::tr(lang, key)
}

/// A state as people read it.
pub(super) fn state_label(lang: Lang, shown: &str) -> String {
    word(lang, &format!("st_{shown}"))
}

/// One of our resources by its ActivityPub id: the `Page` (or a Tombstone with 410), or the
/// page for people.
async fn by_ap_id(ctx: Context, headers: HeaderMap, Path(uuid): Path<String>) -> Response {
    let state: &AppState = ctx.app_data();
    let ap_id = format!("{}/r/{}", state.config.base(), uuid);
    let found = match resources::by_ap_id(state.store.as_ref(), &ap_id).await {
        Ok(Some(r)) => r,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return FedError::from(e).into_response(),
    };
    if !wants_json(&headers) {
        return Redirect::to(&format!("/resources/{}", found.id)).into_response();
    }
    if let Some(deleted) = found.deleted_at {
        let mut res = ap_json(crate::federation::protocol::Tombstone {
            deleted: Some(deleted.to_rfc3339()),
            ..crate::federation::protocol::Tombstone::new(&found.ap_id, "Page")
        });
        *res.status_mut() = StatusCode::GONE;
        return res;
    }
    match crate::federation::resources::resource_document(&ctx, &found).await {
        Ok(v) => ap_json(v),
        Err(e) => e.into_response(),
    }
}

/// The busy periods of one of our resources (no borrower named).
async fn availability_json(ctx: Data<AppState>, Path(uuid): Path<String>) -> Response {
    let state: &AppState = ctx.app_data();
    let ap_id = format!("{}/r/{}", state.config.base(), uuid);
    let result = async {
        let r = resources::by_ap_id(state.store.as_ref(), &ap_id)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or_else(|| FedError::not_found("resource"))?;
        let busy = resources::busy_periods(state.store.as_ref(), &r, state.clock.now())
            .await
            .map_err(|e| FedError::Internal(e.to_string()))?;
        Ok::<_, FedError>(availability_collection(&r, &busy))
    }
    .await;
    match result {
        Ok(v) => ap_json(v),
        Err(e) => e.into_response(),
    }
}

/// A photo or a contract document of a resource: public, like the resource.
async fn file(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    match files::read(state.store.as_ref(), id).await {
        Ok((f, bytes)) => {
            let disposition = if f.kind == "photo" {
                "inline".to_string()
            } else {
                format!(
                    "attachment; filename=\"{}\"",
                    f.name.replace(['"', '\\', '\r', '\n'], "_")
                )
            };
            (
                [
                    (header::CONTENT_TYPE, f.content_type),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
                    (
                        header::HeaderName::from_static("x-content-type-options"),
                        "nosniff".to_string(),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(ServiceError::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => FedError::from(e).into_response(),
    }
}

/// A form's refusals: the message by field id (`rename` maps the service's names to the
/// form's), and the box at the top listing them in the form's order, each linking to its field.
pub(super) fn errors_view(
    lang: Lang,
    errors: &crate::domain::FieldErrors,
    order: &[&str],
    rename: impl Fn(&str) -> String,
) -> (BTreeMap<String, String>, minijinja::Value) {
    let mut fields: Vec<_> = errors.0.iter().collect();
    let rank = |f: &str| order.iter().position(|o| *o == f).unwrap_or(order.len());
    fields.sort_by_key(|(f, _)| rank(f));
    let mut by_field = BTreeMap::new();
    let mut summary = Vec::new();
    for (f, m) in fields {
        let id = rename(f);
        if by_field.contains_key(&id) {
            continue;
        }
        let text = i18n::field_error(lang, m);
        let label = match i18n::lookup(lang, &format!("eq-{}", field_word(f))) {
            Some(w) => w,
            None => i18n::field_label(lang, f),
        };
        summary.push(minijinja::context! { anchor => id, label => label, message => text });
        by_field.insert(id, text);
    }
    let title = i18n::form_errors(lang, by_field.len());
    (
        by_field,
        minijinja::context! { title => title, summary => summary },
    )
}

/// The word that labels a field of the equipment forms.
fn field_word(field: &str) -> String {
    match field {
        "q" => "words",
        "from" => "from_day",
        "to" => "to_day",
        "end" => "end",
        "start" => "start",
        "price_per_day" => "price_per_day",
        "deposit" => "deposit_euros",
        "replacement_value" => "value_euros",
        "min_notice_hours" => "min_notice",
        "max_days" => "max_days_field",
        "turnaround_hours" => "buffer_field",
        "agreement_template" => "template",
        "mode" => "mode_legend",
        "approval" => "approval_legend",
        "borrowers" => "borrowers_legend",
        "file" => "file_field",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_compile_and_their_words_exist() {
        super::super::word_check::check_templates(&TEMPLATES, "e.", |k| {
            i18n::has(&format!("eq-{k}"))
        });
    }

    #[test]
    fn refusals_read_in_french() {
        use crate::domain::FieldError;
        assert_eq!(
            i18n::field_error(Lang::Fr, &FieldError::new("return_after_pickup")),
            "Le retour doit venir après le retrait."
        );
        assert_eq!(
            i18n::field_error(Lang::Fr, &FieldError::new("min_notice").num("hours", 48)),
            "Demandez au moins 48 heure(s) avant le retrait."
        );
        assert_eq!(
            reason_text(Lang::Fr, "only 3 of 80 free over this period"),
            "Seulement 3 sur 80 de libres sur cette période."
        );
        assert_eq!(
            reason_text(Lang::En, "only 3 of 80 free over this period"),
            "only 3 of 80 free over this period"
        );
        assert_eq!(reason_text(Lang::Fr, "plus de place"), "plus de place");
        assert_eq!(
            FieldError::new("only_in_all").num("total", 80).to_string(),
            "there are only 80 in all"
        );
        assert_eq!(euros(Lang::Fr, rust_decimal::Decimal::new(1500, 2)), "15 €");
        assert_eq!(
            euros(Lang::Fr, rust_decimal::Decimal::new(4713, 2)),
            "47,13 €"
        );
        assert_eq!(
            euros(Lang::En, rust_decimal::Decimal::new(4713, 2)),
            "€47.13"
        );
    }

    /// A refused upload names the field as the form does, not by its form name (`file`).
    #[test]
    fn a_refused_file_names_its_field_in_words() {
        use crate::domain::{FieldError, FieldErrors};
        let mut errors = FieldErrors::new();
        errors.add("file", FieldError::new("file_required"));
        for (lang, label) in [
            (Lang::Fr, "Photo ou document"),
            (Lang::En, "Photo or document"),
        ] {
            let (_, view) = errors_view(lang, &errors, &[], |f| f.to_string());
            let summary = view.get_attr("summary").expect("summary");
            let first = summary.get_item(&minijinja::Value::from(0)).expect("one");
            assert_eq!(first.get_attr("label").expect("label").to_string(), label);
        }
    }
}
