//! Text messages (issue 16), the use cases: a person gives a number, confirms it with the code
//! sent by SMS, chooses which messages they want by SMS, stops (from their profile, or by a
//! STOP reply the gateway forwards); the node's administrators set an association's daily cap;
//! coordinators check who may write to whom before `notify::mass` sends.

use super::{dashboard::managed, Result, ServiceError};
use crate::{
    config::SmsConfig,
    domain::{
        account::User,
        actor::Actor,
        sms::{code_from, is_stop, parse_phone, CODE_MINUTES, CODE_TRIES, MAX_MESSAGE_CHARS},
        Denial, DomainError, FieldError,
    },
    notify::mass::Scope,
    storage::{ActorStore, MissionStore, NewSms, SlotStore, SmsStore, StopBy},
};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;

pub use crate::storage::{LogLine, MassMessage, PhoneContact};

/// Seconds before another code may be asked for the same account.
pub const CODE_INTERVAL_SECONDS: i64 = 60;

fn enabled(config: &SmsConfig) -> Result<()> {
    if config.enabled {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(Denial::new("sms_off")))
    }
}

fn code_hash(user_id: i64, code: &str) -> String {
    super::accounts::hash_secret(&format!("sms:{user_id}:{code}"))
}

/// The person's number and choices, if they gave one.
pub async fn phone(store: &dyn SmsStore, user: &User) -> Result<Option<PhoneContact>> {
    Ok(store.phone_contact(user.id).await?)
}

/// Sets the person's number (E.164, France by default) and sends a confirmation code by SMS.
/// Returns the number as stored.
pub async fn set_phone(
    store: &dyn SmsStore,
    config: &SmsConfig,
    user: &User,
    raw: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    enabled(config)?;
    let number = parse_phone(raw).map_err(|e| DomainError::field("phone", e))?;
    if let Some(c) = store.phone_contact(user.id).await? {
        if c.code_hash.is_some() && c.updated_at > now - Duration::seconds(CODE_INTERVAL_SECONDS) {
            return Err(ServiceError::Conflict(Denial::new("sms_code_wait")));
        }
    }
    let code = code_from(rand::thread_rng().gen());
    let text = crate::i18n::tr_args(
        crate::i18n::Lang::or_reference(&user.language),
        "mail-sms_code",
        &[("code", code.clone().into())],
    );
    let (_, parts) = crate::domain::sms::segments(&text);
    let sms = NewSms {
        actor_id: None,
        user_id: Some(user.id),
        kind: "code".into(),
        recipient: number.clone(),
        body: text,
        parts: i64::from(parts),
        dedupe_key: format!("code:{}:{}", user.id, uuid::Uuid::new_v4()),
    };
    store
        .set_phone(
            user.id,
            &number,
            &code_hash(user.id, &code),
            now + Duration::minutes(CODE_MINUTES),
            sms,
            now,
        )
        .await?;
    Ok(number)
}

/// Checks the code the person typed; the number is confirmed when it is right.
pub async fn confirm_phone(
    store: &dyn SmsStore,
    user: &User,
    code: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(c) = store.phone_contact(user.id).await? else {
        return Err(ServiceError::NotFound("phone number"));
    };
    let (Some(hash), Some(expires)) = (&c.code_hash, c.code_expires_at) else {
        return Err(ServiceError::Conflict(Denial::new("sms_no_code")));
    };
    if expires <= now || c.code_tries >= CODE_TRIES {
        return Err(DomainError::field("code", FieldError::new("sms_code_expired")).into());
    }
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    let right = code_hash(user.id, &code) == *hash;
    store.record_code_outcome(user.id, right, now).await?;
    if right {
        Ok(())
    } else {
        Err(DomainError::field("code", FieldError::new("sms_code_wrong")).into())
    }
}

/// Which SMS the person wants; only a confirmed number may be chosen.
pub async fn set_choices(
    store: &dyn SmsStore,
    config: &SmsConfig,
    user: &User,
    messages: bool,
    reminders: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    enabled(config)?;
    match store.phone_contact(user.id).await? {
        Some(c) if c.confirmed_at.is_some() => {}
        Some(_) => return Err(ServiceError::Conflict(Denial::new("phone_unconfirmed"))),
        None => return Err(ServiceError::NotFound("phone number")),
    }
    store
        .set_phone_choices(user.id, messages, reminders, now)
        .await?;
    Ok(())
}

/// STOP from the profile: no SMS any more, those waiting are not sent.
pub async fn stop(store: &dyn SmsStore, user: &User, now: DateTime<Utc>) -> Result<()> {
    if store.stop_phone(StopBy::User(user.id), now).await? == 0 {
        return Err(ServiceError::NotFound("phone number"));
    }
    Ok(())
}

