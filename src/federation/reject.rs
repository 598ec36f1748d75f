//! `Reject` of something another server sent, with the reason (a `Join`, hours, an `Offer`).

use super::outbox::{activity_id, Send};
use super::{error::FedError, protocol::Activity, protocol::ActivityType};
use crate::{domain::actor::Actor, state::Context};
use serde::Serialize;

/// `Reject` of `object` with `reason`, from `signer` to one actor (`to`, at `inbox`).
pub(super) fn refusal<O: Serialize>(
    ctx: &Context,
    signer: Actor,
    to: &str,
    inbox: &str,
    object: O,
    reason: &str,
) -> Result<Vec<Send>, FedError> {
    let kind = ActivityType::Reject;
    let activity = Activity::new(
        activity_id(ctx, kind),
        kind,
        &signer.ap_id,
        vec![to.into()],
        object,
    )
    .with_reason(reason);
    Ok(vec![Send::one(signer, &activity, inbox)?])
}
