//! Direct messages to people on other servers, for those whose software cannot take part
//! through `Join` (Mastodon): a `Create{Note}` from a local actor addressed to the person
//! alone (`to` = them, `cc` empty) with a `Mention` of them, which Mastodon shows as a private
//! mention. The note is not served at its id: it is private, and Mastodon reads it embedded.

use super::error::FedError;
use crate::{
    domain::{
        actor::Actor,
        slot::{Participant, Participation},
    },
    service::fediverse::escape,
    state::Context,
};
use serde_json::{json, Value};

/// A direct message ready to be delivered.
pub struct DirectNote {
    pub signer: Actor,
    pub activity: Value,
    pub inbox: String,
}

/// The `Create{Note}` for one person; `None` when they are unknown here or local (nobody to
/// deliver to on another server).
pub async fn note(
    ctx: &Context,
    from_actor_id: i64,
    to_actor_ap_id: &str,
    content_html: &str,
    in_reply_to: Option<&str>,
) -> Result<Option<DirectNote>, FedError> {
    let signer = ctx.store.get_actor(from_actor_id).await?;
    let Some(target) = ctx
        .store
        .find_actor_by_ap_id(to_actor_ap_id)
        .await?
        .filter(|a| !a.local)
    else {
        tracing::info!(
            to = to_actor_ap_id,
            "direct message to an unknown account dropped"
        );
        return Ok(None);
    };
    let now = ctx.clock.now().to_rfc3339();
    let note_id = format!("{}/notes/{}", ctx.config.base(), uuid::Uuid::new_v4());
    // Mastodon's own markup for a mention, so the name shows as a link to the profile.
    let profile = target.url.clone().unwrap_or_else(|| target.ap_id.clone());
    let mention = format!(
        "<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
        escape(&profile),
        escape(&target.name)
    );
    let mut object = json!({
        "id": note_id,
        "type": "Note",
        "attributedTo": signer.ap_id,
        "to": [target.ap_id],
        "cc": [],
        "published": now,
        "content": format!("<p>{mention}</p>{content_html}"),
        "contentMap": {ctx.config.instance.default_language.as_str(): format!("<p>{mention}</p>{content_html}")},
        "tag": [{"type": "Mention", "href": target.ap_id, "name": target.handle()}],
    });
    if let Some(parent) = in_reply_to {
        object["inReplyTo"] = json!(parent);
    }
    let activity = json!({
        "id": format!("{note_id}/activity"),
        "type": "Create",
        "actor": signer.ap_id,
        "published": now,
        "to": [target.ap_id],
        "cc": [],
        "object": object,
    });
    Ok(Some(DirectNote {
        signer,
        activity,
        inbox: target.inbox.clone(),
    }))
}

/// Someone who signed up through a link (no `Join` of theirs to answer) hears how it stands by
/// direct message: confirmed, waiting, refused (with the reason) or cancelled.
pub async fn participation_note(
    ctx: &Context,
    p: &Participation,
) -> Result<Option<DirectNote>, FedError> {
    let Participant::Remote { actor_ap_id } = &p.participant else {
        return Ok(None);
    };
    let slot = ctx.store.get_slot(p.slot_id).await?;
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    let association = ctx.store.get_actor(mission.actor_id).await?;
    let Some(text) =
        crate::service::fediverse::status_message(&ctx.config, &mission, &slot, &association, p)
    else {
        return Ok(None);
    };
    note(ctx, association.id, actor_ap_id, &text, None).await
}

/// Whether a sign-up came through a link sent here rather than a remote `Join`: its id is ours.
pub fn is_local_join(ctx: &Context, p: &Participation) -> bool {
    p.join_ap_id.starts_with(&format!("{}/", ctx.config.base()))
}
