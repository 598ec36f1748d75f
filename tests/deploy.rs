//! The container files of `deploy/` (issue 18), checked without a container engine: the
//! Dockerfile's stages, user and paths, the compose file's services and settings (read by a
//! real YAML parser, Python's PyYAML, and given to the node's own configuration loader), and
//! the Caddyfile they mount. The image itself is built where an engine runs (see docs/admin.md,
//! "Containers").

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::{path::Path, process::Command};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The Dockerfile's instructions, continuation lines joined, comments left out.
fn instructions() -> Vec<(String, String)> {
    let text = read("deploy/Dockerfile");
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        let (word, rest) = current.split_once(' ').unwrap_or((&current, ""));
        out.push((word.to_uppercase(), rest.trim().to_string()));
        current.clear();
    }
    out
}

/// The instructions of each stage: (its FROM line, its instructions).
fn stages() -> Vec<(String, Vec<(String, String)>)> {
    let mut stages: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (word, rest) in instructions() {
        if word == "FROM" {
            stages.push((rest, Vec::new()));
        } else if let Some(last) = stages.last_mut() {
            last.1.push((word, rest));
        }
    }
    stages
}

#[test]
fn the_dockerfile_builds_in_one_stage_and_runs_small_as_a_user() {
    let stages = stages();
    assert_eq!(stages.len(), 2, "a build stage and a runtime stage");
    let (builder, build) = &stages[0];
    let (runtime, run) = &stages[1];
    assert!(
        builder.starts_with("rust:") && builder.ends_with(" AS builder"),
        "{builder}"
    );
    assert!(
        runtime.starts_with("debian:") && runtime.contains("-slim"),
        "{runtime}"
    );
    let all = |stage: &[(String, String)], word: &str| -> Vec<String> {
        stage
            .iter()
            .filter(|(w, _)| w == word)
            .map(|(_, r)| r.clone())
            .collect()
    };

    // Dependencies are fetched from the manifests alone, before the sources are copied.
    let runs = all(build, "RUN");
    let fetch = runs
        .iter()
        .position(|r| r.contains("cargo fetch --locked"))
        .expect("cargo fetch");
    let compile = runs
        .iter()
        .position(|r| r.contains("cargo build --release --locked"))
        .expect("cargo build");
    assert!(fetch < compile);
    // Every target the manifest names gets a stand-in there, or `cargo fetch` fails.
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    for kind in ["test", "bench"] {
        for target in manifest
            .get(kind)
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
        {
            let path = target["path"].as_str().unwrap();
            assert!(
                runs[fetch].contains(path),
                "the fetch stage lacks a stand-in for {path}"
            );
        }
    }
    // What the stages copy exists.
    for rest in all(build, "COPY") {
        let parts: Vec<&str> = rest.split_whitespace().collect();
        for src in &parts[..parts.len() - 1] {
            assert!(Path::new(ROOT).join(src).exists(), "COPY {src}: missing");
        }
    }
    let copies = all(run, "COPY");
    assert!(
        copies
            .iter()
            .any(|c| c.starts_with("--from=builder /usr/local/bin/entraide ")),
        "{copies:?}"
    );
    for c in copies.iter().filter(|c| !c.starts_with("--from=")) {
        let src = c.split_whitespace().next().unwrap();
        assert!(Path::new(ROOT).join(src).exists(), "COPY {src}: missing");
    }
    assert!(
        manifest["package"]["name"].as_str() == Some("entraide")
            && Path::new(ROOT).join("src/main.rs").exists()
    );

    // Runs as a user without privileges, its data in a volume, checked on /health/ready.
    let user = all(run, "USER");
    assert_eq!(user.len(), 1, "{user:?}");
    assert!(
        !["root", "0"].contains(&user[0].split(':').next().unwrap()),
        "{user:?}"
    );
    assert!(runs_as_root_only_before_user(run));
    assert_eq!(all(run, "VOLUME"), [r#"["/data"]"#]);
    assert_eq!(all(run, "EXPOSE"), ["8080"]);
    let env = all(run, "ENV").join(" ");
    assert!(env.contains("ENTRAIDE__SERVER__BIND=0.0.0.0:8080"), "{env}");
    assert!(env.contains("ENTRAIDE__SERVER__DATA_DIR=/data"), "{env}");
    let health = all(run, "HEALTHCHECK");
    assert!(
        health.len() == 1 && health[0].contains("/health/ready"),
        "{health:?}"
    );
    assert_eq!(all(run, "ENTRYPOINT"), [r#"["/usr/local/bin/entraide"]"#]);
    assert_eq!(all(run, "CMD"), [r#"["serve"]"#]);
    // The runtime installs nothing it does not need.
    let installed = all(run, "RUN").join(" ");
    assert!(
        installed.contains("--no-install-recommends")
            && installed.contains("rm -rf /var/lib/apt/lists")
    );

    // The build context leaves out what would make it huge or leak secrets.
    let ignore = read(".dockerignore");
    for path in ["target", ".git", "deploy/.env"] {
        assert!(
            ignore.lines().any(|l| l.trim() == path),
            ".dockerignore lacks {path}"
        );
    }
}

/// No instruction of the runtime stage after `USER` needs root.
fn runs_as_root_only_before_user(run: &[(String, String)]) -> bool {
    let user = run.iter().position(|(w, _)| w == "USER").unwrap();
    run[user..].iter().all(|(w, _)| w != "RUN")
}

/// deploy/compose.yaml as JSON, read by PyYAML.
fn compose() -> Value {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(Path::new(ROOT).join("deploy/compose.yaml"))
        .output()
        .expect("python3 runs (with PyYAML: apt-get install python3-yaml; .ci/run does it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `${NAME:?…}` and `${NAME:-default}` as compose fills them, from `values`.
fn interpolate(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}').unwrap() + at;
        let inner = &rest[at + 2..end];
        let name = inner.split([':', '-', '?']).next().unwrap();
        let value = values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string());
        let default = inner.split_once(":-").map(|(_, d)| d.to_string());
        out.push_str(
            &value
                .or(default)
                .unwrap_or_else(|| panic!("${{{name}}} has no value")),
        );
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_compose_file_runs_the_node_with_postgres_and_caddy() {
    let compose = compose();
    let services = compose["services"].as_object().unwrap();
    let mut names: Vec<&str> = services.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["caddy", "entraide", "postgres"]);
    let node = &services["entraide"];
    assert_eq!(node["build"]["dockerfile"], "deploy/Dockerfile");
    assert!(Path::new(ROOT)
        .join("deploy")
        .join(node["build"]["context"].as_str().unwrap())
        .join("deploy/Dockerfile")
        .exists());
    assert_eq!(
        node["depends_on"]["postgres"]["condition"],
        "service_healthy"
    );
    assert!(node["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v.as_str().unwrap().ends_with(":/data")));

    // The node's settings are ENTRAIDE__SECTION__KEY names its own loader takes (it refuses
    // unknown keys), with compose's placeholders filled as an operator's .env would.
    let values = [
        ("ENTRAIDE_DOMAIN", "asso.example"),
        ("POSTGRES_PASSWORD", "secret"),
    ];
    let env: Vec<(String, String)> = node["environment"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), interpolate(v.as_str().unwrap(), &values)))
        .collect();
    let config = entraide::config::Config::load(None, env.clone())
        .unwrap_or_else(|e| panic!("the compose file's settings: {e}"));
    assert_eq!(
        config.database_url(),
        "postgres://entraide:secret@postgres:5432/entraide"
    );
    let postgres = &services["postgres"];
    assert!(
        postgres["image"]
            .as_str()
            .unwrap()
            .starts_with("postgres:15"),
        "the image's pg_dump is 15 (Debian bookworm)"
    );
    assert_eq!(postgres["environment"]["POSTGRES_DB"], "entraide");
    assert!(postgres["healthcheck"]["test"]
        .to_string()
        .contains("pg_isready"));

    // Caddy mounts the Caddyfile and points it at the node's port.
    let caddy = &services["caddy"];
    let mounts: Vec<&str> = caddy["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        mounts.contains(&"./Caddyfile:/etc/caddy/Caddyfile:ro"),
        "{mounts:?}"
    );
    let bind = env
        .iter()
        .find(|(k, _)| k == "ENTRAIDE__SERVER__BIND")
        .unwrap();
    let port = bind.1.rsplit(':').next().unwrap();
    assert_eq!(
        caddy["environment"]["ENTRAIDE_UPSTREAM"],
        format!("entraide:{port}")
    );
    let caddyfile = read("deploy/Caddyfile");
    assert!(caddyfile.contains("{$ENTRAIDE_DOMAIN:asso.example} {"));
    assert!(caddyfile.contains("reverse_proxy {$ENTRAIDE_UPSTREAM:127.0.0.1:8080}"));
    // The example .env names every variable the compose file requires.
    let example = read("deploy/compose.env.example");
    for (name, _) in values {
        assert!(
            example.lines().any(|l| l.starts_with(&format!("{name}="))),
            "{name}"
        );
    }
}
