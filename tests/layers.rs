//! The layers hold: read from the source, like a linter would.
//!
//! - Nothing under `src/http/` names the storage module or calls a store method: handlers call
//!   use cases (`src/service/`), which may be handed the store (`state.store.as_ref()`).
//! - The domain knows neither storage, nor HTTP, nor federation.
//! - No source file is over 600 lines.
//!
//! A violation fails with the file, the line and what was found.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
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

fn src(part: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(part)
}

/// The code of a file without its comments (`//` to the end of the line), line by line, so
/// that a word in a doc comment does not count. Strings are kept: SQL has no place here either.
fn code_lines(source: &str) -> Vec<(usize, String)> {
    source
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let code = match line.find("//") {
                Some(at) => &line[..at],
                None => line,
            };
            (i + 1, code.to_string())
        })
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Calls of a method on something named `store` (`state.store.get_actor(`, `store.list(`,
/// across line breaks too), other than handing the store on (`as_ref`, `clone`).
fn store_calls(source: &str) -> Vec<(usize, String)> {
    // Whitespace removed, with a map back to line numbers.
    let mut squeezed = String::new();
    let mut line_of = Vec::new();
    for (n, line) in code_lines(source) {
        for c in line.chars().filter(|c| !c.is_whitespace()) {
            squeezed.push(c);
            line_of.push(n);
        }
    }
    let mut found = Vec::new();
    // `state.store.x(` and `me.store().x(` (the store handed on by `AppState::store`).
    let handles = squeezed
        .match_indices("store.")
        .map(|(at, _)| (at, "store.".len()))
        .chain(
            squeezed
                .match_indices("store().")
                .map(|(at, _)| (at, "store().".len())),
        );
    for (at, len) in handles {
        if squeezed[..at].chars().next_back().is_some_and(is_ident) {
            continue; // `datastore.`, `my_store.`: another name
        }
        let rest = &squeezed[at + len..];
        let method: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        let called = rest[method.len()..].starts_with('(');
        if called && method != "as_ref" && method != "clone" {
            found.push((line_of[at], format!("store.{method}(")));
        }
    }
    found
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn http_calls_use_cases_not_storage() {
    let mut wrong = Vec::new();
    let files = rust_files(&src("http"));
    assert!(
        files.len() > 30,
        "only {} files under src/http",
        files.len()
    );
    for path in files {
        let source = std::fs::read_to_string(&path).expect("readable source");
        for (n, line) in code_lines(&source) {
            if line.contains("storage::")
                || line.contains("storage::{")
                || line.contains("storage,")
            {
                wrong.push(format!("{}:{n}: names the storage module", relative(&path)));
            }
        }
        for (n, call) in store_calls(&source) {
            wrong.push(format!("{}:{n}: calls {call}", relative(&path)));
        }
    }
    assert!(
        wrong.is_empty(),
        "src/http must go through src/service:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_domain_depends_on_nothing_outside_it() {
    let mut wrong = Vec::new();
    for path in rust_files(&src("domain")) {
        let source = std::fs::read_to_string(&path).expect("readable source");
        for (n, line) in code_lines(&source) {
            for layer in [
                "storage",
                "http",
                "federation",
                "service",
                "notify",
                "state",
            ] {
                if line.contains(&format!("crate::{layer}")) {
                    wrong.push(format!("{}:{n}: uses crate::{layer}", relative(&path)));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut long = Vec::new();
    let files = rust_files(&src(""));
    assert!(files.len() > 100, "only {} source files", files.len());
    for path in files {
        let n = std::fs::read_to_string(&path)
            .expect("readable source")
            .lines()
            .count();
        if n > 600 {
            long.push(format!("{}: {n} lines", relative(&path)));
        }
    }
    assert!(
        long.is_empty(),
        "files over 600 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_scanner_sees_calls_across_lines() {
    let source = "let a = state\n    .store\n    .get_actor(id); // store.x( in a comment\nlet b = state.store.as_ref();\nlet c = datastore.get(1);";
    let found = store_calls(source);
    assert_eq!(found, vec![(2, "store.get_actor(".to_string())]);
    let handed = "missions::get(me.store(), id);\nlet m = me.store().get_mission(id);";
    assert_eq!(
        store_calls(handed),
        vec![(2, "store.get_mission(".to_string())]
    );
}
