//! Users, passwords, sessions and API tokens; associations and the node's own actor.

use super::{Result, ServiceError};
use crate::domain::Denial;
use crate::{
    domain::{
        account::{validate_email, validate_name, validate_password, ApiToken, Role, User},
        actor::{Actor, ActorKind, NewLocalActor},
        FieldError, FieldErrors,
    },
    storage::{AccountStore, ActorStore, NewUser},
};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a web login lasts.
pub const SESSION_DAYS: i64 = 30;

/// Password hashes computed or checked at once: one per core, 8 at most (argon2 takes about
/// 19 MiB and tens of milliseconds each); 16 more per running one may wait, and past them a
/// login or registration is answered "busy, retry in a moment" at once. So a flood of logins,
/// even from many addresses, takes at most 8 × 19 MiB and a few blocking threads.
fn argon2_gate() -> &'static super::blocking::Gate {
    static GATE: std::sync::OnceLock<super::blocking::Gate> = std::sync::OnceLock::new();
    GATE.get_or_init(|| super::blocking::Gate::per_core(8, 16))
}

/// Runs argon2 work off the async threads, through [`argon2_gate`].
async fn argon2_bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    argon2_gate().run(work).await
}

/// [`hash_password`], off the async threads and bounded.
pub async fn hash_password_bounded(password: &str) -> Result<String> {
    let password = password.to_string();
    argon2_bounded(move || hash_password(&password)).await?
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("hashing password: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random secret for a cookie or a token, and the hash we store of it.
pub fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_secret(&secret);
    (secret, hash)
}

pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a user (and their `Person` actor, so that they exist on the fediverse).
pub async fn create_user<S: AccountStore + ActorStore + ?Sized>(
    store: &S,
    base: &str,
    host: &str,
    name: &str,
    email: Option<&str>,
    password: Option<&str>,
    now: DateTime<Utc>,
) -> Result<User> {
    let mut errors = FieldErrors::new();
    validate_name("name", name, &mut errors);
    if let Some(email) = email {
        validate_email(email, &mut errors);
    }
    errors.into_result(())?;
    let password_hash = match password {
        Some(p) => {
            validate_password(p)?;
            Some(hash_password_bounded(p).await?)
        }
        None => None,
    };
    if store.find_user_by_name(name).await?.is_some() {
        return Err(ServiceError::Conflict(
            Denial::new("user_exists").text("name", name),
        ));
    }
    let new = NewUser {
        is_admin: store.count_users().await? == 0,
        ..NewUser::by_operator(name, email, password_hash)
    };
    create_account(store, base, host, new, name, now).await
}

/// Stores a new account and its `Person` actor (shown as `display_name`).
pub(crate) async fn create_account<S: AccountStore + ActorStore + ?Sized>(
    store: &S,
    base: &str,
    host: &str,
    new: NewUser,
    display_name: &str,
    now: DateTime<Utc>,
) -> Result<User> {
    let name = new.name.clone();
    let name = name.as_str();
    // The keys first: slow, and nothing is written if they fail.
    let keys = generate_keys().await?;
    let user = store.create_user(new, now).await?;
    store
        .create_local_actor(
            NewLocalActor {
                kind: ActorKind::Person,
                name: name.to_string(),
                display_name: display_name.to_string(),
                summary: String::new(),
                public_key_pem: keys.public_key,
                private_key_pem: keys.private_key,
                user_id: Some(user.id),
            },
            &format!("{base}/u/{name}"),
            host,
            None,
            now,
        )
        .await?;
    Ok(user)
}

/// Checks a name and password; the same error for an unknown name and a wrong password.
pub async fn authenticate(store: &dyn AccountStore, name: &str, password: &str) -> Result<User> {
    let user = store.find_user_by_name(name).await?;
    check_password(user, password).await
}

/// Checks a login (the account's name, or its email without regard to case) and password,
/// for apps logging in through the API; the same error, after the same work, whether the
/// account exists or not.
pub async fn authenticate_login(
    store: &dyn AccountStore,
    login: &str,
    password: &str,
) -> Result<User> {
    let login = login.trim();
    let mut user = store.find_user_by_name(login).await?;
    if user.is_none() && login.contains('@') {
        user = store.find_user_by_email(login).await?;
    }
    let user = check_password(user, password).await?;
    // Said only to whoever knows the password.
    match user.login_block() {
        Some(block) => Err(ServiceError::Account(block)),
        None => Ok(user),
    }
}

/// A hash no password matches, checked instead of a real one when the account is unknown or
/// has no password, so that the answer takes as long as for a wrong password. Made once, on
/// the blocking threads like every hash.
fn decoy_hash() -> Result<String> {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(hash) = DECOY.get() {
        return Ok(hash.clone());
    }
    let (secret, _) = new_secret();
    let hash = hash_password(&secret)?;
    Ok(DECOY.get_or_init(|| hash).clone())
}

/// The password check proper, run off the async threads (argon2 is slow on purpose): the same
/// work whether the account exists or not.
pub(crate) async fn check_password(user: Option<User>, password: &str) -> Result<User> {
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let password = password.to_string();
    let ok = argon2_bounded(move || {
        let hash = match hash {
            Some(hash) => hash,
            None => decoy_hash()?,
        };
        Ok::<_, ServiceError>(verify_password(&password, &hash))
    })
    .await??;
    match user {
        Some(user) if ok && user.password_hash.is_some() => Ok(user),
        _ => Err(ServiceError::BadCredentials),
    }
}

/// Opens a web session; returns the cookie value.
pub async fn open_session(
    store: &dyn AccountStore,
    user: &User,
    now: DateTime<Utc>,
) -> Result<String> {
    let (secret, hash) = new_secret();
    store
        .create_session(user.id, &hash, now + Duration::days(SESSION_DAYS))
        .await?;
    Ok(secret)
}

/// Creates an API token; the token is shown once, only its hash is kept.
pub async fn create_token(
    store: &dyn AccountStore,
    user_name: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    let user = store
        .find_user_by_name(user_name)
        .await?
        .ok_or(ServiceError::NotFound("user"))?;
    Ok(issue_token(store, &user, label, now).await?.1)
}

/// The longest label a token may have.
pub const TOKEN_LABEL_MAX: usize = 100;

/// Creates an API token for `user` with this label: the token as kept (no secret) and the
/// secret, to be shown once.
pub async fn issue_token(
    store: &dyn AccountStore,
    user: &User,
    label: &str,
    now: DateTime<Utc>,
) -> Result<(ApiToken, String)> {
    let mut errors = FieldErrors::new();
    if label.chars().count() > TOKEN_LABEL_MAX {
        errors.add(
            "label",
            FieldError::new("max_chars").num("max", TOKEN_LABEL_MAX as i64),
        );
    }
    errors.into_result(())?;
    let (secret, hash) = new_secret();
    let token = store.create_api_token(user.id, &hash, label, now).await?;
    Ok((token, secret))
}

/// A user's API tokens, oldest first (never their secrets).
pub async fn tokens(store: &dyn AccountStore, user: &User) -> Result<Vec<ApiToken>> {
    Ok(store.list_api_tokens(user.id).await?)
}

/// Revokes one of the user's own tokens; someone else's token is as unknown as a missing one.
pub async fn revoke_token(store: &dyn AccountStore, user: &User, id: i64) -> Result<()> {
    if store.delete_api_token(user.id, id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound("token"))
    }
}

