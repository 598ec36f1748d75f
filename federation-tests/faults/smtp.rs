//! The mail server goes down, then comes back: the emails the node owed meanwhile go out once
//! it answers again, each exactly once, and the ones sent before are not sent again.

use super::{guest, smtp_sink::SmtpSink};
use crate::{
    participation::mission_with_slot,
    support::{eventually, sql::number, Api, Db, Node},
};
use std::collections::HashMap;

#[test]
fn smtp_down_then_back_sends_each_email_once() {
    let mut sink = SmtpSink::start();
    let api = Api::default();
    let mut node = Node::new("mailer", Db::Sqlite);
    for (key, value) in [
        ("ENABLED", "true".to_string()),
        ("HOST", "127.0.0.1".to_string()),
        ("PORT", sink.port.to_string()),
        ("SECURITY", "none".to_string()),
        ("FROM", "Entraide <entraide@example.test>".to_string()),
        ("TIMEOUT_SECONDS", "3".to_string()),
        ("RETRY_BASE_SECONDS", "1".to_string()),
    ] {
        node.extra_env
            .push((format!("ENTRAIDE__SMTP__{key}"), value));
    }
    node.start();
    let token = node.user_with_token("alice");
    node.association("asso", "alice");
    let (_, slot) = mission_with_slot(&api, &node, &token, "asso", 20, "free");
    let sign_up = |n: usize| {
        let url = node.url(&format!("/api/v1/slots/{}/guests", slot["id"]));
        let (status, v) = api.send("POST", &url, Some(&token), Some(&guest(n)));
        assert_eq!(status, 201, "{v}");
    };
    let received = |sink: &SmtpSink| -> HashMap<String, usize> {
        let mut by = HashMap::new();
        for m in sink.mails() {
            *by.entry(m.rcpt.trim().to_string()).or_default() += 1;
        }
        by
    };

    // Up: two guests, two emails.
    sign_up(0);
    sign_up(1);
    eventually(20, "the first two emails", || {
        (received(&sink).len() == 2).then_some(())
    });

    // Down: three more guests; their emails wait, with the error recorded and a later attempt.
    sink.down();
    for n in 2..5 {
        sign_up(n);
    }
    let url = node.database_url();
    eventually(20, "the node tried and failed", || {
        let failed = number(
            &url,
            "SELECT count(*) FROM notification WHERE channel = 'email' AND status = 'pending' \
             AND attempts >= 1 AND last_error IS NOT NULL",
        );
        (failed == 3).then_some(())
    });
    let (status, _) = api.get(&node.url("/health/live"), None);
    assert_eq!(status, 200, "the node keeps serving");

    // Back: every email owed goes out, once; nothing sent before goes again.
    sink.up();
    eventually(40, "all five guests have their email", || {
        (received(&sink).len() == 5).then_some(())
    });
    eventually(10, "every notice is marked sent", || {
        let sent = number(
            &url,
            "SELECT count(*) FROM notification WHERE channel = 'email' AND status = 'sent'",
        );
        (sent == 5).then_some(())
    });
    // A little longer: no second copy comes.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let got = received(&sink);
    assert_eq!(got.len(), 5, "{got:?}");
    for n in 0..5 {
        assert_eq!(
            got.get(&format!("invite{n}@example.test")),
            Some(&1),
            "{got:?}"
        );
    }
}
