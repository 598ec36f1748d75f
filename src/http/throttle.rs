//! A brake on password guessing: failed attempts are counted per key (an account name as
//! typed) over a sliding window, in memory; past the limit, the key is refused until its oldest
//! failure in the window has aged out. Keys with no recent failure are dropped as the map grows,
//! so memory follows the number of keys that failed lately.

use chrono::{DateTime, Duration, Utc};
use std::{collections::HashMap, net::IpAddr, sync::Mutex};

/// Failed logins allowed per key within [`LOGIN_WINDOW_MINUTES`].
pub const LOGIN_FAILURES: usize = 10;
/// The window over which failed logins are counted.
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
/// Failed logins allowed per client address within [`LOGIN_WINDOW_MINUTES`], whatever the
/// accounts tried: higher than per account, as one address may be shared by many people (the
/// Wi-Fi of a Maison des Associations).
pub const ADDRESS_FAILURES: usize = 50;

/// The brakes of the API's login: per account name as typed, and per client address.
#[derive(Debug)]
pub struct LoginThrottle {
    pub by_account: Throttle,
    pub by_address: Throttle,
}

impl LoginThrottle {
    fn account_key(account: &str) -> String {
        // An email's case does not matter, nor a name's.
        format!("account:{}", account.trim().to_lowercase())
    }

    fn address_key(ip: IpAddr) -> String {
        format!("address:{ip}")
    }

