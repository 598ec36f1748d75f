//! Text messages (issue 16): phone numbers in E.164, how many SMS a text costs, what a
//! gateway's answer means, the words that stop messages, the daily cap. Pure, no I/O.

use super::FieldError;

/// The region a number written without `+` is read in (French associations first).
pub const DEFAULT_REGION: phonenumber::country::Id = phonenumber::country::Id::FR;
/// Digits of a confirmation code.
pub const CODE_DIGITS: usize = 6;
/// Minutes a confirmation code stays good.
pub const CODE_MINUTES: i64 = 30;
/// Wrong codes accepted before a new one must be asked for.
pub const CODE_TRIES: i64 = 5;
/// The longest message a coordinator may write (the form and the API say so).
pub const MAX_MESSAGE_CHARS: usize = 1600;

/// A number as typed (`06 12 34 56 78`, `+33 6 12 34 56 78`, `0033612345678`) in E.164
/// (`+33612345678`), read by the `phonenumber` crate (Google's libphonenumber metadata) with
/// France as the default region; `mobile_invalid` when it is not a valid number.
pub fn parse_phone(raw: &str) -> Result<String, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new("required"));
    }
    let raw = match raw.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => raw.to_string(),
    };
    let number = phonenumber::parse(Some(DEFAULT_REGION), &raw)
        .map_err(|_| FieldError::new("mobile_invalid"))?;
    if !phonenumber::is_valid(&number) {
        return Err(FieldError::new("mobile_invalid"));
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// How a text is encoded on the air, which sets how many characters fit one SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// The GSM 03.38 alphabet: 160 characters, 153 per part when split.
    Gsm7,
    /// Anything else (emoji, œ, most non-Latin scripts): 70 UTF-16 units, 67 per part.
    Ucs2,
}

// No small maintained crate counts segments (the few on crates.io are unmaintained or pull a
// whole PDU codec); the rule is two short tables fixed by 3GPP TS 23.038 and the concatenation
// header of TS 23.040 (6 bytes: 153 septets or 67 UTF-16 units left per part), so it is ours.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Characters of the extension table: each takes two septets (an escape, then itself).
const GSM7_EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// The encoding of `text` and how many SMS it takes (0 for an empty text).
pub fn segments(text: &str) -> (Encoding, u32) {
    let mut septets = 0usize;
    let mut gsm = true;
    for c in text.chars() {
        if GSM7_BASIC.contains(c) {
            septets += 1;
        } else if GSM7_EXTENSION.contains(c) {
            septets += 2;
        } else {
            gsm = false;
            break;
        }
    }
    let (encoding, units, single, part) = if gsm {
        (Encoding::Gsm7, septets, 160, 153)
    } else {
        (Encoding::Ucs2, text.encode_utf16().count(), 70, 67)
    };
    let count = match units {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    };
    (encoding, count as u32)
}

/// What a gateway's HTTP status means for one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayAnswer {
    /// 2xx: the gateway took it.
    Accepted,
    /// 429 or 5xx (or no answer): try again later, with backoff.
    Retry,
    /// Any other 4xx: refused for this number; never retried.
    Refused,
}

/// The generic gateway's contract: 2xx accepted, 429/5xx retry later, other 4xx refused.
pub fn gateway_answer(status: u16) -> GatewayAnswer {
    match status {
        200..=299 => GatewayAnswer::Accepted,
        429 | 500..=599 => GatewayAnswer::Retry,
        400..=499 => GatewayAnswer::Refused,
        // 1xx and 3xx (redirects are not followed): the gateway is misconfigured; try later.
        _ => GatewayAnswer::Retry,
    }
}

/// Whether a reply asks to stop receiving messages: `STOP`, `ARRET`/`ARRÊT`, `STOP SMS`,
/// `unsubscribe`, whatever the case and the spaces around (the French operators' keywords).
pub fn is_stop(reply: &str) -> bool {
    let word: String = reply
        .trim()
        .trim_end_matches(['.', '!'])
        .to_uppercase()
        .replace('Ê', "E");
    matches!(
        word.as_str(),
        "STOP" | "ARRET" | "STOP SMS" | "STOPSMS" | "UNSUBSCRIBE" | "DESABONNER" | "DÉSABONNER"
    )
}

/// How many SMS may still go today, and whether `wanted` more fit.
pub fn within_cap(cap: i64, used_today: i64, wanted: i64) -> Result<(), i64> {
    let left = (cap - used_today).max(0);
    if wanted <= left {
        Ok(())
    } else {
        Err(left)
    }
}

