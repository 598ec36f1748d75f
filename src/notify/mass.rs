//! A coordinator's message to the volunteers of a slot, of a mission or of the whole
//! association: each person receives it on the channels they have (email for an account or a
//! guest with an address, a direct message for a person on another server) and by SMS when
//! they gave a confirmed number and chose messages by SMS. Everything is recorded in one
//! transaction under keys (`mass:<request key>:<channel>:<person>`), so sending the same form
//! twice, or a process killed half-way, reaches nobody twice. The preview counts the same
//! audience without recording anything.
//!
//! The node's administrators write the same way to the coordinators and owners of every local
//! association ([`Scope::Node`]): the "association" is then the node's own relay actor, whose
//! daily cap their SMS count against (as the référents' proposals by SMS do).

use super::{direct, looks_like_email, DirectMessage, NotifyError, EMAIL, FEDIVERSE};
use crate::{
    domain::{
        actor::Actor,
        slot::{Participant, Participation},
        sms::{day_start, segments, Encoding},
    },
    i18n::{tr, tr_args, Lang},
    state::Context,
    storage::{
        notice_prefix, MissionQuery, NewMassMessage, NewNotification, NewSms, PhoneContact,
        Recorded, SmsBatch,
    },
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

/// Whom a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Slot(i64),
    Mission(i64),
    /// Everyone signed up for a slot of the association that is not over.
    Association,
    /// The coordinators and owners of every local association (the node's administrators
    /// write; the actor is the node's relay).
    Node,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Slot(_) => "slot",
            Scope::Mission(_) => "mission",
            Scope::Association => "association",
            Scope::Node => "node",
        }
    }
}

/// How many people each channel reaches, and what the SMS cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Reach {
    /// People signed up (each counted once).
    pub people: usize,
    pub email: usize,
    pub fediverse: usize,
    pub sms: usize,
    /// SMS one message takes (long texts are several).
    pub sms_parts_each: u32,
    /// SMS in all: `sms × sms_parts_each`.
    pub sms_parts: i64,
    /// SMS the association may still send today.
    pub sms_left_today: i64,
    /// Nobody reachable (no address, no number, nothing): told nothing.
    pub unreachable: usize,
}

/// What sending did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Recorded {
        message_id: i64,
        reach: Reach,
    },
    /// Nothing sent: the SMS would pass the day's cap.
    OverCap {
        left: i64,
        reach: Reach,
    },
}

/// One person of the audience, with the sign-up that makes them part of it (none for the
/// node's message to coordinators).
struct Person {
    key: String,
    participant: Participant,
    participation_id: Option<i64>,
}

