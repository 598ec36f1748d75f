//! What nearly every page module imports: the routing and response types of axum, the
//! template context, and serde's derives. A page module starts with
//! `use crate::http::web::prelude::*;` and imports only what is particular to it.

pub(crate) use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
pub(crate) use minijinja::{context, Value};
pub(crate) use serde::{Deserialize, Serialize};

/// A form with nothing to read but its token (which [`CheckedForm`] checks): a button.
#[derive(Debug, Deserialize)]
pub(crate) struct NoFields {}
