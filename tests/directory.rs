//! The directory of the node's associations (issue 17: the home page reads a page of names,
//! not every association): the home page names the first 24 and links to `/associations`,
//! which walks them all by name, 100 a page, each once, in French and English.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestApp;
use entraide::domain::actor::{ActorKind, NewLocalActor};

/// `n` associations named `asso000`, `asso001`…, shown as "Association 0"….
async fn associations(t: &TestApp, n: usize) {
    for i in 0..n {
        let name = format!("asso{i:03}");
        t.store()
            .create_local_actor(
                NewLocalActor {
                    kind: ActorKind::Group,
                    name: name.clone(),
                    display_name: format!("Association {i}"),
                    summary: String::new(),
                    // Not used by these pages; a real key costs a second each in a debug build.
                    public_key_pem: "public".into(),
                    private_key_pem: "private".into(),
                    user_id: None,
                },
                &format!("https://entraide.test/g/{name}"),
                "entraide.test",
                None,
                t.now(),
            )
            .await
            .unwrap();
    }
}

/// The association links of a page, in order.
fn listed(html: &str) -> Vec<String> {
    html.match_indices("href=\"/g/")
        .map(|(i, _)| {
            let rest = &html[i + 9..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn the_home_page_names_a_few_and_the_directory_walks_them_all() {
    let t = TestApp::new().await;
    associations(&t, 130).await;

    let home = t.get("/").await.expect(200).text();
    let names = listed(&home);
    assert_eq!(names.len(), 24, "{names:?}");
    assert_eq!(names[0], "asso000");
    assert!(home.contains("href=\"/associations\""), "{home}");

    // Page one: 100 names, the count, a link to the next page after the last name.
    let first = t.get("/associations").await.expect(200).text();
    assert!(
        first.contains("130 associations sont inscrites ici."),
        "{first}"
    );
    let page1 = listed(&first);
    assert_eq!(page1.len(), 100);
    assert!(
        // (minijinja writes the slash as &#x2f;, which browsers read as one.)
        first.contains("associations?after=asso099\" rel=\"next\""),
        "{first}"
    );
    // Page two: the other 30, no next page; together every association once, by name.
    let second = t
        .get("/associations?after=asso099")
        .await
        .expect(200)
        .text();
    let page2 = listed(&second);
    assert_eq!(page2.len(), 30);
    assert!(!second.contains("rel=\"next\""), "{second}");
    let all: Vec<String> = page1.into_iter().chain(page2).collect();
    let expected: Vec<String> = (0..130).map(|i| format!("asso{i:03}")).collect();
    assert_eq!(all, expected);
    // Past the end: said so, with a way back.
    let end = t.get("/associations?after=zzz").await.expect(200).text();
    assert!(listed(&end).is_empty());
    assert!(end.contains("après celles-ci."), "{end}");
    assert!(
        end.contains("<a href=\"/associations\">Revenir au début</a>"),
        "{end}"
    );
    // A query that cannot be read starts over.
    let odd = t.get("/associations?after=a&after=b").await;
    assert_eq!(odd.status, 303, "{}", odd.text());

    // In English.
    let en = t.get("/associations?lang=en").await.expect(200).text();
    assert!(en.contains("130 associations are signed up here."), "{en}");
}

#[tokio::test]
async fn a_node_with_few_associations_lists_them_all_on_the_home_page() {
    let t = TestApp::new().await;
    associations(&t, 3).await;
    let home = t.get("/").await.expect(200).text();
    assert_eq!(listed(&home), ["asso000", "asso001", "asso002"]);
    assert!(!home.contains("href=\"/associations\""));
    let dir = t.get("/associations").await.expect(200).text();
    assert!(dir.contains("3 associations sont inscrites ici."), "{dir}");
    assert!(!dir.contains("rel=\"next\""));
}
