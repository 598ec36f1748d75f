//! Calendars of slots: the iCal feed of an association (public), the private feed of a
//! volunteer (a secret address, stored hashed), and the slots the calendar pages show.
//!
//! The feeds keep the last [`PAST_DAYS`] days as well as what is to come, so that calendar
//! software does not drop an event the day after it happened; a cancelled slot stays in the
//! feed marked `CANCELLED`, so that subscribed calendars show the cancellation.

use super::{
    accounts::{hash_secret, new_secret},
    Result,
};
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::Actor,
        mission::{Mission, MissionStatus},
        slot::{Participation, ParticipationStatus, Slot, SlotStatus},
    },
    i18n::{tr, tr_args, Lang},
    ical::{Calendar, Event, EventStatus},
    storage::{CalendarStore, MissionStore, ParticipationStore},
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// How far back the feeds go.
pub const PAST_DAYS: i64 = 30;
/// How far ahead the public feed goes: everything to come, in practice.
const FUTURE_DAYS: i64 = 100 * 366;
/// Longest mission description copied into an event, in characters.
const MAX_DESCRIPTION: usize = 1500;

/// A slot with its mission.
#[derive(Debug, Clone)]
pub struct CalendarSlot {
    pub slot: Slot,
    pub mission: Mission,
}

impl CalendarSlot {
    /// Cancelled itself, or its mission is.
    pub fn cancelled(&self) -> bool {
        self.slot.status == SlotStatus::Cancelled || self.mission.status == MissionStatus::Cancelled
    }
}

/// Each slot with its mission (all read at once); slots of deleted missions are left out.
async fn with_missions<S: MissionStore + ?Sized>(
    store: &S,
    slots: Vec<Slot>,
) -> Result<Vec<CalendarSlot>> {
    let mut ids: Vec<i64> = slots.iter().map(|s| s.mission_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let missions: HashMap<i64, Mission> = store
        .get_missions(&ids)
        .await?
        .into_iter()
        .filter(|m| m.deleted_at.is_none())
        .map(|m| (m.id, m))
        .collect();
    Ok(slots
        .into_iter()
        .filter_map(|slot| {
            let mission = missions.get(&slot.mission_id)?.clone();
            Some(CalendarSlot { slot, mission })
        })
        .collect())
}

/// The slots of an association's own missions (published, closed or cancelled) that overlap
/// `[from, to)`, soonest first.
pub async fn association_slots<S: CalendarStore + MissionStore + ?Sized>(
    store: &S,
    association: &Actor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CalendarSlot>> {
    let slots = store.association_slots(association.id, from, to).await?;
    with_missions(store, slots).await
}

/// "3 places restantes sur 5", "complet", in the feed's language.
fn places(lang: Lang, slot: &Slot) -> String {
    tr_args(
        lang,
        "cal-feed_places",
        &[
            ("remaining", slot.remaining().into()),
            ("capacity", slot.capacity.into()),
        ],
    )
}

/// Where, in one line: the address, or "À distance" for a remote mission.
pub fn location(lang: Lang, m: &Mission) -> String {
    if m.online {
        tr(lang, "remote")
    } else {
        m.place.one_line()
    }
}

/// Markdown as plain text for calendar software: the words, one line per line written,
/// an empty line between paragraphs, "- " before list items; markup and raw HTML left out.
fn markdown_to_text(markdown: &str) -> String {
    use pulldown_cmark::{Event as Md, Parser, Tag, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Md::Text(t) | Md::Code(t) => out.push_str(&t),
            Md::SoftBreak | Md::HardBreak => out.push('\n'),
            Md::Start(Tag::Item) => out.push_str("- "),
            Md::End(TagEnd::Item) => out.push('\n'),
            Md::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::List(_),
            ) => out.push_str("\n\n"),
            _ => {}
        }
    }
    // Lists and paragraphs both end blocks: never more than one empty line in a row.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim().to_string()
}

