//! Documents the node hands out, written by our own small writers: PDF (statements,
//! attestations) and OpenDocument spreadsheets.

pub mod ods;
pub mod pdf;
