//! The pricing of a document (a quote, an order): lines with a quantity, a unit price, a
//! discount and tax codes, a document-level discount, and the totals.
//!
//! Every amount is exact ([`Money`] over `rust_decimal`) until it is rounded, and every
//! rounding is named: a [`RoundingMode`] (half-even or half-up — there is no default) and
//! a [`RoundingStrategy`]:
//!
//! - [`RoundingStrategy::PerLine`] rounds each line's net amount and each of its taxes;
//!   the document's totals are sums of rounded line amounts.
//! - [`RoundingStrategy::Global`] keeps the lines exact and rounds the document's net
//!   amount and each tax rate's total once (what Odoo calls *round globally*). The lines'
//!   own rounded figures are for display and need not add up to the totals.
//!
//! Either way the document adds up exactly: `gross − discount = subtotal` and
//! `subtotal + Σ taxes = grand total`, all of them rounded.
//!
//! **Prices that include tax.** A line whose taxes are included in its price keeps that
//! price: its net amount is the price divided by `1 + Σ included rates`, rounded, and the
//! included taxes take what is left, so net + tax equals the price the customer was shown.
//! For 24.99 including 20 % the exact split is 20.825 + 4.165; rounding both half-up would
//! give 20.83 + 4.17 = 25.00, a cent more than the price, so the library gives
//! 20.83 + 4.16 = 24.99 (half-even: 20.82 + 4.17). With several included taxes, all but
//! the last are rounded and the last takes the remainder. Included taxes cannot compound.
//!
//! **Compounding.** A compound (excluded) tax applies to the net amount plus the taxes
//! listed before it on the line.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::money::{Currency, MAX_AMOUNT, Money, Percent, RoundingMode};

/// A tax rate a line can carry, by its code.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRate {
    /// The code lines refer to (`"VAT20"`).
    pub code: String,
    /// The rate.
    pub rate: Percent,
    /// Whether prices already include this tax.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub included_in_price: bool,
    /// Whether the tax applies on top of the taxes listed before it on a line.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub compound: bool,
}

/// The tax rates known to a document, by code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "Vec<TaxRate>", into = "Vec<TaxRate>")]
pub struct TaxTable {
    rates: BTreeMap<String, TaxRate>,
}

impl TaxTable {
    /// A table of `rates`.
    ///
    /// # Errors
    /// [`Error::Validation`] for a code given twice, an empty code, or a compound tax
    /// included in the price.
    pub fn new(rates: Vec<TaxRate>) -> Result<Self> {
        let mut p = Problems::new();
        let mut table = BTreeMap::new();
        for r in rates {
            let field = format!("tax {}", r.code);
            if r.code.trim().is_empty() {
                p.push("tax code", "is empty");
            }
            if r.compound && r.included_in_price {
                p.push(
                    field.clone(),
                    "a compound tax cannot be included in the price",
                );
            }
            if table.contains_key(&r.code) {
                p.push(field, "is defined twice");
            } else {
                table.insert(r.code.clone(), r);
            }
        }
        p.finish(TaxTable { rates: table })
    }

    /// The rate of `code`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an unknown code.
    pub fn get(&self, code: &str) -> Result<&TaxRate> {
        self.rates
            .get(code)
            .ok_or_else(|| Error::invalid("tax code", code, "unknown tax code"))
    }

    /// The rates, by code.
    pub fn rates(&self) -> impl Iterator<Item = &TaxRate> {
        self.rates.values()
    }
}

impl TryFrom<Vec<TaxRate>> for TaxTable {
    type Error = Error;
    fn try_from(rates: Vec<TaxRate>) -> Result<Self> {
        TaxTable::new(rates)
    }
}

impl From<TaxTable> for Vec<TaxRate> {
    fn from(t: TaxTable) -> Self {
        t.rates.into_values().collect()
    }
}

/// A discount on a line.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Discount {
    /// None.
    #[default]
    None,
    /// A share of the line's amount.
    Percent(Percent),
    /// An amount off the line (in the document's currency, at most the line's amount).
    Amount(Decimal),
}

/// How rounding is done: the mode for halfway values and where amounts are rounded.
/// Both are always chosen by the caller.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rounding {
    /// Half-even or half-up.
    pub mode: RoundingMode,
    /// Per line or globally.
    pub strategy: RoundingStrategy,
}

