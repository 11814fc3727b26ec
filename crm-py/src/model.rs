//! The Python model of crm-core's types, compiled once per process from the surface's
//! schema (`crm_core::surface::schema`, derived from the Rust types): one immutable record
//! class (a named tuple) per struct and per variant of a data-carrying enum, a `Literal`
//! for every enum of plain names, and a [`Plan`] per type saying which JSON value becomes
//! which Python value (`date`, `datetime`, `Decimal`, a record, …).
//!
//! Results of use cases are converted by the plan of their declared type; the record
//! classes are what `crm_core.records` exports, and the stubs are rendered from the same
//! model ([`Model::render_stubs`]), so the runtime and the declarations cannot disagree.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDate, PyDateTime, PyDict, PyList, PyString, PyTime, PyTuple, PyType};
use serde_json::{Map, Value};

/// How a JSON value of one declared type becomes a Python value.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// Plain JSON: dicts, lists, str, int, float, bool, None.
    Any,
    Str,
    Int,
    Float,
    Bool,
    Decimal,
    Instant,
    Day,
    TimeOfDay,
    Optional(Box<Plan>),
    List(Box<Plan>),
    Tuple(Vec<Plan>),
    /// A map with keys read by the first plan (text, days) and values by the second.
    Map(Box<Plan>, Box<Plan>),
    /// One of these names (a plain-name enum).
    Literal(Vec<String>),
    /// A named definition (see [`Def`]).
    Def(usize),
    /// A record class.
    Record(usize),
    /// A data-carrying enum: one record class per variant.
    Union(usize),
}

/// A named type of the schema (`Lead`, `LeadId`, `Rating`, `LeadStatus`).
#[derive(Debug)]
pub(crate) struct Def {
    pub name: String,
    pub doc: String,
    pub plan: Plan,
}

/// How a record class's values sit in crm-core's JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// `{field: value, …}` (structs, and variants of tagged enums, whose tag is a field).
    Struct,
    /// `"variant"`: a variant without data of an enum that has others with data.
    Unit(String),
    /// `{"variant": {field: value, …}}`.
    Variant(String),
    /// `{"variant": value}`.
    Newtype(String),
}

/// One record class.
#[derive(Debug)]
pub(crate) struct Class {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
    pub shape: Shape,
    pub class: Option<Py<PyType>>,
}

/// One field of a record class.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The JSON key.
    pub key: String,
    /// The Python attribute: the key, with `_` after a Python keyword (`from_`).
    pub attr: String,
    pub plan: Plan,
    pub doc: String,
}

/// A data-carrying enum's variants, by how they are told apart.
#[derive(Debug, Default)]
pub(crate) struct Union {
    pub name: String,
    pub classes: Vec<usize>,
    units: HashMap<String, usize>,
    external: HashMap<String, usize>,
    tag: Option<(String, HashMap<String, usize>)>,
}

/// A use case's parameters and result, as plans.
#[derive(Debug)]
pub(crate) struct Signature {
    pub name: String,
    pub doc: String,
    pub params: Vec<(String, Plan)>,
    pub takes_now: bool,
    pub returns: Plan,
    pub async_name: Option<String>,
}

/// A namespace and its use cases.
#[derive(Debug)]
pub(crate) struct Namespace {
    pub name: String,
    pub view: String,
    pub doc: String,
    pub use_cases: Vec<Signature>,
}

/// The compiled model.
#[derive(Debug)]
pub(crate) struct Model {
    pub defs: Vec<Def>,
    pub classes: Vec<Class>,
    pub unions: Vec<Union>,
    pub namespaces: Vec<Namespace>,
    by_use_case: HashMap<(String, String), (usize, usize)>,
    decimal: Py<PyAny>,
    tuple_new: Py<PyAny>,
}

static MODEL: PyOnceLock<Model> = PyOnceLock::new();

