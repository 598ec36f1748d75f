//! Associations coming in by themselves (issue 14): a logged-in person asks for a new
//! association, the node's administrators approve (the `Group` is created with its keys, the
//! author as its coordinator) or refuse with a reason; an association's coordinators change
//! its page (names, details, logo).

use super::{accounts::generate_keys, files::clean_photo_bounded, missions::require_manager};
use super::{Result, ServiceError};
use crate::{
    domain::{
        account::User,
        actor::{Actor, ActorKind, NewLocalActor},
        association::{
            check_reason, AssociationDetails, AssociationNames, AssociationRequest, RequestStatus,
        },
        Denial, DomainError, FieldError, FieldErrors,
    },
    storage::{
        AccountStore, ActorStore, AssociationProfile, AssociationStore, LogoChange, StoreError,
    },
};
use chrono::{DateTime, Utc};

/// The largest logo accepted before cleaning, in bytes (as equipment photos).
pub const MAX_LOGO_BYTES: usize = super::files::MAX_BYTES;

/// A logo or a picture sent: checked (size, format, decoding limits) and re-encoded as a
/// JPEG without metadata, as equipment photos are, on the blocking threads; an error on
/// `field`.
pub async fn clean_image(field: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    if bytes.is_empty() {
        return Err(DomainError::field(field, FieldError::new("file_required")).into());
    }
    if bytes.len() > super::files::MAX_BYTES {
        return Err(
            DomainError::field(field, FieldError::new("file_too_big").num("mb", 10)).into(),
        );
    }
    clean_photo_bounded(bytes.to_vec())
        .await?
        .map_err(|e| DomainError::field(field, e).into())
}

/// Whether the name is free: no local `Group`, no waiting request (a `name_taken` error on
/// `name` otherwise).
async fn check_name_free<S: ActorStore + AssociationStore + ?Sized>(
    store: &S,
    name: &str,
) -> Result<()> {
    let taken = store
        .find_local_actor(ActorKind::Group.as_str(), name)
        .await?
        .is_some()
        || !store
            .list_association_requests(Some(RequestStatus::Pending), None)
            .await?
            .iter()
            .all(|r| r.names.name != name);
    if taken {
        return Err(
            DomainError::field("name", FieldError::new("name_taken").text("value", name)).into(),
        );
    }
    Ok(())
}

/// A logged-in person asks for a new association.
pub async fn request<S: ActorStore + AssociationStore + ?Sized>(
    store: &S,
    user: &User,
    names: AssociationNames,
    details: AssociationDetails,
    logo: Option<&[u8]>,
    now: DateTime<Utc>,
) -> Result<AssociationRequest> {
    let names = names.normalised();
    let details = details.normalised();
    let mut errors = FieldErrors::new();
    names.check(&mut errors);
    details.check(&mut errors);
    errors.into_result(())?;
    let logo = match logo.filter(|b| !b.is_empty()) {
        Some(bytes) => Some(clean_image("logo", bytes).await?),
        None => None,
    };
    check_name_free(store, &names.name).await?;
    match store
        .create_association_request(user.id, &names, &details, logo.as_deref(), now)
        .await
    {
        // Asked for at the same moment by someone else.
        Err(StoreError::Conflict(_)) => Err(DomainError::field(
            "name",
            FieldError::new("name_taken").text("value", names.name.as_str()),
        )
        .into()),
        other => Ok(other?),
    }
}

fn require_admin(user: &User) -> Result<()> {
    if user.is_admin {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(Denial::new("admins_only")))
    }
}

/// The requests for the node's administrators: those waiting (or all).
pub async fn requests(
    store: &dyn AssociationStore,
    user: &User,
    pending_only: bool,
) -> Result<Vec<AssociationRequest>> {
    require_admin(user)?;
    Ok(store
        .list_association_requests(pending_only.then_some(RequestStatus::Pending), None)
        .await?)
}

/// A person's own requests.
pub async fn my_requests(
    store: &dyn AssociationStore,
    user: &User,
) -> Result<Vec<AssociationRequest>> {
    Ok(store.list_association_requests(None, Some(user.id)).await?)
}

/// A request's logo: for the administrators and its author.
pub async fn request_logo(store: &dyn AssociationStore, user: &User, id: i64) -> Result<Vec<u8>> {
    let r = store.get_association_request(id).await?;
    if !user.is_admin && r.user_id != user.id {
        return Err(ServiceError::NotFound("association request"));
    }
    store
        .association_request_logo(id)
        .await?
        .ok_or(ServiceError::NotFound("logo"))
}

