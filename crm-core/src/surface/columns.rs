//! Records as Arrow columns (feature `arrow`): a listing becomes one record batch that
//! pandas, polars and DuckDB take without a copy.
//!
//! [`Columns`] lays a record type out flat from its plan in the [`Model`]: a nested
//! record's fields are columns of their own (`data.first_name`), an enum is a column with
//! the variant's name (`status`) beside columns for its variants' fields
//! (`status.reason`), lists and maps are a column of JSON text. Days, instants, times of
//! day and decimals get Arrow's own types (`date32`, `timestamp[us, UTC]`, `time64[us]`,
//! `decimal128(38, s)` with the largest scale the column holds), text as `utf8` (every
//! Arrow reader takes it; `string_view` saves polars a copy but pyarrow cannot sort it);
//! a column a row does not
//! fill is null there. The layout comes from the type, so an empty listing still has every
//! column.
//!
//! Rows are read from crm-core's JSON form with serde_json, straight into the column
//! builders (no record is built on the way): [`stored`] reads every stored record of a
//! kind from the store's own bytes, [`Columns::push`] takes any serializable record (a
//! use case's result).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    Time64MicrosecondBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, Decimal128Array, RecordBatch, RecordBatchOptions};
use arrow_schema::{Field, Schema, SchemaRef};
use chrono::{DateTime, NaiveDate, NaiveTime, Timelike};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::store::{EntityKind, Store};
use crate::surface::model::{Model, Plan, Shape};

/// Nested records deeper than this are kept as JSON text (a guard against recursive types).
const MAX_DEPTH: usize = 8;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Float,
    Bool,
    Decimal,
    Instant,
    Day,
    TimeOfDay,
    /// Any JSON value, as its text (lists, maps, free JSON).
    Json,
}

enum Builder {
    Text(StringBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Decimal(Vec<Option<Decimal>>),
    /// Instants, with the last text read and its value (records written together share
    /// their instants: a repeat is not parsed again).
    Instant(TimestampMicrosecondBuilder, String, i64),
    Day(Date32Builder),
    TimeOfDay(Time64MicrosecondBuilder),
}

impl Builder {
    fn new(kind: Kind) -> Self {
        Builder::with_capacity(kind, 0)
    }

    fn with_capacity(kind: Kind, rows: usize) -> Self {
        match kind {
            Kind::Text | Kind::Json => Builder::Text(StringBuilder::with_capacity(rows, rows * 4)),
            Kind::Int => Builder::Int(Int64Builder::with_capacity(rows)),
            Kind::Float => Builder::Float(Float64Builder::with_capacity(rows)),
            Kind::Bool => Builder::Bool(BooleanBuilder::with_capacity(rows)),
            Kind::Decimal => Builder::Decimal(Vec::with_capacity(rows)),
            Kind::Instant => Builder::Instant(
                TimestampMicrosecondBuilder::with_capacity(rows),
                String::new(),
                0,
            ),
            Kind::Day => Builder::Day(Date32Builder::with_capacity(rows)),
            Kind::TimeOfDay => Builder::TimeOfDay(Time64MicrosecondBuilder::with_capacity(rows)),
        }
    }

    fn len(&self) -> usize {
        use arrow_array::builder::ArrayBuilder;
        match self {
            Builder::Text(b) => b.len(),
            Builder::Int(b) => b.len(),
            Builder::Float(b) => b.len(),
            Builder::Bool(b) => b.len(),
            Builder::Decimal(v) => v.len(),
            Builder::Instant(b, ..) => b.len(),
            Builder::Day(b) => b.len(),
            Builder::TimeOfDay(b) => b.len(),
        }
    }

