//! Exact money: ISO 4217 currencies, decimal amounts, named rounding, percentages and
//! probabilities.
//!
//! Amounts are `rust_decimal::Decimal`, never floats. Adding or comparing amounts in two
//! currencies is an error ([`Error::CurrencyMismatch`]); converting between them needs an
//! explicit dated rate (see [`crate::sales::fx`]). Rounding is always named: a
//! [`RoundingMode`] applied to the currency's minor unit.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// An ISO 4217 currency, with its minor unit.
///
/// # Examples
/// ```
/// use crm_core::Currency;
/// let eur: Currency = "eur".parse()?;
/// assert_eq!(eur.code(), "EUR");
/// assert_eq!(eur.minor_units(), 2);
/// assert_eq!("JPY".parse::<Currency>()?.minor_units(), 0);
/// assert!("EURO".parse::<Currency>().is_err());
/// # Ok::<(), crm_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// Parses a three-letter ISO 4217 code, in any case.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the code is not an ISO 4217 currency.
    pub fn parse(code: &str) -> Result<Self> {
        let upper = code.trim().to_ascii_uppercase();
        iso_currency::Currency::from_code(&upper)
            .map(Currency)
            .ok_or_else(|| Error::invalid("currency", code, "not an ISO 4217 currency code"))
    }

    /// The three-letter code, upper case.
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// Digits after the decimal point in this currency's minor unit (2 for EUR, 0 for JPY).
    /// Currencies without a minor unit in ISO 4217 (gold, SDR) use 2.
    pub fn minor_units(&self) -> u32 {
        self.0.exponent().map_or(2, u32::from)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// How a value exactly halfway between two representable values is rounded.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Half to even ("banker's rounding"): 0.125 → 0.12, 0.135 → 0.14.
    #[default]
    HalfEven,
    /// Half away from zero (commercial rounding): 0.125 → 0.13, -0.125 → -0.13.
    HalfUp,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        }
    }
}

/// The largest amount a document, a purchase or a line adds up to: 10^20 in any currency.
/// Far beyond any real business amount, and far enough below the range of exact decimals
/// (about 7.9 × 10^28) that sums and products of such amounts cannot overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1_661_992_960, 1_808_227_885, 5, false, 0);

/// An exact amount of one currency.
///
/// # Examples
/// ```
/// use crm_core::{Money, RoundingMode};
/// let price = Money::parse("19.99", "EUR")?;
/// let total = price.times("3".parse()?).checked_add(&Money::parse("0.03", "EUR")?)?;
/// assert_eq!(total.to_string(), "60.00 EUR");
/// assert!(price.checked_add(&Money::parse("1", "USD")?).is_err());
/// let third = Money::parse("10", "EUR")?.divided_by("3".parse()?)?.round(RoundingMode::HalfEven);
/// assert_eq!(third.amount().to_string(), "3.33");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MoneyParts")]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

/// Money as read from outside, before its amount is checked against [`MAX_AMOUNT`] (found
/// by the surface fuzzer: amounts near the decimal range overflowed forecasts and totals).
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct MoneyParts {
    amount: Decimal,
    currency: Currency,
}

impl TryFrom<MoneyParts> for Money {
    type Error = Error;

    fn try_from(parts: MoneyParts) -> Result<Money> {
        if parts.amount.abs() > MAX_AMOUNT {
            return Err(Error::invalid(
                "amount",
                parts.amount.to_string(),
                "beyond 10^20, the largest amount crm-core takes",
            ));
        }
        Ok(Money::new(parts.amount, parts.currency))
    }
}

