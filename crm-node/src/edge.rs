//! The edge between JavaScript and crm-core: every argument and result of the package
//! crosses here, so every method converts the same way.
//!
//! - Arguments arrive as JS values and become crm-core's serde forms: objects walked into
//!   JSON (a `Date` becomes its ISO-8601 instant, `undefined` properties are left out, a
//!   number must be finite, a BigInt, function or symbol is refused), the camelCase keys of
//!   struct fields turned into crm-core's snake_case names, then deserialised into the
//!   typed input. Money is a decimal string, never a JS number (crm-core refuses numbers
//!   for money).
//! - Results are crm-core's serde forms with the keys of struct fields camelCased.
//!   Which keys are struct fields is known by type, from crm-core's model of its surface
//!   (`crm_core::surface::model`, derived from the Rust types): the keys of maps (custom
//!   fields, form fields, exceptions by day…), variant names and free JSON (event
//!   payloads) pass unchanged both ways. Enumeration values stay as crm-core writes them
//!   (`"pending_customer"`).
//! - Errors become JS `Error`s whose `code` is crm-core's stable error code, whose message
//!   names the bad value, and whose `details` holds the error's fields. A panic is caught
//!   and becomes an `internal` error: none reaches JS.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use crm_core::Crm;
use crm_stores::AnyStore;
use napi::bindgen_prelude::*;
use napi::{Env, JsDate, JsValue, ValueType};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::OnceLock;

use crm_core::surface::model::{Model, Plan, Signature, Spelling};

use crate::decoders;
use crate::tape::{self, Tape};
use serde_json::{Map, Number, Value};

/// The CRM every class of the package shares.
pub(crate) type SharedCrm = Arc<Crm<AnyStore>>;

/// How deep an argument may nest (a cycle fails here instead of overflowing the stack).
const MAX_DEPTH: usize = 64;

/// `some_name` → `someName` for keys that are snake_case identifiers; others unchanged.
pub(crate) fn camel(key: &str) -> String {
    let identifier = key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !identifier || !key.contains('_') {
        return key.to_string();
    }
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The model of crm-core's surface (from the schema derived from its types), compiled on
/// first use: it says which object keys are struct fields (camelCased) and which are the
/// user's (custom fields, exceptions by day, event payloads: passed unchanged).
pub(crate) fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(Model::build)
}

/// `value` with every object key camelCased by rule: for crm-core's own metadata (error
/// details, the use-case list), which hold no user keys.
pub(crate) fn camel_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (camel(&k), camel_keys(v)))
            .collect(),
        Value::Array(items) => items.into_iter().map(camel_keys).collect(),
        other => other,
    }
}

/// The plan of a named crm-core type (`PricedDocument`); free JSON when there is none.
pub(crate) fn plan_of(type_name: &str) -> &'static Plan {
    static PLANS: OnceLock<std::sync::Mutex<HashMap<String, &'static Plan>>> = OnceLock::new();
    let plans = PLANS.get_or_init(Default::default);
    let mut plans = plans.lock().unwrap_or_else(|e| e.into_inner());
    plans.entry(type_name.to_string()).or_insert_with(|| {
        let m = model();
        match m.defs.iter().position(|d| d.name == type_name) {
            Some(i) => &m.defs[i].plan,
            None => &Plan::Any,
        }
    })
}

/// The declared signature of `namespace.name`. Every declared use case is in the schema
/// (the same declaration makes both; tests/node_types.rs renders them all); were one
/// missing, its values would cross with crm-core's own keys instead of a panic.
pub(crate) fn declared(namespace: &str, name: &str) -> &'static Signature {
    static UNKNOWN: OnceLock<Signature> = OnceLock::new();
    model().use_case(namespace, name).unwrap_or_else(|| {
        UNKNOWN.get_or_init(|| Signature {
            name: String::new(),
            doc: String::new(),
            params: Vec::new(),
            takes_now: false,
            returns: Plan::Any,
            async_name: None,
        })
    })
}

