//! The Python side of crm-core's model (`crm_core::surface::model`, compiled from the
//! schema derived from the Rust types): one immutable record class (a named tuple, in
//! `crm_core.records`) per record of the model, and the conversion of a use case's JSON
//! result into Python values by the plan of its declared type (`date`, `datetime`,
//! `Decimal`, a record, …). The stubs are rendered from the same model
//! ([`crate::stubs`]), so the runtime and the declarations cannot disagree.
//!
//! A record class takes its fields in Python's order, not Rust's: the fields a caller must
//! give first (in declaration order), then those that default (`None` for an optional
//! field, a fresh empty list or dict for a collection the JSON may leave out), and last a
//! variant's name, which defaults to itself. So `FeatureBought(products=["B"])` and
//! `LeadStatusNew()` need no tag and no `None`s.

use chrono::{DateTime, Datelike, Timelike};
use crm_core::surface::model::{Def, Field, Model, Plan, Shape};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDateTime, PyDict, PyList, PyString, PyTuple, PyType};
use serde_json::Value;

/// The model with its Python classes.
pub(crate) struct PyModel {
    /// crm-core's model, with each class's fields in Python's order.
    pub core: Model,
    /// crm-core's model as it is (fields in declaration order), which crm-core's columnar
    /// layout walks.
    pub declared: Model,
    /// The record class of each of the model's records, by index.
    classes: Vec<Py<PyType>>,
    /// The one record of each variant without data, once made.
    units: Vec<PyOnceLock<Py<PyAny>>>,
    /// What each field of each class defaults to, if anything.
    pub defaults: Vec<Vec<Option<FieldDefault>>>,
    /// Where each class has its variant's name (`kind`), if it is a variant's record.
    kinds: Vec<Option<usize>>,
    decimal: Py<PyAny>,
}

static MODEL: PyOnceLock<PyModel> = PyOnceLock::new();

