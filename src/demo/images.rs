//! Small pictures drawn in code for the demo, so that the repository holds no binary file: a
//! coloured square with a simple shape, encoded as PNG. The use cases clean them as any upload
//! (re-encoded JPEG), so the demo goes through the same checks as a coordinator's file.
//!
//! Own code rather than a crate: a few lines of `image` draw these shapes, and a text-drawing
//! crate (with a font file) would be much more than a demo needs.

use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

/// What is drawn on the square.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A white ring: an association's logo.
    Ring,
    /// The sea under a sun: a mission's picture.
    Sea,
    /// A table seen from the side: an equipment photo.
    Table,
    /// A tent: an equipment photo.
    Tent,
}

/// A `width` × `height` PNG of `colour` with `shape` on it.
pub fn png(width: u32, height: u32, colour: [u8; 3], shape: Shape) -> anyhow::Result<Vec<u8>> {
    let [r, g, b] = colour;
    let main = Rgb(colour);
    let light = Rgb([r / 2 + 128, g / 2 + 128, b / 2 + 128]);
    let white = Rgb([255, 255, 255]);
    let (w, h) = (width as f32, height as f32);
    let (cx, cy) = (w / 2.0, h / 2.0);
    let radius = w.min(h) * 0.34;
    let img = RgbImage::from_fn(width, height, |x, y| {
        let (x, y) = (x as f32, y as f32);
        match shape {
            Shape::Ring => {
                let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
                if d < radius && d > radius * 0.62 {
                    white
                } else if d <= radius * 0.62 {
                    light
                } else {
                    main
                }
            }
            Shape::Sea => {
                let wave = h * 0.6 + 6.0 * (x / 14.0).sin();
                let sun = ((x - w * 0.72).powi(2) + (y - h * 0.3).powi(2)).sqrt();
                if y > wave {
                    main
                } else if sun < radius * 0.45 {
                    Rgb([250, 200, 60])
                } else {
                    light
                }
            }
            Shape::Table => {
                let top = y > h * 0.35 && y < h * 0.45 && x > w * 0.15 && x < w * 0.85;
                let leg = y >= h * 0.45
                    && y < h * 0.8
                    && ((x - w * 0.22).abs() < w * 0.03 || (x - w * 0.78).abs() < w * 0.03);
                if top || leg {
                    main
                } else {
                    light
                }
            }
            Shape::Tent => {
                let roof = y > h * 0.2 && (x - cx).abs() < (y - h * 0.2) * 1.2 && y < h * 0.5;
                let walls = (h * 0.5..h * 0.85).contains(&y) && (x - cx).abs() < h * 0.36;
                if roof {
                    white
                } else if walls {
                    main
                } else {
                    light
                }
            }
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// Each association's colour, for its logo.
const COLOURS: &[(&str, [u8; 3])] = &[
    ("epicerie-bellevue", [196, 84, 46]),
    ("repair-cafe-landerneau", [46, 125, 90]),
    ("littoral-plouzane", [30, 110, 160]),
    ("francais-pour-tous", [120, 70, 150]),
];

/// Missions that get a picture, by title.
const PICTURED: &[(&str, [u8; 3])] = &[
    ("Nettoyage de la plage du Minou", [30, 110, 160]),
    ("Accueil et caisse à l'épicerie", [196, 84, 46]),
];

/// Gives each association a logo and an address, and one or two missions a picture.
pub(super) async fn dress(d: &super::Demo<'_>, made: &[super::Made]) -> anyhow::Result<()> {
    use crate::service::{associations, mission_pictures};
    for (name, colour) in COLOURS {
        let change = associations::AssociationChange {
            logo: Some(png(160, 160, *colour, Shape::Ring)?),
            address: Some("Pays de Brest, Finistère".into()),
            ..Default::default()
        };
        associations::update(d.store, &d.coordinator, name, change, d.now).await?;
    }
    for (title, colour) in PICTURED {
        if let Some(m) = made.iter().find(|m| m.title == *title) {
            let bytes = png(480, 270, *colour, Shape::Sea)?;
            mission_pictures::set(d.store, &d.coordinator, m.mission_id, &bytes, d.now).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shape_is_a_photo_the_services_accept() {
        for shape in [Shape::Ring, Shape::Sea, Shape::Table, Shape::Tent] {
            let bytes = png(120, 80, [30, 110, 160], shape).expect("drawn");
            assert!(
                crate::service::files::clean_photo(&bytes).is_ok(),
                "{shape:?}"
            );
        }
    }
}
