//! "Aidez-moi à trouver": anyone asks to be accompanied in finding a mission; the node's
//! référents (a role given by an administrator) see the requests, take one, note their calls
//! and propose missions ranked by the matching, over our missions and those of the nodes we
//! follow. The person hears of a proposal by email (the mail queue) with a one-click link per
//! mission, or by a call from the référent when they gave only a phone.

use super::accounts::{hash_secret, new_secret};
use super::places::{with_place_errors, Geocoder};
use super::volunteers::{rank_for, Ranked};
use super::{Result, ServiceError};
use crate::{
    config::Config,
    domain::{
        account::User,
        help::{
            check_note, check_proposal, purge_before, Channel, HelpDraft, HelpNote, HelpProposal,
            HelpRequest, HelpState, PROPOSAL_DAYS,
        },
        mission::{Mission, MissionStatus},
        Denial,
    },
    notify::help::{proposal_mail, ProposedLine},
    storage::{AccountStore, HelpStore, MissionStore, NewProposal, Store},
};
use chrono::{DateTime, Duration, Utc};

fn enabled(config: &Config) -> Result<()> {
    if config.help.enabled {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(Denial::new("help_off")))
    }
}

/// A person asks for help (`user`: the account they are logged in with, if any). The commune
/// is located through the gazetteer; every field error shows at once.
pub async fn ask(
    store: &dyn HelpStore,
    config: &Config,
    places: &Geocoder,
    user: Option<&User>,
    mut draft: HelpDraft,
    now: DateTime<Utc>,
) -> Result<HelpRequest> {
    enabled(config)?;
    draft.wish.home_latitude = None;
    draft.wish.home_longitude = None;
    let place = match places.field("home_town", &draft.wish.home_town, now).await {
        Ok(Some(found)) => {
            draft.wish.home_latitude = Some(found.point.latitude);
            draft.wish.home_longitude = Some(found.point.longitude);
            draft.wish.home_town = found.label;
            crate::domain::FieldErrors::new()
        }
        Ok(None) => crate::domain::FieldErrors::new(),
        Err(e) => e,
    };
    let checked = with_place_errors(draft.check(), place)?;
    Ok(store
        .create_help_request(&checked, user.map(|u| u.id), now)
        .await?)
}

/// Référents only.
pub async fn referent<S: HelpStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
) -> Result<()> {
    enabled(config)?;
    if store.is_referent(user.id).await? {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(Denial::new("referents_only")))
    }
}

/// Whether this user is a référent (for the menu).
pub async fn is_referent<S: HelpStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
) -> Result<bool> {
    Ok(config.help.enabled && store.is_referent(user.id).await?)
}

/// A request in the list, with the name of the référent who took it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub request: HelpRequest,
    pub referent: Option<String>,
}

/// The requests in `state` (all when `None`), newest first.
pub async fn list<S: HelpStore + AccountStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    state: Option<HelpState>,
) -> Result<Vec<Listed>> {
    referent(store, config, user).await?;
    let requests = store.list_help_requests(state).await?;
    let ids: Vec<i64> = requests.iter().filter_map(|r| r.referent_id).collect();
    let users = store.get_users(&ids).await?;
    Ok(requests
        .into_iter()
        .map(|request| Listed {
            referent: request
                .referent_id
                .and_then(|id| users.iter().find(|u| u.id == id))
                .map(|u| u.shown_name().to_string()),
            request,
        })
        .collect())
}

/// A proposal with its mission.
#[derive(Debug, Clone)]
pub struct Proposed {
    pub proposal: HelpProposal,
    pub mission: Option<Mission>,
}

/// One request with what the référents wrote and proposed, and the missions the matching
/// ranks for it (with the reasons).
#[derive(Debug, Clone)]
pub struct RequestFile {
    pub request: HelpRequest,
    pub referent: Option<String>,
    /// Notes with their authors' names.
    pub notes: Vec<(HelpNote, String)>,
    pub proposals: Vec<Proposed>,
    pub ranked: Vec<Ranked>,
}

async fn request_in<S: HelpStore + ?Sized>(store: &S, id: i64) -> Result<HelpRequest> {
    store
        .get_help_request(id)
        .await?
        .ok_or(ServiceError::NotFound("help request"))
}

