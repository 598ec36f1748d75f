//! Collecting one page of results: every match is counted (`total`), its exact distance from
//! the point checked (the query only bounded it by a box), and the best `offset + limit` kept
//! in the order asked (relevance, date or distance).

use super::schema::NO_DATE;
use crate::domain::search::{BBox, Circle, Sort};
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

/// The checks on numbers made for each match rather than by the query: a range clause in the
/// query costs a scan of its whole column at every search, whatever the text leaves, while a
/// match's own values are read here for sorting anyway. Measured with `benches/search.rs`
/// (120,000 items): a third less work a search with text, dates and distance.
#[derive(Debug, Clone, Copy, Default)]
pub struct Checks {
    /// Items that ended before this instant (seconds) are over: left out.
    pub not_before: i64,
    /// Dated items must overlap `[from, to)` (seconds); items without dates (equipment, the
    /// only kind without) are asked for on their own page and pass.
    pub dates: Option<(Option<i64>, Option<i64>)>,
    /// Within this distance of a point.
    pub near: Option<Circle>,
    /// Within the map's box.
    pub bbox: Option<BBox>,
}

/// Collects the matches of a search.
pub struct Hits {
    pub checks: Checks,
    pub sort: Sort,
    /// How many of the best to keep: the page's offset plus its limit.
    pub keep: usize,
    /// A text was given: scores matter.
    pub scored: bool,
}

pub struct SegmentHits {
    segment: SegmentOrdinal,
    checks: Checks,
    /// The circle's box, checked before the exact distance.
    near_box: Option<BBox>,
    sort: Sort,
    start: Column<i64>,
    end: Column<i64>,
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
            checks: self.checks,
            near_box: self.checks.near.map(|c| c.bounding_box()),
            sort: self.sort,
            start: fast.i64("start")?,
            end: fast.i64("end")?,
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

impl SegmentHits {
    /// The distance from the point asked, when one was; `Err` when the item is out of place.
    #[allow(clippy::result_unit_err)]
    fn placed(&self, doc: DocId) -> Result<Option<f64>, ()> {
        let checks = &self.checks;
        if checks.near.is_none() && checks.bbox.is_none() {
            return Ok(None);
        }
        let (Some(lat), Some(lon)) = (self.lat.first(doc), self.lon.first(doc)) else {
            return Err(());
        };
        if checks.bbox.is_some_and(|b| !b.contains(lat, lon)) {
            return Err(());
        }
        match (&checks.near, &self.near_box) {
            (Some(circle), Some(square)) => {
                if !square.contains(lat, lon) {
                    return Err(());
                }
                let d = circle.distance_km(lat, lon);
                if d > circle.radius_km {
                    return Err(());
                }
                Ok(Some(d))
            }
            _ => Ok(None),
        }
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Best;

    fn collect(&mut self, doc: DocId, score: Score) {
        let end = self.end.first(doc).unwrap_or(NO_DATE);
        if end < self.checks.not_before {
            return;
        }
        let start = self.start.first(doc).unwrap_or(NO_DATE);
        if let Some((from, to)) = self.checks.dates {
            let dated = end != NO_DATE;
            if dated && (from.is_some_and(|f| end < f) || to.is_some_and(|t| start >= t)) {
                return;
            }
        }
        let Ok(distance_km) = self.placed(doc) else {
            return;
        };
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
