//! Pricing without a store for Python (`crm_core.price_document`): lines, discounts, taxes
//! and rounding priced by crm-core's engine with the GIL released.

use pyo3::prelude::*;

use crate::convert::{json, parse};
use crate::errors::OrRaise;

/// Prices lines without a store: (lines, document discount percent, taxes, currency,
/// rounding), all JSON but the currency; the priced document as JSON.
#[pyfunction]
pub fn price_document(
    py: Python<'_>,
    lines: &str,
    document_discount: &str,
    taxes: &str,
    currency: &str,
    rounding: &str,
) -> PyResult<String> {
    use crm_core::quote::pricing;
    let lines: Vec<pricing::PriceLine> = parse(py, "lines", lines)?;
    let discount = crm_core::Percent::parse(document_discount).or_raise(py)?;
    let taxes: pricing::TaxTable = parse(py, "taxes", taxes)?;
    let currency = crm_core::Currency::parse(currency).or_raise(py)?;
    let rounding: pricing::Rounding = parse(py, "rounding", rounding)?;
    let priced = py
        .detach(|| pricing::price_document(&lines, discount, &taxes, currency, rounding))
        .or_raise(py)?;
    json(py, &priced)
}
