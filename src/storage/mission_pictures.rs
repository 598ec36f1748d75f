//! The picture a local mission may carry (JPEG, cleaned before it gets here).

use super::db::{fetch_all_in, query, query_as, Arg};
use super::shared::push_event;
use super::{Result, SqlStore};
use crate::domain::events::Outgoing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Missions' pictures.
#[async_trait]
pub trait MissionPictureStore: Send + Sync {
    /// Sets (or replaces) a mission's picture and records `MissionUpdated` for its followers,
    /// in one transaction.
    async fn set_mission_picture(
        &self,
        mission_id: i64,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Removes it (and records `MissionUpdated`); false when there was none.
    async fn delete_mission_picture(&self, mission_id: i64, now: DateTime<Utc>) -> Result<bool>;
    /// The picture and when it was set.
    async fn mission_picture(&self, mission_id: i64) -> Result<Option<(Vec<u8>, DateTime<Utc>)>>;
    /// Which of these missions have a picture, and since when, in one read for a list.
    async fn missions_with_picture(&self, ids: &[i64]) -> Result<Vec<(i64, DateTime<Utc>)>>;
}

#[async_trait]
impl MissionPictureStore for SqlStore {
    async fn set_mission_picture(
        &self,
        mission_id: i64,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        query(
            "INSERT INTO mission_picture (mission_id, bytes, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (mission_id) DO UPDATE SET bytes = $2, updated_at = $3",
        )
        .bind(mission_id)
        .bind(bytes)
        .bind(now)
        .execute(&mut tx)
        .await
        .map_err(super::shared::conflict("mission"))?;
        push_event(&mut tx, &Outgoing::MissionUpdated { mission_id }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_mission_picture(&self, mission_id: i64, now: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let done = query("DELETE FROM mission_picture WHERE mission_id = $1")
            .bind(mission_id)
            .execute(&mut tx)
            .await?;
        if done.rows_affected() > 0 {
            push_event(&mut tx, &Outgoing::MissionUpdated { mission_id }, now).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    async fn mission_picture(&self, mission_id: i64) -> Result<Option<(Vec<u8>, DateTime<Utc>)>> {
        Ok(query_as::<(Vec<u8>, DateTime<Utc>)>(
            "SELECT bytes, updated_at FROM mission_picture WHERE mission_id = $1",
        )
        .bind(mission_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn missions_with_picture(&self, ids: &[i64]) -> Result<Vec<(i64, DateTime<Utc>)>> {
        let sql = |list: &str| {
            format!("SELECT mission_id, updated_at FROM mission_picture WHERE mission_id IN {list}")
        };
        let mut rows =
            fetch_all_in::<(i64, DateTime<Utc>), _>(&self.pool, ids, sql, Arg::from).await?;
        rows.sort_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        Ok(rows)
    }
}
