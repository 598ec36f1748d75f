//! Each notice composed in its reader's language from the catalogue (`locales/*/notify.ftl`):
//! a subject and a plain-text body for email, and the same as HTML for a direct message on the
//! fediverse. Pure functions: no store, no I/O.

use crate::domain::slot::Refusal;
use crate::i18n::{tr, tr_args, Arg, Lang};

/// What happened to someone's sign-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Asked, waiting for a coordinator.
    Pending,
    Confirmed,
    /// Refused (with the reason, when there is one).
    Refused,
    /// The person withdrew.
    Withdrawn,
    /// The association cancelled the slot: the sign-up is cancelled with it.
    SlotCancelled,
    /// The slot's times changed.
    SlotMoved,
    /// The whole mission is cancelled.
    MissionCancelled,
    /// The slot starts within a day.
    Reminder,
    /// A coordinator writes to everyone signed up for a slot.
    Message,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pending => "pending",
            Kind::Confirmed => "confirmed",
            Kind::Refused => "refused",
            Kind::Withdrawn => "withdrawn",
            Kind::SlotCancelled => "slot_cancelled",
            Kind::SlotMoved => "slot_moved",
            Kind::MissionCancelled => "mission_cancelled",
            Kind::Reminder => "reminder",
            Kind::Message => "message",
        }
    }
}

/// What a notice says, already formatted for the reader's language.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// `fr` or `en`.
    pub lang: String,
    /// The node's name, to sign with.
    pub instance: String,
    /// Whom we greet (may be empty).
    pub person: String,
    pub mission_title: String,
    pub association: String,
    /// "sam. 14 juin 2026, 09:00–12:00".
    pub when: String,
    /// An address, or "à distance".
    pub place: String,
    /// The mission's page.
    pub page: String,
    /// Why a request was refused, in words (may be empty).
    pub reason: String,
    /// A coordinator's own words (for `Kind::Message`).
    pub message: String,
}

/// A notice ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    /// For a direct message (the mention of the person is added in front by the sender).
    pub html: String,
}

/// A refusal reason as stored (a code for automatic refusals, the coordinator's words
/// otherwise), in words.
pub fn reason_in_words(stored: &str, lang: &str) -> String {
    let code = [
        Refusal::Full,
        Refusal::Overlaps,
        Refusal::Closed,
        Refusal::Over,
        Refusal::AlreadySignedUp,
    ]
    .into_iter()
    .find(|r| r.code() == stored);
    match code {
        Some(r) => crate::i18n::refusal(Lang::or_reference(lang), r),
        None => stored.trim().to_string(),
    }
}

/// The subject and the first sentence of each notice (`mail-<kind>_subject`, `_lead`).
fn lead(kind: Kind, f: &Facts) -> (String, String) {
    let lang = Lang::or_reference(&f.lang);
    let args = [
        ("title", Arg::from(f.mission_title.clone())),
        ("association", Arg::from(f.association.clone())),
        ("when", Arg::from(f.when.clone())),
    ];
    let id = |part: &str| format!("mail-{}_{part}", kind.as_str());
    (
        tr_args(lang, &id("subject"), &args),
        tr_args(lang, &id("lead"), &args),
    )
}

pub use crate::service::text::escape_html as escape;

