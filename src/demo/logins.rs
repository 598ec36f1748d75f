//! The demo's accounts and their published password: open while the node runs `--demo`,
//! closed when it starts without. A demo account is known by its name and its address at
//! `example.org` (a domain reserved for examples: no real person has it), so that a real
//! account that happens to bear a demo name is left alone.

use super::{DEMO_PASSWORD, DEMO_SECOND_VOLUNTEER, DEMO_VOLUNTEER};
use crate::{
    domain::account::User,
    service::accounts::{check_password, hash_password_bounded, new_secret},
    storage::AccountStore,
};

/// The names of the demo's accounts.
const NAMES: [&str; 3] = ["demo", DEMO_VOLUNTEER, DEMO_SECOND_VOLUNTEER];

/// The email of the demo account `name`.
pub(super) fn email(name: &str) -> String {
    format!("{name}@example.org")
}

/// The demo's accounts that exist on this node.
async fn demo_accounts(store: &dyn AccountStore) -> anyhow::Result<Vec<User>> {
    let mut found = Vec::new();
    for name in NAMES {
        if let Some(user) = store.find_user_by_name(name).await? {
            if user.email.as_deref() == Some(email(name).as_str()) {
                found.push(user);
            }
        }
    }
    Ok(found)
}

/// With `open`, each demo account opens with [`DEMO_PASSWORD`]; without, those that do are
/// given a random password instead, and their sessions and API tokens end.
pub(super) async fn demo_password(store: &dyn AccountStore, open: bool) -> anyhow::Result<()> {
    for user in demo_accounts(store).await? {
        let opens = check_password(Some(user.clone()), DEMO_PASSWORD)
            .await
            .is_ok();
        if open && !opens {
            let hash = hash_password_bounded(DEMO_PASSWORD).await?;
            store.set_password(user.id, &hash, None).await?;
            tracing::info!(account = %user.name, "demo: the demo password opens this account again");
        } else if !open && opens {
            let (secret, _) = new_secret();
            let hash = hash_password_bounded(&secret).await?;
            store.set_password(user.id, &hash, None).await?;
            for token in store.list_api_tokens(user.id).await? {
                store.delete_api_token(user.id, token.id).await?;
            }
            tracing::warn!(account = %user.name, "demo: started without --demo, the demo password no longer opens this account");
        }
    }
    Ok(())
}
