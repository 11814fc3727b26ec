//! `Job`: progress and cancellation of a long call (`crm_core::job`). Pass one as the last
//! argument of a Promise variant (`importCsvAsync(…, job)`); read `job.progress` while it
//! runs (a progress bar), call `job.cancel()` (a cancel button, an `AbortSignal`'s
//! listener) to stop it at its next checkpoint: the Promise then rejects with code
//! `cancelled`, and what was committed before stays.

use napi_derive::napi;

/// How far a job got: units done (rows, records) and, when known, in all.
#[napi(object)]
pub struct JobProgress {
    /// Units done.
    pub done: f64,
    /// Units in all, when known.
    pub total: Option<f64>,
}

/// A handle on a long call: its progress, and a way to stop it.
#[napi]
#[derive(Default)]
pub struct Job {
    pub(crate) inner: crm_core::job::Job,
}

#[napi]
impl Job {
    /// A job for one call: nothing done yet, not cancelled.
    #[napi(constructor)]
    pub fn new() -> Job {
        Job::default()
    }

    /// Stops the call at its next checkpoint (between batches, pages, chunks).
    #[napi]
    pub fn cancel(&self) {
        self.inner.cancel();
    }

    /// Whether `cancel()` was called.
    #[napi(getter)]
    pub fn cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }

    /// How far the call got at its last checkpoint.
    #[napi(getter)]
    #[allow(clippy::cast_precision_loss)]
    pub fn progress(&self) -> JobProgress {
        let p = self.inner.progress();
        JobProgress {
            done: p.done as f64,
            total: p.total.map(|t| t as f64),
        }
    }
}
