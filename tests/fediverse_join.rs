//! People on Mastodon, in process: they sign up with their fediverse address (a one-time link
//! comes to them by direct message), and their replies to a mission are kept as interest and
//! answered with a link. A test peer (`federation-tests/support/peer.rs`) plays their server:
//! it answers WebFinger, serves their actors and records what the node sends them.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../federation-tests/support/peer.rs"]
#[allow(dead_code)]
mod peer;

use axum::{
    body::Body,
    http::{Method, Request},
};
use chrono::Duration;
use common::{sqlite_store, PgDb, Resp, TestApp, BASE};
use entraide::{
    domain::{
        events::Outgoing,
        fediverse::{NewConfirmation, NewInterest},
    },
    storage::DynStore,
};
use peer::{Peer, PeerActor, AS_CONTEXT, PUBLIC};
use serde_json::{json, Value};

const ASSO: &str = "http://localhost:8080/g/epicerie";
const FORM: &str = "application/x-www-form-urlencoded";

/// A node that may talk to servers on loopback (the peer).
async fn node() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.federation.allow_private_addresses = true;
    TestApp::with_config(config, dir).await
}

/// A node with a coordinator (alice) of `epicerie`, a mission in `join_mode` and one slot.
async fn setup(join_mode: &str, capacity: i64) -> (TestApp, String, Value, Value) {
    let t = node().await;
    let (_, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let body = json!({
        "title": "Distribution <du> samedi", "locality": "Brest", "category": "solidarity", "join_mode": join_mode,
        "start_time": "2030-03-01T08:00", "end_time": "2030-03-31T20:00"
    });
    let m = t.publish("epicerie", &alice, &body).await;
    let mission = m.json();
    let slot = add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-02T09:00",
        "2030-03-02T12:00",
        capacity,
    )
    .await;
    (t, alice, mission, slot)
}

async fn add_slot(
    t: &TestApp,
    token: &str,
    mission: &Value,
    start: &str,
    end: &str,
    capacity: i64,
) -> Value {
    let path = format!("/api/v1/missions/{}/slots", mission["id"]);
    let body = json!({"slots": [{"start_time": start, "end_time": end, "capacity": capacity}]});
    let res = t.api(Method::POST, &path, Some(token), Some(&body)).await;
    res.expect(201);
    res.json()["slots"][0].clone()
}

fn path_of(url: &Value) -> String {
    url.as_str()
        .unwrap()
        .strip_prefix(BASE)
        .unwrap()
        .to_string()
}

/// A page's text with the escapes of attribute values undone (`/` is written `&#x2f;`).
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
}

/// POSTs the mission page's form for `slot` with this address.
async fn ask(t: &TestApp, slot: &Value, handle: &str) -> Resp {
    let body = format!(
        "handle={}",
        percent_encoding::utf8_percent_encode(handle, percent_encoding::NON_ALPHANUMERIC)
    );
    t.raw(
        Method::POST,
        &format!("{}/fediverse", path_of(&slot["ap_id"])),
        None,
        Some(FORM),
        &body,
    )
    .await
}

/// Turns what was recorded into deliveries and sends them (the worker's job, once).
async fn deliver(t: &TestApp) {
    let ctx = t.app.context();
    entraide::federation::outbox::run_once(&ctx).await.unwrap();
    entraide::federation::delivery::run_until_idle(&ctx)
        .await
        .unwrap();
}

/// The direct messages (`Create{Note}`) the peer received for `to`, oldest first.
fn direct_messages(peer: &Peer, to: &PeerActor) -> Vec<Value> {
    peer.received()
        .into_iter()
        .filter(|r| {
            r.kind() == "Create"
                && r.activity["object"]["type"] == "Note"
                && r.activity["to"] == json!([to.id])
        })
        .map(|r| {
            assert!(r.signed, "direct messages are signed");
            r.activity
        })
        .collect()
}

