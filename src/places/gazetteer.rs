//! The communes of France, read from the file built by `tools/gazetteer/build.py` and embedded
//! in the program, with their indexes: by folded name, by postcode, names in order for
//! completion.

use super::fold::{fold, without_article};
use super::Point;
use std::collections::HashMap;

/// What kind of place a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A commune (INSEE's "commune actuelle").
    Commune,
    /// One of the arrondissements of Paris, Lyon or Marseille.
    Arrondissement,
    /// A former commune inside a commune nouvelle ("commune déléguée" or "associée").
    Former,
}

/// One commune of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Commune {
    /// The INSEE code ("29019").
    pub insee: &'static str,
    pub name: &'static str,
    /// The département's code ("29", "2A", "971").
    pub departement: &'static str,
    pub postcodes: Vec<&'static str>,
    pub point: Point,
    pub population: u32,
    pub kind: Kind,
    /// For a former commune, the INSEE code of the commune it is part of now.
    pub parent: &'static str,
}

impl Commune {
    /// Bigger first, communes before arrondissements before former communes.
    fn rank(&self) -> (Kind, std::cmp::Reverse<u32>) {
        (self.kind, std::cmp::Reverse(self.population))
    }
}

/// The communes and their indexes.
pub struct Gazetteer {
    pub(super) communes: Vec<Commune>,
    /// Folded name (and folded name without its article) → rows.
    by_name: HashMap<String, Vec<usize>>,
    by_postcode: HashMap<&'static str, Vec<usize>>,
    /// Every folded name with its row, in order, for completion.
    names: Vec<(String, usize)>,
    /// Every postcode with its rows, in order.
    postcodes: Vec<&'static str>,
}

/// The file built by `tools/gazetteer/build.py`.
const COMMUNES_CSV: &str = include_str!("../../assets/places/communes.csv");

impl Gazetteer {
    /// The gazetteer of France embedded in the program, read once.
    pub fn france() -> &'static Gazetteer {
        static FRANCE: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        FRANCE.get_or_init(|| Gazetteer::parse(COMMUNES_CSV))
    }

    /// Reads the gazetteer's text: `#` lines are comments; a line that does not parse is
    /// left out (the build script writes none).
    pub fn parse(text: &'static str) -> Gazetteer {
        let communes: Vec<Commune> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(parse_line)
            .collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_postcode: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut names = Vec::with_capacity(communes.len() * 5 / 4);
        for (i, c) in communes.iter().enumerate() {
            let key = fold(c.name);
            if let Some(short) = without_article(&key) {
                by_name.entry(short.to_string()).or_default().push(i);
                names.push((short.to_string(), i));
            }
            by_name.entry(key.clone()).or_default().push(i);
            names.push((key, i));
            for p in &c.postcodes {
                by_postcode.entry(p).or_default().push(i);
            }
        }
        for rows in by_name.values_mut().chain(by_postcode.values_mut()) {
            rows.sort_by_key(|&i| communes[i].rank());
        }
        names.sort();
        let mut postcodes: Vec<&'static str> = by_postcode.keys().copied().collect();
        postcodes.sort_unstable();
        Gazetteer {
            communes,
            by_name,
            by_postcode,
            names,
            postcodes,
        }
    }

    /// How many places it knows.
    pub fn len(&self) -> usize {
        self.communes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.communes.is_empty()
    }

    /// The places bearing this name (folded), biggest first.
    pub fn named(&self, folded: &str) -> Vec<&Commune> {
        self.rows(self.by_name.get(folded))
    }

    /// The places this postcode serves, biggest first.
    pub fn with_postcode(&self, postcode: &str) -> Vec<&Commune> {
        self.rows(self.by_postcode.get(postcode))
    }

    /// The commune of this INSEE code.
    pub fn by_insee(&self, insee: &str) -> Option<&Commune> {
        self.communes
            .iter()
            .find(|c| c.insee == insee && c.kind != Kind::Former)
    }

    fn rows(&self, rows: Option<&Vec<usize>>) -> Vec<&Commune> {
        rows.map(|r| r.iter().map(|&i| &self.communes[i]).collect())
            .unwrap_or_default()
    }

    /// Places whose name (or postcode, for digits) starts with what was typed, the biggest
    /// first, at most `limit`.
    pub fn complete(&self, typed: &str, limit: usize) -> Vec<&Commune> {
        let typed = fold(typed);
        if typed.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut rows: Vec<usize> = if typed.chars().all(|c| c.is_ascii_digit()) {
            let from = self.postcodes.partition_point(|p| *p < typed.as_str());
            self.postcodes[from..]
                .iter()
                .take_while(|p| p.starts_with(typed.as_str()))
                .flat_map(|p| self.by_postcode[p].iter().copied())
                .collect()
        } else {
            let from = self
                .names
                .partition_point(|(n, _)| n.as_str() < typed.as_str());
            self.names[from..]
                .iter()
                .take_while(|(n, _)| n.starts_with(typed.as_str()))
                .map(|(_, i)| *i)
                .collect()
        };
        rows.sort_unstable();
        rows.dedup();
        rows.sort_by_key(|&i| {
            let c = &self.communes[i];
            // An exact name first, then the biggest.
            (fold(c.name) != typed, c.rank())
        });
        rows.into_iter()
            .take(limit)
            .map(|i| &self.communes[i])
            .collect()
    }
}

fn parse_line(line: &'static str) -> Option<Commune> {
    let f: Vec<&'static str> = line.split(';').collect();
    let [insee, name, departement, postcodes, lat, lon, population, kind, parent, _source] =
        f.as_slice()
    else {
        return None;
    };
    Some(Commune {
        insee,
        name,
        departement,
        postcodes: postcodes.split_whitespace().collect(),
        point: Point {
            latitude: lat.parse().ok()?,
            longitude: lon.parse().ok()?,
        },
        population: population.parse().unwrap_or(0),
        kind: match *kind {
            "c" => Kind::Commune,
            "a" => Kind::Arrondissement,
            "d" => Kind::Former,
            _ => return None,
        },
        parent,
    })
}
