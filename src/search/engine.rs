//! The tantivy index in its directory: opened (or made anew when missing, of another version
//! or unreadable), written (items removed and added, committed with the place in the change
//! log they reflect), and searched.

use super::analysis::{self, FRENCH, KEYWORD};
use super::collector::{Checks, Hits};
use super::schema::{schema, Fields, SCHEMA_VERSION};
use super::{query, SearchError};
use crate::domain::search::{Found, SearchItem, SearchPage, SearchQuery, Sort};
use crate::storage::search::ChangeCursor;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Mutex;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

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

    /// One page of results of a checked search; `now` leaves out what is over.
    pub fn search(&self, q: &SearchQuery, now: DateTime<Utc>) -> Result<SearchPage, SearchError> {
        let searcher = self.reader.searcher();
        let query = query::build(&self.fields, q);
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
            scored: !q.text.is_empty() && q.sort == Sort::Relevance,
        };
        let best = searcher.search(&*query, &collector)?;
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