/// Where amounts are rounded.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingStrategy {
    /// Each line's net amount and taxes; totals are sums of rounded amounts.
    PerLine,
    /// Exact lines; the document's net amount and each rate's tax are rounded once.
    Global,
}

/// A line to price.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceLine {
    /// How many (≥ 0; fractions allowed).
    pub quantity: Decimal,
    /// The price of one, in the document's currency (including the line's included taxes).
    pub unit_price: Money,
    /// The line's discount.
    #[serde(default)]
    pub discount: Discount,
    /// Tax codes, in the order they apply.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tax_codes: Vec<String>,
}

/// One tax of a priced line.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTax {
    /// The tax code.
    pub code: String,
    /// The amount it applied to.
    pub base: Money,
    /// The tax.
    pub amount: Money,
}

/// A priced line (amounts rounded; see the module documentation for what they add up to).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    /// Quantity × unit price, without the included taxes.
    pub gross: Money,
    /// Line and document discounts, without the included taxes.
    pub discount: Money,
    /// What the line is taxed on: gross − discount.
    pub net: Money,
    /// Its taxes, in order.
    pub taxes: Vec<LineTax>,
    /// Net plus taxes.
    pub total: Money,
}

/// The taxes of one rate over the document.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxTotal {
    /// The tax code.
    pub code: String,
    /// The rate.
    pub rate: Percent,
    /// The amount taxed.
    pub base: Money,
    /// The tax.
    pub amount: Money,
}

/// A priced document. It always adds up: `gross − discount = subtotal` and
/// `subtotal + Σ taxes[].amount = grand_total`.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedDocument {
    /// The currency.
    pub currency: Currency,
    /// How it was rounded.
    pub rounding: Rounding,
    /// The lines.
    pub lines: Vec<PricedLine>,
    /// Σ quantity × unit price, without included taxes.
    pub gross: Money,
    /// All discounts, line and document, without included taxes.
    pub discount: Money,
    /// The taxable amount: gross − discount.
    pub subtotal: Money,
    /// Taxes per rate, in code order.
    pub taxes: Vec<TaxTotal>,
    /// Σ taxes.
    pub tax_total: Money,
    /// Subtotal + taxes.
    pub grand_total: Money,
}

/// A line priced exactly, before any rounding.
struct ExactLine<'t> {
    /// The price paid (after discounts), in the line's price basis (with included taxes).
    paid: Decimal,
    /// Gross and net without included taxes.
    gross: Decimal,
    net: Decimal,
    /// (rate, base, tax) in line order.
    taxes: Vec<(&'t TaxRate, Decimal, Decimal)>,
}

fn overflow(what: String) -> Error {
    Error::invalid(what, "", "the amount is beyond the range of exact decimals")
}

fn mul(a: Decimal, b: Decimal, what: impl FnOnce() -> String) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(|| overflow(what()))
}

fn add(a: Decimal, b: Decimal, what: impl FnOnce() -> String) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| overflow(what()))
}

