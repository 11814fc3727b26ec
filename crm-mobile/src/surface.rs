//! The namespaces of `CrmStore` (`store.leads().capture(…)` in Kotlin and Swift), generated
//! from crm-core's declaration of every use case (`crm_core::for_each_use_case!`): nothing
//! here names a use case. Each namespace is a uniffi object sharing the store; each declared
//! use case is one method of it, taking and returning crm-core's own records, with `now`
//! optional (the current time when null). A use case the declaration marks long also gets
//! its `async` twin (`importCsvAsync`: a `suspend fun` in Kotlin, `async` in Swift): the
//! work runs on a thread of its own and the caller's coroutine is suspended, not blocked.

use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

use crm_core::Crm;
use crm_core::surface::prelude::*;
use crm_core::uniffi_types::{CrmError, guarded};
use crm_sqlite::SqliteStore;

use crate::job::CrmJob;
use crate::store::CrmStore;

/// The instant of a change: the one given, or now.
fn at(t: Option<SystemTime>) -> DateTime<Utc> {
    t.map_or_else(Utc::now, DateTime::from)
}

/// One use case as a method, in an `impl` block of its own (the optional `now` needs its
/// own attribute).
macro_rules! mobile_method {
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] ($($arg:ident : $ty:ty),*)
        [$now:ident] -> $ret:ty) => {
        #[uniffi::export]
        impl $View {
            $(#[doc = $doc])*
            #[uniffi::method(default($now = None))]
            pub fn $name(&self, $($arg: $ty,)* $now: Option<SystemTime>) -> Result<$ret, CrmError> {
                guarded(|| self.crm.$ns().$name($($arg,)* at($now)))
            }
        }
    };
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] ($($arg:ident : $ty:ty),*)
        [] -> $ret:ty) => {
        #[uniffi::export]
        impl $View {
            $(#[doc = $doc])*
            pub fn $name(&self, $($arg: $ty),*) -> Result<$ret, CrmError> {
                guarded(|| self.crm.$ns().$name($($arg),*))
            }
        }
    };
}

/// Runs `work` on a thread of its own under `job`; the future resolves with its result.
/// Dropping the future before it resolves (a cancelled coroutine or Swift task) cancels
/// the job: the work stops at its next checkpoint.
fn off_thread<T: Send + 'static>(
    job: crm_core::job::Job,
    work: impl FnOnce() -> Result<T, CrmError> + Send + 'static,
) -> impl Future<Output = Result<T, CrmError>> {
    struct CancelOnDrop(Option<crm_core::job::Job>);
    impl Drop for CancelOnDrop {
        fn drop(&mut self) {
            if let Some(job) = self.0.take() {
                job.cancel();
            }
        }
    }
    let (done, result) = futures_channel::oneshot::channel();
    let worker = job.clone();
    let spawned = std::thread::Builder::new()
        .name("crm-mobile-async".into())
        .spawn(move || {
            // the receiver is gone when the caller stopped waiting
            let _ = done.send(worker.run(work));
        });
    async move {
        let mut armed = CancelOnDrop(Some(job));
        let outcome = match spawned {
            Ok(_) => result.await.unwrap_or_else(|_| {
                Err(CrmError::from(crm_core::Error::Internal {
                    message: "the work's thread ended without a result".into(),
                }))
            }),
            Err(e) => Err(CrmError::from(crm_core::Error::Internal {
                message: format!("no thread for the work: {e}"),
            })),
        };
        armed.0 = None; // resolved: nothing to cancel
        outcome
    }
}

/// The job of an `async` twin: the caller's, or one of its own (for cancellation).
fn job_of(job: Option<Arc<CrmJob>>) -> crm_core::job::Job {
    job.map(|j| j.inner.clone()).unwrap_or_default()
}

/// The `async` twin of a long use case (none for the others).
macro_rules! mobile_async {
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] ($($arg:ident : $ty:ty),*)
        [$($now:ident)?] -> $ret:ty, []) => {};
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] ($($arg:ident : $ty:ty),*)
        [$now:ident] -> $ret:ty, [$async_name:ident]) => {
        #[uniffi::export]
        impl $View {
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = "Suspends the caller while the work runs on a thread of its own; a `job`"]
            #[doc = "reports its progress, and cancelling the caller cancels the work."]
            #[uniffi::method(default($now = None, job = None))]
            pub async fn $async_name(&self, $($arg: $ty,)* $now: Option<SystemTime>,
                job: Option<Arc<CrmJob>>) -> Result<$ret, CrmError> {
                let crm = Arc::clone(&self.crm);
                off_thread(job_of(job), move || guarded(|| crm.$ns().$name($($arg,)* at($now))))
                    .await
            }
        }
    };
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] ($($arg:ident : $ty:ty),*)
        [] -> $ret:ty, [$async_name:ident]) => {
        #[uniffi::export]
        impl $View {
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = "Suspends the caller while the work runs on a thread of its own; a `job`"]
            #[doc = "reports its progress, and cancelling the caller cancels the work."]
            #[uniffi::method(default(job = None))]
            pub async fn $async_name(&self, $($arg: $ty,)* job: Option<Arc<CrmJob>>)
                -> Result<$ret, CrmError> {
                let crm = Arc::clone(&self.crm);
                off_thread(job_of(job), move || guarded(|| crm.$ns().$name($($arg),*))).await
            }
        }
    };
}

macro_rules! mobile_surface {
    ($(
        $(#[doc = $ns_doc:literal])*
        $ns:ident $View:ident {
            $(
                $(#[doc = $doc:literal])*
                fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(at $now:ident)?
                    -> $ret:ty $(, async $async_name:ident)? $(, every $every:ident)?
                    => |$crm:ident| $body:expr;
            )*
        }
    )*) => {
        $(
            $(#[doc = $ns_doc])*
            #[derive(uniffi::Object)]
            pub struct $View {
                crm: Arc<Crm<SqliteStore>>,
            }

            $(
                mobile_method!($View $ns $name [$($doc)*] ($($arg : $ty),*) [$($now)?] -> $ret);
                mobile_async!($View $ns $name [$($doc)*] ($($arg : $ty),*) [$($now)?] -> $ret,
                    [$($async_name)?]);
            )*
        )*

        #[uniffi::export]
        impl CrmStore {
            $(
                $(#[doc = $ns_doc])*
                pub fn $ns(&self) -> Arc<$View> {
                    Arc::new($View { crm: self.crm.clone() })
                }
            )*
        }
    };
}

crm_core::for_each_use_case!(mobile_surface);
