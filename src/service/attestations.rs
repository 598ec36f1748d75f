//! Attestations of volunteering (issue 5): a volunteer asks an association of this node for an
//! attestation of their missions and hours over a period; a coordinator confirms it online; the
//! PDF shows who confirmed and when, or says plainly that it is not confirmed yet. The PDF is
//! in the language of the other documents for the accounts (`hours_statement::LANG`), its
//! words from the catalogue (`doc-att_` ids).

use super::{
    hours::{self, is_coordinator},
    hours_statement::{date, word, word_with, LANG},
    missions::association,
    text::{decimal, duration},
    Result, ServiceError,
};
use crate::domain::Denial;
use crate::{
    config::Config,
    documents::{
        pdf::{Align, Pdf},
        Document, PDF,
    },
    domain::{
        account::User, actor::Actor, hours::HoursStatus, DomainError, FieldError, FieldErrors,
    },
    storage::{AccountStore, ActorStore, AttestationStore, HoursQuery, HoursStore, Store},
};

pub use crate::storage::Attestation;
use chrono::{DateTime, NaiveDate, Utc};

/// What a volunteer sends to ask for an attestation.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AttestationInput {
    /// The association's name on this node.
    pub association: Option<String>,
    /// First and last day, `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The longest period one attestation covers.
const MAX_DAYS: i64 = 3660;

fn day(s: &Option<String>, field: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.add(
                field,
                FieldError::new("date_required").text("example", "2025-01-31"),
            );
            None
        }
        Some(s) => {
            let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            if d.is_none() {
                errors.add(field, FieldError::new("period_day"));
            }
            d
        }
    }
}

/// The validated entries of `user` with `association` over the attestation's period.
async fn entries_of<S: HoursStore + ?Sized>(
    store: &S,
    association: &Actor,
    user_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<crate::domain::hours::HoursEntry>> {
    let mut list = store
        .list_hours_entries(HoursQuery {
            actor_id: Some(association.id),
            user_id: Some(user_id),
            from: Some(from),
            to: Some(to),
            status: Some(HoursStatus::Validated),
            limit: 10_000,
            before: None,
        })
        .await?;
    list.reverse();
    Ok(list)
}

/// A volunteer asks for an attestation of their validated hours with an association of this node.
pub async fn request<S: ActorStore + AttestationStore + HoursStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    input: AttestationInput,
    now: DateTime<Utc>,
) -> Result<(Attestation, Actor)> {
    let mut errors = FieldErrors::new();
    let from = day(&input.from, "from", &mut errors);
    let to = day(&input.to, "to", &mut errors);
    let today = hours::today(config, now);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.add("to", FieldError::new("not_before_from"));
        } else if t > today {
            errors.add("to", FieldError::new("not_in_future"));
        } else if (t - f).num_days() >= MAX_DAYS {
            errors.add("to", FieldError::new("attestation_ten_years"));
        }
    }
    let Some(name) = input
        .association
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    else {
        errors.add("association", FieldError::new("association_required"));
        return Err(DomainError::Invalid(errors).into());
    };
    let association = association(store, name).await?;
    let (Some(from), Some(to)) = errors.into_result((from, to))? else {
        return Err(ServiceError::Internal("no period without errors".into()));
    };
    if entries_of(store, &association, user.id, from, to)
        .await?
        .is_empty()
    {
        return Err(DomainError::field("from", FieldError::new("no_validated_hours")).into());
    }
    let a = store
        .create_attestation(association.id, user.id, from, to, now)
        .await?;
    Ok((a, association))
}

/// My attestations, newest first, with their associations.
pub async fn mine<S: ActorStore + AttestationStore + ?Sized>(
    store: &S,
    user: &User,
) -> Result<Vec<(Attestation, Actor)>> {
    let list = store.list_attestations(None, Some(user.id)).await?;
    let actors = super::actors::by_ids(store, list.iter().map(|a| a.actor_id)).await?;
    list.into_iter()
        .map(|a| {
            let actor =
                (actors.get(&a.actor_id).cloned()).ok_or(ServiceError::NotFound("actor"))?;
            Ok((a, actor))
        })
        .collect()
}

