//! Signed fetches: every GET the federation crate makes (actors, objects, WebFinger,
//! collections) leaves signed by the node's relay actor, for servers in "secure mode".
//!
//! The crate can sign them itself (`signed_fetch_actor`), but with the pure-Rust `rsa` crate:
//! about 1.4 ms per signature, a third of the node's CPU while followers arrive (see
//! docs/benchmarks.md). This middleware signs with AWS-LC instead, on the same client, so every
//! other protection of a fetch stays where it is: the crate's URL checks and request counter,
//! the host policy, the DNS resolver that refuses private addresses, the size limit of the body,
//! the content type and the id that must match the URL.

use super::signatures::{sign_get, Signer};
use http::{Extensions, HeaderValue, Method};
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};
use std::sync::Arc;

/// Signs GET requests that are not signed yet.
pub struct SignedFetch {
    signer: Arc<Signer>,
}

impl SignedFetch {
    pub fn new(signer: Arc<Signer>) -> Self {
        Self { signer }
    }
}

#[async_trait::async_trait]
impl Middleware for SignedFetch {
    async fn handle(
        &self,
        mut req: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        if req.method() == Method::GET && !req.headers().contains_key("signature") {
            let headers =
                sign_get(&self.signer, req.url()).map_err(reqwest_middleware::Error::middleware)?;
            for (name, value) in headers {
                let value =
                    HeaderValue::from_str(&value).map_err(reqwest_middleware::Error::middleware)?;
                req.headers_mut().insert(name, value);
            }
        }
        next.run(req, extensions).await
    }
}
