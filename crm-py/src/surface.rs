//! The `Crm` class and its namespaces (`crm.leads.capture(…)`), generated from crm-core's
//! declaration of every use case (`crm_core::for_each_use_case!`): nothing here names a
//! use case. Each declared use case becomes one snake_case method of its namespace class,
//! with an `async` twin (`import_csv_async`, awaitable, run on a worker thread) where the
//! declaration marks it long.
//!
//! Arguments are Python values read through [`crate::pyjson`] into crm-core's types (dicts
//! for inputs, `date`/`datetime`/`Decimal`, records read earlier); `now` is optional (an
//! aware `datetime`, the current time when omitted). Every call runs with the GIL released
//! behind crm-core's panic guard; results come back as the typed records of
//! `crm_core.records` ([`crate::model`]).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use crm_core::surface::model::Plan;
use crm_core::surface::prelude::*;
use crm_core::{Crm as CoreCrm, Region};
use crm_stores::{AnyStore, OpenOptions};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors::OrRaise;
use crate::model;

/// The CRM behind every namespace object; `close()` empties it.
pub(crate) struct Handle {
    crm: RwLock<Option<CoreCrm<AnyStore>>>,
}

impl Handle {
    /// Runs `f` on the open CRM; a closed handle is a storage error (not retryable).
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&CoreCrm<AnyStore>) -> crm_core::Result<T>,
    ) -> crm_core::Result<T> {
        let guard = self.crm.read().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(crm) => f(crm),
            None => Err(crm_core::Error::Storage {
                message: "the CRM is closed".into(),
                store_code: Some("closed".into()),
                retryable: false,
            }),
        }
    }
}

/// Reads argument `name` of a use case from its Python value (`None` when not given).
pub(crate) fn arg<T: DeserializeOwned>(
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> crm_core::Result<T> {
    let json = match value {
        Some(v) => crate::pyjson::to_json(v, name)?,
        None => serde_json::Value::Null,
    };
    crm_core::surface::read_value(name, &json, str::to_string).map_err(|e| match value {
        // left out, and not optional
        None => crm_core::Error::Input {
            message: format!("the argument `{name}` is required"),
        },
        Some(_) => e,
    })
}

/// The instant of a change: an aware `datetime`, or now when not given.
pub(crate) fn now(value: Option<&Bound<'_, PyAny>>) -> crm_core::Result<DateTime<Utc>> {
    match value {
        None => Ok(Utc::now()),
        Some(v) if v.is_none() => Ok(Utc::now()),
        Some(v) => arg("now", Some(v)),
    }
}

/// Runs a use case: arguments read with the GIL held, the work with it released behind
/// the panic guard, the result turned into Python objects by the plan of the use case's
/// declared type (straight from the Rust value: [`crate::pyser`]). A listing (declared
/// `every Record`) reads the stored documents instead and makes its records straight from
/// their JSON ([`crate::pyde`]); debug builds check that against the typed path.
pub(crate) fn run<'py, A: Send, T: Serialize + Send>(
    py: Python<'py>,
    handle: &Handle,
    namespace: &str,
    name: &str,
    read: impl FnOnce() -> crm_core::Result<A>,
    work: impl FnOnce(&CoreCrm<AnyStore>, A) -> crm_core::Result<T> + Send,
) -> PyResult<Bound<'py, PyAny>> {
    let args = read().or_raise(py)?;
    let model = model::model(py)?;
    let plan = match model.core.use_case(namespace, name) {
        Some(signature) => &signature.returns,
        None => &Plan::Any,
    };
    let listed = match plan {
        Plan::List(item) if is_listing(namespace, name) => {
            let docs = py
                .detach(|| {
                    crm_core::error::catch_panic(|| {
                        handle.with(|crm| {
                            crm_core::surface::documents(crm, namespace, name)
                                .unwrap_or_else(|| Ok(Default::default()))
                        })
                    })
                })
                .or_raise(py)?;
            without_gc(py, || crate::pyde::documents(model, py, item, &docs))?
        }
        _ => None,
    };
    if let Some(list) = &listed
        && !cfg!(debug_assertions)
    {
        return Ok(list.clone().into_any());
    }
    let result = py
        .detach(|| crm_core::error::catch_panic(|| handle.with(|crm| work(crm, args))))
        .or_raise(py)?;
    // Python's cyclic GC would run again and again over a large result while its records
    // are made (they are tuples, which it tracks): paused for the conversion, as it was
    let typed = without_gc(py, || crate::pyser::to_python(model, py, plan, &result))?;
    match listed {
        Some(list) if !list.eq(&typed)? => Err(crate::errors::internal(
            py,
            format!(
                "`{namespace}.{name}` read from the stored documents differs from the typed \
                 records: {} != {}",
                list.repr()?,
                typed.repr()?
            ),
        )),
        _ => Ok(typed),
    }
}

