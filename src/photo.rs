//! Photos: decoded with limits, turned upright, cropped square, scaled down
//! and re-encoded, so that only pixels reach the PDF.
//!
//! Typst embeds a JPEG's bytes as they are, EXIF and GPS tags included. The
//! original file therefore never reaches a layout: layouts read the
//! re-encoded copy at [`PHOTO_PATH`], which carries no metadata at all.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::sync::Arc;

/// The virtual path layouts read the prepared photo from.
pub const PHOTO_PATH: &str = "/photo.jpg";

/// Larger images are refused before decoding: no portrait needs more, and a
/// small file claiming huge dimensions is a decompression bomb.
pub const MAX_DIMENSION: u32 = 12_000;
/// The largest photo file read: a camera's full-size JPEG is a few MB.
pub const MAX_FILE_BYTES: u64 = 40_000_000;
/// The most memory a decoder may allocate.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// The side of the square a photo is scaled down to: 3 cm at 400 dpi.
pub const SIDE: u32 = 480;
/// JPEG quality of the re-encoded photo.
const QUALITY: u8 = 88;

/// A photo ready for layouts: square, upright, metadata-free JPEG bytes.
#[derive(Debug, Clone)]
pub struct Photo {
    /// Shared, so every compile of every variant serves the same bytes
    /// without copying them.
    pub jpeg: Arc<[u8]>,
    /// SHA-256 of the original file, for incremental builds.
    pub source_sha256: [u8; 32],
}

/// Decodes an image file's bytes and prepares it, within `memory` bytes
/// (the run's `--max-memory`: decoding needs a few copies of the pixels,
/// so a third of it goes to them). Errors are one sentence about what is
/// wrong with the image, to follow its name in a message.
pub fn prepare(bytes: &[u8], memory: u64) -> Result<Photo, String> {
    let alloc = MAX_ALLOC.min(memory / 3);
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| format!("cannot be read: {err}"))?;
    if !matches!(
        reader.format(),
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP)
    ) {
        return Err("is not a JPEG, PNG or WebP image".into());
    }
    // The header's dimensions first: a small file claiming a huge image is
    // a decompression bomb, refused before any pixel is decoded.
    let format = reader.format();
    let (width, height) = reader.into_dimensions().map_err(describe)?;
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_DIMENSION || height > MAX_DIMENSION || pixels * 4 > MAX_ALLOC {
        return Err(format!(
            "is {width} x {height} pixels, more than cvgen decodes (at most {MAX_DIMENSION} on a side \
             and {} megapixels); scale it down first",
            MAX_ALLOC / 4 / 1_000_000
        ));
    }
    if pixels * 4 > alloc {
        return Err(format!(
            "is {width} x {height} pixels: decoding it takes about {} MB, more than the run's \
             memory allows (--max-memory {} MB); scale it down first",
            pixels * 4 * 3 / 1_000_000,
            memory / 1_000_000
        ));
    }
    if width == 0 || height == 0 {
        return Err("has no pixels".into());
    }
    // The JPEG decoder fills a cut-off scan with grey instead of failing.
    if format == Some(image::ImageFormat::Jpeg) && !jpeg_is_complete(bytes) {
        return Err("is damaged or truncated: its image data has no end marker".into());
    }
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(format.unwrap_or(image::ImageFormat::Jpeg));
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(alloc);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(describe)?;
    // A decoder that cannot read the orientation tag leaves the image as is.
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let side = SIDE.min(image.width()).min(image.height());
    let square = image
        .resize_to_fill(side, side, FilterType::Lanczos3)
        .into_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode_image(&square)
        .map_err(|err| format!("cannot be re-encoded: {err}"))?;
    Ok(Photo {
        jpeg: Arc::from(jpeg),
        source_sha256: crate::hash::sha256(bytes),
    })
}

/// Whether a JPEG's last scan is followed by its end-of-image marker. Inside
/// scan data a 0xFF byte is always followed by 0x00 or a restart marker, so
/// neither marker can appear there by accident; an EXIF thumbnail's own
/// markers come before the main image's scans.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last = |marker: u8| bytes.windows(2).rposition(|w| w == [0xFF, marker]);
    match (last(0xDA), last(0xD9)) {
        (Some(scan), Some(end)) => end > scan,
        _ => false,
    }
}

fn describe(err: image::ImageError) -> String {
    match err {
        image::ImageError::Limits(_) => format!(
            "needs more memory to decode than cvgen allows ({} MiB); scale it down first",
            MAX_ALLOC / 1024 / 1024
        ),
        image::ImageError::Decoding(err) => format!("is damaged or truncated: {err}"),
        image::ImageError::Unsupported(err) => format!("uses a format cvgen cannot read: {err}"),
        other => format!("cannot be decoded: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(image: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        image.write_to(&mut bytes, format).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn photos_come_out_square_and_bounded() {
        let wide = DynamicImage::new_rgb8(1200, 800);
        let photo = prepare(&encode(&wide, image::ImageFormat::Png), u64::MAX).unwrap();
        let back = image::load_from_memory(&photo.jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (SIDE, SIDE));

        let small = DynamicImage::new_rgba8(100, 60);
        let photo = prepare(&encode(&small, image::ImageFormat::Png), u64::MAX).unwrap();
        let back = image::load_from_memory(&photo.jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (60, 60));
    }

    #[test]
    fn truncated_and_foreign_files_are_refused() {
        let jpeg = encode(&DynamicImage::new_rgb8(64, 64), image::ImageFormat::Jpeg);
        let err = prepare(&jpeg[..jpeg.len() / 2], u64::MAX).unwrap_err();
        assert!(err.contains("damaged or truncated"), "{err}");
        let err = prepare(b"GIF89a\x01\x00\x01\x00", u64::MAX).unwrap_err();
        assert!(err.contains("not a JPEG, PNG or WebP"), "{err}");
    }

    /// The run's memory budget bounds decoding too: a photo that fits the
    /// default is refused under a small `--max-memory`, before decoding.
    #[test]
    fn decoding_stays_within_the_runs_memory() {
        let large = encode(&DynamicImage::new_rgb8(3000, 3000), image::ImageFormat::Png);
        assert!(prepare(&large, 4_096_000_000).is_ok());
        let err = prepare(&large, 100_000_000).unwrap_err();
        assert!(err.contains("--max-memory 100 MB"), "{err}");
    }
}
