//! Actors (`ActorStore`, and `FollowStore` for the follows): local and remote actors,
//! memberships, followers and follows.

use crate::fixtures::*;
use entraide::{
    domain::{
        account::Role,
        actor::{ActorKind, ActorLabel, Follower, Following},
        events::Outgoing,
    },
    storage::{Store, StoreError},
};
use serde_json::json;

on_both_backends!(
    local_actors_and_memberships,
    actors_by_lists_of_ids,
    remote_actors,
    followers,
    following,
    actors_read_by_addresses
);

/// Known actors by a list of ActivityPub ids, each once; unknown ids left out.
async fn actors_read_by_addresses(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let r = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();
    assert!(s.find_actors_by_ap_ids(&[]).await.unwrap().is_empty());
    let mut read = s
        .find_actors_by_ap_ids(&[
            r.ap_id.clone(),
            g.ap_id.clone(),
            r.ap_id.clone(),
            "https://nowhere.example/u/x".into(),
        ])
        .await
        .unwrap();
    read.sort_by_key(|a| a.id);
    assert_eq!(read, vec![g, r]);
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
    // The same by pages of names: after a name, up to a limit; counted apart.
    let names = |labels: Vec<ActorLabel>| {
        labels
            .into_iter()
            .map(|l| (l.name, l.display_name))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(s.local_actor_labels("Group", None, 1).await.unwrap()),
        [("atelier".to_string(), atelier.display_name.clone())]
    );
    assert_eq!(
        names(
            s.local_actor_labels("Group", Some("atelier"), 10)
                .await
                .unwrap()
        ),
        [("epicerie".to_string(), g.display_name.clone())]
    );
    assert!(s
        .local_actor_labels("Group", Some("epicerie"), 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(s.count_local_actors("Group").await.unwrap(), 2);
    assert_eq!(s.count_local_actors("Application").await.unwrap(), 0);
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
    // Whom the node writes to: owners and coordinators of local associations, each once.
    assert_eq!(s.local_coordinators().await.unwrap(), vec![alice.id]);
    s.set_member(g.id, bob.id, Role::Coordinator).await.unwrap();
    assert_eq!(
        s.member_role(g.id, bob.id).await.unwrap(),
        Some(Role::Coordinator)
    );
    assert_eq!(s.member_role(atelier.id, bob.id).await.unwrap(), None);
    assert_eq!(
        s.local_coordinators().await.unwrap(),
        vec![alice.id, bob.id]
    );
    assert_eq!(
        s.memberships(bob.id).await.unwrap(),
        vec![(g.clone(), Role::Coordinator)]
    );
    let mut alice_in = s.memberships(alice.id).await.unwrap();
    alice_in.sort_by_key(|(a, _)| a.name.clone());
    assert_eq!(alice_in, vec![(atelier, Role::Owner), (g, Role::Owner)]);
}

/// A list's actors in one read: by id or by ActivityPub id, local and remote, sorted by id,
/// unknown ones left out, each once, over more ids than one statement binds.
async fn actors_by_lists_of_ids(s: &dyn Store) {
    let alice = user(s, "alice").await;
    let g = group(s, "epicerie", Some(alice.id)).await;
    let h = group(s, "atelier", None).await;
    let r = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();

    assert!(s.get_actors(&[]).await.unwrap().is_empty());
    assert_eq!(
        s.get_actors(&[r.id, g.id, g.id + h.id + r.id + 100, g.id])
            .await
            .unwrap(),
        vec![g.clone(), r.clone()]
    );
    // Far more ids than one `IN` list holds: every statement is read, nothing twice.
    let many: Vec<i64> = (1..=1200).chain([h.id, g.id]).collect();
    let found = s.get_actors(&many).await.unwrap();
    let mut expected = vec![g.clone(), h.clone(), r.clone()];
    expected.sort_by_key(|a| a.id);
    assert_eq!(found, expected);

    assert!(s.find_actors_by_ap_ids(&[]).await.unwrap().is_empty());
    let mut expected = vec![g.clone(), r.clone()];
    expected.sort_by_key(|a| a.id);
    assert_eq!(
        s.find_actors_by_ap_ids(&[
            r.ap_id.clone(),
            "https://nowhere.example/x".into(),
            g.ap_id.clone(),
            r.ap_id.clone(),
        ])
        .await
        .unwrap(),
        expected
    );
    let many: Vec<String> = (0..1200)
        .map(|i| format!("https://nowhere.example/{i}"))
        .chain([h.ap_id.clone()])
        .collect();
    assert_eq!(s.find_actors_by_ap_ids(&many).await.unwrap(), vec![h]);
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
    // Several at once: the ones we hold, whatever else is asked.
    let other = s
        .upsert_remote_actor(remote_actor("other.example", "zoe"), t(0))
        .await
        .unwrap();
    let mut asked: Vec<String> = (0..600)
        .map(|i| format!("https://unknown.example/u/{i}"))
        .collect();
    asked.push(other.ap_id.clone());
    asked.push(a.ap_id.clone());
    let mut both = s.find_actors_by_ap_ids(&asked).await.unwrap();
    both.sort_by_key(|x| x.id);
    assert_eq!(both, vec![a.clone(), other]);
    assert!(s.find_actors_by_ap_ids(&[]).await.unwrap().is_empty());

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

    let g = group(s, "epicerie", None).await;
    // Ours and other nodes' by id in one read; unknown ids are left out.
    let mut both = s
        .get_actors(&[g.id, a.id, a.id + g.id + 100])
        .await
        .unwrap();
    both.sort_by_key(|x| x.id);
    let mut expected = vec![b.clone(), g.clone()];
    expected.sort_by_key(|x| x.id);
    assert_eq!(both, expected);
    assert!(s.get_actors(&[]).await.unwrap().is_empty());

    // A remote document can never overwrite one of our actors.
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

pub fn follow_request(local_actor_id: i64, target: &str, n: u32) -> (Following, Outgoing) {
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
        .remove_following(g.id, target, undo.clone(), t(0))
        .await
        .unwrap());
    assert_eq!(take_events(s).await, vec![undo.clone()]);
    assert!(!s.remove_following(g.id, target, undo, t(0)).await.unwrap());
    assert!(take_events(s).await.is_empty());
    assert!(s.list_following(g.id).await.unwrap().is_empty());
    assert!(!s.is_followed_locally(target).await.unwrap());
}
