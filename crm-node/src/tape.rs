//! Results written as a tape: a serde serializer guided by crm-core's model of the surface
//! (the plan of the result's type) that writes a value as four flat columns — one text
//! holding every string one after the other, the end of each (in UTF-16 units, as JS
//! counts), the numbers, and one byte per decision (present or null, which field, which
//! variant, one more item) — for the decoder [`crate::decoders`] generates from the same
//! model to rebuild in JS.
//!
//! Why not JSON text for `JSON.parse`: parsing is the floor of that path and it costs more
//! than the whole read of the records (100k leads: 2.9 µs a lead in V8's parser alone). The
//! decoder builds each object with its camelCase keys known in advance, takes every
//! string as a slice of one text, and reads numbers from a `Float64Array`.
//!
//! A value that does not fit its plan (a type whose serde form and schema disagree) is a
//! [`Mismatch`]: the caller falls back to JSON text, and debug builds refuse it so that
//! the tests find it.

use std::fmt;

use crm_core::surface::model::{Model, Plan, Shape};
use serde::ser::{self, Serialize};
use serde_json::Value;

/// A value as four columns (see the module doc).
#[derive(Debug, Default)]
pub struct Tape {
    /// Every string, one after the other.
    pub text: String,
    /// Where each string ends in `text`, in UTF-16 units.
    pub ends: Vec<u32>,
    /// Every number.
    pub nums: Vec<f64>,
    /// One byte per decision: 0/1 for null/present and end/more, field and variant numbers.
    pub bytes: Vec<u8>,
    units: u64,
    /// Whether `text` is all ASCII (it can then cross as Latin-1, without decoding).
    pub ascii: bool,
}

/// The byte that says "a key not in the record's class follows" (key and JSON value).
pub const EXTRA_FIELD: u8 = 255;
/// The most fields a class can have for its field numbers to fit in a byte.
pub const MAX_FIELDS: usize = 254;

impl Tape {
    fn new() -> Tape {
        Tape {
            ascii: true,
            ..Tape::default()
        }
    }

    fn str(&mut self, s: &str) -> Result<(), Mismatch> {
        self.text.push_str(s);
        let units = if s.is_ascii() {
            s.len() as u64
        } else {
            self.ascii = false;
            s.encode_utf16().count() as u64
        };
        self.end_string(units)
    }

    /// Writes `value`'s text as the next string.
    fn display<T: fmt::Display + ?Sized>(&mut self, value: &T) -> Result<(), Mismatch> {
        use fmt::Write as _;
        let start = self.text.len();
        write!(self.text, "{value}").map_err(|e| Mismatch(e.to_string()))?;
        let added = &self.text[start..];
        let units = if added.is_ascii() {
            added.len() as u64
        } else {
            self.ascii = false;
            added.encode_utf16().count() as u64
        };
        self.end_string(units)
    }

    fn end_string(&mut self, units: u64) -> Result<(), Mismatch> {
        self.units += units;
        let end = u32::try_from(self.units)
            .map_err(|_| Mismatch("more than 4 G characters of text".into()))?;
        self.ends.push(end);
        Ok(())
    }

    fn num(&mut self, n: f64) {
        self.nums.push(n);
    }

    fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }
}

/// A value that does not fit the plan it was written by.
#[derive(Debug)]
pub struct Mismatch(pub String);

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Mismatch {}

impl ser::Error for Mismatch {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Mismatch(msg.to_string())
    }
}

fn json<T: Serialize + ?Sized>(value: &T) -> Result<Value, Mismatch> {
    serde_json::to_value(value).map_err(|e| Mismatch(e.to_string()))
}

/// `value` as a tape, written by the plan of its type.
pub fn write<T: Serialize + ?Sized>(
    model: &Model,
    plan: &Plan,
    value: &T,
) -> Result<Tape, Mismatch> {
    // the text sized as the last one of the same type on this thread: a large listing is
    // usually read again, and a 20 MB text grown by doubling is copied at every doubling
    // (the text is copied into JS and freed, so a high guess costs nothing for long)
    thread_local! {
        static LAST: std::cell::RefCell<std::collections::HashMap<usize, usize>> =
            std::cell::RefCell::default();
    }
    let key = std::ptr::from_ref(plan) as usize;
    let hint = LAST.with_borrow(|last| last.get(&key).copied().unwrap_or(0));
    let mut tape = Tape {
        text: String::with_capacity(hint),
        ..Tape::new()
    };
    value.serialize(Ser {
        tape: &mut tape,
        model,
        want: Want::Plan(plan),
    })?;
    LAST.with_borrow_mut(|last| last.insert(key, tape.text.len()));
    Ok(tape)
}

