use super::*;
use crate::domain::examples;
use chrono::TimeZone;

fn input() -> SearchInput {
    SearchInput::default()
}

/// A mission from yesterday to in ten days.
fn example(now: DateTime<Utc>) -> crate::domain::mission::Mission {
    examples::mission(
        now - chrono::Duration::days(1),
        now + chrono::Duration::days(10),
    )
}

fn paris() -> chrono_tz::Tz {
    chrono_tz::Europe::Paris
}

#[test]
fn a_geohash_decodes_to_the_centre_of_its_cell() {
    // Brest: 48.39, -4.49 lies in the cell "gbsg3".
    let (lat, lon) = geohash_decode("gbsg3").expect("a geohash");
    assert!(
        (lat - 48.39).abs() < 0.03 && (lon + 4.49).abs() < 0.03,
        "{lat} {lon}"
    );
    assert_eq!(geohash_decode("gbsua!"), None);
    assert_eq!(geohash_decode(""), None);
}

#[test]
fn a_position_is_read_from_commas_colons_or_a_geohash() {
    assert_eq!(parse_latlon("48.39,-4.49"), Ok((48.39, -4.49)));
    assert_eq!(parse_latlon(" 48.39:-4.49 "), Ok((48.39, -4.49)));
    assert!(parse_latlon("gbsg3").is_ok());
    assert_eq!(
        parse_latlon("95,0").map_err(|e| e.code),
        Err("not_on_earth")
    );
    assert_eq!(
        parse_latlon("nowhere").map_err(|e| e.code),
        Err("not_a_position")
    );
}

#[test]
fn distances_are_read_as_mobilizon_writes_them() {
    assert_eq!(parse_distance_km("10_km"), Ok(10.0));
    assert_eq!(parse_distance_km("25km"), Ok(25.0));
    assert_eq!(parse_distance_km("5"), Ok(5.0));
    assert!(parse_distance_km("far").is_err());
}

#[test]
fn a_box_is_north_west_then_south_east() {
    let b = parse_bbox("48.5,-4.8:48.3,-4.3").expect("a box");
    assert_eq!((b.north, b.west, b.south, b.east), (48.5, -4.8, 48.3, -4.3));
    assert!(b.contains(48.39, -4.49));
    assert!(!b.contains(47.0, -4.49));
    assert_eq!(
        parse_bbox("48.3,-4.8:48.5,-4.3").map_err(|e| e.code),
        Err("not_a_bbox")
    );
    assert_eq!(parse_bbox("nowhere").map_err(|e| e.code), Err("not_a_bbox"));
}

#[test]
fn the_box_around_a_circle_holds_the_circle() {
    let c = Circle {
        lat: 48.39,
        lon: -4.49,
        radius_km: 20.0,
    };
    let b = c.bounding_box();
    // Points 19.9 km north and east are inside the box and the circle.
    assert!(b.contains(48.39 + 19.9 / 111.195, -4.49));
    assert!(c.distance_km(48.39 + 19.9 / 111.195, -4.49) < 20.0);
    let east = -4.49 + 19.9 / (111.195 * 48.39_f64.to_radians().cos());
    assert!(b.contains(48.39, east));
    // The corner of the box is farther than the radius: the exact distance decides.
    assert!(c.distance_km(b.north, b.east) > 20.0);
}

#[test]
fn the_quick_look_at_a_circle_agrees_with_the_exact_distance() {
    // Positions all over and around circles of every radius allowed, from the equator to 79
    // degrees north and south: when the quick look is sure, the exact distance agrees.
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut unit = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut sure, mut unsure) = (0, 0);
    for (lat, lon) in [
        (48.39, -4.49),
        (0.0, 10.0),
        (-0.05, 3.0),
        (-45.0, 170.0),
        (78.5, 15.0),
    ] {
        for radius_km in [MIN_RADIUS_KM, 7.5, 20.0, MAX_RADIUS_KM] {
            let c = Circle {
                lat,
                lon,
                radius_km,
            };
            let screen = c.screen().expect("away from the poles");
            let b = c.bounding_box();
            for _ in 0..20_000 {
                let y = b.south + (b.north - b.south) * unit();
                let x = b.west + (b.east - b.west) * unit();
                let within = c.distance_km(y, x) <= radius_km;
                match screen.sure(y, x) {
                    Some(answer) => {
                        assert_eq!(answer, within, "{lat} {lon} {radius_km}: {y} {x}");
                        sure += 1;
                    }
                    None => unsure += 1,
                }
            }
        }
    }
    // The exact distance is left for few positions.
    assert!(unsure * 10 < sure, "{unsure} unsure, {sure} sure");
    assert_eq!(
        Circle {
            lat: 79.9,
            lon: 0.0,
            radius_km: 20.0
        }
        .screen(),
        None
    );
}

#[test]
fn a_search_without_filters_is_the_soonest_first() {
    let q = input().check(paris()).expect("valid");
    assert_eq!(q.sort, Sort::Date);
    assert_eq!((q.limit, q.offset), (20, 0));
    let q = SearchInput {
        q: Some("vélo".into()),
        ..input()
    }
    .check(paris())
    .expect("valid");
    assert_eq!(q.sort, Sort::Relevance);
}

