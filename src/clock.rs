//! Where "now" comes from. Every use case, page and worker that decides something by the time
//! (is this slot over, is this delivery due, is this date in the past) reads it from the
//! node's [`Clock`], held in `AppState`: the system clock in production, a [`ManualClock`] in
//! tests, so that a test's dates stay in the future whatever year the suite runs in.
//!
//! Services take the instant of their use case as a `now: DateTime<Utc>` argument read from
//! the clock by their caller (a handler or a worker): one use case sees one instant, and the
//! service stays testable without a clock at all.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in the time zone `tz` (the node's zone for the day rules: hours may not be
    /// in the future, calendars open on today).
    fn today(&self, tz: Tz) -> NaiveDate {
        self.now().with_timezone(&tz).date_naive()
    }
}

/// The clock the node shares: one per node, cloned into every handler and worker.
pub type SharedClock = Arc<dyn Clock>;

/// The operating system's clock: production.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        // The one place that reads the system clock for the node's decisions.
        Utc::now()
    }
}

/// A clock set by hand, for tests: a fixed "today" makes their dates never become past.
///
/// A frozen clock ([`ManualClock::new`]) shows its instant until it is moved. A running one
/// ([`ManualClock::running`]) starts at a fixed instant and then runs at the system's pace:
/// workers that wait for a retry or a lease to come due need time to pass by itself.
/// Cloning shares the clock: moving one clone moves them all (the node's workers and the test
/// that drives it see the same time).
#[derive(Debug, Clone)]
pub struct ManualClock {
    inner: Arc<Mutex<Setting>>,
}

#[derive(Debug)]
struct Setting {
    /// The instant shown when the clock was last set or moved.
    at: DateTime<Utc>,
    /// For a running clock, when (on the monotonic clock) `at` was shown.
    since: Option<Instant>,
}

impl ManualClock {
    /// A frozen clock showing `at` until moved.
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock::with(at, None)
    }

    /// A clock showing `at` now and running from there.
    pub fn running(at: DateTime<Utc>) -> ManualClock {
        ManualClock::with(at, Some(Instant::now()))
    }

    fn with(at: DateTime<Utc>, since: Option<Instant>) -> ManualClock {
        ManualClock {
            inner: Arc::new(Mutex::new(Setting { at, since })),
        }
    }

    /// Moves the clock forward by `by` (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut s = self.lock();
        s.at += by;
    }

    /// Sets the clock to `at` (a running clock runs on from there).
    pub fn set(&self, at: DateTime<Utc>) {
        let mut s = self.lock();
        s.at = at;
        if s.since.is_some() {
            s.since = Some(Instant::now());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Setting> {
        // A panic while holding this lock cannot leave a half-written setting: take it anyway.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let s = self.lock();
        match s.since {
            // A test process does not run for 292 billion years: the elapsed time fits.
            Some(since) => s.at + Duration::from_std(since.elapsed()).unwrap_or(Duration::zero()),
            None => s.at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_stays_until_moved_and_its_clones_move_together() {
        let start = Utc
            .with_ymd_and_hms(2030, 1, 1, 23, 30, 0)
            .single()
            .expect("valid");
        let clock = ManualClock::new(start);
        let shared: SharedClock = Arc::new(clock.clone());
        assert_eq!(shared.now(), start);
        assert_eq!(shared.now(), start, "a manual clock does not run by itself");
        clock.advance(Duration::minutes(45));
        assert_eq!(shared.now(), start + Duration::minutes(45));
        // 00:15 UTC on 2 January is still 1 January in New York and 2 January in Paris.
        assert_eq!(
            shared.today(chrono_tz::America::New_York).to_string(),
            "2030-01-01"
        );
        assert_eq!(
            shared.today(chrono_tz::Europe::Paris).to_string(),
            "2030-01-02"
        );
        clock.set(start);
        assert_eq!(shared.now(), start);
    }

    #[test]
    fn a_running_manual_clock_starts_at_its_instant_and_runs() {
        let start = Utc
            .with_ymd_and_hms(2030, 1, 1, 12, 0, 0)
            .single()
            .expect("valid");
        let clock = ManualClock::running(start);
        let first = clock.now();
        assert!(first >= start && first < start + Duration::seconds(5));
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() >= first + Duration::milliseconds(20));
        clock.advance(Duration::days(2));
        assert!(clock.now() >= start + Duration::days(2));
        clock.set(start);
        assert!(clock.now() < start + Duration::seconds(5));
    }

    #[test]
    fn the_system_clock_follows_the_system() {
        let before = Utc::now();
        let now = SystemClock.now();
        assert!(before <= now && now <= Utc::now());
    }
}
