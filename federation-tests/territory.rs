//! The territory's dashboard with real processes: two nodes publish their yearly figures
//! (`[statistics] publish`), a third does not; the aggregator walks them, fetches their
//! figures, and `/api/v1/territory` sums both and names the one that does not publish.

use crate::aggregator::{aggregator, create_mission, node_with_association};
use crate::support::{eventually, Api, Db, Node};
use chrono::Datelike;
use serde_json::{json, Value};

fn publishing(name: &str) -> Node {
    let mut node = Node::new(name, Db::Sqlite);
    node.extra_env
        .push(("ENTRAIDE__STATISTICS__PUBLISH".into(), "true".into()));
    node
}

#[test]
fn the_aggregator_sums_the_nodes_that_publish() {
    let api = Api::default();
    let mut a = publishing("terr-a");
    let mut b = publishing("terr-b");
    let mut c = Node::new("terr-c", Db::Sqlite);
    let token_a = node_with_association(&mut a);
    let token_b = node_with_association(&mut b);
    node_with_association(&mut c);
    let mut agg = aggregator("terr-agg", Db::Sqlite);
    agg.start();
    let admin = agg.user_with_token("gwen");

    create_mission(&api, &a, &token_a, "Collecte de A");
    create_mission(&api, &a, &token_a, "Maraude de A");
    create_mission(&api, &b, &token_b, "Atelier de B");
    // The year of the missions' publication, as the nodes count it (their clock is the real one).
    let year = chrono::Utc::now().year();
    let (status, own) = api.get(&a.url(&format!("/api/v1/statistics?year={year}")), None);
    assert_eq!(status, 200, "{own}");
    let (status, refused) = api.get(&c.url(&format!("/api/v1/statistics?year={year}")), None);
    assert_eq!(status, 404, "{refused}");

    for node in [&a, &b, &c] {
        let (status, v) = api.send(
            "POST",
            &agg.url("/api/v1/admin/sources"),
            Some(&admin),
            Some(&json!({"target": node.base})),
        );
        assert_eq!(status, 201, "{v}");
    }
    let territory: Value = eventually(120, "the figures of A and B reach the aggregator", || {
        let (status, v) = api.get(&agg.url(&format!("/api/v1/territory?year={year}")), None);
        assert_eq!(status, 200, "{v}");
        let states: Vec<&str> = v["sources"]
            .as_array()?
            .iter()
            .filter_map(|s| s["state"].as_str())
            .collect();
        (states == ["published", "published", "not_published"]).then_some(v.clone())
    });
    assert_eq!(territory["total"]["missions_published"], 3, "{territory}");
    assert_eq!(territory["communes"][0]["insee"], "29019", "{territory}");
    assert_eq!(territory["communes"][0]["commune"], "Brest");
    let (status, page) = api.get(&agg.url(&format!("/territory?year={year}")), None);
    assert_eq!(status, 200, "{page}");
}
