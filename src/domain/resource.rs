//! Shared equipment (issue 4): a lendable resource (one item or a pool of identical ones) with
//! its terms, and reservations of a quantity over a period. Pure rules, no I/O: what a resource
//! or a request must be, how busy periods stretch by the turnaround buffer, and how much of a
//! pool is taken over a period.

use super::{DomainError, FieldErrors};
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Who owns equipment: associations lend to each other, and so do cooperatives, craftsmen,
/// companies and local authorities of the territory.
pub const OWNER_KINDS: [&str; 5] = [
    "association",
    "cooperative",
    "craftsman",
    "company",
    "local_authority",
];

/// Kinds of equipment.
pub const RESOURCE_CATEGORIES: [&str; 8] = [
    "furniture",
    "tent",
    "stage",
    "sound_light",
    "vehicle",
    "room",
    "kitchen",
    "other",
];

const MAX_NAME: usize = 120;
const MAX_TEXT: usize = 5000;
/// The largest pool (chairs of a whole town).
const MAX_QUANTITY: i64 = 100_000;
/// Money: at most this many euros for a value, a price or a deposit.
const MAX_AMOUNT: i64 = 10_000_000;

/// How the equipment is lent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanMode {
    FreeLoan,
    Rental,
    Exchange,
}

impl LoanMode {
    pub fn as_str(self) -> &'static str {
        match self {
            LoanMode::FreeLoan => "free_loan",
            LoanMode::Rental => "rental",
            LoanMode::Exchange => "exchange",
        }
    }

    pub fn parse(s: &str) -> Option<LoanMode> {
        [LoanMode::FreeLoan, LoanMode::Rental, LoanMode::Exchange]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// Whether a request is granted by the owner's node at once (when the pool allows), or waits
/// for a coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    Automatic,
    Manual,
}

impl Approval {
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Automatic => "automatic",
            Approval::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Approval> {
        [Approval::Automatic, Approval::Manual]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// Who may ask to borrow a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Borrowers {
    /// Any association, of this node or of another.
    Everyone,
    /// The associations of this node, and those the owner follows.
    Followed,
    /// Only the associations listed (`name@host` addresses).
    List,
}

impl Borrowers {
    pub fn as_str(self) -> &'static str {
        match self {
            Borrowers::Everyone => "everyone",
            Borrowers::Followed => "followed",
            Borrowers::List => "list",
        }
    }

    pub fn parse(s: &str) -> Option<Borrowers> {
        [Borrowers::Everyone, Borrowers::Followed, Borrowers::List]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// The lending agreement's text when the owner wrote none. `{placeholders}` are filled from
/// the reservation (see [`AGREEMENT_PLACEHOLDERS`]).
pub const DEFAULT_AGREEMENT: &str = "Le prêteur met à disposition de l'emprunteur {quantity} × {resource}, du {start} au {end}. Le matériel est retiré et rendu à l'adresse suivante : {place}.

L'emprunteur s'engage à utiliser le matériel avec soin, pour l'usage prévu, et à le rendre propre et complet à la date convenue. Toute perte, casse ou dégradation est signalée sans délai ; le matériel perdu ou hors d'usage est remboursé à sa valeur de remplacement ({replacement_value}).

Dépôt de garantie : {deposit}. Prix : {price}.

Conditions particulières du prêteur : {conditions}";

/// What an agreement template may refer to.
pub const AGREEMENT_PLACEHOLDERS: [&str; 11] = [
    "owner",
    "borrower",
    "resource",
    "quantity",
    "start",
    "end",
    "place",
    "deposit",
    "price",
    "replacement_value",
    "conditions",
];

/// What people send to describe a resource. Every field may be left out of a change.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ResourceInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    /// association, cooperative, craftsman, company or local_authority.
    pub owner_kind: Option<String>,
    /// Pickup address, as people write it.
    pub place: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// How many identical items (1 for a unique one).
    pub quantity: Option<i64>,
    /// Euros, as a decimal string or number.
    pub replacement_value: Option<serde_json::Value>,
    /// free_loan, rental or exchange.
    pub mode: Option<String>,
    pub price_per_day: Option<serde_json::Value>,
    pub deposit: Option<serde_json::Value>,
    pub conditions: Option<String>,
    pub insurance_required: Option<bool>,
    /// Hours between the request and the pickup, at least.
    pub min_notice_hours: Option<i64>,
    /// Longest loan, in days.
    pub max_days: Option<i64>,
    /// Hours kept free between two loans (cleaning, transport).
    pub turnaround_hours: Option<i64>,
    /// automatic or manual.
    pub approval: Option<String>,
    /// `everyone`, `followed` or `list`.
    pub borrowers: Option<String>,
    /// Associations allowed when `borrowers` is `list`: `name@host`, one per item.
    pub borrower_list: Option<Vec<String>>,
    /// The lending agreement's text, with `{placeholders}`; empty for the standard one.
    pub agreement_template: Option<String>,
}

/// A checked resource description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceDraft {
    pub name: String,
    pub description: String,
    pub category: String,
    pub owner_kind: String,
    pub place: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub quantity: i64,
    pub replacement_value: Option<Decimal>,
    pub mode: LoanMode,
    pub price_per_day: Option<Decimal>,
    pub deposit: Option<Decimal>,
    pub conditions: String,
    pub insurance_required: bool,
    pub min_notice_hours: i64,
    pub max_days: i64,
    pub turnaround_hours: i64,
    pub approval: Approval,
    pub borrowers: Borrowers,
    pub borrower_list: Vec<String>,
    /// Empty: [`DEFAULT_AGREEMENT`].
    pub agreement_template: String,
}

