# Associations : demandes, page et réglages, invitations (français).

assoc-role_member = membre
assoc-role_coordinator = coordinateur·rice
assoc-role_owner = coordinateur·rice
