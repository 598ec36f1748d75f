//! Where to search: a circle (a point and a radius) or a box, read from what people and
//! Mobilizon send (`48.39,-4.49`, `48.39:-4.49`, a geohash, `10_km`,
//! `north,west:south,east`); distances are great-circle (`volunteer::distance_km`).

use crate::domain::volunteer::distance_km;
use crate::domain::FieldError;

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.195;

/// A point and a radius, in kilometres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circle {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
}

impl Circle {
    /// How far a position is from the centre.
    pub fn distance_km(&self, lat: f64, lon: f64) -> f64 {
        distance_km((self.lat, self.lon), (lat, lon))
    }

    /// The box around the circle: what the index filters first, before the exact distance.
    pub fn bounding_box(&self) -> BBox {
        let dlat = self.radius_km / KM_PER_DEGREE;
        let cos = self.lat.to_radians().cos().abs().max(1e-6);
        let dlon = (self.radius_km / (KM_PER_DEGREE * cos)).min(180.0);
        BBox {
            south: (self.lat - dlat).max(-90.0),
            north: (self.lat + dlat).min(90.0),
            west: (self.lon - dlon).max(-180.0),
            east: (self.lon + dlon).min(180.0),
        }
    }
}

/// A quick first look at whether positions are within a circle: distances on a flat map,
/// bounded below and above, decide all but the positions near the circle's edge, for which
/// the great-circle distance is computed (`Circle::distance_km`). Made for the search, which
/// checks thousands of positions a query: the trigonometry of the exact distance was most of
/// that work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Screen {
    lat: f64,
    lon: f64,
    /// Kilometres per degree of longitude, at most and at least, over the circle's latitudes.
    lon_km_low: f64,
    lon_km_high: f64,
    /// The squared radius, less and more a margin (1 %) far above the flat map's error there.
    inside: f64,
    outside: f64,
}

impl Screen {
    /// `Some(true)` within the radius for sure, `Some(false)` beyond it for sure, `None` when
    /// only the exact distance tells.
    #[inline]
    pub fn sure(&self, lat: f64, lon: f64) -> Option<bool> {
        let dy = (lat - self.lat) * KM_PER_DEGREE;
        let dlon = lon - self.lon;
        let (low, high) = (dlon * self.lon_km_low, dlon * self.lon_km_high);
        if dy * dy + high * high < self.inside {
            Some(true)
        } else if dy * dy + low * low > self.outside {
            Some(false)
        } else {
            None
        }
    }
}

impl Circle {
    /// The quick look at this circle, when it is away from the poles (within 80 degrees of
    /// latitude; beyond, every position gets its exact distance).
    pub fn screen(&self) -> Option<Screen> {
        let b = self.bounding_box();
        if b.south < -80.0 || b.north > 80.0 {
            return None;
        }
        let cos = |lat: f64| lat.to_radians().cos();
        let high = if b.south <= 0.0 && b.north >= 0.0 {
            1.0
        } else {
            cos(b.south).max(cos(b.north))
        };
        let low = cos(b.south).min(cos(b.north));
        let r = self.radius_km;
        Some(Screen {
            lat: self.lat,
            lon: self.lon,
            lon_km_low: KM_PER_DEGREE * low,
            lon_km_high: KM_PER_DEGREE * high,
            inside: (0.99 * r) * (0.99 * r),
            outside: (1.01 * r) * (1.01 * r),
        })
    }
}

/// A box of latitudes and longitudes (not across the antimeridian).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl BBox {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

fn on_earth(lat: f64, lon: f64) -> bool {
    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `lat,lon`, `lat:lon` (what Mobilizon sends) or a geohash.
pub fn parse_latlon(s: &str) -> Result<(f64, f64), FieldError> {
    let s = s.trim();
    let pair = s.split_once(',').or_else(|| s.split_once(':'));
    let (lat, lon) = match pair {
        Some((a, b)) => match (number(a), number(b)) {
            (Some(lat), Some(lon)) => (lat, lon),
            _ => return Err(FieldError::new("not_a_position")),
        },
        None => geohash_decode(s).ok_or_else(|| FieldError::new("not_a_position"))?,
    };
    if on_earth(lat, lon) {
        Ok((lat, lon))
    } else {
        Err(FieldError::new("not_on_earth"))
    }
}

/// The centre of a geohash cell (`gbsuv` …), `None` when it is not one.
pub fn geohash_decode(hash: &str) -> Option<(f64, f64)> {
    const ALPHABET: &[u8] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    if hash.is_empty() || hash.len() > 12 {
        return None;
    }
    let (mut lat, mut lon) = ((-90.0_f64, 90.0_f64), (-180.0_f64, 180.0_f64));
    let mut even = true; // the first bit halves the longitudes
    for c in hash.bytes() {
        let value = ALPHABET.iter().position(|a| *a == c.to_ascii_lowercase())?;
        for bit in (0..5).rev() {
            let range = if even { &mut lon } else { &mut lat };
            let mid = (range.0 + range.1) / 2.0;
            if value & (1 << bit) != 0 {
                range.0 = mid;
            } else {
                range.1 = mid;
            }
            even = !even;
        }
    }
    Some(((lat.0 + lat.1) / 2.0, (lon.0 + lon.1) / 2.0))
}

/// `10`, `10km`, `10_km` (Mobilizon) or `10 km`: kilometres.
pub fn parse_distance_km(s: &str) -> Result<f64, FieldError> {
    let s = s.trim().to_ascii_lowercase();
    let n = s
        .strip_suffix("km")
        .unwrap_or(&s)
        .trim_end_matches(['_', ' ']);
    number(n)
        .filter(|n| *n >= 0.0)
        .ok_or_else(|| FieldError::new("number"))
}

/// Mobilizon's box: `north,west:south,east` (its map's top left and bottom right corners).
pub fn parse_bbox(s: &str) -> Result<BBox, FieldError> {
    let bad = || FieldError::new("not_a_bbox");
    let (top_left, bottom_right) = s.split_once(':').ok_or_else(bad)?;
    let corner = |c: &str| -> Option<(f64, f64)> {
        let (a, b) = c.split_once(',')?;
        Some((number(a)?, number(b)?))
    };
    let ((north, west), (south, east)) = (
        corner(top_left).ok_or_else(bad)?,
        corner(bottom_right).ok_or_else(bad)?,
    );
    if !on_earth(north, west) || !on_earth(south, east) {
        return Err(FieldError::new("not_on_earth"));
    }
    if south > north || west > east {
        return Err(bad());
    }
    Ok(BBox {
        south,
        west,
        north,
        east,
    })
}
