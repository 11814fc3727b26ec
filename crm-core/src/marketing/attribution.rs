//! Attribution: how much of a won deal's revenue each touchpoint earned, hence each ad,
//! affiliate, campaign and channel.
//!
//! Models: first touch, last touch, linear, time decay (a touch `h` half-lives before the
//! close weighs 2^-h) and position based (40 % to the first touch, 40 % to the last, 20 %
//! shared by the ones between; with one touch it takes everything, with two they split
//! 50/50). Weights become amounts with the largest-remainder method in the smallest unit
//! the revenue is written in (at least the currency's minor unit), so the credits of a deal
//! always add up to its revenue exactly — never a cent lost or made up.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::money::Money;

/// An attribution model.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum AttributionModel {
    /// Everything to the first touch.
    FirstTouch,
    /// Everything to the last touch.
    LastTouch,
    /// Equal shares.
    Linear,
    /// Shares halving every `half_life_days` before the close.
    TimeDecay {
        /// The half-life in days (positive).
        half_life_days: f64,
    },
    /// 40 % first, 40 % last, 20 % shared by the middle.
    PositionBased,
}

impl AttributionModel {
    /// Checks the model's parameters.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a half-life that is not a positive number.
    pub fn check(&self) -> Result<()> {
        match self {
            AttributionModel::TimeDecay { half_life_days }
                if !(half_life_days.is_finite() && *half_life_days > 0.0) =>
            {
                Err(Error::invalid(
                    "half_life_days",
                    half_life_days.to_string(),
                    "must be a positive number of days",
                ))
            }
            _ => Ok(()),
        }
    }

    /// The weight of each touch (`at`, in time order) for a deal closed at `closed_at`.
    pub fn weights(&self, at: &[DateTime<Utc>], closed_at: DateTime<Utc>) -> Vec<f64> {
        let n = at.len();
        let mut w = vec![0.0; n];
        if n == 0 {
            return w;
        }
        match *self {
            AttributionModel::FirstTouch => w[0] = 1.0,
            AttributionModel::LastTouch => w[n - 1] = 1.0,
            AttributionModel::Linear => w.fill(1.0),
            AttributionModel::TimeDecay { half_life_days } => {
                for (wi, t) in w.iter_mut().zip(at) {
                    let days = (closed_at - *t).num_seconds().max(0) as f64 / 86_400.0;
                    *wi = (-days / half_life_days).exp2();
                }
            }
            AttributionModel::PositionBased => match n {
                1 => w[0] = 1.0,
                2 => w.fill(0.5),
                _ => {
                    w.fill(0.2 / (n - 2) as f64);
                    w[0] = 0.4;
                    w[n - 1] = 0.4;
                }
            },
        }
        w
    }
}

/// Splits `revenue` by `weights` (non-negative, not all zero) so that the parts add up to
/// it exactly: largest remainder in the revenue's smallest unit (ties to the earlier part).
///
/// # Errors
/// [`Error::InvalidValue`] for no weights, negative or non-finite weights, or weights that
/// are all zero.
pub fn split(revenue: Money, weights: &[f64]) -> Result<Vec<Money>> {
    let total: f64 = weights.iter().sum();
    if weights.is_empty()
        || weights.iter().any(|w| !w.is_finite() || *w < 0.0)
        || !(total.is_finite() && total > 0.0)
    {
        return Err(Error::invalid(
            "weights",
            format!("{weights:?}"),
            "need at least one, all finite and non-negative, not all zero",
        ));
    }
    let currency = revenue.currency();
    let scale = revenue.amount().scale().max(currency.minor_units());
    let mut amount = revenue.amount();
    amount.rescale(scale);
    let units = amount.mantissa(); // i128 in 10^-scale
    let sign = units.signum();
    let units = units.abs();
    let mut parts: Vec<i128> = Vec::with_capacity(weights.len());
    let mut fractions: Vec<(f64, usize)> = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for (i, w) in weights.iter().enumerate() {
        let exact = units as f64 * (w / total);
        let floor = exact.floor();
        let part = (floor as i128).min(units - given).max(0);
        given += part;
        parts.push(part);
        fractions.push((exact - floor, i));
    }
    // Hand out what is left, one unit each, to the largest fractions (earlier on ties).
    let mut left = units - given;
    fractions.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut k = 0;
    while left > 0 {
        let (_, i) = fractions[k % fractions.len()];
        if weights[i] > 0.0 || fractions.iter().all(|(_, j)| weights[*j] == 0.0) {
            parts[i] += 1;
            left -= 1;
        }
        k += 1;
    }
    Ok(parts
        .into_iter()
        .map(|p| Money::new(Decimal::from_i128_with_scale(sign * p, scale), currency))
        .collect())
}

/// One touch as attribution sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Touch {
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    /// The campaign code, if any.
    #[serde(default)]
    pub campaign: Option<String>,
    /// The ad, if any.
    #[serde(default)]
    pub ad: Option<String>,
    /// The affiliate, if any.
    #[serde(default)]
    pub affiliate: Option<String>,
    /// The channel (`email`, `paid_search`, … or the touch kind when no campaign says).
    pub channel: String,
}

/// The credit a touch earned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credit {
    /// The touch (index into the touches given).
    pub touch: usize,
    /// Its share of the revenue.
    pub amount: Money,
}

