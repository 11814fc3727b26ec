//! Churn at the account level: a churn model's predictions for an account's customers
//! rolled up into the account's risk, the revenue at stake and the reasons, so retention
//! work can start with the accounts that matter most.
//!
//! An account's risk is the mean of its customers' churn probabilities weighted by what
//! each bought in the trailing period (the model's horizon), so a lapsing buyer who
//! carries the account weighs more than a contact who bought once; with no revenue in the
//! period, every customer weighs the same. Its reasons are the features' contributions
//! weighted the same way, those that raise the risk.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::{Account, Contact};
use crate::error::{Error, Result};
use crate::id::{AccountId, ContactId};
use crate::scoring::customer::CustomerTarget;
use crate::scoring::features::amount_of;
use crate::scoring::model_file::{ModelFile, Reason};
use crate::scoring::record::Record;
use crate::store::{ReadExt, Store};

use super::Crm;
use super::customer_models::{Base, REASONS, customer_target};

/// An account's churn risk, with what is at stake and why.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRisk {
    /// The account.
    pub account: AccountId,
    /// Its name.
    pub name: String,
    /// The probability that its customers buy nothing in the model's horizon, weighted by
    /// what each bought in the trailing period.
    pub risk: f64,
    /// Its rating by the model's thresholds (`hot` is most at risk).
    pub rating: String,
    /// What its customers bought in the trailing period (the model's horizon), in the
    /// amounts' own units.
    pub revenue: f64,
    /// The revenue expected to be lost: Σ each customer's probability × their revenue.
    pub revenue_at_risk: f64,
    /// Its customers (contacts who have bought something).
    pub customers: usize,
    /// The customer most likely to stop buying.
    pub most_at_risk: ContactId,
    /// What pushes its risk up most across its customers (features with a positive
    /// weighted contribution to the log-odds of churn), strongest first.
    pub reasons: Vec<Reason>,
}

impl<S: Store> Crm<S> {
    /// The accounts a churn model puts most at risk at `now`, riskiest first (ties by
    /// revenue at risk), at most `limit`: every account with a customer is rated from
    /// its customers' predictions (see the module doc).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a model that does not predict churn; as
    /// [`ModelFile::score`]; [`Error::Storage`].
    pub fn accounts_at_risk(
        &self,
        model: &ModelFile,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<AccountRisk>> {
        let target = customer_target(model)?;
        let kind = match target {
            CustomerTarget::Churn { .. } => None,
            CustomerTarget::Buys { .. } => Some("buys"),
            CustomerTarget::Value { .. } => Some("value"),
        };
        if let Some(kind) = kind {
            return Err(Error::invalid(
                "model",
                kind,
                "accounts at risk need a churn model",
            ));
        }
        let since = now - Duration::days(i64::from(target.horizon_days()));
        let (base, names) = self.read(|tx| {
            let base = Base::load_all(tx)?;
            let names: HashMap<AccountId, String> = tx
                .all::<Account>()?
                .into_iter()
                .map(|a| (a.id, a.name))
                .collect();
            Ok((base, names))
        })?;
        let customers: Vec<&Contact> = base
            .customers_at(now)
            .into_iter()
            .filter(|c| c.account.is_some())
            .collect();
        let records: Vec<Record<'_>> = customers.iter().map(|c| base.record(c)).collect();
        let scores = model.score(&records, now)?;
        let reasons = model.explain(&records, now, usize::MAX)?;
        let mut by_account: BTreeMap<AccountId, Vec<usize>> = BTreeMap::new();
        for (i, c) in customers.iter().enumerate() {
            if let Some(a) = c.account {
                by_account.entry(a).or_default().push(i);
            }
        }
        let revenue_of = |c: &Contact| -> f64 {
            base.purchases.get(&c.id).map_or(0.0, |ps| {
                ps.iter()
                    .filter(|p| p.purchased_at > since && p.purchased_at <= now)
                    .map(|p| amount_of(&p.total()))
                    .sum()
            })
        };
        let mut out: Vec<AccountRisk> = by_account
            .into_iter()
            .map(|(account, members)| {
                let revenue: Vec<f64> = members.iter().map(|&i| revenue_of(customers[i])).collect();
                let total: f64 = revenue.iter().sum();
                let weights: Vec<f64> = if total > 0.0 {
                    revenue.iter().map(|r| r / total).collect()
                } else {
                    vec![1.0 / members.len() as f64; members.len()]
                };
                let risk: f64 = members
                    .iter()
                    .zip(&weights)
                    .map(|(&i, w)| w * scores[i])
                    .sum();
                let mut why: BTreeMap<&str, f64> = BTreeMap::new();
                for (&i, w) in members.iter().zip(&weights) {
                    for r in &reasons[i] {
                        *why.entry(r.feature.as_str()).or_default() += w * r.contribution;
                    }
                }
                // what pushes the risk up; what holds it down is no reason for it
                let mut why: Vec<Reason> = why
                    .into_iter()
                    .filter(|(_, c)| *c > 0.0)
                    .map(|(feature, contribution)| Reason {
                        feature: feature.to_string(),
                        contribution,
                    })
                    .collect();
                why.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
                why.truncate(REASONS);
                // the riskiest customer (the first by id among equals)
                let mut most = members[0];
                for &i in &members[1..] {
                    if scores[i] > scores[most] {
                        most = i;
                    }
                }
                AccountRisk {
                    account,
                    name: names.get(&account).cloned().unwrap_or_default(),
                    risk,
                    rating: model.rate(risk).as_str().to_string(),
                    revenue: total,
                    revenue_at_risk: members
                        .iter()
                        .zip(&revenue)
                        .map(|(&i, r)| scores[i] * r)
                        .sum(),
                    customers: members.len(),
                    most_at_risk: customers[most].id,
                    reasons: why,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.risk
                .total_cmp(&a.risk)
                .then_with(|| b.revenue_at_risk.total_cmp(&a.revenue_at_risk))
                .then_with(|| a.account.cmp(&b.account))
        });
        out.truncate(limit);
        Ok(out)
    }
}
