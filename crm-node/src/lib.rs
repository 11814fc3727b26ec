//! The npm package `crm-core`: crm-core for Node.js and TypeScript (napi-rs).
//!
//! Thin by design: [`edge`] converts every argument and result the same way (camelCase plain
//! objects, decimal-string money, `Date` or ISO-8601 instants, crm-core error codes, panics
//! caught). The classes: [`facade::Crm`] (the CRM on the embedded SQLite store), whose use
//! cases are the namespaces [`surface`] generates from crm-core's declaration
//! (`crm.leads.capture(…)`, with Promise variants for long work);
//! [`scoring::ScoringModel`] (model files scoring `Float64Array` matrices read in place) and
//! [`service::BusinessCalendar`]; and [`quotes::price_document`].

pub mod decoders;
pub mod edge;
pub mod facade;
pub mod job;
pub mod quotes;
pub mod scoring;
pub mod service;
pub mod surface;
pub mod tape;
