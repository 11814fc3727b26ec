//! Progress and cancellation of long work: a [`Job`] is a handle the caller keeps while a
//! use case runs under it ([`Job::run`]); the work reports how far it got at its
//! checkpoints ([`checkpoint`]: between an import's batches, a listing's pages, a
//! re-scoring's chunks) and stops there with [`Error::Cancelled`] once the job is
//! cancelled — from another thread, a UI's cancel button, a JS `AbortSignal`, a Kotlin
//! coroutine's cancellation. What was committed before the checkpoint stays committed.
//!
//! Work that runs without a job has nothing to report to and is never cancelled: the
//! checkpoints cost a thread-local read.
//!
//! ```
//! use crm_core::job::{self, Job};
//!
//! let job = Job::new();
//! job.cancel();
//! let outcome = job.run(|| -> crm_core::Result<usize> {
//!     for batch in 0..10usize {
//!         job::checkpoint(batch * 100, Some(1000))?; // stops here: cancelled
//!     }
//!     Ok(1000)
//! });
//! assert_eq!(outcome.unwrap_err().code(), "cancelled");
//! assert_eq!(job.progress().done, 0);
//! ```

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::{Error, Result};

/// `total` when it is not known.
const UNKNOWN: usize = usize::MAX;

/// A handle on long work: its progress, and a way to stop it. Cheap to clone; every clone
/// is the same job.
#[derive(Debug, Clone, Default)]
pub struct Job {
    state: Arc<State>,
}

#[derive(Debug)]
struct State {
    cancelled: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Default for State {
    fn default() -> Self {
        State {
            cancelled: AtomicBool::new(false),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(UNKNOWN),
        }
    }
}

/// How far a job got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Progress {
    /// Units done (rows, records).
    pub done: usize,
    /// Units in all, when known.
    pub total: Option<usize>,
}

thread_local! {
    static CURRENT: RefCell<Option<Job>> = const { RefCell::new(None) };
}

impl Job {
    /// A job not yet started: nothing done, not cancelled.
    pub fn new() -> Job {
        Job::default()
    }

    /// Asks the work to stop at its next checkpoint (any thread; idempotent).
    pub fn cancel(&self) {
        self.state.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Job::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.state.cancelled.load(Ordering::Relaxed)
    }

    /// How far the work got at its last checkpoint.
    pub fn progress(&self) -> Progress {
        let total = self.state.total.load(Ordering::Relaxed);
        Progress {
            done: self.state.done.load(Ordering::Relaxed),
            total: (total != UNKNOWN).then_some(total),
        }
    }

    /// Runs `f` on this thread under this job: its checkpoints report here and stop when
    /// the job is cancelled. Jobs nest (the inner one counts while it runs).
    pub fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        struct Restore(Option<Job>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|c| *c.borrow_mut() = previous);
            }
        }
        let previous = CURRENT.with(|c| c.borrow_mut().replace(self.clone()));
        let _restore = Restore(previous);
        f()
    }
}

/// A checkpoint of long work: records `done` (and `total`, when known) on the job the
/// thread runs under, and stops the work with [`Error::Cancelled`] if that job was
/// cancelled. Without a job: nothing to record, never cancelled.
///
/// # Errors
/// [`Error::Cancelled`] when the current job is cancelled.
pub fn checkpoint(done: usize, total: Option<usize>) -> Result<()> {
    CURRENT.with(|c| {
        let current = c.borrow();
        let Some(job) = current.as_ref() else {
            return Ok(());
        };
        let state = &job.state;
        state.done.store(done, Ordering::Relaxed);
        state
            .total
            .store(total.unwrap_or(UNKNOWN), Ordering::Relaxed);
        if state.cancelled.load(Ordering::Relaxed) {
            return Err(Error::Cancelled { done, total });
        }
        Ok(())
    })
}

/// The job this thread runs under, if any: for work that hands parts to other threads
/// and wants their checkpoints to count ([`Job::run`] on each).
pub fn current() -> Option<Job> {
    CURRENT.with(|c| c.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_report_progress_and_stop_once_cancelled() {
        let job = Job::new();
        assert_eq!(
            job.progress(),
            Progress {
                done: 0,
                total: None
            }
        );
        let worker = job.clone();
        let handle = std::thread::spawn(move || {
            worker.run(|| -> Result<u64> {
                let mut n = 0;
                loop {
                    checkpoint(n, Some(1_000_000))?;
                    n += 1;
                    std::thread::yield_now();
                }
            })
        });
        while job.progress().done < 10 {
            std::thread::yield_now();
        }
        job.cancel();
        let err = handle.join().unwrap().unwrap_err();
        let Error::Cancelled { done, total } = err else {
            panic!("{err:?}")
        };
        assert!(done >= 10);
        assert_eq!(total, Some(1_000_000));
        assert_eq!(job.progress().done, done);
    }

    #[test]
    fn without_a_job_checkpoints_do_nothing_and_jobs_nest() {
        assert!(checkpoint(5, None).is_ok());
        assert!(current().is_none());
        let outer = Job::new();
        let inner = Job::new();
        inner.cancel();
        outer.run(|| {
            checkpoint(1, None).unwrap();
            let stopped = inner.run(|| checkpoint(2, Some(3)));
            assert_eq!(stopped.unwrap_err().code(), "cancelled");
            // back under the outer job
            checkpoint(4, None).unwrap();
        });
        assert_eq!(outer.progress().done, 4);
        assert_eq!(
            inner.progress(),
            Progress {
                done: 2,
                total: Some(3)
            }
        );
        assert!(current().is_none());
    }
}
