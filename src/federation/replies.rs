//! Replies to our missions. Mastodon cannot send `Join`, but its users can answer a mission's
//! post: a `Create{Note}` whose `inReplyTo` is one of our missions (or slots) and which
//! mentions the association (a `Mention` tag, or the association in `to`/`cc`) is kept as
//! interest for the coordinators and answered by direct message with a sign-up link.
//! Other notes are not for us and are ignored.

use super::{
    error::FedError,
    objects::{host_of, ApubActor},
    protocol::{parse_object, NoteIn},
};
use crate::{
    domain::{mission::Mission, slot::Slot},
    state::Context,
};
use activitypub_federation::traits::Object;
use serde_json::Value;

/// Whether the note mentions the actor `ap_id`, by tag or by addressing.
pub fn mentions(note: &NoteIn, ap_id: &str) -> bool {
    let tagged = note.tag.iter().any(|t| {
        t.kind.as_deref() == Some("Mention") && t.href.as_ref().is_some_and(|h| h.as_str() == ap_id)
    });
    let addressed = note.to.iter().chain(&note.cc).any(|u| u.as_str() == ap_id);
    tagged || addressed
}

/// The note's text: `content`, or the first entry of `contentMap`.
fn content_of(note: &NoteIn) -> String {
    note.content
        .clone()
        .or_else(|| note.content_in_a_language.clone())
        .unwrap_or_default()
}

/// The local mission (and slot, when a slot was answered) a note replies to.
async fn replied_to(
    ctx: &Context,
    parent: &str,
) -> Result<Option<(Mission, Option<Slot>)>, FedError> {
    if let Some(m) = ctx.store.find_mission_by_ap_id(parent).await? {
        return Ok((m.local && m.deleted_at.is_none()).then_some((m, None)));
    }
    if let Some(s) = ctx
        .store
        .find_slot_by_ap_id(parent)
        .await?
        .filter(|s| s.local)
    {
        let m = ctx.store.get_mission(s.mission_id).await?;
        return Ok(m.deleted_at.is_none().then_some((m, Some(s))));
    }
    Ok(None)
}

/// A `Create` or `Update` of a `Note` arrived.
pub async fn note(ctx: &Context, object: &Value, actor: &ApubActor) -> Result<(), FedError> {
    if !object.is_object() {
        return Ok(()); // a bare id: we do not fetch notes of others
    }
    let note: NoteIn = parse_object("Note", object)?;
    let Some(note_id) = &note.id else {
        return Err(FedError::BadRequest("the note has no valid id".into()));
    };
    if host_of(note_id) != host_of(actor.id()) {
        return Err(FedError::Forbidden(
            "a note must come from its own server".into(),
        ));
    }
    if note.attributed_to.as_ref() != Some(actor.id()) {
        return Err(FedError::Forbidden(
            "a note must be attributed to the actor that sends it".into(),
        ));
    }
    let Some(parent) = &note.in_reply_to else {
        return Ok(());
    };
    let Some((mission, slot)) = replied_to(ctx, parent.as_str()).await? else {
        return Ok(());
    };
    let association = ctx.store.get_actor(mission.actor_id).await?;
    if !mentions(&note, &association.ap_id) {
        tracing::debug!(note = %note_id, "reply to a mission without a mention of its association: ignored");
        return Ok(());
    }
    let new = crate::service::fediverse::record_reply(
        ctx.store.as_ref(),
        &ctx.config,
        &mission,
        slot.as_ref(),
        &actor.actor,
        note_id.as_str(),
        &content_of(&note),
        ctx.clock.now(),
    )
    .await?;
    if new {
        ctx.wake.notify_waiters();
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    const ASSO: &str = "https://asso.example/g/epicerie";

    fn note(v: Value) -> NoteIn {
        parse_object("Note", &v).unwrap()
    }

    fn mentions(v: &Value, ap_id: &str) -> bool {
        super::mentions(&note(v.clone()), ap_id)
    }

    fn content_of(v: &Value) -> String {
        super::content_of(&note(v.clone()))
    }

    #[test]
    fn a_mention_by_tag_or_by_address() {
        let tagged = json!({"tag": [{"type": "Hashtag", "name": "#x"}, {"type": "Mention", "href": ASSO, "name": "@epicerie@asso.example"}]});
        assert!(mentions(&tagged, ASSO));
        let single = json!({"tag": {"type": "Mention", "href": ASSO}});
        assert!(mentions(&single, ASSO));
        assert!(mentions(&json!({"cc": ASSO}), ASSO));
        assert!(mentions(
            &json!({"to": ["https://www.w3.org/ns/activitystreams#Public", ASSO]}),
            ASSO
        ));
        assert!(!mentions(
            &json!({"tag": [{"type": "Hashtag", "href": ASSO}]}),
            ASSO
        ));
        assert!(!mentions(
            &json!({"to": ["https://other.example/u/x"], "tag": []}),
            ASSO
        ));
        assert!(!mentions(&json!({}), ASSO));
    }

    #[test]
    fn content_or_content_map() {
        assert_eq!(content_of(&json!({"content": "<p>hi</p>"})), "<p>hi</p>");
        assert_eq!(content_of(&json!({"contentMap": {"fr": "salut"}})), "salut");
        assert_eq!(content_of(&json!({})), "");
    }
}
