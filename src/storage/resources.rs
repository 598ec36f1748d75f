//! Shared equipment: resources (ours and other nodes') and their files.

use super::db::{fetch_all_in, query, query_as, query_scalar, Arg, Exec, Pool, Tx};
use super::shared::{conflict, push_event};
use super::{Result, SqlStore, StoreError};
use crate::domain::events::Outgoing;
use crate::domain::resource::{
    Approval, Borrowers, BusyPeriod, LoanMode, ReservationState, Resource, ResourceDraft,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

pub use super::resource_pages::{ResourceChunk, ResourcePage};

/// A photo or a contract document of a resource (its bytes are read apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceFile {
    pub id: i64,
    pub resource_id: i64,
    /// `photo` or `document`.
    pub kind: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

pub(super) const RESOURCE_COLS: &str = "id, ap_id, actor_id, name, description, category, \
    owner_kind, place, latitude, longitude, quantity, replacement_value, mode, price_per_day, \
    deposit, conditions, insurance_required, min_notice_hours, max_days, turnaround_hours, \
    approval, borrowers, borrower_list, agreement_template, remote_busy, deleted_at, created_at, \
    updated_at";

pub(super) const FILE_COLS: &str =
    "id, resource_id, kind, name, content_type, CAST(LENGTH(bytes) AS BIGINT) AS size, created_at";

#[derive(sqlx::FromRow)]
pub(super) struct ResourceRow {
    id: i64,
    ap_id: String,
    actor_id: i64,
    name: String,
    description: String,
    category: String,
    owner_kind: String,
    place: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    quantity: i64,
    replacement_value: Option<String>,
    mode: String,
    price_per_day: Option<String>,
    deposit: Option<String>,
    conditions: String,
    insurance_required: bool,
    min_notice_hours: i64,
    max_days: i64,
    turnaround_hours: i64,
    approval: String,
    borrowers: String,
    borrower_list: String,
    agreement_template: String,
    remote_busy: String,
    deleted_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ResourceRow> for Resource {
    type Error = super::StoreError;

    fn try_from(r: ResourceRow) -> std::result::Result<Resource, Self::Error> {
        let bad = |what: &str| super::StoreError::Corrupt(format!("resource {}: bad {what}", r.id));
        let money = |v: &Option<String>, what: &str| {
            v.as_deref()
                .map(|s| Decimal::from_str(s).map_err(|_| bad(what)))
                .transpose()
        };
        Ok(Resource {
            id: r.id,
            ap_id: r.ap_id.clone(),
            actor_id: r.actor_id,
            draft: ResourceDraft {
                name: r.name.clone(),
                description: r.description.clone(),
                category: r.category.clone(),
                owner_kind: r.owner_kind.clone(),
                place: r.place.clone(),
                latitude: r.latitude,
                longitude: r.longitude,
                quantity: r.quantity,
                replacement_value: money(&r.replacement_value, "value")?,
                mode: LoanMode::parse(&r.mode).ok_or_else(|| bad("mode"))?,
                price_per_day: money(&r.price_per_day, "price")?,
                deposit: money(&r.deposit, "deposit")?,
                conditions: r.conditions.clone(),
                insurance_required: r.insurance_required,
                min_notice_hours: r.min_notice_hours,
                max_days: r.max_days,
                turnaround_hours: r.turnaround_hours,
                approval: Approval::parse(&r.approval).ok_or_else(|| bad("approval"))?,
                borrowers: Borrowers::parse(&r.borrowers).ok_or_else(|| bad("borrowers"))?,
                borrower_list: r
                    .borrower_list
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                agreement_template: r.agreement_template.clone(),
            },
            remote_busy: serde_json::from_str(&r.remote_busy).map_err(|_| bad("busy periods"))?,
            deleted_at: r.deleted_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct FileRow {
    id: i64,
    resource_id: i64,
    kind: String,
    name: String,
    content_type: String,
    size: i64,
    created_at: DateTime<Utc>,
}

impl From<FileRow> for ResourceFile {
    fn from(f: FileRow) -> ResourceFile {
        ResourceFile {
            id: f.id,
            resource_id: f.resource_id,
            kind: f.kind,
            name: f.name,
            content_type: f.content_type,
            size: f.size,
            created_at: f.created_at,
        }
    }
}

/// Money as stored: decimal text.
pub(super) fn money(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Busy periods as stored.
pub(super) fn busy_json(busy: &[BusyPeriod]) -> String {
    serde_json::to_string(busy).unwrap_or_else(|_| "[]".into())
}

/// Resources and their files.
#[async_trait]
pub trait ResourceStore: Send + Sync {
    /// A new resource of a local owner (`ResourcePublished`).
    async fn create_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        now: DateTime<Utc>,
    ) -> Result<Resource>;
    /// Changes the resource with this id of this owner (`ResourceUpdated`).
    async fn update_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        now: DateTime<Utc>,
    ) -> Result<Resource>;
    /// Removes a local resource (`ResourceDeleted`); the requests and loans to come are
    /// cancelled with it (`ReservationChanged` each).
    async fn delete_resource(&self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<()>;
    /// Records another node's resource as its owner published it (`Conflict` when the id is
    /// another owner's).
    async fn save_remote_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        busy: &[BusyPeriod],
        now: DateTime<Utc>,
    ) -> Result<Resource>;
    /// Forgets another node's resource its owner removed: false when unknown.
    async fn delete_remote_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// A resource, removed or not.
    async fn get_resource(&self, id: i64) -> Result<Resource>;
    /// The resources with these ids, removed or not, by id, in one read for the whole list
    /// (unknown ids are left out; an id given twice comes back once).
    async fn get_resources(&self, ids: &[i64]) -> Result<Vec<Resource>>;
    async fn find_resource_by_ap_id(&self, ap_id: &str) -> Result<Option<Resource>>;
    /// An owner's resources, or all of them (not removed ones), by name.
    async fn list_resources(&self, actor_id: Option<i64>) -> Result<Vec<Resource>>;
    /// A page of an owner's resources by name, then id (keyset or offset: [`ResourcePage`]).
    async fn list_resources_after(&self, page: ResourcePage) -> Result<Vec<Resource>>;
    /// A chunk of every owner's resources by name, then id, of a category or all (keyset:
    /// [`ResourceChunk`]): what the equipment search reads, a chunk at a time.
    async fn list_resources_chunk(&self, chunk: ResourceChunk) -> Result<Vec<Resource>>;
    /// Attaches a file, refused (`Conflict`) past `max` files of that kind.
    #[allow(clippy::too_many_arguments)]
    async fn add_resource_file(
        &self,
        resource_id: i64,
        kind: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        max: i64,
        now: DateTime<Utc>,
    ) -> Result<ResourceFile>;
    async fn list_resource_files(&self, resource_id: i64) -> Result<Vec<ResourceFile>>;
    async fn get_resource_file(&self, id: i64) -> Result<(ResourceFile, Vec<u8>)>;
    async fn delete_resource_file(
        &self,
        resource_id: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// The coordinators (and owners) of an association with an email address: `(name, email)`.
    async fn coordinator_emails(&self, actor_id: i64) -> Result<Vec<(String, String)>>;
}

pub(super) async fn resource_by_id(
    ex: impl Into<Exec<'_>> + Send,
    id: i64,
    lock: bool,
) -> Result<Resource> {
    let mut conn: Exec<'_> = ex.into();
    let sql = format!(
        "SELECT {RESOURCE_COLS} FROM resource WHERE id = $1{}",
        if lock {
            conn.dialect().for_update()
        } else {
            ""
        }
    );
    query_as::<ResourceRow>(&sql)
        .bind(id)
        .fetch_optional(&mut conn)
        .await?
        .ok_or(StoreError::NotFound("resource"))
        .and_then(Resource::try_from)
}

/// Inserts (`id` None) or updates the resource `ap_id` of `actor_id`; `busy` is kept for
/// another node's resource.
#[allow(clippy::too_many_arguments)]
async fn write_resource(
    conn: &mut Tx,
    insert: bool,
    actor_id: i64,
    ap_id: &str,
    d: &ResourceDraft,
    busy: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let sql = if insert {
        "INSERT INTO resource (ap_id, actor_id, name, description, category, owner_kind, place, \
         latitude, longitude, quantity, replacement_value, mode, price_per_day, deposit, \
         conditions, insurance_required, min_notice_hours, max_days, turnaround_hours, approval, \
         borrowers, borrower_list, agreement_template, remote_busy, created_at, updated_at) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
         $20, $21, $22, $23, $24, $25, $25) RETURNING id"
    } else {
        "UPDATE resource SET name = $3, description = $4, category = $5, owner_kind = $6, place = \
         $7, latitude = $8, longitude = $9, quantity = $10, replacement_value = $11, mode = $12, \
         price_per_day = $13, deposit = $14, conditions = $15, insurance_required = $16, \
         min_notice_hours = $17, max_days = $18, turnaround_hours = $19, approval = $20, borrowers \
         = $21, borrower_list = $22, agreement_template = $23, remote_busy = $24, updated_at = \
         $25, deleted_at = NULL WHERE ap_id = $1 AND actor_id = $2 RETURNING id"
    };
    query_scalar::<i64>(sql)
        .bind(ap_id)
        .bind(actor_id)
        .bind(&d.name)
        .bind(&d.description)
        .bind(&d.category)
        .bind(&d.owner_kind)
        .bind(&d.place)
        .bind(d.latitude)
        .bind(d.longitude)
        .bind(d.quantity)
        .bind(money(d.replacement_value))
        .bind(d.mode.as_str())
        .bind(money(d.price_per_day))
        .bind(money(d.deposit))
        .bind(&d.conditions)
        .bind(d.insurance_required)
        .bind(d.min_notice_hours)
        .bind(d.max_days)
        .bind(d.turnaround_hours)
        .bind(d.approval.as_str())
        .bind(d.borrowers.as_str())
        .bind(d.borrower_list.join("\n"))
        .bind(&d.agreement_template)
        .bind(busy)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await
        .map_err(conflict("resource"))?
        .ok_or(StoreError::NotFound("resource"))
}

async fn resource_by_ap_id(
    ex: impl Into<Exec<'_>> + Send,
    ap_id: &str,
) -> Result<Option<Resource>> {
    let sql = format!("SELECT {RESOURCE_COLS} FROM resource WHERE ap_id = $1");
    query_as::<ResourceRow>(&sql)
        .bind(ap_id)
        .fetch_optional(ex)
        .await?
        .map(Resource::try_from)
        .transpose()
}

/// Inserts (`insert`) or changes a local resource and records its publication or update.
async fn save_local(
    pool: &Pool,
    insert: bool,
    actor_id: i64,
    ap_id: &str,
    draft: &ResourceDraft,
    now: DateTime<Utc>,
) -> Result<Resource> {
    let mut tx = pool.begin_write().await?;
    let id = write_resource(&mut tx, insert, actor_id, ap_id, draft, "[]", now).await?;
    let event = if insert {
        Outgoing::ResourcePublished { resource_id: id }
    } else {
        Outgoing::ResourceUpdated { resource_id: id }
    };
    push_event(&mut tx, &event, now).await?;
    let r = resource_by_id(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(r)
}

#[async_trait]
impl ResourceStore for SqlStore {
    async fn create_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        now: DateTime<Utc>,
    ) -> Result<Resource> {
        save_local(&self.pool, true, actor_id, ap_id, draft, now).await
    }

    async fn update_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        now: DateTime<Utc>,
    ) -> Result<Resource> {
        save_local(&self.pool, false, actor_id, ap_id, draft, now).await
    }

    async fn delete_resource(&self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        resource_by_id(&mut tx, id, true).await?;
        let open: Vec<i64> = query_scalar::<i64>(
            "SELECT id FROM reservation WHERE resource_id = $1 AND state IN ('requested', \
             'accepted')",
        )
        .bind(id)
        .fetch_all(&mut tx)
        .await?;
        for r in &open {
            query(
                "UPDATE reservation SET state = 'cancelled', reason = $2, updated_at = $3 WHERE id \
                 = $1",
            )
            .bind(r)
            .bind(reason)
            .bind(now)
            .execute(&mut tx)
            .await?;
            push_event(
                &mut tx,
                &Outgoing::ReservationChanged {
                    reservation_id: *r,
                    by_owner: true,
                    state: ReservationState::Cancelled.as_str().into(),
                },
                now,
            )
            .await?;
        }
        query("UPDATE resource SET deleted_at = $2, updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut tx)
            .await?;
        push_event(&mut tx, &Outgoing::ResourceDeleted { resource_id: id }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn save_remote_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        draft: &ResourceDraft,
        busy: &[crate::domain::resource::BusyPeriod],
        now: DateTime<Utc>,
    ) -> Result<Resource> {
        let busy = crate::storage::resources::busy_json(busy);
        let mut tx = self.pool.begin_write().await?;
        let known = resource_by_ap_id(&mut tx, ap_id).await?;
        if known.as_ref().is_some_and(|r| r.actor_id != actor_id) {
            return Err(StoreError::Conflict("resource of another owner"));
        }
        let id =
            write_resource(&mut tx, known.is_none(), actor_id, ap_id, draft, &busy, now).await?;
        let r = resource_by_id(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(r)
    }

    async fn delete_remote_resource(
        &self,
        actor_id: i64,
        ap_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let done = query(
            "UPDATE resource SET deleted_at = $3, updated_at = $3 WHERE ap_id = $1 AND actor_id = \
             $2 AND deleted_at IS NULL",
        )
        .bind(ap_id)
        .bind(actor_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn get_resource(&self, id: i64) -> Result<Resource> {
        resource_by_id(&self.pool, id, false).await
    }

    async fn get_resources(&self, ids: &[i64]) -> Result<Vec<Resource>> {
        let sql = |list: &str| format!("SELECT {RESOURCE_COLS} FROM resource WHERE id IN {list}");
        let rows = fetch_all_in::<ResourceRow, _>(&self.pool, ids, sql, Arg::from).await?;
        let mut out = (rows.into_iter().map(Resource::try_from)).collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|r| r.id);
        out.dedup_by_key(|r| r.id);
        Ok(out)
    }

    async fn find_resource_by_ap_id(&self, ap_id: &str) -> Result<Option<Resource>> {
        resource_by_ap_id(&self.pool, ap_id).await
    }

    async fn list_resources(&self, actor_id: Option<i64>) -> Result<Vec<Resource>> {
        let sql = super::resource_pages::list_sql(actor_id.is_some());
        let mut select = query_as::<ResourceRow>(&sql);
        if let Some(a) = actor_id {
            select = select.bind(a);
        }
        select.fetch_all_try(&self.pool, Resource::try_from).await
    }

    async fn list_resources_after(&self, page: ResourcePage) -> Result<Vec<Resource>> {
        super::resource_pages::page(&self.pool, page).await
    }

    async fn list_resources_chunk(&self, chunk: ResourceChunk) -> Result<Vec<Resource>> {
        super::resource_pages::chunk(&self.pool, chunk).await
    }

    async fn add_resource_file(
        &self,
        resource_id: i64,
        kind: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        max: i64,
        now: DateTime<Utc>,
    ) -> Result<ResourceFile> {
        let mut tx = self.pool.begin_write().await?;
        resource_by_id(&mut tx, resource_id, true).await?;
        let count: i64 = query_scalar::<i64>(
            "SELECT COUNT(*) FROM resource_file WHERE resource_id = $1 AND kind = $2",
        )
        .bind(resource_id)
        .bind(kind)
        .fetch_one(&mut tx)
        .await?;
        if count >= max {
            return Err(StoreError::Conflict("files of this kind"));
        }
        let id: i64 = query_scalar::<i64>(
            "INSERT INTO resource_file (resource_id, kind, name, content_type, bytes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(resource_id)
        .bind(kind)
        .bind(name)
        .bind(content_type)
        .bind(bytes)
        .bind(now)
        .fetch_one(&mut tx)
        .await?;
        // A photo changes what followers see.
        if kind == "photo" {
            push_event(&mut tx, &Outgoing::ResourceUpdated { resource_id }, now).await?;
        }
        let sql = format!("SELECT {FILE_COLS} FROM resource_file WHERE id = $1");
        let f = query_as::<FileRow>(&sql)
            .bind(id)
            .fetch_one(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(f.into())
    }

    async fn list_resource_files(&self, resource_id: i64) -> Result<Vec<ResourceFile>> {
        let sql = format!(
            "SELECT {FILE_COLS} FROM resource_file WHERE resource_id = $1 ORDER BY kind, id"
        );
        Ok(query_as::<FileRow>(&sql)
            .bind(resource_id)
            .fetch_all_map(&self.pool, ResourceFile::from)
            .await?)
    }

    async fn get_resource_file(&self, id: i64) -> Result<(ResourceFile, Vec<u8>)> {
        let sql = format!("SELECT {FILE_COLS} FROM resource_file WHERE id = $1");
        let f = query_as::<FileRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("file"))?;
        let bytes: Vec<u8> =
            query_scalar::<Vec<u8>>("SELECT bytes FROM resource_file WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        Ok((f.into(), bytes))
    }

    async fn delete_resource_file(
        &self,
        resource_id: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let done = query("DELETE FROM resource_file WHERE id = $1 AND resource_id = $2")
            .bind(id)
            .bind(resource_id)
            .execute(&mut tx)
            .await?;
        if done.rows_affected() > 0 {
            push_event(&mut tx, &Outgoing::ResourceUpdated { resource_id }, now).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    async fn coordinator_emails(&self, actor_id: i64) -> Result<Vec<(String, String)>> {
        Ok(query_as::<(String, String)>(
            "SELECT u.name, u.email FROM membership m JOIN user_account u ON u.id = m.user_id \
             WHERE m.actor_id = $1 AND m.role IN ('coordinator', 'owner') AND u.email IS NOT NULL \
             ORDER BY u.name",
        )
        .bind(actor_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
