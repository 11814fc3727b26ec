//! Segments: predicates over lead, contact and account fields, demographics, purchase
//! history, engagement and score, evaluated to membership lists, saved and re-evaluated.
//!
//! A predicate is evaluated against a [`Profile`] — a flat view of one lead or contact
//! the facade builds from the store: its fields by name (`country`, `industry`,
//! `age_band`, `account.industry`, `custom:tier`…), its purchases, its touchpoints and its
//! score. The cross-sell segment "bought A, not B" is
//! `all[purchased A, not_purchased B]`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{RecordRef, SegmentId};
use crate::store::{EntityKind, impl_entity};

/// What a segment's members are.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentSubject {
    /// Leads (not converted or disqualified ones too: filter on `status`).
    Leads,
    /// Contacts (customers).
    Contacts,
}

/// A condition on a profile.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Predicate {
    /// Every one holds.
    All {
        /// The conditions.
        all: Vec<Predicate>,
    },
    /// At least one holds.
    Any {
        /// The conditions.
        any: Vec<Predicate>,
    },
    /// It does not hold.
    Not {
        /// The condition.
        not: Box<Predicate>,
    },
    /// The field equals the value (case-insensitive).
    Equals {
        /// The field.
        field: String,
        /// The value.
        value: String,
    },
    /// The field is one of the values (case-insensitive).
    OneOf {
        /// The field.
        field: String,
        /// The values.
        values: Vec<String>,
    },
    /// The field contains the text (case-insensitive).
    Contains {
        /// The field.
        field: String,
        /// The text.
        value: String,
    },
    /// The field has a value.
    Exists {
        /// The field.
        field: String,
    },
    /// The field is a number at least this.
    AtLeast {
        /// The field.
        field: String,
        /// The bound.
        value: f64,
    },
    /// The field is a number at most this.
    AtMost {
        /// The field.
        field: String,
        /// The bound.
        value: f64,
    },
    /// Bought the product (in the last `within_days`, if given).
    Purchased {
        /// The product SKU.
        product: String,
        /// How recent.
        #[serde(default)]
        within_days: Option<u32>,
    },
    /// Never bought the product.
    NotPurchased {
        /// The product SKU.
        product: String,
    },
    /// At least `at_least` touchpoints of `kind` (`any` for every kind) in the last
    /// `within_days`, if given.
    Engaged {
        /// The touchpoint kind.
        kind: String,
        /// How many.
        at_least: u32,
        /// How recent.
        #[serde(default)]
        within_days: Option<u32>,
    },
    /// A score at least this.
    ScoreAtLeast {
        /// The bound.
        score: f64,
    },
}

/// One lead or contact as segments see it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Fields by name, lower-cased names.
    pub fields: BTreeMap<String, String>,
    /// Products bought, with when.
    pub purchases: Vec<(String, DateTime<Utc>)>,
    /// Touchpoint kinds, with when.
    pub touches: Vec<(String, DateTime<Utc>)>,
    /// The score, if any.
    pub score: Option<f64>,
}

impl Predicate {
    /// Checks the predicate (non-empty lists, known touchpoint kinds, finite bounds).
    ///
    /// # Errors
    /// [`Error::Validation`] naming each problem by its path.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        self.check_into(&mut p, "rule");
        p.finish(())
    }

    fn check_into(&self, p: &mut Problems, path: &str) {
        match self {
            Predicate::All { all: list } | Predicate::Any { any: list } => {
                if list.is_empty() {
                    p.push(path, "needs at least one condition");
                }
                for (i, x) in list.iter().enumerate() {
                    x.check_into(p, &format!("{path}[{i}]"));
                }
            }
            Predicate::Not { not } => not.check_into(p, &format!("{path}.not")),
            Predicate::Equals { field, .. }
            | Predicate::OneOf { field, .. }
            | Predicate::Contains { field, .. }
            | Predicate::Exists { field }
                if field.trim().is_empty() =>
            {
                p.push(path, "names no field");
            }
            Predicate::AtLeast { value, .. } | Predicate::AtMost { value, .. }
                if !value.is_finite() =>
            {
                p.push(path, "needs a finite bound");
            }
            Predicate::ScoreAtLeast { score } if !score.is_finite() => {
                p.push(path, "needs a finite score");
            }
            Predicate::Engaged { kind, .. }
                if kind != "any"
                    && !crate::tracking::TouchpointKind::NAMES.contains(&kind.as_str()) =>
            {
                p.push(path, format!("unknown touchpoint kind {kind:?}"));
            }
            Predicate::Purchased { product, .. } | Predicate::NotPurchased { product }
                if product.trim().is_empty() =>
            {
                p.push(path, "names no product");
            }
            _ => {}
        }
    }

    /// Whether `profile` satisfies the predicate at `now`.
    pub fn matches(&self, profile: &Profile, now: DateTime<Utc>) -> bool {
        let field = |name: &str| profile.fields.get(&name.trim().to_lowercase());
        let since = |days: Option<u32>| days.map(|d| now - Duration::days(i64::from(d)));
        match self {
            Predicate::All { all } => all.iter().all(|p| p.matches(profile, now)),
            Predicate::Any { any } => any.iter().any(|p| p.matches(profile, now)),
            Predicate::Not { not } => !not.matches(profile, now),
            Predicate::Equals { field: f, value } => {
                field(f).is_some_and(|v| v.trim().eq_ignore_ascii_case(value.trim()))
            }
            Predicate::OneOf { field: f, values } => field(f).is_some_and(|v| {
                values
                    .iter()
                    .any(|x| v.trim().eq_ignore_ascii_case(x.trim()))
            }),
            Predicate::Contains { field: f, value } => {
                field(f).is_some_and(|v| v.to_lowercase().contains(&value.trim().to_lowercase()))
            }
            Predicate::Exists { field: f } => field(f).is_some_and(|v| !v.trim().is_empty()),
            Predicate::AtLeast { field: f, value } => field(f)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .is_some_and(|x| x >= *value),
            Predicate::AtMost { field: f, value } => field(f)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .is_some_and(|x| x <= *value),
            Predicate::Purchased {
                product,
                within_days,
            } => {
                let from = since(*within_days);
                profile.purchases.iter().any(|(p, at)| {
                    p == product.trim() && from.is_none_or(|f| *at >= f) && *at <= now
                })
            }
            Predicate::NotPurchased { product } => !profile
                .purchases
                .iter()
                .any(|(p, at)| p == product.trim() && *at <= now),
            Predicate::Engaged {
                kind,
                at_least,
                within_days,
            } => {
                let from = since(*within_days);
                let n = profile
                    .touches
                    .iter()
                    .filter(|(k, at)| {
                        (kind == "any" || k == kind) && from.is_none_or(|f| *at >= f) && *at <= now
                    })
                    .count();
                n >= *at_least as usize
            }
            Predicate::ScoreAtLeast { score } => profile.score.is_some_and(|s| s >= *score),
        }
    }
}

