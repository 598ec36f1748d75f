//! WebFinger (accounts and the server actor, FEP-d556) and NodeInfo 2.1 (with the FEP-2677
//! link to the server actor).

use super::error::FedError;
use crate::{domain::actor::ActorKind, state::Context};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
pub struct WebfingerQuery {
    pub resource: Option<String>,
}

/// Answers `GET /.well-known/webfinger?resource=…`.
pub async fn webfinger(ctx: &Context, resource: &str) -> Result<Value, FedError> {
    let base = ctx.config.base();
    let host = ctx.config.domain();
    // FEP-d556: the server itself, by its URL.
    if resource.trim_end_matches('/') == base {
        let relay = format!("{base}/relay");
        return Ok(json!({
            "subject": format!("{base}/"),
            "links": [
                {"rel": "https://www.w3.org/ns/activitystreams#Service", "type": "application/activity+json", "href": relay},
                {"rel": "self", "type": "application/activity+json", "href": relay}
            ]
        }));
    }
    let account = resource
        .strip_prefix("acct:")
        .unwrap_or(resource)
        .trim_start_matches('@');
    let (name, domain) = account
        .rsplit_once('@')
        .ok_or_else(|| FedError::BadRequest("resource must look like acct:name@host".into()))?;
    if !domain.eq_ignore_ascii_case(&host) {
        return Err(FedError::BadRequest(format!(
            "{domain} is not this server ({host})"
        )));
    }
    let mut links = Vec::new();
    let mut found = false;
    // A group and a person may share a name: the group comes first (apps follow the first).
    for kind in [ActorKind::Group, ActorKind::Person, ActorKind::Application] {
        if let Some(actor) = ctx.store.find_local_actor(kind.as_str(), name).await? {
            found = true;
            links.push(json!({"rel": "self", "type": "application/activity+json", "href": actor.ap_id,
                              "properties": {"https://www.w3.org/ns/activitystreams#type": kind.as_str()}}));
            links.push(json!({"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor.ap_id}));
        }
    }
    if !found {
        return Err(FedError::BadRequest(format!(
            "no account {name} on this server"
        )));
    }
    Ok(json!({"subject": format!("acct:{name}@{host}"), "links": links}))
}

/// `/.well-known/nodeinfo`: where NodeInfo is, and the server actor (FEP-2677).
pub fn nodeinfo_links(ctx: &Context) -> Value {
    let base = ctx.config.base();
    json!({"links": [
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}/nodeinfo/2.1")},
        {"rel": "https://www.w3.org/ns/activitystreams#Application", "href": format!("{base}/relay")}
    ]})
}

/// NodeInfo 2.1 document.
pub async fn nodeinfo(ctx: &Context) -> Result<Value, FedError> {
    let users = ctx.store.count_users().await?;
    let groups = ctx
        .store
        .list_local_actors(ActorKind::Group.as_str())
        .await?
        .len();
    let missions = ctx.store.count_local_missions().await?;
    Ok(json!({
        "version": "2.1",
        "software": {"name": "entraide", "version": env!("CARGO_PKG_VERSION"),
                     "repository": env!("CARGO_PKG_REPOSITORY")},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": false,
        "usage": {"users": {"total": users}, "localPosts": missions},
        "metadata": {"nodeName": ctx.config.instance.name, "nodeDescription": ctx.config.instance.description,
                     "associations": groups, "federation": {"enabled": true}}
    }))
}
