//! Use cases: check the input, decide, store (with what happened, in one transaction).
//! Called by the web pages, the JSON API and the operator CLI alike.

pub mod accounts;
pub mod actors;
pub mod agreement;
pub mod associations;
pub mod attestations;
pub mod blocking;
pub mod calendar;
pub mod csv;
pub mod dashboard;
pub mod fediverse;
pub mod files;
pub mod help;
pub mod hours;
pub mod hours_remote;
pub mod hours_statement;
pub mod invitations;
pub mod kept;
pub mod mission_pictures;
pub mod missions;
pub mod moderation;
pub mod operating;
pub mod places;
pub mod privacy;
pub mod queue;
pub mod registration;
pub mod reservation_feed;
pub mod reservations;
pub mod resources;
pub mod search;
pub mod search_feeds;
pub mod slots;
pub mod sms;
pub mod sources;
pub mod statistics;
pub mod text;
pub mod volunteers;

use crate::{
    domain::{Denial, DomainError},
    storage::StoreError,
};

/// Why a use case did not go through.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The thing is no longer in a state that allows this (409).
    #[error("{0}")]
    Conflict(Denial),
    /// This person may not do this (403).
    #[error("you are not allowed to do this: {0}")]
    Forbidden(Denial),
    #[error("wrong name or password")]
    BadCredentials,
    /// The account may not do this yet (email not confirmed, waiting for an administrator) or
    /// at all (refused).
    #[error("account: {}", .0.code())]
    Account(crate::domain::account::AccountBlock),
    /// The node takes no registrations (`[accounts] registration = "closed"`).
    #[error("registration is closed on this node")]
    RegistrationClosed,
    /// A link sent by email is unknown, already used or expired.
    #[error("this link is not valid any more")]
    LinkInvalid,
    /// What this needs has not arrived yet (another server's messages are not ordered): the
    /// sender should try again later.
    #[error("not yet: {0}")]
    NotYet(Denial),
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
    /// Too many slow computations (password checks, photos) are waiting already: try again
    /// in a moment (503 with `Retry-After`).
    #[error("busy: too much slow work waiting, retry in a moment")]
    Busy,
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ServiceError::NotFound(what),
            StoreError::Conflict(what) => {
                ServiceError::Conflict(Denial::new("exists").text("what", what))
            }
            other => ServiceError::Store(other),
        }
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
