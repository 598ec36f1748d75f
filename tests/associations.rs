//! Associations coming in by themselves (issue 14), in process: a request for a new
//! association approved (the Group, its coordinator, its page with logo and fields of action,
//! its `icon`, the email) or refused with a reason; a name already taken; invitations (accepted
//! once, expired, revoked, for another person); a mission's picture (a bad file refused in
//! words, EXIF gone, the Event's `image` and `Banner` attachment).

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use base64::{engine::general_purpose::STANDARD, Engine};
use chrono::Duration;
use common::TestApp;
use entraide::{domain::account::Role, federation::outbox, service::accounts};
use serde_json::{json, Value};

const AP: &str = "application/activity+json";

/// A user with an email and a token (the first one made administers the node).
async fn person(t: &TestApp, name: &str) -> String {
    accounts::create_user(
        t.store(),
        "https://entraide.test",
        "entraide.test",
        name,
        Some(&format!("{name}@example.org")),
        Some("a long password"),
        t.now(),
    )
    .await
    .unwrap();
    accounts::create_token(t.store(), name, "tests", t.now())
        .await
        .unwrap()
}

/// A JPEG with an EXIF segment holding a position, as phones write them.
fn jpeg_with_exif() -> Vec<u8> {
    common::upload::jpeg_with_position(64, 48)
}

fn request_body(name: &str) -> Value {
    json!({
        "name": name,
        "display_name": "Coup de pouce devoirs",
        "summary": "Aide aux **devoirs** pour les collégiens.",
        "address": "2 rue de Siam, 29200 Brest",
        "email": "contact@devoirs.example",
        "phone": "+33 2 98 00 00 00",
        "website": "https://devoirs.example",
        "categories": ["education", "solidarity"],
        "logo": STANDARD.encode(jpeg_with_exif()),
    })
}

/// The emails recorded so far (recipient, subject), after the outbox pass wrote them.
async fn emails(t: &TestApp) -> Vec<(String, String)> {
    let ctx = t.app.context();
    while outbox::run_once(&ctx).await.unwrap() > 0 {}
    t.store()
        .list_notifications(None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|n| (n.recipient, n.subject))
        .collect()
}

/// The role a user holds in an association, if any.
async fn role(
    t: &TestApp,
    group: &entraide::domain::actor::Actor,
    user: &entraide::domain::account::User,
) -> Option<Role> {
    t.store().member_role(group.id, user.id).await.unwrap()
}

