//! How the CSV exports are written for their reader. The API, and the pages in English, keep
//! the machine-friendly export: column codes as headings (`id,date,…,value_eur`), commas
//! between fields, dot decimals. A French reader of the pages gets what a French spreadsheet
//! opens as it is: headings in words from the catalogue (`doc-csv-<code>`), semicolons between
//! fields and decimal commas (a comma separator would split `2,5`). Both are RFC 4180 (CRLF, a
//! header row, quotes around a field holding the separator, a quote or a line break) in UTF-8.
//! Written here rather than with the `csv` crate: the rows are built field by field already,
//! and the only choices are the separator, the decimals and the headings.

use crate::i18n::{tr, Lang};

/// The CSV of one reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    /// French: words, semicolons, decimal commas; English: codes, commas, dots.
    pub lang: Lang,
}

impl CsvStyle {
    /// The API's export (and the English pages'): codes, commas, dot decimals.
    pub const CODES: CsvStyle = CsvStyle { lang: Lang::En };

    pub fn for_reader(lang: Lang) -> CsvStyle {
        CsvStyle { lang }
    }

    fn french(self) -> bool {
        self.lang == Lang::Fr
    }

    /// The separator between fields.
    pub fn separator(self) -> char {
        if self.french() {
            ';'
        } else {
            ','
        }
    }

    /// The header row: each code as is, or its words (`doc-csv-<code>`) for a French reader.
    pub fn header(self, codes: &[&str]) -> String {
        let cells: Vec<String> = codes
            .iter()
            .map(|c| {
                if self.french() {
                    self.text(&tr(self.lang, &format!("doc-csv-{c}")))
                } else {
                    (*c).to_string()
                }
            })
            .collect();
        self.row(&cells)
    }

    /// A row of fields already written with [`CsvStyle::text`] or [`CsvStyle::number`].
    pub fn row(self, cells: &[String]) -> String {
        cells.join(&self.separator().to_string())
    }

    /// A decimal number (`12.5`), with a decimal comma for a French reader.
    pub fn number(self, n: impl ToString) -> String {
        let s = n.to_string();
        if self.french() {
            s.replace('.', ",")
        } else {
            s
        }
    }

    /// A text field: quoted when it holds the separator, a quote or a line break; text that
    /// a spreadsheet would read as a formula gets a leading apostrophe (a leading tab or
    /// carriage return too: spreadsheets skip it and read what follows).
    pub fn text(self, s: &str) -> String {
        let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        if s.contains([self.separator(), '"', '\r', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_french_reader_gets_words_semicolons_and_decimal_commas() {
        let fr = CsvStyle::for_reader(Lang::Fr);
        assert_eq!(
            fr.header(&["id", "hours", "value_eur"]),
            "N°;Heures;Valeur (€)"
        );
        assert_eq!(fr.number(rust_decimal::Decimal::new(125, 1)), "12,5");
        assert_eq!(fr.text("a, b; c"), "\"a, b; c\"");
        let en = CsvStyle::CODES;
        assert_eq!(
            en.header(&["id", "hours", "value_eur"]),
            "id,hours,value_eur"
        );
        assert_eq!(en.number(rust_decimal::Decimal::new(125, 1)), "12.5");
        assert_eq!(en.text("a, b"), "\"a, b\"");
        assert_eq!(en.text("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn text_a_spreadsheet_would_compute_is_defused() {
        let en = CsvStyle::CODES;
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            // A tab or a carriage return first: spreadsheets skip it and read what follows.
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "\"'\r=1+1\""),
            ("a=1", "a=1"),
        ] {
            assert_eq!(en.text(cell), written, "{cell:?}");
        }
    }
}