    /// Nulls up to `rows` (the rows that wrote nothing here).
    fn pad(&mut self, rows: usize) {
        let n = rows.saturating_sub(self.len());
        if n == 0 {
            return;
        }
        match self {
            Builder::Text(b) => b.append_nulls(n),
            Builder::Int(b) => b.append_nulls(n),
            Builder::Float(b) => b.append_nulls(n),
            Builder::Bool(b) => b.append_nulls(n),
            Builder::Decimal(v) => v.resize(v.len() + n, None),
            Builder::Instant(b, ..) => b.append_nulls(n),
            Builder::Day(b) => b.append_nulls(n),
            Builder::TimeOfDay(b) => b.append_nulls(n),
        }
    }
}

struct Column {
    name: String,
    kind: Kind,
    builder: Builder,
}

/// How one value of the row is laid out.
enum Node {
    /// A record: its fields by key.
    Record(Fields),
    /// An enum with data: the column of the variant's name and how its variants sit.
    Union {
        name: usize,
        /// Variant key → the node of its body (`{"disqualified": {…}}`).
        external: HashMap<String, usize>,
        /// The tag key of an internally tagged enum, and every variant's fields by key.
        tagged: Option<(String, Fields)>,
    },
    /// One column.
    Value(usize),
}

/// The fields of a record, in declaration order (the order serde writes them, so the next
/// key is almost always the one after the last), with an index for the rest.
#[derive(Default)]
struct Fields {
    ordered: Vec<(String, usize)>,
    index: HashMap<String, usize>,
}

impl Fields {
    fn insert(&mut self, key: String, node: usize) {
        if !self.index.contains_key(&key) {
            self.index.insert(key.clone(), self.ordered.len());
            self.ordered.push((key, node));
        }
    }

    fn contains_key(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// The position and node of `key`, looking at the few positions from `hint` first
    /// (fields left out when empty skip some).
    fn find(&self, key: &str, hint: usize) -> Option<(usize, usize)> {
        let ahead = self.ordered.get(hint..).unwrap_or_default().iter().take(8);
        for (i, (k, node)) in ahead.enumerate() {
            if k == key {
                return Some((hint + i, *node));
            }
        }
        self.index.get(key).map(|&i| (i, self.ordered[i].1))
    }
}

/// A table in chunks: its schema and its record batches, in order.
pub type Table = (SchemaRef, Vec<RecordBatch>);

/// A batch of records of one type being laid out in columns.
pub struct Columns {
    columns: Vec<Column>,
    nodes: Vec<Node>,
    root: usize,
    rows: usize,
    buffer: Vec<u8>,
    /// A row failed half-way: the columns are not aligned any more.
    spoiled: bool,
}

impl fmt::Debug for Columns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Columns")
            .field(
                "columns",
                &self.columns.iter().map(|c| &c.name).collect::<Vec<_>>(),
            )
            .field("rows", &self.rows)
            .finish()
    }
}

/// Lays the plans out as nodes and columns.
struct Layout<'m> {
    model: &'m Model,
    columns: Vec<Column>,
    by_name: HashMap<String, usize>,
    nodes: Vec<Node>,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

