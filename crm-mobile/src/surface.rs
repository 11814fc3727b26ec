//! The namespaces of `CrmStore` (`store.leads().capture(…)` in Kotlin and Swift), generated
//! from crm-core's declaration of every use case (`crm_core::for_each_use_case!`): nothing
//! here names a use case. Each namespace is a uniffi object sharing the store; each declared
//! use case is one method of it, taking and returning crm-core's own records, with `now`
//! optional (the current time when null).

use std::sync::Arc;
use std::time::SystemTime;

use crm_core::Crm;
use crm_core::surface::prelude::*;
use crm_core::uniffi_types::{CrmError, guarded};
use crm_sqlite::SqliteStore;

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

macro_rules! mobile_surface {
    ($(
        $(#[doc = $ns_doc:literal])*
        $ns:ident $View:ident {
            $(
                $(#[doc = $doc:literal])*
                fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(at $now:ident)?
                    -> $ret:ty $(, async $async_name:ident)?
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
