//! Federation: the only module that talks ActivityPub. It reads the domain and the store,
//! never the web pages.

pub mod actor_cache;
pub mod aggregator;
pub mod delivery;
pub mod direct;
pub mod discovery;
pub mod error;
pub mod group_update;
pub mod history;
pub mod hours;
pub mod inbox;
pub mod inbox_gate;
pub mod moderation;
pub mod objects;
pub mod outbox;
pub mod outgoing;
pub mod participation;
pub mod policy;
pub mod protocol;
/// The JSON-LD context, at its old path (it lives with the wire structs).
pub use protocol::context;
mod reject;
pub mod remote_events;
pub mod replies;
pub mod resolve;
pub mod resource_documents;
pub mod resources;
mod resources_outbox;
pub mod routes;
pub mod signatures;
pub mod signed_fetch;

use crate::state::AppState;
use activitypub_federation::config::FederationConfig;
use std::time::Duration;

/// The HTTP client for every outgoing request: no redirects followed blindly, bounded time,
/// and private addresses refused (written as such in the URL, or behind a name) unless the
/// operator allows them (see [`outgoing`]).
pub fn http_client(allow_private: bool) -> reqwest_middleware::ClientWithMiddleware {
    client_builder(allow_private).build()
}

/// [`http_client`], to add more middleware (the relay's signature of fetches).
fn client_builder(allow_private: bool) -> reqwest_middleware::ClientBuilder {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(8)
        .user_agent(concat!("Entraide/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(std::sync::Arc::new(outgoing::PublicResolver {
            allow_private,
        }))
        .build()
        .unwrap_or_default();
    reqwest_middleware::ClientBuilder::new(client).with(outgoing::Destination { allow_private })
}

/// The federation crate's configuration for this node; fetches are signed by the relay (with
/// AWS-LC, by [`signed_fetch::SignedFetch`], not by the crate).
pub async fn federation_config(
    state: AppState,
    relay: &objects::ApubActor,
) -> anyhow::Result<FederationConfig<AppState>> {
    let config = state.config.clone();
    let moderation = state.moderation.clone();
    let allow_private = config.federation.allow_private_addresses;
    let client = client_builder(allow_private)
        .with(signed_fetch::SignedFetch::new(signatures::signer_for(
            &relay.actor,
        )?))
        .build();
    Ok(FederationConfig::builder()
        .domain(config.domain())
        .app_data(state)
        .client(client)
        // "debug" in the crate means: http, explicit ports and private addresses allowed.
        .debug(allow_private)
        .http_signature_compat(true)
        .url_verifier(Box::new(policy::HostPolicy(config, moderation)))
        .request_timeout(Duration::from_secs(10))
        .build()
        .await?)
}
