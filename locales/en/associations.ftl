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
