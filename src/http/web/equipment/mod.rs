//! Shared equipment pages (issue 4): the resources an association lends, a resource with its
//! availability calendar and the request form, a search of what is free, the reservations of
//! an association and the lending agreement. A resource's URL is its ActivityPub id:
//! `Accept: application/activity+json` gets its `Page`.

use super::{
    i18n,
    pages::{page_ctx, PageQuery},
    render, wants_json,
};
use crate::{
    domain::reservation::ReservationRefusal,
    federation::{error::FedError, resources::availability_collection, routes::ap_json},
    http::auth::MaybeUser,
    service::resources,
    state::{AppState, Context},
    storage::StoreError,
};
use activitypub_federation::config::Data;
use axum::{
    extract::{Path, Query, State},
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
async fn guide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let mut page = page_ctx(&state, &headers, &q, user);
    page.lang = "fr".into();
    let source = include_str!("../../../../docs/guide/materiel.md");
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, pulldown_cmark::Parser::new(source));
    let title = source
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim();
    render(
        &state,
        &page,
        "guide.html",
        minijinja::context! { title => title, body => body },
        StatusCode::OK,
    )
}

/// The page of a logged-in person, or the way to the login page (coming back to `back`).
#[allow(clippy::result_large_err)]
pub(super) fn logged_in(
    state: &AppState,
    headers: &HeaderMap,
    q: &PageQuery,
    user: MaybeUser,
    back: &str,
) -> Result<(super::PageCtx, crate::domain::account::User), Response> {
    let page = page_ctx(state, headers, q, user);
    match page.user.clone() {
        Some(u) => Ok((page, u)),
        None => Err(super::pages::login_redirect(back)),
    }
}

/// Like [`logged_in`], for a form: it must carry the session's token, else nothing is done.
#[allow(clippy::result_large_err)]
pub(super) fn posted(
    state: &AppState,
    headers: &HeaderMap,
    q: &PageQuery,
    user: MaybeUser,
    csrf: Option<&str>,
    back: &str,
) -> Result<(super::PageCtx, crate::domain::account::User), Response> {
    let session = user.1.clone();
    let (page, u) = logged_in(state, headers, q, user, back)?;
    if super::pages::csrf_ok(session.as_deref(), csrf) {
        Ok((page, u))
    } else {
        Err(super::pages::csrf_refused(state, &page))
    }
}

