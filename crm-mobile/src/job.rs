//! `CrmJob` (named apart from kotlinx.coroutines.Job): progress and cancellation of a long call (`crm_core::job`) from Kotlin and Swift.
//! Pass one to an `async` twin (`importCsvAsync(…, job = job)`) to read its progress while
//! it runs; cancelling the caller's coroutine or task cancels the work too (at its next
//! checkpoint), with or without a `Job`.

use std::sync::Arc;

use crm_core::job::Progress;

/// A handle on a long call: its progress, and a way to stop it.
#[derive(uniffi::Object, Default)]
pub struct CrmJob {
    pub(crate) inner: crm_core::job::Job,
}

#[uniffi::export]
impl CrmJob {
    /// A job for one call: nothing done yet, not cancelled.
    #[uniffi::constructor]
    pub fn new() -> Arc<CrmJob> {
        Arc::new(CrmJob::default())
    }

    /// Stops the call at its next checkpoint (between batches, pages, chunks); it then
    /// fails with `CrmException.Cancelled`, and what it committed before stays.
    pub fn cancel(&self) {
        self.inner.cancel();
    }

    /// Whether `cancel()` was called (or the caller's coroutine was cancelled).
    pub fn is_cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }

    /// How far the call got at its last checkpoint.
    pub fn progress(&self) -> Progress {
        self.inner.progress()
    }
}
