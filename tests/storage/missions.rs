//! Missions (`MissionStore`): local missions and their events, listing filters, remote copies.

use crate::fixtures::*;
use chrono::Duration;
use entraide::{
    domain::{
        events::Outgoing,
        mission::{JoinMode, MissionStatus, Place},
    },
    storage::{MissionQuery, NewMission, Store, StoreError},
};

on_both_backends!(
    missions_create_update_delete,
    missions_read_together,
    list_missions_filters,
    remote_missions,
    missions_read_at_once
);

/// Missions by a list of ids: each once, by id, deleted ones too; unknown ids left out.
async fn missions_read_at_once(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let a = mission(s, g.id, "a", t(60)).await;
    let b = mission(s, g.id, "b", t(120)).await;
    let c = mission(s, g.id, "c", t(180)).await;
    s.delete_mission(c.id, t(5)).await.unwrap();
    assert!(s.get_missions(&[]).await.unwrap().is_empty());
    let read = s
        .get_missions(&[c.id, a.id, a.id, a.id + b.id + c.id + 100])
        .await
        .unwrap();
    assert_eq!(ids(&read, |m| m.id), vec![a.id, c.id]);
    assert_eq!(read[0], s.get_mission(a.id).await.unwrap());
    assert_eq!(read[1], s.get_mission(c.id).await.unwrap());
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

/// Several missions in one read: by id, deleted ones too, unknown ids left out.
async fn missions_read_together(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let a = mission(s, g.id, "a", t(60)).await;
    let b = mission(s, g.id, "b", t(30)).await;
    let c = mission(s, g.id, "c", t(90)).await;
    s.delete_mission(c.id, t(1)).await.unwrap();
    let c = s.get_mission(c.id).await.unwrap();
    assert!(s.get_missions(&[]).await.unwrap().is_empty());
    assert_eq!(
        s.get_missions(&[c.id, b.id + 1000, a.id, c.id])
            .await
            .unwrap(),
        vec![a.clone(), c.clone()]
    );
    assert_eq!(s.get_missions(&[b.id]).await.unwrap(), vec![b]);
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
    // Keyset pages: after a (start time, id), whatever was added before it meanwhile.
    let after = |m: &entraide::domain::mission::Mission| Some((m.start_time, m.id));
    let first = list(MissionQuery {
        limit: 2,
        ..Default::default()
    })
    .await;
    assert_eq!(titles(&first), ["past", "ongoing"]);
    mission(s, h.id, "earlier", t(-72 * 60)).await;
    let twin = mission(s, g.id, "twin", t(-60)).await;
    let second = list(MissionQuery {
        limit: 2,
        after: after(&first[1]),
        ..Default::default()
    })
    .await;
    assert_eq!(titles(&second), ["twin", "soon"]);
    assert_eq!(second[0], twin);
    assert_eq!(
        titles(
            &list(MissionQuery {
                limit: 10,
                after: after(&second[1]),
                local: Some(true),
                ..Default::default()
            })
            .await
        ),
        ["later"]
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
