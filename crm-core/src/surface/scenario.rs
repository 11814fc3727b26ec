//! The parity scenario's format (tests/parity/scenario.json, described in
//! tests/parity/README.md): its steps, the `"$name.path"` references between them and the
//! rule by which a result matches what a step expects. The Rust runner uses it directly;
//! the mobile runners (Kotlin, uniffi's Python) reach it through crm-mobile's `parity`
//! feature, so that what is compared is the same everywhere and only the calls are made
//! in each language.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::surface::USE_CASES;

/// A scenario: the region its CRM is opened with, the instant its changes happen at
/// (unless a step says otherwise) and its steps.
#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    /// The region given to the CRM (`"DE"`).
    pub region: String,
    /// The instant every change happens at unless a step passes its own `now`.
    pub now: DateTime<Utc>,
    /// The calls, in order.
    pub steps: Vec<Step>,
}

/// One call of a scenario and what it must give.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// `namespace.use_case`, as declared (`leads.capture`).
    pub call: String,
    /// The arguments by name, in crm-core's JSON form; may hold references.
    #[serde(default)]
    pub args: Map<String, Value>,
    /// A name to keep the result under for later steps.
    #[serde(default)]
    pub bind: Option<String>,
    /// What the result must contain.
    #[serde(default)]
    pub expect: Option<Value>,
    /// The error code the call must fail with.
    #[serde(default)]
    pub error: Option<String>,
    /// The login of the user the call is made as (`crm.as_user(login)`); none: the host.
    #[serde(default)]
    pub as_user: Option<String>,
}

impl Step {
    /// The namespace part of [`Step::call`].
    pub fn namespace(&self) -> &str {
        self.call.split_once('.').map_or("", |(ns, _)| ns)
    }

    /// The use case part of [`Step::call`].
    pub fn name(&self) -> &str {
        self.call
            .split_once('.')
            .map_or(&self.call, |(_, name)| name)
    }
}

impl Scenario {
    /// Reads a scenario file's text.
    ///
    /// # Errors
    /// [`Error::Input`] when the text is not a scenario (format 1).
    pub fn parse(text: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(text).map_err(|e| Error::Input {
            message: format!("the scenario is not JSON: {e}"),
        })?;
        if value.get("format") != Some(&Value::from(1)) {
            return Err(Error::Input {
                message: "the scenario is not of format 1".into(),
            });
        }
        serde_json::from_value(value).map_err(|e| Error::Input {
            message: format!("the scenario does not read: {e}"),
        })
    }
}

/// The results bound so far (`"bind": "ada"`), which references name.
#[derive(Debug, Clone, Default)]
pub struct Bindings(HashMap<String, Value>);

impl Bindings {
    /// Bindings holding only `scratch`: the path of a file that does not exist yet, in a
    /// directory of the run's own (`"$scratch"` in a step: an export writes there, an
    /// import reads it back).
    pub fn with_scratch(path: &str) -> Self {
        Bindings(HashMap::from([("scratch".to_string(), Value::from(path))]))
    }

    /// The part of a bound result that `name.path.to.value` names (array elements by
    /// number), if there is one.
    pub fn lookup(&self, reference: &str) -> Option<Value> {
        let mut parts = reference.split('.');
        let mut value = self.0.get(parts.next()?)?;
        for part in parts {
            value = match part.parse::<usize>() {
                Ok(i) => value.get(i),
                Err(_) => value.get(part),
            }?;
        }
        Some(value.clone())
    }

