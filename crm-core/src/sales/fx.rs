//! Exchange rates: dated rates between currencies, and conversion at the rate in force on
//! a day (the latest rate on or before it; the inverse of the opposite pair when only that
//! one is known).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::ExchangeRateId;
use crate::money::{Currency, Money};
use crate::store::{EntityKind, impl_entity};

/// One dated rate: 1 `from` = `rate` `to`, from `on` until the next rate of the pair.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRate {
    /// Id, assigned by the store.
    pub id: ExchangeRateId,
    /// Version.
    pub version: crate::id::Version,
    /// Source currency.
    pub from: Currency,
    /// Target currency.
    pub to: Currency,
    /// The first day it applies.
    pub on: NaiveDate,
    /// Units of `to` per unit of `from` (positive).
    pub rate: Decimal,
}

impl_entity!(
    ExchangeRate,
    ExchangeRateId,
    EntityKind::ExchangeRate,
    |r| [
        Some(format!("{}/{}", r.from, r.to)),
        Some(format!("{}/{}/{}", r.from, r.to, r.on)),
        None,
        None,
        None,
        None
    ]
);

impl ExchangeRate {
    /// Slot of the pair (`EUR/USD`).
    pub const BY_PAIR: usize = 0;
    /// Slot of the pair and day (`EUR/USD/2026-01-31`).
    pub const BY_PAIR_DAY: usize = 1;
}

/// A table of dated rates for conversions.
///
/// # Examples
/// ```
/// use crm_core::sales::fx::RateTable;
/// use crm_core::{Currency, Money};
/// use chrono::NaiveDate;
/// let (eur, usd) = (Currency::parse("EUR")?, Currency::parse("USD")?);
/// let day = |d| NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
/// let mut rates = RateTable::new();
/// rates.insert(eur, usd, day(1), "1.10".parse().unwrap())?;
/// rates.insert(eur, usd, day(15), "1.20".parse().unwrap())?;
/// let hundred = Money::parse("100", "EUR")?;
/// assert_eq!(rates.convert(&hundred, usd, day(10))?.amount().to_string(), "110.00");
/// assert_eq!(rates.convert(&hundred, usd, day(20))?.amount().to_string(), "120.00");
/// // The inverse pair is derived when only one direction is known.
/// assert_eq!(rates.convert(&Money::parse("120", "USD")?, eur, day(20))?.amount().to_string(), "100.00");
/// assert!(rates.convert(&hundred, usd, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()).is_err());
/// # Ok::<(), crm_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateTable {
    rates: BTreeMap<(Currency, Currency), BTreeMap<NaiveDate, Decimal>>,
}

impl RateTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the rate of a pair from a day on.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the rate is not positive or the pair is one currency.
    pub fn insert(
        &mut self,
        from: Currency,
        to: Currency,
        on: NaiveDate,
        rate: Decimal,
    ) -> Result<()> {
        check_rate(from, to, rate)?;
        self.rates.entry((from, to)).or_default().insert(on, rate);
        Ok(())
    }

    /// The rate from `from` to `to` in force on `on`.
    ///
    /// # Errors
    /// [`Error::MissingExchangeRate`] when no rate of the pair (either direction) is known
    /// on or before `on`.
    pub fn rate(&self, from: Currency, to: Currency, on: NaiveDate) -> Result<Decimal> {
        if from == to {
            return Ok(Decimal::ONE);
        }
        let latest = |pair: (Currency, Currency)| {
            self.rates
                .get(&pair)
                .and_then(|by_day| by_day.range(..=on).next_back())
                .map(|(day, rate)| (*day, *rate))
        };
        let direct = latest((from, to));
        let inverse = latest((to, from));
        match (direct, inverse) {
            (Some((d, r)), Some((i, _))) if d >= i => Ok(r),
            (_, Some((_, r))) => Ok(Decimal::ONE / r),
            (Some((_, r)), None) => Ok(r),
            (None, None) => Err(Error::MissingExchangeRate {
                from: from.code().into(),
                to: to.code().into(),
                on: on.to_string(),
            }),
        }
    }

    /// Converts `amount` into `to` at the rate in force on `on`, rounded half-even to the
    /// target currency's minor unit.
    ///
    /// # Errors
    /// As [`RateTable::rate`]; [`Error::InvalidValue`] when the converted amount is beyond
    /// the range of exact decimals.
    pub fn convert(&self, amount: &Money, to: Currency, on: NaiveDate) -> Result<Money> {
        let rate = self.rate(amount.currency(), to, on)?;
        let converted = amount.amount().checked_mul(rate).ok_or_else(|| {
            Error::invalid(
                "amount",
                amount.to_string(),
                format!("beyond the range of exact decimals at the rate {rate}"),
            )
        })?;
        Ok(Money::new(converted, to).round(crate::money::RoundingMode::HalfEven))
    }
}

/// Checks a rate: positive, between two currencies.
///
/// # Errors
/// [`Error::InvalidValue`] otherwise.
pub fn check_rate(from: Currency, to: Currency, rate: Decimal) -> Result<()> {
    if from == to {
        return Err(Error::invalid(
            "currency pair",
            format!("{from}/{to}"),
            "needs two currencies",
        ));
    }
    if rate <= Decimal::ZERO {
        return Err(Error::invalid(
            "exchange rate",
            rate.to_string(),
            "must be positive",
        ));
    }
    Ok(())
}

impl FromIterator<ExchangeRate> for RateTable {
    fn from_iter<I: IntoIterator<Item = ExchangeRate>>(iter: I) -> Self {
        let mut table = RateTable::new();
        for r in iter {
            table
                .rates
                .entry((r.from, r.to))
                .or_default()
                .insert(r.on, r.rate);
        }
        table
    }
}
