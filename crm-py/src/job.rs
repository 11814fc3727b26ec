//! `crm_core.Job`: progress and cancellation of a long call (`crm_core::job`). Pass one as
//! `job=` to a long method (or its `_async` twin); read `job.progress` from another thread
//! or the event loop while it runs, call `job.cancel()` to stop it at its next checkpoint
//! (`CancelledError`; what was committed before stays).

use pyo3::prelude::*;

/// A handle on a long call: its progress, and a way to stop it.
#[pyclass(module = "crm_core", frozen)]
#[derive(Default)]
pub struct Job {
    pub(crate) inner: crm_core::job::Job,
}

#[pymethods]
impl Job {
    /// A job for one call: nothing done yet, not cancelled.
    #[new]
    fn new() -> Self {
        Job::default()
    }

    /// Stops the call at its next checkpoint (between batches, pages, chunks).
    fn cancel(&self) {
        self.inner.cancel();
    }

    /// Whether `cancel()` was called.
    #[getter]
    fn cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }

    /// `(done, total)` at the last checkpoint: units done (rows, records) and, when known,
    /// in all (else None).
    #[getter]
    fn progress(&self) -> (usize, Option<usize>) {
        let p = self.inner.progress();
        (p.done, p.total)
    }

    fn __repr__(&self) -> String {
        let p = self.inner.progress();
        format!(
            "Job(done={}, total={}, cancelled={})",
            p.done,
            p.total
                .map_or_else(|| "None".to_string(), |t| t.to_string()),
            self.inner.is_cancelled()
        )
    }
}
