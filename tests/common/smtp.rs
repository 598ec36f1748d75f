//! `aiosmtpd` (from PyPI) as a real SMTP server for the tests: started on a free port, writing
//! every message it accepts into a Maildir that the test reads back with Python's `email`
//! package. Needs `python3` with `aiosmtpd` (`python3 -m pip install aiosmtpd==1.4.6`).

#![allow(dead_code, clippy::unwrap_used)]

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
};

/// `aiosmtpd` on 127.0.0.1, storing what it receives in a Maildir.
pub struct SmtpSink {
    child: Option<Child>,
    pub port: u16,
    maildir: PathBuf,
    dir: tempfile::TempDir,
}

/// One message as the sink stored it.
#[derive(Debug, serde::Deserialize)]
pub struct Mail {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The envelope recipients (`X-RcptTo`, added by the sink).
    pub rcpt: String,
}

pub fn python_ready() {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "the notification tests need python3 with aiosmtpd: run `python3 -m pip install aiosmtpd==1.4.6` \
         (.ci/run installs it)"
    );
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        python_ready();
        let dir = tempfile::tempdir().unwrap();
        let mut sink = SmtpSink {
            child: None,
            port: free_port(),
            maildir: dir.path().join("maildir"),
            dir,
        };
        sink.up();
        sink
    }

    /// Turns mail on in `config`, through this sink (plain SMTP, from
    /// `Entraide <entraide@example.test>`, 5 s timeout).
    pub fn configure(&self, config: &mut entraide::config::Config) {
        config.smtp.enabled = true;
        config.smtp.host = "127.0.0.1".into();
        config.smtp.port = self.port;
        config.smtp.security = entraide::config::SmtpSecurity::None;
        config.smtp.from = "Entraide <entraide@example.test>".into();
        config.smtp.timeout_seconds = 5;
    }

    /// Starts (again) on the same port and Maildir.
    pub fn up(&mut self) {
        assert!(self.child.is_none(), "the sink already runs");
        let log = std::fs::File::create(self.dir.path().join("smtp.log")).unwrap();
        // -n: stay root (the Maildir is ours); the Mailbox handler needs no code.
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&self.maildir)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("cannot start python3 -m aiosmtpd");
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        let log = std::fs::read_to_string(self.dir.path().join("smtp.log")).unwrap_or_default();
        panic!(
            "the SMTP sink did not listen on port {} within 5 s: {log}",
            self.port
        );
    }

    /// Stops it: the port then refuses connections.
    pub fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The Maildir the messages land in (`new/`, one file each).
    pub fn maildir(&self) -> &std::path::Path {
        &self.maildir
    }

    /// Every message received so far, oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        // The same reader as the browser test's (tests/browser/check.mjs).
        const READ: &str = include_str!("read_maildir.py");
        let out = Command::new("python3")
            .args(["-c", READ])
            .arg(&self.maildir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    pub fn with_subject(&self, start: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.subject.starts_with(start))
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.down();
    }
}
