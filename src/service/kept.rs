//! Lists kept between requests while nothing they show can have changed (issue 17).
//!
//! The most read pages of a node (its home page, an association's page) show every visitor
//! the same cards, and building them reads tens of missions with their slots, owners and
//! pictures: several statements and a few thousand values copied out of the database for
//! each request, a cost that the cards, not the visitor, decide. A card changes only when
//! one of these rows changes, or when time alone changes it (a mission or one of its slots
//! ends). Every such write is already logged, in the transaction that makes it, by triggers
//! on both back ends: the search's change log (`search_change`, migrations 0021, 0033 and
//! 0034).
//!
//! So a kept value carries the log's version read *before* the rows it was built from, the
//! instant it was built and the first instant at which time alone would change it; it is
//! served while the version is still the same and the clock between the two. The version is
//! read again for every request (`search_log_version`: the last row of an index and the
//! highest place pruned on SQLite; on PostgreSQL one statement that also counts the entries
//! committed since the oldest transaction still running, see
//! [`LogVersion`](crate::storage::search::LogVersion)), so a change committed by any process
//! sharing the database shows on the very next page, as it did without the cache, whatever
//! else runs on the server, and nothing waits for the search index to catch up. A value built
//! while a change committed between the version's read and the rows' read is served with the
//! older version and dropped at the next request, which reads the newer one: never stale,
//! sometimes built twice.

use super::Result;
use crate::storage::{search::LogVersion, Store};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Where the log of changes stands: two reads that give the same version saw the same rows
/// of missions, slots, sign-ups, pictures, resources, loans and associations' names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(LogVersion);

/// The version of the data now (read it before the rows a kept value is built from).
async fn version(store: &dyn Store) -> Result<Version> {
    Ok(Version(store.search_log_version().await?))
}

/// The earlier of two instants at which time alone changes a kept value (`None`: never).
pub fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    a.into_iter().chain(b).min()
}

/// About how many bytes a kept value holds: what a cache's budget counts.
pub trait Weigh {
    fn weigh(&self) -> usize;
}

impl Weigh for String {
    fn weigh(&self) -> usize {
        self.capacity()
    }
}

/// A value with what it weighs, for values that cannot weigh themselves.
pub struct Weighed<T> {
    pub value: T,
    weight: usize,
}

impl<T> Weighed<T> {
    pub fn of(value: T, weight: usize) -> Self {
        Weighed { value, weight }
    }
}

impl<T> Weigh for Weighed<T> {
    fn weigh(&self) -> usize {
        self.weight
    }
}

/// The length of `value` written as JSON, without writing it anywhere: a weight.
pub fn json_bytes<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

struct Entry<V> {
    weight: usize,
    version: Version,
    /// When it was built: a clock set back before it does not get it.
    from: DateTime<Utc>,
    /// The first instant at which time alone would change it (`None`: never).
    until: Option<DateTime<Utc>>,
    value: Arc<V>,
}

impl<V> Entry<V> {
    fn valid(&self, version: Version, now: DateTime<Utc>) -> bool {
        self.version == version && self.from <= now && self.until.is_none_or(|u| now < u)
    }
}

/// Builds that may run at once per cache: keys are spread over this many locks.
const BUILDS: usize = 8;

/// The entries and the bytes they hold.
struct Entries<K, V> {
    by_key: HashMap<K, Entry<V>>,
    bytes: usize,
}

/// Values kept per key: at most `most` of them, holding at most `budget` bytes.
pub struct Kept<K, V> {
    entries: Mutex<Entries<K, V>>,
    most: usize,
    budget: usize,
    /// One build of a key at a time: when a change drops a busy page, the requests that come
    /// meanwhile wait for the one build instead of each reading the same rows (measured: at
    /// ten changes a second, sixteen connections on the home page rebuilt it together and its
    /// p99 rose from 4 to 21–23 ms).
    builds: [tokio::sync::Mutex<()>; BUILDS],
    /// Which of `builds` a key takes.
    spread: std::hash::RandomState,
}

impl<K: Eq + Hash, V: Weigh> Kept<K, V> {
    pub fn new(most: usize, budget: usize) -> Self {
        let entries = Entries {
            by_key: HashMap::new(),
            bytes: 0,
        };
        Kept {
            entries: Mutex::new(entries),
            most: most.max(1),
            budget,
            builds: std::array::from_fn(|_| tokio::sync::Mutex::new(())),
            spread: std::hash::RandomState::new(),
        }
    }

