//! The product catalog: products (SKU, name, unit, active) with configurable option groups
//! and constraints, and price books (per currency, list prices with validity periods).
//!
//! Configuring a product checks every rule at once: it yields a priced configuration, or
//! one [`Error::Validation`] naming every violated rule.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{PriceBookId, ProductId};
use crate::money::{Currency, Money};
use crate::store::{EntityKind, impl_entity};

/// How many options of a group can be chosen.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// At most one.
    Single,
    /// Any number.
    Multiple,
}

/// An option of a product, with what it adds to the unit price.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductOption {
    /// Its code, unique within the product (`"ram-32"`).
    pub code: String,
    /// What customers read.
    pub name: String,
    /// Added to the unit price (may be negative), in the price book's currency.
    #[serde(default)]
    pub price_delta: Decimal,
}

/// A group of options (`"Memory"`: 16 / 32 / 64 GB).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionGroup {
    /// Its name.
    pub name: String,
    /// Single or multiple choice.
    pub choice: Choice,
    /// Whether an option of the group must be chosen.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub required: bool,
    /// The options.
    pub options: Vec<ProductOption>,
}

/// A rule between options.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Constraint {
    /// Choosing `option` requires choosing `requires`.
    Requires {
        /// The option.
        option: String,
        /// What it needs.
        requires: String,
    },
    /// `option` and `excludes` cannot both be chosen.
    Excludes {
        /// The option.
        option: String,
        /// What it rules out.
        excludes: String,
    },
}

/// A product of the catalog.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// Its stock-keeping unit, unique in the catalog.
    pub sku: String,
    /// What customers read.
    pub name: String,
    /// The unit it is sold by (`"each"`, `"hour"`, `"seat/month"`).
    pub unit: String,
    /// Whether it can be quoted.
    pub active: bool,
    /// Option groups, for configurable products.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub option_groups: Vec<OptionGroup>,
    /// Rules between options.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub constraints: Vec<Constraint>,
    /// Whether each unit sold carries a serial number: its delivery installs one asset
    /// per unit at the customer ([`crate::service::installed`]).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub serialised: bool,
    /// The warranty every unit gets from its delivery day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub warranty: Option<WarrantyTerms>,
}

/// A product's standard warranty.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarrantyTerms {
    /// How long it runs, in months from the delivery day (at least 1).
    pub months: u32,
    /// What it covers, as the customer reads it.
    pub terms: String,
}

/// A configured product: the options chosen and its unit price.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Configuration {
    /// The product.
    pub sku: String,
    /// The options chosen, in catalog order.
    pub options: Vec<String>,
    /// List price plus the options' deltas.
    pub unit_price: Money,
}

impl Product {
    /// Checks the product's own definition: a SKU and name, option codes unique, every
    /// constraint naming existing options.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.sku.trim().is_empty() {
            p.push("sku", "is empty");
        }
        if self.name.trim().is_empty() {
            p.push("name", "is empty");
        }
        let mut seen = BTreeSet::new();
        for o in self.option_groups.iter().flat_map(|g| &g.options) {
            if !seen.insert(o.code.as_str()) {
                p.push(format!("option {}", o.code), "is defined twice");
            }
        }
        for c in &self.constraints {
            let (a, b) = match c {
                Constraint::Requires { option, requires } => (option, requires),
                Constraint::Excludes { option, excludes } => (option, excludes),
            };
            for code in [a, b] {
                if !seen.contains(code.as_str()) {
                    p.push("constraints", format!("names an unknown option {code:?}"));
                }
            }
        }
        if let Some(w) = &self.warranty {
            if w.months == 0 {
                p.push("warranty.months", "a warranty runs at least one month");
            }
            if w.terms.trim().is_empty() {
                p.push("warranty.terms", "is empty");
            }
        }
        p.finish(())
    }

    /// Configures the product with the `chosen` options, priced from `book` on `on`.
    ///
    /// # Errors
    /// [`Error::Validation`] naming every violated rule: an inactive product, an unknown
    /// option, two options of a single-choice group, a required group without a choice, a
    /// requirement not met, an exclusion broken; [`Error::NotFound`] when the book has no
    /// price for the product on that day.
    pub fn configure(
        &self,
        chosen: &[&str],
        book: &PriceBook,
        on: NaiveDate,
    ) -> Result<Configuration> {
        let mut p = Problems::new();
        if !self.active {
            p.push(format!("product {}", self.sku), "is not active");
        }
        let chosen: BTreeSet<&str> = chosen.iter().copied().collect();
        let known: BTreeSet<&str> = self
            .option_groups
            .iter()
            .flat_map(|g| g.options.iter().map(|o| o.code.as_str()))
            .collect();
        for c in &chosen {
            if !known.contains(c) {
                p.push(
                    format!("option {c}"),
                    format!("is not an option of {}", self.sku),
                );
            }
        }
        for g in &self.option_groups {
            let picked = g
                .options
                .iter()
                .filter(|o| chosen.contains(o.code.as_str()))
                .count();
            if g.choice == Choice::Single && picked > 1 {
                p.push(
                    format!("group {}", g.name),
                    format!("takes one option, {picked} chosen"),
                );
            }
            if g.required && picked == 0 {
                p.push(format!("group {}", g.name), "requires a choice");
            }
        }
        for c in &self.constraints {
            match c {
                Constraint::Requires { option, requires } => {
                    if chosen.contains(option.as_str()) && !chosen.contains(requires.as_str()) {
                        p.push(format!("option {option}"), format!("requires {requires}"));
                    }
                }
                Constraint::Excludes { option, excludes } => {
                    if chosen.contains(option.as_str()) && chosen.contains(excludes.as_str()) {
                        p.push(format!("option {option}"), format!("excludes {excludes}"));
                    }
                }
            }
        }
        p.finish(())?;
        let list = book.price_of(&self.sku, on)?;
        let options: Vec<&ProductOption> = self
            .option_groups
            .iter()
            .flat_map(|g| &g.options)
            .filter(|o| chosen.contains(o.code.as_str()))
            .collect();
        let mut price = list.amount();
        for o in &options {
            price = price.checked_add(o.price_delta).ok_or_else(|| {
                Error::invalid("price", &o.code, "beyond the range of exact decimals")
            })?;
        }
        if price < Decimal::ZERO {
            return Err(Error::invalid(
                "configuration",
                price.to_string(),
                "the options bring the price below zero",
            ));
        }
        Ok(Configuration {
            sku: self.sku.clone(),
            options: options.iter().map(|o| o.code.clone()).collect(),
            unit_price: Money::new(price, list.currency()),
        })
    }
}

