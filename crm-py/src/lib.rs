//! `crm_core._crm_core`: the native half of the Python package `crm_core`. The `Crm` class
//! and its namespaces are generated from crm-core's declaration of every use case
//! ([`surface`]), the record classes from its schema ([`model`]); the rest converts at the
//! edge (numpy, Arrow) for scoring and columnar reports. The Pythonic layer (estimators,
//! exceptions) is in `python/crm_core/`.

mod convert;
mod errors;
mod features;
mod frames;
mod job;
mod marketing;
mod model;
mod pricing;
mod pyde;
mod pyjson;
mod pyser;
mod scoring;
mod service;
mod stubs;
mod surface;

use pyo3::prelude::*;

#[pymodule]
fn _crm_core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "MODEL_FORMAT_VERSION",
        crm_core::scoring::model_file::MODEL_FORMAT_VERSION,
    )?;
    m.add_function(wrap_pyfunction!(features::copied_feature_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(features::_count_copy, m)?)?;
    scoring::register(m)?;
    surface::register(m)?;
    m.add_function(wrap_pyfunction!(surface::use_cases, m)?)?;
    m.add_function(wrap_pyfunction!(surface::record_classes, m)?)?;
    m.add_function(wrap_pyfunction!(surface::_listing_stats, m)?)?;
    m.add_function(wrap_pyfunction!(surface::surface_schema, m)?)?;
    m.add_function(wrap_pyfunction!(surface::to_json, m)?)?;
    m.add_function(wrap_pyfunction!(stubs::_render_stubs, m)?)?;
    m.add_class::<service::PyBusinessCalendar>()?;
    m.add_class::<job::Job>()?;
    m.add_function(wrap_pyfunction!(marketing::performance_columns, m)?)?;
    m.add_function(wrap_pyfunction!(marketing::funnel_columns, m)?)?;
    m.add_function(wrap_pyfunction!(marketing::pipeline_columns, m)?)?;
    m.add_function(wrap_pyfunction!(pricing::price_document, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_raise_sample_error, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_provoke_panic, m)?)?;
    Ok(())
}
