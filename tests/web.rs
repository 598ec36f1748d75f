//! The web pages of a real `entraide serve --demo` process: plain HTTP checks (language,
//! error pages, login, who may publish, CSRF), then the browser check of `tests/browser/`
//! (headless Chromium: flows at phone and desktop sizes, axe-core audit, screenshots).

#![allow(clippy::unwrap_used)]

#[path = "../federation-tests/support/mod.rs"]
mod support;

use reqwest::{blocking::Client, header::HeaderMap, redirect::Policy};
use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};
use support::{Db, Node};

const ASSO: &str = "epicerie-bellevue"; // a demo association (src/demo.rs)
const DEMO_USER: &str = "demo";
const DEMO_PASSWORD: &str = "demo-entraide";

fn demo_node(name: &str) -> Node {
    let mut node = Node::new(name, Db::Sqlite);
    // The name the pages show (the harness names nodes after the test otherwise).
    node.extra_env
        .push(("ENTRAIDE__INSTANCE__NAME".into(), "Entraide".into()));
    node.start_with(&["--demo"]);
    node
}

/// A page as the browser gets it, without following redirects.
struct Page {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(String::from)
            .collect()
    }

    /// `name=value` of the session cookie this response sets.
    fn session_cookie(&self) -> String {
        self.cookies()
            .into_iter()
            .find(|c| c.starts_with("entraide_session=") && !c.starts_with("entraide_session=;"))
            .and_then(|c| c.split(';').next().map(String::from))
            .unwrap_or_else(|| panic!("no session cookie in {:?}", self.cookies()))
    }

    /// The CSRF token of the page's forms.
    fn csrf(&self) -> String {
        let start = self
            .body
            .find(r#"name="csrf" value=""#)
            .unwrap_or_else(|| panic!("no csrf field in:\n{}", self.body));
        let rest = &self.body[start + r#"name="csrf" value=""#.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// The body with minijinja's escaped slashes written back as `/`.
    fn text(&self) -> String {
        self.body.replace("&#x2f;", "/").replace("&#x27;", "'")
    }
}

struct Browser {
    client: Client,
    base: String,
}

impl Browser {
    fn new(node: &Node) -> Browser {
        let client = Client::builder()
            .redirect(Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Browser {
            client,
            base: node.base.clone(),
        }
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::page(req.send().unwrap())
    }

    fn post(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        Self::page(req.send().unwrap())
    }

    fn page(res: reqwest::blocking::Response) -> Page {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        Page {
            status,
            headers,
            body: res.text().unwrap(),
        }
    }

    /// Logs in through the form; returns the session cookie.
    fn login(&self, name: &str, password: &str) -> String {
        let page = self.post("/login", None, &[("name", name), ("password", password)]);
        assert_eq!(page.status, 303, "login of {name}: {}", page.body);
        page.session_cookie()
    }
}

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

/// `tests/browser/check.mjs` in headless Chromium against a demo node.
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

    let node = demo_node("browser");
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
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("`node` runs (install Node.js)");
    let deadline = Instant::now() + Duration::from_secs(240);
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
    let status = status.expect("check.mjs did not finish within 240 s");
    assert!(
        status.success(),
        "check.mjs failed ({status}):\n{out}\n{err}"
    );
    assert!(out.contains("all browser checks passed"), "{out}");
    for name in ["home", "association", "mission", "publish-form-errors"] {
        let png = shots.join(format!("{name}.png"));
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert!(
            bytes.starts_with(b"\x89PNG"),
            "{} is not a PNG",
            png.display()
        );
    }
}
