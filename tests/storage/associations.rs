//! Associations coming in (`AssociationStore`, `InvitationStore`, `MissionPictureStore`):
//! requests and their answer in one transaction (the `Group` with its owner and details, the
//! event that writes the email), the association's details and logo, invitations used once,
//! missions' pictures.

use crate::fixtures::*;
use entraide::{
    domain::{
        account::Role,
        actor::ActorKind,
        association::{AssociationDetails, AssociationNames, RequestStatus},
        events::Outgoing,
    },
    storage::{LogoChange, NewInvitation, Store, StoreError},
};

on_both_backends!(
    a_request_is_approved_with_its_group,
    a_request_is_refused_once,
    details_and_logo_change_with_an_update,
    an_invitation_is_used_once,
    a_mission_picture_is_set_and_removed
);

fn names(name: &str) -> AssociationNames {
    AssociationNames {
        name: name.into(),
        display_name: format!("{name} (shown)"),
        summary: "Aide aux devoirs".into(),
    }
}

fn details() -> AssociationDetails {
    AssociationDetails {
        address: "2 rue de Siam, Brest".into(),
        email: "contact@asso.example".into(),
        phone: "+33 2 98 00 00 00".into(),
        website: "https://asso.example".into(),
        categories: vec!["solidarity".into(), "education".into()],
    }
}

async fn a_request_is_approved_with_its_group(s: &dyn Store) {
    let u = user(s, "anne").await;
    let r = s
        .create_association_request(u.id, &names("devoirs"), &details(), Some(b"JPEG"), t(0))
        .await
        .unwrap();
    assert_eq!(r.status, RequestStatus::Pending);
    assert!(r.has_logo);
    assert_eq!(r.details, details());
    // One waiting request per name.
    let twice = s
        .create_association_request(u.id, &names("devoirs"), &details(), None, t(1))
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert_eq!(
        s.association_request_logo(r.id).await.unwrap().as_deref(),
        Some(&b"JPEG"[..])
    );
    let pending = s
        .list_association_requests(Some(RequestStatus::Pending), None)
        .await
        .unwrap();
    assert_eq!(ids(&pending, |r| r.id), vec![r.id]);
    assert!(s
        .list_association_requests(None, Some(u.id + 100))
        .await
        .unwrap()
        .is_empty());

    let (done, actor) = s
        .approve_association_request(
            r.id,
            new_local(ActorKind::Group, "devoirs", None),
            &format!("{BASE}/g/devoirs"),
            HOST,
            t(5),
        )
        .await
        .unwrap();
    assert_eq!(done.status, RequestStatus::Approved);
    assert_eq!(done.actor_id, Some(actor.id));
    assert_eq!(done.decided_at, Some(t(5)));
    assert_eq!(
        s.member_role(actor.id, u.id).await.unwrap(),
        Some(Role::Owner)
    );
    let profile = s.association_profile(actor.id).await.unwrap();
    assert_eq!(profile.details, details());
    assert_eq!(profile.logo_updated_at, Some(t(5)));
    assert_eq!(
        s.association_logo(actor.id).await.unwrap(),
        Some((b"JPEG".to_vec(), t(5)))
    );
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::AssociationRequestAnswered { request_id: r.id }]
    );
    // Answered: not again, and the request's copy of the logo is gone.
    let again = s
        .approve_association_request(
            r.id,
            new_local(ActorKind::Group, "devoirs2", None),
            &format!("{BASE}/g/devoirs2"),
            HOST,
            t(6),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(s.association_request_logo(r.id).await.unwrap(), None);
    assert_eq!(
        s.get_association_request(r.id).await.unwrap().status,
        RequestStatus::Approved
    );
}

