//! OpenDocument spreadsheets (`.ods`) of our own: sheets of typed cells (text, numbers,
//! euros, dates) with a bold header row, in the zip container the format asks for (`mimetype`
//! first and uncompressed). Entries are stored, not compressed: the files are small, and no
//! compression library is needed.

use std::fmt::Write as _;

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
pub fn spreadsheet(title: &str, sheets: &[Sheet]) -> Vec<u8> {
    zip(&[
        ("mimetype", MIMETYPE.as_bytes().to_vec()),
        ("META-INF/manifest.xml", manifest().into_bytes()),
        ("meta.xml", meta(title).into_bytes()),
        ("content.xml", content(sheets).into_bytes()),
    ])
}

/// CRC-32 (IEEE), as zip files carry it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// A zip archive of stored (uncompressed) entries, in the given order.
fn zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    // 1 January 2000, 00:00, in MS-DOS form: a fixed date keeps the file reproducible.
    const DOS_TIME: u16 = 0;
    const DOS_DATE: u16 = (20 << 9) | (1 << 5) | 1;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name_bytes = name.as_bytes();
        // Local file header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&DOS_TIME.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name_bytes.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        out.extend_from_slice(name_bytes);
        out.extend_from_slice(data);
        // Its central directory entry.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        central.extend_from_slice(&20u16.to_le_bytes()); // needed
        central.extend_from_slice(&0x0800u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&DOS_TIME.to_le_bytes());
        central.extend_from_slice(&DOS_DATE.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(name_bytes.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name_bytes);
    }
    let central_offset = out.len() as u32;
    let central_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn the_mimetype_comes_first_uncompressed() {
        let file = spreadsheet(
            "Essai",
            &[Sheet {
                name: "Heures & km".into(),
                header: vec!["Nom".into(), "Heures".into()],
                rows: vec![vec![
                    Cell::Text("Zoé <3".into()),
                    Cell::Number("2.5".into()),
                ]],
            }],
        );
        assert_eq!(&file[..4], b"PK\x03\x04");
        assert_eq!(&file[30..38], b"mimetype");
        assert_eq!(&file[38..38 + MIMETYPE.len()], MIMETYPE.as_bytes());
        let text = String::from_utf8_lossy(&file);
        assert!(text.contains("table:name=\"Heures &amp; km\""));
        assert!(text.contains("<text:p>Zoé &lt;3</text:p>"));
        assert!(text.contains("office:value=\"2.5\""));
        assert!(file.ends_with(&[0, 0]));
    }
}
