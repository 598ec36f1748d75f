//! Locating what people type (a commune, a postcode, an address): the gazetteer embedded in the
//! program, and the address service of `[places]` for street precision when one is configured
//! (with answers kept in memory and a rate limit; on an error, a timeout or the limit reached,
//! the gazetteer answers). Used wherever someone types a place, and by search.

use crate::config::PlacesConfig;
use crate::domain::{DomainError, FieldError, FieldErrors};
use crate::places::address::{best_feature, AddressHit, Kept, RateLimit};
use crate::places::{fold, label, Commune, Gazetteer, Point};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Mutex;
use std::time::Duration;

/// How precise a position is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// The address itself (from the address service).
    Address,
    /// The centre of its commune (from the gazetteer).
    Commune,
}

/// Where a typed place is.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub point: Point,
    /// What was found, as shown: "Plouzané (29)", "12 Rue de Siam 29200 Brest".
    pub label: String,
    /// The INSEE code of its commune, when known.
    pub insee: Option<String>,
    pub precision: Precision,
}

/// A place offered while typing.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// "Plouzané (29)".
    pub label: String,
    pub name: String,
    /// The INSEE code.
    pub insee: String,
    pub departement: String,
    pub postcodes: Vec<String>,
    pub latitude: f64,
    pub longitude: f64,
}

/// The address service of `[places] address_url`.
struct AddressService {
    url: url::Url,
    client: reqwest::Client,
    limit: Mutex<RateLimit>,
    kept: Mutex<Kept<Option<AddressHit>>>,
}

/// The node's geocoder: built once from `[places]`, shared by every request.
pub struct Geocoder {
    gazetteer: &'static Gazetteer,
    prefer: Vec<String>,
    address: Option<AddressService>,
}

impl Geocoder {
    pub fn new(config: &PlacesConfig) -> Geocoder {
        let address = config.address_url().map(|url| AddressService {
            url,
            // The operator's URL is trusted (a self-hosted addok may be on a private address);
            // like every outgoing request: no redirect followed, bounded time, our name.
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_millis(config.timeout_ms))
                .connect_timeout(Duration::from_millis(config.timeout_ms))
                .user_agent(concat!("Entraide/", env!("CARGO_PKG_VERSION")))
                .build()
                .unwrap_or_default(),
            limit: Mutex::new(RateLimit::new(config.requests_per_second)),
            kept: Mutex::new(Kept::new(config.cache_entries)),
        });
        Geocoder {
            gazetteer: Gazetteer::france(),
            prefer: config.departements.clone(),
            address,
        }
    }

    /// The commune of a text, from the gazetteer alone; `Err(suggestions)` when none matches.
    pub fn commune(&self, text: &str) -> Result<Located, Vec<String>> {
        let r = self.gazetteer.resolve(text, &self.prefer);
        match r.best {
            Some(c) => Ok(self.located(c)),
            None => Err(r.suggestions.iter().map(|c| self.label(c)).collect()),
        }
    }

    /// Where a commune, a postcode or an address is: the address service for an address (when
    /// configured and answering), else the gazetteer; `Err(suggestions)` when neither knows
    /// it. `now` paces the address service.
    pub async fn locate(&self, text: &str, now: DateTime<Utc>) -> Result<Located, Vec<String>> {
        let r = self.gazetteer.resolve(text, &self.prefer);
        if !r.whole {
            if let Some(hit) = self.ask_address(text, r.best, now).await {
                return Ok(Located {
                    point: hit.point,
                    label: hit.label,
                    insee: (!hit.citycode.is_empty()).then_some(hit.citycode),
                    precision: Precision::Address,
                });
            }
        }
        match r.best {
            Some(c) => Ok(self.located(c)),
            None => Err(r.suggestions.iter().map(|c| self.label(c)).collect()),
        }
    }

    /// The point of a text, or `None`: for search ("a commune, a postcode or an address").
    pub async fn point(&self, text: &str, now: DateTime<Utc>) -> Option<Point> {
        self.locate(text, now).await.ok().map(|l| l.point)
    }

    /// Places whose name or postcode starts with what was typed, biggest first.
    pub fn complete(&self, typed: &str, limit: usize) -> Vec<Suggestion> {
        let mut found = self.gazetteer.complete(typed, limit);
        found.sort_by_key(|c| !self.prefer.iter().any(|d| d == c.departement));
        found
            .into_iter()
            .map(|c| Suggestion {
                label: self.label(c),
                name: c.name.to_string(),
                insee: c.insee.to_string(),
                departement: c.departement.to_string(),
                postcodes: c.postcodes.iter().map(|p| p.to_string()).collect(),
                latitude: c.point.latitude,
                longitude: c.point.longitude,
            })
            .collect()
    }

    /// Locates the place typed in `field` for a use case: `Ok(None)` for an empty text, a
    /// field error "place not found" (with suggestions) when nothing matches.
    pub async fn field(
        &self,
        field: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Located>, FieldErrors> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        self.locate(text, now)
            .await
            .map(Some)
            .map_err(|suggestions| {
                let mut e = FieldErrors::new();
                e.add(field, not_found(text, &suggestions));
                e
            })
    }

    fn label(&self, c: &Commune) -> String {
        label(self.gazetteer, c)
    }

    fn located(&self, c: &Commune) -> Located {
        Located {
            point: c.point,
            label: self.label(c),
            insee: Some(c.insee.to_string()),
            precision: Precision::Commune,
        }
    }

    /// The address service's best answer; `None` when it is not configured, over its rate,
    /// failing, slow, or unsure.
    async fn ask_address(
        &self,
        text: &str,
        commune: Option<&Commune>,
        now: DateTime<Utc>,
    ) -> Option<AddressHit> {
        let service = self.address.as_ref()?;
        let key = fold(text);
        if let Some(kept) = service.kept.lock().ok()?.get(&key) {
            return kept;
        }
        if !service.limit.lock().ok()?.take(now) {
            tracing::debug!("address service: over its rate, the gazetteer answers");
            return None;
        }
        let mut url = service.url.clone();
        url.query_pairs_mut()
            .append_pair("q", text.trim())
            .append_pair("limit", "1");
        if let Some(c) = commune.filter(|c| c.kind != crate::places::Kind::Former) {
            url.query_pairs_mut().append_pair("citycode", c.insee);
        }
        let answer = async {
            let response = service.client.get(url).send().await?.error_for_status()?;
            response.bytes().await
        }
        .await;
        let hit = match answer {
            Ok(body) => match best_feature(&body) {
                Ok(hit) => hit,
                Err(e) => {
                    tracing::warn!("address service: not a FeatureCollection: {e}");
                    return None;
                }
            },
            Err(e) => {
                tracing::warn!("address service: {e}; the gazetteer answers");
                return None;
            }
        };
        if let Ok(mut kept) = service.kept.lock() {
            kept.put(key, hit.clone());
        }
        hit
    }
}

