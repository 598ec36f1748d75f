//! The fonts the PDF documents are set in: DejaVu Sans and DejaVu Sans Bold, vendored in
//! `assets/fonts/` (with their licence) and built into the binary, so a fresh machine prints any
//! name in Latin (with its extensions: Polish, Vietnamese, Nordic…), Greek or Cyrillic. This
//! module owns what layout needs from a font: a character's glyph and its advance width (from
//! the font's own tables, read by `skrifa`), and the glyph runs `krilla` draws and subsets.

use std::sync::LazyLock;

use super::DocumentError;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::{
    charmap::Charmap, instance::Size, metrics::GlyphMetrics, FontRef, MetadataProvider as _,
};

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// One typeface: the font krilla embeds, and its character map and advances for layout.
pub struct Face {
    font: Font,
    charmap: Charmap<'static>,
    // Advances at a size of one: widths in ems.
    advances: GlyphMetrics<'static>,
}

/// The regular and the bold face, parsed once.
pub struct Faces {
    pub regular: Face,
    pub bold: Face,
}

static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    Some(Faces {
        regular: Face::parse(REGULAR_TTF)?,
        bold: Face::parse(BOLD_TTF)?,
    })
});

/// The two faces; an error if the vendored files do not parse (a unit test proves they do).
pub fn faces() -> Result<&'static Faces, DocumentError> {
    FACES.as_ref().ok_or(DocumentError::Font)
}

impl Face {
    fn parse(data: &'static [u8]) -> Option<Face> {
        let font_ref = FontRef::new(data).ok()?;
        Some(Face {
            font: Font::new(data.into(), 0)?,
            charmap: font_ref.charmap(),
            advances: font_ref
                .glyph_metrics(Size::new(1.0), skrifa::instance::LocationRef::default()),
        })
    }

    /// The font to hand to krilla.
    pub fn font(&self) -> Font {
        self.font.clone()
    }

    /// The glyph of `c`; the font's "missing" glyph (0) when it has none.
    fn glyph(&self, c: char) -> skrifa::GlyphId {
        self.charmap.map(c).unwrap_or(skrifa::GlyphId::NOTDEF)
    }

    /// The advance of `c`, in ems.
    fn advance(&self, c: char) -> f32 {
        self.advances.advance_width(self.glyph(c)).unwrap_or(0.0)
    }

    /// The width of `text` at `size` points, glyph by glyph (no kerning: none of our documents
    /// needs it, and the widths then match what is drawn exactly).
    pub fn width(&self, text: &str, size: f64) -> f64 {
        let ems: f32 = text.chars().map(|c| self.advance(c)).sum();
        f64::from(ems) * size
    }

    /// `text` as one glyph per character, each tied to its bytes in `text` so that readers
    /// (copy and paste, `pdftotext`, screen readers) get the characters back.
    pub fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(at, c)| KrillaGlyph {
                glyph_id: GlyphId::new(self.glyph(c).to_u32()),
                text_range: at..at + c.len_utf8(),
                x_advance: self.advance(c),
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_fonts_cover_the_names_we_print() {
        let faces = faces().expect("the vendored fonts parse");
        for face in [&faces.regular, &faces.bold] {
            for c in "Małgorzata Wójcik Nguyễn Thị Hà Øyvind Œuvre — € « » ’ Ελένη Ірина".chars()
            {
                assert_ne!(face.glyph(c), skrifa::GlyphId::NOTDEF, "{c:?}");
            }
        }
    }

    #[test]
    fn widths_come_from_the_font() {
        let faces = faces().expect("the vendored fonts parse");
        let r = &faces.regular;
        // DejaVu Sans: "H" is 1540 units of 2048 wide, a space 651 (its `hmtx` table).
        assert!((r.width("H", 10.0) - 10.0 * 1540.0 / 2048.0).abs() < 1e-3);
        assert!((r.width(" ", 10.0) - 10.0 * 651.0 / 2048.0).abs() < 1e-3);
        assert!((r.width("HH", 20.0) - 4.0 * r.width("H", 10.0)).abs() < 1e-3);
        assert!(faces.bold.width("Hello", 10.0) > r.width("Hello", 10.0));
        let glyphs = r.glyphs("Øy");
        assert_eq!(glyphs.len(), 2);
        assert_eq!(
            (glyphs[0].text_range.clone(), glyphs[1].text_range.clone()),
            (0..2, 2..3)
        );
    }
}
