//! The `Crm` class: crm-core's CRM on the SQLite store, opened here; its use cases are the
//! namespaces generated in [`crate::surface`] (`crm.leads`, `crm.sales`, …).

use std::sync::Arc;

use crm_core::Region;
use crm_core::surface::model::Plan;
use crm_stores::AnyStore;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::edge::{self, SharedCrm, arg, js_error, opt};

/// The CRM on SQLite or PostgreSQL: every crm-core use case, in namespaces (`crm.leads.capture(…)`).
#[napi]
pub struct Crm {
    pub(crate) inner: SharedCrm,
}

#[napi]
impl Crm {
    /// Opens the CRM at `path`: a SQLite file (made when missing), or a PostgreSQL
    /// database for a `postgresql://user:password@host/db` URL (several processes and
    /// servers share it).
    #[napi(factory, ts_args_type = "path: string, options?: CrmOptions")]
    pub fn open(env: &Env, path: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<Crm> {
        let opened = edge::guarded(|| {
            let path: String = arg("path", path)?;
            let region = region(options)?;
            let store = AnyStore::open(&path)?;
            Ok(Crm {
                inner: Arc::new(crm_core::Crm::new(store, region)),
            })
        });
        opened.map_err(|e| js_error(env, &e))
    }

    /// A CRM in memory (SQLite without a file): gone when the object is.
    #[napi(factory, ts_args_type = "options?: CrmOptions")]
    pub fn in_memory(env: &Env, options: Option<Unknown<'_>>) -> Result<Crm> {
        let opened = edge::guarded(|| {
            let region = region(options)?;
            let store = AnyStore::in_memory()?;
            Ok(Crm {
                inner: Arc::new(crm_core::Crm::new(store, region)),
            })
        });
        opened.map_err(|e| js_error(env, &e))
    }

    /// A handle on the same store acting as `actor` (`'user:alice'`, `'system:import'`):
    /// every event its calls record names them. Cheap: the store is shared.
    #[napi(ts_args_type = "actor: string")]
    pub fn as_actor(&self, env: &Env, actor: Unknown<'_>) -> Result<Crm> {
        let made = edge::guarded(|| {
            let actor: String = arg("actor", actor)?;
            let actor: crm_core::Actor = actor.parse()?;
            Ok(Crm {
                inner: Arc::new(self.inner.as_actor(actor)),
            })
        });
        made.map_err(|e| js_error(env, &e))
    }

    /// A handle on the same store bound to the user with `login`: every call through it
    /// sees only what that user may see and changes only what they may change, and is
    /// refused the rest (`code: 'forbidden'`). Throws `forbidden` for an unknown or
    /// deactivated user.
    #[napi(ts_args_type = "login: string")]
    pub fn as_user(&self, env: &Env, login: Unknown<'_>) -> Result<Crm> {
        let made = edge::guarded(|| {
            let login: String = arg("login", login)?;
            Ok(Crm {
                inner: Arc::new(self.inner.as_user(&login)?),
            })
        });
        made.map_err(|e| js_error(env, &e))
    }

    /// The login of the user whose access this handle enforces (`null`: the host app).
    #[napi(getter)]
    pub fn user(&self) -> Option<String> {
        self.inner.user_login().map(str::to_string)
    }

    /// Who this handle acts as (`'system:host'` unless made by `asActor`).
    #[napi(getter)]
    pub fn actor(&self) -> String {
        self.inner.actor().to_string()
    }

    /// The region national phone numbers are read in when a lead names no country.
    #[napi(getter)]
    pub fn default_region(&self) -> String {
        self.inner.default_region().code().to_string()
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default)]
    region: Option<String>,
}

fn region(options: Option<Unknown<'_>>) -> crm_core::Result<Region> {
    let options: Options = opt("options", &Plan::Any, options)?.unwrap_or_default();
    Region::parse(options.region.as_deref().unwrap_or("US"))
}
