//! Why a use case will not act (the person may not, or the thing is no longer in a state that
//! allows it): a code of [`DENIAL_CODES`] with its arguments. Like [`super::FieldError`], it
//! becomes words only where it is shown: `deny-<code>` in `locales/<lang>/errors.ftl` for pages,
//! and the English `.api` attribute for the JSON API's `message` and for other servers.

use super::FieldArg;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub code: &'static str,
    pub args: Vec<(&'static str, FieldArg)>,
}

/// Every code a denial carries; each has words in French and English (a test checks it).
pub const DENIAL_CODES: &[&str] = &[
    // Who may act.
    "coordinators_only",
    "coordinators_manage_missions",
    "coordinators_manage_slots",
    "coordinators_validate_hours",
    "coordinators_confirm_attestation",
    "coordinators_see_interest",
    "coordinators_see_suggestions",
    "not_coordinator",
    "hours_members_only",
    "validated_entry_locked",
    "links_remote_accounts",
    "resource_remote_owner",
    "owner_coordinators_only",
    "owner_coordinators_see_reservations",
    "owner_server_decides",
    "owner_answers",
    "borrower_coordinators_ask",
    "asker_withdraws",
    "agreement_party_only",
    "other_party",
    "hours_other_sender",
    "hours_receiver_answers",
    "hours_sender_withdraws",
    // What the state of things no longer allows.
    "exists",
    "user_exists",
    "association_exists",
    "sign_up_inactive",
    "attendance_after_slot",
    "entry_already",
    "hours_exist",
    "attestation_confirmed",
    "reservation_state",
    "pool_taken",
    "reservation_moved",
    "agreement_after_accept",
    "agreement_not_yet",
    "account_decided",
    // What has not arrived yet (another server's messages are not ordered).
    "answer_not_arrived",
    "admins_only",
    "request_answered",
    "invitation_used",
    "invitation_revoked",
    "invitation_expired",
    "invitation_other_person",
    // The aggregator's sources.
    "aggregator_off",
    "source_not_allowed",
    "source_exists",
    "moderation_rule_exists",
    "moderation_own_node",
    "moderation_not_remote",
    "moderation_report_resolved",
    "moderation_not_forwardable",
    "agreement_not_owners",
    // Asking for help (issue 16).
    "referents_only",
    "help_off",
    "help_state",
];

impl Denial {
    /// A denial without arguments: `Denial::new("coordinators_only")`.
    pub fn new(code: &'static str) -> Self {
        debug_assert!(DENIAL_CODES.contains(&code), "unknown denial code {code}");
        Denial {
            code,
            args: Vec::new(),
        }
    }

    /// With a text argument: `Denial::new("user_exists").text("name", "camille")`.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, FieldArg::Text(value.into())));
        self
    }

    /// The argument `name`, if given.
    pub fn arg(&self, name: &str) -> Option<&FieldArg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in DENIAL_CODES {
            assert!(seen.insert(code), "{code} listed twice");
        }
    }

    #[test]
    fn arguments_are_kept_by_name() {
        let d = Denial::new("reservation_state").text("state", "returned");
        assert_eq!(d.arg("state"), Some(&FieldArg::Text("returned".into())));
        assert_eq!(d.arg("other"), None);
    }
}
