//! `crm_core._crm_core`: the native half of the Python package `crm_core`. It converts at
//! the edge (numpy, Arrow, JSON) and calls crm-core; the Pythonic layer (estimators,
//! exceptions, records) is in `python/crm_core/`.

mod convert;
mod errors;
mod facade;
mod features;
mod marketing;
mod scoring;
mod service;
mod service_desk;

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
    m.add_class::<facade::NativeCrm>()?;
    m.add_class::<service::PyBusinessCalendar>()?;
    m.add_class::<service_desk::NativeServiceDesk>()?;
    m.add_class::<marketing::NativeMarketing>()?;
    m.add_function(wrap_pyfunction!(marketing::performance_columns, m)?)?;
    m.add_function(wrap_pyfunction!(marketing::funnel_columns, m)?)?;
    m.add_function(wrap_pyfunction!(marketing::pipeline_columns, m)?)?;
    m.add_function(wrap_pyfunction!(facade::price_document, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_raise_sample_error, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_provoke_panic, m)?)?;
    Ok(())
}