/// The `/confirm/…` link in a message.
fn link_in(dm: &Value) -> String {
    let content = dm["object"]["content"].as_str().unwrap();
    let start = content
        .find(&format!("{BASE}/confirm/"))
        .unwrap_or_else(|| panic!("no link in {content}"));
    content[start..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect::<String>()
        .strip_prefix(BASE)
        .unwrap()
        .to_string()
}

/// Checks the shape Mastodon needs to show a private mention, from the association to `to`.
fn check_direct_message(dm: &Value, to: &PeerActor) {
    assert_eq!(dm["actor"], ASSO);
    assert_eq!(dm["cc"], json!([]), "{dm}");
    let note = &dm["object"];
    assert_eq!(note["attributedTo"], ASSO);
    assert_eq!(note["to"], json!([to.id]), "only the person");
    assert_eq!(note["cc"], json!([]));
    assert!(!dm.to_string().contains(PUBLIC), "never public: {dm}");
    let tags = note["tag"].as_array().unwrap();
    assert!(
        tags.iter().any(|t| t["type"] == "Mention"
            && t["href"] == to.id.as_str()
            && t["name"] == to.handle().as_str()),
        "a Mention of the person: {tags:?}"
    );
}

async fn participations(t: &TestApp, token: &str, slot: &Value) -> Vec<Value> {
    let res = t
        .api(
            Method::GET,
            &format!("/api/v1/slots/{}/participations", slot["id"]),
            Some(token),
            None,
        )
        .await;
    res.expect(200);
    res.json()["participations"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_mastodon_user_signs_up_through_a_direct_message() {
    let peer = Peer::start(&["vol"]);
    let vol = peer.actor("vol");
    let (t, alice, mission, slot) = setup("free", 2).await;

    // The mission page offers the form for the slot.
    let page = t.get(&path_of(&mission["ap_id"])).await;
    page.expect(200);
    let html = unescape(&page.text());
    assert!(
        html.contains("Vous avez un compte Mastodon ou sur le fédivers"),
        "{html}"
    );
    assert!(
        html.contains(&format!("action=\"{}/fediverse\"", path_of(&slot["ap_id"]))),
        "{html}"
    );
    assert!(html.contains("@vous@instance"));

    let res = ask(&t, &slot, &vol.handle()).await;
    res.expect(200);
    assert!(
        res.text()
            .contains("Nous vous avons envoyé un message privé sur votre compte"),
        "{}",
        res.text()
    );
    assert!(res.text().contains(&vol.handle()));
    assert!(
        participations(&t, &alice, &slot).await.is_empty(),
        "nothing is signed up before the click"
    );

    deliver(&t).await;
    let dms = direct_messages(&peer, vol);
    assert_eq!(dms.len(), 1, "{:?}", peer.received());
    check_direct_message(&dms[0], vol);
    let content = dms[0]["object"]["content"].as_str().unwrap();
    assert!(
        content.contains("Distribution &lt;du&gt; samedi"),
        "the title, escaped: {content}"
    );
    assert!(
        content.contains("sam. 2 mars 2030, de 9 h à 12 h"),
        "the slot's time: {content}"
    );
    assert!(content.contains("48 heures"), "{content}");
    let link = link_in(&dms[0]);

    // Opening the link changes nothing; it shows what will be confirmed and a button.
    let shown = t.get(&link).await;
    shown.expect(200);
    assert_eq!(shown.headers["referrer-policy"], "no-referrer");
    let html = unescape(&shown.text());
    assert!(html.contains("Je confirme mon inscription"), "{html}");
    assert!(
        html.contains(&format!("action=\"{link}\"")),
        "the button posts to the same URL"
    );
    assert!(html.contains(&vol.handle()) && html.contains("Distribution &lt;du&gt; samedi"));
    assert!(
        participations(&t, &alice, &slot).await.is_empty(),
        "a GET signs nobody up"
    );

    let done = t.raw(Method::POST, &link, None, Some(FORM), "").await;
    done.expect(200);
    assert!(done.text().contains("est confirmé"), "{}", done.text());
    let list = participations(&t, &alice, &slot).await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0]["participant"],
        json!({"kind": "remote", "actor_ap_id": vol.id})
    );
    assert_eq!(list[0]["status"], "accepted");
    assert_eq!(
        t.get(&format!("/api/v1/slots/{}", slot["id"])).await.json()["participant_count"],
        1
    );

    // A link works once.
    let again = t.raw(Method::POST, &link, None, Some(FORM), "").await;
    again.expect(410);
    assert!(again.text().contains("Lien déjà utilisé ou expiré"));
    t.get(&link).await.expect(410);
    assert_eq!(participations(&t, &alice, &slot).await.len(), 1);

    // The person is told by direct message too, not with an Accept of a Join they never sent.
    deliver(&t).await;
    let dms = direct_messages(&peer, vol);
    assert_eq!(dms.len(), 2, "{:?}", peer.received());
    check_direct_message(&dms[1], vol);
    assert!(
        dms[1]["object"]["content"]
            .as_str()
            .unwrap()
            .contains("est confirmé"),
        "{}",
        dms[1]
    );
    assert_eq!(peer.count(|r| r.kind() == "Accept"), 0);

    // Asking again for the same slot: already signed up, no message.
    let twice = ask(&t, &slot, &vol.handle()).await;
    twice.expect(409);
    assert!(
        twice.text().contains("déjà inscrit·e sur ce créneau"),
        "{}",
        twice.text()
    );

    // In English, on request.
    let slot2 = add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-09T09:00",
        "2030-03-09T12:00",
        3,
    )
    .await;
    let body = format!("handle={}", vol.handle());
    let en = t
        .raw(
            Method::POST,
            &format!("{}/fediverse?lang=en", path_of(&slot2["ap_id"])),
            None,
            Some(FORM),
            &body,
        )
        .await;
    en.expect(200);
    assert!(
        en.text()
            .contains("We have sent you a private message on your account"),
        "{}",
        en.text()
    );
}

