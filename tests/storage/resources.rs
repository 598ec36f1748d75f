//! Shared equipment (`ResourceStore`): local resources with their events, other nodes'
//! resources, the files attached to them, and who hears about requests.

use crate::fixtures::*;
use entraide::{
    domain::{
        account::Role,
        events::Outgoing,
        resource::{
            Approval, Borrowers, BusyPeriod, LoanMode, ReservationState, Resource, ResourceDraft,
        },
    },
    storage::{NewReservation, NewUser, ResourceChunk, ResourcePage, Store, StoreError},
};
use rust_decimal::Decimal;

on_both_backends!(
    resources_create_update_delete,
    resources_by_list_of_ids,
    resources_in_pages,
    resources_in_search_chunks,
    remote_resources,
    resource_files,
    coordinator_emails
);

/// A resource lent automatically to everyone, `quantity` items, 2 hours between loans.
pub fn resource_draft(name: &str, quantity: i64) -> ResourceDraft {
    ResourceDraft {
        name: name.into(),
        description: format!("Description of {name}"),
        category: "tent".into(),
        place: "Brest".into(),
        latitude: Some(48.39),
        longitude: Some(-4.49),
        quantity,
        replacement_value: Some(Decimal::new(45000, 2)),
        deposit: Some(Decimal::new(100, 0)),
        conditions: "Rendre propre".into(),
        min_notice_hours: 0,
        max_days: 30,
        turnaround_hours: 2,
        approval: Approval::Automatic,
        ..ResourceDraft::default()
    }
}

/// A local resource `{BASE}/r/<name in lower case>` of `quantity` items, made at `t(0)`.
pub async fn resource(s: &dyn Store, actor_id: i64, name: &str, quantity: i64) -> Resource {
    let ap_id = format!("{BASE}/r/{}", name.to_lowercase());
    s.create_resource(actor_id, &ap_id, &resource_draft(name, quantity), t(0))
        .await
        .unwrap()
}

/// A request of `quantity` items over `[t(start), t(end))`, offer id `{BASE}/offers/<offer>`.
pub fn loan(resource_id: i64, offer: &str, quantity: i64, start: i64, end: i64) -> NewReservation {
    NewReservation {
        resource_id,
        offer_id: format!("{BASE}/offers/{offer}"),
        borrower_actor_id: None,
        quantity,
        start: t(start),
        end: t(end),
        automatic: true,
        agreement_id: None,
    }
}

