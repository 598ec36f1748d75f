//! Volunteer hours on the web (issue 5). For volunteers, "Mes heures": record an action in a few
//! taps (the last ones again in one tap), see where each stands, delete a pending one, download
//! one's own hours. For coordinators, the association's hours: validate or refuse, record for
//! someone (with or without an account), mark who came to a slot that is over (a presence
//! becomes hours), totals with charts, rates and moderation, exports.

use super::{
    charts::{self, Mark},
    i18n,
    pages::{
        csrf_ok, csrf_refused, error_page, login_redirect, managed_association, page_ctx,
        shown_errors, PageQuery,
    },
    render, PageCtx,
};
use crate::{
    domain::{
        account::User,
        actor::Actor,
        hours::{HoursEntry, HoursInput, HoursStatus, SettingsInput, Tally, Volunteer},
        mission::{category_label, CATEGORIES},
        slot::{Participant, ParticipationStatus},
        DomainError, FieldErrors,
    },
    http::auth::MaybeUser,
    service::{
        self,
        hours::{Attendance, Mark as AttendanceMark, Period},
        ServiceError,
    },
    state::AppState,
    storage::AttendanceOutcome,
};
use axum::{
    extract::{Form, Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use chrono::{Datelike, Duration, Utc};
use minijinja::{context, Value};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

pub const TEMPLATES: [(&str, &str); 4] = [
    ("guide.html", include_str!("../../../templates/guide.html")),
    (
        "hours_mine.html",
        include_str!("../../../templates/hours_mine.html"),
    ),
    (
        "hours_association.html",
        include_str!("../../../templates/hours_association.html"),
    ),
    (
        "hours_attendance.html",
        include_str!("../../../templates/hours_attendance.html"),
    ),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/hours", get(mine).post(log_mine))
        .route("/me/hours.csv", get(mine_csv))
        .route("/me/hours/{id}/repeat", post(repeat))
        .route("/me/hours/{id}/delete", post(delete_mine))
        .route("/g/{name}/hours", get(association_page).post(record_for))
        .route("/g/{name}/hours.csv", get(association_csv))
        .route("/g/{name}/hours/settings", post(save_settings))
        .route("/hours/{id}/validate", post(validate))
        .route("/hours/{id}/refuse", post(refuse))
        .route(
            "/slots/{id}/attendance",
            get(attendance_page).post(save_attendance),
        )
        .route("/guide/heures", get(guide))
}

/// The French guide for volunteers and coordinators (`docs/guide/heures.md`), as a page. It
/// exists in French only, so the page says so (`lang="fr"`) whatever the visitor's language.
async fn guide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let mut page = page_ctx(&state, &headers, &q, user);
    page.lang = "fr".into();
    let source = include_str!("../../../docs/guide/heures.md");
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
        context! { title => title, body => body },
        StatusCode::OK,
    )
}