/// Whether `presented` is the gateway's inbound token (compared in constant time).
pub fn inbound_allowed(config: &SmsConfig, presented: &str) -> bool {
    let expected = config.inbound_token.as_bytes();
    if expected.is_empty() || !config.enabled {
        return false;
    }
    let presented = presented.as_bytes();
    let mut diff = expected.len() ^ presented.len();
    for (i, b) in expected.iter().enumerate() {
        diff |= usize::from(b ^ presented.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

/// A reply the gateway forwards: a STOP stops every account with that number. Returns how
/// many accounts it stopped (0 for any other reply, or an unknown number).
pub async fn inbound(
    store: &dyn SmsStore,
    from: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<usize> {
    let number = parse_phone(from).map_err(|e| DomainError::field("from", e))?;
    if !is_stop(text) {
        return Ok(0);
    }
    Ok(store.stop_phone(StopBy::Number(&number), now).await?)
}

/// The node's administrators set an association's daily cap (`None`: the default).
pub async fn set_cap<S: ActorStore + SmsStore + ?Sized>(
    store: &S,
    user: &User,
    association: &str,
    cap: Option<i64>,
) -> Result<Actor> {
    if !user.is_admin {
        return Err(ServiceError::Forbidden(Denial::new("admins_only")));
    }
    if let Some(c) = cap {
        if !(0..=100_000).contains(&c) {
            return Err(DomainError::field(
                "daily_cap",
                FieldError::new("between").num("min", 0).num("max", 100_000),
            )
            .into());
        }
    }
    let a = super::missions::association(store, association).await?;
    store.set_sms_cap(a.id, cap).await?;
    Ok(a)
}

/// The association `name` if `user` coordinates it, with the scope checked to be its own:
/// who may write to whom.
pub async fn check_message<S: ActorStore + MissionStore + SlotStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
    scope: Scope,
    text: &str,
) -> Result<Actor> {
    let association = managed(store, user, name).await?;
    match scope {
        Scope::Slot(id) => {
            let (_, _, owner) = super::slots::local_slot(store, id).await?;
            if owner.id != association.id {
                return Err(ServiceError::NotFound("slot"));
            }
        }
        Scope::Mission(id) => {
            let (_, owner) = super::missions::local_mission(store, id).await?;
            if owner.id != association.id {
                return Err(ServiceError::NotFound("mission"));
            }
        }
        Scope::Association => {}
        Scope::Node => return Err(ServiceError::Forbidden(Denial::new("admins_only"))),
    }
    check_text(text)?;
    Ok(association)
}

/// A message's words: not empty, not too long.
fn check_text(text: &str) -> Result<()> {
    let n = text.trim().chars().count();
    if n == 0 {
        return Err(DomainError::field("text", FieldError::new("required")).into());
    }
    if n > MAX_MESSAGE_CHARS {
        return Err(DomainError::field(
            "text",
            FieldError::new("max_chars").num("max", MAX_MESSAGE_CHARS as i64),
        )
        .into());
    }
    Ok(())
}

/// The node's own relay actor, in whose name its administrators write (and whose daily cap
/// their SMS count against), if `user` is an administrator.
pub async fn node_sender<S: ActorStore + ?Sized>(store: &S, user: &User) -> Result<Actor> {
    if !user.is_admin {
        return Err(ServiceError::Forbidden(Denial::new("admins_only")));
    }
    store
        .find_local_actor(
            crate::domain::actor::ActorKind::Application.as_str(),
            "relay",
        )
        .await?
        .ok_or(ServiceError::NotFound("relay actor"))
}

/// The node's relay actor if `user` is an administrator and `text` may be sent to the
/// coordinators of every local association ([`Scope::Node`]).
pub async fn check_node_message<S: ActorStore + ?Sized>(
    store: &S,
    user: &User,
    text: &str,
) -> Result<Actor> {
    let relay = node_sender(store, user).await?;
    check_text(text)?;
    Ok(relay)
}

/// A message of the node's administrators and who received it by which channel (the
/// administrators).
pub async fn node_message_log<S: ActorStore + SmsStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
) -> Result<(MassMessage, Vec<LogLine>)> {
    let relay = node_sender(store, user).await?;
    match store.message_log(id).await? {
        Some((m, lines)) if m.actor_id == relay.id => Ok((m, lines)),
        _ => Err(ServiceError::NotFound("message")),
    }
}

/// A request key as a form or a client gives it: 1 to 64 letters, digits, `-` or `_`.
pub fn request_key(given: Option<&str>) -> Result<String> {
    match given.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(uuid::Uuid::new_v4().to_string()),
        Some(k)
            if k.len() <= 64
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Ok(k.to_string())
        }
        Some(_) => Err(DomainError::field("request_key", FieldError::new("request_key")).into()),
    }
}

/// A message of the association `name` and who received it by which channel (its
/// coordinators).
pub async fn message_log<S: ActorStore + SmsStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
    id: i64,
) -> Result<(MassMessage, Vec<LogLine>)> {
    let association = managed(store, user, name).await?;
    match store.message_log(id).await? {
        Some((m, lines)) if m.actor_id == association.id => Ok((m, lines)),
        _ => Err(ServiceError::NotFound("message")),
    }
}
