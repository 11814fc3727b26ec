//! Rule-based lead scoring, as HubSpot and Marketo users know it: fit rules (a test on a
//! lead attribute → points, negative allowed), engagement rules (a touchpoint kind →
//! points that halve every half-life), a cap, and thresholds mapping the score to hot /
//! warm / cold. Every score comes with the rules that fired and the points each gave.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Problems, Result};
use crate::lead::{Lead, Rating};
use crate::tracking::{Touchpoint, TouchpointKind};

/// An attribute of a lead (or of a customer, where they have it) that rules and
/// features read.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "attribute", content = "name")]
pub enum Attribute {
    /// The job title.
    JobTitle,
    /// The company name.
    Company,
    /// The ISO country code of the address.
    Country,
    /// The e-mail domain.
    EmailDomain,
    /// `free` for free-mail addresses (gmail…), else `business`.
    EmailKind,
    /// The source kind (`manual`, `web_form`, `csv_import`, `api`).
    Source,
    /// The campaign.
    Campaign,
    /// The ad (the creative the lead came from).
    Ad,
    /// `utm_source`.
    UtmSource,
    /// `utm_medium`.
    UtmMedium,
    /// The affiliate.
    Affiliate,
    /// The age band (`25-34`…).
    AgeBand,
    /// The gender.
    Gender,
    /// The income band.
    IncomeBand,
    /// A custom field, by name.
    Custom(String),
}

impl Attribute {
    /// The attribute's value on `lead`, if it has one.
    pub fn value(&self, lead: &Lead) -> Option<String> {
        let d = &lead.data;
        match self {
            Attribute::JobTitle => d.job_title.clone(),
            Attribute::Company => d.company.clone(),
            Attribute::Country => d.address.country.clone(),
            Attribute::EmailDomain => d.email.as_ref().map(|e| e.domain().to_string()),
            Attribute::EmailKind => d
                .email
                .as_ref()
                .map(|e| if e.is_free_mail() { "free" } else { "business" }.to_string()),
            Attribute::Source => Some(lead.source.kind().to_string()),
            Attribute::Campaign => d.attribution.campaign.clone(),
            Attribute::Ad => d.attribution.ad.clone(),
            Attribute::UtmSource => d.attribution.utm_source.clone(),
            Attribute::UtmMedium => d.attribution.utm_medium.clone(),
            Attribute::Affiliate => d.attribution.affiliate.clone(),
            Attribute::AgeBand => d.demographics.age_band.map(|v| v.to_string()),
            Attribute::Gender => d.demographics.gender.map(|v| v.to_string()),
            Attribute::IncomeBand => d.demographics.income_band.map(|v| v.to_string()),
            Attribute::Custom(name) => d.custom.get(name).map(crate::custom::text_of),
        }
    }
}

/// What a fit rule checks about an attribute's value (case-insensitive for text).
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "test", content = "values")]
pub enum Test {
    /// The attribute has a value.
    Present,
    /// The attribute has no value.
    Absent,
    /// The value is one of these.
    OneOf(Vec<String>),
    /// The value contains one of these.
    Contains(Vec<String>),
}

impl Test {
    fn holds(&self, value: Option<&str>) -> bool {
        let lower = value.map(str::to_lowercase);
        match (self, lower.as_deref()) {
            (Test::Present, v) => v.is_some(),
            (Test::Absent, v) => v.is_none(),
            (Test::OneOf(options), Some(v)) => options.iter().any(|o| o.to_lowercase() == v),
            (Test::Contains(parts), Some(v)) => parts.iter().any(|p| v.contains(&p.to_lowercase())),
            (_, None) => false,
        }
    }
}

/// Points for leads whose attribute passes a test.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitRule {
    /// A name people recognise ("Decision maker title").
    pub name: String,
    /// The attribute tested.
    #[serde(flatten)]
    pub attribute: Attribute,
    /// The test.
    #[serde(flatten)]
    pub test: Test,
    /// Points given (negative to take away).
    pub points: f64,
}

/// Points per touchpoint of a kind, halving every `half_life_days`.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementRule {
    /// A name people recognise ("Pricing page visits").
    pub name: String,
    /// The touchpoint kind (`ad_click`, `web_visit`, … — [`TouchpointKind::NAMES`]).
    pub kind: String,
    /// Points for a touch that happened just now.
    pub points: f64,
    /// Days after which a touch is worth half as much.
    pub half_life_days: f64,
    /// At most this many points from this rule, whatever the number of touches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_points: Option<f64>,
}

/// Score thresholds for ratings.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// At or above: hot.
    pub hot: f64,
    /// At or above (and below hot): warm; below: cold.
    pub warm: f64,
}

impl Thresholds {
    /// The rating of `score`.
    pub fn rate(&self, score: f64) -> Rating {
        if score >= self.hot {
            Rating::Hot
        } else if score >= self.warm {
            Rating::Warm
        } else {
            Rating::Cold
        }
    }
}