#[tokio::test]
async fn a_request_approved_becomes_an_association_with_its_page() {
    let t = TestApp::new().await;
    let admin = person(&t, "chef").await;
    let anne = person(&t, "anne").await;

    // Field by field, in words.
    let mut bad = request_body("devoirs");
    bad["phone"] = json!("call me");
    bad["website"] = json!("javascript:alert(1)");
    bad["categories"] = json!(["cooking"]);
    let r = t
        .api(
            Method::POST,
            "/api/v1/associations/requests",
            Some(&anne),
            Some(&bad),
        )
        .await;
    r.expect(422);
    let fields = &r.json()["fields"];
    assert!(fields["phone"].is_string(), "{}", r.text());
    assert!(fields["website"].is_string(), "{}", r.text());
    assert!(fields["categories"].is_string(), "{}", r.text());

    let r = t
        .api(
            Method::POST,
            "/api/v1/associations/requests",
            Some(&anne),
            Some(&request_body("devoirs")),
        )
        .await;
    r.expect(201);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["status"], "pending");

    // The same name again: said at once.
    let r = t
        .api(
            Method::POST,
            "/api/v1/associations/requests",
            Some(&admin),
            Some(&request_body("devoirs")),
        )
        .await;
    r.expect(422);
    assert!(
        r.json()["fields"]["name"]
            .as_str()
            .unwrap()
            .contains("devoirs"),
        "{}",
        r.text()
    );

    // Only administrators see and answer.
    t.api(
        Method::GET,
        "/api/v1/admin/associations/requests",
        Some(&anne),
        None,
    )
    .await
    .expect(403);
    t.api(
        Method::POST,
        &format!("/api/v1/admin/associations/requests/{id}/approve"),
        Some(&anne),
        None,
    )
    .await
    .expect(403);
    let list = t
        .api(
            Method::GET,
            "/api/v1/admin/associations/requests",
            Some(&admin),
            None,
        )
        .await;
    list.expect(200);
    assert_eq!(list.json()["requests"][0]["user"], "anne");
    assert_eq!(list.json()["requests"][0]["has_logo"], true);

    let r = t
        .api(
            Method::POST,
            &format!("/api/v1/admin/associations/requests/{id}/approve"),
            Some(&admin),
            None,
        )
        .await;
    r.expect(200);
    assert_eq!(r.json()["name"], "devoirs");
    t.api(
        Method::POST,
        &format!("/api/v1/admin/associations/requests/{id}/approve"),
        Some(&admin),
        None,
    )
    .await
    .expect(409);

    // Anne coordinates it.
    let group = t.group("devoirs").await;
    let anne_user = t.store().find_user_by_name("anne").await.unwrap().unwrap();
    assert!(role(&t, &group, &anne_user)
        .await
        .is_some_and(Role::can_manage_missions));
    assert!(group.private_key_pem.is_some(), "the Group has its keys");

    // Its page: logo, fields of action, address, contact, website.
    let page = t.get("/g/devoirs").await;
    page.expect(200);
    let html = page.text();
    for shown in [
        "devoirs&#x2f;logo.jpg?v=",
        "2 rue de Siam, 29200 Brest",
        "contact@devoirs.example",
        "+33 2 98 00 00 00",
        "Site web",
        "Éducation",
        "Coup de pouce devoirs",
    ] {
        assert!(html.contains(shown), "{shown} not on the page:\n{html}");
    }
    let logo = t.get("/g/devoirs/logo.jpg").await;
    logo.expect(200);
    assert_eq!(logo.content_type(), "image/jpeg");
    assert!(
        !logo.body.windows(11).any(|w| w == b"GPSLatitude"),
        "EXIF gone"
    );

    // On ActivityPub, the logo is the Group's icon.
    let actor = t.get_with("/g/devoirs", "accept", AP).await;
    actor.expect(200);
    let icon = &actor.json()["icon"];
    assert_eq!(icon["type"], "Image");
    assert!(icon["url"]
        .as_str()
        .unwrap()
        .contains("/g/devoirs/logo.jpg?v="));

    // Anne hears of it.
    let sent = emails(&t).await;
    assert!(
        sent.iter()
            .any(|(to, subject)| to == "anne@example.org" && subject.contains("Coup de pouce")),
        "{sent:?}"
    );
}

