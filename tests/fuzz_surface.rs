//! Fuzzing every declared use case through `crm_core::surface::invoke`: the parity
//! scenario's calls (tests/parity/scenario.json) are replayed with one argument value
//! replaced by an arbitrary or hostile one (huge and negative numbers, extreme days and
//! instants, decimals at the edge of their range, odd text, wrong shapes), on MemoryStore
//! and SqliteStore. Whatever the input, a use case returns a result or a typed error: a
//! panic fails the test.
//!
//! `cargo test --test fuzz_surface` runs a bounded, reproducible set of cases
//! (CRM_FUZZ_CASES, default 1 500 per store); `CRM_FUZZ_RANDOM=1 CRM_FUZZ_CASES=200000
//! cargo test --release --test fuzz_surface -- --nocapture` is the long run with fresh
//! cases whose count benches/RESULTS.md records.

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{DateTime, Utc};
use crm_core::store::{MemoryStore, Store};
use crm_core::surface;
use crm_core::surface::scenario::{Bindings, Step};
use crm_core::{Crm, Region};
use crm_sqlite::SqliteStore;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{Map, Value, json};

mod support;

/// One call of the scenario with its arguments resolved.
#[derive(Debug, Clone)]
struct Call {
    namespace: String,
    name: String,
    args: Map<String, Value>,
}

/// Runs the scenario on `crm` (so the store holds records the calls can name) and returns
/// every call it made, arguments resolved; a reference to nothing reads as `null` (a failed
/// step binds nothing, and its dependants are fuzzed with what is left).
fn seed<S: Store>(crm: &Crm<S>, now: DateTime<Utc>) -> Vec<Call> {
    let mut bound = Bindings::default();
    let mut calls = Vec::new();
    for step in support::scenario().steps {
        let args = bound.resolve_or(&Value::Object(step.args.clone()), &|_| Value::Null);
        let args = args.as_object().cloned().unwrap_or_default();
        let (namespace, name) = (step.namespace(), step.name());
        let got = surface::invoke(crm, namespace, name, &args, now);
        // a step that fails here binds nothing; what it expects is not the fuzzer's concern
        if let Ok(got) = got {
            let _ = bound.check(
                &Step {
                    expect: None,
                    error: None,
                    ..step.clone()
                },
                Ok(got),
            );
        }
        calls.push(Call {
            namespace: namespace.into(),
            name: name.into(),
            args,
        });
    }
    calls
}

/// Values that break careless code: range edges of every kind the surface reads.
fn hostile() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(0.5)),
        Just(json!(4_294_967_296_u64)),
        Just(json!("79228162514264337593543950335")),
        Just(json!("-79228162514264337593543950335")),
        Just(json!("0.0000000000000000000000000001")),
        Just(json!("1e15")),
        Just(json!("9999-12-31")),
        Just(json!("0001-01-01")),
        Just(json!("+262143-12-31T23:59:59Z")),
        Just(json!("-262144-01-01T00:00:00Z")),
        Just(json!("2026-02-30")),
        Just(json!("")),
        Just(json!("\u{0}")),
        Just(json!("ＡＢＣ😀")),
        Just(json!("x".repeat(5000))),
        Just(json!("EUR")),
        Just(json!("XXX")),
        Just(json!("Europe/Berlin")),
        Just(json!(null)),
        Just(json!(true)),
        Just(json!([])),
        Just(json!({})),
        Just(json!({ "amount": "79228162514264337593543950335", "currency": "EUR" })),
        Just(json!({ "amount": "-0.01", "currency": "JPY" })),
        Just(json!({ "kind": "lead", "id": 1 })),
        Just(json!({ "kind": "lead", "id": 0 })),
    ]
}

/// An arbitrary JSON value, a few levels deep.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        hostile(),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-z_]{0,12}".prop_map(Value::String),
        "[0-9:TZ+.-]{0,26}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The paths of every value inside `value` (object keys and array indices).
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(k.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(i.to_string());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn replace(value: &mut Value, path: &[String], with: Value) {
    match path.split_first() {
        None => *value = with,
        Some((head, rest)) => {
            let next = match value {
                Value::Object(map) => map.get_mut(head),
                Value::Array(items) => head.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            };
            if let Some(next) = next {
                replace(next, rest, with);
            }
        }
    }
}

/// Replays calls with one value replaced, `cases` times; fails on the first panic.
fn fuzz<S: Store>(crm: Crm<S>, cases: u32) {
    let now: DateTime<Utc> = "2026-11-23T09:00:00Z".parse().unwrap();
    let calls = seed(&crm, now);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    // The same cases on every run (CI stays reproducible) unless CRM_FUZZ_RANDOM asks for
    // fresh ones (the long run).
    let mut runner = if std::env::var_os("CRM_FUZZ_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    };
    let strategy = (
        0..calls.len(),
        any::<prop::sample::Index>(),
        arbitrary_json(),
    );
    let result = runner.run(&strategy, |(i, at, with)| {
        let call = &calls[i];
        let mut args = Value::Object(call.args.clone());
        let mut all = Vec::new();
        paths(&args, &mut Vec::new(), &mut all);
        let path = at.get(&all);
        replace(&mut args, path, with);
        let args = args.as_object().cloned().unwrap_or_default();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            surface::invoke(&crm, &call.namespace, &call.name, &args, now)
        }));
        match outcome {
            Ok(_) => Ok(()),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                Err(TestCaseError::fail(format!(
                    "{}.{} panicked with {} ({message})",
                    call.namespace,
                    call.name,
                    Value::Object(args)
                )))
            }
        }
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    println!("fuzzed {cases} calls over {} scenario steps", calls.len());
}

fn cases() -> u32 {
    std::env::var("CRM_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_500)
}

#[test]
fn no_use_case_panics_on_memory_store() {
    fuzz(
        Crm::new(MemoryStore::new(), Region::parse("DE").unwrap()),
        cases(),
    );
}

#[test]
fn no_use_case_panics_on_sqlite_store() {
    fuzz(
        Crm::new(
            SqliteStore::open_in_memory().unwrap(),
            Region::parse("DE").unwrap(),
        ),
        cases(),
    );
}
