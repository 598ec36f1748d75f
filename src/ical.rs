//! iCalendar (RFC 5545) text for calendar feeds: a `VCALENDAR` of `VEVENT`s, written so that
//! calendar software (Thunderbird, Google, Apple, Outlook) subscribes to it.
//!
//! Pure formatting, no I/O and nothing of the rest of the node: callers turn slots into
//! [`Event`]s. Times are written in UTC (`DTSTART:20300614T070000Z`), so no `VTIMEZONE` is
//! needed and every reader places the event at the same instant. Text values are escaped
//! (RFC 5545 §3.3.11) and content lines folded at 75 octets without splitting a UTF-8
//! character (§3.1); every line ends in CRLF.

use chrono::{DateTime, Utc};

/// Longest content line, in octets, before folding (CRLF not counted).
const MAX_LINE: usize = 75;

/// Whether the event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    /// Asked for, not yet confirmed (a sign-up waiting for the coordinator).
    Tentative,
    Confirmed,
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

/// One `VEVENT`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Globally unique and stable: calendar software updates the event with this id.
    pub uid: String,
    /// When the event was last changed (`DTSTAMP` and `LAST-MODIFIED`).
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    /// One line for people; left out when empty.
    pub location: String,
    /// Latitude and longitude (`GEO`).
    pub geo: Option<(f64, f64)>,
    /// Plain text, newlines allowed; left out when empty.
    pub description: String,
    /// The page of the event; left out when empty.
    pub url: String,
    pub status: EventStatus,
    /// Grows with every change (`SEQUENCE`).
    pub sequence: u32,
}

/// A whole calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// `PRODID`, for example `-//Entraide//Entraide 0.1//FR`.
    pub prodid: String,
    /// The name calendar software shows (`X-WR-CALNAME`).
    pub name: String,
    /// A sentence about the calendar (`X-WR-CALDESC`); left out when empty.
    pub description: String,
    pub events: Vec<Event>,
}

impl Calendar {
    /// The calendar as iCalendar text, CRLF line ends, lines folded.
    pub fn to_ics(&self) -> String {
        let mut out = String::new();
        let mut line = |l: String| out.push_str(&fold(&l));
        line("BEGIN:VCALENDAR".into());
        line(format!("PRODID:{}", escape_text(&self.prodid)));
        line("VERSION:2.0".into());
        line("CALSCALE:GREGORIAN".into());
        line("METHOD:PUBLISH".into());
        line(format!("X-WR-CALNAME:{}", escape_text(&self.name)));
        if !self.description.is_empty() {
            line(format!("X-WR-CALDESC:{}", escape_text(&self.description)));
        }
        // How often subscribers should look again (RFC 7986, and its older Microsoft name).
        line("REFRESH-INTERVAL;VALUE=DURATION:PT1H".into());
        line("X-PUBLISHED-TTL:PT1H".into());
        for e in &self.events {
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}", escape_text(&e.uid)));
            line(format!("DTSTAMP:{}", utc(e.stamp)));
            line(format!("LAST-MODIFIED:{}", utc(e.stamp)));
            line(format!("DTSTART:{}", utc(e.start)));
            line(format!("DTEND:{}", utc(e.end)));
            line(format!("SEQUENCE:{}", e.sequence));
            line(format!("STATUS:{}", e.status.as_str()));
            line(format!("SUMMARY:{}", escape_text(&e.summary)));
            if !e.location.is_empty() {
                line(format!("LOCATION:{}", escape_text(&e.location)));
            }
            if let Some((lat, lon)) = e.geo {
                line(format!("GEO:{lat:.6};{lon:.6}"));
            }
            if !e.description.is_empty() {
                line(format!("DESCRIPTION:{}", escape_text(&e.description)));
            }
            let url = uri(&e.url);
            if !url.is_empty() {
                line(format!("URL:{url}"));
            }
            line("END:VEVENT".into());
        }
        line("END:VCALENDAR".into());
        out
    }
}

