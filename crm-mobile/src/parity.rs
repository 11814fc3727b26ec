//! What the parity runners in Kotlin and in uniffi's Python need from the library (feature
//! `parity`, built for the tests only), generated from crm-core's declaration:
//!
//! - per use case, `parity_<namespace>_<name>_args(json)`: the scenario's JSON arguments
//!   read into a typed record whose fields are the use case's parameters in order (the
//!   runner spreads them into the generated method it calls by name), and
//!   `parity_<namespace>_<name>_result(value)`: the generated method's result, lowered
//!   back across the FFI, as crm-core's JSON;
//! - [`ParityRun`]: the scenario's steps, references and matching rules
//!   (`crm_core::surface::scenario`), so that every runner compares the same way.
//!
//! The call itself is the generated Kotlin or Python method on `CrmStore`'s namespace, with
//! the typed records lifted and lowered by the generated converters: a method missing or
//! mis-wired there fails the scenario.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crm_core::Error;
use crm_core::surface::prelude::*;
use crm_core::surface::scenario::{Bindings, Scenario, uncovered};
use crm_core::surface::{check_known, read_arg};
use crm_core::uniffi_types::{CrmError, guarded};
use serde_json::{Map, Value};

/// A JSON object of arguments.
fn object(json: &str) -> crm_core::Result<Map<String, Value>> {
    match serde_json::from_str(json) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Error::Input {
            message: "the arguments are not a JSON object".into(),
        }),
    }
}

/// A result written as crm-core's JSON (`serde_json::to_string`'s outcome).
fn json_of(written: serde_json::Result<String>) -> crm_core::Result<String> {
    written.map_err(|e| Error::Input {
        message: format!("the result does not serialize: {e}"),
    })
}

macro_rules! parity_surface {
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
        $($(pastey::paste! {
            #[doc = "The arguments of `" $ns "." $name "`, in order."]
            #[derive(uniffi::Record)]
            pub struct [<$View $name:camel Args>] {
                $(
                    #[allow(missing_docs)]
                    pub $arg: $ty,
                )*
                $(
                    #[allow(missing_docs)]
                    pub $now: Option<SystemTime>,
                )?
            }

            #[doc = "Reads the arguments of `" $ns "." $name "` from JSON."]
            #[uniffi::export]
            pub fn [<parity_ $ns _ $name _args>](json: String)
                -> Result<[<$View $name:camel Args>], CrmError> {
                guarded(|| {
                    let args = object(&json)?;
                    let known: &[&str] = &[$(stringify!($arg),)* $(stringify!($now))?];
                    check_known(stringify!($ns), stringify!($name), &args, known)?;
                    Ok([<$View $name:camel Args>] {
                        $($arg: read_arg(&args, stringify!($arg))?,)*
                        $($now: read_arg::<Option<DateTime<Utc>>>(&args, stringify!($now))?
                            .map(SystemTime::from),)?
                    })
                })
            }

            #[doc = "The result of `" $ns "." $name "` as JSON."]
            #[uniffi::export]
            pub fn [<parity_ $ns _ $name _result>](value: $ret) -> Result<String, CrmError> {
                guarded(|| json_of(serde_json::to_string(&value)))
            }
        })*)*
    };
}

crm_core::for_each_use_case!(parity_surface);

/// One step of the scenario, as a runner needs it to find the method to call.
#[derive(uniffi::Record)]
pub struct ParityStep {
    /// The namespace, snake_case as declared.
    pub namespace: String,
    /// The use case, snake_case as declared.
    pub name: String,
    /// The login of the user the call is made as (`store.asUser(login)`); none: the host.
    pub as_user: Option<String>,
}

/// A run of the scenario: its steps, the results bound so far and the use cases called.
#[derive(uniffi::Object)]
pub struct ParityRun {
    scenario: Scenario,
    state: Mutex<(Bindings, BTreeSet<String>)>,
    /// The directory of the run's own that `$scratch` is in; removed with the run.
    scratch: std::path::PathBuf,
}

impl Drop for ParityRun {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

impl ParityRun {
    fn step_at(&self, index: u32) -> crm_core::Result<&crm_core::surface::scenario::Step> {
        self.scenario
            .steps
            .get(index as usize)
            .ok_or_else(|| Error::Input {
                message: format!("the scenario has no step {index}"),
            })
    }
}

#[uniffi::export]
impl ParityRun {
    /// Reads the scenario file's text.
    #[uniffi::constructor]
    pub fn new(scenario: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let scratch =
                std::env::temp_dir().join(format!("crm-parity-{}-{run}", std::process::id()));
            std::fs::create_dir_all(&scratch).map_err(Error::storage)?;
            let bound = Bindings::with_scratch(&scratch.join("file").to_string_lossy());
            Ok(Arc::new(ParityRun {
                scenario: Scenario::parse(&scenario)?,
                state: Mutex::new((bound, BTreeSet::new())),
                scratch,
            }))
        })
    }

    /// The region the CRM is opened with.
    pub fn region(&self) -> String {
        self.scenario.region.clone()
    }

    /// The steps, in order.
    pub fn steps(&self) -> Vec<ParityStep> {
        let step = |s: &crm_core::surface::scenario::Step| ParityStep {
            namespace: s.namespace().to_string(),
            name: s.name().to_string(),
            as_user: s.as_user.clone(),
        };
        self.scenario.steps.iter().map(step).collect()
    }

    /// The arguments of step `index` as JSON: references resolved, `now` the scenario's
    /// unless the step gives its own.
    pub fn args(&self, index: u32) -> Result<String, CrmError> {
        guarded(|| {
            let step = self.step_at(index)?;
            let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let mut args = state
                .0
                .resolve(&Value::Object(step.args.clone()))
                .map_err(|message| Error::Input { message })?;
            let takes_now = crm_core::surface::USE_CASES
                .iter()
                .any(|c| c.key() == step.call && c.takes_now);
            if let (true, Value::Object(map)) = (takes_now, &mut args) {
                map.entry("now")
                    .or_insert_with(|| Value::String(self.scenario.now.to_rfc3339()));
            }
            json_of(serde_json::to_string(&args))
        })
    }

    /// Judges what step `index` gave: its result as JSON (`parity_…_result`) or the code
    /// of its error; binds the result when the step says so.
    ///
    /// # Errors
    /// `input`, with the first difference in words.
    pub fn judge(
        &self,
        index: u32,
        result: Option<String>,
        error_code: Option<String>,
    ) -> Result<(), CrmError> {
        guarded(|| {
            let step = self.step_at(index)?;
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.1.insert(step.call.clone());
            let outcome = match (&result, &error_code) {
                (_, Some(code)) => Err(code.as_str()),
                (Some(json), None) => Ok(serde_json::from_str(json).map_err(|e| Error::Input {
                    message: format!("the result is not JSON: {e}"),
                })?),
                (None, None) => Ok(Value::Null),
            };
            state
                .0
                .check(step, outcome)
                .map_err(|difference| Error::Input {
                    message: format!("step {index} ({}): {difference}", step.call),
                })
        })
    }

    /// The declared use cases no judged step called (the coverage check).
    pub fn uncovered(&self) -> Vec<String> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        uncovered(state.1.iter().map(String::as_str))
    }
}