/// The people signed up (accepted or waiting), each once.
async fn audience(
    ctx: &Context,
    association: &Actor,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<Vec<Person>, NotifyError> {
    let slots = match scope {
        Scope::Node => {
            let ids = ctx.store.local_coordinators().await?;
            return Ok(ids
                .into_iter()
                .map(|user_id| Person {
                    key: format!("u{user_id}"),
                    participant: Participant::User { user_id },
                    participation_id: None,
                })
                .collect());
        }
        Scope::Slot(id) => vec![ctx.store.get_slot(id).await?],
        Scope::Mission(id) => ctx.store.list_slots(id).await?,
        Scope::Association => {
            let missions = ctx
                .store
                .list_missions(MissionQuery {
                    actor_id: Some(association.id),
                    local: Some(true),
                    upcoming_after: Some(now),
                    limit: 1000,
                    ..MissionQuery::default()
                })
                .await?;
            let mut slots = Vec::new();
            for m in missions {
                slots.extend(ctx.store.list_slots(m.id).await?);
            }
            slots
        }
    };
    let mut people = BTreeMap::new();
    for slot in slots {
        if !matches!(scope, Scope::Slot(_)) && slot.end_time <= now {
            continue;
        }
        for p in ctx.store.list_participations(slot.id).await? {
            if !p.status.is_active() {
                continue;
            }
            let key = match &p.participant {
                Participant::User { user_id } => format!("u{user_id}"),
                Participant::Remote { actor_ap_id } => format!("r{actor_ap_id}"),
                Participant::Guest { contact, .. } if !contact.trim().is_empty() => {
                    format!("g{}", contact.trim().to_lowercase())
                }
                Participant::Guest { .. } => format!("p{}", p.id),
            };
            people.entry(key.clone()).or_insert_with(|| person(key, p));
        }
    }
    Ok(people.into_values().collect())
}

fn person(key: String, p: Participation) -> Person {
    Person {
        key,
        participant: p.participant,
        participation_id: Some(p.id),
    }
}

/// Whether a contact receives messages by SMS: confirmed, chosen, not stopped.
pub fn wants_messages(c: &PhoneContact) -> bool {
    c.confirmed_at.is_some() && c.messages && c.stopped_at.is_none()
}

/// Whether a contact receives reminders by SMS.
pub fn wants_reminders(c: &PhoneContact) -> bool {
    c.confirmed_at.is_some() && c.reminders && c.stopped_at.is_none()
}

/// The SMS text: the association's name, the words, and how to stop when replies are read.
pub fn sms_text(ctx: &Context, association: &Actor, text: &str) -> String {
    let lang = Lang::or_reference(&ctx.config.instance.default_language);
    let mut body = format!("{} : {}", association.label(), text.trim());
    if !ctx.config.sms.inbound_token.is_empty() {
        body.push('\n');
        body.push_str(&tr(lang, "mail-sms_stop"));
    }
    body
}

/// The planned notices and SMS of a message, with its reach.
struct Plan {
    notices: Vec<NewNotification>,
    sms: Vec<NewSms>,
    reach: Reach,
}

async fn plan(
    ctx: &Context,
    association: &Actor,
    scope: Scope,
    text: &str,
    request_key: &str,
    build: bool,
    now: DateTime<Utc>,
) -> Result<Plan, NotifyError> {
    let config = &ctx.config;
    let people = audience(ctx, association, scope, now).await?;
    let user_ids: Vec<i64> = people
        .iter()
        .filter_map(|p| match p.participant {
            Participant::User { user_id } => Some(user_id),
            _ => None,
        })
        .collect();
    let users: HashMap<i64, _> = ctx
        .store
        .get_users(&user_ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let phones: HashMap<i64, PhoneContact> = if config.sms.enabled {
        ctx.store
            .phone_contacts(&user_ids)
            .await?
            .into_iter()
            .filter(wants_messages)
            .map(|c| (c.user_id, c))
            .collect()
    } else {
        HashMap::new()
    };
    let lang = Lang::or_reference(&config.instance.default_language);
    let prefix = notice_prefix(request_key);
    let sms_body = sms_text(ctx, association, text);
    let (_, parts_each) = segments(&sms_body);
    let subject = tr_args(
        lang,
        "mail-mass_subject",
        &[("association", association.label().to_string().into())],
    );
    let footer = if scope == Scope::Node {
        "mail-mass_footer_node"
    } else {
        "mail-mass_footer"
    };
    let lead = tr_args(
        lang,
        "mail-mass_lead",
        &[("association", association.label().to_string().into())],
    );
    let email_body = |person: &str| {
        let hello = super::hello(lang, person);
        format!(
            "{hello}\n\n{lead}\n\n{}\n\n-- \n{}\n{}\n",
            text.trim(),
            config.instance.name,
            tr_args(
                lang,
                footer,
                &[("association", association.label().to_string().into())]
            )
        )
    };
    let html = format!(
        "<p>{}</p><p>{}</p>",
        super::messages::escape(&lead),
        super::messages::escape(text.trim()).replace('\n', "<br>")
    );
    let mut out = Plan {
        notices: Vec::new(),
        sms: Vec::new(),
        reach: Reach {
            people: people.len(),
            sms_parts_each: parts_each,
            ..Reach::default()
        },
    };
    for person in &people {
        let mut reached = false;
        let email = |address: Option<String>, name: &str, out: &mut Plan| {
            let Some(address) = address else { return false };
            let key = format!("{prefix}{EMAIL}:{}", person.key);
            let body = email_body(name);
            out.notices.push(NewNotification {
                participation_id: person.participation_id,
                ..super::email(config, "mass_message", &address, subject.clone(), body, key)
            });
            config.smtp.enabled
        };
        match &person.participant {
            Participant::User { user_id } => {
                let user = users.get(user_id);
                let address = user
                    .and_then(|u| u.email.clone())
                    .filter(|e| looks_like_email(e))
                    .map(|e| e.trim().to_string());
                let name = user.map(|u| u.name.clone()).unwrap_or_default();
                if email(address, &name, &mut out) {
                    out.reach.email += 1;
                    reached = true;
                }
                if let Some(phone) = phones.get(user_id) {
                    out.sms.push(NewSms {
                        actor_id: Some(association.id),
                        user_id: Some(*user_id),
                        kind: "message".into(),
                        recipient: phone.number.clone(),
                        body: sms_body.clone(),
                        parts: i64::from(parts_each),
                        dedupe_key: format!("{prefix}sms:{}", person.key),
                    });
                    out.reach.sms += 1;
                    reached = true;
                }
            }
            Participant::Guest { name, contact } => {
                let address = looks_like_email(contact).then(|| contact.trim().to_string());
                if email(address, name, &mut out) {
                    out.reach.email += 1;
                    reached = true;
                }
            }
            Participant::Remote { actor_ap_id } => {
                let delivery = if build {
                    let message = DirectMessage {
                        from_actor_id: association.id,
                        to_actor_ap_id: actor_ap_id.clone(),
                        content_html: html.clone(),
                    };
                    direct(ctx, &message).await?
                } else {
                    None
                };
                if !build || delivery.is_some() {
                    out.reach.fediverse += 1;
                    reached = true;
                }
                if let Some(delivery) = delivery {
                    out.notices.push(NewNotification {
                        participation_id: person.participation_id,
                        kind: "mass_message".into(),
                        channel: FEDIVERSE.into(),
                        recipient: actor_ap_id.clone(),
                        subject: subject.clone(),
                        body_text: text.trim().to_string(),
                        status: "federated".into(),
                        dedupe_key: format!("{prefix}{FEDIVERSE}:{}", person.key),
                        delivery: Some(delivery),
                    });
                }
            }
        }
        if !reached {
            out.reach.unreachable += 1;
        }
    }
    out.reach.sms_parts = out.reach.sms as i64 * i64::from(parts_each);
    let (cap, used) = ctx
        .store
        .sms_allowance(
            association.id,
            day_start(now, config.timezone()),
            config.sms.daily_cap_default,
        )
        .await?;
    out.reach.sms_left_today = (cap - used).max(0);
    Ok(out)
}

/// How many people each channel would reach, and the SMS cost; records nothing.
pub async fn preview(
    ctx: &Context,
    association: &Actor,
    scope: Scope,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Reach, NotifyError> {
    Ok(plan(ctx, association, scope, text, "preview", false, now)
        .await?
        .reach)
}

/// Records the message for everyone it reaches (once per `request_key`) and wakes the workers.
pub async fn send(
    ctx: &Context,
    author_id: i64,
    association: &Actor,
    scope: Scope,
    text: &str,
    request_key: &str,
    now: DateTime<Utc>,
) -> Result<Sent, NotifyError> {
    let planned = plan(ctx, association, scope, text, request_key, true, now).await?;
    let scope_id = match scope {
        Scope::Slot(id) | Scope::Mission(id) => id,
        Scope::Association | Scope::Node => association.id,
    };
    let batch = SmsBatch {
        message: Some(NewMassMessage {
            actor_id: association.id,
            author_id,
            scope: scope.as_str().into(),
            scope_id,
            body: text.trim().to_string(),
            request_key: request_key.to_string(),
        }),
        notices: planned.notices,
        sms: planned.sms,
        day_start: day_start(now, ctx.config.timezone()),
        default_cap: ctx.config.sms.daily_cap_default,
        all_or_nothing: true,
    };
    match ctx.store.record_sms_batch(batch, now).await? {
        Recorded::Done { message_id, .. } => {
            ctx.wake.notify_waiters();
            Ok(Sent::Recorded {
                message_id: message_id.unwrap_or_default(),
                reach: planned.reach,
            })
        }
        Recorded::OverCap { left } => Ok(Sent::OverCap {
            left,
            reach: planned.reach,
        }),
    }
}

/// The reminder of a slot by SMS, for a person who chose reminders by SMS.
pub fn reminder_sms(
    ctx: &Context,
    association: &Actor,
    phone: &PhoneContact,
    participation_id: i64,
    title: &str,
    when: &str,
) -> NewSms {
    let lang = Lang::or_reference(&ctx.config.instance.default_language);
    let words = tr_args(
        lang,
        "mail-sms_reminder",
        &[
            ("title", title.to_string().into()),
            ("when", when.to_string().into()),
        ],
    );
    let body = sms_text(ctx, association, &words);
    let (encoding, parts) = segments(&body);
    debug_assert!(parts > 0 || encoding == Encoding::Gsm7);
    NewSms {
        actor_id: Some(association.id),
        user_id: Some(phone.user_id),
        kind: "reminder".into(),
        recipient: phone.number.clone(),
        body,
        parts: i64::from(parts),
        dedupe_key: format!("reminder:{participation_id}"),
    }
}
