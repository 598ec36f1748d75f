//! Places: turning what someone typed ("Plouzané", "29200", "St Renan (29)", "12 rue de Siam,
//! 29200 Brest") into a point, offline, from the commune gazetteer embedded in the program
//! (built by `tools/gazetteer/build.py`, sources in `docs/places.md`). Pure: no I/O beyond
//! reading the embedded file once. The address service (street level) is
//! `service::places`.

pub mod address;
mod fold;
mod gazetteer;
mod query;
#[cfg(test)]
mod tests;

pub use fold::fold;
pub use gazetteer::{Commune, Gazetteer, Kind};
pub use query::{Query, Resolution};

/// A position in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Point {
    pub latitude: f64,
    pub longitude: f64,
}

impl Point {
    /// Great-circle distance in kilometres.
    pub fn distance_km(&self, other: &Point) -> f64 {
        crate::domain::volunteer::distance_km(
            (self.latitude, self.longitude),
            (other.latitude, other.longitude),
        )
    }
}

/// The point of a commune, a postcode or an address (its commune), from the gazetteer alone:
/// `None` when nothing there matches. For street precision, see `service::places::Geocoder`.
pub fn locate(text: &str) -> Option<Point> {
    Gazetteer::france().resolve(text, &[]).best.map(|c| c.point)
}

/// How a commune is shown: "Plouzané (29)"; a former commune with the one it is part of now.
pub fn label(gazetteer: &Gazetteer, c: &Commune) -> String {
    match gazetteer
        .by_insee(c.parent)
        .filter(|_| c.kind == Kind::Former)
    {
        Some(parent) => format!("{} ({}, {})", c.name, parent.name, c.departement),
        None => format!("{} ({})", c.name, c.departement),
    }
}
