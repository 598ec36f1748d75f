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
        text::{decimal, duration},
        ServiceError,
    },
    state::AppState,
    storage::AttendanceOutcome,
};
use axum::{
    extract::{Form, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use chrono::{Datelike, Duration};
use minijinja::{context, Value};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

pub const TEMPLATES: [(&str, &str); 4] = [
    (
        "guide.html",
        include_str!("../../../../templates/guide.html"),
    ),
    (
        "hours_mine.html",
        include_str!("../../../../templates/hours_mine.html"),
    ),
    (
        "hours_association.html",
        include_str!("../../../../templates/hours_association.html"),
    ),
    (
        "hours_attendance.html",
        include_str!("../../../../templates/hours_attendance.html"),
    ),
];

mod association;
mod attendance;
mod files;
mod mine;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/guide/heures", get(guide))
        .merge(mine::router())
        .merge(association::router())
        .merge(attendance::router())
        .merge(files::router())
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
    let source = include_str!("../../../../docs/guide/heures.md");
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
        km => d.distance_km.map(|k| decimal(lang, k)),
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

/// Where a form sends the browser back, with a notice or an error key (in the query, before
/// the `#fragment` if there is one).
fn back_to(path: &str, key: &str, value: &str) -> Response {
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (path, String::new()),
    };
    Redirect::to(&format!(
        "{}{fragment}",
        super::pages::with_param(path, key, value)
    ))
    .into_response()
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

fn hours_path(a: &Actor) -> String {
    format!("/g/{}/hours", a.name)
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

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_numbers_read_naturally() {
        assert_eq!(duration(150), "2 h 30");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(180), "3 h");
        assert_eq!(decimal("fr", Decimal::new(125, 1)), "12,5");
        assert_eq!(decimal("en", Decimal::new(125, 1)), "12.5");
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
