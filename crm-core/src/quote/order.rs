//! A sales order's life after it is made: handed to the ERP, acknowledged with the ERP's
//! reference, fulfilled line by line (partly, then wholly), or cancelled.
//!
//! ```text
//! open ──sent──▶ sent ──acknowledged──▶ acknowledged ──fulfil (part)──▶ partly_fulfilled
//!   │              │                         │                              │
//!   └──────────────┴──────── cancel ─────────┘          fulfil (the rest) ──▶ fulfilled
//! ```
//! An order that is partly fulfilled can no longer be cancelled: what was delivered was
//! delivered (the rest is cancelled by fulfilling it as far as it goes, then cancelling in
//! the ERP, which the host reports as a cancellation of what remains — not modelled).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::document::SalesOrder;
use crate::error::{Error, Problems, Result};

/// Where a sales order stands with the ERP.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesOrderStatus {
    /// Made; its hand-off to the ERP is pending.
    #[default]
    Open,
    /// The ERP took it.
    Sent,
    /// The ERP confirmed it, with its own reference.
    Acknowledged,
    /// Some lines are (partly) fulfilled.
    PartlyFulfilled,
    /// Every line is fulfilled in full.
    Fulfilled,
    /// Cancelled before anything was fulfilled.
    Cancelled,
}

impl SalesOrderStatus {
    /// The stable name (`open`, `sent`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            SalesOrderStatus::Open => "open",
            SalesOrderStatus::Sent => "sent",
            SalesOrderStatus::Acknowledged => "acknowledged",
            SalesOrderStatus::PartlyFulfilled => "partly_fulfilled",
            SalesOrderStatus::Fulfilled => "fulfilled",
            SalesOrderStatus::Cancelled => "cancelled",
        }
    }
}

fn illegal(from: SalesOrderStatus, to: SalesOrderStatus) -> Error {
    Error::IllegalTransition {
        kind: "sales order".into(),
        from: from.as_str().into(),
        to: to.as_str().into(),
    }
}

/// A quantity delivered on one line of an order (`line`: 0-based, in the order's line
/// order).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFulfilment {
    /// The line, 0-based.
    pub line: u32,
    /// How many were delivered now (> 0).
    pub quantity: Decimal,
    /// The serial number of each unit delivered, for a serialised product (one per
    /// unit); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub serials: Vec<String>,
}

impl SalesOrder {
    fn go(&mut self, to: SalesOrderStatus, now: DateTime<Utc>) {
        self.status = to;
        self.status_changed_at = Some(now);
    }

    /// The ERP took the order (its delivery succeeded). Idempotent: an order already
    /// past `sent` stays where it is (a late report of the hand-off).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] for a cancelled order.
    pub fn mark_sent(&mut self, now: DateTime<Utc>) -> Result<()> {
        match self.status {
            SalesOrderStatus::Open => {
                self.go(SalesOrderStatus::Sent, now);
                Ok(())
            }
            SalesOrderStatus::Cancelled => Err(illegal(self.status, SalesOrderStatus::Sent)),
            _ => Ok(()),
        }
    }

    /// The ERP confirmed the order under its `reference`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is open or sent;
    /// [`Error::InvalidValue`] for an empty reference.
    pub fn acknowledge(&mut self, reference: &str, now: DateTime<Utc>) -> Result<()> {
        let reference = reference.trim();
        if reference.is_empty() {
            return Err(Error::invalid(
                "erp_reference",
                reference,
                "must not be empty",
            ));
        }
        match self.status {
            SalesOrderStatus::Open | SalesOrderStatus::Sent => {
                self.erp_reference = Some(reference.to_string());
                self.go(SalesOrderStatus::Acknowledged, now);
                Ok(())
            }
            _ => Err(illegal(self.status, SalesOrderStatus::Acknowledged)),
        }
    }

    /// Records deliveries on lines: partly fulfilled until every line has its full
    /// quantity, then fulfilled.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is acknowledged or partly fulfilled;
    /// [`Error::Validation`] listing every line that does not exist, a quantity not
    /// above zero, or more than the line has left (nothing is recorded then).
    pub fn fulfil(&mut self, deliveries: &[LineFulfilment], now: DateTime<Utc>) -> Result<()> {
        if !matches!(
            self.status,
            SalesOrderStatus::Acknowledged | SalesOrderStatus::PartlyFulfilled
        ) {
            return Err(illegal(self.status, SalesOrderStatus::PartlyFulfilled));
        }
        let ordered: Vec<Decimal> = self
            .content
            .lines
            .iter()
            .map(|l| l.price.quantity)
            .collect();
        let mut done = self.fulfilled.clone();
        done.resize(ordered.len(), Decimal::ZERO);
        let mut p = Problems::new();
        for (i, d) in deliveries.iter().enumerate() {
            let field = format!("deliveries[{i}]");
            let Some(line) = usize::try_from(d.line).ok().filter(|l| *l < ordered.len()) else {
                p.push(
                    format!("{field}.line"),
                    format!("the order has {} lines", ordered.len()),
                );
                continue;
            };
            if d.quantity <= Decimal::ZERO {
                p.push(format!("{field}.quantity"), "must be above zero");
                continue;
            }
            let after = done[line] + d.quantity;
            if after > ordered[line] {
                p.push(
                    format!("{field}.quantity"),
                    format!(
                        "line {} has {} left of {}",
                        d.line,
                        ordered[line] - done[line],
                        ordered[line]
                    ),
                );
                continue;
            }
            done[line] = after;
        }
        p.finish(())?;
        self.fulfilled = done;
        let complete = self.fulfilled.iter().zip(&ordered).all(|(d, o)| d >= o);
        let to = if complete {
            SalesOrderStatus::Fulfilled
        } else {
            SalesOrderStatus::PartlyFulfilled
        };
        self.go(to, now);
        Ok(())
    }

    /// Cancels an order nothing of which was fulfilled.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] once anything is fulfilled, or when already cancelled.
    pub fn cancel(&mut self, reason: &str, now: DateTime<Utc>) -> Result<()> {
        match self.status {
            SalesOrderStatus::Open | SalesOrderStatus::Sent | SalesOrderStatus::Acknowledged => {
                self.cancel_reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
                self.go(SalesOrderStatus::Cancelled, now);
                Ok(())
            }
            _ => Err(illegal(self.status, SalesOrderStatus::Cancelled)),
        }
    }
}
