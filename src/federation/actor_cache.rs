//! Remote actors kept in memory for a short while.
//!
//! The inbox needs the sender's actor (its key, its inbox) for every activity; a busy peer
//! sends many. Reading it from the database each time was one query per activity (on
//! PostgreSQL, a round trip to another process). The cache holds what the store holds, never
//! more: it is filled from the store and replaced whenever this process writes the actor
//! (`upsert_remote_actor`), so within one process it is never behind. Another process sharing a
//! PostgreSQL database may refresh an actor; this one then sees the change within [`TTL`], and a
//! changed key is found at once anyway (a signature that fails refetches the actor).
//!
//! One cache per node (in `AppState`), never global: two nodes in one test process have the
//! same remote actor under different row ids.

use crate::domain::actor::{may_refetch_key, Actor};
use chrono::{DateTime, Utc};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// How long an actor read from the store is used without reading it again.
pub const TTL: Duration = Duration::from_secs(60);

/// At most this many actors; the cache is emptied when full (simple, and enough here: the
/// actors that sign most of the traffic come back at once).
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub struct ActorCache {
    actors: Mutex<HashMap<String, (Actor, Instant)>>,
    /// When each actor's key was last fetched again after a failed signature (node's clock).
    key_refetches: Mutex<HashMap<String, DateTime<Utc>>>,
}

impl ActorCache {
    /// The remote actor `ap_id`, if it was read or written less than [`TTL`] ago.
    pub fn get(&self, ap_id: &str) -> Option<Actor> {
        self.get_within(ap_id, TTL)
    }

    fn get_within(&self, ap_id: &str, ttl: Duration) -> Option<Actor> {
        let actors = self.actors.lock().unwrap_or_else(|e| e.into_inner());
        actors
            .get(ap_id)
            .filter(|(_, at)| at.elapsed() < ttl)
            .map(|(actor, _)| actor.clone())
    }

    /// Forgets an actor (it was deleted: the next read goes to the store).
    pub fn forget(&self, ap_id: &str) {
        let mut actors = self.actors.lock().unwrap_or_else(|e| e.into_inner());
        actors.remove(ap_id);
    }

    /// Whether a signature that failed with `actor`'s stored key may fetch it again now
    /// ([`may_refetch_key`]); when it may, the try is recorded (success or not).
    pub fn claim_key_refetch(&self, actor: &Actor, now: DateTime<Utc>) -> bool {
        let mut tries = self.key_refetches.lock().unwrap_or_else(|e| e.into_inner());
        if !may_refetch_key(
            actor.last_refreshed_at,
            tries.get(&actor.ap_id).copied(),
            now,
        ) {
            return false;
        }
        if tries.len() >= CAPACITY {
            tries.retain(|_, at| !may_refetch_key(*at, None, now));
        }
        tries.insert(actor.ap_id.clone(), now);
        true
    }

    /// Keeps a remote actor as the store has it now (local actors are not kept).
    pub fn put(&self, actor: &Actor) {
        if actor.local {
            return;
        }
        let mut actors = self.actors.lock().unwrap_or_else(|e| e.into_inner());
        if actors.len() >= CAPACITY && !actors.contains_key(&actor.ap_id) {
            actors.clear();
        }
        actors.insert(actor.ap_id.clone(), (actor.clone(), Instant::now()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::actor::ActorKind;

    fn actor(ap_id: &str, key: &str, local: bool) -> Actor {
        Actor {
            id: 1,
            ap_id: ap_id.into(),
            kind: ActorKind::parse("Person"),
            name: "x".into(),
            host: "r.example".into(),
            display_name: String::new(),
            summary: String::new(),
            inbox: format!("{ap_id}/inbox"),
            shared_inbox: None,
            outbox: None,
            followers: None,
            url: None,
            public_key_pem: key.into(),
            private_key_pem: None,
            local,
            user_id: None,
            published: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 6, 1, 9, 0, 0)
                .single()
                .expect("valid"),
            last_refreshed_at: chrono::TimeZone::with_ymd_and_hms(
                &chrono::Utc,
                2030,
                6,
                1,
                9,
                0,
                0,
            )
            .single()
            .expect("valid"),
            deleted_at: None,
        }
    }

    #[test]
    fn keeps_remote_actors_for_a_while_and_the_latest_write() {
        let cache = ActorCache::default();
        let id = "https://r.example/u/x";
        assert!(cache.get(id).is_none());
        cache.put(&actor(id, "old key", false));
        assert_eq!(
            cache.get(id).map(|a| a.public_key_pem),
            Some("old key".into())
        );
        cache.put(&actor(id, "new key", false));
        assert_eq!(
            cache.get(id).map(|a| a.public_key_pem),
            Some("new key".into())
        );
        // Past its time, the store is read again.
        assert!(cache.get_within(id, Duration::ZERO).is_none());
        // Local actors are always read from the store.
        cache.put(&actor("https://here.example/g/a", "k", true));
        assert!(cache.get("https://here.example/g/a").is_none());
    }
}