/// One request, for a référent.
pub async fn file(
    store: &dyn Store,
    config: &Config,
    user: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<RequestFile> {
    referent(store, config, user).await?;
    let request = request_in(store, id).await?;
    let notes = store.list_help_notes(id).await?;
    let proposals = store.list_help_proposals(id).await?;
    let mut ids: Vec<i64> = notes.iter().filter_map(|n| n.author_id).collect();
    ids.extend(request.referent_id);
    let users = store.get_users(&ids).await?;
    let name = |id: Option<i64>| {
        id.and_then(|id| users.iter().find(|u| u.id == id))
            .map(|u| u.shown_name().to_string())
    };
    let mission_ids: Vec<i64> = proposals.iter().map(|p| p.mission_id).collect();
    let missions = store.get_missions(&mission_ids).await?;
    let ranked = rank_for(store, config, &request.wish, now).await?;
    Ok(RequestFile {
        referent: name(request.referent_id),
        notes: notes
            .into_iter()
            .map(|n| {
                let who = name(n.author_id).unwrap_or_default();
                (n, who)
            })
            .collect(),
        proposals: proposals
            .into_iter()
            .map(|p| Proposed {
                mission: missions.iter().find(|m| m.id == p.mission_id).cloned(),
                proposal: p,
            })
            .collect(),
        ranked,
        request,
    })
}

/// Moves a request to `to` (taking it when it goes in progress): refused when the move is
/// not allowed from where it stands, or when someone else moved it first.
pub async fn set_state(
    store: &dyn HelpStore,
    config: &Config,
    user: &User,
    id: i64,
    to: HelpState,
    now: DateTime<Utc>,
) -> Result<HelpRequest> {
    referent(store, config, user).await?;
    let request = request_in(store, id).await?;
    let conflict =
        || ServiceError::Conflict(Denial::new("help_state").text("state", request.state.code()));
    if !request.state.may_become(to) {
        return Err(conflict());
    }
    let taker = (to == HelpState::InProgress).then_some(user.id);
    if !store
        .move_help_request(id, request.state, to, taker, now)
        .await?
    {
        return Err(conflict());
    }
    request_in(store, id).await
}

/// A référent's note on a request (a call, what was said).
pub async fn note(
    store: &dyn HelpStore,
    config: &Config,
    user: &User,
    id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<HelpNote> {
    referent(store, config, user).await?;
    let body = check_note(body)?;
    request_in(store, id).await?;
    Ok(store.add_help_note(id, user.id, &body, now).await?)
}

/// Deletes a request with its notes and proposals, when the person asks for it (their right
/// to erasure; a request made without an account has no other way out before its retention).
pub async fn delete(store: &dyn HelpStore, config: &Config, user: &User, id: i64) -> Result<()> {
    referent(store, config, user).await?;
    if store.delete_help_request(id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound("help request"))
    }
}

/// A proposal just made: its mission and its one-click link (shown once, to read out on the
/// phone or to copy).
#[derive(Debug, Clone)]
pub struct Link {
    pub proposal: HelpProposal,
    pub mission: Mission,
    pub link: String,
}

/// What a proposal did: its links, and whether an email carries them.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub links: Vec<Link>,
    pub emailed: bool,
    pub channel: Channel,
    pub phone: String,
}

