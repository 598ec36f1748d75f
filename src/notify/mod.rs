//! Notifications: people signed up for a slot are told when their sign-up is received,
//! confirmed, refused or cancelled, when the slot moves or is cancelled, and the day before.
//!
//! Two channels: email for local users and for people signed up by a coordinator with an email
//! address (sent by the mail worker in [`mail`]), and a direct message on the fediverse for
//! people on other servers, handed as a [`DirectMessage`] to the [`DirectMessages`] port that
//! the federation side implements (`Create{Note}` to the person alone, with a `Mention`).
//! Nothing here imports `federation`: the dependency goes one way.
//!
//! The federation worker asks [`plan`] what each event (a domain [`Outgoing`]) means for people
//! and records the answer in the same transaction as marking the event done; the reminder scan ([`scan_reminders`])
//! records its notices on its own. Each notice has a key (`confirmed:<sign-up>`,
//! `reminder:<sign-up>`, …) and is recorded once, so an event handled twice or a scan run twice
//! tells nobody twice.

pub mod accounts;
pub mod associations;
pub mod help;
pub mod mail;
pub mod mass;
pub mod messages;
pub mod port;
pub mod reservations;
pub mod sms;

pub use port::{DirectMessage, DirectMessages, NotifyError};

use crate::{
    domain::{
        events::Outgoing,
        mission::{Mission, MissionStatus},
        slot::{Participant, Participation, ParticipationStatus, Slot, SlotStatus},
    },
    service::fediverse::came_through_link,
    state::Context,
    storage::{NewDelivery, NewNotification, StoreError},
};
use chrono::{DateTime, Duration, Utc};
use messages::{compose, reason_in_words, Facts, Kind};

pub const EMAIL: &str = "email";
pub const FEDIVERSE: &str = "fediverse";

/// Reminders go out for slots starting within this many hours.
pub const REMINDER_WINDOW_HOURS: i64 = 25;
/// Someone confirmed less than this many hours before the start gets no reminder: their
/// confirmation, a moment ago, said when.
pub const REMINDER_LEAD_HOURS: i64 = 24;
/// Seconds between two reminder scans.
pub const REMINDER_SCAN_SECONDS: u64 = 60;

/// The notices an event calls for (none for most events).
pub async fn plan(ctx: &Context, event: &Outgoing) -> Result<Vec<NewNotification>, NotifyError> {
    let planned = match event {
        Outgoing::ParticipationChanged { participation_id } => {
            participation_changed(ctx, *participation_id).await
        }
        Outgoing::SlotRescheduled { slot_id } => slot_moved(ctx, *slot_id).await,
        Outgoing::ReservationChanged {
            reservation_id,
            by_owner,
            state,
        } => reservations::changed(ctx, *reservation_id, *by_owner, state).await,
        Outgoing::MissionUpdated { mission_id } | Outgoing::MissionDeleted { mission_id } => {
            mission_cancelled(ctx, *mission_id).await
        }
        Outgoing::AssociationRequestAnswered { request_id } => {
            associations::request_answered(ctx, *request_id).await
        }
        Outgoing::InvitationSent {
            invitation_id,
            token,
        } => associations::invitation_sent(ctx, *invitation_id, token).await,
        _ => Ok(Vec::new()),
    };
    match planned {
        // Gone since (a deleted mission takes its slots and sign-ups along): nobody to tell.
        Err(NotifyError::Store(StoreError::NotFound(_))) => Ok(Vec::new()),
        other => other,
    }
}

async fn participation_changed(
    ctx: &Context,
    participation_id: i64,
) -> Result<Vec<NewNotification>, NotifyError> {
    let p = ctx.store.get_participation(participation_id).await?;
    if p.reason == crate::domain::privacy::WITHDRAWN_ACCOUNT_DELETED {
        // Withdrawn because the person deleted their account: nobody is left to tell.
        return Ok(Vec::new());
    }
    let slot = ctx.store.get_slot(p.slot_id).await?;
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    let kind = match p.status {
        ParticipationStatus::Pending => Kind::Pending,
        ParticipationStatus::Accepted => Kind::Confirmed,
        ParticipationStatus::Rejected => Kind::Refused,
        ParticipationStatus::Withdrawn if p.reason == "slot_cancelled" => Kind::SlotCancelled,
        ParticipationStatus::Withdrawn => Kind::Withdrawn,
    };
    if let Participant::Remote { .. } = &p.participant {
        // Their `Join` is answered with `Accept`/`Reject`, and people who signed up through a
        // link hear how it stands from the federation side: only a cancelled slot needs a word.
        if kind != Kind::SlotCancelled || came_through_link(&ctx.config, &p) {
            return Ok(Vec::new());
        }
    }
    // The key holds the state: an event handled after a later change tells the later state
    // once, and the next event finds it told.
    let key = format!("{}:{}", kind.as_str(), p.id);
    notices_for(ctx, &p, &slot, &mission, kind, key, None).await
}

