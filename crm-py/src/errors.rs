//! crm-core errors as Python exceptions. The classes live in Python (`crm_core.errors`,
//! one per error kind with the builtin bases Python code expects: `ValueError`,
//! `LookupError`, …); this module hands them an error's code, message and details.

use pyo3::prelude::*;

/// A crm-core error as the matching `crm_core.errors` exception.
pub fn to_py(py: Python<'_>, err: &crm_core::Error) -> PyErr {
    build(py, err).unwrap_or_else(|e| e)
}

fn build(py: Python<'_>, err: &crm_core::Error) -> PyResult<PyErr> {
    let details = crate::convert::json_to_py(py, &err.details().to_string())?;
    let exc = py
        .import("crm_core.errors")?
        .getattr("_from_native")?
        .call1((err.code(), err.to_string(), details))?;
    Ok(PyErr::from_value(exc))
}

/// An input error (code `input`) raised from the binding's own checks at the edge.
pub fn input(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_py(
        py,
        &crm_core::Error::Input {
            message: message.into(),
        },
    )
}

/// `?` for crm-core results inside binding functions.
pub trait OrRaise<T> {
    /// The value, or the error raised as its Python exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for crm_core::Result<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, &e))
    }
}
