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
//!
//! The layout and the builders are here; reading JSON into them is [`read`], reading the
//! store is [`stored`].

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
use serde::de::DeserializeSeed;

use crate::error::{Error, Result};
use crate::surface::model::{Model, Plan, Shape};

mod read;
mod stored;
#[cfg(test)]
mod tests;

use read::{At, Scalar};
pub use stored::stored;

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