#[tokio::test]
async fn manual_approval_is_told_by_direct_message() {
    let peer = Peer::start(&["vol"]);
    let vol = peer.actor("vol");
    let (t, alice, _mission, slot) = setup("restricted", 1).await;
    ask(&t, &slot, &vol.handle()).await.expect(200);
    deliver(&t).await;
    let link = link_in(&direct_messages(&peer, vol)[0]);
    let done = t.raw(Method::POST, &link, None, Some(FORM), "").await;
    done.expect(200);
    assert!(
        done.text().contains("Votre demande est enregistrée"),
        "{}",
        done.text()
    );
    let list = participations(&t, &alice, &slot).await;
    assert_eq!(list[0]["status"], "pending");
    deliver(&t).await;

    let id = list[0]["id"].clone();
    let body = json!({"reason": "Nous sommes au complet <ce jour-là>."});
    t.api(
        Method::POST,
        &format!("/api/v1/participations/{id}/reject"),
        Some(&alice),
        Some(&body),
    )
    .await
    .expect(200);
    deliver(&t).await;
    let dms = direct_messages(&peer, vol);
    let texts: Vec<&str> = dms
        .iter()
        .map(|d| d["object"]["content"].as_str().unwrap())
        .collect();
    assert_eq!(dms.len(), 3, "link, request received, refusal: {texts:?}");
    assert!(texts[1].contains("est bien reçue"), "{}", texts[1]);
    assert!(
        texts[2].contains("pas été retenue")
            && texts[2].contains("Nous sommes au complet &lt;ce jour-là&gt;."),
        "{}",
        texts[2]
    );
    assert_eq!(
        peer.count(|r| r.kind() == "Reject" || r.kind() == "Accept"),
        0
    );
}

