//! The email or the SMS that carries a référent's proposal ("Aidez-moi à trouver"): the
//! missions chosen for the person, each with its one-click link, in the language they asked
//! in, queued as a `notification` row for the mail worker or an `sms_message` row for the SMS
//! sender (`notify::sms`). A person who chose a call is called by the référent instead.

use crate::{
    config::Config,
    domain::help::{HelpRequest, PROPOSAL_DAYS},
    i18n::{tr_args, Arg, Lang},
    storage::{NewNotification, NewSms},
};

/// One mission of a proposal, as the email lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedLine {
    pub title: String,
    /// The mission's summary line (date, place, places left), in the person's language.
    pub when: String,
    pub link: String,
}

/// The proposal's email to the person; `key` makes it recorded once.
pub fn proposal_mail(
    config: &Config,
    request: &HelpRequest,
    lines: &[ProposedLine],
    key: &str,
) -> NewNotification {
    let lang = lang_of(config, request);
    let list: String = lines
        .iter()
        .map(|l| format!("- {} ({})\n  {}\n", l.title, l.when, l.link))
        .collect();
    let args = [
        ("instance", Arg::from(config.instance.name.clone())),
        ("person", Arg::from(request.name.clone())),
        ("count", Arg::from(lines.len() as i64)),
        ("days", Arg::from(PROPOSAL_DAYS)),
    ];
    let body = format!(
        "{}\n\n{}\n\n{list}\n{}\n\n{}\n",
        tr_args(lang, "mail-hello_person", &args),
        tr_args(lang, "mail-help_proposal_body", &args),
        tr_args(lang, "mail-help_proposal_how", &args),
        tr_args(lang, "mail-help_footer", &args),
    );
    super::email(
        config,
        "help_proposal",
        &request.email,
        tr_args(lang, "mail-help_proposal_subject", &args),
        body,
        format!("help_proposal:{key}"),
    )
}

/// The proposal's SMS to the person (who chose SMS), counted against the cap of `actor_id`
/// (the node's own actor); `key` makes it recorded once. Long lists take several parts.
pub fn proposal_sms(
    config: &Config,
    request: &HelpRequest,
    lines: &[ProposedLine],
    key: &str,
    actor_id: Option<i64>,
) -> NewSms {
    let lang = lang_of(config, request);
    let args = [
        ("instance", Arg::from(config.instance.name.clone())),
        ("person", Arg::from(request.name.clone())),
        ("count", Arg::from(lines.len() as i64)),
        ("days", Arg::from(PROPOSAL_DAYS)),
    ];
    let mut body = tr_args(lang, "mail-help_proposal_sms", &args);
    for l in lines {
        body.push_str(&format!("\n{} : {}", l.title, l.link));
    }
    if !config.sms.inbound_token.is_empty() {
        body.push('\n');
        body.push_str(&crate::i18n::tr(lang, "mail-sms_stop"));
    }
    let (_, parts) = crate::domain::sms::segments(&body);
    NewSms {
        actor_id,
        user_id: request.user_id,
        kind: "help_proposal".to_string(),
        recipient: request.phone.clone(),
        body,
        parts: i64::from(parts),
        dedupe_key: format!("help_proposal:{key}"),
    }
}

/// The language a person asked in (empty: the node's).
pub fn lang_of(config: &Config, request: &HelpRequest) -> Lang {
    match request.language.as_str() {
        "" => Lang::or_reference(&config.instance.default_language),
        l => Lang::or_reference(l),
    }
}
