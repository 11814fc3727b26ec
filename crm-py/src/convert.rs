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
    let text = serde_json::to_string(value)
        .map_err(|e| crm_core::Error::Input {
            message: e.to_string(),
        })
        .or_raise(py)?;
    json_to_py(py, &text)
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
