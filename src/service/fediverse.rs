//! People whose account is on Mastodon (or another fediverse server that cannot send `Join`):
//! they ask for a place with their fediverse address, receive a one-time link by direct
//! message, and confirm with one click; a reply to a mission is kept as interest and answered
//! with such a link. Resolving the address is the caller's job (federation); this layer
//! decides and records, with the message to send, in one transaction.

use super::{accounts, Result, ServiceError};
use crate::domain::Denial;
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
    i18n::{tr_args, Arg, Lang},
    storage::{ActorStore, FediverseStore, MissionStore, ParticipationStore, SignUp, Store},
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

/// The language of the direct messages this node sends: its own (the person is not ours, we
/// do not know theirs).
fn node_lang(config: &Config) -> Lang {
    Lang::or_reference(&config.instance.default_language)
}

/// What the sentences of a direct message about `slot` name, escaped for HTML: the mission's
/// title, the association and when the slot is.
fn named(
    config: &Config,
    lang: Lang,
    mission: &Mission,
    slot: &Slot,
    association: &Actor,
) -> Vec<(&'static str, Arg)> {
    let when = crate::i18n::short_span(lang, slot.start_time, slot.end_time, config.timezone());
    vec![
        ("title", escape(&mission.title).into()),
        ("association", escape(association.label()).into()),
        ("when", escape(&when).into()),
    ]
}

/// Sentences of the catalogue as HTML paragraphs, each with `args` (escaped already).
fn paragraphs(lang: Lang, ids: &[&str], args: &[(&str, Arg)]) -> String {
    ids.iter()
        .map(|id| format!("<p>{}</p>", tr_args(lang, id, args)))
        .collect()
}

/// A link and its message; `reply` says the person wrote to us first (rather than asking on
/// the mission page).
fn link_message(
    config: &Config,
    mission: &Mission,
    slot: &Slot,
    association: &Actor,
    link: &str,
    reply: bool,
) -> String {
    let lang = node_lang(config);
    let link = escape(link);
    let mut args = named(config, lang, mission, slot, association);
    args.push(("link", format!("<a href=\"{link}\">{link}</a>").into()));
    let ids: &[&str] = if reply {
        &["mail-fedi_reply_thanks", "mail-fedi_reply_link"]
    } else {
        &[
            "mail-fedi_link_intro",
            "mail-fedi_link_open",
            "mail-fedi_link_ignore",
        ]
    };
    paragraphs(lang, ids, &args)
}

/// The answer to a reply when no slot can be offered.
fn no_slot_message(config: &Config, mission: &Mission, association: &Actor) -> String {
    let args = [
        ("title", escape(&mission.title).into()),
        ("association", escape(association.label()).into()),
    ];
    paragraphs(node_lang(config), &["mail-fedi_reply_no_slot"], &args)
}

/// How a sign-up made through a link stands, for a direct message (`None`: nothing to say).
pub fn status_message(
    config: &Config,
    mission: &Mission,
    slot: &Slot,
    association: &Actor,
    p: &Participation,
) -> Option<String> {
    let lang = node_lang(config);
    let mut args = named(config, lang, mission, slot, association);
    args.push(("page", escape(&mission.url).into()));
    args.push(("reason", escape(&p.reason).into()));
    let id = match p.status {
        ParticipationStatus::Accepted => "mail-fedi_accepted",
        ParticipationStatus::Pending => "mail-fedi_pending",
        ParticipationStatus::Rejected if p.reason.is_empty() => "mail-fedi_rejected",
        ParticipationStatus::Rejected => "mail-fedi_rejected_reason",
        ParticipationStatus::Withdrawn if p.reason == "slot_cancelled" => {
            "mail-fedi_slot_cancelled"
        }
        ParticipationStatus::Withdrawn => "mail-fedi_withdrawn",
    };
    Some(paragraphs(lang, &[id], &args))
}