impl Layout<'_> {
    fn column(&mut self, name: String, kind: Kind) -> usize {
        if let Some(&i) = self.by_name.get(&name) {
            // two variants with a field of one name and different types: text of either
            if self.columns[i].kind != kind {
                self.columns[i].kind = Kind::Json;
                self.columns[i].builder = Builder::new(Kind::Json);
            }
            return i;
        }
        self.columns.push(Column {
            name: name.clone(),
            kind,
            builder: Builder::new(kind),
        });
        self.by_name.insert(name, self.columns.len() - 1);
        self.columns.len() - 1
    }

    fn node(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn value(&mut self, name: String, kind: Kind) -> usize {
        let c = self.column(name, kind);
        self.node(Node::Value(c))
    }

    /// The node of a value of `plan` whose columns are named under `prefix`.
    fn lay(&mut self, plan: &Plan, prefix: &str, depth: usize) -> usize {
        let model = self.model;
        let mut plan = model.resolve(plan);
        while let Plan::Optional(inner) = plan {
            plan = model.resolve(inner);
        }
        let name = || prefix.to_string();
        match plan {
            Plan::Str | Plan::Literal(_) => self.value(name(), Kind::Text),
            Plan::Int => self.value(name(), Kind::Int),
            Plan::Float => self.value(name(), Kind::Float),
            Plan::Bool => self.value(name(), Kind::Bool),
            Plan::Decimal => self.value(name(), Kind::Decimal),
            Plan::Instant => self.value(name(), Kind::Instant),
            Plan::Day => self.value(name(), Kind::Day),
            Plan::TimeOfDay => self.value(name(), Kind::TimeOfDay),
            Plan::Record(c) if depth < MAX_DEPTH => {
                let mut fields = Fields::default();
                for f in &model.classes[*c].fields {
                    let n = self.lay(&f.plan, &join(prefix, &f.key), depth + 1);
                    fields.insert(f.key.clone(), n);
                }
                self.node(Node::Record(fields))
            }
            Plan::Union(u) if depth < MAX_DEPTH => {
                let union = &model.unions[*u];
                let name = self.column(name(), Kind::Text);
                let mut external = HashMap::new();
                for (variant, &c) in &union.external {
                    let class = &model.classes[c];
                    let body = match &class.shape {
                        Shape::Variant(_) => {
                            let mut fields = Fields::default();
                            for f in class.fields.iter().skip(1) {
                                let n = self.lay(&f.plan, &join(prefix, &f.key), depth + 1);
                                fields.insert(f.key.clone(), n);
                            }
                            self.node(Node::Record(fields))
                        }
                        _ => match class.fields.get(1) {
                            Some(f) => self.lay(&f.plan, &join(prefix, variant), depth + 1),
                            None => self.value(join(prefix, variant), Kind::Json),
                        },
                    };
                    external.insert(variant.clone(), body);
                }
                let tagged = union.tag.as_ref().map(|(tag, by_value)| {
                    let mut fields = Fields::default();
                    for &c in by_value.values() {
                        for f in &model.classes[c].fields {
                            if &f.key != tag && !fields.contains_key(&f.key) {
                                let n = self.lay(&f.plan, &join(prefix, &f.key), depth + 1);
                                fields.insert(f.key.clone(), n);
                            }
                        }
                    }
                    (tag.clone(), fields)
                });
                self.node(Node::Union {
                    name,
                    external,
                    tagged,
                })
            }
            _ => self.value(name(), Kind::Json),
        }
    }
}

impl Columns {
    /// Columns for records of the type `row` describes (a record or an enum with data).
    pub fn new(model: &Model, row: &Plan) -> Self {
        let mut layout = Layout {
            model,
            columns: Vec::new(),
            by_name: HashMap::new(),
            nodes: Vec::new(),
        };
        let root = layout.lay(row, "", 0);
        Columns {
            columns: layout.columns,
            nodes: layout.nodes,
            root,
            rows: 0,
            buffer: Vec::new(),
            spoiled: false,
        }
    }

    /// Columns for `rows` records of the type `row` describes, with room for them made
    /// up front.
    pub fn with_capacity(model: &Model, row: &Plan, rows: usize) -> Self {
        let mut columns = Columns::new(model, row);
        for c in &mut columns.columns {
            c.builder = Builder::with_capacity(c.kind, rows);
        }
        columns
    }

    /// The number of rows so far.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether there is no row yet.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The column names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// Adds one row from a record in crm-core's JSON form.
    ///
    /// # Errors
    /// [`Error::Input`] when the text is not such a record (the row is left out).
    pub fn push_json(&mut self, json: &str) -> Result<()> {
        if self.spoiled {
            return Err(Error::Input {
                message: "a row failed before: these columns take no more".into(),
            });
        }
        let mut de = serde_json::Deserializer::from_str(json);
        let root = self.root;
        let outcome = At {
            c: self,
            node: root,
        }
        .deserialize(&mut de)
        .and_then(|()| de.end());
        let rows = self.rows + 1;
        match outcome {
            Ok(()) => {
                // columns this row left out get their null when next written, or at the end
                self.rows = rows;
                Ok(())
            }
            Err(e) => {
                self.spoiled = true;
                Err(Error::Input {
                    message: format!("a record does not fit its columns: {e}"),
                })
            }
        }
    }

