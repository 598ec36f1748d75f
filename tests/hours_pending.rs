//! The association's "À valider" list (issue 17): however many entries wait, the page shows the
//! newest 50 and a keyset link to the older ones, and walking the links shows each entry once.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, NaiveDate};
use common::TestApp;
use entraide::{
    domain::hours::{HoursDraft, HoursStatus, Volunteer},
    storage::NewHoursEntry,
};
use std::collections::BTreeSet;

/// The ids of the entries the page offers to validate, in the order shown.
fn to_validate(html: &str) -> Vec<i64> {
    html.split("action=\"/hours/")
        .skip(1)
        .filter_map(|rest| rest.split_once("/validate\""))
        .filter_map(|(id, _)| id.parse().ok())
        .collect()
}

/// The link to the older entries, if the page has one.
fn older_link(html: &str) -> Option<String> {
    let at = html.find("rel=\"next\"")?;
    let before = &html[..at];
    let href = before.rfind("href=\"")?;
    let link = &before[href + 6..];
    Some(link[..link.find('"')?].replace("&amp;", "&"))
}

#[tokio::test]
async fn the_list_to_validate_comes_fifty_at_a_time() {
    let t = TestApp::new().await;
    let (alice, _) = t.user("alice").await;
    let asso = t.association("epicerie", "alice").await;
    let first_day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let mut made = Vec::new();
    // Two a day, so that the cursor's day is shared by two entries.
    for k in 0..120_i64 {
        let day = first_day + Duration::days(k / 2);
        let e = t
            .store()
            .create_hours_entry(
                NewHoursEntry {
                    actor_id: asso.id,
                    volunteer: Volunteer::User { user_id: alice.id },
                    draft: HoursDraft {
                        start_date: day,
                        end_date: day,
                        minutes: 60,
                        distance_km: None,
                        category: "solidarity".into(),
                        mission_id: None,
                        description: format!("Accueil {k}"),
                    },
                    status: HoursStatus::Pending,
                    slot_id: None,
                    participation_id: None,
                    ap_id: None,
                },
                Some(alice.id),
                None,
                t.now(),
            )
            .await
            .unwrap();
        made.push(e.id);
    }
    let cookie = t.web_login("alice", "a long password").await;

    let res = t.get_with("/g/epicerie/hours", "cookie", &cookie).await;
    res.expect(200);
    let html = res.html();
    let first = to_validate(&html);
    assert_eq!(first.len(), 50, "a page of 50");
    // Newest first: the last made are the first shown.
    assert_eq!(first[..2], [made[119], made[118]]);
    assert!(html.contains("<span class=\"badge\">50+</span>"), "{html}");
    assert!(
        !html.contains("Les plus récentes"),
        "no way back on the first page"
    );

    // Walking the older pages shows every entry once.
    let mut seen: Vec<i64> = first;
    let mut link = older_link(&html).expect("a link to the older entries");
    let mut pages = 1;
    loop {
        assert!(link.starts_with("/g/epicerie/hours?year="), "{link}");
        let res = t.get_with(&link, "cookie", &cookie).await;
        res.expect(200);
        let html = res.html();
        pages += 1;
        assert!(
            html.contains("Les plus récentes"),
            "a way back to the newest"
        );
        seen.extend(to_validate(&html));
        match older_link(&html) {
            Some(next) => link = next,
            None => break,
        }
    }
    assert_eq!(pages, 3, "50 + 50 + 20");
    assert_eq!(seen.len(), 120);
    let distinct: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(distinct, made.iter().copied().collect(), "each entry once");
    let mut newest_first = made.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first);

    // A cursor that is not one shows the list from its start, never an error.
    let res = t
        .get_with(
            "/g/epicerie/hours?pending=bm90LWEtY3Vyc29y",
            "cookie",
            &cookie,
        )
        .await;
    res.expect(200);
    assert_eq!(to_validate(&res.html())[0], made[119]);
}
