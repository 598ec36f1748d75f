//! A person's data leaving the node (issue 14): what is kept about them that no other store
//! lists (their notices), erasing a local account, honouring a remote actor's deletion of
//! itself, and dropping the keys of deleted accounts once nothing is left to sign.
//!
//! Each erasure is one transaction: either everything about the person is gone or nothing is,
//! and every step is written so that running it again on a half-erased or fully erased account
//! changes nothing more (a retry finishes the job).

use super::db::{query, query_as, query_scalar, Arg, Tx};
use super::hours::{insert_history, read_entry};
use super::notifications::{notification_from_row, NotificationRow};
use super::participations::{free_place, participation_changed, set_participation_status};
use super::shared::push_event;
use super::slots::locked_slot;
use super::{Result, SqlStore};
use crate::domain::{
    events::Outgoing,
    privacy::{
        keeps_hours, left_without_coordinator, withdraws_sign_up, Coordinating,
        WITHDRAWN_ACCOUNT_DELETED,
    },
    slot::ParticipationStatus,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What erasing a local account did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErasedAccount {
    /// The person's actor (a tombstone now), when they had one.
    pub actor_id: Option<i64>,
    /// The sign-ups withdrawn (their places freed), by id.
    pub withdrawn: Vec<i64>,
    /// Validated hours entries kept for a former volunteer.
    pub hours_kept: i64,
    /// Hours entries removed (waiting, refused, or the person's copies of hours sent away).
    pub hours_removed: i64,
    /// Reservations to come that the person's actor had asked for, cancelled.
    pub reservations_cancelled: i64,
    /// The inboxes told with `Delete{Person}` (followers, the servers of slots and
    /// associations elsewhere the person dealt with), each once.
    pub inboxes: Vec<String>,
}

/// Whether a local account could be erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erasure {
    Erased(ErasedAccount),
    /// Nothing changed: the person is the last coordinator of these associations (ids).
    LastCoordinator(Vec<i64>),
}

/// What honouring a remote actor's deletion did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErasedRemote {
    /// The sign-ups to our slots withdrawn (their places freed), by id.
    pub withdrawn: Vec<i64>,
    pub hours_kept: i64,
    pub hours_removed: i64,
    /// Their messages of interest in our missions, removed.
    pub interests_removed: i64,
}

/// A person's data: their notices, erasing them, keys of deleted accounts.
#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// The notices recorded for a local user (to their email address, or about their sign-ups),
    /// oldest first.
    async fn user_notifications(&self, user_id: i64) -> Result<Vec<crate::storage::Notification>>;
    /// Erases a local account in one transaction, unless the person is the last coordinator of
    /// an association (then nothing changes): sign-ups to slots to come withdrawn, validated
    /// hours kept for a former volunteer and the others removed, attestations, profile,
    /// memberships, sessions, tokens, calendar token, notices, followers removed; the account
    /// and its actor kept as tombstones (name reserved, email, password and profile erased);
    /// `AccountDeleted` recorded for the federation worker. Erasing again changes nothing more.
    async fn erase_user(&self, user_id: i64, now: DateTime<Utc>) -> Result<Erasure>;
    /// A remote actor deleted itself: its sign-ups to our slots to come withdrawn, its name
    /// removed from past sign-ups, hours (validated ones kept for a former volunteer),
    /// interests, confirmations, followers and notices, and its copy kept as a tombstone.
    /// `None` when the actor is not known here or was erased before.
    async fn erase_remote_actor(
        &self,
        ap_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ErasedRemote>>;
    /// Drops the private keys of local accounts deleted before `before` once every event of
    /// their deletion was handled and no delivery they sign is waiting; returns how many.
    async fn drop_spent_keys(&self, before: DateTime<Utc>) -> Result<u64>;
}

/// The sign-ups of one person (a local user, or a remote actor), with what erasing needs.
async fn sign_ups_of(
    tx: &mut Tx,
    column: &str,
    value: crate::storage::db::Arg<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, bool)>> {
    let sql = format!(
        "SELECT p.id, s.end_time <= $2 AS ended FROM participation p JOIN slot s ON \
         s.id = p.slot_id WHERE p.{column} = $1 AND p.status IN ('pending', 'accepted') \
         ORDER BY p.id"
    );
    Ok(query_as::<(i64, bool)>(&sql)
        .bind(value)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?)
}

