//! The equipment pages of a real `entraide serve --demo` process, over plain HTTP: search of
//! what is free, a resource's page and availability, a request refused field by field (in
//! French) then sent, the owner accepting, both sides accepting the agreement online, the
//! printable agreement and its PDF (text extracted with pdftotext), the CSV export, a resource
//! added through the form with a photo whose metadata is dropped, and who may do what.

#![allow(clippy::unwrap_used)]

#[path = "../federation-tests/support/mod.rs"]
mod support;
#[path = "common/upload.rs"]
mod upload;
mod web_support;

use chrono::{Datelike, Duration, Utc};
use std::process::Command;
use support::{Db, Node};
use web_support::{Browser, Page};

fn demo_node(name: &str) -> Node {
    let mut node = Node::new(name, Db::Sqlite);
    node.extra_env
        .push(("ENTRAIDE__INSTANCE__NAME".into(), "Entraide".into()));
    node.start_with(&["--demo"]);
    node
}

/// The id of the first link to `/{prefix}{id}` after `after` in the page.
fn id_after(page: &Page, after: &str, prefix: &str) -> i64 {
    let text = page.text();
    let from = text
        .find(after)
        .unwrap_or_else(|| panic!("no {after} in:\n{text}"));
    let rest = &text[..from];
    let at = rest
        .rfind(prefix)
        .unwrap_or_else(|| panic!("no {prefix} before {after}"));
    rest[at + prefix.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

fn location(page: &Page) -> String {
    page.header("location")
}

/// A `multipart/form-data` body with text fields and one file, sent as the field `file`.
fn multipart(fields: &[(&str, &str)], file: (&str, &str, &[u8])) -> (String, Vec<u8>) {
    let (name, ctype, bytes) = file;
    upload::multipart_body(fields, &[("file", name, ctype, bytes)])
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (.ci/run installs poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn equipment_through_the_pages() {
    let node = demo_node("equipment-web");
    let b = Browser::new(&node);
    let fr = [("accept-language", "fr")];

    // Anyone searches what is free; the tables of the demo are there, with 20 of 20 free.
    let day = (Utc::now().date_naive() + Duration::days(20)).to_string();
    let found = b.get(&format!("/resources?q=tables&from={day}&to={day}"), &fr);
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(found.text().contains("Tables pliantes"), "{}", found.text());
    assert!(
        found.text().contains("<strong>20</strong> libres sur 20"),
        "{}",
        found.text()
    );
    let bad = b.get("/resources?from=demain&quantity=beaucoup", &fr);
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("Indiquez une date"), "{}", bad.text());
    let tables = id_after(&found, "Tables pliantes", "/resources/");

    // The resource page: terms and a month of availability; a visitor is asked to log in.
    let page = b.get(&format!("/resources/{tables}"), &fr);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Dépôt de garantie"));
    assert!(page.text().contains("libres sur 20"));
    // Counts are written in words with their plural, not "jour(s)".
    for words in [
        "24 heures avant le retrait, au moins",
        "5 jours",
        "12 heures",
    ] {
        assert!(page.text().contains(words), "no {words}: {}", page.text());
    }
    assert!(!page.text().contains("(s)"), "{}", page.text());
    let en = b.get(&format!("/resources/{tables}?lang=en"), &[]);
    for words in [
        "24 hours before the pickup, at least",
        "5 days",
        "12 hours",
        "free of 20",
    ] {
        assert!(en.text().contains(words), "no {words}: {}", en.text());
    }
    // The calendar's month and days in each language's words.
    // The node's month, in its time zone (UTC may still be on the previous day).
    let first = support::dates::today_in_paris().with_day(1).unwrap();
    for (text, words) in [
        (
            page.text(),
            [
                "<th scope=\"col\">lun.</th>".to_string(),
                format!("1 {}", french_month(first.month())),
            ],
        ),
        (
            en.text(),
            [
                "<th scope=\"col\">Mon</th>".to_string(),
                first.format("%A 1 %B").to_string(),
            ],
        ),
    ] {
        for w in words {
            assert!(text.contains(&w), "no {w}: {text}");
        }
    }
    assert!(en.text().contains(&first.format("%B %Y").to_string()));
    assert!(page.text().contains("/login?next=/resources/"));

    let cookie = b.login("demo", "demo-entraide");
    let with = |path: &str| {
        let mut req = b.client.get(format!("{}{path}", b.base));
        req = req
            .header("cookie", &cookie)
            .header("accept-language", "fr");
        Browser::page(req.send().unwrap())
    };
    let tent_search = with("/resources?q=tente");
    let tent = id_after(&tent_search, "Tente de réception", "/resources/");
    let form = with(&format!("/resources/{tent}"));
    assert!(
        form.text().contains("Envoyer la demande"),
        "{}",
        form.text()
    );
    let csrf = form.csrf();

    // A request refused field by field, in French; nothing recorded.
    let soon = (Utc::now().date_naive() + Duration::days(1)).to_string();
    let later = (Utc::now().date_naive() + Duration::days(30)).to_string();
    let refused = b.post(
        &format!("/resources/{tent}/reserve"),
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("borrower", "francais-pour-tous"),
            ("quantity", "3"),
            ("start_date", &soon),
            ("start_time", "18:00"),
            ("end_date", &soon),
            ("end_time", "09:00"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    let text = refused.text();
    assert!(
        text.contains("Le retour doit venir après le retrait."),
        "{text}"
    );
    assert!(text.contains("Il n'y en a que 2 en tout."), "{text}");
    assert!(
        text.contains("Demandez au moins 72 heure(s) avant le retrait."),
        "{text}"
    );
    // Without the form's token: refused, nothing done.
    let forged = b.post(
        &format!("/resources/{tent}/reserve"),
        Some(&cookie),
        &[("borrower", "francais-pour-tous"), ("quantity", "1")],
    );
    assert_eq!(forged.status, 403);

    // A good request waits for the owner (manual approval).
    let sent = b.post(
        &format!("/resources/{tent}/reserve"),
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("borrower", "francais-pour-tous"),
            ("quantity", "1"),
            ("start_date", &later),
            ("start_time", "09:00"),
            ("end_date", &later),
            ("end_time", "20:00"),
        ],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    let at = location(&sent);
    assert!(at.starts_with("/reservations/"), "{at}");
    let rid: i64 = at
        .trim_start_matches("/reservations/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let shown = with(&at);
    assert!(shown.text().contains("Votre demande est enregistrée."));
    assert!(shown.text().contains("en attente de réponse"));

    // The owner's list has it to answer; a refusal needs a reason; then accepted.
    let list = with("/g/repair-cafe-landerneau/reservations");
    assert!(list.text().contains("Demandes à traiter"));
    assert!(list.text().contains(&format!("/reservations/{rid}/accept")));
    let csrf = list.csrf();
    let no_reason = b.post(
        &format!("/reservations/{rid}/refuse"),
        Some(&cookie),
        &[("csrf", &csrf), ("reason", " ")],
    );
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.text().contains("Indiquez le motif du refus."));
    let ok = b.post(
        &format!("/reservations/{rid}/accept"),
        Some(&cookie),
        &[("csrf", &csrf)],
    );
    assert_eq!(ok.status, 303);
    let again = b.post(
        &format!("/reservations/{rid}/accept"),
        Some(&cookie),
        &[("csrf", &csrf)],
    );
    assert_eq!(again.status, 409, "accepted twice: {}", again.body);

    // The demo user coordinates both parties: each side accepts the agreement online.
    for side in ["owner", "borrower"] {
        let signed = b.post(
            &format!("/reservations/{rid}/sign"),
            Some(&cookie),
            &[("csrf", &csrf), ("side", side)],
        );
        assert_eq!(signed.status, 303, "{side}: {}", signed.body);
    }
    let printable = with(&format!("/reservations/{rid}/agreement"));
    assert_eq!(printable.status, 200);
    let text = printable.text();
    assert!(text.contains("Convention de prêt de matériel"));
    assert!(
        text.contains("Acceptée en ligne par demo (Repair Café de Landerneau)"),
        "{text}"
    );
    let pdf = b
        .client
        .get(format!("{}/reservations/{rid}/agreement.pdf", b.base))
        .header("cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(pdf.status().as_u16(), 200);
    let text = pdf_text(&pdf.bytes().unwrap());
    for expected in [
        "Convention de prêt de matériel",
        "Tente de réception 3 × 6 m",
        "Repair Café de Landerneau",
        "Français pour tous – Brest",
        "200,00 €",
        "15,00 € par jour et par unité × 1 jour(s) × 1 = 15,00 €",
        "Rendre la tente sèche",
        "Acceptée en ligne par demo (Français pour tous – Brest)",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }

    // The CSV of the owner's reservations.
    let csv = with("/g/repair-cafe-landerneau/reservations.csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    // French headings and semicolons for a French reader (`?lang=en`: the column codes).
    assert!(lines[0].starts_with("N°;Matériel;Rôle;Autre partie;Quantité;Retrait;Retour"));
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "{rid};Tente de réception 3 × 6 m;lender;Français pour tous – Brest;1;"
        ))),
        "{}",
        csv.body
    );

    // Adding equipment through the form: refused field by field, then saved.
    let new = with("/g/epicerie-bellevue/resources/new");
    assert_eq!(new.status, 200);
    let csrf = new.csrf();
    let bad = b.post(
        "/g/epicerie-bellevue/resources/new",
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("name", ""),
            ("quantity", "0"),
            ("mode", "rental"),
            ("category", "tent"),
            ("owner_kind", "association"),
            ("approval", "manual"),
            ("borrowers", "everyone"),
            ("min_notice_hours", "24"),
            ("max_days", "3"),
            ("turnaround_hours", "0"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    let text = bad.text();
    assert!(
        text.contains("Indiquez le prix par jour d'une location."),
        "{text}"
    );
    assert!(
        text.contains("Indiquez un nombre entre 1 et 100000."),
        "{text}"
    );
    let saved = b.post(
        "/g/epicerie-bellevue/resources/new",
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("name", "Percolateur 100 tasses"),
            ("quantity", "2"),
            ("mode", "free_loan"),
            ("category", "kitchen"),
            ("owner_kind", "association"),
            ("approval", "automatic"),
            ("borrowers", "everyone"),
            ("min_notice_hours", "24"),
            ("max_days", "3"),
            ("turnaround_hours", "0"),
            ("deposit", "30,50"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let edit = location(&saved);
    let new_id: i64 = edit
        .trim_start_matches("/resources/")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // A photo with a position in its metadata: kept as a plain JPEG without it.
    let (ctype, body) = multipart(
        &[("csrf", &csrf), ("kind", "photo")],
        (
            "percolateur.jpg",
            "image/jpeg",
            &upload::jpeg_with_position(300, 200),
        ),
    );
    let up = b
        .client
        .post(format!("{}/resources/{new_id}/files", b.base))
        .header("cookie", &cookie)
        .header("content-type", ctype)
        .body(body)
        .send()
        .unwrap();
    assert_eq!(up.status().as_u16(), 303);
    let page = with(&format!("/resources/{new_id}"));
    assert!(page.text().contains("30,5 €"), "{}", page.text());
    let photo_id = id_after(&page, "percolateur.jpg", "/files/");
    let photo = b
        .client
        .get(format!("{}/files/{photo_id}", b.base))
        .send()
        .unwrap();
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    let bytes = photo.bytes().unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    assert!(
        !bytes.windows(11).any(|w| w == b"GPSLatitude"),
        "the position is gone"
    );
    // A document that is not a PDF is refused.
    let (ctype, body) = multipart(
        &[("csrf", &csrf), ("kind", "document")],
        ("statuts.pdf", "application/pdf", b"not a pdf at all"),
    );
    let up = b
        .client
        .post(format!("{}/resources/{new_id}/files", b.base))
        .header("cookie", &cookie)
        .header("accept-language", "fr")
        .header("content-type", ctype)
        .body(body)
        .send()
        .unwrap();
    assert_eq!(up.status().as_u16(), 422);
    assert!(up.text().unwrap().contains("Envoyez un document PDF."));

    // The volunteer of the demo coordinates nothing: no form, and no access to reservations.
    let volunteer = b.login("camille", "demo-entraide");
    let page = b
        .client
        .get(format!("{}/resources/{tent}", b.base))
        .header("cookie", &volunteer)
        .header("accept-language", "fr")
        .send()
        .unwrap();
    assert!(page.text().unwrap().contains("Seul un ou une responsable"));
    let other = b
        .client
        .get(format!("{}/reservations/{rid}", b.base))
        .header("cookie", &volunteer)
        .send()
        .unwrap();
    assert_eq!(other.status().as_u16(), 404);
    let list = b
        .client
        .get(format!("{}/g/repair-cafe-landerneau/reservations", b.base))
        .header("cookie", &volunteer)
        .send()
        .unwrap();
    assert_eq!(list.status().as_u16(), 403);
}

fn french_month(m: u32) -> &'static str {
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ][m as usize - 1]
}