impl Money {
    /// An amount of `currency`.
    pub const fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Zero of `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }

    /// Parses a decimal amount (`"1234.50"`) and a currency code.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the amount is not a decimal number or the currency is
    /// not ISO 4217.
    pub fn parse(amount: &str, currency: &str) -> Result<Self> {
        let currency = Currency::parse(currency)?;
        let amount = parse_decimal("amount", amount)?;
        Ok(Self::new(amount, currency))
    }

    /// The amount.
    pub const fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    fn same_currency(&self, other: &Money) -> Result<()> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                left: self.currency.code().into(),
                right: other.currency.code().into(),
            })
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] across currencies; [`Error::InvalidValue`] on overflow.
    pub fn checked_add(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or_else(|| overflow(self))?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self - other`.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] across currencies; [`Error::InvalidValue`] on overflow.
    pub fn checked_sub(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or_else(|| overflow(self))?;
        Ok(Money::new(amount, self.currency))
    }

    /// Compares two amounts of the same currency.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] across currencies.
    pub fn checked_cmp(&self, other: &Money) -> Result<std::cmp::Ordering> {
        self.same_currency(other)?;
        Ok(self.amount.cmp(&other.amount))
    }

    /// `self × factor`, unrounded (saturates nothing: amounts in a CRM stay far below
    /// `Decimal`'s 7.9 × 10²⁸).
    pub fn times(&self, factor: Decimal) -> Money {
        Money::new(self.amount * factor, self.currency)
    }

    /// `self ÷ divisor`, unrounded.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `divisor` is zero.
    pub fn divided_by(&self, divisor: Decimal) -> Result<Money> {
        let amount = self
            .amount
            .checked_div(divisor)
            .ok_or_else(|| Error::invalid("divisor", divisor.to_string(), "division by zero"))?;
        Ok(Money::new(amount, self.currency))
    }

    /// Rounds to the currency's minor unit with `mode`.
    pub fn round(&self, mode: RoundingMode) -> Money {
        let amount = self
            .amount
            .round_dp_with_strategy(self.currency.minor_units(), mode.strategy());
        Money::new(amount, self.currency)
    }

    /// Sums amounts of one currency; the sum of nothing is zero of `currency`.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] when any amount is in another currency.
    pub fn sum<'a>(
        currency: Currency,
        items: impl IntoIterator<Item = &'a Money>,
    ) -> Result<Money> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), |acc, m| acc.checked_add(m))
    }
}

fn overflow(m: &Money) -> Error {
    Error::invalid("amount", m.amount.to_string(), "arithmetic overflow")
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dp = self.currency.minor_units();
        if self.amount.scale() < dp {
            let mut padded = self.amount;
            padded.rescale(dp);
            write!(f, "{} {}", padded, self.currency)
        } else {
            write!(f, "{} {}", self.amount, self.currency)
        }
    }
}

/// Parses a decimal from text, refusing exponents, NaN and empty strings.
///
/// # Errors
/// [`Error::InvalidValue`] naming `field`.
pub fn parse_decimal(field: &str, text: &str) -> Result<Decimal> {
    let t = text.trim();
    Decimal::from_str_exact(t)
        .or_else(|_| Decimal::from_str(t))
        .map_err(|e| Error::invalid(field, text, format!("not a decimal number ({e})")))
}

/// A percentage between 0 and 100 inclusive, exact.
///
/// # Examples
/// ```
/// use crm_core::Percent;
/// let p = Percent::parse("12.5")?;
/// assert_eq!(p.as_fraction().to_string(), "0.125");
/// assert!(Percent::parse("101").is_err());
/// # Ok::<(), crm_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Percent(Decimal);

impl Percent {
    /// 0 %.
    pub const ZERO: Percent = Percent(Decimal::ZERO);
    /// 100 %.
    pub const HUNDRED: Percent = Percent(Decimal::ONE_HUNDRED);

