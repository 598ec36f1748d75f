# Associations : demandes, page et réglages, invitations (français).

assoc-role_member = membre
assoc-role_coordinator = coordinateur·rice
assoc-role_owner = coordinateur·rice

## The page an invitation's link opens
assoc-invitation_title = Invitation
assoc-invitation_heading = Rejoindre { $association }
assoc-invitation_lead = { $association } invite { $email } à la rejoindre en tant que { $role }.
assoc-invitation_accept = Accepter l'invitation
assoc-invitation_account = Pour accepter, connectez-vous avec le compte de cette adresse e-mail, ou créez-en un : vous reviendrez ici.
assoc-invitation_login = Se connecter
assoc-invitation_register = Créer un compte

## The association's page
assoc-details = Qui sommes-nous
assoc-address = Adresse
assoc-contact = Contact
assoc-website = Site web
assoc-fields = Domaines d'action
assoc-logo_alt = Logo de { $association }
