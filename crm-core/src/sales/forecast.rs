//! The weighted forecast: open opportunities by period of expected close and by owner,
//! unweighted and weighted by probability, with won business beside them, in one reporting
//! currency.
//!
//! Every amount is converted at the rates in force on the forecast's `as_of` day, so one
//! table is one consistent snapshot; sums are exact and each cell is rounded half-even to
//! the reporting currency once, at the end. The totals are the sums of the rounded cells,
//! so the table always adds up.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::money::{Currency, Money, RoundingMode};
use crate::sales::fx::RateTable;
use crate::sales::{Opportunity, StageKind};

/// How the forecast groups dates.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// `2026-03`.
    Month,
    /// `2026-Q1`.
    #[default]
    Quarter,
    /// `2026`.
    Year,
}

impl Period {
    /// The label of the period containing `day`.
    pub fn label(self, day: NaiveDate) -> String {
        match self {
            Period::Month => format!("{:04}-{:02}", day.year(), day.month()),
            Period::Quarter => format!("{:04}-Q{}", day.year(), day.month0() / 3 + 1),
            Period::Year => format!("{:04}", day.year()),
        }
    }
}

/// One cell of the forecast: a period and an owner.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastRow {
    /// Period label.
    pub period: String,
    /// Owner (`(unassigned)` when none).
    pub owner: String,
    /// Open opportunities expected to close in the period.
    pub open_count: usize,
    /// Their amounts, unweighted.
    pub pipeline: Money,
    /// Their amounts weighted by probability.
    pub weighted: Money,
    /// Opportunities won in the period.
    pub won_count: usize,
    /// Their amounts.
    pub won: Money,
}

/// The forecast table.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    /// Reporting currency.
    pub currency: Currency,
    /// The day whose exchange rates were used.
    pub as_of: NaiveDate,
    /// Grouping.
    pub period: Period,
    /// Rows by period, then owner.
    pub rows: Vec<ForecastRow>,
    /// Sum of `pipeline`.
    pub total_pipeline: Money,
    /// Sum of `weighted`.
    pub total_weighted: Money,
    /// Sum of `won`.
    pub total_won: Money,
}

/// A sum or product of the forecast, or the error when it leaves the decimal range.
fn checked(value: Option<rust_decimal::Decimal>) -> Result<rust_decimal::Decimal> {
    value.ok_or_else(|| {
        crate::Error::invalid(
            "forecast",
            "",
            "the amounts add up beyond the range of exact decimals",
        )
    })
}

/// Builds the forecast over `opportunities` (lost ones are skipped).
///
/// # Errors
/// [`crate::Error::MissingExchangeRate`] when an amount cannot be converted on `as_of`;
/// [`crate::Error::InvalidValue`] when the amounts add up beyond the decimal range.
pub fn forecast<'a>(
    opportunities: impl IntoIterator<Item = &'a Opportunity>,
    rates: &RateTable,
    currency: Currency,
    period: Period,
    as_of: NaiveDate,
) -> Result<Forecast> {
    struct Acc {
        open_count: u64,
        pipeline: rust_decimal::Decimal,
        weighted: rust_decimal::Decimal,
        won_count: u64,
        won: rust_decimal::Decimal,
    }
    let mut cells: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for o in opportunities {
        let day = match o.state {
            StageKind::Open => o.expected_close,
            StageKind::Won => o.closed_at.map_or(o.expected_close, |t| t.date_naive()),
            StageKind::Lost => continue,
        };
        let rate = rates.rate(o.amount.currency(), currency, as_of)?;
        // checked: a huge amount at a huge rate is an error, not a panic (surface fuzzer)
        let amount = checked(o.amount.amount().checked_mul(rate))?;
        let owner = o.owner.clone().unwrap_or_else(|| "(unassigned)".into());
        let acc = cells.entry((period.label(day), owner)).or_insert(Acc {
            open_count: 0,
            pipeline: rust_decimal::Decimal::ZERO,
            weighted: rust_decimal::Decimal::ZERO,
            won_count: 0,
            won: rust_decimal::Decimal::ZERO,
        });
        if o.state == StageKind::Open {
            acc.open_count += 1;
            acc.pipeline = checked(acc.pipeline.checked_add(amount))?;
            let weighted = checked(amount.checked_mul(o.probability.as_fraction()))?;
            acc.weighted = checked(acc.weighted.checked_add(weighted))?;
        } else {
            acc.won_count += 1;
            acc.won = checked(acc.won.checked_add(amount))?;
        }
    }
    let money = |d| Money::new(d, currency).round(RoundingMode::HalfEven);
    let rows: Vec<ForecastRow> = cells
        .into_iter()
        .map(|((period, owner), a)| ForecastRow {
            period,
            owner,
            open_count: crate::tally(a.open_count),
            pipeline: money(a.pipeline),
            weighted: money(a.weighted),
            won_count: crate::tally(a.won_count),
            won: money(a.won),
        })
        .collect();
    let total = |f: fn(&ForecastRow) -> &Money| Money::sum(currency, rows.iter().map(f));
    Ok(Forecast {
        currency,
        as_of,
        period,
        total_pipeline: total(|r| &r.pipeline)?,
        total_weighted: total(|r| &r.weighted)?,
        total_won: total(|r| &r.won)?,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_beyond_the_decimal_range_are_an_error_not_a_panic() {
        // found by the surface fuzzer: a bounded amount at a huge exchange rate overflowed
        let eur = Currency::parse("EUR").unwrap();
        let usd = Currency::parse("USD").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut rates = RateTable::new();
        let rate = rust_decimal::Decimal::from_str_exact("79228162514264337593543950").unwrap();
        rates.insert(usd, eur, day, rate).unwrap();
        let huge = Money::new(crate::money::MAX_AMOUNT, usd);
        let converted = rates.convert(&huge, eur, day);
        assert!(
            matches!(converted, Err(crate::Error::InvalidValue { .. })),
            "{converted:?}"
        );
    }

    #[test]
    fn period_labels() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(Period::Month.label(d), "2026-11");
        assert_eq!(Period::Quarter.label(d), "2026-Q4");
        assert_eq!(Period::Year.label(d), "2026");
    }
}