/// A rule that fired and what it gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiredRule {
    /// The rule's name.
    pub rule: String,
    /// Points it gave (after decay and its own cap).
    pub points: f64,
}

/// A lead's rule score, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleScore {
    /// The score, after the overall cap.
    pub score: f64,
    /// Its rating.
    pub rating: Rating,
    /// The rules that fired, in rule order (fit rules first).
    pub fired: Vec<FiredRule>,
}

/// A set of scoring rules.
///
/// # Examples
/// ```
/// use crm_core::scoring::rules::{RuleSet, EngagementRule, Thresholds};
/// use crm_core::{Lead, lead::{LeadData, LeadSource}, id::{LeadId, RecordRef}};
/// use crm_core::tracking::{Touchpoint, TouchpointKind};
/// use chrono::{Duration, TimeZone, Utc};
/// let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
/// let rules = RuleSet {
///     fit: vec![],
///     engagement: vec![EngagementRule { name: "Ad clicks".into(), kind: "ad_click".into(),
///         points: 10.0, half_life_days: 7.0, max_points: None }],
///     max_score: Some(100.0),
///     min_score: None,
///     thresholds: Thresholds { hot: 50.0, warm: 5.0 },
/// };
/// rules.check()?;
/// let lead = Lead::new(LeadId::new(1)?, LeadSource::Manual, LeadData::default(), now);
/// let week_old = Touchpoint { id: crm_core::id::TouchpointId::new(1)?, version: crm_core::Version::new(1),
///     subject: RecordRef::Lead(lead.id), at: now - Duration::days(7),
///     kind: TouchpointKind::AdClick, attribution: Default::default() };
/// let s = rules.score(&lead, &[week_old], now);
/// assert!((s.score - 5.0).abs() < 1e-12); // one half-life old: half the points
/// # Ok::<(), crm_core::Error>(())
/// ```
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    /// Fit rules.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub fit: Vec<FitRule>,
    /// Engagement rules.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub engagement: Vec<EngagementRule>,
    /// The score never goes above this.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_score: Option<f64>,
    /// The score never goes below this.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub min_score: Option<f64>,
    /// Rating thresholds.
    pub thresholds: Thresholds,
}

