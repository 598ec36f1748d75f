//! Entraide: volunteer missions and shared equipment for associations, federated over
//! ActivityPub. One binary for every role: an association's node, a local network's node,
//! a regional aggregator.
// The OpenAPI document is one large `json!` literal.
#![recursion_limit = "256"]

pub mod admin;
pub mod app;
pub mod clock;
pub mod config;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod federation;
/// The fuzz targets' bodies (`fuzz/`, `tests/fuzz_corpora.rs`); not an API.
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod i18n;
pub mod ical;
pub mod metrics;
pub mod notify;
pub mod places;
pub mod search;
pub mod service;
pub mod state;
pub mod storage;
