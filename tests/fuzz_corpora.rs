//! Every file of `fuzz/corpus/<target>/` (the seeds and every input that once broke a target)
//! through the same function the fuzz target runs (`entraide::fuzzing`), on stable, so the
//! corpora run in CI. The long runs are `tools/fuzz/run.sh SECONDS` (nightly, libFuzzer).
#![allow(clippy::unwrap_used)]

use entraide::fuzzing::{self, Reached};
use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    path::PathBuf,
};

/// What the `csv` crate reads: the fields of each record.
fn read_csv(text: &str, separator: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Runs `target` on every file of its corpus; fails naming each file that panicked. Returns
/// how many inputs went through every check and how many were refused.
fn replay(target: &str, run: impl Fn(&[u8]) -> Reached) -> (usize, usize) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{target}: only {} seeds", files.len());
    let (mut accepted, mut refused, mut broken) = (0, 0, Vec::new());
    for file in &files {
        let data = std::fs::read(file).unwrap();
        match catch_unwind(AssertUnwindSafe(|| run(&data))) {
            Ok(Reached::Accepted) => accepted += 1,
            Ok(Reached::Refused) => refused += 1,
            Err(_) => broken.push(file.display().to_string()),
        }
    }
    assert!(broken.is_empty(), "{target}: broken by {broken:#?}");
    println!(
        "{target}: {} files, {accepted} through every check, {refused} refused",
        files.len()
    );
    (accepted, refused)
}

#[test]
fn inbox_corpus() {
    let (accepted, refused) = replay("inbox", fuzzing::inbox);
    // Real activities get through the cheap checks; broken ones are refused.
    assert!(accepted >= 10 && refused >= 3, "{accepted} {refused}");
}

#[test]
fn signature_corpus() {
    let (accepted, refused) = replay("signature", fuzzing::signature);
    assert!(accepted >= 1 && refused >= 3, "{accepted} {refused}");
}

#[test]
fn markdown_corpus() {
    replay("markdown", fuzzing::markdown);
}

#[test]
fn photo_corpus() {
    let (accepted, refused) = replay("photo", fuzzing::photo);
    assert!(accepted >= 2 && refused >= 2, "{accepted} {refused}");
}

#[test]
fn document_corpus() {
    let (accepted, refused) = replay("document", fuzzing::document);
    assert!(accepted >= 2 && refused >= 1, "{accepted} {refused}");
}

#[test]
fn ical_corpus() {
    replay("ical", fuzzing::ical);
}

#[test]
fn csv_corpus() {
    replay("csv", |data| fuzzing::csv(data, &read_csv));
}

/// The checks of the targets can fail: a broken writer or sanitiser would be caught.
#[test]
fn the_targets_catch_what_they_look_for() {
    let refused = |f: &dyn Fn()| catch_unwind(AssertUnwindSafe(f)).is_err();
    // A CSV reader that lost the apostrophe of a formula.
    assert!(refused(&|| {
        fuzzing::csv(b"=1+1\x1fa", &|text, sep| {
            read_csv(&text.replace('\'', ""), sep)
        });
    }));
    // A reader that sees the quoted separator as two fields.
    assert!(refused(&|| {
        fuzzing::csv(b"a,b\x1fc", &|text, _| read_csv(text, b';'));
    }));
}
