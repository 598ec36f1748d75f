//! The storage conformance suite: every method of every storage trait (`pub trait …Store` in
//! `src/storage/`), written once against `&dyn Store` and run on SQLite (a temporary file,
//! always) and on PostgreSQL (a fresh database next to `TEST_DATABASE_URL`; "NOT RUN on
//! PostgreSQL" is printed when it is unset, and `ENTRAIDE_REQUIRE_POSTGRES=1` makes that a
//! failure). One module per aggregate; `coverage` fails when a trait method is named by none.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;
mod fixtures;

mod account_links;
mod accounts;
mod actors;
mod associations;
mod attendance;
mod attestations;
mod calendar;
mod coverage;
mod deliveries;
mod fediverse;
mod help;
mod hours;
mod missions;
mod moderation;
mod notifications;
mod operating;
mod outbox;
mod privacy;
mod profiles;
mod races;
mod read_model;
mod reservations;
mod resources;
mod search;
mod signups;
mod slots;
mod sources;
mod statistics;
mod territory_scene;
