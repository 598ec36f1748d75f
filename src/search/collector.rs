//! Collecting one page of results: every match is counted (`total`), its dates and place
//! checked (the query only holds the text and the other filters), and the best
//! `offset + limit` kept in the order asked (relevance, date or distance).

use super::schema::NO_DATE;
use crate::domain::search::{BBox, Circle, Screen, Sort};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

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

/// The numbers of an item the search checks and sorts by.
#[derive(Debug, Clone, Copy)]
struct Row {
    end: i64,
    start: i64,
    /// NaN without a position.
    lat: f64,
    lon: f64,
}

/// The dates and positions of a segment's items, read once from its columns and kept as long
/// as the segment is searched (32 bytes an item, 3.8 MB for 120,000, and the 40 of its copy in
/// date order). Reading tantivy's columns item by item (a call through a trait object and an
/// unpacking for each value) was most of the cost of a search without text:
/// `benches/search.rs`, 120,000 items, dates and distance, docs/benchmarks.md.
pub struct Numbers {
    rows: Box<[Row]>,
    /// The items with both dates by start date, and the others (equipment), each with a copy
    /// of its numbers: a search without text that ends at a date reads only the items that
    /// start before it, front to back (`Hits::by_dates`). Read through the item's number
    /// instead, each row was a wait on memory (40 bytes an item, 4.8 MB for 120,000).
    by_start: Box<[Numbered]>,
    undated: Box<[Numbered]>,
}

/// An item's numbers with its number in the segment.
#[derive(Debug, Clone, Copy)]
struct Numbered {
    row: Row,
    doc: DocId,
}

impl Numbers {
    /// Reads the columns of a segment.
    pub fn read(reader: &SegmentReader) -> tantivy::Result<Numbers> {
        const CHUNK: u32 = 1024;
        let fast = reader.fast_fields();
        let (start, end) = (fast.i64("start")?, fast.i64("end")?);
        let (lat, lon) = (fast.f64("lat")?, fast.f64("lon")?);
        let max_doc = reader.max_doc();
        let mut rows = Vec::with_capacity(max_doc as usize);
        let mut docs = Vec::with_capacity(CHUNK as usize);
        let (mut starts, mut ends) = (vec![None; CHUNK as usize], vec![None; CHUNK as usize]);
        let (mut lats, mut lons) = (vec![None; CHUNK as usize], vec![None; CHUNK as usize]);
        let mut first = 0;
        while first < max_doc {
            let n = CHUNK.min(max_doc - first);
            docs.clear();
            docs.extend(first..first + n);
            let len = n as usize;
            for (column, out) in [(&start, &mut starts), (&end, &mut ends)] {
                out[..len].fill(None);
                column.first_vals(&docs, &mut out[..len]);
            }
            for (column, out) in [(&lat, &mut lats), (&lon, &mut lons)] {
                out[..len].fill(None);
                column.first_vals(&docs, &mut out[..len]);
            }
            for i in 0..len {
                let position = lats[i].zip(lons[i]);
                rows.push(Row {
                    end: ends[i].unwrap_or(NO_DATE),
                    start: starts[i].unwrap_or(NO_DATE),
                    lat: position.map_or(f64::NAN, |p| p.0),
                    lon: position.map_or(f64::NAN, |p| p.1),
                });
            }
            first += n;
        }
        let numbered = (0..max_doc).map(|doc| Numbered {
            row: rows[doc as usize],
            doc,
        });
        let (mut by_start, undated): (Vec<_>, Vec<_>) =
            numbered.partition(|n| n.row.start != NO_DATE && n.row.end != NO_DATE);
        by_start.sort_unstable_by_key(|n| n.row.start);
        Ok(Numbers {
            by_start: by_start.into_boxed_slice(),
            undated: undated.into_boxed_slice(),
            rows: rows.into_boxed_slice(),
        })
    }

    /// The items that may pass `checks`' dates, with their numbers: those without dates, then
    /// the dated ones that start before the end of the dates (all of them when the dates have
    /// no end). Every other item fails `SegmentHits::collect`'s date check.
    fn candidates(&self, checks: &Checks) -> impl Iterator<Item = &Numbered> + '_ {
        let starting = match checks.dates.and_then(|(_, to)| to) {
            Some(to) => self.by_start.partition_point(|n| n.row.start < to),
            None => self.by_start.len(),
        };
        self.undated.iter().chain(&self.by_start[..starting])
    }
}

/// The checks on numbers made for each match rather than by the query: a range clause in the
/// query costs a scan of its whole column at every search, whatever the text leaves, while a
/// match's own values are at hand here (`Numbers`).
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

/// Where matches must be, as the collector checks it.
#[derive(Debug, Clone, Copy)]
struct Area {
    /// Positions outside are out: the map's box and the circle's box, both (items without a
    /// position are out too: NaN is in no box).
    outer: BBox,
    circle: Option<Circle>,
    /// The quick look at the circle, which spares most positions their exact distance.
    screen: Option<Screen>,
}

