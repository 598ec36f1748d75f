//! The storage conformance suite: every method of `entraide::storage::Store`, written once
//! against `&dyn Store` and run on SQLite (a temporary file, always) and on PostgreSQL (a fresh
//! database next to `TEST_DATABASE_URL`; "NOT RUN on PostgreSQL" is printed when it is unset).

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use entraide::{
    domain::{
        account::{Role, User},
        actor::{Actor, ActorKind, Follower, Following, NewLocalActor, RemoteActor},
        events::Outgoing,
        mission::{JoinMode, Mission, MissionDraft, MissionStatus, Place},
    },
    storage::{
        MissionQuery, NewDelivery, NewMission, NewUser, OutboxEvent, PurgedHistory, QueueStats,
        RemoteMission, Store, StoreError,
    },
};
use serde_json::json;
use std::collections::BTreeSet;

/// Runs each suite function on SQLite and on PostgreSQL, as `sqlite::<name>` and `postgres::<name>`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (store, _dir) = crate::common::sqlite_store().await;
                    crate::$name(store.as_ref()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = crate::common::PgDb::fresh(concat!("storage::postgres::", stringify!($name))).await else {
                        return;
                    };
                    let store = db.store().await;
                    crate::$name(store.as_ref()).await;
                }
            )*
        }
    };
}

on_both_backends!(
    users_sessions_and_tokens,
    local_actors_and_memberships,
    remote_actors,
    followers,
    following,
    missions_create_update_delete,
    list_missions_filters,
    remote_missions,
    received_activities,
    outbox_claims_and_leases,
    deliveries,
    one_document_to_many_inboxes,
    history_purge,
);

// ---------------------------------------------------------------------------------------------
// Fixtures

const BASE: &str = "https://local.example";
const HOST: &str = "local.example";

/// A fixed clock: `t(m)` is `m` minutes after 2030-01-01 12:00 UTC (whole seconds, so every
/// back end gives the same value back).
fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 12, 0, 0).single().unwrap() + Duration::minutes(minutes)
}

async fn user(s: &dyn Store, name: &str) -> User {
    s.create_user(
        NewUser {
            name: name.into(),
            email: Some(format!("{name}@example.org")),
            password_hash: Some(format!("hash-of-{name}")),
            is_admin: false,
        },
        t(0),
    )
    .await
    .unwrap()
}

fn new_local(kind: ActorKind, name: &str, user_id: Option<i64>) -> NewLocalActor {
    NewLocalActor {
        kind,
        name: name.into(),
        display_name: format!("{name} (display)"),
        summary: "Résumé".into(),
        public_key_pem: format!("PUBLIC KEY {name}"),
        private_key_pem: format!("PRIVATE KEY {name}"),
        user_id,
    }
}

async fn group(s: &dyn Store, name: &str, owner: Option<i64>) -> Actor {
    s.create_local_actor(
        new_local(ActorKind::Group, name, None),
        &format!("{BASE}/g/{name}"),
        HOST,
        owner,
        t(0),
    )
    .await
    .unwrap()
}

fn remote_actor(host: &str, name: &str) -> RemoteActor {
    let id = format!("https://{host}/g/{name}");
    RemoteActor {
        ap_id: id.clone(),
        kind: ActorKind::Group,
        name: name.into(),
        host: host.into(),
        display_name: format!("{name} at {host}"),
        summary: "<p>Remote</p>".into(),
        inbox: format!("{id}/inbox"),
        shared_inbox: Some(format!("https://{host}/inbox")),
        outbox: Some(format!("{id}/outbox")),
        followers: Some(format!("{id}/followers")),
        url: Some(format!("https://{host}/@{name}")),
        public_key_pem: format!("REMOTE KEY {name}"),
    }
}

fn draft(title: &str, start: DateTime<Utc>, hours: i64) -> MissionDraft {
    MissionDraft {
        title: title.into(),
        description: format!("Description of {title}"),
        category: "solidarity".into(),
        skills: vec!["cuisine".into(), "accueil".into()],
        place: Place {
            name: "Salle Jangot".into(),
            street_address: "10 rue Jangot".into(),
            postal_code: "29200".into(),
            locality: "Brest".into(),
            country: "FR".into(),
            latitude: Some(48.39),
            longitude: Some(-4.49),
        },
        online: false,
        start_time: start,
        end_time: start + Duration::hours(hours),
        capacity: Some(8),
        join_mode: JoinMode::Free,
        status: MissionStatus::Published,
        regular: false,
        commitment_minutes: None,
        commitment_period: String::new(),
        reduced_mobility: false,
        open_to_minors: false,
        contact: String::new(),
    }
}

async fn mission(s: &dyn Store, actor_id: i64, slug: &str, start: DateTime<Utc>) -> Mission {
    let ap_id = format!("{BASE}/m/{slug}");
    s.create_mission(NewMission {
        url: ap_id.clone(),
        ap_id,
        actor_id,
        content_html: format!("<p>{slug}</p>"),
        draft: draft(slug, start, 3),
        now: t(0),
    })
    .await
    .unwrap()
}

fn remote_mission(
    actor_id: i64,
    ap_id: &str,
    title: &str,
    start: DateTime<Utc>,
    updated: DateTime<Utc>,
) -> RemoteMission {
    RemoteMission {
        ap_id: ap_id.into(),
        url: format!("{ap_id}/page"),
        actor_id,
        content_html: format!("<p>{title}</p>"),
        remote_summary: format!("summary of {title}"),
        draft: MissionDraft {
            description: String::new(),
            ..draft(title, start, 2)
        },
        participant_count: 3,
        published: t(0),
        updated,
    }
}

/// Takes every pending outbox event (claims and completes it with no delivery), in order.
async fn take_events(s: &dyn Store) -> Vec<Outgoing> {
    let claimed = s.claim_outbox_events(1000, t(0), t(1)).await.unwrap();
    let mut out = Vec::new();
    for e in claimed {
        s.complete_outbox_event(e.id, Vec::new(), t(0))
            .await
            .unwrap();
        out.push(e.event);
    }
    out
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
    items.iter().map(id).collect()
}

