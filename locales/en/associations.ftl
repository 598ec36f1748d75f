# Associations: requests, their page and settings, invitations (English).

assoc-role_member = member
assoc-role_coordinator = coordinator
assoc-role_owner = coordinator

## The page an invitation's link opens
assoc-invitation_title = Invitation
assoc-invitation_heading = Join { $association }
assoc-invitation_lead = { $association } invites { $email } to join it as { $role }.
assoc-invitation_accept = Accept the invitation
assoc-invitation_account = To accept, log in with the account of this email address, or create one: you will come back here.
assoc-invitation_login = Log in
assoc-invitation_register = Create an account

## The association's page
assoc-details = Who we are
assoc-address = Address
assoc-contact = Contact
assoc-website = Website
assoc-fields = Fields of action
assoc-logo_alt = Logo of { $association }

## Asking for a new association (/associations/new)
assoc-menu_new = Create an association
assoc-new_title = Create an association
assoc-new_lead = Present your association: the site's administrators check the request, then you become its coordinator. The answer comes by email.
assoc-new_link = Ask for another association
assoc-new_submit = Send the request
assoc-field_name = Page address
assoc-name_hint = Lowercase letters, digits and dashes, for example entraide-brest: the page will be /g/entraide-brest. It cannot change afterwards.
assoc-field_display_name = Association name
assoc-display_name_hint = As it is shown, for example "Entraide Brest".
assoc-field_summary = Presentation
assoc-summary_hint = A few sentences: what the association does, for whom.
assoc-field_address = Postal address
assoc-address_hint = Optional, for example 2 rue de Siam, 29200 Brest.
assoc-field_email = Contact email
assoc-email_hint = Optional, shown on the association's page.
assoc-field_phone = Phone
assoc-field_website = Website
assoc-website_hint = Optional, starting with https://
assoc-field_categories = Fields of action
assoc-categories_hint = Tick those that concern you.
assoc-field_logo = Logo
assoc-field_logo_change = Replace the logo
assoc-logo_hint = Optional: a JPEG or PNG image of at most 10 MB. After an error, choose the file again.
assoc-field_role = Role
assoc-remove_logo = Remove the logo

## One's requests (/associations/requests)
assoc-requests_title = My association requests
assoc-requests_none = You have not asked for any association.
assoc-sent_heading = Request sent
assoc-sent_text = Thank you! The site's administrators will look at it; their answer will come by email.
assoc-request_state_pending = Asked for on { $date }, waiting for approval.
assoc-request_state_approved = Asked for on { $date }, approved.
assoc-request_state_refused = Asked for on { $date }, refused.
assoc-reason = Reason
assoc-settings_link = Association settings

## The administrators' page (/admin/associations)
assoc-menu_admin = Associations to approve
assoc-admin_title = Associations to approve
assoc-admin_lead = The requests for new associations waiting for an answer. Approving creates the association, its author becomes its coordinator; refusing needs a reason. The person is told by email.
assoc-admin_none = No request waiting.
assoc-asked_by = Asked for by
assoc-approve = Approve
assoc-refuse = Refuse
assoc-reason_label = Reason for refusing
assoc-reason_hint = Required to refuse; it is sent to the person.
assoc-admin_done_approved = The association is created; its author is told.
assoc-admin_done_refused = The request is refused; its author is told.

## The coordinators' settings (/g/{name}/settings)
assoc-settings_title = Settings of { $association }
assoc-settings_see_page = See the public page
assoc-settings_dashboard = Dashboard
assoc-settings_profile = The association's page
assoc-settings_save = Save
assoc-settings_done_saved = Changes saved.
assoc-settings_done_invited = Invitation sent by email.
assoc-settings_done_revoked = Invitation withdrawn.
assoc-team = Team
assoc-team_lead = Invite someone by email: the link they get works for 7 days, once.
assoc-invite_email = Email address
assoc-invite_role = Role
assoc-invite_submit = Invite
assoc-invitations_pending = Pending invitations
assoc-invitations_none = No pending invitation.
assoc-invitation_until = Valid until
assoc-invitation_expired = Expired
assoc-invitation_withdraw = Withdraw the invitation