fn amount(v: &serde_json::Value, field: &str, errors: &mut FieldErrors) -> Option<Decimal> {
    let d = match v {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) if s.trim().is_empty() => return None,
        serde_json::Value::String(s) => Decimal::from_str(&s.trim().replace(',', ".")).ok(),
        serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    };
    match d {
        None => {
            errors.add(field, "must be an amount in euros, like \"150.00\"");
            None
        }
        Some(d) if d.is_sign_negative() && !d.is_zero() => {
            errors.add(field, "must not be negative");
            None
        }
        Some(d) if d > Decimal::from(MAX_AMOUNT) || d.scale() > 2 => {
            errors.add(field, "must be an amount in euros with at most 2 decimals");
            None
        }
        Some(d) => Some(d),
    }
}

impl ResourceDraft {
    /// A new resource from what was sent.
    pub fn parse(input: &ResourceInput) -> Result<ResourceDraft, DomainError> {
        let base = ResourceDraft {
            name: String::new(),
            description: String::new(),
            category: "other".into(),
            owner_kind: "association".into(),
            place: String::new(),
            latitude: None,
            longitude: None,
            quantity: 1,
            replacement_value: None,
            mode: LoanMode::FreeLoan,
            price_per_day: None,
            deposit: None,
            conditions: String::new(),
            insurance_required: false,
            min_notice_hours: 24,
            max_days: 7,
            turnaround_hours: 0,
            approval: Approval::Manual,
            borrowers: Borrowers::Everyone,
            borrower_list: Vec::new(),
            agreement_template: String::new(),
        };
        let mut errors = FieldErrors::new();
        if input
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
        {
            errors.add("name", "is required");
        }
        match base.apply_into(input, errors) {
            Ok(d) => Ok(d),
            Err(e) => Err(e),
        }
    }

    /// This resource with the fields that were sent changed.
    pub fn apply(&self, input: &ResourceInput) -> Result<ResourceDraft, DomainError> {
        self.apply_into(input, FieldErrors::new())
    }