fn titles(missions: &[Mission]) -> Vec<&str> {
    missions.iter().map(|m| m.title.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// The suite

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
                name: "root".into(),
                email: None,
                password_hash: None,
                is_admin: true,
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
    assert!(matches!(
        s.get_user(alice.id + admin.id + 100).await,
        Err(StoreError::NotFound(_))
    ));

    // Names are unique.
    let again = s
        .create_user(
            NewUser {
                name: "alice".into(),
                email: None,
                password_hash: None,
                is_admin: false,
            },
            t(2),
        )
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

async fn local_actors_and_memberships(s: &dyn Store) {
    let alice = user(s, "alice").await;
    let bob = user(s, "bob").await;

    let g = group(s, "epicerie", Some(alice.id)).await;
    assert!(g.local);
    assert_eq!(g.kind, ActorKind::Group);
    assert_eq!(g.name, "epicerie");
    assert_eq!(g.host, HOST);
    assert_eq!(g.ap_id, format!("{BASE}/g/epicerie"));
    assert_eq!(g.display_name, "epicerie (display)");
    assert_eq!(g.summary, "Résumé");
    assert_eq!(g.inbox, format!("{BASE}/g/epicerie/inbox"));
    assert_eq!(
        g.shared_inbox.as_deref(),
        Some(format!("{BASE}/inbox").as_str())
    );
    assert_eq!(
        g.outbox.as_deref(),
        Some(format!("{BASE}/g/epicerie/outbox").as_str())
    );
    assert_eq!(
        g.followers.as_deref(),
        Some(format!("{BASE}/g/epicerie/followers").as_str())
    );
    assert_eq!(g.url.as_deref(), Some(g.ap_id.as_str()));
    assert_eq!(g.public_key_pem, "PUBLIC KEY epicerie");
    assert_eq!(g.private_key_pem.as_deref(), Some("PRIVATE KEY epicerie"));
    assert_eq!(g.user_id, None);
    assert_eq!(g.published, t(0));

    // The owner's membership comes with the group.
    assert_eq!(
        s.member_role(g.id, alice.id).await.unwrap(),
        Some(Role::Owner)
    );
    assert_eq!(s.member_role(g.id, bob.id).await.unwrap(), None);

    // A group and a person may share a name; two local actors of one kind may not.
    let p = s
        .create_local_actor(
            new_local(ActorKind::Person, "epicerie", Some(bob.id)),
            &format!("{BASE}/u/epicerie"),
            HOST,
            None,
            t(0),
        )
        .await
        .unwrap();
    assert_eq!(p.kind, ActorKind::Person);
    assert_eq!(p.user_id, Some(bob.id));
    let twin = s
        .create_local_actor(
            new_local(ActorKind::Group, "epicerie", None),
            &format!("{BASE}/g/epicerie-2"),
            HOST,
            Some(bob.id),
            t(0),
        )
        .await;
    assert!(matches!(twin, Err(StoreError::Conflict(_))), "{twin:?}");
    let same_id = s
        .create_local_actor(
            new_local(ActorKind::Group, "other", None),
            &g.ap_id,
            HOST,
            Some(bob.id),
            t(0),
        )
        .await;
    assert!(
        matches!(same_id, Err(StoreError::Conflict(_))),
        "{same_id:?}"
    );
    // A refused creation leaves no membership behind (one transaction).
    assert!(s.memberships(bob.id).await.unwrap().is_empty());

    assert_eq!(
        s.find_local_actor("Group", "epicerie").await.unwrap(),
        Some(g.clone())
    );
    assert_eq!(
        s.find_local_actor("Person", "epicerie").await.unwrap(),
        Some(p.clone())
    );
    assert_eq!(s.find_local_actor("Group", "nobody").await.unwrap(), None);
    assert_eq!(s.get_actor(g.id).await.unwrap(), g);
    assert!(matches!(
        s.get_actor(g.id + p.id + 100).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.find_actor_by_ap_id(&p.ap_id).await.unwrap(),
        Some(p.clone())
    );
    assert_eq!(
        s.find_actor_by_ap_id("https://nowhere.example/x")
            .await
            .unwrap(),
        None
    );

    // Listed by kind, sorted by name; remote actors are not local, even with the same name.
    let atelier = group(s, "atelier", Some(alice.id)).await;
    s.upsert_remote_actor(remote_actor("remote.example", "epicerie"), t(0))
        .await
        .unwrap();
    let groups = s.list_local_actors("Group").await.unwrap();
    assert_eq!(
        groups.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["atelier", "epicerie"]
    );
    assert_eq!(
        s.list_local_actors("Person").await.unwrap(),
        vec![p.clone()]
    );
    assert!(s.list_local_actors("Application").await.unwrap().is_empty());
    assert_eq!(
        s.find_local_actor("Group", "epicerie").await.unwrap(),
        Some(g.clone())
    );

    // Roles: set, then changed in place.
    s.set_member(g.id, bob.id, Role::Member).await.unwrap();
    assert_eq!(
        s.member_role(g.id, bob.id).await.unwrap(),
        Some(Role::Member)
    );
    s.set_member(g.id, bob.id, Role::Coordinator).await.unwrap();
    assert_eq!(
        s.member_role(g.id, bob.id).await.unwrap(),
        Some(Role::Coordinator)
    );
    assert_eq!(s.member_role(atelier.id, bob.id).await.unwrap(), None);
    assert_eq!(
        s.memberships(bob.id).await.unwrap(),
        vec![(g.clone(), Role::Coordinator)]
    );
    let mut alice_in = s.memberships(alice.id).await.unwrap();
    alice_in.sort_by_key(|(a, _)| a.name.clone());
    assert_eq!(alice_in, vec![(atelier, Role::Owner), (g, Role::Owner)]);
}

async fn remote_actors(s: &dyn Store) {
    let a = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();
    assert!(!a.local);
    assert_eq!(a.kind, ActorKind::Group);
    assert_eq!(a.name, "voisins");
    assert_eq!(a.host, "remote.example");
    assert_eq!(a.display_name, "voisins at remote.example");
    assert_eq!(
        a.shared_inbox.as_deref(),
        Some("https://remote.example/inbox")
    );
    assert_eq!(a.url.as_deref(), Some("https://remote.example/@voisins"));
    assert_eq!(a.private_key_pem, None);
    assert_eq!(a.user_id, None);
    assert_eq!(a.published, t(0));
    assert_eq!(a.last_refreshed_at, t(0));
    assert_eq!(
        s.find_actor_by_ap_id(&a.ap_id).await.unwrap(),
        Some(a.clone())
    );

    // A second read refreshes the same row.
    let mut changed = remote_actor("remote.example", "voisins");
    changed.kind = ActorKind::Person;
    changed.display_name = "Les voisins".into();
    changed.summary = "<p>New</p>".into();
    changed.inbox = "https://remote.example/other-inbox".into();
    changed.shared_inbox = None;
    changed.url = None;
    changed.public_key_pem = "ROTATED KEY".into();
    let b = s.upsert_remote_actor(changed, t(10)).await.unwrap();
    assert_eq!(b.id, a.id);
    assert_eq!(b.kind, ActorKind::Person);
    assert_eq!(b.display_name, "Les voisins");
    assert_eq!(b.summary, "<p>New</p>");
    assert_eq!(b.inbox, "https://remote.example/other-inbox");
    assert_eq!(b.shared_inbox, None);
    assert_eq!(b.url, None);
    assert_eq!(b.public_key_pem, "ROTATED KEY");
    assert_eq!(b.last_refreshed_at, t(10));
    assert_eq!(b.published, t(0), "published is kept");
    assert_eq!(s.get_actor(a.id).await.unwrap(), b);

    // A remote document can never overwrite one of our actors.
    let g = group(s, "epicerie", None).await;
    let mut forged = remote_actor("local.example", "epicerie");
    forged.ap_id = g.ap_id.clone();
    forged.public_key_pem = "ATTACKER KEY".into();
    let refused = s.upsert_remote_actor(forged, t(20)).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert_eq!(s.get_actor(g.id).await.unwrap(), g);
    assert_eq!(s.find_local_actor("Group", "voisins").await.unwrap(), None);
}

fn follower(name: &str, follow: u32) -> Follower {
    Follower {
        actor_ap_id: format!("https://remote.example/u/{name}"),
        inbox: format!("https://remote.example/u/{name}/inbox"),
        shared_inbox: Some("https://remote.example/inbox".into()),
        follow_ap_id: format!("https://remote.example/follows/{name}/{follow}"),
    }
}

fn accept(actor_id: i64, f: &Follower) -> Outgoing {
    Outgoing::FollowAccepted {
        local_actor_id: actor_id,
        follow: json!({"id": f.follow_ap_id, "type": "Follow", "actor": f.actor_ap_id}),
        inbox: f.inbox.clone(),
    }
}

async fn followers(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    assert!(take_events(s).await.is_empty());

    let ann1 = follower("ann", 1);
    assert!(s
        .add_follower(g.id, ann1.clone(), accept(g.id, &ann1), t(0))
        .await
        .unwrap());
    // The same follower again: still one row (refreshed), but the Accept is sent again.
    let mut ann2 = follower("ann", 2);
    ann2.shared_inbox = None;
    assert!(!s
        .add_follower(g.id, ann2.clone(), accept(g.id, &ann2), t(1))
        .await
        .unwrap());
    assert_eq!(s.count_followers(g.id).await.unwrap(), 1);
    assert_eq!(s.list_followers(g.id).await.unwrap(), vec![ann2.clone()]);
    assert_eq!(
        take_events(s).await,
        vec![accept(g.id, &ann1), accept(g.id, &ann2)]
    );

    let ben = follower("ben", 1);
    assert!(s
        .add_follower(g.id, ben.clone(), accept(g.id, &ben), t(2))
        .await
        .unwrap());
    assert_eq!(
        s.list_followers(g.id).await.unwrap(),
        vec![ann2.clone(), ben.clone()]
    );
    assert_eq!(s.count_followers(g.id).await.unwrap(), 2);
    // Followers belong to one actor.
    assert_eq!(s.count_followers(h.id).await.unwrap(), 0);
    assert!(s.list_followers(h.id).await.unwrap().is_empty());
    assert!(s
        .add_follower(h.id, ben.clone(), accept(h.id, &ben), t(3))
        .await
        .unwrap());
    assert_eq!(s.count_followers(h.id).await.unwrap(), 1);

    assert!(s.remove_follower(g.id, &ann2.actor_ap_id).await.unwrap());
    assert!(!s.remove_follower(g.id, &ann2.actor_ap_id).await.unwrap());
    assert_eq!(s.list_followers(g.id).await.unwrap(), vec![ben.clone()]);
    assert_eq!(
        s.count_followers(h.id).await.unwrap(),
        1,
        "removing from one actor leaves the other"
    );
}

fn follow_request(local_actor_id: i64, target: &str, n: u32) -> (Following, Outgoing) {
    let follow_ap_id = format!("{BASE}/follows/{n}");
    (
        // `accepted` is decided by the store, whatever the caller says.
        Following {
            local_actor_id,
            target_ap_id: target.into(),
            follow_ap_id: follow_ap_id.clone(),
            accepted: true,
        },
        Outgoing::FollowRequested {
            local_actor_id,
            target_ap_id: target.into(),
            follow_ap_id,
        },
    )
}

async fn following(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    let target = "https://remote.example/g/voisins";
    let other = "https://other.example/g/amis";
    assert!(!s.is_followed_locally(target).await.unwrap());

    let (f, event) = follow_request(g.id, target, 1);
    assert!(s
        .add_following(f.clone(), event.clone(), t(0))
        .await
        .unwrap());
    let pending = Following {
        accepted: false,
        ..f.clone()
    };
    assert_eq!(s.list_following(g.id).await.unwrap(), vec![pending.clone()]);
    assert_eq!(take_events(s).await, vec![event]);
    assert!(s.is_followed_locally(target).await.unwrap());
    assert!(!s.is_followed_locally(other).await.unwrap());

    // Following again changes nothing and sends nothing.
    let (again, again_event) = follow_request(g.id, target, 2);
    assert!(!s.add_following(again, again_event, t(1)).await.unwrap());
    assert_eq!(s.list_following(g.id).await.unwrap(), vec![pending.clone()]);
    assert!(take_events(s).await.is_empty());
    assert!(s.list_following(h.id).await.unwrap().is_empty());

    // Only the followed actor can answer, and only about its own Follow.
    assert!(!s
        .answer_following(&f.follow_ap_id, other, true)
        .await
        .unwrap());
    assert!(!s
        .answer_following(&format!("{BASE}/follows/999"), target, true)
        .await
        .unwrap());
    assert!(!s
        .answer_following(&f.follow_ap_id, other, false)
        .await
        .unwrap());
    assert_eq!(s.list_following(g.id).await.unwrap(), vec![pending]);
    assert!(s
        .answer_following(&f.follow_ap_id, target, true)
        .await
        .unwrap());
    assert_eq!(
        s.list_following(g.id).await.unwrap(),
        vec![Following {
            accepted: true,
            ..f.clone()
        }]
    );

    // A Reject removes the follow.
    let (f2, e2) = follow_request(h.id, other, 3);
    assert!(s.add_following(f2.clone(), e2, t(2)).await.unwrap());
    assert!(s
        .answer_following(&f2.follow_ap_id, other, false)
        .await
        .unwrap());
    assert!(s.list_following(h.id).await.unwrap().is_empty());
    assert!(!s.is_followed_locally(other).await.unwrap());
    take_events(s).await;

    // Unfollowing records the Undo, once.
    let undo = Outgoing::FollowUndone {
        local_actor_id: g.id,
        target_ap_id: target.into(),
        follow_ap_id: f.follow_ap_id.clone(),
    };
    assert!(s
        .remove_following(g.id, target, undo.clone())
        .await
        .unwrap());
    assert_eq!(take_events(s).await, vec![undo.clone()]);
    assert!(!s.remove_following(g.id, target, undo).await.unwrap());
    assert!(take_events(s).await.is_empty());
    assert!(s.list_following(g.id).await.unwrap().is_empty());
    assert!(!s.is_followed_locally(target).await.unwrap());
}

async fn missions_create_update_delete(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let start = t(24 * 60);
    let m = mission(s, g.id, "distribution", start).await;
    assert!(m.local);
    assert_eq!(m.actor_id, g.id);
    assert_eq!(m.ap_id, format!("{BASE}/m/distribution"));
    assert_eq!(m.url, m.ap_id);
    assert_eq!(m.title, "distribution");
    assert_eq!(m.description, "Description of distribution");
    assert_eq!(m.content_html, "<p>distribution</p>");
    assert_eq!(m.remote_summary, "");
    assert_eq!(m.category, "solidarity");
    assert_eq!(m.skills, vec!["cuisine".to_string(), "accueil".to_string()]);
    assert_eq!(m.place, draft("x", start, 3).place);
    assert!(!m.online);
    assert_eq!(
        (m.start_time, m.end_time),
        (start, start + Duration::hours(3))
    );
    assert_eq!(m.capacity, Some(8));
    assert_eq!(m.participant_count, 0);
    assert_eq!(m.join_mode, JoinMode::Free);
    assert_eq!(m.status, MissionStatus::Published);
    assert_eq!((m.published, m.updated, m.deleted_at), (t(0), t(0), None));
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::MissionPublished { mission_id: m.id }]
    );
    assert_eq!(s.get_mission(m.id).await.unwrap(), m);
    assert_eq!(
        s.find_mission_by_ap_id(&m.ap_id).await.unwrap(),
        Some(m.clone())
    );
    assert_eq!(
        s.find_mission_by_ap_id(&format!("{BASE}/m/nothing"))
            .await
            .unwrap(),
        None
    );
    assert!(matches!(
        s.get_mission(m.id + 100).await,
        Err(StoreError::NotFound(_))
    ));

    // The same id twice is refused, and the refused mission announces nothing.
    let dup = s
        .create_mission(NewMission {
            ap_id: m.ap_id.clone(),
            url: m.url.clone(),
            actor_id: g.id,
            content_html: String::new(),
            draft: draft("dup", start, 1),
            now: t(1),
        })
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    assert!(take_events(s).await.is_empty());

    // An update changes the fields and queues an Update.
    let mut d = draft("Distribution du samedi", start + Duration::hours(1), 4);
    d.description = "Nouvelle description".into();
    d.category = "health".into();
    d.skills = vec!["logistique".into()];
    d.place = Place {
        locality: "Quimper".into(),
        ..Place::default()
    };
    d.online = true;
    d.capacity = None;
    d.join_mode = JoinMode::Restricted;
    d.status = MissionStatus::Cancelled;
    let u = s
        .update_mission(m.id, d.clone(), "<p>Nouvelle</p>", t(5))
        .await
        .unwrap();
    assert_eq!(u.id, m.id);
    assert_eq!(u.title, "Distribution du samedi");
    assert_eq!(u.description, "Nouvelle description");
    assert_eq!(u.content_html, "<p>Nouvelle</p>");
    assert_eq!(u.category, "health");
    assert_eq!(u.skills, vec!["logistique".to_string()]);
    assert_eq!(u.place, d.place);
    assert!(u.online);
    assert_eq!((u.start_time, u.end_time), (d.start_time, d.end_time));
    assert_eq!(u.capacity, None);
    assert_eq!(u.join_mode, JoinMode::Restricted);
    assert_eq!(u.status, MissionStatus::Cancelled);
    assert_eq!((u.published, u.updated), (t(0), t(5)));
    assert_eq!(u.ap_id, m.ap_id);
    assert_eq!(s.get_mission(m.id).await.unwrap(), u);
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::MissionUpdated { mission_id: m.id }]
    );
    let missing = s.update_mission(m.id + 100, d.clone(), "", t(6)).await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    assert!(take_events(s).await.is_empty());

    // A delete keeps the row (to answer 410) and queues a Delete.
    s.delete_mission(m.id, t(10)).await.unwrap();
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::MissionDeleted { mission_id: m.id }]
    );
    let gone = s.get_mission(m.id).await.unwrap();
    assert_eq!(gone.deleted_at, Some(t(10)));
    assert_eq!(gone.title, "Distribution du samedi");
    assert_eq!(s.find_mission_by_ap_id(&m.ap_id).await.unwrap(), Some(gone));
    assert!(matches!(
        s.delete_mission(m.id, t(11)).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.update_mission(m.id, d, "", t(12)).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.delete_mission(m.id + 100, t(11)).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(take_events(s).await.is_empty());
    assert!(s
        .list_missions(MissionQuery::default())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.count_local_missions().await.unwrap(),
        0,
        "a deleted mission is not counted"
    );
}

async fn list_missions_filters(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    let r = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();
    // Ends at t(-47h): over.
    let past = mission(s, g.id, "past", t(-48 * 60)).await;
    // Started an hour ago, ends in two hours: not over.
    let ongoing = mission(s, h.id, "ongoing", t(-60)).await;
    let soon = mission(s, g.id, "soon", t(60)).await;
    let later = mission(s, h.id, "later", t(48 * 60)).await;
    let gone = mission(s, g.id, "gone", t(30)).await;
    s.delete_mission(gone.id, t(1)).await.unwrap();
    let remote = s
        .upsert_remote_mission(remote_mission(
            r.id,
            "https://remote.example/e/1",
            "remote",
            t(24 * 60),
            t(0),
        ))
        .await
        .unwrap();
    let gone_remote = s
        .upsert_remote_mission(remote_mission(
            r.id,
            "https://remote.example/e/2",
            "gone remote",
            t(25 * 60),
            t(0),
        ))
        .await
        .unwrap();
    assert!(s
        .delete_remote_mission(&gone_remote.ap_id, t(1))
        .await
        .unwrap());

    let list = |q: MissionQuery| async move { s.list_missions(q).await.unwrap() };
    // Everything not deleted, by start time.
    let all = list(MissionQuery::default()).await;
    assert_eq!(titles(&all), ["past", "ongoing", "soon", "remote", "later"]);
    // Four of them are ours (the remote one is not), whether over or not.
    assert_eq!(s.count_local_missions().await.unwrap(), 4);
    assert_eq!(all[0], past);
    assert_eq!(
        titles(
            &list(MissionQuery {
                local: Some(true),
                ..Default::default()
            })
            .await
        ),
        ["past", "ongoing", "soon", "later"]
    );
    assert_eq!(
        list(MissionQuery {
            local: Some(false),
            ..Default::default()
        })
        .await,
        vec![remote.clone()]
    );
    assert_eq!(
        titles(
            &list(MissionQuery {
                actor_id: Some(g.id),
                ..Default::default()
            })
            .await
        ),
        ["past", "soon"]
    );
    assert_eq!(
        list(MissionQuery {
            actor_id: Some(r.id),
            ..Default::default()
        })
        .await,
        vec![remote.clone()]
    );
    // Not over yet at t(0): the ongoing one is still listed.
    assert_eq!(
        list(MissionQuery {
            upcoming_after: Some(t(0)),
            ..Default::default()
        })
        .await,
        vec![ongoing, soon, remote, later.clone()]
    );
    assert_eq!(
        list(MissionQuery {
            actor_id: Some(h.id),
            upcoming_after: Some(t(3 * 60)),
            ..Default::default()
        })
        .await,
        vec![later.clone()]
    );
    assert_eq!(
        titles(
            &list(MissionQuery {
                actor_id: Some(h.id),
                local: Some(false),
                ..Default::default()
            })
            .await
        ),
        Vec::<&str>::new()
    );
    // Pages.
    assert_eq!(
        titles(
            &list(MissionQuery {
                limit: 2,
                offset: 1,
                ..Default::default()
            })
            .await
        ),
        ["ongoing", "soon"]
    );
    assert_eq!(
        titles(
            &list(MissionQuery {
                limit: 2,
                offset: 4,
                ..Default::default()
            })
            .await
        ),
        ["later"]
    );
    assert_eq!(
        ids(
            &list(MissionQuery {
                limit: 1,
                ..Default::default()
            })
            .await,
            |m| m.id
        ),
        [past.id]
    );
}

async fn remote_missions(s: &dyn Store) {
    let r = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();
    let intruder = s
        .upsert_remote_actor(remote_actor("evil.example", "intrus"), t(0))
        .await
        .unwrap();
    let g = group(s, "epicerie", None).await;
    let local = mission(s, g.id, "ours", t(60)).await;
    take_events(s).await;

    let ap_id = "https://remote.example/e/1";
    let m = s
        .upsert_remote_mission(remote_mission(r.id, ap_id, "Version 1", t(60), t(0)))
        .await
        .unwrap();
    assert!(!m.local);
    assert_eq!(m.actor_id, r.id);
    assert_eq!(m.ap_id, ap_id);
    assert_eq!(m.url, format!("{ap_id}/page"));
    assert_eq!(m.title, "Version 1");
    assert_eq!(m.description, "");
    assert_eq!(m.content_html, "<p>Version 1</p>");
    assert_eq!(m.remote_summary, "summary of Version 1");
    assert_eq!(m.participant_count, 3);
    assert_eq!(m.capacity, Some(8));
    assert_eq!(m.remaining(), Some(5));
    assert_eq!((m.published, m.updated, m.deleted_at), (t(0), t(0), None));
    assert_eq!(
        s.find_mission_by_ap_id(ap_id).await.unwrap(),
        Some(m.clone())
    );
    assert!(
        take_events(s).await.is_empty(),
        "remote missions are not announced again"
    );

    // A newer version applies.
    let mut v2 = remote_mission(r.id, ap_id, "Version 2", t(120), t(10));
    v2.participant_count = 5;
    v2.remote_summary = "summary 2".into();
    let m2 = s.upsert_remote_mission(v2).await.unwrap();
    assert_eq!(m2.id, m.id);
    assert_eq!(m2.title, "Version 2");
    assert_eq!(m2.start_time, t(120));
    assert_eq!(m2.participant_count, 5);
    assert_eq!(m2.remote_summary, "summary 2");
    assert_eq!((m2.published, m2.updated), (t(0), t(10)));
    assert_eq!(s.get_mission(m.id).await.unwrap(), m2);

    // An older one, arriving late, is ignored.
    let stale = s
        .upsert_remote_mission(remote_mission(r.id, ap_id, "Stale", t(60), t(5)))
        .await
        .unwrap();
    assert_eq!(stale, m2);
    assert_eq!(s.get_mission(m.id).await.unwrap(), m2);

    // Another actor cannot take the mission over, even with a newer date.
    let hijack = s
        .upsert_remote_mission(remote_mission(intruder.id, ap_id, "Hijacked", t(60), t(50)))
        .await
        .unwrap();
    assert_eq!(hijack, m2);
    assert_eq!(s.get_mission(m.id).await.unwrap(), m2);

    // Nor can a remote document change one of our missions.
    let over_local = s
        .upsert_remote_mission(remote_mission(
            r.id,
            &local.ap_id,
            "Overwritten",
            t(60),
            t(500),
        ))
        .await
        .unwrap();
    assert_eq!(over_local, local);
    assert_eq!(s.get_mission(local.id).await.unwrap(), local);
    assert!(!s.delete_remote_mission(&local.ap_id, t(20)).await.unwrap());
    assert_eq!(s.get_mission(local.id).await.unwrap().deleted_at, None);

    // A remote Delete marks it deleted, once; a later Update does not bring it back.
    assert!(s.delete_remote_mission(ap_id, t(20)).await.unwrap());
    assert!(!s.delete_remote_mission(ap_id, t(21)).await.unwrap());
    assert!(!s
        .delete_remote_mission("https://remote.example/e/unknown", t(21))
        .await
        .unwrap());
    let deleted = s.get_mission(m.id).await.unwrap();
    assert_eq!(deleted.deleted_at, Some(t(20)));
    let revived = s
        .upsert_remote_mission(remote_mission(r.id, ap_id, "Revived", t(60), t(100)))
        .await
        .unwrap();
    assert_eq!(revived.deleted_at, Some(t(20)));
    assert_eq!(revived.title, "Version 2");
    assert_eq!(
        s.list_missions(MissionQuery {
            local: Some(false),
            ..Default::default()
        })
        .await
        .unwrap(),
        vec![]
    );
    assert!(take_events(s).await.is_empty());
}

async fn received_activities(s: &dyn Store) {
    let a = "https://remote.example/activities/1";
    let b = "https://remote.example/activities/2";
    assert!(s.record_received_activity(a, t(0)).await.unwrap());
    assert!(
        !s.record_received_activity(a, t(1)).await.unwrap(),
        "a redelivered activity is a duplicate"
    );
    assert!(s.record_received_activity(b, t(1)).await.unwrap());
    // Forgotten (processing failed): the retry is new again.
    s.forget_received_activity(a).await.unwrap();
    assert!(s.record_received_activity(a, t(2)).await.unwrap());
    assert!(!s.record_received_activity(b, t(2)).await.unwrap());
    s.forget_received_activity("https://remote.example/never")
        .await
        .unwrap();

    // Many at once (committed in groups): each id is new exactly once, a known one never.
    let ids: Vec<String> = (0..300)
        .map(|i| format!("https://remote.example/burst/{}", i % 200))
        .collect();
    let answers = futures::future::join_all(
        ids.iter()
            .map(|id| s.record_received_activity(id, t(3)))
            .chain([s.record_received_activity(b, t(3))]),
    )
    .await;
    let answers: Vec<bool> = answers.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(answers.iter().filter(|new| **new).count(), 200);
    assert!(!answers[300], "an id recorded earlier is a duplicate");
    // burst/0…99 were asked twice (positions i and i + 200): new exactly once.
    for i in 0..100 {
        assert!(answers[i] ^ answers[i + 200], "burst/{i}: new once");
    }
    assert!(answers[100..200].iter().all(|new| *new));
    assert!(!s
        .record_received_activity("https://remote.example/burst/7", t(4))
        .await
        .unwrap());
}

fn event_ids(events: &[OutboxEvent]) -> Vec<i64> {
    ids(events, |e| e.id)
}

async fn outbox_claims_and_leases(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    assert!(s
        .claim_outbox_events(10, t(0), t(5))
        .await
        .unwrap()
        .is_empty());
    let m1 = mission(s, g.id, "one", t(60)).await;
    let m2 = mission(s, g.id, "two", t(60)).await;
    let m3 = mission(s, g.id, "three", t(60)).await;
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 3,
            delivered: 0,
            failed: 0
        }
    );

    // Claimed in order, at most `limit`, each until its lease ends.
    let first = s.claim_outbox_events(2, t(0), t(5)).await.unwrap();
    assert_eq!(
        first.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        vec![
            Outgoing::MissionPublished { mission_id: m1.id },
            Outgoing::MissionPublished { mission_id: m2.id }
        ]
    );
    assert!(first[0].id < first[1].id);
    let second = s.claim_outbox_events(10, t(1), t(6)).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(
        second[0].event,
        Outgoing::MissionPublished { mission_id: m3.id }
    );
    assert!(
        s.claim_outbox_events(10, t(4), t(9))
            .await
            .unwrap()
            .is_empty(),
        "all leased"
    );
    // A lease is held up to its end, inclusive.
    assert!(s
        .claim_outbox_events(10, t(5), t(9))
        .await
        .unwrap()
        .is_empty());

    // The first is done; the second's lease ran out (its worker died): it is claimed again.
    s.complete_outbox_event(first[0].id, Vec::new(), t(4))
        .await
        .unwrap();
    let again = s.claim_outbox_events(10, t(6), t(20)).await.unwrap();
    assert_eq!(event_ids(&again), vec![first[1].id]);
    let third = s.claim_outbox_events(10, t(7), t(20)).await.unwrap();
    assert_eq!(event_ids(&third), event_ids(&second));
    assert_eq!(s.queue_stats().await.unwrap().pending, 2);

    // Completed events never come back; the others do once every lease is over.
    let late = s.claim_outbox_events(10, t(1000), t(1005)).await.unwrap();
    assert_eq!(event_ids(&late), vec![first[1].id, second[0].id]);
    for e in &late {
        s.complete_outbox_event(e.id, Vec::new(), t(1001))
            .await
            .unwrap();
    }
    assert!(s
        .claim_outbox_events(10, t(5000), t(5005))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(s.queue_stats().await.unwrap(), QueueStats::default());
}

