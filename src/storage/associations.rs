//! Requests for new associations (answered by the node's administrators) and what a local
//! association says of itself besides its names (address, contact, fields of action, logo).

use super::actors::insert_local_actor;
use super::db::{query, query_as, query_scalar};
use super::rows::ACTOR_COLS;
use super::shared::{conflict, push_event};
use super::{Result, SqlStore, StoreError};
use crate::domain::{
    actor::{Actor, NewLocalActor},
    association::{AssociationDetails, AssociationNames, AssociationRequest, RequestStatus},
    events::Outgoing,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What a local association says of itself, with when its logo last changed (none: no logo).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssociationProfile {
    pub details: AssociationDetails,
    pub logo_updated_at: Option<DateTime<Utc>>,
}

/// What becomes of the logo when an association's page is saved.
#[derive(Debug, Clone, PartialEq)]
pub enum LogoChange {
    Keep,
    Set(Vec<u8>),
    Remove,
}

/// Requests for new associations, and the associations' details.
#[async_trait]
pub trait AssociationStore: Send + Sync {
    /// Records a request; `Conflict` when another request for the same name is waiting.
    async fn create_association_request(
        &self,
        user_id: i64,
        names: &AssociationNames,
        details: &AssociationDetails,
        logo: Option<&[u8]>,
        now: DateTime<Utc>,
    ) -> Result<AssociationRequest>;
    async fn get_association_request(&self, id: i64) -> Result<AssociationRequest>;
    /// Requests in this state (all when `None`), of this person (everyone's when `None`),
    /// oldest first.
    async fn list_association_requests(
        &self,
        status: Option<RequestStatus>,
        user_id: Option<i64>,
    ) -> Result<Vec<AssociationRequest>>;
    async fn association_request_logo(&self, id: i64) -> Result<Option<Vec<u8>>>;
    /// In one transaction: the request (still waiting, else `Conflict`) approved, the `Group`
    /// created with its author as owner and the request's details and logo, the author told.
    async fn approve_association_request(
        &self,
        id: i64,
        actor: NewLocalActor,
        ap_id: &str,
        host: &str,
        now: DateTime<Utc>,
    ) -> Result<(AssociationRequest, Actor)>;
    /// The request (still waiting, else `Conflict`) refused for this reason, the author told.
    async fn refuse_association_request(
        &self,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<AssociationRequest>;
    /// A local association's details (empty ones when never set).
    async fn association_profile(&self, actor_id: i64) -> Result<AssociationProfile>;
    /// Changes a local association's shown name, description, details and logo, and records
    /// `AssociationUpdated` for its followers, in one transaction.
    async fn update_association(
        &self,
        actor_id: i64,
        display_name: &str,
        summary: &str,
        details: &AssociationDetails,
        logo: LogoChange,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// A local association's logo (JPEG) and when it changed.
    async fn association_logo(&self, actor_id: i64) -> Result<Option<(Vec<u8>, DateTime<Utc>)>>;
}

const REQUEST_COLS: &str = "id, user_id, name, display_name, summary, address, email, phone, \
    website, categories, logo IS NOT NULL AS has_logo, status, reason, actor_id, created_at, \
    decided_at";

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    user_id: i64,
    name: String,
    display_name: String,
    summary: String,
    address: String,
    email: String,
    phone: String,
    website: String,
    categories: String,
    has_logo: bool,
    status: String,
    reason: String,
    actor_id: Option<i64>,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
}

impl TryFrom<RequestRow> for AssociationRequest {
    type Error = StoreError;
    fn try_from(r: RequestRow) -> Result<AssociationRequest> {
        Ok(AssociationRequest {
            id: r.id,
            user_id: r.user_id,
            names: AssociationNames {
                name: r.name,
                display_name: r.display_name,
                summary: r.summary,
            },
            details: AssociationDetails {
                address: r.address,
                email: r.email,
                phone: r.phone,
                website: r.website,
                categories: AssociationDetails::parse_categories(&r.categories),
            },
            has_logo: r.has_logo,
            status: RequestStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("request status {}", r.status)))?,
            reason: r.reason,
            actor_id: r.actor_id,
            created_at: r.created_at,
            decided_at: r.decided_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    address: String,
    email: String,
    phone: String,
    website: String,
    categories: String,
    logo_updated_at: Option<DateTime<Utc>>,
}

/// After a decision: the email to the requester is queued, and the request read as it now is.
async fn answered(
    tx: &mut super::db::Tx,
    id: i64,
    now: DateTime<Utc>,
) -> Result<AssociationRequest> {
    push_event(
        &mut *tx,
        &Outgoing::AssociationRequestAnswered { request_id: id },
        now,
    )
    .await?;
    request_by_id(&mut *tx, id, false).await
}

async fn request_by_id(
    ex: impl Into<super::db::Exec<'_>> + Send,
    id: i64,
    lock: bool,
) -> Result<AssociationRequest> {
    let mut conn: super::db::Exec<'_> = ex.into();
    let sql = format!(
        "SELECT {REQUEST_COLS} FROM association_request WHERE id = $1{}",
        if lock {
            conn.dialect().for_update()
        } else {
            ""
        }
    );
    query_as::<RequestRow>(&sql)
        .bind(id)
        .fetch_optional(&mut conn)
        .await?
        .ok_or(StoreError::NotFound("association request"))
        .and_then(AssociationRequest::try_from)
}

#[async_trait]
impl AssociationStore for SqlStore {
    async fn create_association_request(
        &self,
        user_id: i64,
        names: &AssociationNames,
        details: &AssociationDetails,
        logo: Option<&[u8]>,
        now: DateTime<Utc>,
    ) -> Result<AssociationRequest> {
        let mut tx = self.pool.begin_write().await?;
        let id: i64 = query_scalar::<i64>(
            "INSERT INTO association_request (user_id, name, display_name, summary, address, \
             email, phone, website, categories, logo, status, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', '', $11) RETURNING id",
        )
        .bind(user_id)
        .bind(&names.name)
        .bind(&names.display_name)
        .bind(&names.summary)
        .bind(&details.address)
        .bind(&details.email)
        .bind(&details.phone)
        .bind(&details.website)
        .bind(details.categories_text())
        .bind(logo.map(<[u8]>::to_vec))
        .bind(now)
        .fetch_one(&mut tx)
        .await
        .map_err(conflict("association request"))?;
        let r = request_by_id(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(r)
    }

    async fn get_association_request(&self, id: i64) -> Result<AssociationRequest> {
        request_by_id(&self.pool, id, false).await
    }

    async fn list_association_requests(
        &self,
        status: Option<RequestStatus>,
        user_id: Option<i64>,
    ) -> Result<Vec<AssociationRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLS} FROM association_request \
             WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR user_id = $2) ORDER BY id"
        );
        query_as::<RequestRow>(&sql)
            .bind(status.map(|s| s.as_str().to_string()))
            .bind(user_id)
            .fetch_all_try(&self.pool, AssociationRequest::try_from)
            .await
    }

    async fn association_request_logo(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let logo: Option<Option<Vec<u8>>> =
            query_scalar::<Option<Vec<u8>>>("SELECT logo FROM association_request WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        logo.ok_or(StoreError::NotFound("association request"))
    }

    async fn approve_association_request(
        &self,
        id: i64,
        actor: NewLocalActor,
        ap_id: &str,
        host: &str,
        now: DateTime<Utc>,
    ) -> Result<(AssociationRequest, Actor)> {
        let mut tx = self.pool.begin_write().await?;
        let r = request_by_id(&mut tx, id, true).await?;
        if r.status != RequestStatus::Pending {
            return Err(StoreError::Conflict("answered request"));
        }
        let created = insert_local_actor(&mut tx, actor, ap_id, host, Some(r.user_id), now).await?;
        query(
            "INSERT INTO association_profile (actor_id, address, email, phone, website, \
             categories, logo, logo_updated_at, updated_at) \
             SELECT $1, address, email, phone, website, categories, logo, \
             CASE WHEN logo IS NULL THEN NULL ELSE $2 END, $2 \
             FROM association_request WHERE id = $3",
        )
        .bind(created.id)
        .bind(now)
        .bind(id)
        .execute(&mut tx)
        .await?;
        query(
            "UPDATE association_request SET status = 'approved', actor_id = $1, decided_at = $2, \
             logo = NULL WHERE id = $3",
        )
        .bind(created.id)
        .bind(now)
        .bind(id)
        .execute(&mut tx)
        .await?;
        let r = answered(&mut tx, id, now).await?;
        tx.commit().await?;
        Ok((r, created))
    }

    async fn refuse_association_request(
        &self,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<AssociationRequest> {
        let mut tx = self.pool.begin_write().await?;
        let r = request_by_id(&mut tx, id, true).await?;
        if r.status != RequestStatus::Pending {
            return Err(StoreError::Conflict("answered request"));
        }
        query(
            "UPDATE association_request SET status = 'refused', reason = $1, decided_at = $2, \
             logo = NULL WHERE id = $3",
        )
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&mut tx)
        .await?;
        let r = answered(&mut tx, id, now).await?;
        tx.commit().await?;
        Ok(r)
    }

    async fn association_profile(&self, actor_id: i64) -> Result<AssociationProfile> {
        let row = query_as::<ProfileRow>(
            "SELECT address, email, phone, website, categories, logo_updated_at \
             FROM association_profile WHERE actor_id = $1",
        )
        .bind(actor_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| AssociationProfile {
                details: AssociationDetails {
                    address: r.address,
                    email: r.email,
                    phone: r.phone,
                    website: r.website,
                    categories: AssociationDetails::parse_categories(&r.categories),
                },
                logo_updated_at: r.logo_updated_at,
            })
            .unwrap_or_default())
    }

    async fn update_association(
        &self,
        actor_id: i64,
        display_name: &str,
        summary: &str,
        details: &AssociationDetails,
        logo: LogoChange,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "UPDATE actor SET display_name = $1, summary = $2 WHERE id = $3 AND local \
             AND kind = 'Group' RETURNING {ACTOR_COLS}"
        );
        let found = query_as::<super::rows::ActorRow>(&sql)
            .bind(display_name)
            .bind(summary)
            .bind(actor_id)
            .fetch_optional(&mut tx)
            .await?;
        if found.is_none() {
            return Err(StoreError::NotFound("association"));
        }
        query(
            "INSERT INTO association_profile (actor_id, address, email, phone, website, \
             categories, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (actor_id) DO UPDATE SET address = $2, email = $3, phone = $4, \
             website = $5, categories = $6, updated_at = $7",
        )
        .bind(actor_id)
        .bind(&details.address)
        .bind(&details.email)
        .bind(&details.phone)
        .bind(&details.website)
        .bind(details.categories_text())
        .bind(now)
        .execute(&mut tx)
        .await?;
        match logo {
            LogoChange::Keep => {}
            LogoChange::Set(bytes) => {
                query(
                    "UPDATE association_profile SET logo = $1, logo_updated_at = $2 \
                     WHERE actor_id = $3",
                )
                .bind(bytes)
                .bind(now)
                .bind(actor_id)
                .execute(&mut tx)
                .await?;
            }
            LogoChange::Remove => {
                query(
                    "UPDATE association_profile SET logo = NULL, logo_updated_at = NULL \
                     WHERE actor_id = $1",
                )
                .bind(actor_id)
                .execute(&mut tx)
                .await?;
            }
        }
        push_event(&mut tx, &Outgoing::AssociationUpdated { actor_id }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn association_logo(&self, actor_id: i64) -> Result<Option<(Vec<u8>, DateTime<Utc>)>> {
        let row = query_as::<(Option<Vec<u8>>, Option<DateTime<Utc>>)>(
            "SELECT logo, logo_updated_at FROM association_profile WHERE actor_id = $1",
        )
        .bind(actor_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some((Some(bytes), Some(at))) => Some((bytes, at)),
            _ => None,
        })
    }
}
