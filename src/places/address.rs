//! The address service's answer (the BAN's `/search`, addok's: a GeoJSON FeatureCollection),
//! the brake on how often it is asked, and the answers kept: pure parts of
//! `service::places`.

use super::Point;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};

/// A score under this is a guess, not an address: the gazetteer answers instead.
pub const MIN_SCORE: f64 = 0.5;

/// The best feature of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressHit {
    pub point: Point,
    /// "12 Rue de Siam 29200 Brest".
    pub label: String,
    /// The INSEE code of its commune.
    pub citycode: String,
    pub score: f64,
}

#[derive(Deserialize)]
struct Collection {
    #[serde(default)]
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    geometry: Geometry,
    #[serde(default)]
    properties: Properties,
}

#[derive(Deserialize)]
struct Geometry {
    coordinates: Vec<f64>,
}

#[derive(Deserialize, Default)]
struct Properties {
    #[serde(default)]
    label: String,
    #[serde(default)]
    citycode: String,
    #[serde(default)]
    score: f64,
}

/// The first feature of an answer scoring at least [`MIN_SCORE`], with a position on Earth;
/// `Err` when the body is no FeatureCollection.
pub fn best_feature(body: &[u8]) -> Result<Option<AddressHit>, serde_json::Error> {
    let c: Collection = serde_json::from_slice(body)?;
    Ok(c.features.into_iter().find_map(|f| {
        let [lon, lat] = f.geometry.coordinates[..] else {
            return None;
        };
        let on_earth = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        (on_earth && f.properties.score >= MIN_SCORE).then_some(AddressHit {
            point: Point {
                latitude: lat,
                longitude: lon,
            },
            label: f.properties.label,
            citycode: f.properties.citycode,
            score: f.properties.score,
        })
    }))
}

/// At most `per_second` requests a second, in bursts of as many: a token bucket read at the
/// instant it is given.
#[derive(Debug)]
pub struct RateLimit {
    per_second: f64,
    tokens: f64,
    last: Option<DateTime<Utc>>,
}

impl RateLimit {
    pub fn new(per_second: u32) -> RateLimit {
        let per_second = f64::from(per_second.max(1));
        RateLimit {
            per_second,
            tokens: per_second,
            last: None,
        }
    }

    /// Whether one more request may go now (and counts it if so).
    pub fn take(&mut self, now: DateTime<Utc>) -> bool {
        if let Some(last) = self.last {
            let elapsed = (now - last).num_milliseconds().max(0) as f64 / 1000.0;
            self.tokens = (self.tokens + elapsed * self.per_second).min(self.per_second);
        }
        self.last = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Answers kept, at most `capacity`, the oldest dropped first.
#[derive(Debug)]
pub struct Kept<V> {
    capacity: usize,
    map: HashMap<String, V>,
    order: VecDeque<String>,
}

impl<V: Clone> Kept<V> {
    pub fn new(capacity: usize) -> Kept<V> {
        Kept {
            capacity,
            map: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    pub fn get(&self, key: &str) -> Option<V> {
        self.map.get(key).cloned()
    }

    pub fn put(&mut self, key: String, value: V) {
        if self.capacity == 0 {
            return;
        }
        if self.map.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn the_best_feature_of_an_answer() {
        let body = br#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[-4.4945,48.3870]},
             "properties":{"label":"12 Rue de Siam 29200 Brest","score":0.93,"citycode":"29019","type":"housenumber"}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[-4.5,48.4]},
             "properties":{"label":"Rue de Siam","score":0.6,"citycode":"29019"}}]}"#;
        let hit = best_feature(body).expect("parses").expect("a hit");
        assert_eq!(hit.citycode, "29019");
        assert_eq!(hit.point.latitude, 48.3870);
        assert_eq!(hit.point.longitude, -4.4945);
        let weak = br#"{"features":[{"geometry":{"coordinates":[-4.4,48.3]},"properties":{"score":0.2}}]}"#;
        assert_eq!(best_feature(weak).expect("parses"), None);
        let off_earth =
            br#"{"features":[{"geometry":{"coordinates":[200,48.3]},"properties":{"score":0.9}}]}"#;
        assert_eq!(best_feature(off_earth).expect("parses"), None);
        assert_eq!(best_feature(br#"{"features":[]}"#).expect("parses"), None);
        assert!(best_feature(b"<html>busy</html>").is_err());
    }

    #[test]
    fn the_rate_limit_refills_with_time() {
        let t0 = Utc.with_ymd_and_hms(2030, 1, 7, 9, 0, 0).unwrap();
        let mut limit = RateLimit::new(2);
        assert!(limit.take(t0));
        assert!(limit.take(t0));
        assert!(!limit.take(t0), "a burst of 2 at most");
        assert!(!limit.take(t0 + Duration::milliseconds(400)));
        assert!(
            limit.take(t0 + Duration::milliseconds(600)),
            "one more after half a second"
        );
        assert!(!limit.take(t0 + Duration::milliseconds(600)));
        assert!(limit.take(t0 + Duration::seconds(10)));
        assert!(limit.take(t0 + Duration::seconds(10)));
        assert!(
            !limit.take(t0 + Duration::seconds(10)),
            "the bucket holds 2, not 20"
        );
    }

    #[test]
    fn kept_answers_are_bounded() {
        let mut kept = Kept::new(2);
        kept.put("a".into(), 1);
        kept.put("b".into(), 2);
        kept.put("a".into(), 3);
        assert_eq!(kept.get("a"), Some(3));
        kept.put("c".into(), 4);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept.get("a"), None, "the oldest went first");
        assert_eq!(kept.get("c"), Some(4));
        let mut none = Kept::new(0);
        none.put("a".into(), 1);
        assert!(none.is_empty());
    }
}