/// Proposes missions to the person: upcoming published missions (ours or of the nodes we
/// follow), each with the slot the matching finds best for them, and a link that works
/// [`PROPOSAL_DAYS`] days. By email when they chose email (the mail queue, recorded with the
/// proposals in one transaction); otherwise the référent calls them with the links. A new
/// request is taken by the référent who proposes.
pub async fn propose(
    store: &dyn Store,
    config: &Config,
    user: &User,
    id: i64,
    missions: Vec<i64>,
    now: DateTime<Utc>,
) -> Result<Proposal> {
    referent(store, config, user).await?;
    let missions = check_proposal(missions)?;
    let request = request_in(store, id).await?;
    let ranked = rank_for(store, config, &request.wish, now).await?;
    let mut chosen = Vec::new();
    for mission_id in missions {
        let mission = match store.get_mission(mission_id).await {
            Ok(m) => m,
            Err(crate::storage::StoreError::NotFound(_)) => {
                return Err(unknown_mission(mission_id))
            }
            Err(e) => return Err(e.into()),
        };
        if mission.status != MissionStatus::Published || mission.deleted_at.is_some() {
            return Err(unknown_mission(mission_id));
        }
        let slot_id = (ranked.iter())
            .find(|r| r.mission.id == mission_id)
            .and_then(|r| r.slot.as_ref().map(|s| s.id));
        chosen.push((mission, slot_id));
    }
    if request.state == HelpState::New {
        store
            .move_help_request(
                id,
                HelpState::New,
                HelpState::InProgress,
                Some(user.id),
                now,
            )
            .await?;
    }
    let expires_at = now + Duration::days(PROPOSAL_DAYS);
    let mut new = Vec::new();
    let mut lines = Vec::new();
    let lang = crate::notify::help::lang_of(config, &request);
    for (mission, slot_id) in &chosen {
        let (token, hash) = new_secret();
        let link = format!("{}/help/go/{token}", config.base());
        lines.push(ProposedLine {
            title: mission.title.clone(),
            when: crate::i18n::mission_summary(lang, mission, config.timezone()),
            link: link.clone(),
        });
        new.push(NewProposal {
            mission_id: mission.id,
            slot_id: *slot_id,
            token_hash: hash,
            expires_at,
        });
    }
    let emailed = request.channel == Channel::Email && !request.email.is_empty();
    let mail = emailed.then(|| {
        let key = new
            .first()
            .map(|p| p.token_hash.clone())
            .unwrap_or_default();
        proposal_mail(config, &request, &lines, &key)
    });
    let proposals = store
        .record_help_proposals(id, user.id, new, mail, now)
        .await?;
    let links = proposals
        .into_iter()
        .zip(chosen)
        .zip(lines)
        .map(|((proposal, (mission, _)), line)| Link {
            proposal,
            mission,
            link: line.link,
        })
        .collect();
    Ok(Proposal {
        links,
        emailed,
        channel: request.channel,
        phone: request.phone,
    })
}

fn unknown_mission(id: i64) -> ServiceError {
    let mut e = crate::domain::FieldErrors::new();
    e.add(
        "missions",
        crate::domain::FieldError::new("help_no_mission").num("value", id),
    );
    ServiceError::Domain(crate::domain::DomainError::Invalid(e))
}

/// Where a proposal's link leads: its mission and the slot to sign up for. `LinkInvalid` when
/// the link is unknown, expired, or its mission is gone.
pub async fn open<S: HelpStore + MissionStore + ?Sized>(
    store: &S,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(HelpProposal, Mission)> {
    let proposal = store
        .open_help_proposal(&hash_secret(token), now)
        .await?
        .ok_or(ServiceError::LinkInvalid)?;
    match store.get_mission(proposal.mission_id).await {
        Ok(m) if m.deleted_at.is_none() => Ok((proposal, m)),
        Ok(_) | Err(crate::storage::StoreError::NotFound(_)) => Err(ServiceError::LinkInvalid),
        Err(e) => Err(e.into()),
    }
}

/// Deletes the requests older than the node's retention (`[help] retention_months`, counted
/// from their last change); run by the hourly pass.
pub async fn purge(store: &dyn HelpStore, config: &Config, now: DateTime<Utc>) -> Result<u64> {
    let before = purge_before(now, config.help.retention_months);
    Ok(store.purge_help_requests(before).await?)
}

/// `None`: the operator, on the command line.
fn admins_only(user: Option<&User>) -> Result<()> {
    if user.is_none_or(|u| u.is_admin) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(Denial::new("admins_only")))
    }
}

async fn user_named<S: AccountStore + ?Sized>(store: &S, name: &str) -> Result<User> {
    store
        .find_user_by_name(name.trim())
        .await?
        .ok_or(ServiceError::NotFound("user"))
}

/// An administrator makes a user a référent; false when they were one already.
pub async fn add_referent<S: HelpStore + AccountStore + ?Sized>(
    store: &S,
    admin: Option<&User>,
    name: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    admins_only(admin)?;
    let user = user_named(store, name).await?;
    Ok(store.add_referent(user.id, now).await?)
}

/// An administrator takes the role back; false when they did not have it.
pub async fn remove_referent<S: HelpStore + AccountStore + ?Sized>(
    store: &S,
    admin: Option<&User>,
    name: &str,
) -> Result<bool> {
    admins_only(admin)?;
    let user = user_named(store, name).await?;
    Ok(store.remove_referent(user.id).await?)
}

/// The référents with when they became one (administrators only).
pub async fn referents<S: HelpStore + AccountStore + ?Sized>(
    store: &S,
    admin: Option<&User>,
) -> Result<Vec<(User, DateTime<Utc>)>> {
    admins_only(admin)?;
    let rows = store.list_referents().await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let users = store.get_users(&ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, at)| users.iter().find(|u| u.id == id).map(|u| (u.clone(), at)))
        .collect())
}
