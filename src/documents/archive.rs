//! A zip archive of several files (a person's data export), written by the `zip` crate as the
//! spreadsheets are.

use super::DocumentError;
use std::io::{Cursor, Write};
use zip::{write::SimpleFileOptions, CompressionMethod, ZipWriter};

pub const ZIP: &str = "application/zip";

/// The files, deflated, in the given order, dated 1 January 2000 (the date of a file says
/// nothing here; the export's own date is inside).
pub fn zip_files(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, DocumentError> {
    let write = || -> zip::result::ZipResult<Vec<u8>> {
        let date = zip::DateTime::from_date_and_time(2000, 1, 1, 0, 0, 0)?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(date);
        let mut out = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            out.start_file(name.as_str(), options)?;
            out.write_all(data)?;
        }
        Ok(out.finish()?.into_inner())
    };
    write().map_err(|e| DocumentError::Zip(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_files_read_back() {
        let bytes = zip_files(&[
            ("data.json".into(), b"{}".to_vec()),
            ("documents/a.pdf".into(), vec![1, 2, 3]),
        ])
        .expect("zipped");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        archive
            .by_name("data.json")
            .expect("data.json")
            .read_to_string(&mut text)
            .expect("read");
        assert_eq!(text, "{}");
    }
}
