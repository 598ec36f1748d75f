//! Operator commands that look after a node as a whole: `admin doctor`, `admin backup` and
//! `admin restore`. They print for a person at a terminal; `main` calls them.

pub mod backup;
pub mod doctor;
mod restore;

pub use restore::restore;