/// The plan of the declared parameter `arg` of a use case.
pub(crate) fn param_plan(signature: &'static Signature, arg: &str) -> &'static Plan {
    signature
        .params
        .iter()
        .find(|(n, _)| n == arg)
        .map_or(&Plan::Any, |(_, p)| p)
}

/// A crm-core value of the type `plan` describes as the value JS receives: struct fields
/// camelCase, by type.
pub(crate) fn to_js<T: Serialize>(value: &T, plan: &Plan) -> crm_core::Result<Value> {
    let json = serde_json::to_value(value).map_err(|e| crm_core::Error::Input {
        message: format!("a result could not be encoded: {e}"),
    })?;
    Ok(model().rename_keys(json, plan, Spelling::ToCamel))
}

fn input(message: impl Into<String>) -> crm_core::Error {
    crm_core::Error::Input {
        message: message.into(),
    }
}

/// Walks a JS value into JSON (see the module doc); `path` names it in errors.
fn walk(value: Unknown<'_>, path: &str, depth: usize) -> crm_core::Result<Option<Value>> {
    let fail = |e: napi::Error| input(format!("{path}: {}", e.reason));
    if depth > MAX_DEPTH {
        return Err(input(format!(
            "{path}: nested more than {MAX_DEPTH} levels (a cycle?)"
        )));
    }
    Ok(Some(match value.get_type().map_err(fail)? {
        ValueType::Undefined => return Ok(None),
        ValueType::Null => Value::Null,
        ValueType::Boolean => Value::Bool(bool::from_unknown(value).map_err(fail)?),
        ValueType::String => Value::String(String::from_unknown(value).map_err(fail)?),
        ValueType::Number => {
            let n = f64::from_unknown(value).map_err(fail)?;
            Value::Number(
                number(n).ok_or_else(|| input(format!("{path}: {n} is not a finite number")))?,
            )
        }
        ValueType::Object if value.is_date().map_err(fail)? => {
            let ms = JsDate::from_unknown(value)
                .and_then(|d| d.value_of())
                .map_err(fail)?;
            Value::String(date_time(ms, path)?.to_rfc3339())
        }
        ValueType::Object if value.is_array().map_err(fail)? => {
            let array = Object::from_unknown(value).map_err(fail)?;
            let len = array.get_array_length().map_err(fail)?;
            let mut items = Vec::with_capacity(len as usize);
            for i in 0..len {
                let item: Unknown<'_> = array.get_element(i).map_err(fail)?;
                let item = walk(item, &format!("{path}[{i}]"), depth + 1)?;
                items.push(item.unwrap_or(Value::Null));
            }
            Value::Array(items)
        }
        ValueType::Object if value.is_typedarray().map_err(fail)? => {
            return Err(input(format!(
                "{path}: a typed array where a plain value was expected (use an Array)"
            )));
        }
        ValueType::Object => {
            let object = Object::from_unknown(value).map_err(fail)?;
            let mut map = Map::new();
            for key in Object::keys(&object).map_err(fail)? {
                let item: Unknown<'_> = object.get_named_property(&key).map_err(fail)?;
                if let Some(v) = walk(item, &format!("{path}.{key}"), depth + 1)? {
                    map.insert(key, v);
                }
            }
            Value::Object(map)
        }
        other => {
            return Err(input(format!(
                "{path}: a {other} cannot cross into crm-core (numbers, strings, booleans, \
                 null, Dates, arrays and plain objects can)"
            )));
        }
    }))
}

/// A JSON number: an integer when the value is one (ids, counts), else the float.
fn number(n: f64) -> Option<Number> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() <= EXACT {
        #[allow(clippy::cast_possible_truncation)]
        let i = n as i64;
        Some(Number::from(i))
    } else {
        Number::from_f64(n)
    }
}

fn date_time(ms: f64, path: &str) -> crm_core::Result<DateTime<Utc>> {
    #[allow(clippy::cast_possible_truncation)]
    let whole = ms as i64;
    if !ms.is_finite() || ms.fract() != 0.0 {
        return Err(input(format!("{path}: an invalid Date")));
    }
    DateTime::from_timestamp_millis(whole)
        .ok_or_else(|| input(format!("{path}: the Date is out of range")))
}