/// The model, compiled (and its classes created) on first use.
pub(crate) fn model(py: Python<'_>) -> PyResult<&'static PyModel> {
    MODEL.get_or_try_init(py, || PyModel::build(py))
}

/// Python's keywords (and soft keywords): a field named so gets a `_` after it.
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

pub(crate) fn attr_of(key: &str) -> String {
    if KEYWORDS.contains(&key) {
        format!("{key}_")
    } else {
        key.to_string()
    }
}

impl PyModel {
    fn build(py: Python<'_>) -> PyResult<PyModel> {
        let (declared, mut core) = py.detach(|| (Model::build(), Model::build()));
        let defaults = python_order(&mut core);
        let classes = make_classes(py, &core, &defaults)?;
        Ok(PyModel {
            declared,
            units: core.classes.iter().map(|_| PyOnceLock::new()).collect(),
            defaults,
            kinds: core
                .classes
                .iter()
                .map(|c| match c.shape {
                    Shape::Struct => None,
                    _ => c.fields.iter().position(|f| f.key == "kind"),
                })
                .collect(),
            core,
            classes,
            decimal: py.import("decimal")?.getattr("Decimal")?.unbind(),
        })
    }

    /// Python's `decimal.Decimal`.
    pub(crate) fn decimal<'py>(&self, py: Python<'py>) -> &Bound<'py, PyAny> {
        self.decimal.bind(py)
    }

    /// Every record class by name.
    /// Every record class by name.
    pub(crate) fn class_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (class, made) in self.core.classes.iter().zip(&self.classes) {
            dict.set_item(class.name.as_str(), made.bind(py))?;
        }
        Ok(dict)
    }

    /// The value of a field the JSON leaves out: an empty list or dict for collections
    /// (crm-core skips empty ones), else `None`.
    pub(crate) fn absent<'py>(&self, py: Python<'py>, plan: &Plan) -> PyResult<Bound<'py, PyAny>> {
        match plan {
            Plan::List(_) => Ok(PyList::empty(py).into_any()),
            Plan::Map(..) => Ok(PyDict::new(py).into_any()),
            Plan::Def(i) => self.absent(py, &self.core.defs[*i].plan),
            _ => Ok(py.None().into_bound(py)),
        }
    }

    /// A record of class `c` with these field values, made as `tuple.__new__` makes a
    /// tuple subclass's instance (the class's allocation, then each item set in place):
    /// no argument tuple, no call through Python, no copy of the values.
    pub(crate) fn instance<'py>(
        &self,
        py: Python<'py>,
        c: usize,
        values: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let len = values.len();
        self.instance_of(py, c, len, values.into_iter().map(Ok))
    }

    /// The record of a variant without data (`LeadStatusNew`), made once: records are
    /// immutable, so every value of the variant can be the same object.
    pub(crate) fn unit<'py>(
        &self,
        py: Python<'py>,
        c: usize,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let made = self.units[c].get_or_try_init(py, || {
            self.instance(py, c, vec![PyString::new(py, name).into_any()])
                .map(Bound::unbind)
        })?;
        Ok(made.bind(py).clone())
    }

    /// Where record `c` (a variant's) has the variant's name.
    pub(crate) fn kind_at(&self, c: usize) -> usize {
        self.kinds[c].unwrap_or(0)
    }

    /// The record of a newtype variant (`{"variant": value}`): its value and its name.
    pub(crate) fn newtype<'py>(
        &self,
        py: Python<'py>,
        c: usize,
        name: &str,
        value: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let name = PyString::new(py, name).into_any();
        let values = if self.kind_at(c) == 0 {
            vec![name, value]
        } else {
            vec![value, name]
        };
        self.instance(py, c, values)
    }

    /// The plan of a newtype variant's value.
    pub(crate) fn newtype_plan(&self, c: usize) -> &Plan {
        let fields = &self.core.classes[c].fields;
        &fields[1 - self.kind_at(c).min(1)].plan
    }

    /// As [`PyModel::instance`], with the `len` values given one by one (the first error
    /// stops it).
    pub(crate) fn instance_of<'py>(
        &self,
        py: Python<'py>,
        c: usize,
        len: usize,
        values: impl Iterator<Item = PyResult<Bound<'py, PyAny>>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let class = self.classes[c].bind(py);
        let len = pyo3::ffi::Py_ssize_t::try_from(len)
            .map_err(|_| pyo3::exceptions::PyOverflowError::new_err("too many fields"))?;
        // SAFETY: `class` is a named tuple class (a heap subclass of `tuple` with empty
        // `__slots__`, made by `make_classes`), whose allocation is `PyType_GenericAlloc`:
        // that gives a new tuple of `len` empty items and one reference, the state in which
        // `PyTuple_SetItem` may fill it (it checks both and steals each item's reference,
        // which `into_ptr` hands over). A failure drops the half-made tuple; empty items are
        // allowed there, and so are items never set (fewer values than `len`). Untracking
        // a tracked GC object is always allowed. The GIL is held (`py`).
        #[allow(unsafe_code)]
        unsafe {
            let made = pyo3::ffi::PyType_GenericAlloc(class.as_type_ptr(), len);
            if made.is_null() {
                return Err(PyErr::fetch(py));
            }
            let made = Bound::from_owned_ptr(py, made);
            let mut atomic = true;
            for (i, value) in (0..len).zip(values) {
                let value = value?;
                atomic &= pyo3::ffi::PyObject_GC_IsTracked(value.as_ptr()) == 0;
                if pyo3::ffi::PyTuple_SetItem(made.as_ptr(), i, value.into_ptr()) != 0 {
                    return Err(PyErr::fetch(py));
                }
            }
            // a record of texts, numbers, datetimes and such records cannot be part of a
            // cycle: out of the cyclic GC's sight, as CPython itself untracks such tuples
            // at their first collection (which otherwise walks every record of a listing)
            if atomic {
                pyo3::ffi::PyObject_GC_UnTrack(made.as_ptr().cast());
            }
            Ok(made)
        }
    }
}