    /// Adds one row from a record.
    ///
    /// # Errors
    /// As [`Columns::push_json`].
    pub fn push<T: Serialize + ?Sized>(&mut self, record: &T) -> Result<()> {
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        let written = serde_json::to_writer(&mut buffer, record);
        let outcome = match (written, std::str::from_utf8(&buffer)) {
            (Ok(()), Ok(text)) => self.push_json(text),
            _ => Err(Error::Input {
                message: "a record does not serialize".into(),
            }),
        };
        self.buffer = buffer;
        outcome
    }

    /// The record batch.
    ///
    /// # Errors
    /// [`Error::Input`] when a row failed ([`Columns::push_json`]): the batch is not made.
    pub fn finish(self) -> Result<RecordBatch> {
        let (schema, mut batches) = Columns::finish_parts(vec![self])?;
        Ok(batches
            .pop()
            .unwrap_or_else(|| RecordBatch::new_empty(schema)))
    }

    /// The rows of `parts` (columns of one type, filled apart, e.g. on several threads) as
    /// one record batch per part, in order, under one schema: a table in chunks, made
    /// without copying the parts together.
    ///
    /// # Errors
    /// [`Error::Input`] when a row of a part failed; [`Error::Internal`] when the parts are
    /// not of one layout.
    pub fn finish_parts(parts: Vec<Columns>) -> Result<Table> {
        if parts.iter().any(|p| p.spoiled) {
            return Err(Error::Input {
                message: "a row failed: the columns are incomplete".into(),
            });
        }
        let skewed = || Error::Internal {
            message: "column parts of different layouts".into(),
        };
        let Some(first) = parts.first() else {
            return Err(skewed());
        };
        let width = first.columns.len();
        if parts.iter().any(|p| p.columns.len() != width) {
            return Err(skewed());
        }
        // a decimal column's scale is the largest over every part, so the parts agree
        let scales: Vec<Option<u32>> = (0..width)
            .map(|i| {
                (first.columns[i].kind == Kind::Decimal).then(|| {
                    let values = parts.iter().flat_map(|p| match &p.columns[i].builder {
                        Builder::Decimal(v) => v.as_slice(),
                        _ => &[],
                    });
                    decimal_scale(values)
                })?
            })
            .collect();
        let mut schema = None;
        let mut batches = Vec::with_capacity(parts.len());
        for part in parts {
            let rows = part.rows;
            let mut fields = Vec::with_capacity(width);
            let mut arrays = Vec::with_capacity(width);
            for (mut column, scale) in part.columns.into_iter().zip(&scales) {
                column.builder.pad(rows);
                let array = match (column.builder, scale) {
                    (Builder::Decimal(v), Some(scale)) => decimals(&v, *scale),
                    (Builder::Decimal(v), None) => decimal_texts(&v),
                    (builder, _) => finish(builder),
                };
                fields.push(Field::new(column.name, array.data_type().clone(), true));
                arrays.push(array);
            }
            let schema = schema
                .get_or_insert_with(|| Arc::new(Schema::new(fields)))
                .clone();
            let options = RecordBatchOptions::new().with_row_count(Some(rows));
            batches.push(
                RecordBatch::try_new_with_options(schema, arrays, &options).map_err(|e| {
                    Error::Internal {
                        message: format!("columns of unequal length: {e}"),
                    }
                })?,
            );
        }
        let schema = schema.ok_or_else(skewed)?;
        Ok((schema, batches))
    }