/// `20300614T070000Z`: a UTC date-time (RFC 5545 §3.3.5, form #2).
pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value (§3.3.11): backslash, semicolon and comma escaped, any line break written
/// `\n`; other control characters, which TEXT does not allow, are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF is one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value: written as is (no TEXT escaping), minus anything that would break the line.
fn uri(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// One content line, folded (§3.1): at most 75 octets per line, continuation lines start
/// with one space, a UTF-8 character is never split. Ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut rest = line;
    // The first line holds 75 octets; the next ones 74 after their leading space.
    let mut room = MAX_LINE;
    loop {
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return out;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = MAX_LINE - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// Undoes folding, as a reader does: a CRLF followed by one space disappears.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            "one\\ntwo\\nthree\\nfour"
        );
        assert_eq!(escape_text("bell\u{7}gone\ttab"), "bellgone\ttab");
        assert_eq!(escape_text("Café 🎉 : ok"), "Café 🎉 : ok");
        // The colon needs no escaping in a value: only the first one ends the name.
        assert_eq!(escape_text("10:00"), "10:00");
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(fold("SUMMARY:Hello"), "SUMMARY:Hello\r\n");
        let exact = format!("X:{}", "a".repeat(73));
        assert_eq!(exact.len(), 75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_lines_are_folded_at_75_octets() {
        let line = format!("DESCRIPTION:{}", "x".repeat(200));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n") && !folded.ends_with("\r\n\r\n"));
        let lines: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(lines.len(), 3, "{folded:?}");
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
        assert!(lines[1].starts_with(' ') && lines[2].starts_with(' '));
        assert_eq!(unfold(&folded), format!("{line}\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        // "é" is 2 octets, "🎉" 4: every line must stay valid UTF-8 and within 75 octets.
        for prefix in 0..6 {
            let line = format!("SUMMARY:{}{}", "a".repeat(prefix), "é🎉ü€".repeat(40));
            let folded = fold(&line);
            for l in folded.split("\r\n") {
                assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
                assert!(std::str::from_utf8(l.as_bytes()).is_ok());
            }
            assert_eq!(unfold(&folded), format!("{line}\r\n"));
        }
    }

    fn event() -> Event {
        let t = |d: u32, h: u32| {
            Utc.with_ymd_and_hms(2030, 6, d, h, 0, 0)
                .single()
                .expect("date")
        };
        Event {
            uid: "https://a.example/s/1".into(),
            stamp: t(1, 10),
            start: t(14, 7),
            end: t(14, 10),
            summary: "Tri, rangement; accueil 🎉".into(),
            location: "Salle Jangot, 10 rue Jangot, 29200 Brest".into(),
            geo: Some((48.39, -4.49)),
            description: "Ligne 1\nLigne 2".into(),
            url: "https://a.example/m/1?a=1,2".into(),
            status: EventStatus::Confirmed,
            sequence: 3,
        }
    }

    #[test]
    fn a_calendar_has_every_property_in_crlf_lines() {
        let cal = Calendar {
            prodid: "-//Entraide//Entraide 0.1//FR".into(),
            name: "Épicerie, Brest".into(),
            description: String::new(),
            events: vec![event()],
        };
        let text = cal.to_ics();
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "CRLF only"
        );
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "BEGIN:VCALENDAR");
        assert_eq!(lines[lines.len() - 2], "END:VCALENDAR");
        for expected in [
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:Épicerie\\, Brest",
            "UID:https://a.example/s/1",
            "DTSTAMP:20300601T100000Z",
            "DTSTART:20300614T070000Z",
            "DTEND:20300614T100000Z",
            "SEQUENCE:3",
            "STATUS:CONFIRMED",
            "SUMMARY:Tri\\, rangement\\; accueil 🎉",
            "LOCATION:Salle Jangot\\, 10 rue Jangot\\, 29200 Brest",
            "GEO:48.390000;-4.490000",
            "DESCRIPTION:Ligne 1\\nLigne 2",
            "URL:https://a.example/m/1?a=1,2",
        ] {
            assert!(lines.contains(&expected), "{expected} missing in {text}");
        }
        assert!(!text.contains("X-WR-CALDESC"));
    }

    #[test]
    fn empty_optional_properties_are_left_out() {
        let mut e = event();
        e.location.clear();
        e.geo = None;
        e.description.clear();
        e.url.clear();
        e.status = EventStatus::Cancelled;
        let cal = Calendar {
            prodid: "-//x//y//EN".into(),
            name: "n".into(),
            description: "d".into(),
            events: vec![e],
        };
        let text = cal.to_ics();
        for absent in ["LOCATION", "GEO", "DESCRIPTION:", "URL"] {
            assert!(!text.contains(absent), "{absent} in {text}");
        }
        assert!(text.contains("STATUS:CANCELLED\r\n"));
        assert!(text.contains("X-WR-CALDESC:d\r\n"));
    }
}
