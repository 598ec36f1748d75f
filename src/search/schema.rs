//! The index's fields, and an item turned into a document. What results show is stored as one
//! JSON text (`item`); everything else is only indexed (text, filters) or kept column-wise
//! (`start`, `end`, `lat`, `lon`, read for every match to sort and measure distances).

use super::analysis::{FRENCH, KEYWORD};
use crate::domain::search::SearchItem;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};
use tantivy::TantivyDocument;

/// Changed whenever the fields or the analysis change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 1;

/// Dates kept for items without any (equipment): never over, last when sorted by date.
pub const NO_DATE: i64 = i64::MAX;

#[derive(Clone, Copy)]
pub struct Fields {
    pub key: Field,
    pub kind: Field,
    pub title: Field,
    pub description: Field,
    pub association: Field,
    pub skills: Field,
    pub skill: Field,
    pub category: Field,
    pub locality: Field,
    pub online: Field,
    pub start: Field,
    pub end: Field,
    pub has_places: Field,
    pub slotted: Field,
    pub open_start: Field,
    pub lat: Field,
    pub lon: Field,
    pub item: Field,
}

fn text(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = NumericOptions::default().set_indexed();
    let column = NumericOptions::default().set_indexed().set_fast();
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING),
        title: b.add_text_field("title", text(FRENCH)),
        description: b.add_text_field("description", text(FRENCH)),
        association: b.add_text_field("association", text(FRENCH)),
        skills: b.add_text_field("skills", text(FRENCH)),
        skill: b.add_text_field("skill", text(KEYWORD)),
        category: b.add_text_field("category", STRING),
        locality: b.add_text_field("locality", text(FRENCH)),
        online: b.add_u64_field("online", indexed.clone()),
        start: b.add_i64_field("start", column.clone()),
        end: b.add_i64_field("end", column.clone()),
        has_places: b.add_u64_field("has_places", indexed.clone()),
        slotted: b.add_u64_field("slotted", indexed.clone()),
        open_start: b.add_i64_field("open_start", indexed),
        lat: b.add_f64_field("lat", column.clone()),
        lon: b.add_f64_field("lon", column),
        item: b.add_text_field("item", STORED),
    };
    (b.build(), fields)
}

impl Fields {
    /// The document of an item.
    pub fn document(&self, item: &SearchItem) -> TantivyDocument {
        let mut d = TantivyDocument::new();
        d.add_text(self.key, item.key());
        d.add_text(self.kind, item.kind.as_str());
        d.add_text(self.title, &item.title);
        d.add_text(self.description, &item.description);
        d.add_text(self.association, &item.association);
        for s in &item.skills {
            d.add_text(self.skills, s);
            d.add_text(self.skill, s);
        }
        d.add_text(self.category, &item.category);
        d.add_text(self.locality, &item.locality);
        d.add_u64(self.online, u64::from(item.online));
        d.add_i64(self.start, item.start.map_or(NO_DATE, |t| t.timestamp()));
        d.add_i64(self.end, item.end.map_or(NO_DATE, |t| t.timestamp()));
        d.add_u64(self.has_places, u64::from(item.has_places));
        d.add_u64(self.slotted, u64::from(item.slotted));
        for t in &item.open_starts {
            d.add_i64(self.open_start, t.timestamp());
        }
        if let Some((lat, lon)) = item.position {
            d.add_f64(self.lat, lat);
            d.add_f64(self.lon, lon);
        }
        d.add_text(
            self.item,
            serde_json::to_string(item).unwrap_or_else(|_| "{}".into()),
        );
        d
    }
}
