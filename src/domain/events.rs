//! What happened, recorded in the same transaction as the change, for the federation worker
//! to turn into activities. The domain never builds ActivityPub JSON.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outgoing {
    /// An administrator forwards a report about another server's item: a `Flag` from the
    /// node's instance actor to that server.
    ReportForwarded {
        report_id: i64,
    },
    /// A local mission was published: `Create` to followers, `Announce` by the relay.
    MissionPublished {
        mission_id: i64,
    },
    /// A local mission changed: `Update` with a fresh `updated`.
    MissionUpdated {
        mission_id: i64,
    },
    /// A local mission was removed: `Delete`, then the id answers 410.
    MissionDeleted {
        mission_id: i64,
    },
    /// Someone followed a local actor: answer `Accept{Follow}`.
    FollowAccepted {
        local_actor_id: i64,
        follow: serde_json::Value,
        inbox: String,
    },
    /// A local actor follows a remote one.
    FollowRequested {
        local_actor_id: i64,
        target_ap_id: String,
        follow_ap_id: String,
    },
    /// Slots were added to a local mission: the mission is updated, each slot published.
    SlotsPublished {
        mission_id: i64,
        slot_ids: Vec<i64>,
    },
    /// A slot's places or status changed: `Update` of the slot (and its mission).
    SlotChanged {
        slot_id: i64,
    },
    /// A slot's times changed: like `SlotChanged`, and the people signed up are told.
    SlotRescheduled {
        slot_id: i64,
    },
    /// A sign-up was recorded, accepted, refused or withdrawn: answer or tell the person.
    ParticipationChanged {
        participation_id: i64,
    },
    /// A `Join` that names no single slot (a mission with several or none open) is refused.
    JoinRefused {
        local_actor_id: i64,
        join: serde_json::Value,
        reason: String,
    },
    /// A local actor stops following a remote one.
    FollowUndone {
        local_actor_id: i64,
        target_ap_id: String,
        follow_ap_id: String,
    },
    /// A private message from a local actor to one remote person (a Mastodon direct message):
    /// `Create{Note}` addressed to them alone, with a `Mention` of them.
    DirectMessage {
        from_actor_id: i64,
        to_actor_ap_id: String,
        content_html: String,
        /// The note it answers, to keep the conversation together.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        in_reply_to: Option<String>,
    },
    /// Hours one of our users logged for an association of another server were recorded
    /// (`Create{EconomicEvent}`) or changed (`Update`).
    HoursOffered {
        entry_id: i64,
        update: bool,
    },
    /// Our user deleted hours they had sent to an association of another server: `Delete`.
    HoursWithdrawn {
        user_id: i64,
        association_actor_id: i64,
        ap_id: String,
    },
    /// A coordinator validated or refused hours sent by a volunteer of another server:
    /// `Accept` or `Reject` (with the reason) of their `EconomicEvent`.
    HoursAnswered {
        entry_id: i64,
    },
    /// Hours sent by a volunteer of another server could not be recorded (a bad duration, a
    /// date to come…): `Reject` of their `EconomicEvent` with the reason.
    HoursRefusedOnArrival {
        association_actor_id: i64,
        volunteer_ap_id: String,
        object_ap_id: String,
        reason: String,
    },
    /// A local resource was published (`Create{Page}`), changed (`Update`), or removed
    /// (`Delete`, then 410).
    ResourcePublished {
        resource_id: i64,
    },
    ResourceUpdated {
        resource_id: i64,
    },
    ResourceDeleted {
        resource_id: i64,
    },
    /// A reservation was recorded or moved on. `by_owner`: the owner's side made the move (an
    /// answer, a cancellation by the owner, the pickup, the return); else the borrower's (a
    /// request, a withdrawal, an agreement signed).
    ReservationChanged {
        reservation_id: i64,
        by_owner: bool,
        /// The state it moved to (empty for a signature): a notice planned after a later move
        /// is left to that move's event.
        #[serde(default)]
        state: String,
    },
    /// A local account was deleted by its owner: `Delete{Person}` (the actor itself as
    /// object) signed by it, to these inboxes (its followers, and the servers of the slots and
    /// associations elsewhere it dealt with, read before the erasure removed them).
    AccountDeleted {
        actor_id: i64,
        inboxes: Vec<String>,
    },
    /// A request from another node could not be recorded (an unknown resource, a bad period,
    /// a borrower the owner does not lend to…): `Reject` of its `Offer` with the reason.
    OfferRefusedOnArrival {
        /// The resource's owner when known, else the node's relay signs.
        signer_actor_id: Option<i64>,
        borrower_ap_id: String,
        offer_id: String,
        reason: String,
    },
    /// A request for a new association was approved or refused: its author is told by email.
    AssociationRequestAnswered {
        request_id: i64,
    },
    /// A local association's names, details or logo changed: `Update{Group}` to its followers.
    AssociationUpdated {
        actor_id: i64,
    },
    /// A person's public display name changed: `Update{Person}` to their followers.
    ProfileUpdated {
        actor_id: i64,
    },
    /// A coordinator invited someone by email: the email with the link. The link's secret
    /// travels here (and in the email) only; the invitation keeps its hash.
    InvitationSent {
        invitation_id: i64,
        token: String,
    },
}