    fn apply_into(
        &self,
        input: &ResourceInput,
        mut errors: FieldErrors,
    ) -> Result<ResourceDraft, DomainError> {
        let mut d = self.clone();
        if let Some(n) = &input.name {
            d.name = n.trim().to_string();
            if d.name.is_empty() {
                errors.add("name", "is required");
            } else if d.name.chars().count() > MAX_NAME {
                errors.add("name", format!("at most {MAX_NAME} characters"));
            }
        }
        for (field, given, slot) in [
            ("description", &input.description, &mut d.description),
            ("conditions", &input.conditions, &mut d.conditions),
            ("place", &input.place, &mut d.place),
        ] {
            if let Some(v) = given {
                *slot = v.trim().to_string();
                if slot.chars().count() > MAX_TEXT {
                    errors.add(field, format!("at most {MAX_TEXT} characters"));
                }
            }
        }
        if let Some(c) = &input.category {
            if RESOURCE_CATEGORIES.contains(&c.as_str()) {
                d.category = c.clone();
            } else {
                errors.add(
                    "category",
                    format!("must be one of: {}", RESOURCE_CATEGORIES.join(", ")),
                );
            }
        }
        if let Some(k) = &input.owner_kind {
            if OWNER_KINDS.contains(&k.as_str()) {
                d.owner_kind = k.clone();
            } else {
                errors.add(
                    "owner_kind",
                    format!("must be one of: {}", OWNER_KINDS.join(", ")),
                );
            }
        }
        if input.latitude.is_some() || input.longitude.is_some() {
            match (input.latitude, input.longitude) {
                (Some(lat), Some(lon))
                    if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
                {
                    d.latitude = Some(lat);
                    d.longitude = Some(lon);
                }
                (Some(_), Some(_)) => errors.add("latitude", "is not a position on Earth"),
                _ => errors.add("latitude", "latitude and longitude go together"),
            }
        }
        if let Some(q) = input.quantity {
            if (1..=MAX_QUANTITY).contains(&q) {
                d.quantity = q;
            } else {
                errors.add("quantity", format!("must be between 1 and {MAX_QUANTITY}"));
            }
        }
        if let Some(m) = &input.mode {
            match LoanMode::parse(m) {
                Some(m) => d.mode = m,
                None => errors.add("mode", "must be free_loan, rental or exchange"),
            }
        }
        if let Some(a) = &input.approval {
            match Approval::parse(a) {
                Some(a) => d.approval = a,
                None => errors.add("approval", "must be automatic or manual"),
            }
        }
        if let Some(v) = &input.replacement_value {
            d.replacement_value = amount(v, "replacement_value", &mut errors);
        }
        if let Some(v) = &input.price_per_day {
            d.price_per_day = amount(v, "price_per_day", &mut errors);
        }
        if let Some(v) = &input.deposit {
            d.deposit = amount(v, "deposit", &mut errors);
        }
        if let Some(b) = input.insurance_required {
            d.insurance_required = b;
        }
        for (field, given, slot, max) in [
            (
                "min_notice_hours",
                input.min_notice_hours,
                &mut d.min_notice_hours,
                24 * 365,
            ),
            ("max_days", input.max_days, &mut d.max_days, 366),
            (
                "turnaround_hours",
                input.turnaround_hours,
                &mut d.turnaround_hours,
                24 * 31,
            ),
        ] {
            if let Some(v) = given {
                if (0..=max).contains(&v) {
                    *slot = v;
                } else {
                    errors.add(field, format!("must be between 0 and {max}"));
                }
            }
        }
        if let Some(b) = &input.borrowers {
            match Borrowers::parse(b) {
                Some(b) => d.borrowers = b,
                None => errors.add("borrowers", "must be everyone, followed or list"),
            }
        }
        if let Some(list) = &input.borrower_list {
            let mut clean = Vec::new();
            for item in list {
                let a = item.trim().trim_start_matches('@').to_lowercase();
                if a.is_empty() {
                    continue;
                }
                match a.split_once('@') {
                    Some((n, h)) if !n.is_empty() && !h.is_empty() && !h.contains('@') => {
                        if !clean.contains(&a) {
                            clean.push(a)
                        }
                    }
                    _ => errors.add(
                        "borrower_list",
                        format!("{} is not an address like name@host", item.trim()),
                    ),
                }
            }
            if clean.len() > 500 {
                errors.add("borrower_list", "at most 500 associations");
            }
            d.borrower_list = clean;
        }
        if d.borrowers == Borrowers::List && d.borrower_list.is_empty() {
            errors.add("borrower_list", "name at least one association (name@host)");
        }
        if let Some(t) = &input.agreement_template {
            d.agreement_template = t.trim().to_string();
            if d.agreement_template.chars().count() > MAX_TEXT * 4 {
                errors.add(
                    "agreement_template",
                    format!("at most {} characters", MAX_TEXT * 4),
                );
            }
            if let Some(bad) = unknown_placeholder(&d.agreement_template) {
                errors.add(
                    "agreement_template",
                    format!(
                        "{{{bad}}} is not known; use {}",
                        AGREEMENT_PLACEHOLDERS
                            .iter()
                            .map(|p| format!("{{{p}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        if d.max_days < 1 {
            errors.add("max_days", "must be at least 1");
        }
        if d.mode == LoanMode::Rental && d.price_per_day.is_none() {
            errors.add("price_per_day", "is required for a rental");
        }
        errors.into_result(d)
    }
}

/// The first `{name}` of a template that is not a known placeholder.
fn unknown_placeholder(template: &str) -> Option<String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !AGREEMENT_PLACEHOLDERS.contains(&name) {
            return Some(name.chars().take(40).collect());
        }
        rest = &after[close + 1..];
    }
    None
}

/// Fills a template's `{placeholders}` from `values` (unknown ones are left as written).
pub fn fill_template(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// A period during which some of a pool is taken (published without the borrower's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusyPeriod {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub quantity: i64,
}

/// A resource as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    pub id: i64,
    pub ap_id: String,
    /// The owning association (or structure).
    pub actor_id: i64,
    #[serde(flatten)]
    pub draft: ResourceDraft,
    /// Another node's resource: the busy periods it last published (ours are computed from
    /// the reservations).
    #[serde(skip)]
    pub remote_busy: Vec<BusyPeriod>,
    /// Removed by its owner: it answers 410 and takes no more requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where a reservation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReservationState {
    Requested,
    Accepted,
    Refused,
    PickedUp,
    Returned,
    Cancelled,
}

impl ReservationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReservationState::Requested => "requested",
            ReservationState::Accepted => "accepted",
            ReservationState::Refused => "refused",
            ReservationState::PickedUp => "picked_up",
            ReservationState::Returned => "returned",
            ReservationState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ReservationState> {
        use ReservationState::*;
        [Requested, Accepted, Refused, PickedUp, Returned, Cancelled]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    /// Whether it takes items from the pool.
    pub fn holds(self) -> bool {
        matches!(
            self,
            ReservationState::Accepted | ReservationState::PickedUp
        )
    }
}

/// A request for a quantity over a period, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reservation {
    pub id: i64,
    pub resource_id: i64,
    /// The idempotency key: a remote `Offer`'s id, or one made here.
    pub offer_id: String,
    /// The borrowing association (local or remote), when known.
    pub borrower_actor_id: Option<i64>,
    pub quantity: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: ReservationState,
    /// Why it was refused or cancelled.
    pub reason: String,
    /// The owner's `Agreement` once accepted.
    pub agreement_id: Option<String>,
    /// What the owner noted when handing the equipment over, and when taking it back.
    pub pickup_notes: String,
    pub return_notes: String,
    /// Who accepted the lending agreement online for each side, and when.
    pub owner_signed: Option<Signature>,
    pub borrower_signed: Option<Signature>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An online acceptance of the lending agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Signature {
    /// The person's name as shown (and their account).
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Reservation {
    /// Taken and not back at the agreed time.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.state == ReservationState::PickedUp && self.end < now
    }

    /// What a person sees: the state, or `overdue`.
    pub fn shown_state(&self, now: DateTime<Utc>) -> &'static str {
        if self.is_overdue(now) {
            "overdue"
        } else {
            self.state.as_str()
        }
    }
}

/// A checked request: how many, from when to when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub quantity: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Period {
    /// Checks a request against the resource's terms at `now`: the return after the pickup,
    /// a quantity the pool has, the notice, the longest loan.
    pub fn check(
        resource: &ResourceDraft,
        quantity: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Period, DomainError> {
        let mut errors = FieldErrors::new();
        if end <= start {
            errors.add("end", "the return must come after the pickup");
        } else if end - start > Duration::days(resource.max_days) {
            errors.add(
                "end",
                format!("a loan lasts at most {} day(s)", resource.max_days),
            );
        }
        if start < now + Duration::hours(resource.min_notice_hours) {
            errors.add(
                "start",
                format!(
                    "ask at least {} hour(s) before the pickup",
                    resource.min_notice_hours
                ),
            );
        }
        if quantity < 1 {
            errors.add("quantity", "must be at least 1");
        } else if quantity > resource.quantity {
            errors.add(
                "quantity",
                format!("there are only {} in all", resource.quantity),
            );
        }
        errors.into_result(Period {
            quantity,
            start,
            end,
        })
    }

    /// The period as it blocks the pool: stretched by the turnaround buffer on both sides.
    pub fn blocked(&self, turnaround_hours: i64) -> (DateTime<Utc>, DateTime<Utc>) {
        let b = Duration::hours(turnaround_hours);
        (self.start - b, self.end + b)
    }
}

/// The most items taken at any instant of `[from, to)` by `held` periods (quantity, start,
/// end, already stretched by the buffer): the peak of overlapping loans, not their sum.
pub fn peak_use(
    held: &[(i64, DateTime<Utc>, DateTime<Utc>)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    // Sweep over the starts and ends that fall in the window.
    let mut events: Vec<(DateTime<Utc>, i64)> = Vec::new();
    for &(q, s, e) in held {
        if s < to && e > from {
            events.push((s.max(from), q));
            events.push((e.min(to), -q));
        }
    }
    // Ends before starts at the same instant: back-to-back loans do not overlap.
    events.sort_by_key(|&(t, d)| (t, d));
    let (mut now, mut peak) = (0, 0);
    for (_, d) in events {
        now += d;
        peak = peak.max(now);
    }
    peak
}

/// How many of a pool are free over each window (a day, in the node's time zone): the pool
/// less the peak of `held` periods (already stretched by the buffer) inside it.
pub fn free_over(
    quantity: i64,
    held: &[(i64, DateTime<Utc>, DateTime<Utc>)],
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<i64> {
    windows
        .iter()
        .map(|&(from, to)| (quantity - peak_use(held, from, to)).max(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 6, 1, 0, 0, 0)
            .single()
            .expect("date")
            + Duration::hours(h)
    }

    fn chairs() -> ResourceDraft {
        ResourceDraft::parse(&ResourceInput {
            name: Some("Chaises pliantes".into()),
            quantity: Some(80),
            turnaround_hours: Some(12),
            min_notice_hours: Some(48),
            max_days: Some(5),
            ..Default::default()
        })
        .expect("valid")
    }

    #[test]
    fn a_resource_is_checked_field_by_field() {
        let bad = ResourceDraft::parse(&ResourceInput {
            quantity: Some(0),
            mode: Some("rental".into()),
            deposit: Some(serde_json::json!("-5")),
            category: Some("spaceship".into()),
            latitude: Some(48.4),
            ..Default::default()
        });
        let Err(DomainError::Invalid(e)) = bad else {
            panic!("{bad:?}")
        };
        for f in [
            "name",
            "quantity",
            "price_per_day",
            "deposit",
            "category",
            "latitude",
        ] {
            assert!(e.0.contains_key(f), "{f}: {e:?}");
        }
        let d = chairs();
        assert_eq!(
            (d.quantity, d.approval, d.mode),
            (80, Approval::Manual, LoanMode::FreeLoan)
        );
        let rental = d
            .apply(&ResourceInput {
                mode: Some("rental".into()),
                price_per_day: Some(serde_json::json!("2,50")),
                ..Default::default()
            })
            .expect("a rental with its price");
        assert_eq!(rental.price_per_day, Decimal::from_str("2.50").ok());
    }

    #[test]
    fn a_request_respects_the_terms() {
        let d = chairs();
        let now = at(0);
        assert!(Period::check(&d, 10, at(72), at(96), now).is_ok());
        let refused = |q, s, e| match Period::check(&d, q, s, e, now) {
            Err(DomainError::Invalid(errors)) => errors.0.keys().cloned().collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(refused(10, at(96), at(72)), ["end"], "return before pickup");
        assert_eq!(refused(81, at(72), at(96)), ["quantity"], "above the pool");
        assert_eq!(
            refused(10, at(24), at(30)),
            ["start"],
            "shorter than the notice"
        );
        assert_eq!(
            refused(10, at(72), at(72 + 24 * 6)),
            ["end"],
            "longer than 5 days"
        );
    }

    #[test]
    fn the_peak_counts_overlaps_not_sums() {
        let held = [
            (30, at(0), at(10)),
            (30, at(10), at(20)),
            (15, at(5), at(15)),
        ];
        assert_eq!(peak_use(&held, at(0), at(20)), 45);
        assert_eq!(peak_use(&held, at(16), at(18)), 30);
        assert_eq!(peak_use(&held, at(20), at(30)), 0, "ends are open");
        // The buffer stretches a loan: 12 h either side.
        let p = Period {
            quantity: 5,
            start: at(24),
            end: at(48),
        };
        assert_eq!(p.blocked(12), (at(12), at(60)));
    }
}