/// The words of these pages (`h.key` in the templates): French, then English.
const WORDS: &[(&str, &str, &str)] = &[
    ("my_hours", "Mes heures", "My hours"),
    ("guide", "Le guide pas à pas des heures de bénévolat (en français)", "The step-by-step guide to volunteer hours (in French)"),
    ("my_hours_intro", "Notez ce que vous avez fait pour une association, et combien de temps. Une fois validées par l'association, ces heures comptent dans son bilan.", "Record what you did for an association, and for how long. Once the association validates them, these hours count in its report."),
    ("log_title", "Noter une action", "Record an action"),
    ("association", "Association", "Association"),
    ("no_association", "Vous pourrez noter vos heures pour une association dès que vous en serez membre, que vous aurez participé à l'un de ses créneaux, ou que vous la suivrez.", "You can record hours for an association once you are a member, have taken part in one of its slots, or follow it."),
    ("date", "Date", "Date"),
    ("end_date", "Dernier jour, si l'action a duré plusieurs jours (facultatif)", "Last day, if the action lasted several days (optional)"),
    ("duration", "Durée", "Duration"),
    ("hours", "Heures", "Hours"),
    ("minutes", "Minutes", "Minutes"),
    ("distance", "Kilomètres parcourus (facultatif)", "Kilometres travelled (optional)"),
    ("category", "Domaine", "Category"),
    ("description", "Ce que vous avez fait (facultatif)", "What you did (optional)"),
    ("save", "Enregistrer", "Save"),
    ("repeat_title", "Refaire en un geste", "Again in one tap"),
    ("repeat_intro", "La même action, datée d'aujourd'hui :", "The same action, dated today:"),
    ("repeat", "Refaire aujourd'hui", "Again today"),
    ("history", "Mes actions", "My actions"),
    ("none", "Aucune action notée pour le moment.", "No action recorded yet."),
    ("st_pending", "En attente de validation", "Waiting for validation"),
    ("st_validated", "Validée", "Validated"),
    ("st_refused", "Refusée", "Refused"),
    ("delete", "Supprimer", "Delete"),
    ("export_mine", "Télécharger toutes mes heures (CSV, pour un tableur)", "Download all my hours (CSV, for a spreadsheet)"),
    ("my_totals", "Mes heures validées cette année", "My validated hours this year"),
    ("elsewhere", "sur un autre site", "on another site"),
    ("reason", "Motif", "Reason"),
    ("when", "Quand", "When"),
    ("status", "État", "Status"),
    ("volunteer", "Bénévole", "Volunteer"),
    ("value", "Valorisation", "Value"),
    ("entries", "Actions", "Actions"),
    ("km", "Kilomètres", "Kilometres"),
    ("total", "Total", "Total"),
    // The association's page
    ("association_hours", "Heures des bénévoles", "Volunteer hours"),
    ("association_intro", "Les heures données à l'association : à valider, à noter, et leur bilan pour les comptes.", "The hours given to the association: to validate, to record, and their report for the accounts."),
    ("dashboard", "Tableau de bord", "Dashboard"),
    ("pending_title", "À valider", "To validate"),
    ("no_pending", "Rien à valider pour le moment.", "Nothing to validate for now."),
    ("validate", "Valider", "Validate"),
    ("refuse", "Refuser", "Refuse"),
    ("refuse_reason", "Motif du refus", "Reason for refusing"),
    ("record_title", "Noter des heures pour quelqu'un", "Record hours for someone"),
    ("record_intro", "Pour une personne qui préfère ne pas le faire elle-même : indiquez son nom de compte sur ce site, ou, si elle n'a pas de compte, son nom et prénom.", "For someone who prefers not to do it themselves: give their account name on this site or, without an account, their first and last name."),
    ("account_name", "Nom de compte sur ce site", "Account name on this site"),
    ("guest_name", "Ou, sans compte : nom et prénom", "Or, without an account: first and last name"),
    ("attendance_title", "Présences à noter", "Attendance to mark"),
    ("attendance_intro", "Après un créneau, indiquez qui est venu : chaque présence devient des heures, sans double saisie.", "After a slot, say who came: each presence becomes hours, with no double entry."),
    ("no_attendance", "Aucun créneau terminé ces deux derniers mois n'attend ses présences.", "No slot over in the last two months is waiting for its attendance."),
    ("mark", "Noter les présences", "Mark attendance"),
    ("to_mark", "à noter", "to mark"),
    ("present", "Présent ou présente", "Present"),
    ("absent", "Absent ou absente", "Absent"),
    ("no_show", "absence notée", "marked absent"),
    ("marked_present", "présence notée", "marked present"),
    ("attendance_minutes", "Minutes à compter (la durée du créneau si vide)", "Minutes to count (the slot's length if empty)"),
    ("no_participants", "Personne n'était inscrit à ce créneau.", "Nobody had signed up for this slot."),
    ("back_hours", "Retour aux heures de l'association", "Back to the association's hours"),
    ("report_title", "Bilan", "Report"),
    ("year", "Année", "Year"),
    ("show", "Afficher", "Show"),
    ("only_validated", "Seules les heures validées comptent dans le bilan.", "Only validated hours count in the report."),
    ("by_month", "Heures par mois", "Hours per month"),
    ("by_category", "Heures par domaine", "Hours per category"),
    ("by_volunteer", "Par bénévole", "Per volunteer"),
    ("by_mission", "Par mission", "Per mission"),
    ("no_mission", "Sans mission", "No mission"),
    ("time_value", "Valeur du temps", "Value of the time"),
    ("mileage_value", "Frais kilométriques", "Mileage"),
    ("settings_title", "Validation et taux", "Validation and rates"),
    ("moderation", "Valider les heures notées par les bénévoles avant qu'elles comptent", "Validate the hours volunteers record before they count"),
    ("hourly_rate", "Taux horaire en euros", "Hourly rate in euros"),
    ("hourly_rate_help", "Par défaut, le SMIC horaire brut avec les charges patronales ; modifiable.", "By default, the French gross minimum wage per hour with employer charges; editable."),
    ("mileage_rate", "Indemnité kilométrique en euros par km", "Mileage rate in euros per km"),
    ("mileage_rate_help", "Par défaut, le barème des frais kilométriques des bénévoles ; modifiable.", "By default, the French scale for volunteers' mileage; editable."),
    ("category_rates", "Un taux horaire par domaine (facultatif)", "An hourly rate per category (optional)"),
    ("category_rates_help", "Laissez vide pour appliquer le taux horaire ci-dessus.", "Leave empty to use the hourly rate above."),
    ("exports", "Exports", "Exports"),
    ("statement_pdf", "Bilan annuel des contributions volontaires en nature (PDF)", "Annual statement of volunteer contributions in kind (PDF)"),
    ("statement_ods", "Le même bilan en tableur (ODS)", "The same statement as a spreadsheet (ODS)"),
    ("export_ods", "Toutes les heures de l'année en tableur (ODS)", "All the year's hours as a spreadsheet (ODS)"),
    ("attestations", "Attestations", "Attestations"),
    ("attestations_intro", "Une attestation de bénévolat reprend vos heures validées par une association sur une période. L'association la confirme en ligne ; le document le dit.", "An attestation of volunteering lists your hours validated by an association over a period. The association confirms it online; the document says so."),
    ("ask_attestation", "Demander une attestation", "Ask for an attestation"),
    ("from", "Du", "From"),
    ("to", "Au", "To"),
    ("no_attestations", "Aucune attestation demandée.", "No attestation asked for."),
    ("not_confirmed", "Pas encore confirmée par l'association", "Not confirmed by the association yet"),
    ("download", "Télécharger (PDF)", "Download (PDF)"),
    ("confirm", "Confirmer", "Confirm"),
    ("association_attestations_intro", "Les bénévoles demandent une attestation de leurs heures validées. En la confirmant, vous l'attestez au nom de l'association : votre nom et la date figurent sur le document.", "Volunteers ask for an attestation of their validated hours. By confirming it you attest it for the association: your name and the date appear on the document."),
    ("done_attestation_asked", "Votre demande d'attestation est enregistrée. Vous pouvez déjà la télécharger ; elle portera la confirmation de l'association une fois donnée.", "Your attestation is asked for. You can already download it; it will carry the association's confirmation once given."),
    ("done_attestation_confirmed", "L'attestation est confirmée.", "The attestation is confirmed."),
    ("refused_attestation_empty", "Aucune heure validée avec cette association sur cette période : rien à attester.", "No validated hours with this association in this period: nothing to attest."),
    ("refused_attestation_period", "Vérifiez les dates : le premier jour vient avant le dernier, et le dernier n'est pas encore à venir.", "Check the dates: the first day comes before the last, and the last is not in the future."),
    ("export_csv", "Toutes les heures de l'année (CSV)", "All the year's hours (CSV)"),
    ("done_logged", "Votre action est enregistrée.", "Your action is recorded."),
    ("done_logged_pending", "Votre action est enregistrée. Elle attend la validation de l'association.", "Your action is recorded. It is waiting for the association to validate it."),
    ("done_deleted", "L'action est supprimée.", "The action is deleted."),
    ("done_validated", "Les heures sont validées.", "The hours are validated."),
    ("done_refused", "Les heures sont refusées ; la personne voit le motif.", "The hours are refused; the person sees the reason."),
    ("done_recorded", "Les heures sont enregistrées.", "The hours are recorded."),
    ("done_settings", "Les réglages sont enregistrés.", "The settings are saved."),
    ("done_attendance", "Les présences sont notées.", "The attendance is marked."),
    ("refused_already", "Ces heures ont déjà été traitées.", "These hours were already handled."),
    ("refused_locked", "Ces heures sont validées : seule l'association peut encore les changer.", "These hours are validated: only the association can still change them."),
    ("refused_not_over", "Les présences se notent une fois le créneau terminé.", "Attendance is marked once the slot is over."),
];