/// A list price valid over a period.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBookEntry {
    /// The product.
    pub sku: String,
    /// Its list price.
    pub list_price: Decimal,
    /// First day it applies.
    pub valid_from: NaiveDate,
    /// Last day it applies (open-ended when absent).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub valid_to: Option<NaiveDate>,
}

/// List prices in one currency.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBook {
    /// Its name (`"EUR list 2027"`).
    pub name: String,
    /// The currency of every price.
    pub currency: Currency,
    /// The entries.
    pub entries: Vec<PriceBookEntry>,
}

impl PriceBook {
    /// Checks the entries: prices not negative, periods not inverted, no two periods of a
    /// product overlapping.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        for (i, e) in self.entries.iter().enumerate() {
            let field = format!("entries[{i}]");
            if e.list_price < Decimal::ZERO {
                p.push(field.clone(), "the list price is negative");
            }
            if e.valid_to.is_some_and(|to| to < e.valid_from) {
                p.push(field.clone(), "ends before it starts");
            }
            for (j, other) in self.entries.iter().enumerate().skip(i + 1) {
                let overlaps = other.sku == e.sku
                    && e.valid_to.is_none_or(|to| other.valid_from <= to)
                    && other.valid_to.is_none_or(|to| e.valid_from <= to);
                if overlaps {
                    p.push(
                        field.clone(),
                        format!("overlaps entries[{j}] for {}", e.sku),
                    );
                }
            }
        }
        p.finish(())
    }

    /// The list price of `sku` on `on`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when no entry covers that day.
    pub fn price_of(&self, sku: &str, on: NaiveDate) -> Result<Money> {
        self.entries
            .iter()
            .find(|e| e.sku == sku && e.valid_from <= on && e.valid_to.is_none_or(|to| on <= to))
            .map(|e| Money::new(e.list_price, self.currency))
            .ok_or_else(|| Error::NotFound {
                kind: format!("price in {}", self.name),
                id: format!("{sku} on {on}"),
            })
    }
}

/// A product as stored in the catalog.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRecord {
    /// Its id.
    pub id: ProductId,
    /// Optimistic-concurrency version.
    pub version: crate::id::Version,
    /// The product.
    #[serde(flatten)]
    pub product: Product,
}

impl_entity!(ProductRecord, ProductId, EntityKind::Product, |p| [
    Some(p.product.sku.clone()),
    Some(
        if p.product.active {
            "active"
        } else {
            "inactive"
        }
        .to_string()
    ),
    None,
    None,
    None,
    None
]);

impl ProductRecord {
    /// Slot of the SKU.
    pub const BY_SKU: usize = 0;
    /// Slot of `active` / `inactive`.
    pub const BY_STATE: usize = 1;
}

/// A price book as stored.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBookRecord {
    /// Its id.
    pub id: PriceBookId,
    /// Optimistic-concurrency version.
    pub version: crate::id::Version,
    /// The book.
    #[serde(flatten)]
    pub book: PriceBook,
}

