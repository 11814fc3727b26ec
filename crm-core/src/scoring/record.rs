//! What a feature row is built from: a lead or a customer (a contact), with the records
//! around them — touchpoints, purchases, service cases, contracts. Lead scoring and the
//! customer models (cross-sell, churn, value) build their rows from the same [`Record`],
//! so one feature spec, one model file and one explanation format serve both.

use chrono::{DateTime, Utc};

use crate::customer::{Contact, Purchase};
use crate::lead::Lead;
use crate::scoring::rules::Attribute;
use crate::service::case::{Case, CaseChange};
use crate::service::installed::Contract;
use crate::tracking::Touchpoint;

/// Whose row it is.
#[derive(Debug, Clone, Copy)]
pub enum Person<'a> {
    /// A lead.
    Lead(&'a Lead),
    /// A customer.
    Customer(&'a Contact),
}

impl Person<'_> {
    /// The attribute's value, if the person has one. Lead-acquisition attributes (source,
    /// campaign, ad, affiliate, UTM) are a lead's; a customer has none of them.
    pub fn attribute(&self, attribute: &Attribute) -> Option<String> {
        match self {
            Person::Lead(lead) => attribute.value(lead),
            Person::Customer(c) => match attribute {
                Attribute::JobTitle => c.job_title.clone(),
                Attribute::Country => c.addresses.iter().find_map(|a| a.country.clone()),
                Attribute::EmailDomain => c.email.as_ref().map(|e| e.domain().to_string()),
                Attribute::EmailKind => c
                    .email
                    .as_ref()
                    .map(|e| if e.is_free_mail() { "free" } else { "business" }.to_string()),
                Attribute::AgeBand => c.demographics.age_band.map(|v| v.to_string()),
                Attribute::Gender => c.demographics.gender.map(|v| v.to_string()),
                Attribute::IncomeBand => c.demographics.income_band.map(|v| v.to_string()),
                Attribute::Custom(name) => c.custom.get(name).map(crate::custom::text_of),
                Attribute::Company
                | Attribute::Source
                | Attribute::Campaign
                | Attribute::Ad
                | Attribute::UtmSource
                | Attribute::UtmMedium
                | Attribute::Affiliate => None,
            },
        }
    }

    /// The stored score (leads only).
    pub fn score(&self) -> Option<f64> {
        match self {
            Person::Lead(lead) => lead.score,
            Person::Customer(_) => None,
        }
    }

    /// A custom field's value.
    pub fn custom(&self, field: &str) -> Option<&serde_json::Value> {
        match self {
            Person::Lead(lead) => lead.data.custom.get(field),
            Person::Customer(c) => c.custom.get(field),
        }
    }
}

/// One row's inputs.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The lead or customer.
    pub person: Person<'a>,
    /// Their touchpoints.
    pub touchpoints: &'a [Touchpoint],
    /// Their purchases (for a lead: its converted contact's).
    pub purchases: &'a [Purchase],
    /// Service cases about them (a customer's own and their account's).
    pub cases: &'a [Case],
    /// Their account's contracts.
    pub contracts: &'a [Contract],
}

impl<'a> Record<'a> {
    /// A lead's record.
    pub fn lead(lead: &'a Lead, touchpoints: &'a [Touchpoint], purchases: &'a [Purchase]) -> Self {
        Record {
            person: Person::Lead(lead),
            touchpoints,
            purchases,
            cases: &[],
            contracts: &[],
        }
    }

    /// The purchases made by `at`.
    pub(crate) fn purchases_by(&self, at: DateTime<Utc>) -> impl Iterator<Item = &'a Purchase> {
        self.purchases.iter().filter(move |p| p.purchased_at <= at)
    }

    /// The instants of SLA breaches recorded by `at`.
    pub(crate) fn breaches_by(&self, at: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> {
        self.cases
            .iter()
            .flat_map(|c| c.history.iter())
            .filter(move |h| h.at <= at && matches!(h.change, CaseChange::SlaBreached { .. }))
            .map(|h| h.at)
    }
}