/// Whether `namespace.name` is a listing (declared `every Record`).
fn is_listing(namespace: &str, name: &str) -> bool {
    crm_core::surface::USE_CASES
        .iter()
        .any(|c| c.every.is_some() && c.namespace == namespace && c.name == name)
}

/// Runs `f` with Python's cyclic garbage collector paused (if it was on), then restores it.
fn without_gc<'py, T>(py: Python<'py>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    let gc = py.import("gc")?;
    let was_on: bool = gc.call_method0("isenabled")?.extract()?;
    if was_on {
        gc.call_method0("disable")?;
    }
    let out = f();
    if was_on {
        gc.call_method0("enable")?;
    }
    out
}

/// The awaitable twin of a method: `asyncio.to_thread` of the method with these arguments
/// (the work releases the GIL, so the event loop runs meanwhile).
pub(crate) fn off_thread<'py>(
    slf: &Bound<'py, PyAny>,
    method: &str,
    args: Vec<Option<Bound<'py, PyAny>>>,
    job: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    let bound = slf.getattr(method)?;
    let args: Vec<Bound<'py, PyAny>> = args
        .into_iter()
        .map(|a| a.unwrap_or_else(|| py.None().into_bound(py)))
        .collect();
    let mut call = vec![bound];
    call.extend(args);
    let kwargs = PyDict::new(py);
    if let Some(job) = job {
        kwargs.set_item("job", job)?;
    }
    py.import("asyncio")?
        .getattr("to_thread")?
        .call(PyTuple::new(py, call)?, Some(&kwargs))
}

/// Reads a use case's parameter list, token by token, into its Python signature (an
/// `Option<…>` parameter defaults to None, the others are required) and its typed list,
/// then hands both to [`py_method!`].
macro_rules! py_params {
    (@go [] [$($sig:tt)*] [$($typed:tt)*] $($ctx:tt)*) => {
        py_method!($($ctx)* [$($sig)*] [$($typed)*]);
    };
    (@go [$arg:ident : Option<$inner:ty> $(, $($rest:tt)*)?] [$($sig:tt)*] [$($typed:tt)*] $($ctx:tt)*) => {
        py_params!(@go [$($($rest)*)?] [$($sig)* $arg = None,] [$($typed)* $arg : Option<$inner>,] $($ctx)*);
    };
    (@go [$arg:ident : $ty:ty $(, $($rest:tt)*)?] [$($sig:tt)*] [$($typed:tt)*] $($ctx:tt)*) => {
        py_params!(@go [$($($rest)*)?] [$($sig)* $arg,] [$($typed)* $arg : $ty,] $($ctx)*);
    };
}

