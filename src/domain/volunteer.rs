//! A volunteer's profile (private by default) and how missions are matched to it, with the
//! reasons as typed values ([`Reason`]); their words ("3 km · votre compétence : cuisine ·
//! samedi matin") are chosen where they are shown (`crate::i18n::match_reason`).

use super::{DomainError, FieldError, FieldErrors};
use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Part of a day, as people say when they tell when they are free.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
}

impl DayPart {
    /// The part of the day a local hour falls in (before noon, before 6 pm, after).
    pub fn of_hour(hour: u32) -> DayPart {
        match hour {
            0..=11 => DayPart::Morning,
            12..=17 => DayPart::Afternoon,
            _ => DayPart::Evening,
        }
    }

    /// `morning`, `afternoon`, `evening` (as in the profile's form and the catalogue).
    pub fn code(self) -> &'static str {
        match self {
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
        }
    }
}

/// One free period of the week.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
pub struct Availability {
    /// 0 = Monday … 6 = Sunday.
    pub day: u8,
    pub part: DayPart,
}

/// What a volunteer tells about themself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    pub skills: Vec<String>,
    pub availability: Vec<Availability>,
    /// Where they live, in words ("Brest"); distances use the coordinates below.
    pub home_town: String,
    pub home_latitude: Option<f64>,
    pub home_longitude: Option<f64>,
    /// How far they will travel, in kilometres.
    pub travel_km: Option<f64>,
    /// Mission categories they care about.
    pub interests: Vec<String>,
    /// They agree to be suggested to associations.
    pub suggestable: bool,
}

impl Profile {
    pub fn validate(mut self) -> Result<Profile, DomainError> {
        let mut e = FieldErrors::new();
        self.skills = self
            .skills
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        self.skills.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        if self.skills.len() > 30 || self.skills.iter().any(|s| s.chars().count() > 60) {
            e.add(
                "skills",
                FieldError::new("profile_skills")
                    .num("max", 30)
                    .num("chars", 60),
            );
        }
        if self.availability.iter().any(|a| a.day > 6) {
            e.add("availability", FieldError::new("weekday_range"));
        }
        self.home_town = self.home_town.trim().to_string();
        if self.home_town.chars().count() > 100 {
            e.add("home_town", FieldError::new("max_chars").num("max", 100));
        }
        self.availability.sort();
        self.availability.dedup();
        match (self.home_latitude, self.home_longitude) {
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    e.add("home_latitude", FieldError::new("not_on_earth"));
                }
            }
            (None, None) => {}
            _ => e.add("home_longitude", FieldError::new("lat_lon_together")),
        }
        if let Some(km) = self.travel_km {
            if !(0.0..=1000.0).contains(&km) {
                e.add(
                    "travel_km",
                    FieldError::new("between").num("min", 0).num("max", 1000),
                );
            }
        }
        for i in &self.interests {
            if !super::mission::CATEGORIES.iter().any(|c| c.0 == i) {
                e.add(
                    "interests",
                    FieldError::new("not_a_category").text("value", i.as_str()),
                );
            }
        }
        e.into_result(self)
    }
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// How far, in coarse bands: what matching shows instead of a distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DistanceBand {
    /// Less than 5 km.
    Under5,
    /// From 5 km to less than 15 km.
    From5To15,
    /// From 15 km to 30 km.
    From15To30,
    /// Further than 30 km.
    Further,
}

impl DistanceBand {
    /// The band of a distance in kilometres (a bound belongs to the farther band; anything
    /// that is not a number counts as far).
    pub fn of_km(km: f64) -> DistanceBand {
        if km < 5.0 {
            DistanceBand::Under5
        } else if km < 15.0 {
            DistanceBand::From5To15
        } else if km <= 30.0 {
            DistanceBand::From15To30
        } else {
            DistanceBand::Further
        }
    }

    /// Its code, for words and the API.
    pub fn code(self) -> &'static str {
        match self {
            DistanceBand::Under5 => "under_5",
            DistanceBand::From5To15 => "from_5_to_15",
            DistanceBand::From15To30 => "from_15_to_30",
            DistanceBand::Further => "further",
        }
    }
}

/// What a mission (or one of its slots) offers, as matching sees it.
pub struct Offer<'a> {
    pub skills: &'a [String],
    pub category: &'a str,
    pub online: bool,
    pub position: Option<(f64, f64)>,
    pub start_time: DateTime<Utc>,
}

/// Why a mission suits a volunteer, and how well (higher is better).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Match {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// One reason a mission suits a volunteer.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub enum Reason {
    /// The mission is done remotely.
    Remote,
    /// How far it is from home, as a coarse band only: a figure would let whoever reads it
    /// place the volunteer's home.
    Distance { band: DistanceBand },
    /// The volunteer's skills the mission asks for.
    Skills(Vec<String>),
    /// A time of the week when the volunteer said they are often free (0 = Monday).
    Available { day: u8, part: DayPart },
}

