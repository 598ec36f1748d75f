//! The bodies of the fuzz targets: what a stranger's bytes go through (the inbox's checks, the
//! `Signature` header, Markdown, uploaded photos and documents) and what the node writes for
//! other programs (iCalendar, CSV), each with the invariants its output must keep.
//!
//! Two callers: the cargo-fuzz crate in `fuzz/` (libFuzzer, nightly, `tools/fuzz/run.sh`) and
//! `tests/fuzz_corpora.rs`, which replays every file of `fuzz/corpus/<target>/` on stable, so
//! the corpora (seeds and the inputs that once crashed) run in CI. A target panics when an
//! invariant breaks; otherwise it tells how far the input went ([`Reached`]).

use crate::{
    federation::{inbox, protocol, signatures},
    ical::{Calendar, Event, EventStatus},
    service::{csv::CsvStyle, files, text},
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use http::{header::HeaderName, HeaderMap, HeaderValue, Method, Uri};
use serde_json::Value;

/// How far an input went: refused by a check, or through every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    Refused,
    Accepted,
}

/// The host the inbox targets play this node on.
pub const LOCAL_HOST: &str = "node.example";

/// A 2048-bit public key nobody has the private half of (made for these targets): a signature
/// checked with it never matches.
const STRANGER_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuQ9BOLeSPy9j1zwyWvru
ThaOVisBN9t50fGENdGMYliStKHxUo1AWZEgRDrkx+WuZK58XYqrsBSfZJ/NgA1K
tLDpXkW+e55RUj+PbaZ5AU8hcrNhVs+HKroKCZMdNfAipqDrGmjAQhIgj9oAsOOt
to0EBVIcoucobplXiBQp8uaaptfYOVtSfPnnxSSM1Vc0FcXI7nP+rCsdMHeiCWW6
wtkiYDwoyFL1AwPG9fZ2JCeQEozcso7zTbMGMTa7oIVMvHksgpv2W95Co89yvww8
tkQIiaLQLxYCS7MPhdpQ6D9BpzRTD5Vs7/uRMZX5G6bFB+coMdDB26ZQLfNoADDq
xwIDAQAB
-----END PUBLIC KEY-----
";

/// An HTTP date for now. The system clock, as the signature check itself reads it (see
/// `federation::signatures`): a `Date` header is compared with the real time.
fn http_now() -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now())
}

/// The inbox's checks on a body, with the headers an honest sender of that body would send:
/// its `Digest`, a `Date` of now, and a `Signature` whose `keyId` is a key of the body's actor.
/// Then what the handlers read before any fetch: the typed activity and its object.
pub fn inbox(body: &[u8]) -> Reached {
    let actor = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("actor").and_then(protocol::id_of));
    let key_id = actor
        .map(|a| format!("{a}#main-key"))
        .unwrap_or_else(|| "https://remote.example/users/a#main-key".into());
    let mut headers = HeaderMap::new();
    let digest = format!(
        "SHA-256={}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            <sha2::Sha256 as sha2::Digest>::digest(body)
        )
    );
    let signature = format!(
        "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"c2lnbmF0dXJl\"",
        key_id.replace(['"', '\\'], "")
    );
    for (name, value) in [
        ("host", LOCAL_HOST.to_string()),
        ("date", http_now()),
        ("digest", digest),
        ("signature", signature),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    inbox_request(&headers, body)
}

/// A request as sent: header lines (`Name: value`; a value `now` is replaced by the current
/// HTTP date, so that inputs can be recent), an empty line, the body. Goes through the inbox's
/// checks; a signature that parses is then checked against a key it cannot match.
pub fn signature(data: &[u8]) -> Reached {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((text.as_ref(), ""));
    let mut headers = HeaderMap::new();
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        let value = if value == "now" {
            http_now()
        } else {
            value.to_string()
        };
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.trim().as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.append(name, value);
        }
    }
    if let Ok(unverified) =
        signatures::begin_verify(&headers, &Method::POST, &inbox_uri(), LOCAL_HOST)
    {
        let _ = signatures::key_belongs_to(unverified.key_id(), "https://remote.example/u");
        assert!(
            signatures::verify_with_key(&unverified, STRANGER_KEY).is_err(),
            "a signature matched a key nobody holds"
        );
    }
    inbox_request(&headers, body.as_bytes())
}

