//! # crm-core
//!
//! An embeddable CRM engine: leads, prospect tracking, customers, opportunities and
//! forecasts as a pure Rust domain — no I/O, no threads, no global state, no clock reads —
//! over a small storage trait with an in-memory store here and an embedded SQLite store in
//! `crm-sqlite`.
//!
//! ## Overview
//!
//! - **Values parsed at the edge**: [`Email`], [`Phone`] (E.164), [`Currency`] (ISO 4217),
//!   [`Money`] (exact decimals, no cross-currency arithmetic), [`Percent`],
//!   [`Probability`], typed ids ([`id`]).
//! - **Leads** ([`lead`]): capture by hand, through web forms ([`lead::webform`]) and from CSV
//!   files ([`lead::import`]); duplicate detection in O(n) ([`lead::dedup`]); a status
//!   machine; ratings, scores and spam signals.
//! - **Prospect tracking** ([`tracking`]): touchpoints with campaign, ad, affiliate, UTM.
//! - **Customers** ([`customer`]): accounts, contacts, purchases.
//! - **Sales** ([`sales`]): pipelines, opportunities with stage history, exchange rates,
//!   the weighted forecast; **activities** ([`activity`]).
//! - **Service** ([`service`]): business calendars (time zone, working intervals, overnight
//!   shifts, holidays) with exact business-time arithmetic across DST.
//! - **Quotations** ([`quote`]): exact pricing with discounts, included / excluded and
//!   compound taxes, and named rounding (mode and per-line or global strategy).
//! - **Storage** ([`store`]): `Store` / `ReadTx` / `WriteTx`, optimistic versions, the
//!   event log ([`event`]), [`store::MemoryStore`], and the conformance suite.
//! - **The facade** ([`Crm`]): every use case as one transaction that records its events.
//!
//! ## Usage
//!
//! ```
//! use crm_core::{Crm, LeadField, LeadInput, Region, store::MemoryStore};
//! use chrono::{TimeZone, Utc};
//!
//! let crm = Crm::new(MemoryStore::new(), Region::parse("US")?);
//! let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
//! let input = LeadInput::new()
//!     .with(LeadField::FullName, "Ada Lovelace")
//!     .with(LeadField::Company, "Analytical Engines Ltd")
//!     .with(LeadField::Email, "ada@engines.example.com");
//! let captured = crm.capture_lead(&input, now)?;
//! crm.start_working(captured.lead.id, now)?;
//! crm.qualify(captured.lead.id, now)?;
//! let converted = crm.convert_lead(captured.lead.id, &Default::default(), now)?;
//! assert!(converted.account_created && converted.contact_created);
//! // Captured, working, qualified, account and contact created, converted (status + link).
//! assert_eq!(crm.events_since(0, 100)?.len(), 7);
//! # Ok::<(), crm_core::Error>(())
//! ```
//!
//! ## Crate features
//!
//! - `testing`: exposes [`store::conformance`] and [`store_conformance_tests!`] so a host's
//!   own store can run the suite MemoryStore and SqliteStore pass.
#![deny(missing_docs)]

pub mod access;
pub mod activity;
pub mod actor;
pub mod consent;
pub mod contact_info;
pub mod crm;
pub mod custom;
pub mod customer;
pub mod error;
pub mod event;
pub mod id;
pub mod job;
pub mod lead;
pub mod lifecycle;
pub mod limits;
pub mod marketing;
pub mod money;
pub mod outbox;
pub mod privacy;
pub mod quote;
pub mod sales;
#[cfg(feature = "schema")]
mod schema_types;
pub mod scoring;
pub mod search;
pub mod service;
pub mod store;
pub mod surface;
pub mod time;
pub mod tracking;
pub mod transfer;
#[cfg(feature = "uniffi")]
pub mod uniffi_types;

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("crm_core");

pub use actor::Actor;
pub use contact_info::{Address, Email, Phone, Region};
pub use crm::Crm;
pub use error::{Error, ErrorKind, FieldProblem, Result};
pub use id::{RecordKey, Version};
pub use lead::{Lead, LeadField, LeadInput, LeadStatus, LeadStatusKind, Rating};
pub use money::{Currency, Money, Percent, Probability, RoundingMode};

/// A tally summed in 64 bits as the `usize` count a report holds (a count past the
/// address space is as many as can be held).
pub(crate) fn tally(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