/// What a field takes when a Python caller leaves it out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldDefault {
    /// `None` (an optional field).
    Null,
    /// A new empty list (a list the JSON may leave out).
    List,
    /// A new empty dict (a map the JSON may leave out).
    Dict,
    /// A new record of this class with its defaults (a record the JSON may leave out).
    Record(usize),
    /// The one name it can have (a variant's name, or a tag).
    Name(String),
}

/// What each field of each class defaults to in Python, if anything. A record field the
/// JSON may leave out defaults to a new record of its class when every field of that class
/// defaults (found by going over the classes until nothing changes).
fn field_defaults(core: &Model) -> Vec<Vec<Option<FieldDefault>>> {
    let mut whole = vec![false; core.classes.len()];
    loop {
        let defaults: Vec<Vec<Option<FieldDefault>>> = core
            .classes
            .iter()
            .map(|class| {
                class
                    .fields
                    .iter()
                    .map(|f| default_of(&core.defs, &whole, f))
                    .collect()
            })
            .collect();
        let now: Vec<bool> = defaults
            .iter()
            .map(|fields| fields.iter().all(Option::is_some))
            .collect();
        if now == whole {
            return defaults;
        }
        whole = now;
    }
}

/// What `field` defaults to, given which classes default in whole.
fn default_of(defs: &[Def], whole: &[bool], field: &Field) -> Option<FieldDefault> {
    let mut plan = &field.plan;
    while let Plan::Def(i) = plan {
        plan = &defs[*i].plan;
    }
    match plan {
        Plan::Optional(_) => Some(FieldDefault::Null),
        Plan::List(_) if !field.required => Some(FieldDefault::List),
        Plan::Map(..) if !field.required => Some(FieldDefault::Dict),
        Plan::Record(c) if !field.required && whole[*c] => Some(FieldDefault::Record(*c)),
        Plan::Literal(names) if names.len() == 1 => Some(FieldDefault::Name(names[0].clone())),
        _ => None,
    }
}

/// Puts every class's fields in Python's order: those without a default, then those with
/// one, then the names (each group in declaration order); gives the defaults in that order.
fn python_order(core: &mut Model) -> Vec<Vec<Option<FieldDefault>>> {
    let defaults = field_defaults(core);
    core.classes
        .iter_mut()
        .zip(defaults)
        .map(|(class, defaults)| {
            let mut both: Vec<(Field, Option<FieldDefault>)> = std::mem::take(&mut class.fields)
                .into_iter()
                .zip(defaults)
                .collect();
            both.sort_by_key(|(_, d)| match d {
                None => 0,
                Some(FieldDefault::Name(_)) => 2,
                Some(_) => 1,
            });
            let (fields, defaults) = both.into_iter().unzip();
            class.fields = fields;
            defaults
        })
        .collect()
}

/// Python code the record classes need: an empty collection (or a record) made new for
/// each record that defaults to one (a shared `[]` default would be one list for every
/// record).
const FRESH: &std::ffi::CStr = cr#"
import functools

class Fresh:
    """A default made anew for each record (shown as the value it makes)."""
    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make

    def __repr__(self):
        return repr(self.make())

LIST = Fresh(list)
DICT = Fresh(dict)
CLASSES = []

def record(c):
    return Fresh(lambda: CLASSES[c]())

def fresh_defaults(cls):
    made = cls.__new__

    @functools.wraps(made)
    def __new__(_cls, *args, **kwargs):
        self = made(_cls, *args, **kwargs)
        if any(type(v) is Fresh for v in self):
            return tuple.__new__(_cls, [v.make() if type(v) is Fresh else v for v in self])
        return self

    cls.__new__ = staticmethod(__new__)
"#;

