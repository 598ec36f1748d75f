//! The equipment search at size (issue 17): a page at a time by name, walked by cursor through
//! the API and the web page's "next" link, the resources read in chunks from the cursor on,
//! so every matching resource is met once, whatever the number of resources.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::TestApp;
use entraide::{
    domain::resource::{Approval, ResourceDraft},
    service::resources::{SEARCH_CHUNK, SEARCH_PAGE},
    storage::NewReservation,
};
use std::collections::BTreeMap;

/// A node whose API answers as many calls as a test makes.
async fn busy_node() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.server.api_requests_per_minute = 100_000;
    TestApp::with_config(config, dir).await
}

/// A resource of `owner` named `name`, one item, lent at once; its id.
async fn resource(t: &TestApp, owner: i64, name: &str, category: &str) -> i64 {
    let draft = ResourceDraft {
        name: name.into(),
        description: "Prêt aux associations".into(),
        category: category.into(),
        place: "Brest".into(),
        quantity: 1,
        max_days: 30,
        approval: Approval::Automatic,
        ..ResourceDraft::default()
    };
    let ap_id = format!("https://entraide.test/r/{}", uuid::Uuid::new_v4());
    t.store()
        .create_resource(owner, &ap_id, &draft, t.now())
        .await
        .unwrap()
        .id
}

/// Walks the API's search from `query` by cursor: the names met, and how many pages.
async fn walk_api(t: &TestApp, query: &str) -> (Vec<String>, usize) {
    let base = format!("/api/v1/resources?{query}");
    let (mut seen, mut pages, mut path) = (Vec::new(), 0, base.clone());
    loop {
        let res = t.get(&path).await;
        res.expect(200);
        let body = res.json();
        let list = body["resources"].as_array().unwrap();
        pages += 1;
        seen.extend(list.iter().map(|r| r["name"].as_str().unwrap().to_string()));
        match body["next"].as_str() {
            Some(c) => path = format!("{base}&cursor={c}"),
            None => break,
        }
        assert!(pages < 100, "a walk that does not end");
    }
    (seen, pages)
}

/// Walks the web page from `path` by its "next" links: the titles of the cards met.
async fn walk_web(t: &TestApp, path: &str) -> (Vec<String>, Vec<String>) {
    let (mut seen, mut links, mut path) = (Vec::new(), Vec::new(), path.to_string());
    loop {
        let res = t.get(&path).await;
        res.expect(200);
        let html = res.text();
        for part in html.split("<h3><a href=\"/resources/").skip(1) {
            let name = &part[part.find('>').unwrap() + 1..part.find("</a>").unwrap()];
            seen.push(name.to_string());
        }
        let Some(at) = html.find("rel=\"next\"") else {
            break;
        };
        let before = &html[..at];
        let href = &before[before.rfind("href=\"").unwrap() + 6..];
        path = href[..href.find('"').unwrap()]
            .replace("&#x2f;", "/")
            .replace("&amp;", "&");
        links.push(path.clone());
        assert!(links.len() < 100, "a walk that does not end");
    }
    (seen, links)
}

fn once_each(seen: &[String]) -> BTreeMap<&str, usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in seen {
        *counts.entry(n).or_default() += 1;
    }
    assert!(counts.values().all(|n| *n == 1), "{seen:?}");
    counts
}

#[tokio::test]
async fn the_search_walks_every_matching_resource_once_by_cursor() {
    let t = busy_node().await;
    t.user("alice").await;
    let materiel = t.association("materiel", "alice").await;
    let jardin = t.association("jardin", "alice").await;
    // More than a chunk of resources of two owners, a chair in three, names out of order.
    let n = SEARCH_CHUNK + 60;
    let mut chairs = Vec::new();
    for i in (0..n).rev() {
        let owner = if i % 2 == 0 { materiel.id } else { jardin.id };
        if i % 3 == 0 {
            let name = format!("Chaise {i:03}");
            resource(&t, owner, &name, "furniture").await;
            chairs.push(name);
        } else {
            resource(&t, owner, &format!("Tente {i:03}"), "tent").await;
        }
    }
    chairs.sort();
    // All of them, a page of 50 at a time by name, then id.
    let (all, pages) = walk_api(&t, "").await;
    assert_eq!(all.len() as i64, n);
    once_each(&all);
    assert!(all.windows(2).all(|w| w[0] <= w[1]), "{all:?}");
    assert_eq!(pages as i64, (n + SEARCH_PAGE - 1) / SEARCH_PAGE);
    let first = t.get("/api/v1/resources").await.json();
    assert_eq!(
        first["resources"].as_array().unwrap().len() as i64,
        SEARCH_PAGE
    );
    // A category, by pages of 7: every chair once, nothing else.
    let (found, pages) = walk_api(&t, "category=furniture&limit=7").await;
    assert_eq!(found, chairs);
    assert!(pages > chairs.len() / 7, "{pages}");
    // Words: the chairs with a 5 in their number, across the chunks.
    let (fives, _) = walk_api(&t, "q=chaise%205&limit=4").await;
    let wanted: Vec<&String> = chairs.iter().filter(|c| c[7..].contains('5')).collect();
    assert_eq!(fives.iter().collect::<Vec<_>>(), wanted);
    // A bad cursor is refused; a limit past the most is the most.
    t.get("/api/v1/resources?cursor=%25%25").await.expect(400);
    let most = t.get("/api/v1/resources?limit=5000").await.json();
    assert_eq!(most["resources"].as_array().unwrap().len(), 200);

    // The web page: a page of 50, a "next" link keeping the filters, every chair once.
    let (cards, links) = walk_web(&t, "/resources?category=furniture&q=chaise").await;
    assert_eq!(cards, chairs);
    assert_eq!(links.len() as i64, (chairs.len() as i64 - 1) / SEARCH_PAGE);
    assert!(links
        .iter()
        .all(|l| l.contains("category=furniture") && l.contains("q=chaise")));
    let en = t.get("/resources?lang=en").await.text();
    assert!(en.contains(">Next</a>"), "{en}");
    let fr = t.get("/resources").await.text();
    assert!(fr.contains(">Suivants</a>"));
    assert!(!fr.contains("Depuis le début"));
    // A later page links back to the first, with the filters.
    let later = t.get(&links[0]).await.text();
    assert!(
        later.contains(
            r#"href="&#x2f;resources?q=chaise&amp;category=furniture">Depuis le début</a>"#
        ),
        "{later}"
    );
}

