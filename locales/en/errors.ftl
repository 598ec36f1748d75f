# Refusals and errors, as codes from the domain and services, in words (English).

## Why a volunteer cannot take a slot

err-refusal_full = this slot is full
err-refusal_overlaps = you are already signed up for another slot at that time
err-refusal_closed = sign-ups for this mission are closed
err-refusal_over = this slot is over
err-refusal_already_signed_up = you are already signed up for this slot

## Why a use case will not act (codes from domain::denial::DENIAL_CODES). `.api`: the JSON
## API's message, word for word as it has always been sent.

err-deny_coordinators_only = Only the association's coordinators may do this.
    .api = only the association's coordinators may do this
err-deny_coordinators_manage_missions = Only the association's coordinators manage its missions.
    .api = only the association's coordinators may manage its missions
err-deny_coordinators_manage_slots = Only the association's coordinators manage its slots.
    .api = only the association's coordinators may manage its slots
err-deny_coordinators_validate_hours = Only the association's coordinators validate hours.
    .api = only the association's coordinators validate hours
err-deny_coordinators_confirm_attestation = Only the association's coordinators confirm an attestation.
    .api = only the association's coordinators confirm an attestation
err-deny_coordinators_see_interest = Only the association's coordinators see who showed interest.
    .api = only the association's coordinators may see who showed interest
err-deny_coordinators_see_suggestions = Only the association's coordinators see suggested volunteers.
    .api = only the association's coordinators see suggested volunteers
err-deny_not_coordinator = You do not coordinate this association.
    .api = not a coordinator
err-deny_hours_members_only = Only members and people who took part in its slots record hours for an association.
    .api = only members and people who took part in its slots record hours for an association
err-deny_validated_entry_locked = These hours are validated: only the association's coordinators change them now.
    .api = a validated entry is changed by the association's coordinators
err-deny_links_remote_accounts = Links are sent to accounts on other servers, for slots of this one.
    .api = links are sent to accounts of other servers, for slots of this one
err-deny_resource_remote_owner = This equipment belongs to another server: only its owner there changes it.
    .api = this resource belongs to another server: only its owner there changes it
err-deny_owner_coordinators_only = Only the owner's coordinators do this.
    .api = only the owner's coordinators do this
err-deny_owner_coordinators_see_reservations = Only the owner's coordinators see all the reservations of this equipment.
    .api = only the owner's coordinators see all the reservations of a resource
err-deny_owner_server_decides = The owner's server decides: from here you can only withdraw the request.
    .api = the owner's server decides: only a withdrawal is sent from here
err-deny_owner_answers = Only the equipment's owner answers a request for it.
    .api = only the resource's owner answers a request for it
err-deny_borrower_coordinators_ask = Only the borrowing association's coordinators ask for equipment.
    .api = only the borrowing association's coordinators ask for equipment
err-deny_asker_withdraws = Only the association that asked withdraws its request.
    .api = only the association that asked withdraws its request
err-deny_agreement_party_only = Only a party to the agreement accepts it.
    .api = only a party to the agreement accepts it
err-deny_other_party = You coordinate the other party of this reservation.
    .api = you coordinate the other party of this reservation
err-deny_hours_other_sender = These hours were sent by someone else or to another association.
    .api = these hours were sent by someone else or to another association
err-deny_hours_receiver_answers = Only the association the hours were sent to may answer.
    .api = only the association the hours were sent to may answer
err-deny_hours_sender_withdraws = Only the volunteer who sent these hours may withdraw them.
    .api = only the volunteer who sent these hours may withdraw them
err-deny_exists = This already exists.
    .api = this { $what } already exists
err-deny_user_exists = The name { $name } is already taken.
    .api = a user named { $name } already exists
err-deny_association_exists = An association named { $name } already exists.
    .api = an association named { $name } already exists
err-deny_sign_up_inactive = This sign-up is not active any more.
    .api = this sign-up is not active any more
err-deny_attendance_after_slot = Attendance is marked once the slot is over.
    .api = attendance is marked once the slot is over
err-deny_entry_already = These hours are already { $status }.
    .api = this entry is already { $status }
err-deny_hours_exist = These hours already exist.
    .api = these hours already exist
err-deny_attestation_confirmed = This attestation is already confirmed.
    .api = this attestation is already confirmed
err-deny_reservation_state = This is no longer possible in the reservation's current state.
    .api = a reservation that is { $state } cannot be moved this way
err-deny_pool_taken = The equipment is no longer free over this period: refuse the request, or cancel another reservation.
    .api = the pool is taken over this period: refuse the request, or cancel another one
err-deny_reservation_moved = Someone changed this reservation meanwhile: the page is up to date.
    .api = someone moved this reservation on meanwhile: reload the page
err-deny_agreement_after_accept = The agreement is signed once the request is accepted.
    .api = the agreement is signed once the request is accepted
err-deny_answer_not_arrived = The answer to this request has not arrived here yet.
    .api = the answer to this request has not arrived here yet
err-deny_agreement_not_yet = The lending agreement exists once the request is accepted.
    .api = the lending agreement exists once the request is accepted
err-deny_account_decided = The account { $name } is no longer waiting for a decision.
    .api = account { $name } is not waiting for a decision
err-deny_admins_only = Only the node's administrators may do this.
    .api = only the node's administrators may do this
err-deny_request_answered = This request has already been answered.
    .api = this request has already been answered
err-deny_invitation_used = This invitation has already been used.
    .api = this invitation has already been used
err-deny_invitation_revoked = This invitation was withdrawn by the association.
    .api = this invitation was withdrawn
err-deny_invitation_expired = This invitation has expired: ask the association for a new one.
    .api = this invitation has expired
err-deny_invitation_other_person = This invitation was sent to another email address than your account's.
    .api = this invitation was sent to another email address
err-deny_aggregator_off = This node is not an aggregator: set [aggregator] enabled = true in its configuration.
    .api = this node is not an aggregator ([aggregator] enabled = true)
err-deny_source_not_allowed = { $name } is not in the aggregator's list of allowed hosts.
    .api = { $name } is not in aggregator.allowed_hosts
err-deny_source_exists = This source is already followed ({ $name }).
    .api = { $name } is already a source