/// Refuses a document whose lines add up beyond [`MAX_AMOUNT`] (found by the
/// surface fuzzer: two lines near the decimal range overflowed a plain sum and panicked).
fn check_document_range(exact: &[ExactLine<'_>]) -> Result<()> {
    let mut total = Decimal::ZERO;
    for (i, line) in exact.iter().enumerate() {
        let largest = line
            .taxes
            .iter()
            .map(|t| t.1.abs().max(t.2.abs()))
            .fold(line.paid.abs().max(line.gross.abs()), Decimal::max);
        total = add(total, largest, || format!("lines[{i}]"))?;
        if total > MAX_AMOUNT {
            return Err(Error::invalid(
                format!("lines[{i}]"),
                line.gross.to_string(),
                "the document's amounts add up beyond 10^20",
            ));
        }
    }
    Ok(())
}

fn exact_line<'t>(
    i: usize,
    line: &PriceLine,
    currency: Currency,
    document_discount: Percent,
    taxes: &'t TaxTable,
) -> Result<ExactLine<'t>> {
    let field = |name: &str| format!("lines[{i}].{name}");
    let mut p = Problems::new();
    if line.quantity < Decimal::ZERO {
        p.push(field("quantity"), "must not be negative");
    }
    if line.unit_price.currency() != currency {
        p.push(
            field("unit_price"),
            format!(
                "is in {}, the document in {}",
                line.unit_price.currency().code(),
                currency.code()
            ),
        );
    }
    if line.unit_price.is_negative() {
        p.push(field("unit_price"), "must not be negative");
    }
    let mut rates = Vec::with_capacity(line.tax_codes.len());
    for code in &line.tax_codes {
        match taxes.get(code) {
            Ok(r) => rates.push(r),
            Err(_) => p.push(field("tax_codes"), format!("unknown tax code {code:?}")),
        }
    }
    let gross_paid = mul(line.quantity, line.unit_price.amount(), || {
        field("quantity")
    })?;
    let line_discount = match line.discount {
        Discount::None => Decimal::ZERO,
        Discount::Percent(pc) => mul(gross_paid, pc.as_fraction(), || field("discount"))?,
        Discount::Amount(a) => {
            if a < Decimal::ZERO {
                p.push(field("discount"), "must not be negative");
            } else if a > gross_paid {
                p.push(
                    field("discount"),
                    format!("{a} is more than the line's amount {gross_paid}"),
                );
            }
            a
        }
    };
    p.finish(())?;
    let after_line = gross_paid - line_discount;
    let paid = if document_discount.value().is_zero() {
        after_line
    } else {
        after_line
            - mul(after_line, document_discount.as_fraction(), || {
                field("amount")
            })?
    };
    // Included taxes: the price holds them; the net is what remains.
    let (net, gross) = if rates.iter().any(|r| r.included_in_price) {
        let included: Decimal = rates
            .iter()
            .filter(|r| r.included_in_price)
            .map(|r| r.rate.as_fraction())
            .sum();
        let divisor = Decimal::ONE + included;
        (paid / divisor, gross_paid / divisor)
    } else {
        (paid, gross_paid)
    };
    let mut line_taxes = Vec::with_capacity(rates.len());
    let mut so_far = Decimal::ZERO;
    for r in rates {
        let base = if r.compound {
            add(net, so_far, || field("taxes"))?
        } else {
            net
        };
        let tax = mul(base, r.rate.as_fraction(), || field("taxes"))?;
        so_far = add(so_far, tax, || field("taxes"))?;
        line_taxes.push((r, base, tax));
    }
    Ok(ExactLine {
        paid,
        gross,
        net,
        taxes: line_taxes,
    })
}

