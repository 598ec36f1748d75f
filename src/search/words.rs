//! The words of a search of one or two words, found and scored straight from the postings of
//! each segment, instead of by tantivy's boolean query (`query::build`, which still serves
//! longer texts).
//!
//! Why our own: a word is a union over five fields, and a search is the intersection of its
//! words' unions. tantivy's union scores every posting through a scorer object, in windows, and
//! the intersection seeks from one union into the other; with words found in a third of the
//! items (`benches/search.rs`), that was two thirds of a search's time (docs/benchmarks.md,
//! "Search (issue 15)"). Here each field's postings are read block by block (documents only:
//! the query reads no frequencies either, so each term counts once), each posting adds its
//! field's score, looked up by the item's length code, to the word's sum, and the items holding
//! every word are read off bitsets.
//!
//! The scores are tantivy's, to the bit: the same BM25 weights (`Bm25Weight`, from the same
//! statistics, boosted the same), summed in the same order (a word's fields in the order of
//! `query::BOOSTS`, as tantivy's union adds them, from the first field found). Across words
//! tantivy's intersection adds the words' sums in an order of its own; for two words, a + b is
//! b + a, which is why this path stops at two (`MAX_WORDS`).

use super::collector::{Best, Hits, SegmentHits};
use super::query::BOOSTS;
use super::schema::Fields;
use std::cell::RefCell;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Bm25Weight, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, Term, TERMINATED};

/// The most words matched here; longer texts go through tantivy's query.
pub const MAX_WORDS: usize = 2;

/// A word in one field: its term and its score for each length code of the field.
struct Scored {
    field: Field,
    term: Term,
    by_norm: Box<[Score; 256]>,
}

/// The words of a search (at most `MAX_WORDS`), with their scores.
pub struct Words {
    words: Vec<Vec<Scored>>,
}

impl Words {
    /// `words` as analysed, scored with the statistics of `searcher` (as tantivy's query would).
    pub fn new(searcher: &Searcher, fields: &Fields, words: &[String]) -> tantivy::Result<Words> {
        debug_assert!((1..=MAX_WORDS).contains(&words.len()));
        let mut all = Vec::with_capacity(words.len());
        for word in words {
            let mut scored = Vec::with_capacity(BOOSTS.len());
            for (pick, boost) in BOOSTS {
                let term = Term::from_field_text(pick(fields), word);
                let weight =
                    Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?.boost_by(boost);
                let mut by_norm = Box::new([0.0; 256]);
                for (id, score) in (0..=u8::MAX).zip(by_norm.iter_mut()) {
                    *score = weight.score(id, 1);
                }
                scored.push(Scored {
                    field: pick(fields),
                    term,
                    by_norm,
                });
            }
            all.push(scored);
        }
        Ok(Words { words: all })
    }
}

/// What a search writes while it reads a segment, kept by each thread for its next search:
/// for each word, which items hold it (a bit each) and its score for each.
#[derive(Default)]
struct Scratch {
    holds: Vec<Vec<u64>>,
    sums: Vec<Vec<Score>>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Collects the matches of a search whose words are matched here (`Words`); the query given to
/// tantivy holds the other filters only.
pub struct WordHits {
    pub hits: Hits,
    pub words: Words,
    /// The query has filters (else it matches everything and is not read).
    pub filtered: bool,
}

impl WordHits {
    /// The words' sums over one segment: `holds[w]` the items holding word `w`, `sums[w]` its
    /// score for them (only meaningful where the bit is set).
    fn sum_words(&self, reader: &SegmentReader, scratch: &mut Scratch) -> tantivy::Result<()> {
        let max_doc = reader.max_doc() as usize;
        let n = self.words.words.len();
        scratch.holds.resize_with(n, Vec::new);
        scratch.sums.resize_with(n, Vec::new);
        for (w, fields) in self.words.words.iter().enumerate() {
            let holds = &mut scratch.holds[w];
            holds.clear();
            holds.resize(max_doc.div_ceil(64), 0);
            let sums = &mut scratch.sums[w];
            if sums.len() < max_doc {
                sums.resize(max_doc, 0.0);
            }
            for scored in fields {
                let index = reader.inverted_index(scored.field)?;
                let Some(mut postings) =
                    index.read_block_postings(&scored.term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let norms = reader.get_fieldnorms_reader(scored.field)?;
                loop {
                    let docs = postings.docs();
                    if docs.is_empty() {
                        break;
                    }
                    for &doc in docs {
                        let score = scored.by_norm[usize::from(norms.fieldnorm_id(doc))];
                        let (i, bit) = (doc as usize / 64, 1u64 << (doc % 64));
                        if holds[i] & bit == 0 {
                            holds[i] |= bit;
                            sums[doc as usize] = score;
                        } else {
                            sums[doc as usize] += score;
                        }
                    }
                    postings.advance();
                }
            }
        }
        Ok(())
    }
}

impl Collector for WordHits {
    type Fruit = Best;
    type Child = SegmentHits;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHits> {
        self.hits.for_segment(segment, reader)
    }

    fn requires_scoring(&self) -> bool {
        // The scores are made here; the filters' query needs none.
        false
    }

    fn merge_fruits(&self, fruits: Vec<Best>) -> tantivy::Result<Best> {
        self.hits.merge_fruits(fruits)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Best> {
        let mut hits = self.for_segment(segment, reader)?;
        let mut filter = match self.filtered {
            true => Some(weight.scorer(reader, 1.0)?),
            false => None,
        };
        let alive = reader.alive_bitset();
        SCRATCH.with(|scratch| -> tantivy::Result<()> {
            let scratch = &mut *scratch.borrow_mut();
            self.sum_words(reader, scratch)?;
            let (first, rest) = scratch.holds.split_at(1);
            for (i, &bits) in first[0].iter().enumerate() {
                let mut all = rest.iter().fold(bits, |all, holds| all & holds[i]);
                while all != 0 {
                    let doc = (i * 64) as DocId + all.trailing_zeros();
                    all &= all - 1;
                    if alive.is_some_and(|a| a.is_deleted(doc)) {
                        continue;
                    }
                    if let Some(filter) = filter.as_mut() {
                        let at = match filter.doc() {
                            d if d < doc => filter.seek(doc),
                            d => d,
                        };
                        if at == TERMINATED {
                            return Ok(());
                        }
                        if at != doc {
                            continue;
                        }
                    }
                    // Two words: a + b, whatever order tantivy would add them in.
                    let score = scratch.sums.iter().map(|s| s[doc as usize]).sum::<Score>();
                    hits.collect(doc, score);
                }
            }
            Ok(())
        })?;
        Ok(hits.harvest())
    }
}
