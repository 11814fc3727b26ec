//! Parquet exports (the `parquet` feature): the columns of a CSV export, typed — a column
//! whose every value is a whole number is `Int64`, a number `Float64`, a boolean
//! `Boolean`; every other column is UTF-8 text (decimal amounts stay exact as text; lists
//! and objects as their JSON). Written in row groups of [`ROWS_PER_BATCH`] records,
//! Snappy-compressed.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

use super::export::ColumnKind;
use crate::error::{Error, Result};

/// Records per row group.
pub const ROWS_PER_BATCH: usize = 8192;

fn data_type(kind: ColumnKind) -> DataType {
    match kind {
        ColumnKind::Int => DataType::Int64,
        ColumnKind::Float => DataType::Float64,
        ColumnKind::Bool => DataType::Boolean,
        ColumnKind::Empty | ColumnKind::Text => DataType::Utf8,
    }
}
enum Builder {
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Text(StringBuilder),
}

impl Builder {
    fn new(kind: ColumnKind) -> Self {
        match kind {
            ColumnKind::Int => Builder::Int(Int64Builder::new()),
            ColumnKind::Float => Builder::Float(Float64Builder::new()),
            ColumnKind::Bool => Builder::Bool(BooleanBuilder::new()),
            ColumnKind::Empty | ColumnKind::Text => Builder::Text(StringBuilder::new()),
        }
    }

    fn push(&mut self, value: Option<&Value>) {
        let value = value.filter(|v| !v.is_null());
        match self {
            Builder::Int(b) => b.append_option(value.and_then(Value::as_i64)),
            Builder::Float(b) => b.append_option(value.and_then(Value::as_f64)),
            Builder::Bool(b) => b.append_option(value.and_then(Value::as_bool)),
            Builder::Text(b) => match value {
                None => b.append_null(),
                Some(Value::String(s)) => b.append_value(s),
                Some(other) => b.append_value(other.to_string()),
            },
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
        }
    }
}

fn parquet_error(e: impl std::fmt::Display) -> Error {
    Error::storage(format!("writing the Parquet export: {e}"))
}

/// Writes rows (each the values of `columns`, in order) as Parquet.
pub(crate) struct ParquetRows<'w> {
    writer: ArrowWriter<&'w mut (dyn Write + Send)>,
    schema: Arc<Schema>,
    builders: Vec<Builder>,
    rows: usize,
}

impl<'w> ParquetRows<'w> {
    pub(crate) fn new(
        out: &'w mut (dyn Write + Send),
        columns: &[String],
        kinds: &[ColumnKind],
    ) -> Result<Self> {
        let schema = Arc::new(Schema::new(
            columns
                .iter()
                .zip(kinds)
                .map(|(c, k)| Field::new(c, data_type(*k), true))
                .collect::<Vec<_>>(),
        ));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer =
            ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(parquet_error)?;
        Ok(ParquetRows {
            writer,
            schema,
            builders: kinds.iter().map(|k| Builder::new(*k)).collect(),
            rows: 0,
        })
    }

    pub(crate) fn push<'v>(
        &mut self,
        values: impl Iterator<Item = Option<&'v Value>>,
    ) -> Result<()> {
        for (b, v) in self.builders.iter_mut().zip(values) {
            b.push(v);
        }
        self.rows += 1;
        if self.rows == ROWS_PER_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(parquet_error)?;
        self.writer.write(&batch).map_err(parquet_error)?;
        self.rows = 0;
        Ok(())
    }

    pub(crate) fn close(mut self) -> Result<()> {
        self.flush()?;
        self.writer.close().map_err(parquet_error)?;
        Ok(())
    }
}
