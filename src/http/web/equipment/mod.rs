//! Shared equipment pages (issue 4): the resources an association lends, a resource with its
//! availability calendar and the request form, a search of what is free, the reservations of
//! an association and the lending agreement. A resource's URL is its ActivityPub id:
//! `Accept: application/activity+json` gets its `Page`.

use super::{i18n, wants_json, Page};
use crate::i18n::Lang;
use crate::{
    domain::reservation::ReservationRefusal,
    federation::{error::FedError, resources::availability_collection, routes::ap_json},
    service::{files, resources, ServiceError},
    state::{AppState, Context},
};
use activitypub_federation::config::Data;
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
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
        .route("/static/equipment.css", get(style))
        .route("/guide/materiel", get(guide))
        .merge(browse::router())
        .merge(manage::router())
        .merge(bookings::router())
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../../static/equipment.css"),
    )
        .into_response()
}

/// The French guide for lenders and borrowers (`docs/guide/materiel.md`), as a page.
async fn guide(page: Page) -> Response {
    let mut french = page.ctx().clone();
    french.lang = Lang::Fr;
    let source = include_str!("../../../../docs/guide/materiel.md");
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, pulldown_cmark::Parser::new(source));
    let title = source
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim();
    super::render(
        page.state(),
        &french,
        "guide.html",
        minijinja::context! { title => title, body => body },
        StatusCode::OK,
    )
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

/// The messages of the services in the page's language (the field ones of the equipment
/// first, then the common ones).
pub(super) fn message(lang: Lang, m: &str) -> String {
    if lang == Lang::En {
        return m.to_string();
    }
    // A refusal of the pool is stored in its typed form's words (`ReservationRefusal::stored`).
    if let Some(ReservationRefusal::PoolTaken { free, total }) = ReservationRefusal::parse(m) {
        return format!("Seulement {free} sur {total} de libres sur cette période.");
    }
    let number = m.split_whitespace().find_map(|w| {
        w.trim_matches(|c: char| !c.is_ascii_digit())
            .parse::<i64>()
            .ok()
    });
    let n = number.map(|n| n.to_string()).unwrap_or_default();
    let fr = match m {
        "must be a date like 2031-06-14" => "Indiquez une date, comme 14/06/2031.".to_string(),
        "send a JPEG or PNG photo" => "Envoyez une photo JPEG ou PNG.".to_string(),
        "send a PDF document" => "Envoyez un document PDF.".to_string(),
        "choose a file" => "Choisissez un fichier.".to_string(),
        "at most 10 MB" => "Le fichier dépasse 10 Mo.".to_string(),
        "the photo cannot be read (damaged, or too large)" => {
            "La photo ne peut pas être lue (abîmée, ou trop grande).".to_string()
        }
        "give a reason for the refusal" => "Indiquez le motif du refus.".to_string(),
        _ if m.starts_with("at most ") && m.ends_with("remove one first") => {
            format!("{n} fichiers au plus de ce type : retirez-en un d'abord.")
        }
        _ if m.ends_with(" is not an address like name@host") => format!(
            "{} n'est pas une adresse de la forme nom@site.",
            m.trim_end_matches(" is not an address like name@host")
        ),
        "the return must come after the pickup" => {
            "Le retour doit venir après le retrait.".to_string()
        }
        "give the borrowing association's name" => {
            "Choisissez l'association qui emprunte.".to_string()
        }
        "an association does not borrow its own equipment" => {
            "Une association n'emprunte pas son propre matériel.".to_string()
        }
        "the owner lends this equipment to other associations only" => {
            "Le prêteur réserve ce matériel à d'autres associations.".to_string()
        }
        "must be at least 1" => "Indiquez au moins 1.".to_string(),
        "must be an amount in euros, like \"150.00\"" => {
            "Indiquez un montant en euros, comme 150 ou 150,50.".to_string()
        }
        "must not be negative" => "Le montant ne peut pas être négatif.".to_string(),
        "is required for a rental" => "Indiquez le prix par jour d'une location.".to_string(),
        "name at least one association (name@host)" => {
            "Indiquez au moins une association (nom@site).".to_string()
        }
        _ if m.starts_with("a loan lasts at most") => format!("Un prêt dure au plus {n} jour(s)."),
        _ if m.starts_with("ask at least") => {
            format!("Demandez au moins {n} heure(s) avant le retrait.")
        }
        _ if m.starts_with("there are only") => format!("Il n'y en a que {n} en tout."),
        _ if m.starts_with("must be between") => {
            let nums: Vec<&str> = m
                .split_whitespace()
                .filter(|w| w.parse::<i64>().is_ok())
                .collect();
            format!(
                "Indiquez un nombre entre {} et {}.",
                nums.first().unwrap_or(&""),
                nums.get(1).unwrap_or(&"")
            )
        }
        _ if m.starts_with("is required, as a date and time") => {
            "Indiquez la date et l'heure.".to_string()
        }
        _ => i18n::field_error(lang, m),
    };
    fr
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
        let text = message(lang, &m.to_string());
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
        assert_eq!(
            message(Lang::Fr, "the return must come after the pickup"),
            "Le retour doit venir après le retrait."
        );
        assert_eq!(
            message(Lang::Fr, "ask at least 48 hour(s) before the pickup"),
            "Demandez au moins 48 heure(s) avant le retrait."
        );
        assert_eq!(
            message(Lang::Fr, "only 3 of 80 free over this period"),
            "Seulement 3 sur 80 de libres sur cette période."
        );
        assert_eq!(
            message(Lang::En, "there are only 80 in all"),
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
}
