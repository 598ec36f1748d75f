//! Text messages (`SmsStore`): a number with its code and consent, STOP by account and by
//! number, the daily cap (refusing a coordinator's message whole, capping reminders one by
//! one), each SMS recorded once, the queue's leases and retries, a message's log.

use crate::fixtures::*;
use entraide::domain::{
    help::{Channel, HelpDraft},
    volunteer::Profile,
};
use entraide::storage::{
    NewMassMessage, NewNotification, NewSms, Recorded, SmsBatch, SmsFailure, StopBy, Store,
};

on_both_backends!(
    phone_consent_and_stop,
    daily_cap_and_once,
    queue_leases_and_retries,
    message_log_lists_every_channel
);

fn one_sms(actor_id: Option<i64>, user_id: i64, number: &str, key: &str, parts: i64) -> NewSms {
    NewSms {
        actor_id,
        user_id: Some(user_id),
        kind: if actor_id.is_some() {
            "message"
        } else {
            "code"
        }
        .into(),
        recipient: number.into(),
        body: format!("text {key}"),
        parts,
        dedupe_key: key.into(),
    }
}

fn batch(sms: Vec<NewSms>, all_or_nothing: bool, message: Option<&str>) -> SmsBatch {
    SmsBatch {
        message: None,
        notices: Vec::new(),
        sms,
        day_start: t(0),
        default_cap: 5,
        all_or_nothing,
    }
    .with_message(message)
}

trait WithMessage {
    fn with_message(self, key: Option<&str>) -> Self;
}

impl WithMessage for SmsBatch {
    fn with_message(mut self, key: Option<&str>) -> Self {
        self.message = key.map(|k| NewMassMessage {
            actor_id: self.sms.first().and_then(|s| s.actor_id).unwrap_or(1),
            author_id: self.sms.first().and_then(|s| s.user_id).unwrap_or(1),
            scope: "association".into(),
            scope_id: 1,
            body: "Bonjour".into(),
            request_key: k.into(),
        });
        self
    }
}

async fn phone_consent_and_stop(s: &dyn Store) {
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let g = group(s, "epicerie", Some(alice.id)).await;
    assert_eq!(s.phone_contact(alice.id).await.unwrap(), None);
    let code = one_sms(None, alice.id, "+33612345678", "code:1", 1);
    s.set_phone(alice.id, "+33612345678", "h1", t(30), code.clone(), t(0))
        .await
        .unwrap();
    let c = s.phone_contact(alice.id).await.unwrap().unwrap();
    assert_eq!(
        (
            c.number.as_str(),
            c.code_hash.as_deref(),
            c.code_expires_at,
            c.confirmed_at
        ),
        ("+33612345678", Some("h1"), Some(t(30)), None)
    );
    assert_eq!(
        s.sms_to("+33612345678", 10).await.unwrap().len(),
        1,
        "the code is queued"
    );
    // Choices wait for a confirmed number in the service; the store records them anyway.
    s.record_code_outcome(alice.id, false, t(1)).await.unwrap();
    assert_eq!(
        s.phone_contact(alice.id).await.unwrap().unwrap().code_tries,
        1
    );
    s.record_code_outcome(alice.id, true, t(2)).await.unwrap();
    let c = s.phone_contact(alice.id).await.unwrap().unwrap();
    assert_eq!(
        (c.confirmed_at, c.code_hash.clone(), c.code_tries),
        (Some(t(2)), None, 0)
    );
    assert!(s
        .set_phone_choices(alice.id, true, true, t(3))
        .await
        .unwrap());
    assert!(
        !s.set_phone_choices(bob.id, true, true, t(3)).await.unwrap(),
        "no number"
    );
    assert!(s.record_code_outcome(bob.id, true, t(3)).await.is_err());
    // The same number again keeps confirmation and choices; another one loses both.
    s.set_phone(
        alice.id,
        "+33612345678",
        "h2",
        t(40),
        one_sms(None, alice.id, "+33612345678", "code:2", 1),
        t(4),
    )
    .await
    .unwrap();
    let c = s.phone_contact(alice.id).await.unwrap().unwrap();
    assert_eq!(
        (c.confirmed_at, c.messages, c.reminders),
        (Some(t(2)), true, true)
    );
    s.set_phone(
        bob.id,
        "+33612345678",
        "h3",
        t(40),
        one_sms(None, bob.id, "+33612345678", "code:3", 1),
        t(4),
    )
    .await
    .unwrap();
    s.record_code_outcome(bob.id, true, t(5)).await.unwrap();
    s.set_phone_choices(bob.id, true, false, t(5))
        .await
        .unwrap();
    let both = s.phone_contacts(&[alice.id, bob.id, 999]).await.unwrap();
    assert_eq!(
        both.iter().map(|c| c.user_id).collect::<Vec<_>>(),
        vec![alice.id, bob.id]
    );
    // A message waits; STOP by number stops both accounts and the waiting message, not codes.
    let queued = s
        .record_sms_batch(
            batch(
                vec![one_sms(Some(g.id), alice.id, "+33612345678", "m:1", 1)],
                true,
                None,
            ),
            t(6),
        )
        .await
        .unwrap();
    assert!(matches!(queued, Recorded::Done { sms: 1, .. }));
    assert_eq!(
        s.stop_phone(StopBy::Number("+33612345678"), t(7))
            .await
            .unwrap(),
        2
    );
    for id in [alice.id, bob.id] {
        let c = s.phone_contact(id).await.unwrap().unwrap();
        assert_eq!(
            (c.messages, c.reminders, c.stopped_at),
            (false, false, Some(t(7)))
        );
    }
    let statuses: Vec<(String, String)> = s
        .sms_to("+33612345678", 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.dedupe_key, m.status))
        .collect();
    assert!(
        statuses.contains(&("m:1".into(), "stopped".into())),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("code:1".into(), "pending".into())),
        "{statuses:?}"
    );
    // Choosing again clears the STOP; STOP from the profile stops that account alone.
    s.set_phone_choices(alice.id, true, false, t(8))
        .await
        .unwrap();
    assert_eq!(
        s.phone_contact(alice.id).await.unwrap().unwrap().stopped_at,
        None
    );
    assert_eq!(s.stop_phone(StopBy::User(alice.id), t(9)).await.unwrap(), 1);
    assert_eq!(
        s.stop_phone(StopBy::Number("+33700000000"), t(9))
            .await
            .unwrap(),
        0
    );

    // A STOP from a number that asked for help by SMS, without an account: its request goes
    // back to a call and the proposal waiting for it is not sent.
    let asked = HelpDraft {
        name: "Maryvonne".into(),
        wishes: "épicerie".into(),
        wish: Profile {
            home_town: "Brest (29)".into(),
            ..Default::default()
        },
        phone: "06 98 76 54 32".into(),
        channel: "sms".into(),
        consent: true,
        ..Default::default()
    }
    .check()
    .unwrap();
    let r = s.create_help_request(&asked, None, t(10)).await.unwrap();
    assert_eq!(
        (r.channel, r.phone.as_str()),
        (Channel::Sms, "+33698765432")
    );
    let mut proposal = one_sms(Some(g.id), bob.id, "+33698765432", "help_proposal:x", 1);
    (proposal.user_id, proposal.actor_id) = (None, None);
    proposal.kind = "help_proposal".into();
    s.record_sms_batch(batch(vec![proposal], false, None), t(10))
        .await
        .unwrap();
    assert_eq!(
        s.stop_phone(StopBy::Number("+33698765432"), t(11))
            .await
            .unwrap(),
        0,
        "no account"
    );
    let r = s.get_help_request(r.id).await.unwrap().unwrap();
    assert_eq!(r.channel, Channel::Phone);
    let waiting = s.sms_to("+33698765432", 10).await.unwrap();
    assert_eq!(waiting[0].status, "stopped");
}