#[tokio::test]
async fn bad_addresses_are_refused_with_a_clear_message_and_nothing_is_stored() {
    let peer = Peer::start(&["vol"]);
    let (t, _alice, _mission, slot) = setup("free", 2).await;
    let before = t.store().queue_stats().await.unwrap();
    let dead = common_free_port();
    let cases = [
        ("", "Indiquez votre adresse du fédivers"),
        ("   ", "Indiquez votre adresse du fédivers"),
        ("pas une adresse", "pas la bonne forme"),
        ("@vol", "pas la bonne forme"),
        ("@vol@", "pas la bonne forme"),
        ("<script>@x.example", "pas la bonne forme"),
        ("@alice@localhost:8080", "compte de ce site"),
        (
            &format!("@nobody@{}", peer.base.trim_start_matches("http://")),
            "trouvé ce compte",
        ),
        (&format!("@vol@localhost:{dead}"), "ne répond pas"),
    ];
    for (handle, expected) in cases {
        let res = ask(&t, &slot, handle).await;
        assert_eq!(res.status.as_u16(), 422, "{handle:?}: {}", res.text());
        let html = res.text();
        assert!(
            html.contains(expected),
            "{handle:?}: expected {expected:?} in {html}"
        );
        assert!(html.contains("role=\"alert\""), "the error is announced");
        assert!(!html.contains("<script>@"), "what was typed is escaped");
    }
    // Not a form at all: the same clear answer as an empty address.
    let res = t
        .raw(
            Method::POST,
            &format!("{}/fediverse", path_of(&slot["ap_id"])),
            None,
            Some("application/json"),
            "{}",
        )
        .await;
    res.expect(422);
    // An unknown slot.
    let res = t
        .raw(
            Method::POST,
            "/s/00000000-0000-0000-0000-000000000000/fediverse",
            None,
            Some(FORM),
            "handle=%40vol%40x.example",
        )
        .await;
    res.expect(404);

    assert_eq!(
        t.store().queue_stats().await.unwrap(),
        before,
        "no message queued"
    );
    let vol = peer.actor("vol");
    assert_eq!(
        t.store()
            .count_confirmations_since(&vol.id, t.now() - Duration::days(1))
            .await
            .unwrap(),
        0
    );
    deliver(&t).await;
    assert!(peer.received().is_empty(), "nobody was written to");
}

/// A port nothing listens on.
fn common_free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[tokio::test]
async fn links_expire_are_used_once_and_are_not_sent_in_floods() {
    let peer = Peer::start(&["vol", "zoe"]);
    let vol = peer.actor("vol");
    let (t, alice, mission, slot) = setup("free", 2).await;
    let slot_id = slot["id"].as_i64().unwrap();

    // A link made 49 hours ago has expired.
    let (token, hash) = entraide::service::accounts::new_secret();
    let past = t.now() - Duration::hours(49);
    let message = Outgoing::DirectMessage {
        from_actor_id: 1,
        to_actor_ap_id: vol.id.clone(),
        content_html: "<p>x</p>".into(),
        in_reply_to: None,
    };
    let link = NewConfirmation::new(
        hash,
        slot_id,
        vol.id.clone(),
        format!("{BASE}/participations/old"),
        past,
    );
    t.store()
        .create_confirmation(link, message, past)
        .await
        .unwrap();
    let res = t.get(&format!("/confirm/{token}")).await;
    res.expect(410);
    assert!(res.text().contains("Lien déjà utilisé ou expiré"));
    t.raw(
        Method::POST,
        &format!("/confirm/{token}"),
        None,
        Some(FORM),
        "",
    )
    .await
    .expect(410);
    // Unknown and malformed tokens alike.
    let (unknown, _) = entraide::service::accounts::new_secret();
    t.get(&format!("/confirm/{unknown}")).await.expect(410);
    t.raw(
        Method::POST,
        &format!("/confirm/{unknown}"),
        None,
        Some(FORM),
        "",
    )
    .await
    .expect(410);
    t.get("/confirm/x").await.expect(410);
    assert!(participations(&t, &alice, &slot).await.is_empty());

    // Two clicks on one link at the same moment: one sign-up, one "already used".
    ask(&t, &slot, &vol.handle()).await.expect(200);
    deliver(&t).await;
    let link = link_in(
        direct_messages(&peer, vol)
            .iter()
            .find(|d| {
                d["object"]["content"]
                    .as_str()
                    .unwrap()
                    .contains("/confirm/")
            })
            .unwrap(),
    );
    let (a, b) = tokio::join!(
        t.raw(Method::POST, &link, None, Some(FORM), ""),
        t.raw(Method::POST, &link, None, Some(FORM), "")
    );
    let mut codes = [a.status.as_u16(), b.status.as_u16()];
    codes.sort();
    assert_eq!(codes, [200, 410]);
    assert_eq!(participations(&t, &alice, &slot).await.len(), 1);

    // At most five links an hour to one account (the expired one above counts as made 49 h ago).
    let slot2 = add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-09T09:00",
        "2030-03-09T12:00",
        3,
    )
    .await;
    for _ in 0..4 {
        ask(&t, &slot2, &vol.handle()).await.expect(200);
    }
    let res = ask(&t, &slot2, &vol.handle()).await;
    res.expect(429);
    assert!(
        res.text()
            .contains("Plusieurs messages ont déjà été envoyés"),
        "{}",
        res.text()
    );

    // The mission is deleted after the link was sent: the link shows nothing, and using it
    // says sign-ups are closed.
    let zoe = peer.actor("zoe");
    ask(&t, &slot2, &zoe.handle()).await.expect(200);
    deliver(&t).await;
    let link = link_in(&direct_messages(&peer, zoe)[0]);
    let path = format!("/api/v1/missions/{}", mission["id"]);
    t.api(Method::DELETE, &path, Some(&alice), None)
        .await
        .expect(204);
    t.get(&link).await.expect(410);
    let res = t.raw(Method::POST, &link, None, Some(FORM), "").await;
    res.expect(409);
    assert!(
        res.text()
            .contains("inscriptions à cette mission sont fermées"),
        "{}",
        res.text()
    );
}

