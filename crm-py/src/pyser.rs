//! crm-core values straight into Python objects: a serde `Serializer` guided by the plan of
//! the declared type ([`crate::model`]), with no JSON in between — a struct becomes its
//! record class, a day a `date`, an instant an aware `datetime`, a decimal a `Decimal`, an
//! enum variant its record (or its name). One pass, one Python object per value.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike};
use crm_core::surface::model::{Plan, Shape, Union};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDict, PyList, PyString, PyTime, PyTuple};
use serde::ser::{self, Serialize};

use crate::model::{PyModel, instant};

/// A Python error while serializing.
#[derive(Debug)]
pub(crate) struct SerError(pub PyErr);

impl std::fmt::Display for SerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        SerError(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<std::convert::Infallible> for SerError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl From<PyErr> for SerError {
    fn from(e: PyErr) -> Self {
        SerError(e)
    }
}

type R<'py> = Result<Bound<'py, PyAny>, SerError>;

/// `value` as the Python value of the type `plan` describes.
pub(crate) fn to_python<'py, T: Serialize + ?Sized>(
    m: &PyModel,
    py: Python<'py>,
    plan: &Plan,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(PySer { m, py, plan }).map_err(|e| e.0)
}

/// An instant in the one form crm-core writes them (`2026-03-02T09:00:00.123456789Z`:
/// UTC, `Z`, 0 to 9 fraction digits) read without a general RFC 3339 parser; `None` for
/// any other form (the caller then uses one).
fn canonical_utc(v: &str) -> Option<DateTime<chrono::Utc>> {
    let b = v.as_bytes();
    let digits = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[b.len() - 1] != b'Z'
    {
        return None;
    }
    let nanos = match b.len() {
        20 => 0,
        n if (22..=30).contains(&n) && b[19] == b'.' => {
            let fraction = digits(20, n - 1)?;
            fraction * 10u32.pow((30 - n) as u32)
        }
        _ => return None,
    };
    let day = NaiveDate::from_ymd_opt(digits(0, 4)? as i32, digits(5, 7)?, digits(8, 10)?)?;
    let time =
        NaiveTime::from_hms_nano_opt(digits(11, 13)?, digits(14, 16)?, digits(17, 19)?, nanos)?;
    Some(day.and_time(time).and_utc())
}

/// The serializer: where the value goes (`plan`), and the model to build it with.
#[derive(Clone, Copy)]
pub(crate) struct PySer<'a, 'py> {
    m: &'a PyModel,
    py: Python<'py>,
    plan: &'a Plan,
}

impl<'a, 'py> PySer<'a, 'py> {
    /// A serializer of values of `plan`.
    pub(crate) fn new(m: &'a PyModel, py: Python<'py>, plan: &'a Plan) -> Self {
        PySer { m, py, plan }
    }

    /// The plan with names and optionality looked through.
    fn target(&self) -> &'a Plan {
        let mut plan = self.plan;
        loop {
            match plan {
                Plan::Def(i) => plan = &self.m.core.defs[*i].plan,
                Plan::Optional(inner) => plan = inner,
                other => return other,
            }
        }
    }

    fn with(self, plan: &'a Plan) -> Self {
        PySer { plan, ..self }
    }

    fn union(&self) -> Option<&'a Union> {
        match self.target() {
            Plan::Union(u) => Some(&self.m.core.unions[*u]),
            _ => None,
        }
    }

    /// Text as the value of the plan: a decimal, an instant, a day, a time, a unit variant's
    /// record, or a string.
    pub(crate) fn text(self, v: &str) -> R<'py> {
        let py = self.py;
        let plain = || Ok(PyString::new(py, v).into_any());
        match self.target() {
            Plan::Decimal => Ok(self.m.decimal(py).call1((v,))?),
            Plan::Instant => match canonical_utc(v)
                .map(Ok)
                .unwrap_or_else(|| DateTime::parse_from_rfc3339(v).map(|t| t.to_utc()))
            {
                Ok(t) => Ok(instant(py, t)?),
                Err(_) => plain(),
            },
            Plan::Day => match v.parse::<NaiveDate>() {
                Ok(d) => Ok(PyDate::new(py, d.year(), d.month() as u8, d.day() as u8)?.into_any()),
                Err(_) => plain(),
            },
            Plan::TimeOfDay => match v.parse::<NaiveTime>() {
                Ok(t) => Ok(PyTime::new(
                    py,
                    t.hour() as u8,
                    t.minute() as u8,
                    t.second() as u8,
                    t.nanosecond() / 1000,
                    None,
                )?
                .into_any()),
                Err(_) => plain(),
            },
            Plan::Union(u) => match self.m.core.unions[*u].units.get(v) {
                Some(&c) => Ok(self.m.unit(py, c, v)?),
                None => plain(),
            },
            _ => plain(),
        }
    }

    /// A collector for the fields of record `c` (`kind` set for an enum variant's record).
    fn record(self, c: usize, kind: Option<&'static str>) -> Fields<'a, 'py> {
        let n = self.m.core.classes[c].fields.len();
        let mut values: Vec<Option<Bound<'py, PyAny>>> = vec![None; n];
        let mut next = 0;
        if let Some(kind) = kind {
            let at = self.m.kind_at(c);
            values[at] = Some(PyString::new(self.py, kind).into_any());
            next = usize::from(at == 0);
        }
        Fields {
            s: self,
            class: Some(c),
            values,
            next,
            pending: Vec::new(),
            union: None,
            key: None,
        }
    }

    /// A collector for a struct or map whose record is known only from its tag (an
    /// internally or adjacently tagged enum), or a plain dict.
    fn open(self, union: Option<&'a Union>) -> Fields<'a, 'py> {
        Fields {
            s: self,
            class: None,
            values: Vec::new(),
            next: 0,
            pending: Vec::new(),
            union,
            key: None,
        }
    }
}

