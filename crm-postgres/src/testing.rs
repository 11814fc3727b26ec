//! Stores for tests: each in a fresh schema of its own on the server named by
//! `CRM_TEST_POSTGRES_URL` (`scripts/test.sh` starts a throwaway one and sets it).

use std::sync::atomic::{AtomicU64, Ordering};

use crate::{OpenOptions, PgStore};

/// The variable naming the test server.
pub const URL_VAR: &str = "CRM_TEST_POSTGRES_URL";

/// The test server's URL. Without one, a test on PostgreSQL is skipped with a note on
/// standard error — except under CI (`CI` set), where a missing server fails the test.
///
/// # Panics
/// Under CI, when `CRM_TEST_POSTGRES_URL` is not set.
pub fn url() -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{URL_VAR} is not set: run the tests through scripts/test.sh"
            );
            eprintln!("{URL_VAR} is not set: skipping a PostgreSQL test (scripts/test.sh sets it)");
            None
        }
    }
}

/// A name no other store of this test run has: the process id, a counter and the time.
pub fn unique_schema() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("t{}_{n}_{nanos}", std::process::id())
}

/// A fresh, empty store in a schema of its own (`None`: no test server, see [`url`]).
///
/// # Panics
/// When the test server cannot be reached.
pub fn scratch() -> Option<PgStore> {
    let url = url()?;
    let options = OpenOptions {
        schema: Some(unique_schema()),
        pool_size: 4,
        ..OpenOptions::default()
    };
    Some(PgStore::open_with(&url, &options).expect("open a store on the test server"))
}
