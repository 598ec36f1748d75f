# Words of the search (issue 15): the form of the home page and the results page (English).
search-title = Search missions, events and equipment
search-results_title = Search results
search-intro = Search the missions, events and equipment this site knows, here and at its neighbours.
search-submit = Search
search-field_q = Words
search-q_hint = For example: bike, cooking, volunteers. Accents and plurals do not matter.
search-what = What
search-field_kind = Type
search-any_kind = Everything
search-kind_mission = Mission
search-kind_equipment = Equipment
search-kind_event = Event
search-field_category = Field or category
search-any_category = All
search-mission_categories = Missions
search-equipment_categories = Equipment
search-field_skills = Skills
search-skills_hint = Separated by commas, for example: cooking, DIY.
search-when = When
search-field_from = From
search-field_to = To
search-field_places_left = Only where places are left
search-where = Where
search-field_mode = In person or remote
search-mode_any = Both
search-mode_in_person = In person
search-mode_remote = Remote
search-field_radius = Radius
search-field_bbox = Area
search-radius_km = { $km } km
search-order = Order
search-field_sort = Sort by
search-sort_relevance = Relevance
search-sort_date = Date
search-sort_distance = Distance
search-field_offset = Page
search-field_limit = Results per page
search-count = { $n ->
    [0] No result.
    [one] { $n } result.
   *[other] { $n } results.
}
search-none = Nothing matches: try fewer words or filters.
search-places = { $n ->
    [0] full
    [one] { $n } place left
   *[other] { $n } places left
}
search-places_unlimited = no limit on places
search-distance = { $km } km away
search-online = remote
search-elsewhere = on a neighbouring site
search-by = by { $association }
search-pages = Result pages
search-page_of = Page { $page } of { $pages }
search-previous = Previous page
search-next = Next page

# Near a place (issue 15, the regional aggregator): nobody types a latitude.
search-field_near = Near
search-near_hint = A town or a postcode, for example Plouzané or 29200.
search-near_hint_address = A town, a postcode or an address, for example Plouzané, 29200 or 12 rue de Siam, Brest.
search-near_found = Around { $place }.
search-near_position = Around your position.
search-near_forget = Stop searching around this point
search-locate = Use my location
search-locating = Finding your location…
search-located = Location found, searching.
search-locate_unavailable = Your location is not available: give a town or a postcode.
# The map of the results.
search-map_title = Map of the results
search-map_hint = The list follows the map: move it or zoom to search the area shown. With the keyboard, the arrows move the map, + and - zoom.
search-map_followed = The list follows the map.
# Following a search: its feeds.
search-follow = Follow this search
search-follow_atom = Atom feed
search-follow_ics = iCal calendar
search-feed_title = { $site } — { $what }
search-feed_near = near { $place }
search-feed_everything = everything listed
search-feed_about = The missions, events and equipment this search finds, updated each time it is read.
search-feed_words = “{ $q }”
