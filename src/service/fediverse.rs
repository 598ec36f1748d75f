//! People whose account is on Mastodon (or another fediverse server that cannot send `Join`):
//! they ask for a place with their fediverse address, receive a one-time link by direct
//! message, and confirm with one click; a reply to a mission is kept as interest and answered
//! with such a link. Resolving the address is the caller's job (federation); this layer
//! decides and records, with the message to send, in one transaction.

use super::{accounts, Result, ServiceError};
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::Actor,
        events::Outgoing,
        fediverse::{
            Confirmation, Interest, NewConfirmation, NewInterest, INTEREST_MAX_CHARS,
            LINKS_PER_HOUR,
        },
        mission::{JoinMode, Mission, MissionStatus},
        slot::{Participant, Participation, ParticipationStatus, Refusal, SignUpOutcome, Slot},
    },
    storage::{SignUp, Store},
};
use chrono::{DateTime, Duration, Utc};

/// Why no link was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefused {
    /// The slot cannot be taken (full, closed, over, already signed up).
    Slot(Refusal),
    /// Too many links went to this account in the last hour.
    TooMany,
}

/// What using a link gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// Signed up: accepted at once, or waiting for the association.
    Done(Participation),
    /// The slot (its id) could not be taken, with the reason.
    Refused(Refusal, i64),
    /// Unknown, already used or expired.
    Gone,
}

/// What a link is for, to show before it is used.
pub struct Preview {
    pub confirmation: Confirmation,
    pub slot: Slot,
    pub mission: Mission,
    pub association: Actor,
    /// The account, when we still hold it.
    pub person: Option<Actor>,
}

pub use crate::service::text::escape_html as escape;

fn join_id(config: &Config) -> String {
    format!("{}/participations/{}", config.base(), uuid::Uuid::new_v4())
}

/// A link and its message; `intro` says why the person receives it.
fn link_message(
    config: &Config,
    mission: &Mission,
    slot: &Slot,
    association: &Actor,
    link: &str,
    reply: bool,
) -> String {
    let lang = config.instance.default_language.as_str();
    let (title, asso, span) = (
        escape(&mission.title),
        escape(association.label()),
        escape(&crate::i18n::short_span(
            crate::i18n::Lang::or_reference(lang),
            slot.start_time,
            slot.end_time,
            config.timezone(),
        )),
    );
    let link = escape(link);
    let a = format!("<a href=\"{link}\">{link}</a>");
    match (lang, reply) {
        ("en", false) => format!(
            "<p>Hello! You asked to sign up for “{title}” with {asso}, on {span}.</p>\
             <p>To confirm, open this link (valid for 48 hours): {a}</p>\
             <p>If you did not ask for anything, just ignore this message.</p>"
        ),
        ("en", true) => format!(
            "<p>Thank you for your message: {asso} has received it.</p>\
             <p>To sign up for “{title}”, on {span}, open this link (valid for 48 hours): {a}</p>"
        ),
        (_, false) => format!(
            "<p>Bonjour ! Vous avez demandé à vous inscrire à « {title} » avec {asso}, le {span}.</p>\
             <p>Pour confirmer, ouvrez ce lien (valable 48 heures) : {a}</p>\
             <p>Si vous n'avez rien demandé, ignorez simplement ce message.</p>"
        ),
        (_, true) => format!(
            "<p>Merci pour votre message : {asso} l'a bien reçu.</p>\
             <p>Pour vous inscrire à « {title} », le {span}, ouvrez ce lien (valable 48 heures) : {a}</p>"
        ),
    }
}

/// The answer to a reply when no slot can be offered.
fn no_slot_message(config: &Config, mission: &Mission, association: &Actor) -> String {
    let (title, asso) = (escape(&mission.title), escape(association.label()));
    if config.instance.default_language == "en" {
        format!("<p>Thank you for your message: {asso} has received it. “{title}” has no slot open for sign-up at the moment.</p>")
    } else {
        format!("<p>Merci pour votre message : {asso} l'a bien reçu. « {title} » n'a pas de créneau ouvert aux inscriptions pour le moment.</p>")
    }
}

