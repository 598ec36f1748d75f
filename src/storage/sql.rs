//! The SQL shared by both back ends, stamped onto a concrete pool type by `store_impl!`.
//!
//! Why a macro: sqlx code generic over `Database` needs deep trait bounds (see STYLE.md,
//! option B), while two hand-written copies drift apart. The macro keeps one text of every
//! statement and still compiles each back end against its own concrete driver types.

/// Maps a unique-constraint violation to `Conflict(what)`.
pub(super) fn conflict(what: &'static str) -> impl FnOnce(sqlx::Error) -> super::StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => super::StoreError::Conflict(what),
        _ => super::StoreError::Db(e),
    }
}

pub(super) fn encode_event(event: &crate::domain::events::Outgoing) -> super::Result<String> {
    serde_json::to_string(event).map_err(|e| super::StoreError::Corrupt(e.to_string()))
}

/// The columns a mission draft fills, bound as `$1`…`$23` by `bind_draft`.
pub(super) const DRAFT_COLS: &str = "title, description, category, skills, place_name, street_address, \
    postal_code, locality, country, latitude, longitude, online, start_time, end_time, capacity, \
    join_mode, status, regular, commitment_minutes, commitment_period, reduced_mobility, open_to_minors, \
    contact";
pub(super) const DRAFT_PARAMS: &str =
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
    $18, $19, $20, $21, $22, $23";
pub(super) const DRAFT_SET: &str = "title = $1, description = $2, category = $3, skills = $4, \
    place_name = $5, street_address = $6, postal_code = $7, locality = $8, country = $9, latitude = $10, \
    longitude = $11, online = $12, start_time = $13, end_time = $14, capacity = $15, join_mode = $16, \
    status = $17, regular = $18, commitment_minutes = $19, commitment_period = $20, reduced_mobility = $21, \
    open_to_minors = $22, contact = $23";

pub(super) const INSERT_EVENT: &str =
    "INSERT INTO outbox_event (payload, created_at) VALUES ($1, $2)";

