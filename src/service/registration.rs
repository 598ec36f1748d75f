//! People come in by themselves: registration, the links sent by email (confirming an address,
//! setting a new password), changes of password, address and names, and the administrators'
//! decision on new accounts when the node asks for one.
//!
//! What never tells whether an address has an account: a registration or a change of address
//! to an address already used answers as if it went through, and the owner of that address is
//! told by email that someone tried; a reset asked for an unknown address answers the same as
//! for a known one. Account names are public (they are in every actor's address): a taken name
//! is said.

use super::accounts::{check_password, create_account, hash_password_bounded, new_secret};
use super::{Result, ServiceError};
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        account::{
            validate_email, validate_language, validate_name, validate_password,
            validate_person_name, AccountState, User,
        },
        actor::ActorKind,
        DomainError, FieldError, FieldErrors,
    },
    notify::accounts::{account_mail, AccountMail},
    storage::{
        AccountStore, ActorStore, LinkPurpose, NewAccountLink, NewNotification, NewUser,
        NotificationStore,
    },
};
use chrono::{DateTime, Duration, Utc};

/// How long a link confirming an address works.
pub const CONFIRM_HOURS: i64 = 48;
/// How long a link setting a new password works.
pub const RESET_HOURS: i64 = 1;

/// What a person gives to register.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub username: String,
    pub email: String,
    pub password: String,
    pub full_name: String,
    /// `fr`, `en` or empty (the node's).
    pub language: String,
}

/// How a registration ended, as the person may be told: the same whether the address was
/// free or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    /// Check your mailbox (and, on an `approval` node, wait for an administrator).
    CheckMailbox { awaiting_approval: bool },
}

/// Whether this node takes new accounts: `RegistrationClosed` when it does not (asked before
/// anything else, so a closed node does not count attempts against anyone's allowance).
pub fn open(config: &Config) -> Result<(), ServiceError> {
    config
        .accounts
        .registration
        .new_account_state()
        .map(|_| ())
        .ok_or(ServiceError::RegistrationClosed)
}

/// Registers a new account: checked field by field, stored unconfirmed (and, on an `approval`
/// node, waiting for an administrator), with an email holding a link to confirm the address.
pub async fn register<S>(
    store: &S,
    config: &Config,
    input: Registration,
    now: DateTime<Utc>,
) -> Result<Registered>
where
    S: AccountStore + ActorStore + NotificationStore + ?Sized,
{
    let mode = config.accounts.registration;
    let state = mode
        .new_account_state()
        .ok_or(ServiceError::RegistrationClosed)?;
    let answer = Registered::CheckMailbox {
        awaiting_approval: state == AccountState::Pending,
    };
    let username = input.username.trim();
    let email = input.email.trim();
    let full_name = input.full_name.trim();
    let mut errors = FieldErrors::new();
    validate_name("username", username, &mut errors);
    if email.is_empty() {
        errors.add("email", FieldError::new("email_required"));
    } else {
        validate_email(email, &mut errors);
    }
    if let Err(DomainError::Invalid(e)) = validate_password(&input.password) {
        for (_, error) in e.0 {
            errors.add("password", error);
        }
    }
    validate_person_name("full_name", full_name, &mut errors);
    validate_language(&input.language, &mut errors);
    if !errors.0.contains_key("username")
        && (store.find_user_by_name(username).await?.is_some()
            || store
                .find_local_actor(ActorKind::Group.as_str(), username)
                .await?
                .is_some())
    {
        errors.add("username", FieldError::new("username_taken"));
    }
    errors.into_result(())?;
    if store.email_in_use(email).await? {
        // Its owner hears of it; the visitor sees what anyone sees.
        let (_, key) = new_secret();
        let link = format!("{}/password/forgot", config.base());
        let mail = account_mail(
            config,
            AccountMail::AddressInUse,
            email,
            &input.language,
            "",
            &link,
            0,
            &key,
        );
        store.record_notifications(vec![mail], now).await?;
        return Ok(answer);
    }
    let password_hash = hash_password_bounded(&input.password).await?;
    let new = NewUser {
        full_name: full_name.to_string(),
        language: input.language.clone(),
        email_confirmed: false,
        state,
        ..NewUser::by_operator(username, Some(email), Some(password_hash))
    };
    let base = config.base();
    let user = match create_account(store, &base, &config.domain(), new, username, now).await {
        Ok(user) => user,
        // Taken between the check and the write.
        Err(ServiceError::Conflict(_)) => {
            return Err(DomainError::field("username", FieldError::new("username_taken")).into())
        }
        Err(e) => return Err(e),
    };
    send_confirmation(store, config, &user, email, AccountMail::Confirm, now).await?;
    Ok(answer)
}

