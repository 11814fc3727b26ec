//! Pricing without a store for Python (`crm_core.price_document`): lines, discounts, taxes
//! and rounding priced by crm-core's engine with the GIL released.

use pyo3::prelude::*;

use crate::convert::parse;
use crate::errors::OrRaise;
use crate::model;

/// Prices lines without a store: (lines, document discount percent, taxes, currency,
/// rounding), all JSON but the currency; the priced document as its typed record.
#[pyfunction]
pub fn price_document<'py>(
    py: Python<'py>,
    lines: &str,
    document_discount: &str,
    taxes: &str,
    currency: &str,
    rounding: &str,
) -> PyResult<Bound<'py, PyAny>> {
    use crm_core::quote::pricing;
    let lines: Vec<pricing::PriceLine> = parse(py, "lines", lines)?;
    let discount = crm_core::Percent::parse(document_discount).or_raise(py)?;
    let taxes: pricing::TaxTable = parse(py, "taxes", taxes)?;
    let currency = crm_core::Currency::parse(currency).or_raise(py)?;
    let rounding: pricing::Rounding = parse(py, "rounding", rounding)?;
    let priced = py
        .detach(|| pricing::price_document(&lines, discount, &taxes, currency, rounding))
        .or_raise(py)?;
    let model = model::model(py)?;
    let plan = model
        .core
        .def_named("PricedDocument")
        .ok_or_else(|| crate::errors::input(py, "no type `PricedDocument`"))?;
    crate::pyser::to_python(model, py, &plan, &priced)
}
