//! A person's data (issue 14, GDPR articles 15, 17 and 20): everything the node holds about
//! them in one archive, and the deletion of their account (refused for the last coordinator
//! of an association); another server's account deleting itself is honoured the same way.

use super::{accounts, attestations, hours, Result, ServiceError};
use crate::{
    config::Config,
    documents::{archive, Document},
    domain::{
        account::{ApiToken, Role, User},
        actor::Actor,
        hours::HoursEntry,
        slot::{Participation, Slot},
        volunteer::Profile,
    },
    storage::{
        Attestation, ErasedAccount, ErasedRemote, Erasure, Notification, PrivacyStore, Store,
    },
};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// The version of `data.json`'s layout, so that a reader knows what it reads.
pub const EXPORT_FORMAT: &str = "entraide-personal-data/1";

/// How long a deleted account's key is kept after the deletion, at least, for the `Leave`s and
/// the `Delete` it signs (then as long as one of them waits in the delivery queue).
pub const KEY_GRACE_HOURS: i64 = 1;

/// `data.json`: everything the node holds about a person, as it holds it (never a secret: no
/// password hash, no token or session hash).
#[derive(Debug, Serialize)]
pub struct PersonalData {
    pub format: &'static str,
    pub exported_at: DateTime<Utc>,
    /// The node's address.
    pub node: String,
    pub account: AccountData,
    pub profile: Option<Profile>,
    pub memberships: Vec<MembershipData>,
    pub sign_ups: Vec<SignUpData>,
    pub hours: Vec<HoursData>,
    pub attestations: Vec<AttestationData>,
    /// Equipment their own account asked for (reservations are usually an association's).
    pub reservations: Vec<crate::domain::resource::Reservation>,
    /// The emails recorded for them (sent or waiting), with their text.
    pub notifications: Vec<Notification>,
    /// Their API tokens: label and date only.
    pub api_tokens: Vec<ApiToken>,
    /// When their private calendar address was made, if they have one.
    pub calendar_token_created: Option<DateTime<Utc>>,
    /// Who follows their account on the fediverse (actor ids).
    pub followers: Vec<String>,
    /// Their requests for help ("Aidez-moi à trouver") asked while logged in.
    pub help_requests: Vec<crate::domain::help::HelpRequest>,
    /// The other files of the archive.
    pub documents: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct AccountData {
    pub name: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub is_admin: bool,
    /// The language of the pages when the export was made (the node keeps no language per
    /// account: it comes from the browser or the `lang` cookie).
    pub language: &'static str,
    /// Their address on the fediverse.
    pub actor: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MembershipData {
    pub association: String,
    pub association_id: String,
    pub role: Role,
}

#[derive(Debug, Serialize)]
pub struct SignUpData {
    pub participation: Participation,
    pub slot: Slot,
    pub mission: MissionData,
}

#[derive(Debug, Serialize)]
pub struct MissionData {
    pub id: i64,
    pub ap_id: String,
    pub title: String,
    pub association: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct HoursData {
    #[serde(flatten)]
    pub entry: HoursEntry,
    pub association: String,
}

#[derive(Debug, Serialize)]
pub struct AttestationData {
    #[serde(flatten)]
    pub attestation: Attestation,
    pub association: String,
    /// Its PDF in the archive.
    pub document: String,
}

fn association_label(a: &Actor) -> String {
    if a.local {
        a.name.clone()
    } else {
        format!("{}@{}", a.name, a.host)
    }
}

/// Everything about `user`, read in a bounded number of statements (the person's own rows:
/// their hours as listed elsewhere, at most `hours::LIST_LIMIT`).
pub async fn personal_data(
    store: &dyn Store,
    config: &Config,
    user: &User,
    language: &'static str,
    now: DateTime<Utc>,
) -> Result<PersonalData> {
    let person = store
        .find_local_actor(crate::domain::actor::ActorKind::Person.as_str(), &user.name)
        .await?;
    let memberships = accounts::memberships(store, user.id)
        .await?
        .into_iter()
        .map(|(a, role)| MembershipData {
            association: association_label(&a),
            association_id: a.ap_id,
            role,
        })
        .collect();
    let held = store.user_participations(user.id).await?;
    let mut mission_ids: Vec<i64> = held.iter().map(|(_, s)| s.mission_id).collect();
    mission_ids.sort_unstable();
    mission_ids.dedup();
    let missions = store.get_missions(&mission_ids).await?;
    let owners = super::actors::by_ids(
        store,
        missions.iter().map(|m| m.actor_id).collect::<Vec<_>>(),
    )
    .await?;
    let sign_ups = held
        .into_iter()
        .filter_map(|(participation, slot)| {
            let m = missions.iter().find(|m| m.id == slot.mission_id)?;
            Some(SignUpData {
                participation,
                mission: MissionData {
                    id: m.id,
                    ap_id: m.ap_id.clone(),
                    title: m.title.clone(),
                    association: owners.get(&m.actor_id).map(association_label),
                },
                slot,
            })
        })
        .collect();
    let hours = hours::list_mine(store, user, &hours::Period::default())
        .await?
        .into_iter()
        .map(|(entry, a)| HoursData {
            entry,
            association: association_label(&a),
        })
        .collect();
    let attestations = attestations::mine(store, user)
        .await?
        .into_iter()
        .map(|(attestation, a)| AttestationData {
            document: attestation_file(&attestation),
            attestation,
            association: association_label(&a),
        })
        .collect();
    let (reservations, followers) = match &person {
        Some(p) => (
            store.list_actor_reservations(p.id).await?,
            store
                .list_followers(p.id)
                .await?
                .into_iter()
                .map(|f| f.actor_ap_id)
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let reservations = reservations
        .into_iter()
        .filter(|r| r.borrower_actor_id == person.as_ref().map(|p| p.id))
        .collect();
    Ok(PersonalData {
        format: EXPORT_FORMAT,
        exported_at: now,
        node: config.base(),
        account: AccountData {
            name: user.name.clone(),
            email: user.email.clone(),
            created_at: user.created_at,
            is_admin: user.is_admin,
            language,
            actor: person.map(|p| p.ap_id),
        },
        profile: store.get_profile(user.id).await?,
        memberships,
        sign_ups,
        hours,
        attestations,
        reservations,
        notifications: store.user_notifications(user.id).await?,
        api_tokens: accounts::tokens(store, user).await?,
        calendar_token_created: store.calendar_token_created(user.id).await?,
        followers,
        help_requests: store.help_requests_of_user(user.id).await?,
        documents: Vec::new(),
    })
}

fn attestation_file(a: &Attestation) -> String {
    format!("documents/attestation-{}.pdf", a.id)
}

/// The archive: `data.json`, each attestation as a PDF, the hours as CSV (as the pages hand
/// them out). Built in memory: one person's documents, a few hundred kilobytes.
pub async fn export(
    store: &dyn Store,
    config: &Config,
    user: &User,
    language: &'static str,
    now: DateTime<Utc>,
) -> Result<Document> {
    let mut data = personal_data(store, config, user, language, now).await?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for a in &data.attestations {
        let pdf = attestations::pdf(store, config, user, a.attestation.id, now).await?;
        files.push((a.document.clone(), pdf.bytes));
    }
    let csv = hours::export_mine_csv(
        store,
        user,
        &hours::Period::default(),
        hours::CsvStyle::CODES,
    )
    .await?;
    files.push(("documents/hours.csv".into(), csv.into_bytes()));
    data.documents = files.iter().map(|(name, _)| name.clone()).collect();
    let json = serde_json::to_vec_pretty(&data)
        .map_err(|e| ServiceError::Internal(format!("writing data.json: {e}")))?;
    files.insert(0, ("data.json".into(), json));
    Ok(Document {
        filename: format!("entraide-{}-{}.zip", user.name, now.format("%Y-%m-%d")),
        content_type: archive::ZIP,
        bytes: archive::zip_files(&files)?,
    })
}

/// Why an account was not deleted.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The password given is not the account's.
    WrongPassword,
    /// The person is the last coordinator of these associations: they name another first.
    LastCoordinator(Vec<Actor>),
}

/// Deletes the account of `user`, who confirms with their password. Personal data erased,
/// validated hours kept for a former volunteer, sign-ups to come withdrawn, the fediverse told
/// (`Delete{Person}` through the delivery queue). Nothing changes when it is refused.
pub async fn delete_account(
    store: &dyn Store,
    user: &User,
    password: &str,
    now: DateTime<Utc>,
) -> Result<std::result::Result<ErasedAccount, Refusal>> {
    match accounts::authenticate(store, &user.name, password).await {
        Ok(checked) if checked.id == user.id => {}
        Ok(_) | Err(ServiceError::BadCredentials) => return Ok(Err(Refusal::WrongPassword)),
        Err(e) => return Err(e),
    }
    match store.erase_user(user.id, now).await? {
        Erasure::Erased(done) => Ok(Ok(done)),
        Erasure::LastCoordinator(ids) => {
            let actors = super::actors::by_ids(store, ids).await?;
            let mut list: Vec<Actor> = actors.into_values().collect();
            list.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(Err(Refusal::LastCoordinator(list)))
        }
    }
}

/// Another server's account deleted itself (its `Delete` whose object is itself): erased here
/// as a local account is. `None` when we knew nothing of it (or erased it before).
pub async fn remote_actor_deleted(
    store: &dyn PrivacyStore,
    ap_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<ErasedRemote>> {
    Ok(store.erase_remote_actor(ap_id, now).await?)
}

/// Drops the keys of accounts deleted more than [`KEY_GRACE_HOURS`] ago once nothing they
/// sign waits; returns how many.
pub async fn drop_spent_keys(store: &dyn PrivacyStore, now: DateTime<Utc>) -> Result<u64> {
    Ok(store
        .drop_spent_keys(now - Duration::hours(KEY_GRACE_HOURS))
        .await?)
}