#[tokio::test]
async fn a_refusal_says_why_and_coordinators_edit_the_page() {
    let t = TestApp::new().await;
    let admin = person(&t, "chef").await;
    let anne = person(&t, "anne").await;
    let mut body = request_body("devoirs");
    body.as_object_mut().unwrap().remove("logo");
    let r = t
        .api(
            Method::POST,
            "/api/v1/associations/requests",
            Some(&anne),
            Some(&body),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/associations/requests/{id}/refuse");
    let r = t
        .api(
            Method::POST,
            &path,
            Some(&admin),
            Some(&json!({"reason": " "})),
        )
        .await;
    r.expect(422);
    assert!(r.json()["fields"]["reason"].is_string());
    let r = t
        .api(
            Method::POST,
            &path,
            Some(&admin),
            Some(&json!({"reason": "Elle existe déjà sous le nom aide-devoirs."})),
        )
        .await;
    r.expect(200);
    assert_eq!(r.json()["status"], "refused");
    assert!(t
        .store()
        .find_local_actor("Group", "devoirs")
        .await
        .unwrap()
        .is_none());
    let sent = emails(&t).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let n = t.store().list_notifications(None, 10).await.unwrap();
    assert!(
        n[0].body_text.contains("aide-devoirs"),
        "{}",
        n[0].body_text
    );
    assert_eq!(n[0].status, "skipped", "SMTP is off in tests");

    // A coordinator edits an association's page; others may not.
    t.association("epicerie", "chef").await;
    let patch = json!({"address": "Halles Saint-Louis", "categories": ["solidarity"],
                       "logo": STANDARD.encode(jpeg_with_exif())});
    t.api(
        Method::PATCH,
        "/api/v1/associations/epicerie",
        Some(&anne),
        Some(&patch),
    )
    .await
    .expect(403);
    t.api(
        Method::PATCH,
        "/api/v1/associations/epicerie",
        Some(&admin),
        Some(&patch),
    )
    .await
    .expect(200);
    let r = t
        .api(
            Method::PATCH,
            "/api/v1/associations/epicerie",
            Some(&admin),
            Some(&json!({"logo": STANDARD.encode(b"%PDF-1.4 not an image")})),
        )
        .await;
    r.expect(422);
    assert!(r.json()["fields"]["logo"].is_string(), "{}", r.text());
    let html = t.get("/g/epicerie").await.text();
    assert!(html.contains("Halles Saint-Louis"));
}

#[tokio::test]
async fn invitations_work_once_for_their_person_within_seven_days() {
    let t = TestApp::new().await;
    let admin = person(&t, "chef").await;
    let bob = person(&t, "bob").await;
    let eve = person(&t, "eve").await;
    t.association("epicerie", "chef").await;
    let path = "/api/v1/associations/epicerie/invitations";

    let r = t
        .api(
            Method::POST,
            path,
            Some(&admin),
            Some(&json!({"email": "nope", "role": "owner"})),
        )
        .await;
    r.expect(422);
    assert!(r.json()["fields"]["email"].is_string());
    assert!(r.json()["fields"]["role"].is_string());
    t.api(
        Method::POST,
        path,
        Some(&bob),
        Some(&json!({"email": "bob@example.org", "role": "member"})),
    )
    .await
    .expect(403);
    t.api(
        Method::POST,
        path,
        Some(&admin),
        Some(&json!({"email": "Bob@Example.org", "role": "coordinator"})),
    )
    .await
    .expect(201);
    // The link is in the email only.
    emails(&t).await;
    let n = t.store().list_notifications(None, 10).await.unwrap();
    let mail = n.iter().find(|n| n.kind == "invitation").unwrap();
    assert_eq!(mail.recipient, "Bob@Example.org");
    let link = mail
        .body_text
        .split_whitespace()
        .find(|w| w.contains("/invitations/"))
        .unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();

    // A visitor is offered to log in or to register, and to come back.
    let page = t.get(&format!("/invitations/{token}")).await;
    page.expect(200);
    let html = page.text();
    assert!(html.contains("/register?next=%2Finvitations%2F"), "{html}");
    assert!(html.contains("/login?next=%2Finvitations%2F"), "{html}");

    let accept = format!("/api/v1/invitations/{token}/accept");
    let r = t.api(Method::POST, &accept, Some(&eve), None).await;
    r.expect(409);
    assert!(r.text().contains("another email address"), "{}", r.text());
    t.api(Method::POST, &accept, Some(&bob), None)
        .await
        .expect(200);
    let g = t.group("epicerie").await;
    let bob_user = t.store().find_user_by_name("bob").await.unwrap().unwrap();
    assert_eq!(role(&t, &g, &bob_user).await, Some(Role::Coordinator));
    let r = t.api(Method::POST, &accept, Some(&bob), None).await;
    r.expect(409);
    assert!(r.text().contains("already been used"), "{}", r.text());
    t.api(
        Method::POST,
        "/api/v1/invitations/unknown/accept",
        Some(&bob),
        None,
    )
    .await
    .expect(404);

    // Revoked, then expired.
    let mk = |email: &str| json!({"email": email, "role": "member"});
    let r = t
        .api(
            Method::POST,
            path,
            Some(&admin),
            Some(&mk("eve@example.org")),
        )
        .await;
    let revoked = r.json()["id"].as_i64().unwrap();
    t.api(
        Method::POST,
        path,
        Some(&admin),
        Some(&mk("eve@example.org")),
    )
    .await
    .expect(201);
    let listed = t.api(Method::GET, path, Some(&admin), None).await;
    assert_eq!(listed.json()["invitations"].as_array().unwrap().len(), 2);
    t.api(
        Method::DELETE,
        &format!("{path}/{revoked}"),
        Some(&admin),
        None,
    )
    .await
    .expect(204);
    t.api(
        Method::DELETE,
        &format!("{path}/{revoked}"),
        Some(&admin),
        None,
    )
    .await
    .expect(404);
    emails(&t).await;
    let tokens: Vec<String> = t
        .store()
        .list_notifications(None, 10)
        .await
        .unwrap()
        .iter()
        .filter(|n| n.kind == "invitation" && n.recipient == "eve@example.org")
        .filter_map(|n| {
            n.body_text
                .split_whitespace()
                .find(|w| w.contains("/invitations/"))
                .map(|l| l.rsplit('/').next().unwrap().to_string())
        })
        .collect();
    assert_eq!(tokens.len(), 2);
    let mut answers = Vec::new();
    t.clock.advance(Duration::days(7) + Duration::minutes(1));
    for tok in &tokens {
        let r = t
            .api(
                Method::POST,
                &format!("/api/v1/invitations/{tok}/accept"),
                Some(&eve),
                None,
            )
            .await;
        answers.push((r.status.as_u16(), r.text()));
    }
    assert!(answers.iter().all(|(s, _)| *s == 409), "{answers:?}");
    assert!(
        answers.iter().any(|(_, b)| b.contains("withdrawn")),
        "{answers:?}"
    );
    assert!(
        answers.iter().any(|(_, b)| b.contains("expired")),
        "{answers:?}"
    );
    let eve_user = t.store().find_user_by_name("eve").await.unwrap().unwrap();
    assert_eq!(role(&t, &g, &eve_user).await, None);
}

#[tokio::test]
async fn a_mission_picture_is_checked_cleaned_and_federated() {
    let t = TestApp::new().await;
    let admin = person(&t, "chef").await;
    let bob = person(&t, "bob").await;
    t.association("epicerie", "chef").await;
    let m = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/missions",
            Some(&admin),
            Some(&json!({
                "title": "Tri des dons",
                "description": "Trier les dons.",
                "category": "solidarity",
                "locality": "Brest",
                "start_time": (t.now() + Duration::days(10)).to_rfc3339(),
                "end_time": (t.now() + Duration::days(10) + Duration::hours(3)).to_rfc3339(),
                "capacity": 4
            })),
        )
        .await;
    m.expect(201);
    let id = m.json()["id"].as_i64().unwrap();
    let ap_id = m.json()["ap_id"].as_str().unwrap().to_string();
    let put = |token: String, body: Vec<u8>| {
        let path = format!("/api/v1/missions/{id}/picture");
        let t = &t;
        async move {
            let req = axum::http::Request::builder()
                .method(Method::PUT)
                .uri(path)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "image/jpeg")
                .body(axum::body::Body::from(body))
                .unwrap();
            t.send(req).await
        }
    };
    let r = put(admin.clone(), b"%PDF-1.4 not a picture".to_vec()).await;
    r.expect(422);
    let said = r.json()["fields"]["picture"].as_str().unwrap().to_string();
    assert!(said.contains("JPEG") || said.contains("photo"), "{said}");
    put(bob.clone(), jpeg_with_exif()).await.expect(403);
    put(admin.clone(), jpeg_with_exif()).await.expect(204);

    let pic = t.get(&format!("/missions/{id}/picture.jpg")).await;
    pic.expect(200);
    assert!(pic.body.starts_with(&[0xFF, 0xD8]));
    assert!(!pic.body.windows(4).any(|w| w == b"Exif"), "EXIF gone");

    // The Event carries it as Mastodon and Mobilizon read it.
    let path = ap_id.split_once("//").unwrap().1.split_once('/').unwrap().1;
    let event = t.get_with(&format!("/{path}"), "accept", AP).await;
    event.expect(200);
    let doc = event.json();
    let url = doc["image"]["url"].as_str().unwrap();
    assert!(
        url.contains(&format!("/missions/{id}/picture.jpg?v=")),
        "{doc}"
    );
    assert_eq!(doc["attachment"][0]["name"], "Banner");
    assert_eq!(doc["attachment"][0]["mediaType"], "image/jpeg");
    assert_eq!(doc["attachment"][0]["url"], url);

    t.api(
        Method::DELETE,
        &format!("/api/v1/missions/{id}/picture"),
        Some(&admin),
        None,
    )
    .await
    .expect(204);
    t.get(&format!("/missions/{id}/picture.jpg"))
        .await
        .expect(404);
    let doc = t.get_with(&format!("/{path}"), "accept", AP).await.json();
    assert!(
        doc.get("image").is_none() && doc.get("attachment").is_none(),
        "{doc}"
    );
}
