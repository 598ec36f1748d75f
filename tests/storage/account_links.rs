//! Accounts (`AccountStore`), issue 14: states, profile, passwords and the one-time links sent
//! by email.

use crate::fixtures::*;
use entraide::domain::account::AccountState;
use entraide::domain::actor::ActorKind;
use entraide::domain::events::Outgoing;
use entraide::storage::{LinkPurpose, NewAccountLink, NewUser, Store};

on_both_backends!(
    new_accounts_wait_and_are_decided_once,
    emails_in_use_without_case,
    profile_names_the_account_and_its_actor,
    a_new_password_ends_the_other_sessions,
    confirmation_links_work_once_before_they_expire,
    reset_links_set_the_password_and_end_every_session
);

fn link(
    user_id: i64,
    purpose: LinkPurpose,
    hash: &str,
    email: Option<&str>,
    until: i64,
) -> NewAccountLink {
    NewAccountLink {
        user_id,
        purpose,
        token_hash: hash.into(),
        email: email.map(str::to_string),
        expires_at: t(until),
    }
}

async fn registered(
    s: &dyn Store,
    name: &str,
    state: AccountState,
) -> entraide::domain::account::User {
    s.create_user(
        NewUser {
            full_name: "Anne Kerhervé".into(),
            language: "en".into(),
            email_confirmed: false,
            state,
            ..NewUser::by_operator(name, Some(&format!("{name}@example.org")), Some("h".into()))
        },
        t(0),
    )
    .await
    .unwrap()
}

async fn new_accounts_wait_and_are_decided_once(s: &dyn Store) {
    let [_alice] = users(s, ["alice"]).await;
    let anne = registered(s, "anne", AccountState::Pending).await;
    assert_eq!(anne.full_name, "Anne Kerhervé");
    assert_eq!(anne.language, "en");
    assert!(!anne.email_confirmed);
    let waiting = s.list_users_in_state(AccountState::Pending).await.unwrap();
    assert_eq!(
        waiting.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["anne"]
    );
    assert!(s
        .set_user_state(anne.id, AccountState::Pending, AccountState::Active)
        .await
        .unwrap());
    assert!(
        !s.set_user_state(anne.id, AccountState::Pending, AccountState::Refused)
            .await
            .unwrap(),
        "decided once"
    );
    assert_eq!(
        s.get_user(anne.id).await.unwrap().state,
        AccountState::Active
    );
    assert!(s
        .list_users_in_state(AccountState::Pending)
        .await
        .unwrap()
        .is_empty());
    s.confirm_user_email(anne.id).await.unwrap();
    assert!(s.get_user(anne.id).await.unwrap().email_confirmed);
    assert!(s.confirm_user_email(anne.id + 100).await.is_err());
}

async fn emails_in_use_without_case(s: &dyn Store) {
    users(s, ["alice"]).await;
    assert!(s.email_in_use("ALICE@example.org").await.unwrap());
    assert!(s.email_in_use(" alice@example.org ").await.unwrap());
    assert!(!s.email_in_use("bob@example.org").await.unwrap());
}

async fn profile_names_the_account_and_its_actor(s: &dyn Store) {
    let [alice] = users(s, ["alice"]).await;
    s.create_local_actor(
        new_local(ActorKind::Person, "alice", Some(alice.id)),
        &format!("{BASE}/u/alice"),
        HOST,
        None,
        t(0),
    )
    .await
    .unwrap();
    take_events(s).await;
    s.update_user_profile(alice.id, "Alice Le Goff", "Alice L.", "fr", t(1))
        .await
        .unwrap();
    let read = s.get_user(alice.id).await.unwrap();
    assert_eq!(
        (read.full_name.as_str(), read.language.as_str()),
        ("Alice Le Goff", "fr")
    );
    let actor = s
        .find_local_actor("Person", "alice")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(actor.display_name, "Alice L.");
    // A new public name is told to the followers; the same name again, or a private change, not.
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ProfileUpdated { actor_id: actor.id }]
    );
    s.update_user_profile(alice.id, "Alice Le Goff-Kerné", "Alice L.", "fr", t(2))
        .await
        .unwrap();
    assert_eq!(take_events(s).await, Vec::<Outgoing>::new());
    assert!(s
        .update_user_profile(alice.id + 100, "", "", "", t(2))
        .await
        .is_err());
}

