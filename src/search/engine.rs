//! The tantivy index in its directory: opened (or made anew when missing, of another version
//! or unreadable), written (items removed and added, committed with the place in the change
//! log they reflect), and searched.

use super::analysis::{self, FRENCH, KEYWORD};
use super::collector::{Best, Checks, Hits, Numbers};
use super::schema::{schema, Fields, SCHEMA_VERSION};
use super::words::{WordHits, Words, MAX_WORDS};
use super::{query, SearchError};
use crate::domain::search::{Found, SearchItem, SearchPage, SearchQuery, Sort};
use crate::storage::search::ChangeCursor;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::{
    index::SegmentId, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};

/// What each commit records: the schema's version and the place in the change log.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    version: u32,
    cursor: ChangeCursor,
}

/// The memory the writer may fill before it writes a segment (split among its threads).
const WRITER_BUDGET: usize = 48_000_000;

pub struct Engine {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// The dates and positions of each segment searched (`collector::Numbers`).
    numbers: Mutex<HashMap<SegmentId, Arc<Numbers>>>,
}

fn empty_dir(dir: &Path) -> Result<(), SearchError> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    Ok(())
}

impl Engine {
    /// Opens the index of `dir`; with it the place in the log its last commit reflects, or
    /// `None` when the index was made anew (it must then be rebuilt from the database).
    pub fn open(dir: &Path) -> Result<(Engine, Option<ChangeCursor>), SearchError> {
        let (schema, fields) = schema();
        let existing = dir.join("meta.json").exists().then(|| {
            let index = Index::open_in_dir(dir).ok()?;
            let payload = index.load_metas().ok()?.payload?;
            let meta: Meta = serde_json::from_str(&payload).ok()?;
            (index.schema() == schema && meta.version == SCHEMA_VERSION)
                .then_some((index, meta.cursor))
        });
        let (index, cursor) = match existing.flatten() {
            Some((index, cursor)) => (index, Some(cursor)),
            None => {
                if dir.join("meta.json").exists() {
                    tracing::warn!(dir = %dir.display(), "search index unreadable or of another version: rebuilt");
                }
                empty_dir(dir)?;
                (Index::create_in_dir(dir, schema)?, None)
            }
        };
        let tokenizers = index.tokenizers();
        tokenizers.register(FRENCH, analysis::french());
        tokenizers.register(KEYWORD, analysis::keyword());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        let writer = index
            .writer_with_num_threads(threads, WRITER_BUDGET)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::Busy,
                other => SearchError::Index(other),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let engine = Engine {
            reader,
            writer: Mutex::new(writer),
            fields,
            numbers: Mutex::new(HashMap::new()),
        };
        Ok((engine, cursor))
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Forgets every document (until the next commit, readers still see them).
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Removes the items of these keys, then adds these items.
    pub fn replace(&self, remove: &[String], add: &[SearchItem]) -> Result<(), SearchError> {
        let writer = self.writer();
        for key in remove {
            writer.delete_term(Term::from_field_text(self.fields.key, key));
        }
        for item in add {
            writer.add_document(self.fields.document(item))?;
        }
        Ok(())
    }

    /// Makes what was written visible, recording the place in the log it reflects.
    pub fn commit(&self, cursor: ChangeCursor) -> Result<(), SearchError> {
        let meta = serde_json::to_string(&Meta {
            version: SCHEMA_VERSION,
            cursor,
        })
        .map_err(|e| SearchError::Corrupt(e.to_string()))?;
        {
            let mut writer = self.writer();
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(&meta);
            commit.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Drops what was written since the last commit.
    pub fn rollback(&self) {
        if let Err(e) = self.writer().rollback() {
            tracing::warn!(error = %e, "search index: rollback failed");
        }
    }

    /// How many items the index holds (as readers see it).
    pub fn items(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The size of the files of the index in `dir`, in bytes.
    pub fn size_bytes(dir: &Path) -> u64 {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// The numbers of each segment of `searcher`, in its order: read on the first search of a
    /// segment, forgotten once no searcher has the segment.
    fn numbers(&self, searcher: &Searcher) -> Result<Vec<Arc<Numbers>>, SearchError> {
        let mut known = self
            .numbers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let segments = searcher.segment_readers();
        let mut numbers = Vec::with_capacity(segments.len());
        for segment in segments {
            let n = match known.get(&segment.segment_id()) {
                Some(n) => n.clone(),
                None => {
                    let n = Arc::new(Numbers::read(segment)?);
                    known.insert(segment.segment_id(), n.clone());
                    n
                }
            };
            numbers.push(n);
        }
        if known.len() > segments.len() {
            let current: HashSet<SegmentId> = segments.iter().map(|s| s.segment_id()).collect();
            known.retain(|id, _| current.contains(id));
        }
        Ok(numbers)
    }

    /// The best matches of a checked search and how many matched; when `by_hand`, the words of
    /// a short text are matched by `words` and a search without text or filter reads the items
    /// in date order (`Hits::by_dates`); else all goes through tantivy's query, as the tests
    /// compare.
    fn best(
        &self,
        searcher: &Searcher,
        q: &SearchQuery,
        now: DateTime<Utc>,
        by_hand: bool,
    ) -> Result<Best, SearchError> {
        let numbers = self.numbers(searcher)?;
        let words = analysis::analyze(&q.text);
        let words_by_hand = by_hand && (1..=MAX_WORDS).contains(&words.len());
        let query = query::build(&self.fields, q, if words_by_hand { &[] } else { &words });
        let everything = query.is::<AllQuery>();
        let dated = q.from.is_some() || q.to.is_some();
        let collector = Hits {
            checks: Checks {
                not_before: now.timestamp(),
                dates: dated.then(|| (q.from.map(|t| t.timestamp()), q.to.map(|t| t.timestamp()))),
                near: q.near,
                bbox: q.bbox,
            },
            sort: q.sort,
            keep: q.offset + q.limit,
            scored: !words.is_empty() && q.sort == Sort::Relevance,
            numbers,
        };
        if by_hand && words.is_empty() && everything {
            return Ok(collector.by_dates(searcher)?);
        }
        if words_by_hand {
            let collector = WordHits {
                hits: collector,
                words: Words::new(searcher, &self.fields, &words)?,
                filtered: !everything,
            };
            Ok(searcher.search(&*query, &collector)?)
        } else {
            Ok(searcher.search(&*query, &collector)?)
        }
    }

    /// One page of results of a checked search; `now` leaves out what is over.
    pub fn search(&self, q: &SearchQuery, now: DateTime<Utc>) -> Result<SearchPage, SearchError> {
        let searcher = self.reader.searcher();
        let best = self.best(&searcher, q, now, true)?;
        let total = best.total;
        let mut hits = Vec::with_capacity(q.limit);
        for hit in best.into_sorted().into_iter().skip(q.offset) {
            let doc: TantivyDocument = searcher.doc(hit.address)?;
            let json = doc
                .get_first(self.fields.item)
                .and_then(|v| v.as_str())
                .unwrap_or("{}");
            let item: SearchItem =
                serde_json::from_str(json).map_err(|e| SearchError::Corrupt(e.to_string()))?;
            hits.push(Found {
                item,
                distance_km: hit.distance_km,
            });
        }
        Ok(SearchPage { total, hits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::search::{Circle, ItemKind, Mode};
    use chrono::TimeZone;

    const VOCABULARY: [&str; 12] = [
        "vélo", "jardin", "repas", "atelier", "musique", "plage", "voile", "chant", "pain",
        "livres", "danse", "couture",
    ];

    /// Items of a few words each, in every field, lengths varying (a small deterministic
    /// generator: the same items at each run).
    fn items(from: i64, n: i64, now: DateTime<Utc>) -> Vec<SearchItem> {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64.wrapping_add(from as u64);
        let mut next = move |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        (from..from + n)
            .map(|id| {
                let mut words = |count: usize| {
                    (0..count)
                        .map(|_| VOCABULARY[next(VOCABULARY.len())])
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let (title, description) = (words(1 + id as usize % 4), words(id as usize % 9));
                let (association, locality) = (words(2), words(1));
                let skills = vec![words(1)];
                let kind =
                    [ItemKind::Mission, ItemKind::Event, ItemKind::Equipment][id as usize % 3];
                let start = now + chrono::Duration::hours(next(24 * 60) as i64 - 24);
                let dated = kind != ItemKind::Equipment;
                SearchItem {
                    kind,
                    id,
                    local: true,
                    title,
                    description,
                    association,
                    skills,
                    category: "solidarity".into(),
                    locality,
                    place: String::new(),
                    online: id % 7 == 0,
                    start: dated.then_some(start),
                    end: dated.then(|| start + chrono::Duration::hours(3)),
                    position: (id % 11 != 0).then(|| {
                        (
                            48.2 + next(400) as f64 / 1000.0,
                            -4.7 + next(400) as f64 / 1000.0,
                        )
                    }),
                    places_left: None,
                    taken: 0,
                    has_places: true,
                    open_starts: Vec::new(),
                    slotted: false,
                    origin_url: format!("https://example.org/{id}"),
                }
            })
            .collect()
    }

    /// An index of two segments, `first` items then `second` more, every `gone`-th item of the
    /// first deleted; with the instant the items are dated from.
    fn two_segments(
        first: i64,
        second: i64,
        gone: i64,
    ) -> (tempfile::TempDir, Engine, DateTime<Utc>) {
        let dir = tempfile::tempdir().expect("a directory");
        let (engine, _) = Engine::open(dir.path()).expect("an index");
        let now = Utc
            .with_ymd_and_hms(2030, 1, 1, 0, 0, 0)
            .single()
            .expect("a date");
        engine.replace(&[], &items(0, first, now)).expect("added");
        engine.commit(ChangeCursor::default()).expect("committed");
        let gone: Vec<String> = (items(0, first, now).iter())
            .filter(|i| i.id % gone == 0)
            .map(SearchItem::key)
            .collect();
        let more = items(first, second, now);
        engine.replace(&gone, &more).expect("replaced");
        engine.commit(ChangeCursor::default()).expect("committed");
        (dir, engine, now)
    }

    /// Searches `q` by both paths of `Engine::best`; asserts the same total, the same hits in
    /// the same order (scores equal to the bit) and the same distances; how many hits.
    fn both_paths_agree(
        engine: &Engine,
        searcher: &Searcher,
        q: &SearchQuery,
        at: DateTime<Utc>,
    ) -> usize {
        let ours = engine.best(searcher, q, at, true).expect("found");
        let tantivys = engine.best(searcher, q, at, false).expect("found");
        assert_eq!(ours.total, tantivys.total, "{q:?}");
        let (ours, tantivys) = (ours.into_sorted(), tantivys.into_sorted());
        assert_eq!(ours, tantivys, "{q:?}");
        let distances = |hits: &[super::super::collector::Hit]| -> Vec<Option<f64>> {
            hits.iter().map(|h| h.distance_km).collect()
        };
        assert_eq!(distances(&ours), distances(&tantivys), "{q:?}");
        ours.len()
    }

    #[test]
    fn short_texts_matched_by_hand_rank_as_tantivys_query_does() {
        let (_dir, engine, now) = two_segments(700, 500, 13);
        let searcher = engine.reader.searcher();
        assert!(searcher.segment_readers().len() >= 2);
        let brest = Circle {
            lat: 48.39,
            lon: -4.49,
            radius_km: 12.0,
        };
        let texts = [
            "vélo",
            "jardins",
            "repas plage",
            "voile voile",
            "chant pain",
            "absent",
        ];
        let mut compared = 0;
        for text in texts {
            let queries = [
                SearchQuery {
                    text: text.into(),
                    limit: 100,
                    ..SearchQuery::default()
                },
                SearchQuery {
                    text: text.into(),
                    kinds: vec![ItemKind::Mission, ItemKind::Equipment],
                    mode: Some(Mode::InPerson),
                    limit: 50,
                    offset: 10,
                    ..SearchQuery::default()
                },
                SearchQuery {
                    text: text.into(),
                    from: Some(now),
                    to: Some(now + chrono::Duration::days(20)),
                    near: Some(brest),
                    limit: 100,
                    ..SearchQuery::default()
                },
                SearchQuery {
                    text: text.into(),
                    near: Some(brest),
                    sort: Sort::Distance,
                    limit: 100,
                    ..SearchQuery::default()
                },
                SearchQuery {
                    text: text.into(),
                    sort: Sort::Date,
                    limit: 100,
                    ..SearchQuery::default()
                },
            ];
            for q in queries {
                compared += both_paths_agree(&engine, &searcher, &q, now);
            }
        }
        assert!(compared > 1000, "the texts match enough items: {compared}");
    }

    #[test]
    fn searches_without_text_read_in_date_order_find_what_the_whole_scan_finds() {
        let (_dir, engine, now) = two_segments(900, 400, 7);
        let searcher = engine.reader.searcher();
        let brest = Circle {
            lat: 48.39,
            lon: -4.49,
            radius_km: 15.0,
        };
        let day = chrono::Duration::days(1);
        // The items start from a day before `now` to 59 days after, and last 3 hours.
        let windows = [
            (None, None),
            (Some(now), Some(now + day * 10)),
            (None, Some(now + day * 3)),
            (Some(now + day * 50), None),
            (Some(now + day * 80), Some(now + day * 90)),
        ];
        let mut compared = 0;
        for (from, to) in windows {
            for (sort, near) in [
                (Sort::Date, None),
                (Sort::Date, Some(brest)),
                (Sort::Relevance, None),
                (Sort::Distance, Some(brest)),
            ] {
                let q = SearchQuery {
                    from,
                    to,
                    near,
                    sort,
                    limit: 40,
                    offset: 5,
                    ..SearchQuery::default()
                };
                // Searched a day later too: what ended in between is over.
                for at in [now, now + day] {
                    compared += both_paths_agree(&engine, &searcher, &q, at);
                }
            }
        }
        assert!(
            compared > 1000,
            "the searches find enough items: {compared}"
        );
    }
}