/// Withdraws the active sign-ups whose slot has not ended, freeing accepted places, with the
/// events a withdrawal records.
async fn withdraw_all(tx: &mut Tx, active: &[(i64, bool)], now: DateTime<Utc>) -> Result<Vec<i64>> {
    let mut withdrawn = Vec::new();
    for &(id, over) in active {
        if !withdraws_sign_up(over, true) {
            continue;
        }
        let status: String =
            query_scalar::<String>("SELECT status FROM participation WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let slot_id: i64 = query_scalar::<i64>("SELECT slot_id FROM participation WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let slot = locked_slot(&mut *tx, slot_id).await?;
        let accepted = status == ParticipationStatus::Accepted.as_str();
        if accepted {
            free_place(&mut *tx, &slot, now).await?;
        }
        set_participation_status(
            &mut *tx,
            id,
            ParticipationStatus::Withdrawn,
            WITHDRAWN_ACCOUNT_DELETED,
            now,
        )
        .await?;
        participation_changed(&mut *tx, id, now).await?;
        if accepted && slot.local {
            push_event(&mut *tx, &Outgoing::SlotChanged { slot_id: slot.id }, now).await?;
        }
        withdrawn.push(id);
    }
    Ok(withdrawn)
}

/// Validated entries of local associations become a former volunteer's, the others go; each
/// change with its history row. Returns (kept, removed).
async fn settle_hours(
    tx: &mut Tx,
    whose: &'static str,
    person: Arg<'_>,
    now: DateTime<Utc>,
) -> Result<(i64, i64)> {
    let ids = query_as::<(i64, bool)>(&format!(
        "SELECT h.id, a.local FROM hours_entry h JOIN actor a ON a.id = h.actor_id \
         WHERE {whose} = $1 ORDER BY h.id"
    ))
    .bind(person)
    .fetch_all(&mut *tx)
    .await?;
    let (mut kept, mut removed) = (0, 0);
    for (id, local_association) in ids {
        let before = read_entry(&mut *tx, id, true).await?;
        if local_association && keeps_hours(before.status) {
            query(
                "UPDATE hours_entry SET user_id = NULL, guest_name = NULL, remote_actor = NULL, \
                 created_by = NULL, updated_at = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let after = read_entry(&mut *tx, id, false).await?;
            insert_history(
                &mut *tx,
                id,
                before.actor_id,
                None,
                Some(&before),
                Some(&after),
                now,
            )
            .await?;
            kept += 1;
        } else {
            query("UPDATE attendance SET entry_id = NULL WHERE entry_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            query("DELETE FROM hours_entry WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            insert_history(
                &mut *tx,
                id,
                before.actor_id,
                None,
                Some(&before),
                None,
                now,
            )
            .await?;
            removed += 1;
        }
    }
    Ok((kept, removed))
}

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn user_notifications(&self, user_id: i64) -> Result<Vec<crate::storage::Notification>> {
        use super::notifications::NOTIFICATION_COLS;
        let sql = format!(
            "SELECT {NOTIFICATION_COLS} FROM notification WHERE participation_id IN (SELECT id \
             FROM participation WHERE user_id = $1) OR (channel = 'email' AND recipient = \
             (SELECT email FROM user_account WHERE id = $1)) ORDER BY id"
        );
        let rows = query_as::<NotificationRow>(&sql)
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(notification_from_row).collect())
    }

    async fn erase_user(&self, user_id: i64, now: DateTime<Utc>) -> Result<Erasure> {
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "SELECT id FROM user_account WHERE id = $1{}",
            tx.dialect().for_update()
        );
        query_scalar::<i64>(&sql)
            .bind(user_id)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(super::StoreError::NotFound("user"))?;

        // 1. Nobody is left alone at the head of an association.
        let held = query_as::<(i64, i64)>(
            "SELECT m.actor_id, (SELECT COUNT(*) FROM membership o JOIN user_account u ON u.id \
             = o.user_id WHERE o.actor_id = m.actor_id AND o.user_id <> $1 AND o.role IN \
             ('coordinator', 'owner', 'admin') AND u.deleted_at IS NULL) \
             FROM membership m WHERE m.user_id = $1 AND m.role IN ('coordinator', 'owner', \
             'admin')",
        )
        .bind(user_id)
        .fetch_all(&mut tx)
        .await?;
        let held: Vec<Coordinating> = held
            .into_iter()
            .map(|(association_id, other_coordinators)| Coordinating {
                association_id,
                other_coordinators,
            })
            .collect();
        let alone = left_without_coordinator(&held);
        if !alone.is_empty() {
            tx.rollback().await?;
            return Ok(Erasure::LastCoordinator(alone));
        }

        let actor_id: Option<i64> = query_scalar::<i64>(
            "SELECT id FROM actor WHERE local AND user_id = $1 AND kind = 'Person'",
        )
        .bind(user_id)
        .fetch_optional(&mut tx)
        .await?;

        // 2. Who must hear of it: followers, and the servers of slots and associations
        // elsewhere the person dealt with (read before the rows that say so go).
        let inboxes: Vec<String> = query_scalar::<String>(
            "SELECT COALESCE(f.shared_inbox, f.inbox) FROM follower f JOIN actor a ON a.id = \
             f.actor_id WHERE a.user_id = $1 UNION SELECT COALESCE(o.shared_inbox, o.inbox) \
             FROM participation p JOIN slot s ON s.id = p.slot_id JOIN mission m ON m.id = \
             s.mission_id JOIN actor o ON o.id = m.actor_id WHERE p.user_id = $1 AND NOT s.local \
             UNION SELECT COALESCE(o.shared_inbox, o.inbox) FROM hours_entry h JOIN actor o ON \
             o.id = h.actor_id WHERE h.user_id = $1 AND NOT o.local",
        )
        .bind(user_id)
        .fetch_all(&mut tx)
        .await?;
        let mut inboxes = inboxes;
        inboxes.sort();
        inboxes.dedup();

        // 3. Sign-ups to slots to come are withdrawn, places freed (a slot elsewhere hears
        // `Leave`); the person's name leaves those of our slots.
        let active = sign_ups_of(&mut tx, "user_id", user_id.into(), now).await?;
        let withdrawn = withdraw_all(&mut tx, &active, now).await?;
        query(
            "DELETE FROM notification WHERE participation_id IN (SELECT id FROM participation \
             WHERE user_id = $1) OR (channel = 'email' AND recipient = (SELECT email FROM \
             user_account WHERE id = $1))",
        )
        .bind(user_id)
        .execute(&mut tx)
        .await?;
        query(
            "UPDATE participation SET user_id = NULL, guest_name = '', guest_contact = NULL, \
             message = '' WHERE user_id = $1 AND slot_id IN (SELECT id FROM slot WHERE local)",
        )
        .bind(user_id)
        .execute(&mut tx)
        .await?;

        // 4. Hours: validated ones stay, anonymous; attestations go.
        let (hours_kept, hours_removed) =
            settle_hours(&mut tx, "h.user_id", Arg::from(user_id), now).await?;
        query("UPDATE hours_entry SET created_by = NULL WHERE created_by = $1")
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        query("DELETE FROM hours_attestation WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut tx)
            .await?;

        // 5. Reservations to come asked for by the person's own actor are cancelled.
        let mut reservations_cancelled = 0;
        if let Some(actor_id) = actor_id {
            let ids = query_scalar::<i64>(
                "UPDATE reservation SET state = 'cancelled', reason = 'account_deleted', \
                 updated_at = $2 WHERE borrower_actor_id = $1 AND state IN ('requested', \
                 'accepted') AND start_time > $2 RETURNING id",
            )
            .bind(actor_id)
            .bind(now)
            .fetch_all(&mut tx)
            .await?;
            for reservation_id in &ids {
                let event = Outgoing::ReservationChanged {
                    reservation_id: *reservation_id,
                    by_owner: false,
                    state: "cancelled".into(),
                };
                push_event(&mut tx, &event, now).await?;
            }
            reservations_cancelled = ids.len() as i64;
        }

        // 6. What only served the person.
        for sql in [
            "DELETE FROM session WHERE user_id = $1",
            "DELETE FROM api_token WHERE user_id = $1",
            "DELETE FROM account_token WHERE user_id = $1",
            "DELETE FROM calendar_token WHERE user_id = $1",
            "DELETE FROM volunteer_profile WHERE user_id = $1",
            "DELETE FROM phone_contact WHERE user_id = $1",
            "DELETE FROM sms_message WHERE user_id = $1",
            "DELETE FROM help_note WHERE request_id IN (SELECT id FROM help_request WHERE \
             user_id = $1)",
            "DELETE FROM help_proposal WHERE request_id IN (SELECT id FROM help_request WHERE \
             user_id = $1)",
            "DELETE FROM help_request WHERE user_id = $1",
            "DELETE FROM help_referent WHERE user_id = $1",
            "DELETE FROM membership WHERE user_id = $1",
            "DELETE FROM follower WHERE actor_id IN (SELECT id FROM actor WHERE user_id = $1)",
            "DELETE FROM following WHERE local_actor_id IN (SELECT id FROM actor WHERE user_id \
             = $1)",
        ] {
            query(sql).bind(user_id).execute(&mut tx).await?;
        }

        // 7. The tombstones: the name stays reserved, nothing else of the person.
        query(
            "UPDATE user_account SET email = NULL, password_hash = NULL, is_admin = FALSE, \
             full_name = '', deleted_at = COALESCE(deleted_at, $2) WHERE id = $1",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut tx)
        .await?;
        if let Some(actor_id) = actor_id {
            let first = query(
                "UPDATE actor SET display_name = name, summary = '', url = NULL, deleted_at = $2 \
                 WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(actor_id)
            .bind(now)
            .execute(&mut tx)
            .await?
            .rows_affected()
                == 1;
            // The key signs the `Leave`s and the `Delete` first; it goes once they are sent.
            if first {
                let event = Outgoing::AccountDeleted {
                    actor_id,
                    inboxes: inboxes.clone(),
                };
                push_event(&mut tx, &event, now).await?;
            }
        }
        tx.commit().await?;
        Ok(Erasure::Erased(ErasedAccount {
            actor_id,
            withdrawn,
            hours_kept,
            hours_removed,
            reservations_cancelled,
            inboxes,
        }))
    }

    async fn erase_remote_actor(
        &self,
        ap_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ErasedRemote>> {
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "SELECT id FROM actor WHERE ap_id = $1 AND NOT local AND deleted_at IS NULL{}",
            tx.dialect().for_update()
        );
        let Some(actor_id) = query_scalar::<i64>(&sql)
            .bind(ap_id)
            .fetch_optional(&mut tx)
            .await?
        else {
            tx.rollback().await?;
            return Ok(None);
        };
        let active = sign_ups_of(&mut tx, "actor_ap_id", ap_id.into(), now).await?;
        let withdrawn = withdraw_all(&mut tx, &active, now).await?;
        query(
            "UPDATE participation SET actor_ap_id = NULL, guest_name = '', guest_contact = NULL, \
             message = '' WHERE actor_ap_id = $1 AND slot_id IN (SELECT id FROM slot WHERE \
             local)",
        )
        .bind(ap_id)
        .execute(&mut tx)
        .await?;
        let (hours_kept, hours_removed) =
            settle_hours(&mut tx, "h.remote_actor", Arg::from(ap_id), now).await?;
        let interests_removed = query("DELETE FROM interest WHERE actor_ap_id = $1")
            .bind(ap_id)
            .execute(&mut tx)
            .await?
            .rows_affected() as i64;
        for sql in [
            "DELETE FROM fediverse_confirmation WHERE actor_ap_id = $1",
            "DELETE FROM follower WHERE follower_ap_id = $1",
            "DELETE FROM following WHERE target_ap_id = $1",
            "DELETE FROM notification WHERE channel = 'fediverse' AND recipient = $1",
        ] {
            query(sql).bind(ap_id).execute(&mut tx).await?;
        }
        query(
            "UPDATE actor SET display_name = name, summary = '', url = NULL, deleted_at = $2 \
             WHERE id = $1",
        )
        .bind(actor_id)
        .bind(now)
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(Some(ErasedRemote {
            withdrawn,
            hours_kept,
            hours_removed,
            interests_removed,
        }))
    }

    async fn drop_spent_keys(&self, before: DateTime<Utc>) -> Result<u64> {
        Ok(query(
            "UPDATE actor SET private_key_pem = NULL WHERE local AND deleted_at IS NOT NULL AND \
             deleted_at < $1 AND private_key_pem IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \
             outbox_event e WHERE e.processed_at IS NULL AND e.created_at <= actor.deleted_at) \
             AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.signer_actor_id = actor.id AND \
             d.delivered_at IS NULL AND d.failed_at IS NULL)",
        )
        .bind(before)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