/// One argument of a call, read into crm-core's type `T` (a value without struct fields:
/// a number, a text, a list of them; or one whose type `plan` names).
pub(crate) fn arg<T: DeserializeOwned>(name: &str, value: Unknown<'_>) -> crm_core::Result<T> {
    arg_as(name, &Plan::Any, value)
}

/// One argument of a call of the type `plan` describes, read into crm-core's type `T`.
pub(crate) fn arg_as<T: DeserializeOwned>(
    name: &str,
    plan: &Plan,
    value: Unknown<'_>,
) -> crm_core::Result<T> {
    let json = walk(value, name, 0)?.unwrap_or(Value::Null);
    from_json(name, plan, json)
}

/// A declared parameter: an omitted argument reads as `null` (none for an optional one, a
/// clear error for a required one).
pub(crate) fn param<T: DeserializeOwned>(
    signature: &'static Signature,
    name: &str,
    value: Option<Unknown<'_>>,
) -> crm_core::Result<T> {
    let json = match value {
        Some(v) => walk(v, &camel(name), 0)?.unwrap_or(Value::Null),
        None => Value::Null,
    };
    from_json(name, param_plan(signature, name), json)
}

/// An optional argument (`undefined` and `null` are none) of the type `plan` describes.
pub(crate) fn opt<T: DeserializeOwned>(
    name: &str,
    plan: &Plan,
    value: Option<Unknown<'_>>,
) -> crm_core::Result<Option<T>> {
    match value {
        None => Ok(None),
        Some(v) => arg_as(name, plan, v),
    }
}

/// A JSON value (struct keys camelCase) of the type `plan` describes into crm-core's `T`.
pub(crate) fn from_json<T: DeserializeOwned>(
    name: &str,
    plan: &Plan,
    json: Value,
) -> crm_core::Result<T> {
    // errors name the path in the caller's names: `opportunity.amount.amount`, `lines[0].unitPrice`
    let json = model().rename_keys(json, plan, Spelling::FromCamel);
    crm_core::surface::read_value(name, &json, camel)
}

/// The instant of a call: a `Date` or an ISO-8601 string; the current time when omitted.
pub(crate) fn now(value: Option<Unknown<'_>>) -> crm_core::Result<DateTime<Utc>> {
    Ok(instant_opt("now", value)?.unwrap_or_else(Utc::now))
}

/// A required instant: a `Date` or an ISO-8601 string with an offset.
pub(crate) fn instant(name: &str, value: Unknown<'_>) -> crm_core::Result<DateTime<Utc>> {
    instant_opt(name, Some(value))?.ok_or_else(|| input(format!("{name}: an instant is required")))
}

fn instant_opt(name: &str, value: Option<Unknown<'_>>) -> crm_core::Result<Option<DateTime<Utc>>> {
    let Some(json) = value.map(|v| walk(v, name, 0)).transpose()?.flatten() else {
        return Ok(None);
    };
    match json {
        Value::Null => Ok(None),
        Value::String(text) => crm_core::time::parse_instant(&text).map(Some),
        other => Err(crm_core::Error::invalid(
            name,
            other.to_string(),
            "expected a Date or an ISO-8601 string with an offset",
        )),
    }
}

/// A JS error for a crm-core error: `code`, message and `details`.
pub(crate) fn js_error(env: &Env, err: &crm_core::Error) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let mut object =
            env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        object.set_named_property("code", err.code())?;
        let details = camel_keys(err.details());
        object.set_named_property("details", details)?;
        Ok(napi::Error::from(object.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

/// Runs `f` with panics caught: the crm-core result, or an `internal` error.
pub(crate) fn guarded<T>(f: impl FnOnce() -> crm_core::Result<T>) -> crm_core::Result<T> {
    crm_core::error::catch_panic(f)
}

/// Runs one synchronous call: arguments read and the use case run inside `f` with panics
/// caught; its result as a camelCase JS value, or the JS error.
pub(crate) fn call<'env, T: Serialize>(
    env: &'env Env,
    plan: &Plan,
    f: impl FnOnce() -> crm_core::Result<T>,
) -> napi::Result<Unknown<'env>> {
    let encoded = guarded(|| f().and_then(|t| encode(&t, plan))).map_err(|e| js_error(env, &e))?;
    encoded.into_js(env)
}

