//! The email that carries a référent's proposal ("Aidez-moi à trouver"): the missions chosen
//! for the person, each with its one-click link, in the language they asked in, queued as a
//! `notification` row for the mail worker. A person who gave only a phone is called by the
//! référent instead (no SMS from here: `docs/guide/referents.md` says why).

use crate::{
    config::Config,
    domain::help::{HelpRequest, PROPOSAL_DAYS},
    i18n::{tr_args, Arg, Lang},
    storage::NewNotification,
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
    NewNotification {
        participation_id: None,
        kind: "help_proposal".to_string(),
        channel: super::EMAIL.to_string(),
        recipient: request.email.clone(),
        subject: tr_args(lang, "mail-help_proposal_subject", &args),
        body_text: body,
        status: if config.smtp.enabled {
            "pending"
        } else {
            "skipped"
        }
        .to_string(),
        dedupe_key: format!("help_proposal:{key}"),
        delivery: None,
    }
}

/// The language a person asked in (empty: the node's).
pub fn lang_of(config: &Config, request: &HelpRequest) -> Lang {
    match request.language.as_str() {
        "" => Lang::or_reference(&config.instance.default_language),
        l => Lang::or_reference(l),
    }
}
