//! A small PDF writer of our own for the documents the node hands out (statements,
//! attestations): A4 pages of text in the standard Helvetica fonts, so nothing is embedded and
//! any reader shows them; headings, wrapped paragraphs, tables with right-aligned figures,
//! automatic page breaks and "Page n / N" footers. Text is written in WinAnsiEncoding, which
//! covers French (é, à, ç, œ, «, », €, –, ’…); a character outside it becomes `?`.

use std::fmt::Write as _;

const PAGE_W: f64 = 595.28;
const PAGE_H: f64 = 841.89;
const MARGIN: f64 = 56.0;
const BOTTOM: f64 = 64.0;

/// Widths of the printable ASCII characters (32 to 126), in thousandths of the font size.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The WinAnsiEncoding byte of a character, if it has one.
fn win_ansi(c: char) -> Option<u8> {
    let code = c as u32;
    match c {
        ' '..='~' => Some(code as u8),
        '\u{a0}' | '\u{202f}' => Some(0xa0),
        '\u{a1}'..='\u{ff}' => Some(code as u8),
        '€' => Some(0x80),
        '‚' => Some(0x82),
        '„' => Some(0x84),
        '…' => Some(0x85),
        '‰' => Some(0x89),
        'Š' => Some(0x8a),
        '‹' => Some(0x8b),
        'Œ' => Some(0x8c),
        'Ž' => Some(0x8e),
        '‘' => Some(0x91),
        '’' => Some(0x92),
        '“' => Some(0x93),
        '”' => Some(0x94),
        '•' => Some(0x95),
        '–' => Some(0x96),
        '—' => Some(0x97),
        '™' => Some(0x99),
        'š' => Some(0x9a),
        '›' => Some(0x9b),
        'œ' => Some(0x9c),
        'ž' => Some(0x9e),
        'Ÿ' => Some(0x9f),
        _ => None,
    }
}

/// The letter an accented letter is drawn like, for its width.
fn base_letter(c: char) -> char {
    match c {
        'à'..='å' => 'a',
        'À'..='Å' => 'A',
        'è'..='ë' => 'e',
        'È'..='Ë' => 'E',
        'ì'..='ï' => 'i',
        'Ì'..='Ï' => 'I',
        'ò'..='ö' | 'ø' => 'o',
        'Ò'..='Ö' | 'Ø' => 'O',
        'ù'..='ü' => 'u',
        'Ù'..='Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ý' | 'ÿ' => 'y',
        'Ý' | 'Ÿ' => 'Y',
        _ => c,
    }
}

/// The width of `text` in points at `size`.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let units: u32 = text
        .chars()
        .map(|c| {
            let c = base_letter(c);
            match c {
                ' '..='~' => u32::from(table[(c as usize) - 32]),
                '—' | '…' | '‰' => 1000,
                'œ' | 'Œ' => 944,
                '’' | '‘' | '‚' => 222,
                '\u{a0}' | '\u{202f}' => 278,
                _ => 556,
            }
        })
        .sum();
    f64::from(units) * size / 1000.0
}

