//! An account's service standing on a day, for the representative on the phone: every
//! contract with where it stands (upcoming, in force, ended, cancelled), what is left of
//! its entitlement, the days to its end and its renewal opportunity; every asset with the
//! warranties and contracts covering it; and the cases being worked.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::id::{AccountId, OpportunityId};
use crate::lead::text_enum;

use super::installed::{Asset, Contract, Coverage, Warranty};

text_enum!(
    /// Where a contract stands on a day.
    ContractState, "contract state", {
        /// Its term has not begun.
        Upcoming => "upcoming",
        /// In its term.
        InForce => "in_force" | "in force" | "in-force",
        /// Its term is over.
        Ended => "ended",
        /// Cancelled.
        Cancelled => "cancelled",
    }
);

/// A contract and where it stands.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractStanding {
    /// The contract.
    pub contract: Contract,
    /// Where it stands on the day.
    pub state: ContractState,
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
    /// Days from the day to its last day (in force or upcoming only).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub days_left: Option<i64>,
    /// Its renewal opportunity, once one is opened.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub renewal: Option<OpportunityId>,
}

impl ContractStanding {
    /// Where `contract` stands on `on`.
    pub fn of(contract: Contract, on: NaiveDate) -> Self {
        let state = if contract.cancelled {
            ContractState::Cancelled
        } else if on < contract.starts_on {
            ContractState::Upcoming
        } else if on > contract.ends_on {
            ContractState::Ended
        } else {
            ContractState::InForce
        };
        let days_left = matches!(state, ContractState::InForce | ContractState::Upcoming)
            .then(|| (contract.ends_on - on).num_days());
        ContractStanding {
            state,
            cases_left: contract.cases_left(),
            hours_left: contract.hours_left(),
            exhausted: contract.exhausted(),
            days_left,
            renewal: contract.renewal,
            contract,
        }
    }
}

/// An account's service standing on a day.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceOverview {
    /// The account.
    pub account: AccountId,
    /// Its name.
    pub name: String,
    /// The day.
    pub on: NaiveDate,
    /// Its contracts: in force first (soonest to end first), then upcoming, ended and
    /// cancelled.
    pub contracts: Vec<ContractStanding>,
    /// Its assets (by serial number) with what covers each that day.
    pub assets: Vec<Coverage>,
    /// How many of its cases are being worked (not resolved or closed).
    pub open_cases: u32,
}

impl ServiceOverview {
    /// The overview of an account from its records.
    pub fn of(
        account: AccountId,
        name: String,
        on: NaiveDate,
        contracts: Vec<Contract>,
        mut assets: Vec<Asset>,
        warranties: &[Warranty],
        open_cases: u32,
    ) -> Self {
        let mut standing: Vec<ContractStanding> = contracts
            .iter()
            .cloned()
            .map(|c| ContractStanding::of(c, on))
            .collect();
        let rank = |s: &ContractStanding| match s.state {
            ContractState::InForce => 0,
            ContractState::Upcoming => 1,
            ContractState::Ended => 2,
            ContractState::Cancelled => 3,
        };
        standing.sort_by(|a, b| {
            rank(a)
                .cmp(&rank(b))
                .then(a.contract.ends_on.cmp(&b.contract.ends_on))
                .then(a.contract.id.cmp(&b.contract.id))
        });
        assets.sort_by(|a, b| a.serial_number.cmp(&b.serial_number));
        let assets = assets
            .into_iter()
            .map(|a| Coverage::of(a, on, warranties, &contracts))
            .collect();
        ServiceOverview {
            account,
            name,
            on,
            contracts: standing,
            assets,
            open_cases,
        }
    }
}
