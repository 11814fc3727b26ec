//! A generated customer base with planted signals, for the customer models: shared by
//! `benches/customer_models.rs` (the figures in RESULTS.md) and
//! `tests/customer_models.rs` (a smaller base, with floors the models must keep).
//!
//! Customers join over the first 300 days from [`START`] and buy products `A`, `C` and
//! `D` at a rate of their own. Planted:
//! - *cross-sell*: women with upper-middle or high income who have bought `A` buy `B`
//!   often afterwards (12 % per 10 days); everyone else rarely buys `B` (0.5 %);
//! - *churn*: unhappy customers complain (one to three complaint cases in the 60 days
//!   before) and then stop buying; others stop too, less often and without warning.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crm::customer::{NewContact, NewPurchase};
use crm::lead::{AgeBand, Demographics, Gender, IncomeBand};
use crm::scoring::features::{Feature, FeatureSpec};
use crm::scoring::rules::Attribute;
use crm::service::case::{CaseCategory, CaseChannel, NewCase};
use crm::store::Store;
use crm::{Crm, Money};
use rust_decimal::Decimal;

use super::Rng;

/// The first day of the history.
pub const START: (i32, u32, u32) = (2025, 1, 1);

/// The first instant of the history.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(START.0, START.1, START.2, 0, 0, 0)
        .unwrap()
}

/// The instant `day` days after [`start`].
pub fn day(day: i64) -> DateTime<Utc> {
    start() + Duration::days(day)
}

/// Days of history generated.
pub const DAYS: i64 = 640;

/// What was generated.
#[derive(Debug, Default)]
pub struct Generated {
    /// Customers.
    pub customers: usize,
    /// Purchases.
    pub purchases: usize,
    /// Complaint cases.
    pub cases: usize,
}

/// Fills `crm` with `customers` generated customers (deterministic for a `seed`).
pub fn populate<S: Store>(crm: &Crm<S>, customers: usize, seed: u64) -> Generated {
    let mut rng = Rng(seed);
    let mut out = Generated::default();
    let usd = |v: u64| Money::new(Decimal::from(v), crm::Currency::parse("USD").unwrap());
    for i in 0..customers {
        let joined = rng.below(300) as i64;
        let gender = if rng.below(2) == 0 {
            Gender::Female
        } else {
            Gender::Male
        };
        let income = [
            IncomeBand::Low,
            IncomeBand::LowerMiddle,
            IncomeBand::Middle,
            IncomeBand::UpperMiddle,
            IncomeBand::High,
        ][rng.below(5) as usize];
        let age = [
            AgeBand::From25To34,
            AgeBand::From35To44,
            AgeBand::From45To54,
        ][rng.below(3) as usize];
        let group = gender == Gender::Female
            && matches!(income, IncomeBand::UpperMiddle | IncomeBand::High);
        let contact = crm
            .create_contact(
                NewContact {
                    last_name: Some(format!("Customer {i}")),
                    demographics: Demographics {
                        age_band: Some(age),
                        gender: Some(gender),
                        income_band: Some(income),
                    },
                    ..Default::default()
                },
                day(joined),
            )
            .unwrap();
        out.customers += 1;
        // purchases per 10 days
        let rate = [0.1, 0.25, 0.5][rng.below(3) as usize];
        let unhappy = rng.uniform() < 0.25;
        let churn_at = if unhappy || rng.uniform() < 0.15 {
            joined + 60 + rng.below((DAYS - joined - 60) as u64) as i64
        } else {
            i64::MAX
        };
        if unhappy && churn_at < DAYS {
            for _ in 0..1 + rng.below(3) {
                let at = (churn_at - 1 - rng.below(60) as i64).max(joined);
                crm.open_case(
                    NewCase {
                        subject: "Not happy".into(),
                        description: String::new(),
                        channel: CaseChannel::Email,
                        category: CaseCategory::Complaint,
                        priority: crm::service::case::CasePriority::Normal,
                        account: None,
                        contact: Some(contact.id),
                        asset: None,
                        contract: None,
                        owner: None,
                        queue: None,
                        product: None,
                        language: None,
                        custom: Default::default(),
                    },
                    day(at),
                )
                .unwrap();
                out.cases += 1;
            }
        }
        let mut t = joined;
        let buy = |product: &str, at: i64, price: u64| {
            crm.record_purchase(
                NewPurchase {
                    contact: contact.id,
                    product: product.into(),
                    purchased_at: day(at) + Duration::hours(10),
                    sales_rep: None,
                    quantity: Decimal::ONE,
                    unit_price: usd(price),
                    special_instructions: None,
                    feedback: None,
                    custom: Default::default(),
                },
                day(at) + Duration::hours(10),
            )
            .unwrap();
        };
        // the first purchase on joining
        let first = ["A", "C", "D"][rng.below(3) as usize];
        let mut bought_a = first == "A";
        buy(first, t, 100);
        out.purchases += 1;
        while t + 10 < DAYS.min(churn_at) {
            t += 10;
            if rng.uniform() < rate {
                let product = ["A", "C", "D"][rng.below(3) as usize];
                bought_a |= product == "A";
                buy(product, t, [100, 40, 250][(t as usize + i) % 3]);
                out.purchases += 1;
            }
            let p_b = if group && bought_a { 0.12 } else { 0.005 };
            if rng.uniform() < p_b {
                buy("B", t + 1, 80);
                out.purchases += 1;
            }
        }
    }
    out
}

/// The feature spec the models of this base are fitted with: demographics, RFM, tenure,
/// what was bought, complaints.
pub fn spec() -> FeatureSpec {
    let one_hot = |attribute| Feature::OneHot {
        attribute,
        vocabulary: vec![],
        max_values: 5,
    };
    FeatureSpec {
        features: vec![
            one_hot(Attribute::Gender),
            one_hot(Attribute::IncomeBand),
            one_hot(Attribute::AgeBand),
            Feature::DaysSinceLastPurchase { cap_days: 365.0 },
            Feature::Purchases { days: 90.0 },
            Feature::Spend { days: 90.0 },
            Feature::DaysSinceFirstPurchase { cap_days: 730.0 },
            Feature::Bought {
                products: vec!["A".into()],
                days: None,
            },
            Feature::Bought {
                products: vec!["B".into()],
                days: None,
            },
            Feature::Cases {
                category: Some("complaint".into()),
                days: 90.0,
            },
        ],
    }
}
