//! The whole JSON API against its OpenAPI document, by a property-based tester that knows
//! nothing of the node: schemathesis (PyPI) reads `/api/v1/openapi.json` of a real
//! `entraide serve --demo` process and sends every operation requests made from the schemas
//! (valid ones and broken ones), as the demo's coordinator, as the node's administrator and as
//! nobody (no token). It fails on any 5xx, any response whose body, content type or headers do
//! not match the document and any status the document does not list.
//!
//! `.ci/run` installs schemathesis; with `CI` set its absence fails the test, otherwise the
//! test says NOT RUN. Bounded: `SCHEMATHESIS_MAX_EXAMPLES` examples per operation (default 10).
#![allow(clippy::unwrap_used)]

#[path = "../federation-tests/support/mod.rs"]
mod support;

use std::process::Command;
use support::{Db, Node};

/// The version `.ci/run` installs.
const VERSION: &str = "4.32.5";

/// The checks every answer must pass.
const CHECKS: &str = "not_a_server_error,response_schema_conformance,status_code_conformance,\
                      content_type_conformance,response_headers_conformance";

/// Operations left out (by operation id), and why: deleting the account or revoking the token
/// the run uses (`DELETE /api/v1/me`, `DELETE /api/v1/me/tokens/{id}`) would turn every later
/// request into a 401.
const LEFT_OUT: [&str; 2] = ["delete_my_account", "revoke_token"];

/// The command line of schemathesis (`st`), through the Python that has it.
fn schemathesis() -> Command {
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "schemathesis.cli"]);
    cmd
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[test]
fn the_api_answers_as_its_openapi_document_says() {
    let installed = schemathesis()
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        let how = format!("python3 -m pip install schemathesis=={VERSION}");
        assert!(!in_ci(), "schemathesis is missing and CI is set: {how}");
        eprintln!("NOT RUN: schemathesis is not installed ({how})");
        return;
    }
    let max_examples =
        std::env::var("SCHEMATHESIS_MAX_EXAMPLES").unwrap_or_else(|_| "10".to_string());

    let mut node = Node::new("schemathesis", Db::Sqlite);
    // Thousands of requests from one token and one address: the brakes would answer 429 to
    // most of them (the brakes have their own tests, tests/security.rs and tests/auth_token.rs).
    node.extra_env.push((
        "ENTRAIDE__SERVER__API_REQUESTS_PER_MINUTE".into(),
        "1000000".into(),
    ));
    node.extra_env
        .push(("RUST_LOG".into(), "entraide=info,tower_http=warn".into()));
    // The node's first account is its administrator (the demo's accounts never are): the
    // administrators' operations are run with its token, the rest as the demo's coordinator.
    node.cli(
        &["admin", "create-user", "gestion", "--password-stdin"],
        Some("a long password for gestion\n"),
    );
    node.start_with(&["--demo"]);
    let coordinator = node.cli(&["admin", "create-token", "demo"], None);
    let administrator = node.cli(&["admin", "create-token", "gestion"], None);
    let mut failed = Vec::new();
    for (who, token, filter) in [
        (
            "coordinator",
            Some(&coordinator),
            Some("--exclude-path-regex"),
        ),
        (
            "administrator",
            Some(&administrator),
            Some("--include-path-regex"),
        ),
        // Every operation without a token: the 401s (and what anyone may read).
        ("anonymous", None, None),
    ] {
        let out = run(&node, token, filter, &max_examples, who);
        if !out {
            failed.push(who);
        }
    }
    let panicked = node.log().contains("panicked");
    assert!(
        failed.is_empty() && !panicked,
        "schemathesis found failures (as {failed:?}); node log:\n{}",
        node.log()
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("panicked"))
            .take(60)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// One run of schemathesis with a token or none, on the administrators' operations
/// (`--include-path-regex`), the others (`--exclude-path-regex`) or all; whether it passed.
fn run(
    node: &Node,
    token: Option<&String>,
    filter: Option<&str>,
    max_examples: &str,
    who: &str,
) -> bool {
    let report = node.dir.join(format!("schemathesis-{who}.xml"));
    let mut st = schemathesis();
    st.args(["run", &node.url("/api/v1/openapi.json")])
        .args(["--url", &node.base])
        .args(["--checks", CHECKS])
        .args(["--max-examples", max_examples])
        .args(["--seed", "20301"])
        // One worker: with two, its threads use Python's `ast` module at once, which the
        // machine's CPython 3.11.7 does not do safely (CPython issue gh-106905): a CI run
        // crashed inside schemathesis with "SystemError: AST constructor recursion depth
        // mismatch". One worker took as long here (61 s for the whole test).
        .args(["--workers", "1"])
        .args(["--request-timeout", "20"])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(&report)
        .args(["--output-truncate", "false"])
        .env("NO_COLOR", "1")
        // Its database of examples goes to the node's directory, not the checkout.
        .current_dir(&node.dir);
    if let Some(token) = token {
        st.args(["--header", &format!("Authorization: Bearer {token}")]);
    }
    if let Some(filter) = filter {
        st.args([filter, "^/api/v1/admin/"]);
    }
    for op in LEFT_OUT {
        st.args(["--exclude-operation-id", op]);
    }
    let out = st.output().expect("st runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("===== schemathesis: {who} =====\n{stdout}\n{stderr}");
    out.status.success()
}