/// Scores an offer for a profile; `None` when it is out of the volunteer's reach.
pub fn score(profile: &Profile, offer: &Offer, tz: Tz) -> Option<Match> {
    let mut score = 0.0;
    let mut reasons = Vec::new();
    if offer.online {
        score += 1.0;
        reasons.push(Reason::Remote);
    } else if let (Some(home), Some(place)) = (
        profile.home_latitude.zip(profile.home_longitude),
        offer.position,
    ) {
        let km = distance_km(home, place);
        if let Some(max) = profile.travel_km {
            if km > max {
                return None;
            }
        }
        score += 3.0 / (1.0 + km / 5.0);
        reasons.push(Reason::Distance {
            band: DistanceBand::of_km(km),
        });
    }
    let mine: Vec<&String> = profile
        .skills
        .iter()
        .filter(|s| offer.skills.iter().any(|w| w.eq_ignore_ascii_case(s)))
        .collect();
    if !mine.is_empty() {
        score += 2.0 * mine.len() as f64;
        reasons.push(Reason::Skills(mine.into_iter().cloned().collect()));
    }
    let local = offer.start_time.with_timezone(&tz);
    let day = local.weekday().num_days_from_monday() as u8;
    let part = DayPart::of_hour(local.hour());
    if profile.availability.contains(&Availability { day, part }) {
        score += 2.0;
        reasons.push(Reason::Available { day, part });
    } else if !profile.availability.is_empty() {
        score -= 1.0;
    }
    if profile.interests.iter().any(|i| i == offer.category) {
        score += 1.0;
    }
    Some(Match { score, reasons })
}

/// Monday = 0, as the profile stores days.
pub fn weekday_index(w: Weekday) -> u8 {
    w.num_days_from_monday() as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Paris;

    const BREST: (f64, f64) = (48.3904, -4.4861);
    const LANDERNEAU: (f64, f64) = (48.4508, -4.2489);

    fn profile() -> Profile {
        Profile {
            skills: vec!["Cuisine".into(), "accueil".into()],
            availability: vec![Availability {
                day: 5,
                part: DayPart::Morning,
            }],
            home_town: "Brest".into(),
            home_latitude: Some(BREST.0),
            home_longitude: Some(BREST.1),
            travel_km: Some(10.0),
            interests: vec!["solidarity".into()],
            suggestable: true,
        }
        .validate()
        .expect("valid")
    }

    #[test]
    fn distances_become_coarse_bands() {
        assert_eq!(DistanceBand::of_km(0.0), DistanceBand::Under5);
        assert_eq!(DistanceBand::of_km(4.99), DistanceBand::Under5);
        assert_eq!(DistanceBand::of_km(5.0), DistanceBand::From5To15);
        assert_eq!(DistanceBand::of_km(14.9), DistanceBand::From5To15);
        assert_eq!(DistanceBand::of_km(15.0), DistanceBand::From15To30);
        assert_eq!(DistanceBand::of_km(30.0), DistanceBand::From15To30);
        assert_eq!(DistanceBand::of_km(30.1), DistanceBand::Further);
        assert_eq!(DistanceBand::of_km(f64::NAN), DistanceBand::Further);
        assert_eq!(
            DistanceBand::of_km(distance_km(BREST, LANDERNEAU)),
            DistanceBand::From15To30
        );
    }

    #[test]
    fn distance_between_brest_and_landerneau() {
        let km = distance_km(BREST, LANDERNEAU);
        assert!((18.0..20.0).contains(&km), "{km}");
    }

    #[test]
    fn a_near_saturday_morning_cooking_mission_ranks_with_reasons() {
        let saturday_9am = Paris
            .with_ymd_and_hms(2027, 3, 6, 9, 0, 0)
            .single()
            .expect("date")
            .with_timezone(&Utc);
        let skills = vec!["cuisine".to_string()];
        let offer = Offer {
            skills: &skills,
            category: "solidarity",
            online: false,
            position: Some((48.40, -4.50)),
            start_time: saturday_9am,
        };
        let m = score(&profile(), &offer, Paris).expect("in reach");
        assert_eq!(
            m.reasons,
            vec![
                Reason::Distance {
                    band: DistanceBand::Under5
                },
                Reason::Skills(vec!["Cuisine".into()]),
                Reason::Available {
                    day: 5,
                    part: DayPart::Morning
                }
            ]
        );
        let far = Offer {
            position: Some(LANDERNEAU),
            ..offer
        };
        assert!(
            score(&profile(), &far, Paris).is_none(),
            "19 km is beyond 10 km"
        );
    }

    #[test]
    fn better_fit_scores_higher() {
        let sat = Paris
            .with_ymd_and_hms(2027, 3, 6, 9, 0, 0)
            .single()
            .expect("date")
            .with_timezone(&Utc);
        let wed_evening = Paris
            .with_ymd_and_hms(2027, 3, 3, 19, 0, 0)
            .single()
            .expect("date")
            .with_timezone(&Utc);
        let skills = vec!["cuisine".to_string()];
        let none: Vec<String> = vec![];
        let good = Offer {
            skills: &skills,
            category: "solidarity",
            online: false,
            position: Some(BREST),
            start_time: sat,
        };
        let poor = Offer {
            skills: &none,
            category: "sport",
            online: false,
            position: Some(BREST),
            start_time: wed_evening,
        };
        let p = profile();
        assert!(
            score(&p, &good, Paris).expect("m").score > score(&p, &poor, Paris).expect("m").score
        );
    }

    #[test]
    fn profile_validation() {
        let bad = Profile {
            home_latitude: Some(100.0),
            home_longitude: Some(0.0),
            travel_km: Some(-1.0),
            interests: vec!["nope".into()],
            availability: vec![Availability {
                day: 9,
                part: DayPart::Evening,
            }],
            ..Default::default()
        };
        let Err(DomainError::Invalid(e)) = bad.validate() else {
            panic!("must fail")
        };
        for f in ["home_latitude", "travel_km", "interests", "availability"] {
            assert!(e.0.contains_key(f), "{f}");
        }
    }
}
