//! Feature matrices from Python, read in place: numpy arrays (f64 or f32, C- or
//! F-contiguous), lists of 1-D numpy columns (what `crm_core._input` makes of a pandas
//! DataFrame), and anything with the Arrow PyCapsule stream interface (pyarrow tables and
//! record batches, polars DataFrames). Arrow float columns are read where they are; other
//! numeric columns (integers, booleans) are widened into a copy, which the copy counter
//! records.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use crm_core::scoring::{ColumnValues, Columns, Features, Layout, Matrix};
use numpy::{PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use pyo3_arrow::PyRecordBatchReader;

use crate::errors::{OrRaise, input};

static COPIED_BYTES: AtomicU64 = AtomicU64::new(0);

/// Feature bytes the binding has copied since the process started (a debug counter: tests
/// show that C-contiguous float64 input is never copied).
#[pyfunction]
pub fn copied_feature_bytes() -> u64 {
    COPIED_BYTES.load(Ordering::Relaxed)
}

/// Records `bytes` copied by the Python side of the binding (dtype conversions).
#[pyfunction]
pub fn _count_copy(bytes: u64) {
    COPIED_BYTES.fetch_add(bytes, Ordering::Relaxed);
}

fn count_copy(bytes: usize) {
    COPIED_BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
}

enum Column1<'py> {
    F64(PyReadonlyArray1<'py, f64>),
    F32(PyReadonlyArray1<'py, f32>),
}

/// An Arrow column: read in place, or widened to f64.
enum ArrowColumn {
    InPlace(ArrayRef),
    Widened(Vec<f64>),
}

enum Source<'py> {
    F64(PyReadonlyArray2<'py, f64>),
    F32(PyReadonlyArray2<'py, f32>),
    Columns(Vec<Column1<'py>>),
    Arrow(Vec<Vec<ArrowColumn>>),
}

/// A feature input held for one call.
pub struct Input<'py> {
    source: Source<'py>,
    names: Vec<String>,
}

/// An input as one dense matrix, for fitting.
pub enum Dense<'a> {
    /// A numpy float64 array, in place.
    F64(Matrix<'a, f64>),
    /// A numpy float32 array, in place.
    F32(Matrix<'a, f32>),
    /// Columns gathered into one column-major copy: values, rows, columns.
    Copied(Vec<f64>, usize, usize),
}

/// Blocks of rows of an input, each readable as [`Features`], with its first row.
pub struct Parts<'a> {
    pub rows: usize,
    pub cols: usize,
    pub parts: Vec<(usize, Box<dyn Features + 'a>)>,
}

fn layout_of(contiguous_c: bool) -> Layout {
    if contiguous_c {
        Layout::RowMajor
    } else {
        Layout::ColMajor
    }
}

impl<'py> Input<'py> {
    /// Reads `x`: a 2-D numpy array, a `("columns", [1-D arrays], [names])` tuple, or an
    /// object with `__arrow_c_stream__`.
    pub fn extract(x: &Bound<'py, PyAny>) -> PyResult<Self> {
        let py = x.py();
        if let Ok(a) = x.extract::<PyReadonlyArray2<'py, f64>>() {
            if !(a.is_c_contiguous() || a.is_fortran_contiguous()) {
                return Err(input(py, "X must be C- or F-contiguous"));
            }
            return Ok(Input {
                source: Source::F64(a),
                names: vec![],
            });
        }
        if let Ok(a) = x.extract::<PyReadonlyArray2<'py, f32>>() {
            if !(a.is_c_contiguous() || a.is_fortran_contiguous()) {
                return Err(input(py, "X must be C- or F-contiguous"));
            }
            return Ok(Input {
                source: Source::F32(a),
                names: vec![],
            });
        }
        if let Ok(t) = x.cast::<PyTuple>()
            && t.len() == 3
            && t.get_item(0)?
                .extract::<String>()
                .is_ok_and(|s| s == "columns")
        {
            let arrays = t.get_item(1)?;
            let arrays = arrays.cast::<PyList>()?;
            let names: Vec<String> = t.get_item(2)?.extract()?;
            let mut columns = Vec::with_capacity(arrays.len());
            for (i, a) in arrays.iter().enumerate() {
                if let Ok(v) = a.extract::<PyReadonlyArray1<'py, f64>>() {
                    columns.push(Column1::F64(v));
                } else if let Ok(v) = a.extract::<PyReadonlyArray1<'py, f32>>() {
                    columns.push(Column1::F32(v));
                } else {
                    let name = names.get(i).cloned().unwrap_or_else(|| i.to_string());
                    return Err(input(
                        py,
                        format!("column '{name}' is not a float64 or float32 vector"),
                    ));
                }
            }
            return Ok(Input {
                source: Source::Columns(columns),
                names,
            });
        }
        if x.hasattr("__arrow_c_stream__")? {
            return Self::from_arrow(py, x.extract::<PyRecordBatchReader>()?);
        }
        Err(input(
            py,
            format!(
                "X must be a 2-D numpy array of float64 or float32, a DataFrame or an Arrow table, not {}",
                x.get_type().name()?
            ),
        ))
    }

    fn from_arrow(py: Python<'py>, reader: PyRecordBatchReader) -> PyResult<Self> {
        let reader = reader.into_reader()?;
        let schema = reader.schema();
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let mut batches = Vec::new();
        for batch in reader {
            let batch: RecordBatch =
                batch.map_err(|e| input(py, format!("reading the Arrow stream: {e}")))?;
            let columns = batch
                .columns()
                .iter()
                .zip(&names)
                .map(|(a, name)| arrow_column(py, a, name))
                .collect::<PyResult<Vec<_>>>()?;
            batches.push(columns);
        }
        Ok(Input {
            source: Source::Arrow(batches),
            names,
        })
    }

    /// The input as blocks of rows.
    pub fn parts(&self, py: Python<'_>) -> PyResult<Parts<'_>> {
        match &self.source {
            Source::F64(a) => {
                let [rows, cols] = shape(a.shape());
                let layout = layout_of(a.is_c_contiguous());
                let m = Matrix::with_shape(slice(py, a.as_slice())?, rows, cols, layout)
                    .or_raise(py)?;
                Ok(single(rows, cols, Box::new(m)))
            }
            Source::F32(a) => {
                let [rows, cols] = shape(a.shape());
                let layout = layout_of(a.is_c_contiguous());
                let m = Matrix::with_shape(slice(py, a.as_slice())?, rows, cols, layout)
                    .or_raise(py)?;
                Ok(single(rows, cols, Box::new(m)))
            }
            Source::Columns(columns) => {
                let values = columns
                    .iter()
                    .map(|c| {
                        Ok(match c {
                            Column1::F64(v) => ColumnValues::F64(slice(py, v.as_slice())?),
                            Column1::F32(v) => ColumnValues::F32(slice(py, v.as_slice())?),
                        })
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                let cols = values.len();
                let c = Columns::new(values, self.names.clone()).or_raise(py)?;
                Ok(single(c.rows(), cols, Box::new(c)))
            }
            Source::Arrow(batches) => {
                let cols = self.names.len();
                let mut parts = Vec::with_capacity(batches.len());
                let mut rows = 0;
                for batch in batches {
                    let values = batch.iter().map(arrow_values).collect();
                    let c = Columns::new(values, self.names.clone()).or_raise(py)?;
                    let n = c.rows();
                    parts.push((rows, Box::new(c) as Box<dyn Features>));
                    rows += n;
                }
                Ok(Parts { rows, cols, parts })
            }
        }
    }

    /// The input as one dense matrix: numpy arrays in place, column sets copied.
    pub fn dense(&self, py: Python<'_>) -> PyResult<Dense<'_>> {
        match &self.source {
            Source::F64(a) => {
                let [rows, cols] = shape(a.shape());
                let layout = layout_of(a.is_c_contiguous());
                Matrix::with_shape(slice(py, a.as_slice())?, rows, cols, layout)
                    .map(Dense::F64)
                    .or_raise(py)
            }
            Source::F32(a) => {
                let [rows, cols] = shape(a.shape());
                let layout = layout_of(a.is_c_contiguous());
                Matrix::with_shape(slice(py, a.as_slice())?, rows, cols, layout)
                    .map(Dense::F32)
                    .or_raise(py)
            }
            _ => {
                let (data, rows, cols) = self.to_col_major(py)?;
                Ok(Dense::Copied(data, rows, cols))
            }
        }
    }

    /// The values as one column-major f64 buffer (a copy: fitting reads the matrix many
    /// times, and Arrow batches are not one buffer), with its row count.
    pub fn to_col_major(&self, py: Python<'_>) -> PyResult<(Vec<f64>, usize, usize)> {
        let parts = self.parts(py)?;
        let (rows, cols) = (parts.rows, parts.cols);
        let mut out = vec![0.0; rows * cols];
        for (start, part) in &parts.parts {
            for c in 0..cols {
                for r in 0..part.rows() {
                    out[c * rows + start + r] = part.value(r, c);
                }
            }
        }
        count_copy(out.len() * 8);
        if let Some(i) = out.iter().position(|v| !v.is_finite()) {
            let (r, c) = (i % rows.max(1), i / rows.max(1));
            let label = parts.parts[0].1.column_label(c);
            return Err(crate::errors::to_py(
                py,
                &crm_core::Error::invalid(
                    "feature",
                    out[i].to_string(),
                    format!("row {r}, {label} is not a finite number"),
                ),
            ));
        }
        Ok((out, rows, cols))
    }
}

fn single<'a>(rows: usize, cols: usize, f: Box<dyn Features + 'a>) -> Parts<'a> {
    Parts {
        rows,
        cols,
        parts: vec![(0, f)],
    }
}

fn shape(s: &[usize]) -> [usize; 2] {
    [s[0], s[1]]
}

fn slice<'a, T>(py: Python<'_>, s: Result<&'a [T], numpy::AsSliceError>) -> PyResult<&'a [T]> {
    s.map_err(|_| input(py, "X must be C- or F-contiguous"))
}

fn arrow_column(py: Python<'_>, a: &ArrayRef, name: &str) -> PyResult<ArrowColumn> {
    if a.null_count() > 0 {
        let row = (0..a.len()).find(|i| a.is_null(*i)).unwrap_or(0);
        return Err(crate::errors::to_py(
            py,
            &crm_core::Error::invalid(
                "feature",
                "null",
                format!("row {row}, column '{name}' is missing (null)"),
            ),
        ));
    }
    fn widen<T: arrow_array::ArrowPrimitiveType>(a: &ArrayRef) -> Vec<f64>
    where
        T::Native: Into<f64>,
    {
        a.as_primitive::<T>()
            .values()
            .iter()
            .map(|v| (*v).into())
            .collect()
    }
    let widened = match a.data_type() {
        DataType::Float64 | DataType::Float32 => return Ok(ArrowColumn::InPlace(Arc::clone(a))),
        DataType::Int8 => widen::<Int8Type>(a),
        DataType::Int16 => widen::<Int16Type>(a),
        DataType::Int32 => widen::<Int32Type>(a),
        DataType::UInt8 => widen::<UInt8Type>(a),
        DataType::UInt16 => widen::<UInt16Type>(a),
        DataType::UInt32 => widen::<UInt32Type>(a),
        // 64-bit integers above 2^53 round to the nearest f64, as numpy's astype does.
        DataType::Int64 => a
            .as_primitive::<Int64Type>()
            .values()
            .iter()
            .map(|v| *v as f64)
            .collect(),
        DataType::UInt64 => a
            .as_primitive::<UInt64Type>()
            .values()
            .iter()
            .map(|v| *v as f64)
            .collect(),
        DataType::Boolean => {
            let b = a.as_boolean();
            (0..b.len())
                .map(|i| f64::from(u8::from(b.value(i))))
                .collect()
        }
        other => {
            return Err(input(
                py,
                format!("column '{name}' has type {other}; features must be numbers"),
            ));
        }
    };
    count_copy(widened.len() * 8);
    Ok(ArrowColumn::Widened(widened))
}

fn arrow_values(c: &ArrowColumn) -> ColumnValues<'_> {
    match c {
        ArrowColumn::Widened(v) => ColumnValues::F64(v),
        ArrowColumn::InPlace(a) => match a.data_type() {
            DataType::Float32 => ColumnValues::F32(a.as_primitive::<Float32Type>().values()),
            _ => ColumnValues::F64(a.as_primitive::<Float64Type>().values()),
        },
    }
}
