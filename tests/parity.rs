//! The parity scenario (tests/parity/scenario.json) run in Rust through
//! `crm_core::surface::invoke`, on MemoryStore and SqliteStore, and the coverage check: every
//! declared use case is called at least once. The bindings run the same file through their
//! own entry points (see tests/parity/README.md).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use crm_core::Crm;
use crm_core::Region;
use crm_core::store::{MemoryStore, Store};
use crm_core::surface::{self, USE_CASES};
use crm_sqlite::SqliteStore;
use serde_json::{Map, Value};

mod support;

use support::SCENARIO;

fn scenario() -> Value {
    serde_json::from_str(SCENARIO).expect("scenario.json is JSON")
}

/// `args` with every `"$name.path"` string replaced by what it names; a reference to
/// nothing fails the test.
fn resolve(value: &Value, bound: &HashMap<String, Value>) -> Value {
    support::resolve(value, bound, &|r| panic!("{r} names nothing bound"))
}

/// Whether `actual` contains `expected` (see the README); the first difference otherwise.
fn contains(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), _) if e.len() == 1 && e.contains_key("$len") => {
            let len = actual.as_array().map(Vec::len);
            match (e["$len"].as_u64(), len) {
                (Some(want), Some(got)) if want as usize == got => Ok(()),
                _ => Err(format!(
                    "{path}: expected length {}, got {actual}",
                    e["$len"]
                )),
            }
        }
        (Value::Object(e), Value::Object(a)) => e.iter().try_for_each(|(k, v)| {
            contains(v, a.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}"))
        }),
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .try_for_each(|(i, (e, a))| contains(e, a, &format!("{path}[{i}]"))),
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Ok(()),
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
    }
}

/// Runs the scenario on `store`; returns the use cases it called.
fn run(store: impl Store) -> BTreeSet<String> {
    let scenario = scenario();
    let region = Region::parse(scenario["region"].as_str().unwrap()).unwrap();
    let now: DateTime<Utc> = scenario["now"].as_str().unwrap().parse().unwrap();
    let crm = Crm::new(store, region);
    let mut bound = HashMap::new();
    let mut called = BTreeSet::new();
    for (i, step) in scenario["steps"].as_array().unwrap().iter().enumerate() {
        let call = step["call"].as_str().unwrap();
        let (namespace, name) = call.split_once('.').unwrap();
        let empty = Value::Object(Map::new());
        let args = resolve(step.get("args").unwrap_or(&empty), &bound);
        let result = surface::invoke(&crm, namespace, name, args.as_object().unwrap(), now);
        let at = format!("step {i} ({call})");
        match (step.get("error"), result) {
            (Some(code), Ok(got)) => panic!("{at}: expected error {code}, got {got}"),
            (Some(code), Err(e)) => assert_eq!(e.code(), code, "{at}: {e}"),
            (None, Err(e)) => panic!("{at}: {e} ({})", e.code()),
            (None, Ok(got)) => {
                if let Some(expected) = step.get("expect") {
                    contains(&resolve(expected, &bound), &got, "result")
                        .unwrap_or_else(|d| panic!("{at}: {d}"));
                }
                if let Some(name) = step.get("bind").and_then(Value::as_str) {
                    bound.insert(name.to_string(), got);
                }
            }
        }
        called.insert(call.to_string());
    }
    called
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
fn scenario_calls_every_declared_use_case() {
    let called = run(MemoryStore::new());
    let missing: Vec<String> = USE_CASES
        .iter()
        .map(|c| c.key())
        .filter(|k| !called.contains(k))
        .collect();
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
    for step in scenario()["steps"].as_array().unwrap() {
        let call = step["call"].as_str().unwrap();
        assert!(declared.contains(call), "{call} is not declared");
    }
}

#[test]
fn matching_rules_fail_on_differences() {
    let actual = serde_json::json!({ "a": [1, { "b": "x", "c": 2 }], "d": null });
    assert!(contains(&serde_json::json!({ "a": [1, { "b": "x" }] }), &actual, "r").is_ok());
    assert!(contains(&serde_json::json!({ "a": { "$len": 2 } }), &actual, "r").is_ok());
    assert!(contains(&serde_json::json!({ "a": [1] }), &actual, "r").is_err());
    assert!(contains(&serde_json::json!({ "a": [1, { "b": "y" }] }), &actual, "r").is_err());
    assert!(contains(&serde_json::json!({ "e": 1 }), &actual, "r").is_err());
    assert!(contains(&serde_json::json!({ "d": null }), &actual, "r").is_ok());
}
