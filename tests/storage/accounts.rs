//! Accounts (`AccountStore`): users, sessions and API tokens.

use crate::fixtures::*;
use entraide::domain::account::ApiToken;
use entraide::storage::{NewUser, Store, StoreError};

on_both_backends!(
    users_sessions_and_tokens,
    users_read_at_once,
    users_by_email,
    tokens_listed_and_revoked
);

/// A user by email, without regard to ASCII case; none when two accounts share it.
async fn users_by_email(s: &dyn Store) {
    let [alice, _bob] = users(s, ["alice", "bob"]).await;
    assert_eq!(
        s.find_user_by_email("alice@example.org").await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(
        s.find_user_by_email("ALICE@Example.ORG").await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(s.find_user_by_email("alice").await.unwrap(), None);
    assert_eq!(
        s.find_user_by_email("carol@example.org").await.unwrap(),
        None
    );
    let twin = NewUser::by_operator("bob2", Some("Bob@example.org"), None);
    s.create_user(twin, t(1)).await.unwrap();
    assert_eq!(
        s.find_user_by_email("bob@example.org").await.unwrap(),
        None,
        "an email two accounts share names neither"
    );
}

/// Tokens get ids; a user lists theirs, oldest first, and revokes only their own.
async fn tokens_listed_and_revoked(s: &dyn Store) {
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let first = s
        .create_api_token(alice.id, "hash-1", "phone", t(1))
        .await
        .unwrap();
    assert_eq!(
        first,
        ApiToken {
            id: first.id,
            user_id: alice.id,
            label: "phone".into(),
            created_at: t(1),
        }
    );
    let second = s
        .create_api_token(alice.id, "hash-2", "laptop", t(2))
        .await
        .unwrap();
    let bobs = s
        .create_api_token(bob.id, "hash-3", "cli", t(3))
        .await
        .unwrap();
    assert!(first.id < second.id && second.id < bobs.id);
    assert_eq!(
        s.list_api_tokens(alice.id).await.unwrap(),
        vec![first.clone(), second.clone()]
    );
    assert_eq!(s.list_api_tokens(bob.id).await.unwrap(), vec![bobs.clone()]);

    // Someone else's token, or an unknown one, is not deleted.
    assert!(!s.delete_api_token(alice.id, bobs.id).await.unwrap());
    assert!(!s.delete_api_token(alice.id, bobs.id + 100).await.unwrap());
    assert_eq!(
        s.find_token_user("hash-3").await.unwrap(),
        Some(bob.clone())
    );

    assert!(s.delete_api_token(alice.id, second.id).await.unwrap());
    assert!(!s.delete_api_token(alice.id, second.id).await.unwrap());
    assert_eq!(s.find_token_user("hash-2").await.unwrap(), None);
    assert_eq!(
        s.find_token_user("hash-1").await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(s.list_api_tokens(alice.id).await.unwrap(), vec![first]);

    // Ids are not given again after a revocation.
    let third = s
        .create_api_token(alice.id, "hash-4", "tablet", t(4))
        .await
        .unwrap();
    assert!(third.id > bobs.id, "{} after {}", third.id, bobs.id);
}

/// Users by a list of ids: each once, by id; unknown ids left out.
async fn users_read_at_once(s: &dyn Store) {
    let [alice, bob, carol] = users(s, ["alice", "bob", "carol"]).await;
    assert!(s.get_users(&[]).await.unwrap().is_empty());
    let read = s
        .get_users(&[carol.id, alice.id, carol.id, carol.id + bob.id + 100])
        .await
        .unwrap();
    assert_eq!(read, vec![alice.clone(), carol.clone()]);
    // More ids than one statement binds.
    let many: Vec<i64> = (0..1200)
        .map(|i| bob.id + 1000 + i)
        .chain([bob.id])
        .collect();
    assert_eq!(s.get_users(&many).await.unwrap(), vec![bob]);
}

async fn users_sessions_and_tokens(s: &dyn Store) {
    assert_eq!(s.count_users().await.unwrap(), 0);
    let alice = user(s, "alice").await;
    assert_eq!(alice.name, "alice");
    assert_eq!(alice.email.as_deref(), Some("alice@example.org"));
    assert_eq!(alice.password_hash.as_deref(), Some("hash-of-alice"));
    assert!(!alice.is_admin);
    assert_eq!(alice.created_at, t(0));
    let admin = s
        .create_user(
            NewUser {
                is_admin: true,
                ..NewUser::by_operator("root", None, None)
            },
            t(1),
        )
        .await
        .unwrap();
    assert!(admin.is_admin);
    assert_eq!(admin.email, None);
    assert_ne!(admin.id, alice.id);

    assert_eq!(
        s.find_user_by_name("alice").await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(s.find_user_by_name("nobody").await.unwrap(), None);
    assert_eq!(s.get_user(alice.id).await.unwrap(), alice);
    // A list's users in one read: by id, unknown ones left out, each once.
    assert!(s.get_users(&[]).await.unwrap().is_empty());
    assert_eq!(
        s.get_users(&[admin.id, alice.id + admin.id + 100, alice.id, admin.id])
            .await
            .unwrap(),
        if alice.id < admin.id {
            vec![alice.clone(), admin.clone()]
        } else {
            vec![admin.clone(), alice.clone()]
        }
    );
    let many: Vec<i64> = (1000..2200).chain([alice.id]).collect();
    assert_eq!(s.get_users(&many).await.unwrap(), vec![alice.clone()]);
    assert!(matches!(
        s.get_user(alice.id + admin.id + 100).await,
        Err(StoreError::NotFound(_))
    ));

    // Names are unique.
    let again = s
        .create_user(NewUser::by_operator("alice", None, None), t(2))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(s.count_users().await.unwrap(), 2);

    // Sessions last until their expiry, exclusive.
    s.create_session(alice.id, "session-a", t(60))
        .await
        .unwrap();
    s.create_session(admin.id, "session-r", t(120))
        .await
        .unwrap();
    assert_eq!(
        s.find_session_user("session-a", t(59)).await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(s.find_session_user("session-a", t(60)).await.unwrap(), None);
    assert_eq!(s.find_session_user("session-a", t(61)).await.unwrap(), None);
    assert_eq!(
        s.find_session_user("session-r", t(61)).await.unwrap(),
        Some(admin.clone())
    );
    assert_eq!(s.find_session_user("unknown", t(0)).await.unwrap(), None);
    s.delete_session("session-a").await.unwrap();
    assert_eq!(s.find_session_user("session-a", t(0)).await.unwrap(), None);
    assert_eq!(
        s.find_session_user("session-r", t(0)).await.unwrap(),
        Some(admin.clone())
    );
    s.delete_session("never-existed").await.unwrap();

    // API tokens are found by their hash and do not expire.
    s.create_api_token(alice.id, "token-a", "cli", t(0))
        .await
        .unwrap();
    s.create_api_token(admin.id, "token-r", "ops", t(0))
        .await
        .unwrap();
    assert_eq!(
        s.find_token_user("token-a").await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(s.find_token_user("token-r").await.unwrap(), Some(admin));
    assert_eq!(
        s.find_token_user("session-r").await.unwrap(),
        None,
        "a session is not a token"
    );
    assert_eq!(s.find_token_user("unknown").await.unwrap(), None);
    assert!(
        s.create_api_token(alice.id, "token-a", "again", t(1))
            .await
            .is_err(),
        "token hashes are unique"
    );
    assert_eq!(s.find_token_user("token-a").await.unwrap(), Some(alice));
}