fn words(lang: &str) -> BTreeMap<&'static str, &'static str> {
    WORDS
        .iter()
        .map(|w| (w.0, if lang == "en" { w.2 } else { w.1 }))
        .collect()
}

fn word(lang: &str, key: &str) -> Option<&'static str> {
    WORDS
        .iter()
        .find(|w| w.0 == key)
        .map(|w| if lang == "en" { w.2 } else { w.1 })
}

/// "2 h 30", "45 min", "3 h".
pub fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

/// A decimal as people of the language write it: "12,5" in French.
fn number(lang: &str, d: Decimal) -> String {
    let s = d.normalize().to_string();
    if lang == "en" {
        s
    } else {
        s.replace('.', ",")
    }
}

/// An amount in euros: "47,13 €", "€47.13".
fn euros(lang: &str, d: Decimal) -> String {
    let s = d.round_dp(2).to_string();
    if lang == "en" {
        format!("€{s}")
    } else {
        format!("{} €", s.replace('.', ","))
    }
}

/// A day: "14/03/2026" in French, "2026-03-14" in English.
fn day(lang: &str, d: chrono::NaiveDate) -> String {
    if lang == "en" {
        d.to_string()
    } else {
        d.format("%d/%m/%Y").to_string()
    }
}

fn span(lang: &str, e: &HoursEntry) -> String {
    if e.draft.end_date == e.draft.start_date {
        day(lang, e.draft.start_date)
    } else if lang == "en" {
        format!(
            "{} to {}",
            day(lang, e.draft.start_date),
            day(lang, e.draft.end_date)
        )
    } else {
        format!(
            "du {} au {}",
            day(lang, e.draft.start_date),
            day(lang, e.draft.end_date)
        )
    }
}

/// The service's messages about hours, in the page's language.
fn field_message(lang: &str, message: &str) -> String {
    let en = lang == "en";
    let pick = |fr: &str, e: &str| if en { e.to_string() } else { fr.to_string() };
    match message {
        "give the day of the action (YYYY-MM-DD)" | "must be a date like 2025-03-14" => {
            pick("Indiquez le jour, par exemple 14/03/2026.", "Give the day, for example 2026-03-14.")
        }
        "give the duration in minutes" | "must be more than 0" => pick(
            "Indiquez une durée, par exemple 2 heures.",
            "Give a duration, for example 2 hours.",
        ),
        "cannot be in the future" => pick(
            "Cette date n'est pas encore arrivée : notez les heures une fois l'action faite.",
            "This date has not come yet: record the hours once the action is done.",
        ),
        "must not be before the start date" => pick(
            "Le dernier jour vient après le premier.",
            "The last day comes after the first.",
        ),
        "must be a number of kilometres" => pick(
            "Indiquez un nombre de kilomètres, par exemple 12,5.",
            "Give a number of kilometres, for example 12.5.",
        ),
        "must not be negative" => pick("Indiquez un nombre positif.", "Give a positive number."),
        m if m.starts_with("at most 24 hours per day") => pick(
            "Une journée compte au plus 24 heures : vérifiez la durée, ou indiquez le dernier jour.",
            "A day has at most 24 hours: check the duration, or give the last day.",
        ),
        m if m.starts_with("a span is at most") => pick(
            "Notez une action d'au plus 31 jours à la fois.",
            "Record at most 31 days at a time.",
        ),
        m if m.starts_with("at most") && m.ends_with("km for one entry") => pick(
            "C'est beaucoup de kilomètres pour une action : vérifiez le nombre.",
            "That is a lot of kilometres for one action: check the number.",
        ),
        "at most 3 decimals" | "at most 4 decimals" => {
            pick("Trop de chiffres après la virgule.", "Too many decimals.")
        }
        m if m.starts_with("must be one of") => {
            pick("Choisissez un domaine dans la liste.", "Choose a category from the list.")
        }
        "give the association's name" => pick("Choisissez l'association.", "Choose the association."),
        m if m.starts_with("no association with this address") => pick(
            "Cette association n'est pas parmi celles que vous suivez ou avec qui vous avez participé.",
            "This association is not among the ones you follow or took part with.",
        ),
        "no such user on this node" => pick(
            "Aucun compte de ce nom sur ce site. Sans compte, indiquez plutôt le nom et prénom.",
            "No account of that name on this site. Without an account, give the first and last name instead.",
        ),
        "give either user or guest_name, not both" => pick(
            "Indiquez un nom de compte ou un nom et prénom, pas les deux.",
            "Give an account name or a first and last name, not both.",
        ),
        "give the user's name, or guest_name for someone without an account" => pick(
            "Indiquez un nom de compte, ou un nom et prénom.",
            "Give an account name, or a first and last name.",
        ),
        m if m.starts_with("give a name of 1 to") => {
            pick("Le nom fait au plus 100 caractères.", "The name is at most 100 characters long.")
        }
        m if m.starts_with("at most") && m.ends_with("characters") => {
            pick("Ce texte est trop long.", "This text is too long.")
        }
        "give a reason of 1 to 500 characters" => pick(
            "Indiquez un motif (500 caractères au plus).",
            "Give a reason (at most 500 characters).",
        ),
        "must be a decimal number, like \"11.88\"" => {
            pick("Indiquez un nombre, par exemple 11,88.", "Give a number, for example 11.88.")
        }
        other => i18n::field_error(lang, other),
    }
}

