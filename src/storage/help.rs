//! "Aidez-moi à trouver": the node's référents, the requests for help, the référents' notes
//! and the missions proposed with their one-click links (stored hashed).

use super::db::{query, query_as, query_scalar};
use super::notifications::insert_notification;
use super::{CappedSms, NewNotification, Result, SqlStore, StoreError};
use crate::domain::help::{Channel, CheckedHelp, HelpNote, HelpProposal, HelpRequest, HelpState};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A proposal to record: a mission (and the slot that fits best), its link's hash.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProposal {
    pub mission_id: i64,
    pub slot_id: Option<i64>,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
}

type RequestRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    Option<i64>,
    DateTime<Utc>,
    DateTime<Utc>,
);
const REQUEST_COLS: &str = "id, name, wishes, when_note, wish, email, phone, channel, language, \
     user_id, state, referent_id, created_at, updated_at";

fn request_from_row(r: RequestRow) -> Result<HelpRequest> {
    let id = r.0;
    let corrupt = |what: &str| StoreError::Corrupt(format!("help request {id}: {what}"));
    Ok(HelpRequest {
        id: r.0,
        name: r.1,
        wishes: r.2,
        when_note: r.3,
        wish: serde_json::from_str(&r.4).map_err(|e| corrupt(&e.to_string()))?,
        email: r.5,
        phone: r.6,
        channel: Channel::parse(&r.7).ok_or_else(|| corrupt("channel"))?,
        language: r.8,
        user_id: r.9,
        state: HelpState::parse(&r.10).ok_or_else(|| corrupt("state"))?,
        referent_id: r.11,
        created_at: r.12,
        updated_at: r.13,
    })
}

type NoteRow = (i64, i64, Option<i64>, String, DateTime<Utc>);
const NOTE_COLS: &str = "id, request_id, author_id, body, created_at";

fn note_from_row(r: NoteRow) -> HelpNote {
    HelpNote {
        id: r.0,
        request_id: r.1,
        author_id: r.2,
        body: r.3,
        created_at: r.4,
    }
}

type ProposalRow = (
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);
const PROPOSAL_COLS: &str =
    "id, request_id, mission_id, slot_id, referent_id, created_at, expires_at, opened_at";

fn proposal_from_row(r: ProposalRow) -> HelpProposal {
    HelpProposal {
        id: r.0,
        request_id: r.1,
        mission_id: r.2,
        slot_id: r.3,
        referent_id: r.4,
        created_at: r.5,
        expires_at: r.6,
        opened_at: r.7,
    }
}

