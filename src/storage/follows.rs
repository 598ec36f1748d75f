//! Follows both ways: who follows our actors, and whom our actors follow.

use super::db::{query, query_as, query_scalar};
use super::rows::*;
use super::shared::push_event;
use super::{Result, SqlStore};
use crate::domain::actor::{Follower, Following};
use crate::domain::events::Outgoing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Followers and followings; a change that answers or sends a `Follow` records its event in
/// the same transaction.
#[async_trait]
pub trait FollowStore: Send + Sync {
    /// Records a follower and the `Accept` to send, in one transaction. False if already there.
    async fn add_follower(
        &self,
        actor_id: i64,
        follower: Follower,
        accept: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    async fn remove_follower(&self, actor_id: i64, follower_ap_id: &str) -> Result<bool>;
    async fn list_followers(&self, actor_id: i64) -> Result<Vec<Follower>>;
    async fn count_followers(&self, actor_id: i64) -> Result<i64>;
    /// Records a follow we send and the `Follow` activity to deliver. False if already following.
    async fn add_following(
        &self,
        following: Following,
        event: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// The followed actor answered: `Accept` marks the follow accepted, `Reject` removes it.
    async fn answer_following(
        &self,
        follow_ap_id: &str,
        target_ap_id: &str,
        accepted: bool,
    ) -> Result<bool>;
    async fn remove_following(
        &self,
        local_actor_id: i64,
        target_ap_id: &str,
        event: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    async fn list_following(&self, local_actor_id: i64) -> Result<Vec<Following>>;
    /// Whether any local actor follows this remote actor (accepted or not).
    async fn is_followed_locally(&self, target_ap_id: &str) -> Result<bool>;
}

#[async_trait]
impl FollowStore for SqlStore {
    async fn add_follower(
        &self,
        actor_id: i64,
        f: Follower,
        accept: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        // An upsert affects one row either way: ask first whether the follower is new.
        let inserted = query_scalar::<i64>(
            "SELECT COUNT(*) FROM follower WHERE actor_id = $1 AND follower_ap_id = $2",
        )
        .bind(actor_id)
        .bind(&f.actor_ap_id)
        .fetch_one(&mut tx)
        .await?
            == 0;
        query(
            "INSERT INTO follower (actor_id, follower_ap_id, inbox, shared_inbox, follow_ap_id, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (actor_id, follower_ap_id) DO \
             UPDATE SET inbox = $3, shared_inbox = $4, follow_ap_id = $5",
        )
        .bind(actor_id)
        .bind(&f.actor_ap_id)
        .bind(&f.inbox)
        .bind(&f.shared_inbox)
        .bind(&f.follow_ap_id)
        .bind(now)
        .execute(&mut tx)
        .await?;
        // A repeated Follow is answered again: the other side may have lost our Accept.
        push_event(&mut tx, &accept, now).await?;
        tx.commit().await?;
        Ok(inserted)
    }

    async fn remove_follower(&self, actor_id: i64, follower_ap_id: &str) -> Result<bool> {
        Ok(
            query("DELETE FROM follower WHERE actor_id = $1 AND follower_ap_id = $2")
                .bind(actor_id)
                .bind(follower_ap_id)
                .execute(&self.pool)
                .await?
                .rows_affected()
                > 0,
        )
    }

    async fn list_followers(&self, actor_id: i64) -> Result<Vec<Follower>> {
        Ok(query_as::<FollowerRow>(
            "SELECT follower_ap_id, inbox, shared_inbox, follow_ap_id FROM follower \
             WHERE actor_id = $1 ORDER BY created_at, follower_ap_id",
        )
        .bind(actor_id)
        .fetch_all_map(&self.pool, Follower::from)
        .await?)
    }

    async fn count_followers(&self, actor_id: i64) -> Result<i64> {
        Ok(
            query_scalar::<i64>("SELECT COUNT(*) FROM follower WHERE actor_id = $1")
                .bind(actor_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn add_following(
        &self,
        f: Following,
        event: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let inserted = query(
            "INSERT INTO following (local_actor_id, target_ap_id, follow_ap_id, accepted, \
             created_at) VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (local_actor_id, target_ap_id) \
             DO NOTHING",
        )
        .bind(f.local_actor_id)
        .bind(&f.target_ap_id)
        .bind(&f.follow_ap_id)
        .bind(now)
        .execute(&mut tx)
        .await?
        .rows_affected()
            > 0;
        if inserted {
            push_event(&mut tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(inserted)
    }

    async fn answer_following(
        &self,
        follow_ap_id: &str,
        target_ap_id: &str,
        accepted: bool,
    ) -> Result<bool> {
        let sql = if accepted {
            "UPDATE following SET accepted = TRUE WHERE follow_ap_id = $1 AND target_ap_id = $2"
        } else {
            "DELETE FROM following WHERE follow_ap_id = $1 AND target_ap_id = $2"
        };
        Ok(query(sql)
            .bind(follow_ap_id)
            .bind(target_ap_id)
            .execute(&self.pool)
            .await?
            .rows_affected()
            > 0)
    }

    async fn remove_following(
        &self,
        local_actor_id: i64,
        target_ap_id: &str,
        event: Outgoing,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let removed =
            query("DELETE FROM following WHERE local_actor_id = $1 AND target_ap_id = $2")
                .bind(local_actor_id)
                .bind(target_ap_id)
                .execute(&mut tx)
                .await?
                .rows_affected()
                > 0;
        if removed {
            push_event(&mut tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    async fn list_following(&self, local_actor_id: i64) -> Result<Vec<Following>> {
        Ok(query_as::<FollowingRow>(
            "SELECT local_actor_id, target_ap_id, follow_ap_id, accepted FROM following \
             WHERE local_actor_id = $1 ORDER BY created_at, target_ap_id",
        )
        .bind(local_actor_id)
        .fetch_all_map(&self.pool, Following::from)
        .await?)
    }

    async fn is_followed_locally(&self, target_ap_id: &str) -> Result<bool> {
        Ok(
            query_scalar::<i64>("SELECT COUNT(*) FROM following WHERE target_ap_id = $1")
                .bind(target_ap_id)
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
    }
}