async fn slot_moved(ctx: &Context, slot_id: i64) -> Result<Vec<NewNotification>, NotifyError> {
    let slot = ctx.store.get_slot(slot_id).await?;
    if slot.status != SlotStatus::Open {
        return Ok(Vec::new());
    }
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    let mut out = Vec::new();
    for p in ctx.store.list_participations(slot_id).await? {
        if p.status.is_active() {
            // Moved twice before we got here: the latest times, told once.
            let key = format!(
                "slot_moved:{}:{}-{}",
                p.id,
                slot.start_time.timestamp(),
                slot.end_time.timestamp()
            );
            out.extend(notices_for(ctx, &p, &slot, &mission, Kind::SlotMoved, key, None).await?);
        }
    }
    Ok(out)
}

async fn mission_cancelled(
    ctx: &Context,
    mission_id: i64,
) -> Result<Vec<NewNotification>, NotifyError> {
    let mission = ctx.store.get_mission(mission_id).await?;
    if !mission.local
        || (mission.status != MissionStatus::Cancelled && mission.deleted_at.is_none())
    {
        return Ok(Vec::new());
    }
    let now = ctx.clock.now();
    let mut out = Vec::new();
    for slot in ctx.store.list_slots(mission_id).await? {
        if slot.status != SlotStatus::Open || slot.end_time <= now {
            continue;
        }
        for p in ctx.store.list_participations(slot.id).await? {
            if p.status.is_active() {
                let key = format!("mission_cancelled:{}", p.id);
                out.extend(
                    notices_for(ctx, &p, &slot, &mission, Kind::MissionCancelled, key, None)
                        .await?,
                );
            }
        }
    }
    Ok(out)
}

/// Records a reminder for every accepted sign-up whose slot starts within a day (once per
/// sign-up); returns how many were recorded.
pub async fn scan_reminders(ctx: &Context, now: DateTime<Utc>) -> Result<usize, NotifyError> {
    let candidates = ctx
        .store
        .reminder_candidates(now, now + Duration::hours(REMINDER_WINDOW_HOURS))
        .await?;
    let mut notices = Vec::new();
    let mut by_sms = Vec::new();
    for (p, slot) in candidates {
        if p.decided_at.unwrap_or(p.created_at)
            > slot.start_time - Duration::hours(REMINDER_LEAD_HOURS)
        {
            continue;
        }
        let mission = ctx.store.get_mission(slot.mission_id).await?;
        if mission.deleted_at.is_some() || mission.status == MissionStatus::Cancelled {
            continue;
        }
        let key = format!("reminder:{}", p.id);
        notices.extend(notices_for(ctx, &p, &slot, &mission, Kind::Reminder, key, None).await?);
        if let Participant::User { user_id } = p.participant {
            by_sms.push((user_id, p.id, slot, mission));
        }
    }
    if notices.is_empty() {
        return Ok(0);
    }
    if !ctx.config.sms.enabled || by_sms.is_empty() {
        return Ok(ctx.store.record_notifications(notices, now).await?);
    }
    // Those who chose reminders by SMS get one too, recorded with the emails (in one
    // transaction, so a reminder is never half told); past the association's cap, kept as
    // `capped` in the log.
    let ids: Vec<i64> = by_sms.iter().map(|(u, ..)| *u).collect();
    let phones: std::collections::HashMap<i64, _> = ctx
        .store
        .phone_contacts(&ids)
        .await?
        .into_iter()
        .filter(mass::wants_reminders)
        .map(|c| (c.user_id, c))
        .collect();
    let lang = crate::i18n::Lang::or_reference(&ctx.config.instance.default_language);
    let mut sms = Vec::new();
    for (user_id, participation_id, slot, mission) in by_sms {
        let Some(phone) = phones.get(&user_id) else {
            continue;
        };
        let association = ctx.store.get_actor(mission.actor_id).await?;
        let when =
            crate::i18n::short_span(lang, slot.start_time, slot.end_time, ctx.config.timezone());
        sms.push(mass::reminder_sms(
            ctx,
            &association,
            phone,
            participation_id,
            &mission.title,
            &when,
        ));
    }
    let batch = crate::storage::SmsBatch {
        message: None,
        notices,
        sms,
        day_start: crate::domain::sms::day_start(now, ctx.config.timezone()),
        default_cap: ctx.config.sms.daily_cap_default,
        all_or_nothing: false,
    };
    match ctx.store.record_sms_batch(batch, now).await? {
        crate::storage::Recorded::Done { notices, .. } => Ok(notices),
        crate::storage::Recorded::OverCap { .. } => Ok(0),
    }
}

