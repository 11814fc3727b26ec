//! The namespaces of the `Crm` class (`crm.leads.capture(…)`), generated from crm-core's
//! declaration of every use case (`crm_core::for_each_use_case!`): nothing here names a use
//! case. Each declared use case becomes one camelCase method of its namespace class, with
//! a Promise variant (`importCsvAsync`) where the declaration marks it long.
//!
//! Arguments are read through [`crate::edge`] (camelCase plain objects into crm-core's
//! types, `now` optional: a `Date` or an ISO string, the current time when omitted);
//! results come back as plain objects with the struct fields camelCased by type.
//! TypeScript declarations for these classes are rendered from crm-core's model of the
//! same declaration into `types.d.ts` by tests/node_types.rs (napi's own are skipped).

use crm_core::surface::prelude::*;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::edge::{self, CrmTask, SharedCrm, call, param};
use crate::facade::Crm;
use crate::job::Job;

/// One use case as a method (and its Promise variant when it has one), in an `impl` block
/// of its own so that the variant can repeat the parameters.
macro_rules! node_method {
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] ($($arg:ident : $ty:ty),*)
        [$($now:ident)?] []) => {
        #[napi]
        impl $View {
            $(#[doc = $doc])*
            #[napi(skip_typescript)]
            pub fn $name<'env>(
                &self,
                env: &'env Env,
                $($arg: Option<Unknown<'_>>,)*
                $($now: Option<Unknown<'_>>,)?
            ) -> Result<Unknown<'env>> {
                let signature = edge::declared(stringify!($ns), stringify!($name));
                call(env, &signature.returns, || {
                    $(let $arg: $ty = param(signature, stringify!($arg), $arg)?;)*
                    $(let $now = edge::now($now)?;)?
                    self.inner.$ns().$name($($arg,)* $($now)?)
                })
            }
        }
    };
    ($View:ident $ns:ident $name:ident [$($doc:literal)*] ($($arg:ident : $ty:ty),*)
        [$($now:ident)?] [$async_name:ident]) => {
        node_method!($View $ns $name [$($doc)*] ($($arg : $ty),*) [$($now)?] []);

        #[napi]
        impl $View {
            $(#[doc = $doc])*
            /// Runs off the JS thread; the Promise resolves with the result. A `Job` as
            /// the last argument reports its progress and can cancel it.
            #[napi(skip_typescript)]
            pub fn $async_name(
                &self,
                $($arg: Option<Unknown<'_>>,)*
                $($now: Option<Unknown<'_>>,)?
                job: Option<&Job>,
            ) -> AsyncTask<CrmTask> {
                let signature = edge::declared(stringify!($ns), stringify!($name));
                let args = (|| -> crm_core::Result<_> {
                    Ok(($(param::<$ty>(signature, stringify!($arg), $arg)?,)* $(edge::now($now)?,)?))
                })();
                let job = job.map(|j| j.inner.clone());
                CrmTask::new(&self.inner, &signature.returns, args, job, |crm, ($($arg,)* $($now,)?)| {
                    crm.$ns().$name($($arg,)* $($now)?)
                })
            }
        }
    };
}

macro_rules! node_surface {
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
            // the namespace's doc reaches TypeScript through `types.d.ts` (napi would print
            // the raw string literal of a doc handed over by a macro)
            #[cfg_attr(doc, doc = concat!($($ns_doc, "\n"),*))]
            #[napi]
            pub struct $View {
                inner: SharedCrm,
            }

            $(
                node_method!($View $ns $name [$($doc)*] ($($arg : $ty),*) [$($now)?]
                    [$($async_name)?]);
            )*
        )*

        #[napi]
        impl Crm {
            $(
                $(#[doc = $ns_doc])*
                #[napi(getter, skip_typescript)]
                pub fn $ns(&self) -> $View {
                    $View { inner: self.inner.clone() }
                }
            )*
        }
    };
}

crm_core::for_each_use_case!(node_surface);

/// The stable code of every error kind, in crm-core's order (`ErrorKind::ALL`).
#[napi(ts_return_type = "Array<ErrorCode>")]
pub fn error_codes() -> Vec<&'static str> {
    crm_core::ErrorKind::ALL.iter().map(|k| k.code()).collect()
}

/// Throws an example error of the kind whose code is `code`, as every method throws it (for
/// tests of the error mapping: every kind reaches JS with its code and details).
#[napi(ts_args_type = "code: ErrorCode", ts_return_type = "never")]
pub fn throw_sample_error(env: &Env, code: String) -> Result<()> {
    Err(edge::js_error(env, &crm_core::error::sample_error(&code)))
}

/// Every declared use case (namespace, name, parameters in order, whether it takes `now`,
/// what it returns, its Promise twin, its doc): what a tool needs to call them by name.
#[napi(
    ts_return_type = "Array<{ namespace: string; name: string; doc: string; params: Array<{ name: string; ty: string }>; takesNow: boolean; returns: string; asyncName: string | null }>"
)]
pub fn use_cases(env: &Env) -> Result<Unknown<'_>> {
    let metadata = serde_json::to_value(crm_core::surface::USE_CASES)
        .map(edge::camel_keys)
        .map_err(|e| napi::Error::from_reason(e.to_string()))?;
    call(env, &crm_core::surface::model::Plan::Any, || Ok(metadata))
}