/// Fields of a record being collected (or, without a record, dict entries).
pub(crate) struct Fields<'a, 'py> {
    s: PySer<'a, 'py>,
    class: Option<usize>,
    values: Vec<Option<Bound<'py, PyAny>>>,
    next: usize,
    /// Entries before a record is known, and the entries of a plain dict.
    pending: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    union: Option<&'a Union>,
    key: Option<Bound<'py, PyAny>>,
}

impl<'a, 'py> Fields<'a, 'py> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), SerError> {
        let m = self.s.m;
        if self.class.is_none()
            && let Some(union) = self.union
            && let Some((tag, by_value)) = &union.tag
            && key == tag
        {
            // the tag comes first: it names the record of the rest
            let name = value.serialize(TagName)?;
            if let Some(&c) = by_value.get(&name) {
                self.class = Some(c);
                self.values = vec![None; m.core.classes[c].fields.len()];
                // fields written before the tag (a struct's own, around a flattened enum)
                for (k, v) in std::mem::take(&mut self.pending) {
                    let key: String = k.extract()?;
                    let fields = &m.core.classes[c].fields;
                    if let Some(i) = fields.iter().position(|f| f.key == key) {
                        let v = match v.extract::<String>() {
                            Ok(text) => self.s.with(&fields[i].plan).text(&text)?,
                            Err(_) => v,
                        };
                        self.values[i] = Some(v);
                    }
                }
            }
        }
        let Some(c) = self.class else {
            let v = value.serialize(self.s.with(&Plan::Any))?;
            self.pending
                .push((PyString::new(self.s.py, key).into_any(), v));
            return Ok(());
        };
        let fields = &m.core.classes[c].fields;
        let at = if fields.get(self.next).is_some_and(|f| f.key == key) {
            Some(self.next)
        } else {
            fields.iter().position(|f| f.key == key)
        };
        if let Some(i) = at {
            self.values[i] = Some(value.serialize(self.s.with(&fields[i].plan))?);
            self.next = i + 1;
        }
        Ok(())
    }

    fn finish(self) -> R<'py> {
        let py = self.s.py;
        let m = self.s.m;
        match self.class {
            Some(c) => {
                let fields = &m.core.classes[c].fields;
                let values = self
                    .values
                    .into_iter()
                    .zip(fields)
                    .map(|(v, f)| match v {
                        Some(v) => Ok(v),
                        None => m.absent(py, &f.plan),
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                Ok(m.instance(py, c, values)?)
            }
            None => {
                let dict = PyDict::new(py);
                for (k, v) in self.pending {
                    dict.set_item(k, v)?;
                }
                Ok(dict.into_any())
            }
        }
    }
}

/// Reads a tag's value (a variant name) as text.
struct TagName;

macro_rules! not_a_name {
    ($($method:ident($($ty:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $ty),*) -> Result<String, SerError> {
            Err(ser::Error::custom("a tag is a name"))
        })*
    };
}

impl ser::Serializer for TagName {
    type Ok = String;
    type Error = SerError;
    type SerializeSeq = ser::Impossible<String, SerError>;
    type SerializeTuple = ser::Impossible<String, SerError>;
    type SerializeTupleStruct = ser::Impossible<String, SerError>;
    type SerializeTupleVariant = ser::Impossible<String, SerError>;
    type SerializeMap = ser::Impossible<String, SerError>;
    type SerializeStruct = ser::Impossible<String, SerError>;
    type SerializeStructVariant = ser::Impossible<String, SerError>;

