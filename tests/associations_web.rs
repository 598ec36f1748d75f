//! The association pages (issue 14), in process: asking for an association through the form
//! (a refused field kept with its sentence, French and English, the logo, the confirmation),
//! the administrators' page (approve, refuse with a reason, 403 for anyone else), the
//! coordinators' settings (the page's fields and logo, invitations sent and withdrawn), and
//! forms without their CSRF token refused.

#![allow(clippy::unwrap_used)]

mod common;

use axum::{
    body::Body,
    http::{header, Request},
};
use common::{Resp, TestApp};
use entraide::service::accounts;

const PASSWORD: &str = "a long password";

/// A user with an email (the first one made administers the node).
async fn person(t: &TestApp, name: &str) {
    accounts::create_user(
        t.store(),
        "https://entraide.test",
        "entraide.test",
        name,
        Some(&format!("{name}@example.org")),
        Some(PASSWORD),
        t.now(),
    )
    .await
    .unwrap();
}

fn jpeg() -> Vec<u8> {
    common::upload::jpeg(64, 48)
}

/// A `multipart/form-data` form with text fields and, maybe, one file.
async fn multipart(
    t: &TestApp,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Resp {
    let files: Vec<_> = file
        .map(|(name, bytes)| (name, "logo.jpg", "image/jpeg", bytes))
        .into_iter()
        .collect();
    let (ctype, body) = common::upload::multipart_body(fields, &files);
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, ctype)
        .header(header::COOKIE, cookie);
    t.send(req.body(Body::from(body)).unwrap()).await
}

fn location(r: &Resp) -> String {
    r.headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// The request form's fields, good ones.
fn good_request(csrf: &str) -> Vec<(&str, &str)> {
    vec![
        ("csrf", csrf),
        ("name", "devoirs"),
        ("display_name", "Coup de pouce devoirs"),
        ("summary", "Aide aux devoirs pour les collégiens."),
        ("address", "2 rue de Siam, 29200 Brest"),
        ("email", "contact@devoirs.example"),
        ("phone", "+33 2 98 00 00 00"),
        ("website", "https://devoirs.example"),
        ("categories", "education"),
        ("categories", "solidarity"),
    ]
}

fn with<'a>(fields: &[(&'a str, &'a str)], name: &str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .map(|(k, v)| if *k == name { (*k, value) } else { (*k, *v) })
        .collect()
}

#[tokio::test]
async fn a_request_through_the_form_then_the_administrators_page() {
    request_then_answer(TestApp::new().await).await;
}

#[tokio::test]
async fn a_request_through_the_form_then_the_administrators_page_on_postgres() {
    if let Some((t, _db)) = TestApp::on_postgres("assocweb_request").await {
        request_then_answer(t).await;
    }
}

