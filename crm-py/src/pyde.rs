//! Stored JSON documents straight into Python objects, guided by the plan of the record
//! they hold: what a listing (a use case declared `every Record`) returns to Python without
//! making a Rust value first. A serde `DeserializeSeed` walks each document once and builds
//! the same objects [`crate::pyser`] builds from the typed value — a struct its record
//! class, an instant an aware `datetime`, a decimal a `Decimal`, a variant its record —
//! with text taken from the document in place (no Rust `String`, no re-validation of
//! values crm-core validated when it stored them).
//!
//! A document of a shape the plan does not expect (a key that is no field, a required field
//! left out: what an older version of crm-core may have stored) is not guessed at:
//! [`documents`] answers `None` and the caller reads the typed records instead. Debug builds
//! compare every listing with the typed path ([`crate::surface`]).

use std::cell::RefCell;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crm_core::store::Documents;
use crm_core::surface::model::{Plan, Shape, Union};
use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::model::PyModel;
use crate::pyser::PySer;

/// How many records listings made from their documents, and how many listings fell back
/// to the typed path (for the tests: `_listing_stats()`).
pub(crate) static MADE: AtomicU64 = AtomicU64::new(0);
pub(crate) static FELL_BACK: AtomicU64 = AtomicU64::new(0);

/// Every document as the Python value of `item` (the plan of one record), in a list; `None`
/// when one of them has a shape the plan does not expect.
pub(crate) fn documents<'py>(
    m: &PyModel,
    py: Python<'py>,
    item: &Plan,
    docs: &Documents,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let failed = RefCell::new(None);
    let mut out = Vec::with_capacity(docs.len());
    for doc in docs.iter() {
        let mut de = serde_json::Deserializer::from_str(doc.json);
        let node = Node {
            m,
            py,
            plan: item,
            version: Some(doc.version),
            failed: &failed,
        };
        match node.deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
            Ok(v) => out.push(v),
            Err(_) => {
                return match failed.into_inner() {
                    Some(e) => Err(e),
                    None => {
                        FELL_BACK.fetch_add(1, Ordering::Relaxed);
                        Ok(None)
                    }
                };
            }
        }
    }
    MADE.fetch_add(out.len() as u64, Ordering::Relaxed);
    Ok(Some(PyList::new(py, out)?))
}

/// A number as its Python `int` or `float` (which cannot fail).
fn int<'py, T>(py: Python<'py>, v: T) -> Bound<'py, PyAny>
where
    T: IntoPyObject<'py, Error = std::convert::Infallible>,
{
    match v.into_pyobject(py) {
        Ok(made) => made.into_any().into_bound(),
        Err(never) => match never {},
    }
}

/// Where a value goes: its plan, and for a stored record's top level, the store's version
/// (which the record's `version` field takes).
#[derive(Clone, Copy)]
struct Node<'a, 'py> {
    m: &'a PyModel,
    py: Python<'py>,
    plan: &'a Plan,
    version: Option<u64>,
    /// A Python error met on the way (the serde error that carries it up says only that).
    failed: &'a RefCell<Option<PyErr>>,
}

impl<'a, 'py> Node<'a, 'py> {
    fn with(self, plan: &'a Plan) -> Self {
        Node {
            plan,
            version: None,
            ..self
        }
    }