    fn serialize_str(self, v: &str) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, SerError> {
        Ok(variant.to_string())
    }
    not_a_name!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<String, SerError> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, SerError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, SerError> {
        Err(ser::Error::custom("a tag is a name"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, SerError> {
        Err(ser::Error::custom("a tag is a name"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, SerError> {
        Err(ser::Error::custom("a tag is a name"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, SerError> {
        Err(ser::Error::custom("a tag is a name"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, SerError> {
        Err(ser::Error::custom("a tag is a name"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, SerError> {
        Err(ser::Error::custom("a tag is a name"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, SerError> {
        Err(ser::Error::custom("a tag is a name"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, SerError> {
        Err(ser::Error::custom("a tag is a name"))
    }
}

/// Items of a list or tuple being collected.
pub(crate) struct Items<'a, 'py> {
    s: PySer<'a, 'py>,
    items: Vec<Bound<'py, PyAny>>,
    tuple: bool,
}

impl<'a, 'py> Items<'a, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let plan = match self.s.target() {
            Plan::List(item) => item.as_ref(),
            Plan::Tuple(plans) => plans.get(self.items.len()).unwrap_or(&Plan::Any),
            _ => &Plan::Any,
        };
        self.items.push(value.serialize(self.s.with(plan))?);
        Ok(())
    }

    fn finish(self) -> R<'py> {
        let py = self.s.py;
        if self.tuple {
            Ok(PyTuple::new(py, self.items)?.into_any())
        } else {
            Ok(PyList::new(py, self.items)?.into_any())
        }
    }
}

impl<'a, 'py> ser::SerializeSeq for Items<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.push(v)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeTuple for Items<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.push(v)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeTupleStruct for Items<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.push(v)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

/// A tuple variant: `{variant: [items]}` (no declared type has one; read as plain data).
pub(crate) struct TupleVariant<'a, 'py> {
    items: Items<'a, 'py>,
    variant: &'static str,
}

impl<'a, 'py> ser::SerializeTupleVariant for TupleVariant<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.items.push(v)
    }
    fn end(self) -> R<'py> {
        let py = self.items.s.py;
        let dict = PyDict::new(py);
        dict.set_item(self.variant, self.items.finish()?)?;
        Ok(dict.into_any())
    }
}

impl<'a, 'py> ser::SerializeMap for Fields<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        let key_plan = match self.s.target() {
            Plan::Map(key, _) => key.as_ref(),
            _ => &Plan::Str,
        };
        self.key = Some(key.serialize(self.s.with(key_plan))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <SerError as ser::Error>::custom("a value without its key"))?;
        match self.s.target() {
            Plan::Map(_, item) => {
                let v = value.serialize(self.s.with(item))?;
                self.pending.push((key, v));
                Ok(())
            }
            // a struct written as a map (a flattened field): its fields by name
            Plan::Record(_) | Plan::Union(_) => {
                let name: String = key.extract()?;
                self.field(&name, value)
            }
            _ => {
                let v = value.serialize(self.s.with(&Plan::Any))?;
                self.pending.push((key, v));
                Ok(())
            }
        }
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeStruct for Fields<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.field(key, value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeStructVariant for Fields<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.field(key, value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'a, 'py> ser::Serializer for PySer<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    type SerializeSeq = Items<'a, 'py>;
    type SerializeTuple = Items<'a, 'py>;
    type SerializeTupleStruct = Items<'a, 'py>;
    type SerializeTupleVariant = TupleVariant<'a, 'py>;
    type SerializeMap = Fields<'a, 'py>;
    type SerializeStruct = Fields<'a, 'py>;
    type SerializeStructVariant = Fields<'a, 'py>;

    fn serialize_bool(self, v: bool) -> R<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> R<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> R<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> R<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_u8(self, v: u8) -> R<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> R<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> R<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_f32(self, v: f32) -> R<'py> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_char(self, v: char) -> R<'py> {
        self.text(&v.to_string())
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        self.text(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'py> {
        Ok(pyo3::types::PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R<'py> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R<'py> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R<'py> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R<'py> {
        let py = self.py;
        if let Some(union) = self.union()
            && let Some(&c) = union.external.get(variant)
        {
            let class = &self.m.core.classes[c];
            return match &class.shape {
                Shape::Variant(_) => value.serialize(VariantBody {
                    s: self,
                    c,
                    variant,
                }),
                _ => {
                    let v = value.serialize(self.with(self.m.newtype_plan(c)))?;
                    Ok(self.m.newtype(py, c, variant, v)?)
                }
            };
        }
        let dict = PyDict::new(py);
        dict.set_item(variant, value.serialize(self.with(&Plan::Any))?)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items<'a, 'py>, SerError> {
        Ok(Items {
            s: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            tuple: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Items<'a, 'py>, SerError> {
        Ok(Items {
            s: self,
            items: Vec::with_capacity(len),
            tuple: matches!(self.target(), Plan::Tuple(_)),
        })
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Items<'a, 'py>, SerError> {
        self.serialize_tuple(len)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<TupleVariant<'a, 'py>, SerError> {
        Ok(TupleVariant {
            items: Items {
                s: self.with(&Plan::Any),
                items: Vec::with_capacity(len),
                tuple: false,
            },
            variant,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Fields<'a, 'py>, SerError> {
        Ok(match self.target() {
            Plan::Record(c) => self.record(*c, None),
            Plan::Union(u) => self.open(Some(&self.m.core.unions[*u])),
            _ => self.open(None),
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'a, 'py>, SerError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Fields<'a, 'py>, SerError> {
        if let Some(union) = self.union()
            && let Some(&c) = union.external.get(variant)
        {
            return Ok(self.record(c, Some(variant)));
        }
        // not declared: plain data `{variant: {…}}` would need wrapping; read the fields plainly
        Ok(self.with(&Plan::Any).open(None))
    }
}

/// The struct inside an externally tagged newtype variant (`{"variant": {fields}}`), as
/// the variant's record.
struct VariantBody<'a, 'py> {
    s: PySer<'a, 'py>,
    c: usize,
    variant: &'static str,
}

impl<'a, 'py> VariantBody<'a, 'py> {
    fn plain(self) -> PySer<'a, 'py> {
        self.s.with(&Plan::Any)
    }
}

macro_rules! body_plain {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ret:ty),* $(,)?) => {
        $(fn $method(self, $($arg: $ty),*) -> $ret {
            self.plain().$method($($arg),*)
        })*
    };
}

impl<'a, 'py> ser::Serializer for VariantBody<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    type SerializeSeq = Items<'a, 'py>;
    type SerializeTuple = Items<'a, 'py>;
    type SerializeTupleStruct = Items<'a, 'py>;
    type SerializeTupleVariant = TupleVariant<'a, 'py>;
    type SerializeMap = Fields<'a, 'py>;
    type SerializeStruct = Fields<'a, 'py>;
    type SerializeStructVariant = Fields<'a, 'py>;

    body_plain!(
        serialize_bool(v: bool) -> R<'py>,
        serialize_i8(v: i8) -> R<'py>,
        serialize_i16(v: i16) -> R<'py>,
        serialize_i32(v: i32) -> R<'py>,
        serialize_i64(v: i64) -> R<'py>,
        serialize_u8(v: u8) -> R<'py>,
        serialize_u16(v: u16) -> R<'py>,
        serialize_u32(v: u32) -> R<'py>,
        serialize_u64(v: u64) -> R<'py>,
        serialize_f32(v: f32) -> R<'py>,
        serialize_f64(v: f64) -> R<'py>,
        serialize_char(v: char) -> R<'py>,
        serialize_str(v: &str) -> R<'py>,
        serialize_bytes(v: &[u8]) -> R<'py>,
        serialize_none() -> R<'py>,
        serialize_unit() -> R<'py>,
        serialize_unit_struct(n: &'static str) -> R<'py>,
        serialize_unit_variant(n: &'static str, i: u32, v: &'static str) -> R<'py>,
        serialize_seq(len: Option<usize>) -> Result<Items<'a, 'py>, SerError>,
        serialize_tuple(len: usize) -> Result<Items<'a, 'py>, SerError>,
        serialize_tuple_struct(n: &'static str, len: usize) -> Result<Items<'a, 'py>, SerError>,
        serialize_tuple_variant(n: &'static str, i: u32, v: &'static str, len: usize) -> Result<TupleVariant<'a, 'py>, SerError>,
        serialize_struct_variant(n: &'static str, i: u32, v: &'static str, len: usize) -> Result<Fields<'a, 'py>, SerError>,
    );
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R<'py> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R<'py> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        n: &'static str,
        i: u32,
        v: &'static str,
        value: &T,
    ) -> R<'py> {
        self.plain().serialize_newtype_variant(n, i, v, value)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Fields<'a, 'py>, SerError> {
        Ok(self.s.record(self.c, Some(self.variant)))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'a, 'py>, SerError> {
        Ok(self.s.record(self.c, Some(self.variant)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_instants_read_as_chrono_reads_them() {
        for text in [
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:00:00.5Z",
            "2026-12-06T11:15:45.504584078Z",
            "1999-12-31T23:59:59.123456Z",
            "2024-02-29T00:00:00.000000001Z",
        ] {
            let chrono = DateTime::parse_from_rfc3339(text).unwrap().to_utc();
            assert_eq!(canonical_utc(text), Some(chrono), "{text}");
        }
        // other forms are left to chrono
        for text in [
            "2026-03-02T09:00:00+01:00",
            "2026-03-02 09:00:00Z",
            "2026-02-30T09:00:00Z",
            "2026-03-02T09:00:00.1234567890Z",
            "2026-03-02T09:00:00.Z",
            "2026-03-02T09:0a:00Z",
            "2026-03-02",
        ] {
            assert_eq!(canonical_utc(text), None, "{text}");
        }
    }
}
