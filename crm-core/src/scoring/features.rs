//! Features from CRM data: a declared [`FeatureSpec`] turns [`Record`]s — a lead or a
//! customer with their touchpoints, purchases, cases and contracts — into a row-major
//! numeric matrix. The same spec gives the same row wherever it runs, because it is plain
//! data (serde) and every step is deterministic.
//!
//! Kinds of feature: a numeric value, a categorical attribute one-hot encoded over a
//! vocabulary learned from training data (plus an *other* column for values outside it),
//! engagement per touchpoint kind with exponential decay, touch counts in a window,
//! recency of the last touch; purchase history (recency, frequency and monetary value in a
//! window, tenure, what was bought); service history (cases, complaints, SLA breaches) and
//! contracts (in force, ended). Every feature of a row is taken as of the row's instant:
//! nothing recorded after it counts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Problems, Result};
use crate::scoring::record::{Person, Record};
use crate::scoring::rules::Attribute;
use crate::tracking::TouchpointKind;

/// One declared feature.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "feature")]
pub enum Feature {
    /// The lead's current score (0 when unscored).
    Score,
    /// A custom field read as a number (0 when absent or not a number).
    CustomNumber {
        /// The custom field.
        field: String,
    },
    /// Whether the attribute has a value (1 or 0).
    Present {
        /// The attribute.
        attribute: Attribute,
    },
    /// One column per vocabulary value and one for *other* (1 in the value's column).
    /// A missing value gives all zeros.
    OneHot {
        /// The attribute.
        attribute: Attribute,
        /// The values with a column of their own (lower-cased); learned by
        /// [`FeatureSpec::learn`] when empty.
        #[serde(default)]
        vocabulary: Vec<String>,
        /// At most this many values are learned (the most frequent).
        max_values: usize,
    },
    /// Σ 0.5^(age / half-life) over touches of a kind: a touch now counts 1.
    Engagement {
        /// The touchpoint kind.
        kind: String,
        /// Days for a touch to count half.
        half_life_days: f64,
    },
    /// Touches of a kind in the last `days` days.
    TouchCount {
        /// The touchpoint kind (`any` for all).
        kind: String,
        /// The window in days.
        days: f64,
    },
    /// Days since the last touch of any kind, capped at `cap_days` (also when none).
    DaysSinceLastTouch {
        /// The cap.
        cap_days: f64,
    },
    /// Purchases recorded (for a lead: its converted contact's).
    PurchaseCount,
    /// Days since the last purchase, capped at `cap_days` (also when none): recency.
    DaysSinceLastPurchase {
        /// The cap.
        cap_days: f64,
    },
    /// Days since the first purchase, capped at `cap_days` (0 when none): tenure.
    DaysSinceFirstPurchase {
        /// The cap.
        cap_days: f64,
    },
    /// Purchases in the last `days` days: frequency.
    Purchases {
        /// The window in days.
        days: f64,
    },
    /// What was paid in the last `days` days (order line nets, else quantity × unit
    /// price, in the purchases' own currencies): monetary value.
    Spend {
        /// The window in days.
        days: f64,
    },
    /// Purchases of any of these products (SKUs; a product group), ever or in the last
    /// `days` days.
    Bought {
        /// The products.
        products: Vec<String>,
        /// The window in days (all time when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        days: Option<f64>,
    },
    /// Service cases opened in the last `days` days, of one category (`complaint`,
    /// `question`, `incident`, `request`) or all.
    Cases {
        /// The category (all when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<String>,
        /// The window in days.
        days: f64,
    },
    /// SLA breaches recorded on the customer's cases in the last `days` days.
    SlaBreaches {
        /// The window in days.
        days: f64,
    },
    /// Contracts of the customer's account in force (started, not ended, not cancelled).
    ActiveContracts,
    /// Contracts of the customer's account that ended in the last `days` days.
    EndedContracts {
        /// The window in days.
        days: f64,
    },
    /// A value the caller supplies in a column of its own matrix (a model trained on a
    /// data scientist's own features). Leads cannot fill it: a spec with such columns
    /// scores matrices, not leads.
    Column {
        /// The column's name.
        name: String,
    },
}