/// RSA keys for a new actor (slow: done off the async threads).
pub async fn generate_keys() -> Result<activitypub_federation::http_signatures::Keypair> {
    tokio::task::spawn_blocking(activitypub_federation::http_signatures::generate_actor_keypair)
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(|e| ServiceError::Internal(format!("generating keys: {e}")))
}

/// Creates an association (a `Group` actor) owned by an existing user.
// The use case's inputs plus its instant (`now`, from the caller's clock).
#[allow(clippy::too_many_arguments)]
pub async fn create_association<S: AccountStore + ActorStore + ?Sized>(
    store: &S,
    base: &str,
    host: &str,
    name: &str,
    owner: &str,
    display_name: Option<&str>,
    summary: &str,
    now: DateTime<Utc>,
) -> Result<Actor> {
    let mut errors = FieldErrors::new();
    validate_name("name", name, &mut errors);
    if display_name
        .map(|d| d.chars().count() > 100)
        .unwrap_or(false)
    {
        errors.add("display_name", FieldError::new("max_chars").num("max", 100));
    }
    if summary.chars().count() > 2000 {
        errors.add("summary", FieldError::new("max_chars").num("max", 2000));
    }
    errors.into_result(())?;
    let owner = store
        .find_user_by_name(owner)
        .await?
        .ok_or(ServiceError::NotFound("owner user"))?;
    if store
        .find_local_actor(ActorKind::Group.as_str(), name)
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict(
            Denial::new("association_exists").text("name", name),
        ));
    }
    let keys = generate_keys().await?;
    let actor = store
        .create_local_actor(
            NewLocalActor {
                kind: ActorKind::Group,
                name: name.to_string(),
                display_name: display_name.unwrap_or(name).to_string(),
                summary: summary.to_string(),
                public_key_pem: keys.public_key,
                private_key_pem: keys.private_key,
                user_id: None,
            },
            &format!("{base}/g/{name}"),
            host,
            Some(owner.id),
            now,
        )
        .await?;
    Ok(actor)
}

