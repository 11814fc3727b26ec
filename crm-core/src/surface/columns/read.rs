//! Reading one record's JSON into the columns: serde visitors walking the layout's nodes
//! (`At` for a value, `Key` for a field name, `Tag` for an internally tagged enum's tag).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Columns, Kind, Node};

/// One scalar value read from JSON.
#[derive(Clone, Copy)]
pub(super) enum Scalar<'a> {
    Text(&'a str),
    /// JSON text of a whole value (a list, a map).
    Raw(&'a str),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
}

impl fmt::Display for Scalar<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Text(t) => write!(f, "{t:?}"),
            Scalar::Raw(t) => f.write_str(t),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::UInt(u) => write!(f, "{u}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// The value at `node`, read into the columns.
pub(super) struct At<'c> {
    pub(super) c: &'c mut Columns,
    pub(super) node: usize,
}

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        match &self.c.nodes[self.node] {
            Node::Value(column) if self.c.columns[*column].kind == Kind::Json => {
                let column = *column;
                let raw: &serde_json::value::RawValue = de::Deserialize::deserialize(d)?;
                if raw.get() != "null" {
                    self.c
                        .write(column, Scalar::Raw(raw.get()))
                        .map_err(de::Error::custom)?;
                }
                Ok(())
            }
            _ => d.deserialize_any(self),
        }
    }
}

impl At<'_> {
    fn scalar<E: de::Error>(self, value: Scalar<'_>) -> std::result::Result<(), E> {
        let column = match &self.c.nodes[self.node] {
            Node::Value(c) => *c,
            // a variant without data: its name
            Node::Union { name, .. } => *name,
            Node::Record(_) => return Err(E::custom(format!("expected a record, got {value}"))),
        };
        self.c.write(column, value).map_err(E::custom)
    }
}

impl<'de> Visitor<'de> for At<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record in crm-core's JSON form")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<(), E> {
        self.scalar(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<(), E> {
        self.scalar(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<(), E> {
        self.scalar(Scalar::UInt(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<(), E> {
        self.scalar(Scalar::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<(), E> {
        self.scalar(Scalar::Text(v))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        // only a JSON column takes a list, and it reads the raw text before this
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Err(de::Error::custom("a list where a single value goes"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let c = self.c;
        match &c.nodes[self.node] {
            Node::Record(_)
            | Node::Union {
                tagged: Some(_), ..
            } => {
                let mut hint = 0;
                let node = self.node;
                while let Some(child) = map.next_key_seed(Key { c, node, hint })? {
                    match child {
                        Some((TAG, _)) => map.next_value_seed(Tag { c, node })?,
                        Some((at, child)) => {
                            hint = at + 1;
                            map.next_value_seed(At { c, node: child })?;
                        }
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(())
            }
            Node::Union { name, .. } => {
                let name = *name;
                while let Some(variant) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    c.write(name, Scalar::Text(&variant))
                        .map_err(de::Error::custom)?;
                    let body = match &c.nodes[self.node] {
                        Node::Union { external, .. } => external.get(variant.as_ref()).copied(),
                        _ => None,
                    };
                    match body {
                        Some(node) => map.next_value_seed(At { c, node })?,
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(())
            }
            Node::Value(column) => {
                let name = c.columns[*column].name.clone();
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Err(de::Error::custom(format!(
                    "`{name}`: a record where a single value goes"
                )))
            }
        }
    }
}

/// What [`Key`] gives for the tag of an internally tagged enum.
const TAG: usize = usize::MAX;

/// A key of a record (or of an internally tagged enum): the position and node of its
/// field (position [`TAG`] for the tag), `None` for a key the type does not have. `hint`
/// is the position the key most likely has (the one after the last).
struct Key<'c> {
    c: &'c Columns,
    node: usize,
    hint: usize,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Option<(usize, usize)>;
    fn deserialize<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Option<(usize, usize)>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = Option<(usize, usize)>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> std::result::Result<Self::Value, E> {
        Ok(match &self.c.nodes[self.node] {
            Node::Record(fields) => fields.find(key, self.hint),
            Node::Union {
                tagged: Some((tag, fields)),
                ..
            } => {
                if key == tag {
                    Some((TAG, TAG))
                } else {
                    fields.find(key, self.hint)
                }
            }
            _ => None,
        })
    }
}

/// The tag of an internally tagged enum: the variant's name, into the name column.
struct Tag<'c> {
    c: &'c mut Columns,
    node: usize,
}

impl<'de> DeserializeSeed<'de> for Tag<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        let name = match &self.c.nodes[self.node] {
            Node::Union { name, .. } => *name,
            _ => return Err(de::Error::custom("a tag outside an enum")),
        };
        let variant = <std::borrow::Cow<'de, str> as de::Deserialize>::deserialize(d)?;
        self.c
            .write(name, Scalar::Text(&variant))
            .map_err(de::Error::custom)
    }
}
