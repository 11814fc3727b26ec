//! `CrmStore`: the CRM on a SQLite file the app names (its data directory), offline. Its
//! use cases are the namespaces generated in [`crate::surface`] (`store.leads()`, …).

use std::sync::Arc;

use crm_core::uniffi_types::{CrmError, guarded};
use crm_core::{Crm, Region};
use crm_sqlite::SqliteStore;

/// The CRM on a SQLite file.
#[derive(uniffi::Object)]
pub struct CrmStore {
    pub(crate) crm: Arc<Crm<SqliteStore>>,
}

#[uniffi::export]
impl CrmStore {
    /// Opens (or creates) the SQLite file at `path`; `region` reads national phone numbers
    /// when a lead names no country (`"US"`, `"DE"`).
    #[uniffi::constructor]
    pub fn open(path: String, region: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            let region = Region::parse(&region)?;
            let crm = Crm::new(SqliteStore::open(&path)?, region);
            Ok(Arc::new(CrmStore { crm: Arc::new(crm) }))
        })
    }

    /// A CRM in memory (gone with the object).
    #[uniffi::constructor]
    pub fn in_memory(region: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            let region = Region::parse(&region)?;
            let crm = Crm::new(SqliteStore::open_in_memory()?, region);
            Ok(Arc::new(CrmStore { crm: Arc::new(crm) }))
        })
    }

    /// A handle on the same store acting as `actor` (`"user:alice"`, `"system:sync"`):
    /// every event its calls record names them. Cheap: the store is shared.
    pub fn as_actor(&self, actor: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            Ok(Arc::new(CrmStore {
                crm: Arc::new(self.crm.as_actor(actor.parse()?)),
            }))
        })
    }

    /// A handle on the same store bound to the user with `login`: every call through it
    /// sees only what that user may see and changes only what they may change, and is
    /// refused the rest (`CrmException.Forbidden`), an unknown or deactivated user too.
    pub fn as_user(&self, login: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            Ok(Arc::new(CrmStore {
                crm: Arc::new(self.crm.as_user(&login)?),
            }))
        })
    }

    /// The login of the user whose access this handle enforces (none: the host app).
    pub fn user(&self) -> Option<String> {
        self.crm.user_login().map(str::to_string)
    }

    /// Who this handle acts as (`system:host` unless made by `asActor`).
    pub fn actor(&self) -> crm_core::Actor {
        self.crm.actor().clone()
    }
}