/// One use case as a method, in a `#[pymethods]` block of its own (pyo3's
/// `multiple-pymethods`), with its awaitable twin when it has one.
macro_rules! py_method {
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] [$($now:ident)?] []
        [$($sig:tt)*] [$($arg:ident : $ty:ty,)*]) => {
        #[pymethods]
        impl $View {
            $(#[doc = $doc])*
            #[pyo3(signature = ($($sig)* $($now = None)?))]
            fn $name<'py>(
                &self,
                py: Python<'py>,
                $($arg: Option<Bound<'py, PyAny>>,)*
                $($now: Option<Bound<'py, PyAny>>,)?
            ) -> PyResult<Bound<'py, PyAny>> {
                run(
                    py,
                    &self.handle,
                    stringify!($ns),
                    stringify!($name),
                    || Ok(($(arg::<$ty>(stringify!($arg), $arg.as_ref())?,)* $(now($now.as_ref())?,)?)),
                    |crm, ($($arg,)* $($now,)?)| crm.$ns().$name($($arg,)* $($now)?),
                )
            }
        }
    };
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] [$($now:ident)?] [$async_name:ident]
        [$($sig:tt)*] [$($arg:ident : $ty:ty,)*]) => {
        #[pymethods]
        impl $View {
            $(#[doc = $doc])*
            ///
            /// Long: a `crm_core.Job` passed as `job` reports its progress and can cancel it
            /// (`CancelledError` at the next checkpoint; what was committed stays).
            #[pyo3(signature = ($($sig)* $($now = None,)? *, job = None))]
            #[allow(clippy::too_many_arguments)] // one per declared parameter
            fn $name<'py>(
                &self,
                py: Python<'py>,
                $($arg: Option<Bound<'py, PyAny>>,)*
                $($now: Option<Bound<'py, PyAny>>,)?
                job: Option<PyRef<'py, crate::job::Job>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let under = job.map(|j| j.inner.clone()).unwrap_or_default();
                run(
                    py,
                    &self.handle,
                    stringify!($ns),
                    stringify!($name),
                    || Ok(($(arg::<$ty>(stringify!($arg), $arg.as_ref())?,)* $(now($now.as_ref())?,)?)),
                    move |crm, ($($arg,)* $($now,)?)| under.run(|| crm.$ns().$name($($arg,)* $($now)?)),
                )
            }
        }

        #[pymethods]
        impl $View {
            $(#[doc = $doc])*
            ///
            /// Awaitable: runs on a worker thread (`asyncio.to_thread`), the event loop free;
            /// `job` as for the method without `_async`.
            #[pyo3(signature = ($($sig)* $($now = None,)? *, job = None))]
            fn $async_name<'py>(
                slf: &Bound<'py, Self>,
                $($arg: Option<Bound<'py, PyAny>>,)*
                $($now: Option<Bound<'py, PyAny>>,)?
                job: Option<Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                off_thread(slf.as_any(), stringify!($name), vec![$($arg,)* $($now,)?], job)
            }
        }
    };
}

macro_rules! py_surface {
    ($(
        $(#[doc = $ns_doc:literal])*
        $ns:ident $View:ident {
            $(
                $(#[doc = $doc:literal])*
                fn $name:ident ( $($params:tt)* ) $(at $now:ident)?
                    -> $ret:ty $(, async $async_name:ident)? $(, every $every:ident)?
                    => |$crm:ident| $body:expr;
            )*
        }
    )*) => {
        $(
            $(#[doc = $ns_doc])*
            #[pyclass(frozen, module = "crm_core")]
            pub struct $View {
                handle: Arc<Handle>,
            }

            $(
                py_params!(@go [$($params)*] [] []
                    $View $ns $name [$($doc)*] [$($now)?] [$($async_name)?]);
            )*
        )*

        #[pymethods]
        impl Crm {
            $(
                $(#[doc = $ns_doc])*
                #[getter]
                fn $ns(&self) -> $View {
                    $View { handle: self.handle.clone() }
                }
            )*
        }

        /// Registers the namespace classes in the module.
        pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            m.add_class::<Crm>()?;
            $(m.add_class::<$View>()?;)*
            Ok(())
        }
    };
}

/// The CRM on the embedded SQLite store (a file, or in memory): its use cases are in the
/// namespaces `leads`, `customers`, `sales`, `quotes`, `service`, `marketing`, `scoring`,
/// `events` and `records`. Use it as a context manager (or call `close()`) to close the store.
#[pyclass(frozen, module = "crm_core")]
pub struct Crm {
    pub(crate) handle: Arc<Handle>,
    region: String,
}

impl Crm {
    fn new(store: AnyStore, region: Region, code: &str) -> Crm {
        Crm {
            region: code.trim().to_ascii_uppercase(),
            handle: Arc::new(Handle {
                crm: RwLock::new(Some(CoreCrm::new(store, region))),
            }),
        }
    }
}

#[pymethods]
impl Crm {
    /// Opens the CRM at `path`: a SQLite file (made when missing), or a PostgreSQL
    /// database for a `postgresql://user:password@host/db` URL (several processes and
    /// servers share it). `region` is the default region of phone numbers;
    /// `busy_timeout` (seconds) is how long a write waits for another writer before a
    /// retryable `StorageError`.
    #[staticmethod]
    #[pyo3(signature = (path, region = "US", busy_timeout = 30.0))]
    fn open(
        py: Python<'_>,
        path: std::path::PathBuf,
        region: &str,
        busy_timeout: f64,
    ) -> PyResult<Crm> {
        py.detach(|| {
            let code = region;
            let region = Region::parse(code)?;
            let timeout = Duration::try_from_secs_f64(busy_timeout).map_err(|_| {
                crm_core::Error::invalid("busy_timeout", busy_timeout.to_string(), "seconds from 0")
            })?;
            let location = path.to_str().ok_or_else(|| {
                crm_core::Error::invalid("path", path.display().to_string(), "not UTF-8")
            })?;
            let store = AnyStore::open_with(location, &OpenOptions::waiting(timeout))?;
            Ok(Crm::new(store, region, code))
        })
        .or_raise(py)
    }

    /// A CRM in memory (gone when closed): for tests, notebooks and scratch work.
    #[staticmethod]
    #[pyo3(signature = (region = "US"))]
    fn in_memory(py: Python<'_>, region: &str) -> PyResult<Crm> {
        (|| {
            let code = region;
            let region = Region::parse(code)?;
            Ok(Crm::new(AnyStore::in_memory()?, region, code))
        })()
        .or_raise(py)
    }

    /// The default region of phone numbers (`US`).
    #[getter]
    fn default_region(&self) -> &str {
        &self.region
    }

    /// Closes the store; every later call raises `StorageError` (code `storage`). Waits
    /// for calls under way.
    fn close(&self, py: Python<'_>) {
        py.detach(|| {
            let mut guard = self.handle.crm.write().unwrap_or_else(|e| e.into_inner());
            guard.take();
        });
    }

    /// A handle on the same store acting as `actor` (`"user:alice"`, `"system:import"`):
    /// every event its calls record names them. Cheap (the store is shared); closing one
    /// handle leaves the others open.
    fn as_actor(&self, py: Python<'_>, actor: &str) -> PyResult<Crm> {
        let actor: crm_core::Actor = actor.parse().or_raise(py)?;
        let crm = self
            .handle
            .with(|crm| Ok(crm.as_actor(actor.clone())))
            .or_raise(py)?;
        Ok(Crm {
            region: self.region.clone(),
            handle: Arc::new(Handle {
                crm: RwLock::new(Some(crm)),
            }),
        })
    }

    /// A handle on the same store bound to the user with `login`: every call through it
    /// sees only what that user may see and changes only what they may change, and is
    /// refused the rest with `ForbiddenError` (code `forbidden`). Raises `ForbiddenError`
    /// for an unknown or deactivated user.
    fn as_user(&self, py: Python<'_>, login: &str) -> PyResult<Crm> {
        let crm = py
            .detach(|| self.handle.with(|crm| crm.as_user(login)))
            .or_raise(py)?;
        Ok(Crm {
            region: self.region.clone(),
            handle: Arc::new(Handle {
                crm: RwLock::new(Some(crm)),
            }),
        })
    }

    /// The login of the user whose access this handle enforces (`None`: the host app,
    /// which may do everything).
    #[getter]
    fn user(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.handle
            .with(|crm| Ok(crm.user_login().map(str::to_string)))
            .or_raise(py)
    }

    /// Who this handle acts as (`"system:host"` unless made by `as_actor`).
    #[getter]
    fn actor(&self, py: Python<'_>) -> PyResult<String> {
        self.handle
            .with(|crm| Ok(crm.actor().to_string()))
            .or_raise(py)
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.handle.crm.read().map(|g| g.is_none()).unwrap_or(true)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    /// Calls the use case `namespace.name` with its arguments by name (a dict), as the
    /// parity runner and generic tools do; the result as `crm.<namespace>.<name>` returns it.
    #[pyo3(signature = (namespace, name, args = None))]
    fn invoke<'py>(
        slf: &Bound<'py, Self>,
        namespace: &str,
        name: &str,
        args: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let view = slf
            .getattr(namespace)
            .map_err(|_| crate::errors::input(py, format!("no namespace `{namespace}`")))?;
        if model::model(py)?.core.use_case(namespace, name).is_none() {
            return Err(crate::errors::input(
                py,
                format!("no use case `{namespace}.{name}`"),
            ));
        }
        view.getattr(name)?.call((), args)
    }
}

crm_core::for_each_use_case!(py_surface);

/// Every declared use case: `namespace`, `name`, `doc`, `params` (names in order),
/// `takes_now`, `returns` (the declared Rust type) and `async_name`.
#[pyfunction]
pub fn use_cases(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let json = serde_json::to_value(crm_core::surface::USE_CASES)
        .map_err(|e| crate::errors::input(py, e.to_string()))?;
    model::plain(py, &json)
}

/// How many records listings made straight from their stored documents, and how many
/// listings read typed records instead (a document of a shape the model does not expect).
#[pyfunction]
pub fn _listing_stats() -> (u64, u64) {
    use std::sync::atomic::Ordering::Relaxed;
    (
        crate::pyde::MADE.load(Relaxed),
        crate::pyde::FELL_BACK.load(Relaxed),
    )
}

/// The record classes of `crm_core.records`, by name.
#[pyfunction]
pub fn record_classes(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    model::model(py)?.class_dict(py)
}

/// The surface's schema (JSON Schema of every use case and type), as JSON text.
#[pyfunction]
pub fn surface_schema() -> String {
    crm_core::surface::schema::surface_schema().to_string()
}

/// A value (records, dicts, lists, dates, decimals…) as crm-core's JSON text: what the use
/// cases read from it.
#[pyfunction]
pub fn to_json(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    crate::pyjson::to_json(value, "value")
        .map(|json| json.to_string())
        .or_raise(py)
}