/// An ordered list of features.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// The features, in column order.
    pub features: Vec<Feature>,
}

fn days_between(later: DateTime<Utc>, earlier: DateTime<Utc>) -> f64 {
    (later - earlier).num_milliseconds() as f64 / 86_400_000.0
}

impl FeatureSpec {
    /// Checks the spec.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for unknown touchpoint kinds and non-positive half-lives,
    /// windows, caps or vocabulary sizes.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        let mut seen = std::collections::HashSet::new();
        for (i, f) in self.features.iter().enumerate() {
            if let Feature::Column { name } = f
                && !seen.insert(name.as_str())
            {
                p.push(
                    format!("features[{i}]"),
                    format!("column {name:?} appears twice"),
                );
            }
        }
        let positive = |v: f64| v.is_finite() && v > 0.0;
        for (i, f) in self.features.iter().enumerate() {
            let name = format!("features[{i}]");
            match f {
                Feature::Engagement {
                    kind,
                    half_life_days,
                } => {
                    if !TouchpointKind::NAMES.contains(&kind.as_str()) {
                        p.push(name.clone(), format!("unknown touchpoint kind {kind:?}"));
                    }
                    if !positive(*half_life_days) {
                        p.push(name, "the half-life must be a positive number of days");
                    }
                }
                Feature::TouchCount { kind, days } => {
                    if kind != "any" && !TouchpointKind::NAMES.contains(&kind.as_str()) {
                        p.push(name.clone(), format!("unknown touchpoint kind {kind:?}"));
                    }
                    if !positive(*days) {
                        p.push(name, "the window must be a positive number of days");
                    }
                }
                Feature::DaysSinceLastTouch { cap_days }
                | Feature::DaysSinceLastPurchase { cap_days }
                | Feature::DaysSinceFirstPurchase { cap_days }
                    if !positive(*cap_days) =>
                {
                    p.push(name, "the cap must be a positive number of days");
                }
                Feature::Purchases { days }
                | Feature::Spend { days }
                | Feature::SlaBreaches { days }
                | Feature::EndedContracts { days }
                    if !positive(*days) =>
                {
                    p.push(name, "the window must be a positive number of days");
                }
                Feature::Bought { products, days } => {
                    if products.is_empty() || products.iter().any(|p| p.trim().is_empty()) {
                        p.push(name.clone(), "name at least one product, none blank");
                    }
                    if days.is_some_and(|d| !positive(d)) {
                        p.push(name, "the window must be a positive number of days");
                    }
                }
                Feature::Cases { category, days } => {
                    if let Some(c) = category
                        && c.parse::<crate::service::case::CaseCategory>().is_err()
                    {
                        p.push(name.clone(), format!("unknown case category {c:?}"));
                    }
                    if !positive(*days) {
                        p.push(name, "the window must be a positive number of days");
                    }
                }
                Feature::OneHot { max_values, .. } if *max_values == 0 => {
                    p.push(name, "max_values must be at least 1");
                }
                _ => {}
            }
        }
        p.finish(())
    }

    /// Fills the empty vocabularies of one-hot features with the most frequent values
    /// among `people` (ties broken alphabetically, so the result does not depend on input
    /// order).
    pub fn learn(&mut self, people: &[Person<'_>]) {
        for f in &mut self.features {
            if let Feature::OneHot {
                attribute,
                vocabulary,
                max_values,
            } = f
            {
                if !vocabulary.is_empty() {
                    continue;
                }
                let mut counts: HashMap<String, usize> = HashMap::new();
                for person in people {
                    if let Some(v) = person.attribute(attribute) {
                        *counts.entry(v.to_lowercase()).or_default() += 1;
                    }
                }
                let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
                ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                *vocabulary = ranked
                    .into_iter()
                    .take(*max_values)
                    .map(|(v, _)| v)
                    .collect();
            }
        }
    }

    /// The column names, in order (`one_hot:country=us`, `engagement:ad_click`…).
    pub fn column_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for f in &self.features {
            match f {
                Feature::Score => names.push("score".into()),
                Feature::CustomNumber { field } => names.push(format!("custom:{field}")),
                Feature::Present { attribute } => {
                    names.push(format!("present:{}", attribute_name(attribute)))
                }
                Feature::OneHot {
                    attribute,
                    vocabulary,
                    ..
                } => {
                    let a = attribute_name(attribute);
                    names.extend(vocabulary.iter().map(|v| format!("{a}={v}")));
                    names.push(format!("{a}=(other)"));
                }
                Feature::Engagement { kind, .. } => names.push(format!("engagement:{kind}")),
                Feature::TouchCount { kind, days } => names.push(format!("touches:{kind}:{days}d")),
                Feature::DaysSinceLastTouch { .. } => names.push("days_since_last_touch".into()),
                Feature::PurchaseCount => names.push("purchases".into()),
                Feature::DaysSinceLastPurchase { .. } => {
                    names.push("days_since_last_purchase".into())
                }
                Feature::DaysSinceFirstPurchase { .. } => {
                    names.push("days_since_first_purchase".into())
                }
                Feature::Purchases { days } => names.push(format!("purchases:{days}d")),
                Feature::Spend { days } => names.push(format!("spend:{days}d")),
                Feature::Bought { products, days } => names.push(match days {
                    Some(d) => format!("bought:{}:{d}d", products.join("|")),
                    None => format!("bought:{}", products.join("|")),
                }),
                Feature::Cases { category, days } => names.push(format!(
                    "cases:{}:{days}d",
                    category.as_deref().unwrap_or("any")
                )),
                Feature::SlaBreaches { days } => names.push(format!("sla_breaches:{days}d")),
                Feature::ActiveContracts => names.push("active_contracts".into()),
                Feature::EndedContracts { days } => names.push(format!("ended_contracts:{days}d")),
                Feature::Column { name } => names.push(name.clone()),
            }
        }
        names
    }

    /// A spec of caller-supplied columns with these names (for a model fitted on the
    /// caller's own matrix).
    pub fn columns<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        FeatureSpec {
            features: names
                .into_iter()
                .map(|n| Feature::Column { name: n.into() })
                .collect(),
        }
    }

    /// Whether every column can be built from records (no caller-supplied columns).
    pub fn builds_from_leads(&self) -> bool {
        !self
            .features
            .iter()
            .any(|f| matches!(f, Feature::Column { .. }))
    }

    /// The feature matrix of `records` at `now`, row-major, one row per record.
    ///
    /// # Errors
    /// As [`FeatureSpec::check`].
    ///
    /// [`crate::Error::InvalidValue`] when the spec has caller-supplied columns
    /// ([`Feature::Column`]), which leads cannot fill.
    pub fn build(&self, records: &[Record<'_>], now: DateTime<Utc>) -> Result<Vec<f64>> {
        self.check_builds()?;
        let cols = self.column_names().len();
        let mut out = Vec::with_capacity(records.len() * cols);
        for r in records {
            self.push_row(r, now, &mut out);
        }
        debug_assert_eq!(out.len(), records.len() * cols);
        Ok(out)
    }

    /// Like [`FeatureSpec::build`], with each row's features taken as of its own instant
    /// (for training rows: the moment the lead's outcome was decided, or a customer
    /// training set's cut-off).
    ///
    /// # Errors
    /// As [`FeatureSpec::check`].
    pub fn build_at(&self, records: &[(Record<'_>, DateTime<Utc>)]) -> Result<Vec<f64>> {
        self.check_builds()?;
        let cols = self.column_names().len();
        let mut out = Vec::with_capacity(records.len() * cols);
        for (r, at) in records {
            self.push_row(r, *at, &mut out);
        }
        Ok(out)
    }

    fn check_builds(&self) -> Result<()> {
        self.check()?;
        match self.features.iter().find_map(|f| match f {
            Feature::Column { name } => Some(name),
            _ => None,
        }) {
            None => Ok(()),
            Some(name) => Err(crate::Error::invalid(
                "feature spec",
                name.clone(),
                "is a caller-supplied column that leads cannot fill: score a matrix instead",
            )),
        }
    }

    fn push_row(&self, r: &Record<'_>, now: DateTime<Utc>, out: &mut Vec<f64>) {
        let past = || r.touchpoints.iter().filter(|t| t.at <= now);
        let within = |at: DateTime<Utc>, days: f64| at <= now && days_between(now, at) <= days;
        let today = now.date_naive();
        for f in &self.features {
            match f {
                Feature::Score => out.push(r.person.score().unwrap_or(0.0)),
                Feature::CustomNumber { field } => out.push(
                    r.person
                        .custom(field)
                        .and_then(crate::custom::number_of)
                        .filter(|v| v.is_finite())
                        .unwrap_or(0.0),
                ),
                Feature::Present { attribute } => {
                    out.push(if r.person.attribute(attribute).is_some() {
                        1.0
                    } else {
                        0.0
                    });
                }
                Feature::OneHot {
                    attribute,
                    vocabulary,
                    ..
                } => {
                    let start = out.len();
                    out.extend(std::iter::repeat_n(0.0, vocabulary.len() + 1));
                    if let Some(v) = r.person.attribute(attribute) {
                        let v = v.to_lowercase();
                        let i = vocabulary
                            .iter()
                            .position(|x| *x == v)
                            .unwrap_or(vocabulary.len());
                        out[start + i] = 1.0;
                    }
                }
                Feature::Engagement {
                    kind,
                    half_life_days,
                } => out.push(
                    past()
                        .filter(|t| t.kind.name() == kind)
                        .map(|t| 0.5f64.powf(days_between(now, t.at) / half_life_days))
                        .sum(),
                ),
                Feature::TouchCount { kind, days } => out.push(
                    past()
                        .filter(|t| {
                            (kind == "any" || t.kind.name() == kind)
                                && days_between(now, t.at) <= *days
                        })
                        .count() as f64,
                ),
                Feature::DaysSinceLastTouch { cap_days } => out.push(
                    past()
                        .map(|t| days_between(now, t.at))
                        .fold(*cap_days, f64::min),
                ),
                Feature::PurchaseCount => out.push(r.purchases_by(now).count() as f64),
                Feature::Column { .. } => out.push(0.0), // refused by `check_builds`
                Feature::DaysSinceLastPurchase { cap_days } => out.push(
                    r.purchases_by(now)
                        .map(|p| days_between(now, p.purchased_at))
                        .fold(*cap_days, f64::min),
                ),
                Feature::DaysSinceFirstPurchase { cap_days } => out.push(
                    r.purchases_by(now)
                        .map(|p| days_between(now, p.purchased_at))
                        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))))
                        .map_or(0.0, |d| d.min(*cap_days)),
                ),
                Feature::Purchases { days } => out.push(
                    r.purchases_by(now)
                        .filter(|p| within(p.purchased_at, *days))
                        .count() as f64,
                ),
                Feature::Spend { days } => out.push(
                    r.purchases_by(now)
                        .filter(|p| within(p.purchased_at, *days))
                        .map(|p| amount_of(&p.total()))
                        .sum(),
                ),
                Feature::Bought { products, days } => out.push(
                    r.purchases_by(now)
                        .filter(|p| {
                            products.iter().any(|x| x.trim() == p.product)
                                && days.is_none_or(|d| within(p.purchased_at, d))
                        })
                        .count() as f64,
                ),
                Feature::Cases { category, days } => out.push(
                    r.cases
                        .iter()
                        .filter(|c| {
                            within(c.opened_at, *days)
                                && category.as_deref().is_none_or(|k| c.category.as_str() == k)
                        })
                        .count() as f64,
                ),
                Feature::SlaBreaches { days } => {
                    out.push(r.breaches_by(now).filter(|at| within(*at, *days)).count() as f64)
                }
                Feature::ActiveContracts => out.push(
                    r.contracts
                        .iter()
                        .filter(|c| !c.cancelled && c.starts_on <= today && today <= c.ends_on)
                        .count() as f64,
                ),
                Feature::EndedContracts { days } => out.push(
                    r.contracts
                        .iter()
                        .filter(|c| {
                            c.ends_on < today && (today - c.ends_on).num_days() as f64 <= *days
                        })
                        .count() as f64,
                ),
            }
        }
    }
}

