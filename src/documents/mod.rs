//! Documents the node hands out, written by our own small writers: PDF (statements,
//! attestations) and OpenDocument spreadsheets.

pub mod ods;
pub mod pdf;

pub const PDF: &str = "application/pdf";
pub const ODS: &str = "application/vnd.oasis.opendocument.spreadsheet";
/// RFC 4180 CSV with a header row.
pub const CSV: &str = "text/csv; charset=utf-8; header=present";

/// A file to hand out: its name, its media type, its bytes.
#[derive(Debug, Clone)]
pub struct Document {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Document {
    pub fn csv(filename: String, text: String) -> Document {
        Document {
            filename,
            content_type: CSV,
            bytes: text.into_bytes(),
        }
    }
}