/// `text` as the bytes of a PDF string literal, WinAnsi-encoded and escaped.
fn pdf_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for c in text.chars() {
        match win_ansi(c).unwrap_or(b'?') {
            b'(' => out.push_str("\\("),
            b')' => out.push_str("\\)"),
            b'\\' => out.push_str("\\\\"),
            b @ 32..=126 => out.push(b as char),
            b => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A document being laid out, top to bottom.
pub struct Pdf {
    title: String,
    pages: Vec<String>,
    page: String,
    y: f64,
}

impl Pdf {
    pub fn new(title: &str) -> Pdf {
        Pdf {
            title: title.to_string(),
            pages: Vec::new(),
            page: String::new(),
            y: PAGE_H - MARGIN,
        }
    }

    fn width() -> f64 {
        PAGE_W - 2.0 * MARGIN
    }

    /// Starts a new page when `height` does not fit on this one.
    fn room(&mut self, height: f64) {
        if self.y - height < BOTTOM {
            self.break_page();
        }
    }

    fn break_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.page));
        self.y = PAGE_H - MARGIN;
    }

    fn put(&mut self, x: f64, y: f64, size: f64, bold: bool, text: &str) {
        let font = if bold { "F2" } else { "F1" };
        let _ = writeln!(
            self.page,
            "BT /{font} {size:.1} Tf {x:.2} {y:.2} Td {} Tj ET",
            pdf_string(text)
        );
    }

    /// A heading: 18 points for level 1, 13 for level 2.
    pub fn heading(&mut self, level: u8, text: &str) {
        let size = if level <= 1 { 18.0 } else { 13.0 };
        let before = if level <= 1 { 0.0 } else { 10.0 };
        for line in wrap(text, size, true, Self::width()) {
            self.room(size * 1.4 + before + size * 2.0);
            self.y -= before + size * 1.2;
            self.put(MARGIN, self.y, size, true, &line);
        }
        self.y -= size * 0.5;
    }

    /// A paragraph, wrapped to the page's width.
    pub fn paragraph(&mut self, text: &str) {
        self.text(text, 10.5, false);
        self.y -= 6.0;
    }

    /// Lines of text at `size`, wrapped, without space after.
    pub fn text(&mut self, text: &str, size: f64, bold: bool) {
        for line in wrap(text, size, bold, Self::width()) {
            self.room(size * 1.35);
            self.y -= size * 1.35;
            self.put(MARGIN, self.y, size, bold, &line);
        }
    }

    /// Label and value pairs on two columns ("Total des heures    152 h 30").
    pub fn facts(&mut self, rows: &[(String, String)]) {
        let size = 10.5;
        for (label, value) in rows {
            self.room(size * 1.5);
            self.y -= size * 1.5;
            self.put(MARGIN, self.y, size, false, label);
            let w = text_width(value, size, true);
            self.put(PAGE_W - MARGIN - w, self.y, size, true, value);
        }
        self.y -= 6.0;
    }

    /// A table: a bold header row, then rows; `widths` are fractions of the page's width. The
    /// header is repeated at the top of each new page. Cells too wide are cut with "…".
    pub fn table(
        &mut self,
        header: &[&str],
        widths: &[f64],
        align: &[Align],
        rows: &[Vec<String>],
    ) {
        let size = 9.5;
        let line = size * 1.6;
        let total = Self::width();
        let cols: Vec<(f64, f64)> = {
            let mut x = MARGIN;
            widths
                .iter()
                .map(|w| {
                    let start = x;
                    x += w * total;
                    (start, w * total)
                })
                .collect()
        };
        let draw_row = |pdf: &mut Pdf, cells: &[String], bold: bool| {
            pdf.y -= line;
            for (i, cell) in cells.iter().enumerate() {
                let Some(&(x, w)) = cols.get(i) else { break };
                let text = fit(cell, size, bold, w - 6.0);
                let a = align.get(i).copied().unwrap_or(Align::Left);
                let tx = match a {
                    Align::Left => x,
                    Align::Right => x + w - 6.0 - text_width(&text, size, bold),
                };
                pdf.put(tx, pdf.y, size, bold, &text);
            }
        };
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        self.room(line * 3.0);
        draw_row(self, &header, true);
        self.rule();
        for r in rows {
            if self.y - line < BOTTOM {
                self.break_page();
                draw_row(self, &header, true);
                self.rule();
            }
            draw_row(self, r, false);
        }
        self.y -= 10.0;
    }

    /// A thin line across the page under what was just written.
    pub fn rule(&mut self) {
        let y = self.y - 4.0;
        let _ = writeln!(
            self.page,
            "0.6 G 0.5 w {MARGIN:.2} {y:.2} m {:.2} {y:.2} l S 0 G",
            PAGE_W - MARGIN
        );
        self.y -= 4.0;
    }

    /// Vertical space.
    pub fn space(&mut self, points: f64) {
        self.y -= points;
    }

    /// The finished file.
    pub fn finish(mut self) -> Vec<u8> {
        if !self.page.is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.page));
        }
        let n = self.pages.len();
        // Objects: 1 catalog, 2 pages, 3 and 4 fonts, 5 info, then a page and its content each.
        let mut objects: Vec<String> = Vec::with_capacity(5 + 2 * n);
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
        objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
        objects.push(format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            kids.join(" ")
        ));
        for base in ["Helvetica", "Helvetica-Bold"] {
            objects.push(format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
            ));
        }
        objects.push(format!(
            "<< /Title {} /Producer (Entraide) /Creator (Entraide) >>",
            pdf_string(&self.title)
        ));
        for (i, body) in self.pages.iter().enumerate() {
            let mut content = body.clone();
            let footer = format!("Page {} / {n}", i + 1);
            let w = text_width(&footer, 8.5, false);
            let _ = writeln!(
                content,
                "BT /F1 8.5 Tf {:.2} 36 Td {} Tj ET",
                PAGE_W - MARGIN - w,
                pdf_string(&footer)
            );
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            ));
            objects.push(format!(
                "<< /Length {} >>\nstream\n{content}endstream",
                content.len()
            ));
        }
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(objects.len());
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for off in offsets {
            let _ = writeln!(table, "{off:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        );
        out.extend_from_slice(table.as_bytes());
        out
    }
}