fn inbox_uri() -> Uri {
    Uri::from_static("/inbox")
}

/// [`inbox::precheck`], then the typed reading the handlers do before any fetch.
fn inbox_request(headers: &HeaderMap, body: &[u8]) -> Reached {
    let Ok(checked) = inbox::precheck(&Method::POST, &inbox_uri(), headers, body, LOCAL_HOST)
    else {
        return Reached::Refused;
    };
    let envelope = checked.incoming.envelope();
    for url in [&checked.id, &checked.actor_id] {
        assert!(matches!(url.scheme(), "http" | "https"), "{url}");
        assert_ne!(crate::federation::objects::host_of(url), LOCAL_HOST);
    }
    assert_eq!(
        crate::federation::objects::host_of(&checked.id),
        crate::federation::objects::host_of(&checked.actor_id)
    );
    let _ = checked.incoming.is_self_deletion();
    let _ = envelope.object_id();
    let raw = &envelope.raw;
    let object = &envelope.object;
    let _ = protocol::parse_object::<protocol::ActivityIn>("activity", raw);
    let _ = protocol::parse_object::<protocol::Flag>("Flag", raw);
    let _ = protocol::parse_object::<protocol::EventJson>("Event", object);
    let _ = protocol::parse_object::<protocol::NoteIn>("Note", object);
    let _ = protocol::parse_object::<protocol::PageIn>("Page", object);
    let _ = protocol::parse_object::<protocol::AgreementIn>("Agreement", object);
    let _ = protocol::parse_object::<protocol::EconomicEventIn>("EconomicEvent", object);
    Reached::Accepted
}

/// Markdown written here and HTML received from elsewhere, made safe: whatever comes in, what
/// comes out has only the tags we keep, no `on…` or `style` attribute and no link to a
/// scheme other than http, https and mailto.
pub fn markdown(data: &[u8]) -> Reached {
    let Ok(s) = std::str::from_utf8(data) else {
        return Reached::Refused;
    };
    assert_safe_html(&text::markdown_to_html(s));
    assert_safe_html(&text::sanitize_html(s));
    let _ = text::html_to_text(s);
    Reached::Accepted
}

/// The oracle: the tags sanitised HTML may hold, written here apart from `service::text`'s
/// list, so that a tag added there by mistake is caught here.
const KEPT_TAGS: [&str; 19] = [
    "p",
    "br",
    "a",
    "span",
    "del",
    "pre",
    "code",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
];

/// Reads the tags of serialised HTML (html5ever's output: attribute values in double quotes,
/// `<` always escaped in text) and checks each.
fn assert_safe_html(html: &str) {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && !matches!(b[i], b' ' | b'>') {
            i += 1;
        }
        let name = html[start..i].trim_start_matches('/').to_ascii_lowercase();
        assert!(KEPT_TAGS.contains(&name.as_str()), "tag <{name}> in {html}");
        loop {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let at = i;
            while i < b.len() && !matches!(b[i], b'=' | b' ' | b'>') {
                i += 1;
            }
            let attr = html[at..i].to_ascii_lowercase();
            assert!(
                !attr.starts_with("on") && attr != "style",
                "attribute {attr} in {html}"
            );
            if i < b.len() && b[i] == b'=' {
                assert_eq!(b.get(i + 1), Some(&b'"'), "unquoted value in {html}");
                let from = i + 2;
                let len = html[from..].find('"').expect("closing quote");
                let value = &html[from..from + len];
                if matches!(attr.as_str(), "href" | "src" | "cite") {
                    assert_web_link(value, html);
                }
                i = from + len + 1;
            }
        }
    }
}