/// The words of these pages (`e.key` in the templates): French, then English.
const WORDS: &[(&str, &str, &str)] = &[
    ("equipment", "Matériel à partager", "Equipment to share"),
    ("equipment_intro", "Tables, chaises, tentes, sono, véhicules, salles… prêtés, loués ou échangés entre les associations et les structures du territoire. Cherchez ce qui est libre à vos dates, puis demandez-le en ligne.", "Tables, chairs, tents, sound systems, vans, rooms… lent, rented or exchanged between the associations and organisations of the area. Look for what is free on your dates, then ask for it online."),
    ("guide", "Le guide pas à pas du prêt de matériel (en français)", "The step-by-step guide to lending equipment (in French)"),
    ("search", "Chercher", "Search"),
    ("search_title", "Ce qui est libre à vos dates", "What is free on your dates"),
    ("words", "Mots (nom, description, lieu)", "Words (name, description, place)"),
    ("category", "Catégorie", "Category"),
    ("any_category", "Toutes les catégories", "All categories"),
    ("from_day", "Du (retrait)", "From (pickup)"),
    ("to_day", "Au (retour)", "To (return)"),
    ("how_many", "Combien au moins", "How many at least"),
    ("results", "Résultats", "Results"),
    ("no_results", "Rien ne correspond à cette recherche. Essayez d'autres dates ou moins de mots.", "Nothing matches this search. Try other dates or fewer words."),
    ("free_of", "libres sur", "free of"),
    ("in_all", "en tout", "in all"),
    ("elsewhere", "sur un autre site Entraide", "on another Entraide site"),
    ("lent_by", "Prêté par", "Lent by"),
    ("kind", "Structure", "Organisation"),
    ("place", "Lieu de retrait", "Pickup place"),
    ("quantity", "Quantité", "Quantity"),
    ("mode", "Conditions", "Terms"),
    ("deposit", "Dépôt de garantie", "Deposit"),
    ("value", "Valeur de remplacement", "Replacement value"),
    ("per_unit", "par unité", "per item"),
    ("per_day", "par jour et par unité", "per day and per item"),
    ("notice", "Délai de demande", "Notice"),
    ("notice_hours", "heures avant le retrait, au moins", "hours before the pickup, at least"),
    ("max_days", "Durée maximale", "Longest loan"),
    ("days", "jour(s)", "day(s)"),
    ("buffer", "Battement entre deux prêts", "Time between two loans"),
    ("hours", "heure(s)", "hour(s)"),
    ("insurance", "Assurance demandée à l'emprunteur", "Insurance required from the borrower"),
    ("approval", "Réponse", "Answer"),
    ("approval_automatic", "automatique si le matériel est libre", "automatic when the equipment is free"),
    ("approval_manual", "par un ou une responsable de l'association", "by a coordinator of the association"),
    ("conditions", "Conditions particulières", "Special conditions"),
    ("documents", "Documents du prêteur", "The lender's documents"),
    ("photos", "Photos", "Photos"),
    ("availability", "Disponibilités", "Availability"),
    ("availability_intro", "Nombre d'unités libres toute la journée, battement entre deux prêts compris.", "How many are free all day long, time between two loans included."),
    ("earlier", "Mois précédent", "Previous month"),
    ("later", "Mois suivant", "Next month"),
    ("ask_title", "Demander ce matériel", "Ask for this equipment"),
    ("ask_login", "Connectez-vous pour demander ce matériel au nom de votre association.", "Log in to ask for this equipment for your association."),
    ("ask_no_association", "Seul un ou une responsable d'une association de ce site peut demander du matériel. Ce matériel appartient à vos associations.", "Only a coordinator of an association of this site can ask for equipment. This equipment belongs to your associations."),
    ("borrower", "Pour l'association", "For the association"),
    ("start", "Retrait le", "Pickup on"),
    ("start_time", "à", "at"),
    ("end", "Retour le", "Return on"),
    ("end_time", "à", "at"),
    ("ask", "Envoyer la demande", "Send the request"),
    ("ask_remote_hint", "Ce matériel appartient à une association d'un autre site : votre demande lui est envoyée, et sa réponse s'affichera ici.", "This equipment belongs to an association of another site: your request is sent there, and its answer will show here."),
    ("owner_actions", "Pour les responsables", "For coordinators"),
    ("edit", "Modifier", "Edit"),
    ("delete", "Retirer ce matériel", "Remove this equipment"),
    ("delete_hint", "Les demandes et les prêts à venir seront annulés, et les emprunteurs prévenus.", "Requests and loans to come will be cancelled, and the borrowers told."),
    ("see_reservations", "Voir les réservations", "See the reservations"),
    ("our_equipment", "Notre matériel", "Our equipment"),
    ("add", "Ajouter du matériel", "Add equipment"),
    ("new_title", "Ajouter du matériel à prêter", "Add equipment to lend"),
    ("edit_title", "Modifier le matériel", "Edit the equipment"),
    ("name", "Nom", "Name"),
    ("description", "Description", "Description"),
    ("owner_kind", "Votre structure est", "Your organisation is"),
    ("place_hint", "L'adresse où le matériel est retiré et rendu.", "The address where the equipment is picked up and brought back."),
    ("quantity_hint", "1 pour un objet unique ; 80 pour un lot de 80 chaises identiques.", "1 for a unique item; 80 for a pool of 80 identical chairs."),
    ("mode_legend", "Mode de prêt", "How it is lent"),
    ("free_loan", "Prêt gratuit", "Free loan"),
    ("rental", "Location", "Rental"),
    ("exchange", "Échange", "Exchange"),
    ("price_per_day", "Prix par jour et par unité (€), pour une location", "Price per day and per item (€), for a rental"),
    ("deposit_euros", "Dépôt de garantie (€)", "Deposit (€)"),
    ("value_euros", "Valeur de remplacement par unité (€)", "Replacement value per item (€)"),
    ("insurance_check", "L'emprunteur doit être assuré pour ce matériel", "The borrower must be insured for this equipment"),
    ("min_notice", "Délai de demande, en heures", "Notice, in hours"),
    ("max_days_field", "Durée maximale d'un prêt, en jours", "Longest loan, in days"),
    ("buffer_field", "Battement entre deux prêts, en heures (nettoyage, transport)", "Time between two loans, in hours (cleaning, transport)"),
    ("approval_legend", "Les demandes sont", "Requests are"),
    ("approval_auto_label", "acceptées automatiquement si le matériel est libre", "accepted automatically when the equipment is free"),
    ("approval_manual_label", "acceptées ou refusées par un ou une responsable", "accepted or refused by a coordinator"),
    ("borrowers_legend", "Qui peut emprunter", "Who may borrow"),
    ("borrowers_everyone", "Toutes les associations, de ce site ou d'ailleurs", "Every association, of this site or elsewhere"),
    ("borrowers_followed", "Les associations de ce site, et celles que nous suivons", "The associations of this site, and those we follow"),
    ("borrowers_list", "Seulement celles de la liste ci-dessous", "Only those listed below"),
    ("borrower_list", "Associations autorisées (une adresse nom@site par ligne)", "Allowed associations (one name@site address per line)"),
    ("template", "Texte de la convention de prêt (facultatif)", "Text of the lending agreement (optional)"),
    ("template_hint", "Laissez vide pour le texte standard. Vous pouvez utiliser {owner}, {borrower}, {resource}, {quantity}, {start}, {end}, {place}, {deposit}, {price}, {replacement_value}, {conditions}.", "Leave empty for the standard text. You may use {owner}, {borrower}, {resource}, {quantity}, {start}, {end}, {place}, {deposit}, {price}, {replacement_value}, {conditions}."),
    ("save", "Enregistrer", "Save"),
    ("files_title", "Photos et documents", "Photos and documents"),
    ("photo_field", "Ajouter une photo (JPEG ou PNG, 10 Mo au plus)", "Add a photo (JPEG or PNG, 10 MB at most)"),
    ("document_field", "Ajouter un document : statuts, attestation d'assurance… (PDF, 10 Mo au plus)", "Add a document: statutes, insurance certificate… (PDF, 10 MB at most)"),
    ("upload", "Envoyer le fichier", "Upload the file"),
    ("remove_file", "Retirer", "Remove"),
    ("reservations", "Réservations de matériel", "Equipment reservations"),
    ("reservations_intro", "Le matériel que votre association prête, et celui qu'elle emprunte.", "The equipment your association lends, and the equipment it borrows."),
    ("to_decide", "Demandes à traiter", "Requests to answer"),
    ("no_to_decide", "Aucune demande en attente.", "No request waiting."),
    ("lent", "Prêts de notre matériel", "Loans of our equipment"),
    ("no_lent", "Aucun prêt en cours ou à venir.", "No loan under way or to come."),
    ("borrowed", "Ce que nous empruntons", "What we borrow"),
    ("no_borrowed", "Aucun emprunt en cours ou à venir.", "No borrowing under way or to come."),
    ("past", "Terminées", "Finished"),
    ("export_csv", "Télécharger les réservations (CSV, tableur)", "Download the reservations (CSV, spreadsheet)"),
    ("ical", "Calendrier des réservations (iCal) à ajouter à votre agenda", "Calendar of the reservations (iCal) to add to your calendar app"),
    ("ical_how", "Quand vous créez l'adresse de votre calendrier privé, la page « Mon calendrier » donne aussi l'adresse des réservations de chaque association dont vous êtes responsable, à ajouter à votre agenda. Elle se termine par", "When you make your private calendar address, the page “My calendar” also gives the address of the reservations of each association you coordinate, to add to your calendar app. It ends with"),
    ("ical_link", "Mon calendrier privé", "My private calendar"),
    ("accept", "Accepter", "Accept"),
    ("refuse", "Refuser", "Refuse"),
    ("refuse_reason", "Motif du refus", "Why it is refused"),
    ("cancel", "Annuler la réservation", "Cancel the reservation"),
    ("cancel_reason", "Motif de l'annulation (facultatif)", "Why it is cancelled (optional)"),
    ("pickup", "Noter le retrait", "Record the pickup"),
    ("pickup_notes", "État du matériel au retrait (facultatif)", "Condition at pickup (optional)"),
    ("return", "Noter le retour", "Record the return"),
    ("return_notes", "État du matériel au retour (facultatif)", "Condition at return (optional)"),
    ("sign", "J'accepte la convention au nom de l'association", "I accept the agreement for the association"),
    ("agreement", "Convention de prêt", "Lending agreement"),
    ("agreement_pdf", "Télécharger la convention (PDF)", "Download the agreement (PDF)"),
    ("print", "Version imprimable", "Printable version"),
    ("reservation", "Réservation", "Reservation"),
    ("state", "Où en est-elle", "Where it stands"),
    ("st_requested", "en attente de réponse", "waiting for an answer"),
    ("st_accepted", "acceptée", "accepted"),
    ("st_refused", "refusée", "refused"),
    ("st_picked_up", "matériel retiré", "picked up"),
    ("st_returned", "matériel rendu", "returned"),
    ("st_cancelled", "annulée", "cancelled"),
    ("st_overdue", "en retard : pas encore rendu", "overdue: not back yet"),
    ("reason", "Motif", "Reason"),
    ("when", "Quand", "When"),
    ("owner", "Prêteur", "Lender"),
    ("borrower_party", "Emprunteur", "Borrower"),
    ("between", "Entre les parties", "Between the parties"),
    ("object", "Objet du prêt", "What is lent"),
    ("commitments", "Engagements", "Commitments"),
    ("acceptance", "Acceptation", "Acceptance"),
    ("for_owner", "Pour le prêteur", "For the lender"),
    ("for_borrower", "Pour l'emprunteur", "For the borrower"),
    ("not_signed", "pas encore acceptée en ligne", "not accepted online yet"),
    ("reference", "Référence", "Reference"),
    ("back", "Retour", "Back"),
    ("free_label", "Gratuit", "Free"),
];