async fn resources_create_update_delete(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    let ap_id = format!("{BASE}/r/barnum");
    let r = s
        .create_resource(g.id, &ap_id, &resource_draft("Barnum", 2), t(1))
        .await
        .unwrap();
    assert_eq!((r.ap_id.as_str(), r.actor_id), (ap_id.as_str(), g.id));
    assert_eq!(r.draft, resource_draft("Barnum", 2));
    assert!(r.remote_busy.is_empty());
    assert_eq!(
        (r.deleted_at, r.created_at, r.updated_at),
        (None, t(1), t(1))
    );
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ResourcePublished { resource_id: r.id }]
    );
    assert_eq!(s.get_resource(r.id).await.unwrap(), r);
    assert!(matches!(
        s.get_resource(r.id + 1000).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.find_resource_by_ap_id(&ap_id).await.unwrap(),
        Some(r.clone())
    );
    assert_eq!(
        s.find_resource_by_ap_id(&format!("{BASE}/r/none"))
            .await
            .unwrap(),
        None
    );
    // The same id twice: a conflict, no event.
    assert!(matches!(
        s.create_resource(g.id, &ap_id, &resource_draft("Autre", 1), t(2))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(take_events(s).await.is_empty());

    // Changed by its owner only.
    let changed_draft = ResourceDraft {
        mode: LoanMode::Rental,
        price_per_day: Some(Decimal::new(1550, 2)),
        approval: Approval::Manual,
        borrowers: Borrowers::List,
        borrower_list: vec![
            "https://a.example/g/x".into(),
            "https://b.example/g/y".into(),
        ],
        ..resource_draft("Barnum 3x3", 3)
    };
    let changed = s
        .update_resource(g.id, &ap_id, &changed_draft, t(2))
        .await
        .unwrap();
    assert_eq!(changed.draft, changed_draft);
    assert_eq!(
        (changed.id, changed.created_at, changed.updated_at),
        (r.id, t(1), t(2))
    );
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ResourceUpdated { resource_id: r.id }]
    );
    for (actor, id) in [(h.id, ap_id.clone()), (g.id, format!("{BASE}/r/none"))] {
        assert!(matches!(
            s.update_resource(actor, &id, &resource_draft("X", 1), t(3))
                .await,
            Err(StoreError::NotFound(_))
        ));
    }
    assert!(take_events(s).await.is_empty());

    // Listed by name, an owner's or everyone's.
    let chaises = resource(s, h.id, "Chaises", 40).await;
    let amp = resource(s, g.id, "Ampli", 1).await;
    assert_eq!(
        ids(&s.list_resources(None).await.unwrap(), |r| r.id),
        vec![amp.id, r.id, chaises.id]
    );
    assert_eq!(
        ids(&s.list_resources(Some(g.id)).await.unwrap(), |r| r.id),
        vec![amp.id, r.id]
    );
    take_events(s).await;

    // Removed: the requests and loans to come are cancelled with it, each announced.
    let requested = match s
        .reserve(
            NewReservation {
                automatic: false,
                ..loan(r.id, "1", 1, 100, 200)
            },
            t(4),
        )
        .await
        .unwrap()
    {
        entraide::storage::ReserveOutcome::Recorded(x) => x,
        other => panic!("{other:?}"),
    };
    let accepted = s.reserve(loan(r.id, "2", 1, 300, 400), t(4)).await.unwrap();
    let accepted = accepted.reservation().clone();
    let refused = s.reserve(loan(r.id, "3", 9, 300, 400), t(4)).await.unwrap();
    let refused = refused.reservation().clone();
    assert_eq!(
        (requested.state, accepted.state, refused.state),
        (
            ReservationState::Requested,
            ReservationState::Accepted,
            ReservationState::Refused
        )
    );
    take_events(s).await;
    s.delete_resource(r.id, "vendu", t(5)).await.unwrap();
    let cancelled = |id| Outgoing::ReservationChanged {
        reservation_id: id,
        by_owner: true,
        state: "cancelled".into(),
    };
    assert_eq!(
        take_events(s).await,
        vec![
            cancelled(requested.id),
            cancelled(accepted.id),
            Outgoing::ResourceDeleted { resource_id: r.id }
        ]
    );
    for id in [requested.id, accepted.id] {
        let after = s.get_reservation(id).await.unwrap();
        assert_eq!(
            (after.state, after.reason.as_str()),
            (ReservationState::Cancelled, "vendu")
        );
        assert_eq!(after.updated_at, t(5));
    }
    assert_eq!(s.get_reservation(refused.id).await.unwrap(), refused);
    // Still readable (it answers 410), no longer listed nor reservable.
    assert_eq!(s.get_resource(r.id).await.unwrap().deleted_at, Some(t(5)));
    // Several by id in one read, removed ones too; unknown ids are left out.
    let mut both = s
        .get_resources(&[amp.id, r.id, r.id + amp.id + 1000])
        .await
        .unwrap();
    both.sort_by_key(|x| x.id);
    assert_eq!(
        both,
        vec![
            s.get_resource(r.id).await.unwrap(),
            s.get_resource(amp.id).await.unwrap()
        ]
    );
    assert!(s.get_resources(&[]).await.unwrap().is_empty());
    assert_eq!(
        ids(&s.list_resources(Some(g.id)).await.unwrap(), |r| r.id),
        vec![amp.id]
    );
    assert!(matches!(
        s.reserve(loan(r.id, "4", 1, 500, 600), t(6)).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.delete_resource(r.id + 1000, "", t(6)).await,
        Err(StoreError::NotFound(_))
    ));
}

