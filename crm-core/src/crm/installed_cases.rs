//! The installed base on the store: assets with their serial numbers and statuses,
//! warranties, service contracts and coverage (what covers an asset on a day).

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Problems, Result};
use crate::event::DomainEvent;
use crate::id::{AccountId, AssetId, ContractId, RecordRef, WarrantyId};
use crate::service::sla::SlaPolicyRecord;
use crate::service::{
    Asset, AssetStatus, Case, Contract, Coverage, NewAsset, NewContract, Warranty,
};
use crate::store::{EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};

use crate::customer::Account;
use crate::money::Money;
use crate::sales::{NewOpportunity, Opportunity};
use crate::service::overview::ServiceOverview;

use super::{Crm, ensure_exists};

/// Which contracts get a renewal opportunity, and how.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalSpec {
    /// Contracts ending within this many days.
    pub days_before: u32,
    /// The pipeline the opportunities open in (at its first stage).
    pub pipeline: crate::id::PipelineId,
    /// The amount of a renewal whose contract has no value.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub amount: Option<Money>,
    /// Their owner; none: the account's.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
}

impl<S: Store> Crm<S> {
    /// Registers an asset at a customer's.
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::NotFound`] for an unknown account;
    /// [`Error::Duplicate`] for a serial number already registered; [`Error::Storage`].
    pub fn register_asset(&self, input: NewAsset, now: DateTime<Utc>) -> Result<Asset> {
        self.write(|tx| register_asset_in(tx, input, now))
    }

    /// An asset.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn asset(&self, id: AssetId) -> Result<Asset> {
        self.read(|tx| tx.load(id))
    }

    /// The asset with a serial number, if any.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn asset_by_serial(&self, serial: &str) -> Result<Option<Asset>> {
        self.read(|tx| {
            Ok(tx
                .find::<Asset>(Asset::BY_SERIAL, &Asset::serial_key(serial))?
                .into_iter()
                .next())
        })
    }

    /// An account's installed base.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn assets_of(&self, account: AccountId) -> Result<Vec<Asset>> {
        self.read(|tx| tx.find(Asset::BY_ACCOUNT, &account.to_string()))
    }

    /// Changes an asset's status.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn set_asset_status(
        &self,
        id: AssetId,
        status: AssetStatus,
        now: DateTime<Utc>,
    ) -> Result<Asset> {
        self.write(|tx| {
            let mut asset: Asset = tx.load(id)?;
            asset.status = status;
            tx.update(&mut asset)?;
            tx.emit(
                &DomainEvent::AssetStatusChanged {
                    asset: id,
                    status: status.to_string(),
                },
                now,
            )?;
            Ok(asset)
        })
    }

    /// Records a warranty on an asset.
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad term; [`Error::NotFound`]; [`Error::Storage`].
    pub fn add_warranty(
        &self,
        asset: AssetId,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        terms: &str,
        now: DateTime<Utc>,
    ) -> Result<Warranty> {
        crate::service::installed::check_warranty(starts_on, ends_on, terms)?;
        self.write(|tx| {
            let _: Asset = tx.load(asset)?;
            insert_warranty(tx, asset, starts_on, ends_on, terms, now)
        })
    }

    /// Creates a service contract.
    ///
    /// # Errors
    /// [`Error::Validation`] (also for a named asset of another account);
    /// [`Error::NotFound`] for an unknown account, asset or SLA policy; [`Error::Storage`].
    pub fn create_contract(&self, input: NewContract, now: DateTime<Utc>) -> Result<Contract> {
        self.write(|tx| create_contract_in(tx, input, now))
    }

    /// A contract.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn contract(&self, id: ContractId) -> Result<Contract> {
        self.read(|tx| tx.load(id))
    }

    /// Cancels a contract (it covers nothing from then on).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn cancel_contract(&self, id: ContractId, now: DateTime<Utc>) -> Result<Contract> {
        self.write(|tx| {
            let mut c: Contract = tx.load(id)?;
            c.cancelled = true;
            tx.update(&mut c)?;
            tx.emit(&DomainEvent::ContractCancelled { contract: id }, now)?;
            Ok(c)
        })
    }

    /// Whether `asset` is covered on `on`, and by what warranties and contracts.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn coverage(&self, asset: AssetId, on: NaiveDate) -> Result<Coverage> {
        self.read(|tx| {
            let asset: Asset = tx.load(asset)?;
            coverage_in(tx, asset, on)
        })
    }

    /// An account's service standing on `on`: its contracts with what is left of them
    /// and their renewals, its assets with their coverage, its cases being worked.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown account; [`Error::Storage`].
    pub fn service_overview(&self, account: AccountId, on: NaiveDate) -> Result<ServiceOverview> {
        self.read(|tx| {
            let a: Account = tx.load(account)?;
            let key = account.to_string();
            let contracts: Vec<Contract> = tx.find(Contract::BY_ACCOUNT, &key)?;
            let assets: Vec<Asset> = tx.find(Asset::BY_ACCOUNT, &key)?;
            let mut warranties = Vec::new();
            for asset in &assets {
                warranties.extend(tx.find::<Warranty>(Warranty::BY_ASSET, &asset.id.to_string())?);
            }
            let open = tx
                .find::<Case>(Case::BY_ACCOUNT, &key)?
                .iter()
                .filter(|c| c.status.is_active())
                .count();
            Ok(ServiceOverview::of(
                account,
                a.name,
                on,
                contracts,
                assets,
                &warranties,
                u32::try_from(open).unwrap_or(u32::MAX),
            ))
        })
    }

    /// Opens a renewal opportunity for every contract in force that ends within
    /// `spec.days_before` days of `now` and has none yet: named after the contract, on its
    /// account, closing on its last day, worth its value (else `spec.amount`), for its
    /// products, owned by `spec.owner` or the account's owner. Running it again opens
    /// nothing twice. Returns the opportunities opened.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a contract without a value when the spec gives no
    /// amount; [`Error::NotFound`] for an unknown pipeline; [`Error::Storage`].
    pub fn generate_renewals(
        &self,
        spec: RenewalSpec,
        now: DateTime<Utc>,
    ) -> Result<Vec<Opportunity>> {
        let today = now.date_naive();
        let until = today + chrono::Duration::days(i64::from(spec.days_before));
        self.write(|tx| {
            let mut opened = Vec::new();
            let mut due: Vec<Contract> = tx
                .all::<Contract>()?
                .into_iter()
                .filter(|c| c.renewal.is_none() && c.in_force(today) && c.ends_on <= until)
                .collect();
            due.sort_by_key(|c| (c.ends_on, c.id));
            for mut contract in due {
                let amount = match (&contract.value, &spec.amount) {
                    (Some(v), _) | (None, Some(v)) => *v,
                    (None, None) => {
                        return Err(Error::invalid(
                            "amount",
                            &contract.name,
                            "the contract has no value: give the renewal an amount",
                        ));
                    }
                };
                let account: Account = tx.load(contract.account)?;
                let opportunity = super::sales_cases::open_opportunity_in(
                    tx,
                    NewOpportunity {
                        name: format!("Renewal: {}", contract.name),
                        account: contract.account,
                        contact: None,
                        pipeline: spec.pipeline,
                        stage: None,
                        amount,
                        expected_close: contract.ends_on,
                        owner: spec.owner.clone().or(account.owner),
                        products: contract.products.clone(),
                        custom: Default::default(),
                    },
                    now,
                )?;
                contract.renewal = Some(opportunity.id);
                tx.update(&mut contract)?;
                tx.emit(
                    &DomainEvent::ContractRenewalOpened {
                        contract: contract.id,
                        opportunity: opportunity.id,
                    },
                    now,
                )?;
                opened.push(opportunity);
            }
            Ok(opened)
        })
    }
}

/// [`Crm::register_asset`] inside a write transaction.
pub(crate) fn register_asset_in(
    tx: &mut dyn WriteTx,
    input: NewAsset,
    now: DateTime<Utc>,
) -> Result<Asset> {
    insert_asset(tx, input, None, now)
}

/// Registers an asset, delivered on `sales_order` when the CRM made the sale.
pub(crate) fn insert_asset(
    tx: &mut dyn WriteTx,
    input: NewAsset,
    sales_order: Option<crate::id::SalesOrderId>,
    now: DateTime<Utc>,
) -> Result<Asset> {
    ensure_exists(tx, RecordRef::Account(input.account))?;
    let key = Asset::serial_key(&input.serial_number);
    if !key.is_empty()
        && !tx
            .find_ids(EntityKind::Asset, Asset::BY_SERIAL, &key)?
            .is_empty()
    {
        return Err(Error::Duplicate {
            kind: "asset".into(),
            reason: format!("serial number {key} is already registered"),
        });
    }
    let id = AssetId::from_raw(tx.next_id(EntityKind::Asset)?);
    let mut asset = Asset::new(id, input)?;
    asset.sales_order = sales_order;
    tx.update(&mut asset)?;
    tx.emit(
        &DomainEvent::AssetRegistered {
            asset: id,
            serial_number: asset.serial_number.clone(),
        },
        now,
    )?;
    Ok(asset)
}

/// [`Crm::create_contract`] inside a write transaction.
pub(crate) fn create_contract_in(
    tx: &mut dyn WriteTx,
    input: NewContract,
    now: DateTime<Utc>,
) -> Result<Contract> {
    input.check()?;
    ensure_exists(tx, RecordRef::Account(input.account))?;
    let mut p = Problems::new();
    for (i, a) in input.assets.iter().enumerate() {
        let asset: Asset = tx.load(*a)?;
        if asset.account != input.account {
            p.push(
                format!("assets[{i}]"),
                format!("asset {a} belongs to account {}", asset.account),
            );
        }
    }
    p.finish(())?;
    if let Some(name) = &input.sla_policy
        && tx
            .find_ids(
                EntityKind::SlaPolicy,
                SlaPolicyRecord::BY_NAME,
                &name.trim().to_lowercase(),
            )?
            .is_empty()
    {
        return Err(Error::not_found("SLA policy", name));
    }
    let c = tx.insert(|id: ContractId| Contract::new(id, input))?;
    tx.emit(
        &DomainEvent::ContractCreated {
            contract: c.id,
            account: c.account,
        },
        now,
    )?;
    Ok(c)
}

/// Adds a checked warranty to an asset known to exist.
pub(crate) fn insert_warranty(
    tx: &mut dyn WriteTx,
    asset: AssetId,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    terms: &str,
    now: DateTime<Utc>,
) -> Result<Warranty> {
    let w = tx.insert(|id: WarrantyId| Warranty {
        id,
        version: crate::id::Version::NEW,
        asset,
        starts_on,
        ends_on,
        terms: terms.trim().to_string(),
    })?;
    tx.emit(
        &DomainEvent::WarrantyAdded {
            warranty: w.id,
            asset,
        },
        now,
    )?;
    Ok(w)
}

/// What covers `asset` on `on`.
pub(crate) fn coverage_in(tx: &dyn ReadTx, asset: Asset, on: NaiveDate) -> Result<Coverage> {
    let warranties: Vec<Warranty> = tx.find(Warranty::BY_ASSET, &asset.id.to_string())?;
    let contracts: Vec<Contract> = tx.find(Contract::BY_ACCOUNT, &asset.account.to_string())?;
    Ok(Coverage::of(asset, on, &warranties, &contracts))
}