/// The node's own `Application` actor (`relay`), created on first start.
pub async fn ensure_relay(
    store: &dyn ActorStore,
    base: &str,
    host: &str,
    node_name: &str,
    now: DateTime<Utc>,
) -> Result<Actor> {
    if let Some(relay) = store
        .find_local_actor(ActorKind::Application.as_str(), "relay")
        .await?
    {
        return Ok(relay);
    }
    let keys = generate_keys().await?;
    let created = store
        .create_local_actor(
            NewLocalActor {
                kind: ActorKind::Application,
                name: "relay".into(),
                display_name: node_name.to_string(),
                summary: String::new(),
                public_key_pem: keys.public_key,
                private_key_pem: keys.private_key,
                user_id: None,
            },
            &format!("{base}/relay"),
            host,
            None,
            now,
        )
        .await;
    match created {
        Ok(a) => Ok(a),
        // Another process created it at the same moment.
        Err(crate::storage::StoreError::Conflict(_)) => store
            .find_local_actor(ActorKind::Application.as_str(), "relay")
            .await?
            .ok_or(ServiceError::NotFound("relay actor")),
        Err(e) => Err(e.into()),
    }
}

/// The role a user has in an association, if any (node admins count as owners).
pub async fn role_in<S: ActorStore + ?Sized>(
    store: &S,
    user: &User,
    association: &Actor,
) -> Result<Option<Role>> {
    if user.is_admin {
        return Ok(Some(Role::Owner));
    }
    Ok(store.member_role(association.id, user.id).await?)
}

/// Gives an existing user a role in a local association (the operator's command).
pub async fn set_role<S: AccountStore + ActorStore + ?Sized>(
    store: &S,
    association: &str,
    user: &str,
    role: Role,
) -> Result<()> {
    let association = store
        .find_local_actor(ActorKind::Group.as_str(), association)
        .await?
        .ok_or(ServiceError::NotFound("association"))?;
    let found = store.find_user_by_name(user).await?;
    // A deleted account (its actor a tombstone) takes no role.
    let deleted = store
        .find_local_actor(ActorKind::Person.as_str(), user)
        .await?
        .is_some_and(|a| a.deleted_at.is_some());
    let user = found
        .filter(|_| !deleted)
        .ok_or(ServiceError::NotFound("user"))?;
    Ok(store.set_member(association.id, user.id, role).await?)
}

/// The account `id`.
pub async fn user(store: &dyn AccountStore, id: i64) -> Result<User> {
    Ok(store.get_user(id).await?)
}

/// These accounts by id, read at once for a whole list (an id unknown here is left out).
pub async fn users<S: AccountStore + ?Sized>(
    store: &S,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, User>> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let users = store.get_users(&ids).await?;
    Ok(users.into_iter().map(|u| (u.id, u)).collect())
}

/// The account an API token belongs to, if the token is known.
pub async fn user_by_token(store: &dyn AccountStore, token: &str) -> Result<Option<User>> {
    Ok(store.find_token_user(&hash_secret(token)).await?)
}

/// The account a web session belongs to, if the session is known and not expired.
pub async fn user_by_session(
    store: &dyn AccountStore,
    session: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>> {
    Ok(store.find_session_user(&hash_secret(session), now).await?)
}

/// Ends a web session (logging out).
pub async fn close_session(store: &dyn AccountStore, session: &str) -> Result<()> {
    Ok(store.delete_session(&hash_secret(session)).await?)
}

/// The associations a user belongs to, with the role.
pub async fn memberships(store: &dyn ActorStore, user_id: i64) -> Result<Vec<(Actor, Role)>> {
    Ok(store.memberships(user_id).await?)
}
