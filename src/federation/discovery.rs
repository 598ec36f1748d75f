//! WebFinger (accounts and the server actor, FEP-d556) and NodeInfo 2.1 (with the FEP-2677
//! link to the server actor).

use super::{
    error::FedError,
    protocol::discovery::{
        FederationFlag, Jrd, JrdLink, Metadata, NodeInfo, Services, Software, Usage, UserCount,
    },
};
use crate::{domain::actor::ActorKind, state::Context};
use serde::Deserialize;

const AP_JSON: Option<&str> = Some("application/activity+json");

#[derive(Debug, Deserialize)]
pub struct WebfingerQuery {
    pub resource: Option<String>,
}

/// Answers `GET /.well-known/webfinger?resource=…`.
pub async fn webfinger(ctx: &Context, resource: &str) -> Result<Jrd, FedError> {
    let base = ctx.config.base();
    let host = ctx.config.domain();
    // FEP-d556: the server itself, by its URL.
    if resource.trim_end_matches('/') == base {
        let relay = format!("{base}/relay");
        return Ok(Jrd {
            subject: Some(format!("{base}/")),
            links: vec![
                JrdLink::new(
                    "https://www.w3.org/ns/activitystreams#Service",
                    AP_JSON,
                    relay.clone(),
                ),
                JrdLink::new("self", AP_JSON, relay),
            ],
        });
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
            if actor.deleted_at.is_some() {
                // A deleted account: its address is reserved, not found.
                continue;
            }
            found = true;
            let mut this = JrdLink::new("self", AP_JSON, actor.ap_id.clone());
            this.properties.insert(
                "https://www.w3.org/ns/activitystreams#type".into(),
                kind.as_str().into(),
            );
            links.push(this);
            links.push(JrdLink::new(
                "http://webfinger.net/rel/profile-page",
                Some("text/html"),
                actor.ap_id,
            ));
        }
    }
    if !found {
        return Err(FedError::BadRequest(format!(
            "no account {name} on this server"
        )));
    }
    Ok(Jrd {
        subject: Some(format!("acct:{name}@{host}")),
        links,
    })
}

/// `/.well-known/nodeinfo`: where NodeInfo is, and the server actor (FEP-2677).
pub fn nodeinfo_links(ctx: &Context) -> Jrd {
    let base = ctx.config.base();
    Jrd {
        subject: None,
        links: vec![
            JrdLink::new(
                "http://nodeinfo.diaspora.software/ns/schema/2.1",
                None,
                format!("{base}/nodeinfo/2.1"),
            ),
            JrdLink::new(
                "https://www.w3.org/ns/activitystreams#Application",
                None,
                format!("{base}/relay"),
            ),
        ],
    }
}

/// NodeInfo 2.1 document.
pub async fn nodeinfo(ctx: &Context) -> Result<NodeInfo, FedError> {
    let users = ctx.store.count_users().await?;
    let groups = ctx
        .store
        .list_local_actors(ActorKind::Group.as_str())
        .await?
        .len();
    let missions = ctx.store.count_local_missions().await?;
    Ok(NodeInfo {
        version: "2.1".into(),
        software: Software {
            name: "entraide".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            repository: env!("CARGO_PKG_REPOSITORY").into(),
        },
        protocols: vec!["activitypub".into()],
        services: Services::default(),
        open_registrations: false,
        usage: Usage {
            users: UserCount { total: users },
            local_posts: missions,
        },
        metadata: Metadata {
            node_name: ctx.config.instance.name.clone(),
            node_description: {
                let lang = crate::i18n::Lang::or_reference(&ctx.config.instance.default_language);
                ctx.config
                    .instance
                    .description_in(lang)
                    .map(str::to_string)
                    .unwrap_or_else(|| crate::i18n::tr(lang, "tagline"))
            },
            associations: groups as u64,
            federation: FederationFlag { enabled: true },
        },
    })
}
