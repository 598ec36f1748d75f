//! The layout of the PDF documents the node hands out (statements, attestations, lending
//! agreements): A4 pages of headings, wrapped paragraphs, label/value facts and tables whose
//! header row repeats on each page, with "Page n / N" footers. Text is set in the vendored DejaVu
//! Sans ([`super::fonts`]), measured with the font's own widths, and written by `krilla`, which
//! embeds a subset of the font with its character map: any name prints and reads back
//! ("Małgorzata Wójcik", "Nguyễn Thị Hà", "Øyvind"), and the title in the document's
//! information reads right in viewers.
//!
//! Layout runs top to bottom in PDF points with the origin at the bottom left, as a page is
//! usually described; each page is kept as a list of drawing operations and drawn at the end,
//! once the number of pages (for the footers) is known.

use krilla::{
    color::luma,
    geom::{PathBuilder, Point},
    metadata::Metadata,
    page::PageSettings,
    paint::Stroke,
    Document,
};

use super::{
    fonts::{self, Face},
    DocumentError,
};

const PAGE_W: f64 = 595.28;
const PAGE_H: f64 = 841.89;
const MARGIN: f64 = 56.0;
const BOTTOM: f64 = 64.0;

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One thing drawn on a page.
enum Op {
    /// A line of text whose baseline starts at (`x`, `y`).
    Text {
        x: f64,
        y: f64,
        size: f64,
        bold: bool,
        text: String,
    },
    /// A thin grey line across the page at height `y`.
    Rule { y: f64 },
}

/// A document being laid out, top to bottom.
pub struct Pdf {
    title: String,
    faces: &'static fonts::Faces,
    pages: Vec<Vec<Op>>,
    page: Vec<Op>,
    y: f64,
}

impl Pdf {
    /// An empty document; `title` is what viewers show as its title.
    pub fn new(title: &str) -> Result<Pdf, DocumentError> {
        Ok(Pdf {
            title: title.to_string(),
            faces: fonts::faces()?,
            pages: Vec::new(),
            page: Vec::new(),
            y: PAGE_H - MARGIN,
        })
    }

    fn width() -> f64 {
        PAGE_W - 2.0 * MARGIN
    }