pub(super) fn words(lang: &str) -> BTreeMap<&'static str, &'static str> {
    WORDS
        .iter()
        .map(|w| (w.0, if lang == "en" { w.2 } else { w.1 }))
        .collect()
}

pub(super) fn word(lang: &str, key: &str) -> &'static str {
    WORDS
        .iter()
        .find(|w| w.0 == key)
        .map(|w| if lang == "en" { w.2 } else { w.1 })
        .unwrap_or("")
}

/// Labels of the categories and the kinds of owners.
pub(super) fn category_label(lang: &str, c: &str) -> &'static str {
    let (fr, en) = match c {
        "furniture" => ("Tables et chaises", "Tables and chairs"),
        "tent" => ("Tentes et barnums", "Tents and marquees"),
        "stage" => ("Scènes et podiums", "Stages"),
        "sound_light" => ("Son et lumière", "Sound and light"),
        "vehicle" => ("Véhicules", "Vehicles"),
        "room" => ("Salles", "Rooms"),
        "kitchen" => ("Cuisine et vaisselle", "Kitchen and tableware"),
        _ => ("Autre", "Other"),
    };
    if lang == "en" {
        en
    } else {
        fr
    }
}

pub(super) fn owner_kind_label(lang: &str, k: &str) -> &'static str {
    let (fr, en) = match k {
        "cooperative" => ("Coopérative", "Cooperative"),
        "craftsman" => ("Artisan", "Craftsman"),
        "company" => ("Entreprise", "Company"),
        "local_authority" => ("Collectivité", "Local authority"),
        _ => ("Association", "Association"),
    };
    if lang == "en" {
        en
    } else {
        fr
    }
}