/// `epicerie` borrows the only item of `resource` over `[start, end)`.
async fn book(t: &TestApp, resource: i64, borrower: i64, start: DateTime<Utc>, end: DateTime<Utc>) {
    let loan = NewReservation {
        resource_id: resource,
        offer_id: format!("https://entraide.test/offers/{}", uuid::Uuid::new_v4()),
        borrower_actor_id: Some(borrower),
        quantity: 1,
        start,
        end,
        automatic: true,
        agreement_id: None,
    };
    t.store().reserve(loan, t.now()).await.unwrap();
}

#[tokio::test]
async fn a_search_over_a_period_skips_what_is_booked_across_a_chunk_boundary() {
    let t = busy_node().await;
    t.user("alice").await;
    let materiel = t.association("materiel", "alice").await;
    let epicerie = t.association("epicerie", "alice").await;
    let day = (t.now() + Duration::days(10)).date_naive();
    let at = |h: u32| day.and_hms_opt(h, 0, 0).unwrap().and_utc();
    let n = SEARCH_CHUNK + 30;
    let mut free = Vec::new();
    for i in 0..n {
        let name = format!("Table {i:03}");
        let id = resource(&t, materiel.id, &name, "furniture").await;
        // Those around the end of the first chunk are booked all that day, and a few others.
        if (SEARCH_CHUNK - 40..SEARCH_CHUNK + 10).contains(&i) || i % 37 == 0 {
            book(&t, id, epicerie.id, at(8), at(18)).await;
        } else {
            free.push(name);
        }
    }
    let period = format!(
        "start={}&end={}",
        at(10).to_rfc3339().replace('+', "%2B"),
        at(12).to_rfc3339().replace('+', "%2B")
    );
    for limit in [SEARCH_PAGE, 30, 200] {
        let (found, _) = walk_api(&t, &format!("{period}&limit={limit}")).await;
        once_each(&found);
        assert_eq!(found, free, "limit {limit}");
    }
    // Booked the day before only: all of them are free that day.
    let before = format!(
        "start={}&end={}",
        (at(10) - Duration::days(2))
            .to_rfc3339()
            .replace('+', "%2B"),
        (at(12) - Duration::days(2))
            .to_rfc3339()
            .replace('+', "%2B")
    );
    let (found, _) = walk_api(&t, &before).await;
    assert_eq!(found.len() as i64, n);
    // The web page over that day, by its links: the same tables.
    let (cards, _) = walk_web(
        &t,
        &format!("/resources?from={day}&to={day}&category=furniture"),
    )
    .await;
    assert_eq!(cards, free);
}

#[tokio::test]
async fn a_rare_match_among_many_resources_comes_on_a_later_page() {
    use entraide::service::resources::SEARCH_EXAMINED;
    let t = busy_node().await;
    t.user("alice").await;
    let materiel = t.association("materiel", "alice").await;
    // More resources than a page examines, the one sought named last.
    for i in 0..SEARCH_EXAMINED + 10 {
        resource(&t, materiel.id, &format!("Chaise {i:05}"), "furniture").await;
    }
    resource(&t, materiel.id, "Zodiac", "vehicle").await;
    // The first page examined as many as it may: nothing found yet, and a `next`.
    let first = t.get("/api/v1/resources?q=zodiac").await.json();
    assert!(first["resources"].as_array().unwrap().is_empty());
    assert!(first["next"].is_string(), "{first}");
    let (found, pages) = walk_api(&t, "q=zodiac").await;
    assert_eq!((found, pages), (vec!["Zodiac".to_string()], 2));
    // The category is in the statement: found on the first page.
    let (found, pages) = walk_api(&t, "category=vehicle").await;
    assert_eq!((found, pages), (vec!["Zodiac".to_string()], 1));
    // The web page says the search goes on, and its link finds it.
    let page = t.get("/resources?q=zodiac").await.text();
    assert!(page.contains("la recherche continue"), "{page}");
    let (cards, links) = walk_web(&t, "/resources?q=zodiac").await;
    assert_eq!((cards, links.len()), (vec!["Zodiac".to_string()], 1));
}