async fn daily_cap_and_once(s: &dyn Store) {
    let alice = user(s, "alice").await;
    let g = group(s, "epicerie", Some(alice.id)).await;
    let m = |key: &str, parts| one_sms(Some(g.id), alice.id, "+33612345678", key, parts);
    assert_eq!(s.sms_allowance(g.id, t(0), 5).await.unwrap(), (5, 0));
    // 3 parts fit the cap of 5; sent again under the same request key: nothing more.
    let first = s
        .record_sms_batch(batch(vec![m("a", 3)], true, Some("rk1")), t(1))
        .await
        .unwrap();
    let Recorded::Done {
        message_id: Some(id),
        sms: 1,
        ..
    } = first
    else {
        panic!("{first:?}")
    };
    let again = s
        .record_sms_batch(batch(vec![m("a", 3)], true, Some("rk1")), t(2))
        .await
        .unwrap();
    assert_eq!(
        again,
        Recorded::Done {
            message_id: Some(id),
            sms: 0,
            notices: 0
        }
    );
    assert_eq!(s.sms_allowance(g.id, t(0), 5).await.unwrap(), (5, 3));
    // 3 more do not: a message is refused whole, nothing recorded.
    let over = s
        .record_sms_batch(batch(vec![m("b", 3)], true, Some("rk2")), t(3))
        .await
        .unwrap();
    assert_eq!(over, Recorded::OverCap { left: 2 });
    assert!(s.message_log(id + 1).await.unwrap().is_none());
    // Reminders: those that fit go, the rest are kept as capped; a known key is skipped.
    let reminders = s
        .record_sms_batch(
            batch(
                vec![m("r1", 1), m("r2", 1), m("r3", 1), m("a", 1)],
                false,
                None,
            ),
            t(4),
        )
        .await
        .unwrap();
    assert_eq!(
        reminders,
        Recorded::Done {
            message_id: None,
            sms: 2,
            notices: 0
        }
    );
    let capped: Vec<_> = s
        .sms_to("+33612345678", 10)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.status == "capped")
        .map(|m| m.dedupe_key)
        .collect();
    assert_eq!(capped, vec!["r3".to_string()]);
    // The administrator raises the cap; a new day starts from zero.
    s.set_sms_cap(g.id, Some(10)).await.unwrap();
    assert_eq!(s.sms_allowance(g.id, t(0), 5).await.unwrap(), (10, 5));
    assert_eq!(s.sms_allowance(g.id, t(60), 5).await.unwrap(), (10, 0));
    s.set_sms_cap(g.id, None).await.unwrap();
    assert_eq!(s.sms_allowance(g.id, t(0), 5).await.unwrap(), (5, 5));
}