    fn face(&self, bold: bool) -> &'static Face {
        if bold {
            &self.faces.bold
        } else {
            &self.faces.regular
        }
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
        self.page.push(Op::Text {
            x,
            y,
            size,
            bold,
            text: text.to_string(),
        });
    }

    /// A heading: 18 points for level 1, 13 for level 2.
    pub fn heading(&mut self, level: u8, text: &str) {
        let size = if level <= 1 { 18.0 } else { 13.0 };
        let before = if level <= 1 { 0.0 } else { 10.0 };
        for line in wrap(self.face(true), text, size, Self::width()) {
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
        for line in wrap(self.face(bold), text, size, Self::width()) {
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
            let w = self.face(true).width(value, size);
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
            let face = pdf.face(bold);
            for (i, cell) in cells.iter().enumerate() {
                let Some(&(x, w)) = cols.get(i) else { break };
                let text = fit(face, cell, size, w - 6.0);
                let tx = match align.get(i).copied().unwrap_or(Align::Left) {
                    Align::Left => x,
                    Align::Right => x + w - 6.0 - face.width(&text, size),
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
        self.page.push(Op::Rule { y: self.y - 4.0 });
        self.y -= 4.0;
    }

    /// Vertical space.
    pub fn space(&mut self, points: f64) {
        self.y -= points;
    }

    /// The finished file: every page drawn with its footer, the fonts subsetted and embedded,
    /// the title and language in the document's information.
    pub fn finish(mut self) -> Result<Vec<u8>, DocumentError> {
        if !self.page.is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.page));
        }
        let n = self.pages.len();
        let settings =
            PageSettings::from_wh(PAGE_W as f32, PAGE_H as f32).ok_or(DocumentError::Layout)?;
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(self.title.clone())
                .language("fr".into())
                .creator("Entraide".into())
                .producer("Entraide".into()),
        );
        for (i, ops) in self.pages.iter().enumerate() {
            let footer = format!("Page {} / {n}", i + 1);
            let footer_x = PAGE_W - MARGIN - self.faces.regular.width(&footer, 8.5);
            let footer = Op::Text {
                x: footer_x,
                y: 36.0,
                size: 8.5,
                bold: false,
                text: footer,
            };
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for op in ops.iter().chain([&footer]) {
                // krilla measures from the top left corner, y downwards.
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        bold,
                        text,
                    } => {
                        let face = self.face(*bold);
                        surface.draw_glyphs(
                            Point::from_xy(*x as f32, (PAGE_H - y) as f32),
                            &face.glyphs(text),
                            face.font(),
                            text,
                            *size as f32,
                            false,
                        );
                    }
                    Op::Rule { y } => {
                        let y = (PAGE_H - y) as f32;
                        let mut line = PathBuilder::new();
                        line.move_to(MARGIN as f32, y);
                        line.line_to((PAGE_W - MARGIN) as f32, y);
                        let Some(line) = line.finish() else { continue };
                        surface.set_stroke(Some(Stroke {
                            paint: luma::Color::new(153).into(),
                            width: 0.5,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&line);
                        surface.set_stroke(None);
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
    }
}

/// Words of `text` in lines no wider than `width`; a word longer than a line is cut.
fn wrap(face: &Face, text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = fit(face, word, size, width);
        }
        lines.push(line);
    }
    lines
}

/// `text` cut with "…" to fit `width`.
fn fit(face: &Face, text: &str, size: f64, width: f64) -> String {
    if face.width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let next = format!("{out}{c}…");
        if face.width(&next, size) > width {
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
    use std::process::Command;

    /// What a poppler tool (`pdftotext`, `pdfinfo`) prints about `bytes`.
    fn poppler(tool: &str, args: &[&str], bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("doc.pdf");
        std::fs::write(&path, bytes).expect("written");
        let out = Command::new(tool)
            .args(args)
            .arg(&path)
            .args(if tool == "pdftotext" {
                &["-"][..]
            } else {
                &[][..]
            })
            .output()
            .unwrap_or_else(|e| panic!("{tool} runs (.ci/run installs poppler-utils): {e}"));
        assert!(
            out.status.success(),
            "{tool} refused the file: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    }

    #[test]
    fn long_text_wraps_and_long_words_are_cut() {
        let face = &fonts::faces().expect("fonts").regular;
        let lines = wrap(face, &"mot ".repeat(100), 10.0, 200.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| face.width(l, 10.0) <= 200.0));
        let cut = fit(face, &"x".repeat(500), 10.0, 100.0);
        assert!(cut.ends_with('…') && face.width(&cut, 10.0) <= 100.0);
        assert_eq!(wrap(face, "a\nb", 10.0, 200.0), ["a", "b"]);
    }

    #[test]
    fn tables_break_pages_repeat_their_header_and_pages_are_numbered() {
        let mut pdf = Pdf::new("Essai").expect("fonts");
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
        let bytes = pdf.finish().expect("a PDF");
        assert!(bytes.starts_with(b"%PDF-"));
        let info = poppler("pdfinfo", &[], &bytes);
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("a page count");
        assert!(pages >= 2, "120 rows take more than one page");
        assert!(info.contains("595.28 x 841.89 pts (A4)"), "{info}");
        let text = poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &bytes);
        let per_page: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert_eq!(per_page.len(), pages);
        for (i, page) in per_page.iter().enumerate() {
            assert!(page.contains("Nom"), "header on page {}: {page}", i + 1);
            assert!(
                page.contains(&format!("Page {} / {pages}", i + 1)),
                "{page}"
            );
        }
        assert!(text.contains("ligne 0") && text.contains("ligne 119"));
    }

    #[test]
    fn any_name_prints_and_the_title_reads_right() {
        let names = ["Małgorzata Wójcik", "Nguyễn Thị Hà", "Øyvind"];
        let mut pdf = Pdf::new("Attestation — Nguyễn Thị Hà « Øyvind »").expect("fonts");
        pdf.heading(1, names[0]);
        pdf.paragraph(&format!("{} et {} : 12,50 € l’heure.", names[1], names[2]));
        pdf.facts(&[(names[2].into(), names[1].into())]);
        let bytes = pdf.finish().expect("a PDF");
        let text = poppler("pdftotext", &["-enc", "UTF-8"], &bytes);
        for name in names {
            assert!(text.contains(name), "{name} in {text}");
        }
        assert!(text.contains("12,50 € l’heure."), "{text}");
        let info = poppler("pdfinfo", &["-enc", "UTF-8"], &bytes);
        let title = info.lines().find_map(|l| l.strip_prefix("Title:"));
        assert_eq!(
            title.map(str::trim),
            Some("Attestation — Nguyễn Thị Hà « Øyvind »"),
            "{info}"
        );
        // The fonts are embedded, as subsets, and no text falls back to a standard font.
        let fonts = poppler("pdffonts", &[], &bytes);
        assert!(fonts.contains("DejaVuSans"), "{fonts}");
        assert!(
            fonts.lines().skip(2).all(|l| l.contains(" yes yes ")),
            "{fonts}"
        );
    }
}
