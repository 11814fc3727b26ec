//! Campaigns and planning: a campaign's channel, ads and tracked links, budget and actual
//! cost, period, target products, segments and geographies, status, and members whose
//! response (sent, opened, clicked, responded, converted) is derived from their
//! touchpoints; marketing plans with targets per period × product group × geography.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{CampaignId, MarketingPlanId, RecordRef};
use crate::lead::text_enum;
use crate::money::Money;
use crate::store::{EntityKind, impl_entity};
use crate::tracking::{CallDirection, TouchpointKind};

text_enum!(
    /// How a campaign reaches people.
    CampaignChannel, "campaign channel", {
        /// E-mail.
        Email => "email",
        /// Paid search ads.
        PaidSearch => "paid_search",
        /// Social media.
        Social => "social",
        /// Display ads.
        Display => "display",
        /// Affiliates.
        Affiliate => "affiliate",
        /// An event (fair, webinar).
        Event => "event",
        /// Direct mail.
        DirectMail => "direct_mail",
        /// Phone.
        Phone => "phone",
    }
);

text_enum!(
    /// Where a campaign is.
    CampaignStatus, "campaign status", {
        /// Being planned.
        Planned => "planned",
        /// Running.
        Active => "active",
        /// Over.
        Completed => "completed",
        /// Called off.
        Cancelled => "cancelled",
    }
);

impl CampaignStatus {
    /// Planned → active → completed; planned or active → cancelled.
    pub fn can_become(self, to: CampaignStatus) -> bool {
        use CampaignStatus as S;
        matches!(
            (self, to),
            (S::Planned, S::Active)
                | (S::Active, S::Completed)
                | (S::Planned | S::Active, S::Cancelled)
        )
    }
}

/// An ad (or tracked link) of a campaign.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ad {
    /// Its code, as touchpoints carry it in `attribution.ad`.
    pub code: String,
    /// A display name.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: String,
    /// The landing page; [`Ad::tracked_url`] adds the UTM parameters.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub url: Option<String>,
    /// What it cost so far.
    pub cost: Money,
    /// Impressions reported by the ad platform.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub impressions: usize,
}

impl Ad {
    /// The landing page with `utm_source`, `utm_medium`, `utm_campaign` and `utm_content`
    /// (the ad code), percent-encoded.
    pub fn tracked_url(&self, campaign: &Campaign) -> Option<String> {
        let url = self.url.as_ref()?;
        let enc = |s: &str| {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        };
        let sep = if url.contains('?') { '&' } else { '?' };
        Some(format!(
            "{url}{sep}utm_source={}&utm_medium={}&utm_campaign={}&utm_content={}",
            enc("crm"),
            enc(campaign.channel.as_str()),
            enc(&campaign.code),
            enc(&self.code)
        ))
    }
}

/// What a new campaign says.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCampaign {
    /// Its code (unique), as touchpoints carry it in `attribution.campaign`.
    pub code: String,
    /// A display name.
    pub name: String,
    /// Its channel.
    pub channel: CampaignChannel,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The budget.
    pub budget: Money,
    /// Ads and tracked links.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ads: Vec<Ad>,
    /// Products it promotes (SKUs).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub target_products: Vec<String>,
    /// Segments it targets (by name).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub segments: Vec<String>,
    /// Countries it targets (ISO codes).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub geographies: Vec<String>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl NewCampaign {
    /// Checks the input.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.code.trim().is_empty() {
            p.push("code", "a campaign needs a code");
        }
        if self.name.trim().is_empty() {
            p.push("name", "a campaign needs a name");
        }
        if self.ends_on < self.starts_on {
            p.push("ends_on", "ends before it starts");
        }
        if self.budget.is_negative() {
            p.push("budget", "must not be negative");
        }
        let mut codes = std::collections::BTreeSet::new();
        for (i, ad) in self.ads.iter().enumerate() {
            if ad.code.trim().is_empty() {
                p.push(format!("ads[{i}].code"), "an ad needs a code");
            } else if !codes.insert(ad.code.trim()) {
                p.push(format!("ads[{i}].code"), "appears twice");
            }
            if ad.cost.currency() != self.budget.currency() {
                p.push(
                    format!("ads[{i}].cost"),
                    "in another currency than the budget",
                );
            } else if ad.cost.is_negative() {
                p.push(format!("ads[{i}].cost"), "must not be negative");
            }
        }
        p.finish(())
    }
}

/// A member of a campaign: who was sent it (or responded without being sent it).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignMember {
    /// The lead or contact.
    pub subject: RecordRef,
    /// When they were added.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub added_at: DateTime<Utc>,
}

