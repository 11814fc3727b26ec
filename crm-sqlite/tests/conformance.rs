//! SqliteStore passes the store conformance suite, on a file and in memory.

mod on_file {
    fn store() -> crm_sqlite::SqliteStore {
        // The directory is leaked on purpose: it must outlive the store inside one test.
        let dir = tempfile::tempdir().expect("temp dir").keep();
        crm_sqlite::SqliteStore::open(dir.join("crm.db")).expect("open")
    }
    crm_core::store_conformance_tests!(store);
}

mod in_memory {
    fn store() -> crm_sqlite::SqliteStore {
        crm_sqlite::SqliteStore::open_in_memory().expect("open")
    }
    crm_core::store_conformance_tests!(store);
}