impl Area {
    fn of(checks: &Checks) -> Option<Area> {
        // With both, the part of the map's box in the circle's (when they do not meet, a box
        // with its south above its north, that nothing is in).
        let outer = match (checks.near.map(|c| c.bounding_box()), checks.bbox) {
            (None, None) => return None,
            (Some(b), None) | (None, Some(b)) => b,
            (Some(a), Some(b)) => BBox {
                south: a.south.max(b.south),
                west: a.west.max(b.west),
                north: a.north.min(b.north),
                east: a.east.min(b.east),
            },
        };
        Some(Area {
            outer,
            circle: checks.near,
            screen: checks.near.and_then(|c| c.screen()),
        })
    }
}

/// Collects the matches of a search.
pub struct Hits {
    pub checks: Checks,
    pub sort: Sort,
    /// How many of the best to keep: the page's offset plus its limit.
    pub keep: usize,
    /// A text was given: scores matter.
    pub scored: bool,
    /// The numbers of each segment of the searcher, in its order.
    pub numbers: Vec<Arc<Numbers>>,
}

impl Hits {
    /// The matches of a search without text or other filter, found through the numbers' date
    /// order: only the items its dates can keep are looked at, where tantivy's query of
    /// everything hands the collector every item of the index (the measured cost of a dated
    /// search without text, docs/benchmarks.md, issue 15).
    pub fn by_dates(&self, searcher: &Searcher) -> tantivy::Result<Best> {
        let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let mut segment = self.for_segment(ordinal as SegmentOrdinal, reader)?;
            let alive = reader.alive_bitset();
            for n in segment.numbers.candidates(&self.checks) {
                if alive.is_none_or(|a| a.is_alive(n.doc)) {
                    segment.keep.row(n.doc, &n.row, 0.0);
                }
            }
            fruits.push(segment.harvest());
        }
        self.merge_fruits(fruits)
    }
}

pub struct SegmentHits {
    numbers: Arc<Numbers>,
    keep: Keep,
}

/// What a segment's matches are checked against, and the best of them so far.
struct Keep {
    segment: SegmentOrdinal,
    checks: Checks,
    area: Option<Area>,
    sort: Sort,
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
        let numbers = match self.numbers.get(segment as usize) {
            Some(n) => n.clone(),
            None => Arc::new(Numbers::read(reader)?),
        };
        Ok(SegmentHits {
            numbers,
            keep: Keep {
                segment,
                checks: self.checks,
                area: Area::of(&self.checks),
                sort: self.sort,
                best: Best {
                    keep: self.keep,
                    ..Best::default()
                },
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

impl Keep {
    /// Checks a match and keeps it if it is among the best.
    #[inline(always)]
    fn row(&mut self, doc: DocId, row: &Row, score: Score) {
        if row.end < self.checks.not_before {
            return;
        }
        if let Some((from, to)) = self.checks.dates {
            let dated = row.end != NO_DATE;
            if dated && (from.is_some_and(|f| row.end < f) || to.is_some_and(|t| row.start >= t)) {
                return;
            }
        }
        let mut distance_km = None;
        if let Some(area) = &self.area {
            if !area.outer.contains(row.lat, row.lon) {
                return;
            }
            if let Some(circle) = &area.circle {
                // The distance is needed to sort by it, or when the quick look cannot tell;
                // else the hits kept get theirs at the end (`harvest`).
                let sure = area.screen.and_then(|s| s.sure(row.lat, row.lon));
                if sure == Some(false) {
                    return;
                }
                if sure.is_none() || self.sort == Sort::Distance {
                    let d = circle.distance_km(row.lat, row.lon);
                    if d > circle.radius_km {
                        return;
                    }
                    distance_km = Some(d);
                }
            }
        }
        let rank = match self.sort {
            Sort::Relevance => -f64::from(score),
            Sort::Date => 0.0,
            Sort::Distance => distance_km.unwrap_or(f64::MAX),
        };
        self.best.push(Hit {
            address: DocAddress::new(self.segment, doc),
            rank,
            start: row.start,
            distance_km,
        });
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Best;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(row) = self.numbers.rows.get(doc as usize) {
            self.keep.row(doc, row, score);
        }
    }

    fn harvest(self) -> Best {
        let mut best = self.keep.best;
        if let Some(circle) = self.keep.area.and_then(|a| a.circle) {
            let rows = &self.numbers.rows;
            best.heap = (best.heap.into_iter())
                .map(|mut hit| {
                    if hit.distance_km.is_none() {
                        let row = rows[hit.address.doc_id as usize];
                        hit.distance_km = Some(circle.distance_km(row.lat, row.lon));
                    }
                    hit
                })
                .collect();
        }
        best
    }
}