impl_entity!(PriceBookRecord, PriceBookId, EntityKind::PriceBook, |b| [
    Some(b.book.name.trim().to_lowercase()),
    Some(b.book.currency.code().to_string()),
    None,
    None,
    None,
    None
]);

impl PriceBookRecord {
    /// Slot of the lower-cased name.
    pub const BY_NAME: usize = 0;
    /// Slot of the currency code.
    pub const BY_CURRENCY: usize = 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn laptop() -> Product {
        let opt = |code: &str, delta: &str| ProductOption {
            code: code.into(),
            name: code.into(),
            price_delta: delta.parse().unwrap(),
        };
        Product {
            sku: "LAP-14".into(),
            name: "Laptop 14 inch".into(),
            unit: "each".into(),
            active: true,
            option_groups: vec![
                OptionGroup {
                    name: "Memory".into(),
                    choice: Choice::Single,
                    required: true,
                    options: vec![
                        opt("ram-16", "0"),
                        opt("ram-32", "150.00"),
                        opt("ram-64", "420.00"),
                    ],
                },
                OptionGroup {
                    name: "Extras".into(),
                    choice: Choice::Multiple,
                    required: false,
                    options: vec![
                        opt("dock", "189.90"),
                        opt("gpu", "610.00"),
                        opt("eco-battery", "-25.00"),
                    ],
                },
            ],
            constraints: vec![
                Constraint::Requires {
                    option: "gpu".into(),
                    requires: "ram-64".into(),
                },
                Constraint::Excludes {
                    option: "gpu".into(),
                    excludes: "eco-battery".into(),
                },
            ],
            serialised: true,
            warranty: None,
        }
    }

    fn book() -> PriceBook {
        PriceBook {
            name: "EUR list".into(),
            currency: Currency::parse("EUR").unwrap(),
            entries: vec![
                PriceBookEntry {
                    sku: "LAP-14".into(),
                    list_price: "1299.00".parse().unwrap(),
                    valid_from: day(2026, 1, 1),
                    valid_to: Some(day(2026, 12, 31)),
                },
                PriceBookEntry {
                    sku: "LAP-14".into(),
                    list_price: "1249.00".parse().unwrap(),
                    valid_from: day(2027, 1, 1),
                    valid_to: None,
                },
            ],
        }
    }

    #[test]
    fn a_valid_configuration_is_priced_from_the_book_of_the_day() {
        let p = laptop();
        p.check().unwrap();
        book().check().unwrap();
        let c = p
            .configure(&["ram-64", "gpu", "dock"], &book(), day(2026, 11, 24))
            .unwrap();
        assert_eq!(c.options, ["ram-64", "dock", "gpu"]);
        // 1299.00 + 420.00 + 189.90 + 610.00
        assert_eq!(c.unit_price.to_string(), "2518.90 EUR");
        let next_year = p
            .configure(&["ram-16", "eco-battery"], &book(), day(2027, 3, 1))
            .unwrap();
        assert_eq!(next_year.unit_price.to_string(), "1224.00 EUR");
    }

    #[test]
    fn every_violated_rule_is_named() {
        let err = laptop()
            .configure(
                &["ram-16", "ram-32", "gpu", "eco-battery", "wifi-7"],
                &book(),
                day(2026, 6, 1),
            )
            .unwrap_err();
        let problems: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "option wifi-7: is not an option of LAP-14",
                "group Memory: takes one option, 2 chosen",
                "option gpu: requires ram-64",
                "option gpu: excludes eco-battery",
            ]
        );
        let none = laptop()
            .configure(&[], &book(), day(2026, 6, 1))
            .unwrap_err();
        assert_eq!(
            none.problems()[0].to_string(),
            "group Memory: requires a choice"
        );
        let mut retired = laptop();
        retired.active = false;
        assert!(
            retired
                .configure(&["ram-16"], &book(), day(2026, 6, 1))
                .is_err()
        );
        assert_eq!(
            laptop()
                .configure(&["ram-16"], &book(), day(2025, 6, 1))
                .unwrap_err()
                .code(),
            "not_found"
        );
    }

    #[test]
    fn catalog_definitions_are_checked() {
        let mut p = laptop();
        p.constraints.push(Constraint::Requires {
            option: "dock".into(),
            requires: "usb-c".into(),
        });
        let twice = p.option_groups[0].options[0].clone();
        p.option_groups[1].options.push(twice);
        assert_eq!(p.check().unwrap_err().problems().len(), 2);
        let mut b = book();
        b.entries[1].valid_from = day(2026, 6, 1);
        b.entries.push(PriceBookEntry {
            sku: "X".into(),
            list_price: "-1".parse().unwrap(),
            valid_from: day(2026, 2, 1),
            valid_to: Some(day(2026, 1, 1)),
        });
        let problems = b.check().unwrap_err().problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