/// POSTs an activity to the node's shared inbox, signed by `actor`.
async fn post_inbox(t: &TestApp, actor: &PeerActor, activity: &Value) -> Resp {
    let body = activity.to_string();
    let mut req = Request::post("/inbox");
    for (name, value) in actor.sign(&format!("{BASE}/inbox"), body.as_bytes()) {
        req = req.header(name, value);
    }
    t.send(req.body(Body::from(body)).unwrap()).await
}

/// A reply from `actor` to `parent`, mentioning the association when `mention` is set.
fn reply(actor: &PeerActor, note_id: &str, parent: &str, mention: bool) -> Value {
    let mut note = json!({
        "id": note_id, "type": "Note", "attributedTo": actor.id, "inReplyTo": parent,
        "content": "<p><span class=\"h-card\"><a href=\"http://localhost:8080/g/epicerie\" class=\"u-url mention\">@<span>epicerie</span></a></span> Je suis partante pour samedi !<script>x()</script></p>",
        "to": [PUBLIC], "cc": [format!("{}/followers", actor.id)], "tag": [],
    });
    if mention {
        note["cc"] = json!([format!("{}/followers", actor.id), ASSO]);
        note["tag"] =
            json!([{"type": "Mention", "href": ASSO, "name": "@epicerie@localhost:8080"}]);
    }
    json!({"@context": AS_CONTEXT, "id": actor.new_id("create"), "type": "Create", "actor": actor.id,
           "to": note["to"], "cc": note["cc"], "object": note})
}

