//! Collecting one page of results: every match is counted (`total`), its exact distance from
//! the point checked (the query only bounded it by a box), and the best `offset + limit` kept
//! in the order asked (relevance, date or distance).

use crate::domain::search::{Circle, Sort};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// A match, with what orders it.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub address: DocAddress,
    /// Smaller first: minus the score, or the distance, or 0 when sorting by date.
    rank: f64,
    start: i64,
    pub distance_km: Option<f64>,
}

impl Hit {
    fn order(&self, other: &Hit) -> Ordering {
        self.rank
            .total_cmp(&other.rank)
            .then(self.start.cmp(&other.start))
            .then(self.address.cmp(&other.address))
    }
}

impl PartialEq for Hit {
    fn eq(&self, other: &Self) -> bool {
        self.order(other) == Ordering::Equal
    }
}
impl Eq for Hit {}
impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Hit {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order(other)
    }
}

/// The best `keep` hits (a max-heap: the worst kept is on top) and how many matched.
#[derive(Default)]
pub struct Best {
    pub total: usize,
    heap: BinaryHeap<Hit>,
    keep: usize,
}

impl Best {
    fn push(&mut self, hit: Hit) {
        self.total += 1;
        if self.heap.len() < self.keep {
            self.heap.push(hit);
        } else if self.heap.peek().is_some_and(|worst| hit < *worst) {
            self.heap.pop();
            self.heap.push(hit);
        }
    }

    /// The hits kept, best first.
    pub fn into_sorted(self) -> Vec<Hit> {
        self.heap.into_sorted_vec()
    }
}

/// Collects the matches of a search.
pub struct Hits {
    pub sort: Sort,
    pub near: Option<Circle>,
    /// How many of the best to keep: the page's offset plus its limit.
    pub keep: usize,
    /// A text was given: scores matter.
    pub scored: bool,
}

pub struct SegmentHits {
    segment: SegmentOrdinal,
    sort: Sort,
    near: Option<Circle>,
    start: Column<i64>,
    lat: Column<f64>,
    lon: Column<f64>,
    best: Best,
}

impl Collector for Hits {
    type Fruit = Best;
    type Child = SegmentHits;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHits> {
        let fast = reader.fast_fields();
        Ok(SegmentHits {
            segment,
            sort: self.sort,
            near: self.near,
            start: fast.i64("start")?,
            lat: fast.f64("lat")?,
            lon: fast.f64("lon")?,
            best: Best {
                keep: self.keep,
                ..Best::default()
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored && self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Best>) -> tantivy::Result<Best> {
        let mut all = Best {
            keep: self.keep,
            ..Best::default()
        };
        for fruit in fruits {
            let total = all.total + fruit.total;
            for hit in fruit.heap {
                all.push(hit);
            }
            all.total = total;
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Best;

    fn collect(&mut self, doc: DocId, score: Score) {
        let distance_km = match &self.near {
            Some(circle) => {
                let (Some(lat), Some(lon)) = (self.lat.first(doc), self.lon.first(doc)) else {
                    return;
                };
                let d = circle.distance_km(lat, lon);
                if d > circle.radius_km {
                    return;
                }
                Some(d)
            }
            None => None,
        };
        let start = self.start.first(doc).unwrap_or(i64::MAX);
        let rank = match self.sort {
            Sort::Relevance => -f64::from(score),
            Sort::Date => 0.0,
            Sort::Distance => distance_km.unwrap_or(f64::MAX),
        };
        self.best.push(Hit {
            address: DocAddress::new(self.segment, doc),
            rank,
            start,
            distance_km,
        });
    }

    fn harvest(self) -> Best {
        self.best
    }
}