/// The mission's description as plain text, cut at [`MAX_DESCRIPTION`] characters.
fn description_text(m: &Mission) -> String {
    let text = if m.local {
        markdown_to_text(&m.description)
    } else {
        super::text::html_to_text(&m.content_html)
    };
    if text.chars().count() > MAX_DESCRIPTION {
        let cut: String = text.chars().take(MAX_DESCRIPTION).collect();
        format!("{}…", cut.trim_end())
    } else {
        text
    }
}

/// `SEQUENCE`: seconds since 2020 at the last change, so it grows with every change and fits
/// the 32-bit integer some calendar software expects.
fn sequence(changed: DateTime<Utc>) -> u32 {
    let epoch = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH);
    u32::try_from((changed - epoch).num_seconds().max(0)).unwrap_or(u32::MAX)
}

/// One slot as a calendar event. `pending`: the volunteer's sign-up awaits the coordinator.
pub fn event(cs: &CalendarSlot, tz: Tz, lang: Lang, pending: bool) -> Event {
    let (slot, m) = (&cs.slot, &cs.mission);
    let status = if cs.cancelled() {
        EventStatus::Cancelled
    } else if pending {
        EventStatus::Tentative
    } else {
        EventStatus::Confirmed
    };
    let place = if m.online || m.place.locality.is_empty() {
        location(lang, m)
    } else {
        m.place.locality.clone()
    };
    let mut lines = vec![[
        crate::i18n::short_span(lang, slot.start_time, slot.end_time, tz),
        place,
        places(lang, slot),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(" · ")];
    match status {
        EventStatus::Cancelled => lines.push(tr(lang, "cal-feed_cancelled")),
        EventStatus::Tentative => lines.push(tr(lang, "cal-feed_pending")),
        EventStatus::Confirmed => {}
    }
    let description = description_text(m);
    if !description.is_empty() {
        lines.push(String::new());
        lines.push(description);
    }
    if !m.url.is_empty() {
        lines.push(String::new());
        lines.push(m.url.clone());
    }
    let changed = slot.updated.max(m.updated);
    Event {
        uid: slot.ap_id.clone(),
        stamp: changed,
        start: slot.start_time,
        end: slot.end_time,
        summary: m.title.clone(),
        location: location(lang, m),
        geo: if m.online {
            None
        } else {
            m.place.latitude.zip(m.place.longitude)
        },
        description: lines.join("\n"),
        url: m.url.clone(),
        status,
        sequence: sequence(changed),
    }
}

/// `PRODID`: this software, its version, and the feed's language (`FR`, `EN`).
pub(super) fn prodid(lang: Lang) -> String {
    format!(
        "-//Entraide//Entraide {}//{}",
        env!("CARGO_PKG_VERSION"),
        lang.code().to_uppercase()
    )
}

/// The public feed of an association at `now`: its slots from [`PAST_DAYS`] ago on, with the
/// first instant at which time alone changes it (a slot leaves it [`PAST_DAYS`] after its end,
/// or one comes within its reach; `None`: nothing will).
pub async fn association_feed<S: CalendarStore + MissionStore + ?Sized>(
    store: &S,
    config: &Config,
    a: &Actor,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<(String, Option<DateTime<Utc>>)> {
    let (from, to) = (
        now - Duration::days(PAST_DAYS),
        now + Duration::days(FUTURE_DAYS),
    );
    // A day past the feed's reach tells when the next slot comes within it; none there, and
    // none can come before a day has passed.
    let mut slots = association_slots(store, a, from, to + Duration::days(1)).await?;
    let beyond = slots.iter().position(|s| s.slot.start_time >= to);
    let coming = beyond.map(|i| slots[i].slot.start_time - Duration::days(FUTURE_DAYS));
    slots.truncate(beyond.unwrap_or(slots.len()));
    let leaving = (slots.iter())
        .map(|s| s.slot.end_time + Duration::days(PAST_DAYS))
        .min();
    let until = [leaving, coming, Some(now + Duration::days(1))]
        .into_iter()
        .flatten()
        .min();
    let tz = config.timezone();
    let description = tr_args(
        lang,
        "cal-feed_association",
        &[
            ("association", a.label().to_string().into()),
            ("site", config.instance.name.clone().into()),
        ],
    );
    let feed = Calendar {
        prodid: prodid(lang),
        name: a.label().to_string(),
        description,
        events: slots.iter().map(|s| event(s, tz, lang, false)).collect(),
    }
    .to_ics();
    Ok((feed, until))
}

/// Whether a sign-up belongs in the volunteer's calendar, and how: active ones, and those
/// withdrawn because the slot was cancelled (shown as cancelled). Higher ranks win when a
/// slot has several sign-ups (left, then signed up again).
fn rank(p: &Participation, slot: &Slot) -> Option<u8> {
    match p.status {
        ParticipationStatus::Accepted => Some(3),
        ParticipationStatus::Pending => Some(2),
        ParticipationStatus::Withdrawn if slot.status == SlotStatus::Cancelled => Some(1),
        _ => None,
    }
}

/// Whose private feed this secret opens, if anyone's.
pub async fn feed_owner<S: CalendarStore + ?Sized>(store: &S, token: &str) -> Result<Option<User>> {
    Ok(store.find_calendar_token_user(&hash_secret(token)).await?)
}

/// The private feed of `user` at `now`: their slots here and on other nodes, accepted or
/// waiting for an answer (ended ones for [`PAST_DAYS`] days), with the first instant at which
/// time alone changes it (one of its slots leaves it; `None`: nothing will).
pub async fn volunteer_feed<S: CalendarStore + MissionStore + ParticipationStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<(String, Option<DateTime<Utc>>)> {
    let since = now - Duration::days(PAST_DAYS);
    let mut best: HashMap<i64, (u8, Slot)> = HashMap::new();
    for (p, slot) in store.user_participations(user.id).await? {
        if slot.end_time < since {
            continue;
        }
        if let Some(r) = rank(&p, &slot) {
            if best.get(&slot.id).is_none_or(|(old, _)| r > *old) {
                best.insert(slot.id, (r, slot));
            }
        }
    }
    let mut chosen: Vec<(u8, Slot)> = best.into_values().collect();
    chosen.sort_by_key(|(_, s)| (s.start_time, s.id));
    let until = (chosen.iter())
        .map(|(_, s)| s.end_time + Duration::days(PAST_DAYS))
        .min();
    let pending: HashMap<i64, bool> = chosen.iter().map(|(r, s)| (s.id, *r == 2)).collect();
    let slots = with_missions(store, chosen.into_iter().map(|(_, s)| s).collect()).await?;
    let tz = config.timezone();
    let name = tr_args(
        lang,
        "cal-feed_mine",
        &[("site", config.instance.name.clone().into())],
    );
    let description = tr_args(
        lang,
        "cal-feed_mine_about",
        &[("person", user.name.clone().into())],
    );
    let feed = Calendar {
        prodid: prodid(lang),
        name,
        description,
        events: slots
            .iter()
            .map(|s| {
                event(
                    s,
                    tz,
                    lang,
                    pending.get(&s.slot.id).copied().unwrap_or(false),
                )
            })
            .collect(),
    }
    .to_ics();
    Ok((feed, until))
}

/// The address of a private feed.
pub fn feed_url(config: &Config, secret: &str) -> String {
    format!("{}/feeds/{secret}.ics", config.base())
}

/// Makes a new secret address for the user's feed (the old one stops working) and returns it.
/// Only its hash is kept: the address is shown this once.
pub async fn new_feed_url(
    store: &dyn CalendarStore,
    config: &Config,
    user: &User,
    now: DateTime<Utc>,
) -> Result<String> {
    let (secret, hash) = new_secret();
    store.set_calendar_token(user.id, &hash, true, now).await?;
    Ok(feed_url(config, &secret))
}

/// Makes the user's first secret address; `None` when they already have one (it cannot be
/// shown again: only its hash is kept).
pub async fn first_feed_url(
    store: &dyn CalendarStore,
    config: &Config,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let (secret, hash) = new_secret();
    let made = store.set_calendar_token(user.id, &hash, false, now).await?;
    Ok(made.then(|| feed_url(config, &secret)))
}

/// When the user's current address was made, if they have one.
pub async fn feed_created(store: &dyn CalendarStore, user: &User) -> Result<Option<DateTime<Utc>>> {
    Ok(store.calendar_token_created(user.id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::examples;
    use crate::domain::mission::Place;

    fn t(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 6, d, h, 0, 0)
            .single()
            .expect("date")
    }

    fn sample() -> CalendarSlot {
        let mission = Mission {
            title: "Tri, rangement".into(),
            description: "Apportez des gants.".into(),
            category: "solidarity".into(),
            place: Place {
                locality: "Brest".into(),
                postal_code: "29200".into(),
                ..Default::default()
            },
            ..examples::mission(t(1, 7), t(30, 18))
        };
        let slot = examples::slot(t(14, 7), t(14, 10), t(2, 8));
        CalendarSlot { slot, mission }
    }

    #[test]
    fn a_slot_becomes_an_event() {
        let e = event(&sample(), chrono_tz::Europe::Paris, Lang::Fr, false);
        assert_eq!(e.uid, "https://a.example/s/7");
        assert_eq!(e.status, EventStatus::Confirmed);
        assert_eq!(e.location, "29200 Brest");
        assert_eq!(e.stamp, t(2, 8));
        assert_eq!(
            e.description,
            "ven. 14 juin 2030, de 9 h à 12 h · Brest · 3 places restantes sur 5\n\nApportez des gants.\n\nhttps://a.example/m/1"
        );
        let en = event(&sample(), chrono_tz::Europe::Paris, Lang::En, true);
        assert_eq!(en.status, EventStatus::Tentative);
        assert!(
            en.description
                .contains("3 places left of 5\nYour sign-up is waiting"),
            "{}",
            en.description
        );
    }

    #[test]
    fn places_and_names_in_each_language() {
        let mut s = sample();
        assert_eq!(places(Lang::En, &s.slot), "3 places left of 5");
        s.slot.participant_count = 4;
        assert_eq!(places(Lang::Fr, &s.slot), "1 place restante sur 5");
        assert_eq!(places(Lang::En, &s.slot), "1 place left of 5");
        s.slot.participant_count = 5;
        assert_eq!(places(Lang::Fr, &s.slot), "complet");
        assert_eq!(places(Lang::En, &s.slot), "full");
        s.mission.online = true;
        assert_eq!(location(Lang::Fr, &s.mission), "À distance");
        assert_eq!(location(Lang::En, &s.mission), "Remote");
        assert!(prodid(Lang::En).ends_with("//EN"));
        assert!(prodid(Lang::Fr).starts_with("-//Entraide//Entraide "));
    }

    #[test]
    fn cancelled_slots_and_missions_are_cancelled_events() {
        let mut s = sample();
        s.slot.status = SlotStatus::Cancelled;
        let e = event(&s, chrono_tz::Europe::Paris, Lang::Fr, true);
        assert_eq!(e.status, EventStatus::Cancelled);
        assert!(
            e.description
                .contains("3 places restantes sur 5\nCe créneau est annulé.\n"),
            "{}",
            e.description
        );
        let mut s = sample();
        s.mission.status = MissionStatus::Cancelled;
        assert_eq!(
            event(&s, chrono_tz::Europe::Paris, Lang::Fr, false).status,
            EventStatus::Cancelled
        );
    }

    #[test]
    fn markdown_becomes_plain_text() {
        let md =
            "**Bring** gloves, `tea`.\nSecond line.\n\n- one\n- two\n\n## Where\n\nHall <b>B</b>";
        assert_eq!(
            markdown_to_text(md),
            "Bring gloves, tea.\nSecond line.\n\n- one\n- two\n\nWhere\n\nHall B"
        );
        assert_eq!(
            markdown_to_text("Plain, text; kept\nas is."),
            "Plain, text; kept\nas is."
        );
    }

    #[test]
    fn the_sequence_grows_with_changes() {
        assert!(sequence(t(2, 8)) < sequence(t(2, 9)));
        assert_eq!(
            sequence(
                Utc.with_ymd_and_hms(2019, 1, 1, 0, 0, 0)
                    .single()
                    .expect("date")
            ),
            0
        );
    }
}