/// A new confirmation link for `email`, mailed to it (earlier links of the account stop
/// working).
async fn send_confirmation<S: AccountStore + NotificationStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    email: &str,
    kind: AccountMail,
    now: DateTime<Utc>,
) -> Result<()> {
    let (secret, hash) = new_secret();
    store
        .create_account_link(
            NewAccountLink {
                user_id: user.id,
                purpose: LinkPurpose::Confirm,
                token_hash: hash.clone(),
                email: Some(email.to_string()),
                expires_at: now + Duration::hours(CONFIRM_HOURS),
            },
            now,
        )
        .await?;
    let link = format!("{}/register/confirm?token={secret}", config.base());
    let mail = mail_to(config, user, kind, email, &link, CONFIRM_HOURS, &hash);
    store.record_notifications(vec![mail], now).await?;
    Ok(())
}

fn mail_to(
    config: &Config,
    user: &User,
    kind: AccountMail,
    to: &str,
    link: &str,
    hours: i64,
    key: &str,
) -> NewNotification {
    let person = user.shown_name();
    account_mail(config, kind, to, &user.language, person, link, hours, key)
}

/// Sends the confirmation email again (a new link; the earlier one stops working). Nothing to
/// do when the address is confirmed already (`false`).
pub async fn resend_confirmation<S: AccountStore + NotificationStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(email) = user.email.as_deref().filter(|_| !user.email_confirmed) else {
        return Ok(false);
    };
    send_confirmation(store, config, user, email, AccountMail::Confirm, now).await?;
    Ok(true)
}

/// Uses a confirmation link: the address it was sent to is the account's, confirmed.
pub async fn confirm_email(
    store: &dyn AccountStore,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<User> {
    store
        .redeem_confirm_link(&super::accounts::hash_secret(secret.trim()), now)
        .await?
        .ok_or(ServiceError::LinkInvalid)
}

/// An operator confirms an account's email (`entraide admin confirm-user`), for nodes that
/// send no email yet.
pub async fn confirm_by_operator(store: &dyn AccountStore, name: &str) -> Result<User> {
    let user = store
        .find_user_by_name(name)
        .await?
        .ok_or(ServiceError::NotFound("user"))?;
    store.confirm_user_email(user.id).await?;
    Ok(store.get_user(user.id).await?)
}

/// Asks for a link to set a new password, sent to `email` when an active account has it. The
/// answer is the same whether it has or not.
pub async fn request_reset<S: AccountStore + NotificationStore + ?Sized>(
    store: &S,
    config: &Config,
    email: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let email = email.trim();
    let mut errors = FieldErrors::new();
    validate_email(email, &mut errors);
    errors.into_result(())?;
    let Some(user) = store.find_user_by_email(email).await? else {
        return Ok(());
    };
    if user.state != AccountState::Active {
        return Ok(());
    }
    let (secret, hash) = new_secret();
    store
        .create_account_link(
            NewAccountLink {
                user_id: user.id,
                purpose: LinkPurpose::Reset,
                token_hash: hash.clone(),
                email: None,
                expires_at: now + Duration::hours(RESET_HOURS),
            },
            now,
        )
        .await?;
    let link = format!("{}/password/reset?token={secret}", config.base());
    let to = user.email.clone().unwrap_or_else(|| email.to_string());
    let mail = mail_to(
        config,
        &user,
        AccountMail::Reset,
        &to,
        &link,
        RESET_HOURS,
        &hash,
    );
    store.record_notifications(vec![mail], now).await?;
    Ok(())
}

/// Uses a reset link: the new password is set and every session of the account ends.
pub async fn reset_password(
    store: &dyn AccountStore,
    secret: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<User> {
    validate_password(password)?;
    let hash = hash_password_bounded(password).await?;
    store
        .redeem_reset_link(&super::accounts::hash_secret(secret.trim()), &hash, now)
        .await?
        .ok_or(ServiceError::LinkInvalid)
}

/// Checks the current password of a logged-in person (a field error when it is wrong).
async fn check_current(user: &User, current: &str) -> Result<()> {
    match check_password(Some(user.clone()), current).await {
        Ok(_) => Ok(()),
        Err(ServiceError::BadCredentials) => Err(DomainError::field(
            "current_password",
            FieldError::new("current_password_wrong"),
        )
        .into()),
        Err(e) => Err(e),
    }
}

/// A new password, given the current one; the other sessions end (`keep_session`: the hash
/// of the session that asked, which stays open).
pub async fn change_password(
    store: &dyn AccountStore,
    user: &User,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
) -> Result<()> {
    check_current(user, current).await?;
    validate_password(new)?;
    let hash = hash_password_bounded(new).await?;
    store.set_password(user.id, &hash, keep_session).await?;
    Ok(())
}

/// Asks to move the account to another address, given the current password: a link goes to
/// the new address (the account keeps the old one until it is followed) and the old address is
/// told. An address already used gets a word instead, and the answer is the same.
pub async fn change_email<S: AccountStore + NotificationStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    current: &str,
    new_email: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let new_email = new_email.trim();
    let mut errors = FieldErrors::new();
    validate_email(new_email, &mut errors);
    if errors.is_empty()
        && user
            .email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(new_email))
    {
        errors.add("email", FieldError::new("email_unchanged"));
    }
    errors.into_result(())?;
    check_current(user, current).await?;
    if store.email_in_use(new_email).await? {
        let (_, key) = new_secret();
        let link = format!("{}/password/forgot", config.base());
        // Not greeted by this account's name: the address belongs to someone else.
        let mail = account_mail(
            config,
            AccountMail::AddressInUse,
            new_email,
            &user.language,
            "",
            &link,
            0,
            &key,
        );
        store.record_notifications(vec![mail], now).await?;
        return Ok(());
    }
    send_confirmation(
        store,
        config,
        user,
        new_email,
        AccountMail::ConfirmNewAddress,
        now,
    )
    .await?;
    if let Some(old) = user.email.as_deref() {
        let (_, key) = new_secret();
        let link = format!("{}/password/forgot", config.base());
        let mail = mail_to(
            config,
            user,
            AccountMail::AddressChanging,
            old,
            &link,
            0,
            &key,
        );
        store.record_notifications(vec![mail], now).await?;
    }
    Ok(())
}

