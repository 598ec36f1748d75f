//! A checked search turned into the index's query: every word of the text must be found in
//! some field (the title counts most), and each filter is a clause that must hold. What is
//! over, the dates, the distance and the map's box are numbers the collector checks on each
//! match (`collector::Checks`); without words, the dates and the box are clauses as well.

use super::analysis::{analyze, keyword_term};
use super::schema::{Fields, NO_DATE};
use crate::domain::search::{ItemKind, Mode, SearchQuery};
use chrono::{DateTime, Utc};
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// A field of the index, picked from them all.
type Pick = fn(&Fields) -> Field;

/// How much each field counts when a word is found in it.
const BOOSTS: [(Pick, f32); 5] = [
    (|f| f.title, 3.0),
    (|f| f.skills, 1.5),
    (|f| f.association, 1.5),
    (|f| f.locality, 1.2),
    (|f| f.description, 1.0),
];

type Clause = (Occur, Box<dyn Query>);

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn u64_is(field: Field, value: u64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, value),
        IndexRecordOption::Basic,
    ))
}

/// A range of a number; without any bound (tantivy refuses those), everything.
fn i64_range(field: Field, low: Bound<i64>, high: Bound<i64>) -> Box<dyn Query> {
    if matches!((&low, &high), (Bound::Unbounded, Bound::Unbounded)) {
        return Box::new(AllQuery);
    }
    let t = |v| Term::from_field_i64(field, v);
    Box::new(RangeQuery::new(low.map(t), high.map(t)))
}

fn f64_range(field: Field, low: f64, high: f64) -> Box<dyn Query> {
    let t = |v| Term::from_field_f64(field, v);
    Box::new(RangeQuery::new(
        Bound::Included(t(low)),
        Bound::Included(t(high)),
    ))
}

/// Any of these queries.
fn any(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// A filter: it must hold, and it does not change the score.
fn must(q: Box<dyn Query>) -> Clause {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

fn seconds(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// The query of a search (what is over is left out by the collector).
pub fn build(f: &Fields, q: &SearchQuery) -> Box<dyn Query> {
    let mut clauses: Vec<Clause> = Vec::new();
    let words = analyze(&q.text);
    // Without words to find, nothing narrows the matches before the collector: the dates and
    // the box are then clauses too (each a scan of a column, cheaper than checking every
    // item one by one; with words, the other way round).
    let ranges = words.is_empty();
    for word in words {
        let fields = BOOSTS
            .iter()
            .map(|(field, boost)| {
                Box::new(BoostQuery::new(term(field(f), &word), *boost)) as Box<dyn Query>
            })
            .collect();
        clauses.push((Occur::Must, any(fields)));
    }
    // What is over is never shown: the collector checks each match's end (a clause matching
    // nearly every item would cost a scan of the whole column at each search).
    if !q.kinds.is_empty() {
        let kinds = q.kinds.iter().map(|k| term(f.kind, k.as_str())).collect();
        clauses.push(must(any(kinds)));
    }
    // Dates and places concern missions and events; equipment is asked for on its page.
    let equipment = || term(f.kind, ItemKind::Equipment.as_str());
    // Dates, the distance and the map's box are checked by the collector (`Checks`).
    if ranges && (q.from.is_some() || q.to.is_some()) {
        let low = q
            .from
            .map_or(Bound::Unbounded, |t| Bound::Included(seconds(t)));
        let high =
            q.to.map_or(Bound::Unbounded, |t| Bound::Excluded(seconds(t)));
        let overlaps: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, i64_range(f.end, low, Bound::Excluded(NO_DATE))),
            (Occur::Must, i64_range(f.start, Bound::Unbounded, high)),
        ]));
        clauses.push(must(any(vec![equipment(), overlaps])));
    }
    if ranges {
        let boxes = q.near.map(|c| c.bounding_box()).into_iter().chain(q.bbox);
        for b in boxes {
            clauses.push(must(f64_range(f.lat, b.south, b.north)));
            clauses.push(must(f64_range(f.lon, b.west, b.east)));
        }
    }
    if q.places_left {
        // A slot with places left in the dates, or a mission without slots with places left.
        let dated = q.from.is_some() || q.to.is_some();
        let slot_open = if dated {
            let low = q
                .from
                .map_or(Bound::Unbounded, |t| Bound::Included(seconds(t)));
            let high =
                q.to.map_or(Bound::Unbounded, |t| Bound::Excluded(seconds(t)));
            any(vec![
                i64_range(f.open_start, low, high),
                u64_is(f.slotted, 0),
            ])
        } else {
            Box::new(AllQuery)
        };
        let open: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, u64_is(f.has_places, 1)),
            (Occur::Must, slot_open),
        ]));
        clauses.push(must(any(vec![equipment(), open])));
    }
    if !q.categories.is_empty() {
        let codes = q.categories.iter().map(|c| term(f.category, c));
        clauses.push(must(any(codes.collect())));
    }
    if !q.skills.is_empty() {
        let skills = q.skills.iter().map(|s| term(f.skill, &keyword_term(s)));
        clauses.push(must(any(skills.collect())));
    }
    match q.mode {
        Some(Mode::Remote) => clauses.push(must(u64_is(f.online, 1))),
        Some(Mode::InPerson) => clauses.push(must(u64_is(f.online, 0))),
        None => {}
    }
    if clauses.is_empty() {
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(clauses))
}