/// A saved segment and its members at its last evaluation.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Its id.
    pub id: SegmentId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// Its name (unique, case-insensitive).
    pub name: String,
    /// Leads or contacts.
    pub subject: SegmentSubject,
    /// Who belongs.
    pub rule: Predicate,
    /// Members at the last evaluation, in id order.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub members: Vec<RecordRef>,
    /// Members added by hand (automation's "add to segment"); kept on re-evaluation.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub pinned: Vec<RecordRef>,
    /// When it was last evaluated.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub evaluated_at: Option<DateTime<Utc>>,
}

impl Segment {
    /// Index slot: the name, lower case.
    pub const BY_NAME: usize = 0;

    /// Checks a name and rule.
    ///
    /// # Errors
    /// [`Error::Validation`].
    pub fn check(name: &str, rule: &Predicate) -> Result<()> {
        if name.trim().is_empty() {
            return Err(Error::Validation {
                problems: vec![crate::error::FieldProblem::new(
                    "name",
                    "a segment needs a name",
                )],
            });
        }
        rule.check()
    }
}

impl_entity!(Segment, SegmentId, EntityKind::Segment, |s| [
    Some(s.name.trim().to_lowercase()),
    None,
    None,
    None,
    None,
    None
]);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn cross_sell_and_engagement() {
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        let p = |purchases: &[&str], touches: usize, country: &str| Profile {
            fields: [("country".to_string(), country.to_string())].into(),
            purchases: purchases
                .iter()
                .map(|s| (s.to_string(), now - Duration::days(10)))
                .collect(),
            touches: (0..touches)
                .map(|i| ("web_visit".to_string(), now - Duration::days(i as i64)))
                .collect(),
            score: Some(0.5),
        };
        let cross_sell: Predicate = serde_json::from_str(
            r#"{"op":"all","all":[{"op":"purchased","product":"CAM-1"},{"op":"not_purchased","product":"LENS-1"},{"op":"one_of","field":"country","values":["de","AT"]}]}"#,
        )
        .unwrap();
        cross_sell.check().unwrap();
        assert!(cross_sell.matches(&p(&["CAM-1"], 0, "DE"), now));
        assert!(!cross_sell.matches(&p(&["CAM-1", "LENS-1"], 0, "DE"), now));
        assert!(!cross_sell.matches(&p(&["CAM-1"], 0, "FR"), now));
        let engaged = Predicate::Engaged {
            kind: "web_visit".into(),
            at_least: 3,
            within_days: Some(2),
        };
        assert!(engaged.matches(&p(&[], 3, "DE"), now));
        assert!(!engaged.matches(&p(&[], 2, "DE"), now));
        let recent = Predicate::Purchased {
            product: "CAM-1".into(),
            within_days: Some(5),
        };
        assert!(!recent.matches(&p(&["CAM-1"], 0, "DE"), now));
        let bad = Predicate::All {
            all: vec![Predicate::Engaged {
                kind: "smoke_signal".into(),
                at_least: 1,
                within_days: None,
            }],
        };
        assert_eq!(bad.check().unwrap_err().code(), "validation_failed");
        assert!(Predicate::Any { any: vec![] }.check().is_err());
    }
}
