//! The emails about an account (a link to confirm an address or to set a new password, an
//! address that is already used, an address changed, an account accepted or refused), composed
//! in the person's language from the catalogue (`locales/*/notify.ftl`, `mail-acc_…`) and
//! queued as `notification` rows for the mail worker, as the notices about sign-ups are.

use crate::{
    config::Config,
    i18n::{tr_args, Arg, Lang},
    storage::NewNotification,
};

/// What an account email is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountMail {
    /// A new account's link to confirm its address.
    Confirm,
    /// A link to confirm a new address for an existing account.
    ConfirmNewAddress,
    /// To the old address: a change to another one was asked.
    AddressChanging,
    /// Someone tried to register (or move an account) with an address already in use.
    AddressInUse,
    /// A link to set a new password.
    Reset,
    /// An administrator accepted the account.
    Approved,
    /// An administrator refused the account.
    Refused,
}

impl AccountMail {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountMail::Confirm => "acc_confirm",
            AccountMail::ConfirmNewAddress => "acc_new_address",
            AccountMail::AddressChanging => "acc_address_changing",
            AccountMail::AddressInUse => "acc_address_in_use",
            AccountMail::Reset => "acc_reset",
            AccountMail::Approved => "acc_approved",
            AccountMail::Refused => "acc_refused",
        }
    }
}

/// The email of `kind` to `to`, in `lang` (empty: the node's language). `link` is the page the
/// email points to; `hours`, how long the link works. Recorded as `skipped` when the node sends
/// no email. `key` makes it recorded once.
#[allow(clippy::too_many_arguments)]
pub fn account_mail(
    config: &Config,
    kind: AccountMail,
    to: &str,
    lang: &str,
    person: &str,
    link: &str,
    hours: i64,
    key: &str,
) -> NewNotification {
    let lang = match lang {
        "" => Lang::or_reference(&config.instance.default_language),
        l => Lang::or_reference(l),
    };
    let args = [
        ("instance", Arg::from(config.instance.name.clone())),
        ("link", Arg::from(link.to_string())),
        ("hours", Arg::from(hours)),
        ("address", Arg::from(to.to_string())),
    ];
    let id = |part: &str| format!("mail-{}_{part}", kind.as_str());
    let hello = super::hello(lang, person);
    let body = format!(
        "{hello}\n\n{}\n\n{}\n",
        tr_args(lang, &id("body"), &args),
        tr_args(lang, "mail-acc_footer", &args)
    );
    super::email(
        config,
        kind.as_str(),
        to,
        tr_args(lang, &id("subject"), &args),
        body,
        format!("{}:{key}", kind.as_str()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_mail_has_its_words_and_the_link() {
        let mut config = Config::default();
        config.smtp.enabled = true;
        for kind in [
            AccountMail::Confirm,
            AccountMail::ConfirmNewAddress,
            AccountMail::AddressChanging,
            AccountMail::AddressInUse,
            AccountMail::Reset,
            AccountMail::Approved,
            AccountMail::Refused,
        ] {
            for lang in ["fr", "en"] {
                let link = "https://entraide.example/x?token=abc";
                let n = account_mail(&config, kind, "a@example.org", lang, "Anne", link, 48, "k");
                assert!(
                    !n.subject.is_empty() && !n.subject.starts_with("mail-"),
                    "{n:?}"
                );
                assert!(n.body_text.contains("Anne"), "{n:?}");
                assert!(!n.body_text.contains("mail-acc"), "{n:?}");
                assert_eq!(n.status, "pending");
                if matches!(
                    kind,
                    AccountMail::Confirm | AccountMail::ConfirmNewAddress | AccountMail::Reset
                ) {
                    assert!(
                        n.body_text.contains(link),
                        "{kind:?} {lang}: {}",
                        n.body_text
                    );
                }
            }
        }
        config.smtp.enabled = false;
        let n = account_mail(
            &config,
            AccountMail::Reset,
            "a@example.org",
            "",
            "",
            "l",
            1,
            "k",
        );
        assert_eq!(n.status, "skipped");
        assert!(n.body_text.starts_with("Bonjour"), "the node's language");
    }
}
