//! Conversions at the edge: JSON text (the interchange form of every crm-core type) to and
//! from Python objects, and numpy output arrays.

use numpy::{PyArray1, PyArray2, PyArrayMethods};
use pyo3::prelude::*;

use crate::errors::OrRaise;

/// `json.loads(text)`.
pub fn json_to_py<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// Any serialisable crm-core value as plain Python data (dicts, lists, strings, numbers).
pub fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    json_to_py(py, &json(py, value)?)
}

/// A crm-core value from its JSON text; a mismatch is an `InputError` naming what it was.
pub fn parse<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    what: &str,
    text: &str,
) -> PyResult<T> {
    serde_json::from_str(text)
        .map_err(|e| crm_core::Error::Input {
            message: format!("{what}: {e}"),
        })
        .or_raise(py)
}

/// A crm-core value as JSON text.
pub fn json<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| crm_core::Error::Input {
            message: e.to_string(),
        })
        .or_raise(py)
}

/// An RFC 3339 instant, as UTC.
pub fn instant(py: Python<'_>, text: &str) -> PyResult<chrono::DateTime<chrono::Utc>> {
    crm_core::time::parse_instant(text).or_raise(py)
}

/// A numpy vector that takes over `values` (no copy).
pub fn vector(py: Python<'_>, values: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    PyArray1::from_vec(py, values)
}

/// A row-major `rows × cols` numpy matrix that takes over `values` (no copy).
pub fn matrix(
    py: Python<'_>,
    values: Vec<f64>,
    rows: usize,
    cols: usize,
) -> PyResult<Bound<'_, PyArray2<f64>>> {
    PyArray1::from_vec(py, values).reshape([rows, cols])
}