/// What a person may change about their account besides its credentials.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub full_name: String,
    /// Shown on the fediverse (the `Person` actor's name); empty: the account's name.
    pub display_name: String,
    pub language: String,
}

/// Saves the full name, display name and language.
pub async fn update_profile(
    store: &dyn AccountStore,
    user: &User,
    change: ProfileChange,
    now: DateTime<Utc>,
) -> Result<User> {
    let full_name = change.full_name.trim();
    let display_name = change.display_name.trim();
    let mut errors = FieldErrors::new();
    validate_person_name("full_name", full_name, &mut errors);
    validate_person_name("display_name", display_name, &mut errors);
    validate_language(&change.language, &mut errors);
    errors.into_result(())?;
    let display_name = if display_name.is_empty() {
        user.name.as_str()
    } else {
        display_name
    };
    store
        .update_user_profile(user.id, full_name, display_name, &change.language, now)
        .await?;
    Ok(store.get_user(user.id).await?)
}

/// The name the account shows on the fediverse (its `Person` actor's).
pub async fn display_name(store: &dyn ActorStore, user: &User) -> Result<String> {
    Ok(store
        .find_local_actor(ActorKind::Person.as_str(), &user.name)
        .await?
        .map(|a| a.display_name)
        .unwrap_or_else(|| user.name.clone()))
}

/// The accounts in `state`, for an administrator.
pub async fn accounts_in_state(
    store: &dyn AccountStore,
    admin: &User,
    state: AccountState,
) -> Result<Vec<User>> {
    if !admin.is_admin {
        return Err(ServiceError::Forbidden(Denial::new("admins_only")));
    }
    Ok(store.list_users_in_state(state).await?)
}

/// An administrator accepts (`approve`) or refuses a waiting account; the person is told by
/// email. A decided account cannot be decided again (conflict).
pub async fn decide<S: AccountStore + NotificationStore + ?Sized>(
    store: &S,
    config: &Config,
    admin: &User,
    id: i64,
    approve: bool,
    now: DateTime<Utc>,
) -> Result<User> {
    if !admin.is_admin {
        return Err(ServiceError::Forbidden(Denial::new("admins_only")));
    }
    let to = if approve {
        AccountState::Active
    } else {
        AccountState::Refused
    };
    let user = store.get_user(id).await?;
    if !store.set_user_state(id, AccountState::Pending, to).await? {
        return Err(ServiceError::Conflict(
            Denial::new("account_decided").text("name", user.name),
        ));
    }
    if let Some(email) = user.email.as_deref() {
        let (kind, link) = if approve {
            (AccountMail::Approved, format!("{}/login", config.base()))
        } else {
            (AccountMail::Refused, config.base())
        };
        let key = format!("{}:{}", user.id, now.timestamp());
        let mail = mail_to(config, &user, kind, email, &link, 0, &key);
        store.record_notifications(vec![mail], now).await?;
    }
    Ok(store.get_user(id).await?)
}
