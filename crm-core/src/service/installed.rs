//! The installed base and what covers it: assets (equipment at customers' sites),
//! warranties on assets, service contracts (term, covered assets or products,
//! entitlements in cases or hours, the SLA policy that applies), and [`Coverage`] —
//! "is this asset covered on this date, and by what" — in one call.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{AccountId, AssetId, ContractId, WarrantyId};
use crate::store::{EntityKind, impl_entity};

use crate::lead::text_enum;

text_enum!(
    /// Where an asset is in its life.
    AssetStatus, "asset status", {
        /// Installed and running.
        Active => "active",
        /// Out of order or being repaired.
        InRepair => "in_repair",
        /// Taken out of service.
        Retired => "retired",
    }
);

/// What a new asset is.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAsset {
    /// The manufacturer's serial number (unique in the installed base).
    pub serial_number: String,
    /// The product's SKU.
    pub product: String,
    /// The owner.
    pub account: AccountId,
    /// A display name.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: String,
    /// When it was installed.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub installed_on: Option<NaiveDate>,
    /// Where it is.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location: Option<String>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

/// A piece of equipment at a customer's site.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// Its id.
    pub id: AssetId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// The manufacturer's serial number.
    pub serial_number: String,
    /// The product's SKU.
    pub product: String,
    /// The owner.
    pub account: AccountId,
    /// A display name.
    pub name: String,
    /// When it was installed.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub installed_on: Option<NaiveDate>,
    /// Where it is.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location: Option<String>,
    /// Its status.
    pub status: AssetStatus,
    /// The sales order that delivered it, when the CRM made the sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sales_order: Option<crate::id::SalesOrderId>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl Asset {
    /// Index slot: the serial number (upper case, trimmed).
    pub const BY_SERIAL: usize = 0;
    /// Index slot: the owner.
    pub const BY_ACCOUNT: usize = 1;
    /// Index slot: the product SKU.
    pub const BY_PRODUCT: usize = 2;

    /// The serial number as indexed.
    pub fn serial_key(serial: &str) -> String {
        serial.trim().to_uppercase()
    }

    /// A new asset.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn new(id: AssetId, input: NewAsset) -> Result<Asset> {
        let mut p = Problems::new();
        if input.serial_number.trim().is_empty() {
            p.push("serial_number", "an asset needs a serial number");
        }
        if input.product.trim().is_empty() {
            p.push("product", "an asset needs a product SKU");
        }
        p.finish(())?;
        let name = if input.name.trim().is_empty() {
            format!("{} {}", input.product.trim(), input.serial_number.trim())
        } else {
            input.name.trim().to_string()
        };
        Ok(Asset {
            id,
            custom: input.custom.clone(),
            version: crate::id::Version::NEW,
            serial_number: input.serial_number.trim().to_string(),
            product: input.product.trim().to_string(),
            account: input.account,
            name,
            installed_on: input.installed_on,
            location: input.location,
            status: AssetStatus::Active,
            sales_order: None,
        })
    }
}

impl_entity!(Asset, AssetId, EntityKind::Asset, |a| [
    Some(Asset::serial_key(&a.serial_number)),
    Some(a.account.to_string()),
    Some(a.product.clone()),
    None,
    None,
    None
]);

/// A warranty on an asset.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warranty {
    /// Its id.
    pub id: WarrantyId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// The asset.
    pub asset: AssetId,
    /// First day covered.
    pub starts_on: NaiveDate,
    /// Last day covered.
    pub ends_on: NaiveDate,
    /// What it covers ("parts and labour", "parts only", …).
    pub terms: String,
}

impl Warranty {
    /// Index slot: the asset.
    pub const BY_ASSET: usize = 0;

    /// Whether it covers `on`.
    pub fn covers(&self, on: NaiveDate) -> bool {
        self.starts_on <= on && on <= self.ends_on
    }
}

impl_entity!(Warranty, WarrantyId, EntityKind::Warranty, |w| [
    Some(w.asset.to_string()),
    None,
    None,
    None,
    None,
    None
]);

/// Checks a term: `starts_on <= ends_on`.
fn check_term(p: &mut Problems, starts_on: NaiveDate, ends_on: NaiveDate) {
    if ends_on < starts_on {
        p.push("ends_on", format!("ends before it starts ({starts_on})"));
    }
}

/// What a contract entitles the customer to; `None` is unlimited.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entitlement {
    /// How many cases may be opened under it.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cases: Option<u32>,
    /// How many hours of service work it includes.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub hours: Option<Decimal>,
}

