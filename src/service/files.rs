//! Files attached to lent equipment: photos (decoded, resized to fit 1600 pixels, re-encoded
//! as JPEG, which leaves their metadata behind: position, camera, date) and the owner's
//! contract documents (PDF only).

use super::{resources::get, Result, ServiceError};
use crate::{
    domain::{account::User, DomainError, FieldError},
    storage::{ActorStore, ResourceStore},
};

pub use crate::storage::ResourceFile;
use chrono::{DateTime, Utc};
use image::{codecs::jpeg::JpegEncoder, ImageDecoder, ImageReader, Limits};
use std::io::Cursor;

/// The largest file accepted, in bytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most photos and documents a resource has.
pub const MAX_PHOTOS: i64 = 8;
pub const MAX_DOCUMENTS: i64 = 8;
/// Photos are resized to fit this many pixels on their longer side.
pub const PHOTO_SIDE: u32 = 1600;

/// The most pixels a photo may have: its decoded picture is the most memory cleaning it takes
/// (about 150 MB at 3 bytes a pixel, more for 16-bit PNGs, within [`MAX_DECODED_BYTES`]).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The longest side a photo may have, in pixels.
pub const MAX_PHOTO_SIDE: u32 = 12_000;
/// The most bytes a photo may take once decoded.
const MAX_DECODED_BYTES: u64 = 200 * 1024 * 1024;

/// Photos cleaned at once: two (each may take [`MAX_DECODED_BYTES`]), and eight more waiting;
/// past them an upload is answered "busy, retry in a moment".
fn photo_gate() -> &'static super::blocking::Gate {
    static GATE: std::sync::OnceLock<super::blocking::Gate> = std::sync::OnceLock::new();
    GATE.get_or_init(|| super::blocking::Gate::new(2, 8))
}

/// [`clean_photo`] on the blocking threads, two at a time: the async threads never decode.
pub async fn clean_photo_bounded(
    bytes: Vec<u8>,
) -> Result<std::result::Result<Vec<u8>, FieldError>> {
    photo_gate().run(move || clean_photo(&bytes)).await
}

/// A photo as we keep it: JPEG, at most `PHOTO_SIDE` pixels, without metadata. Its size is
/// read from its header first: one too large is refused before anything is decoded, and the
/// decoded picture is made small by averaging blocks of pixels, which needs little more memory
/// than the small picture itself.
pub fn clean_photo(bytes: &[u8]) -> std::result::Result<Vec<u8>, FieldError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| FieldError::new("file_unreadable"))?;
    if !matches!(
        reader.format(),
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png)
    ) {
        return Err(FieldError::new("photo_format"));
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|_| FieldError::new("photo_unreadable"))?;
    let (width, height) = decoder.dimensions();
    let decoded =
        u64::from(width) * u64::from(height) * decoder.color_type().bytes_per_pixel() as u64;
    if width > MAX_PHOTO_SIDE
        || height > MAX_PHOTO_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
        || decoded > MAX_DECODED_BYTES
    {
        return Err(FieldError::new("photo_too_large")
            .num("megapixels", (MAX_PIXELS / 1_000_000) as i64)
            .num("side", i64::from(MAX_PHOTO_SIDE)));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_SIDE);
    limits.max_image_height = Some(MAX_PHOTO_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES + 64 * 1024 * 1024);
    decoder
        .set_limits(limits)
        .map_err(|_| FieldError::new("photo_unreadable"))?;
    let img = image::DynamicImage::from_decoder(decoder)
        .map_err(|_| FieldError::new("photo_unreadable"))?;
    let img = if img.width() > PHOTO_SIDE || img.height() > PHOTO_SIDE {
        img.thumbnail(PHOTO_SIDE, PHOTO_SIDE)
    } else {
        img
    };
    let rgb = img.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 82)
        .encode_image(&rgb)
        .map_err(|_| FieldError::new("photo_unwritable"))?;
    Ok(out)
}

/// A contract document as it is kept: a PDF (by its first bytes; it is served as
/// `application/pdf`, `attachment`, never sniffed), under the name people can read.
pub fn check_document(name: &str, bytes: &[u8]) -> std::result::Result<String, FieldError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(FieldError::new("pdf_only"));
    }
    Ok(clean_name(name, "document.pdf"))
}

/// A file name people can read, without path or control characters.
fn clean_name(name: &str, default: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    if clean.is_empty() {
        default.to_string()
    } else {
        clean
    }
}

/// The photos and documents of a resource (by kind, then in the order they came).
pub async fn of_resource(store: &dyn ResourceStore, resource_id: i64) -> Result<Vec<ResourceFile>> {
    Ok(store.list_resource_files(resource_id).await?)
}

/// A file and its bytes: public, like the resource it belongs to; not found once that
/// resource was removed.
pub async fn read(store: &dyn ResourceStore, id: i64) -> Result<(ResourceFile, Vec<u8>)> {
    let (file, bytes) = store.get_resource_file(id).await?;
    if store
        .get_resource(file.resource_id)
        .await?
        .deleted_at
        .is_some()
    {
        return Err(ServiceError::NotFound("file"));
    }
    Ok((file, bytes))
}

/// The photos and documents of a resource that is still offered (anyone may see them).
pub async fn of_offered<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    resource_id: i64,
) -> Result<Vec<ResourceFile>> {
    let (r, _) = super::resources::offered(store, resource_id).await?;
    Ok(store.list_resource_files(r.id).await?)
}

