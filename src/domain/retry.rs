//! When to try again: the exponential backoff shared by the delivery queue and the mail queue.

/// Seconds to wait before attempt `n + 1`: base × 2ⁿ, at most a day.
pub fn backoff_seconds(base: u64, attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 20) as u32;
    (base.max(1) as i64)
        .saturating_mul(2i64.saturating_pow(exp))
        .min(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_a_day() {
        assert_eq!(backoff_seconds(30, 0), 30);
        assert_eq!(backoff_seconds(30, 3), 240);
        assert_eq!(backoff_seconds(0, 1), 2, "a base of 0 counts as 1");
        assert_eq!(backoff_seconds(30, 1000), 86_400);
    }
}
