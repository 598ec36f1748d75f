//! The coverage check of the suite: every method of every storage trait (each `pub trait
//! …Store` block under `src/storage/`, whatever its module) must be called (`.name(`) by some
//! file of this suite. Read from the source, so a method added to a trait without a test fails
//! here, before and after the traits are split per aggregate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted (the storage modules may nest).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier at the start of `text`.
fn ident(text: &str) -> &str {
    let end = text.find(|c| !is_ident(c)).unwrap_or(text.len());
    &text[..end]
}

/// `(trait, methods)` of each `pub trait <Name>Store` in `source`: the functions declared at
/// the trait's top level (not those nested in a default body). Comment lines are skipped, so a
/// brace in a doc comment does not count.
fn store_traits(source: &str) -> Vec<(String, Vec<String>)> {
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("pub trait ") {
        let after = &rest[at + "pub trait ".len()..];
        let name = ident(after).to_string();
        let Some(open) = after.find('{') else { break };
        let body = &after[open + 1..];
        let (mut depth, mut methods, mut end) = (1usize, Vec::new(), body.len());
        let mut i = 0;
        while i < body.len() {
            let c = body[i..].chars().next().unwrap();
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ if depth == 1
                    && body[i..].starts_with("fn ")
                    && !body[..i].ends_with(is_ident) =>
                {
                    methods.push(ident(body[i + 3..].trim_start()).to_string());
                }
                _ => {}
            }
            i += c.len_utf8();
        }
        if name.ends_with("Store") {
            out.push((name, methods));
        }
        rest = &body[end..];
    }
    out
}

#[test]
fn the_parser_reads_trait_blocks() {
    let source = "
        /// A doc with a brace {
        pub trait MissionStore: Send {
            async fn get_mission(&self, id: i64) -> Result<Mission>;
            fn backend(&self) -> &'static str { \"x\" }
            async fn complete(&self) -> Result<()> {
                fn nested() {}
                Ok(())
            }
        }
        pub trait Unrelated { fn not_a_store(&self); }
        pub trait Store: MissionStore {}
    ";
    assert_eq!(
        store_traits(source),
        vec![
            (
                "MissionStore".to_string(),
                vec![
                    "get_mission".to_string(),
                    "backend".to_string(),
                    "complete".to_string()
                ]
            ),
            ("Store".to_string(), Vec::new()),
        ]
    );
}

#[test]
fn every_storage_trait_method_is_called_by_the_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    for file in rust_files(&root.join("src/storage")) {
        let source = std::fs::read_to_string(&file).unwrap();
        for (name, fns) in store_traits(&source) {
            for f in fns {
                methods.insert(f, name.clone());
            }
        }
    }
    // A parser that stopped finding the traits would pass vacuously.
    assert!(
        methods.contains_key("create_mission") && methods.contains_key("reserve"),
        "the storage traits were not found under src/storage: {methods:?}"
    );

    let this = root.join("tests/storage/coverage.rs");
    let suite: String = rust_files(&root.join("tests/storage"))
        .into_iter()
        .filter(|f| *f != this)
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let missing: Vec<String> = methods
        .iter()
        .filter(|(method, _)| !suite.contains(&format!(".{method}(")))
        .map(|(method, store)| format!("{store}::{method}"))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} storage trait methods are called by no conformance test (tests/storage/): {}",
        missing.len(),
        methods.len(),
        missing.join(", ")
    );
}

/// A file of the suite that `main.rs` does not declare would count above without ever running.
#[test]
fn every_file_of_the_suite_is_compiled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/storage");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    let declared: Vec<String> = main
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect();
    let undeclared: Vec<String> = rust_files(&dir)
        .iter()
        .filter(|f| f.parent() == Some(dir.as_path()))
        .filter_map(|f| f.file_stem()?.to_str().map(str::to_string))
        .filter(|m| m != "main" && !declared.contains(m))
        .collect();
    assert!(
        undeclared.is_empty(),
        "not declared in tests/storage/main.rs: {undeclared:?}"
    );
}