#[tokio::test]
async fn replies_that_mention_the_association_are_kept_as_interest_and_answered() {
    let peer = Peer::start(&["ann", "vol"]);
    let (ann, vol) = (peer.actor("ann"), peer.actor("vol"));
    let (t, alice, mission, slot) = setup("free", 2).await;
    let mission_ap = mission["ap_id"].as_str().unwrap();
    let interests_path = format!("/api/v1/missions/{}/interests", mission["id"]);

    // A reply that does not mention the association, and a mention that replies to nothing of ours.
    post_inbox(&t, ann, &reply(ann, &ann.new_id("note"), mission_ap, false))
        .await
        .expect(202);
    post_inbox(
        &t,
        ann,
        &reply(
            ann,
            &ann.new_id("note"),
            "http://elsewhere.example/notes/1",
            true,
        ),
    )
    .await
    .expect(202);
    // A note attributed to someone else is refused.
    let mut forged = reply(ann, &ann.new_id("note"), mission_ap, true);
    forged["object"]["attributedTo"] = json!(vol.id);
    post_inbox(&t, ann, &forged).await.expect(403);
    let res = t
        .api(Method::GET, &interests_path, Some(&alice), None)
        .await;
    res.expect(200);
    assert_eq!(
        res.json()["interests"],
        json!([]),
        "none of these is interest"
    );

    // The real thing.
    let note_id = ann.new_id("note");
    post_inbox(&t, ann, &reply(ann, &note_id, mission_ap, true))
        .await
        .expect(202);
    let listed = t
        .api(Method::GET, &interests_path, Some(&alice), None)
        .await
        .json();
    let items = listed["interests"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{listed}");
    assert_eq!(items[0]["actor_ap_id"], ann.id.as_str());
    assert_eq!(items[0]["handle"], ann.handle().as_str());
    assert_eq!(items[0]["note_ap_id"], note_id.as_str());
    assert_eq!(
        items[0]["content"], "@epicerie Je suis partante pour samedi !",
        "plain text, script removed"
    );

    // Answered by direct message, in the same conversation, with a link for the open slot.
    deliver(&t).await;
    let dms = direct_messages(&peer, ann);
    assert_eq!(dms.len(), 1, "{:?}", peer.received());
    check_direct_message(&dms[0], ann);
    assert_eq!(dms[0]["object"]["inReplyTo"], note_id.as_str());
    assert!(dms[0]["object"]["content"]
        .as_str()
        .unwrap()
        .contains("Merci pour votre message"));
    let link = link_in(&dms[0]);
    t.raw(Method::POST, &link, None, Some(FORM), "")
        .await
        .expect(200);
    let list = participations(&t, &alice, &slot).await;
    assert_eq!(list[0]["participant"]["actor_ap_id"], ann.id.as_str());

    // The same reply again (redelivered, or edited): kept once, answered once.
    let mut update = reply(ann, &note_id, mission_ap, true);
    update["type"] = json!("Update");
    post_inbox(&t, ann, &update).await.expect(202);
    deliver(&t).await;
    let listed = t
        .api(Method::GET, &interests_path, Some(&alice), None)
        .await
        .json();
    assert_eq!(listed["interests"].as_array().unwrap().len(), 1);
    assert_eq!(
        direct_messages(&peer, ann).len(),
        2,
        "the link, then the confirmation; no second link"
    );

    // A reply to the slot itself counts for its mission; ann is already in the only slot, so
    // she hears there is none open for her.
    let note2 = ann.new_id("note");
    post_inbox(
        &t,
        ann,
        &reply(ann, &note2, slot["ap_id"].as_str().unwrap(), true),
    )
    .await
    .expect(202);
    deliver(&t).await;
    let dms = direct_messages(&peer, ann);
    let last = dms.last().unwrap();
    assert_eq!(last["object"]["inReplyTo"], note2.as_str());
    assert!(
        last["object"]["content"]
            .as_str()
            .unwrap()
            .contains("pas de créneau ouvert"),
        "{last}"
    );
    assert!(!last["object"]["content"]
        .as_str()
        .unwrap()
        .contains("/confirm/"));
    assert_eq!(
        t.api(Method::GET, &interests_path, Some(&alice), None)
            .await
            .json()["interests"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Coordinators only.
    let (_, bob) = t.user("bob").await;
    t.api(Method::GET, &interests_path, Some(&bob), None)
        .await
        .expect(403);
    t.api(Method::GET, &interests_path, None, None)
        .await
        .expect(401);
    t.api(
        Method::GET,
        "/api/v1/missions/999999/interests",
        Some(&alice),
        None,
    )
    .await
    .expect(404);
}

/// The store's side, on SQLite and PostgreSQL: a link is taken once, an expired one never,
/// a released one again; a reply is kept once, with its link and answer only the first time.
async fn store_conformance(store: DynStore) {
    use entraide::{config::Config, domain::mission::MissionInput, service};
    let mut config = Config::default();
    config.server.public_url = BASE.parse().unwrap();
    let now = common::start();
    let alice = service::accounts::create_user(
        store.as_ref(),
        BASE,
        "localhost:8080",
        "alice",
        None,
        Some("a long password"),
        now,
    )
    .await
    .unwrap();
    service::accounts::create_association(
        store.as_ref(),
        BASE,
        "localhost:8080",
        "epicerie",
        "alice",
        None,
        "",
        now,
    )
    .await
    .unwrap();
    let input: MissionInput = serde_json::from_value(json!({
        "title": "Collecte", "locality": "Brest", "category": "solidarity", "start_time": "2030-03-01T08:00", "end_time": "2030-03-31T20:00"
    }))
    .unwrap();
    let mission = service::missions::create(
        store.as_ref(),
        &config,
        &service::places::Geocoder::new(&config.places),
        &alice,
        "epicerie",
        input,
        now,
    )
    .await
    .unwrap();
    let slots: service::slots::NewSlots = serde_json::from_value(json!({"slots": [
        {"start_time": "2030-03-02T09:00", "end_time": "2030-03-02T12:00", "capacity": 2}]}))
    .unwrap();
    let slot = service::slots::add(store.as_ref(), &config, &alice, mission.id, slots, now)
        .await
        .unwrap()
        .remove(0);
    let actor = "http://peer.example/users/vol";
    let dm = || Outgoing::DirectMessage {
        from_actor_id: mission.actor_id,
        to_actor_ap_id: actor.into(),
        content_html: "<p>x</p>".into(),
        in_reply_to: None,
    };
    let pending = store.queue_stats().await.unwrap().pending;

    let made = store
        .create_confirmation(
            NewConfirmation::new(
                "h1".into(),
                slot.id,
                actor.into(),
                format!("{BASE}/participations/1"),
                now,
            ),
            dm(),
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        store.queue_stats().await.unwrap().pending,
        pending + 1,
        "the message is queued with the link"
    );
    assert_eq!(store.find_confirmation("h1").await.unwrap().unwrap(), made);
    assert!(store.find_confirmation("nope").await.unwrap().is_none());
    let taken = store.take_confirmation("h1", now).await.unwrap().unwrap();
    assert!(taken.used_at.is_some());
    assert!(
        store.take_confirmation("h1", now).await.unwrap().is_none(),
        "once"
    );
    store.release_confirmation(made.id).await.unwrap();
    assert!(
        store.take_confirmation("h1", now).await.unwrap().is_some(),
        "released, usable again"
    );
    let old = now - Duration::hours(49);
    store
        .create_confirmation(
            NewConfirmation::new(
                "h2".into(),
                slot.id,
                actor.into(),
                format!("{BASE}/participations/2"),
                old,
            ),
            dm(),
            old,
        )
        .await
        .unwrap();
    assert!(
        store.take_confirmation("h2", now).await.unwrap().is_none(),
        "expired"
    );
    assert_eq!(
        store
            .count_confirmations_since(actor, now - Duration::hours(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .count_confirmations_since(actor, old - Duration::hours(1))
            .await
            .unwrap(),
        2
    );

    let interest = NewInterest {
        mission_id: mission.id,
        actor_ap_id: actor.into(),
        note_ap_id: "http://peer.example/notes/1".into(),
        content: "Partante !".into(),
    };
    let link = NewConfirmation::new(
        "h3".into(),
        slot.id,
        actor.into(),
        format!("{BASE}/participations/3"),
        now,
    );
    let pending = store.queue_stats().await.unwrap().pending;
    assert!(store
        .record_interest(interest.clone(), Some(link.clone()), Some(dm()), now)
        .await
        .unwrap());
    assert!(
        !store
            .record_interest(interest, Some(link), Some(dm()), now)
            .await
            .unwrap(),
        "kept once"
    );
    assert_eq!(
        store.queue_stats().await.unwrap().pending,
        pending + 1,
        "answered once"
    );
    assert!(store.find_confirmation("h3").await.unwrap().is_some());
    let kept = store.list_interests(mission.id).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].content.as_str(), kept[0].actor_ap_id.as_str()),
        ("Partante !", actor)
    );
}

#[tokio::test]
async fn store_links_and_interest_on_sqlite() {
    let (store, _dir) = sqlite_store().await;
    store_conformance(store).await;
}

#[tokio::test]
async fn store_links_and_interest_on_postgres() {
    let Some(db) = PgDb::fresh("store_links_and_interest_on_postgres").await else {
        return;
    };
    store_conformance(db.store().await).await;
}

/// Objects of the wrong shape are refused with a 400 that names the field at fault: never a
/// panic, a 500 or a half-recorded effect; the same activity, corrected, then goes through.
#[tokio::test]
async fn malformed_objects_are_refused_with_a_clear_400() {
    let peer = Peer::start(&["ann"]);
    let ann = peer.actor("ann");
    let t = node().await;
    t.user("alice").await;
    t.association("epicerie", "alice").await;
    let refused = |res: &Resp, says: &str| {
        assert_eq!(res.status.as_u16(), 400, "{}", res.text());
        assert!(res.text().contains(says), "{says} in {}", res.text());
    };

    // Our protocol's signature without its date.
    let agreement = ann.new_id("agreements");
    let update = json!({"@context": AS_CONTEXT, "id": ann.new_id("update"), "type": "Update",
        "actor": ann.id, "to": [ASSO],
        "object": {"id": agreement, "type": "Agreement", "state": "picked_up",
                   "ownerSigned": {"by": "Ann"}}});
    refused(
        &post_inbox(&t, ann, &update).await,
        "the Agreement cannot be read: ownerSigned: missing field `at`",
    );
    // A state that is not text.
    let mut update = update.clone();
    update["id"] = json!(ann.new_id("update"));
    update["object"] = json!({"id": agreement, "type": "Agreement", "state": 3});
    refused(
        &post_inbox(&t, ann, &update).await,
        "the Agreement cannot be read: state: invalid type: integer `3`",
    );

    // Hours that name no association.
    let hours = json!({"@context": AS_CONTEXT, "id": ann.new_id("create"), "type": "Create",
        "actor": ann.id, "to": [ASSO],
        "object": {"id": ann.new_id("hours"), "type": "EconomicEvent", "provider": ann.id,
                   "action": "work", "minutes": 90, "hasBeginning": "2026-11-20"}});
    refused(
        &post_inbox(&t, ann, &hours).await,
        "the EconomicEvent cannot be read: missing field `receiver`",
    );
    let mut hours = hours.clone();
    hours["object"]["receiver"] = json!("not a url");
    refused(
        &post_inbox(&t, ann, &hours).await,
        "receiver: expected an http(s) URL",
    );

    // An answer to an Offer whose Agreement carries a signature dated with words.
    let accept = json!({"@context": AS_CONTEXT, "id": ann.new_id("accept"), "type": "Accept",
        "actor": ann.id, "to": [ASSO],
        "object": {"id": format!("{BASE}/offers/1"), "type": "Offer"},
        "result": {"id": agreement, "type": "Agreement",
                   "ownerSigned": {"by": "Ann", "at": "hier"}}});
    refused(
        &post_inbox(&t, ann, &accept).await,
        "the Accept cannot be read: result: ",
    );

    // An Offer whose Agreement stipulates nothing.
    let offer = json!({"@context": AS_CONTEXT, "id": ann.new_id("offer"), "type": "Offer",
        "actor": ann.id, "to": [ASSO], "object": {"type": "Agreement", "stipulates": "x"}});
    refused(
        &post_inbox(&t, ann, &offer).await,
        "the Agreement stipulates no Commitment naming the resource",
    );

    // A refused activity is not marked as received: corrected, with the same id, it is read.
    let mut update = update.clone();
    update["object"] = json!({"id": agreement, "type": "Agreement", "state": "picked_up"});
    post_inbox(&t, ann, &update).await.expect(202);
}

/// An actor's shared inbox is kept only when it is on the actor's own server: another server's
/// would receive what is sent to that actor's followers.
#[tokio::test]
async fn a_shared_inbox_on_another_server_is_ignored() {
    let honest = Peer::start(&["ann"]);
    let elsewhere = Peer::start_with_shared_inbox(&["bea"], Some("http://localhost:9/inbox"));
    let t = node().await;
    t.user("alice").await;
    t.association("epicerie", "alice").await;
    for (actor, kept) in [
        (honest.actor("ann"), Some(format!("{}/inbox", honest.base))),
        (elsewhere.actor("bea"), None),
    ] {
        let follow = actor.follow(&actor.new_id("follow"), ASSO);
        post_inbox(&t, actor, &follow).await.expect(202);
        let stored = t
            .store()
            .find_actor_by_ap_id(&actor.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.shared_inbox, kept, "{}", actor.id);
        assert_eq!(
            stored.delivery_inbox(),
            kept.as_deref().unwrap_or(&actor.inbox)
        );
    }
}