async fn a_request_is_refused_once(s: &dyn Store) {
    let u = user(s, "anne").await;
    let r = s
        .create_association_request(u.id, &names("devoirs"), &details(), None, t(0))
        .await
        .unwrap();
    let refused = s
        .refuse_association_request(r.id, "Déjà présente", t(3))
        .await
        .unwrap();
    assert_eq!(refused.status, RequestStatus::Refused);
    assert_eq!(refused.reason, "Déjà présente");
    assert!(matches!(
        s.refuse_association_request(r.id, "encore", t(4)).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(s
        .find_local_actor("Group", "devoirs")
        .await
        .unwrap()
        .is_none());
    // The name is free to ask again.
    s.create_association_request(u.id, &names("devoirs"), &details(), None, t(5))
        .await
        .unwrap();
    assert_eq!(
        s.list_association_requests(None, Some(u.id))
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn details_and_logo_change_with_an_update(s: &dyn Store) {
    let g = group(s, "asso", None).await;
    assert_eq!(
        s.association_profile(g.id).await.unwrap(),
        Default::default()
    );
    s.update_association(
        g.id,
        "Asso",
        "Nouvelle description",
        &details(),
        LogoChange::Set(b"LOGO".to_vec()),
        t(1),
    )
    .await
    .unwrap();
    let a = s.get_actor(g.id).await.unwrap();
    assert_eq!(
        (a.display_name.as_str(), a.summary.as_str()),
        ("Asso", "Nouvelle description")
    );
    assert_eq!(
        s.association_logo(g.id).await.unwrap(),
        Some((b"LOGO".to_vec(), t(1)))
    );
    s.update_association(g.id, "Asso", "", &details(), LogoChange::Keep, t(2))
        .await
        .unwrap();
    assert_eq!(
        s.association_profile(g.id).await.unwrap().logo_updated_at,
        Some(t(1))
    );
    s.update_association(
        g.id,
        "Asso",
        "",
        &AssociationDetails::default(),
        LogoChange::Remove,
        t(3),
    )
    .await
    .unwrap();
    assert_eq!(s.association_logo(g.id).await.unwrap(), None);
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::AssociationUpdated { actor_id: g.id }; 3]
    );
    assert!(matches!(
        s.update_association(g.id + 99, "x", "", &details(), LogoChange::Keep, t(4))
            .await,
        Err(StoreError::NotFound(_))
    ));
}

async fn an_invitation_is_used_once(s: &dyn Store) {
    let [coord, bob, eve] = users(s, ["coord", "bob", "eve"]).await;
    let g = group(s, "asso", Some(coord.id)).await;
    let new = |hash: &str| NewInvitation {
        actor_id: g.id,
        email: "Bob@Example.org".into(),
        role: Role::Coordinator,
        invited_by: coord.id,
        expires_at: t(60),
        token_hash: hash.into(),
    };
    let inv = s
        .create_invitation(new("h1"), "secret1", t(0))
        .await
        .unwrap();
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::InvitationSent {
            invitation_id: inv.id,
            token: "secret1".into()
        }]
    );
    assert_eq!(s.find_invitation("h1").await.unwrap(), Some(inv.clone()));
    assert_eq!(s.find_invitation("nope").await.unwrap(), None);
    assert_eq!(s.get_invitation(inv.id).await.unwrap(), inv);
    // Someone else's address: refused, nothing given.
    assert_eq!(
        s.accept_invitation(inv.id, eve.id, eve.email.as_deref(), t(1))
            .await
            .unwrap(),
        Err("invitation_other_person")
    );
    assert_eq!(s.member_role(g.id, eve.id).await.unwrap(), None);
    let taken = s
        .accept_invitation(inv.id, bob.id, Some("bob@example.org"), t(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken.accepted_by, Some(bob.id));
    assert_eq!(
        s.member_role(g.id, bob.id).await.unwrap(),
        Some(Role::Coordinator)
    );
    assert_eq!(
        s.accept_invitation(inv.id, bob.id, Some("bob@example.org"), t(3))
            .await
            .unwrap(),
        Err("invitation_used")
    );
    // Revoked: its link no longer works; a used one cannot be revoked.
    let other = s
        .create_invitation(new("h2"), "secret2", t(0))
        .await
        .unwrap();
    assert!(!s.revoke_invitation(g.id, inv.id, t(4)).await.unwrap());
    assert!(!s.revoke_invitation(g.id + 1, other.id, t(4)).await.unwrap());
    assert!(s.revoke_invitation(g.id, other.id, t(4)).await.unwrap());
    assert_eq!(
        s.accept_invitation(other.id, bob.id, Some("bob@example.org"), t(5))
            .await
            .unwrap(),
        Err("invitation_revoked")
    );
    // Expired.
    let late = s
        .create_invitation(new("h3"), "secret3", t(0))
        .await
        .unwrap();
    assert_eq!(
        s.accept_invitation(late.id, bob.id, Some("bob@example.org"), t(60))
            .await
            .unwrap(),
        Err("invitation_expired")
    );
    // An owner invited as a member keeps being owner.
    let mine = NewInvitation {
        email: "coord@example.org".into(),
        role: Role::Member,
        ..new("h4")
    };
    let mine = s.create_invitation(mine, "secret4", t(0)).await.unwrap();
    s.accept_invitation(mine.id, coord.id, coord.email.as_deref(), t(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        s.member_role(g.id, coord.id).await.unwrap(),
        Some(Role::Owner)
    );
    let listed = s.list_invitations(g.id).await.unwrap();
    assert_eq!(
        ids(&listed, |i| i.id),
        vec![mine.id, late.id, other.id, inv.id]
    );
}

async fn a_mission_picture_is_set_and_removed(s: &dyn Store) {
    let g = group(s, "asso", None).await;
    let m = mission(s, g.id, "m1", t(600)).await;
    let other = mission(s, g.id, "m2", t(600)).await;
    take_events(s).await;
    assert_eq!(s.mission_picture(m.id).await.unwrap(), None);
    s.set_mission_picture(m.id, b"PIC1", t(1)).await.unwrap();
    s.set_mission_picture(m.id, b"PIC2", t(2)).await.unwrap();
    assert_eq!(
        s.mission_picture(m.id).await.unwrap(),
        Some((b"PIC2".to_vec(), t(2)))
    );
    assert_eq!(
        s.missions_with_picture(&[m.id, other.id, m.id])
            .await
            .unwrap(),
        vec![(m.id, t(2))]
    );
    assert!(s.delete_mission_picture(m.id, t(3)).await.unwrap());
    assert!(!s.delete_mission_picture(m.id, t(4)).await.unwrap());
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::MissionUpdated { mission_id: m.id }; 3]
    );
}