impl RuleSet {
    /// Checks the rules.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] listing every problem: non-finite points, unknown touchpoint
    /// kinds, half-lives that are not positive, caps that cross, warm above hot.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        for r in &self.fit {
            if !r.points.is_finite() {
                p.push(r.name.clone(), "points must be a finite number");
            }
        }
        for r in &self.engagement {
            if !TouchpointKind::NAMES.contains(&r.kind.as_str()) {
                p.push(
                    r.name.clone(),
                    format!("unknown touchpoint kind {:?}", r.kind),
                );
            }
            if !r.points.is_finite() {
                p.push(r.name.clone(), "points must be a finite number");
            }
            if !(r.half_life_days.is_finite() && r.half_life_days > 0.0) {
                p.push(
                    r.name.clone(),
                    "the half-life must be a positive number of days",
                );
            }
            if r.max_points.is_some_and(|m| !m.is_finite()) {
                p.push(r.name.clone(), "max_points must be a finite number");
            }
        }
        if let (Some(lo), Some(hi)) = (self.min_score, self.max_score)
            && lo > hi
        {
            p.push("min_score", "is above max_score");
        }
        if !(self.thresholds.hot.is_finite() && self.thresholds.warm.is_finite())
            || self.thresholds.warm > self.thresholds.hot
        {
            p.push("thresholds", "warm must be a number at or below hot");
        }
        p.finish(())
    }

    /// Scores `lead` given its touchpoints, at `now` (touches after `now` are ignored).
    pub fn score(&self, lead: &Lead, touchpoints: &[Touchpoint], now: DateTime<Utc>) -> RuleScore {
        let mut fired = Vec::new();
        for r in &self.fit {
            if r.test.holds(r.attribute.value(lead).as_deref()) {
                fired.push(FiredRule {
                    rule: r.name.clone(),
                    points: r.points,
                });
            }
        }
        for r in &self.engagement {
            let mut points = 0.0;
            for t in touchpoints
                .iter()
                .filter(|t| t.kind.name() == r.kind && t.at <= now)
            {
                let age_days = (now - t.at).num_milliseconds() as f64 / 86_400_000.0;
                points += r.points * 0.5f64.powf(age_days / r.half_life_days);
            }
            if let Some(max) = r.max_points {
                points = points.min(max);
            }
            if points != 0.0 {
                fired.push(FiredRule {
                    rule: r.name.clone(),
                    points,
                });
            }
        }
        // A fold from +0.0, not `sum()` (which starts from −0.0): no rule fired scores 0.
        let mut score: f64 = fired.iter().fold(0.0, |total, f| total + f.points);
        if let Some(max) = self.max_score {
            score = score.min(max);
        }
        if let Some(min) = self.min_score {
            score = score.max(min);
        }
        RuleScore {
            score,
            rating: self.thresholds.rate(score),
            fired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_fired_scores_positive_zero() {
        let rules = RuleSet {
            fit: Vec::new(),
            engagement: Vec::new(),
            max_score: None,
            min_score: None,
            thresholds: Thresholds {
                hot: 50.0,
                warm: 20.0,
            },
        };
        let lead = crate::lead::Lead::new(
            crate::id::LeadId::new(1).unwrap(),
            crate::lead::LeadSource::Manual,
            crate::lead::LeadData::default(),
            chrono::Utc::now(),
        );
        let score = rules.score(&lead, &[], chrono::Utc::now()).score;
        assert!(score == 0.0 && score.is_sign_positive());
    }
    use crate::Region;
    use crate::id::{LeadId, RecordRef, TouchpointId};
    use crate::lead::{LeadData, LeadField, LeadInput, LeadSource};
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
    }

    fn lead(title: &str, email: &str) -> Lead {
        let data: LeadData = LeadInput::new()
            .with(LeadField::LastName, "X")
            .with(LeadField::JobTitle, title)
            .with(LeadField::Email, email)
            .parse(Region::parse("US").unwrap())
            .unwrap();
        Lead::new(LeadId::new(1).unwrap(), LeadSource::Manual, data, now())
    }

    fn touch(kind: TouchpointKind, days_ago: i64) -> Touchpoint {
        Touchpoint {
            id: TouchpointId::new(1).unwrap(),
            version: crate::id::Version::new(1),
            subject: RecordRef::Lead(LeadId::new(1).unwrap()),
            at: now() - Duration::days(days_ago),
            kind,
            attribution: Default::default(),
        }
    }

    fn rules() -> RuleSet {
        RuleSet {
            fit: vec![
                FitRule {
                    name: "Executive".into(),
                    attribute: Attribute::JobTitle,
                    test: Test::Contains(vec!["chief".into(), "cto".into(), "vp".into()]),
                    points: 30.0,
                },
                FitRule {
                    name: "Free mail".into(),
                    attribute: Attribute::EmailKind,
                    test: Test::OneOf(vec!["free".into()]),
                    points: -15.0,
                },
            ],
            engagement: vec![EngagementRule {
                name: "Pricing visits".into(),
                kind: "web_visit".into(),
                points: 20.0,
                half_life_days: 10.0,
                max_points: Some(30.0),
            }],
            max_score: Some(100.0),
            min_score: Some(0.0),
            thresholds: Thresholds {
                hot: 50.0,
                warm: 20.0,
            },
        }
    }

    #[test]
    fn fit_and_decayed_engagement_are_explained() {
        let r = rules();
        r.check().unwrap();
        let visit = || TouchpointKind::WebVisit {
            url: "/pricing".into(),
            duration_secs: None,
        };
        let s = r.score(
            &lead("CTO", "a@corp.example.com"),
            &[touch(visit(), 10), touch(TouchpointKind::AdClick, 0)],
            now(),
        );
        assert_eq!(s.fired.len(), 2);
        assert!(
            (s.fired[1].points - 10.0).abs() < 1e-12,
            "one half-life old counts half"
        );
        assert!((s.score - 40.0).abs() < 1e-12);
        assert_eq!(s.rating, Rating::Warm);
        // Many fresh visits are capped by the rule, the score by the set.
        let many: Vec<_> = (0..10).map(|_| touch(visit(), 0)).collect();
        let s = r.score(&lead("CTO", "a@corp.example.com"), &many, now());
        assert_eq!((s.score, s.rating), (60.0, Rating::Hot));
        // Negative points, floored at min_score.
        let s = r.score(&lead("intern", "a@gmail.com"), &[], now());
        assert_eq!(s.fired[0].points, -15.0);
        assert_eq!((s.score, s.rating), (0.0, Rating::Cold));
        // Touches in the future do not count.
        let s = r.score(
            &lead("intern", "a@corp.example.com"),
            &[touch(visit(), -3)],
            now(),
        );
        assert!(s.fired.is_empty());
    }

    #[test]
    fn bad_rules_are_refused_with_every_problem() {
        let mut r = rules();
        r.engagement[0].kind = "telepathy".into();
        r.engagement[0].half_life_days = 0.0;
        r.fit[0].points = f64::NAN;
        r.thresholds = Thresholds {
            hot: 10.0,
            warm: 20.0,
        };
        assert_eq!(r.check().unwrap_err().problems().len(), 4);
        let json = serde_json::to_string(&rules()).unwrap();
        assert_eq!(serde_json::from_str::<RuleSet>(&json).unwrap(), rules());
    }
}
