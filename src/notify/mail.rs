//! Sends the emails that are due through the configured SMTP server, each retried with
//! exponential backoff until it is accepted or given up. Claims are leased, as deliveries are:
//! a killed process's emails are taken up again, and two processes never send the same one.

use crate::{
    config::{SmtpConfig, SmtpSecurity},
    domain::retry::backoff_seconds,
    metrics::EmailOutcome,
    notify::NotifyError,
    state::Context,
    storage::Notification,
};
use chrono::{DateTime, Duration, Utc};
use lettre::{
    message::{header::ContentType, Mailbox},
    transport::smtp::authentication::Credentials,
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

/// Emails taken per pass.
const BATCH: i64 = 20;

/// Why an email was not sent: worth another try later, or never.
#[derive(Debug)]
enum SendError {
    Transient(String),
    Permanent(String),
}

impl SendError {
    fn text(&self) -> &str {
        match self {
            SendError::Transient(e) | SendError::Permanent(e) => e,
        }
    }
}

/// The SMTP client for the configured server.
pub fn transport(smtp: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = match smtp.security {
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
            .map_err(|e| format!("smtp.host {}: {e}", smtp.host))?,
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
            .map_err(|e| format!("smtp.host {}: {e}", smtp.host))?,
    };
    let mut builder = builder
        .port(smtp.port)
        .timeout(Some(std::time::Duration::from_secs(
            smtp.timeout_seconds.max(1),
        )));
    if !smtp.username.is_empty() {
        builder = builder.credentials(Credentials::new(
            smtp.username.clone(),
            smtp.password.clone(),
        ));
    }
    Ok(builder.build())
}

/// The email for one notice.
fn message(from: &Mailbox, n: &Notification) -> Result<Message, SendError> {
    let to: Mailbox = n
        .recipient
        .parse()
        .map_err(|e| SendError::Permanent(format!("recipient {:?}: {e}", n.recipient)))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(n.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(n.body_text.clone())
        .map_err(|e| SendError::Permanent(format!("cannot build the email: {e}")))
}

async fn send_one(
    mailer: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    n: &Notification,
) -> Result<(), SendError> {
    let email = message(from, n)?;
    match mailer.send(email).await {
        Ok(_) => Ok(()),
        // 5xx: the server will never take it (unknown mailbox, refused sender…).
        Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
        Err(e) => Err(SendError::Transient(e.to_string())),
    }
}

/// Sends what is due now; returns how many emails were attempted.
pub async fn run_once(ctx: &Context) -> Result<usize, NotifyError> {
    run_once_at(ctx, ctx.clock.now()).await
}

/// Sends what is due at `now` (tests pass a later time to see retries come due).
pub async fn run_once_at(ctx: &Context, now: DateTime<Utc>) -> Result<usize, NotifyError> {
    let smtp = &ctx.config.smtp;
    if !smtp.enabled {
        return Ok(0);
    }
    // The lease outlasts a send that times out, so a live sender is never overtaken.
    let lease = Duration::seconds((smtp.timeout_seconds.max(1) as i64).saturating_mul(3) + 60);
    let batch = ctx
        .store
        .claim_notifications(BATCH, now, now + lease)
        .await?;
    if batch.is_empty() {
        return Ok(0);
    }
    let setup = ctx
        .config
        .mail_from()
        .parse::<Mailbox>()
        .map_err(|e| format!("smtp.from {:?}: {e}", ctx.config.mail_from()))
        .and_then(|from| Ok((from, transport(smtp)?)));
    for n in &batch {
        let result = match &setup {
            Ok((from, mailer)) => send_one(mailer, from, n).await,
            // A configuration mistake: kept for when the operator has fixed it.
            Err(e) => Err(SendError::Transient(e.clone())),
        };
        let outcome = match result {
            Ok(()) => {
                ctx.metrics.email(EmailOutcome::Sent);
                ctx.store.mark_notification_sent(n.id, now).await
            }
            Err(e) => {
                let permanent = matches!(e, SendError::Permanent(_));
                let next = (!permanent && n.attempts + 1 < smtp.max_attempts).then(|| {
                    now + Duration::seconds(backoff_seconds(smtp.retry_base_seconds, n.attempts))
                });
                tracing::info!(to = %n.recipient, kind = %n.kind, error = e.text(), retry = ?next, "email not sent");
                ctx.metrics.email(match next {
                    Some(_) => EmailOutcome::Failed,
                    None => EmailOutcome::GivenUp,
                });
                ctx.store
                    .mark_notification_failed(n.id, e.text(), next, now)
                    .await
            }
        };
        if let Err(e) = outcome {
            tracing::error!(error = %e, "cannot record an email's outcome");
        }
    }
    Ok(batch.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(recipient: &str) -> Notification {
        Notification {
            id: 1,
            participation_id: Some(1),
            kind: "confirmed".into(),
            channel: "email".into(),
            recipient: recipient.into(),
            subject: "Inscription confirmée : Distribution".into(),
            body_text: "Bonjour,\n\nVotre inscription est confirmée.\n".into(),
            status: "pending".into(),
            attempts: 0,
            last_error: None,
            next_attempt_at: chrono::TimeZone::with_ymd_and_hms(&Utc, 2030, 6, 1, 9, 0, 0).unwrap(),
            created_at: chrono::TimeZone::with_ymd_and_hms(&Utc, 2030, 6, 1, 9, 0, 0).unwrap(),
            sent_at: None,
            dedupe_key: "confirmed:1".into(),
        }
    }

    #[test]
    fn a_bad_recipient_is_never_retried() {
        let from: Mailbox = "\"Nœud de test\" <noreply@localhost>"
            .parse()
            .expect("from");
        assert!(matches!(
            message(&from, &notice("not an address")),
            Err(SendError::Permanent(_))
        ));
        let ok = message(&from, &notice("alice@example.org")).expect("valid");
        let raw = String::from_utf8(ok.formatted()).expect("utf-8");
        assert!(raw.contains("To: alice@example.org"), "{raw}");
    }

    #[test]
    fn every_security_mode_builds_a_client() {
        for security in [
            SmtpSecurity::None,
            SmtpSecurity::Starttls,
            SmtpSecurity::Tls,
        ] {
            let smtp = SmtpConfig {
                security,
                host: "smtp.example.org".into(),
                ..SmtpConfig::default()
            };
            assert!(transport(&smtp).is_ok(), "{security:?}");
        }
    }
}
