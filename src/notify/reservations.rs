//! Notices about reservations of equipment: a request received, accepted, refused or
//! cancelled, a reminder the day before the pickup and the day before the return, and a loan
//! overdue. The party that did not make the move is told: by email to the coordinators of an
//! association of this node, by direct message to an association of another server (which, when
//! it runs Entraide, also hears the answer itself and tells its own coordinators).

use super::{looks_like_email, FEDIVERSE};
use crate::i18n::{tr, tr_args, Arg, Lang};
use crate::{
    domain::{
        actor::Actor,
        resource::{Reservation, ReservationState, Resource},
    },
    notify::{direct, messages::escape, DirectMessage, NotifyError},
    state::Context,
    storage::{NewNotification, StoreError},
};
use chrono::{DateTime, Duration, Utc};

/// What a notice says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// To the owner: someone asks (or took, when approval is automatic).
    Requested,
    Accepted,
    Refused,
    Cancelled,
    PickupSoon,
    ReturnSoon,
    Overdue,
}

impl Notice {
    fn key(self) -> &'static str {
        match self {
            Notice::Requested => "rsv_requested",
            Notice::Accepted => "rsv_accepted",
            Notice::Refused => "rsv_refused",
            Notice::Cancelled => "rsv_cancelled",
            Notice::PickupSoon => "rsv_pickup_soon",
            Notice::ReturnSoon => "rsv_return_soon",
            Notice::Overdue => "rsv_overdue",
        }
    }
}

/// What a notice is about.
struct About<'a> {
    r: &'a Reservation,
    resource: &'a Resource,
    owner: &'a Actor,
    borrower: &'a Actor,
    when: String,
    page: String,
}

/// Subject and text of a notice, in `lang` (`mail-rsv_*` in the catalogue).
fn compose(n: Notice, a: &About, lang: Lang) -> (String, String) {
    let args = [
        ("item", Arg::from(a.resource.draft.name.clone())),
        ("owner", Arg::from(a.owner.label().to_string())),
        ("borrower", Arg::from(a.borrower.label().to_string())),
        ("quantity", Arg::from(a.r.quantity)),
    ];
    let subject = tr_args(lang, &format!("mail-{}_subject", n.key()), &args);
    let lead = tr_args(lang, &format!("mail-{}_lead", n.key()), &args);
    let reason = a.r.reason.trim();
    let mut text = format!("{lead}\n\n{} {}\n", tr(lang, "mail-when"), a.when);
    if !reason.is_empty() && matches!(n, Notice::Refused | Notice::Cancelled) {
        text.push_str(&format!("{} {reason}\n", tr(lang, "mail-rsv_reason")));
    }
    text.push_str(&format!("{} {}\n", tr(lang, "mail-rsv_page"), a.page));
    (subject, text)
}

/// The notices for `party` (the one to tell): emails to its coordinators when it is ours, a
/// direct message from `from` when it is another server's.
async fn tell(
    ctx: &Context,
    n: Notice,
    a: &About<'_>,
    party: &Actor,
    from: &Actor,
    key: &str,
) -> Result<Vec<NewNotification>, NotifyError> {
    let lang = Lang::or_reference(&ctx.config.instance.default_language);
    let (subject, text) = compose(n, a, lang);
    if party.local {
        let mut out = Vec::new();
        for (name, email) in ctx.store.coordinator_emails(party.id).await? {
            if !looks_like_email(&email) {
                continue;
            }
            out.push(super::email(
                &ctx.config,
                n.key(),
                &email,
                subject.clone(),
                text.clone(),
                format!("{key}:{name}"),
            ));
        }
        return Ok(out);
    }
    // Another server's association: the owner's side writes to a borrower (which may run
    // other software than ours); an owner elsewhere hears of requests from its own server.
    if !from.local || party.id == a.owner.id {
        return Ok(Vec::new());
    }
    let html = format!(
        "<p>{}</p>",
        escape(&text)
            .replace("\n\n", "</p><p>")
            .replace('\n', "<br>")
    );
    let message = DirectMessage {
        from_actor_id: from.id,
        to_actor_ap_id: party.ap_id.clone(),
        content_html: html,
    };
    let Some(delivery) = direct(ctx, &message).await? else {
        return Ok(Vec::new());
    };
    Ok(vec![NewNotification {
        participation_id: None,
        kind: n.key().to_string(),
        channel: FEDIVERSE.to_string(),
        recipient: party.ap_id.clone(),
        subject,
        body_text: text,
        status: "federated".to_string(),
        dedupe_key: key.to_string(),
        delivery: Some(delivery),
    }])
}