/// How a sign-up made through a link stands, for a direct message (`None`: nothing to say).
pub fn status_message(
    config: &Config,
    mission: &Mission,
    slot: &Slot,
    association: &Actor,
    p: &Participation,
) -> Option<String> {
    let lang = config.instance.default_language.as_str();
    let (title, asso, span) = (
        escape(&mission.title),
        escape(association.label()),
        escape(&crate::i18n::short_span(
            crate::i18n::Lang::or_reference(lang),
            slot.start_time,
            slot.end_time,
            config.timezone(),
        )),
    );
    let page = escape(&mission.url);
    let reason = escape(&p.reason);
    let en = lang == "en";
    let text = match p.status {
        ParticipationStatus::Accepted if en => format!("<p>It is confirmed: you are signed up for “{title}” with {asso}, on {span}. Thank you! {page}</p>"),
        ParticipationStatus::Accepted => format!("<p>C'est confirmé : vous êtes inscrit·e à « {title} » avec {asso}, le {span}. Merci ! {page}</p>"),
        ParticipationStatus::Pending if en => format!("<p>Your request for “{title}” with {asso}, on {span}, has been received. The association will answer you.</p>"),
        ParticipationStatus::Pending => format!("<p>Votre demande pour « {title} » avec {asso}, le {span}, est bien reçue. L'association va vous répondre.</p>"),
        ParticipationStatus::Rejected if en && !reason.is_empty() => format!("<p>Your request for “{title}”, on {span}, was not accepted. The association says: {reason}</p>"),
        ParticipationStatus::Rejected if en => format!("<p>Your request for “{title}”, on {span}, was not accepted.</p>"),
        ParticipationStatus::Rejected if !reason.is_empty() => format!("<p>Votre demande pour « {title} », le {span}, n'a pas été retenue. L'association précise : {reason}</p>"),
        ParticipationStatus::Rejected => format!("<p>Votre demande pour « {title} », le {span}, n'a pas été retenue.</p>"),
        ParticipationStatus::Withdrawn if p.reason == "slot_cancelled" && en => format!("<p>The slot of {span} for “{title}” is cancelled: your sign-up is cancelled too. Sorry!</p>"),
        ParticipationStatus::Withdrawn if p.reason == "slot_cancelled" => format!("<p>Le créneau du {span} pour « {title} » est annulé : votre inscription l'est aussi. Désolé !</p>"),
        ParticipationStatus::Withdrawn if en => format!("<p>Your sign-up for “{title}”, on {span}, is cancelled.</p>"),
        ParticipationStatus::Withdrawn => format!("<p>Votre inscription à « {title} », le {span}, est annulée.</p>"),
    };
    Some(text)
}

/// Whether the slot can be offered now, and why not.
async fn slot_refusal(
    store: &dyn Store,
    slot: &Slot,
    mission: &Mission,
    person: &Actor,
    now: DateTime<Utc>,
) -> Result<Option<Refusal>> {
    if mission.deleted_at.is_some() || mission.status != MissionStatus::Published {
        return Ok(Some(Refusal::Closed));
    }
    if let Some(r) = slot.closed_reason(now) {
        return Ok(Some(r));
    }
    if slot.remaining() == 0 {
        return Ok(Some(Refusal::Full));
    }
    let who = Participant::Remote {
        actor_ap_id: person.ap_id.clone(),
    };
    if store.active_participation(slot.id, &who).await?.is_some() {
        return Ok(Some(Refusal::AlreadySignedUp));
    }
    Ok(None)
}

async fn too_many_links(store: &dyn Store, person: &Actor, now: DateTime<Utc>) -> Result<bool> {
    Ok(store
        .count_confirmations_since(&person.ap_id, now - Duration::hours(1))
        .await?
        >= LINKS_PER_HOUR)
}

/// A new link for `person` on `slot`, its hash for storage and the message that carries it.
fn new_link(
    config: &Config,
    mission: &Mission,
    slot: &Slot,
    association: &Actor,
    person: &Actor,
    reply_to: Option<&str>,
    now: DateTime<Utc>,
) -> (NewConfirmation, Outgoing) {
    let (token, hash) = accounts::new_secret();
    let link = format!("{}/confirm/{token}", config.base());
    let confirmation =
        NewConfirmation::new(hash, slot.id, person.ap_id.clone(), join_id(config), now);
    let message = Outgoing::DirectMessage {
        from_actor_id: association.id,
        to_actor_ap_id: person.ap_id.clone(),
        content_html: link_message(
            config,
            mission,
            slot,
            association,
            &link,
            reply_to.is_some(),
        ),
        in_reply_to: reply_to.map(str::to_string),
    };
    (confirmation, message)
}