async fn queue_leases_and_retries(s: &dyn Store) {
    let alice = user(s, "alice").await;
    let g = group(s, "epicerie", Some(alice.id)).await;
    let sms: Vec<NewSms> = ["a", "b", "c"]
        .iter()
        .map(|k| one_sms(Some(g.id), alice.id, "+33612345678", k, 1))
        .collect();
    s.record_sms_batch(batch(sms, true, None), t(0))
        .await
        .unwrap();
    let claimed = s.claim_sms(2, t(1), t(5)).await.unwrap();
    assert_eq!(
        claimed
            .iter()
            .map(|m| m.dedupe_key.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    // Leased: another claim before the lease ends gets only the third.
    let other = s.claim_sms(10, t(2), t(6)).await.unwrap();
    assert_eq!(
        other
            .iter()
            .map(|m| m.dedupe_key.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );
    s.mark_sms_sent(claimed[0].id, t(2)).await.unwrap();
    s.mark_sms_failed(
        claimed[1].id,
        "gateway answered 500",
        SmsFailure::Retry(t(10)),
    )
    .await
    .unwrap();
    s.mark_sms_failed(other[0].id, "gateway answered 400", SmsFailure::Refused)
        .await
        .unwrap();
    assert!(
        s.claim_sms(10, t(9), t(20)).await.unwrap().is_empty(),
        "not due yet"
    );
    let retry = s.claim_sms(10, t(10), t(20)).await.unwrap();
    assert_eq!(retry.len(), 1);
    assert_eq!(
        (retry[0].attempts, retry[0].last_error.as_deref()),
        (1, Some("gateway answered 500"))
    );
    s.mark_sms_failed(retry[0].id, "gateway answered 503", SmsFailure::GiveUp)
        .await
        .unwrap();
    // A killed process's lease runs out: the row is taken again (none here: all finished).
    assert!(s.claim_sms(10, t(30), t(40)).await.unwrap().is_empty());
    let all: Vec<(String, String, i64)> = s
        .sms_to("+33612345678", 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.dedupe_key, m.status, m.attempts))
        .collect();
    assert_eq!(
        all,
        vec![
            ("a".into(), "sent".into(), 1),
            ("b".into(), "failed".into(), 2),
            ("c".into(), "refused".into(), 1)
        ]
    );
    // A lease that ran out is claimed again.
    s.record_sms_batch(
        batch(
            vec![one_sms(Some(g.id), alice.id, "+33612345678", "d", 1)],
            true,
            None,
        ),
        t(31),
    )
    .await
    .unwrap();
    assert_eq!(s.claim_sms(10, t(31), t(32)).await.unwrap().len(), 1);
    assert!(s.claim_sms(10, t(31), t(33)).await.unwrap().is_empty());
    assert_eq!(s.claim_sms(10, t(33), t(34)).await.unwrap().len(), 1);
}

async fn message_log_lists_every_channel(s: &dyn Store) {
    let alice = user(s, "alice").await;
    let g = group(s, "epicerie", Some(alice.id)).await;
    let notice = |channel: &str, recipient: &str| NewNotification {
        participation_id: None,
        kind: "mass_message".into(),
        channel: channel.into(),
        recipient: recipient.into(),
        subject: "Message".into(),
        body_text: "Bonjour".into(),
        status: "pending".into(),
        dedupe_key: format!("{}{channel}:u1", entraide::storage::notice_prefix("rk")),
        delivery: None,
    };
    let mut b = batch(
        vec![one_sms(
            Some(g.id),
            alice.id,
            "+33612345678",
            "mass:rk:sms:u1",
            1,
        )],
        true,
        Some("rk"),
    );
    b.notices = vec![notice("email", "alice@example.org")];
    let Recorded::Done {
        message_id: Some(id),
        sms: 1,
        notices: 1,
    } = s.record_sms_batch(b, t(1)).await.unwrap()
    else {
        panic!("not recorded")
    };
    // Another message's notice is not in this log.
    let mut other = batch(Vec::new(), true, Some("rk2"));
    if let Some(m) = other.message.as_mut() {
        m.actor_id = g.id;
        m.author_id = alice.id;
    }
    other.notices = vec![NewNotification {
        dedupe_key: "mass:rk2:email:u1".into(),
        ..notice("email", "alice@example.org")
    }];
    s.record_sms_batch(other, t(1)).await.unwrap();
    let (m, lines) = s.message_log(id).await.unwrap().unwrap();
    assert_eq!(
        (m.actor_id, m.request_key.as_str(), m.body.as_str()),
        (g.id, "rk", "Bonjour")
    );
    let seen: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| (l.channel.as_str(), l.recipient.as_str(), l.status.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("email", "alice@example.org", "pending"),
            ("sms", "+33612345678", "pending")
        ]
    );
    assert!(s.message_log(id + 100).await.unwrap().is_none());
}