macro_rules! store_impl {
    (
        $store:ty,
        $db:ty,
        claim_events = $claim_events:expr,
        claim_deliveries = $claim_deliveries:expr,
        begin_write = $begin_write:expr,
        lock_row = $lock_row:expr
    ) => {
        use $crate::domain::{
            account::{Role, User},
            actor::{Actor, Follower, Following, NewLocalActor, RemoteActor},
            events::Outgoing,
            mission::{Mission, MissionDraft, MissionStatus},
            slot::{Participant, Participation, ParticipationStatus, Refusal, SignUpOutcome, Slot, SlotDraft, SlotStatus},
            volunteer::Profile,
        };
        use $crate::storage::rows::*;
        use $crate::storage::sql::{conflict, encode_event, DRAFT_COLS, DRAFT_PARAMS, DRAFT_SET, INSERT_EVENT};
        use $crate::storage::{
            Delivery, MissionQuery, NewDelivery, NewMission, NewUser, OutboxEvent, QueueStats,
            RemoteMission, RemoteSlot, Result, SignUp, Store, StoreError,
        };
        use chrono::{DateTime, Utc};

        async fn push_event(
            conn: &mut <$db as sqlx::Database>::Connection,
            event: &Outgoing,
            now: DateTime<Utc>,
        ) -> Result<()> {
            sqlx::query(INSERT_EVENT).bind(encode_event(event)?).bind(now).execute(conn).await?;
            Ok(())
        }

        fn skills_json(skills: &[String]) -> String {
            serde_json::to_string(skills).unwrap_or_else(|_| "[]".into())
        }

        type MissionQueryAs<'q> =
            sqlx::query::QueryAs<'q, $db, MissionRow, <$db as sqlx::Database>::Arguments<'q>>;

        /// Binds a draft's fields as `$1`…`$23`, in `DRAFT_COLS` order.
        fn bind_draft<'q>(q: MissionQueryAs<'q>, d: &'q MissionDraft) -> MissionQueryAs<'q> {
            q.bind(&d.title)
                .bind(&d.description)
                .bind(&d.category)
                .bind(skills_json(&d.skills))
                .bind(&d.place.name)
                .bind(&d.place.street_address)
                .bind(&d.place.postal_code)
                .bind(&d.place.locality)
                .bind(&d.place.country)
                .bind(d.place.latitude)
                .bind(d.place.longitude)
                .bind(d.online)
                .bind(d.start_time)
                .bind(d.end_time)
                .bind(d.capacity)
                .bind(d.join_mode.as_str())
                .bind(d.status.as_str())
                .bind(d.regular)
                .bind(d.commitment_minutes)
                .bind(&d.commitment_period)
                .bind(d.reduced_mobility)
                .bind(d.open_to_minors)
                .bind(&d.contact)
        }


        type Conn = <$db as sqlx::Database>::Connection;

        /// Queues deliveries. Consecutive ones carrying the same document (one activity to
        /// many inboxes) store it once, in `outgoing_payload`; rows go 100 to a statement (a
        /// statement per row made a mission to 1,000 followers wait tens of milliseconds).
        async fn insert_deliveries(
            conn: &mut Conn,
            deliveries: &[NewDelivery],
            now: DateTime<Utc>,
        ) -> Result<()> {
            let mut start = 0;
            while start < deliveries.len() {
                let first = &deliveries[start];
                let end = start
                    + deliveries[start..]
                        .iter()
                        .take_while(|d| d.activity_ap_id == first.activity_ap_id && d.payload == first.payload)
                        .count();
                let group = &deliveries[start..end];
                let payload_id: Option<i64> = if group.len() > 1 {
                    Some(
                        sqlx::query_scalar("INSERT INTO outgoing_payload (payload, created_at) VALUES ($1, $2) RETURNING id")
                            .bind(&first.payload)
                            .bind(now)
                            .fetch_one(&mut *conn)
                            .await?,
                    )
                } else {
                    None
                };
                for chunk in group.chunks(100) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO delivery (activity_ap_id, signer_actor_id, inbox, payload, payload_id, \
                         attempts, next_attempt_at, created_at) ",
                    );
                    insert.push_values(chunk, |mut row, d| {
                        row.push_bind(d.activity_ap_id.as_str())
                            .push_bind(d.signer_actor_id)
                            .push_bind(d.inbox.as_str())
                            .push_bind(if payload_id.is_some() { "" } else { d.payload.as_str() })
                            .push_bind(payload_id)
                            .push_bind(0i64)
                            .push_bind(now)
                            .push_bind(now);
                    });
                    insert.push(" ON CONFLICT (activity_ap_id, inbox) DO NOTHING");
                    insert.build().execute(&mut *conn).await?;
                }
                start = end;
            }
            Ok(())
        }

        async fn participation_by(conn: &mut Conn, column: &str, value: &str) -> Result<Option<Participation>> {
            let sql = format!("SELECT {PARTICIPATION_COLS} FROM participation WHERE {column} = $1");
            sqlx::query_as::<$db, ParticipationRow>(&sql)
                .bind(value)
                .fetch_optional(conn)
                .await?
                .map(Participation::try_from)
                .transpose()
        }

        async fn participation_by_id(conn: &mut Conn, id: i64) -> Result<Participation> {
            let sql = format!("SELECT {PARTICIPATION_COLS} FROM participation WHERE id = $1");
            sqlx::query_as::<$db, ParticipationRow>(&sql)
                .bind(id)
                .fetch_optional(conn)
                .await?
                .ok_or(StoreError::NotFound("participation"))
                .and_then(Participation::try_from)
        }

        async fn locked_slot(conn: &mut Conn, id: i64) -> Result<Slot> {
            let sql = format!("SELECT {SLOT_COLS} FROM slot WHERE id = $1{}", $lock_row);
            sqlx::query_as::<$db, SlotRow>(&sql)
                .bind(id)
                .fetch_optional(conn)
                .await?
                .ok_or(StoreError::NotFound("slot"))
                .and_then(Slot::try_from)
        }

        /// Takes one place if one is left; false when the slot is full.
        /// Keeps a mission's count of people equal to the sum over its slots.
        async fn add_to_mission_count(conn: &mut Conn, slot_id: i64, delta: i64) -> Result<()> {
            sqlx::query(
                "UPDATE mission SET participant_count = participant_count + $2 \
                 WHERE id = (SELECT mission_id FROM slot WHERE id = $1) AND participant_count + $2 >= 0",
            )
            .bind(slot_id)
            .bind(delta)
            .execute(conn)
            .await?;
            Ok(())
        }

        async fn take_place(conn: &mut Conn, slot_id: i64, now: DateTime<Utc>) -> Result<bool> {
            let taken = sqlx::query(
                "UPDATE slot SET participant_count = participant_count + 1, updated = $2 \
                 WHERE id = $1 AND participant_count < capacity",
            )
            .bind(slot_id)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                == 1;
            if taken {
                add_to_mission_count(conn, slot_id, 1).await?;
            }
            Ok(taken)
        }

        async fn free_place(conn: &mut Conn, slot_id: i64, now: DateTime<Utc>) -> Result<()> {
            let freed = sqlx::query(
                "UPDATE slot SET participant_count = participant_count - 1, updated = $2 \
                 WHERE id = $1 AND participant_count > 0",
            )
            .bind(slot_id)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                == 1;
            if freed {
                add_to_mission_count(conn, slot_id, -1).await?;
            }
            Ok(())
        }

        async fn set_participation_status(
            conn: &mut Conn,
            id: i64,
            status: ParticipationStatus,
            reason: &str,
            now: DateTime<Utc>,
        ) -> Result<Participation> {
            let sql = format!(
                "UPDATE participation SET status = $2, reason = $3, decided_at = $4 WHERE id = $1 \
                 RETURNING {PARTICIPATION_COLS}"
            );
            sqlx::query_as::<$db, ParticipationRow>(&sql)
                .bind(id)
                .bind(status.as_str())
                .bind(reason)
                .bind(now)
                .fetch_optional(conn)
                .await?
                .ok_or(StoreError::NotFound("participation"))
                .and_then(Participation::try_from)
        }

        /// Active sign-ups of this participant on this slot, and on slots overlapping it.
        async fn participant_conflicts(conn: &mut Conn, slot: &Slot, p: &Participant) -> Result<(i64, i64)> {
            let (user_id, actor, _, _) = participant_columns(p);
            if user_id.is_none() && actor.is_none() {
                return Ok((0, 0)); // guests are signed up by name: no identity to compare
            }
            let same: i64 = sqlx::query_scalar::<$db, i64>(
                "SELECT COUNT(*) FROM participation WHERE slot_id = $1 AND status IN ('pending', 'accepted') \
                 AND (user_id = $2 OR actor_ap_id = $3)",
            )
            .bind(slot.id)
            .bind(user_id)
            .bind(actor)
            .fetch_one(&mut *conn)
            .await?;
            let overlapping: i64 = sqlx::query_scalar::<$db, i64>(
                "SELECT COUNT(*) FROM participation p JOIN slot s ON s.id = p.slot_id \
                 WHERE p.status IN ('pending', 'accepted') AND (p.user_id = $1 OR p.actor_ap_id = $2) \
                 AND s.id <> $3 AND s.status = 'open' AND s.start_time < $5 AND $4 < s.end_time",
            )
            .bind(user_id)
            .bind(actor)
            .bind(slot.id)
            .bind(slot.start_time)
            .bind(slot.end_time)
            .fetch_one(&mut *conn)
            .await?;
            Ok((same, overlapping))
        }

        async fn insert_participation(
            conn: &mut Conn,
            r: &SignUp,
            status: ParticipationStatus,
            reason: &str,
            now: DateTime<Utc>,
        ) -> Result<Participation> {
            let (user_id, actor, guest_name, guest_contact) = participant_columns(&r.participant);
            let sql = format!(
                "INSERT INTO participation (slot_id, user_id, actor_ap_id, guest_name, guest_contact, join_ap_id, \
                 status, message, reason, created_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 RETURNING {PARTICIPATION_COLS}"
            );
            let decided = (status != ParticipationStatus::Pending).then_some(now);
            sqlx::query_as::<$db, ParticipationRow>(&sql)
                .bind(r.slot_id)
                .bind(user_id)
                .bind(actor)
                .bind(guest_name)
                .bind(guest_contact)
                .bind(&r.join_ap_id)
                .bind(status.as_str())
                .bind(&r.message)
                .bind(reason)
                .bind(now)
                .bind(decided)
                .fetch_one(conn)
                .await
                .map_err(conflict("sign-up"))
                .and_then(Participation::try_from)
        }

        /// Only published, not deleted missions take sign-ups.
        async fn mission_takes_sign_ups(conn: &mut Conn, mission_id: i64) -> Result<bool> {
            let status: Option<String> = sqlx::query_scalar::<$db, String>(
                "SELECT status FROM mission WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(mission_id)
            .fetch_optional(conn)
            .await?;
            Ok(status.as_deref() == Some(MissionStatus::Published.as_str()))
        }

        fn refusal_code(r: Refusal) -> &'static str {
            match r {
                Refusal::Full => "full",
                Refusal::Overlaps => "overlaps",
                Refusal::Closed => "closed",
                Refusal::Over => "over",
                Refusal::AlreadySignedUp => "already_signed_up",
            }
        }

        $crate::storage::fediverse_sql::fediverse_fns!($db, $begin_write);
        $crate::storage::notification_sql::notification_fns!($db, $begin_write);
        $crate::storage::calendar_sql::calendar_fns!($db);
        $crate::storage::hours_sql::hours_fns!($db, $begin_write, $lock_row);
        $crate::storage::attestation_sql::attestation_fns!($db);
        $crate::storage::resource_sql::resource_fns!($store, $db, $begin_write, $lock_row);

        #[async_trait::async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                Self::NAME
            }

            async fn create_user(&self, u: NewUser, now: DateTime<Utc>) -> Result<User> {
                let row = sqlx::query_as::<$db, UserRow>(
                    "INSERT INTO user_account (name, email, password_hash, is_admin, created_at) \
                     VALUES ($1, $2, $3, $4, $5) \
                     RETURNING id, name, email, password_hash, is_admin, created_at",
                )
                .bind(&u.name)
                .bind(&u.email)
                .bind(&u.password_hash)
                .bind(u.is_admin)
                .bind(now)
                .fetch_one(&self.pool)
                .await
                .map_err(conflict("user"))?;
                Ok(row.into())
            }

            async fn find_user_by_name(&self, name: &str) -> Result<Option<User>> {
                Ok(sqlx::query_as::<$db, UserRow>(
                    "SELECT id, name, email, password_hash, is_admin, created_at \
                     FROM user_account WHERE name = $1",
                )
                .bind(name)
                .fetch_optional(&self.pool)
                .await?
                .map(User::from))
            }

            async fn get_user(&self, id: i64) -> Result<User> {
                sqlx::query_as::<$db, UserRow>(
                    "SELECT id, name, email, password_hash, is_admin, created_at \
                     FROM user_account WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .map(User::from)
                .ok_or(StoreError::NotFound("user"))
            }

            async fn count_users(&self) -> Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>("SELECT COUNT(*) FROM user_account")
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn create_session(&self, user_id: i64, token_hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
                sqlx::query("INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(expires_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn find_session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
                Ok(sqlx::query_as::<$db, UserRow>(
                    "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at \
                     FROM session s JOIN user_account u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?
                .map(User::from))
            }

            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                sqlx::query("DELETE FROM session WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn create_api_token(&self, user_id: i64, token_hash: &str, label: &str, now: DateTime<Utc>) -> Result<()> {
                sqlx::query(
                    "INSERT INTO api_token (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(token_hash)
                .bind(user_id)
                .bind(label)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn find_token_user(&self, token_hash: &str) -> Result<Option<User>> {
                Ok(sqlx::query_as::<$db, UserRow>(
                    "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at \
                     FROM api_token t JOIN user_account u ON u.id = t.user_id WHERE t.token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?
                .map(User::from))
            }

            async fn create_local_actor(
                &self,
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
                let mut tx = self.pool.begin_with($begin_write).await?;
                let sql = format!(
                    "INSERT INTO actor (ap_id, kind, name, host, display_name, summary, inbox, \
                     shared_inbox, outbox, followers, url, public_key_pem, private_key_pem, local, \
                     user_id, published, last_refreshed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, TRUE, $14, $15, $15) \
                     RETURNING {ACTOR_COLS}"
                );
                let row = sqlx::query_as::<$db, ActorRow>(&sql)
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
                    sqlx::query("INSERT INTO membership (actor_id, user_id, role) VALUES ($1, $2, $3)")
                        .bind(actor.id)
                        .bind(owner)
                        .bind(Role::Owner.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(actor)
            }

            async fn get_actor(&self, id: i64) -> Result<Actor> {
                let sql = format!("SELECT {ACTOR_COLS} FROM actor WHERE id = $1");
                sqlx::query_as::<$db, ActorRow>(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(Actor::from)
                    .ok_or(StoreError::NotFound("actor"))
            }

            async fn find_local_actor(&self, kind: &str, name: &str) -> Result<Option<Actor>> {
                let sql = format!("SELECT {ACTOR_COLS} FROM actor WHERE local AND kind = $1 AND name = $2");
                Ok(sqlx::query_as::<$db, ActorRow>(&sql)
                    .bind(kind)
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(Actor::from))
            }

            async fn find_actor_by_ap_id(&self, ap_id: &str) -> Result<Option<Actor>> {
                let sql = format!("SELECT {ACTOR_COLS} FROM actor WHERE ap_id = $1");
                Ok(sqlx::query_as::<$db, ActorRow>(&sql)
                    .bind(ap_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(Actor::from))
            }

            async fn upsert_remote_actor(&self, a: RemoteActor, now: DateTime<Utc>) -> Result<Actor> {
                let sql = format!(
                    "INSERT INTO actor (ap_id, kind, name, host, display_name, summary, inbox, \
                     shared_inbox, outbox, followers, url, public_key_pem, private_key_pem, local, \
                     user_id, published, last_refreshed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, FALSE, NULL, $13, $13) \
                     ON CONFLICT (ap_id) DO UPDATE SET kind = $2, name = $3, host = $4, \
                     display_name = $5, summary = $6, inbox = $7, shared_inbox = $8, outbox = $9, \
                     followers = $10, url = $11, public_key_pem = $12, last_refreshed_at = $13 \
                     WHERE NOT actor.local \
                     RETURNING {ACTOR_COLS}"
                );
                sqlx::query_as::<$db, ActorRow>(&sql)
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
                    .map(Actor::from)
                    .ok_or(StoreError::Conflict("local actor"))
            }

            async fn list_local_actors(&self, kind: &str) -> Result<Vec<Actor>> {
                let sql = format!("SELECT {ACTOR_COLS} FROM actor WHERE local AND kind = $1 ORDER BY name");
                Ok(sqlx::query_as::<$db, ActorRow>(&sql)
                    .bind(kind)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(Actor::from)
                    .collect())
            }

            async fn set_member(&self, actor_id: i64, user_id: i64, role: Role) -> Result<()> {
                sqlx::query(
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
                let role: Option<String> = sqlx::query_scalar::<$db, String>(
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
                let rows = sqlx::query_as::<$db, MembershipRow>(&sql)
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

            async fn add_follower(&self, actor_id: i64, f: Follower, accept: Outgoing, now: DateTime<Utc>) -> Result<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                // An upsert affects one row either way: ask first whether the follower is new.
                let inserted = sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM follower WHERE actor_id = $1 AND follower_ap_id = $2",
                )
                .bind(actor_id)
                .bind(&f.actor_ap_id)
                .fetch_one(&mut *tx)
                .await?
                    == 0;
                sqlx::query(
                    "INSERT INTO follower (actor_id, follower_ap_id, inbox, shared_inbox, follow_ap_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (actor_id, follower_ap_id) \
                     DO UPDATE SET inbox = $3, shared_inbox = $4, follow_ap_id = $5",
                )
                .bind(actor_id)
                .bind(&f.actor_ap_id)
                .bind(&f.inbox)
                .bind(&f.shared_inbox)
                .bind(&f.follow_ap_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                // A repeated Follow is answered again: the other side may have lost our Accept.
                push_event(&mut *tx, &accept, now).await?;
                tx.commit().await?;
                Ok(inserted)
            }

            async fn remove_follower(&self, actor_id: i64, follower_ap_id: &str) -> Result<bool> {
                Ok(sqlx::query("DELETE FROM follower WHERE actor_id = $1 AND follower_ap_id = $2")
                    .bind(actor_id)
                    .bind(follower_ap_id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected()
                    > 0)
            }

            async fn list_followers(&self, actor_id: i64) -> Result<Vec<Follower>> {
                Ok(sqlx::query_as::<$db, FollowerRow>(
                    "SELECT follower_ap_id, inbox, shared_inbox, follow_ap_id FROM follower \
                     WHERE actor_id = $1 ORDER BY created_at, follower_ap_id",
                )
                .bind(actor_id)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(Follower::from)
                .collect())
            }

            async fn count_followers(&self, actor_id: i64) -> Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>("SELECT COUNT(*) FROM follower WHERE actor_id = $1")
                    .bind(actor_id)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn add_following(&self, f: Following, event: Outgoing, now: DateTime<Utc>) -> Result<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let inserted = sqlx::query(
                    "INSERT INTO following (local_actor_id, target_ap_id, follow_ap_id, accepted, created_at) \
                     VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (local_actor_id, target_ap_id) DO NOTHING",
                )
                .bind(f.local_actor_id)
                .bind(&f.target_ap_id)
                .bind(&f.follow_ap_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    > 0;
                if inserted {
                    push_event(&mut *tx, &event, now).await?;
                }
                tx.commit().await?;
                Ok(inserted)
            }

            async fn answer_following(&self, follow_ap_id: &str, target_ap_id: &str, accepted: bool) -> Result<bool> {
                let sql = if accepted {
                    "UPDATE following SET accepted = TRUE WHERE follow_ap_id = $1 AND target_ap_id = $2"
                } else {
                    "DELETE FROM following WHERE follow_ap_id = $1 AND target_ap_id = $2"
                };
                Ok(sqlx::query(sql)
                    .bind(follow_ap_id)
                    .bind(target_ap_id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected()
                    > 0)
            }

            async fn remove_following(&self, local_actor_id: i64, target_ap_id: &str, event: Outgoing, now: DateTime<Utc>) -> Result<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let removed = sqlx::query("DELETE FROM following WHERE local_actor_id = $1 AND target_ap_id = $2")
                    .bind(local_actor_id)
                    .bind(target_ap_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    > 0;
                if removed {
                    push_event(&mut *tx, &event, now).await?;
                }
                tx.commit().await?;
                Ok(removed)
            }

            async fn list_following(&self, local_actor_id: i64) -> Result<Vec<Following>> {
                Ok(sqlx::query_as::<$db, FollowingRow>(
                    "SELECT local_actor_id, target_ap_id, follow_ap_id, accepted FROM following \
                     WHERE local_actor_id = $1 ORDER BY created_at, target_ap_id",
                )
                .bind(local_actor_id)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(Following::from)
                .collect())
            }

            async fn is_followed_locally(&self, target_ap_id: &str) -> Result<bool> {
                Ok(sqlx::query_scalar::<$db, i64>("SELECT COUNT(*) FROM following WHERE target_ap_id = $1")
                    .bind(target_ap_id)
                    .fetch_one(&self.pool)
                    .await?
                    > 0)
            }

            async fn create_mission(&self, m: NewMission) -> Result<Mission> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let sql = format!(
                    "INSERT INTO mission ({DRAFT_COLS}, ap_id, actor_id, local, content_html, remote_summary, \
                     participant_count, url, published, updated) \
                     VALUES ({DRAFT_PARAMS}, $24, $25, TRUE, $26, '', 0, $27, $28, $28) RETURNING {MISSION_COLS}"
                );
                let row = bind_draft(sqlx::query_as::<$db, MissionRow>(&sql), &m.draft)
                    .bind(&m.ap_id)
                    .bind(m.actor_id)
                    .bind(&m.content_html)
                    .bind(&m.url)
                    .bind(m.now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(conflict("mission"))?;
                let mission = Mission::try_from(row)?;
                push_event(&mut *tx, &Outgoing::MissionPublished { mission_id: mission.id }, m.now).await?;
                tx.commit().await?;
                Ok(mission)
            }

            async fn update_mission(&self, id: i64, d: MissionDraft, content_html: &str, now: DateTime<Utc>) -> Result<Mission> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let before: String = sqlx::query_scalar::<$db, String>(
                    "SELECT status FROM mission WHERE id = $1 AND local AND deleted_at IS NULL",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("mission"))?;
                let sql = format!(
                    "UPDATE mission SET {DRAFT_SET}, content_html = $24, updated = $25 \
                     WHERE id = $26 AND local AND deleted_at IS NULL RETURNING {MISSION_COLS}"
                );
                let row = bind_draft(sqlx::query_as::<$db, MissionRow>(&sql), &d)
                    .bind(content_html)
                    .bind(now)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound("mission"))?;
                let mission = Mission::try_from(row)?;
                // A draft that goes public is announced with a Create, not an Update.
                let event = if before == MissionStatus::Draft.as_str() {
                    Outgoing::MissionPublished { mission_id: id }
                } else {
                    Outgoing::MissionUpdated { mission_id: id }
                };
                push_event(&mut *tx, &event, now).await?;
                tx.commit().await?;
                Ok(mission)
            }

            async fn delete_mission(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let done = sqlx::query(
                    "UPDATE mission SET deleted_at = $2, updated = $2 WHERE id = $1 AND local AND deleted_at IS NULL",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if done == 0 {
                    return Err(StoreError::NotFound("mission"));
                }
                push_event(&mut *tx, &Outgoing::MissionDeleted { mission_id: id }, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn get_mission(&self, id: i64) -> Result<Mission> {
                let sql = format!("SELECT {MISSION_COLS} FROM mission WHERE id = $1");
                sqlx::query_as::<$db, MissionRow>(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound("mission"))
                    .and_then(Mission::try_from)
            }

            async fn find_mission_by_ap_id(&self, ap_id: &str) -> Result<Option<Mission>> {
                let sql = format!("SELECT {MISSION_COLS} FROM mission WHERE ap_id = $1");
                sqlx::query_as::<$db, MissionRow>(&sql)
                    .bind(ap_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(Mission::try_from)
                    .transpose()
            }

            async fn list_missions(&self, q: MissionQuery) -> Result<Vec<Mission>> {
                let sql = format!(
                    "SELECT {MISSION_COLS} FROM mission WHERE deleted_at IS NULL \
                     AND ($1 IS NULL OR actor_id = $1) AND ($2 IS NULL OR local = $2) \
                     AND ($3 IS NULL OR end_time >= $3) AND (status <> 'draft' OR $6) \
                     ORDER BY start_time, id LIMIT $4 OFFSET $5"
                );
                let limit = if q.limit <= 0 { 100 } else { q.limit.min(500) };
                sqlx::query_as::<$db, MissionRow>(&sql)
                    .bind(q.actor_id)
                    .bind(q.local)
                    .bind(q.upcoming_after)
                    .bind(limit)
                    .bind(q.offset.max(0))
                    .bind(q.include_drafts)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(Mission::try_from)
                    .collect()
            }

            async fn count_local_missions(&self) -> Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM mission WHERE local AND deleted_at IS NULL AND status <> 'draft'",
                )
                .fetch_one(&self.pool)
                .await?)
            }

            async fn upsert_remote_mission(&self, m: RemoteMission) -> Result<Mission> {
                let sql = format!(
                    "INSERT INTO mission ({DRAFT_COLS}, ap_id, actor_id, local, content_html, remote_summary, \
                     participant_count, url, published, updated) \
                     VALUES ({DRAFT_PARAMS}, $24, $25, FALSE, $26, $27, $28, $29, $30, $31) \
                     ON CONFLICT (ap_id) DO UPDATE SET {DRAFT_SET}, content_html = $26, remote_summary = $27, \
                     participant_count = $28, url = $29, updated = $31 \
                     WHERE NOT mission.local AND mission.actor_id = $25 AND mission.deleted_at IS NULL \
                     AND mission.updated <= $31 \
                     RETURNING {MISSION_COLS}"
                );
                let row = bind_draft(sqlx::query_as::<$db, MissionRow>(&sql), &m.draft)
                    .bind(&m.ap_id)
                    .bind(m.actor_id)
                    .bind(&m.content_html)
                    .bind(&m.remote_summary)
                    .bind(m.participant_count)
                    .bind(&m.url)
                    .bind(m.published)
                    .bind(m.updated)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    Some(row) => Mission::try_from(row),
                    // Not applied (older, deleted or not theirs): answer with what we keep.
                    None => self
                        .find_mission_by_ap_id(&m.ap_id)
                        .await?
                        .ok_or(StoreError::NotFound("mission")),
                }
            }

            async fn delete_remote_mission(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool> {
                Ok(sqlx::query(
                    "UPDATE mission SET deleted_at = $2 WHERE ap_id = $1 AND NOT local AND deleted_at IS NULL",
                )
                .bind(ap_id)
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected()
                    > 0)
            }

            async fn create_slots(&self, mission_id: i64, slots: Vec<(String, SlotDraft)>, now: DateTime<Utc>) -> Result<Vec<Slot>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let local: bool = sqlx::query_scalar::<$db, bool>(
                    "SELECT local FROM mission WHERE id = $1 AND deleted_at IS NULL",
                )
                .bind(mission_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("mission"))?;
                let sql = format!(
                    "INSERT INTO slot (ap_id, mission_id, local, start_time, end_time, capacity, participant_count, \
                     status, updated) VALUES ($1, $2, $3, $4, $5, $6, 0, 'open', $7) RETURNING {SLOT_COLS}"
                );
                let mut out = Vec::with_capacity(slots.len());
                for (ap_id, d) in slots {
                    let row = sqlx::query_as::<$db, SlotRow>(&sql)
                        .bind(&ap_id)
                        .bind(mission_id)
                        .bind(local)
                        .bind(d.start_time)
                        .bind(d.end_time)
                        .bind(d.capacity)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(conflict("slot"))?;
                    out.push(Slot::try_from(row)?);
                }
                if local {
                    let event = Outgoing::SlotsPublished { mission_id, slot_ids: out.iter().map(|s| s.id).collect() };
                    push_event(&mut *tx, &event, now).await?;
                }
                tx.commit().await?;
                Ok(out)
            }

            async fn list_slots(&self, mission_id: i64) -> Result<Vec<Slot>> {
                let sql = format!("SELECT {SLOT_COLS} FROM slot WHERE mission_id = $1 ORDER BY start_time, id");
                sqlx::query_as::<$db, SlotRow>(&sql)
                    .bind(mission_id)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(Slot::try_from)
                    .collect()
            }

            async fn get_slot(&self, id: i64) -> Result<Slot> {
                let sql = format!("SELECT {SLOT_COLS} FROM slot WHERE id = $1");
                sqlx::query_as::<$db, SlotRow>(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound("slot"))
                    .and_then(Slot::try_from)
            }

            async fn find_slot_by_ap_id(&self, ap_id: &str) -> Result<Option<Slot>> {
                let sql = format!("SELECT {SLOT_COLS} FROM slot WHERE ap_id = $1");
                sqlx::query_as::<$db, SlotRow>(&sql)
                    .bind(ap_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(Slot::try_from)
                    .transpose()
            }

            async fn update_slot(&self, id: i64, d: SlotDraft, now: DateTime<Utc>) -> Result<std::result::Result<Slot, Refusal>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let before = locked_slot(&mut *tx, id).await?;
                if !before.local {
                    return Err(StoreError::NotFound("slot"));
                }
                if d.capacity < before.participant_count {
                    tx.rollback().await?;
                    return Ok(Err(Refusal::Full));
                }
                let sql = format!(
                    "UPDATE slot SET start_time = $2, end_time = $3, capacity = $4, updated = $5 WHERE id = $1 \
                     RETURNING {SLOT_COLS}"
                );
                let row = sqlx::query_as::<$db, SlotRow>(&sql)
                    .bind(id)
                    .bind(d.start_time)
                    .bind(d.end_time)
                    .bind(d.capacity)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let slot = Slot::try_from(row)?;
                let moved = before.start_time != slot.start_time || before.end_time != slot.end_time;
                let event = if moved { Outgoing::SlotRescheduled { slot_id: id } } else { Outgoing::SlotChanged { slot_id: id } };
                push_event(&mut *tx, &event, now).await?;
                tx.commit().await?;
                Ok(Ok(slot))
            }

            async fn cancel_slot(&self, id: i64, now: DateTime<Utc>) -> Result<Vec<Participation>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let slot = locked_slot(&mut *tx, id).await?;
                if slot.status == SlotStatus::Cancelled {
                    tx.commit().await?;
                    return Ok(Vec::new());
                }
                add_to_mission_count(&mut *tx, id, -slot.participant_count).await?;
                sqlx::query("UPDATE slot SET status = 'cancelled', participant_count = 0, updated = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let sql = format!(
                    "UPDATE participation SET status = 'withdrawn', reason = 'slot_cancelled', decided_at = $2 \
                     WHERE slot_id = $1 AND status IN ('pending', 'accepted') RETURNING {PARTICIPATION_COLS}"
                );
                let rows = sqlx::query_as::<$db, ParticipationRow>(&sql).bind(id).bind(now).fetch_all(&mut *tx).await?;
                let mut withdrawn = Vec::with_capacity(rows.len());
                for r in rows {
                    let p = Participation::try_from(r)?;
                    push_event(&mut *tx, &Outgoing::ParticipationChanged { participation_id: p.id }, now).await?;
                    withdrawn.push(p);
                }
                if slot.local {
                    push_event(&mut *tx, &Outgoing::SlotChanged { slot_id: id }, now).await?;
                }
                tx.commit().await?;
                Ok(withdrawn)
            }

            async fn sign_up(&self, r: SignUp, now: DateTime<Utc>) -> Result<SignUpOutcome> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                if let Some(existing) = participation_by(&mut *tx, "join_ap_id", &r.join_ap_id).await? {
                    tx.commit().await?;
                    return Ok(SignUpOutcome::Existing(existing));
                }
                let slot = locked_slot(&mut *tx, r.slot_id).await?;
                let mut refusal = slot.closed_reason(now);
                if refusal.is_none() && !mission_takes_sign_ups(&mut *tx, slot.mission_id).await? {
                    refusal = Some(Refusal::Closed);
                }
                if refusal.is_none() {
                    let (same, overlapping) = participant_conflicts(&mut *tx, &slot, &r.participant).await?;
                    if same > 0 {
                        refusal = Some(Refusal::AlreadySignedUp);
                    } else if overlapping > 0 {
                        refusal = Some(Refusal::Overlaps);
                    } else if r.auto_accept && !take_place(&mut *tx, slot.id, now).await? {
                        refusal = Some(Refusal::Full);
                    }
                }
                if let Some(why) = refusal {
                    if !r.record_refusal {
                        tx.rollback().await?;
                        return Ok(SignUpOutcome::Refused(why, None));
                    }
                    let p = insert_participation(&mut *tx, &r, ParticipationStatus::Rejected, refusal_code(why), now).await?;
                    push_event(&mut *tx, &Outgoing::ParticipationChanged { participation_id: p.id }, now).await?;
                    tx.commit().await?;
                    return Ok(SignUpOutcome::Refused(why, Some(p)));
                }
                let status = if r.auto_accept { ParticipationStatus::Accepted } else { ParticipationStatus::Pending };
                let p = insert_participation(&mut *tx, &r, status, "", now).await?;
                push_event(&mut *tx, &Outgoing::ParticipationChanged { participation_id: p.id }, now).await?;
                if r.auto_accept && slot.local {
                    push_event(&mut *tx, &Outgoing::SlotChanged { slot_id: slot.id }, now).await?;
                }
                tx.commit().await?;
                Ok(SignUpOutcome::Recorded(p))
            }

            async fn decide_participation(
                &self,
                id: i64,
                accept: bool,
                reason: &str,
                now: DateTime<Utc>,
            ) -> Result<std::result::Result<Participation, Refusal>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let current = participation_by_id(&mut *tx, id).await?;
                if current.status != ParticipationStatus::Pending {
                    tx.rollback().await?;
                    return Err(StoreError::Conflict("decision (this sign-up is not pending)"));
                }
                let slot = locked_slot(&mut *tx, current.slot_id).await?;
                if accept {
                    if let Some(why) = slot.closed_reason(now) {
                        tx.rollback().await?;
                        return Ok(Err(why));
                    }
                    if !take_place(&mut *tx, slot.id, now).await? {
                        tx.rollback().await?;
                        return Ok(Err(Refusal::Full));
                    }
                }
                let status = if accept { ParticipationStatus::Accepted } else { ParticipationStatus::Rejected };
                let p = set_participation_status(&mut *tx, id, status, reason, now).await?;
                push_event(&mut *tx, &Outgoing::ParticipationChanged { participation_id: id }, now).await?;
                if accept && slot.local {
                    push_event(&mut *tx, &Outgoing::SlotChanged { slot_id: slot.id }, now).await?;
                }
                tx.commit().await?;
                Ok(Ok(p))
            }

            async fn withdraw_participation(&self, id: i64, now: DateTime<Utc>) -> Result<Option<Participation>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let current = participation_by_id(&mut *tx, id).await?;
                if !current.status.is_active() {
                    tx.rollback().await?;
                    return Ok(None);
                }
                let slot = locked_slot(&mut *tx, current.slot_id).await?;
                if current.status == ParticipationStatus::Accepted {
                    free_place(&mut *tx, slot.id, now).await?;
                }
                let p = set_participation_status(&mut *tx, id, ParticipationStatus::Withdrawn, "left", now).await?;
                push_event(&mut *tx, &Outgoing::ParticipationChanged { participation_id: id }, now).await?;
                if current.status == ParticipationStatus::Accepted && slot.local {
                    push_event(&mut *tx, &Outgoing::SlotChanged { slot_id: slot.id }, now).await?;
                }
                tx.commit().await?;
                Ok(Some(p))
            }

            async fn get_participation(&self, id: i64) -> Result<Participation> {
                let mut conn = self.pool.acquire().await?;
                participation_by_id(&mut *conn, id).await
            }

            async fn find_participation_by_join(&self, join_ap_id: &str) -> Result<Option<Participation>> {
                let mut conn = self.pool.acquire().await?;
                participation_by(&mut *conn, "join_ap_id", join_ap_id).await
            }

            async fn list_participations(&self, slot_id: i64) -> Result<Vec<Participation>> {
                let sql = format!("SELECT {PARTICIPATION_COLS} FROM participation WHERE slot_id = $1 ORDER BY created_at, id");
                sqlx::query_as::<$db, ParticipationRow>(&sql)
                    .bind(slot_id)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(Participation::try_from)
                    .collect()
            }

            async fn active_participation(&self, slot_id: i64, participant: &Participant) -> Result<Option<Participation>> {
                let (user_id, actor, _, _) = participant_columns(participant);
                let sql = format!(
                    "SELECT {PARTICIPATION_COLS} FROM participation WHERE slot_id = $1 \
                     AND status IN ('pending', 'accepted') AND (user_id = $2 OR actor_ap_id = $3) ORDER BY id LIMIT 1"
                );
                sqlx::query_as::<$db, ParticipationRow>(&sql)
                    .bind(slot_id)
                    .bind(user_id)
                    .bind(actor)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(Participation::try_from)
                    .transpose()
            }

            async fn upsert_remote_slot(&self, mission_id: i64, ap_id: &str, r: RemoteSlot) -> Result<Slot> {
                // The copy only mirrors the owner's numbers; the owner alone decides sign-ups.
                let capacity = r.capacity.max(1);
                let count = r.participant_count.clamp(0, capacity);
                let status = if r.cancelled { SlotStatus::Cancelled } else { SlotStatus::Open };
                let sql = format!(
                    "INSERT INTO slot (ap_id, mission_id, local, start_time, end_time, capacity, participant_count, \
                     status, updated) VALUES ($1, $2, FALSE, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (ap_id) DO UPDATE SET start_time = $3, end_time = $4, capacity = $5, \
                     participant_count = $6, status = $7, updated = $8 \
                     WHERE NOT slot.local AND slot.mission_id = $2 AND slot.updated <= $8 \
                     RETURNING {SLOT_COLS}"
                );
                let row = sqlx::query_as::<$db, SlotRow>(&sql)
                    .bind(ap_id)
                    .bind(mission_id)
                    .bind(r.start_time)
                    .bind(r.end_time)
                    .bind(capacity)
                    .bind(count)
                    .bind(status.as_str())
                    .bind(r.updated)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    Some(row) => Slot::try_from(row),
                    None => self.find_slot_by_ap_id(ap_id).await?.ok_or(StoreError::NotFound("slot")),
                }
            }

            async fn record_join_answer(&self, join_ap_id: &str, accepted: bool, reason: &str, now: DateTime<Utc>) -> Result<Option<Participation>> {
                let status = if accepted { ParticipationStatus::Accepted } else { ParticipationStatus::Rejected };
                let sql = format!(
                    "UPDATE participation SET status = $2, reason = $3, decided_at = $4 \
                     WHERE join_ap_id = $1 AND status IN ('pending', 'accepted') \
                     AND slot_id IN (SELECT id FROM slot WHERE NOT local) RETURNING {PARTICIPATION_COLS}"
                );
                // Recorded with the answer: our user is told (notifications).
                let mut tx = self.pool.begin_with($begin_write).await?;
                let p = sqlx::query_as::<$db, ParticipationRow>(&sql)
                    .bind(join_ap_id)
                    .bind(status.as_str())
                    .bind(reason)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(Participation::try_from)
                    .transpose()?;
                if let Some(p) = &p {
                    push_event(&mut *tx, &Outgoing::ParticipationChanged { participation_id: p.id }, now).await?;
                }
                tx.commit().await?;
                Ok(p)
            }

            async fn user_participations(&self, user_id: i64) -> Result<Vec<(Participation, Slot)>> {
                let sql = "SELECT p.id, p.slot_id, p.user_id, p.actor_ap_id, p.guest_name, p.guest_contact, \
                     p.join_ap_id, p.status, p.message, p.reason, p.created_at, p.decided_at, \
                     s.id AS s_id, s.ap_id AS s_ap_id, s.mission_id AS s_mission_id, s.local AS s_local, \
                     s.start_time AS s_start_time, s.end_time AS s_end_time, s.capacity AS s_capacity, \
                     s.participant_count AS s_participant_count, s.status AS s_status, s.updated AS s_updated \
                     FROM participation p JOIN slot s ON s.id = p.slot_id WHERE p.user_id = $1 \
                     ORDER BY s.start_time, p.id";
                sqlx::query_as::<$db, ParticipationWithSlotRow>(sql)
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(<(Participation, Slot)>::try_from)
                    .collect()
            }

            async fn get_profile(&self, user_id: i64) -> Result<Option<Profile>> {
                let text: Option<String> = sqlx::query_scalar::<$db, String>("SELECT profile FROM volunteer_profile WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?;
                text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("profile of user {user_id}: {e}"))))
                    .transpose()
            }

            async fn set_profile(&self, user_id: i64, profile: &Profile, now: DateTime<Utc>) -> Result<()> {
                let text = serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO volunteer_profile (user_id, profile, suggestable, updated) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (user_id) DO UPDATE SET profile = $2, suggestable = $3, updated = $4",
                )
                .bind(user_id)
                .bind(text)
                .bind(profile.suggestable)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn suggestable_profiles(&self) -> Result<Vec<(User, Profile)>> {
                let rows: Vec<(i64, String)> = sqlx::query_as::<$db, (i64, String)>(
                    "SELECT user_id, profile FROM volunteer_profile WHERE suggestable ORDER BY user_id",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for (user_id, text) in rows {
                    let profile: Profile = serde_json::from_str(&text)
                        .map_err(|e| StoreError::Corrupt(format!("profile of user {user_id}: {e}")))?;
                    out.push((self.get_user(user_id).await?, profile));
                }
                Ok(out)
            }

            async fn record_received_activity(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool> {
                // Committed with the marks of the requests arriving at the same time.
                self.marks.record(ap_id, now).await
            }

            async fn forget_received_activity(&self, ap_id: &str) -> Result<()> {
                sqlx::query("DELETE FROM received_activity WHERE ap_id = $1")
                    .bind(ap_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn queue_event(&self, event: Outgoing, now: DateTime<Utc>) -> Result<()> {
                let mut conn = self.pool.acquire().await?;
                push_event(&mut *conn, &event, now).await
            }

            async fn claim_outbox_events(&self, limit: i64, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Result<Vec<OutboxEvent>> {
                let rows = sqlx::query_as::<$db, EventRow>($claim_events)
                    .bind(now)
                    .bind(lease_until)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                let mut events = Vec::with_capacity(rows.len());
                for r in rows {
                    let event = serde_json::from_str(&r.payload)
                        .map_err(|e| StoreError::Corrupt(format!("outbox event {}: {e}", r.id)))?;
                    events.push(OutboxEvent { id: r.id, event });
                }
                events.sort_by_key(|e| e.id);
                Ok(events)
            }

            async fn complete_outbox_event_with(
                &self,
                id: i64,
                deliveries: Vec<NewDelivery>,
                notifications: Vec<$crate::storage::NewNotification>,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                for n in &notifications {
                    notif_insert(&mut *tx, n, now).await?;
                }
                sqlx::query("UPDATE outbox_event SET processed_at = $2, locked_until = NULL WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                insert_deliveries(&mut tx, &deliveries, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn claim_deliveries(&self, limit: i64, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Result<Vec<Delivery>> {
                let mut rows = sqlx::query_as::<$db, DeliveryRow>($claim_deliveries)
                    .bind(now)
                    .bind(lease_until)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                rows.sort_by_key(|r| r.id);
                // Documents stored once for many deliveries: read each once per claim.
                let mut shared: std::collections::HashMap<i64, String> = Default::default();
                for id in rows.iter().filter_map(|r| r.payload_id) {
                    if let std::collections::hash_map::Entry::Vacant(slot) = shared.entry(id) {
                        slot.insert(
                            sqlx::query_scalar("SELECT payload FROM outgoing_payload WHERE id = $1")
                                .bind(id)
                                .fetch_one(&self.pool)
                                .await?,
                        );
                    }
                }
                Ok(rows
                    .into_iter()
                    .map(|r| Delivery {
                        id: r.id,
                        activity_ap_id: r.activity_ap_id,
                        signer_actor_id: r.signer_actor_id,
                        inbox: r.inbox,
                        payload: match r.payload_id.and_then(|id| shared.get(&id)) {
                            Some(payload) => payload.clone(),
                            None => r.payload,
                        },
                        attempts: r.attempts,
                    })
                    .collect())
            }

            async fn mark_delivered_many(&self, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                for id in ids {
                    sqlx::query(
                        "UPDATE delivery SET delivered_at = $2, locked_until = NULL, attempts = attempts + 1 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn defer_deliveries(&self, ids: &[i64], due: DateTime<Utc>) -> Result<()> {
                for chunk in ids.chunks(500) {
                    let mut update = sqlx::QueryBuilder::<$db>::new(
                        "UPDATE delivery SET locked_until = NULL, next_attempt_at = ",
                    );
                    update.push_bind(due).push(" WHERE delivered_at IS NULL AND id IN (");
                    let mut list = update.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    update.push(")");
                    update.build().execute(&self.pool).await?;
                }
                Ok(())
            }

            async fn mark_delivery_failed(&self, id: i64, error: &str, next: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<()> {
                let error: String = error.chars().take(1000).collect();
                match next {
                    Some(next) => sqlx::query(
                        "UPDATE delivery SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, \
                         locked_until = NULL WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&error)
                    .bind(next)
                    .execute(&self.pool)
                    .await?,
                    None => sqlx::query(
                        "UPDATE delivery SET attempts = attempts + 1, last_error = $2, failed_at = $3, \
                         locked_until = NULL WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&error)
                    .bind(now)
                    .execute(&self.pool)
                    .await?,
                };
                Ok(())
            }

            async fn queue_stats(&self) -> Result<QueueStats> {
                let count = |sql: &'static str| sqlx::query_scalar::<$db, i64>(sql).fetch_one(&self.pool);
                Ok(QueueStats {
                    pending: count("SELECT COUNT(*) FROM delivery WHERE delivered_at IS NULL AND failed_at IS NULL").await?
                        + count("SELECT COUNT(*) FROM outbox_event WHERE processed_at IS NULL").await?,
                    delivered: count("SELECT COUNT(*) FROM delivery WHERE delivered_at IS NOT NULL").await?,
                    failed: count("SELECT COUNT(*) FROM delivery WHERE failed_at IS NOT NULL").await?,
                })
            }

            async fn purge_history(&self, before: DateTime<Utc>, limit: i64) -> Result<$crate::storage::PurgedHistory> {
                // Each statement is its own short transaction, in an order that keeps every
                // row's references valid: deliveries before the documents they point to.
                let purge = |sql: &'static str| {
                    sqlx::query::<$db>(sql).bind(before).bind(limit).execute(&self.pool)
                };
                let deliveries = purge(
                    "DELETE FROM delivery WHERE id IN (SELECT id FROM delivery \
                     WHERE delivered_at < $1 OR failed_at < $1 LIMIT $2)",
                )
                .await?
                .rows_affected();
                let payloads = purge(
                    "DELETE FROM outgoing_payload WHERE id IN (SELECT p.id FROM outgoing_payload p \
                     WHERE p.created_at < $1 AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.payload_id = p.id) \
                     LIMIT $2)",
                )
                .await?
                .rows_affected();
                let events = purge(
                    "DELETE FROM outbox_event WHERE id IN (SELECT id FROM outbox_event \
                     WHERE processed_at < $1 LIMIT $2)",
                )
                .await?
                .rows_affected();
                let received = purge(
                    "DELETE FROM received_activity WHERE ap_id IN (SELECT ap_id FROM received_activity \
                     WHERE received_at < $1 LIMIT $2)",
                )
                .await?
                .rows_affected();
                Ok($crate::storage::PurgedHistory { deliveries, payloads, events, received })
            }

            async fn next_delivery_due(&self) -> Result<Option<DateTime<Utc>>> {
                Ok(sqlx::query_scalar::<$db, DateTime<Utc>>(
                    "SELECT next_attempt_at FROM delivery WHERE delivered_at IS NULL AND failed_at IS NULL \
                     ORDER BY next_attempt_at LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn create_confirmation(&self, link: $crate::domain::fediverse::NewConfirmation, message: Outgoing, now: DateTime<Utc>) -> Result<$crate::domain::fediverse::Confirmation> {
                fedi_create_confirmation(&self.pool, &link, &message, now).await
            }

            async fn find_confirmation(&self, token_hash: &str) -> Result<Option<$crate::domain::fediverse::Confirmation>> {
                fedi_find_confirmation(&self.pool, token_hash).await
            }

            async fn take_confirmation(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<$crate::domain::fediverse::Confirmation>> {
                fedi_take_confirmation(&self.pool, token_hash, now).await
            }

            async fn release_confirmation(&self, id: i64) -> Result<()> {
                fedi_release_confirmation(&self.pool, id).await
            }

            async fn count_confirmations_since(&self, actor_ap_id: &str, since: DateTime<Utc>) -> Result<i64> {
                fedi_count_confirmations_since(&self.pool, actor_ap_id, since).await
            }

            async fn record_interest(&self, interest: $crate::domain::fediverse::NewInterest, link: Option<$crate::domain::fediverse::NewConfirmation>, answer: Option<Outgoing>, now: DateTime<Utc>) -> Result<bool> {
                fedi_record_interest(&self.pool, &interest, link.as_ref(), answer.as_ref(), now).await
            }

            async fn list_interests(&self, mission_id: i64) -> Result<Vec<$crate::domain::fediverse::Interest>> {
                fedi_list_interests(&self.pool, mission_id).await
            }

            async fn record_notifications(&self, notifications: Vec<$crate::storage::NewNotification>, now: DateTime<Utc>) -> Result<usize> {
                notif_record(&self.pool, &notifications, now).await
            }

            async fn claim_notifications(&self, limit: i64, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Result<Vec<$crate::storage::Notification>> {
                notif_claim(&self.pool, limit, now, lease_until).await
            }

            async fn mark_notification_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
                notif_mark_sent(&self.pool, id, now).await
            }

            async fn mark_notification_failed(&self, id: i64, error: &str, next: Option<DateTime<Utc>>, _now: DateTime<Utc>) -> Result<()> {
                notif_mark_failed(&self.pool, id, error, next).await
            }

            async fn list_notifications(&self, participation_id: Option<i64>, limit: i64) -> Result<Vec<$crate::storage::Notification>> {
                notif_list(&self.pool, participation_id, limit).await
            }

            async fn reminder_candidates(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(Participation, Slot)>> {
                notif_reminder_candidates(&self.pool, from, to).await
            }

            async fn set_calendar_token(&self, user_id: i64, token_hash: &str, replace: bool, now: DateTime<Utc>) -> Result<bool> {
                cal_set_token(&self.pool, user_id, token_hash, replace, now).await
            }

            async fn calendar_token_created(&self, user_id: i64) -> Result<Option<DateTime<Utc>>> {
                cal_token_created(&self.pool, user_id).await
            }

            async fn find_calendar_token_user(&self, token_hash: &str) -> Result<Option<User>> {
                cal_token_user(&self.pool, token_hash).await
            }

            async fn association_slots(&self, actor_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Slot>> {
                cal_association_slots(&self.pool, actor_id, from, to).await
            }

            async fn hours_settings(&self, actor_id: i64) -> Result<Option<$crate::domain::hours::HoursSettings>> {
                hrs_settings(&self.pool, actor_id).await
            }

            async fn set_hours_settings(&self, actor_id: i64, settings: &$crate::domain::hours::HoursSettings, now: DateTime<Utc>) -> Result<()> {
                hrs_set_settings(&self.pool, actor_id, settings, now).await
            }

            async fn create_hours_entry(&self, entry: $crate::storage::NewHoursEntry, by: Option<i64>, event: Option<fn(i64) -> Outgoing>, now: DateTime<Utc>) -> Result<$crate::domain::hours::HoursEntry> {
                hrs_create(&self.pool, &entry, by, event, now).await
            }

            async fn create_attestation(&self, actor_id: i64, user_id: i64, from: chrono::NaiveDate, to: chrono::NaiveDate, now: DateTime<Utc>) -> Result<$crate::storage::Attestation> {
                att_create(&self.pool, actor_id, user_id, from, to, now).await
            }

            async fn get_attestation(&self, id: i64) -> Result<$crate::storage::Attestation> {
                att_get(&self.pool, id).await
            }

            async fn list_attestations(&self, actor_id: Option<i64>, user_id: Option<i64>) -> Result<Vec<$crate::storage::Attestation>> {
                att_list(&self.pool, actor_id, user_id).await
            }

            async fn confirm_attestation(&self, id: i64, by: i64, by_name: &str, now: DateTime<Utc>) -> Result<bool> {
                att_confirm(&self.pool, id, by, by_name, now).await
            }

            async fn slot_attendance(&self, slot_id: i64) -> Result<Vec<(i64, bool, Option<i64>)>> {
                hrs_slot_attendance(&self.pool, slot_id).await
            }

            async fn took_part_remotely(&self, association_id: i64, actor_ap_id: &str) -> Result<bool> {
                hrs_took_part(&self.pool, association_id, actor_ap_id).await
            }

            async fn find_hours_entry_by_ap_id(&self, ap_id: &str) -> Result<Option<$crate::domain::hours::HoursEntry>> {
                hrs_by_ap_id(&self.pool, ap_id).await
            }

            async fn get_hours_entry(&self, id: i64) -> Result<$crate::domain::hours::HoursEntry> {
                hrs_get_one(&self.pool, id).await
            }

            #[allow(clippy::too_many_arguments)]
            async fn update_hours_entry(&self, id: i64, draft: $crate::domain::hours::HoursDraft, status: $crate::domain::hours::HoursStatus, reason: &str, by: Option<i64>, event: Option<&Outgoing>, now: DateTime<Utc>) -> Result<$crate::domain::hours::HoursEntry> {
                hrs_update(&self.pool, id, &draft, status, reason, by, event, now).await
            }

            async fn delete_hours_entry(&self, id: i64, by: Option<i64>, event: Option<&Outgoing>, now: DateTime<Utc>) -> Result<()> {
                hrs_delete(&self.pool, id, by, event, now).await
            }

            async fn list_hours_entries(&self, query: $crate::storage::HoursQuery) -> Result<Vec<$crate::domain::hours::HoursEntry>> {
                hrs_list(&self.pool, &query).await
            }

            async fn hours_history(&self, entry_id: i64) -> Result<Vec<$crate::storage::HoursHistory>> {
                hrs_history(&self.pool, entry_id).await
            }

            async fn mark_attendance(&self, participation_id: i64, slot_id: i64, present: bool, entry: Option<$crate::storage::NewHoursEntry>, by: Option<i64>, now: DateTime<Utc>) -> Result<$crate::storage::AttendanceOutcome> {
                hrs_mark_attendance(&self.pool, participation_id, slot_id, present, entry.as_ref(), by, now).await
            }
        }
    };
}

pub(super) use store_impl;