/// Whether the slot can be offered now, and why not.
async fn slot_refusal(
    store: &dyn ParticipationStore,
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

async fn too_many_links(
    store: &dyn FediverseStore,
    person: &Actor,
    now: DateTime<Utc>,
) -> Result<bool> {
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
        return Err(ServiceError::Forbidden(Denial::new(
            "links_remote_accounts",
        )));
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
pub async fn interests<S: ActorStore + FediverseStore + MissionStore + ?Sized>(
    store: &S,
    user: &User,
    mission_id: i64,
) -> Result<(Mission, Vec<(Interest, Option<Actor>)>)> {
    let (mission, association) = super::missions::local_mission(store, mission_id).await?;
    match accounts::role_in(store, user, &association).await? {
        Some(r) if r.can_manage_missions() => {}
        _ => {
            return Err(ServiceError::Forbidden(Denial::new(
                "coordinators_see_interest",
            )))
        }
    }
    let list = store.list_interests(mission.id).await?;
    let authors =
        super::actors::by_ap_ids(store, list.iter().map(|i| i.actor_ap_id.clone())).await?;
    let out = list
        .into_iter()
        .map(|i| {
            let author = authors.get(&i.actor_ap_id).cloned();
            (i, author)
        })
        .collect();
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
    use crate::domain::{examples, slot::Participant};
    use chrono::TimeZone;

    fn t(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 6, d, h, 0, 0)
            .single()
            .expect("date")
    }

    fn config(lang: &str) -> Config {
        let mut c = Config::default();
        c.instance.default_language = lang.into();
        c
    }

    fn sample() -> (Mission, Slot, Actor) {
        let mission = Mission {
            title: "Tri <rapide>".into(),
            category: "solidarity".into(),
            url: "https://a.example/m/1?a=1&b=2".into(),
            ..examples::mission(t(1, 7), t(30, 18))
        };
        let slot = examples::slot(t(14, 7), t(14, 10), t(2, 8));
        let association = Actor {
            display_name: "Épicerie & co".into(),
            ..examples::association(t(1, 6))
        };
        (mission, slot, association)
    }

    fn participation(status: ParticipationStatus, reason: &str) -> Participation {
        Participation {
            id: 3,
            slot_id: 7,
            participant: Participant::Remote {
                actor_ap_id: "https://r.example/u/vol".into(),
            },
            join_ap_id: "https://a.example/participations/x".into(),
            status,
            message: String::new(),
            reason: reason.into(),
            created_at: t(2, 8),
            decided_at: None,
        }
    }

    /// The direct messages, word for word in both languages, with what they name escaped.
    #[test]
    fn messages_say_what_they_said() {
        let (m, s, a) = sample();
        let link = "https://a.example/confirm/abc";
        let fr = config("fr");
        let en = config("en");
        assert_eq!(
            link_message(&fr, &m, &s, &a, link, false),
            "<p>Bonjour ! Vous avez demandé à vous inscrire à « Tri &lt;rapide&gt; » avec Épicerie &amp; co, le ven. 14 juin 2030, de 9 h à 12 h.</p>\
             <p>Pour confirmer, ouvrez ce lien (valable 48 heures) : <a href=\"https://a.example/confirm/abc\">https://a.example/confirm/abc</a></p>\
             <p>Si vous n'avez rien demandé, ignorez simplement ce message.</p>"
        );
        assert_eq!(
            link_message(&en, &m, &s, &a, link, true),
            "<p>Thank you for your message: Épicerie &amp; co has received it.</p>\
             <p>To sign up for “Tri &lt;rapide&gt;”, on Fri 14 Jun 2030, 09:00–12:00, open this link (valid for 48 hours): <a href=\"https://a.example/confirm/abc\">https://a.example/confirm/abc</a></p>"
        );
        assert_eq!(
            no_slot_message(&fr, &m, &a),
            "<p>Merci pour votre message : Épicerie &amp; co l'a bien reçu. « Tri &lt;rapide&gt; » n'a pas de créneau ouvert aux inscriptions pour le moment.</p>"
        );
        let status = |c: &Config, st, reason| {
            status_message(c, &m, &s, &a, &participation(st, reason)).expect("a message")
        };
        assert_eq!(
            status(&fr, ParticipationStatus::Accepted, ""),
            "<p>C'est confirmé : vous êtes inscrit·e à « Tri &lt;rapide&gt; » avec Épicerie &amp; co, le ven. 14 juin 2030, de 9 h à 12 h. Merci ! https://a.example/m/1?a=1&amp;b=2</p>"
        );
        assert_eq!(
            status(&en, ParticipationStatus::Rejected, "Trop <tard>"),
            "<p>Your request for “Tri &lt;rapide&gt;”, on Fri 14 Jun 2030, 09:00–12:00, was not accepted. The association says: Trop &lt;tard&gt;</p>"
        );
        assert_eq!(
            status(&fr, ParticipationStatus::Rejected, ""),
            "<p>Votre demande pour « Tri &lt;rapide&gt; », le ven. 14 juin 2030, de 9 h à 12 h, n'a pas été retenue.</p>"
        );
        assert_eq!(
            status(&fr, ParticipationStatus::Withdrawn, "slot_cancelled"),
            "<p>Le créneau du ven. 14 juin 2030, de 9 h à 12 h pour « Tri &lt;rapide&gt; » est annulé : votre inscription l'est aussi. Désolé !</p>"
        );
        assert_eq!(
            status(&en, ParticipationStatus::Pending, ""),
            "<p>Your request for “Tri &lt;rapide&gt;” with Épicerie &amp; co, on Fri 14 Jun 2030, 09:00–12:00, has been received. The association will answer you.</p>"
        );
        assert_eq!(
            status(&en, ParticipationStatus::Withdrawn, "self"),
            "<p>Your sign-up for “Tri &lt;rapide&gt;”, on Fri 14 Jun 2030, 09:00–12:00, is cancelled.</p>"
        );
    }

    #[test]
    fn text_is_escaped_for_messages() {
        assert_eq!(
            escape("<b>\"A\" & 'B'</b>"),
            "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("Épicerie · 9 h"), "Épicerie · 9 h");
    }
}
