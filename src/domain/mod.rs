//! Domain types and rules. No axum, no sqlx, no ActivityPub here: this layer only knows what a
//! mission, an association or a user is, and which values are acceptable.

pub mod account;
pub mod actor;
pub mod aggregator;
pub mod association;
pub mod denial;
pub mod events;
#[cfg(test)]
pub(crate) mod examples;
pub mod fediverse;
pub mod help;
pub mod hours;
pub mod mission;
pub mod moderation;
pub mod operating;
pub mod privacy;
pub mod reservation;
pub mod resource;
pub mod retry;
pub mod search;
pub mod sign_up;
pub mod slot;
pub mod territory;
pub mod validation;
pub mod volunteer;

pub use denial::{Denial, DENIAL_CODES};
pub use validation::{DomainError, FieldArg, FieldError, FieldErrors, FIELD_CODES};
