//! OpenDocument spreadsheets (`.ods`): sheets of typed cells (text, numbers, euros, dates) with a
//! bold header row. The XML is ours (a few elements, so no spreadsheet library and its parsers to
//! build); the zip container the format asks for (`mimetype` first and uncompressed, the rest
//! deflated) is the `zip` crate's.

use std::{
    fmt::Write as _,
    io::{Cursor, Write as _},
};

use zip::{write::SimpleFileOptions, CompressionMethod, ZipWriter};

use super::DocumentError;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number, written as it should be read (`"12.5"`): no float in between.
    Number(String),
    /// An amount in euros (`"47.13"`).
    Euros(String),
    /// A day, `YYYY-MM-DD`.
    Date(String),
    Empty,
}

/// One sheet: its name, its header row, its rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn xml(text: &str) -> String {
    crate::service::text::escape_html(text)
}

fn cell_xml(c: &Cell, out: &mut String) {
    match c {
        Cell::Text(t) => {
            let _ = write!(
                out,
                "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                xml(t)
            );
        }
        Cell::Number(n) => {
            let _ = write!(
                out,
                "<table:table-cell office:value-type=\"float\" office:value=\"{0}\"><text:p>{0}</text:p></table:table-cell>",
                xml(n)
            );
        }
        Cell::Euros(n) => {
            let _ = write!(
                out,
                "<table:table-cell table:style-name=\"euros\" office:value-type=\"currency\" office:currency=\"EUR\" office:value=\"{0}\"><text:p>{0} €</text:p></table:table-cell>",
                xml(n)
            );
        }
        Cell::Date(d) => {
            let _ = write!(
                out,
                "<table:table-cell table:style-name=\"day\" office:value-type=\"date\" office:date-value=\"{0}\"><text:p>{0}</text:p></table:table-cell>",
                xml(d)
            );
        }
        Cell::Empty => out.push_str("<table:table-cell/>"),
    }
}

const NS: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\" \
xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"";

fn content(sheets: &[Sheet]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {NS} office:version=\"1.3\">\
         <office:automatic-styles>\
         <number:currency-style style:name=\"eur\"><number:number number:decimal-places=\"2\" number:min-decimal-places=\"2\" number:min-integer-digits=\"1\" number:grouping=\"true\"/><number:text> </number:text><number:currency-symbol>€</number:currency-symbol></number:currency-style>\
         <number:date-style style:name=\"ymd\"><number:year number:style=\"long\"/><number:text>-</number:text><number:month number:style=\"long\"/><number:text>-</number:text><number:day number:style=\"long\"/></number:date-style>\
         <style:style style:name=\"head\" style:family=\"table-cell\"><style:text-properties fo:font-weight=\"bold\"/></style:style>\
         <style:style style:name=\"euros\" style:family=\"table-cell\" style:data-style-name=\"eur\"/>\
         <style:style style:name=\"day\" style:family=\"table-cell\" style:data-style-name=\"ymd\"/>\
         <style:style style:name=\"wide\" style:family=\"table-column\"><style:table-column-properties style:column-width=\"4cm\"/></style:style>\
         </office:automatic-styles><office:body><office:spreadsheet>"
    );
    for s in sheets {
        let columns = s
            .header
            .len()
            .max(s.rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let _ = write!(
            out,
            "<table:table table:name=\"{}\"><table:table-column table:style-name=\"wide\" table:number-columns-repeated=\"{columns}\"/>",
            xml(&s.name)
        );
        if !s.header.is_empty() {
            out.push_str("<table:table-row>");
            for h in &s.header {
                let _ = write!(
                    out,
                    "<table:table-cell table:style-name=\"head\" office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                    xml(h)
                );
            }
            out.push_str("</table:table-row>");
        }
        for r in &s.rows {
            out.push_str("<table:table-row>");
            for c in r {
                cell_xml(c, &mut out);
            }
            out.push_str("</table:table-row>");
        }
        out.push_str("</table:table>");
    }
    out.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    out
}

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

fn manifest() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
         <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"{MIMETYPE}\"/>\
         <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
         <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\
         </manifest:manifest>\n"
    )
}

fn meta(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {NS} office:version=\"1.3\"><office:meta>\
         <meta:generator>Entraide</meta:generator><dc:title xmlns:dc=\"http://purl.org/dc/elements/1.1/\">{}</dc:title>\
         </office:meta></office:document-meta>\n",
        xml(title)
    )
}

/// The spreadsheet file.
pub fn spreadsheet(title: &str, sheets: &[Sheet]) -> Result<Vec<u8>, DocumentError> {
    zip(&[
        ("mimetype", MIMETYPE.as_bytes().to_vec()),
        ("META-INF/manifest.xml", manifest().into_bytes()),
        ("meta.xml", meta(title).into_bytes()),
        ("content.xml", content(sheets).into_bytes()),
    ])
    .map_err(|e| DocumentError::Zip(e.to_string()))
}

/// A zip archive of the entries in the given order: the first (`mimetype`) stored, as the format
/// asks so that its bytes sit at a known offset, the others deflated.
fn zip(entries: &[(&str, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    // A fixed date (1 January 2000) keeps the file reproducible.
    let date = zip::DateTime::from_date_and_time(2000, 1, 1, 0, 0, 0)?;
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(date);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for (i, (name, data)) in entries.iter().enumerate() {
        out.start_file(*name, if i == 0 { stored } else { deflated })?;
        out.write_all(data)?;
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn the_mimetype_comes_first_uncompressed_and_the_cells_are_typed() {
        let file = spreadsheet(
            "Heures — Małgorzata Wójcik",
            &[Sheet {
                name: "Heures & km".into(),
                header: vec!["Nom".into(), "Heures".into()],
                rows: vec![vec![
                    Cell::Text("Zoé <3".into()),
                    Cell::Number("2.5".into()),
                    Cell::Euros("47.13".into()),
                    Cell::Date("2030-05-01".into()),
                    Cell::Empty,
                ]],
            }],
        )
        .expect("a spreadsheet");
        // What readers sniff: the first entry is `mimetype`, stored, with no extra field.
        assert_eq!(&file[..4], b"PK\x03\x04");
        assert_eq!(&file[8..10], &[0, 0], "stored");
        assert_eq!(&file[28..30], &[0, 0], "no extra field");
        assert_eq!(&file[30..38], b"mimetype");
        assert_eq!(&file[38..38 + MIMETYPE.len()], MIMETYPE.as_bytes());

        let mut archive = zip::ZipArchive::new(Cursor::new(file)).expect("a zip archive");
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.expect("a name").into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "mimetype",
                "META-INF/manifest.xml",
                "meta.xml",
                "content.xml"
            ]
        );
        let mut read = |name: &str| {
            let mut entry = archive.by_name(name).expect(name);
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("UTF-8");
            (entry.compression(), text)
        };
        let (method, content) = read("content.xml");
        assert_eq!(method, CompressionMethod::Deflated);
        for expected in [
            "table:name=\"Heures &amp; km\"",
            "<text:p>Zoé &lt;3</text:p>",
            "office:value-type=\"float\" office:value=\"2.5\"",
            "office:value-type=\"currency\" office:currency=\"EUR\" office:value=\"47.13\"",
            "office:value-type=\"date\" office:date-value=\"2030-05-01\"",
        ] {
            assert!(content.contains(expected), "{expected} in {content}");
        }
        assert!(read("meta.xml").1.contains("<dc:title xmlns:dc=\"http://purl.org/dc/elements/1.1/\">Heures — Małgorzata Wójcik</dc:title>"));
    }
}