/// One activity to 250 inboxes (its document kept once, its rows written in several
/// statements), between two activities with a document per inbox: every claimed delivery
/// carries its own document, and the unique (activity, inbox) still holds.
async fn one_document_to_many_inboxes(s: &dyn Store) {
    let g = group(s, "fanfare", None).await;
    mission(s, g.id, "concert", t(60)).await;
    let events = s.claim_outbox_events(10, t(0), t(5)).await.unwrap();
    let (a, b, c) = (
        "https://local.example/activities/a",
        "https://local.example/activities/b",
        "https://local.example/activities/c",
    );
    let shared = |inbox: String| NewDelivery {
        activity_ap_id: b.into(),
        signer_actor_id: g.id,
        inbox,
        payload: format!("{{\"id\":\"{b}\",\"big\":\"{}\"}}", "x".repeat(5000)),
    };
    let mut planned = vec![delivery(a, g.id, "https://one.example/inbox")];
    planned.extend((0..250).map(|i| shared(format!("https://h{}.example/u/{i}/inbox", i % 100))));
    // Listed twice: still delivered once.
    planned.push(shared("https://h7.example/u/7/inbox".into()));
    planned.push(delivery(c, g.id, "https://one.example/inbox"));
    planned.push(delivery(c, g.id, "https://two.example/inbox"));
    s.complete_outbox_event(events[0].id, planned.clone(), t(0))
        .await
        .unwrap();
    let claimed = s.claim_deliveries(1000, t(0), t(100)).await.unwrap();
    assert_eq!(claimed.len(), 253);
    let expected: BTreeSet<(String, String, String)> = planned
        .iter()
        .map(|d| (d.activity_ap_id.clone(), d.inbox.clone(), d.payload.clone()))
        .collect();
    let got: BTreeSet<(String, String, String)> = claimed
        .iter()
        .map(|d| (d.activity_ap_id.clone(), d.inbox.clone(), d.payload.clone()))
        .collect();
    assert_eq!(got, expected);

    // Given back because their host was busy: not an attempt, due again later, claimable then.
    let busy: Vec<i64> = claimed.iter().take(3).map(|d| d.id).collect();
    s.defer_deliveries(&busy, t(10)).await.unwrap();
    assert!(s
        .claim_deliveries(1000, t(9), t(20))
        .await
        .unwrap()
        .is_empty());
    let again = s.claim_deliveries(1000, t(10), t(20)).await.unwrap();
    assert_eq!(again.iter().map(|d| d.id).collect::<Vec<_>>(), busy);
    assert!(again.iter().all(|d| d.attempts == 0));
}

