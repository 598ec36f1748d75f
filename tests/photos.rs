//! A photo is made small within bounded memory (issue 18, item 4): the decoded picture is the
//! most it takes, the resizing adds little. Its own test binary, as it counts every allocation
//! of the process.

#![allow(clippy::unwrap_used)]

use image::{codecs::png::PngEncoder, ImageBuffer, ImageEncoder, Rgb};
use std::{
    alloc::{GlobalAlloc, Layout, System},
    sync::atomic::{AtomicUsize, Ordering},
};

/// The system's allocator, counting the bytes in use and their highest mark.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

#[test]
fn a_large_photo_is_made_small_within_bounded_memory() {
    let (w, h) = (6000u32, 4000u32);
    let img: ImageBuffer<Rgb<u8>, Vec<u8>> =
        ImageBuffer::from_fn(w, h, |x, y| Rgb([(x % 251) as u8, (y % 241) as u8, 90]));
    let mut png = Vec::new();
    PngEncoder::new(&mut png)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    drop(img);

    let before = IN_USE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let out = entraide::service::files::clean_photo(&png).unwrap();
    let used = PEAK.load(Ordering::SeqCst) - before;

    let back = image::load_from_memory(&out).unwrap();
    assert_eq!((back.width(), back.height()), (1600, 1067));
    // The decoded picture takes 72 MB (3 bytes a pixel); making it small may add a quarter.
    let decoded = (w * h * 3) as usize;
    assert!(
        used < decoded + decoded / 4,
        "{} MB at most while cleaning a {} MB picture",
        used / 1_000_000,
        decoded / 1_000_000
    );
}