    /// The value kept for `key`, if it is still valid at `version` and `now`.
    fn get(&self, key: &K, version: Version, now: DateTime<Utc>) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        (entries.by_key.get(key))
            .filter(|e| e.valid(version, now))
            .map(|e| e.value.clone())
    }

    /// Keeps `value`, built at `from` from rows read after `version`, until `until`. A value
    /// larger than the whole budget is not kept.
    ///
    /// When full (by count or by bytes), the entries of older versions go first, then all of
    /// them: a least-recently-used order would cost a write under the lock on every hit, and
    /// a node fills this only when more of its pages than the budget holds are read between
    /// two changes (a crawler walking every page then costs what it cost without a cache).
    fn keep(
        &self,
        key: K,
        value: V,
        version: Version,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
    ) -> Arc<V> {
        let weight = value.weigh();
        let value = Arc::new(value);
        if weight > self.budget {
            return value;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entries = &mut *entries;
        if let Some(old) = entries.by_key.remove(&key) {
            entries.bytes -= old.weight;
        }
        let full =
            |e: &Entries<K, V>| e.by_key.len() >= self.most || e.bytes + weight > self.budget;
        if full(entries) {
            entries.by_key.retain(|_, e| e.version == version);
            entries.bytes = entries.by_key.values().map(|e| e.weight).sum();
            if full(entries) {
                entries.by_key.clear();
                entries.bytes = 0;
            }
        }
        let entry = Entry {
            weight,
            version,
            from,
            until,
            value: value.clone(),
        };
        entries.bytes += weight;
        entries.by_key.insert(key, entry);
        value
    }

    /// The value kept for `key` if still valid, else the one `read` builds from the rows as
    /// they are at `now` (with the first instant at which time alone changes it), kept. The
    /// log's head is read first, then the rows. One build per key at a time: a request that
    /// waited for another's reads the head again and takes what that one built if it is
    /// still valid.
    pub async fn get_or_read<F, Fut>(
        &self,
        store: &dyn Store,
        now: DateTime<Utc>,
        key: K,
        read: F,
    ) -> Result<Arc<V>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(V, Option<DateTime<Utc>>)>>,
    {
        let seen = version(store).await?;
        if let Some(kept) = self.get(&key, seen, now) {
            return Ok(kept);
        }
        let _building = self.builds[self.lock_of(&key)].lock().await;
        let version = version(store).await?;
        if let Some(kept) = self.get(&key, version, now) {
            return Ok(kept);
        }
        let (value, until) = read().await?;
        Ok(self.keep(key, value, version, now, until))
    }

    fn lock_of(&self, key: &K) -> usize {
        use std::hash::BuildHasher;
        (self.spread.hash_one(key) % BUILDS as u64) as usize
    }

    /// How many values are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.by_key.len()
    }

    /// The bytes the kept values hold, as they weigh them.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, hour, 0, 0).unwrap()
    }

    fn v(id: i64) -> Version {
        let head = crate::storage::search::ChangeCursor { tx: 0, id };
        Version(LogVersion {
            head,
            ..LogVersion::default()
        })
    }

    impl Weigh for i32 {
        fn weigh(&self) -> usize {
            4
        }
    }

    impl Weigh for &str {
        fn weigh(&self) -> usize {
            self.len()
        }
    }

    #[test]
    fn a_kept_value_is_served_only_at_its_version_and_within_its_time() {
        let kept = Kept::new(8, 1024);
        kept.keep("home", 1, v(5), at(10), Some(at(12)));
        assert_eq!(kept.get(&"home", v(5), at(10)).as_deref(), Some(&1));
        assert_eq!(kept.get(&"home", v(5), at(11)).as_deref(), Some(&1));
        // A change logged since: built again.
        assert_eq!(kept.get(&"home", v(6), at(11)), None);
        // Time alone changed it (a mission or slot ended at 12:00), or the clock went back.
        assert_eq!(kept.get(&"home", v(5), at(12)), None);
        assert_eq!(kept.get(&"home", v(5), at(9)), None);
        assert_eq!(kept.get(&"other", v(5), at(10)), None);
        // Without an end, only a change drops it.
        kept.keep("home", 2, v(6), at(10), None);
        assert_eq!(kept.get(&"home", v(6), at(23)).as_deref(), Some(&2));
    }

    #[test]
    fn a_full_cache_drops_older_versions_first_and_never_grows_past_its_size() {
        let kept = Kept::new(3, 1024);
        kept.keep(1, "a", v(1), at(10), None);
        kept.keep(2, "b", v(2), at(10), None);
        kept.keep(3, "c", v(2), at(10), None);
        kept.keep(4, "d", v(2), at(10), None);
        assert_eq!(kept.len(), 3);
        assert_eq!(kept.get(&1, v(1), at(10)), None);
        assert_eq!(kept.get(&4, v(2), at(10)).as_deref(), Some(&"d"));
        kept.keep(5, "e", v(2), at(10), None);
        assert!(kept.len() <= 3);
        assert_eq!(kept.get(&5, v(2), at(10)).as_deref(), Some(&"e"));
        // Replacing a kept key never evicts.
        kept.keep(5, "f", v(2), at(10), None);
        assert_eq!(kept.get(&5, v(2), at(10)).as_deref(), Some(&"f"));
    }

    #[test]
    fn a_cache_never_holds_more_bytes_than_its_budget() {
        let kept = Kept::new(100, 10);
        kept.keep(1, "abcd", v(1), at(10), None);
        kept.keep(2, "efgh", v(2), at(10), None);
        assert_eq!(kept.bytes(), 8);
        // Over the budget: the older version goes first.
        kept.keep(3, "ijkl", v(2), at(10), None);
        assert_eq!((kept.len(), kept.bytes()), (2, 8));
        assert_eq!(kept.get(&1, v(1), at(10)), None);
        assert_eq!(kept.get(&3, v(2), at(10)).as_deref(), Some(&"ijkl"));
        // Still over with one version: emptied, then kept.
        kept.keep(4, "mnop", v(2), at(10), None);
        assert_eq!((kept.len(), kept.bytes()), (1, 4));
        // Replacing a key counts its new size only.
        kept.keep(4, "qrstuv", v(2), at(10), None);
        assert_eq!((kept.len(), kept.bytes()), (1, 6));
        // Larger than the whole budget: served, not kept.
        let big = kept.keep(5, "0123456789ab", v(2), at(10), None);
        assert_eq!(*big, "0123456789ab");
        assert_eq!(kept.get(&5, v(2), at(10)), None);
        assert_eq!(kept.bytes(), 6);
    }
}