/// A remote person (already resolved from what they typed) asks for a place in one of our
/// slots: a one-time link goes to them by direct message.
pub async fn send_link(
    store: &dyn Store,
    config: &Config,
    slot: &Slot,
    person: &Actor,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Confirmation, LinkRefused>> {
    if !slot.local || person.local {
        return Err(ServiceError::Forbidden(
            "links are sent to accounts of other servers, for slots of this one",
        ));
    }
    let (mission, association) = super::missions::local_mission(store, slot.mission_id).await?;
    if let Some(r) = slot_refusal(store, slot, &mission, person, now).await? {
        return Ok(Err(LinkRefused::Slot(r)));
    }
    if too_many_links(store, person, now).await? {
        return Ok(Err(LinkRefused::TooMany));
    }
    let (link, message) = new_link(config, &mission, slot, &association, person, None, now);
    Ok(Ok(store.create_confirmation(link, message, now).await?))
}

/// What a link would confirm, if it can still be used.
pub async fn preview(
    store: &dyn Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Preview>> {
    let Some(confirmation) = store
        .find_confirmation(&accounts::hash_secret(token))
        .await?
    else {
        return Ok(None);
    };
    if !confirmation.usable(now) {
        return Ok(None);
    }
    let slot = store.get_slot(confirmation.slot_id).await?;
    let (mission, association) = match super::missions::local_mission(store, slot.mission_id).await
    {
        Ok(found) => found,
        Err(ServiceError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let person = store.find_actor_by_ap_id(&confirmation.actor_ap_id).await?;
    Ok(Some(Preview {
        confirmation,
        slot,
        mission,
        association,
        person,
    }))
}

/// Uses a link: the link is spent (exactly once, even if clicked twice at the same moment) and
/// the person is signed up as the mission's join mode says.
pub async fn confirm(store: &dyn Store, token: &str, now: DateTime<Utc>) -> Result<Confirmed> {
    let Some(c) = store
        .take_confirmation(&accounts::hash_secret(token), now)
        .await?
    else {
        return Ok(Confirmed::Gone);
    };
    let outcome = async {
        let slot = store.get_slot(c.slot_id).await?;
        let mission = store.get_mission(slot.mission_id).await?;
        let request = SignUp {
            slot_id: slot.id,
            participant: Participant::Remote {
                actor_ap_id: c.actor_ap_id.clone(),
            },
            join_ap_id: c.join_ap_id.clone(),
            message: String::new(),
            auto_accept: mission.join_mode == JoinMode::Free,
            record_refusal: false,
        };
        store.sign_up(request, now).await
    }
    .await;
    match outcome {
        Ok(SignUpOutcome::Recorded(p) | SignUpOutcome::Existing(p)) => Ok(Confirmed::Done(p)),
        Ok(SignUpOutcome::Refused(r, _)) => Ok(Confirmed::Refused(r, c.slot_id)),
        Err(e) => {
            // Nothing was signed up: the link stays usable for another try.
            store.release_confirmation(c.id).await?;
            Err(e.into())
        }
    }
}

/// A reply to one of our missions (or slots) that mentions its association: kept as interest,
/// and answered by direct message with a link for the slot replied to, or the next open one.
/// False when this reply was already kept (redelivered or edited).
// The use case's inputs plus its instant (`now`, from the caller's clock).
#[allow(clippy::too_many_arguments)]
pub async fn record_reply(
    store: &dyn Store,
    config: &Config,
    mission: &Mission,
    replied_slot: Option<&Slot>,
    person: &Actor,
    note_ap_id: &str,
    content_html: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let association = store.get_actor(mission.actor_id).await?;
    let content: String = super::text::html_to_text(content_html)
        .chars()
        .take(INTEREST_MAX_CHARS)
        .collect();
    let interest = NewInterest {
        mission_id: mission.id,
        actor_ap_id: person.ap_id.clone(),
        note_ap_id: note_ap_id.to_string(),
        content,
    };
    let mut candidates: Vec<Slot> = match replied_slot {
        Some(s) => vec![s.clone()],
        None => Vec::new(),
    };
    candidates.extend(
        store
            .list_slots(mission.id)
            .await?
            .into_iter()
            .filter(|s| s.local),
    );
    let mut offered = None;
    for slot in &candidates {
        if slot_refusal(store, slot, mission, person, now)
            .await?
            .is_none()
        {
            offered = Some(slot);
            break;
        }
    }
    let (link, answer) = if too_many_links(store, person, now).await? {
        (None, None) // keep the interest, send nothing more to this account for now
    } else if let Some(slot) = offered {
        let (link, message) = new_link(
            config,
            mission,
            slot,
            &association,
            person,
            Some(note_ap_id),
            now,
        );
        (Some(link), Some(message))
    } else {
        let message = Outgoing::DirectMessage {
            from_actor_id: association.id,
            to_actor_ap_id: person.ap_id.clone(),
            content_html: no_slot_message(config, mission, &association),
            in_reply_to: Some(note_ap_id.to_string()),
        };
        (None, Some(message))
    };
    Ok(store.record_interest(interest, link, answer, now).await?)
}

/// The replies kept for a mission, with their authors when known (its coordinators only).
pub async fn interests(
    store: &dyn Store,
    user: &User,
    mission_id: i64,
) -> Result<(Mission, Vec<(Interest, Option<Actor>)>)> {
    let (mission, association) = super::missions::local_mission(store, mission_id).await?;
    match accounts::role_in(store, user, &association).await? {
        Some(r) if r.can_manage_missions() => {}
        _ => {
            return Err(ServiceError::Forbidden(
                "only the association's coordinators may see who showed interest",
            ))
        }
    }
    let mut out = Vec::new();
    for i in store.list_interests(mission.id).await? {
        let author = store.find_actor_by_ap_id(&i.actor_ap_id).await?;
        out.push((i, author));
    }
    Ok((mission, out))
}

/// Whether a sign-up came through a link this node sent (its id is ours) rather than a
/// remote `Join`: such people hear how it stands by direct message.
pub fn came_through_link(config: &Config, p: &Participation) -> bool {
    p.join_ap_id.starts_with(&format!("{}/", config.base()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_messages() {
        assert_eq!(
            escape("<b>\"A\" & 'B'</b>"),
            "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("Épicerie · 9 h"), "Épicerie · 9 h");
    }
}