    /// `Err(wait)` when the account name as typed, or the client's address (the peer's: behind
    /// a reverse proxy, the proxy's), has used up its failures: the longer of the two waits.
    pub fn check(
        &self,
        account: &str,
        address: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<(), Duration> {
        let waits = [
            self.by_account
                .check(&Self::account_key(account), now)
                .err(),
            address.and_then(|ip| self.by_address.check(&Self::address_key(ip), now).err()),
        ];
        match waits.into_iter().flatten().max() {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// A wrong name or password: counted for the account name and for the address.
    pub fn failed(&self, account: &str, address: Option<IpAddr>, now: DateTime<Utc>) {
        self.by_account.failed(&Self::account_key(account), now);
        if let Some(ip) = address {
            self.by_address.failed(&Self::address_key(ip), now);
        }
    }

    /// A login that went through forgets the account's failures (not the address's).
    pub fn succeeded(&self, account: &str) {
        self.by_account.succeeded(&Self::account_key(account));
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            by_account: Throttle::default(),
            by_address: Throttle::new(ADDRESS_FAILURES, Duration::minutes(LOGIN_WINDOW_MINUTES)),
        }
    }
}

/// Registrations allowed per client address per hour.
pub const REGISTRATIONS_PER_ADDRESS: usize = 10;
/// Requests for a password reset link allowed per client address per hour.
pub const RESETS_PER_ADDRESS: usize = 20;
/// Emails (reset links, confirmation links sent again, changes of address) allowed per account
/// or address per hour: enough for a lost email, too few to flood a mailbox.
pub const EMAILS_PER_ACCOUNT: usize = 3;

/// Requests for help ("Aidez-moi à trouver") allowed per client address per hour, and per
/// contact (email or phone as typed) per hour.
pub const HELP_REQUESTS_PER_ADDRESS: usize = 5;

/// The brakes on what sends emails or makes accounts: each request counts, whatever its
/// outcome, per client address and per account or email as typed, over an hour.
#[derive(Debug)]
pub struct AccountThrottle {
    pub registrations: Throttle,
    pub resets_by_address: Throttle,
    pub emails_by_account: Throttle,
    pub help_by_address: Throttle,
}

impl Default for AccountThrottle {
    fn default() -> Self {
        let hour = Duration::hours(1);
        AccountThrottle {
            registrations: Throttle::new(REGISTRATIONS_PER_ADDRESS, hour),
            resets_by_address: Throttle::new(RESETS_PER_ADDRESS, hour),
            emails_by_account: Throttle::new(EMAILS_PER_ACCOUNT, hour),
            help_by_address: Throttle::new(HELP_REQUESTS_PER_ADDRESS, hour),
        }
    }
}

impl AccountThrottle {
    /// A registration from `address`, for `email`: `Err(wait)` when either has had its share.
    pub fn register(
        &self,
        address: Option<IpAddr>,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Duration> {
        let by_address = address.map(|ip| (&self.registrations, format!("address:{ip}")));
        self.count(by_address, email, now)
    }

    /// A request for help from `address`, reachable at `contact` (its email, else its phone):
    /// counted whatever its outcome, as a registration is.
    pub fn help_request(
        &self,
        address: Option<IpAddr>,
        contact: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Duration> {
        let by_address = address.map(|ip| (&self.help_by_address, format!("help:{ip}")));
        if contact.trim().is_empty() {
            // Refused anyway (a contact is required): only the address counts.
            return match by_address {
                Some((t, k)) => t.check(&k, now).map(|()| t.failed(&k, now)),
                None => Ok(()),
            };
        }
        self.count(by_address, &format!("help:{contact}"), now)
    }

    /// A request for a reset link from `address`, for `email`.
    pub fn reset(
        &self,
        address: Option<IpAddr>,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Duration> {
        let by_address = address.map(|ip| (&self.resets_by_address, format!("address:{ip}")));
        self.count(by_address, email, now)
    }

    /// Whether a logged-in account may ask for another email (confirmation again, change of
    /// address); only the emails sent count ([`AccountThrottle::account_email_sent`]), not a
    /// mistyped password.
    pub fn account_email(&self, user_id: i64, now: DateTime<Utc>) -> Result<(), Duration> {
        self.emails_by_account
            .check(&format!("account:user:{user_id}"), now)
    }

    /// An email was sent at a logged-in account's request.
    pub fn account_email_sent(&self, user_id: i64, now: DateTime<Utc>) {
        self.emails_by_account
            .failed(&format!("account:user:{user_id}"), now);
    }

    fn count(
        &self,
        by_address: Option<(&Throttle, String)>,
        account: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Duration> {
        let account = format!("account:{}", account.trim().to_lowercase());
        let waits = [
            by_address.as_ref().and_then(|(t, k)| t.check(k, now).err()),
            self.emails_by_account.check(&account, now).err(),
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Err(wait);
        }
        if let Some((t, k)) = by_address {
            t.failed(&k, now);
        }
        self.emails_by_account.failed(&account, now);
        Ok(())
    }
}

/// Failure counts per key, over a sliding window.
#[derive(Debug)]
pub struct Throttle {
    limit: usize,
    window: Duration,
    state: Mutex<Failures>,
}

#[derive(Debug, Default)]
struct Failures {
    /// The recent failures of each key, oldest first (at most `limit` kept).
    by_key: HashMap<String, Vec<DateTime<Utc>>>,
    /// The map's size after the last pruning: the next one comes when it has doubled.
    pruned_at: usize,
}

impl Default for Throttle {
    /// The limits of the API's login.
    fn default() -> Self {
        Throttle::new(LOGIN_FAILURES, Duration::minutes(LOGIN_WINDOW_MINUTES))
    }
}

impl Throttle {
    /// At most `limit` failures per key within `window`.
    pub fn new(limit: usize, window: Duration) -> Self {
        Throttle {
            limit: limit.max(1),
            window,
            state: Mutex::new(Failures::default()),
        }
    }

    /// `Err(wait)` when `key` has used up its failures: how long until one ages out (at least
    /// a second).
    pub fn check(&self, key: &str, now: DateTime<Utc>) -> Result<(), Duration> {
        let failures = self.lock();
        let Some(times) = failures.by_key.get(key) else {
            return Ok(());
        };
        let recent: Vec<_> = times.iter().filter(|t| self.fresh(**t, now)).collect();
        if recent.len() < self.limit {
            return Ok(());
        }
        let frees_at = *recent[recent.len() - self.limit] + self.window;
        Err((frees_at - now).max(Duration::seconds(1)))
    }

    /// Counts an attempt for `key` if it has some left: `Err(wait)` otherwise (and nothing
    /// counted). For limits on every request, not only failed ones.
    pub fn hit(&self, key: &str, now: DateTime<Utc>) -> Result<(), Duration> {
        self.check(key, now)?;
        self.failed(key, now);
        Ok(())
    }

    /// Counts a failed attempt for `key`.
    pub fn failed(&self, key: &str, now: DateTime<Utc>) {
        let mut failures = self.lock();
        let times = failures.by_key.entry(key.to_string()).or_default();
        times.retain(|t| self.fresh(*t, now));
        times.push(now);
        if times.len() > self.limit {
            let extra = times.len() - self.limit;
            times.drain(..extra);
        }
        if failures.by_key.len() >= (failures.pruned_at * 2).max(64) {
            failures
                .by_key
                .retain(|_, times| times.last().is_some_and(|t| self.fresh(*t, now)));
            failures.pruned_at = failures.by_key.len();
        }
    }

    /// Forgets the failures of `key` (its owner got in).
    pub fn succeeded(&self, key: &str) {
        self.lock().by_key.remove(key);
    }

    /// How many keys are remembered (for tests of the pruning).
    pub fn keys(&self) -> usize {
        self.lock().by_key.len()
    }

    fn fresh(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        at > now - self.window
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        // A panic elsewhere while counting leaves counts that are still good counts.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap() + Duration::seconds(seconds)
    }

    #[test]
    fn refuses_past_the_limit_until_the_oldest_failure_ages_out() {
        let throttle = Throttle::new(3, Duration::minutes(15));
        for s in 0..3 {
            assert!(throttle.check("alice", at(s * 60)).is_ok());
            throttle.failed("alice", at(s * 60));
        }
        // The first failure (at 0) frees a place at 15 minutes.
        assert_eq!(
            throttle.check("alice", at(180)),
            Err(Duration::seconds(15 * 60 - 180))
        );
        assert!(
            throttle.check("bob", at(180)).is_ok(),
            "other keys are free"
        );
        assert_eq!(
            throttle.check("alice", at(15 * 60 - 1)),
            Err(Duration::seconds(1))
        );
        assert!(throttle.check("alice", at(15 * 60)).is_ok());
        // One more failure uses the freed place up again, until the second one ages out.
        throttle.failed("alice", at(15 * 60));
        assert_eq!(
            throttle.check("alice", at(15 * 60)),
            Err(Duration::seconds(60))
        );
    }

    #[test]
    fn account_emails_are_braked_per_account_and_per_address() {
        let brakes = AccountThrottle::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        for _ in 0..EMAILS_PER_ACCOUNT {
            assert!(brakes.reset(Some(ip), "A@example.org", at(0)).is_ok());
        }
        assert!(brakes.reset(Some(ip), "a@EXAMPLE.org", at(1)).is_err());
        assert!(brakes.reset(Some(ip), "b@example.org", at(1)).is_ok());
        assert!(brakes.reset(Some(ip), "a@example.org", at(3601)).is_ok());
        for i in 0..REGISTRATIONS_PER_ADDRESS {
            let email = format!("p{i}@example.org");
            assert!(brakes.register(Some(ip), &email, at(0)).is_ok());
        }
        assert!(brakes.register(Some(ip), "new@example.org", at(0)).is_err());
        assert!(brakes.register(None, "new@example.org", at(0)).is_ok());
    }

    #[test]
    fn requests_for_help_are_braked_per_address_and_per_contact() {
        let brakes = AccountThrottle::default();
        let ip: IpAddr = "192.0.2.9".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        for _ in 0..EMAILS_PER_ACCOUNT {
            assert!(brakes.help_request(None, "06 12 34 56 78", at(0)).is_ok());
        }
        assert!(brakes.help_request(None, "06 12 34 56 78", at(1)).is_err());
        for i in 0..HELP_REQUESTS_PER_ADDRESS {
            let contact = if i == 0 {
                String::new()
            } else {
                format!("p{i}@example.org")
            };
            assert!(brakes.help_request(Some(ip), &contact, at(0)).is_ok());
        }
        assert!(brakes.help_request(Some(ip), "", at(0)).is_err());
        assert!(brakes
            .help_request(Some(ip), "new@example.org", at(0))
            .is_err());
        assert!(brakes.help_request(None, "", at(0)).is_ok());
        assert!(brakes
            .help_request(Some(ip), "new@example.org", at(3601))
            .is_ok());
    }

    #[test]
    fn a_success_forgets_the_failures() {
        let throttle = Throttle::new(2, Duration::minutes(15));
        throttle.failed("alice", at(0));
        throttle.failed("alice", at(1));
        assert!(throttle.check("alice", at(2)).is_err());
        throttle.succeeded("alice");
        assert!(throttle.check("alice", at(2)).is_ok());
    }

    #[test]
    fn keys_without_recent_failures_are_dropped_as_the_map_grows() {
        let throttle = Throttle::new(10, Duration::minutes(15));
        for i in 0..64 {
            throttle.failed(&format!("old{i}"), at(0));
        }
        // The 64th key triggered a pruning, but all were fresh then.
        assert_eq!(throttle.keys(), 64);
        for i in 0..64 {
            throttle.failed(&format!("new{i}"), at(16 * 60));
        }
        // Past 128 keys the old ones (15 minutes gone) are dropped.
        assert_eq!(throttle.keys(), 64);
        assert!(throttle.check("new0", at(16 * 60)).is_ok());
    }
}
