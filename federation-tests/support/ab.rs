//! ApacheBench (`ab`, from apache2-utils) for the benchmarks: keep-alive, `concurrency`
//! connections for `seconds`.

use std::process::Command;

/// What one run of `ab` measured.
pub struct AbRun {
    /// Requests a second.
    pub rate: f64,
    /// The 99th percentile of the time a request took, in ms.
    pub p99: f64,
    /// Answers other than 2xx.
    pub non2xx: u64,
}

/// Runs `ab -k` on `url` with an optional extra header (`Name: value`).
pub fn ab(url: &str, header: Option<&str>, concurrency: usize, seconds: u64) -> AbRun {
    let mut cmd = Command::new("ab");
    cmd.args(["-k", "-l", "-q", "-r"])
        .args(["-c", &concurrency.to_string()])
        .args(["-t", &seconds.to_string(), "-n", "10000000"]);
    if let Some(h) = header {
        cmd.args(["-H", h]);
    }
    let out = cmd
        .arg(url)
        .output()
        .expect("ab runs (apt-get install apache2-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.trim_start()[prefix.len()..].split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
    };
    AbRun {
        rate: field("Requests per second:").unwrap_or(0.0),
        p99: field("99%").unwrap_or(f64::NAN),
        non2xx: field("Non-2xx responses:").unwrap_or(0.0) as u64,
    }
}
