//! Documents of volunteer hours, read back by third-party readers: the annual statement as PDF
//! (text extracted by poppler's `pdftotext`) and as an OpenDocument spreadsheet (read by
//! Python's odfpy, and opened once by LibreOffice), the hours as a spreadsheet, attestations
//! asked, confirmed and printed; bad requests refused and nothing written. The attestation
//! storage runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::{pdf_text, pdf_title, sqlite_store, tool, PgDb, TestApp};
use entraide::storage::Store;
use serde_json::{json, Value};
use std::{path::Path, process::Command};

const ASSO: &str = "/api/v1/associations/epicerie";

/// Every sheet of an ODS file as rows of cell values (typed values for numbers), read by odfpy.
fn ods_sheets(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.ods");
    std::fs::write(&path, bytes).unwrap();
    let script = r#"
import json, sys
from odf.opendocument import load
from odf.table import Table, TableRow, TableCell
from odf import teletype
doc = load(sys.argv[1])
out = {}
for t in doc.spreadsheet.getElementsByType(Table):
    rows = []
    for r in t.getElementsByType(TableRow):
        cells = []
        for c in r.getElementsByType(TableCell):
            kind = c.getAttribute('valuetype')
            if kind in ('float', 'currency'):
                cells.append(float(c.getAttribute('value')))
            elif kind == 'date':
                cells.append(c.getAttribute('datevalue'))
            else:
                cells.append(teletype.extractText(c))
        rows.append(cells)
    out[t.getAttribute('name')] = rows
print(json.dumps(out))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "odfpy could not read the spreadsheet (pip install odfpy==1.4.1; .ci/run does): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// LibreOffice opens the spreadsheet and writes each sheet as CSV; returns the first sheet.
fn libreoffice_csv(bytes: &[u8], sheet: &str) -> String {
    tool("libreoffice");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statement.ods");
    std::fs::write(&path, bytes).unwrap();
    let profile = format!("file://{}", dir.path().join("profile").display());
    let out = Command::new("libreoffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let csv = dir.path().join(format!("statement-{sheet}.csv"));
    assert!(
        Path::new(&csv).exists(),
        "LibreOffice did not open the spreadsheet: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(csv).unwrap()
}

/// alice coordinates "epicerie" and records last year's hours for bob (an account) and Zoé
/// (no account); carol coordinates another association.
async fn setup() -> (TestApp, String, String, String, i32) {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (_, bob) = t.user("bob").await;
    let (_, carol) = t.user("carol").await;
    t.association("epicerie", "alice").await;
    t.association("autre", "carol").await;
    let year = t
        .now()
        .date_naive()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap()
        - 1;
    t.api(
        Method::PUT,
        &format!("{ASSO}/hours/settings"),
        Some(&alice),
        Some(&json!({"hourly_rate": "20", "mileage_rate": "0.5", "category_rates": {"culture": "25"}})),
    )
    .await
    .expect(200);
    for body in [
        json!({"user": "bob", "date": format!("{year}-03-14"), "minutes": 150, "distance_km": "12.5", "category": "solidarity", "description": "Tri des dons"}),
        json!({"guest_name": "Zoé Lefèvre", "date": format!("{year}-06-01"), "minutes": 90, "category": "culture", "description": "Fête de l'été"}),
        json!({"user": "bob", "date": format!("{year}-06-02"), "minutes": 60, "category": "culture"}),
    ] {
        t.api(
            Method::POST,
            &format!("{ASSO}/hours"),
            Some(&alice),
            Some(&body),
        )
        .await
        .expect(201);
    }
    (t, alice, bob, carol, year)
}

#[tokio::test]
async fn the_annual_statement_reads_back_as_pdf_and_spreadsheet() {
    let (t, alice, bob, _, year) = setup().await;
    let res = t
        .api(
            Method::GET,
            &format!("{ASSO}/hours/statement.pdf?year={year}"),
            Some(&alice),
            None,
        )
        .await;
    res.expect(200);
    assert_eq!(res.content_type(), "application/pdf");
    assert!(res.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".pdf"));
    let text = pdf_text(&res.body);
    // 150 min at 20 €/h = 50 €; 150 min of culture at 25 €/h = 62,50 €; 12,5 km at 0,5 € = 6,25 €.
    for expected in [
        "Contributions volontaires en nature",
        &format!("exercice {year}"),
        // (pdftotext may drop the narrow space of "5 h")
        "Heures de bénévolat 5",
        "Valeur du temps donné 112,50 €",
        "Frais kilométriques 6,25 €",
        "Total des contributions 118,75 €",
        "Zoé Lefèvre",
        "Épicerie solidaire — exercice",
        "0,5 € / km",
        "Taux horaire « Culture",
        "870 « Bénévolat »",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }

    let res = t
        .api(
            Method::GET,
            &format!("{ASSO}/hours/statement.ods?year={year}"),
            Some(&alice),
            None,
        )
        .await;
    res.expect(200);
    assert_eq!(
        res.content_type(),
        "application/vnd.oasis.opendocument.spreadsheet"
    );
    let sheets = ods_sheets(&res.body);
    let names: Vec<&String> = sheets.as_object().unwrap().keys().collect();
    for name in [
        "Synthèse",
        "Par domaine",
        "Par mois",
        "Par bénévole",
        "Par mission",
        "Actions",
    ] {
        assert!(sheets.get(name).is_some(), "no sheet {name} in {names:?}");
    }
    let summary = sheets["Synthèse"].as_array().unwrap();
    let value = |label: &str| {
        summary
            .iter()
            .find(|r| r[0] == label)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("no {label} in {summary:?}"))
    };
    assert_eq!(value("Minutes"), json!(300.0));
    assert_eq!(value("Total des contributions"), json!(118.75));
    assert_eq!(value("Kilomètres"), json!(12.5));
    assert_eq!(
        sheets["Actions"].as_array().unwrap().len(),
        4,
        "header + 3 actions"
    );
    assert_eq!(sheets["Actions"][1][1], json!(format!("{year}-03-14")));
    // A real office suite opens it too.
    let csv = libreoffice_csv(&res.body, "Synthèse");
    assert!(
        csv.contains("Total des contributions") && csv.contains("118.75"),
        "{csv}"
    );

    // The hours as a spreadsheet.
    let res = t
        .api(
            Method::GET,
            &format!("{ASSO}/hours/export.ods?year={year}"),
            Some(&alice),
            None,
        )
        .await;
    res.expect(200);
    let sheets = ods_sheets(&res.body);
    let rows = sheets["Heures"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[0][3], "Bénévole");
    assert!(
        rows.iter()
            .any(|r| r[3] == "Zoé Lefèvre" && r[6] == json!(90.0)),
        "{rows:?}"
    );

    // Refused: no year, not a year, not a coordinator, unknown association, no token.
    for (path, token, status) in [
        (
            format!("{ASSO}/hours/statement.pdf"),
            Some(alice.as_str()),
            422,
        ),
        (
            format!("{ASSO}/hours/statement.ods?year=deux"),
            Some(alice.as_str()),
            422,
        ),
        (
            format!("{ASSO}/hours/statement.pdf?year={year}"),
            Some(bob.as_str()),
            403,
        ),
        (
            format!("/api/v1/associations/personne/hours/statement.pdf?year={year}"),
            Some(alice.as_str()),
            404,
        ),
        (format!("{ASSO}/hours/statement.pdf?year={year}"), None, 401),
    ] {
        let res = t.api(Method::GET, &path, token, None).await;
        assert_eq!(res.status.as_u16(), status, "{path}: {}", res.text());
        assert!(
            res.json()["message"].is_string(),
            "{path}: a message a person can read"
        );
    }
}

#[tokio::test]
async fn an_attestation_is_asked_confirmed_and_printed() {
    let (t, alice, bob, carol, year) = setup().await;
    let ask = |body: Value| {
        let t = &t;
        let bob = bob.clone();
        async move {
            t.api(
                Method::POST,
                "/api/v1/me/attestations",
                Some(&bob),
                Some(&body),
            )
            .await
        }
    };
    let count = || async {
        t.api(Method::GET, "/api/v1/me/attestations", Some(&bob), None)
            .await
            .json()["attestations"]
            .as_array()
            .unwrap()
            .len()
    };
    // Bad requests: a message per field, and nothing written.
    let future = (t.now().date_naive() + chrono::Duration::days(10)).to_string();
    for (body, field) in [
        (
            json!({"association": "epicerie", "from": format!("{year}-12-31"), "to": format!("{year}-01-01")}),
            "to",
        ),
        (
            json!({"association": "epicerie", "from": format!("{year}-01-01"), "to": future}),
            "to",
        ),
        (
            json!({"association": "epicerie", "from": "le 1er mai", "to": format!("{year}-12-31")}),
            "from",
        ),
        (
            json!({"association": "epicerie", "from": format!("{}-01-01", year - 1), "to": format!("{}-12-31", year - 1)}),
            "from",
        ),
        (
            json!({"from": format!("{year}-01-01"), "to": format!("{year}-12-31")}),
            "association",
        ),
    ] {
        let res = ask(body.clone()).await;
        assert_eq!(res.status.as_u16(), 422, "{body}: {}", res.text());
        assert!(
            res.json()["fields"][field].is_string(),
            "{body}: {}",
            res.text()
        );
    }
    let res = ask(json!({"association": "personne", "from": format!("{year}-01-01"), "to": format!("{year}-12-31")})).await;
    assert_eq!(res.status.as_u16(), 404);
    assert_eq!(count().await, 0);

    let res = ask(json!({"association": "epicerie", "from": format!("{year}-01-01"), "to": format!("{year}-12-31")})).await;
    res.expect(201);
    let a = res.json();
    assert_eq!(a["confirmed"], false);
    let pdf_path = a["pdf"].as_str().unwrap().to_string();
    let id = a["id"].as_i64().unwrap();

    let res = t.api(Method::GET, &pdf_path, Some(&bob), None).await;
    res.expect(200);
    let text = pdf_text(&res.body);
    for expected in [
        "Attestation de bénévolat",
        "bob",
        "Temps donné 3 h 30",
        "Tri des dons",
        "NON CONFIRMÉE",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(!text.contains("Zoé"), "only bob's hours: {text}");

    // Only the association's coordinators confirm; others do not even see it.
    let confirm = format!("/api/v1/attestations/{id}/confirm");
    assert_eq!(
        t.api(Method::POST, &confirm, Some(&bob), None)
            .await
            .status
            .as_u16(),
        403
    );
    assert_eq!(
        t.api(Method::POST, &confirm, Some(&carol), None)
            .await
            .status
            .as_u16(),
        404
    );
    assert_eq!(
        t.api(Method::GET, &pdf_path, Some(&carol), None)
            .await
            .status
            .as_u16(),
        404
    );
    let listed = t
        .api(
            Method::GET,
            &format!("{ASSO}/attestations"),
            Some(&alice),
            None,
        )
        .await;
    listed.expect(200);
    assert_eq!(listed.json()["attestations"][0]["volunteer"], "bob");
    assert_eq!(
        t.api(
            Method::GET,
            &format!("{ASSO}/attestations"),
            Some(&bob),
            None
        )
        .await
        .status
        .as_u16(),
        403
    );
    let res = t.api(Method::POST, &confirm, Some(&alice), None).await;
    res.expect(200);
    assert_eq!(res.json()["confirmed_by"], "alice");
    let again = t.api(Method::POST, &confirm, Some(&alice), None).await;
    assert_eq!(again.status.as_u16(), 409, "{}", again.text());

    let text = pdf_text(&t.api(Method::GET, &pdf_path, Some(&bob), None).await.body);
    assert!(
        text.contains("Attestation confirmée en ligne le") && text.contains("par alice"),
        "{text}"
    );
    assert!(!text.contains("NON CONFIRMÉE"), "{text}");
    // The coordinator can print it too.
    t.api(Method::GET, &pdf_path, Some(&alice), None)
        .await
        .expect(200);
}

/// An association named after three volunteers, in Polish, Vietnamese and Norwegian: every
/// letter of its name prints.
const NAMES: [&str; 3] = ["Małgorzata Wójcik", "Nguyễn Thị Hà", "Øyvind"];
const LABEL: &str = "Amis de Małgorzata Wójcik, Nguyễn Thị Hà et Øyvind";

#[tokio::test]
async fn any_name_prints_on_the_statement_and_the_attestation_and_titles_read_right() {
    let (t, alice, bob, _, year) = setup().await;
    t.association_named("amis", "alice", LABEL).await;
    for body in [
        json!({"user": "bob", "date": format!("{year}-04-02"), "minutes": 60, "category": "solidarity", "description": "Accueil"}),
        json!({"guest_name": NAMES[1], "date": format!("{year}-04-03"), "minutes": 45, "category": "solidarity"}),
    ] {
        t.api(
            Method::POST,
            "/api/v1/associations/amis/hours",
            Some(&alice),
            Some(&body),
        )
        .await
        .expect(201);
    }
    let statement = t
        .api(
            Method::GET,
            &format!("/api/v1/associations/amis/hours/statement.pdf?year={year}"),
            Some(&alice),
            None,
        )
        .await;
    statement.expect(200);
    let text = pdf_text(&statement.body);
    assert!(
        text.contains(&format!("{LABEL} — exercice {year}")),
        "{text}"
    );
    for name in NAMES {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    assert_eq!(
        pdf_title(&statement.body),
        format!("Contributions volontaires en nature {year} — {LABEL}")
    );

    let asked = t
        .api(
            Method::POST,
            "/api/v1/me/attestations",
            Some(&bob),
            Some(&json!({"association": "amis", "from": format!("{year}-01-01"), "to": format!("{year}-12-31")})),
        )
        .await;
    asked.expect(201);
    let attestation = t
        .api(
            Method::GET,
            asked.json()["pdf"].as_str().unwrap(),
            Some(&bob),
            None,
        )
        .await;
    attestation.expect(200);
    let text = pdf_text(&attestation.body);
    assert!(
        text.contains(&format!("L'association {LABEL} atteste que bob")),
        "{text}"
    );
    assert_eq!(
        pdf_title(&attestation.body),
        format!("Attestation de bénévolat — bob — {LABEL}")
    );
}

async fn attestation_storage(store: &dyn Store) {
    let now = common::start();
    let asso = common::local_group(store, "attest").await;
    let user = common::plain_user(store, "vol").await;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let a = store
        .create_attestation(asso.id, user.id, day("2025-01-01"), day("2025-12-31"), now)
        .await
        .unwrap();
    assert_eq!(
        (a.from, a.to, a.confirmed_at.is_none()),
        (day("2025-01-01"), day("2025-12-31"), true)
    );
    assert_eq!(
        store.list_attestations(Some(asso.id), None).await.unwrap(),
        vec![a.clone()]
    );
    assert_eq!(
        store
            .list_attestations(None, Some(user.id))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store
        .list_attestations(Some(asso.id + 1000), None)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .confirm_attestation(a.id, user.id, "vol", now)
        .await
        .unwrap());
    assert!(
        !store
            .confirm_attestation(a.id, user.id, "quelqu'un d'autre", now)
            .await
            .unwrap(),
        "once"
    );
    let confirmed = store.get_attestation(a.id).await.unwrap();
    assert_eq!(confirmed.confirmed_by_name.as_deref(), Some("vol"));
    assert!(store.get_attestation(a.id + 1000).await.is_err());
}

#[tokio::test]
async fn attestation_storage_on_sqlite() {
    let (store, _dir) = sqlite_store().await;
    attestation_storage(store.as_ref()).await;
}

#[tokio::test]
async fn attestation_storage_on_postgres() {
    let Some(db) = PgDb::fresh("hours_documents::attestation_storage").await else {
        return;
    };
    let store = db.store().await;
    attestation_storage(store.as_ref()).await;
}
