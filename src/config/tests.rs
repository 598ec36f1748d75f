//! Loading and checking the configuration.

use super::*;

#[test]
fn defaults_run_out_of_the_box() {
    let c = Config::load(None, Vec::new()).expect("defaults are valid");
    assert_eq!(c.server.public_url.as_str(), "http://localhost:8080/");
    assert_eq!(c.domain(), "localhost:8080");
    assert!(c.database_url().starts_with("sqlite://data"));
    assert!(!c.federation.allow_private_addresses);
}

#[test]
fn registration_is_open_by_default_and_set_by_file_or_environment() {
    use crate::domain::account::RegistrationMode;
    let c = Config::load(None, Vec::new()).expect("defaults");
    assert_eq!(c.accounts.registration, RegistrationMode::Open);
    let env = |v: &str| {
        vec![(
            "ENTRAIDE__ACCOUNTS__REGISTRATION".to_string(),
            v.to_string(),
        )]
    };
    let c = Config::load(None, env("approval")).expect("approval");
    assert_eq!(c.accounts.registration, RegistrationMode::Approval);
    let c = Config::load(None, env("closed")).expect("closed");
    assert_eq!(c.accounts.registration, RegistrationMode::Closed);
    let wrong = Config::load(None, env("maybe")).expect_err("unknown mode");
    assert!(wrong.to_string().contains("maybe"), "{wrong}");
}

#[test]
fn env_overrides_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("c.toml");
    std::fs::write(
        &path,
        "[server]\nbind = \"0.0.0.0:9000\"\npublic_url = \"https://a.example\"\n",
    )
    .expect("write");
    let env = vec![
        (
            "ENTRAIDE__SERVER__BIND".to_string(),
            "127.0.0.1:7000".to_string(),
        ),
        (
            "ENTRAIDE__FEDERATION__ALLOW_PRIVATE_ADDRESSES".to_string(),
            "true".to_string(),
        ),
        (
            "ENTRAIDE__FEDERATION__BLOCKED_DOMAINS".to_string(),
            "[\"bad.example\"]".to_string(),
        ),
        ("OTHER".to_string(), "x".to_string()),
    ];
    let c = Config::load(Some(&path), env).expect("valid");
    assert_eq!(c.server.bind, "127.0.0.1:7000");
    assert_eq!(c.domain(), "a.example");
    assert!(c.federation.allow_private_addresses);
    assert_eq!(
        c.federation.blocked_domains,
        vec!["bad.example".to_string()]
    );
}

#[test]
fn smtp_is_off_by_default_and_checked_when_on() {
    let c = Config::load(None, Vec::new()).expect("defaults are valid");
    assert!(!c.smtp.enabled);
    assert_eq!(c.mail_from(), "\"Entraide\" <noreply@localhost>");
    let env = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (format!("ENTRAIDE__SMTP__{k}"), v.to_string()))
            .collect::<Vec<_>>()
    };
    let c = Config::load(
        None,
        env(&[
            ("ENABLED", "true"),
            ("HOST", "127.0.0.1"),
            ("PORT", "2525"),
            ("SECURITY", "none"),
            ("PASSWORD", "123456"),
        ]),
    )
    .expect("valid");
    assert_eq!(
        (c.smtp.port, c.smtp.security, c.smtp.password.as_str()),
        (2525, SmtpSecurity::None, "123456")
    );
    for bad in [
        env(&[("SECURITY", "ssl")]),
        env(&[("ENABLED", "true"), ("FROM", "nobody")]),
        env(&[("ENABLED", "true"), ("HOST", "")]),
        env(&[("SENDER", "a@b.example")]),
    ] {
        let err = Config::load(None, bad.clone()).expect_err("invalid");
        assert!(
            err.to_string().contains("smtp") || err.to_string().contains("unknown"),
            "{bad:?}: {err}"
        );
    }
}

#[test]
fn bad_values_are_explained() {
    let env = vec![(
        "ENTRAIDE__SERVER__PUBLIC_URL".to_string(),
        "ftp://x".to_string(),
    )];
    let err = Config::load(None, env).expect_err("invalid");
    assert!(err.to_string().contains("public_url"), "{err}");
    let env = vec![("ENTRAIDE__SERVER__NOPE".to_string(), "1".to_string())];
    assert!(Config::load(None, env).is_err());
    let env = vec![(
        "ENTRAIDE__DATABASE__URL".to_string(),
        "mysql://x".to_string(),
    )];
    assert!(Config::load(None, env).is_err());
    let days = |v: &str| {
        Config::load(
            None,
            vec![(
                "ENTRAIDE__FEDERATION__KEEP_HISTORY_DAYS".to_string(),
                v.to_string(),
            )],
        )
    };
    assert_eq!(
        days("0")
            .expect("0 keeps everything")
            .federation
            .keep_history_days,
        0
    );
    assert_eq!(days("90").expect("valid").federation.keep_history_days, 90);
    for bad in ["100000", "-1", "a month"] {
        let err = days(bad).expect_err("invalid").to_string();
        assert!(err.contains("keep_history_days"), "{bad}: {err}");
    }
}

#[test]
fn metrics_and_log_sections() {
    let c = Config::load(None, Vec::new()).expect("defaults");
    assert!(c.metrics.enabled && c.metrics.token.is_empty());
    assert_eq!(c.log.format, LogFormat::Text);
    let env = vec![
        ("ENTRAIDE__METRICS__TOKEN".to_string(), "123456".to_string()),
        ("ENTRAIDE__LOG__FORMAT".to_string(), "json".to_string()),
    ];
    let c = Config::load(None, env).expect("valid");
    assert_eq!(c.metrics.token, "123456");
    assert_eq!(c.log.format, LogFormat::Json);
    let bad = vec![("ENTRAIDE__LOG__FORMAT".to_string(), "xml".to_string())];
    assert!(Config::load(None, bad).is_err());
    assert_eq!(
        LogFormat::from_env_or(LogFormat::Text, Some("JSON")),
        Ok(LogFormat::Json)
    );
    assert_eq!(
        LogFormat::from_env_or(LogFormat::Json, None),
        Ok(LogFormat::Json)
    );
    assert!(LogFormat::from_env_or(LogFormat::Text, Some("xml")).is_err());
}

#[test]
fn help_is_on_and_keeps_requests_a_year_by_default() {
    let c = Config::load(None, Vec::new()).expect("defaults");
    assert!(c.help.enabled);
    assert_eq!(c.help.retention_months, 12);
    let months = |v: &str| {
        Config::load(
            None,
            vec![(
                "ENTRAIDE__HELP__RETENTION_MONTHS".to_string(),
                v.to_string(),
            )],
        )
    };
    assert_eq!(months("6").expect("valid").help.retention_months, 6);
    for bad in ["0", "121", "a year"] {
        let err = months(bad).expect_err("invalid").to_string();
        assert!(err.contains("retention_months"), "{bad}: {err}");
    }
}
