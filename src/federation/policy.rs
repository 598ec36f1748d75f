//! Which hosts we talk to: the operator's allow list and block list.

use super::error::FedError;
use crate::config::Config;
use url::Url;

fn matches(host: &str, rule: &str) -> bool {
    let rule = rule.trim().trim_start_matches("*.").to_ascii_lowercase();
    host == rule || host.ends_with(&format!(".{rule}"))
}

/// Refuses hosts the operator blocked, and hosts outside the allow list when there is one.
pub fn check_host(config: &Config, url: &Url) -> Result<(), FedError> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let fed = &config.federation;
    if fed.blocked_domains.iter().any(|r| matches(&host, r)) {
        return Err(FedError::Forbidden(format!(
            "{host} is blocked on this server"
        )));
    }
    if !fed.allowed_domains.is_empty() && !fed.allowed_domains.iter().any(|r| matches(&host, r)) {
        return Err(FedError::Forbidden(format!(
            "{host} is not in this server's allow list"
        )));
    }
    Ok(())
}

/// Refuses a host or an actor an administrator blocked (`/admin/moderation`).
pub fn check_blocked(
    moderation: &crate::service::moderation::Moderation,
    url: &Url,
) -> Result<(), FedError> {
    let host = super::objects::host_of(url);
    if moderation.host_blocked(&host)
        || moderation.verdict(url.as_str()) == Some(crate::domain::moderation::Severity::Block)
    {
        return Err(FedError::Forbidden(format!(
            "{url} is blocked on this server"
        )));
    }
    Ok(())
}

/// The same rules, for the federation crate's fetches and deliveries.
#[derive(Clone)]
pub struct HostPolicy(
    pub std::sync::Arc<Config>,
    /// The rules the administrators set at run time (`/admin/moderation`).
    pub std::sync::Arc<crate::service::moderation::Moderation>,
);

#[async_trait::async_trait]
impl activitypub_federation::config::UrlVerifier for HostPolicy {
    async fn verify(&self, url: &Url) -> Result<(), activitypub_federation::error::Error> {
        check_host(&self.0, url)
            .and_then(|()| check_blocked(&self.1, url))
            .map_err(|e| activitypub_federation::error::Error::Other(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_and_allow_lists() {
        let mut c = Config::default();
        c.federation.blocked_domains = vec!["bad.example".into()];
        let u = |s: &str| Url::parse(s).expect("url");
        assert!(check_host(&c, &u("https://bad.example/x")).is_err());
        assert!(check_host(&c, &u("https://sub.bad.example/x")).is_err());
        assert!(check_host(&c, &u("https://good.example/x")).is_ok());
        c.federation.allowed_domains = vec!["brest.example".into()];
        assert!(check_host(&c, &u("https://good.example/x")).is_err());
        assert!(check_host(&c, &u("https://asso.brest.example/x")).is_ok());
    }
}