fn field_label(lang: &str, field: &str) -> String {
    let key = match field {
        "date" => "date",
        "end_date" => "end_date",
        "minutes" | "hours_part" => "duration",
        "distance_km" => "distance",
        "category" => "category",
        "description" => "description",
        "association" => "association",
        "user" => "account_name",
        "guest_name" => "guest_name",
        "reason" => "refuse_reason",
        "hourly_rate" => "hourly_rate",
        "mileage_rate" => "mileage_rate",
        other => return i18n::field_label(lang, other),
    };
    word(lang, key).unwrap_or(key).to_string()
}

/// The field messages of a refused form, in order, with the box at the top.
fn form_errors(
    lang: &str,
    errors: &FieldErrors,
    prefix: &str,
) -> (BTreeMap<String, String>, Value) {
    let order = [
        "association",
        "user",
        "guest_name",
        "date",
        "end_date",
        "minutes",
        "distance_km",
        "category",
        "description",
        "hourly_rate",
        "mileage_rate",
    ];
    let mut translated = FieldErrors::new();
    for (f, m) in &errors.0 {
        translated.add(f, field_message(lang, m));
    }
    let shown = shown_errors(
        lang,
        &translated,
        &order,
        |f| f.to_string(),
        |f| format!("{prefix}{f}"),
    );
    let summary: Vec<Value> = errors
        .0
        .keys()
        .map(|f| {
            context! {
                anchor => format!("{prefix}{f}"), label => field_label(lang, f),
                message => shown.by_field.get(f).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let boxed = context! { title => shown.title, summary => summary };
    (shown.by_field, boxed)
}

/// What the action form holds, as typed (French decimals allowed).
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(default)]
struct EntryForm {
    csrf: Option<String>,
    association: String,
    user: String,
    guest_name: String,
    date: String,
    end_date: String,
    hours: String,
    minutes: String,
    distance_km: String,
    category: String,
    description: String,
}

impl EntryForm {
    /// The service's input; a duration that is not a number is refused here, by field.
    fn input(&self, lang: &str) -> Result<HoursInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let whole = |s: &str| -> Result<i64, ()> {
            let s = s.trim();
            if s.is_empty() {
                Ok(0)
            } else {
                s.parse::<i64>().map_err(|_| ())
            }
        };
        let minutes = match (whole(&self.hours), whole(&self.minutes)) {
            (Ok(h), Ok(m)) if (0..=744).contains(&h) && (0..60).contains(&m) => {
                (h * 60 + m > 0).then_some(h * 60 + m)
            }
            _ => {
                errors.add(
                    "minutes",
                    if lang == "en" {
                        "Give whole hours, and minutes from 0 to 59."
                    } else {
                        "Indiquez des heures entières, et des minutes de 0 à 59."
                    },
                );
                None
            }
        };
        let opt = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        let input = HoursInput {
            association: opt(&self.association),
            user: opt(&self.user),
            guest_name: opt(&self.guest_name),
            date: opt(&self.date).map(|d| iso_date(&d)),
            end_date: opt(&self.end_date).map(|d| iso_date(&d)),
            minutes,
            distance_km: opt(&self.distance_km)
                .map(|k| serde_json::Value::String(k.replace(',', ".").replace(' ', ""))),
            category: opt(&self.category),
            mission_id: None,
            description: opt(&self.description),
        };
        if errors.0.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// `14/03/2026` as `2026-03-14`; anything else as typed (date inputs send ISO dates).
pub(super) fn iso_date(s: &str) -> String {
    let parts: Vec<&str> = s.trim().split('/').collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => format!("{y}-{:0>2}-{:0>2}", m, d),
        _ => s.trim().to_string(),
    }
}

fn category_options(lang: &str) -> Vec<Value> {
    CATEGORIES
        .iter()
        .map(|c| context! { code => c.0, label => if lang == "en" { c.2 } else { c.1 } })
        .collect()
}

fn status_code(s: HoursStatus) -> &'static str {
    match s {
        HoursStatus::Pending => "st_pending",
        HoursStatus::Validated => "st_validated",
        HoursStatus::Refused => "st_refused",
    }
}

fn association_value(a: &Actor) -> String {
    if a.local {
        a.name.clone()
    } else {
        format!("{}@{}", a.name, a.host)
    }
}

fn entry_view(lang: &str, e: &HoursEntry, a: Option<&Actor>) -> Value {
    let d = &e.draft;
    context! {
        id => e.id,
        when => span(lang, e),
        duration => duration(d.minutes),
        km => d.distance_km.map(|k| number(lang, k)),
        category => category_label(&d.category, lang),
        description => d.description,
        status => status_code(e.status),
        reason => e.reason,
        volunteer => e.volunteer_name(),
        guest => matches!(e.volunteer, Volunteer::Guest { .. }),
        remote_volunteer => matches!(e.volunteer, Volunteer::Remote { .. }),
        association => a.map(|a| a.label().to_string()),
        elsewhere => a.is_some_and(|a| !a.local),
    }
}

/// Where a form sends the browser back, with a notice or an error key.
fn back_to(path: &str, key: &str, value: &str) -> Response {
    Redirect::to(&super::pages::with_param(path, key, value)).into_response()
}

/// The notice or error a page shows after a form (`?done=…` / `?refused=…`), known keys only.
fn flash(lang: &str, q: &PageQuery) -> (Option<&'static str>, Option<&'static str>) {
    let pick = |prefix: &str, v: &Option<String>| {
        v.as_deref()
            .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .and_then(|k| word(lang, &format!("{prefix}{k}")))
    };
    (pick("done_", &q.done), pick("refused_", &q.refused))
}

fn csv_response(filename: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// The volunteer's page

async fn mine_ctx(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    form: &EntryForm,
    errors: Option<&FieldErrors>,
) -> Result<Value, ServiceError> {
    let store = state.store.as_ref();
    let lang = page.lang.as_str();
    let choices = service::hours::associations_for(store, user).await?;
    let associations: Vec<Value> = choices
        .iter()
        .map(|(value, a)| context! { value => value, label => a.label(), elsewhere => !a.local })
        .collect();
    let list = service::hours::list_mine(store, user, &Period::default()).await?;
    // The last different actions, to do again in one tap.
    let mut repeat = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (e, a) in &list {
        let key = (
            e.actor_id,
            e.draft.minutes,
            e.draft.category.clone(),
            e.draft.description.clone(),
        );
        if e.status != HoursStatus::Refused && e.draft.days() == 1 && seen.insert(key) {
            repeat.push(context! {
                id => e.id, association => a.label(), duration => duration(e.draft.minutes),
                category => category_label(&e.draft.category, lang), description => e.draft.description,
            });
        }
        if repeat.len() == 3 {
            break;
        }
    }
    let year = service::hours::today(&state.config).year();
    let mut per_association: BTreeMap<String, Tally> = BTreeMap::new();
    let mut settings = BTreeMap::new();
    for (e, a) in &list {
        if e.status != HoursStatus::Validated || e.draft.start_date.year() != year {
            continue;
        }
        if let std::collections::btree_map::Entry::Vacant(v) = settings.entry(a.id) {
            v.insert(service::hours::settings_of(store, a.id).await?);
        }
        let rates = settings.get(&a.id).cloned().unwrap_or_default();
        per_association
            .entry(a.label().to_string())
            .or_default()
            .add(&e.draft, &rates);
    }
    let totals: Vec<Value> = per_association
        .iter()
        .map(|(name, t)| context! { association => name, duration => duration(t.minutes), entries => t.entries })
        .collect();
    let entries: Vec<Value> = list
        .iter()
        .take(100)
        .map(|(e, a)| {
            let mut v = entry_view(lang, e, Some(a));
            let deletable = e.status != HoursStatus::Validated;
            v = context! { deletable => deletable, ..v };
            v
        })
        .collect();
    let (field_errors, error_box) = match errors {
        Some(e) => {
            let (f, b) = form_errors(lang, e, "log-");
            (f, Some(b))
        }
        None => (BTreeMap::new(), None),
    };
    let mut values = form.clone();
    values.csrf = None;
    if values.date.is_empty() {
        values.date = service::hours::today(&state.config).to_string();
    }
    if values.category.is_empty() {
        values.category = "solidarity".into();
    }
    if values.association.is_empty() {
        if let Some((first, _)) = choices.first() {
            values.association = first.clone();
        }
    }
    // Attestations: asked of this node's associations only (they confirm them here).
    let tz = state.config.timezone();
    let attestations: Vec<Value> = service::attestations::mine(store, user)
        .await?
        .iter()
        .map(|(a, asso)| super::attestations::view(lang, tz, a, asso, &user.name))
        .collect();
    let local_choices: Vec<Value> = choices
        .iter()
        .filter(|(_, a)| a.local)
        .map(|(value, a)| context! { value => value, label => a.label() })
        .collect();
    let today = service::hours::today(&state.config);
    let attestation_from = format!("{}-01-01", today.year());
    Ok(context! {
        attestations => attestations, local_associations => local_choices,
        attestation_from => attestation_from,
        h => words(lang), associations => associations, repeat => repeat, entries => entries,
        totals => totals, year => year, categories => category_options(lang), values => values,
        field_errors => field_errors, error_box => error_box,
        today => service::hours::today(&state.config).to_string(),
    })
}

async fn mine_response(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    q: &PageQuery,
    form: &EntryForm,
    errors: Option<&FieldErrors>,
) -> Response {
    match mine_ctx(state, page, user, form, errors).await {
        Ok(ctx) => {
            let (notice, error) = flash(&page.lang, q);
            let status = if errors.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            render(
                state,
                page,
                "hours_mine.html",
                context! { notice => notice, error => error, ..ctx },
                status,
            )
        }
        Err(e) => error_page(state, page, e),
    }
}

async fn mine(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect("/me/hours");
    };
    mine_response(&state, &page, &u, &q, &EntryForm::default(), None).await
}

/// The page, the user and the CSRF check every volunteer form starts with; the response to
/// send instead when one fails.
#[allow(clippy::result_large_err)]
fn checked(
    state: &AppState,
    headers: &HeaderMap,
    user: MaybeUser,
    csrf: Option<&str>,
    back: &str,
) -> Result<(PageCtx, User), Response> {
    let session = user.1.clone();
    let page = page_ctx(state, headers, &PageQuery::default(), user);
    let Some(u) = page.user.clone() else {
        return Err(login_redirect(back));
    };
    if !csrf_ok(session.as_deref(), csrf) {
        return Err(csrf_refused(state, &page));
    }
    Ok((page, u))
}

async fn log_mine(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: MaybeUser,
    Form(form): Form<EntryForm>,
) -> Response {
    let (page, u) = match checked(&state, &headers, user, form.csrf.as_deref(), "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut input = match form.input(&page.lang) {
        Ok(i) => i,
        Err(errors) => {
            return mine_response(
                &state,
                &page,
                &u,
                &PageQuery::default(),
                &form,
                Some(&errors),
            )
            .await
        }
    };
    input.user = None;
    input.guest_name = None;
    match service::hours::log_mine(state.store.as_ref(), &state.config, &u, input).await {
        Ok(e) => {
            state.wake.notify_waiters();
            let done = if e.status == HoursStatus::Pending {
                "logged_pending"
            } else {
                "logged"
            };
            back_to("/me/hours", "done", done)
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            mine_response(
                &state,
                &page,
                &u,
                &PageQuery::default(),
                &form,
                Some(&errors),
            )
            .await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: Option<String>,
}

async fn repeat(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let (page, u) = match checked(&state, &headers, user, form.csrf.as_deref(), "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let store = state.store.as_ref();
    let (e, a) = match service::hours::visible(store, &u, id).await {
        Ok(x) if x.0.volunteer == (Volunteer::User { user_id: u.id }) => x,
        Ok(_) => return error_page(&state, &page, ServiceError::NotFound("hours entry")),
        Err(e) => return error_page(&state, &page, e),
    };
    let today = service::hours::today(&state.config).to_string();
    let input = HoursInput {
        association: Some(association_value(&a)),
        date: Some(today.clone()),
        end_date: Some(today),
        minutes: Some(e.draft.minutes),
        distance_km: e
            .draft
            .distance_km
            .map(|k| serde_json::Value::String(k.to_string())),
        category: Some(e.draft.category.clone()),
        mission_id: e.draft.mission_id,
        description: Some(e.draft.description.clone()),
        ..HoursInput::default()
    };
    match service::hours::log_mine(store, &state.config, &u, input).await {
        Ok(e) => {
            state.wake.notify_waiters();
            let done = if e.status == HoursStatus::Pending {
                "logged_pending"
            } else {
                "logged"
            };
            back_to("/me/hours", "done", done)
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            mine_response(
                &state,
                &page,
                &u,
                &PageQuery::default(),
                &EntryForm::default(),
                Some(&errors),
            )
            .await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn delete_mine(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let (page, u) = match checked(&state, &headers, user, form.csrf.as_deref(), "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    match service::hours::delete(state.store.as_ref(), &u, id).await {
        Ok(()) => {
            state.wake.notify_waiters();
            back_to("/me/hours", "done", "deleted")
        }
        Err(ServiceError::Forbidden(_)) => back_to("/me/hours", "refused", "locked"),
        Err(e) => error_page(&state, &page, e),
    }
}

async fn mine_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(period): Query<Period>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &PageQuery::default(), user);
    let Some(u) = page.user.clone() else {
        return login_redirect("/me/hours");
    };
    match service::hours::export_mine_csv(state.store.as_ref(), &u, &period).await {
        Ok(csv) => csv_response("mes-heures.csv", csv),
        Err(e) => error_page(&state, &page, e),
    }
}

// ---------------------------------------------------------------------------------------------
// The association's page

#[derive(Debug, Deserialize, Default)]
struct AssociationQuery {
    lang: Option<String>,
    year: Option<String>,
    done: Option<String>,
    refused: Option<String>,
}

/// The forms of the association's page that can come back refused.
#[derive(Default)]
struct AssociationRedo {
    record: Option<(EntryForm, FieldErrors)>,
    settings: Option<(SettingsForm, FieldErrors)>,
    refusal: Option<(i64, FieldErrors)>,
}

fn hours_path(a: &Actor) -> String {
    format!("/g/{}/hours", a.name)
}

async fn association_ctx(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    a: &Actor,
    year: i32,
    redo: &AssociationRedo,
) -> Result<Value, ServiceError> {
    let store = state.store.as_ref();
    let lang = page.lang.as_str();
    let pending_period = Period {
        status: Some("pending".into()),
        ..Period::default()
    };
    let (_, pending) =
        service::hours::list_association(store, user, &a.name, &pending_period).await?;
    let pending: Vec<Value> = pending
        .iter()
        .map(|e| {
            let errors = match &redo.refusal {
                Some((id, errs)) if *id == e.id => Some(
                    errs.0
                        .values()
                        .map(|m| field_message(lang, m))
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                _ => None,
            };
            context! { refuse_error => errors, ..entry_view(lang, e, None) }
        })
        .collect();
    let period = Period {
        year: Some(year.to_string()),
        ..Period::default()
    };
    let totals = service::hours::totals(store, user, &a.name, &period).await?;
    let r = &totals.report;
    let month_names = if lang == "en" {
        i18n::MONTHS_EN
    } else {
        i18n::MONTHS_FR
    };
    let hours_of = |t: &Tally| t.hours();
    let months: Vec<Mark> = (1..=12)
        .map(|m| {
            let key = format!("{year}-{m:02}");
            let t = r.by_month.get(&key).cloned().unwrap_or_default();
            // Three letters, four for June and July, which share their first three in French.
            let full = month_names[(m - 1) as usize];
            let n = if lang != "en" && (m == 6 || m == 7) {
                4
            } else {
                3
            };
            let name: String = full.chars().take(n).collect();
            Mark {
                label: name,
                value: hours_of(&t),
                shown: duration(t.minutes),
            }
        })
        .collect();
    let categories: Vec<Mark> = r
        .by_category
        .iter()
        .map(|(c, t)| Mark {
            label: category_label(c, lang).to_string(),
            value: hours_of(t),
            shown: duration(t.minutes),
        })
        .collect();
    let title = |key: &str| format!("{} {year}", word(lang, key).unwrap_or(key));
    let row = |label: String, t: &Tally| {
        context! {
            label => label, entries => t.entries, duration => duration(t.minutes),
            km => number(lang, t.distance_km), value => euros(lang, t.value()),
        }
    };
    let by_volunteer: Vec<Value> = r
        .by_volunteer
        .iter()
        .map(|(v, t)| row(v.clone(), t))
        .collect();
    let by_category: Vec<Value> = r
        .by_category
        .iter()
        .map(|(c, t)| row(category_label(c, lang).to_string(), t))
        .collect();
    let by_mission: Vec<Value> = r
        .by_mission
        .iter()
        .map(|(m, t)| {
            let label = match m {
                Some(id) => totals
                    .mission_titles
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| format!("#{id}")),
                None => word(lang, "no_mission").unwrap_or("").to_string(),
            };
            row(label, t)
        })
        .collect();
    let by_month: Vec<Value> = (1..=12)
        .filter_map(|m| {
            let t = r.by_month.get(&format!("{year}-{m:02}"))?;
            Some(row(month_names[(m - 1) as usize].to_string(), t))
        })
        .collect();
    let o = &r.overall;
    let overall = context! {
        entries => o.entries, duration => duration(o.minutes), km => number(lang, o.distance_km),
        time_value => euros(lang, o.time_value()), mileage_value => euros(lang, o.mileage_value()),
        value => euros(lang, o.value()),
    };
    // Slots of the last two months that are over and wait for their attendance.
    let now = Utc::now();
    let mut to_mark = Vec::new();
    for slot in store
        .association_slots(a.id, now - Duration::days(62), now)
        .await?
    {
        if slot.end_time > now || slot.status == crate::domain::slot::SlotStatus::Cancelled {
            continue;
        }
        let accepted = store
            .list_participations(slot.id)
            .await?
            .into_iter()
            .filter(|p| p.status == ParticipationStatus::Accepted)
            .count();
        let marked = store.slot_attendance(slot.id).await?.len();
        if accepted > marked {
            let mission = store.get_mission(slot.mission_id).await?;
            to_mark.push(context! {
                id => slot.id, mission => mission.title,
                when => i18n::long_span(slot.start_time, slot.end_time, state.config.timezone(), lang),
                left => accepted - marked,
            });
        }
    }
    let settings = service::hours::settings_of(store, a.id).await?;
    let settings_values = match &redo.settings {
        Some((f, _)) => context! {
            moderation => f.moderation.is_some(), hourly_rate => f.hourly_rate, mileage_rate => f.mileage_rate,
        },
        None => context! {
            moderation => settings.moderation, hourly_rate => number(lang, settings.hourly_rate),
            mileage_rate => number(lang, settings.mileage_rate),
        },
    };
    // One rate per category, when the association wants: empty means the general rate.
    let category_rates: Vec<Value> = CATEGORIES
        .iter()
        .map(|c| {
            let value = match &redo.settings {
                Some((f, _)) => f.category_rates.get(c.0).cloned().unwrap_or_default(),
                None => settings
                    .category_rates
                    .get(c.0)
                    .map(|r| number(lang, *r))
                    .unwrap_or_default(),
            };
            let error = redo.settings.as_ref().and_then(|(_, e)| {
                e.0.get(&format!("category_rates.{}", c.0))
                    .map(|m| field_message(lang, m))
            });
            context! {
                code => c.0, label => if lang == "en" { c.2 } else { c.1 }, value => value, error => error,
            }
        })
        .collect();
    let (record_values, record_errors, record_box) = match &redo.record {
        Some((f, e)) => {
            let (errors, b) = form_errors(lang, e, "rec-");
            let mut v = f.clone();
            v.csrf = None;
            (v, errors, Some(b))
        }
        None => (
            EntryForm {
                date: service::hours::today(&state.config).to_string(),
                category: "solidarity".into(),
                ..EntryForm::default()
            },
            BTreeMap::new(),
            None,
        ),
    };
    let (settings_errors, settings_box) = match &redo.settings {
        Some((_, e)) => {
            let (errors, b) = form_errors(lang, e, "set-");
            (errors, Some(b))
        }
        None => (BTreeMap::new(), None),
    };
    let this_year = service::hours::today(&state.config).year();
    let years: Vec<i32> = ((this_year - 5)..=this_year).rev().collect();
    let tz = state.config.timezone();
    let (_, asked) = service::attestations::of_association(store, user, &a.name).await?;
    let attestations: Vec<Value> = asked
        .iter()
        .map(|(x, who)| super::attestations::view(lang, tz, x, a, who))
        .collect();
    Ok(context! {
        attestations => attestations,
        h => words(lang), association => a.label(), name => a.name, pending => pending,
        year => year, years => years, overall => overall,
        months_chart => charts::columns(&title("by_month"), &months),
        categories_chart => (!categories.is_empty()).then(|| charts::bars(&title("by_category"), &categories)),
        by_volunteer => by_volunteer, by_category => by_category, by_mission => by_mission,
        by_month => by_month, to_mark => to_mark, settings => settings_values,
        category_rates => category_rates,
        categories => category_options(lang), record => record_values,
        record_errors => record_errors, record_box => record_box,
        settings_errors => settings_errors, settings_box => settings_box,
        today => service::hours::today(&state.config).to_string(),
    })
}

#[allow(clippy::too_many_arguments)]
async fn association_response(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    a: &Actor,
    year: i32,
    q: &PageQuery,
    redo: &AssociationRedo,
    status: StatusCode,
) -> Response {
    match association_ctx(state, page, user, a, year, redo).await {
        Ok(ctx) => {
            let (notice, error) = flash(&page.lang, q);
            render(
                state,
                page,
                "hours_association.html",
                context! { notice => notice, error => error, ..ctx },
                status,
            )
        }
        Err(e) => error_page(state, page, e),
    }
}

async fn association_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(aq): Query<AssociationQuery>,
    user: MaybeUser,
) -> Response {
    let q = PageQuery {
        lang: aq.lang.clone(),
        done: aq.done.clone(),
        refused: aq.refused.clone(),
        ..PageQuery::default()
    };
    let page = page_ctx(&state, &headers, &q, user);
    let path = format!("/g/{name}/hours");
    let Some(u) = page.user.clone() else {
        return login_redirect(&path);
    };
    let a = match managed_association(&state, &u, &name).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, &page, e),
    };
    let this_year = service::hours::today(&state.config).year();
    let year = aq
        .year
        .as_deref()
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (1900..=this_year + 1).contains(y))
        .unwrap_or(this_year);
    association_response(
        &state,
        &page,
        &u,
        &a,
        year,
        &q,
        &AssociationRedo::default(),
        StatusCode::OK,
    )
    .await
}

/// The association's page again, this year's, with a refused form and its messages (422).
async fn refused_form(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    a: &Actor,
    redo: &AssociationRedo,
) -> Response {
    let year = service::hours::today(&state.config).year();
    association_response(
        state,
        page,
        user,
        a,
        year,
        &PageQuery::default(),
        redo,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The page, the association and the user every coordinator form starts with.
async fn checked_coordinator(
    state: &AppState,
    headers: &HeaderMap,
    user: MaybeUser,
    csrf: Option<&str>,
    name: &str,
) -> Result<(PageCtx, User, Actor), Response> {
    let (page, u) = checked(state, headers, user, csrf, &format!("/g/{name}/hours"))?;
    match managed_association(state, &u, name).await {
        Ok(a) => Ok((page, u, a)),
        Err(e) => Err(error_page(state, &page, e)),
    }
}

async fn record_for(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    user: MaybeUser,
    Form(form): Form<EntryForm>,
) -> Response {
    let (page, u, a) =
        match checked_coordinator(&state, &headers, user, form.csrf.as_deref(), &name).await {
            Ok(x) => x,
            Err(r) => return r,
        };
    let refused = |errors: FieldErrors| AssociationRedo {
        record: Some((form.clone(), errors)),
        ..AssociationRedo::default()
    };
    let mut input = match form.input(&page.lang) {
        Ok(i) => i,
        Err(errors) => return refused_form(&state, &page, &u, &a, &refused(errors)).await,
    };
    input.association = None;
    match service::hours::record_for(state.store.as_ref(), &state.config, &u, &a.name, input).await
    {
        Ok(_) => back_to(&hours_path(&a), "done", "recorded"),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            refused_form(&state, &page, &u, &a, &refused(errors)).await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// The settings form as typed: moderation, the rates, and `rate-<category>` for the categories
/// with a rate of their own (empty: the general rate).
#[derive(Debug, Default, Clone)]
struct SettingsForm {
    csrf: Option<String>,
    moderation: Option<String>,
    hourly_rate: String,
    mileage_rate: String,
    category_rates: BTreeMap<String, String>,
}

impl SettingsForm {
    fn read(pairs: Vec<(String, String)>) -> SettingsForm {
        let mut f = SettingsForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => f.csrf = Some(v),
                "moderation" => f.moderation = Some(v),
                "hourly_rate" => f.hourly_rate = v,
                "mileage_rate" => f.mileage_rate = v,
                other => {
                    if let Some(code) = other.strip_prefix("rate-") {
                        f.category_rates.insert(code.to_string(), v);
                    }
                }
            }
        }
        f
    }
}

async fn save_settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    user: MaybeUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = SettingsForm::read(pairs);
    let (page, u, a) =
        match checked_coordinator(&state, &headers, user, form.csrf.as_deref(), &name).await {
            Ok(x) => x,
            Err(r) => return r,
        };
    let rate = |s: &str| serde_json::Value::String(s.trim().replace(',', ".").replace(' ', ""));
    let per_category = form
        .category_rates
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), rate(v)))
        .collect();
    let input = SettingsInput {
        moderation: Some(form.moderation.is_some()),
        hourly_rate: Some(rate(&form.hourly_rate)),
        category_rates: Some(per_category),
        mileage_rate: Some(rate(&form.mileage_rate)),
    };
    match service::hours::put_settings(state.store.as_ref(), &u, &a.name, input).await {
        Ok(_) => back_to(&hours_path(&a), "done", "settings"),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let redo = AssociationRedo {
                settings: Some((form, errors)),
                ..AssociationRedo::default()
            };
            refused_form(&state, &page, &u, &a, &redo).await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    csrf: Option<String>,
    reason: String,
}

