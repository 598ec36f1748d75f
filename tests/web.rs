//! The web pages of a real `entraide serve --demo` process: plain HTTP checks (language,
//! error pages, login, who may publish, CSRF; volunteers signing up, leaving and keeping a
//! profile; coordinators answering requests, signing up guests, adding and cancelling slots,
//! publishing and editing missions), then the browser check of `tests/browser/` (headless
//! Chromium: flows at phone and desktop sizes, axe-core audit, screenshots).

#![allow(clippy::unwrap_used)]

#[path = "common/smtp.rs"]
mod smtp;
#[path = "../federation-tests/support/mod.rs"]
mod support;
mod web_support;

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};
use support::{Db, Node};
use web_support::{Browser, Page};

const ASSO: &str = "epicerie-bellevue"; // a demo association (src/demo.rs)
const DEMO_USER: &str = "demo";
const DEMO_PASSWORD: &str = "demo-entraide";

fn demo_node(name: &str) -> Node {
    demo_node_with(name, &[])
}

/// A demo node with more settings (`ENTRAIDE__…` variables).
fn demo_node_with(name: &str, env: &[(&str, String)]) -> Node {
    let mut node = demo_node_unstarted(name, env);
    node.start_with(&["--demo"]);
    node
}

/// A demo node's settings, before it starts (accounts made now come before the demo's).
fn demo_node_unstarted(name: &str, env: &[(&str, String)]) -> Node {
    let mut node = Node::new(name, Db::Sqlite);
    // The name the pages show (the harness names nodes after the test otherwise).
    node.extra_env
        .push(("ENTRAIDE__INSTANCE__NAME".into(), "Entraide".into()));
    node.extra_env
        .extend(env.iter().map(|(k, v)| (k.to_string(), v.clone())));
    node
}

/// The node's administrator in the browser check: the first account, made before the demo's
/// (demo accounts are never administrators).
const ADMIN: (&str, &str) = ("gestion", "un mot de passe de gestion");

fn assert_html(page: &Page, status: u16, lang: &str, what: &str) {
    assert_eq!(page.status, status, "{what}: status\n{}", page.body);
    assert!(
        page.header("content-type").starts_with("text/html"),
        "{what}: content-type {}",
        page.header("content-type")
    );
    assert!(
        page.body.contains(&format!(r#"<html lang="{lang}">"#)),
        "{what}: not in {lang}:\n{}",
        page.body
    );
}

fn mission_fields<'a>(
    csrf: &'a str,
    title: &'a str,
    start: &'a str,
    end: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("title", title),
        ("description", "Tenir le stand, **sourire** aux passants."),
        ("category", "community"),
        ("start_time", start),
        ("end_time", end),
        ("place_name", "Halles Saint-Louis"),
        ("locality", "Brest"),
        ("capacity", "3"),
        ("skills", "accueil, bonne humeur"),
        ("join_mode", "free"),
        ("contact", "Annie, 06 12 34 56 78"),
        ("reduced_mobility", "true"),
    ]
}