/// A result on its way to JS: a tape for the decoder generated from its type
/// ([`crate::tape`]), or JSON text for `JSON.parse` (a type without a decoder).
pub enum Encoded {
    Tape {
        entry: u32,
        tape: Tape,
        /// The same result as JSON text, when `CRM_NODE_CHECK_TAPE` asks for the two to be
        /// compared.
        check: Option<String>,
    },
    Json(String),
}

/// Whether results are also encoded as JSON and compared with what the tape gives (the
/// test suite sets `CRM_NODE_CHECK_TAPE=1`).
fn check_tapes() -> bool {
    static CHECK: OnceLock<bool> = OnceLock::new();
    *CHECK.get_or_init(|| std::env::var_os("CRM_NODE_CHECK_TAPE").is_some_and(|v| v == "1"))
}

/// A crm-core result of the type `plan` describes, encoded for JS (see [`Encoded`]).
pub(crate) fn encode<T: Serialize>(value: &T, plan: &Plan) -> crm_core::Result<Encoded> {
    if let Some(entry) = decoders::entry(plan) {
        match tape::write(model(), plan, value) {
            Ok(tape) => {
                let check = check_tapes()
                    .then(|| to_json_text(value, plan))
                    .transpose()?;
                return Ok(Encoded::Tape { entry, tape, check });
            }
            // a type whose serde form and schema disagree: found by the tests in debug
            // builds; a release build still answers, through JSON
            Err(mismatch) if cfg!(debug_assertions) => {
                return Err(crm_core::Error::Internal {
                    message: format!("a result does not fit its declared type: {mismatch}"),
                });
            }
            Err(_) => {}
        }
    }
    to_json_text(value, plan).map(Encoded::Json)
}

impl Encoded {
    /// The JS value.
    pub(crate) fn into_js(self, env: &Env) -> napi::Result<Unknown<'_>> {
        match self {
            Encoded::Json(text) => parse_json(env, text),
            Encoded::Tape { entry, tape, check } => {
                let value = decoders::decode(env, entry, tape)?;
                if let Some(text) = check {
                    let expected = parse_json(env, text.clone())?;
                    if !decoders::same(env, value, expected)? {
                        let err = crm_core::Error::Internal {
                            message: format!(
                                "the tape decoded to another value than the JSON {text:.2000}"
                            ),
                        };
                        return Err(js_error(env, &err));
                    }
                }
                Ok(value)
            }
        }
    }
}

/// A crm-core result of the type `plan` describes as JSON text with camelCase field keys.
pub(crate) fn to_json_text<T: Serialize>(value: &T, plan: &Plan) -> crm_core::Result<String> {
    serde_json::to_string(&to_js(value, plan)?).map_err(|e| input(format!("result: {e}")))
}

/// JSON text as a JS value, by V8's own `JSON.parse`: one call however large the result
/// (100k leads), where building it value by value through napi costs a call per value and
/// stops at napi's limit of a million values.
pub(crate) fn parse_json(env: &Env, text: String) -> napi::Result<Unknown<'_>> {
    let json: Object<'_> = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<'_, String, Unknown<'_>> = json.get_named_property("parse")?;
    parse.call(text)
}

/// A call run off the JS thread (libuv's pool); the Promise resolves with its camelCase
/// JSON result or rejects with the same errors as the synchronous call.
pub struct CrmTask {
    job: Option<Job>,
}

type Job = Box<dyn FnOnce() -> crm_core::Result<Encoded> + Send>;