/// What a new service contract says.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewContract {
    /// A display name ("Gold support 2026").
    pub name: String,
    /// The customer.
    pub account: AccountId,
    /// First day of the term.
    pub starts_on: NaiveDate,
    /// Last day of the term.
    pub ends_on: NaiveDate,
    /// Assets covered by name.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub assets: Vec<AssetId>,
    /// Products (SKUs) covered: every asset of the account with one of them.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub products: Vec<String>,
    /// What it entitles to.
    #[serde(default)]
    pub entitlement: Entitlement,
    /// The SLA policy (by name) its cases are worked under.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sla_policy: Option<String>,
    /// What it is worth for its term: the amount its renewal opportunity starts from.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub value: Option<crate::money::Money>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

/// A service contract.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    /// Its id.
    pub id: ContractId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// A display name.
    pub name: String,
    /// The customer.
    pub account: AccountId,
    /// First day of the term.
    pub starts_on: NaiveDate,
    /// Last day of the term.
    pub ends_on: NaiveDate,
    /// Assets covered by name.
    pub assets: Vec<AssetId>,
    /// Products covered.
    pub products: Vec<String>,
    /// What it entitles to.
    pub entitlement: Entitlement,
    /// Cases opened under it.
    pub cases_used: u32,
    /// Hours of service work done under it.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub hours_used: Decimal,
    /// The SLA policy its cases are worked under.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sla_policy: Option<String>,
    /// Whether it was cancelled.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cancelled: bool,
    /// What it is worth for its term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub value: Option<crate::money::Money>,
    /// The opportunity opened to renew it, once one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub renewal: Option<crate::id::OpportunityId>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl NewContract {
    /// Checks the input.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.name.trim().is_empty() {
            p.push("name", "a contract needs a name");
        }
        check_term(&mut p, self.starts_on, self.ends_on);
        if self.entitlement.hours.is_some_and(|h| h < Decimal::ZERO) {
            p.push("entitlement.hours", "must not be negative");
        }
        p.finish(())
    }
}

impl Contract {
    /// Index slot: the account.
    pub const BY_ACCOUNT: usize = 0;

    /// A contract from its checked input.
    pub fn new(id: ContractId, input: NewContract) -> Contract {
        Contract {
            id,
            custom: input.custom.clone(),
            version: crate::id::Version::NEW,
            name: input.name.trim().to_string(),
            account: input.account,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            assets: input.assets,
            products: input.products,
            entitlement: input.entitlement,
            cases_used: 0,
            hours_used: Decimal::ZERO,
            sla_policy: input.sla_policy,
            cancelled: false,
            value: input.value,
            renewal: None,
        }
    }

    /// Whether it is in force on `on`.
    pub fn in_force(&self, on: NaiveDate) -> bool {
        !self.cancelled && self.starts_on <= on && on <= self.ends_on
    }

    /// Whether it covers `asset` (by name, or by its product when the account matches).
    pub fn covers_asset(&self, asset: &Asset) -> bool {
        self.assets.contains(&asset.id)
            || (asset.account == self.account && self.products.contains(&asset.product))
    }

    /// Cases still allowed (`None`: unlimited).
    pub fn cases_left(&self) -> Option<u32> {
        self.entitlement
            .cases
            .map(|n| n.saturating_sub(self.cases_used))
    }

    /// Hours still included (`None`: unlimited).
    pub fn hours_left(&self) -> Option<Decimal> {
        self.entitlement
            .hours
            .map(|h| (h - self.hours_used).max(Decimal::ZERO))
    }

    /// Whether an entitlement is used up.
    pub fn exhausted(&self) -> bool {
        self.cases_left() == Some(0) || self.hours_left() == Some(Decimal::ZERO)
    }

    /// Counts a case opened under the contract on `on`.
    ///
    /// # Errors
    /// [`Error::Validation`] when the contract is not in force that day or has no cases left.
    pub fn use_case(&mut self, on: NaiveDate) -> Result<()> {
        let mut p = Problems::new();
        if !self.in_force(on) {
            p.push(
                "contract",
                format!(
                    "contract {} ({:?}) is not in force on {on}",
                    self.id, self.name
                ),
            );
        } else if self.cases_left() == Some(0) {
            p.push(
                "contract",
                format!(
                    "contract {} ({:?}) has used all {} cases of its entitlement",
                    self.id,
                    self.name,
                    self.entitlement.cases.unwrap_or(0)
                ),
            );
        }
        p.finish(())?;
        self.cases_used += 1;
        Ok(())
    }

    /// Counts `hours` of service work under the contract (beyond the entitlement is
    /// allowed and shows as zero hours left: billable work).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for negative hours.
    pub fn use_hours(&mut self, hours: Decimal) -> Result<()> {
        if hours < Decimal::ZERO {
            return Err(Error::invalid(
                "hours",
                hours.to_string(),
                "must not be negative",
            ));
        }
        self.hours_used += hours;
        Ok(())
    }
}

impl_entity!(Contract, ContractId, EntityKind::Contract, |c| [
    Some(c.account.to_string()),
    None,
    None,
    None,
    None,
    None
]);

