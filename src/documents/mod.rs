//! Documents the node hands out: PDF (statements, attestations, lending agreements) laid out
//! here and written by `krilla` with the vendored DejaVu fonts, OpenDocument spreadsheets written
//! here and zipped by the `zip` crate, and CSV.

pub mod archive;
pub mod fonts;
pub mod ods;
pub mod pdf;

use crate::service::ServiceError;

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

/// Why a document could not be written. None of these depends on what the document says: each
/// is a defect of the build (a font that does not parse) or of a library, never a user's error.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the embedded fonts do not parse")]
    Font,
    #[error("the page size is refused")]
    Layout,
    #[error("the PDF writer failed: {0}")]
    Pdf(String),
    #[error("the spreadsheet's zip container failed: {0}")]
    Zip(String),
}

impl From<DocumentError> for ServiceError {
    fn from(e: DocumentError) -> Self {
        ServiceError::Internal(e.to_string())
    }
}
