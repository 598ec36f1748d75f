//! A volunteer whose account is on Mastodon, which cannot send `Join`. The test peer plays
//! their server (WebFinger, actor, inbox). On a real node: the mission page takes the
//! address, a one-time link arrives by direct message, the link's page shows a button, the
//! click signs them up; a reply to the mission that mentions the association becomes interest
//! for the coordinator and is answered with a link.

use crate::{
    participation::mission_with_slot,
    support::{
        eventually,
        peer::{Peer, PeerActor, AS_CONTEXT, PUBLIC},
        Api, Db, Node,
    },
};
use serde_json::{json, Value};

const FORM: &str = "application/x-www-form-urlencoded";

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A browser's POST of a form; returns the status and the page.
fn post_form(url: &str, body: &str) -> (u16, String) {
    let res = client()
        .post(url)
        .header("Content-Type", FORM)
        .body(body.to_string())
        .send()
        .expect("POST");
    (res.status().as_u16(), res.text().unwrap_or_default())
}

fn get_page(url: &str) -> (u16, String) {
    let res = client().get(url).send().expect("GET");
    (res.status().as_u16(), res.text().unwrap_or_default())
}

fn ask(slot: &Value, handle: &str) -> (u16, String) {
    let url = format!("{}/fediverse", slot["ap_id"].as_str().expect("slot id"));
    let encoded = percent_encoding::utf8_percent_encode(handle, percent_encoding::NON_ALPHANUMERIC);
    post_form(&url, &format!("handle={encoded}"))
}

/// Direct messages (`Create{Note}` addressed to `to` alone) the peer received.
fn direct_messages(peer: &Peer, to: &PeerActor) -> Vec<Value> {
    peer.received()
        .into_iter()
        .filter(|r| {
            r.kind() == "Create"
                && r.activity["object"]["type"] == "Note"
                && r.activity["to"] == json!([to.id])
        })
        .map(|r| r.activity)
        .collect()
}

/// The `…/confirm/…` link in a message.
fn link_in(dm: &Value, base: &str) -> String {
    let content = dm["object"]["content"].as_str().unwrap_or_default();
    let start = content
        .find(&format!("{base}/confirm/"))
        .unwrap_or_else(|| panic!("no link in {content}"));
    content[start..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect()
}

fn participations(api: &Api, node: &Node, token: &str, slot: &Value) -> Vec<Value> {
    let (status, v) = api.get(
        &node.url(&format!("/api/v1/slots/{}/participations", slot["id"])),
        Some(token),
    );
    assert_eq!(status, 200, "{v}");
    v["participations"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_mastodon_account_signs_up_by_direct_message_and_its_replies_become_interest() {
    let peer = Peer::start(&["vol", "ann"]);
    let (vol, ann) = (peer.actor("vol"), peer.actor("ann"));
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    a.start();
    let token = a.user_with_token("alice");
    a.association("epicerie", "alice");
    let asso = a.url("/g/epicerie");
    let (mission, slot) = mission_with_slot(&api, &a, &token, "epicerie", 3, "free");

    // A wrong address: a clear message, nothing sent.
    let (status, page) = ask(
        &slot,
        &format!("@nobody@{}", peer.base.trim_start_matches("http://")),
    );
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("trouvé ce compte"), "{page}");
    let (status, page) = ask(&slot, &format!("@alice@{}", a.host()));
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("compte de ce site"), "{page}");

    // The peer's account.
    let (status, page) = ask(&slot, &vol.handle());
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Nous vous avons envoyé un message privé sur votre compte"),
        "{page}"
    );
    let dm = eventually(
        20,
        "the direct message reaches the Mastodon account",
        || direct_messages(&peer, vol).first().cloned(),
    );
    assert_eq!(dm["actor"], asso.as_str());
    assert_eq!(dm["object"]["to"], json!([vol.id]), "to the person only");
    assert_eq!(dm["object"]["cc"], json!([]));
    assert!(!dm.to_string().contains(PUBLIC));
    let mention = json!({"type": "Mention", "href": vol.id, "name": vol.handle()});
    assert!(
        dm["object"]["tag"]
            .as_array()
            .is_some_and(|t| t.contains(&mention)),
        "{dm}"
    );
    assert_eq!(
        peer.count(|r| r.kind() == "Create"),
        1,
        "the wrong addresses got nothing"
    );
    let link = link_in(&dm, &a.base);

    // The link's page shows a button; only the button signs up.
    let (status, page) = get_page(&link);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Je confirme mon inscription"), "{page}");
    assert!(participations(&api, &a, &token, &slot).is_empty());
    let (status, page) = post_form(&link, "");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("est confirmé"), "{page}");
    let list = participations(&api, &a, &token, &slot);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["participant"]["actor_ap_id"], vol.id.as_str());
    assert_eq!(list[0]["status"], "accepted");
    let (status, page) = post_form(&link, "");
    assert_eq!(status, 410, "a link works once: {page}");
    assert!(page.contains("Lien déjà utilisé ou expiré"));
    let confirmed = eventually(20, "vol is told it is confirmed", || {
        direct_messages(&peer, vol).get(1).cloned()
    });
    assert!(
        confirmed["object"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("est confirmé")),
        "{confirmed}"
    );

    // Ann replies to the mission's post, mentioning the association (as Mastodon does).
    let note_id = ann.new_id("note");
    let note = json!({
        "id": note_id, "type": "Note", "attributedTo": ann.id, "inReplyTo": mission["ap_id"],
        "content": "<p>@epicerie Je viens avec ma sœur !</p>", "to": [PUBLIC], "cc": [asso],
        "tag": [{"type": "Mention", "href": asso, "name": format!("@epicerie@{}", a.host())}],
    });
    let create = json!({"@context": AS_CONTEXT, "id": ann.new_id("create"), "type": "Create", "actor": ann.id,
                        "to": [PUBLIC], "cc": [asso], "object": note});
    let (status, body) = ann.post(&a.url("/inbox"), &create);
    assert_eq!(status, 202, "{body}");
    let interests = eventually(20, "the coordinator sees the interest", || {
        let (_, v) = api.get(
            &a.url(&format!("/api/v1/missions/{}/interests", mission["id"])),
            Some(&token),
        );
        v["interests"].as_array().filter(|l| !l.is_empty()).cloned()
    });
    assert_eq!(interests[0]["handle"], ann.handle().as_str());
    assert_eq!(interests[0]["content"], "@epicerie Je viens avec ma sœur !");
    let answer = eventually(20, "ann is answered by direct message", || {
        direct_messages(&peer, ann).first().cloned()
    });
    assert_eq!(answer["object"]["inReplyTo"], note_id.as_str());
    let link = link_in(&answer, &a.base);
    let (status, page) = post_form(&link, "");
    assert_eq!(status, 200, "{page}");
    assert_eq!(participations(&api, &a, &token, &slot).len(), 2);
}