    fn write(&mut self, column: usize, value: Scalar<'_>) -> std::result::Result<(), String> {
        let rows = self.rows;
        let Column {
            name,
            kind,
            builder,
        } = &mut self.columns[column];
        if builder.len() > rows {
            return Err(format!("`{name}` is written twice"));
        }
        builder.pad(rows);
        let bad = |what: &str| format!("`{name}`: expected {what}, got {value}");
        match (builder, value) {
            (Builder::Text(b), Scalar::Text(t)) if *kind == Kind::Text => b.append_value(t),
            (Builder::Text(b), Scalar::Raw(t)) => b.append_value(t),
            (Builder::Text(b), v) => b.append_value(v.to_string()),
            (Builder::Int(b), Scalar::Int(i)) => b.append_value(i),
            (Builder::Int(b), Scalar::UInt(u)) => {
                b.append_value(i64::try_from(u).map_err(|_| bad("a 64-bit integer"))?)
            }
            (Builder::Float(b), Scalar::Float(f)) => b.append_value(f),
            (Builder::Float(b), Scalar::Int(i)) => b.append_value(i as f64),
            (Builder::Float(b), Scalar::UInt(u)) => b.append_value(u as f64),
            (Builder::Bool(b), Scalar::Bool(v)) => b.append_value(v),
            (Builder::Decimal(v), Scalar::Text(t)) => {
                v.push(Some(Decimal::from_str(t).map_err(|_| bad("a decimal"))?))
            }
            (Builder::Instant(b, last, micros), Scalar::Text(t)) => {
                if last.as_str() != t {
                    let at = DateTime::parse_from_rfc3339(t).map_err(|_| bad("an instant"))?;
                    *micros = at.timestamp_micros();
                    last.clear();
                    last.push_str(t);
                }
                b.append_value(*micros);
            }
            (Builder::Day(b), Scalar::Text(t)) => {
                let day = NaiveDate::from_str(t).map_err(|_| bad("a day"))?;
                b.append_value(day.to_epoch_days());
            }
            (Builder::TimeOfDay(b), Scalar::Text(t)) => {
                let time = NaiveTime::from_str(t).map_err(|_| bad("a time of day"))?;
                let micros = i64::from(time.num_seconds_from_midnight()) * 1_000_000
                    + i64::from(time.nanosecond() / 1_000);
                b.append_value(micros);
            }
            _ => return Err(bad("another type")),
        }
        Ok(())
    }
}

/// A builder's array.
fn finish(builder: Builder) -> ArrayRef {
    match builder {
        Builder::Text(mut b) => Arc::new(b.finish()),
        Builder::Int(mut b) => Arc::new(b.finish()),
        Builder::Float(mut b) => Arc::new(b.finish()),
        Builder::Bool(mut b) => Arc::new(b.finish()),
        Builder::Instant(mut b, ..) => Arc::new(b.finish().with_timezone("UTC")),
        Builder::Day(mut b) => Arc::new(b.finish()),
        Builder::TimeOfDay(mut b) => Arc::new(b.finish()),
        Builder::Decimal(values) => match decimal_scale(values.iter()) {
            Some(scale) => decimals(&values, scale),
            None => decimal_texts(&values),
        },
    }
}

/// The scale every decimal of a column can be written at in `decimal128(38, scale)`: the
/// largest one among them, if every value fits 38 digits there (`None`: the column is text,
/// exact either way).
fn decimal_scale<'a>(values: impl Iterator<Item = &'a Option<Decimal>> + Clone) -> Option<u32> {
    let scale = values
        .clone()
        .flatten()
        .map(Decimal::scale)
        .max()
        .unwrap_or(0);
    values
        .flatten()
        .all(|d| at_scale(d, scale).is_some())
        .then_some(scale)
}

/// `d`'s digits at `scale` (≥ its own), if they fit 38 digits.
fn at_scale(d: &Decimal, scale: u32) -> Option<i128> {
    let up = 10_i128.checked_pow(scale.checked_sub(d.scale())?)?;
    d.mantissa()
        .checked_mul(up)
        .filter(|m| m.unsigned_abs() < 10_u128.pow(38))
}

/// Decimals as `decimal128(38, scale)` (a scale [`decimal_scale`] found).
fn decimals(values: &[Option<Decimal>], scale: u32) -> ArrayRef {
    let array: Decimal128Array = values
        .iter()
        .map(|v| v.as_ref().and_then(|d| at_scale(d, scale)))
        .collect();
    match array.with_precision_and_scale(38, scale as i8) {
        Ok(array) => Arc::new(array),
        Err(_) => decimal_texts(values),
    }
}