    /// The plan with names looked through (optionality kept: `null` may be its value).
    fn target(&self) -> &'a Plan {
        let mut plan = self.plan;
        while let Plan::Def(i) = plan {
            plan = &self.m.core.defs[*i].plan;
        }
        plan
    }

    /// Keeps a Python error for the caller; the serde error only unwinds the walk.
    fn fail<E: de::Error>(&self, e: PyErr) -> E {
        *self.failed.borrow_mut() = Some(e);
        E::custom("a Python error")
    }

    fn ser(&self) -> PySer<'a, 'py> {
        PySer::new(self.m, self.py, self.plan)
    }

    fn ok<E: de::Error>(&self, made: PyResult<Bound<'py, PyAny>>) -> Result<Bound<'py, PyAny>, E> {
        made.map_err(|e| self.fail(e))
    }

    /// A value whose reading needs the whole of it first (a tagged union's tag may come
    /// last; free JSON): read as JSON, then made as the typed path makes it.
    fn via_value<'de, D: Deserializer<'de>>(self, d: D) -> Result<Bound<'py, PyAny>, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        self.ok(crate::pyser::to_python(self.m, self.py, self.plan, &value))
    }

    /// A record of class `c` from the fields of a JSON object (`kind` set for a variant's
    /// record, which has a field for the variant's name).
    fn record<'de, A: MapAccess<'de>>(
        self,
        c: usize,
        kind: Option<&str>,
        mut map: A,
    ) -> Result<Bound<'py, PyAny>, A::Error> {
        let py = self.py;
        let fields = &self.m.core.classes[c].fields;
        let mut values: Vec<Option<Bound<'py, PyAny>>> = vec![None; fields.len()];
        let mut next = 0;
        if let Some(kind) = kind {
            let at = self.m.kind_at(c);
            values[at] = Some(PyString::new(py, kind).into_any());
            next = usize::from(at == 0);
        }
        while let Some(i) = map.next_key_seed(FieldKey { fields, next })? {
            if let Some(version) = self.version.filter(|_| fields[i].key == "version") {
                map.next_value::<IgnoredAny>()?;
                values[i] = Some(int(py, version));
            } else {
                values[i] = Some(map.next_value_seed(self.with(&fields[i].plan))?);
            }
            next = i + 1;
        }
        if values
            .iter()
            .zip(fields)
            .any(|(v, f)| v.is_none() && f.required)
        {
            return Err(de::Error::custom("a required field is missing"));
        }
        // a field left out is what the typed path makes of it (an empty list, a `None`)
        let values = values.into_iter().zip(fields).map(|(v, f)| match v {
            Some(v) => Ok(v),
            None => self.m.absent(py, &f.plan),
        });
        self.ok(self.m.instance_of(py, c, fields.len(), values))
    }

    /// An externally tagged variant with data: `{"variant": …}`.
    fn variant<'de, A: MapAccess<'de>>(
        self,
        union: &'a Union,
        mut map: A,
    ) -> Result<Bound<'py, PyAny>, A::Error> {
        let Some((name, c)) = map.next_key_seed(VariantKey(union))? else {
            return Err(de::Error::custom("an empty object is no variant"));
        };
        let class = &self.m.core.classes[c];
        let made = match &class.shape {
            Shape::Variant(_) => map.next_value_seed(VariantBody {
                node: self,
                c,
                name,
            })?,
            Shape::Newtype(_) => {
                let value = map.next_value_seed(self.with(self.m.newtype_plan(c)))?;
                self.ok(self.m.newtype(self.py, c, name, value))?
            }
            _ => return Err(de::Error::custom("not a variant with data")),
        };
        match map.next_key::<IgnoredAny>()? {
            None => Ok(made),
            Some(_) => Err(de::Error::custom("a variant is one key")),
        }
    }
}

impl<'de, 'py> DeserializeSeed<'de> for Node<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match self.target() {
            Plan::Optional(_) => d.deserialize_option(self),
            Plan::Record(_) | Plan::Map(..) => d.deserialize_map(self),
            Plan::List(_) => d.deserialize_seq(self),
            Plan::Union(u) if self.m.core.unions[*u].tag.is_none() => d.deserialize_any(self),
            Plan::Union(_) | Plan::Tuple(_) | Plan::Any => self.via_value(d),
            Plan::Int => d.deserialize_any(self),
            Plan::Float => d.deserialize_f64(self),
            Plan::Bool => d.deserialize_bool(self),
            Plan::Str
            | Plan::Decimal
            | Plan::Instant
            | Plan::Day
            | Plan::TimeOfDay
            | Plan::Literal(_) => d.deserialize_str(self),
            Plan::Def(_) => Err(de::Error::custom("a named type not looked through")),
        }
    }
}

