//! A checked search turned into the index's query: every word of the text must be found in
//! some field (the title counts most), and each filter is a clause that must hold. What is
//! over, the dates, the distance and the map's box are numbers the collector checks on each
//! match (`collector::Checks`).

use super::analysis::keyword_term;
use super::schema::Fields;
use crate::domain::search::{ItemKind, Mode, SearchQuery};
use chrono::{DateTime, Utc};
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// A field of the index, picked from them all.
pub(super) type Pick = fn(&Fields) -> Field;

/// How much each field counts when a word is found in it.
pub(super) const BOOSTS: [(Pick, f32); 5] = [
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

/// The query of a search with these words of its text (what is over is left out by the
/// collector; the words of a short text are matched by `words`, and not given here).
pub fn build(f: &Fields, q: &SearchQuery, words: &[String]) -> Box<dyn Query> {
    let mut clauses: Vec<Clause> = Vec::new();
    for word in words {
        let fields = BOOSTS
            .iter()
            .map(|(field, boost)| {
                Box::new(BoostQuery::new(term(field(f), word), *boost)) as Box<dyn Query>
            })
            .collect();
        clauses.push((Occur::Must, any(fields)));
    }
    // What is over, the dates, the distance and the map's box are checked by the collector
    // on the numbers it holds (`collector::Numbers`): a range clause would scan a whole column
    // at each search.
    if !q.kinds.is_empty() {
        let kinds = q.kinds.iter().map(|k| term(f.kind, k.as_str())).collect();
        clauses.push(must(any(kinds)));
    }
    // Dates and places concern missions and events; equipment is asked for on its page.
    let equipment = || term(f.kind, ItemKind::Equipment.as_str());
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