/// Decimals as their text.
fn decimal_texts(values: &[Option<Decimal>]) -> ArrayRef {
    let mut text = StringBuilder::new();
    for v in values {
        match v {
            Some(d) => text.append_value(d.to_string()),
            None => text.append_null(),
        }
    }
    Arc::new(text.finish())
}

/// One scalar value read from JSON.
#[derive(Clone, Copy)]
enum Scalar<'a> {
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
struct At<'c> {
    c: &'c mut Columns,
    node: usize,
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

/// The stored records of `kind` whose type the model knows, as columns: read from the
/// store's bytes in id order, without building the records. Pages are decoded on every
/// core while the next one is read (the caller waits for the whole batch anyway).
///
/// # Errors
/// [`Error::InvalidValue`] for a kind without a public record type; [`Error::Corrupt`]
/// for a stored record that does not fit its type; [`Error::Storage`] when the store fails.
pub fn stored<S: Store>(crm: &Crm<S>, model: &Model, kind: EntityKind) -> Result<Table> {
    const PAGE: usize = 16_384;
    let plan = type_of(kind)
        .and_then(|name| model.def_named(name))
        .ok_or_else(|| Error::invalid("kind", kind.as_str(), "has no public record type"))?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8));
    let decode = |page: &Page, rows: std::ops::Range<usize>| -> Result<Columns> {
        let mut columns = Columns::with_capacity(model, &plan, rows.len());
        for i in rows {
            columns.push_json(page.row(i)).map_err(|e| Error::Corrupt {
                kind: kind.as_str().into(),
                id: page.ids[i],
                message: e.to_string(),
            })?;
        }
        Ok(columns)
    };
    let mut parts = crm.store().read(|tx| {
        std::thread::scope(|scope| {
            let mut parts = Vec::new();
            let mut running: Vec<std::thread::ScopedJoinHandle<'_, Result<Columns>>> = Vec::new();
            let mut after = 0;
            loop {
                // the next page is read while the last one is decoded
                let mut page = Page::default();
                let visited = tx.visit_raw(kind, after, PAGE, &mut |id, _, data| {
                    page.push(id, data);
                    Ok(())
                })?;
                for handle in running.drain(..) {
                    parts.push(joined(handle)?);
                }
                let Some(&last) = page.ids.last() else { break };
                after = last;
                let page = Arc::new(page);
                let chunk = visited.div_ceil(workers).max(1);
                for start in (0..visited).step_by(chunk) {
                    let page = Arc::clone(&page);
                    let decode = &decode;
                    let rows = start..(start + chunk).min(visited);
                    running.push(scope.spawn(move || decode(&page, rows)));
                }
                if visited < PAGE {
                    for handle in running.drain(..) {
                        parts.push(joined(handle)?);
                    }
                    break;
                }
            }
            Ok(parts)
        })
    })?;
    if parts.is_empty() {
        parts.push(Columns::new(model, &plan));
    }
    Columns::finish_parts(parts)
}

/// A page of stored records' JSON, in one buffer.
#[derive(Default)]
struct Page {
    text: String,
    ends: Vec<usize>,
    ids: Vec<u64>,
}

impl Page {
    fn push(&mut self, id: u64, data: &str) {
        self.text.push_str(data);
        self.ends.push(self.text.len());
        self.ids.push(id);
    }

