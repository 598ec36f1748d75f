#![no_main]
//! `entraide::fuzzing::markdown` under libFuzzer (see fuzz/Cargo.toml).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = entraide::fuzzing::markdown(data);
});