/// An amount in euros: "47,13 €", "€47.13".
pub(super) fn euros(lang: &str, d: rust_decimal::Decimal) -> String {
    let s = d.round_dp(2).normalize().to_string();
    if lang == "en" {
        format!("€{s}")
    } else {
        format!("{} €", s.replace('.', ","))
    }
}

/// A moment in the node's time zone: "14/06/2031 09:00" or "2031-06-14 09:00".
pub(super) fn moment(state: &AppState, lang: &str, t: chrono::DateTime<chrono::Utc>) -> String {
    let local = t.with_timezone(&state.config.timezone());
    if lang == "en" {
        local.format("%Y-%m-%d %H:%M").to_string()
    } else {
        local.format("%d/%m/%Y %H:%M").to_string()
    }
}

/// The messages of the services in the page's language (the field ones of the equipment
/// first, then the common ones).
pub(super) fn message(lang: &str, m: &str) -> String {
    if lang == "en" {
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
pub(super) fn state_label(lang: &str, shown: &str) -> &'static str {
    word(lang, &format!("st_{shown}"))
}

/// One of our resources by its ActivityPub id: the `Page` (or a Tombstone with 410), or the
/// page for people.
async fn by_ap_id(ctx: Context, headers: HeaderMap, Path(uuid): Path<String>) -> Response {
    let state: &AppState = ctx.app_data();
    let ap_id = format!("{}/r/{}", state.config.base(), uuid);
    let found = match state.store.find_resource_by_ap_id(&ap_id).await {
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
        let r = state
            .store
            .find_resource_by_ap_id(&ap_id)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or(StoreError::NotFound("resource"))?;
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
    match state.store.get_resource_file(id).await {
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
        Err(StoreError::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => FedError::from(e).into_response(),
    }
}

/// A form's refusals: the message by field id (`rename` maps the service's names to the
/// form's), and the box at the top listing them in the form's order, each linking to its field.
pub(super) fn errors_view(
    lang: &str,
    errors: &crate::domain::FieldErrors,
    order: &[&str],
    rename: impl Fn(&str) -> String,
) -> (BTreeMap<String, String>, minijinja::Value) {
    let mut fields: Vec<(&String, &String)> = errors.0.iter().collect();
    let rank = |f: &str| order.iter().position(|o| *o == f).unwrap_or(order.len());
    fields.sort_by_key(|(f, _)| rank(f));
    let mut by_field = BTreeMap::new();
    let mut summary = Vec::new();
    for (f, m) in fields {
        let id = rename(f);
        if by_field.contains_key(&id) {
            continue;
        }
        let text = message(lang, m);
        let label = match word(lang, &field_word(f)) {
            "" => i18n::field_label(lang, f),
            w => w.to_string(),
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
        super::super::word_check::check_table(WORDS);
        super::super::word_check::check_templates(&TEMPLATES, "e.", |k| {
            WORDS.iter().any(|w| w.0 == k)
        });
    }

    #[test]
    fn refusals_read_in_french() {
        assert_eq!(
            message("fr", "the return must come after the pickup"),
            "Le retour doit venir après le retrait."
        );
        assert_eq!(
            message("fr", "ask at least 48 hour(s) before the pickup"),
            "Demandez au moins 48 heure(s) avant le retrait."
        );
        assert_eq!(
            message("fr", "only 3 of 80 free over this period"),
            "Seulement 3 sur 80 de libres sur cette période."
        );
        assert_eq!(
            message("en", "there are only 80 in all"),
            "there are only 80 in all"
        );
        assert_eq!(euros("fr", rust_decimal::Decimal::new(1500, 2)), "15 €");
    }
}