impl CrmTask {
    /// A task running `job` on `crm`, under the [`crm_core::job::Job`] `under` when given
    /// (its progress and cancellation); `args` is the outcome of reading the arguments on
    /// the JS thread (an error there rejects the Promise without running anything).
    pub(crate) fn new<A: Send + 'static, T: Serialize>(
        crm: &SharedCrm,
        plan: &'static Plan,
        args: crm_core::Result<A>,
        under: Option<crm_core::job::Job>,
        job: impl FnOnce(&Crm<AnyStore>, A) -> crm_core::Result<T> + Send + 'static,
    ) -> AsyncTask<CrmTask> {
        let crm = crm.clone();
        let job: Job = Box::new(move || {
            let args = args?;
            let run = || guarded(|| job(&crm, args).and_then(|t| encode(&t, plan)));
            // encoded off the JS thread too: only the decoding is left for it
            match under {
                Some(under) => under.run(run),
                None => run(),
            }
        });
        AsyncTask::new(CrmTask { job: Some(job) })
    }
}

/// A task's encoded result, decoded into the JS value a Promise resolves with.
pub struct Resolved(Encoded);

impl TypeName for Resolved {
    fn type_name() -> &'static str {
        "Object"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Resolved {
    // The trait is unsafe to implement (it hands raw handles over); this parses with the
    // environment napi passed in and hands back the handle it made.
    #[allow(unsafe_code)]
    unsafe fn to_napi_value(
        env: napi::sys::napi_env,
        val: Self,
    ) -> napi::Result<napi::sys::napi_value> {
        let env = Env::from_raw(env);
        Ok(val.0.into_js(&env)?.raw())
    }
}

impl Task for CrmTask {
    type Output = crm_core::Result<Encoded>;
    type JsValue = Resolved;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let job = self.job.take().ok_or_else(|| {
            napi::Error::new(Status::GenericFailure, "the task already ran".to_string())
        })?;
        Ok(job())
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map(Resolved).map_err(|e| js_error(&env, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_convert_both_ways() {
        for (s, c) in [
            ("first_name", "firstName"),
            ("a_b_c", "aBC"),
            ("id", "id"),
            ("utm_source_2", "utmSource2"),
        ] {
            assert_eq!(camel(s), c);
        }
        // not identifiers: unchanged
        assert_eq!(camel("custom:lead_source"), "custom:lead_source");
        assert_eq!(camel("2026-01-05"), "2026-01-05");
    }

    #[test]
    fn struct_fields_are_renamed_by_type_and_user_keys_pass_unchanged() {
        let lead = plan_of("Lead");
        let v = serde_json::json!({
            "id": 1,
            "created_at": "2026-01-01T00:00:00Z",
            "data": {"job_title": "CTO", "custom": {"lead_source_detail": "x", "2026_q1": "y"}},
            "status": {"disqualified": {"reason": "no_budget"}},
        });
        let js = model().rename_keys(v.clone(), lead, Spelling::ToCamel);
        assert_eq!(
            js,
            serde_json::json!({
                "id": 1,
                "createdAt": "2026-01-01T00:00:00Z",
                "data": {"jobTitle": "CTO", "custom": {"lead_source_detail": "x", "2026_q1": "y"}},
                "status": {"disqualified": {"reason": "no_budget"}},
            })
        );
        assert_eq!(model().rename_keys(js, lead, Spelling::FromCamel), v);
        // an event's payload is free JSON: as stored
        let event = plan_of("EventEnvelope");
        let e = serde_json::json!({"event_type": "LeadCaptured", "payload": {"lead_id": 3}});
        assert_eq!(
            model().rename_keys(e, event, Spelling::ToCamel),
            serde_json::json!({"eventType": "LeadCaptured", "payload": {"lead_id": 3}})
        );
    }

    #[test]
    fn numbers_keep_integers_exact() {
        assert_eq!(number(3.0), Some(Number::from(3)));
        assert_eq!(number(0.25).and_then(|n| n.as_f64()), Some(0.25));
        assert!(number(f64::NAN).is_none());
    }
}
