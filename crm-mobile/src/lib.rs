//! crm-core for Android and iOS (uniffi). The records and enums are crm-core's own (its
//! `uniffi` feature derives them); this crate adds what a phone app holds on to:
//!
//! - [`store::CrmStore`]: the CRM on a SQLite file in the app's data directory, its use
//!   cases in namespaces ([`surface`]: `store.leads().capture(…)`) generated from
//!   crm-core's declaration;
//! - [`scoring::ScoringModel`]: a model file scoring leads offline;
//! - errors are crm-core's [`CrmError`] (its `uniffi` feature): one exception class / Swift
//!   error case per error kind, each carrying crm-core's stable code and the message.
//!
//! Objects are `Send + Sync` behind an `Arc` (uniffi's objects): two threads may call one
//! at once. No panic crosses the FFI: every call runs behind a guard that turns a panic
//! into `CrmError::Internal`.

// uniffi hands errors over by value and they carry their typed fields; the error path is
// cold, so the size of `CrmError` in a `Result` costs nothing that matters.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!();

pub use crm_core::uniffi_types::CrmError;
use crm_core::uniffi_types::{Count, Day, Decimal, Instant, Json};

// Counts, days, decimals, instants and JSON payloads are crm-core's custom types; the
// methods of this crate take and return them as they are.
uniffi::use_remote_type!(crm_core::Count);
uniffi::use_remote_type!(crm_core::Day);
uniffi::use_remote_type!(crm_core::Decimal);
uniffi::use_remote_type!(crm_core::Instant);
uniffi::use_remote_type!(crm_core::Json);

pub mod job;
#[cfg(feature = "parity")]
pub mod parity;
pub mod quotes;
pub mod scoring;
pub mod service;
pub mod store;
pub mod surface;