/// Finished work older than the limit goes; pending work, and what is newer, stays whole.
async fn history_purge(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    mission(s, g.id, "one", t(600)).await;
    mission(s, g.id, "two", t(600)).await;
    let events = s.claim_outbox_events(10, t(0), t(5)).await.unwrap();
    assert_eq!(events.len(), 2);
    let (old, new) = (
        "https://local.example/activities/old",
        "https://local.example/activities/new",
    );
    let shared = |activity: &str, inbox: String| NewDelivery {
        activity_ap_id: activity.into(),
        signer_actor_id: g.id,
        inbox,
        payload: format!("{{\"id\":\"{activity}\",\"big\":\"{}\"}}", "x".repeat(2000)),
    };
    // At t(0): one document to 30 inboxes (shared), and one alone.
    let mut first: Vec<NewDelivery> = (0..30)
        .map(|i| shared(old, format!("https://h{i}.example/inbox")))
        .collect();
    first.push(delivery(old, g.id, "https://alone.example/inbox"));
    s.complete_outbox_event(events[0].id, first, t(0))
        .await
        .unwrap();
    // At t(100): another document to 3 inboxes, still pending at the purge.
    let second: Vec<NewDelivery> = (0..3)
        .map(|i| shared(new, format!("https://n{i}.example/inbox")))
        .collect();
    s.complete_outbox_event(events[1].id, second.clone(), t(100))
        .await
        .unwrap();

    let claimed = s.claim_deliveries(100, t(1), t(2)).await.unwrap();
    let of = |activity: &str| -> Vec<i64> {
        claimed
            .iter()
            .filter(|d| d.activity_ap_id == activity)
            .map(|d| d.id)
            .collect()
    };
    let olds = of(old);
    assert_eq!(olds.len(), 31);
    // 25 of the old ones delivered, 3 given up, 3 still pending (retried later).
    s.mark_delivered_many(&olds[..25], t(1)).await.unwrap();
    for id in &olds[25..28] {
        s.mark_delivery_failed(*id, "410 Gone", None, t(1))
            .await
            .unwrap();
    }
    for id in &olds[28..] {
        s.mark_delivery_failed(*id, "timeout", Some(t(300)), t(1))
            .await
            .unwrap();
    }
    s.defer_deliveries(&of(new), t(100)).await.unwrap();
    assert!(s
        .record_received_activity("https://r.example/a/1", t(0))
        .await
        .unwrap());
    assert!(s
        .record_received_activity("https://r.example/a/2", t(200))
        .await
        .unwrap());
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 6,
            delivered: 25,
            failed: 3
        }
    );

    // Nothing is older than t(0): nothing goes.
    assert_eq!(s.purge_history(t(0), 5000).await.unwrap().total(), 0);

    // Before t(150), in batches of 10: the 28 finished old deliveries, the processed events,
    // the old mark. The old shared document stays: three of its deliveries are pending.
    let mut gone = PurgedHistory::default();
    loop {
        let round = s.purge_history(t(150), 10).await.unwrap();
        assert!(round.deliveries <= 10 && round.received <= 10);
        if round.total() == 0 {
            break;
        }
        gone += round;
    }
    assert_eq!(
        gone,
        PurgedHistory {
            deliveries: 28,
            payloads: 0,
            events: 2,
            received: 1
        }
    );
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 6,
            delivered: 0,
            failed: 0
        }
    );
    assert!(
        s.record_received_activity("https://r.example/a/1", t(201))
            .await
            .unwrap(),
        "a purged mark is forgotten"
    );
    assert!(
        !s.record_received_activity("https://r.example/a/2", t(201))
            .await
            .unwrap(),
        "a newer mark is kept"
    );

    // The pending deliveries still carry their whole document.
    let due = s.claim_deliveries(100, t(300), t(301)).await.unwrap();
    assert_eq!(due.len(), 6);
    for d in &due {
        let expected = if d.inbox == "https://alone.example/inbox" {
            delivery(old, g.id, &d.inbox).payload
        } else {
            shared(&d.activity_ap_id, d.inbox.clone()).payload
        };
        assert_eq!(d.payload, expected, "{}", d.inbox);
    }
    // Once delivered and old enough, they and both documents go too.
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    s.mark_delivered_many(&ids, t(300)).await.unwrap();
    assert_eq!(
        s.purge_history(t(301), 5000).await.unwrap(),
        PurgedHistory {
            deliveries: 6,
            payloads: 2,
            events: 0,
            received: 2
        }
    );
    assert_eq!(s.queue_stats().await.unwrap(), QueueStats::default());
}

