//! Saved searches (issue 15): any search, by its query string, as an iCalendar feed of the
//! missions and events it finds (calendar software subscribes to it) and as an Atom feed of
//! everything it finds, equipment included (feed readers follow it). The iCalendar text is
//! the node's own writer's (`crate::ical`), the Atom document `atom_syndication`'s.

use super::places::Located;
use super::{search, Result, ServiceError};
use crate::domain::search::{Found, SearchInput};
use crate::i18n::{tr, tr_args, Lang};
use crate::ical::{Calendar, Event, EventStatus};
use crate::state::AppState;
use atom_syndication::{Entry, Feed, Generator, Link, Person, Text};
use chrono::{DateTime, DurationRound, Utc};

/// Items in a feed, at most: the first of the search's order.
pub const FEED_LIMIT: usize = 50;

/// What a feed holds: its name and the items found.
struct Results {
    title: String,
    hits: Vec<Found>,
    now: DateTime<Utc>,
}

/// Runs the search for a feed: its first [`FEED_LIMIT`] results, in its own order.
async fn run(state: &AppState, input: &SearchInput, lang: Lang) -> Result<Results> {
    let mut input = input.clone();
    input.limit = Some(FEED_LIMIT.to_string());
    input.offset = None;
    let (page, near) = search::search(state, &input).await?;
    Ok(Results {
        title: title(state, &input, near.as_ref(), lang),
        hits: page.hits,
        now: state.clock.now(),
    })
}

/// "Entraide — vélo, près de Brest (29)": the site, the words, the place.
fn title(state: &AppState, input: &SearchInput, near: Option<&Located>, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(q) = input.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        parts.push(tr_args(
            lang,
            "search-feed_words",
            &[("q", q.to_string().into())],
        ));
    }
    if let Some(near) = near {
        parts.push(tr_args(
            lang,
            "search-feed_near",
            &[("place", near.label.clone().into())],
        ));
    }
    let what = if parts.is_empty() {
        tr(lang, "search-feed_everything")
    } else {
        parts.join(", ")
    };
    tr_args(
        lang,
        "search-feed_title",
        &[
            ("what", what.into()),
            ("site", state.config.instance.name.clone().into()),
        ],
    )
}

/// The search as an iCalendar feed: its missions and events (equipment has no dates).
pub async fn ical(state: &AppState, input: &SearchInput, lang: Lang) -> Result<String> {
    let found = run(state, input, lang).await?;
    let base = state.config.base();
    let events = found
        .hits
        .iter()
        .filter_map(|f| {
            let item = &f.item;
            let (start, end) = (item.start?, item.end?);
            let url = item.url(&base);
            let by = tr_args(
                lang,
                "search-by",
                &[("association", item.association.clone().into())],
            );
            Some(Event {
                uid: item.origin_url.clone(),
                stamp: found.now,
                start,
                end,
                summary: item.title.clone(),
                location: if item.online {
                    tr(lang, "search-online")
                } else {
                    item.place.clone()
                },
                geo: item.position,
                description: format!("{by}\n{url}"),
                url,
                status: EventStatus::Confirmed,
                sequence: 0,
            })
        })
        .collect();
    Ok(Calendar {
        prodid: super::calendar::prodid(lang),
        name: found.title,
        description: tr(lang, "search-feed_about"),
        events,
    }
    .to_ics())
}

/// The search as an Atom feed; `query` is the search's query string (for the feed's own
/// address and the page's).
pub async fn atom(
    state: &AppState,
    input: &SearchInput,
    query: &str,
    lang: Lang,
) -> Result<String> {
    let found = run(state, input, lang).await?;
    let base = state.config.base();
    // The index keeps no time of change: entries carry the feed's time (readers tell them
    // apart by their id, the item's address), to the hour, so that two readings in the same
    // hour are the same bytes and a reader asking again with the `ETag` it got is answered 304.
    let updated = found
        .now
        .duration_trunc(chrono::TimeDelta::hours(1))
        .unwrap_or(found.now)
        .fixed_offset();
    let tz = state.config.timezone();
    let entries = found
        .hits
        .iter()
        .map(|f| {
            let item = &f.item;
            let url = item.url(&base);
            let kind = tr(lang, &format!("search-kind_{}", item.kind.as_str()));
            let mut summary = vec![kind];
            if let (Some(s), Some(e)) = (item.start, item.end) {
                summary.push(crate::i18n::short_span(lang, s, e, tz));
            }
            if item.online {
                summary.push(tr(lang, "search-online"));
            } else if !item.place.is_empty() {
                summary.push(item.place.clone());
            }
            Entry {
                title: Text::plain(item.title.clone()),
                id: url.clone(),
                updated,
                authors: vec![Person {
                    name: item.association.clone(),
                    ..Person::default()
                }],
                links: vec![Link {
                    href: url,
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Link::default()
                }],
                summary: Some(Text::plain(summary.join(" · "))),
                ..Entry::default()
            }
        })
        .collect();
    let link = |href: String, rel: &str, mime: &str| Link {
        href,
        rel: rel.into(),
        mime_type: Some(mime.into()),
        ..Link::default()
    };
    let self_url = format!("{base}/search.atom?{query}");
    let feed = Feed {
        title: Text::plain(found.title),
        id: self_url.clone(),
        updated,
        authors: vec![Person {
            name: state.config.instance.name.clone(),
            uri: Some(base.clone()),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "Entraide".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        links: vec![
            link(self_url, "self", "application/atom+xml"),
            link(format!("{base}/search?{query}"), "alternate", "text/html"),
        ],
        subtitle: Some(Text::plain(tr(lang, "search-feed_about"))),
        lang: Some(lang.code().into()),
        entries,
        ..Feed::default()
    };
    let bytes = feed
        .write_to(Vec::new())
        .map_err(|e| ServiceError::Internal(format!("atom feed: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ServiceError::Internal(format!("atom feed: {e}")))
}
