//! An association's page changed (names, description, logo): `Update{Group}` with the whole
//! actor, as Mastodon sends `Update{Person}` when a profile changes, to its followers only; and
//! the same `Update{Person}` when a person's display name changes.

use super::outbox::{activity_id, follower_inboxes, followers_of, wire, Send};
use super::{error::FedError, objects::ApubActor, protocol::Activity, protocol::ActivityType};
use crate::{domain::events::Outgoing, state::Context};
use activitypub_federation::traits::Object;

/// What the events of associations coming in mean on the wire: an `Update{Group}` when its
/// page changed; nothing for an answer to a request nor an invitation (emails only, written by
/// `notify::plan`).
pub(super) async fn plan(ctx: &Context, event: &Outgoing) -> Result<Vec<Send>, FedError> {
    let (Outgoing::AssociationUpdated { actor_id } | Outgoing::ProfileUpdated { actor_id }) = event
    else {
        return Ok(Vec::new());
    };
    let owner = ctx.store.get_actor(*actor_id).await?;
    if owner.deleted_at.is_some() || !owner.local {
        return Ok(Vec::new());
    }
    let object = ApubActor::new(owner.clone())?.into_json(ctx).await?;
    let activity = Activity::new(
        activity_id(ctx, ActivityType::Update),
        ActivityType::Update,
        &owner.ap_id,
        Vec::new(),
        object,
    )
    .public(followers_of(&owner))
    .dated(ctx.clock.now().to_rfc3339());
    Ok(vec![Send {
        inboxes: follower_inboxes(ctx, &owner).await?,
        activity: wire(&activity)?,
        signer: owner,
    }])
}