/// "Place not found: …", with what it could have been.
pub fn not_found(text: &str, suggestions: &[String]) -> FieldError {
    FieldError::new("place_not_found")
        .text("place", text)
        .text("suggestions", suggestions.join(", "))
        .num("count", suggestions.len() as i64)
}

/// Adds the place's error to those of the rest of the input, so that all show at once.
pub fn with_place_errors<T>(
    checked: Result<T, DomainError>,
    place: FieldErrors,
) -> Result<T, DomainError> {
    if place.0.is_empty() {
        return checked;
    }
    match checked {
        Ok(_) => Err(DomainError::Invalid(place)),
        Err(DomainError::Invalid(mut e)) => {
            for (field, error) in place.0 {
                e.add(&field, error);
            }
            Err(DomainError::Invalid(e))
        }
        Err(other) => Err(other),
    }
}

impl Geocoder {
    /// The point of a place typed in `field`, to store: `Ok(None)` for an empty text, or one
    /// not found when it did not change (an older free-text place is kept as it is); a field
    /// error when a changed place is not found.
    pub async fn typed(
        &self,
        field: &str,
        text: &str,
        changed: bool,
        now: DateTime<Utc>,
    ) -> Result<Option<Point>, FieldErrors> {
        match self.field(field, text, now).await {
            Ok(found) => Ok(found.map(|l| l.point)),
            Err(_) if !changed => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Fills in a mission's coordinates from its address (street, postcode, commune) when it
    /// was typed without them: on creation, or when the address changed (`before`, the place
    /// as stored). Coordinates sent by an API client are kept as they are.
    pub async fn locate_mission(
        &self,
        input: &mut crate::domain::mission::MissionInput,
        before: Option<&crate::domain::mission::Place>,
        now: DateTime<Utc>,
    ) -> FieldErrors {
        if input.latitude.is_some() || input.longitude.is_some() {
            return FieldErrors::new();
        }
        let typed = |sent: &Option<String>, stored: Option<&String>| -> (String, bool) {
            let was = stored.map(|s| s.trim()).unwrap_or("");
            match sent {
                Some(s) => (s.trim().to_string(), s.trim() != was),
                None => (was.to_string(), false),
            }
        };
        let (street, s) = typed(&input.street_address, before.map(|b| &b.street_address));
        let (postcode, p) = typed(&input.postal_code, before.map(|b| &b.postal_code));
        let (locality, l) = typed(&input.locality, before.map(|b| &b.locality));
        let changed = before.is_none() || s || p || l;
        let unplaced = before.is_none_or(|b| b.latitude.is_none());
        if locality.is_empty() || !(changed || unplaced) {
            return FieldErrors::new();
        }
        let town = format!("{postcode} {locality}");
        let text = [street.as_str(), town.trim()]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let place = self.typed("locality", &text, changed, now).await;
        placed(place, &mut input.latitude, &mut input.longitude)
    }
}

/// Writes the point found, if any, into `latitude` and `longitude`; the errors to show.
fn placed(
    found: Result<Option<Point>, FieldErrors>,
    latitude: &mut Option<f64>,
    longitude: &mut Option<f64>,
) -> FieldErrors {
    match found {
        Ok(Some(point)) => {
            *latitude = Some(point.latitude);
            *longitude = Some(point.longitude);
            FieldErrors::new()
        }
        Ok(None) => FieldErrors::new(),
        Err(e) => e,
    }
}

impl Geocoder {
    /// Fills in a resource's coordinates from its pickup place when it was typed without them:
    /// on creation, or when the place changed (`before`, as stored).
    pub async fn locate_resource(
        &self,
        input: &mut crate::domain::resource::ResourceInput,
        before: Option<&crate::domain::resource::ResourceDraft>,
        now: DateTime<Utc>,
    ) -> FieldErrors {
        if input.latitude.is_some() || input.longitude.is_some() {
            return FieldErrors::new();
        }
        let Some(text) = input.place.as_deref().map(str::trim) else {
            return FieldErrors::new();
        };
        let changed = before.is_none_or(|b| b.place.trim() != text);
        let unplaced = before.is_none_or(|b| b.latitude.is_none());
        if !(changed || unplaced) {
            return FieldErrors::new();
        }
        let place = self.typed("place", text, changed, now).await;
        placed(place, &mut input.latitude, &mut input.longitude)
    }

    /// Fills in a volunteer's home coordinates from their home town when none were sent;
    /// `before` is the profile as stored (an unchanged town not found keeps its position).
    pub async fn locate_home(
        &self,
        profile: &mut crate::domain::volunteer::Profile,
        before: &crate::domain::volunteer::Profile,
        now: DateTime<Utc>,
    ) -> FieldErrors {
        if profile.home_latitude.is_some() || profile.home_longitude.is_some() {
            return FieldErrors::new();
        }
        let changed = profile.home_town.trim() != before.home_town.trim();
        let found = self
            .typed("home_town", &profile.home_town, changed, now)
            .await;
        if matches!(found, Ok(None)) && !changed && !profile.home_town.trim().is_empty() {
            profile.home_latitude = before.home_latitude;
            profile.home_longitude = before.home_longitude;
            return FieldErrors::new();
        }
        placed(
            found,
            &mut profile.home_latitude,
            &mut profile.home_longitude,
        )
    }
}

/// Homonyms are told apart when the biggest is this many times bigger than the next.
const CLEARLY_BIGGER: u32 = 10;

impl Geocoder {
    /// The place a search is "near": like [`Geocoder::field`], and a field error
    /// `place_ambiguous` (listing the candidates) when the text names communes of the same
    /// name in several départements and nothing tells which (no postcode, no département, none
    /// in the node's own, none clearly the biggest): a search around the wrong one would be
    /// silently wrong.
    pub async fn near(
        &self,
        field: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Located>, FieldErrors> {
        if let Some(error) = self.ambiguity(text.trim()) {
            let mut e = FieldErrors::new();
            e.add(field, error);
            return Err(e);
        }
        self.field(field, text, now).await
    }

    /// `place_ambiguous` when `text` names homonyms that nothing tells apart (see
    /// [`Geocoder::near`]).
    fn ambiguity(&self, text: &str) -> Option<FieldError> {
        let r = self.gazetteer.resolve(text, &self.prefer);
        let q = crate::places::Query::read(text);
        let best = r
            .best
            .filter(|_| q.postcode.is_none() && q.departement.is_none())?;
        let same = |c: &&Commune| c.departement != best.departement && c.kind == best.kind;
        let others: Vec<&Commune> = r.suggestions.iter().copied().filter(same).collect();
        let preferred = self.prefer.iter().any(|d| d == best.departement);
        let clear =
            (others.iter()).all(|o| best.population >= o.population.saturating_mul(CLEARLY_BIGGER));
        if others.is_empty() || preferred || clear {
            return None;
        }
        let labels: Vec<String> = std::iter::once(best)
            .chain(others)
            .map(|c| self.label(c))
            .collect();
        Some(
            FieldError::new("place_ambiguous")
                .text("place", text)
                .text("example", labels[0].clone())
                .text("suggestions", labels.join(", ")),
        )
    }
}