/// Subject, text and HTML of a notice.
pub fn compose(kind: Kind, f: &Facts) -> Composed {
    let lang = Lang::or_reference(&f.lang);
    let (subject, lead) = lead(kind, f);
    let reason = if kind == Kind::Message {
        Some(f.message.trim().to_string())
    } else {
        (kind == Kind::Refused && !f.reason.is_empty()).then(|| {
            tr_args(
                lang,
                "mail-reason_given",
                &[("reason", f.reason.clone().into())],
            )
        })
    };
    let (where_l, page_l) = (tr(lang, "mail-where"), tr(lang, "mail-page"));
    let when_line = tr(
        lang,
        if kind == Kind::SlotMoved {
            "mail-new_time"
        } else {
            "mail-when"
        },
    );

    let mut text = super::hello(lang, &f.person);
    text.push_str("\n\n");
    text.push_str(&lead);
    text.push('\n');
    if let Some(r) = &reason {
        text.push('\n');
        text.push_str(r);
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&format!("{when_line} {}\n", f.when));
    if !f.place.is_empty() {
        text.push_str(&format!("{where_l} {}\n", f.place));
    }
    text.push_str(&format!("{page_l} {}\n", f.page));
    text.push_str("\n-- \n");
    text.push_str(&f.instance);
    text.push('\n');
    text.push_str(&tr(lang, "mail-footer"));
    text.push('\n');

    let mut html = format!("<p>{}</p>", escape(&lead));
    if let Some(r) = &reason {
        html.push_str(&format!("<p>{}</p>", escape(r).replace('\n', "<br>")));
    }
    html.push_str(&format!("<p>{} {}", escape(&when_line), escape(&f.when)));
    if !f.place.is_empty() {
        html.push_str(&format!("<br>{} {}", escape(&where_l), escape(&f.place)));
    }
    html.push_str(&format!(
        "</p><p><a href=\"{0}\">{0}</a></p>",
        escape(&f.page)
    ));
    Composed {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(lang: &str) -> Facts {
        Facts {
            lang: lang.into(),
            instance: "Entraide Brest".into(),
            person: "Alice".into(),
            mission_title: "Distribution <alimentaire>".into(),
            association: "Épicerie solidaire".into(),
            when: "sam. 6 mars 2027, 09:00–12:00".into(),
            place: "12 rue de Siam, 29200 Brest".into(),
            page: "https://a.example/missions/1".into(),
            reason: String::new(),
            message: String::new(),
        }
    }

    #[test]
    fn confirmation_in_french_names_the_mission_and_date() {
        let c = compose(Kind::Confirmed, &facts("fr"));
        assert_eq!(
            c.subject,
            "Inscription confirmée : Distribution <alimentaire>"
        );
        assert!(c.text.starts_with("Bonjour Alice,\n\n"));
        assert!(c
            .text
            .contains("« Distribution <alimentaire> » avec Épicerie solidaire est confirmée"));
        assert!(c.text.contains("Quand : sam. 6 mars 2027, 09:00–12:00"));
        assert!(c.text.contains("Mission : https://a.example/missions/1"));
        assert!(
            c.html.contains("Distribution &lt;alimentaire&gt;"),
            "{}",
            c.html
        );
        assert!(!c.html.contains("<alimentaire>"));
    }

    #[test]
    fn refusal_gives_the_reason_in_words() {
        let mut f = facts("en");
        f.reason = reason_in_words("full", "en");
        let c = compose(Kind::Refused, &f);
        assert!(
            c.text.contains("Reason given: this slot is full"),
            "{}",
            c.text
        );
        f.reason = reason_in_words("  Merci, nous sommes assez nombreux. ", "fr");
        assert!(compose(Kind::Refused, &f)
            .text
            .contains("Reason given: Merci, nous sommes assez nombreux."));
        assert!(
            !compose(Kind::Confirmed, &f).text.contains("Reason"),
            "only refusals give a reason"
        );
    }

    #[test]
    fn every_kind_has_words_in_both_languages() {
        for kind in [
            Kind::Pending,
            Kind::Confirmed,
            Kind::Refused,
            Kind::Withdrawn,
            Kind::SlotCancelled,
            Kind::SlotMoved,
            Kind::MissionCancelled,
            Kind::Reminder,
        ] {
            for lang in ["fr", "en"] {
                let c = compose(kind, &facts(lang));
                assert!(c.subject.contains("Distribution"), "{kind:?} {lang}");
                assert!(c.text.contains("09:00–12:00"), "{kind:?} {lang}");
            }
        }
        assert!(compose(Kind::SlotMoved, &facts("fr"))
            .text
            .contains("Nouvel horaire : sam. 6 mars"));
        assert!(compose(Kind::Reminder, &facts("fr"))
            .subject
            .starts_with("Rappel : "));
    }
}

#[cfg(test)]
mod message_tests {
    use super::*;

    #[test]
    fn a_coordinator_message_carries_their_words() {
        let f = Facts {
            lang: "fr".into(),
            association: "Épicerie".into(),
            mission_title: "Distribution".into(),
            when: "sam. 6 mars 2027, 09:00–12:00".into(),
            page: "https://a.example/m/1".into(),
            message: "Rendez-vous <devant> la porte.\nMerci !".into(),
            ..Default::default()
        };
        let c = compose(Kind::Message, &f);
        assert_eq!(c.subject, "Message de Épicerie : Distribution");
        assert!(
            c.text.contains("Rendez-vous <devant> la porte.\nMerci !"),
            "{}",
            c.text
        );
        assert!(
            c.html
                .contains("Rendez-vous &lt;devant&gt; la porte.<br>Merci !"),
            "{}",
            c.html
        );
    }
}