async fn a_new_password_ends_the_other_sessions(s: &dyn Store) {
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    for (user, hash) in [(&alice, "s1"), (&alice, "s2"), (&bob, "s3")] {
        s.create_session(user.id, hash, t(600)).await.unwrap();
    }
    s.set_password(alice.id, "new-hash", Some("s1"))
        .await
        .unwrap();
    assert_eq!(
        s.get_user(alice.id).await.unwrap().password_hash.as_deref(),
        Some("new-hash")
    );
    assert!(
        s.find_session_user("s1", t(1)).await.unwrap().is_some(),
        "kept"
    );
    assert!(
        s.find_session_user("s2", t(1)).await.unwrap().is_none(),
        "ended"
    );
    assert!(
        s.find_session_user("s3", t(1)).await.unwrap().is_some(),
        "someone else's"
    );
    s.set_password(alice.id, "newer", None).await.unwrap();
    assert!(s.find_session_user("s1", t(1)).await.unwrap().is_none());
}

async fn confirmation_links_work_once_before_they_expire(s: &dyn Store) {
    let anne = registered(s, "anne", AccountState::Active).await;
    let purpose = LinkPurpose::Confirm;
    s.create_account_link(
        link(anne.id, purpose, "c1", Some("anne@example.org"), 60),
        t(0),
    )
    .await
    .unwrap();
    assert!(s
        .redeem_confirm_link("unknown", t(1))
        .await
        .unwrap()
        .is_none());
    assert!(
        s.redeem_confirm_link("c1", t(60)).await.unwrap().is_none(),
        "expired"
    );
    // A later link makes the earlier one useless.
    s.create_account_link(
        link(anne.id, purpose, "c2", Some("anne@example.org"), 60),
        t(1),
    )
    .await
    .unwrap();
    s.create_account_link(
        link(anne.id, purpose, "c3", Some("new@example.org"), 120),
        t(2),
    )
    .await
    .unwrap();
    assert!(
        s.redeem_confirm_link("c2", t(3)).await.unwrap().is_none(),
        "replaced"
    );
    // A reset link is no confirmation link.
    s.create_account_link(link(anne.id, LinkPurpose::Reset, "r1", None, 120), t(2))
        .await
        .unwrap();
    assert!(s.redeem_confirm_link("r1", t(3)).await.unwrap().is_none());
    let confirmed = s.redeem_confirm_link("c3", t(3)).await.unwrap().unwrap();
    assert!(confirmed.email_confirmed);
    assert_eq!(confirmed.email.as_deref(), Some("new@example.org"));
    assert!(
        s.redeem_confirm_link("c3", t(4)).await.unwrap().is_none(),
        "once"
    );
}

async fn reset_links_set_the_password_and_end_every_session(s: &dyn Store) {
    let anne = registered(s, "anne", AccountState::Active).await;
    s.create_session(anne.id, "sess", t(600)).await.unwrap();
    s.create_account_link(link(anne.id, LinkPurpose::Reset, "r1", None, 60), t(0))
        .await
        .unwrap();
    assert!(
        s.redeem_reset_link("r1", "x", t(61))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert_eq!(
        s.get_user(anne.id).await.unwrap().password_hash.as_deref(),
        Some("h")
    );
    s.create_account_link(link(anne.id, LinkPurpose::Reset, "r2", None, 60), t(0))
        .await
        .unwrap();
    let done = s
        .redeem_reset_link("r2", "fresh", t(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.password_hash.as_deref(), Some("fresh"));
    assert!(done.email_confirmed, "the link came to the address");
    assert!(s.find_session_user("sess", t(2)).await.unwrap().is_none());
    assert!(
        s.redeem_reset_link("r2", "again", t(2))
            .await
            .unwrap()
            .is_none(),
        "once"
    );
}
