#![no_main]
//! `entraide::fuzzing::csv` under libFuzzer, read back with the `csv` crate (see fuzz/Cargo.toml).

fn read(text: &str, separator: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_string).collect())
        .collect()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = entraide::fuzzing::csv(data, &read);
});