/// What the serializer writes.
#[derive(Clone, Copy)]
enum Want<'m> {
    Plan(&'m Plan),
    /// The fields of a record class, numbered from `skip` (1 past the `kind` of a variant).
    Class(usize, usize),
}

struct Ser<'t, 'm> {
    tape: &'t mut Tape,
    model: &'m Model,
    want: Want<'m>,
}

/// What a value of the serializer's plan is, once named types are looked through and the
/// "present" byte of each optional layer written.
enum Kind<'m> {
    Any,
    Text,
    Number,
    Bool,
    Literal(&'m [String]),
    List(&'m Plan),
    Tuple(&'m [Plan]),
    Map(&'m Plan),
    Class(usize, usize),
    Union(usize),
}

impl<'t, 'm> Ser<'t, 'm> {
    /// The kind of a value that is not null.
    fn kind(&mut self) -> Kind<'m> {
        let plan = match self.want {
            Want::Class(c, skip) => return Kind::Class(c, skip),
            Want::Plan(p) => p,
        };
        let mut plan = self.model.resolve(plan);
        while let Plan::Optional(inner) = plan {
            self.tape.byte(1);
            plan = self.model.resolve(inner);
        }
        match plan {
            Plan::Any => Kind::Any,
            Plan::Str | Plan::Decimal | Plan::Instant | Plan::Day | Plan::TimeOfDay => Kind::Text,
            Plan::Int | Plan::Float => Kind::Number,
            Plan::Bool => Kind::Bool,
            Plan::Literal(names) => Kind::Literal(names),
            Plan::List(item) => Kind::List(item),
            Plan::Tuple(items) => Kind::Tuple(items),
            Plan::Map(_, item) => Kind::Map(item),
            Plan::Record(c) => Kind::Class(*c, 0),
            Plan::Union(u) => Kind::Union(*u),
            Plan::Optional(_) | Plan::Def(_) => unreachable!("looked through above"),
        }
    }

    fn mismatch(&self, what: &str) -> Mismatch {
        let expected = match self.want {
            Want::Class(c, _) => format!("the record {}", self.model.classes[c].name),
            Want::Plan(p) => format!("{:?}", self.model.resolve(p)),
        };
        Mismatch(format!("{what} where the plan says {expected}"))
    }

    fn number(mut self, n: f64, what: &str) -> Result<(), Mismatch> {
        match self.kind() {
            Kind::Number => {
                self.tape.num(n);
                Ok(())
            }
            Kind::Any => self.tape.str(&Value::from(n).to_string()),
            _ => Err(self.mismatch(what)),
        }
    }

    fn integer<N: Into<serde_json::Number>>(mut self, n: N, f: f64) -> Result<(), Mismatch> {
        match self.kind() {
            Kind::Number => {
                self.tape.num(f);
                Ok(())
            }
            Kind::Any => self.tape.str(&n.into().to_string()),
            _ => Err(self.mismatch("a number")),
        }
    }

    fn text(mut self, s: &str) -> Result<(), Mismatch> {
        let kind = self.kind();
        self.text_as(kind, s)
    }

    /// A text written as a value of `kind` (what [`Ser::kind`] said).
    fn text_as(&mut self, kind: Kind<'m>, s: &str) -> Result<(), Mismatch> {
        match kind {
            Kind::Text => self.tape.str(s),
            Kind::Literal(names) => {
                match names.iter().position(|n| n == s).filter(|&i| i < 254) {
                    Some(i) => self.tape.byte(i as u8 + 1),
                    None => {
                        self.tape.byte(0);
                        self.tape.str(s)?;
                    }
                }
                Ok(())
            }
            Kind::Union(u) => self.unit_variant(u, s),
            Kind::Any => self.tape.str(&Value::from(s).to_string()),
            _ => Err(self.mismatch("a text")),
        }
    }

    fn unit_variant(&mut self, u: usize, variant: &str) -> Result<(), Mismatch> {
        let union = &self.model.unions[u];
        let class = *union.units.get(variant).ok_or_else(|| {
            Mismatch(format!(
                "no variant {variant} without data in {}",
                union.name
            ))
        })?;
        self.variant_byte(u, class)
    }

    /// The class of the externally tagged variant `variant` of union `u` (a short list: a
    /// scan beats hashing).
    fn external(&self, u: usize, variant: &str) -> Result<usize, Mismatch> {
        let union = &self.model.unions[u];
        union
            .classes
            .iter()
            .copied()
            .find(|&c| match &self.model.classes[c].shape {
                Shape::Variant(name) | Shape::Newtype(name) => name == variant,
                Shape::Unit(_) | Shape::Struct => false,
            })
            .ok_or_else(|| Mismatch(format!("no variant {variant} with data in {}", union.name)))
    }

    fn variant_byte(&mut self, u: usize, class: usize) -> Result<(), Mismatch> {
        let at = self.model.unions[u]
            .classes
            .iter()
            .position(|&c| c == class)
            .filter(|&i| i < 255)
            .ok_or_else(|| Mismatch("a variant past the 255th".into()))?;
        self.tape.byte(at as u8 + 1);
        Ok(())
    }

    /// A variant of union `u` given as JSON: its name, `{"name": data}`, or a tagged object.
    fn variant_value(&mut self, u: usize, value: &Value) -> Result<(), Mismatch> {
        let union = &self.model.unions[u];
        match value {
            Value::String(name) => self.unit_variant(u, name),
            Value::Object(map) => {
                if let Some((tag, by_value)) = &union.tag {
                    let class = map
                        .get(tag)
                        .and_then(Value::as_str)
                        .and_then(|t| by_value.get(t))
                        .ok_or_else(|| Mismatch(format!("{}: no known `{tag}`", union.name)))?;
                    self.variant_byte(u, *class)?;
                    return value.serialize(Ser {
                        tape: self.tape,
                        model: self.model,
                        want: Want::Class(*class, 0),
                    });
                }
                let (name, data) = map
                    .iter()
                    .next()
                    .filter(|_| map.len() == 1)
                    .ok_or_else(|| Mismatch(format!("{}: not one variant", union.name)))?;
                let class = *union
                    .external
                    .get(name)
                    .ok_or_else(|| Mismatch(format!("{}: no variant {name}", union.name)))?;
                self.variant_byte(u, class)?;
                self.variant_data(class, data)
            }
            _ => Err(Mismatch(format!("{}: not a variant", union.name))),
        }
    }

    /// The data of an externally tagged variant of class `class`.
    fn variant_data<T: Serialize + ?Sized>(
        &mut self,
        class: usize,
        data: &T,
    ) -> Result<(), Mismatch> {
        let c = &self.model.classes[class];
        let want = match c.shape {
            Shape::Variant(_) => Want::Class(class, 1),
            _ => Want::Plan(
                c.fields
                    .get(1)
                    .map(|f| &f.plan)
                    .ok_or_else(|| Mismatch(format!("{}: a variant without data", c.name)))?,
            ),
        };
        data.serialize(Ser {
            tape: self.tape,
            model: self.model,
            want,
        })
    }

    /// A compound gathered as JSON first, for a value of kind `into` (what [`Ser::kind`]
    /// said: its "present" bytes are written already).
    fn buffered(self, into: Buffered, variant: Option<&'static str>) -> Compound<'t, 'm> {
        Compound {
            tape: self.tape,
            model: self.model,
            how: How::Buffer {
                into,
                items: Vec::new(),
                map: serde_json::Map::new(),
                key: None,
                variant,
            },
        }
    }
}

/// A compound value being written.
pub struct Compound<'t, 'm> {
    tape: &'t mut Tape,
    model: &'m Model,
    how: How<'m>,
}

/// What a gathered compound is written as.
#[derive(Clone, Copy)]
enum Buffered {
    /// Free JSON: its text.
    Any,
    /// A variant of this union, found by its tag or its name.
    Union(usize),
}

enum How<'m> {
    /// Items of one plan, each after a "more" byte.
    List(&'m Plan),
    /// A tuple's items, each by its plan.
    Tuple(&'m [Plan], usize),
    /// A map's entries, each after a "more" byte.
    Map(&'m Plan),
    /// A record's fields, each after its number.
    Record {
        class: usize,
        skip: usize,
        next: usize,
        /// The key whose value comes next (a map-shaped record: `#[serde(flatten)]`).
        key: Option<String>,
    },
    /// Gathered as JSON first: free JSON, and variants found by their tag. `variant` wraps
    /// the gathered data in `{"variant": …}`.
    Buffer {
        into: Buffered,
        items: Vec<Value>,
        map: serde_json::Map<String, Value>,
        key: Option<String>,
        variant: Option<&'static str>,
    },
}

impl<'t, 'm> Compound<'t, 'm> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Mismatch> {
        match &mut self.how {
            How::List(item) => {
                self.tape.byte(1);
                value.serialize(Ser {
                    tape: self.tape,
                    model: self.model,
                    want: Want::Plan(item),
                })
            }
            How::Tuple(plans, at) => {
                let plan = plans
                    .get(*at)
                    .ok_or_else(|| Mismatch("a tuple longer than its plan".into()))?;
                *at += 1;
                value.serialize(Ser {
                    tape: self.tape,
                    model: self.model,
                    want: Want::Plan(plan),
                })
            }
            How::Buffer { items, .. } => {
                items.push(json(value)?);
                Ok(())
            }
            How::Map(_) | How::Record { .. } => Err(Mismatch("an item in a map".into())),
        }
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Mismatch> {
        let text = key.serialize(KeyText)?;
        match &mut self.how {
            How::Map(_) => {
                self.tape.byte(1);
                self.tape.str(&text)
            }
            How::Record { key, .. } | How::Buffer { key, .. } => {
                *key = Some(text);
                Ok(())
            }
            How::List(_) | How::Tuple(..) => Err(Mismatch("a key in a list".into())),
        }
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Mismatch> {
        match &mut self.how {
            How::Map(item) => value.serialize(Ser {
                tape: self.tape,
                model: self.model,
                want: Want::Plan(item),
            }),
            How::Record { key, .. } => {
                let key = key
                    .take()
                    .ok_or_else(|| Mismatch("a value without a key".into()))?;
                self.field(&key, value)
            }
            How::Buffer { map, key, .. } => {
                let key = key
                    .take()
                    .ok_or_else(|| Mismatch("a value without a key".into()))?;
                map.insert(key, json(value)?);
                Ok(())
            }
            How::List(_) | How::Tuple(..) => Err(Mismatch("a map value in a list".into())),
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Mismatch> {
        let How::Record {
            class, skip, next, ..
        } = &mut self.how
        else {
            return match &mut self.how {
                How::Buffer { map, .. } => {
                    map.insert(key.to_string(), json(value)?);
                    Ok(())
                }
                _ => Err(Mismatch(format!("a field {key} outside a record"))),
            };
        };
        let fields = &self.model.classes[*class].fields[*skip..];
        // fields come in declaration order: look from the one after the last first
        let found = (*next..fields.len())
            .chain(0..*next)
            .find(|&i| fields[i].key == key);
        match found {
            Some(i) if i >= MAX_FIELDS => Err(Mismatch(format!("{key}: past the 254th field"))),
            Some(i) => {
                *next = i + 1;
                self.tape.byte(i as u8 + 1);
                value.serialize(Ser {
                    tape: self.tape,
                    model: self.model,
                    want: Want::Plan(&fields[i].plan),
                })
            }
            None => {
                self.tape.byte(EXTRA_FIELD);
                self.tape.str(key)?;
                self.tape.str(&json(value)?.to_string())
            }
        }
    }

    fn end(self) -> Result<(), Mismatch> {
        match self.how {
            How::List(_) | How::Map(_) | How::Record { .. } => {
                self.tape.byte(0);
                Ok(())
            }
            How::Tuple(plans, at) if at == plans.len() => Ok(()),
            How::Tuple(..) => Err(Mismatch("a tuple shorter than its plan".into())),
            How::Buffer {
                into,
                items,
                map,
                variant,
                ..
            } => {
                let data = if map.is_empty() && !items.is_empty() {
                    Value::Array(items)
                } else if items.is_empty() {
                    Value::Object(map)
                } else {
                    return Err(Mismatch("items and fields at once".into()));
                };
                let value = match variant {
                    Some(v) => Value::Object(serde_json::Map::from_iter([(v.to_string(), data)])),
                    None => data,
                };
                match into {
                    Buffered::Any => self.tape.str(&value.to_string()),
                    Buffered::Union(u) => Ser {
                        tape: self.tape,
                        model: self.model,
                        want: Want::Plan(&Plan::Any),
                    }
                    .variant_value(u, &value),
                }
            }
        }
    }
}

impl<'t, 'm> ser::Serializer for Ser<'t, 'm> {
    type Ok = ();
    type Error = Mismatch;
    type SerializeSeq = Compound<'t, 'm>;
    type SerializeTuple = Compound<'t, 'm>;
    type SerializeTupleStruct = Compound<'t, 'm>;
    type SerializeTupleVariant = Compound<'t, 'm>;
    type SerializeMap = Compound<'t, 'm>;
    type SerializeStruct = Compound<'t, 'm>;
    type SerializeStructVariant = Compound<'t, 'm>;

    fn serialize_bool(mut self, v: bool) -> Result<(), Mismatch> {
        match self.kind() {
            Kind::Bool => {
                self.tape.byte(u8::from(v));
                Ok(())
            }
            Kind::Any => self.tape.str(if v { "true" } else { "false" }),
            _ => Err(self.mismatch("a boolean")),
        }
    }

    fn serialize_i8(self, v: i8) -> Result<(), Mismatch> {
        self.integer(v, f64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Mismatch> {
        self.integer(v, f64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Mismatch> {
        self.integer(v, f64::from(v))
    }
    #[allow(clippy::cast_precision_loss)]
    fn serialize_i64(self, v: i64) -> Result<(), Mismatch> {
        self.integer(v, v as f64)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Mismatch> {
        self.integer(v, f64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Mismatch> {
        self.integer(v, f64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Mismatch> {
        self.integer(v, f64::from(v))
    }
    #[allow(clippy::cast_precision_loss)]
    fn serialize_u64(self, v: u64) -> Result<(), Mismatch> {
        self.integer(v, v as f64)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Mismatch> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Mismatch> {
        if !v.is_finite() {
            // as JSON writes it
            return self.serialize_unit();
        }
        self.number(v, "a number")
    }
    fn serialize_char(self, v: char) -> Result<(), Mismatch> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Mismatch> {
        self.text(v)
    }
    /// Instants, days and decimals (`Display` types) written into the tape's text in place,
    /// without a `String` of their own.
    fn collect_str<T: fmt::Display + ?Sized>(mut self, value: &T) -> Result<(), Mismatch> {
        match self.kind() {
            Kind::Text => self.tape.display(value),
            kind => self.text_as(kind, &value.to_string()),
        }
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Mismatch> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<(), Mismatch> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Mismatch> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Mismatch> {
        let plan = match self.want {
            Want::Plan(p) => self.model.resolve(p),
            Want::Class(..) => return Err(self.mismatch("null")),
        };
        match plan {
            Plan::Optional(_) => {
                self.tape.byte(0);
                Ok(())
            }
            Plan::Any => self.tape.str("null"),
            _ => Err(self.mismatch("null")),
        }
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Mismatch> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Mismatch> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Mismatch> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Mismatch> {
        match self.kind() {
            Kind::Union(u) => {
                let class = self.external(u, variant)?;
                self.variant_byte(u, class)?;
                self.variant_data(class, value)
            }
            Kind::Any => {
                let v = serde_json::json!({ variant: json(value)? });
                self.tape.str(&v.to_string())
            }
            _ => Err(self.mismatch("a variant with data")),
        }
    }

    fn serialize_seq(mut self, _len: Option<usize>) -> Result<Compound<'t, 'm>, Mismatch> {
        let how = match self.kind() {
            Kind::List(item) => How::List(item),
            Kind::Tuple(plans) => How::Tuple(plans, 0),
            Kind::Any => return Ok(self.buffered(Buffered::Any, None)),
            _ => return Err(self.mismatch("a list")),
        };
        Ok(Compound {
            tape: self.tape,
            model: self.model,
            how,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'t, 'm>, Mismatch> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'t, 'm>, Mismatch> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'t, 'm>, Mismatch> {
        match self.kind() {
            Kind::Union(u) => Ok(self.buffered(Buffered::Union(u), Some(variant))),
            Kind::Any => Ok(self.buffered(Buffered::Any, Some(variant))),
            _ => Err(self.mismatch("a variant with items")),
        }
    }
    fn serialize_map(mut self, _len: Option<usize>) -> Result<Compound<'t, 'm>, Mismatch> {
        let how = match self.kind() {
            Kind::Map(item) => How::Map(item),
            Kind::Class(class, skip) => How::Record {
                class,
                skip,
                next: 0,
                key: None,
            },
            Kind::Union(u) => return Ok(self.buffered(Buffered::Union(u), None)),
            Kind::Any => return Ok(self.buffered(Buffered::Any, None)),
            _ => return Err(self.mismatch("a map")),
        };
        Ok(Compound {
            tape: self.tape,
            model: self.model,
            how,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'t, 'm>, Mismatch> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'t, 'm>, Mismatch> {
        match self.kind() {
            Kind::Union(u) => {
                let class = self.external(u, variant)?;
                if !matches!(self.model.classes[class].shape, Shape::Variant(_)) {
                    return Err(Mismatch(format!("{variant}: not a variant with fields")));
                }
                self.variant_byte(u, class)?;
                Ok(Compound {
                    tape: self.tape,
                    model: self.model,
                    how: How::Record {
                        class,
                        skip: 1,
                        next: 0,
                        key: None,
                    },
                })
            }
            Kind::Any => Ok(self.buffered(Buffered::Any, Some(variant))),
            _ => Err(self.mismatch("a variant with fields")),
        }
    }
}

macro_rules! compound_impls {
    ($($Trait:ident :: $method:ident),*) => {$(
        impl ser::$Trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Mismatch;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Mismatch> {
                self.element(value)
            }
            fn end(self) -> Result<(), Mismatch> {
                Compound::end(self)
            }
        }
    )*};
}

compound_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Mismatch;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Mismatch> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Mismatch> {
        self.value(value)
    }
    fn end(self) -> Result<(), Mismatch> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Mismatch;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Mismatch> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Mismatch> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Mismatch;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Mismatch> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Mismatch> {
        Compound::end(self)
    }
}

/// A map key as text, as JSON writes keys (text as is, numbers and booleans spelt out).
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Mismatch;
    type SerializeSeq = ser::Impossible<String, Mismatch>;
    type SerializeTuple = ser::Impossible<String, Mismatch>;
    type SerializeTupleStruct = ser::Impossible<String, Mismatch>;
    type SerializeTupleVariant = ser::Impossible<String, Mismatch>;
    type SerializeMap = ser::Impossible<String, Mismatch>;
    type SerializeStruct = ser::Impossible<String, Mismatch>;
    type SerializeStructVariant = ser::Impossible<String, Mismatch>;

    fn serialize_bool(self, v: bool) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_f64(self, v: f64) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_char(self, v: char) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, Mismatch> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, Mismatch> {
        Err(Mismatch("bytes as a map key".into()))
    }
    fn serialize_none(self) -> Result<String, Mismatch> {
        Err(Mismatch("null as a map key".into()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Mismatch> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Mismatch> {
        Err(Mismatch("null as a map key".into()))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, Mismatch> {
        Err(Mismatch("null as a map key".into()))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, Mismatch> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, Mismatch> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, Mismatch> {
        Err(Mismatch("a variant with data as a map key".into()))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Mismatch> {
        Err(Mismatch("a list as a map key".into()))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Mismatch> {
        Err(Mismatch("a tuple as a map key".into()))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Mismatch> {
        Err(Mismatch("a tuple as a map key".into()))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Mismatch> {
        Err(Mismatch("a variant as a map key".into()))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Mismatch> {
        Err(Mismatch("a map as a map key".into()))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Mismatch> {
        Err(Mismatch("a record as a map key".into()))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Mismatch> {
        Err(Mismatch("a variant as a map key".into()))
    }
}