/// A page of an owner's resources by name, then id: after a `(name, id)` (a cursor: a
/// resource named before the place shifts nothing), or skipping some (an offset); removed
/// ones and other owners' are left out.
async fn resources_in_pages(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "jardin", None).await;
    let barnum = resource(s, g.id, "Barnum", 1).await;
    let amp = resource(s, g.id, "Ampli", 1).await;
    resource(s, h.id, "Banc", 1).await;
    let gone = resource(s, g.id, "Bâche", 1).await;
    s.delete_resource(gone.id, "", t(1)).await.unwrap();
    let page = |after: Option<(String, i64)>, limit: i64, offset: i64| ResourcePage {
        actor_id: g.id,
        after,
        limit,
        offset,
    };
    let list = |p: ResourcePage| async move {
        ids(&s.list_resources_after(p).await.unwrap(), |r: &Resource| {
            r.id
        })
    };
    assert_eq!(list(page(None, 1, 0)).await, vec![amp.id]);
    let before = s
        .create_resource(
            g.id,
            &format!("{BASE}/r/aaa"),
            &resource_draft("Aaa", 1),
            t(2),
        )
        .await
        .unwrap();
    let twin = s
        .create_resource(
            g.id,
            &format!("{BASE}/r/twin"),
            &resource_draft("Barnum", 1),
            t(2),
        )
        .await
        .unwrap();
    let key = |name: &str, id: i64| Some((name.to_string(), id));
    assert_eq!(
        list(page(key("Ampli", amp.id), 10, 0)).await,
        vec![barnum.id, twin.id]
    );
    assert_eq!(
        list(page(key("Barnum", barnum.id), 10, 0)).await,
        vec![twin.id]
    );
    assert!(list(page(key("Barnum", twin.id), 10, 0)).await.is_empty());
    assert_eq!(
        list(page(None, 10, 0)).await,
        vec![before.id, amp.id, barnum.id, twin.id]
    );
    assert_eq!(list(page(None, 2, 1)).await, vec![amp.id, barnum.id]);
    assert!(list(ResourcePage {
        actor_id: g.id + h.id + 1000,
        ..page(None, 10, 0)
    })
    .await
    .is_empty());
}

/// A chunk of every owner's resources by name, then id, for the search: after a `(name, id)`
/// or from the first, of one category or all; removed ones left out, other owners' in.
async fn resources_in_search_chunks(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "jardin", None).await;
    let barnum = resource(s, g.id, "Barnum", 1).await;
    let banc = resource(s, h.id, "Banc", 1).await;
    let gone = resource(s, g.id, "Bâche", 1).await;
    s.delete_resource(gone.id, "", t(1)).await.unwrap();
    let chair = s
        .create_resource(
            h.id,
            &format!("{BASE}/r/chaise"),
            &ResourceDraft {
                category: "furniture".into(),
                ..resource_draft("Chaise", 4)
            },
            t(1),
        )
        .await
        .unwrap();
    let twin = s
        .create_resource(
            h.id,
            &format!("{BASE}/r/twin"),
            &resource_draft("Barnum", 1),
            t(2),
        )
        .await
        .unwrap();
    let list = |after: Option<(&str, i64)>, category: Option<&str>, limit: i64| {
        let chunk = ResourceChunk {
            after: after.map(|(n, id)| (n.to_string(), id)),
            category: category.map(str::to_string),
            limit,
        };
        async move {
            ids(
                &s.list_resources_chunk(chunk).await.unwrap(),
                |r: &Resource| r.id,
            )
        }
    };
    assert_eq!(
        list(None, None, 10).await,
        vec![banc.id, barnum.id, twin.id, chair.id]
    );
    assert_eq!(list(None, None, 2).await, vec![banc.id, barnum.id]);
    assert_eq!(
        list(Some(("Barnum", barnum.id)), None, 10).await,
        vec![twin.id, chair.id]
    );
    assert_eq!(
        list(Some(("Barnum", twin.id)), None, 1).await,
        vec![chair.id]
    );
    assert_eq!(
        list(None, Some("tent"), 10).await,
        vec![banc.id, barnum.id, twin.id]
    );
    assert_eq!(
        list(Some(("Banc", banc.id)), Some("tent"), 1).await,
        vec![barnum.id]
    );
    assert_eq!(list(None, Some("furniture"), 10).await, vec![chair.id]);
    assert!(list(Some(("Chaise", chair.id)), None, 10).await.is_empty());
    assert!(list(None, Some("vehicle"), 10).await.is_empty());
}

