#![no_main]
//! `entraide::fuzzing::photo` under libFuzzer (see fuzz/Cargo.toml).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = entraide::fuzzing::photo(data);
});