/// The credits of a deal of `revenue` closed at `closed_at` over its `touches` before the
/// close (in any order; sorted by time here, ties in the order given).
///
/// # Errors
/// As [`AttributionModel::check`]; none when there are no touches (no credits).
pub fn attribute(
    model: AttributionModel,
    revenue: Money,
    touches: &[Touch],
    closed_at: DateTime<Utc>,
) -> Result<Vec<Credit>> {
    model.check()?;
    let mut order: Vec<usize> = (0..touches.len())
        .filter(|i| touches[*i].at <= closed_at)
        .collect();
    if order.is_empty() {
        return Ok(Vec::new());
    }
    order.sort_by_key(|i| (touches[*i].at, *i));
    let at: Vec<DateTime<Utc>> = order.iter().map(|i| touches[*i].at).collect();
    let mut weights = model.weights(&at, closed_at);
    if weights.iter().all(|w| *w == 0.0) {
        // Time decay far in the past underflows: fall back to the last touch.
        *weights.last_mut().expect("non-empty") = 1.0;
    }
    Ok(split(revenue, &weights)?
        .into_iter()
        .zip(order)
        .map(|(amount, touch)| Credit { touch, amount })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn eur(s: &str) -> Money {
        Money::parse(s, "EUR").unwrap()
    }

    fn touches(n: usize, close: DateTime<Utc>) -> Vec<Touch> {
        (0..n)
            .map(|i| Touch {
                at: close - Duration::days((n - i) as i64 * 7),
                campaign: Some(format!("c{i}")),
                ad: None,
                affiliate: None,
                channel: "email".into(),
            })
            .collect()
    }

    fn amounts(c: &[Credit]) -> Vec<String> {
        c.iter().map(|c| c.amount.amount().to_string()).collect()
    }

    /// 1 000.00 over four touches, each a week apart, the last a week before the close.
    #[test]
    fn golden_credits_with_the_arithmetic_written_out() {
        let close = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        let t = touches(4, close);
        let run = |m| amounts(&attribute(m, eur("1000.00"), &t, close).unwrap());
        assert_eq!(
            run(AttributionModel::FirstTouch),
            ["1000.00", "0.00", "0.00", "0.00"]
        );
        assert_eq!(
            run(AttributionModel::LastTouch),
            ["0.00", "0.00", "0.00", "1000.00"]
        );
        assert_eq!(
            run(AttributionModel::Linear),
            ["250.00", "250.00", "250.00", "250.00"]
        );
        // 40 / 10 / 10 / 40.
        assert_eq!(
            run(AttributionModel::PositionBased),
            ["400.00", "100.00", "100.00", "400.00"]
        );
        // Half-life 7 days: weights 2^-4, 2^-3, 2^-2, 2^-1 = 1/16, 2/16, 4/16, 8/16 of 15/16:
        // 1000 × 1/15 = 66.666…, × 2/15 = 133.333…, × 4/15 = 266.666…, × 8/15 = 533.333…;
        // floors 66.66 + 133.33 + 266.66 + 533.33 = 999.98; the 2 cents left go to the
        // largest remainders (0.666… twice: the first and the third).
        assert_eq!(
            run(AttributionModel::TimeDecay {
                half_life_days: 7.0
            }),
            ["66.67", "133.33", "266.67", "533.33"]
        );
        // 100.00 over three touches, linear: 33.34 + 33.33 + 33.33.
        let three = touches(3, close);
        assert_eq!(
            amounts(&attribute(AttributionModel::Linear, eur("100"), &three, close).unwrap()),
            ["33.34", "33.33", "33.33"]
        );
        // Two touches, position based: 50/50; touches after the close earn nothing.
        let mut two = touches(2, close);
        two.push(Touch {
            at: close + Duration::days(1),
            ..two[0].clone()
        });
        let c = attribute(AttributionModel::PositionBased, eur("10.01"), &two, close).unwrap();
        assert_eq!(amounts(&c), ["5.01", "5.00"]);
        assert!(
            attribute(
                AttributionModel::TimeDecay {
                    half_life_days: 0.0
                },
                eur("1"),
                &two,
                close
            )
            .is_err()
        );
        assert!(
            attribute(AttributionModel::Linear, eur("1"), &[], close)
                .unwrap()
                .is_empty()
        );
    }

    proptest! {
        #[test]
        fn credits_always_sum_to_the_revenue(
            cents in -1_000_000_000i64..1_000_000_000,
            extra_scale in 0u32..3,
            n in 1usize..40,
            model in 0usize..5,
            half_life in 0.1f64..400.0,
            spread in prop::collection::vec(0i64..10_000_000, 1..40),
        ) {
            let close = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
            let touches: Vec<Touch> = (0..n).map(|i| Touch {
                at: close - Duration::seconds(spread[i % spread.len()] * (i as i64 + 1)),
                campaign: None, ad: None, affiliate: None, channel: "web".into(),
            }).collect();
            let m = [
                AttributionModel::FirstTouch,
                AttributionModel::LastTouch,
                AttributionModel::Linear,
                AttributionModel::TimeDecay { half_life_days: half_life },
                AttributionModel::PositionBased,
            ][model];
            let revenue = Money::new(Decimal::new(cents, 2 + extra_scale), Currency::parse("USD").unwrap());
            let credits = attribute(m, revenue, &touches, close).unwrap();
            prop_assert_eq!(credits.len(), n);
            let sum = credits.iter().fold(Decimal::ZERO, |s, c| s + c.amount.amount());
            prop_assert_eq!(sum, revenue.amount());
            // Every credit has the sign of the revenue.
            prop_assert!(credits.iter().all(|c| c.amount.amount().is_sign_negative() == revenue.amount().is_sign_negative() || c.amount.amount().is_zero()));
        }
    }
}