/// A coordinator's message to everyone signed up (accepted or pending) for a slot: by email,
/// or by direct message for people on other servers. Returns how many people it reaches.
pub async fn message_slot(
    ctx: &Context,
    slot_id: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let slot = ctx.store.get_slot(slot_id).await?;
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    let batch = uuid::Uuid::new_v4();
    let mut notices = Vec::new();
    for p in ctx.store.list_participations(slot_id).await? {
        if p.status.is_active() {
            let key = format!("message:{batch}:{}", p.id);
            notices.extend(
                notices_for(ctx, &p, &slot, &mission, Kind::Message, key, Some(text)).await?,
            );
        }
    }
    if notices.is_empty() {
        return Ok(0);
    }
    let count = ctx.store.record_notifications(notices, now).await?;
    ctx.wake.notify_waiters();
    Ok(count)
}

/// Another node moved one of its slots: the people of this node signed up for it are told.
pub async fn tell_slot_moved(
    ctx: &Context,
    slot_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, NotifyError> {
    let notices = slot_moved(ctx, slot_id).await?;
    if notices.is_empty() {
        return Ok(0);
    }
    let count = ctx.store.record_notifications(notices, now).await?;
    ctx.wake.notify_waiters();
    Ok(count)
}

/// An email not about one sign-up, recorded once per `key`: `pending` for the mail worker, or
/// `skipped` when mail is off.
pub fn email(
    config: &crate::config::Config,
    kind: &str,
    to: &str,
    subject: String,
    body: String,
    key: String,
) -> NewNotification {
    NewNotification {
        participation_id: None,
        kind: kind.to_string(),
        channel: EMAIL.to_string(),
        recipient: to.trim().to_string(),
        subject,
        body_text: body,
        status: if config.smtp.enabled {
            "pending"
        } else {
            "skipped"
        }
        .to_string(),
        dedupe_key: key,
        delivery: None,
    }
}

/// An email's greeting: "Bonjour Anne," or, without a name, "Bonjour,".
pub fn hello(lang: crate::i18n::Lang, person: &str) -> String {
    match person.trim() {
        "" => crate::i18n::tr(lang, "mail-hello"),
        person => crate::i18n::tr_args(
            lang,
            "mail-hello_person",
            &[("person", person.to_string().into())],
        ),
    }
}

/// Whether a guest's contact is an email address (it may be a phone number).
pub fn looks_like_email(contact: &str) -> bool {
    let c = contact.trim();
    match c.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !c.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// The notice of `kind` for the person behind `p`: an email, a direct message, or a record
/// that they could not be told (no address).
async fn notices_for(
    ctx: &Context,
    p: &Participation,
    slot: &Slot,
    mission: &Mission,
    kind: Kind,
    dedupe_key: String,
    message: Option<&str>,
) -> Result<Vec<NewNotification>, NotifyError> {
    let config = &ctx.config;
    let lang = config.instance.default_language.clone();
    let association = ctx.store.get_actor(mission.actor_id).await?;
    let place = if mission.online {
        crate::i18n::tr(crate::i18n::Lang::or_reference(&lang), "mail-remote")
    } else {
        mission.place.one_line()
    };
    let mut facts = Facts {
        when: crate::i18n::short_span(
            crate::i18n::Lang::or_reference(&lang),
            slot.start_time,
            slot.end_time,
            config.timezone(),
        ),
        instance: config.instance.name.clone(),
        person: String::new(),
        mission_title: mission.title.clone(),
        association: association.label().to_string(),
        place,
        page: mission.url.clone(),
        reason: if kind == Kind::Refused {
            reason_in_words(&p.reason, &lang)
        } else {
            String::new()
        },
        message: String::new(),
        lang,
    };
    if let Some(m) = message {
        facts.message = m.to_string();
    }
    let email = |facts: &Facts, address: Option<String>| {
        let c = compose(kind, facts);
        let (recipient, status) = match address {
            Some(a) if config.smtp.enabled => (a, "pending"),
            Some(a) => (a, "skipped"),
            None => (String::new(), "skipped"),
        };
        NewNotification {
            participation_id: Some(p.id),
            kind: kind.as_str().to_string(),
            channel: EMAIL.to_string(),
            recipient,
            subject: c.subject,
            body_text: c.text,
            status: status.to_string(),
            dedupe_key: dedupe_key.clone(),
            delivery: None,
        }
    };
    match &p.participant {
        Participant::User { user_id } => {
            let user = ctx.store.get_user(*user_id).await?;
            facts.person = user.name.clone();
            let address = user
                .email
                .filter(|e| looks_like_email(e))
                .map(|e| e.trim().to_string());
            Ok(vec![email(&facts, address)])
        }
        Participant::Guest { name, contact } => {
            facts.person = name.clone();
            let address = looks_like_email(contact).then(|| contact.trim().to_string());
            Ok(vec![email(&facts, address)])
        }
        Participant::Remote { actor_ap_id } => {
            let c = compose(kind, &facts);
            let message = DirectMessage {
                from_actor_id: association.id,
                to_actor_ap_id: actor_ap_id.clone(),
                content_html: c.html.clone(),
            };
            let Some(delivery) = direct(ctx, &message).await? else {
                return Ok(Vec::new());
            };
            Ok(vec![NewNotification {
                participation_id: Some(p.id),
                kind: kind.as_str().to_string(),
                channel: FEDIVERSE.to_string(),
                recipient: actor_ap_id.clone(),
                subject: c.subject,
                body_text: c.text,
                status: "federated".to_string(),
                dedupe_key,
                delivery: Some(delivery),
            }])
        }
    }
}

/// A direct message through the port of this node ([`DirectMessages`]).
pub(crate) async fn direct(
    ctx: &Context,
    message: &DirectMessage,
) -> Result<Option<NewDelivery>, NotifyError> {
    ctx.direct.delivery(ctx, message).await
}

/// The background loop of one process: emails that are due, and the reminder scan once a
/// minute. Several processes may run it at once (claims are leased, notices recorded once).
pub async fn worker(ctx: Context) {
    let poll = std::time::Duration::from_millis(ctx.config.federation.poll_interval_ms.max(100));
    let scan_every = std::time::Duration::from_secs(REMINDER_SCAN_SECONDS);
    let mut last_scan: Option<std::time::Instant> = None;
    loop {
        if last_scan.is_none_or(|t| t.elapsed() >= scan_every) {
            last_scan = Some(std::time::Instant::now());
            match scan_reminders(&ctx, ctx.clock.now()).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(reminders = n, "reminders recorded");
                    ctx.wake.notify_waiters();
                }
                Err(e) => tracing::error!(error = %e, "reminder scan failed"),
            }
            match reservations::scan(&ctx, ctx.clock.now()).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(notices = n, "reservation reminders recorded");
                    ctx.wake.notify_waiters();
                }
                Err(e) => tracing::error!(error = %e, "reservation reminder scan failed"),
            }
        }
        let mut sent = mail::run_once(&ctx).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "mail pass failed");
            0
        });
        sent += sms::run_once(&ctx).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "SMS pass failed");
            0
        });
        if sent == 0 {
            tokio::time::sleep(poll).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_and_phone_numbers() {
        assert!(looks_like_email("alice@example.org"));
        assert!(looks_like_email(" alice@example.org "));
        assert!(!looks_like_email("06 12 34 56 78"));
        assert!(!looks_like_email("+33612345678"));
        assert!(!looks_like_email("alice@localhost"));
        assert!(!looks_like_email("@example.org"));
        assert!(!looks_like_email("a b@example.org"));
        assert!(!looks_like_email("a@b@example.org"));
    }
}