/// Prices `lines` in `currency` with a `document_discount` on every line and `taxes`,
/// rounding as `rounding` says.
///
/// # Errors
/// [`Error::Validation`] listing every problem of every line (a negative quantity or
/// price, a discount over the line's amount, a unit price in another currency, an
/// unknown tax code); [`Error::InvalidValue`] for amounts beyond `Decimal`'s range.
///
/// # Examples
/// Lines of 6.32 and 21.62 at 20 %: per line the taxes are 1.26 + 4.32 = 5.58, globally
/// 27.94 × 20 % = 5.588 → 5.59.
/// ```
/// use crm_core::quote::{price_document, PriceLine, Rounding, RoundingStrategy, TaxRate, TaxTable};
/// use crm_core::{Currency, Money, Percent, RoundingMode};
/// let eur = Currency::parse("EUR")?;
/// let vat = TaxTable::new(vec![TaxRate {
///     code: "VAT20".into(), rate: Percent::parse("20")?, included_in_price: false, compound: false,
/// }])?;
/// let line = |price: &str| -> Result<PriceLine, crm_core::Error> {
///     Ok(PriceLine { quantity: 1.into(), unit_price: Money::parse(price, "EUR")?,
///                    discount: Default::default(), tax_codes: vec!["VAT20".into()] })
/// };
/// let lines = [line("6.32")?, line("21.62")?];
/// let per_line = Rounding { mode: RoundingMode::HalfUp, strategy: RoundingStrategy::PerLine };
/// let global = Rounding { strategy: RoundingStrategy::Global, ..per_line };
/// let none = Percent::ZERO;
/// assert_eq!(price_document(&lines, none, &vat, eur, per_line)?.tax_total.to_string(), "5.58 EUR");
/// assert_eq!(price_document(&lines, none, &vat, eur, global)?.tax_total.to_string(), "5.59 EUR");
/// # Ok::<(), crm_core::Error>(())
/// ```
pub fn price_document(
    lines: &[PriceLine],
    document_discount: Percent,
    taxes: &TaxTable,
    currency: Currency,
    rounding: Rounding,
) -> Result<PricedDocument> {
    let mut exact = Vec::with_capacity(lines.len());
    let mut problems = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match exact_line(i, line, currency, document_discount, taxes) {
            Ok(e) => exact.push(e),
            Err(Error::Validation { problems: p }) => problems.extend(p),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Validation { problems });
    }
    check_document_range(&exact)?;
    let round = |v: Decimal| Money::new(v, currency).round(rounding.mode);
    let money = |v: Decimal| Money::new(v, currency);
    // Each line rounded: net, then each tax; included taxes take what is left of the
    // rounded price so that net + included taxes = the price shown. Rounding per line,
    // a tax is its rate applied to its base as the line shows it (the rounded net, plus
    // the taxes shown before it for a compound one), rounded: what a reader of the
    // document, an auditor or the ERP recomputes from it.
    let priced: Vec<PricedLine> = exact
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let field = || format!("lines[{i}].taxes");
            let net = round(e.net);
            let gross = round(e.gross);
            let mut shown_so_far = Decimal::ZERO;
            let mut taxes = Vec::with_capacity(e.taxes.len());
            for (r, base, tax) in &e.taxes {
                let (base, amount) = match rounding.strategy {
                    RoundingStrategy::PerLine => {
                        let base = if r.compound {
                            add(net.amount(), shown_so_far, field)?
                        } else {
                            net.amount()
                        };
                        let amount = round(mul(base, r.rate.as_fraction(), field)?);
                        (money(base), amount)
                    }
                    RoundingStrategy::Global => (round(*base), round(*tax)),
                };
                shown_so_far += amount.amount();
                taxes.push(LineTax {
                    code: r.code.clone(),
                    base,
                    amount,
                });
            }
            if let Some(last) = e.taxes.iter().rposition(|t| t.0.included_in_price) {
                let shown = round(e.paid).amount();
                let others: Decimal = e
                    .taxes
                    .iter()
                    .zip(&taxes)
                    .enumerate()
                    .filter(|(j, (t, _))| t.0.included_in_price && *j != last)
                    .map(|(_, (_, lt))| lt.amount.amount())
                    .sum();
                taxes[last].amount = money(shown - net.amount() - others);
            }
            let total = taxes
                .iter()
                .fold(net.amount(), |s, t| s + t.amount.amount());
            Ok(PricedLine {
                gross,
                discount: money(gross.amount() - net.amount()),
                net,
                taxes,
                total: money(total),
            })
        })
        .collect::<Result<_>>()?;
    let mut codes: BTreeMap<&str, (Decimal, Decimal)> = BTreeMap::new();
    let (gross, subtotal) = match rounding.strategy {
        RoundingStrategy::PerLine => {
            for line in &priced {
                for t in &line.taxes {
                    let e = codes.entry(t.code.as_str()).or_default();
                    e.0 += t.base.amount();
                    e.1 += t.amount.amount();
                }
            }
            (
                priced.iter().map(|l| l.gross.amount()).sum::<Decimal>(),
                priced.iter().map(|l| l.net.amount()).sum::<Decimal>(),
            )
        }
        RoundingStrategy::Global => {
            for e in &exact {
                for (r, base, tax) in &e.taxes {
                    let entry = codes.entry(r.code.as_str()).or_default();
                    entry.0 += base;
                    entry.1 += tax;
                }
            }
            for v in codes.values_mut() {
                *v = (round(v.0).amount(), round(v.1).amount());
            }
            let subtotal = round(exact.iter().map(|e| e.net).sum()).amount();
            // Prices that include tax keep their total: the included taxes absorb the
            // difference between the rounded price and the rounded net plus taxes.
            if exact
                .iter()
                .any(|e| e.taxes.iter().any(|t| t.0.included_in_price))
            {
                let excluded: Decimal = exact
                    .iter()
                    .flat_map(|e| {
                        e.taxes
                            .iter()
                            .filter(|t| !t.0.included_in_price)
                            .map(|t| t.2)
                    })
                    .sum();
                let target =
                    round(exact.iter().map(|e| e.paid).sum::<Decimal>() + excluded).amount();
                let current = subtotal + codes.values().map(|v| v.1).sum::<Decimal>();
                let included_codes: Vec<&str> = taxes
                    .rates()
                    .filter(|r| r.included_in_price && codes.contains_key(r.code.as_str()))
                    .map(|r| r.code.as_str())
                    .collect();
                if let Some(code) = included_codes
                    .iter()
                    .max_by_key(|c| codes.get(**c).map(|v| v.1))
                    && let Some(v) = codes.get_mut(*code)
                {
                    v.1 += target - current;
                }
            }
            (
                round(exact.iter().map(|e| e.gross).sum()).amount(),
                subtotal,
            )
        }
    };
    let taxes_out: Vec<TaxTotal> = codes
        .into_iter()
        .map(|(code, (base, amount))| {
            let rate = taxes.get(code).map(|r| r.rate).unwrap_or(Percent::ZERO);
            TaxTotal {
                code: code.to_string(),
                rate,
                base: money(base),
                amount: money(amount),
            }
        })
        .collect();
    let tax_total: Decimal = taxes_out.iter().map(|t| t.amount.amount()).sum();
    Ok(PricedDocument {
        currency,
        rounding,
        lines: priced,
        gross: money(gross),
        discount: money(gross - subtotal),
        subtotal: money(subtotal),
        taxes: taxes_out,
        tax_total: money(tax_total),
        grand_total: money(subtotal + tax_total),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn rate(code: &str, pct: &str, included: bool, compound: bool) -> TaxRate {
        TaxRate {
            code: code.into(),
            rate: Percent::parse(pct).unwrap(),
            included_in_price: included,
            compound,
        }
    }

    fn table() -> TaxTable {
        TaxTable::new(vec![
            rate("VAT20", "20", false, false),
            rate("VAT20I", "20", true, false),
            rate("GST10", "10", false, false),
            rate("PST5C", "5", false, true),
        ])
        .unwrap()
    }

    fn line(qty: &str, price: &str, taxes: &[&str]) -> PriceLine {
        PriceLine {
            quantity: d(qty),
            unit_price: Money::new(d(price), eur()),
            discount: Discount::None,
            tax_codes: taxes.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn rounding(mode: RoundingMode, strategy: RoundingStrategy) -> Rounding {
        Rounding { mode, strategy }
    }

    fn s(m: Money) -> String {
        m.amount().to_string()
    }

    /// Lines of 6.32 and 21.62 at 20 %:
    /// per line 6.32 × 0.2 = 1.264 → 1.26 and 21.62 × 0.2 = 4.324 → 4.32, taxes 5.58;
    /// globally (6.32 + 21.62) × 0.2 = 27.94 × 0.2 = 5.588 → 5.59.
    #[test]
    fn per_line_and_global_rounding_differ_by_a_cent() {
        let lines = [
            line("1", "6.32", &["VAT20"]),
            line("1", "21.62", &["VAT20"]),
        ];
        let t = table();
        let per_line = price_document(
            &lines,
            Percent::ZERO,
            &t,
            eur(),
            rounding(RoundingMode::HalfUp, RoundingStrategy::PerLine),
        )
        .unwrap();
        assert_eq!(s(per_line.subtotal), "27.94");
        assert_eq!(s(per_line.tax_total), "5.58");
        assert_eq!(s(per_line.grand_total), "33.52");
        assert_eq!(s(per_line.lines[0].taxes[0].amount), "1.26");
        let global = price_document(
            &lines,
            Percent::ZERO,
            &t,
            eur(),
            rounding(RoundingMode::HalfUp, RoundingStrategy::Global),
        )
        .unwrap();
        assert_eq!(s(global.tax_total), "5.59");
        assert_eq!(s(global.grand_total), "33.53");
    }

    /// Per line, a tax comes from the net the line shows: 3 × 1 276.299 = 3 828.897 shows
    /// as 3 828.90, whose 5 % is 191.445 → 191.45 half-up (5 % of the unrounded net,
    /// 191.44485, gave 191.44: a cent off what a reader of the document recomputes).
    /// Globally the document's tax stays 5 % of the exact subtotal: 191.44.
    #[test]
    fn per_line_taxes_come_from_the_net_shown() {
        let t = TaxTable::new(vec![
            rate("R5", "5", false, false),
            rate("C10", "10", false, true),
        ])
        .unwrap();
        let lines = [line("3", "1276.299", &["R5"])];
        let price = |strategy| {
            price_document(
                &lines,
                Percent::ZERO,
                &t,
                eur(),
                rounding(RoundingMode::HalfUp, strategy),
            )
            .unwrap()
        };
        let per_line = price(RoundingStrategy::PerLine);
        assert_eq!(s(per_line.lines[0].net), "3828.90");
        assert_eq!(s(per_line.lines[0].taxes[0].base), "3828.90");
        assert_eq!(s(per_line.lines[0].taxes[0].amount), "191.45");
        assert_eq!(s(per_line.tax_total), "191.45");
        assert_eq!(s(per_line.grand_total), "4020.35");
        let global = price(RoundingStrategy::Global);
        assert_eq!(s(global.tax_total), "191.44");
        assert_eq!(s(global.grand_total), "4020.34");
        // a compound tax's shown base is the net plus the taxes shown before it:
        // 3 828.90 + 191.45 = 4 020.35, whose 10 % is 402.035 → 402.04
        let lines = [line("3", "1276.299", &["R5", "C10"])];
        let per_line = price_document(
            &lines,
            Percent::ZERO,
            &t,
            eur(),
            rounding(RoundingMode::HalfUp, RoundingStrategy::PerLine),
        )
        .unwrap();
        assert_eq!(s(per_line.lines[0].taxes[1].base), "4020.35");
        assert_eq!(s(per_line.lines[0].taxes[1].amount), "402.04");
        assert_eq!(s(per_line.grand_total), "4422.39");
    }

    /// 24.99 including 20 %: exact net 24.99 / 1.2 = 20.825, tax 4.165. Half-up rounds the
    /// net to 20.83 and the tax takes the rest, 4.16 (rounding both would give 25.00);
    /// half-even rounds the net to 20.82 and the tax is 4.17. Either way: 24.99.
    #[test]
    fn amounts_near_the_decimal_range_are_refused_not_overflowed() {
        // 2 × 4·10^28 overflowed the document sum and panicked (reached from Node)
        let huge = "40000000000000000000000000000";
        let lines = [line("1", huge, &["VAT20"]), line("1", huge, &["VAT20"])];
        for strategy in [RoundingStrategy::PerLine, RoundingStrategy::Global] {
            let got = price_document(
                &lines,
                Percent::ZERO,
                &table(),
                eur(),
                rounding(RoundingMode::HalfEven, strategy),
            );
            assert!(
                matches!(got, Err(Error::InvalidValue { .. })),
                "{strategy:?}: {got:?}"
            );
        }
        assert_eq!(MAX_AMOUNT, Decimal::from(10_u128.pow(20)));
    }

    #[test]
    fn a_price_including_tax_keeps_its_total() {
        let t = table();
        let lines = [line("1", "24.99", &["VAT20I"])];
        for (mode, net, tax) in [
            (RoundingMode::HalfUp, "20.83", "4.16"),
            (RoundingMode::HalfEven, "20.82", "4.17"),
        ] {
            for strategy in [RoundingStrategy::PerLine, RoundingStrategy::Global] {
                let doc =
                    price_document(&lines, Percent::ZERO, &t, eur(), rounding(mode, strategy))
                        .unwrap();
                assert_eq!(s(doc.subtotal), net, "{mode:?} {strategy:?}");
                assert_eq!(s(doc.tax_total), tax, "{mode:?} {strategy:?}");
                assert_eq!(s(doc.grand_total), "24.99", "{mode:?} {strategy:?}");
            }
        }
    }

    /// 100 with GST 10 % then a compound PST 5 %: GST 10.00, PST 5 % of 110 = 5.50.
    #[test]
    fn compound_taxes_apply_on_earlier_taxes() {
        let doc = price_document(
            &[line("1", "100", &["GST10", "PST5C"])],
            Percent::ZERO,
            &table(),
            eur(),
            rounding(RoundingMode::HalfEven, RoundingStrategy::PerLine),
        )
        .unwrap();
        assert_eq!(s(doc.lines[0].taxes[1].base), "110.00");
        assert_eq!(s(doc.lines[0].taxes[1].amount), "5.50");
        assert_eq!(s(doc.grand_total), "115.50");
    }

    /// 3 × 19.99 = 59.97, 10 % off the line = 53.973, 5 % off the document = 51.27435
    /// → 51.27; VAT 20 % of the exact net 10.25487 → 10.25; total 61.52.
    #[test]
    fn line_and_document_discounts() {
        let mut l = line("3", "19.99", &["VAT20"]);
        l.discount = Discount::Percent(Percent::parse("10").unwrap());
        let doc = price_document(
            &[l],
            Percent::parse("5").unwrap(),
            &table(),
            eur(),
            rounding(RoundingMode::HalfUp, RoundingStrategy::PerLine),
        )
        .unwrap();
        assert_eq!(s(doc.gross), "59.97");
        assert_eq!(s(doc.subtotal), "51.27");
        assert_eq!(s(doc.discount), "8.70");
        assert_eq!(s(doc.tax_total), "10.25");
        assert_eq!(s(doc.grand_total), "61.52");
        let mut off = line("2", "10", &[]);
        off.discount = Discount::Amount(d("2.50"));
        let doc = price_document(
            &[off],
            Percent::ZERO,
            &table(),
            eur(),
            rounding(RoundingMode::HalfUp, RoundingStrategy::Global),
        )
        .unwrap();
        assert_eq!(s(doc.grand_total), "17.50");
    }

    #[test]
    fn bad_lines_are_all_reported_and_nothing_is_priced() {
        let mut too_much = line("1", "10", &["VAT20"]);
        too_much.discount = Discount::Amount(d("11"));
        let lines = [
            line("-1", "10", &["VAT20"]),
            too_much,
            line("1", "10", &["NOPE"]),
            PriceLine {
                unit_price: Money::parse("10", "USD").unwrap(),
                ..line("1", "10", &[])
            },
        ];
        let err = price_document(
            &lines,
            Percent::ZERO,
            &table(),
            eur(),
            rounding(RoundingMode::HalfUp, RoundingStrategy::PerLine),
        )
        .unwrap_err();
        let problems = err.problems();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "lines[0].quantity",
                "lines[1].discount",
                "lines[2].tax_codes",
                "lines[3].unit_price"
            ]
        );
        let huge = line("79228162514264337593543950335", "10", &[]);
        assert_eq!(
            price_document(
                &[huge],
                Percent::ZERO,
                &table(),
                eur(),
                rounding(RoundingMode::HalfUp, RoundingStrategy::PerLine)
            )
            .unwrap_err()
            .code(),
            "invalid_value"
        );
        assert!(
            Percent::parse("101").is_err(),
            "discounts over 100 % cannot be built"
        );
        assert!(TaxTable::new(vec![rate("X", "5", true, true)]).is_err());
        assert!(
            TaxTable::new(vec![
                rate("X", "5", false, false),
                rate("X", "6", false, false)
            ])
            .is_err()
        );
    }

    fn arb_line() -> impl Strategy<Value = PriceLine> {
        (
            0u32..1000,
            0u64..10_000_000,
            0u32..=100,
            prop::sample::subsequence(vec!["VAT20", "GST10", "PST5C"], 0..=3),
            any::<bool>(),
        )
            .prop_map(|(qty, cents, pct, taxes, included)| {
                let mut codes: Vec<String> = taxes.into_iter().map(String::from).collect();
                if included && !codes.is_empty() {
                    codes = vec!["VAT20I".into()];
                }
                PriceLine {
                    quantity: Decimal::new(i64::from(qty), 1),
                    unit_price: Money::new(Decimal::new(cents as i64, 3), eur()),
                    discount: Discount::Percent(Percent::new(Decimal::from(pct)).unwrap()),
                    tax_codes: codes,
                }
            })
    }

    proptest! {
        #[test]
        fn documents_always_add_up(
            lines in prop::collection::vec(arb_line(), 0..12),
            doc_pct in 0u32..=100,
            half_up in any::<bool>(),
            global in any::<bool>(),
        ) {
            let mode = if half_up { RoundingMode::HalfUp } else { RoundingMode::HalfEven };
            let strategy = if global { RoundingStrategy::Global } else { RoundingStrategy::PerLine };
            let doc = price_document(
                &lines,
                Percent::new(Decimal::from(doc_pct)).unwrap(),
                &table(),
                eur(),
                rounding(mode, strategy),
            ).unwrap();
            prop_assert_eq!(doc.gross.amount() - doc.discount.amount(), doc.subtotal.amount());
            prop_assert_eq!(doc.subtotal.amount() + doc.tax_total.amount(), doc.grand_total.amount());
            let per_rate: Decimal = doc.taxes.iter().map(|t| t.amount.amount()).sum();
            prop_assert_eq!(per_rate, doc.tax_total.amount());
            for m in [doc.subtotal, doc.tax_total, doc.grand_total] {
                prop_assert!(m.amount().scale() <= 2, "{m}");
            }
            if strategy == RoundingStrategy::PerLine {
                let lines_total: Decimal = doc.lines.iter().map(|l| l.total.amount()).sum();
                prop_assert_eq!(lines_total, doc.grand_total.amount());
                // Each rounded amount is within half a cent of its exact value, so the
                // total is within half a cent per rounded amount of the exact total.
                let t = table();
                let exact: Decimal = lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let e = exact_line(i, l, eur(), Percent::new(Decimal::from(doc_pct)).unwrap(), &t).unwrap();
                        e.net + e.taxes.iter().map(|t| t.2).sum::<Decimal>()
                    })
                    .sum();
                // (a tax taken from its shown base is also off by its rate times that
                // base's rounding: under another half cent at the rates used here)
                let roundings: usize = doc.lines.iter().map(|l| 1 + 2 * l.taxes.len()).sum();
                let bound = Decimal::new(5, 3) * Decimal::from(roundings);
                // every tax recomputes from the line as shown: its rate times its shown
                // base (the net, plus the taxes before it for a compound one), rounded;
                // an included tax that closes the line takes what is left of the price
                for l in &doc.lines {
                    let mut shown = Decimal::ZERO;
                    for lt in &l.taxes {
                        let r = t.get(&lt.code).unwrap();
                        let base = if r.compound { l.net.amount() + shown } else { l.net.amount() };
                        prop_assert_eq!(lt.base.amount(), base);
                        if !r.included_in_price {
                            let again = Money::new(base * r.rate.as_fraction(), eur()).round(mode);
                            prop_assert_eq!(lt.amount, again, "{:?}", l);
                        }
                        shown += lt.amount.amount();
                    }
                }
                prop_assert!((doc.grand_total.amount() - exact).abs() <= bound,
                    "{} vs exact {exact} (bound {bound})", doc.grand_total);
            }
        }

        #[test]
        fn included_and_excluded_tax_of_the_same_net_agree(cents in 0i64..10_000_000, qty in 1u32..50) {
            // A net price p excluding 20 % and the price 1.2 p including it: the same exact
            // split, and rounded totals within a cent of each other.
            let p = Decimal::new(cents, 2);
            let excl = line(&qty.to_string(), &p.to_string(), &["VAT20"]);
            let incl = line(&qty.to_string(), &(p * d("1.2")).to_string(), &["VAT20I"]);
            let t = table();
            let (a, b) = (
                exact_line(0, &excl, eur(), Percent::ZERO, &t).unwrap(),
                exact_line(0, &incl, eur(), Percent::ZERO, &t).unwrap(),
            );
            prop_assert_eq!(a.net, b.net);
            prop_assert_eq!(a.taxes[0].2, b.taxes[0].2);
            for strategy in [RoundingStrategy::PerLine, RoundingStrategy::Global] {
                let r = rounding(RoundingMode::HalfUp, strategy);
                let x = price_document(std::slice::from_ref(&excl), Percent::ZERO, &t, eur(), r).unwrap();
                let y = price_document(std::slice::from_ref(&incl), Percent::ZERO, &t, eur(), r).unwrap();
                prop_assert!((x.grand_total.amount() - y.grand_total.amount()).abs() <= d("0.01"));
            }
        }
    }
}