fn delivery(activity: &str, signer: i64, inbox: &str) -> NewDelivery {
    NewDelivery {
        activity_ap_id: activity.into(),
        signer_actor_id: signer,
        inbox: inbox.into(),
        payload: format!("{{\"id\":\"{activity}\",\"to\":\"{inbox}\"}}"),
    }
}

async fn deliveries(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    assert_eq!(s.next_delivery_due().await.unwrap(), None);
    mission(s, g.id, "one", t(60)).await;
    mission(s, g.id, "two", t(60)).await;
    let events = s.claim_outbox_events(10, t(0), t(5)).await.unwrap();
    assert_eq!(events.len(), 2);

    let (a, b) = (
        "https://local.example/activities/a",
        "https://local.example/activities/b",
    );
    let (inbox1, inbox2) = ("https://one.example/inbox", "https://two.example/inbox");
    // (activity, inbox) is delivered once, even when listed twice.
    s.complete_outbox_event(
        events[0].id,
        vec![
            delivery(a, g.id, inbox1),
            delivery(a, g.id, inbox2),
            delivery(a, g.id, inbox1),
            delivery(b, g.id, inbox1),
        ],
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 4,
            delivered: 0,
            failed: 0
        },
        "3 deliveries + 1 event"
    );
    // … and across events.
    s.complete_outbox_event(events[1].id, vec![delivery(a, g.id, inbox2)], t(1))
        .await
        .unwrap();
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 3,
            delivered: 0,
            failed: 0
        }
    );
    assert_eq!(s.next_delivery_due().await.unwrap(), Some(t(0)));

    // Not before it is due.
    assert!(s
        .claim_deliveries(10, t(-1), t(5))
        .await
        .unwrap()
        .is_empty());
    let first = s.claim_deliveries(2, t(0), t(5)).await.unwrap();
    assert_eq!(first.len(), 2);
    assert!(first[0].id < first[1].id);
    let rest = s.claim_deliveries(10, t(1), t(5)).await.unwrap();
    assert_eq!(rest.len(), 1);
    let all: Vec<_> = first.iter().chain(rest.iter()).collect();
    let pairs: BTreeSet<(String, String)> = all
        .iter()
        .map(|d| (d.activity_ap_id.clone(), d.inbox.clone()))
        .collect();
    let expected: BTreeSet<(String, String)> = [(a, inbox1), (a, inbox2), (b, inbox1)]
        .iter()
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect();
    assert_eq!(pairs, expected);
    for d in &all {
        assert_eq!(d.signer_actor_id, g.id);
        assert_eq!(d.attempts, 0);
        assert_eq!(
            d.payload,
            delivery(&d.activity_ap_id, g.id, &d.inbox).payload
        );
    }
    // Leased: nobody else gets them until the lease ends.
    assert!(s.claim_deliveries(10, t(2), t(8)).await.unwrap().is_empty());
    assert!(s.claim_deliveries(10, t(5), t(8)).await.unwrap().is_empty());

    let (d1, d2, d3) = (all[0].clone(), all[1].clone(), all[2].clone());
    s.mark_delivered_many(&[d1.id], t(2)).await.unwrap();
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 2,
            delivered: 1,
            failed: 0
        }
    );
    // A failure with a retry: pending again at the given time, with one more attempt.
    s.mark_delivery_failed(d2.id, "connection refused", Some(t(30)), t(2))
        .await
        .unwrap();
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 2,
            delivered: 1,
            failed: 0
        }
    );
    // d3's worker died: its lease ends at t(5), d2 waits until t(30), d1 is done.
    let retry = s.claim_deliveries(10, t(10), t(40)).await.unwrap();
    assert_eq!(ids(&retry, |d| d.id), vec![d3.id]);
    assert_eq!(retry[0].attempts, 0);
    assert!(s
        .claim_deliveries(10, t(29), t(40))
        .await
        .unwrap()
        .is_empty());
    let due = s.claim_deliveries(10, t(30), t(60)).await.unwrap();
    assert_eq!(ids(&due, |d| d.id), vec![d2.id]);
    assert_eq!(due[0].attempts, 1);
    // Given up: failed for good, never claimed again.
    s.mark_delivery_failed(d2.id, &"x".repeat(5000), None, t(31))
        .await
        .unwrap();
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 1,
            delivered: 1,
            failed: 1
        }
    );
    assert_eq!(
        s.next_delivery_due().await.unwrap(),
        Some(t(0)),
        "d3 is still pending"
    );
    // Many at once (the delivery worker writes its successes in groups); none is fine too.
    s.mark_delivered_many(&[], t(32)).await.unwrap();
    s.mark_delivered_many(&[d3.id], t(32)).await.unwrap();
    assert_eq!(
        s.queue_stats().await.unwrap(),
        QueueStats {
            pending: 0,
            delivered: 2,
            failed: 1
        }
    );
    assert_eq!(s.next_delivery_due().await.unwrap(), None);
    assert!(s
        .claim_deliveries(10, t(100_000), t(100_005))
        .await
        .unwrap()
        .is_empty());

    // next_delivery_due is the earliest pending attempt.
    let ev = mission(s, g.id, "three", t(60)).await;
    let claimed = s.claim_outbox_events(10, t(0), t(5)).await.unwrap();
    assert_eq!(claimed.len(), 1, "{ev:?}");
    s.complete_outbox_event(
        claimed[0].id,
        vec![
            delivery(b, g.id, inbox2),
            delivery("https://local.example/activities/c", g.id, inbox2),
        ],
        t(50),
    )
    .await
    .unwrap();
    let new = s.claim_deliveries(10, t(50), t(55)).await.unwrap();
    assert_eq!(new.len(), 2);
    s.mark_delivery_failed(new[0].id, "503", Some(t(90)), t(51))
        .await
        .unwrap();
    s.mark_delivery_failed(new[1].id, "503", Some(t(70)), t(51))
        .await
        .unwrap();
    assert_eq!(s.next_delivery_due().await.unwrap(), Some(t(70)));
}

