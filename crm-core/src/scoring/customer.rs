//! What a customer model predicts: a [`CustomerTarget`] says which outcome of the period
//! after a cut-off a training row is labelled with — buying a product (cross-sell /
//! next purchase), not buying at all (churn), or the revenue brought in (value). Rows are
//! built as of the cut-off and labels read only the period after it, so nothing learned
//! after the cut-off leaks into the features.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::Purchase;
use crate::error::{Problems, Result};

/// A customer model's outcome, over the `horizon_days` after the cut-off.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "target")]
pub enum CustomerTarget {
    /// 1 when the customer buys any of the products (a product or a product group).
    Buys {
        /// The products (SKUs).
        products: Vec<String>,
        /// The period in days.
        horizon_days: u32,
    },
    /// 1 when the customer buys nothing.
    Churn {
        /// The period in days.
        horizon_days: u32,
    },
    /// The revenue the customer brings (order line nets, else quantity × unit price).
    Value {
        /// The period in days.
        horizon_days: u32,
    },
}

impl CustomerTarget {
    /// Checks the target (a positive horizon; products named).
    ///
    /// # Errors
    /// [`crate::Error::Validation`] naming each problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.horizon_days() == 0 {
            p.push("horizon_days", "the period must be at least one day");
        }
        if let CustomerTarget::Buys { products, .. } = self
            && (products.is_empty() || products.iter().any(|x| x.trim().is_empty()))
        {
            p.push("products", "name at least one product, none blank");
        }
        p.finish(())
    }

    /// The period after the cut-off, in days.
    pub fn horizon_days(&self) -> u32 {
        match self {
            CustomerTarget::Buys { horizon_days, .. }
            | CustomerTarget::Churn { horizon_days }
            | CustomerTarget::Value { horizon_days } => *horizon_days,
        }
    }

    /// Whether the model gives a probability (buys, churn) rather than an amount (value).
    pub fn is_probability(&self) -> bool {
        !matches!(self, CustomerTarget::Value { .. })
    }

    /// The end of the labelled period after `cutoff`.
    pub fn period_end(&self, cutoff: DateTime<Utc>) -> DateTime<Utc> {
        cutoff + Duration::days(i64::from(self.horizon_days()))
    }

    /// The label of a customer with these purchases, for the period after `cutoff`.
    pub fn label(&self, purchases: &[Purchase], cutoff: DateTime<Utc>) -> f64 {
        let end = self.period_end(cutoff);
        let mut after = purchases
            .iter()
            .filter(|p| p.purchased_at > cutoff && p.purchased_at <= end);
        match self {
            CustomerTarget::Buys { products, .. } => f64::from(u8::from(
                after.any(|p| products.iter().any(|x| x.trim() == p.product)),
            )),
            CustomerTarget::Churn { .. } => f64::from(u8::from(after.next().is_none())),
            CustomerTarget::Value { .. } => after
                .map(|p| crate::scoring::features::amount_of(&p.total()))
                .sum(),
        }
    }
}