/// Words of `text` in lines no wider than `width`; a word longer than a line is cut.
fn wrap(text: &str, size: f64, bold: bool, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, size, bold) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = fit(word, size, bold, width);
        }
        lines.push(line);
    }
    lines
}

/// `text` cut with "…" to fit `width`.
fn fit(text: &str, size: f64, bold: bool, width: f64) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let next = format!("{out}{c}…");
        if text_width(&next, size, bold) > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_encoded_in_win_ansi_and_escaped() {
        assert_eq!(pdf_string("Café (été)"), "(Caf\\351 \\(\\351t\\351\\))");
        assert_eq!(pdf_string("12 €"), "(12 \\200)");
        assert_eq!(
            pdf_string("l’œuvre – « oui »"),
            "(l\\222\\234uvre \\226 \\253 oui \\273)"
        );
        assert_eq!(pdf_string("a\\b ✓"), "(a\\\\b ?)");
    }

    #[test]
    fn widths_follow_the_font_metrics() {
        assert!((text_width("Hello", 10.0, false) - 22.78).abs() < 0.01);
        assert!(text_width("Hello", 10.0, true) > text_width("Hello", 10.0, false));
        assert_eq!(text_width("é", 10.0, false), text_width("e", 10.0, false));
    }

    #[test]
    fn long_text_wraps_and_long_words_are_cut() {
        let lines = wrap(&"mot ".repeat(100), 10.0, false, 200.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| text_width(l, 10.0, false) <= 200.0));
        let cut = fit(&"x".repeat(500), 10.0, false, 100.0);
        assert!(cut.ends_with('…') && text_width(&cut, 10.0, false) <= 100.0);
    }

    #[test]
    fn a_document_has_its_pages_objects_and_cross_references() {
        let mut pdf = Pdf::new("Essai");
        pdf.heading(1, "Titre");
        let rows: Vec<Vec<String>> = (0..120)
            .map(|i| vec![format!("ligne {i}"), i.to_string()])
            .collect();
        pdf.table(
            &["Nom", "Valeur"],
            &[0.7, 0.3],
            &[Align::Left, Align::Right],
            &rows,
        );
        let bytes = pdf.finish();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.trim_end().ends_with("%%EOF"));
        let pages = text.matches("/Type /Page ").count();
        assert!(pages >= 2, "120 rows take more than one page");
        assert!(text.contains(&format!("/Count {pages}")));
        assert!(text.contains(&format!("(Page {pages} / {pages})")));
        // Each cross-reference points at its object (byte offsets).
        let xref = text.find("\nxref\n").expect("a cross-reference table") + 1;
        for (i, line) in text[xref..].lines().skip(3).take(5).enumerate() {
            let off: usize = line[..10].parse().expect("an offset");
            let at = &bytes[off..];
            assert!(
                at.starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
    }
}