    /// A percentage from a decimal in `0..=100`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] outside `0..=100`.
    pub fn new(value: Decimal) -> Result<Self> {
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            Err(Error::invalid(
                "percent",
                value.to_string(),
                "must be between 0 and 100",
            ))
        } else {
            Ok(Percent(value.normalize()))
        }
    }

    /// Parses `"12.5"` or `"12.5%"`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when not a number in `0..=100`.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim().trim_end_matches('%');
        Self::new(parse_decimal("percent", t)?)
    }

    /// The value in percent (12.5 for 12.5 %).
    pub const fn value(&self) -> Decimal {
        self.0
    }

    /// The value as a fraction (0.125 for 12.5 %).
    pub fn as_fraction(&self) -> Decimal {
        self.0 / Decimal::ONE_HUNDRED
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Percent::new(<Decimal as Deserialize>::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// A probability in `[0, 1]`, finite; what models and scores produce.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Probability(f64);

impl Probability {
    /// A probability from a float in `[0, 1]`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for NaN, infinities and values outside `[0, 1]`.
    pub fn new(p: f64) -> Result<Self> {
        if p.is_finite() && (0.0..=1.0).contains(&p) {
            Ok(Probability(p))
        } else {
            Err(Error::invalid(
                "probability",
                p.to_string(),
                "must be a finite number between 0 and 1",
            ))
        }
    }

    /// The value.
    pub const fn get(&self) -> f64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Probability {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Probability::new(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn rounding_modes_differ_on_midpoints() {
        let m = Money::parse("0.125", "EUR").unwrap();
        assert_eq!(m.round(RoundingMode::HalfEven).amount().to_string(), "0.12");
        assert_eq!(m.round(RoundingMode::HalfUp).amount().to_string(), "0.13");
        let neg = Money::parse("-0.125", "EUR").unwrap();
        assert_eq!(
            neg.round(RoundingMode::HalfUp).amount().to_string(),
            "-0.13"
        );
        let yen = Money::parse("100.5", "JPY").unwrap();
        assert_eq!(
            yen.round(RoundingMode::HalfEven).amount().to_string(),
            "100"
        );
    }

    #[test]
    fn amounts_beyond_the_range_are_refused_when_read() {
        let read = |amount: &str| {
            serde_json::from_value::<Money>(
                serde_json::json!({ "amount": amount, "currency": "EUR" }),
            )
        };
        assert!(read("100000000000000000000").is_ok());
        assert!(read("-100000000000000000000").is_ok());
        let err = read("100000000000000000000.01").unwrap_err().to_string();
        assert!(err.contains("beyond 10^20"), "{err}");
        assert!(read("79228162514264337593543950335").is_err());
    }

    #[test]
    fn mismatched_currencies_are_errors() {
        let a = Money::parse("1", "EUR").unwrap();
        let b = Money::parse("1", "USD").unwrap();
        assert_eq!(a.checked_add(&b).unwrap_err().code(), "currency_mismatch");
        assert_eq!(a.checked_cmp(&b).unwrap_err().code(), "currency_mismatch");
    }

    #[test]
    fn bad_inputs_are_refused() {
        assert!(Money::parse("abc", "EUR").is_err());
        assert!(Money::parse("1", "XXY").is_err());
        assert!(Percent::parse("-1").is_err());
        assert!(Probability::new(f64::NAN).is_err());
        assert!(Probability::new(1.5).is_err());
        assert!(serde_json::from_str::<Percent>("\"150\"").is_err());
        assert!(serde_json::from_str::<Currency>("\"ABC\"").is_err());
        // exact amounts are text: a JSON number (a binary float) is refused, not rounded
        assert!(serde_json::from_str::<Money>(r#"{"amount":12.5,"currency":"EUR"}"#).is_err());
        assert!(serde_json::from_str::<Percent>("12.5").is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"12.5","currency":"EUR"}"#).is_ok());
    }

    #[test]
    fn money_serializes_amount_as_string() {
        let m = Money::parse("12.30", "EUR").unwrap();
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"amount":"12.30","currency":"EUR"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        assert_eq!(m.to_string(), "12.30 EUR");
        assert_eq!(Money::parse("5", "EUR").unwrap().to_string(), "5.00 EUR");
    }

    proptest! {
        #[test]
        fn rounding_is_within_half_a_minor_unit(cents in -10_000_000i64..10_000_000, extra in 0u32..1000) {
            let amount = Decimal::new(cents * 1000 + i64::from(extra), 5);
            let m = Money::new(amount, eur());
            for mode in [RoundingMode::HalfEven, RoundingMode::HalfUp] {
                let r = m.round(mode);
                let diff = (r.amount() - amount).abs();
                prop_assert!(diff <= Decimal::new(5, 3));
                prop_assert!(r.amount().scale() <= 2);
                prop_assert_eq!(r.round(mode), r);
            }
        }

        #[test]
        fn sums_add_up(values in proptest::collection::vec(-1_000_000i64..1_000_000, 0..50)) {
            let items: Vec<Money> = values.iter().map(|v| Money::new(Decimal::new(*v, 2), eur())).collect();
            let total = Money::sum(eur(), &items).unwrap();
            let expected: i64 = values.iter().sum();
            prop_assert_eq!(total.amount(), Decimal::new(expected, 2));
        }
    }
}
