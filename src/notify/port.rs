//! The one way a notice reaches a person on another server: a [`DirectMessage`] handed to the
//! [`DirectMessages`] port, which the federation side implements (a signed `Create{Note}` to
//! their inbox) and gives back as a delivery, queued with the notice in one transaction. So
//! `notify` plans from what happened and never depends on `federation`; `federation` depends
//! on `notify` (it calls [`super::plan`] and implements this port).

use crate::{
    state::Context,
    storage::{NewDelivery, StoreError},
};

/// A message to one person on another server, from one of our actors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectMessage {
    pub from_actor_id: i64,
    pub to_actor_ap_id: String,
    /// Sanitised HTML.
    pub content_html: String,
}

/// Turns direct messages into deliveries.
#[async_trait::async_trait]
pub trait DirectMessages: Send + Sync {
    /// The delivery carrying `message`, ready to queue; `None` when the person is unknown
    /// here or local (nobody to deliver to on another server).
    async fn delivery(
        &self,
        ctx: &Context,
        message: &DirectMessage,
    ) -> Result<Option<NewDelivery>, NotifyError>;
}

/// Why notices could not be planned or recorded.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The port could not make a delivery of a direct message.
    #[error("direct message: {0}")]
    Direct(String),
}

#[cfg(test)]
mod tests {
    /// The dependency goes one way: no file of `notify` names the federation module.
    #[test]
    fn notify_does_not_import_federation() {
        let needle = concat!("federation", "::");
        for (file, text) in [
            ("mod.rs", include_str!("mod.rs")),
            ("mail.rs", include_str!("mail.rs")),
            ("messages.rs", include_str!("messages.rs")),
            ("reservations.rs", include_str!("reservations.rs")),
            ("port.rs", include_str!("port.rs")),
        ] {
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                assert!(
                    code.starts_with("//") || !code.contains(needle),
                    "src/notify/{file}:{}: {line}",
                    n + 1
                );
            }
        }
    }
}
