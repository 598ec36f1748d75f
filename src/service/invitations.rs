//! Invitations (issue 14): a coordinator invites someone by email to join the association as
//! a member or a coordinator; the email's link works once, for [`INVITATION_DAYS`] days, for
//! the account with that email address.

use super::{accounts::hash_secret, accounts::new_secret, missions::require_manager};
use super::{Result, ServiceError};
use crate::{
    domain::{
        account::{validate_email, User},
        actor::Actor,
        association::{parse_invited_role, Invitation, InvitationState, INVITATION_DAYS},
        Denial, FieldErrors,
    },
    storage::{ActorStore, InvitationStore, NewInvitation},
};
use chrono::{DateTime, Duration, Utc};

/// Invites `email` to `association` with this role; the email leaves through the mail queue.
/// Returns the invitation and its link's secret (shown to nobody but the email's reader).
pub async fn invite<S: ActorStore + InvitationStore + ?Sized>(
    store: &S,
    user: &User,
    association: &str,
    email: &str,
    role: &str,
    now: DateTime<Utc>,
) -> Result<(Invitation, String)> {
    let a = super::missions::association(store, association).await?;
    require_manager(store, user, &a).await?;
    let email = email.trim();
    let mut errors = FieldErrors::new();
    validate_email(email, &mut errors);
    let role = match parse_invited_role(role.trim()) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.add("role", e);
            None
        }
    };
    errors.into_result(())?;
    let role = role.ok_or_else(|| ServiceError::Internal("role".into()))?;
    let (secret, hash) = new_secret();
    let inv = store
        .create_invitation(
            NewInvitation {
                actor_id: a.id,
                email: email.to_string(),
                role,
                invited_by: user.id,
                expires_at: now + Duration::days(INVITATION_DAYS),
                token_hash: hash,
            },
            &secret,
            now,
        )
        .await?;
    Ok((inv, secret))
}

/// The association's invitations not used nor withdrawn yet (expired ones included, marked
/// so by their state), newest first.
pub async fn pending<S: ActorStore + InvitationStore + ?Sized>(
    store: &S,
    user: &User,
    association: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(Invitation, InvitationState)>> {
    let a = super::missions::association(store, association).await?;
    require_manager(store, user, &a).await?;
    Ok(store
        .list_invitations(a.id)
        .await?
        .into_iter()
        .map(|i| {
            let s = i.state(now);
            (i, s)
        })
        .filter(|(_, s)| matches!(s, InvitationState::Open | InvitationState::Expired))
        .collect())
}

/// A coordinator withdraws an invitation not used yet.
pub async fn revoke<S: ActorStore + InvitationStore + ?Sized>(
    store: &S,
    user: &User,
    association: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let a = super::missions::association(store, association).await?;
    require_manager(store, user, &a).await?;
    if store.revoke_invitation(a.id, id, now).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound("invitation"))
    }
}

/// The invitation a link's secret opens, with its association (an unknown secret is as
/// unknown as a missing page).
pub async fn by_token<S: ActorStore + InvitationStore + ?Sized>(
    store: &S,
    token: &str,
) -> Result<(Invitation, Actor)> {
    let inv = store
        .find_invitation(&hash_secret(token))
        .await?
        .ok_or(ServiceError::NotFound("invitation"))?;
    let a = store.get_actor(inv.actor_id).await?;
    Ok((inv, a))
}

/// The person logged in takes the invitation: the role is theirs (never lowering one they
/// have), the link is spent. Refused when used, withdrawn, expired or sent to another address.
pub async fn accept<S: ActorStore + InvitationStore + ?Sized>(
    store: &S,
    user: &User,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(Invitation, Actor)> {
    let (inv, a) = by_token(store, token).await?;
    match store
        .accept_invitation(inv.id, user.id, user.email.as_deref(), now)
        .await?
    {
        Ok(inv) => Ok((inv, a)),
        Err(code) => Err(ServiceError::Conflict(Denial::new(code))),
    }
}
