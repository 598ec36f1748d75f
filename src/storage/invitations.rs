//! Invitations to join a local association, sent by email by its coordinators.

use super::db::{query, query_as, query_scalar, Exec};
use super::shared::{conflict, push_event};
use super::{Result, SqlStore, StoreError};
use crate::domain::{
    account::Role,
    association::{decide_acceptance, Invitation},
    events::Outgoing,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// An invitation to record.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub actor_id: i64,
    pub email: String,
    pub role: Role,
    pub invited_by: i64,
    pub expires_at: DateTime<Utc>,
    /// The hash of the link's secret.
    pub token_hash: String,
}

/// Invitations.
#[async_trait]
pub trait InvitationStore: Send + Sync {
    /// Records an invitation and `InvitationSent` (carrying the link's `token`, for the email)
    /// in one transaction.
    async fn create_invitation(
        &self,
        invitation: NewInvitation,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Invitation>;
    /// An association's invitations, newest first.
    async fn list_invitations(&self, actor_id: i64) -> Result<Vec<Invitation>>;
    async fn find_invitation(&self, token_hash: &str) -> Result<Option<Invitation>>;
    async fn get_invitation(&self, id: i64) -> Result<Invitation>;
    /// Withdraws an invitation of this association not yet used; false when there is none.
    async fn revoke_invitation(&self, actor_id: i64, id: i64, now: DateTime<Utc>) -> Result<bool>;
    /// In one transaction: the invitation read again (locked), the domain's decision
    /// (`Err(code)`: used, withdrawn, expired, another person), then the role given (never
    /// lowering one the person already has) and the invitation marked used.
    async fn accept_invitation(
        &self,
        id: i64,
        user_id: i64,
        email: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Invitation, &'static str>>;
}

const COLS: &str = "id, actor_id, email, role, invited_by, created_at, expires_at, accepted_at, \
    accepted_by, revoked_at";

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    actor_id: i64,
    email: String,
    role: String,
    invited_by: Option<i64>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    accepted_by: Option<i64>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StoreError;
    fn try_from(r: InvitationRow) -> Result<Invitation> {
        Ok(Invitation {
            id: r.id,
            actor_id: r.actor_id,
            email: r.email,
            role: Role::parse(&r.role)
                .ok_or_else(|| StoreError::Corrupt(format!("role {}", r.role)))?,
            invited_by: r.invited_by,
            created_at: r.created_at,
            expires_at: r.expires_at,
            accepted_at: r.accepted_at,
            accepted_by: r.accepted_by,
            revoked_at: r.revoked_at,
        })
    }
}

async fn invitation_by_id(
    ex: impl Into<Exec<'_>> + Send,
    id: i64,
    lock: bool,
) -> Result<Invitation> {
    let mut conn: Exec<'_> = ex.into();
    let sql = format!(
        "SELECT {COLS} FROM invitation WHERE id = $1{}",
        if lock {
            conn.dialect().for_update()
        } else {
            ""
        }
    );
    query_as::<InvitationRow>(&sql)
        .bind(id)
        .fetch_optional(&mut conn)
        .await?
        .ok_or(StoreError::NotFound("invitation"))
        .and_then(Invitation::try_from)
}

#[async_trait]
impl InvitationStore for SqlStore {
    async fn create_invitation(
        &self,
        n: NewInvitation,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Invitation> {
        let mut tx = self.pool.begin_write().await?;
        let id: i64 = query_scalar::<i64>(
            "INSERT INTO invitation (actor_id, email, role, token_hash, invited_by, created_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(n.actor_id)
        .bind(&n.email)
        .bind(n.role.as_str())
        .bind(&n.token_hash)
        .bind(n.invited_by)
        .bind(now)
        .bind(n.expires_at)
        .fetch_one(&mut tx)
        .await
        .map_err(conflict("invitation"))?;
        push_event(
            &mut tx,
            &Outgoing::InvitationSent {
                invitation_id: id,
                token: token.to_string(),
            },
            now,
        )
        .await?;
        let inv = invitation_by_id(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(inv)
    }

    async fn list_invitations(&self, actor_id: i64) -> Result<Vec<Invitation>> {
        let sql = format!("SELECT {COLS} FROM invitation WHERE actor_id = $1 ORDER BY id DESC");
        query_as::<InvitationRow>(&sql)
            .bind(actor_id)
            .fetch_all_try(&self.pool, Invitation::try_from)
            .await
    }

    async fn find_invitation(&self, token_hash: &str) -> Result<Option<Invitation>> {
        let sql = format!("SELECT {COLS} FROM invitation WHERE token_hash = $1");
        query_as::<InvitationRow>(&sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
            .map(Invitation::try_from)
            .transpose()
    }

    async fn get_invitation(&self, id: i64) -> Result<Invitation> {
        invitation_by_id(&self.pool, id, false).await
    }

    async fn revoke_invitation(&self, actor_id: i64, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let done = query(
            "UPDATE invitation SET revoked_at = $1 WHERE id = $2 AND actor_id = $3 \
             AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(actor_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn accept_invitation(
        &self,
        id: i64,
        user_id: i64,
        email: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Invitation, &'static str>> {
        let mut tx = self.pool.begin_write().await?;
        let inv = invitation_by_id(&mut tx, id, true).await?;
        if let Err(code) = decide_acceptance(&inv, email, now) {
            tx.rollback().await?;
            return Ok(Err(code));
        }
        let held: Option<String> = query_scalar::<String>(
            "SELECT role FROM membership WHERE actor_id = $1 AND user_id = $2",
        )
        .bind(inv.actor_id)
        .bind(user_id)
        .fetch_optional(&mut tx)
        .await?;
        let held = held.and_then(|r| Role::parse(&r));
        if held.is_none_or(|h| h < inv.role) {
            query(
                "INSERT INTO membership (actor_id, user_id, role) VALUES ($1, $2, $3) \
                 ON CONFLICT (actor_id, user_id) DO UPDATE SET role = $3",
            )
            .bind(inv.actor_id)
            .bind(user_id)
            .bind(inv.role.as_str())
            .execute(&mut tx)
            .await?;
        }
        query("UPDATE invitation SET accepted_at = $1, accepted_by = $2 WHERE id = $3")
            .bind(now)
            .bind(user_id)
            .bind(id)
            .execute(&mut tx)
            .await?;
        let inv = invitation_by_id(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(Ok(inv))
    }
}
