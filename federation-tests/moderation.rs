//! Moderation between two real nodes (issue 18): B's relay follows A's; bob (B's
//! administrator) reports a mission of A and forwards the report, which reaches A as a `Flag`
//! in its reports; then bob blocks A's host from the command line, and A's next deliveries are
//! refused by B's inbox.

use super::{mission_body, remote_mission};
use crate::support::{eventually, Api, Neighbours};
use serde_json::json;

#[test]
fn a_report_is_forwarded_as_a_flag_and_a_blocked_host_is_refused() {
    let api = Api::default();
    let (a, b, token_a) = Neighbours::relays(&api, "epicerie");
    let token_b = b.user_with_token("bob");
    let create = |title: &str| {
        let (status, created) = api.send(
            "POST",
            &a.url("/api/v1/associations/epicerie/missions"),
            Some(&token_a),
            Some(&mission_body(title)),
        );
        assert_eq!(status, 201, "{created}");
        created["ap_id"].as_str().expect("ap_id").to_string()
    };
    let first = create("Vente de crédits");
    eventually(20, "the mission reaches B", || {
        remote_mission(&api, &b, &first)
    });

    // bob reports it on B, then forwards the report to A.
    let (status, report) = api.send(
        "POST",
        &b.url("/api/v1/reports"),
        Some(&token_b),
        Some(&json!({"kind": "mission", "target": first, "comment": "Ce n'est pas du bénévolat."})),
    );
    assert_eq!(status, 201, "{report}");
    let forward = format!("/api/v1/admin/moderation/reports/{}/forward", report["id"]);
    let (status, v) = api.send("POST", &b.url(&forward), Some(&token_b), None);
    assert_eq!(status, 200, "{v}");
    let received = eventually(20, "A lists the Flag among its reports", || {
        let (_, v) = api.get(&a.url("/api/v1/admin/moderation/reports"), Some(&token_a));
        v["reports"].as_array()?.first().cloned()
    });
    assert_eq!(received["origin"], "remote");
    assert_eq!(received["kind"], "mission");
    assert_eq!(received["target"], first.as_str());
    assert_eq!(
        received["reporter"],
        b.url("/relay").as_str(),
        "the instance actor"
    );
    assert_eq!(received["comment"], "Ce n'est pas du bénévolat.");

    // bob blocks A's host from the console; the running B applies it within seconds.
    let out = b.cli(&["admin", "block", &a.host(), "--reason", "spam"], None);
    assert!(out.contains(&format!("block {}", a.host())), "{out}");
    assert!(
        remote_mission(&api, &b, &first).is_none(),
        "its cached mission is hidden"
    );
    std::thread::sleep(std::time::Duration::from_secs(6));
    let second = create("Encore des crédits");
    eventually(
        30,
        "B's inbox refuses A's delivery, and A gives it up",
        || {
            let refused = b.log().contains("is blocked on this server");
            let given_up = a
                .log()
                .contains("delivery refused by the receiver: given up");
            (refused && given_up).then_some(())
        },
    );
    assert!(remote_mission(&api, &b, &second).is_none());
}