/// A contract that covers an asset on a date, and what is left of it.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractCoverage {
    /// The contract.
    pub contract: Contract,
    /// Cases still allowed (`None`: unlimited).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cases_left: Option<u32>,
    /// Hours still included (`None`: unlimited).
    #[serde(with = "rust_decimal::serde::str_option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub hours_left: Option<Decimal>,
    /// Whether its entitlement is used up.
    pub exhausted: bool,
}

/// Whether an asset is covered on a date, and by what.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// The asset.
    pub asset: Asset,
    /// The day asked about.
    pub on: NaiveDate,
    /// Warranties in force that day.
    pub warranties: Vec<Warranty>,
    /// Contracts in force that day that cover the asset.
    pub contracts: Vec<ContractCoverage>,
    /// Whether anything covers it: a warranty, or a contract with entitlement left.
    pub covered: bool,
}

impl Coverage {
    /// The coverage of `asset` on `on` from its warranties and its owner's contracts.
    pub fn of(
        asset: Asset,
        on: NaiveDate,
        warranties: &[Warranty],
        contracts: &[Contract],
    ) -> Self {
        let warranties: Vec<Warranty> = warranties
            .iter()
            .filter(|w| w.asset == asset.id && w.covers(on))
            .cloned()
            .collect();
        let contracts: Vec<ContractCoverage> = contracts
            .iter()
            .filter(|c| c.in_force(on) && c.covers_asset(&asset))
            .map(|c| ContractCoverage {
                cases_left: c.cases_left(),
                hours_left: c.hours_left(),
                exhausted: c.exhausted(),
                contract: c.clone(),
            })
            .collect();
        let covered = !warranties.is_empty() || contracts.iter().any(|c| !c.exhausted);
        Coverage {
            asset,
            on,
            warranties,
            contracts,
            covered,
        }
    }

    /// The contract a new case on the asset is worked under: the first with entitlement
    /// left.
    pub fn working_contract(&self) -> Option<&Contract> {
        self.contracts
            .iter()
            .find(|c| !c.exhausted)
            .map(|c| &c.contract)
    }
}

/// Checks a warranty's term.
///
/// # Errors
/// [`Error::Validation`] when it ends before it starts or has no terms.
pub fn check_warranty(starts_on: NaiveDate, ends_on: NaiveDate, terms: &str) -> Result<()> {
    let mut p = Problems::new();
    check_term(&mut p, starts_on, ends_on);
    if terms.trim().is_empty() {
        p.push("terms", "say what the warranty covers");
    }
    p.finish(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn asset() -> Asset {
        Asset::new(
            AssetId::new(1).unwrap(),
            NewAsset {
                custom: Default::default(),
                serial_number: " sn-1 ".into(),
                product: "PRN-9".into(),
                account: AccountId::new(7).unwrap(),
                name: String::new(),
                installed_on: Some(d(1, 15)),
                location: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn coverage_names_what_covers_an_asset() {
        let a = asset();
        assert_eq!(a.name, "PRN-9 sn-1");
        let w = Warranty {
            id: WarrantyId::new(1).unwrap(),
            version: crate::id::Version::new(1),
            asset: a.id,
            starts_on: d(1, 15),
            ends_on: d(6, 30),
            terms: "parts and labour".into(),
        };
        let mut gold = Contract::new(
            ContractId::new(1).unwrap(),
            NewContract {
                custom: Default::default(),
                name: "Gold".into(),
                account: a.account,
                starts_on: d(6, 1),
                ends_on: d(12, 31),
                assets: vec![],
                products: vec!["PRN-9".into()],
                entitlement: Entitlement {
                    cases: Some(1),
                    hours: None,
                },
                sla_policy: Some("gold".into()),
                value: None,
            },
        );
        let c = Coverage::of(
            a.clone(),
            d(3, 1),
            std::slice::from_ref(&w),
            std::slice::from_ref(&gold),
        );
        assert!(c.covered && c.contracts.is_empty() && c.warranties.len() == 1);
        let c = Coverage::of(
            a.clone(),
            d(8, 1),
            std::slice::from_ref(&w),
            std::slice::from_ref(&gold),
        );
        assert!(c.covered && c.warranties.is_empty());
        assert_eq!(c.working_contract().unwrap().id, gold.id);
        gold.use_case(d(8, 1)).unwrap();
        assert_eq!(
            gold.use_case(d(8, 2)).unwrap_err().code(),
            "validation_failed"
        );
        let c = Coverage::of(a.clone(), d(8, 1), &[w], std::slice::from_ref(&gold));
        assert!(!c.covered && c.contracts[0].exhausted && c.working_contract().is_none());
        // Another account's asset of the same product is not covered by product.
        let mut other = a.clone();
        other.account = AccountId::new(8).unwrap();
        assert!(!gold.covers_asset(&other));
        assert!(gold.use_case(d(1, 1)).is_err());
    }
}