/// A campaign.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    /// Its id.
    pub id: CampaignId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// Its code.
    pub code: String,
    /// A display name.
    pub name: String,
    /// Its channel.
    pub channel: CampaignChannel,
    /// Where it is.
    pub status: CampaignStatus,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The budget.
    pub budget: Money,
    /// Costs recorded beyond the ads' (printing, venue…).
    pub other_cost: Money,
    /// Ads and tracked links.
    pub ads: Vec<Ad>,
    /// Products it promotes.
    pub target_products: Vec<String>,
    /// Segments it targets.
    pub segments: Vec<String>,
    /// Countries it targets.
    pub geographies: Vec<String>,
    /// Who it was sent to.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub members: Vec<CampaignMember>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl Campaign {
    /// Index slot: the code.
    pub const BY_CODE: usize = 0;

    /// A planned campaign from its checked input.
    pub fn new(id: CampaignId, input: NewCampaign) -> Self {
        let zero = Money::zero(input.budget.currency());
        Campaign {
            id,
            custom: input.custom.clone(),
            version: crate::id::Version::NEW,
            code: input.code.trim().to_string(),
            name: input.name.trim().to_string(),
            channel: input.channel,
            status: CampaignStatus::Planned,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            budget: input.budget,
            other_cost: zero,
            ads: input.ads,
            target_products: input.target_products,
            segments: input.segments,
            geographies: input.geographies,
            members: Vec::new(),
        }
    }

    /// Ads plus other costs.
    pub fn actual_cost(&self) -> Money {
        let mut total = self.other_cost.amount();
        for ad in &self.ads {
            total += ad.cost.amount();
        }
        Money::new(total, self.budget.currency())
    }

    /// Moves the campaign to `to`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`].
    pub fn set_status(&mut self, to: CampaignStatus) -> Result<()> {
        if !self.status.can_become(to) {
            return Err(Error::IllegalTransition {
                kind: "campaign".into(),
                from: self.status.to_string(),
                to: to.to_string(),
            });
        }
        self.status = to;
        Ok(())
    }

    /// Adds members not already in (returns how many were new).
    pub fn add_members(&mut self, subjects: &[RecordRef], at: DateTime<Utc>) -> usize {
        let mut added = 0;
        for s in subjects {
            if !self.members.iter().any(|m| m.subject == *s) {
                self.members.push(CampaignMember {
                    subject: *s,
                    added_at: at,
                });
                added += 1;
            }
        }
        added
    }
}

impl_entity!(Campaign, CampaignId, EntityKind::Campaign, |c| [
    Some(c.code.clone()),
    None,
    None,
    None,
    None,
    None
]);

/// How far a campaign member went, in order.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// Sent the campaign, nothing seen since.
    Sent,
    /// Opened it (an e-mail open).
    Opened,
    /// Clicked (an ad, affiliate or e-mail click, a visit).
    Clicked,
    /// Responded (a form, a call in, a visit on site).
    Responded,
    /// Converted (the lead converted, or the contact won a deal).
    Converted,
}

impl Response {
    /// The response a touchpoint of this kind shows.
    pub fn of_touch(kind: &TouchpointKind) -> Response {
        match kind {
            TouchpointKind::EmailOpen { .. } => Response::Opened,
            TouchpointKind::AdClick
            | TouchpointKind::AffiliateClick
            | TouchpointKind::EmailClick { .. }
            | TouchpointKind::WebVisit { .. } => Response::Clicked,
            TouchpointKind::PhoneCall {
                direction: CallDirection::Outbound,
                ..
            } => Response::Sent,
            TouchpointKind::FormSubmission { .. }
            | TouchpointKind::OnSiteVisit { .. }
            | TouchpointKind::PhoneCall { .. } => Response::Responded,
        }
    }
}

/// A target of a marketing plan: for a period (`2026-Q4`, `2026-11`), a product group and
/// a geography, the leads, responses and revenue expected.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanTarget {
    /// First day of the period.
    pub starts_on: NaiveDate,
    /// Last day of the period.
    pub ends_on: NaiveDate,
    /// The product group (a product SKU prefix or a catalog group name).
    pub product_group: String,
    /// The country (ISO code), or `*` for all.
    pub geography: String,
    /// Leads expected.
    pub leads: usize,
    /// Campaign responses expected.
    pub responses: usize,
    /// Won revenue expected.
    pub revenue: Money,
}

/// A marketing plan.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketingPlan {
    /// Its id.
    pub id: MarketingPlanId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// Its name.
    pub name: String,
    /// Its targets.
    pub targets: Vec<PlanTarget>,
}

impl MarketingPlan {
    /// Index slot: the name, lower case.
    pub const BY_NAME: usize = 0;

    /// Checks targets.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check(name: &str, targets: &[PlanTarget]) -> Result<()> {
        let mut p = Problems::new();
        if name.trim().is_empty() {
            p.push("name", "a plan needs a name");
        }
        for (i, t) in targets.iter().enumerate() {
            if t.ends_on < t.starts_on {
                p.push(format!("targets[{i}].ends_on"), "ends before it starts");
            }
            if t.product_group.trim().is_empty() {
                p.push(
                    format!("targets[{i}].product_group"),
                    "names no product group",
                );
            }
            if t.revenue.is_negative() {
                p.push(format!("targets[{i}].revenue"), "must not be negative");
            }
        }
        p.finish(())
    }
}

impl_entity!(
    MarketingPlan,
    MarketingPlanId,
    EntityKind::MarketingPlan,
    |m| [
        Some(m.name.trim().to_lowercase()),
        None,
        None,
        None,
        None,
        None
    ]
);