/// An association's attestations, newest first, with the volunteers' names (coordinators).
pub async fn of_association<S: AccountStore + ActorStore + AttestationStore + ?Sized>(
    store: &S,
    user: &User,
    association_name: &str,
) -> Result<(Actor, Vec<(Attestation, String)>)> {
    let association = association(store, association_name).await?;
    if !is_coordinator(store, user, &association).await? {
        return Err(ServiceError::Forbidden(Denial::new("coordinators_only")));
    }
    let list = store.list_attestations(Some(association.id), None).await?;
    let users = super::accounts::users(store, list.iter().map(|a| a.user_id)).await?;
    let out = list
        .into_iter()
        .map(|a| {
            let name = (users.get(&a.user_id).map(|u| u.shown_name().to_string()))
                .ok_or(ServiceError::NotFound("user"))?;
            Ok((a, name))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((association, out))
}

/// The attestation, if the user may see it: its volunteer or the association's coordinators.
async fn visible<S: ActorStore + AttestationStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<(Attestation, Actor, bool)> {
    let a = store.get_attestation(id).await?;
    let association = store.get_actor(a.actor_id).await?;
    let coordinator = is_coordinator(store, user, &association).await?;
    if a.user_id != user.id && !coordinator {
        return Err(ServiceError::NotFound("attestation"));
    }
    Ok((a, association, coordinator))
}

/// An attestation with its association, for its volunteer or the association's coordinators.
pub async fn get<S: ActorStore + AttestationStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<(Attestation, Actor)> {
    let (a, association, _) = visible(store, user, id).await?;
    Ok((a, association))
}

/// A coordinator confirms an attestation (once).
pub async fn confirm<S: ActorStore + AttestationStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(Attestation, Actor)> {
    let (a, association, coordinator) = visible(store, user, id).await?;
    if !coordinator {
        return Err(ServiceError::Forbidden(Denial::new(
            "coordinators_confirm_attestation",
        )));
    }
    if !store
        .confirm_attestation(a.id, user.id, user.shown_name(), now)
        .await?
    {
        return Err(ServiceError::Conflict(Denial::new("attestation_confirmed")));
    }
    Ok((store.get_attestation(id).await?, association))
}

/// The attestation as a PDF, for its volunteer or the association's coordinators.
pub async fn pdf(
    store: &dyn Store,
    config: &Config,
    user: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Document> {
    let (a, association, _) = visible(store, user, id).await?;
    let volunteer = store.get_user(a.user_id).await?;
    let entries = entries_of(store, &association, a.user_id, a.from, a.to).await?;
    let settings = hours::settings_of(store, association.id).await?;
    let report = crate::domain::hours::Report::of(&entries, &settings);
    let tz = config.timezone();
    let mut pdf = Pdf::new(&word_with(
        "att_title",
        &[
            ("volunteer", volunteer.shown_name()),
            ("association", association.label()),
        ],
    ))?;
    pdf.heading(1, &word("att_heading"));
    pdf.text(association.label(), 13.0, true);
    pdf.space(6.0);
    pdf.paragraph(&word_with(
        "att_text",
        &[
            ("association", association.label()),
            ("volunteer", volunteer.shown_name()),
            ("from", &date(a.from)),
            ("to", &date(a.to)),
        ],
    ));
    pdf.facts(&[
        (word("att_time"), duration(report.overall.minutes)),
        (word("att_entries"), report.overall.entries.to_string()),
        (
            word("km_travelled"),
            word_with("km", &[("km", &decimal(LANG, report.overall.distance_km))]),
        ),
    ]);
    let titles = super::missions::titles(
        store,
        entries.iter().filter_map(|e| e.draft.mission_id).collect(),
    )
    .await?;
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let d = &e.draft;
            let when = if d.end_date == d.start_date {
                date(d.start_date)
            } else {
                format!("{} – {}", date(d.start_date), date(d.end_date))
            };
            let what = match d.mission_id.and_then(|id| titles.get(&id)) {
                Some(t) if d.description.is_empty() || *t == d.description => t.clone(),
                Some(t) => word_with(
                    "att_mission_and_action",
                    &[("mission", t), ("action", &d.description)],
                ),
                None => d.description.clone(),
            };
            vec![
                when,
                what,
                crate::i18n::category(LANG, &d.category),
                duration(d.minutes),
            ]
        })
        .collect();
    pdf.heading(2, &word("att_actions"));
    pdf.table(
        &[
            &word("col_date"),
            &word("att_what"),
            &word("col_category"),
            &word("col_duration"),
        ],
        &[0.2, 0.45, 0.2, 0.15],
        &[Align::Left, Align::Left, Align::Left, Align::Right],
        &rows,
    );
    pdf.heading(2, &word("att_confirmation"));
    match (&a.confirmed_by_name, a.confirmed_at) {
        (Some(by), Some(at)) => {
            let at = at.with_timezone(&tz);
            pdf.paragraph(&word_with(
                "att_confirmed",
                &[
                    ("date", &date(at.date_naive())),
                    ("time", &at.format("%H:%M").to_string()),
                    ("by", by),
                    ("association", association.label()),
                ],
            ))
        }
        _ => pdf.paragraph(&word("att_not_confirmed")),
    }
    pdf.paragraph(&word_with(
        "att_footer",
        &[
            ("number", &a.id.to_string()),
            (
                "asked",
                &date(a.requested_at.with_timezone(&tz).date_naive()),
            ),
            ("date", &date(hours::today(config, now))),
            ("site", &config.instance.name),
            ("address", &config.base()),
        ],
    ));
    Ok(Document {
        filename: format!(
            "{}.pdf",
            word_with(
                "att_file",
                &[
                    ("association", &association.name),
                    ("number", &a.id.to_string()),
                ],
            )
        ),
        content_type: PDF,
        bytes: pdf.finish()?,
    })
}