// ---------------------------------------------------------------------------------------------
// Concurrency: two stores (two pools) on one database, claiming at the same time.

/// Fills the queue with `n` deliveries and `events` outbox events, then lets two stores claim
/// in parallel until nothing is left: each item must be claimed exactly once.
async fn claims_are_exclusive(s1: std::sync::Arc<dyn Store>, s2: std::sync::Arc<dyn Store>) {
    const DELIVERIES: usize = 120;
    const EVENTS: usize = 40;
    let g = group(s1.as_ref(), "epicerie", None).await;
    mission(s1.as_ref(), g.id, "seed", t(60)).await;
    let seed = s1.claim_outbox_events(1, t(0), t(1)).await.unwrap();
    let batch: Vec<NewDelivery> = (0..DELIVERIES)
        .map(|i| {
            delivery(
                "https://local.example/activities/a",
                g.id,
                &format!("https://n{i}.example/inbox"),
            )
        })
        .collect();
    s1.complete_outbox_event(seed[0].id, batch, t(0))
        .await
        .unwrap();
    for i in 0..EVENTS {
        let (f, e) = follow_request(g.id, &format!("https://n{i}.example/g/x"), i as u32);
        s2.add_following(f, e, t(0)).await.unwrap();
    }

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let worker = |s: std::sync::Arc<dyn Store>, barrier: std::sync::Arc<tokio::sync::Barrier>| {
        tokio::spawn(async move {
            barrier.wait().await;
            let (mut deliveries, mut events) = (Vec::new(), Vec::new());
            loop {
                let d = s.claim_deliveries(3, t(0), t(60)).await.unwrap();
                let e = s.claim_outbox_events(2, t(0), t(60)).await.unwrap();
                if d.is_empty() && e.is_empty() {
                    break;
                }
                deliveries.extend(d.into_iter().map(|d| d.id));
                events.extend(e.into_iter().map(|e| e.id));
                tokio::task::yield_now().await;
            }
            (deliveries, events)
        })
    };
    let one = worker(s1.clone(), barrier.clone());
    let two = worker(s2.clone(), barrier);
    let (d1, e1) = one.await.unwrap();
    let (d2, e2) = two.await.unwrap();
    for (what, a, b, total) in [
        ("delivery", &d1, &d2, DELIVERIES),
        ("event", &e1, &e2, EVENTS),
    ] {
        let sa: BTreeSet<i64> = a.iter().copied().collect();
        let sb: BTreeSet<i64> = b.iter().copied().collect();
        assert_eq!(
            sa.len(),
            a.len(),
            "a {what} was claimed twice by the same worker"
        );
        assert_eq!(
            sb.len(),
            b.len(),
            "a {what} was claimed twice by the same worker"
        );
        let both: Vec<_> = sa.intersection(&sb).collect();
        assert!(both.is_empty(), "{what}s claimed by both workers: {both:?}");
        assert_eq!(sa.len() + sb.len(), total, "every {what} is claimed");
    }
    eprintln!(
        "claims: worker one {} deliveries / {} events, worker two {} / {}",
        d1.len(),
        e1.len(),
        d2.len(),
        e2.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_concurrent_claims_never_overlap() {
    let Some(db) = common::PgDb::fresh("storage::postgres_concurrent_claims_never_overlap").await
    else {
        return;
    };
    let one = db.store().await;
    let two = db.store().await;
    claims_are_exclusive(one, two).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_concurrent_claims_never_overlap() {
    let (one, dir) = common::sqlite_store().await;
    let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
    let two = entraide::storage::connect(&url, 4).await.unwrap();
    claims_are_exclusive(one, two).await;
}