async fn request_then_answer(t: TestApp) {
    person(&t, "chef").await;
    person(&t, "anne").await;
    let chef = t.web_login("chef", PASSWORD).await;
    let anne = t.web_login("anne", PASSWORD).await;

    // Nobody logged in: the login page, coming back.
    let r = t.get("/associations/new").await;
    assert_eq!(r.status, 303);
    assert!(location(&r).starts_with("/login?next="), "{}", location(&r));

    // The menu leads there; the form has a label on each field and a legend for the boxes.
    let home = t.get_with("/", "cookie", &anne).await;
    assert!(home
        .html()
        .contains("href=\"/associations/new\">Créer une association"));
    assert!(!home.html().contains("/admin/associations"));
    let f = t.get_with("/associations/new", "cookie", &anne).await;
    f.expect(200);
    let text = f.html();
    for id in [
        "name",
        "display_name",
        "summary",
        "address",
        "email",
        "phone",
        "website",
        "logo",
    ] {
        assert!(
            text.contains(&format!("<label for=\"{id}\">")),
            "no label for {id}"
        );
    }
    assert!(text.contains("<legend>Domaines d'action</legend>"));
    assert!(text.contains("enctype=\"multipart/form-data\""));
    let token = f.csrf();

    // A bad phone: the form again, the values kept, the sentence next to the field.
    let owned = good_request(&token);
    let bad = with(&owned, "phone", "appelez-nous");
    let r = multipart(&t, "/associations/new", &anne, &bad, None).await;
    r.expect(422);
    let text = r.html();
    assert!(text.contains("id=\"phone-error\""), "{text}");
    assert!(text.contains("Écrivez un numéro de téléphone en chiffres"));
    assert!(text.contains("value=\"appelez-nous\""));
    assert!(text.contains("value=\"Coup de pouce devoirs\""));
    assert!(
        text.contains("id=\"category-education\" name=\"categories\" value=\"education\" checked")
    );
    // In English for an English reader.
    let r = multipart(&t, "/associations/new?lang=en", &anne, &bad, None).await;
    r.expect(422);
    assert!(r.html().contains("Write a telephone number with digits"));
    assert!(r.html().contains("<legend>Fields of action</legend>"));

    // Without the form's token: nothing done.
    let no_token = with(&owned, "csrf", "");
    let r = multipart(
        &t,
        "/associations/new",
        &anne,
        &no_token,
        Some(("logo", &jpeg())),
    )
    .await;
    r.expect(403);
    let mine = t.get_with("/associations/requests", "cookie", &anne).await;
    assert!(mine
        .html()
        .contains("Vous n'avez demandé aucune association."));

    // Sent with its logo: the confirmation.
    let r = multipart(
        &t,
        "/associations/new",
        &anne,
        &owned,
        Some(("logo", &jpeg())),
    )
    .await;
    r.expect(303);
    let mine = t.get_with(&location(&r), "cookie", &anne).await;
    mine.expect(200);
    let text = mine.html();
    assert!(text.contains("Demande envoyée"), "{text}");
    assert!(text.contains("Coup de pouce devoirs"));
    assert!(text.contains("en attente de validation"));

    // Someone else than an administrator: 403, for the page and its buttons.
    t.get_with("/admin/associations", "cookie", &anne)
        .await
        .expect(403);
    let r = t
        .form(
            "/admin/associations/1/approve",
            Some(&anne),
            &[("csrf", &token)],
        )
        .await;
    r.expect(403);

    // The administrator sees it, with its logo and details.
    let home = t.get_with("/", "cookie", &chef).await;
    assert!(home.html().contains("href=\"/admin/associations\""));
    let admin = t.get_with("/admin/associations", "cookie", &chef).await;
    admin.expect(200);
    let text = admin.html();
    assert!(text.contains("Coup de pouce devoirs"));
    assert!(text.contains("contact@devoirs.example"));
    let logo_at = text.find("/associations/requests/").unwrap();
    let logo = &text[logo_at..logo_at + text[logo_at..].find('"').unwrap()];
    let img = t.get_with(logo, "cookie", &chef).await;
    img.expect(200);
    assert_eq!(img.content_type(), "image/jpeg");
    let id: String = logo["/associations/requests/".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let chef_token = admin.csrf();

    // A refusal without a reason is said next to the field; the request still waits.
    let r = t
        .form(
            &format!("/admin/associations/{id}/refuse"),
            Some(&chef),
            &[("csrf", &chef_token), ("reason", "  ")],
        )
        .await;
    r.expect(422);
    assert!(r.html().contains(&format!("id=\"reason-{id}-error\"")));
    assert!(r.html().contains("Indiquez le motif du refus."));
    // Approving without the token: refused, nothing made.
    let r = t
        .form(
            &format!("/admin/associations/{id}/approve"),
            Some(&chef),
            &[],
        )
        .await;
    r.expect(403);
    t.get("/g/devoirs").await.expect(404);

    let r = t
        .form(
            &format!("/admin/associations/{id}/approve"),
            Some(&chef),
            &[("csrf", &chef_token)],
        )
        .await;
    r.expect(303);
    assert_eq!(location(&r), "/admin/associations?done=approved");
    let admin = t
        .get_with("/admin/associations?done=approved", "cookie", &chef)
        .await;
    assert!(admin.html().contains("L'association est créée"));
    assert!(admin.html().contains("Aucune demande en attente."));
    t.get("/g/devoirs").await.expect(200);
    let mine = t.get_with("/associations/requests", "cookie", &anne).await;
    assert!(mine.html().contains("href=\"/g/devoirs/settings\""));
}

#[tokio::test]
async fn a_refusal_says_why() {
    let t = TestApp::new().await;
    person(&t, "chef").await;
    person(&t, "anne").await;
    let chef = t.web_login("chef", PASSWORD).await;
    let anne = t.web_login("anne", PASSWORD).await;
    let token = t
        .get_with("/associations/new", "cookie", &anne)
        .await
        .csrf();
    let fields = good_request(&token);
    multipart(&t, "/associations/new", &anne, &fields, None)
        .await
        .expect(303);
    let admin = t.get_with("/admin/associations", "cookie", &chef).await;
    let text = admin.html();
    let at = text.find("/admin/associations/").unwrap() + "/admin/associations/".len();
    let id: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let r = t
        .form(
            &format!("/admin/associations/{id}/refuse"),
            Some(&chef),
            &[
                ("csrf", &admin.csrf()),
                ("reason", "Elle existe déjà : soutien-scolaire."),
            ],
        )
        .await;
    r.expect(303);
    let mine = (t.get_with("/associations/requests", "cookie", &anne).await).html();
    assert!(mine.contains("refusée"), "{mine}");
    assert!(mine.contains("Elle existe déjà : soutien-scolaire."));
}

#[tokio::test]
async fn coordinators_change_their_page_and_invite_their_team() {
    settings_and_team(TestApp::new().await).await;
}

#[tokio::test]
async fn coordinators_change_their_page_and_invite_their_team_on_postgres() {
    if let Some((t, _db)) = TestApp::on_postgres("assocweb_settings").await {
        settings_and_team(t).await;
    }
}

async fn settings_and_team(t: TestApp) {
    person(&t, "chef").await;
    person(&t, "anne").await;
    person(&t, "bruno").await;
    t.association("epicerie", "anne").await;
    let anne = t.web_login("anne", PASSWORD).await;
    let bruno = t.web_login("bruno", PASSWORD).await;

    // Linked from the dashboard; for its coordinators only.
    let board = t.get_with("/g/epicerie/dashboard", "cookie", &anne).await;
    assert!(board.html().contains("href=\"/g/epicerie/settings\""));
    t.get_with("/g/epicerie/settings", "cookie", &bruno)
        .await
        .expect(403);
    let s = t.get_with("/g/epicerie/settings", "cookie", &anne).await;
    s.expect(200);
    let text = s.html();
    assert!(text.contains("value=\"Épicerie solidaire\""), "{text}");
    assert!(text.contains("<legend>Domaines d'action</legend>"));
    let token = s.csrf();

    // A bad website: kept with its sentence; nothing saved.
    let fields = [
        ("csrf", token.as_str()),
        ("display_name", "Épicerie solidaire de Brest"),
        ("summary", "Aide alimentaire."),
        ("address", "1 place de la Liberté, Brest"),
        ("email", "epicerie@example.org"),
        ("phone", ""),
        ("website", "javascript:alert(1)"),
        ("categories", "solidarity"),
    ];
    let r = multipart(&t, "/g/epicerie/settings", &anne, &fields, None).await;
    r.expect(422);
    let text = r.html();
    assert!(text.contains("id=\"website-error\""));
    assert!(text.contains("Écrivez une adresse web commençant par https://"));
    assert!(text.contains("value=\"Épicerie solidaire de Brest\""));
    // Someone else: 403, even with a token of their own.
    let other = t
        .get_with("/associations/new", "cookie", &bruno)
        .await
        .csrf();
    let mut theirs = fields;
    theirs[0] = ("csrf", other.as_str());
    theirs[6] = ("website", "https://epicerie.example.org");
    multipart(&t, "/g/epicerie/settings", &bruno, &theirs, None)
        .await
        .expect(403);
    // Without the token: 403.
    let mut no_token = theirs;
    no_token[0] = ("csrf", "");
    multipart(&t, "/g/epicerie/settings", &anne, &no_token, None)
        .await
        .expect(403);

    // Saved with a logo.
    let mut good = theirs;
    good[0] = ("csrf", token.as_str());
    let r = multipart(
        &t,
        "/g/epicerie/settings",
        &anne,
        &good,
        Some(("logo", &jpeg())),
    )
    .await;
    r.expect(303);
    let s = t.get_with(&location(&r), "cookie", &anne).await;
    let text = s.html();
    assert!(text.contains("Modifications enregistrées."));
    assert!(text.contains("/g/epicerie/logo.jpg?v="));
    assert!(text
        .contains("id=\"category-solidarity\" name=\"categories\" value=\"solidarity\" checked"));
    let public = (t.get("/g/epicerie").await).html();
    assert!(public.contains("Épicerie solidaire de Brest"));
    assert!(public.contains("https://epicerie.example.org"));

    // An invitation with a bad address: the sentence next to the field.
    let r = t
        .form(
            "/g/epicerie/settings/invitations",
            Some(&anne),
            &[
                ("csrf", &token),
                ("email", "pas une adresse"),
                ("role", "member"),
            ],
        )
        .await;
    r.expect(422);
    assert!(r.html().contains("id=\"invite-email-error\""));
    assert!(r.html().contains("value=\"pas une adresse\""));
    // Without the token: nothing sent.
    t.form(
        "/g/epicerie/settings/invitations",
        Some(&anne),
        &[("email", "claire@example.org"), ("role", "member")],
    )
    .await
    .expect(403);
    // Sent; listed with its expiry; withdrawn.
    let r = t
        .form(
            "/g/epicerie/settings/invitations",
            Some(&anne),
            &[
                ("csrf", &token),
                ("email", "claire@example.org"),
                ("role", "coordinator"),
            ],
        )
        .await;
    r.expect(303);
    let s = t.get_with(&location(&r), "cookie", &anne).await;
    let text = s.html();
    assert!(text.contains("Invitation envoyée par e-mail."));
    assert!(
        text.contains("<td>claire@example.org</td><td>coordinateur·rice</td>"),
        "{text}"
    );
    let at = text.find("/settings/invitations/").unwrap() + "/settings/invitations/".len();
    let id: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    t.form(
        &format!("/g/epicerie/settings/invitations/{id}/revoke"),
        Some(&bruno),
        &[("csrf", &other)],
    )
    .await
    .expect(403);
    let r = t
        .form(
            &format!("/g/epicerie/settings/invitations/{id}/revoke"),
            Some(&anne),
            &[("csrf", &token)],
        )
        .await;
    r.expect(303);
    let text = t.get_with(&location(&r), "cookie", &anne).await.html();
    assert!(text.contains("Invitation retirée."));
    assert!(text.contains("Aucune invitation en attente."));
}

#[tokio::test]
async fn a_mission_picture_from_its_form_shows_on_its_page_and_card() {
    let t = TestApp::new().await;
    person(&t, "chef").await;
    person(&t, "bruno").await;
    t.association("epicerie", "chef").await;
    let api = accounts::create_token(t.store(), "chef", "tests", t.now())
        .await
        .unwrap();
    let start = t.now() + chrono::Duration::days(10);
    let m = t
        .api(
            axum::http::Method::POST,
            "/api/v1/associations/epicerie/missions",
            Some(&api),
            Some(&serde_json::json!({
                "title": "Tri des dons",
                "description": "Trier les dons.",
                "category": "solidarity",
                "locality": "Brest",
                "start_time": start.to_rfc3339(),
                "end_time": (start + chrono::Duration::hours(3)).to_rfc3339(),
                "capacity": 4
            })),
        )
        .await;
    m.expect(201);
    let id = m.json()["id"].as_i64().unwrap();
    let chef = t.web_login("chef", PASSWORD).await;
    let bruno = t.web_login("bruno", PASSWORD).await;
    let edit = format!("/g/epicerie/missions/{id}/edit");
    let action = format!("/g/epicerie/missions/{id}/picture");

    let f = t.get_with(&edit, "cookie", &chef).await;
    f.expect(200);
    assert!(f.html().contains(&format!(
        "action=\"{action}\" enctype=\"multipart/form-data\""
    )));
    assert!(f
        .html()
        .contains("<label for=\"picture\">Image de la mission</label>"));
    assert!(!f.html().contains("/picture/delete"));
    let token = f.csrf();

    // Not a picture: the form again, the sentence next to the field.
    let r = multipart(
        &t,
        &action,
        &chef,
        &[("csrf", &token)],
        Some(("picture", b"%PDF-1.4 nope")),
    )
    .await;
    r.expect(422);
    assert!(r.html().contains("id=\"picture-error\""), "{}", r.html());
    assert!(r.html().contains("value=\"Tri des dons\""));
    // No token, or someone else: nothing.
    multipart(
        &t,
        &action,
        &chef,
        &[("csrf", "")],
        Some(("picture", &jpeg())),
    )
    .await
    .expect(403);
    let other = t
        .get_with("/associations/new", "cookie", &bruno)
        .await
        .csrf();
    multipart(
        &t,
        &action,
        &bruno,
        &[("csrf", &other)],
        Some(("picture", &jpeg())),
    )
    .await
    .expect(403);
    assert!(!(t.get("/").await).html().contains("picture.jpg"));

    // Sent: on the mission's page and its card, with words for who cannot see it.
    let r = multipart(
        &t,
        &action,
        &chef,
        &[("csrf", &token)],
        Some(("picture", &jpeg())),
    )
    .await;
    r.expect(303);
    let shown = t.get_with(&location(&r), "cookie", &chef).await;
    let text = shown.html();
    assert!(text.contains("Image enregistrée."), "{text}");
    assert!(text.contains(&format!("src=\"/missions/{id}/picture.jpg?v=")));
    assert!(text.contains("alt=\"Image de la mission « Tri des dons »\""));
    let home = (t.get("/g/epicerie").await).html();
    assert!(
        home.contains(&format!("src=\"/missions/{id}/picture.jpg?v=")),
        "{home}"
    );
    let f = t.get_with(&edit, "cookie", &chef).await;
    assert!(f
        .html()
        .contains("<label for=\"picture\">Remplacer l'image</label>"));

    // Removed.
    let r = t
        .form(
            &format!("{action}/delete"),
            Some(&chef),
            &[("csrf", &token)],
        )
        .await;
    r.expect(303);
    assert!(t
        .get_with(&location(&r), "cookie", &chef)
        .await
        .html()
        .contains("Image retirée."));
    t.get(&format!("/missions/{id}/picture.jpg"))
        .await
        .expect(404);
}

#[tokio::test]
async fn a_logo_past_the_limit_is_said_in_words() {
    let t = TestApp::new().await;
    person(&t, "chef").await;
    person(&t, "anne").await;
    let anne = t.web_login("anne", PASSWORD).await;
    let token = t
        .get_with("/associations/new", "cookie", &anne)
        .await
        .csrf();
    let big = vec![0u8; 11 * 1024 * 1024];
    let r = multipart(
        &t,
        "/associations/new",
        &anne,
        &good_request(&token),
        Some(("logo", &big)),
    )
    .await;
    r.expect(413);
    let text = r.html();
    assert!(text.contains("id=\"logo-error\""), "{text}");
    assert!(text.contains("10 Mo"), "{text}");
    let mine = (t.get_with("/associations/requests", "cookie", &anne).await).html();
    assert!(mine.contains("Vous n'avez demandé aucune association."));
}
