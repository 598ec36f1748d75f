//! Direct messages to people on other servers, for those whose software cannot take part
//! through `Join` (Mastodon): a `Create{Note}` from a local actor addressed to the person
//! alone (`to` = them, `cc` empty) with a `Mention` of them, which Mastodon shows as a private
//! mention. The note is not served at its id: it is private, and Mastodon reads it embedded.

use super::{
    context::with_context,
    error::FedError,
    protocol::{Activity, ActivityType, Note, NoteType, Tag},
};
use crate::{
    domain::{
        actor::Actor,
        slot::{Participant, Participation},
    },
    notify::{DirectMessage, DirectMessages, NotifyError},
    service::fediverse::escape,
    state::Context,
    storage::NewDelivery,
};

use serde_json::Value;
use std::collections::BTreeMap;

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
    let content = format!("<p>{mention}</p>{content_html}");
    let note = Note {
        id: note_id.clone(),
        kind: NoteType::Note,
        attributed_to: signer.ap_id.clone(),
        to: vec![target.ap_id.clone()],
        cc: Vec::new(),
        published: Some(now.clone()),
        content_map: BTreeMap::from([(
            ctx.config.instance.default_language.clone(),
            content.clone(),
        )]),
        content,
        tag: vec![Tag::mention(&target.ap_id, &target.handle())],
        in_reply_to: in_reply_to.map(str::to_string),
    };
    let activity = Activity {
        published: Some(now),
        // Empty, not absent: Mastodon reads a note without `cc` the same, others may not.
        cc: Some(Vec::new()),
        ..Activity::new(
            format!("{note_id}/activity"),
            ActivityType::Create,
            &signer.ap_id,
            vec![target.ap_id.clone()],
            note,
        )
    };
    let activity = super::outbox::wire(&activity)?;
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

impl DirectNote {
    /// The delivery of this note: one signed POST to the person's inbox.
    pub fn into_delivery(self) -> NewDelivery {
        NewDelivery {
            activity_ap_id: self
                .activity
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            signer_actor_id: self.signer.id,
            inbox: self.inbox,
            payload: with_context(self.activity).to_string(),
        }
    }
}

/// The federation side of [`DirectMessages`]: notices become `Create{Note}` deliveries.
pub struct Courier;

#[async_trait::async_trait]
impl DirectMessages for Courier {
    async fn delivery(
        &self,
        ctx: &Context,
        message: &DirectMessage,
    ) -> Result<Option<NewDelivery>, NotifyError> {
        let note = note(
            ctx,
            message.from_actor_id,
            &message.to_actor_ap_id,
            &message.content_html,
            None,
        )
        .await
        .map_err(|e| match e {
            FedError::Store(s) => NotifyError::Store(s),
            other => NotifyError::Direct(other.to_string()),
        })?;
        Ok(note.map(DirectNote::into_delivery))
    }
}