/// A list's resources in one read: by id, removed ones too, unknown ones left out, each once.
async fn resources_by_list_of_ids(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let tent = resource(s, g.id, "Tente", 2).await;
    let table = resource(s, g.id, "Table", 10).await;
    let chair = resource(s, g.id, "Chaise", 40).await;
    s.delete_resource(chair.id, "plus prêtée", t(1))
        .await
        .unwrap();
    let chair = s.get_resource(chair.id).await.unwrap();
    assert!(chair.deleted_at.is_some());

    assert!(s.get_resources(&[]).await.unwrap().is_empty());
    let unknown = tent.id + table.id + chair.id + 100;
    assert_eq!(
        s.get_resources(&[chair.id, unknown, tent.id, chair.id])
            .await
            .unwrap(),
        vec![tent.clone(), chair.clone()]
    );
    let many: Vec<i64> = (unknown..unknown + 1200).chain([table.id]).collect();
    assert_eq!(s.get_resources(&many).await.unwrap(), vec![table]);
}

async fn remote_resources(s: &dyn Store) {
    let r = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();
    let intruder = s
        .upsert_remote_actor(remote_actor("evil.example", "intrus"), t(0))
        .await
        .unwrap();
    let ap_id = "https://remote.example/r/1";
    let busy = vec![BusyPeriod {
        start: t(100),
        end: t(200),
        quantity: 1,
    }];
    let saved = s
        .save_remote_resource(r.id, ap_id, &resource_draft("Remorque", 1), &busy, t(1))
        .await
        .unwrap();
    assert_eq!((saved.actor_id, saved.remote_busy.clone()), (r.id, busy));
    assert!(
        take_events(s).await.is_empty(),
        "nothing of ours to announce"
    );
    // Saved again as its owner publishes it: the same row, refreshed.
    let again = s
        .save_remote_resource(r.id, ap_id, &resource_draft("Remorque 750", 2), &[], t(2))
        .await
        .unwrap();
    assert_eq!(again.id, saved.id);
    assert_eq!(again.draft.name, "Remorque 750");
    assert!(again.remote_busy.is_empty());
    assert_eq!(
        s.find_resource_by_ap_id(ap_id).await.unwrap(),
        Some(again.clone())
    );
    // Another owner cannot take it over.
    assert!(matches!(
        s.save_remote_resource(intruder.id, ap_id, &resource_draft("Volée", 1), &[], t(3))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.get_resource(saved.id).await.unwrap(), again);

    // Removed by its owner only, once; an unknown one is no error.
    assert!(!s
        .delete_remote_resource(intruder.id, ap_id, t(4))
        .await
        .unwrap());
    assert!(s.delete_remote_resource(r.id, ap_id, t(4)).await.unwrap());
    assert!(!s.delete_remote_resource(r.id, ap_id, t(5)).await.unwrap());
    assert!(!s
        .delete_remote_resource(r.id, "https://remote.example/r/none", t(5))
        .await
        .unwrap());
    assert_eq!(
        s.get_resource(saved.id).await.unwrap().deleted_at,
        Some(t(4))
    );
    assert!(s.list_resources(Some(r.id)).await.unwrap().is_empty());
    // Published again later: back.
    let back = s
        .save_remote_resource(r.id, ap_id, &resource_draft("Remorque", 1), &[], t(6))
        .await
        .unwrap();
    assert_eq!((back.id, back.deleted_at), (saved.id, None));
    assert!(take_events(s).await.is_empty());
}

async fn resource_files(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let r = resource(s, g.id, "Barnum", 1).await;
    let other = resource(s, g.id, "Ampli", 1).await;
    take_events(s).await;
    assert!(s.list_resource_files(r.id).await.unwrap().is_empty());

    // A photo changes what followers see; a document does not.
    let jpeg: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let photo = s
        .add_resource_file(r.id, "photo", "barnum.jpg", "image/jpeg", &jpeg, 2, t(1))
        .await
        .unwrap();
    assert_eq!(
        (photo.resource_id, photo.kind.as_str(), photo.name.as_str()),
        (r.id, "photo", "barnum.jpg")
    );
    assert_eq!(
        (photo.content_type.as_str(), photo.size, photo.created_at),
        ("image/jpeg", 3000, t(1))
    );
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ResourceUpdated { resource_id: r.id }]
    );
    let doc = s
        .add_resource_file(
            r.id,
            "document",
            "contrat.pdf",
            "application/pdf",
            b"%PDF-1.7",
            1,
            t(2),
        )
        .await
        .unwrap();
    assert!(take_events(s).await.is_empty());
    // Past `max` files of a kind: refused.
    assert!(matches!(
        s.add_resource_file(r.id, "document", "b.pdf", "application/pdf", b"x", 1, t(3))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let second = s
        .add_resource_file(r.id, "photo", "2.png", "image/png", b"\x89PNG", 2, t(3))
        .await
        .unwrap();
    take_events(s).await;
    assert!(matches!(
        s.add_resource_file(r.id + 1000, "photo", "x", "image/png", b"x", 2, t(3))
            .await,
        Err(StoreError::NotFound(_))
    ));

    // Listed by kind, then in order; the bytes come back whole.
    assert_eq!(
        s.list_resource_files(r.id).await.unwrap(),
        vec![doc.clone(), photo.clone(), second.clone()]
    );
    assert!(s.list_resource_files(other.id).await.unwrap().is_empty());
    assert_eq!(
        s.get_resource_file(photo.id).await.unwrap(),
        (photo.clone(), jpeg)
    );
    assert_eq!(
        s.get_resource_file(doc.id).await.unwrap().1,
        b"%PDF-1.7".to_vec()
    );
    assert!(matches!(
        s.get_resource_file(second.id + 1000).await,
        Err(StoreError::NotFound(_))
    ));

    // Removed from its own resource only, once.
    assert!(!s
        .delete_resource_file(other.id, photo.id, t(0))
        .await
        .unwrap());
    assert!(take_events(s).await.is_empty());
    assert!(s.delete_resource_file(r.id, photo.id, t(0)).await.unwrap());
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ResourceUpdated { resource_id: r.id }]
    );
    assert!(!s.delete_resource_file(r.id, photo.id, t(0)).await.unwrap());
    assert_eq!(
        s.list_resource_files(r.id).await.unwrap(),
        vec![doc, second]
    );
}