/// A link's scheme, read as a browser does (entities decoded, tabs and line breaks dropped,
/// leading spaces ignored): http, https, mailto or none (a relative link).
fn assert_web_link(value: &str, html: &str) {
    let decoded = value
        .replace("&quot;", "\"")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let cleaned: String = decoded
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    let end = cleaned.find(['/', '?', '#']).unwrap_or(cleaned.len());
    // A scheme is a letter then letters, digits, `+`, `-` or `.` (WHATWG URL); anything
    // else before the colon (`java%20script:`) makes a relative link.
    let scheme = cleaned[..end].split_once(':').map(|(s, _)| s).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if let Some(scheme) = scheme {
        assert!(
            matches!(scheme, "http" | "https" | "mailto"),
            "link to {scheme}: in {html}"
        );
    }
}

/// An uploaded photo: refused, or made into a JPEG that decodes, fits 1600 pixels and
/// carries no metadata segment (APP1: EXIF, XMP).
pub fn photo(data: &[u8]) -> Reached {
    let Ok(out) = files::clean_photo(data) else {
        return Reached::Refused;
    };
    let img = image::load_from_memory_with_format(&out, image::ImageFormat::Jpeg)
        .expect("the cleaned photo decodes");
    assert!(img.width() >= 1 && img.width() <= files::PHOTO_SIDE);
    assert!(img.height() >= 1 && img.height() <= files::PHOTO_SIDE);
    let mut i = 2;
    while i + 4 <= out.len() && out[i] == 0xFF {
        let marker = out[i + 1];
        if marker == 0xDA {
            break;
        }
        assert_ne!(marker, 0xE1, "a metadata segment is left");
        i += 2 + usize::from(u16::from_be_bytes([out[i + 2], out[i + 3]]));
    }
    Reached::Accepted
}

/// An uploaded document: the first line is its name, the rest its bytes. Refused unless a
/// PDF; its name is then one people can read and that the download's header can carry.
pub fn document(data: &[u8]) -> Reached {
    let (name, bytes) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Ok(name) = files::check_document(&String::from_utf8_lossy(name), bytes) else {
        assert!(!bytes.starts_with(b"%PDF-"));
        return Reached::Refused;
    };
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(!name.is_empty() && name.chars().count() <= 120, "{name:?}");
    assert!(
        !name.contains(['/', '\\', '"']) && !name.chars().any(char::is_control),
        "{name:?}"
    );
    assert!(
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).is_ok(),
        "{name:?}"
    );
    Reached::Accepted
}

/// A calendar made of the input's pieces (separated by U+001F: the calendar's id, name and
/// description, then five per event: uid, summary, place, description, link), written, then
/// read back: CRLF line ends, lines of at most 75 octets, folded lines that unfold to
/// `NAME[;params]:value`, balanced `BEGIN`/`END`, and each event's summary unescaping to what
/// was given (line breaks as `\n`, other control characters dropped).
pub fn ical(data: &[u8]) -> Reached {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1f}');
    let mut next = || parts.next().unwrap_or("").to_string();
    let (prodid, name, description) = (next(), next(), next());
    let base: DateTime<Utc> = Utc.timestamp_opt(1_900_000_000, 0).single().expect("date");
    let mut events = Vec::new();
    for n in 0..4i64 {
        let (uid, summary, location, description, url) = (next(), next(), next(), next(), next());
        if n > 0 && uid.is_empty() && summary.is_empty() {
            break;
        }
        let start = base + Duration::minutes(n * 97 + data.len() as i64);
        events.push(Event {
            uid,
            stamp: base,
            start,
            end: start + Duration::hours(2),
            geo: (!location.is_empty())
                .then(|| (location.len() as f64 / 7.0 - 90.0, -(summary.len() as f64))),
            summary,
            location,
            description,
            url,
            status: EventStatus::Confirmed,
            sequence: n as u32,
        });
    }
    let calendar = Calendar {
        prodid,
        name,
        description,
        events,
    };
    let out = calendar.to_ics();
    assert!(out.ends_with("\r\n"));
    let physical: Vec<&str> = out[..out.len() - 2].split("\r\n").collect();
    for line in &physical {
        assert!(
            line.len() <= 75,
            "a line of {} octets: {line:?}",
            line.len()
        );
        assert!(!line.contains(['\r', '\n']), "a bare line break: {line:?}");
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{line:?}"
        );
    }
    let unfolded = out.replace("\r\n ", "");
    let mut open = Vec::new();
    let mut summaries = Vec::new();
    for line in unfolded.trim_end_matches("\r\n").split("\r\n") {
        let colon = line.find(':').expect("a content line has a colon");
        let name = line[..colon].split(';').next().unwrap_or("");
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '-'),
            "{line:?}"
        );
        let value = &line[colon + 1..];
        match name {
            "BEGIN" => open.push(value.to_string()),
            "END" => assert_eq!(open.pop().as_deref(), Some(value)),
            "SUMMARY" => summaries.push(unescape_text(value)),
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed {open:?}");
    let expected: Vec<String> = calendar
        .events
        .iter()
        .map(|e| {
            e.summary
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
                .collect()
        })
        .collect();
    assert_eq!(summaries, expected);
    Reached::Accepted
}