#[test]
fn pages_in_french_and_english_with_login_roles_and_csrf() {
    let node = demo_node("web");
    let web = Browser::new(&node);
    let new_path = format!("/g/{ASSO}/missions/new");

    // French by default, English on request; only an explicit choice is remembered.
    let home = web.get("/", &[]);
    assert_html(&home, 200, "fr", "home");
    assert!(
        home.body.contains("Missions à venir") && home.body.contains("Se connecter"),
        "{}",
        home.body
    );
    assert!(
        !home.cookies().iter().any(|c| c.starts_with("lang=")),
        "a default language must not be pinned: {:?}",
        home.cookies()
    );
    // Places are counted in words: "1 place restante sur 1", "4 places restantes sur 4".
    assert!(
        home.body.contains("1 place restante sur 1"),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("4 places restantes sur 4"),
        "{}",
        home.body
    );
    assert_eq!(
        home.body.matches(" restantes sur").count(),
        home.body.matches("places restantes sur").count(),
        "{}",
        home.body
    );
    let english = web.get("/?lang=en", &[]);
    assert_html(&english, 200, "en", "home ?lang=en");
    assert!(
        english.body.contains("Upcoming missions") && english.body.contains("4 places left of 4"),
        "{}",
        english.body
    );
    assert!(
        english.cookies().iter().any(|c| c.starts_with("lang=en")),
        "{:?}",
        english.cookies()
    );
    assert_html(
        &web.get("/", &[("cookie", "lang=en")]),
        200,
        "en",
        "home with the lang cookie",
    );
    assert_html(
        &web.get("/", &[("accept-language", "en-GB,en;q=0.9")]),
        200,
        "en",
        "home, Accept-Language: en",
    );
    assert_html(
        &web.get("/", &[("accept-language", "de-DE,fr;q=0.5")]),
        200,
        "fr",
        "home, Accept-Language: de, fr",
    );

    // The association page tells Mastodon users how to follow; visitors cannot publish.
    let asso = web.get(&format!("/g/{ASSO}"), &[]);
    assert_html(&asso, 200, "fr", "association");
    assert!(
        asso.body.contains(&format!("@{ASSO}@{}", node.host())),
        "no follow address:\n{}",
        asso.body
    );
    assert!(
        asso.body
            .contains("Suivre l&#x27;association depuis Mastodon"),
        "{}",
        asso.body
    );
    assert!(
        !asso.text().contains(&new_path),
        "a visitor sees the publish link"
    );

    // A mission page says when, where, how many places, which skills and category.
    let text = home.text();
    let at = text
        .find("href=\"/m/")
        .expect("a mission link on the home page")
        + "href=\"".len();
    let mission_path = &text[at..at + text[at..].find('"').unwrap()];
    let mission = web.get(mission_path, &[]);
    assert_html(&mission, 200, "fr", "mission");
    for word in [
        "Quand",
        "Où",
        "Places",
        "Domaine",
        "Compétences",
        "Inscription",
        "Proposée par",
    ] {
        assert!(
            mission.body.contains(word),
            "mission page without {word}:\n{}",
            mission.body
        );
    }
    assert_html(
        &web.get(mission_path, &[("accept-language", "en")]),
        200,
        "en",
        "mission in English",
    );

    // Unknown pages: an HTML page with a message, in the visitor's language.
    let missing = web.get("/g/no-such-association", &[]);
    assert_html(&missing, 404, "fr", "unknown association");
    assert!(
        missing.body.contains("Page introuvable") && missing.body.contains("<h1>"),
        "{}",
        missing.body
    );
    let missing_en = web.get("/g/no-such-association?lang=en", &[]);
    assert_html(&missing_en, 404, "en", "unknown association in English");
    assert!(
        missing_en.body.contains("Page not found"),
        "{}",
        missing_en.body
    );
    assert_html(
        &web.get("/m/00000000-0000-0000-0000-000000000000", &[]),
        404,
        "fr",
        "unknown mission",
    );

    // The publish form needs a login, and sends back to it afterwards.
    let anonymous = web.get(&new_path, &[]);
    assert_eq!(anonymous.status, 303, "{}", anonymous.body);
    assert_eq!(
        anonymous.header("location"),
        "/login?next=%2Fg%2Fepicerie-bellevue%2Fmissions%2Fnew"
    );
    let login_page = web.get(&anonymous.header("location"), &[]);
    assert_html(&login_page, 200, "fr", "login page");
    assert!(
        login_page
            .text()
            .contains(&format!(r#"name="next" value="{new_path}""#)),
        "{}",
        login_page.body
    );
    let wrong = web.post(
        "/login",
        None,
        &[("name", DEMO_USER), ("password", "not it")],
    );
    assert_html(&wrong, 401, "fr", "wrong password");
    assert!(
        wrong.body.contains("Identifiant ou mot de passe incorrect")
            && wrong.body.contains(r#"role="alert""#),
        "{}",
        wrong.body
    );
    let back = web.post(
        "/login",
        None,
        &[
            ("name", DEMO_USER),
            ("password", DEMO_PASSWORD),
            ("next", &new_path),
        ],
    );
    assert_eq!(
        (back.status, back.header("location")),
        (303, new_path.clone()),
        "{}",
        back.body
    );
    let evil = web.post(
        "/login",
        None,
        &[
            ("name", DEMO_USER),
            ("password", DEMO_PASSWORD),
            ("next", "//evil.example/"),
        ],
    );
    assert_eq!(
        evil.header("location"),
        "/",
        "login must only send back to this site"
    );
    let demo = back.session_cookie();

    // The coordinator sees their associations and the publish button.
    let mine = web.get("/", &[("cookie", &demo)]);
    assert!(
        mine.body.contains("Mes associations") && mine.text().contains(&new_path),
        "{}",
        mine.body
    );
    assert!(
        web.get(&format!("/g/{ASSO}"), &[("cookie", &demo)])
            .text()
            .contains(&new_path),
        "no publish link for the coordinator"
    );
    let form = web.get(&new_path, &[("cookie", &demo)]);
    assert_html(&form, 200, "fr", "publish form");
    let csrf = form.csrf();

    // Someone who is not a coordinator gets a 403 page, for the form and for a submission.
    node.cli(
        &["admin", "create-user", "benevole", "--password-stdin"],
        Some("un long mot de passe\n"),
    );
    let volunteer = web.login("benevole", "un long mot de passe");
    let refused = web.get(&new_path, &[("cookie", &volunteer)]);
    assert_html(&refused, 403, "fr", "publish form for a volunteer");
    assert!(refused.body.contains("Accès refusé"), "{}", refused.body);
    let volunteer_csrf = web.get("/", &[("cookie", &volunteer)]).csrf();
    let year = chrono::Utc::now()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap()
        + 1;
    let (start, end) = (format!("{year}-05-14T09:00"), format!("{year}-05-14T12:30"));
    let posted = web.post(
        &new_path,
        Some(&volunteer),
        &mission_fields(&volunteer_csrf, "Par un bénévole", &start, &end),
    );
    assert_html(&posted, 403, "fr", "a volunteer's submission");

    // Without the session's own CSRF token, nothing is published.
    let mut no_token = mission_fields("", "Sans jeton", &start, &end);
    no_token.remove(0);
    for (fields, what) in [
        (no_token, "no token"),
        (
            mission_fields("0123456789abcdef", "Mauvais jeton", &start, &end),
            "a wrong token",
        ),
        (
            mission_fields(&volunteer_csrf, "Jeton d'une autre session", &start, &end),
            "another session's token",
        ),
    ] {
        let page = web.post(&new_path, Some(&demo), &fields);
        assert_html(&page, 403, "fr", what);
        assert!(
            page.body.contains("Formulaire expiré"),
            "{what}: {}",
            page.body
        );
    }
    let listed = web.get(&format!("/g/{ASSO}"), &[]).body;
    for title in [
        "Par un bénévole",
        "Sans jeton",
        "Mauvais jeton",
        "Jeton d&#x27;une autre session",
    ] {
        assert!(!listed.contains(title), "{title} was published");
    }

    // An invalid form comes back as 422 with a message next to each field and the values kept.
    let bad: Vec<_> = mission_fields(&csrf, "", "", "")
        .into_iter()
        .filter(|(k, _)| *k != "locality")
        .map(|(k, v)| {
            if k == "capacity" {
                (k, "zéro")
            } else {
                (k, v)
            }
        })
        .collect();
    let invalid = web.post(&new_path, Some(&demo), &bad);
    assert_html(&invalid, 422, "fr", "invalid form");
    for field in ["title", "start_time", "end_time", "locality", "capacity"] {
        assert!(
            invalid.body.contains(&format!(r#"id="{field}-error""#)),
            "no error next to {field}:\n{}",
            invalid.body
        );
    }
    assert!(
        invalid.body.contains("Ce champ est obligatoire.")
            && invalid.body.contains("Indiquez un nombre entier"),
        "{}",
        invalid.body
    );
    assert!(
        invalid.body.contains(r#"value="zéro""#) && invalid.body.contains("Halles Saint-Louis"),
        "values lost:\n{}",
        invalid.body
    );

    // A valid one publishes the mission and lands on its page.
    let created = web.post(
        &new_path,
        Some(&demo),
        &mission_fields(&csrf, "Stand au marché", &start, &end),
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.header("location");
    assert!(
        location.starts_with("/m/") && location.ends_with("?published=1"),
        "{location}"
    );
    let shown = web.get(&location, &[("cookie", &demo)]);
    assert_html(&shown, 200, "fr", "new mission");
    assert!(
        shown.body.contains("Stand au marché") && shown.body.contains("3 places restantes sur 3"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains("de 9 h à 12 h 30") && shown.body.contains("Votre mission est publiée"),
        "{}",
        shown.body
    );
    for fact in [
        "Annie, 06 12 34 56 78",
        "Accessible aux personnes à mobilité réduite",
        "accueil, bonne humeur",
        "Vie locale, citoyenneté",
    ] {
        assert!(
            shown.body.contains(fact),
            "new mission without {fact}:\n{}",
            shown.body
        );
    }
    assert!(
        !shown.body.contains("Ouverte aux mineurs"),
        "an unticked box shows on the page"
    );
}

/// `tests/browser/check.mjs` in headless Chromium against a demo node that sends its emails to
/// a real SMTP server (aiosmtpd): the script reads the links it follows from that mailbox.
#[test]
fn pages_in_a_real_browser() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir()
            && dir.join("node_modules/axe-core").is_dir(),
        "the browser tests need their Node packages: run `npm ci` in {} (.ci/run does)",
        dir.display()
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "no Chromium at {chromium}: install Debian's `chromium` (.ci/run does) or set CHROMIUM"
    );

    let sink = smtp::SmtpSink::start();
    let mut node = demo_node_unstarted(
        "browser",
        &[
            ("ENTRAIDE__SMTP__ENABLED", "true".into()),
            ("ENTRAIDE__SMTP__HOST", "127.0.0.1".into()),
            ("ENTRAIDE__SMTP__PORT", sink.port.to_string()),
            ("ENTRAIDE__SMTP__SECURITY", "none".into()),
            // The map's tiles: answered by check.mjs (TILES), no network.
            (
                "ENTRAIDE__MAP__TILE_URL",
                "http://tiles.entraide.test/{z}/{x}/{y}.png".into(),
            ),
        ],
    );
    let made = node.cli(
        &["admin", "create-user", ADMIN.0, "--password-stdin"],
        Some(ADMIN.1),
    );
    assert!(made.contains("administrator"), "{made}");
    node.start_with(&["--demo"]);
    let tmp = tempfile::tempdir().unwrap();
    // Screenshots go to a temporary directory unless ENTRAIDE_SCREENSHOTS names one (for docs/screenshots).
    let shots: PathBuf = std::env::var_os("ENTRAIDE_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("shots"));
    // Chromium writes under $HOME even with a throwaway profile: give it a temporary one.
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let (out_path, err_path) = (tmp.path().join("stdout"), tmp.path().join("stderr"));
    let mut child = Command::new("node")
        .arg(dir.join("check.mjs"))
        .arg(&node.base)
        .arg(&shots)
        .current_dir(&dir)
        .env("HOME", &home)
        .env("CHROMIUM", &chromium)
        .env("ENTRAIDE_MAILDIR", sink.maildir())
        .env("ENTRAIDE_ADMIN", format!("{}:{}", ADMIN.0, ADMIN.1))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("`node` runs (install Node.js)");
    let deadline = Instant::now() + Duration::from_secs(480);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let out = std::fs::read_to_string(&out_path).unwrap_or_default();
    let err = std::fs::read_to_string(&err_path).unwrap_or_default();
    println!("{out}");
    eprintln!("{err}");
    let status = status.expect("check.mjs did not finish within 480 s");
    assert!(
        status.success(),
        "check.mjs failed ({status}):\n{out}\n{err}"
    );
    assert!(out.contains("all browser checks passed"), "{out}");
    for name in [
        "home",
        "search-map",
        "association",
        "mission",
        "publish-form-errors",
        "mission-signed-up",
        "my-slots",
        "profile",
        "matches",
        "dashboard",
        "slots-form-errors",
        "slot-cancel",
        "my-hours",
        "association-hours",
        "equipment-resources",
        "equipment-resource",
        "equipment-reservations",
        "equipment-reservation",
        "equipment-agreement",
        "register",
        "confirmed",
        "password-reset",
        "account",
        "my-data",
        "privacy",
        "association-new",
        "admin-accounts",
        "admin-associations",
        "association-settings",
        "invitation",
        "help-form",
        "admin-referents",
        "help-requests",
        "help-request",
        "account-deleted",
    ] {
        let png = shots.join(format!("{name}.png"));
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert!(
            bytes.starts_with(b"\x89PNG"),
            "{} is not a PNG",
            png.display()
        );
    }
}

const VOLUNTEER: &str = "camille"; // the demo volunteer (src/demo.rs), same password as demo

/// The path of the link whose text is `title` (as the page writes it).
fn link_to(page: &Page, title: &str) -> String {
    let text = page.text();
    let end = text
        .find(&format!(">{title}</a>"))
        .unwrap_or_else(|| panic!("no link to {title} in:\n{text}"));
    let start = text[..end].rfind("href=\"").unwrap() + "href=\"".len();
    text[start..text[start..end].find('"').map(|i| start + i).unwrap()].to_string()
}

/// Every form action of the page that starts with `prefix` and ends with `suffix`, in order.
fn actions(page: &Page, prefix: &str, suffix: &str) -> Vec<String> {
    let text = page.text();
    text.match_indices("action=\"")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .filter(|a| a.starts_with(prefix) && a.ends_with(suffix))
        .collect()
}

impl Browser {
    fn with_cookie(&self, path: &str, cookie: &str) -> Page {
        self.get(path, &[("cookie", cookie)])
    }

    /// Follows a redirect (303) with the same cookie.
    fn follow(&self, page: &Page, cookie: &str) -> Page {
        assert_eq!(page.status, 303, "expected a redirect:\n{}", page.body);
        self.with_cookie(&page.header("location"), cookie)
    }
}

#[test]
fn volunteers_sign_up_leave_and_keep_a_profile_through_the_pages() {
    let node = demo_node("web-volunteer");
    let web = Browser::new(&node);
    let home = web.get("/", &[]);
    let one_place = link_to(&home, "Aide à la comptabilité de l'association"); // 1 place
    let repair = link_to(&home, "Réparateur ou réparatrice d'un jour"); // Saturday 14-18
    let welcome = link_to(&home, "Accueil des visiteurs du Repair Café"); // the same hours

    // Visitors see the slots and are asked to log in, coming back to the mission.
    let anonymous = web.get(&one_place, &[]);
    assert_html(&anonymous, 200, "fr", "mission for a visitor");
    assert!(
        anonymous.text().contains("Se connecter pour s'inscrire")
            && anonymous
                .text()
                .contains(&format!("/login?next={}", one_place.replace('/', "%2F"))),
        "{}",
        anonymous.body
    );
    assert!(anonymous.body.contains("1 place restante sur 1"));
    assert!(actions(&anonymous, "/slots/", "/signup").is_empty());
    for path in ["/me/slots", "/me/profile", "/me/matches"] {
        let page = web.get(path, &[]);
        assert_eq!(page.status, 303, "{path} for a visitor");
        assert!(
            page.header("location").starts_with("/login?next="),
            "{path}"
        );
    }

    let camille = web.login(VOLUNTEER, DEMO_PASSWORD);
    node.cli(
        &["admin", "create-user", "lea", "--password-stdin"],
        Some("un long mot de passe\n"),
    );
    let lea = web.login("lea", "un long mot de passe");
    let page = web.with_cookie(&one_place, &camille);
    let signup = actions(&page, "/slots/", "/signup");
    assert_eq!(signup.len(), 1, "{}", page.body);
    let signup = &signup[0];
    let csrf = page.csrf();
    let lea_csrf = web.with_cookie("/", &lea).csrf();

    // GET never signs anyone up; a post needs the session's own token.
    assert_eq!(web.with_cookie(signup, &camille).status, 405);
    for (fields, what) in [
        (vec![], "no token"),
        (vec![("csrf", "0123")], "a wrong token"),
        (vec![("csrf", lea_csrf.as_str())], "another session's token"),
    ] {
        let refused = web.post(signup, Some(&camille), &fields);
        assert_html(&refused, 403, "fr", what);
        assert!(refused.body.contains("Formulaire expiré"), "{what}");
    }
    let anonymous_post = web.post(signup, None, &[("csrf", &csrf)]);
    assert_eq!(anonymous_post.status, 303);
    assert!(anonymous_post
        .header("location")
        .starts_with("/login?next="));
    assert!(web
        .get(&one_place, &[])
        .body
        .contains("1 place restante sur 1"));

    // One click takes the place and says so; the slot is then full.
    let done = web.post(signup, Some(&camille), &[("csrf", &csrf)]);
    assert_eq!(
        done.header("location"),
        format!("{one_place}?done=signed_up")
    );
    let shown = web.follow(&done, &camille);
    assert_html(&shown, 200, "fr", "mission after signing up");
    let text = shown.text();
    assert!(
        text.contains("Vous êtes inscrit·e") && text.contains(r#"role="status""#),
        "{text}"
    );
    assert!(
        text.contains("Votre inscription : <strong>confirmée</strong>"),
        "{text}"
    );
    assert!(
        text.contains("Complet") && text.contains("Me désinscrire"),
        "{text}"
    );
    assert!(actions(&shown, "/slots/", "/signup").is_empty());

    // Someone else sees "Complet" and no button; a late click gets the reason in words.
    let full = web.with_cookie(&one_place, &lea);
    assert!(full.body.contains("Complet") && actions(&full, "/slots/", "/signup").is_empty());
    let late = web.post(signup, Some(&lea), &[("csrf", &lea_csrf)]);
    assert_eq!(late.header("location"), format!("{one_place}?refused=full"));
    let said = web.follow(&late, &lea);
    assert!(
        said.body.contains("Inscription impossible")
            && said.body.contains("Ce créneau est complet")
            && said.body.contains(r#"role="alert""#),
        "{}",
        said.body
    );
    let again = web.post(signup, Some(&camille), &[("csrf", &csrf)]);
    assert_eq!(
        again.header("location"),
        format!("{one_place}?refused=already")
    );
    assert!(web
        .follow(&again, &camille)
        .text()
        .contains("Vous êtes déjà inscrit·e sur ce créneau"));

    // Two slots at the same time: the second is refused, with the reason.
    let repair_page = web.with_cookie(&repair, &camille);
    let first = web.post(
        &actions(&repair_page, "/slots/", "/signup")[0],
        Some(&camille),
        &[("csrf", &csrf)],
    );
    assert!(first.header("location").ends_with("?done=signed_up"));
    let welcome_page = web.with_cookie(&welcome, &camille);
    let second = web.post(
        &actions(&welcome_page, "/slots/", "/signup")[0],
        Some(&camille),
        &[("csrf", &csrf)],
    );
    assert!(second.header("location").ends_with("?refused=overlaps"));
    assert!(web
        .follow(&second, &camille)
        .text()
        .contains("Vous êtes déjà inscrit·e sur un autre créneau à ce moment-là"));

    // "Mes créneaux" lists both, with their status, and lets her leave one.
    let mine = web.with_cookie("/me/slots", &camille);
    assert_html(&mine, 200, "fr", "my slots");
    let text = mine.text();
    for s in [
        "Aide à la comptabilité de l'association",
        "Réparateur ou réparatrice d'un jour",
        "confirmée",
        "À venir",
    ] {
        assert!(text.contains(s), "my slots without {s}:\n{text}");
    }
    assert!(!text.contains("Accueil des visiteurs du Repair Café"));
    let leave = actions(&mine, "/participations/", "/withdraw");
    assert_eq!(leave.len(), 2, "{text}");
    assert_eq!(
        web.post(
            &leave[0],
            Some(&lea),
            &[("csrf", &lea_csrf), ("next", "/me/slots")]
        )
        .status,
        403,
        "someone else's sign-up"
    );
    let left = web.post(
        &leave[0],
        Some(&camille),
        &[("csrf", &csrf), ("next", "/me/slots")],
    );
    assert_eq!(left.header("location"), "/me/slots?done=withdrawn");
    let after = web.follow(&left, &camille);
    assert!(after
        .text()
        .contains("Vous êtes désinscrit·e de ce créneau"));
    assert!(after.text().contains("retirée"), "{}", after.body);
    assert!(web
        .get(&one_place, &[])
        .body
        .contains("1 place restante sur 1"));
    let external = web.post(
        &leave[1],
        Some(&camille),
        &[("csrf", &csrf), ("next", "https://evil.example/")],
    );
    assert_eq!(
        external.header("location"),
        "/?done=withdrawn",
        "only back to this site"
    );

    // The profile: a refused form keeps what was typed and says what to fix; nothing is saved.
    let profile = web.with_cookie("/me/profile", &lea);
    assert_html(&profile, 200, "fr", "profile");
    for label in [
        "Les associations peuvent me proposer des missions",
        "samedi matin",
        "Solidarité, insertion",
        "Distance maximale (en km)",
    ] {
        assert!(profile.text().contains(label), "profile without {label}");
    }
    let bad = web.post(
        "/me/profile",
        Some(&lea),
        &[
            ("csrf", &lea_csrf),
            ("skills", "cuisine"),
            ("home_town", "Plouzanet"),
            ("travel_km", "5000"),
            ("availability", "5-morning"),
        ],
    );
    assert_html(&bad, 422, "fr", "bad profile");
    for field in ["home_town", "travel_km"] {
        assert!(
            bad.body.contains(&format!(r#"id="{field}-error""#)),
            "{field}:\n{}",
            bad.body
        );
    }
    assert!(
        bad.text().contains("Commune introuvable") && bad.text().contains("Plouzané (29)"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains(r#"value="Plouzanet""#));
    assert!(!web
        .with_cookie("/me/profile", &lea)
        .body
        .contains(r#"value="cuisine""#));
    let no_token = web.post("/me/profile", Some(&lea), &[("skills", "cuisine")]);
    assert_eq!(no_token.status, 403);
    // Free every evening (the demo's missions fall on days that depend on today).
    let evenings: Vec<String> = (0..7).map(|d| format!("{d}-evening")).collect();
    let mut fields = vec![
        ("csrf", lea_csrf.as_str()),
        ("skills", "comptabilité, cuisine"),
        ("home_town", "Brest"),
        ("travel_km", "30"),
        ("interests", "environment"),
        ("suggestable", "true"),
    ];
    fields.extend(evenings.iter().map(|e| ("availability", e.as_str())));
    let saved = web.post("/me/profile", Some(&lea), &fields);
    assert_eq!(saved.header("location"), "/me/profile?done=profile_saved");
    let shown = web.follow(&saved, &lea);
    assert!(shown.text().contains("Votre profil est enregistré"));
    assert!(
        shown.text().contains(r#"value="comptabilité, cuisine""#)
            && shown.body.contains(r#"value="Brest""#)
            && shown.body.contains(r#"id="availability-5-evening" name="availability" value="5-evening" checked"#)
            && shown.body.contains(r#"id="suggestable" name="suggestable" type="checkbox" value="true" aria-describedby="suggestable-hint" checked"#),
        "{}",
        shown.body
    );
    // Missions ranked for her, with the reasons.
    let matches = web.with_cookie("/me/matches", &lea);
    assert_html(&matches, 200, "fr", "matches");
    assert!(
        matches
            .text()
            .contains("à distance · votre compétence : comptabilité")
            && matches.text().contains(" soir")
            && matches.body.contains(" km"),
        "{}",
        matches.body
    );
    assert_html(
        &web.get("/me/matches?lang=en", &[("cookie", &lea)]),
        200,
        "en",
        "matches in English",
    );
    // Volunteers are not coordinators.
    let dash = web.with_cookie(&format!("/g/{ASSO}/dashboard"), &lea);
    assert_html(&dash, 403, "fr", "dashboard for a volunteer");
}

#[test]
fn coordinators_manage_requests_guests_and_slots_from_the_dashboard() {
    let node = demo_node("web-dashboard");
    let web = Browser::new(&node);
    let dash_path = format!("/g/{ASSO}/dashboard");
    let anonymous = web.get(&dash_path, &[]);
    assert_eq!(anonymous.status, 303);
    assert_eq!(
        anonymous.header("location"),
        "/login?next=%2Fg%2Fepicerie-bellevue%2Fdashboard"
    );
    let demo = web.login(DEMO_USER, DEMO_PASSWORD);
    let camille = web.login(VOLUNTEER, DEMO_PASSWORD);
    node.cli(
        &["admin", "create-user", "lea", "--password-stdin"],
        Some("un long mot de passe\n"),
    );
    let lea = web.login("lea", "un long mot de passe");
    let (csrf, camille_csrf, lea_csrf) = (
        web.with_cookie("/", &demo).csrf(),
        web.with_cookie("/", &camille).csrf(),
        web.with_cookie("/", &lea).csrf(),
    );

    let dash = web.with_cookie(&dash_path, &demo);
    assert_html(&dash, 200, "fr", "dashboard");
    for s in [
        "Tableau de bord",
        "Inscriptions à accepter ou refuser",
        "Accueil et caisse à l'épicerie",
        "0 place prise sur 4",
        "Inscrire une personne sans compte",
        "Bénévoles qui pourraient convenir",
        "camille",
    ] {
        assert!(
            dash.text().contains(s),
            "dashboard without {s}:\n{}",
            dash.body
        );
    }
    assert_html(
        &web.get(&format!("{dash_path}?lang=en"), &[("cookie", &demo)]),
        200,
        "en",
        "dashboard in English",
    );

    // A regular mission with manual approval, saved as a draft first.
    let year = chrono::Utc::now()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap()
        + 1;
    let (start, end) = (format!("{year}-03-01T09:00"), format!("{year}-03-31T12:00"));
    let mut fields = mission_fields(&csrf, "Maraude du samedi", &start, &end);
    fields.retain(|(k, _)| *k != "join_mode");
    fields.extend([
        ("join_mode", "restricted"),
        ("regular", "true"),
        ("commitment_hours", "2"),
        ("commitment_minutes", "30"),
        ("commitment_period", "week"),
        ("action", "draft"),
    ]);
    let new_path = format!("/g/{ASSO}/missions/new");
    let saved = web.post(&new_path, Some(&demo), &fields);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let draft_page = saved.header("location");
    assert!(draft_page.ends_with("?done=draft_saved"), "{draft_page}");
    let mission = draft_page.split('?').next().unwrap().to_string();
    let shown = web.with_cookie(&draft_page, &demo);
    assert!(
        shown.text().contains("Brouillon enregistré")
            && shown.text().contains("Régulière : 2 h 30 par semaine"),
        "{}",
        shown.body
    );
    assert_html(&web.get(&mission, &[]), 404, "fr", "a draft for a visitor");
    assert_html(
        &web.with_cookie(&mission, &camille),
        404,
        "fr",
        "a draft for a volunteer",
    );
    assert!(!web
        .get(&format!("/g/{ASSO}"), &[])
        .text()
        .contains("Maraude du samedi"));
    let dash = web.with_cookie(&dash_path, &demo);
    assert!(dash.text().contains("Maraude du samedi") && dash.text().contains("Brouillon"));
    let publish = actions(&dash, &format!("/g/{ASSO}/missions/"), "/publish");
    assert_eq!(publish.len(), 1, "{}", dash.body);
    let id = publish[0].split('/').nth(4).unwrap().to_string();

    // Slots: a bad form says what to fix and adds nothing; a weekly rule adds every Saturday.
    let slots_path = format!("/g/{ASSO}/missions/{id}/slots");
    assert_html(
        &web.with_cookie(&slots_path, &demo),
        200,
        "fr",
        "slots form",
    );
    assert_html(
        &web.with_cookie(&slots_path, &camille),
        403,
        "fr",
        "slots form for a volunteer",
    );
    let bad = web.post(
        &slots_path,
        Some(&demo),
        &[
            ("csrf", &csrf),
            ("kind", "one"),
            ("slot_date", &format!("{year}-03-07")),
            ("slot_start", "12:00"),
            ("slot_end", "09:00"),
            ("slot_capacity", "0"),
        ],
    );
    assert_html(&bad, 422, "fr", "bad slot");
    for (field, message) in [
        ("slot_end", "La fin doit venir après le début."),
        ("slot_capacity", "Indiquez au moins 1."),
    ] {
        assert!(
            bad.body.contains(&format!(r#"id="{field}-error""#)) && bad.body.contains(message),
            "{field}:\n{}",
            bad.body
        );
    }
    let outside = web.post(
        &slots_path,
        Some(&demo),
        &[
            ("csrf", &csrf),
            ("kind", "weekly"),
            ("rule_from", &format!("{year}-02-01")),
            ("rule_to", &format!("{year}-03-31")),
            ("rule_days", "sat"),
            ("rule_start", "09:00"),
            ("rule_end", "12:00"),
            ("rule_capacity", "deux"),
        ],
    );
    assert_html(&outside, 422, "fr", "bad rule");
    assert!(
        outside.body.contains(r#"id="rule_capacity-error""#),
        "{}",
        outside.body
    );
    let no_token = web.post(&slots_path, Some(&demo), &[("kind", "one")]);
    assert_eq!(no_token.status, 403);
    assert!(web
        .with_cookie(&dash_path, &demo)
        .text()
        .contains("Aucun créneau pour le moment"));
    let added = web.post(
        &slots_path,
        Some(&demo),
        &[
            ("csrf", &csrf),
            ("kind", "weekly"),
            ("rule_from", &format!("01/03/{year}")),
            ("rule_to", &format!("{year}-03-31")),
            ("rule_days", "sat"),
            ("rule_start", "9h"),
            ("rule_end", "12:00"),
            ("rule_capacity", "2"),
        ],
    );
    let saturdays = (1..=31)
        .filter(|d| {
            use chrono::Datelike;
            chrono::NaiveDate::from_ymd_opt(year, 3, *d)
                .unwrap()
                .weekday()
                == chrono::Weekday::Sat
        })
        .count();
    assert_eq!(
        added.header("location"),
        format!("{dash_path}?done=slots_added&n={saturdays}"),
        "{}",
        added.body
    );
    assert!(web
        .follow(&added, &demo)
        .text()
        .contains(&format!("{saturdays} créneaux ajoutés.")));

    // Publishing the draft (a POST; GET does nothing).
    assert_eq!(web.with_cookie(&publish[0], &demo).status, 405);
    let published = web.post(&publish[0], Some(&demo), &[("csrf", &csrf)]);
    assert_eq!(
        published.header("location"),
        format!("{dash_path}?done=published")
    );
    assert!(web
        .get(&format!("/g/{ASSO}"), &[])
        .text()
        .contains("Maraude du samedi"));

    // Two volunteers ask for the first Saturday: requests wait for the coordinator.
    let page = web.with_cookie(&mission, &camille);
    let first = actions(&page, "/slots/", "/signup")[0].clone();
    let slot_id = first.split('/').nth(2).unwrap().to_string();
    for (who, token) in [(&camille, &camille_csrf), (&lea, &lea_csrf)] {
        let asked = web.post(&first, Some(who), &[("csrf", token)]);
        assert!(
            asked.header("location").ends_with("?done=pending"),
            "{}",
            asked.body
        );
        let said = web.follow(&asked, who);
        assert!(said
            .text()
            .contains("Demande envoyée, en attente de l'association"));
        assert!(said.text().contains("en attente de l'association</strong>"));
    }
    let dash = web.with_cookie(&dash_path, &demo);
    assert!(
        dash.text()
            .contains("Inscriptions à accepter ou refuser (2)"),
        "{}",
        dash.body
    );
    let accepts = actions(&dash, "/participations/", "/accept");
    let refuses = actions(&dash, "/participations/", "/refuse");
    assert_eq!((accepts.len(), refuses.len()), (2, 2), "{}", dash.body);
    assert!(
        dash.text().contains("camille@example.org"),
        "the contact of a user"
    );

    // Only coordinators decide, with the session's token; a reason too long is refused.
    assert_eq!(
        web.post(&accepts[0], Some(&lea), &[("csrf", &lea_csrf)])
            .status,
        403
    );
    assert_eq!(
        web.post(&accepts[0], Some(&demo), &[("csrf", "nope")])
            .status,
        403
    );
    let long = "x".repeat(600);
    let too_long = web.post(
        &refuses[1],
        Some(&demo),
        &[("csrf", &csrf), ("reason", &long)],
    );
    assert_html(&too_long, 422, "fr", "a reason too long");
    assert!(
        too_long.body.contains("Écrivez au plus 500 caractères."),
        "{}",
        too_long.body
    );
    assert!(too_long
        .text()
        .contains("Inscriptions à accepter ou refuser (2)"));

    let accepted = web.post(&accepts[0], Some(&demo), &[("csrf", &csrf)]);
    assert_eq!(
        accepted.header("location"),
        format!("{dash_path}?done=accepted")
    );
    let dash = web.follow(&accepted, &demo);
    assert!(
        dash.text().contains("Demande acceptée") && dash.text().contains("1 place prise sur 2")
    );
    let again = web.post(&accepts[0], Some(&demo), &[("csrf", &csrf)]);
    assert_eq!(
        again.header("location"),
        format!("{dash_path}?refused=not_pending")
    );
    let refused = web.post(
        &refuses[1],
        Some(&demo),
        &[
            ("csrf", &csrf),
            ("reason", "L'équipe est au complet ce jour-là."),
        ],
    );
    assert_eq!(
        refused.header("location"),
        format!("{dash_path}?done=declined")
    );
    assert!(web
        .with_cookie(&mission, &camille)
        .text()
        .contains("Votre inscription : <strong>confirmée</strong>"));
    let lea_slots = web.with_cookie("/me/slots", &lea).text();
    assert!(
        lea_slots.contains("refusée par l'association")
            && lea_slots.contains("L'équipe est au complet ce jour-là."),
        "{lea_slots}"
    );

    // Someone without an account, signed up by the coordinator: the form says what is missing.
    let guests = format!("/slots/{slot_id}/guests");
    let empty = web.post(
        &guests,
        Some(&demo),
        &[("csrf", &csrf), ("name", ""), ("contact", "")],
    );
    assert_html(&empty, 422, "fr", "empty guest form");
    assert!(
        empty
            .body
            .contains(&format!(r#"id="guest-name-{slot_id}-error""#))
            && empty
                .body
                .contains(&format!(r#"id="guest-contact-{slot_id}-error""#))
            && empty.body.contains("<details open>"),
        "{}",
        empty.body
    );
    assert_eq!(
        web.post(
            &guests,
            Some(&camille),
            &[("csrf", &camille_csrf), ("name", "X"), ("contact", "Y")]
        )
        .status,
        403
    );
    let guest = web.post(
        &guests,
        Some(&demo),
        &[
            ("csrf", &csrf),
            ("name", "Yvonne Le Gall"),
            ("contact", "06 11 22 33 44"),
        ],
    );
    assert_eq!(
        guest.header("location"),
        format!("{dash_path}?done=guest_added")
    );
    let dash = web.follow(&guest, &demo);
    assert!(
        dash.text().contains("Yvonne Le Gall")
            && dash.text().contains("06 11 22 33 44")
            && dash.text().contains("2 places prises sur 2"),
        "{}",
        dash.body
    );
    // The slot is full now: one more guest is refused with the reason.
    let full = web.post(
        &guests,
        Some(&demo),
        &[
            ("csrf", &csrf),
            ("name", "Paul"),
            ("contact", "paul@example.org"),
        ],
    );
    assert_eq!(full.header("location"), format!("{dash_path}?refused=full"));
    assert!(web
        .follow(&full, &demo)
        .text()
        .contains("Ce créneau est complet"));

    // Cancelling a slot: a confirmation page first (GET changes nothing), then the POST.
    let cancel = format!("/slots/{slot_id}/cancel");
    let confirm = web.with_cookie(&cancel, &demo);
    assert_html(&confirm, 200, "fr", "cancel confirmation");
    assert!(
        confirm
            .text()
            .contains("2 personnes inscrites seront prévenues."),
        "{}",
        confirm.body
    );
    assert_html(
        &web.with_cookie(&cancel, &camille),
        403,
        "fr",
        "cancel page for a volunteer",
    );
    assert!(web
        .with_cookie(&dash_path, &demo)
        .text()
        .contains("2 places prises sur 2"));
    assert_eq!(web.post(&cancel, Some(&demo), &[]).status, 403);
    let cancelled = web.post(&cancel, Some(&demo), &[("csrf", &csrf)]);
    assert_eq!(
        cancelled.header("location"),
        format!("{dash_path}?done=slot_cancelled")
    );
    assert!(web
        .follow(&cancelled, &demo)
        .text()
        .contains("Créneau annulé"));
    let camille_view = web.with_cookie(&mission, &camille).text();
    assert!(
        camille_view.contains("Annulé")
            && camille_view.contains("créneau annulé par l'association"),
        "{camille_view}"
    );

    // Editing: the publish form, filled in, saves the changes.
    let edit_path = format!("/g/{ASSO}/missions/{id}/edit");
    let edit = web.with_cookie(&edit_path, &demo);
    assert_html(&edit, 200, "fr", "edit form");
    assert!(
        edit.text().contains("Modifier la mission")
            && edit.body.contains(r#"value="Maraude du samedi""#)
            && edit.body.contains(r#"id="commitment_minutes" name="commitment_minutes" type="number" min="0" max="59" step="5" inputmode="numeric" value="30""#),
        "{}",
        edit.body
    );
    assert_html(
        &web.with_cookie(&edit_path, &camille),
        403,
        "fr",
        "edit form for a volunteer",
    );
    let mut fields = mission_fields(&csrf, "Maraude du samedi matin", &start, &end);
    fields.retain(|(k, _)| *k != "join_mode");
    fields.extend([
        ("join_mode", "restricted"),
        ("regular", "true"),
        ("commitment_hours", "3"),
        ("commitment_minutes", ""),
        ("commitment_period", "month"),
        ("action", "save"),
    ]);
    let bad_edit: Vec<_> = fields
        .iter()
        .map(|(k, v)| {
            if *k == "commitment_hours" {
                (*k, "trois")
            } else {
                (*k, *v)
            }
        })
        .collect();
    let refused_edit = web.post(&edit_path, Some(&demo), &bad_edit);
    assert_html(&refused_edit, 422, "fr", "bad edit");
    assert!(
        refused_edit.body.contains(r#"id="commitment_hours-error""#),
        "{}",
        refused_edit.body
    );
    let edited = web.post(&edit_path, Some(&demo), &fields);
    assert_eq!(
        edited.header("location"),
        format!("{mission}?done=mission_saved"),
        "{}",
        edited.body
    );
    let shown = web.follow(&edited, &demo);
    assert!(
        shown.text().contains("Maraude du samedi matin")
            && shown.text().contains("Régulière : 3 h par mois")
            && shown.text().contains("Modifications enregistrées"),
        "{}",
        shown.body
    );
}

/// Volunteer hours through the pages: a volunteer who took part records an action (bad input
/// refused with a message per field, nothing recorded), a coordinator marks attendance at a slot
/// that is over (a presence becomes hours), refuses without a reason (refused), validates,
/// records for someone without an account, sets the rates, and both download their CSV.
#[test]
fn volunteer_hours_through_the_pages() {
    use serde_json::json;
    let node = demo_node("web-hours");
    let web = Browser::new(&node);
    let api = support::Api::default();
    let demo_token = node.cli(&["admin", "create-token", DEMO_USER], None);
    let camille_token = node.cli(&["admin", "create-token", VOLUNTEER], None);

    // A slot that is over in a few seconds, taken by Camille.
    let now = chrono::Utc::now();
    let at = |secs: i64| {
        (now + chrono::Duration::seconds(secs)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let (status, mission) = api.send(
        "POST",
        &node.url(&format!("/api/v1/associations/{ASSO}/missions")),
        Some(&demo_token),
        Some(&json!({
            "title": "Inventaire de la réserve", "description": "Compter les conserves.",
            "start_time": at(-7200), "end_time": at(5), "locality": "Brest", "category": "solidarity",
        })),
    );
    assert_eq!(status, 201, "{mission}");
    let (status, slots) = api.send(
        "POST",
        &node.url(&format!("/api/v1/missions/{}/slots", mission["id"])),
        Some(&demo_token),
        Some(&json!({"slots": [{"start_time": at(-7200), "end_time": at(5), "capacity": 3}]})),
    );
    assert_eq!(status, 201, "{slots}");
    let slot_id = slots["slots"][0]["id"].clone();
    let (status, taken) = api.send(
        "POST",
        &node.url(&format!("/api/v1/slots/{slot_id}/participations")),
        Some(&camille_token),
        Some(&json!({})),
    );
    assert_eq!(status, 201, "{taken}");
    assert_eq!(taken["status"], "accepted");

    let camille = web.login(VOLUNTEER, DEMO_PASSWORD);
    let demo = web.login(DEMO_USER, DEMO_PASSWORD);
    let mine = web.with_cookie("/me/hours", &camille);
    assert_html(&mine, 200, "fr", "my hours");
    assert!(mine.text().contains("Noter une action"), "{}", mine.body);
    assert!(
        mine.text().contains(&format!(r#"<option value="{ASSO}""#)),
        "the association she took part with is offered:\n{}",
        mine.body
    );
    let csrf = mine.csrf();
    let today = chrono::Utc::now().date_naive().to_string();
    let form = |hours: &'static str, km: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("association", ASSO.to_string()),
            ("date", today.clone()),
            ("hours", hours.to_string()),
            ("minutes", "30".to_string()),
            ("distance_km", km.to_string()),
            ("category", "solidarity".to_string()),
            ("description", "Tri des dons".to_string()),
        ]
    };
    let post = |path: &str, cookie: &str, fields: &[(&str, String)]| {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        web.post(path, Some(cookie), &f)
    };
    // Bad input: a message per field, French, and nothing recorded.
    let bad = post("/me/hours", &camille, &form("deux", "12,5"));
    assert_html(&bad, 422, "fr", "hours that are not a number");
    assert!(
        bad.text().contains("Indiquez des heures entières"),
        "{}",
        bad.body
    );
    let bad = post("/me/hours", &camille, &form("30", "-3"));
    assert_html(&bad, 422, "fr", "30 hours in a day");
    let text = bad.text();
    assert!(text.contains("au plus 24 heures"), "{text}");
    assert!(text.contains("Indiquez un nombre positif"), "{text}");
    assert!(
        text.contains(r#"value="Tri des dons""#),
        "what was typed stays: {text}"
    );
    assert!(!web
        .with_cookie("/me/hours", &camille)
        .text()
        .contains("En attente de validation"));
    // 2 h 30 and 12,5 km: waiting for the association.
    let done = post("/me/hours", &camille, &form("2", "12,5"));
    assert_eq!(done.header("location"), "/me/hours?done=logged_pending");
    let shown = web.follow(&done, &camille);
    let text = shown.text();
    assert!(text.contains("Elle attend la validation"), "{text}");
    assert!(
        text.contains("En attente de validation") && text.contains("2 h 30 · 12,5 km"),
        "{text}"
    );

    // A volunteer does not see the association's hours; the form needs the session's token.
    assert_eq!(
        web.with_cookie(&format!("/g/{ASSO}/hours"), &camille)
            .status,
        403
    );
    let no_token = web.post(
        "/me/hours",
        Some(&camille),
        &[("association", ASSO), ("hours", "1")],
    );
    assert_eq!(no_token.status, 403);

    // The coordinator marks attendance once the slot is over: the presence becomes hours.
    std::thread::sleep(Duration::from_secs(6));
    let page = web.with_cookie(&format!("/g/{ASSO}/hours"), &demo);
    assert_html(&page, 200, "fr", "the association's hours");
    let attendance_path = format!("/slots/{slot_id}/attendance");
    assert!(page.text().contains(&attendance_path), "{}", page.body);
    // The year's count of actions agrees with its number: "(1 action)", "(5 actions)".
    let text = page.text();
    let n: u32 = text
        .split('(')
        .find_map(|rest| rest.split_once(" action").and_then(|(n, _)| n.parse().ok()))
        .expect("the report counts the actions: (N action…)");
    let plural = text.contains(&format!("({n} actions)"));
    assert_eq!(plural, n > 1, "{n} with the wrong plural: {text}");
    let form_page = web.with_cookie(&attendance_path, &demo);
    assert_html(&form_page, 200, "fr", "attendance");
    let pid = taken["id"].to_string();
    let marked = web.post(
        &attendance_path,
        Some(&demo),
        &[
            ("csrf", &form_page.csrf()),
            (&format!("mark-{pid}"), "present"),
            (&format!("minutes-{pid}"), ""),
        ],
    );
    assert_eq!(
        marked.header("location"),
        format!("/g/{ASSO}/hours?done=attendance")
    );
    let page = web.follow(&marked, &demo);
    assert!(
        !page.text().contains(&attendance_path),
        "marked: no longer listed"
    );

    // Refusing needs a reason; then the pending hours are validated.
    let decide = actions(&page, "/hours/", "/refuse");
    assert_eq!(decide.len(), 1, "one entry waits: {}", page.body);
    let refused = web.post(
        &decide[0],
        Some(&demo),
        &[("csrf", &page.csrf()), ("reason", "")],
    );
    assert_html(&refused, 422, "fr", "a refusal without a reason");
    assert!(
        refused.text().contains("Indiquez un motif"),
        "{}",
        refused.body
    );
    let validate = decide[0].replace("/refuse", "/validate");
    let ok = web.post(&validate, Some(&demo), &[("csrf", &page.csrf())]);
    assert_eq!(
        ok.header("location"),
        format!("/g/{ASSO}/hours?done=validated")
    );
    let again = web.post(&validate, Some(&demo), &[("csrf", &page.csrf())]);
    assert_eq!(
        again.header("location"),
        format!("/g/{ASSO}/hours?refused=already")
    );

    // Someone without an account: recorded by the coordinator, counted at once.
    let csrf_demo = page.csrf();
    let record = |guest: &str, hours: &str| {
        web.post(
            &format!("/g/{ASSO}/hours"),
            Some(&demo),
            &[
                ("csrf", csrf_demo.as_str()),
                ("user", ""),
                ("guest_name", guest),
                ("date", today.as_str()),
                ("hours", hours),
                ("minutes", "0"),
                ("category", "solidarity"),
            ],
        )
    };
    let bad = record("", "1");
    assert_html(&bad, 422, "fr", "nobody named");
    assert!(
        bad.text()
            .contains("Indiquez un nom de compte, ou un nom et prénom"),
        "{}",
        bad.body
    );
    let ok = record("Jeanne Martin", "1");
    assert_eq!(
        ok.header("location"),
        format!("/g/{ASSO}/hours?done=recorded")
    );

    // Rates: a bad one is refused with its message; a French decimal is taken.
    let settings = format!("/g/{ASSO}/hours/settings");
    let bad = web.post(
        &settings,
        Some(&demo),
        &[
            ("csrf", csrf_demo.as_str()),
            ("moderation", "on"),
            ("hourly_rate", "beaucoup"),
            ("mileage_rate", "0,324"),
        ],
    );
    assert_html(&bad, 422, "fr", "a rate that is not a number");
    assert!(
        bad.text().contains("Indiquez un nombre, par exemple 11,88"),
        "{}",
        bad.body
    );
    let bad = web.post(
        &settings,
        Some(&demo),
        &[
            ("csrf", csrf_demo.as_str()),
            ("moderation", "on"),
            ("hourly_rate", "20"),
            ("mileage_rate", "0,5"),
            ("rate-culture", "-2"),
        ],
    );
    assert_html(&bad, 422, "fr", "a negative rate for a category");
    assert!(
        bad.text().contains(r#"id="set-rate-culture-error""#),
        "{}",
        bad.body
    );
    let ok = web.post(
        &settings,
        Some(&demo),
        &[
            ("csrf", csrf_demo.as_str()),
            ("moderation", "on"),
            ("hourly_rate", "20"),
            ("mileage_rate", "0,5"),
            ("rate-culture", "25,5"),
            ("rate-sport", ""),
        ],
    );
    assert_eq!(
        ok.header("location"),
        format!("/g/{ASSO}/hours?done=settings")
    );

    let page = web.with_cookie(&format!("/g/{ASSO}/hours"), &demo);
    assert!(
        page.text()
            .contains(r#"name="rate-culture" type="text" inputmode="decimal" value="25,5""#),
        "{}",
        page.body
    );
    // The report: attendance (the slot's 2 h 00 + 5 s, counted in whole minutes), Camille's
    // 2 h 30 and Jeanne's 1 h; 12,5 km at 0,5 €; a chart drawn on the server.
    let page = web.with_cookie(&format!("/g/{ASSO}/hours"), &demo);
    let text = page.text();
    assert!(text.contains("<svg class=\"chart\""), "{text}");
    assert!(
        text.contains("Jeanne Martin") && text.contains("camille"),
        "{text}"
    );
    assert!(text.contains("12,5 km"), "{text}");
    assert!(text.contains("6,25 €"), "mileage 12,5 × 0,5: {text}");
    let csv = web.with_cookie(&format!("/g/{ASSO}/hours.csv"), &demo);
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(
        // French headings, semicolons and decimal commas for a French reader.
        csv.body.starts_with("N°;Date;Date de fin;Bénévole"),
        "{}",
        csv.body
    );
    assert!(
        csv.body.contains("Jeanne Martin") && csv.body.contains(";150;2,50;12,5;validated;"),
        "{}",
        csv.body
    );

    // Camille sees both validated, repeats one in a tap, deletes the pending copy, downloads.
    let mine = web.with_cookie("/me/hours", &camille);
    let text = mine.text();
    assert_eq!(
        text.matches("<strong>Validée</strong>").count(),
        2,
        "{text}"
    );
    let repeat = actions(&mine, "/me/hours/", "/repeat");
    assert!(!repeat.is_empty(), "{text}");
    let done = web.post(&repeat[0], Some(&camille), &[("csrf", &mine.csrf())]);
    assert_eq!(done.header("location"), "/me/hours?done=logged_pending");
    let mine = web.with_cookie("/me/hours", &camille);
    let delete = actions(&mine, "/me/hours/", "/delete");
    assert_eq!(
        delete.len(),
        1,
        "only the pending one can go: {}",
        mine.body
    );
    let gone = web.post(&delete[0], Some(&camille), &[("csrf", &mine.csrf())]);
    assert_eq!(gone.header("location"), "/me/hours?done=deleted");
    let csv = web.with_cookie("/me/hours.csv", &camille);
    assert_eq!(csv.status, 200);
    assert_eq!(
        csv.body.lines().count(),
        3,
        "header + 2 entries: {}",
        csv.body
    );
    assert!(csv.body.lines().next().unwrap().ends_with(";Association"));
    // An attestation: asked by Camille, confirmed by the coordinator, printed with who and when.
    let mine = web.with_cookie("/me/hours", &camille);
    let first_day = format!("{}-01-01", &today[..4]);
    let asked = web.post(
        "/me/attestations",
        Some(&camille),
        &[
            ("csrf", &mine.csrf()),
            ("association", ASSO),
            ("from", &first_day),
            ("to", &today),
        ],
    );
    assert_eq!(
        asked.header("location"),
        "/me/hours?done=attestation_asked#h-attestations"
    );
    let empty = web.post(
        "/me/attestations",
        Some(&camille),
        &[
            ("csrf", &mine.csrf()),
            ("association", ASSO),
            ("from", "2001-01-01"),
            ("to", "2001-12-31"),
        ],
    );
    assert!(empty
        .header("location")
        .contains("refused=attestation_empty"));
    let mine = web.with_cookie("/me/hours", &camille);
    assert!(
        mine.text().contains("Pas encore confirmée"),
        "{}",
        mine.body
    );
    let pdf_link = {
        let text = mine.text();
        let i = text.find("/attestations/").unwrap();
        text[i..i + text[i..].find('"').unwrap()].to_string()
    };
    let pdf = web.with_cookie(&pdf_link, &camille);
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    let page = web.with_cookie(&format!("/g/{ASSO}/hours"), &demo);
    let confirm = actions(&page, "/attestations/", "/confirm");
    assert_eq!(confirm.len(), 1, "{}", page.body);
    let done = web.post(&confirm[0], Some(&demo), &[("csrf", &page.csrf())]);
    assert_eq!(
        done.header("location"),
        format!("/g/{ASSO}/hours?done=attestation_confirmed")
    );
    assert!(web
        .with_cookie("/me/hours", &camille)
        .text()
        .contains("Confirmée le"));
    // The year's statement and spreadsheets, for the coordinator only.
    let year = &today[..4];
    for (path, kind) in [
        (
            format!("/g/{ASSO}/hours/statement.pdf?year={year}"),
            "application/pdf",
        ),
        (
            format!("/g/{ASSO}/hours/statement.ods?year={year}"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        (
            format!("/g/{ASSO}/hours.ods?year={year}"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ] {
        let file = web.with_cookie(&path, &demo);
        assert_eq!(file.status, 200, "{path}");
        assert_eq!(file.header("content-type"), kind, "{path}");
        assert_eq!(
            web.with_cookie(&path, &camille).status,
            403,
            "{path} for a volunteer"
        );
    }

    // The French guide, linked from the page.
    assert!(mine.text().contains(r#"href="/guide/heures""#));
    let guide = web.get("/guide/heures", &[]);
    assert_html(&guide, 200, "fr", "the hours guide");
    assert!(
        guide
            .text()
            .contains("contributions\nvolontaires en nature")
            || guide.text().contains("contributions volontaires en nature"),
        "{}",
        guide.body
    );
    // In English too.
    let en = web.with_cookie("/me/hours?lang=en", &camille);
    assert_html(&en, 200, "en", "my hours in English");
    assert!(en.text().contains("Record an action") && en.text().contains("Validated"));
}
