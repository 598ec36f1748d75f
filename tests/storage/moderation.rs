//! The moderation store (`ModerationStore`): rules and what a block takes away at once, the
//! change marker every process watches, reports, removed remote items, and the log.

use crate::fixtures::*;
use crate::resources::resource_draft;
use entraide::{
    domain::{
        actor::Follower,
        events::Outgoing,
        moderation::{NewReport, NewRule, ReportKind, Severity, Target},
    },
    storage::{BlockEffects, Store, StoreError},
};

on_both_backends!(rules_and_blocks, reports, removed_items);

fn rule(target: Target, severity: Severity) -> NewRule {
    NewRule {
        target,
        severity,
        reason: "spam".into(),
    }
}

async fn rules_and_blocks(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let bad = s
        .upsert_remote_actor(remote_actor("sub.bad.example", "troll"), t(0))
        .await
        .unwrap();
    let good = s
        .upsert_remote_actor(remote_actor("good.example", "voisins"), t(0))
        .await
        .unwrap();
    for a in [&bad, &good] {
        let f = Follower {
            actor_ap_id: a.ap_id.clone(),
            inbox: a.inbox.clone(),
            shared_inbox: None,
            follow_ap_id: format!("{}#follow", a.ap_id),
        };
        let accept = Outgoing::FollowAccepted {
            local_actor_id: g.id,
            follow: serde_json::json!({"id": f.follow_ap_id}),
            inbox: f.inbox.clone(),
        };
        s.add_follower(g.id, f, accept, t(0)).await.unwrap();
    }
    let spam = s
        .upsert_remote_mission(remote_mission(
            bad.id,
            "https://sub.bad.example/m/1",
            "Spam",
            t(60),
            t(0),
        ))
        .await
        .unwrap();
    let fine = s
        .upsert_remote_mission(remote_mission(
            good.id,
            "https://good.example/m/1",
            "Fine",
            t(60),
            t(0),
        ))
        .await
        .unwrap();
    let before = s.moderation_marker().await.unwrap();

    let (silence, none) = s
        .add_rule(
            rule(Target::Host("good.example".into()), Severity::Silence),
            "admin",
            t(1),
        )
        .await
        .unwrap();
    assert_eq!(
        none,
        BlockEffects::default(),
        "a silence takes nothing away"
    );
    assert_eq!(silence.severity, Severity::Silence);
    assert_eq!(silence.created_by, "admin");
    assert_eq!(silence.created_at, Some(t(1)));
    let (block, effects) = s
        .add_rule(
            rule(Target::Host("bad.example".into()), Severity::Block),
            "admin",
            t(2),
        )
        .await
        .unwrap();
    assert_eq!(
        effects,
        BlockEffects {
            follows: 1,
            items: 1
        },
        "subdomains included"
    );
    assert_eq!(s.count_followers(g.id).await.unwrap(), 1);
    assert!(s.get_mission(spam.id).await.unwrap().deleted_at.is_some());
    assert!(s.get_mission(fine.id).await.unwrap().deleted_at.is_none());
    assert!(matches!(
        s.add_rule(
            rule(Target::Host("bad.example".into()), Severity::Silence),
            "x",
            t(3)
        )
        .await,
        Err(StoreError::Conflict(_))
    ));
    let (actor_rule, _) = s
        .add_rule(
            rule(Target::Actor(good.ap_id.clone()), Severity::Block),
            "console",
            t(3),
        )
        .await
        .unwrap();
    assert_eq!(s.count_followers(g.id).await.unwrap(), 0);
    assert_eq!(
        ids(&s.list_rules().await.unwrap(), |r| r.id.unwrap()),
        vec![
            silence.id.unwrap(),
            block.id.unwrap(),
            actor_rule.id.unwrap()
        ]
    );
    let after = s.moderation_marker().await.unwrap();
    assert_ne!(before, after, "the marker moves with every change");

    let lifted = s
        .remove_rule(block.id.unwrap(), "admin", t(4))
        .await
        .unwrap();
    assert_eq!(
        lifted.map(|r| r.target),
        Some(Target::Host("bad.example".into()))
    );
    assert_eq!(
        s.remove_rule(block.id.unwrap(), "admin", t(5))
            .await
            .unwrap(),
        None
    );
    assert_ne!(s.moderation_marker().await.unwrap(), after);
    let log = s.list_moderation_log(10).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        vec!["unblock", "block", "block", "silence"],
        "newest first"
    );
    assert_eq!((log[0].by.as_str(), log[0].at), ("admin", t(4)));
    assert_eq!(log[3].reason, "spam");
    assert_eq!(s.list_moderation_log(1).await.unwrap().len(), 1);
}

