//! The parity scenario (tests/parity/scenario.json) run in Rust through
//! `crm_core::surface::invoke`, on MemoryStore, SqliteStore and PgStore, and the coverage check: every
//! declared use case is called at least once. The bindings run the same file through their
//! own entry points (see tests/parity/README.md).

use std::collections::BTreeSet;

use crm_core::Crm;
use crm_core::Region;
use crm_core::store::{MemoryStore, Store};
use crm_core::surface::scenario::{Bindings, uncovered};
use crm_core::surface::{self, USE_CASES};
use crm_sqlite::SqliteStore;
use serde_json::Value;

mod support;

/// Runs the scenario on `store`; returns the use cases it called.
fn run(store: impl Store) -> BTreeSet<String> {
    let scenario = support::scenario();
    let crm = Crm::new(store, Region::parse(&scenario.region).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let mut bound = Bindings::with_scratch(&dir.path().join("file").to_string_lossy());
    let mut called = BTreeSet::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        let at = format!("step {i} ({})", step.call);
        let args = bound
            .resolve(&Value::Object(step.args.clone()))
            .unwrap_or_else(|e| panic!("{at}: {e}"));
        let result = match &step.as_user {
            None => Ok(crm.clone()),
            Some(login) => crm.as_user(login),
        }
        .and_then(|handle| {
            surface::invoke(
                &handle,
                step.namespace(),
                step.name(),
                args.as_object().unwrap(),
                scenario.now,
            )
        });
        let outcome = match &result {
            Ok(got) => Ok(got.clone()),
            Err(e) => Err(e.code()),
        };
        if let Err(difference) = bound.check(step, outcome) {
            panic!("{at}: {difference} ({result:?})");
        }
        called.insert(step.call.clone());
    }
    check_listings(&crm, &scenario);
    called
}

/// Every listing (a use case marked `every Record`) returns exactly its stored documents,
/// which bindings may read in its place; the scenario leaves records of each such kind.
fn check_listings<S: Store>(crm: &Crm<S>, scenario: &crm_core::surface::scenario::Scenario) {
    let listings: Vec<_> = USE_CASES.iter().filter(|c| c.every.is_some()).collect();
    assert!(listings.len() >= 7, "{} listings", listings.len());
    for case in listings {
        let typed = surface::invoke(
            crm,
            case.namespace,
            case.name,
            &Default::default(),
            scenario.now,
        )
        .unwrap();
        let documents = surface::documents(crm, case.namespace, case.name)
            .expect("a listing has documents")
            .unwrap();
        let stored: Vec<Value> = documents
            .iter()
            .map(|doc| {
                let mut v: Value = serde_json::from_str(doc.json).unwrap();
                v["version"] = doc.version.into();
                v
            })
            .collect();
        assert!(!stored.is_empty(), "the scenario leaves no {}", case.key());
        assert_eq!(typed, Value::Array(stored), "{}", case.key());
    }
    assert!(surface::documents(crm, "leads", "get").is_none());
}

#[test]
fn scenario_passes_on_memory_store() {
    run(MemoryStore::new());
}

#[test]
fn scenario_passes_on_sqlite_store() {
    run(SqliteStore::open_in_memory().unwrap());
}

#[test]
fn scenario_passes_on_postgres_store() {
    if let Some(store) = crm_postgres::testing::scratch() {
        run(store);
    }
}

#[test]
fn scenario_calls_every_declared_use_case() {
    let called = run(MemoryStore::new());
    let missing = uncovered(called.iter().map(String::as_str));
    assert!(
        missing.is_empty(),
        "{} declared use cases the scenario never calls: {}",
        missing.len(),
        missing.join(", ")
    );
}

#[test]
fn scenario_names_only_declared_use_cases() {
    let declared: BTreeSet<String> = USE_CASES.iter().map(|c| c.key()).collect();
    for step in support::scenario().steps {
        assert!(
            declared.contains(&step.call),
            "{} is not declared",
            step.call
        );
    }
}
