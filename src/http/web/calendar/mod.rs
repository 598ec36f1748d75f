//! Calendars: the month and week pages of an association's slots, its public iCal feed, and
//! each volunteer's private feed (a secret address, made on the "Mon agenda" page or by the API).
//!
//! The pages work without JavaScript: a table of weeks for the month (a list of days on a
//! phone), a list of days for the week, plain links to move from one period to the next.
//!
//! - [`association`]: the month and week pages;
//! - [`period`]: the periods in the address and in words;
//! - [`feeds`]: the iCalendar feeds;
//! - [`token`]: "Mon agenda", where a volunteer makes their private address.

mod association;
mod feeds;
mod period;
mod token;

use super::i18n;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::{routing::get, Router};

// The API's documentation names the feeds here (`web::calendar::association_feed`); the
// reservations' private feed shares the secret's check, the language and the headers.
pub(crate) use feeds::{
    __path_association_feed, __path_volunteer_feed, association_feed, feed_lang, is_secret,
    lang_param, private_ics, volunteer_feed, FeedQuery,
};

/// The templates of this module, added to the others by `web::templates()`.
pub const TEMPLATES: [(&str, &str); 3] = [
    (
        "calendar_month.html",
        include_str!("../../../../templates/calendar_month.html"),
    ),
    (
        "calendar_week.html",
        include_str!("../../../../templates/calendar_week.html"),
    ),
    (
        "calendar_token.html",
        include_str!("../../../../templates/calendar_token.html"),
    ),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/calendar", get(association::association_calendar))
        .route("/g/{name}/calendar.ics", get(association_feed))
        .route("/feeds/{file}", get(volunteer_feed))
        .route(
            "/me/calendar",
            get(token::my_calendar).post(token::new_address),
        )
}

/// The words of these pages (`cal.key` in the templates), from the catalogue (`cal-` ids).
fn words(lang: Lang) -> minijinja::Value {
    i18n::area(lang, "cal-")
}

/// One word of these pages (`cal-key`).
fn word(lang: Lang, key: &str) -> String {
    i18n::word(lang, &format!("cal-{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_compile_and_use_known_words() {
        crate::http::web::word_check::check_templates(&TEMPLATES, "cal.", |k| {
            i18n::has(&format!("cal-{k}"))
        });
    }

    /// A period that cannot be read: what was typed, and how to write it.
    #[test]
    fn bad_periods_say_how_to_write_them() {
        let say =
            |lang, id, value: &str| i18n::tr_args(lang, id, &[("value", value.to_string().into())]);
        assert_eq!(
            say(Lang::Fr, "cal-bad_view", "jour"),
            "«\u{a0}jour\u{a0}» n'est pas un affichage connu\u{a0}: choisissez view=month ou view=week."
        );
        assert_eq!(
            say(Lang::Fr, "cal-bad_month", "juin"),
            "«\u{a0}juin\u{a0}» n'est pas un mois. Écrivez l'année puis le mois, par exemple ?month=2030-06."
        );
        assert_eq!(
            say(Lang::En, "cal-bad_week", "x"),
            "“x” is not a date. Write a day of the week, for example ?view=week&week=2030-06-10."
        );
    }
}