/// When the day of `now` began in the node's time zone (the daily cap counts from there).
pub fn day_start(
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let local = now.with_timezone(&tz).date_naive();
    local
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| tz.from_local_datetime(&midnight).earliest())
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or(now - chrono::Duration::hours(24))
}

/// A confirmation code from random digits (the caller draws them).
pub fn code_from(random: u32) -> String {
    format!("{:0width$}", random % 1_000_000, width = CODE_DIGITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_become_e164() {
        assert_eq!(
            parse_phone("06 12 34 56 78").expect("valid"),
            "+33612345678"
        );
        assert_eq!(
            parse_phone("+33 6 12 34 56 78").expect("valid"),
            "+33612345678"
        );
        assert_eq!(parse_phone("0033612345678").expect("valid"), "+33612345678");
        assert_eq!(
            parse_phone("+32 470 12 34 56").expect("valid"),
            "+32470123456"
        );
        assert_eq!(parse_phone("").expect_err("refused").code, "required");
        assert_eq!(
            parse_phone("12").expect_err("refused").code,
            "mobile_invalid"
        );
        assert_eq!(
            parse_phone("not a number").expect_err("refused").code,
            "mobile_invalid"
        );
        assert_eq!(
            parse_phone("06 12 34").expect_err("refused").code,
            "mobile_invalid"
        );
    }

    #[test]
    fn segments_follow_the_alphabet() {
        assert_eq!(segments(""), (Encoding::Gsm7, 0));
        assert_eq!(segments(&"a".repeat(160)), (Encoding::Gsm7, 1));
        assert_eq!(segments(&"a".repeat(161)), (Encoding::Gsm7, 2));
        assert_eq!(segments(&"a".repeat(306)), (Encoding::Gsm7, 2));
        assert_eq!(segments(&"a".repeat(307)), (Encoding::Gsm7, 3));
        // é and à are in the GSM alphabet; € takes two septets.
        assert_eq!(
            segments("Rendez-vous à 9h, café offert"),
            (Encoding::Gsm7, 1)
        );
        assert_eq!(segments(&"€".repeat(80)), (Encoding::Gsm7, 1));
        assert_eq!(segments(&"€".repeat(81)), (Encoding::Gsm7, 2));
        // œ and emoji are not: UCS-2, 70 then 67 per part.
        assert_eq!(segments(&"œ".repeat(70)), (Encoding::Ucs2, 1));
        assert_eq!(segments(&"œ".repeat(71)), (Encoding::Ucs2, 2));
        assert_eq!(segments(&"œ".repeat(134)), (Encoding::Ucs2, 2));
        assert_eq!(segments(&"œ".repeat(135)), (Encoding::Ucs2, 3));
        // An emoji is two UTF-16 units.
        assert_eq!(segments(&"🙂".repeat(35)), (Encoding::Ucs2, 1));
        assert_eq!(segments(&"🙂".repeat(36)), (Encoding::Ucs2, 2));
    }

    #[test]
    fn gateway_statuses() {
        assert_eq!(gateway_answer(200), GatewayAnswer::Accepted);
        assert_eq!(gateway_answer(202), GatewayAnswer::Accepted);
        assert_eq!(gateway_answer(429), GatewayAnswer::Retry);
        assert_eq!(gateway_answer(500), GatewayAnswer::Retry);
        assert_eq!(gateway_answer(503), GatewayAnswer::Retry);
        assert_eq!(gateway_answer(400), GatewayAnswer::Refused);
        assert_eq!(gateway_answer(404), GatewayAnswer::Refused);
        assert_eq!(gateway_answer(302), GatewayAnswer::Retry);
    }

    #[test]
    fn stop_words() {
        for w in ["STOP", "stop", " Stop. ", "ARRET", "arrêt", "STOP SMS"] {
            assert!(is_stop(w), "{w}");
        }
        for w in ["", "OK", "stop the car", "merci"] {
            assert!(!is_stop(w), "{w}");
        }
    }

    #[test]
    fn the_cap() {
        assert_eq!(within_cap(100, 90, 10), Ok(()));
        assert_eq!(within_cap(100, 90, 11), Err(10));
        assert_eq!(within_cap(100, 120, 1), Err(0));
        assert_eq!(code_from(42), "000042");
        assert_eq!(code_from(1_234_567), "234567");
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 1, 7, 22, 30, 0).unwrap();
        // 23:30 in Paris: the day began at 23:00 UTC the day before.
        assert_eq!(
            day_start(now, chrono_tz::Europe::Paris),
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 1, 6, 23, 0, 0).unwrap()
        );
    }
}
