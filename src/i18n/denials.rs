//! Why a use case will not act ([`Denial`]: a code with arguments), in words: a sentence in the
//! reader's language for pages (`err-deny_<code>` in `locales/<lang>/errors.ftl`), and the JSON
//! API's English message (the `.api` attribute of the English file), which `Display` writes, so
//! API bodies, logs and replies to other servers read as they did when services wrote English.

use super::{catalogue, fields::fluent_args, Lang};
use crate::domain::Denial;
use std::fmt;

fn id(d: &Denial) -> String {
    format!("err-deny_{}", d.code)
}

/// The denial as a sentence in `lang`, for a page.
pub fn sentence(lang: Lang, d: &Denial) -> String {
    catalogue::format(lang, &id(d), &fluent_args(&d.args))
}

/// The denial as the JSON API writes it, in English.
pub fn api_message(d: &Denial) -> String {
    catalogue::format_attr(Lang::En, &id(d), "api", &fluent_args(&d.args))
        .unwrap_or_else(|| d.code.to_string())
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&api_message(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DENIAL_CODES;

    /// Every code has a sentence in French and in English and an English API message; the
    /// catalogue holds no denial the code does not know.
    #[test]
    fn every_code_has_words() {
        let dummy = Denial {
            code: "exists",
            args: ["what", "name", "state", "status", "left"]
                .into_iter()
                .map(|n| (n, crate::domain::FieldArg::Text("x".into())))
                .collect(),
        };
        for code in DENIAL_CODES {
            let d = Denial {
                code,
                args: dummy.args.clone(),
            };
            let id = id(&d);
            assert!(super::super::has(&id), "no {id} in French");
            assert!(catalogue::ids(Lang::En).contains(&id), "no {id} in English");
            assert!(
                catalogue::format_attr(Lang::En, &id, "api", &fluent_args(&d.args)).is_some(),
                "no {id}.api in English"
            );
        }
        for id in catalogue::ids(Lang::Fr) {
            if let Some(code) = id.strip_prefix("err-deny_") {
                assert!(DENIAL_CODES.contains(&code), "{id} is no denial code");
            }
        }
    }

    /// The API's messages, word for word as the services wrote them before they were codes.
    #[test]
    fn the_api_says_what_it_always_said() {
        let cases = [
            (
                Denial::new("coordinators_only"),
                "only the association's coordinators may do this",
            ),
            (
                Denial::new("user_exists").text("name", "camille"),
                "a user named camille already exists",
            ),
            (
                Denial::new("reservation_state").text("state", "returned"),
                "a reservation that is returned cannot be moved this way",
            ),
            (
                Denial::new("exists").text("what", "mission"),
                "this mission already exists",
            ),
        ];
        for (d, api) in cases {
            assert_eq!(d.to_string(), api);
        }
        assert_eq!(
            sentence(Lang::Fr, &Denial::new("pool_taken")),
            "Le matériel n'est plus libre sur cette période : refusez la demande, ou annulez une autre réservation."
        );
    }
}
