//! What the tests that replay the parity scenario share (tests/parity.rs,
//! tests/fuzz_surface.rs): the scenario file and its `"$name.path"` references.

use std::collections::HashMap;

use serde_json::Value;

/// tests/parity/scenario.json.
pub const SCENARIO: &str = include_str!("../parity/scenario.json");

/// The part of a bound result that `name.path.to.value` names (array elements by
/// number), if there is one.
pub fn lookup(bound: &HashMap<String, Value>, reference: &str) -> Option<Value> {
    let mut parts = reference.split('.');
    let mut value = bound.get(parts.next()?)?.clone();
    for part in parts {
        value = match part.parse::<usize>() {
            Ok(i) => value.get(i).cloned(),
            Err(_) => value.get(part).cloned(),
        }?;
    }
    Some(value)
}

/// `value` with every `"$name.path"` string replaced by what it names (`missing` for a
/// reference that names nothing).
pub fn resolve(
    value: &Value,
    bound: &HashMap<String, Value>,
    missing: &dyn Fn(&str) -> Value,
) -> Value {
    match value {
        Value::String(s) if s.starts_with('$') => {
            lookup(bound, &s[1..]).unwrap_or_else(|| missing(s))
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| resolve(v, bound, missing)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve(v, bound, missing)))
                .collect(),
        ),
        other => other.clone(),
    }
}