/// Attaches a photo or a document to one of this node's resources (its coordinators).
pub async fn attach<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    resource_id: i64,
    kind: &str,
    name: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<ResourceFile> {
    let (r, owner) = get(store, resource_id).await?;
    if !owner.local || r.deleted_at.is_some() {
        return Err(ServiceError::NotFound("resource"));
    }
    super::resources::require_coordinator(store, user, &owner).await?;
    if bytes.is_empty() {
        return Err(DomainError::field("file", FieldError::new("file_required")).into());
    }
    if bytes.len() > MAX_BYTES {
        return Err(
            DomainError::field("file", FieldError::new("file_too_big").num("mb", 10)).into(),
        );
    }
    let (content_type, data, max, name) = match kind {
        "photo" => {
            let data = clean_photo_bounded(bytes.to_vec())
                .await?
                .map_err(|m| DomainError::field("file", m))?;
            let stem = clean_name(name, "photo");
            let stem = stem
                .rsplit_once('.')
                .map(|(s, _)| s.to_string())
                .unwrap_or(stem);
            ("image/jpeg", data, MAX_PHOTOS, format!("{stem}.jpg"))
        }
        "document" => {
            let name = check_document(name, bytes).map_err(|m| DomainError::field("file", m))?;
            ("application/pdf", bytes.to_vec(), MAX_DOCUMENTS, name)
        }
        _ => return Err(DomainError::field("kind", FieldError::new("file_kind")).into()),
    };
    match store
        .add_resource_file(r.id, kind, &name, content_type, &data, max, now)
        .await
    {
        Err(crate::storage::StoreError::Conflict(_)) => Err(DomainError::field(
            "file",
            FieldError::new("too_many_files").num("max", max),
        )
        .into()),
        other => Ok(other?),
    }
}

/// Removes a file of one of this node's resources (its coordinators).
pub async fn remove<S: ActorStore + ResourceStore + ?Sized>(
    store: &S,
    user: &User,
    resource_id: i64,
    file_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let (_, owner) = get(store, resource_id).await?;
    if !owner.local {
        return Err(ServiceError::NotFound("resource"));
    }
    super::resources::require_coordinator(store, user, &owner).await?;
    if store
        .delete_resource_file(resource_id, file_id, now)
        .await?
    {
        Ok(())
    } else {
        Err(ServiceError::NotFound("file"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img: ImageBuffer<Rgb<u8>, Vec<u8>> =
            ImageBuffer::from_fn(w, h, |x, y| Rgb([(x % 255) as u8, (y % 255) as u8, 90]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("png");
        out
    }

    /// A JPEG carrying an EXIF segment (APP1) with a position in it, as phones write them.
    fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img: ImageBuffer<Rgb<u8>, Vec<u8>> = ImageBuffer::from_pixel(w, h, Rgb([200, 10, 10]));
        let mut plain = Vec::new();
        JpegEncoder::new_with_quality(&mut plain, 90)
            .encode_image(&img)
            .expect("jpeg");
        let payload = b"Exif\0\0GPSLatitude=48.3904;GPSLongitude=-4.4861";
        let len = (payload.len() + 2) as u16;
        let mut out = plain[..2].to_vec(); // SOI
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn a_large_photo_is_resized_and_becomes_a_plain_jpeg() {
        let out = clean_photo(&png(3200, 1200)).expect("cleaned");
        assert!(out.starts_with(&[0xFF, 0xD8]), "a JPEG");
        let back = image::load_from_memory(&out).expect("readable");
        assert_eq!((back.width(), back.height()), (1600, 600));
    }

    #[test]
    fn a_photo_loses_its_metadata() {
        let with_exif = jpeg_with_exif(640, 480);
        assert!(with_exif.windows(11).any(|w| w == b"GPSLatitude"));
        let out = clean_photo(&with_exif).expect("cleaned");
        assert!(
            !out.windows(4).any(|w| w == b"Exif"),
            "no EXIF segment left"
        );
        assert!(
            !out.windows(11).any(|w| w == b"GPSLatitude"),
            "no position left"
        );
        let back = image::load_from_memory(&out).expect("readable");
        assert_eq!((back.width(), back.height()), (640, 480));
    }

    /// A small JPEG whose header claims `w` × `h` pixels (its frame marker rewritten).
    fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
        let img: ImageBuffer<Rgb<u8>, Vec<u8>> = ImageBuffer::from_pixel(16, 16, Rgb([9, 9, 9]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .expect("jpeg");
        // SOF0: FF C0, length (2), precision (1), height (2), width (2).
        let sof = out
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("a frame marker");
        out[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
        out[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
        out
    }

    #[test]
    fn a_photo_too_large_to_decode_is_refused_from_its_header() {
        // 12,000 × 12,000 pixels would take 432 MB once decoded: refused before decoding,
        // with a message saying why.
        let err = clean_photo(&jpeg_claiming(12_000, 12_000)).expect_err("refused");
        assert_eq!(err.code, "photo_too_large");
        assert!(err.args.iter().any(|(k, _)| *k == "megapixels"), "{err:?}");
        let err = clean_photo(&jpeg_claiming(60_000, 200)).expect_err("refused");
        assert_eq!(err.code, "photo_too_large");
        // A camera's 24 megapixels pass the header check.
        assert_ne!(
            clean_photo(&jpeg_claiming(6_000, 4_000)).map_err(|e| e.code),
            Err("photo_too_large")
        );
    }

    #[test]
    fn what_is_not_a_photo_is_refused() {
        assert!(clean_photo(b"%PDF-1.4 not an image").is_err());
        assert!(clean_photo(&[0x89, b'P', b'N', b'G', 0, 0]).is_err());
    }

    #[test]
    fn names_lose_their_path() {
        assert_eq!(clean_name("C:\\Users\\x\\statuts.pdf", "d"), "statuts.pdf");
        assert_eq!(clean_name("  ", "d"), "d");
    }
}