fn answered(e: StoreError) -> ServiceError {
    match e {
        StoreError::Conflict(_) => ServiceError::Conflict(Denial::new("request_answered")),
        other => other.into(),
    }
}

/// An administrator approves: the association is created (a `Group` with its keys, the
/// request's details and logo), its author is its coordinator and is told by email.
pub async fn approve<S: AccountStore + ActorStore + AssociationStore + ?Sized>(
    store: &S,
    base: &str,
    host: &str,
    user: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(AssociationRequest, Actor)> {
    require_admin(user)?;
    let r = store.get_association_request(id).await?;
    if r.status != RequestStatus::Pending {
        return Err(ServiceError::Conflict(Denial::new("request_answered")));
    }
    if store
        .find_local_actor(ActorKind::Group.as_str(), &r.names.name)
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict(
            Denial::new("association_exists").text("name", r.names.name.as_str()),
        ));
    }
    let keys = generate_keys().await?;
    let actor = NewLocalActor {
        kind: ActorKind::Group,
        name: r.names.name.clone(),
        display_name: r.names.display_name.clone(),
        summary: r.names.summary.clone(),
        public_key_pem: keys.public_key,
        private_key_pem: keys.private_key,
        user_id: None,
    };
    let ap_id = format!("{base}/g/{}", r.names.name);
    match store
        .approve_association_request(id, actor, &ap_id, host, now)
        .await
    {
        Err(StoreError::Conflict("actor")) => Err(ServiceError::Conflict(
            Denial::new("association_exists").text("name", r.names.name.as_str()),
        )),
        other => other.map_err(answered),
    }
}

/// An administrator refuses, saying why; the author is told by email.
pub async fn refuse(
    store: &dyn AssociationStore,
    user: &User,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<AssociationRequest> {
    require_admin(user)?;
    check_reason(reason)?;
    store
        .refuse_association_request(id, reason.trim(), now)
        .await
        .map_err(answered)
}

/// What a local association says of itself.
pub async fn profile(
    store: &dyn AssociationStore,
    association: &Actor,
) -> Result<AssociationProfile> {
    Ok(store.association_profile(association.id).await?)
}

/// A local association's logo (JPEG) and when it changed.
pub async fn logo<S: ActorStore + AssociationStore + ?Sized>(
    store: &S,
    name: &str,
) -> Result<(Vec<u8>, DateTime<Utc>)> {
    let a = super::missions::association(store, name).await?;
    store
        .association_logo(a.id)
        .await?
        .ok_or(ServiceError::NotFound("logo"))
}

/// A change of an association's page: each part left out stays as it is.
#[derive(Debug, Clone, Default)]
pub struct AssociationChange {
    pub display_name: Option<String>,
    pub summary: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub categories: Option<Vec<String>>,
    /// A new logo (its bytes as sent).
    pub logo: Option<Vec<u8>>,
    pub remove_logo: bool,
}

/// A coordinator changes the association's page; its followers get `Update{Group}`.
pub async fn update<S: ActorStore + AssociationStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
    change: AssociationChange,
    now: DateTime<Utc>,
) -> Result<Actor> {
    let a = super::missions::association(store, name).await?;
    require_manager(store, user, &a).await?;
    let current = store.association_profile(a.id).await?.details;
    let names = AssociationNames {
        name: a.name.clone(),
        display_name: change
            .display_name
            .unwrap_or_else(|| a.display_name.clone()),
        summary: change.summary.unwrap_or_else(|| a.summary.clone()),
    }
    .normalised();
    let details = AssociationDetails {
        address: change.address.unwrap_or(current.address),
        email: change.email.unwrap_or(current.email),
        phone: change.phone.unwrap_or(current.phone),
        website: change.website.unwrap_or(current.website),
        categories: change.categories.unwrap_or(current.categories),
    }
    .normalised();
    let mut errors = FieldErrors::new();
    names.check_texts(&mut errors);
    details.check(&mut errors);
    errors.into_result(())?;
    let logo = match change.logo.filter(|b| !b.is_empty()) {
        Some(bytes) => LogoChange::Set(clean_image("logo", &bytes).await?),
        None if change.remove_logo => LogoChange::Remove,
        None => LogoChange::Keep,
    };
    store
        .update_association(
            a.id,
            &names.display_name,
            &names.summary,
            &details,
            logo,
            now,
        )
        .await?;
    Ok(store.get_actor(a.id).await?)
}
