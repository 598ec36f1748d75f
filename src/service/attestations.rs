//! Attestations of volunteering (issue 5): a volunteer asks an association of this node for an
//! attestation of their missions and hours over a period; a coordinator confirms it online; the
//! PDF shows who confirmed and when, or says plainly that it is not confirmed yet.

use super::{
    hours::{self, is_coordinator},
    missions::association,
    text::{decimal, duration},
    Result, ServiceError,
};
use crate::{
    config::Config,
    documents::{
        pdf::{Align, Pdf},
        Document, PDF,
    },
    domain::{account::User, actor::Actor, hours::HoursStatus, DomainError, FieldErrors},
    storage::{Attestation, HoursQuery, Store},
};
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
            errors.add(field, "is required, as a date like 2025-01-31");
            None
        }
        Some(s) => {
            let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            if d.is_none() {
                errors.add(field, "must be a date like 2025-01-31");
            }
            d
        }
    }
}

/// The validated entries of `user` with `association` over the attestation's period.
async fn entries_of(
    store: &dyn Store,
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
        })
        .await?;
    list.reverse();
    Ok(list)
}

/// A volunteer asks for an attestation of their validated hours with an association of this node.
pub async fn request(
    store: &dyn Store,
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
            errors.add("to", "must not be before from");
        } else if t > today {
            errors.add("to", "cannot be in the future");
        } else if (t - f).num_days() >= MAX_DAYS {
            errors.add("to", "an attestation covers at most ten years");
        }
    }
    let Some(name) = input
        .association
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    else {
        errors.add("association", "give the association's name");
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
        return Err(DomainError::field(
            "from",
            "no validated hours with this association in this period",
        )
        .into());
    }
    let a = store
        .create_attestation(association.id, user.id, from, to, now)
        .await?;
    Ok((a, association))
}

/// My attestations, newest first, with their associations.
pub async fn mine(store: &dyn Store, user: &User) -> Result<Vec<(Attestation, Actor)>> {
    let mut out = Vec::new();
    for a in store.list_attestations(None, Some(user.id)).await? {
        let actor = store.get_actor(a.actor_id).await?;
        out.push((a, actor));
    }
    Ok(out)
}

/// An association's attestations, newest first, with the volunteers' names (coordinators).
pub async fn of_association(
    store: &dyn Store,
    user: &User,
    association_name: &str,
) -> Result<(Actor, Vec<(Attestation, String)>)> {
    let association = association(store, association_name).await?;
    if !is_coordinator(store, user, &association).await? {
        return Err(ServiceError::Forbidden(
            "only the association's coordinators may do this",
        ));
    }
    let mut out = Vec::new();
    for a in store.list_attestations(Some(association.id), None).await? {
        let name = store.get_user(a.user_id).await?.name;
        out.push((a, name));
    }
    Ok((association, out))
}

/// The attestation, if the user may see it: its volunteer or the association's coordinators.
async fn visible(store: &dyn Store, user: &User, id: i64) -> Result<(Attestation, Actor, bool)> {
    let a = store.get_attestation(id).await?;
    let association = store.get_actor(a.actor_id).await?;
    let coordinator = is_coordinator(store, user, &association).await?;
    if a.user_id != user.id && !coordinator {
        return Err(ServiceError::NotFound("attestation"));
    }
    Ok((a, association, coordinator))
}

/// A coordinator confirms an attestation (once).
pub async fn confirm(
    store: &dyn Store,
    user: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(Attestation, Actor)> {
    let (a, association, coordinator) = visible(store, user, id).await?;
    if !coordinator {
        return Err(ServiceError::Forbidden(
            "only the association's coordinators confirm an attestation",
        ));
    }
    if !store
        .confirm_attestation(a.id, user.id, &user.name, now)
        .await?
    {
        return Err(ServiceError::Conflict(
            "this attestation is already confirmed".into(),
        ));
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
    let fr = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let tz = config.timezone();
    let mut pdf = Pdf::new(&format!(
        "Attestation de bénévolat — {} — {}",
        volunteer.name,
        association.label()
    ))?;
    pdf.heading(1, "Attestation de bénévolat");
    pdf.text(association.label(), 13.0, true);
    pdf.space(6.0);
    pdf.paragraph(&format!(
        "L'association {} atteste que {} a agi bénévolement pour elle du {} au {}, pour les \
         actions et les durées ci-dessous, validées par l'association.",
        association.label(),
        volunteer.name,
        fr(a.from),
        fr(a.to)
    ));
    pdf.facts(&[
        ("Temps donné".into(), duration(report.overall.minutes)),
        ("Actions".into(), report.overall.entries.to_string()),
        (
            "Kilomètres parcourus".into(),
            format!(
                "{} km",
                decimal(crate::i18n::Lang::Fr, report.overall.distance_km)
            ),
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
                fr(d.start_date)
            } else {
                format!("{} – {}", fr(d.start_date), fr(d.end_date))
            };
            let what = match d.mission_id.and_then(|id| titles.get(&id)) {
                Some(t) if d.description.is_empty() || *t == d.description => t.clone(),
                Some(t) => format!("{t} : {}", d.description),
                None => d.description.clone(),
            };
            vec![
                when,
                what,
                crate::i18n::category(crate::i18n::Lang::Fr, &d.category),
                duration(d.minutes),
            ]
        })
        .collect();
    pdf.heading(2, "Actions");
    pdf.table(
        &["Date", "Mission ou action", "Domaine", "Durée"],
        &[0.2, 0.45, 0.2, 0.15],
        &[Align::Left, Align::Left, Align::Left, Align::Right],
        &rows,
    );
    pdf.heading(2, "Confirmation");
    match (&a.confirmed_by_name, a.confirmed_at) {
        (Some(by), Some(at)) => pdf.paragraph(&format!(
            "Attestation confirmée en ligne le {} à {} par {}, pour {}.",
            at.with_timezone(&tz).format("%d/%m/%Y"),
            at.with_timezone(&tz).format("%H:%M"),
            by,
            association.label()
        )),
        _ => pdf.paragraph(
            "NON CONFIRMÉE : l'association n'a pas encore confirmé cette attestation. Elle le \
             fait en ligne ; le document téléchargé ensuite porte sa confirmation.",
        ),
    }
    pdf.paragraph(&format!(
        "Attestation n° {} demandée le {} ; document établi le {} par {} ({}).",
        a.id,
        a.requested_at.with_timezone(&tz).format("%d/%m/%Y"),
        hours::today(config, now).format("%d/%m/%Y"),
        config.instance.name,
        config.base()
    ));
    Ok(Document {
        filename: format!("attestation-benevolat-{}-{}.pdf", association.name, a.id),
        content_type: PDF,
        bytes: pdf.finish()?,
    })
}