fn report(target: &str, flag: Option<&str>) -> NewReport {
    NewReport {
        reporter: "ann".into(),
        origin: if flag.is_some() { "remote" } else { "local" }.into(),
        kind: ReportKind::Mission,
        target: target.into(),
        target_actor: "https://b.example/g/x".into(),
        comment: "spam".into(),
        flag_ap_id: flag.map(String::from),
    }
}

async fn reports(s: &dyn Store) {
    let a = s
        .add_report(report("https://b.example/m/1", None), t(0))
        .await
        .unwrap();
    assert_eq!(
        (a.kind, a.created_at, a.resolved_at),
        (ReportKind::Mission, t(0), None)
    );
    let b = s
        .add_report(
            report("https://b.example/m/2", Some("https://b.example/f/1")),
            t(1),
        )
        .await
        .unwrap();
    assert!(
        matches!(
            s.add_report(
                report("https://b.example/m/2", Some("https://b.example/f/1")),
                t(2)
            )
            .await,
            Err(StoreError::Conflict(_))
        ),
        "a Flag received twice is one report"
    );
    assert_eq!(
        ids(&s.list_reports(true).await.unwrap(), |r| r.id),
        vec![b.id, a.id]
    );
    assert!(s
        .resolve_report(a.id, "admin", "removed", t(3))
        .await
        .unwrap());
    assert!(!s
        .resolve_report(a.id, "admin", "again", t(4))
        .await
        .unwrap());
    assert_eq!(
        ids(&s.list_reports(true).await.unwrap(), |r| r.id),
        vec![b.id]
    );
    assert_eq!(s.list_reports(false).await.unwrap().len(), 2);
    let resolved = s.find_report(a.id).await.unwrap().unwrap();
    assert_eq!(
        (resolved.resolved_at, resolved.resolved_by.as_deref()),
        (Some(t(3)), Some("admin"))
    );
    assert!(s.find_report(b.id + 100).await.unwrap().is_none());

    let event = Outgoing::ReportForwarded { report_id: b.id };
    assert!(s
        .report_forwarded(b.id, "admin", event.clone(), t(5))
        .await
        .unwrap());
    assert!(!s
        .report_forwarded(b.id + 100, "admin", event.clone(), t(5))
        .await
        .unwrap());
    assert_eq!(
        s.find_report(b.id).await.unwrap().unwrap().forwarded_at,
        Some(t(5))
    );
    assert_eq!(
        take_events(s).await,
        vec![event],
        "the Flag is queued with the change"
    );
    let log = s.list_moderation_log(10).await.unwrap();
    assert_eq!(log[0].action, "forward");
    assert_eq!(log[1].reason, "removed");
}

async fn removed_items(s: &dyn Store) {
    let r = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();
    let m = s
        .upsert_remote_mission(remote_mission(
            r.id,
            "https://remote.example/m/1",
            "Spam",
            t(60),
            t(0),
        ))
        .await
        .unwrap();
    let page = "https://remote.example/r/1";
    s.save_remote_resource(r.id, page, &resource_draft("Remorque", 1), &[], t(0))
        .await
        .unwrap();
    assert!(!s.is_removed(&m.ap_id).await.unwrap());
    assert!(s
        .remove_item(ReportKind::Mission, &m.ap_id, "admin", "spam", t(1))
        .await
        .unwrap());
    assert!(!s
        .remove_item(ReportKind::Mission, &m.ap_id, "admin", "spam", t(2))
        .await
        .unwrap());
    assert!(s
        .remove_item(ReportKind::Resource, page, "admin", "", t(2))
        .await
        .unwrap());
    assert!(s.is_removed(&m.ap_id).await.unwrap());
    assert!(s.get_mission(m.id).await.unwrap().deleted_at.is_some());
    assert!(s
        .find_resource_by_ap_id(page)
        .await
        .unwrap()
        .unwrap()
        .deleted_at
        .is_some());
    // A later update does not bring a removed mission back.
    s.upsert_remote_mission(remote_mission(r.id, &m.ap_id, "Spam again", t(60), t(3)))
        .await
        .unwrap();
    assert!(s.get_mission(m.id).await.unwrap().deleted_at.is_some());
    let removed = s.list_removed().await.unwrap();
    assert_eq!(
        removed.iter().map(|x| x.ap_id.as_str()).collect::<Vec<_>>(),
        vec![page, m.ap_id.as_str()]
    );
    assert_eq!(
        (removed[1].kind, removed[1].reason.as_str()),
        (ReportKind::Mission, "spam")
    );

    assert!(s.restore_item(&m.ap_id, "admin", t(4)).await.unwrap());
    assert!(!s.restore_item(&m.ap_id, "admin", t(5)).await.unwrap());
    assert!(!s.is_removed(&m.ap_id).await.unwrap());
    assert!(s.get_mission(m.id).await.unwrap().deleted_at.is_none());
    assert_eq!(s.list_removed().await.unwrap().len(), 1);
    assert_eq!(s.list_moderation_log(1).await.unwrap()[0].action, "restore");
}