/// A TEXT value read back (RFC 5545 §3.3.11); panics on an escape the writer never makes or
/// on a comma or semicolon left unescaped.
fn unescape_text(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n' | 'N') => out.push('\n'),
                other => panic!("escape \\{other:?} in {value:?}"),
            },
            ',' | ';' => panic!("unescaped {c} in {value:?}"),
            c => out.push(c),
        }
    }
    out
}

/// Rows of at least two text fields (rows separated by U+001E, fields by U+001F), written in
/// both styles (API/English, French), then read back by `read` (a CSV reader given the text
/// and the separator; the fuzz target and the test pass the `csv` crate): the same fields,
/// with a leading apostrophe before what a spreadsheet would run as a formula, and no field
/// read back starts like a formula.
pub fn csv(data: &[u8], read: &dyn Fn(&str, u8) -> Vec<Vec<String>>) -> Reached {
    let text = String::from_utf8_lossy(data);
    let rows: Vec<Vec<String>> = text
        .split('\u{1e}')
        .map(|row| {
            let mut cells: Vec<String> = row.split('\u{1f}').map(str::to_string).collect();
            if cells.len() < 2 {
                cells.push(String::new());
            }
            cells
        })
        .collect();
    let guarded = |c: &String| {
        if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{c}")
        } else {
            c.clone()
        }
    };
    let expected: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(guarded).collect())
        .collect();
    for style in [CsvStyle::CODES, CsvStyle::for_reader(crate::i18n::Lang::Fr)] {
        let mut written = String::new();
        for row in &rows {
            let cells: Vec<String> = row.iter().map(|c| style.text(c)).collect();
            written.push_str(&style.row(&cells));
            written.push_str("\r\n");
        }
        let back = read(&written, style.separator() as u8);
        assert_eq!(back, expected, "written as {written:?}");
        for cell in back.iter().flatten() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell:?}");
        }
    }
    Reached::Accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(html: &str) -> bool {
        std::panic::catch_unwind(|| assert_safe_html(html)).is_err()
    }

    #[test]
    fn the_html_check_refuses_what_must_not_get_through() {
        for good in [
            "<p>a <a href=\"https://x.example\" rel=\"nofollow noopener noreferrer\">b</a></p>",
            "<a href=\"/missions/1\">r</a> <a href=\"mailto:a@x.example\">m</a>",
            "<pre><code>&lt;script&gt; a=\"&gt;\"</code></pre><br>",
        ] {
            assert!(!refused(good), "{good}");
        }
        for bad in [
            "<script>alert(1)</script>",
            "<p onclick=\"x\">a</p>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\" java\tscript:alert(1)\">x</a>",
            "<a href=\"data:text/html,x\">x</a>",
            "<img src=\"https://x.example/a.png\">",
            "<p style=\"color:red\">x</p>",
            "<a title=\">\" onmouseover=\"x\">y</a>",
        ] {
            assert!(refused(bad), "{bad}");
        }
    }
}