#[test]
fn every_filter_is_read() {
    let q = SearchInput {
        q: Some(" réparation ".into()),
        kinds: vec!["mission,event".into()],
        from: Some("2030-03-01".into()),
        to: Some("2030-03-31".into()),
        places_left: Some("on".into()),
        categories: vec!["solidarity".into(), "tent".into()],
        skills: vec!["cuisine, bricolage".into()],
        mode: Some("in_person".into()),
        lat: Some("48,39".into()),
        lon: Some("-4.49".into()),
        radius: Some("20".into()),
        bbox: Some("48.5,-4.8:48.3,-4.3".into()),
        sort: Some("distance".into()),
        limit: Some("5".into()),
        offset: Some("10".into()),
        ..input()
    }
    .check(paris())
    .expect("valid");
    assert_eq!(q.text, "réparation");
    assert_eq!(q.kinds, vec![ItemKind::Mission, ItemKind::Event]);
    // Days of Paris: March 1st at midnight (UTC+1) to the end of March 31st (UTC+2).
    assert_eq!(
        q.from,
        Some(Utc.with_ymd_and_hms(2030, 2, 28, 23, 0, 0).unwrap())
    );
    assert_eq!(
        q.to,
        Some(Utc.with_ymd_and_hms(2030, 3, 31, 22, 0, 0).unwrap())
    );
    assert!(q.places_left);
    assert_eq!(q.categories, vec!["solidarity", "tent"]);
    assert_eq!(q.skills, vec!["cuisine", "bricolage"]);
    assert_eq!(q.mode, Some(Mode::InPerson));
    let near = q.near.expect("a circle");
    assert_eq!((near.lat, near.lon, near.radius_km), (48.39, -4.49, 20.0));
    assert!(q.bbox.is_some());
    assert_eq!(q.sort, Sort::Distance);
    assert_eq!((q.limit, q.offset), (5, 10));
}

#[test]
fn wrong_filters_are_refused_field_by_field() {
    let refused = SearchInput {
        kinds: vec!["party".into()],
        from: Some("tomorrow".into()),
        categories: vec!["nothing".into()],
        mode: Some("both".into()),
        lat: Some("48.39".into()),
        radius: Some("80".into()),
        bbox: Some("north".into()),
        sort: Some("price".into()),
        limit: Some("500".into()),
        offset: Some("-1".into()),
        ..input()
    }
    .check(paris());
    let Err(crate::domain::DomainError::Invalid(fields)) = refused else {
        panic!("refused: {refused:?}");
    };
    let codes: Vec<(&str, &str)> = fields.0.iter().map(|(f, e)| (f.as_str(), e.code)).collect();
    assert_eq!(
        codes,
        vec![
            ("bbox", "not_a_bbox"),
            ("category", "not_a_category"),
            ("from", "not_date_time"),
            ("kind", "one_of"),
            ("lat", "lat_lon_together"),
            ("limit", "between"),
            ("mode", "one_of"),
            ("offset", "whole_number"),
            ("radius", "between"),
            ("sort", "one_of"),
        ]
    );
    let refused = SearchInput {
        sort: Some("distance".into()),
        from: Some("2030-03-10".into()),
        to: Some("2030-03-01".into()),
        ..input()
    }
    .check(paris());
    let Err(crate::domain::DomainError::Invalid(fields)) = refused else {
        panic!("refused: {refused:?}");
    };
    assert_eq!(fields.0["lat"].code, "required");
    assert_eq!(fields.0["to"].code, "not_before_from");
}

#[test]
fn a_mission_is_searchable_while_someone_may_take_part() {
    let now = Utc.with_ymd_and_hms(2030, 1, 7, 9, 0, 0).unwrap();
    let m = example(now);
    let item = mission_item(&m, &[], "Épicerie", false, "texte".into(), now).expect("searchable");
    assert_eq!(item.kind, ItemKind::Mission);
    assert_eq!(item.key(), format!("m{}", m.id));
    let as_event = mission_item(&m, &[], "Épicerie", true, String::new(), now).expect("an event");
    assert_eq!(as_event.kind, ItemKind::Event);
    let over = m.end_time + chrono::Duration::hours(1);
    assert!(mission_item(&m, &[], "Épicerie", false, String::new(), over).is_none());
    let mut draft = m.clone();
    draft.status = crate::domain::mission::MissionStatus::Draft;
    assert!(mission_item(&draft, &[], "Épicerie", false, String::new(), now).is_none());
    let mut deleted = m.clone();
    deleted.deleted_at = Some(now);
    assert!(mission_item(&deleted, &[], "Épicerie", false, String::new(), now).is_none());
}

#[test]
fn places_left_count_the_slots_not_over() {
    let now = Utc.with_ymd_and_hms(2030, 1, 7, 9, 0, 0).unwrap();
    let m = example(now);
    let slot = |start_days: i64, capacity: i64, taken: i64| {
        let start = now + chrono::Duration::days(start_days);
        crate::domain::slot::Slot {
            id: start_days,
            capacity,
            participant_count: taken,
            ..examples::slot(start, start + chrono::Duration::hours(2), now)
        }
    };
    let slots = [slot(-3, 5, 0), slot(2, 3, 3), slot(4, 4, 1)];
    let item = mission_item(&m, &slots, "A", false, String::new(), now).expect("searchable");
    assert_eq!(item.places_left, Some(3));
    assert!(item.has_places && item.slotted);
    assert_eq!(item.open_starts, vec![slots[2].start_time]);
    let full = [slot(2, 3, 3)];
    let item = mission_item(&m, &full, "A", false, String::new(), now).expect("searchable");
    assert_eq!(item.places_left, Some(0));
    assert!(!item.has_places);
    assert!(mission_item(&m, &[slot(-3, 5, 0)], "A", false, String::new(), now).is_none());
}
