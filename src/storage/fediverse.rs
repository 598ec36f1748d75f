//! Mastodon users: one-time links sent by direct message, and replies kept as interest.

use super::db::{query, query_as, query_scalar, Tx};
use super::shared::{conflict, push_event};
use super::{Result, SqlStore};
use crate::domain::events::Outgoing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

type FediConfRow = (
    i64,
    i64,
    String,
    String,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::Utc>,
    Option<chrono::DateTime<chrono::Utc>>,
);
const FEDI_CONF_COLS: &str =
    "id, slot_id, actor_ap_id, join_ap_id, created_at, expires_at, used_at";
type FediInterestRow = (
    i64,
    i64,
    String,
    String,
    String,
    chrono::DateTime<chrono::Utc>,
);

fn confirmation_from_row(r: FediConfRow) -> crate::domain::fediverse::Confirmation {
    crate::domain::fediverse::Confirmation {
        id: r.0,
        slot_id: r.1,
        actor_ap_id: r.2,
        join_ap_id: r.3,
        created_at: r.4,
        expires_at: r.5,
        used_at: r.6,
    }
}

async fn insert_confirmation(
    conn: &mut Tx,
    c: &crate::domain::fediverse::NewConfirmation,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<crate::domain::fediverse::Confirmation> {
    let sql = format!(
        "INSERT INTO fediverse_confirmation (token_hash, slot_id, actor_ap_id, join_ap_id, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {FEDI_CONF_COLS}"
    );
    let row = query_as::<FediConfRow>(&sql)
        .bind(&c.token_hash)
        .bind(c.slot_id)
        .bind(&c.actor_ap_id)
        .bind(&c.join_ap_id)
        .bind(now)
        .bind(c.expires_at)
        .fetch_one(conn)
        .await
        .map_err(conflict("confirmation link"))?;
    Ok(confirmation_from_row(row))
}

/// One-time links and interest.
#[async_trait]
pub trait FediverseStore: Send + Sync {
    /// Records a one-time link and the direct message that carries it, in one transaction.
    async fn create_confirmation(
        &self,
        link: crate::domain::fediverse::NewConfirmation,
        message: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::fediverse::Confirmation>;
    async fn find_confirmation(
        &self,
        token_hash: &str,
    ) -> Result<Option<crate::domain::fediverse::Confirmation>>;
    /// Marks a link used if it still can be at `now`; `None` when unknown, used or expired.
    async fn take_confirmation(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<crate::domain::fediverse::Confirmation>>;
    /// Makes a taken link usable again (what it was for could not be done).
    async fn release_confirmation(&self, id: i64) -> Result<()>;
    /// How many links were made for this account since `since`.
    async fn count_confirmations_since(
        &self,
        actor_ap_id: &str,
        since: DateTime<Utc>,
    ) -> Result<i64>;
    /// Keeps a reply as interest and, when it is new, records the link and the answer to send,
    /// in one transaction. False when this reply was already kept.
    async fn record_interest(
        &self,
        interest: crate::domain::fediverse::NewInterest,
        link: Option<crate::domain::fediverse::NewConfirmation>,
        answer: Option<Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    async fn list_interests(
        &self,
        mission_id: i64,
    ) -> Result<Vec<crate::domain::fediverse::Interest>>;
}

#[async_trait]
impl FediverseStore for SqlStore {
    async fn create_confirmation(
        &self,
        link: crate::domain::fediverse::NewConfirmation,
        message: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::fediverse::Confirmation> {
        let c = &link;
        let message = &message;
        let mut tx = self.pool.begin_write().await?;
        let confirmation = insert_confirmation(&mut tx, c, now).await?;
        push_event(&mut tx, message, now).await?;
        tx.commit().await?;
        Ok(confirmation)
    }

    async fn find_confirmation(
        &self,
        token_hash: &str,
    ) -> Result<Option<crate::domain::fediverse::Confirmation>> {
        let sql =
            format!("SELECT {FEDI_CONF_COLS} FROM fediverse_confirmation WHERE token_hash = $1");
        Ok(query_as::<FediConfRow>(&sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
            .map(confirmation_from_row))
    }

    async fn take_confirmation(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<crate::domain::fediverse::Confirmation>> {
        let sql = format!(
            "UPDATE fediverse_confirmation SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING \
             {FEDI_CONF_COLS}"
        );
        Ok(query_as::<FediConfRow>(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
            .map(confirmation_from_row))
    }

    async fn release_confirmation(&self, id: i64) -> Result<()> {
        query("UPDATE fediverse_confirmation SET used_at = NULL WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn count_confirmations_since(
        &self,
        actor_ap_id: &str,
        since: DateTime<Utc>,
    ) -> Result<i64> {
        Ok(query_scalar::<i64>(
            "SELECT COUNT(*) FROM fediverse_confirmation WHERE actor_ap_id = $1 AND created_at >= \
             $2",
        )
        .bind(actor_ap_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn record_interest(
        &self,
        interest: crate::domain::fediverse::NewInterest,
        link: Option<crate::domain::fediverse::NewConfirmation>,
        answer: Option<Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let i = &interest;
        let link = link.as_ref();
        let answer = answer.as_ref();
        let mut tx = self.pool.begin_write().await?;
        let inserted = query(
            "INSERT INTO interest (mission_id, actor_ap_id, note_ap_id, content, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (note_ap_id) DO NOTHING",
        )
        .bind(i.mission_id)
        .bind(&i.actor_ap_id)
        .bind(&i.note_ap_id)
        .bind(&i.content)
        .bind(now)
        .execute(&mut tx)
        .await?
        .rows_affected()
            > 0;
        if inserted {
            if let Some(c) = link {
                insert_confirmation(&mut tx, c, now).await?;
            }
            if let Some(event) = answer {
                push_event(&mut tx, event, now).await?;
            }
        }
        tx.commit().await?;
        Ok(inserted)
    }

    async fn list_interests(
        &self,
        mission_id: i64,
    ) -> Result<Vec<crate::domain::fediverse::Interest>> {
        Ok(query_as::<FediInterestRow>(
            "SELECT id, mission_id, actor_ap_id, note_ap_id, content, created_at FROM interest \
             WHERE mission_id = $1 ORDER BY created_at, id",
        )
        .bind(mission_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| crate::domain::fediverse::Interest {
            id: r.0,
            mission_id: r.1,
            actor_ap_id: r.2,
            note_ap_id: r.3,
            content: r.4,
            created_at: r.5,
        })
        .collect())
    }
}
