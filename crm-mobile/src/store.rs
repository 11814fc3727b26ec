//! `CrmStore`: the CRM on a SQLite file the app names (its data directory), offline.
//! Methods take and return crm-core's records; instants are timestamps (UTC).

use std::sync::Arc;
use std::time::SystemTime;

use crm_core::crm::Captured;
use crm_core::id::LeadId;
use crm_core::lead::LeadData;
use crm_core::{Crm, Lead, LeadInput, Region};
use crm_sqlite::SqliteStore;

use crm_core::uniffi_types::{CrmError, guarded};

/// The CRM on a SQLite file.
#[derive(uniffi::Object)]
pub struct CrmStore {
    crm: Crm<SqliteStore>,
}

fn at(t: Option<SystemTime>) -> chrono::DateTime<chrono::Utc> {
    t.map_or_else(chrono::Utc::now, chrono::DateTime::from)
}

#[uniffi::export]
impl CrmStore {
    /// Opens (or creates) the SQLite file at `path`; `region` reads national phone numbers
    /// when a lead names no country (`"US"`, `"DE"`).
    #[uniffi::constructor]
    pub fn open(path: String, region: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            let region = Region::parse(&region)?;
            Ok(Arc::new(CrmStore {
                crm: Crm::new(SqliteStore::open(&path)?, region),
            }))
        })
    }

    /// A CRM in memory (gone with the object).
    #[uniffi::constructor]
    pub fn in_memory(region: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            let region = Region::parse(&region)?;
            Ok(Arc::new(CrmStore {
                crm: Crm::new(SqliteStore::open_in_memory()?, region),
            }))
        })
    }

    /// Captures a lead (`now`: when, the current time if null).
    #[uniffi::method(default(now = None))]
    pub fn capture_lead(
        &self,
        input: LeadInput,
        now: Option<SystemTime>,
    ) -> Result<Captured, CrmError> {
        guarded(|| self.crm.capture_lead(&input, at(now)))
    }

    /// A lead.
    pub fn lead(&self, id: LeadId) -> Result<Lead, CrmError> {
        guarded(|| self.crm.lead(id))
    }

    /// Every lead.
    pub fn leads(&self) -> Result<Vec<Lead>, CrmError> {
        guarded(|| self.crm.leads())
    }

    /// Saves an edit of a lead's data made on `expected_version` (`Conflict` when it
    /// changed since).
    #[uniffi::method(default(now = None))]
    pub fn update_lead(
        &self,
        id: LeadId,
        expected_version: u64,
        data: LeadData,
        now: Option<SystemTime>,
    ) -> Result<Lead, CrmError> {
        guarded(|| self.crm.update_lead(id, expected_version, data, at(now)))
    }

    /// Moves a new lead to working.
    #[uniffi::method(default(now = None))]
    pub fn start_working(&self, id: LeadId, now: Option<SystemTime>) -> Result<Lead, CrmError> {
        guarded(|| self.crm.start_working(id, at(now)))
    }

    /// Qualifies a lead.
    #[uniffi::method(default(now = None))]
    pub fn qualify(&self, id: LeadId, now: Option<SystemTime>) -> Result<Lead, CrmError> {
        guarded(|| self.crm.qualify(id, at(now)))
    }

    /// Disqualifies a lead, with the reason.
    #[uniffi::method(default(now = None))]
    pub fn disqualify(
        &self,
        id: LeadId,
        reason: String,
        now: Option<SystemTime>,
    ) -> Result<Lead, CrmError> {
        guarded(|| self.crm.disqualify(id, &reason, at(now)))
    }
}
