//! Python values into crm-core's JSON form, for reading arguments: dicts, lists, tuples,
//! sets, str, int, float, bool, None, `Decimal`, aware `datetime`, `date`, `time`, enums
//! (by value), the records `crm_core.records` hands out (by their JSON shape), so that
//! a record read from the CRM can be passed back as it is, and any object with a
//! `to_json()` method (a `ModelFile`, a `RuleSet`) as the JSON it gives. What cannot be read is an
//! `input` error naming where, in Python's names (`input.values["email"]`).

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString,
    PyTime, PyTuple,
};
use serde_json::{Map, Number, Value};

/// Nesting deeper than this is refused (a cycle, or input no CRM type has).
const MAX_DEPTH: usize = 64;

/// `value` as JSON; `at` names it in errors.
pub(crate) fn to_json(value: &Bound<'_, PyAny>, at: &str) -> crm_core::Result<Value> {
    walk(value, at, 0)
}

fn input(at: &str, what: impl std::fmt::Display) -> crm_core::Error {
    crm_core::Error::Input {
        message: format!("{at}: {what}"),
    }
}

fn walk(value: &Bound<'_, PyAny>, at: &str, depth: usize) -> crm_core::Result<Value> {
    if depth > MAX_DEPTH {
        return Err(input(at, "nested too deeply"));
    }
    let py_err = |e: PyErr| input(at, e);
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_cow().map_err(py_err)?.into_owned()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = value.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(input(at, format!("{value} does not fit in 64 bits")));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| input(at, format!("{v} is not a finite number")));
    }
    // a datetime is a date too: test it first
    if value.is_instance_of::<PyDateTime>() {
        if value.getattr("tzinfo").map_err(py_err)?.is_none() {
            return Err(crm_core::Error::invalid(
                at,
                value.str().map(|s| s.to_string()).unwrap_or_default(),
                "a naive datetime: give it a time zone (datetime.timezone.utc)",
            ));
        }
        // RFC 3339 in UTC, as crm-core writes instants (`2026-11-23T09:00:00Z`)
        let utc = pyo3::types::PyTzInfo::utc(value.py()).map_err(py_err)?;
        let in_utc = value.call_method1("astimezone", (utc,)).map_err(py_err)?;
        return iso(&in_utc, at).map(|v| match v {
            Value::String(s) => Value::String(match s.strip_suffix("+00:00") {
                Some(t) => format!("{t}Z"),
                None => s,
            }),
            other => other,
        });
    }
    if value.is_instance_of::<PyDate>() || value.is_instance_of::<PyTime>() {
        return iso(value, at);
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key = key_text(&k, at)?;
            let here = format!("{at}[{key:?}]");
            map.insert(key, walk(&v, &here, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        if let Ok(shape) = value.getattr("_crm_shape") {
            return record(value, &shape, at, depth);
        }
        if let Ok(fields) = value.getattr("_fields") {
            // any other named tuple reads as a dict of its fields
            return fields_object(value, &fields, at, depth, &[]).map(Value::Object);
        }
        return items(tuple.iter(), at, depth);
    }
    if let Ok(list) = value.cast::<PyList>() {
        return items(list.iter(), at, depth);
    }
    if let Ok(set) = value.cast::<PySet>() {
        return items(set.iter(), at, depth);
    }
    if let Ok(set) = value.cast::<PyFrozenSet>() {
        return items(set.iter(), at, depth);
    }
    let py = value.py();
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    if type_name == "Decimal" {
        let text = value.str().map_err(py_err)?.to_string();
        return Ok(Value::String(text));
    }
    let enum_type = py
        .import("enum")
        .and_then(|m| m.getattr("Enum"))
        .map_err(py_err)?;
    if value.is_instance(&enum_type).map_err(py_err)? {
        return walk(&value.getattr("value").map_err(py_err)?, at, depth + 1);
    }
    // crm-core's own objects in Python (a ModelFile, a RuleSet, a fitted scorer's model)
    // say what they are in JSON
    if let Ok(to_json) = value.getattr("to_json")
        && to_json.is_callable()
    {
        let text: String = to_json.call0().and_then(|t| t.extract()).map_err(py_err)?;
        return serde_json::from_str(&text).map_err(|e| input(at, e));
    }
    let mapping = py
        .import("collections.abc")
        .and_then(|m| m.getattr("Mapping"))
        .map_err(py_err)?;
    if value.is_instance(&mapping).map_err(py_err)? {
        let dict = PyDict::new(py);
        dict.call_method1("update", (value,)).map_err(py_err)?;
        return walk(&dict.into_any(), at, depth);
    }
    Err(input(
        at,
        format!(
            "a {type_name} cannot be read (give a dict, list, str, number, Decimal, date or datetime)"
        ),
    ))
}

fn iso(value: &Bound<'_, PyAny>, at: &str) -> crm_core::Result<Value> {
    let text = value
        .call_method0("isoformat")
        .and_then(|s| s.extract::<String>())
        .map_err(|e| input(at, e))?;
    Ok(Value::String(text))
}

fn key_text(key: &Bound<'_, PyAny>, at: &str) -> crm_core::Result<String> {
    match walk(key, at, MAX_DEPTH)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(input(at, format!("a dict key must be text, not {other}"))),
    }
}

fn items<'py>(
    iter: impl Iterator<Item = Bound<'py, PyAny>>,
    at: &str,
    depth: usize,
) -> crm_core::Result<Value> {
    iter.enumerate()
        .map(|(i, v)| walk(&v, &format!("{at}[{i}]"), depth + 1))
        .collect::<crm_core::Result<Vec<_>>>()
        .map(Value::Array)
}

fn fields_object(
    value: &Bound<'_, PyAny>,
    fields: &Bound<'_, PyAny>,
    at: &str,
    depth: usize,
    skip: &[&str],
) -> crm_core::Result<Map<String, Value>> {
    let names: Vec<String> = fields.extract().map_err(|e| input(at, e))?;
    let tuple = value.cast::<PyTuple>().map_err(|e| input(at, e))?;
    let mut map = Map::new();
    for (i, name) in names.into_iter().enumerate() {
        if skip.contains(&name.as_str()) {
            continue;
        }
        // by position: the JSON keys (`_crm_keys`) and the attributes (`from_`) differ
        let v = tuple.get_item(i).map_err(|e| input(at, e))?;
        if v.is_none() {
            // absent and null read alike for optional fields; absent also lets defaults apply
            continue;
        }
        let here = format!("{at}.{name}");
        map.insert(name, walk(&v, &here, depth + 1)?);
    }
    Ok(map)
}

/// A record of `crm_core.records` in its JSON shape.
fn record(
    value: &Bound<'_, PyAny>,
    shape: &Bound<'_, PyAny>,
    at: &str,
    depth: usize,
) -> crm_core::Result<Value> {
    let (style, variant): (String, String) = shape.extract().map_err(|e| input(at, e))?;
    let fields = value.getattr("_crm_keys").map_err(|e| input(at, e))?;
    Ok(match style.as_str() {
        "unit" => Value::String(variant),
        "variant" => {
            let inner = fields_object(value, &fields, at, depth, &["kind"])?;
            Value::Object(Map::from_iter([(variant, Value::Object(inner))]))
        }
        "newtype" => {
            let inner = walk(
                &value.getattr("value").map_err(|e| input(at, e))?,
                &format!("{at}.value"),
                depth + 1,
            )?;
            Value::Object(Map::from_iter([(variant, inner)]))
        }
        _ => Value::Object(fields_object(value, &fields, at, depth, &[])?),
    })
}