impl<'de, 'py> Visitor<'de> for Node<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value of plan {:?}", self.target())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        match self.target() {
            Plan::Optional(_) => Ok(self.py.None().into_bound(self.py)),
            _ => Err(E::custom("null for a value")),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match self.target() {
            Plan::Optional(inner) => self.with(inner).deserialize(d),
            _ => Err(de::Error::custom("an optional value where none is")),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        match self.target() {
            Plan::Bool => Ok(PyBool::new(self.py, v).to_owned().into_any()),
            _ => Err(E::custom("a boolean")),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match self.target() {
            Plan::Int => Ok(int(self.py, v)),
            Plan::Float => self.visit_f64(v as f64),
            _ => Err(E::custom("a number")),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match self.target() {
            Plan::Int => Ok(int(self.py, v)),
            Plan::Float => self.visit_f64(v as f64),
            _ => Err(E::custom("a number")),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        match self.target() {
            Plan::Float => Ok(int(self.py, v)),
            _ => Err(E::custom("a floating-point number")),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match self.target() {
            Plan::Str
            | Plan::Decimal
            | Plan::Instant
            | Plan::Day
            | Plan::TimeOfDay
            | Plan::Literal(_)
            | Plan::Union(_) => self.ser().text(v).map_err(|e| self.fail(e.0)),
            _ => Err(E::custom("text")),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let Plan::List(item) = self.target() else {
            return Err(de::Error::custom("a list"));
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(self.with(item))? {
            items.push(v);
        }
        self.ok(PyList::new(self.py, items).map(Bound::into_any))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match self.target() {
            Plan::Record(c) => self.record(*c, None, map),
            Plan::Union(u) => self.variant(&self.m.core.unions[*u], map),
            Plan::Map(key, value) => {
                let dict = PyDict::new(self.py);
                while let Some(k) = map.next_key_seed(self.with(key))? {
                    let v = map.next_value_seed(self.with(value))?;
                    dict.set_item(k, v).map_err(|e| self.fail::<A::Error>(e))?;
                }
                Ok(dict.into_any())
            }
            _ => Err(de::Error::custom("an object")),
        }
    }
}

/// A key of a record's object: the index of its field (a key that is none is refused).
struct FieldKey<'a> {
    fields: &'a [crm_core::surface::model::Field],
    /// Where the next field usually is (keys come in declaration order).
    next: usize,
}

impl<'de> DeserializeSeed<'de> for FieldKey<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FieldKey<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field's key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        if self.fields.get(self.next).is_some_and(|f| f.key == key) {
            return Ok(self.next);
        }
        self.fields
            .iter()
            .position(|f| f.key == key)
            .ok_or_else(|| E::custom("a key that is no field"))
    }
}

/// The key of an externally tagged variant: its name and record.
struct VariantKey<'a>(&'a Union);

impl<'de, 'a> DeserializeSeed<'de> for VariantKey<'a> {
    type Value = (&'a str, usize);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'a> Visitor<'de> for VariantKey<'a> {
    type Value = (&'a str, usize);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a variant's name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        self.0
            .external
            .get_key_value(key)
            .map(|(name, &c)| (name.as_str(), c))
            .ok_or_else(|| E::custom("not a variant"))
    }
}

/// The object inside `{"variant": {…}}`, as the variant's record.
struct VariantBody<'a, 'py> {
    node: Node<'a, 'py>,
    c: usize,
    name: &'a str,
}

impl<'de, 'py> DeserializeSeed<'de> for VariantBody<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'py> Visitor<'de> for VariantBody<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a variant's fields")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.node.record(self.c, Some(self.name), map)
    }
}
