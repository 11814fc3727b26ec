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

/// The stable code of every error kind, in crm-core's order (`ErrorKind::ALL`).
#[pyfunction]
pub fn error_codes() -> Vec<&'static str> {
    crm_core::ErrorKind::ALL.iter().map(|k| k.code()).collect()
}

/// Raises an example error of the kind whose code is `code`, through the same mapping
/// every call uses (tests prove every kind reaches its exception class with its details).
#[pyfunction]
pub fn _raise_sample_error(py: Python<'_>, code: &str) -> PyResult<()> {
    Err(to_py(py, &crm_core::error::sample_error(code)))
}

/// Panics inside the guard every call runs behind, with the GIL released as calls do: the
/// panic must come out as `InternalError` (tests provoke it; nothing else should panic).
#[pyfunction]
pub fn _provoke_panic(py: Python<'_>) -> PyResult<()> {
    py.detach(|| {
        crm_core::error::catch_panic(|| -> crm_core::Result<()> {
            panic!("provoked by a test of the panic guard")
        })
    })
    .or_raise(py)
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

/// An internal error (code `internal`): the binding found itself wrong.
pub fn internal(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_py(
        py,
        &crm_core::Error::Internal {
            message: message.into(),
        },
    )
}