async fn coordinator_emails(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let with_email = |name: &str, email: Option<&str>| NewUser::by_operator(name, email, None);
    let mut users = Vec::new();
    for (name, email) in [
        ("zoe", Some("zoe@example.org")),
        ("anne", Some("anne@example.org")),
        ("bob", Some("bob@example.org")),
        ("nomail", None),
        ("other", Some("other@example.org")),
    ] {
        users.push(s.create_user(with_email(name, email), t(0)).await.unwrap());
    }
    assert!(s.coordinator_emails(g.id).await.unwrap().is_empty());
    s.set_member(g.id, users[0].id, Role::Coordinator)
        .await
        .unwrap();
    s.set_member(g.id, users[1].id, Role::Owner).await.unwrap();
    s.set_member(g.id, users[2].id, Role::Member).await.unwrap();
    s.set_member(g.id, users[3].id, Role::Coordinator)
        .await
        .unwrap();
    let h = group(s, "atelier", None).await;
    s.set_member(h.id, users[4].id, Role::Owner).await.unwrap();

    // Coordinators and owners with an address, by name.
    assert_eq!(
        s.coordinator_emails(g.id).await.unwrap(),
        vec![
            ("anne".to_string(), "anne@example.org".to_string()),
            ("zoe".to_string(), "zoe@example.org".to_string()),
        ]
    );
    // A member made coordinator is counted from then on.
    s.set_member(g.id, users[2].id, Role::Coordinator)
        .await
        .unwrap();
    assert_eq!(s.coordinator_emails(g.id).await.unwrap().len(), 3);
}
