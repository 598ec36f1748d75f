# Associations: requests, their page and settings, invitations (English).

assoc-role_member = member
assoc-role_coordinator = coordinator
assoc-role_owner = coordinator