async fn decide(
    state: AppState,
    headers: HeaderMap,
    id: i64,
    user: MaybeUser,
    form: DecisionForm,
    validate: bool,
) -> Response {
    let (page, u) = match checked(&state, &headers, user, form.csrf.as_deref(), "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let store = state.store.as_ref();
    let a = match store.get_hours_entry(id).await {
        Ok(e) => match store.get_actor(e.actor_id).await {
            Ok(a) => a,
            Err(e) => return error_page(&state, &page, e.into()),
        },
        Err(e) => return error_page(&state, &page, e.into()),
    };
    match service::hours::decide(store, &u, id, validate, &form.reason).await {
        Ok(_) => {
            state.wake.notify_waiters();
            let done = if validate { "validated" } else { "refused" };
            back_to(&hours_path(&a), "done", done)
        }
        Err(ServiceError::Conflict(_)) => back_to(&hours_path(&a), "refused", "already"),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let redo = AssociationRedo {
                refusal: Some((id, errors)),
                ..AssociationRedo::default()
            };
            refused_form(&state, &page, &u, &a, &redo).await
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn validate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<DecisionForm>,
) -> Response {
    decide(state, headers, id, user, form, true).await
}

async fn refuse(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<DecisionForm>,
) -> Response {
    decide(state, headers, id, user, form, false).await
}

async fn association_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(period): Query<Period>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &PageQuery::default(), user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/g/{name}/hours"));
    };
    match service::hours::export_csv(state.store.as_ref(), &u, &name, &period).await {
        Ok(csv) => csv_response(&format!("heures-{name}.csv"), csv),
        Err(e) => error_page(&state, &page, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Attendance at a slot that is over

async fn attendance_ctx(
    state: &AppState,
    page: &PageCtx,
    user: &User,
    slot_id: i64,
) -> Result<(Actor, Value), ServiceError> {
    let store = state.store.as_ref();
    let lang = page.lang.as_str();
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
            over => slot.end_time <= Utc::now(),
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
            let (notice, error) = flash(&page.lang, &q);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_numbers_read_naturally() {
        assert_eq!(duration(150), "2 h 30");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(180), "3 h");
        assert_eq!(number("fr", Decimal::new(125, 1)), "12,5");
        assert_eq!(number("en", Decimal::new(125, 1)), "12.5");
        assert_eq!(euros("fr", Decimal::new(4713, 2)), "47,13 €");
        assert_eq!(euros("en", Decimal::new(4713, 2)), "€47.13");
        assert_eq!(iso_date("4/3/2026"), "2026-03-04");
        assert_eq!(iso_date("2026-03-04"), "2026-03-04");
    }

    #[test]
    fn the_form_turns_hours_and_minutes_into_minutes() {
        let f = EntryForm {
            hours: "2".into(),
            minutes: "30".into(),
            distance_km: "12,5".into(),
            ..EntryForm::default()
        };
        let input = f.input("fr").expect("a valid form");
        assert_eq!(input.minutes, Some(150));
        assert_eq!(input.distance_km, Some(serde_json::json!("12.5")));
        let bad = EntryForm {
            hours: "deux".into(),
            ..EntryForm::default()
        };
        assert!(bad
            .input("fr")
            .expect_err("not a number")
            .0
            .contains_key("minutes"));
        let empty = EntryForm::default()
            .input("fr")
            .expect("an empty form is for the service to refuse");
        assert_eq!(empty.minutes, None, "the service says a duration is needed");
    }

    #[test]
    fn templates_use_known_words() {
        super::super::word_check::check_templates(&TEMPLATES, "h.", |k| word("fr", k).is_some());
        super::super::word_check::check_table(WORDS);
    }
}