/// A reservation and its parties, unless it went away.
async fn load(
    ctx: &Context,
    id: i64,
) -> Result<Option<(Reservation, Resource, Actor, Actor)>, NotifyError> {
    let r = match ctx.store.get_reservation(id).await {
        Ok(r) => r,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let resource = ctx.store.get_resource(r.resource_id).await?;
    let owner = ctx.store.get_actor(resource.actor_id).await?;
    let Some(b) = r.borrower_actor_id else {
        return Ok(None);
    };
    let borrower = ctx.store.get_actor(b).await?;
    Ok(Some((r, resource, owner, borrower)))
}

fn about<'a>(
    ctx: &Context,
    r: &'a Reservation,
    resource: &'a Resource,
    owner: &'a Actor,
    borrower: &'a Actor,
) -> About<'a> {
    let tz = ctx.config.timezone();
    let fmt = |t: DateTime<Utc>| t.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string();
    About {
        r,
        resource,
        owner,
        borrower,
        when: format!("{} → {}", fmt(r.start), fmt(r.end)),
        page: format!("{}/reservations/{}", ctx.config.base(), r.id),
    }
}

/// What a move of a reservation calls for.
pub async fn changed(
    ctx: &Context,
    id: i64,
    by_owner: bool,
    state: &str,
) -> Result<Vec<NewNotification>, NotifyError> {
    use ReservationState::*;
    let Some((r, resource, owner, borrower)) = load(ctx, id).await? else {
        return Ok(Vec::new());
    };
    // Moved on since (or a signature): the later move's event tells how it stands.
    if state != r.state.as_str() {
        return Ok(Vec::new());
    }
    let a = about(ctx, &r, &resource, &owner, &borrower);
    let key = |n: Notice| format!("{}:{}", n.key(), r.id);
    let mut out = Vec::new();
    match (r.state, by_owner) {
        // A request, or an answer recorded at once (automatic approval): the owner hears of
        // it, and the borrower of the answer.
        (Requested, _) => out.extend(
            tell(
                ctx,
                Notice::Requested,
                &a,
                &owner,
                &borrower,
                &key(Notice::Requested),
            )
            .await?,
        ),
        (Accepted, true) | (Refused, true) => {
            let n = if r.state == Accepted {
                Notice::Accepted
            } else {
                Notice::Refused
            };
            if r.created_at == r.updated_at {
                out.extend(
                    tell(
                        ctx,
                        Notice::Requested,
                        &a,
                        &owner,
                        &borrower,
                        &key(Notice::Requested),
                    )
                    .await?,
                );
            }
            out.extend(tell(ctx, n, &a, &borrower, &owner, &key(n)).await?);
        }
        (Cancelled, true) => out.extend(
            tell(
                ctx,
                Notice::Cancelled,
                &a,
                &borrower,
                &owner,
                &key(Notice::Cancelled),
            )
            .await?,
        ),
        (Cancelled, false) => out.extend(
            tell(
                ctx,
                Notice::Cancelled,
                &a,
                &owner,
                &borrower,
                &key(Notice::Cancelled),
            )
            .await?,
        ),
        _ => {}
    }
    Ok(out)
}

/// Reminders go out this many hours before a pickup or a return.
pub const REMIND_HOURS: i64 = 24;

/// Reminders before pickups and returns within a day, and the overdue loans, each recorded
/// once (to both parties); returns how many were recorded.
pub async fn scan(ctx: &Context, now: DateTime<Utc>) -> Result<usize, NotifyError> {
    let mut notices = Vec::new();
    for r in ctx
        .store
        .reservations_due(now, now + Duration::hours(REMIND_HOURS))
        .await?
    {
        let Some((r, resource, owner, borrower)) = load(ctx, r.id).await? else {
            continue;
        };
        let n = match r.state {
            ReservationState::Accepted if r.start > now => Notice::PickupSoon,
            ReservationState::PickedUp if r.end > now => Notice::ReturnSoon,
            ReservationState::PickedUp => Notice::Overdue,
            _ => continue,
        };
        // Decided less than a day before: the answer, a moment ago, said when.
        if n == Notice::PickupSoon && r.updated_at > r.start - Duration::hours(REMIND_HOURS) {
            continue;
        }
        let a = about(ctx, &r, &resource, &owner, &borrower);
        let key = format!("{}:{}", n.key(), r.id);
        notices.extend(tell(ctx, n, &a, &borrower, &owner, &format!("{key}:b")).await?);
        notices.extend(tell(ctx, n, &a, &owner, &owner, &format!("{key}:o")).await?);
    }
    if notices.is_empty() {
        return Ok(0);
    }
    // Recorded (and so sent) at once, whatever moment the scan looked from.
    Ok(ctx
        .store
        .record_notifications(notices, ctx.clock.now().min(now))
        .await?)
}
