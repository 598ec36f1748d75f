//! What the suite builds its cases from: a fixed clock, users, associations, missions, remote
//! actors and deliveries, and small readers of what the store recorded.

use chrono::{DateTime, Duration, TimeZone, Utc};
use entraide::{
    domain::{
        account::User,
        actor::{Actor, ActorKind, NewLocalActor, RemoteActor},
        events::Outgoing,
        mission::{Mission, MissionDraft, Place},
        slot::{Participant, Participation, SignUpOutcome, Slot, SlotDraft},
    },
    storage::{
        NewDelivery, NewMission, NewUser, OutboxEvent, QueueStats, RemoteMission, SignUp, Store,
    },
};

pub const BASE: &str = "https://local.example";
pub const HOST: &str = "local.example";

/// A fixed clock: `t(m)` is `m` minutes after 2030-01-01 12:00 UTC (whole seconds, so every
/// back end gives the same value back). Every store call is given its time this way: nothing in
/// the suite depends on the current date.
pub fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 12, 0, 0).single().unwrap() + Duration::minutes(minutes)
}

pub async fn user(s: &dyn Store, name: &str) -> User {
    s.create_user(
        NewUser::by_operator(
            name,
            Some(&format!("{name}@example.org")),
            Some(format!("hash-of-{name}")),
        ),
        t(0),
    )
    .await
    .unwrap()
}

/// Users of these names, in order.
pub async fn users<const N: usize>(s: &dyn Store, names: [&str; N]) -> [User; N] {
    let mut made = Vec::with_capacity(N);
    for name in names {
        made.push(user(s, name).await);
    }
    made.try_into().unwrap()
}

/// A mission of another node (`https://remote.example/e/1`, by the group `voisins` there).
pub async fn remote_source(s: &dyn Store) -> Mission {
    let r = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();
    s.upsert_remote_mission(remote_mission(
        r.id,
        "https://remote.example/e/1",
        "R",
        t(60),
        t(0),
    ))
    .await
    .unwrap()
}

pub fn new_local(kind: ActorKind, name: &str, user_id: Option<i64>) -> NewLocalActor {
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

pub async fn group(s: &dyn Store, name: &str, owner: Option<i64>) -> Actor {
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

pub fn remote_actor(host: &str, name: &str) -> RemoteActor {
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

pub fn draft(title: &str, start: DateTime<Utc>, hours: i64) -> MissionDraft {
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
        start_time: start,
        end_time: start + Duration::hours(hours),
        capacity: Some(8),
        ..MissionDraft::default()
    }
}

pub async fn mission(s: &dyn Store, actor_id: i64, slug: &str, start: DateTime<Utc>) -> Mission {
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

pub fn remote_mission(
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
pub async fn take_events(s: &dyn Store) -> Vec<Outgoing> {
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

pub fn ids<T>(items: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
    items.iter().map(id).collect()
}

pub fn titles(missions: &[Mission]) -> Vec<&str> {
    missions.iter().map(|m| m.title.as_str()).collect()
}

pub fn delivery(activity: &str, signer: i64, inbox: &str) -> NewDelivery {
    NewDelivery {
        activity_ap_id: activity.into(),
        signer_actor_id: signer,
        inbox: inbox.into(),
        payload: format!("{{\"id\":\"{activity}\",\"to\":\"{inbox}\"}}"),
    }
}

/// A slot from `t(start)` lasting `minutes`, with `capacity` places.
pub fn slot_draft(start: i64, minutes: i64, capacity: i64) -> SlotDraft {
    SlotDraft {
        start_time: t(start),
        end_time: t(start + minutes),
        capacity,
    }
}

/// Adds one slot `{BASE}/s/<slug>` to a mission, at `t(0)`.
pub async fn slot(s: &dyn Store, mission_id: i64, slug: &str, draft: SlotDraft) -> Slot {
    let mut made = s
        .create_slots(mission_id, vec![(format!("{BASE}/s/{slug}"), draft)], t(0))
        .await
        .unwrap();
    made.remove(0)
}

/// A sign-up of `who` with the join id `{BASE}/join/<join>`, taking the place at once or
/// waiting for a coordinator, a refusal not kept.
pub fn request(slot_id: i64, who: Participant, join: &str, auto_accept: bool) -> SignUp {
    SignUp {
        slot_id,
        participant: who,
        join_ap_id: format!("{BASE}/join/{join}"),
        message: format!("message {join}"),
        auto_accept,
        record_refusal: false,
    }
}

/// A local user as a participant.
pub fn local(user: &User) -> Participant {
    Participant::User { user_id: user.id }
}

/// Signs up and expects the sign-up recorded (accepted or pending).
pub async fn signed_up(s: &dyn Store, request: SignUp, now: DateTime<Utc>) -> Participation {
    match s.sign_up(request, now).await.unwrap() {
        SignUpOutcome::Recorded(p) => p,
        other => panic!("expected a recorded sign-up, got {other:?}"),
    }
}

/// The queue's counts, to compare with `queue_stats()`.
pub fn stats(pending: i64, delivered: i64, failed: i64) -> QueueStats {
    QueueStats {
        pending,
        delivered,
        failed,
    }
}

/// Two missions of `g` starting at `start`, their two `Create`s claimed from the outbox.
pub async fn two_claimed(s: &dyn Store, g: &Actor, start: DateTime<Utc>) -> Vec<OutboxEvent> {
    mission(s, g.id, "one", start).await;
    mission(s, g.id, "two", start).await;
    let events = s.claim_outbox_events(10, t(0), t(5)).await.unwrap();
    assert_eq!(events.len(), 2);
    events
}