/// Creates the record classes: `collections.namedtuple`s in `crm_core.records`, with their
/// docs, their fields' docs, their defaults and their JSON shape (`_crm_shape`,
/// `_crm_keys`).
fn make_classes(
    py: Python<'_>,
    core: &Model,
    defaults_of: &[Vec<Option<FieldDefault>>],
) -> PyResult<Vec<Py<PyType>>> {
    let namedtuple = py.import("collections")?.getattr("namedtuple")?;
    let fresh = PyModule::from_code(py, FRESH, c"crm_core_records_fresh.py", c"crm_core._fresh")?;
    let fresh_list = fresh.getattr("LIST")?;
    let fresh_dict = fresh.getattr("DICT")?;
    let fresh_defaults = fresh.getattr("fresh_defaults")?;
    let fresh_record = fresh.getattr("record")?;
    let mut made_all = Vec::with_capacity(core.classes.len());
    for (class, field_defaults) in core.classes.iter().zip(defaults_of) {
        let kwargs = PyDict::new(py);
        kwargs.set_item("module", "crm_core.records")?;
        let names: Vec<String> = class.fields.iter().map(|f| attr_of(&f.key)).collect();
        let keys: Vec<&str> = class.fields.iter().map(|f| f.key.as_str()).collect();
        let mut defaults = Vec::new();
        let mut needs_fresh = false;
        for default in field_defaults {
            match default {
                None => {}
                Some(FieldDefault::Null) => defaults.push(py.None().into_bound(py)),
                Some(FieldDefault::List) => {
                    needs_fresh = true;
                    defaults.push(fresh_list.clone());
                }
                Some(FieldDefault::Dict) => {
                    needs_fresh = true;
                    defaults.push(fresh_dict.clone());
                }
                Some(FieldDefault::Record(c)) => {
                    needs_fresh = true;
                    defaults.push(fresh_record.call1((*c,))?);
                }
                Some(FieldDefault::Name(name)) => defaults.push(PyString::new(py, name).into_any()),
            }
        }
        kwargs.set_item("defaults", PyTuple::new(py, defaults)?)?;
        let made = namedtuple.call((class.name.as_str(), names.clone()), Some(&kwargs))?;
        if needs_fresh {
            fresh_defaults.call1((&made,))?;
        }
        made.setattr("__doc__", class.doc.as_str())?;
        let shape = match &class.shape {
            Shape::Struct => ("struct", String::new()),
            Shape::Unit(v) => ("unit", v.clone()),
            Shape::Variant(v) => ("variant", v.clone()),
            Shape::Newtype(v) => ("newtype", v.clone()),
        };
        made.setattr("_crm_shape", shape)?;
        made.setattr("_crm_keys", PyTuple::new(py, keys)?)?;
        for (field, name) in class.fields.iter().zip(&names) {
            if !field.doc.is_empty() {
                made.getattr(name.as_str())?
                    .setattr("__doc__", field.doc.as_str())?;
            }
        }
        made_all.push(made.cast_into::<PyType>()?.unbind());
    }
    let classes = fresh.getattr("CLASSES")?;
    for made in &made_all {
        classes.call_method1("append", (made.bind(py),))?;
    }
    Ok(made_all)
}

/// An instant as an aware `datetime` in UTC.
pub(crate) fn instant(py: Python<'_>, t: DateTime<chrono::Utc>) -> PyResult<Bound<'_, PyAny>> {
    static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    thread_local! {
        // the last instant made: a record's `updated_at` is often its `created_at`, and a
        // batch's records share their instants (datetimes are immutable)
        static LAST: std::cell::RefCell<Option<(DateTime<chrono::Utc>, Py<PyAny>)>> =
            const { std::cell::RefCell::new(None) };
    }
    if let Some(hit) = LAST.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(at, _)| *at == t)
            .map(|(_, v)| v.clone_ref(py))
    }) {
        return Ok(hit.into_bound(py));
    }
    let utc = UTC.get_or_try_init(py, || {
        pyo3::types::PyTzInfo::utc(py).map(|u| u.to_owned().into_any().unbind())
    })?;
    let utc = utc.bind(py).cast::<pyo3::types::PyTzInfo>()?;
    let made = PyDateTime::new(
        py,
        t.year(),
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
        t.nanosecond() / 1000,
        Some(utc),
    )?
    .into_any();
    LAST.with(|l| *l.borrow_mut() = Some((t, made.clone().unbind())));
    Ok(made)
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
