//! Actors (ours and other nodes') and the members of our associations.

use super::db::{fetch_all_in, query, query_as, query_scalar, Arg, Tx};
use super::rows::*;
use super::shared::conflict;
use super::{Result, SqlStore, StoreError};
use crate::domain::{
    account::Role,
    actor::{Actor, ActorLabel, NewLocalActor, RemoteActor},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Actors and memberships.
#[async_trait]
pub trait ActorStore: Send + Sync {
    /// Creates a local actor; for a `Group` with an owner, also the owner's membership.
    async fn create_local_actor(
        &self,
        actor: NewLocalActor,
        ap_id: &str,
        host: &str,
        owner: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Actor>;
    async fn get_actor(&self, id: i64) -> Result<Actor>;
    /// The actors with these ids, by id, in one read for the whole list (unknown ids are left
    /// out; an id given twice comes back once).
    async fn get_actors(&self, ids: &[i64]) -> Result<Vec<Actor>>;
    async fn find_local_actor(&self, kind: &str, name: &str) -> Result<Option<Actor>>;
    async fn find_actor_by_ap_id(&self, ap_id: &str) -> Result<Option<Actor>>;
    /// The actors this node knows among these ActivityPub ids, in one read for the whole list
    /// (unknown ones are left out), by id.
    async fn find_actors_by_ap_ids(&self, ap_ids: &[String]) -> Result<Vec<Actor>>;
    async fn upsert_remote_actor(&self, actor: RemoteActor, now: DateTime<Utc>) -> Result<Actor>;
    async fn list_local_actors(&self, kind: &str) -> Result<Vec<Actor>>;
    /// Up to `limit` local actors of `kind` whose name comes after `after`, by name: their
    /// names only (the home page and the directory show no more, and read a page, not all).
    async fn local_actor_labels(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ActorLabel>>;
    /// How many local actors of `kind` there are.
    async fn count_local_actors(&self, kind: &str) -> Result<i64>;
    async fn set_member(&self, actor_id: i64, user_id: i64, role: Role) -> Result<()>;
    async fn member_role(&self, actor_id: i64, user_id: i64) -> Result<Option<Role>>;
    /// Associations a user belongs to, with the role.
    async fn memberships(&self, user_id: i64) -> Result<Vec<(Actor, Role)>>;
    /// The accounts that coordinate or own a local association (each once, by id): whom the
    /// node's administrators write to.
    async fn local_coordinators(&self) -> Result<Vec<i64>>;
}

#[async_trait]
impl ActorStore for SqlStore {
    async fn create_local_actor(
        &self,
        a: NewLocalActor,
        ap_id: &str,
        host: &str,
        owner: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Actor> {
        let mut tx = self.pool.begin_write().await?;
        let actor = insert_local_actor(&mut tx, a, ap_id, host, owner, now).await?;
        tx.commit().await?;
        Ok(actor)
    }

    async fn get_actor(&self, id: i64) -> Result<Actor> {
        let sql = format!("SELECT {ACTOR_COLS} FROM actor WHERE id = $1");
        query_as::<ActorRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Actor::from)
            .ok_or(StoreError::NotFound("actor"))
    }

    async fn get_actors(&self, ids: &[i64]) -> Result<Vec<Actor>> {
        let sql = |list: &str| format!("SELECT {ACTOR_COLS} FROM actor WHERE id IN {list}");
        by_id(fetch_all_in::<ActorRow, _>(&self.pool, ids, sql, Arg::from).await?)
    }

    async fn find_local_actor(&self, kind: &str, name: &str) -> Result<Option<Actor>> {
        let sql = format!("SELECT {ACTOR_COLS} FROM actor WHERE local AND kind = $1 AND name = $2");
        Ok(query_as::<ActorRow>(&sql)
            .bind(kind)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .map(Actor::from))
    }

    async fn find_actor_by_ap_id(&self, ap_id: &str) -> Result<Option<Actor>> {
        let sql = format!("SELECT {ACTOR_COLS} FROM actor WHERE ap_id = $1");
        Ok(query_as::<ActorRow>(&sql)
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?
            .map(Actor::from))
    }

    async fn find_actors_by_ap_ids(&self, ap_ids: &[String]) -> Result<Vec<Actor>> {
        let sql = |list: &str| format!("SELECT {ACTOR_COLS} FROM actor WHERE ap_id IN {list}");
        by_id(fetch_all_in::<ActorRow, _>(&self.pool, ap_ids, sql, Arg::from).await?)
    }

    async fn upsert_remote_actor(&self, a: RemoteActor, now: DateTime<Utc>) -> Result<Actor> {
        let sql = format!(
            "INSERT INTO actor (ap_id, kind, name, host, display_name, summary, inbox, \
             shared_inbox, outbox, followers, url, public_key_pem, private_key_pem, local, \
             user_id, published, last_refreshed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, NULL, FALSE, NULL, $13, $13) ON CONFLICT (ap_id) DO UPDATE SET kind = \
             $2, name = $3, host = $4, display_name = $5, summary = $6, inbox = $7, shared_inbox = \
             $8, outbox = $9, followers = $10, url = $11, public_key_pem = $12, last_refreshed_at \
             = $13 WHERE NOT actor.local AND actor.deleted_at IS NULL RETURNING {ACTOR_COLS}"
        );
        let written = query_as::<ActorRow>(&sql)
            .bind(&a.ap_id)
            .bind(a.kind.as_str())
            .bind(&a.name)
            .bind(&a.host)
            .bind(&a.display_name)
            .bind(&a.summary)
            .bind(&a.inbox)
            .bind(&a.shared_inbox)
            .bind(&a.outbox)
            .bind(&a.followers)
            .bind(&a.url)
            .bind(&a.public_key_pem)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
            .map(Actor::from);
        if let Some(actor) = written {
            return Ok(actor);
        }
        // A remote actor that deleted itself stays a tombstone: a later fetch (a copy cached
        // somewhere, a stale link) does not bring it back.
        match self.find_actor_by_ap_id(&a.ap_id).await? {
            Some(tombstone) if !tombstone.local && tombstone.deleted_at.is_some() => Ok(tombstone),
            _ => Err(StoreError::Conflict("local actor")),
        }
    }

    async fn list_local_actors(&self, kind: &str) -> Result<Vec<Actor>> {
        let sql = format!("SELECT {ACTOR_COLS} FROM actor WHERE local AND kind = $1 ORDER BY name");
        Ok(query_as::<ActorRow>(&sql)
            .bind(kind)
            .fetch_all_map(&self.pool, Actor::from)
            .await?)
    }

    async fn local_actor_labels(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ActorLabel>> {
        // Served by the unique index actor_local_name (kind, name) WHERE local.
        let rows: Vec<(String, String)> = query_as(
            "SELECT name, display_name FROM actor \
             WHERE local AND kind = $1 AND ($2 IS NULL OR name > $2) ORDER BY name LIMIT $3",
        )
        .bind(kind)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, display_name)| ActorLabel { name, display_name })
            .collect())
    }

    async fn count_local_actors(&self, kind: &str) -> Result<i64> {
        Ok(
            query_scalar("SELECT COUNT(*) FROM actor WHERE local AND kind = $1")
                .bind(kind)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn set_member(&self, actor_id: i64, user_id: i64, role: Role) -> Result<()> {
        query(
            "INSERT INTO membership (actor_id, user_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (actor_id, user_id) DO UPDATE SET role = $3",
        )
        .bind(actor_id)
        .bind(user_id)
        .bind(role.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn member_role(&self, actor_id: i64, user_id: i64) -> Result<Option<Role>> {
        let role: Option<String> = query_scalar::<String>(
            "SELECT role FROM membership WHERE actor_id = $1 AND user_id = $2",
        )
        .bind(actor_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(role.as_deref().and_then(Role::parse))
    }

    async fn memberships(&self, user_id: i64) -> Result<Vec<(Actor, Role)>> {
        // One query: the associations with the role, not one read per association.
        let sql = format!(
            "SELECT {}, m.role FROM membership m JOIN actor a ON a.id = m.actor_id \
             WHERE m.user_id = $1 ORDER BY m.actor_id",
            actor_cols_of_a()
        );
        let rows = query_as::<MembershipRow>(&sql)
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let role = Role::parse(&r.role)
                    .ok_or_else(|| StoreError::Corrupt(format!("role {}", r.role)))?;
                Ok((Actor::from(r.actor), role))
            })
            .collect()
    }

    async fn local_coordinators(&self) -> Result<Vec<i64>> {
        Ok(query_scalar::<i64>(
            "SELECT DISTINCT m.user_id FROM membership m JOIN actor a ON a.id = m.actor_id \
             WHERE a.local AND a.kind = 'Group' AND a.deleted_at IS NULL \
             AND m.role IN ('coordinator', 'owner') ORDER BY m.user_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

/// Inserts a local actor in the caller's transaction; for a `Group` with an owner, also the
/// owner's membership (shared by [`ActorStore::create_local_actor`] and the approval of a
/// request for a new association, which does it with the request's answer).
pub(super) async fn insert_local_actor(
    tx: &mut Tx,
    a: NewLocalActor,
    ap_id: &str,
    host: &str,
    owner: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Actor> {
    // Every local actor shares the node's inbox at the root.
    let shared_inbox = url::Url::parse(ap_id)
        .and_then(|u| u.join("/inbox"))
        .map_err(|e| StoreError::Corrupt(format!("actor id {ap_id}: {e}")))?
        .to_string();
    let sql = format!(
        "INSERT INTO actor (ap_id, kind, name, host, display_name, summary, inbox, \
         shared_inbox, outbox, followers, url, public_key_pem, private_key_pem, local, \
         user_id, published, last_refreshed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, TRUE, $14, $15, $15) RETURNING {ACTOR_COLS}"
    );
    let row = query_as::<ActorRow>(&sql)
        .bind(ap_id)
        .bind(a.kind.as_str())
        .bind(&a.name)
        .bind(host)
        .bind(&a.display_name)
        .bind(&a.summary)
        .bind(format!("{ap_id}/inbox"))
        .bind(shared_inbox)
        .bind(format!("{ap_id}/outbox"))
        .bind(format!("{ap_id}/followers"))
        .bind(ap_id)
        .bind(&a.public_key_pem)
        .bind(&a.private_key_pem)
        .bind(a.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict("actor"))?;
    let actor: Actor = row.into();
    if let Some(owner) = owner {
        query("INSERT INTO membership (actor_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(actor.id)
            .bind(owner)
            .bind(Role::Owner.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(actor)
}

/// Actors found by a list of keys, once each, in the order of their ids.
fn by_id(rows: Vec<ActorRow>) -> Result<Vec<Actor>> {
    let mut out: Vec<Actor> = rows.into_iter().map(Actor::from).collect();
    out.sort_by_key(|a| a.id);
    out.dedup_by_key(|a| a.id);
    Ok(out)
}
