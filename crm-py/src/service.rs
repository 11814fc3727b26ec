//! The service desk for Python: business calendars (due dates one at a time, or a million
//! at once from numpy with the GIL released).

use chrono::Duration;
use crm_core::service::BusinessCalendar;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::convert::{self, instant};
use crate::errors::{OrRaise, input};

/// A business calendar (crm-core's `BusinessCalendar`).
#[pyclass(frozen, module = "crm_core._crm_core", name = "BusinessCalendar")]
pub struct PyBusinessCalendar(pub(crate) BusinessCalendar);

#[pymethods]
impl PyBusinessCalendar {
    /// A calendar from its JSON form: `{"time_zone", "intervals": [{"weekday": "Mon",
    /// "start": "09:00:00", "end": "17:00:00"}], "holidays": ["2026-12-25"],
    /// "exceptions": {"2026-12-24": [["09:00:00", "12:00:00"]]}}`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let c: BusinessCalendar = convert::parse(py, "business calendar", text)?;
        c.checked().map(PyBusinessCalendar).or_raise(py)
    }

    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        convert::json(py, &self.0)
    }

    /// The instant `seconds` of working time after `start` (RFC 3339 in and out).
    fn add(&self, py: Python<'_>, start: &str, seconds: i64) -> PyResult<String> {
        let start = instant(py, start)?;
        let due = self.0.add(start, Duration::seconds(seconds)).or_raise(py)?;
        Ok(crm_core::time::format_rfc3339(due))
    }

    /// Working seconds between two instants (RFC 3339).
    fn between(&self, py: Python<'_>, from: &str, to: &str) -> PyResult<i64> {
        let (from, to) = (instant(py, from)?, instant(py, to)?);
        Ok(self.0.between(from, to).num_seconds())
    }

    /// Due instants for many starts (seconds since the epoch, UTC) and working durations
    /// (seconds): through one precomputed timeline, the GIL released.
    fn add_many<'py>(
        &self,
        py: Python<'py>,
        starts: PyReadonlyArray1<'py, i64>,
        seconds: PyReadonlyArray1<'py, i64>,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let starts = starts
            .as_slice()
            .map_err(|_| input(py, "starts must be a contiguous int64 vector"))?;
        let seconds = seconds
            .as_slice()
            .map_err(|_| input(py, "seconds must be a contiguous int64 vector"))?;
        if starts.len() != seconds.len() {
            return Err(input(
                py,
                format!("{} starts for {} durations", starts.len(), seconds.len()),
            ));
        }
        let out = py
            .detach(|| self.0.add_many(starts, seconds))
            .or_raise(py)?;
        Ok(PyArray1::from_vec(py, out))
    }
}
