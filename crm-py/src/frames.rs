//! Listings as Arrow tables (`crm.table("lead")`, `crm.frame("events.since", …)`): the
//! columns are laid out by crm-core's `surface::columns` from the record type, built with
//! the GIL released, and handed to Python without a copy (a `pyarrow.Table`, or pyo3-arrow's
//! table with the Arrow PyCapsule stream interface when pyarrow is not installed).

use std::str::FromStr;

use chrono::Utc;
use crm_core::store::EntityKind;
use crm_core::surface::columns::{self, Columns, Table};
use crm_core::surface::model::Plan;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyTable;
use serde_json::{Map, Value};

use crate::errors::OrRaise;
use crate::model;
use crate::surface::Crm;

/// The table as Python sees it: pyarrow's when pyarrow is there.
fn to_python(py: Python<'_>, (schema, batches): Table) -> PyResult<Bound<'_, PyAny>> {
    let table = PyTable::try_new(batches, schema)?;
    if py.import("pyarrow").is_ok() {
        table.into_pyarrow(py)
    } else {
        Ok(Bound::new(py, table)?.into_any())
    }
}

#[pymethods]
impl Crm {
    /// Every stored record of `kind` (`"lead"`, `"account"`, `"contact"`, `"opportunity"`,
    /// `"activity"`, `"touchpoint"`, `"service_case"`, `"quote"`, …) as an Arrow table (in
    /// chunks), in id order, read straight from the store's bytes on every core: the fast
    /// way to a frame (`pl.from_arrow(table, rechunk=False)`,
    /// `table.to_pandas(types_mapper=pd.ArrowDtype)`, DuckDB). Columns are laid out flat from
    /// the record type: nested fields as `data.first_name`, an enum as its variant's name
    /// (`status`) beside its fields (`status.reason`), lists and maps as JSON text; days,
    /// instants and decimals in Arrow's own types. An empty store gives every column.
    fn table<'py>(&self, py: Python<'py>, kind: &str) -> PyResult<Bound<'py, PyAny>> {
        let model = &model::model(py)?.declared;
        let batch = py
            .detach(|| {
                crm_core::error::catch_panic(|| {
                    let kind = EntityKind::from_str(kind)?;
                    self.handle.with(|crm| columns::stored(crm, model, kind))
                })
            })
            .or_raise(py)?;
        to_python(py, batch)
    }

    /// The result of any use case as an Arrow table, a row per record of a list
    /// (`crm.frame("events.since", after=0, limit=100_000)`,
    /// `crm.frame("leads.with_status", status="qualified")`); arguments as the method takes
    /// them. Laid out as [`Crm.table`] lays out records.
    #[pyo3(signature = (call, **args))]
    fn frame<'py>(
        &self,
        py: Python<'py>,
        call: &str,
        args: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let model = &model::model(py)?.declared;
        let (namespace, name) = call.split_once('.').unwrap_or(("", call));
        let Some(signature) = model.use_case(namespace, name) else {
            return Err(crate::errors::input(py, format!("no use case `{call}`")));
        };
        let mut json = Map::new();
        for (key, value) in args.iter().flat_map(|a| a.iter()) {
            let key: String = key.extract()?;
            let value = crate::pyjson::to_json(&value, &key).or_raise(py)?;
            json.insert(key, value);
        }
        let row = match model.resolve(&signature.returns) {
            Plan::List(item) => item.as_ref(),
            Plan::Optional(inner) => inner.as_ref(),
            other => other,
        };
        let batch = py
            .detach(|| {
                crm_core::error::catch_panic(|| {
                    let result = self.handle.with(|crm| {
                        crm_core::surface::invoke(crm, namespace, name, &json, Utc::now())
                    })?;
                    let mut columns = Columns::new(model, row);
                    match result {
                        Value::Array(items) => {
                            for item in &items {
                                columns.push(item)?;
                            }
                        }
                        Value::Null => {}
                        one => columns.push(&one)?,
                    }
                    Columns::finish_parts(vec![columns])
                })
            })
            .or_raise(py)?;
        to_python(py, batch)
    }
}