    /// `value` with every `"$name.path"` string replaced by what it names, or by what
    /// `missing` makes of a reference that names nothing.
    pub fn resolve_or(&self, value: &Value, missing: &dyn Fn(&str) -> Value) -> Value {
        match value {
            Value::String(s) if s.starts_with('$') => {
                self.lookup(&s[1..]).unwrap_or_else(|| missing(s))
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.resolve_or(v, missing)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.resolve_or(v, missing)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// `value` with its references resolved.
    ///
    /// # Errors
    /// The first reference that names nothing bound.
    pub fn resolve(&self, value: &Value) -> std::result::Result<Value, String> {
        let unresolved = std::cell::RefCell::new(None);
        let resolved = self.resolve_or(value, &|r| {
            unresolved.borrow_mut().get_or_insert_with(|| r.to_string());
            Value::Null
        });
        match unresolved.into_inner() {
            Some(r) => Err(format!("{r} names nothing bound")),
            None => Ok(resolved),
        }
    }

    /// Judges what a step's call gave (its result in crm-core's JSON form, or the code of
    /// its error) against what the step asks, and binds the result when the step says so.
    ///
    /// # Errors
    /// The first difference, in words.
    pub fn check(
        &mut self,
        step: &Step,
        outcome: std::result::Result<Value, &str>,
    ) -> std::result::Result<(), String> {
        match (&step.error, outcome) {
            (Some(code), Ok(got)) => Err(format!("expected error {code}, got {got}")),
            (Some(code), Err(got)) if code == got => Ok(()),
            (Some(code), Err(got)) => Err(format!("expected error {code}, got error {got}")),
            (None, Err(got)) => Err(format!("expected a result, got error {got}")),
            (None, Ok(got)) => {
                if let Some(expected) = &step.expect {
                    contains(&self.resolve(expected)?, &got, "result")?;
                }
                if let Some(name) = &step.bind {
                    self.0.insert(name.clone(), got);
                }
                Ok(())
            }
        }
    }
}

/// Whether `actual` contains `expected`: objects by the keys given (others ignored), arrays
/// element by element with the same length, `{ "$len": n }` a length only, numbers by
/// value.
///
/// # Errors
/// The first difference, with its path under `path`.
pub fn contains(expected: &Value, actual: &Value, path: &str) -> std::result::Result<(), String> {
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

/// The declared use cases (`namespace.name`) missing from `called`, in declaration order:
/// the coverage check.
pub fn uncovered<'a>(called: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let called: BTreeSet<&str> = called.into_iter().collect();
    USE_CASES
        .iter()
        .map(|c| c.key())
        .filter(|k| !called.contains(k.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matching_rules_fail_on_differences() {
        let actual = json!({ "a": [1, { "b": "x", "c": 2 }], "d": null });
        assert!(contains(&json!({ "a": [1, { "b": "x" }] }), &actual, "r").is_ok());
        assert!(contains(&json!({ "a": { "$len": 2 } }), &actual, "r").is_ok());
        assert!(contains(&json!({ "a": [1] }), &actual, "r").is_err());
        assert!(contains(&json!({ "a": [1, { "b": "y" }] }), &actual, "r").is_err());
        assert!(contains(&json!({ "e": 1 }), &actual, "r").is_err());
        assert!(contains(&json!({ "d": null }), &actual, "r").is_ok());
        assert!(contains(&json!(1.0), &json!(1), "r").is_ok());
    }

    #[test]
    fn references_resolve_and_unbound_ones_are_named() {
        let mut bound = Bindings::default();
        let step = Step {
            call: "leads.get".into(),
            args: Map::new(),
            bind: Some("ada".into()),
            expect: Some(json!({ "id": 1 })),
            error: None,
            as_user: None,
        };
        assert!(bound.check(&step, Ok(json!({ "id": 2 }))).is_err());
        bound
            .check(&step, Ok(json!({ "id": 1, "hits": [{ "id": 7 }] })))
            .unwrap();
        assert_eq!(
            bound.resolve(&json!({ "x": ["$ada.hits.0.id"] })).unwrap(),
            json!({ "x": [7] })
        );
        assert_eq!(
            bound.resolve(&json!("$bob.id")).unwrap_err(),
            "$bob.id names nothing bound"
        );
        let failing = Step {
            error: Some("not_found".into()),
            ..step
        };
        assert!(bound.check(&failing, Err("not_found")).is_ok());
        assert!(bound.check(&failing, Err("conflict")).is_err());
        assert!(bound.check(&failing, Ok(json!(null))).is_err());
    }

    #[test]
    fn coverage_lists_what_was_never_called() {
        let all: Vec<String> = USE_CASES.iter().map(|c| c.key()).collect();
        assert!(uncovered(all.iter().map(String::as_str)).is_empty());
        assert_eq!(
            uncovered(all[1..].iter().map(String::as_str)),
            vec![all[0].clone()]
        );
    }
}