/// Référents, requests, notes and proposals.
#[async_trait]
pub trait HelpStore: Send + Sync {
    /// Makes a user a référent; false when they were one already.
    async fn add_referent(&self, user_id: i64, now: DateTime<Utc>) -> Result<bool>;
    /// False when they were not one.
    async fn remove_referent(&self, user_id: i64) -> Result<bool>;
    async fn is_referent(&self, user_id: i64) -> Result<bool>;
    /// The référents' user ids with when they became one, oldest first.
    async fn list_referents(&self) -> Result<Vec<(i64, DateTime<Utc>)>>;
    /// Stores a checked request as `new`.
    async fn create_help_request(
        &self,
        request: &CheckedHelp,
        user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<HelpRequest>;
    /// Requests in `state` (all when `None`), newest first.
    async fn list_help_requests(&self, state: Option<HelpState>) -> Result<Vec<HelpRequest>>;
    async fn get_help_request(&self, id: i64) -> Result<Option<HelpRequest>>;
    /// Moves a request from `from` to `to` (and to `referent_id` when given); false when it
    /// was no longer in `from` (someone else moved it first).
    async fn move_help_request(
        &self,
        id: i64,
        from: HelpState,
        to: HelpState,
        referent_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    async fn add_help_note(
        &self,
        request_id: i64,
        author_id: i64,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<HelpNote>;
    /// A request's notes, oldest first.
    async fn list_help_notes(&self, request_id: i64) -> Result<Vec<HelpNote>>;
    /// Records proposals with the email or the SMS that carries their links, in one
    /// transaction (the SMS under its sender's daily cap: `capped` past it). The flag says
    /// whether an SMS was queued to be sent.
    async fn record_help_proposals(
        &self,
        request_id: i64,
        referent_id: i64,
        proposals: Vec<NewProposal>,
        mail: Option<NewNotification>,
        sms: Option<CappedSms>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<HelpProposal>, bool)>;
    /// A request's proposals, oldest first.
    async fn list_help_proposals(&self, request_id: i64) -> Result<Vec<HelpProposal>>;
    /// The proposal of a link that still works at `now`, marked opened the first time.
    async fn open_help_proposal(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<HelpProposal>>;
    /// The requests asked from an account (its data export).
    async fn help_requests_of_user(&self, user_id: i64) -> Result<Vec<HelpRequest>>;
    /// Deletes the requests not changed since `before`, with their notes and proposals.
    async fn purge_help_requests(&self, before: DateTime<Utc>) -> Result<u64>;
    /// Deletes one request with its notes and proposals (the person asked); false when gone.
    async fn delete_help_request(&self, id: i64) -> Result<bool>;
}

#[async_trait]
impl HelpStore for SqlStore {
    async fn add_referent(&self, user_id: i64, now: DateTime<Utc>) -> Result<bool> {
        let done = query(
            "INSERT INTO help_referent (user_id, granted_at) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_referent(&self, user_id: i64) -> Result<bool> {
        let done = query("DELETE FROM help_referent WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn is_referent(&self, user_id: i64) -> Result<bool> {
        let n = query_scalar::<i64>("SELECT COUNT(*) FROM help_referent WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    async fn list_referents(&self) -> Result<Vec<(i64, DateTime<Utc>)>> {
        Ok(query_as::<(i64, DateTime<Utc>)>(
            "SELECT user_id, granted_at FROM help_referent ORDER BY granted_at, user_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn create_help_request(
        &self,
        request: &CheckedHelp,
        user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<HelpRequest> {
        let d = &request.draft;
        let wish =
            serde_json::to_string(&d.wish).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let sql = format!(
            "INSERT INTO help_request (name, wishes, when_note, wish, email, phone, channel, \
             language, user_id, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, \
             $7, $8, $9, $10, $11, $11) RETURNING {REQUEST_COLS}"
        );
        let row = query_as::<RequestRow>(&sql)
            .bind(&d.name)
            .bind(&d.wishes)
            .bind(&d.when_note)
            .bind(wish)
            .bind(&d.email)
            .bind(&d.phone)
            .bind(request.channel.code())
            .bind(&d.language)
            .bind(user_id)
            .bind(HelpState::New.code())
            .bind(now)
            .fetch_one(&self.pool)
            .await?;
        request_from_row(row)
    }

    async fn list_help_requests(&self, state: Option<HelpState>) -> Result<Vec<HelpRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLS} FROM help_request WHERE ($1 = '' OR state = $1) \
             ORDER BY created_at DESC, id DESC"
        );
        query_as::<RequestRow>(&sql)
            .bind(state.map(HelpState::code).unwrap_or(""))
            .fetch_all_try(&self.pool, request_from_row)
            .await
    }

    async fn get_help_request(&self, id: i64) -> Result<Option<HelpRequest>> {
        let sql = format!("SELECT {REQUEST_COLS} FROM help_request WHERE id = $1");
        query_as::<RequestRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(request_from_row)
            .transpose()
    }

    async fn move_help_request(
        &self,
        id: i64,
        from: HelpState,
        to: HelpState,
        referent_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let done = query(
            "UPDATE help_request SET state = $3, referent_id = COALESCE($4, referent_id), \
             updated_at = $5 WHERE id = $1 AND state = $2",
        )
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(referent_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn add_help_note(
        &self,
        request_id: i64,
        author_id: i64,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<HelpNote> {
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "INSERT INTO help_note (request_id, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING {NOTE_COLS}"
        );
        let row = query_as::<NoteRow>(&sql)
            .bind(request_id)
            .bind(author_id)
            .bind(body)
            .bind(now)
            .fetch_one(&mut tx)
            .await?;
        touch(&mut tx, request_id, now).await?;
        tx.commit().await?;
        Ok(note_from_row(row))
    }

    async fn list_help_notes(&self, request_id: i64) -> Result<Vec<HelpNote>> {
        let sql = format!(
            "SELECT {NOTE_COLS} FROM help_note WHERE request_id = $1 ORDER BY created_at, id"
        );
        Ok(query_as::<NoteRow>(&sql)
            .bind(request_id)
            .fetch_all_map(&self.pool, note_from_row)
            .await?)
    }

    async fn record_help_proposals(
        &self,
        request_id: i64,
        referent_id: i64,
        proposals: Vec<NewProposal>,
        mail: Option<NewNotification>,
        sms: Option<CappedSms>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<HelpProposal>, bool)> {
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "INSERT INTO help_proposal (request_id, mission_id, slot_id, token_hash, \
             referent_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING {PROPOSAL_COLS}"
        );
        let mut out = Vec::with_capacity(proposals.len());
        for p in &proposals {
            let row = query_as::<ProposalRow>(&sql)
                .bind(request_id)
                .bind(p.mission_id)
                .bind(p.slot_id)
                .bind(&p.token_hash)
                .bind(referent_id)
                .bind(now)
                .bind(p.expires_at)
                .fetch_one(&mut tx)
                .await
                .map_err(super::shared::conflict("proposal link"))?;
            out.push(proposal_from_row(row));
        }
        if let Some(mail) = &mail {
            insert_notification(&mut tx, mail, now).await?;
        }
        let texted = match &sms {
            Some(sms) => super::sms_batch::queue_under_cap(&mut tx, sms, now).await?,
            None => false,
        };
        touch(&mut tx, request_id, now).await?;
        tx.commit().await?;
        Ok((out, texted))
    }

    async fn list_help_proposals(&self, request_id: i64) -> Result<Vec<HelpProposal>> {
        let sql = format!(
            "SELECT {PROPOSAL_COLS} FROM help_proposal WHERE request_id = $1 \
             ORDER BY created_at, id"
        );
        Ok(query_as::<ProposalRow>(&sql)
            .bind(request_id)
            .fetch_all_map(&self.pool, proposal_from_row)
            .await?)
    }

    async fn open_help_proposal(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<HelpProposal>> {
        let sql = format!(
            "UPDATE help_proposal SET opened_at = COALESCE(opened_at, $2) \
             WHERE token_hash = $1 AND expires_at > $2 RETURNING {PROPOSAL_COLS}"
        );
        Ok(query_as::<ProposalRow>(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
            .map(proposal_from_row))
    }

    async fn help_requests_of_user(&self, user_id: i64) -> Result<Vec<HelpRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLS} FROM help_request WHERE user_id = $1 ORDER BY created_at, id"
        );
        query_as::<RequestRow>(&sql)
            .bind(user_id)
            .fetch_all_try(&self.pool, request_from_row)
            .await
    }

    async fn purge_help_requests(&self, before: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.pool.begin_write().await?;
        let n = delete_requests(&mut tx, "updated_at < $1", before.into()).await?;
        tx.commit().await?;
        Ok(n)
    }

    async fn delete_help_request(&self, id: i64) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        let n = delete_requests(&mut tx, "id = $1", id.into()).await?;
        tx.commit().await?;
        Ok(n == 1)
    }
}

/// A request changed now (a note, a proposal): its retention counts from here.
async fn touch(tx: &mut super::db::Tx, request_id: i64, now: DateTime<Utc>) -> Result<()> {
    query("UPDATE help_request SET updated_at = $2 WHERE id = $1")
        .bind(request_id)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

/// Deletes the requests `filter` selects (bound to `$1`) with their notes and proposals
/// (named, not left to the cascade, so both back ends do the same whatever their settings),
/// and the email or SMS that carried the proposals (keyed `help_proposal:<a link's hash>`:
/// they hold the person's address or number).
async fn delete_requests(
    tx: &mut super::db::Tx,
    filter: &str,
    arg: super::db::Arg<'_>,
) -> Result<u64> {
    for table in ["notification", "sms_message"] {
        query(&format!(
            "DELETE FROM {table} WHERE dedupe_key IN (SELECT 'help_proposal:' || token_hash \
             FROM help_proposal WHERE request_id IN (SELECT id FROM help_request WHERE {filter}))"
        ))
        .bind(arg.clone())
        .execute(&mut *tx)
        .await?;
    }
    for table in ["help_note", "help_proposal"] {
        query(&format!(
            "DELETE FROM {table} WHERE request_id IN (SELECT id FROM help_request WHERE {filter})"
        ))
        .bind(arg.clone())
        .execute(&mut *tx)
        .await?;
    }
    let done = query(&format!("DELETE FROM help_request WHERE {filter}"))
        .bind(arg)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected())
}
