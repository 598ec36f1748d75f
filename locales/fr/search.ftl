# Words of the search (issue 15): the form of the home page and the results page (French, the
# reference).
search-title = Chercher une mission, un événement ou du matériel
search-results_title = Résultats de la recherche
search-intro = Cherchez parmi les missions, les événements et le matériel que ce site connaît, ici et chez ses voisins.
search-submit = Chercher
search-field_q = Mots
search-q_hint = Par exemple : vélo, cuisine, bénévoles. Les accents et les pluriels ne comptent pas.
search-what = Quoi
search-field_kind = Type
search-any_kind = Tout
search-kind_mission = Mission
search-kind_equipment = Matériel
search-kind_event = Événement
search-field_category = Domaine ou catégorie
search-any_category = Tous
search-mission_categories = Missions
search-equipment_categories = Matériel
search-field_skills = Compétences
search-skills_hint = Séparées par des virgules, par exemple : cuisine, bricolage.
search-when = Quand
search-field_from = Du
search-field_to = Au
search-field_places_left = Seulement là où il reste des places
search-where = Où
search-field_mode = Sur place ou à distance
search-mode_any = Les deux
search-mode_in_person = Sur place
search-mode_remote = À distance
search-field_radius = Rayon
search-field_bbox = Zone
search-radius_km = { $km } km
search-order = Ordre
search-field_sort = Trier par
search-sort_relevance = Pertinence
search-sort_date = Date
search-sort_distance = Distance
search-field_offset = Page
search-field_limit = Résultats par page
search-count = { $n ->
    [0] Aucun résultat.
    [one] { $n } résultat.
   *[other] { $n } résultats.
}
search-none = Rien ne correspond : essayez moins de mots ou de filtres.
search-places = { $n ->
    [0] complet
    [one] { $n } place restante
   *[other] { $n } places restantes
}
search-places_unlimited = places sans limite
search-distance = à { $km } km
search-online = à distance
search-elsewhere = sur un site voisin
search-by = par { $association }
search-pages = Pages de résultats
search-page_of = Page { $page } sur { $pages }
search-previous = Page précédente
search-next = Page suivante

# Near a place (issue 15, the regional aggregator): nobody types a latitude.
search-field_near = Près de
search-near_hint = Une commune ou un code postal, par exemple Plouzané ou 29200.
search-near_hint_address = Une commune, un code postal ou une adresse, par exemple Plouzané, 29200 ou 12 rue de Siam, Brest.
search-near_found = Autour de { $place }.
search-near_position = Autour de votre position.
search-near_forget = Ne plus chercher autour de ce point
search-locate = Utiliser ma position
search-locating = Recherche de votre position…
search-located = Position trouvée, recherche en cours.
search-locate_unavailable = Votre position n'est pas disponible : indiquez une commune ou un code postal.
# The map of the results.
search-map_title = Carte des résultats
search-map_hint = La liste suit la carte : déplacez-la ou zoomez pour chercher dans la zone affichée. Au clavier, les flèches déplacent la carte, + et - zooment.
search-map_followed = La liste suit la carte.
# Following a search: its feeds.
search-follow = Suivre cette recherche
search-follow_atom = fil Atom
search-follow_ics = agenda iCal
search-feed_title = { $site } — { $what }
search-feed_near = près de { $place }
search-feed_everything = toutes les annonces
search-feed_about = Les missions, événements et matériels trouvés par cette recherche, mis à jour à chaque lecture.
search-feed_words = « { $q } »
