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
search-near_hint = Autour d'un point : sa latitude et sa longitude (par exemple 48.39 et -4.49 pour Brest).
search-field_lat = Latitude
search-field_lon = Longitude
search-field_radius = Rayon
search-field_latlon = Position
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