/// The model, compiled (and its classes created) on first use.
pub(crate) fn model(py: Python<'_>) -> PyResult<&'static Model> {
    MODEL.get_or_try_init(py, || Model::build(py))
}

/// `LinkChoiceAccountId`, `LeadStatusDisqualified`: a schema name or a snake_case variant
/// name as a Python class name.
fn pascal(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Python's keywords (and soft keywords): a field named so gets a `_` after it.
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

fn attr_of(key: &str) -> String {
    if KEYWORDS.contains(&key) {
        format!("{key}_")
    } else {
        key.to_string()
    }
}

fn field(key: &str, plan: Plan, doc: String) -> Field {
    Field {
        key: key.to_string(),
        attr: attr_of(key),
        plan,
        doc,
    }
}

fn doc_of(schema: &Value) -> String {
    schema["description"].as_str().unwrap_or("").to_string()
}

struct Compiler<'a> {
    def_index: HashMap<&'a str, usize>,
    classes: Vec<Class>,
    unions: Vec<Union>,
}

impl<'a> Compiler<'a> {
    fn plan(&mut self, schema: &'a Value) -> Plan {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            return self
                .def_index
                .get(name)
                .map_or(Plan::Any, |&i| Plan::Def(i));
        }
        if let Some(alternatives) = schema["anyOf"].as_array() {
            let (nulls, others): (Vec<&Value>, Vec<&Value>) =
                alternatives.iter().partition(|a| a["type"] == "null");
            if others.len() == 1 {
                let inner = self.plan(others[0]);
                return if nulls.is_empty() {
                    inner
                } else {
                    Plan::Optional(Box::new(inner))
                };
            }
            return Plan::Any;
        }
        if let Some(name) = schema["const"].as_str() {
            return Plan::Literal(vec![name.to_string()]);
        }
        if let Some(names) = schema["enum"].as_array() {
            return Plan::Literal(
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect(),
            );
        }
        if let Some(types) = schema["type"].as_array() {
            let nullable = types.iter().any(|t| t == "null");
            let others: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            if others.len() != 1 {
                return Plan::Any;
            }
            let inner = self.typed(schema, Some(others[0]));
            return if nullable {
                Plan::Optional(Box::new(inner))
            } else {
                inner
            };
        }
        self.typed(schema, schema["type"].as_str())
    }

    /// The plan of a schema of JSON type `ty`.
    fn typed(&mut self, schema: &'a Value, ty: Option<&str>) -> Plan {
        match ty {
            Some("string") => match schema["format"].as_str() {
                Some("date-time") => Plan::Instant,
                Some("date") => Plan::Day,
                Some("partial-time") | Some("partial-date-time") => Plan::TimeOfDay,
                Some("decimal") => Plan::Decimal,
                _ => Plan::Str,
            },
            Some("integer") => Plan::Int,
            Some("number") => Plan::Float,
            Some("boolean") => Plan::Bool,
            Some("array") => {
                if let Some(items) = schema["prefixItems"].as_array() {
                    Plan::Tuple(items.iter().map(|i| self.plan(i)).collect())
                } else {
                    Plan::List(Box::new(self.plan(&schema["items"])))
                }
            }
            Some("object") => match &schema["additionalProperties"] {
                Value::Object(_) => {
                    let key = match &schema["propertyNames"] {
                        Value::Object(_) => self.plan(&schema["propertyNames"]),
                        _ => Plan::Str,
                    };
                    Plan::Map(
                        Box::new(key),
                        Box::new(self.plan(&schema["additionalProperties"])),
                    )
                }
                _ => Plan::Any,
            },
            _ => Plan::Any,
        }
    }

    fn fields(&mut self, schema: &'a Value) -> Vec<Field> {
        schema["properties"]
            .as_object()
            .map(|props| {
                props
                    .iter()
                    .map(|(key, s)| {
                        let plan = self.plan(s);
                        field(key, plan, doc_of(s))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn class(&mut self, name: String, doc: String, fields: Vec<Field>, shape: Shape) -> usize {
        self.classes.push(Class {
            name,
            doc,
            fields,
            shape,
            class: None,
        });
        self.classes.len() - 1
    }

    /// The plan of a named definition, making its classes.
    fn def(&mut self, name: &str, schema: &'a Value) -> Plan {
        let py_name = pascal(name);
        if schema["properties"].is_object()
            && schema["type"] == "object"
            && !schema["oneOf"].is_array()
        {
            let fields = self.fields(schema);
            return Plan::Record(self.class(py_name, doc_of(schema), fields, Shape::Struct));
        }
        let Some(alternatives) = schema["oneOf"].as_array() else {
            return self.plan(schema);
        };
        let all_names = alternatives
            .iter()
            .all(|a| a["const"].is_string() || a["enum"].is_array());
        if all_names {
            let mut names = Vec::new();
            for a in alternatives {
                match self.plan(a) {
                    Plan::Literal(n) => names.extend(n),
                    _ => unreachable!("checked above"),
                }
            }
            return Plan::Literal(names);
        }
        let mut union = Union {
            name: py_name.clone(),
            ..Union::default()
        };
        // a struct with a tagged enum flattened into it: its own fields in every variant
        let common = self.fields(schema);
        for a in alternatives {
            let doc = doc_of(a);
            if let Plan::Literal(names) = self.plan(a)
                && (a["const"].is_string() || a["enum"].is_array())
            {
                for n in names {
                    let kind = field("kind", Plan::Literal(vec![n.clone()]), String::new());
                    let c = self.class(
                        format!("{py_name}{}", pascal(&n)),
                        doc.clone(),
                        vec![kind],
                        Shape::Unit(n.clone()),
                    );
                    union.units.insert(n, c);
                    union.classes.push(c);
                }
                continue;
            }
            let props = a["properties"].as_object();
            let tag = props.and_then(|p| p.iter().find(|(_, s)| s["const"].is_string()));
            if let Some((tag_key, tag_schema)) = tag {
                let value = tag_schema["const"].as_str().unwrap_or_default().to_string();
                let mut fields = common.clone();
                fields.extend(self.fields(a));
                let c = self.class(
                    format!("{py_name}{}", pascal(&value)),
                    doc,
                    fields,
                    Shape::Struct,
                );
                let (_, by_value) = union
                    .tag
                    .get_or_insert_with(|| (tag_key.clone(), HashMap::new()));
                by_value.insert(value, c);
                union.classes.push(c);
            } else if let Some((variant, inner)) =
                props.filter(|p| p.len() == 1).and_then(|p| p.iter().next())
            {
                let kind = field("kind", Plan::Literal(vec![variant.clone()]), String::new());
                let name = format!("{py_name}{}", pascal(variant));
                let c = if inner["properties"].is_object() {
                    let mut fields = vec![kind];
                    fields.extend(self.fields(inner));
                    self.class(name, doc, fields, Shape::Variant(variant.clone()))
                } else {
                    let plan = self.plan(inner);
                    let value = field("value", plan, doc_of(inner));
                    self.class(
                        name,
                        doc,
                        vec![kind, value],
                        Shape::Newtype(variant.clone()),
                    )
                };
                union.external.insert(variant.clone(), c);
                union.classes.push(c);
            }
        }
        self.unions.push(union);
        Plan::Union(self.unions.len() - 1)
    }
}

impl Model {
    fn build(py: Python<'_>) -> PyResult<Model> {
        let schema = crm_core::surface::schema::surface_schema();
        let empty = Map::new();
        let defs_schema = schema["$defs"].as_object().unwrap_or(&empty);
        let mut compiler = Compiler {
            def_index: defs_schema
                .keys()
                .enumerate()
                .map(|(i, k)| (k.as_str(), i))
                .collect(),
            classes: Vec::new(),
            unions: Vec::new(),
        };
        let defs: Vec<Def> = defs_schema
            .iter()
            .map(|(name, s)| Def {
                name: pascal(name),
                doc: doc_of(s),
                plan: compiler.def(name, s),
            })
            .collect();
        let mut namespaces = Vec::new();
        let mut by_use_case = HashMap::new();
        for (n, ns) in schema["namespaces"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut use_cases = Vec::new();
            for (u, uc) in ns["use_cases"].as_array().into_iter().flatten().enumerate() {
                let params = uc["params"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        (
                            p["name"].as_str().unwrap_or_default().to_string(),
                            compiler.plan(&p["schema"]),
                        )
                    })
                    .collect();
                let name = uc["name"].as_str().unwrap_or_default().to_string();
                by_use_case.insert(
                    (
                        ns["name"].as_str().unwrap_or_default().to_string(),
                        name.clone(),
                    ),
                    (n, u),
                );
                use_cases.push(Signature {
                    name,
                    doc: crm_core::surface::schema::prose(uc["doc"].as_str().unwrap_or_default()),
                    params,
                    takes_now: uc["takes_now"] == true,
                    returns: compiler.plan(&uc["returns"]),
                    async_name: uc["async_name"].as_str().map(str::to_string),
                });
            }
            namespaces.push(Namespace {
                name: ns["name"].as_str().unwrap_or_default().to_string(),
                view: ns["view"].as_str().unwrap_or_default().to_string(),
                doc: crm_core::surface::schema::prose(ns["doc"].as_str().unwrap_or_default()),
                use_cases,
            });
        }
        let mut model = Model {
            defs,
            classes: compiler.classes,
            unions: compiler.unions,
            namespaces,
            by_use_case,
            decimal: py.import("decimal")?.getattr("Decimal")?.unbind(),
            tuple_new: py.get_type::<PyTuple>().getattr("__new__")?.unbind(),
        };
        model.make_classes(py)?;
        Ok(model)
    }

    /// Creates the record classes: `collections.namedtuple`s in `crm_core.records`, with
    /// their docs, their fields' docs and their JSON shape (`_crm_shape`).
    fn make_classes(&mut self, py: Python<'_>) -> PyResult<()> {
        let namedtuple = py.import("collections")?.getattr("namedtuple")?;
        for class in &mut self.classes {
            let kwargs = PyDict::new(py);
            kwargs.set_item("module", "crm_core.records")?;
            let names: Vec<&str> = class.fields.iter().map(|f| f.attr.as_str()).collect();
            let keys: Vec<&str> = class.fields.iter().map(|f| f.key.as_str()).collect();
            let made = namedtuple.call((class.name.as_str(), names), Some(&kwargs))?;
            made.setattr("__doc__", class.doc.as_str())?;
            let shape = match &class.shape {
                Shape::Struct => ("struct", String::new()),
                Shape::Unit(v) => ("unit", v.clone()),
                Shape::Variant(v) => ("variant", v.clone()),
                Shape::Newtype(v) => ("newtype", v.clone()),
            };
            made.setattr("_crm_shape", shape)?;
            made.setattr("_crm_keys", PyTuple::new(py, keys)?)?;
            for field in &class.fields {
                if !field.doc.is_empty() {
                    made.getattr(field.attr.as_str())?
                        .setattr("__doc__", field.doc.as_str())?;
                }
            }
            class.class = Some(made.cast_into::<PyType>()?.unbind());
        }
        Ok(())
    }

    /// The signature of `namespace.name`.
    pub(crate) fn use_case(&self, namespace: &str, name: &str) -> Option<&Signature> {
        self.by_use_case
            .get(&(namespace.to_string(), name.to_string()))
            .map(|&(n, u)| &self.namespaces[n].use_cases[u])
    }

    /// The plan of the definition called `name` (its Python name, `PricedDocument`).
    pub(crate) fn def_named(&self, name: &str) -> Option<Plan> {
        self.defs.iter().position(|d| d.name == name).map(Plan::Def)
    }

    /// Every record class by name.
    pub(crate) fn class_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for class in &self.classes {
            if let Some(c) = &class.class {
                dict.set_item(class.name.as_str(), c.bind(py))?;
            }
        }
        Ok(dict)
    }

    /// A JSON value of the type planned by `plan` as its Python value.
    pub(crate) fn to_py<'py>(
        &self,
        py: Python<'py>,
        plan: &Plan,
        value: &Value,
    ) -> PyResult<Bound<'py, PyAny>> {
        if value.is_null() {
            return Ok(py.None().into_bound(py));
        }
        match (plan, value) {
            (Plan::Optional(inner), _) => self.to_py(py, inner, value),
            (Plan::Def(i), _) => self.to_py(py, &self.defs[*i].plan, value),
            (Plan::Record(c), Value::Object(map)) => self.record(py, *c, map, None),
            (Plan::Union(u), _) => self.variant(py, &self.unions[*u], value),
            (Plan::List(item), Value::Array(items)) => {
                let list = PyList::empty(py);
                for v in items {
                    list.append(self.to_py(py, item, v)?)?;
                }
                Ok(list.into_any())
            }
            (Plan::Tuple(plans), Value::Array(items)) if plans.len() == items.len() => {
                let values = plans
                    .iter()
                    .zip(items)
                    .map(|(p, v)| self.to_py(py, p, v))
                    .collect::<PyResult<Vec<_>>>()?;
                Ok(PyTuple::new(py, values)?.into_any())
            }
            (Plan::Map(key, item), Value::Object(map)) => {
                let dict = PyDict::new(py);
                for (k, v) in map {
                    let k = self.to_py(py, key, &Value::String(k.clone()))?;
                    dict.set_item(k, self.to_py(py, item, v)?)?;
                }
                Ok(dict.into_any())
            }
            (Plan::Decimal, Value::String(text)) => self.decimal.bind(py).call1((text.as_str(),)),
            (Plan::Decimal, Value::Number(n)) => self.decimal.bind(py).call1((n.to_string(),)),
            (Plan::Instant, Value::String(text)) => match DateTime::parse_from_rfc3339(text) {
                Ok(t) => instant(py, t.with_timezone(&chrono::Utc)),
                Err(_) => plain(py, value),
            },
            (Plan::Day, Value::String(text)) => match text.parse::<NaiveDate>() {
                Ok(d) => Ok(PyDate::new(py, d.year(), d.month() as u8, d.day() as u8)?.into_any()),
                Err(_) => plain(py, value),
            },
            (Plan::TimeOfDay, Value::String(text)) => match text.parse::<NaiveTime>() {
                Ok(t) => Ok(PyTime::new(
                    py,
                    t.hour() as u8,
                    t.minute() as u8,
                    t.second() as u8,
                    t.nanosecond() / 1000,
                    None,
                )?
                .into_any()),
                Err(_) => plain(py, value),
            },
            _ => plain(py, value),
        }
    }

    fn record<'py>(
        &self,
        py: Python<'py>,
        c: usize,
        map: &Map<String, Value>,
        kind: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let class = &self.classes[c];
        let mut values = Vec::with_capacity(class.fields.len());
        for field in &class.fields {
            let v = match (field.key.as_str(), kind) {
                ("kind", Some(k)) => PyString::new(py, k).into_any(),
                (key, _) => match map.get(key) {
                    Some(v) => self.to_py(py, &field.plan, v)?,
                    // an empty list or map is left out of the JSON; it is still there
                    None => self.absent(py, &field.plan)?,
                },
            };
            values.push(v);
        }
        self.instance(py, c, values)
    }

    /// The value of a field the JSON leaves out: an empty list or dict for collections
    /// (crm-core skips empty ones), else `None`.
    fn absent<'py>(&self, py: Python<'py>, plan: &Plan) -> PyResult<Bound<'py, PyAny>> {
        match plan {
            Plan::List(_) => Ok(PyList::empty(py).into_any()),
            Plan::Map(..) => Ok(PyDict::new(py).into_any()),
            Plan::Def(i) => self.absent(py, &self.defs[*i].plan),
            _ => Ok(py.None().into_bound(py)),
        }
    }

    fn instance<'py>(
        &self,
        py: Python<'py>,
        c: usize,
        values: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let class = self.classes[c]
            .class
            .as_ref()
            .expect("classes are made with the model");
        // `tuple.__new__(cls, values)`: the named tuple without its Python-level `__new__`
        self.tuple_new
            .bind(py)
            .call1((class.bind(py), PyTuple::new(py, values)?))
    }

    fn variant<'py>(
        &self,
        py: Python<'py>,
        union: &Union,
        value: &Value,
    ) -> PyResult<Bound<'py, PyAny>> {
        match value {
            Value::String(name) => match union.units.get(name) {
                Some(&c) => self.instance(py, c, vec![PyString::new(py, name).into_any()]),
                None => plain(py, value),
            },
            Value::Object(map) => {
                if let Some((tag, by_value)) = &union.tag
                    && let Some(&c) = map
                        .get(tag)
                        .and_then(Value::as_str)
                        .and_then(|t| by_value.get(t))
                {
                    return self.record(py, c, map, None);
                }
                if map.len() == 1
                    && let Some((variant, inner)) = map.iter().next()
                    && let Some(&c) = union.external.get(variant)
                {
                    return match (&self.classes[c].shape, inner) {
                        (Shape::Variant(_), Value::Object(fields)) => {
                            self.record(py, c, fields, Some(variant))
                        }
                        _ => {
                            let plan = &self.classes[c].fields[1].plan;
                            let v = self.to_py(py, plan, inner)?;
                            self.instance(py, c, vec![PyString::new(py, variant).into_any(), v])
                        }
                    };
                }
                plain(py, value)
            }
            _ => plain(py, value),
        }
    }
}

/// An instant as an aware `datetime` in UTC.
pub(crate) fn instant(py: Python<'_>, t: DateTime<chrono::Utc>) -> PyResult<Bound<'_, PyAny>> {
    let utc = pyo3::types::PyTzInfo::utc(py)?;
    Ok(PyDateTime::new(
        py,
        t.year(),
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
        t.nanosecond() / 1000,
        Some(&utc),
    )?
    .into_any())
}

/// Plain JSON as Python values.
pub(crate) fn plain<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for v in items {
                list.append(plain(py, v)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, plain(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