/// A money amount as a float (for features only: money itself stays exact).
pub(crate) fn amount_of(m: &crate::money::Money) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    m.amount().to_f64().unwrap_or(0.0)
}

fn attribute_name(a: &Attribute) -> String {
    match a {
        Attribute::Custom(name) => format!("custom:{name}"),
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| {
                v.get("attribute")
                    .and_then(|a| a.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Region;
    use crate::id::{LeadId, RecordRef, TouchpointId};
    use crate::lead::{Lead, LeadField, LeadInput, LeadSource};
    use crate::tracking::Touchpoint;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap()
    }

    fn lead(n: u64, country: &str) -> Lead {
        let data = LeadInput::new()
            .with(LeadField::LastName, "X")
            .with(LeadField::Email, "x@corp.example.com")
            .with(LeadField::Country, country)
            .with(LeadField::Custom("employees".into()), "250")
            .parse(Region::parse("US").unwrap())
            .unwrap();
        Lead::new(LeadId::new(n).unwrap(), LeadSource::Manual, data, now())
    }

    fn touch(days_ago: i64) -> Touchpoint {
        Touchpoint {
            id: TouchpointId::new(1).unwrap(),
            version: crate::id::Version::new(1),
            subject: RecordRef::Lead(LeadId::new(1).unwrap()),
            at: now() - Duration::days(days_ago),
            kind: TouchpointKind::AdClick,
            attribution: Default::default(),
        }
    }

    #[test]
    fn rows_follow_the_spec() {
        let mut spec = FeatureSpec {
            features: vec![
                Feature::CustomNumber {
                    field: "employees".into(),
                },
                Feature::OneHot {
                    attribute: Attribute::Country,
                    vocabulary: vec![],
                    max_values: 2,
                },
                Feature::Engagement {
                    kind: "ad_click".into(),
                    half_life_days: 7.0,
                },
                Feature::TouchCount {
                    kind: "any".into(),
                    days: 10.0,
                },
                Feature::DaysSinceLastTouch { cap_days: 365.0 },
                Feature::PurchaseCount,
            ],
        };
        let (us1, us2, de, fr) = (lead(1, "US"), lead(2, "us"), lead(3, "DE"), lead(4, "FR"));
        spec.learn(&[&us1, &us2, &de, &fr].map(Person::Lead));
        assert_eq!(
            spec.column_names(),
            [
                "custom:employees",
                "country=us",
                "country=de",
                "country=(other)",
                "engagement:ad_click",
                "touches:any:10d",
                "days_since_last_touch",
                "purchases"
            ]
        );
        let touches = [touch(7), touch(14)];
        let m = spec
            .build(
                &[
                    Record::lead(&de, &touches, &[]),
                    Record::lead(&fr, &[], &[]),
                ],
                now(),
            )
            .unwrap();
        assert_eq!(&m[..8], &[250.0, 0.0, 1.0, 0.0, 0.75, 1.0, 7.0, 0.0]);
        assert_eq!(
            &m[8..],
            &[250.0, 0.0, 0.0, 1.0, 0.0, 0.0, 365.0, 0.0],
            "unknown country is 'other'"
        );
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<FeatureSpec>(&json).unwrap(), spec);
    }

    #[test]
    fn customer_rows_read_purchases_cases_and_contracts_as_of_the_instant() {
        use crate::customer::{Contact, NewContact, Purchase};
        use crate::id::ContactId;
        use crate::service::case::{Case, CaseChange, CaseHistoryEntry};
        use crate::service::installed::Contract;
        let contact: Contact = NewContact {
            last_name: Some("Customer".into()),
            ..Default::default()
        }
        .build(ContactId::new(1).unwrap(), now())
        .unwrap();
        let purchase = |days_ago: i64, product: &str, amount: &str| -> Purchase {
            serde_json::from_value(serde_json::json!({
                "id": 1, "version": 1, "contact": 1, "product": product, "quantity": "2",
                "purchased_at": crate::time::format_rfc3339(now() - Duration::days(days_ago)),
                "unit_price": {"amount": amount, "currency": "EUR"}}))
            .unwrap()
        };
        // one purchase after the instant: it must not count
        let purchases = [
            purchase(100, "A", "10.00"),
            purchase(20, "B", "5.00"),
            purchase(-3, "B", "99.00"),
        ];
        let case = |days_ago: i64, category: &str, breached: bool| -> Case {
            let at = crate::time::format_rfc3339(now() - Duration::days(days_ago));
            let mut c: Case = serde_json::from_value(serde_json::json!({
                "id": 1, "version": 1, "number": "CASE-2026-000001", "subject": "s", "description": "",
                "channel": "email", "category": category, "priority": "normal",
                "status": "new", "opened_at": at, "history": [], "comments": []}))
            .unwrap();
            if breached {
                c.history.push(CaseHistoryEntry {
                    at: now() - Duration::days(days_ago - 1),
                    change: CaseChange::SlaBreached {
                        metric: "resolution".into(),
                        cycle: 0,
                    },
                });
            }
            c
        };
        let cases = [
            case(10, "complaint", true),
            case(40, "question", false),
            case(200, "complaint", true),
        ];
        let contract = |starts: i64, ends: i64| -> Contract {
            let day = |d: i64| (now() - Duration::days(d)).date_naive().to_string();
            serde_json::from_value(serde_json::json!({
                "id": 1, "name": "c", "account": 1, "starts_on": day(starts), "ends_on": day(ends),
                "assets": [], "products": [], "entitlement": {}, "cases_used": 0,
                "hours_used": "0"}))
            .unwrap()
        };
        let contracts = [contract(400, 35), contract(30, -300)];
        let spec = FeatureSpec {
            features: vec![
                Feature::DaysSinceLastPurchase { cap_days: 365.0 },
                Feature::DaysSinceFirstPurchase { cap_days: 365.0 },
                Feature::Purchases { days: 30.0 },
                Feature::Spend { days: 365.0 },
                Feature::Bought {
                    products: vec!["B".into(), "C".into()],
                    days: None,
                },
                Feature::Cases {
                    category: Some("complaint".into()),
                    days: 90.0,
                },
                Feature::Cases {
                    category: None,
                    days: 90.0,
                },
                Feature::SlaBreaches { days: 90.0 },
                Feature::ActiveContracts,
                Feature::EndedContracts { days: 60.0 },
            ],
        };
        spec.check().unwrap();
        let record = Record {
            person: Person::Customer(&contact),
            touchpoints: &[],
            purchases: &purchases,
            cases: &cases,
            contracts: &contracts,
        };
        let row = spec.build(&[record], now()).unwrap();
        assert_eq!(
            row,
            [20.0, 100.0, 1.0, 30.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0],
            "{:?}",
            spec.column_names()
        );
        let bad = FeatureSpec {
            features: vec![
                Feature::Cases {
                    category: Some("gripe".into()),
                    days: 0.0,
                },
                Feature::Bought {
                    products: vec![],
                    days: Some(-1.0),
                },
            ],
        };
        assert_eq!(bad.check().unwrap_err().problems().len(), 4);
    }

    #[test]
    fn bad_specs_are_refused() {
        let spec = FeatureSpec {
            features: vec![
                Feature::Engagement {
                    kind: "smoke_signal".into(),
                    half_life_days: -1.0,
                },
                Feature::OneHot {
                    attribute: Attribute::Country,
                    vocabulary: vec![],
                    max_values: 0,
                },
            ],
        };
        assert_eq!(spec.check().unwrap_err().problems().len(), 3);
        assert!(spec.build(&[], now()).is_err());
    }
}
