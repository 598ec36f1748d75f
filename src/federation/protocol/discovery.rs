//! WebFinger (RFC 7033, with FEP-d556 for the server actor) and NodeInfo 2.1
//! (https://nodeinfo.diaspora.software/protocol, with the FEP-2677 link to the server actor).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A JSON Resource Descriptor. https://www.rfc-editor.org/rfc/rfc7033#section-4.4
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Jrd {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub links: Vec<JrdLink>,
}

/// https://www.rfc-editor.org/rfc/rfc7033#section-4.4.4
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JrdLink {
    pub rel: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub href: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

impl JrdLink {
    pub fn new(rel: &str, kind: Option<&str>, href: String) -> Self {
        Self {
            rel: rel.to_string(),
            kind: kind.map(str::to_string),
            href,
            properties: BTreeMap::new(),
        }
    }
}

/// https://github.com/jhass/nodeinfo/blob/main/schemas/2.1/schema.json
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    pub version: String,
    pub software: Software,
    pub protocols: Vec<String>,
    pub services: Services,
    pub open_registrations: bool,
    pub usage: Usage,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Software {
    pub name: String,
    pub version: String,
    pub repository: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Services {
    pub inbound: Vec<String>,
    pub outbound: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub users: UserCount,
    pub local_posts: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserCount {
    pub total: i64,
}

/// Free-form in NodeInfo; ours says how many associations the node hosts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub node_name: String,
    pub node_description: String,
    pub associations: u64,
    pub federation: FederationFlag,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FederationFlag {
    pub enabled: bool,
}