    fn row(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

fn joined(handle: std::thread::ScopedJoinHandle<'_, Result<Columns>>) -> Result<Columns> {
    handle.join().unwrap_or_else(|_| {
        Err(Error::Internal {
            message: "a decoding thread panicked".into(),
        })
    })
}

/// The public record type of a stored kind, by its name in the model.
fn type_of(kind: EntityKind) -> Option<&'static str> {
    use EntityKind as K;
    Some(match kind {
        K::Lead => "Lead",
        K::Account => "Account",
        K::Contact => "Contact",
        K::Touchpoint => "Touchpoint",
        K::Activity => "Activity",
        K::Purchase => "Purchase",
        K::Opportunity => "Opportunity",
        K::Pipeline => "Pipeline",
        K::WebForm => "WebForm",
        K::ExchangeRate => "ExchangeRate",
        K::Product => "ProductRecord",
        K::PriceBook => "PriceBookRecord",
        K::Quote => "Quote",
        K::SalesOrder => "SalesOrder",
        K::Case => "Case",
        K::Asset => "Asset",
        K::Warranty => "Warranty",
        K::Contract => "Contract",
        K::Technician => "Technician",
        K::ServiceOrder => "ServiceOrder",
        K::MaintenancePlan => "MaintenancePlan",
        K::Article => "Article",
        K::Calendar => "CalendarRecord",
        K::SlaPolicy => "SlaPolicyRecord",
        K::Campaign => "Campaign",
        K::Segment => "Segment",
        K::MarketingPlan => "MarketingPlan",
        K::AutomationRule => "AutomationRule",
        K::AutomationAction => "AutomationAction",
        K::AutomationState => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Region;
    use crate::store::MemoryStore;
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Decimal128Type, Int64Type, TimestampMicrosecondType};
    use arrow_schema::{DataType, TimeUnit};
    use serde_json::{Value, json};

    fn call(crm: &Crm<MemoryStore>, call: &str, args: Value) -> Value {
        let (ns, name) = call.split_once('.').unwrap();
        let now = "2026-11-23T09:00:00Z".parse().unwrap();
        crate::surface::invoke(crm, ns, name, args.as_object().unwrap(), now).unwrap()
    }

    /// The chunks of a table as one batch.
    fn whole((schema, batches): Table) -> RecordBatch {
        arrow_select::concat::concat_batches(&schema, &batches).unwrap()
    }

    fn text(batch: &RecordBatch, column: &str) -> Vec<Option<String>> {
        let array = batch
            .column_by_name(column)
            .unwrap_or_else(|| panic!("no {column}"));
        let strings = array.as_string::<i32>();
        (0..array.len())
            .map(|i| (!strings.is_null(i)).then(|| strings.value(i).to_string()))
            .collect()
    }

    #[test]
    fn leads_lie_flat_with_their_status_and_its_reason() {
        let model = Model::build();
        let crm = Crm::new(MemoryStore::new(), Region::parse("DE").unwrap());
        let empty = whole(stored(&crm, &model, EntityKind::Lead).unwrap());
        assert_eq!(empty.num_rows(), 0);
        assert!(empty.column_by_name("data.first_name").is_some());
        for (first, email) in [("Ada", "ada@example.com"), ("Bob", "bob@example.com")] {
            let values = json!({ "first_name": first, "last_name": "X", "email": email });
            call(
                &crm,
                "leads.capture",
                json!({ "input": { "values": values } }),
            );
        }
        call(
            &crm,
            "leads.disqualify",
            json!({ "id": 2, "reason": "no budget" }),
        );

        let batch = whole(stored(&crm, &model, EntityKind::Lead).unwrap());
        assert_eq!(batch.num_rows(), 2);
        let ids = batch
            .column_by_name("id")
            .unwrap()
            .as_primitive::<Int64Type>();
        assert_eq!(ids.values().to_vec(), vec![1, 2]);
        assert_eq!(
            text(&batch, "data.first_name"),
            [Some("Ada".into()), Some("Bob".into())]
        );
        assert_eq!(
            text(&batch, "status"),
            [Some("new".into()), Some("disqualified".into())]
        );
        assert_eq!(
            text(&batch, "status.reason"),
            [None, Some("no budget".into())]
        );
        let created = batch.column_by_name("created_at").unwrap();
        assert_eq!(
            created.data_type(),
            &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
        );
        let micros = created.as_primitive::<TimestampMicrosecondType>().value(0);
        assert_eq!(micros, 1_795_424_400_000_000);
    }

    #[test]
    fn tagged_enums_and_money_get_their_own_columns() {
        let model = Model::build();
        let crm = Crm::new(MemoryStore::new(), Region::parse("DE").unwrap());
        call(
            &crm,
            "customers.create_account",
            json!({ "account": { "name": "Engines" } }),
        );
        let contact = json!({ "account": 1, "first_name": "Ada", "last_name": "Lovelace" });
        call(
            &crm,
            "customers.create_contact",
            json!({ "contact": contact }),
        );
        let visit =
            json!({ "kind": "web_visit", "url": "https://x.example/pricing", "duration_secs": 95 });
        let touch = json!({ "subject": { "kind": "contact", "id": 1 }, "at": "2026-11-22T15:00:00Z", "kind": visit });
        call(&crm, "leads.record_touchpoint", json!({ "touch": touch }));
        let batch = whole(stored(&crm, &model, EntityKind::Touchpoint).unwrap());
        assert_eq!(text(&batch, "subject"), [Some("contact".into())]);
        assert_eq!(text(&batch, "kind"), [Some("web_visit".into())]);
        assert_eq!(
            text(&batch, "kind.url"),
            [Some("https://x.example/pricing".into())]
        );
        let secs = batch.column_by_name("kind.duration_secs").unwrap();
        assert_eq!(secs.as_primitive::<Int64Type>().value(0), 95);

        let purchase = json!({ "contact": 1, "product": "Engine", "purchased_at": "2026-11-01T10:00:00Z",
            "quantity": "1", "unit_price": { "amount": "12000.5", "currency": "EUR" } });
        call(
            &crm,
            "customers.record_purchase",
            json!({ "purchase": purchase }),
        );
        let purchase = json!({ "contact": 1, "product": "Gear", "purchased_at": "2026-11-02T10:00:00Z",
            "quantity": "2.5", "unit_price": { "amount": "0.125", "currency": "EUR" } });
        call(
            &crm,
            "customers.record_purchase",
            json!({ "purchase": purchase }),
        );
        let batch = whole(stored(&crm, &model, EntityKind::Purchase).unwrap());
        let prices = batch.column_by_name("unit_price.amount").unwrap();
        assert_eq!(prices.data_type(), &DataType::Decimal128(38, 3));
        let prices = prices.as_primitive::<Decimal128Type>();
        assert_eq!((prices.value(0), prices.value(1)), (12_000_500, 125));
        let quantities = batch.column_by_name("quantity").unwrap();
        assert_eq!(quantities.data_type(), &DataType::Decimal128(38, 1));
    }

    #[test]
    fn parts_filled_apart_share_one_schema() {
        let model = Model::build();
        let plan = model.def_named("Money").unwrap();
        let mut a = Columns::new(&model, &plan);
        a.push_json(r#"{"amount": "1.5", "currency": "EUR"}"#)
            .unwrap();
        let mut b = Columns::with_capacity(&model, &plan, 2);
        b.push_json(r#"{"amount": "0.125", "currency": "EUR"}"#)
            .unwrap();
        b.push_json(r#"{"currency": "USD"}"#).unwrap();
        let (schema, batches) = Columns::finish_parts(vec![a, b]).unwrap();
        assert_eq!(schema.field(0).data_type(), &DataType::Decimal128(38, 3));
        assert!(batches.iter().all(|b| b.schema() == schema));
        let all = whole((schema, batches));
        let amounts = all.column(0).as_primitive::<Decimal128Type>();
        assert_eq!((amounts.value(0), amounts.value(1)), (1_500, 125));
        assert!(amounts.is_null(2));
        assert_eq!(
            text(&all, "currency"),
            [Some("EUR".into()), Some("EUR".into()), Some("USD".into())]
        );
    }

    #[test]
    fn a_row_that_does_not_fit_is_an_error_not_a_skewed_batch() {
        let model = Model::build();
        let plan = model.def_named("Lead").unwrap();
        let mut columns = Columns::new(&model, &plan);
        let bad = columns
            .push_json(r#"{"id": 1, "created_at": "yesterday"}"#)
            .unwrap_err();
        assert_eq!(bad.code(), "input");
        assert!(bad.to_string().contains("created_at"), "{bad}");
        assert!(columns.push_json(r#"{"id": 2}"#).is_err());
        assert!(columns.finish().is_err());
    }
}
