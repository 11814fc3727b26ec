//! Exports of the records of any kind ([`Crm::export_records`]).
//!
//! - **CSV**: one row per record, one column per field. Nested objects are flattened to
//!   dotted paths (`address.city`, `custom.tier`, `amount.amount`); lists are written as
//!   their JSON text; an empty cell is an absent or null value. The columns are every
//!   path any exported record has, in the order first met (or the ones asked for), so two
//!   passes read the records — inside one read transaction, so both see the same records.
//! - **JSON lines**: one stored document per line (only the asked-for paths, when
//!   `columns` names some), in one pass.
//!
//! Records come in id order, filtered like a listing ([`crate::lifecycle::query`]);
//! archived records are not exported. The work reports progress to the job it runs under
//! every [`PROGRESS_EVERY`] records and stops between records when the job is cancelled.

use std::collections::HashMap;
use std::io::Write;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::lifecycle::FieldCondition;
use crate::lifecycle::query::visit;
use crate::store::{EntityKind, ReadTx, Store};

/// Records between progress reports.
pub const PROGRESS_EVERY: usize = 1000;

/// The shape of an export.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Comma-separated values with a header row, UTF-8.
    #[default]
    Csv,
    /// One JSON document per line.
    JsonLines,
    /// Apache Parquet: the CSV columns, typed (whole numbers, numbers, booleans, text),
    /// Snappy-compressed; for pandas, polars, DuckDB and Spark. Needs a build with the
    /// `parquet` feature (the Python and Node packages have it).
    Parquet,
}

/// What to export, and how.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportOptions {
    /// CSV (when left out), JSON lines or Parquet.
    #[serde(default)]
    pub format: ExportFormat,
    /// Conditions every exported record meets, as in a listing.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub filter: Vec<FieldCondition>,
    /// The fields to export, as dotted paths, in this order (every field when empty).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub columns: Vec<String>,
    /// The CSV field delimiter (`,` when left out; `;` for spreadsheets in many locales).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub delimiter: Option<String>,
}

/// What an export wrote.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExportReport {
    /// Records written.
    pub records: u64,
    /// The CSV columns, in order (the asked-for paths for JSON lines; empty: whole
    /// documents).
    pub columns: Vec<String>,
}

impl ExportOptions {
    fn delimiter(&self) -> Result<u8> {
        match self.delimiter.as_deref() {
            None => Ok(b','),
            Some(d) if d.len() == 1 && d != "\"" && d != "\n" && d != "\r" => Ok(d.as_bytes()[0]),
            Some(d) => Err(Error::invalid(
                "delimiter",
                d,
                "one ASCII character other than a quote or a line break",
            )),
        }
    }

    fn check(&self) -> Result<()> {
        for c in &self.filter {
            c.check()?;
        }
        if let Some(bad) = self.columns.iter().find(|c| c.trim().is_empty()) {
            return Err(Error::invalid(
                "columns",
                bad.as_str(),
                "a column names a field",
            ));
        }
        self.delimiter().map(|_| ())
    }
}

/// What the values of one column have been so far: a Parquet column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    /// Nothing but empty cells yet.
    Empty,
    /// Whole numbers.
    Int,
    /// Numbers.
    Float,
    /// Booleans.
    Bool,
    /// Anything else, as text.
    Text,
}

impl ColumnKind {
    /// The kind of a column after it met `value`.
    fn with(self, value: &Value) -> ColumnKind {
        use ColumnKind as K;
        let met = match value {
            Value::Null => return self,
            Value::Bool(_) => K::Bool,
            Value::Number(n) if n.is_i64() => K::Int,
            Value::Number(_) => K::Float,
            _ => K::Text,
        };
        match (self, met) {
            (K::Empty, m) => m,
            (a, b) if a == b => a,
            (K::Int, K::Float) | (K::Float, K::Int) => K::Float,
            _ => K::Text,
        }
    }
}

/// Adds to `out` every leaf of `value` under `prefix`, as (dotted path, value).
fn flatten<'v>(prefix: &str, value: &'v Value, out: &mut Vec<(String, &'v Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        Value::Object(_) | Value::Null => {}
        leaf => out.push((prefix.to_string(), leaf)),
    }
}

/// The value at a dotted path of a document.
fn at<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(doc, |v, part| v.get(part))
}

/// A CSV cell of a value.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    }
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::storage(format!("writing the export: {e}"))
}

/// Exports on an open read transaction; see the module docs.
///
/// # Errors
/// As [`Crm::export_records`].
pub fn export(
    tx: &dyn ReadTx,
    kind: EntityKind,
    options: &ExportOptions,
    out: &mut (dyn Write + Send),
) -> Result<ExportReport> {
    options.check()?;
    let mut report = ExportReport {
        records: 0,
        columns: options.columns.clone(),
    };
    let tick = |report: &mut ExportReport| {
        report.records += 1;
        let n = report.records as usize;
        if n.is_multiple_of(PROGRESS_EVERY) {
            crate::job::checkpoint(n, None)
        } else {
            Ok(())
        }
    };
    crate::job::checkpoint(0, None)?;
    match options.format {
        ExportFormat::JsonLines => {
            visit(tx, kind, &options.filter, 0, &mut |_, doc| {
                let line = if options.columns.is_empty() {
                    doc
                } else {
                    let mut picked = Map::new();
                    for c in &options.columns {
                        picked.insert(c.clone(), at(&doc, c).cloned().unwrap_or(Value::Null));
                    }
                    Value::Object(picked)
                };
                serde_json::to_writer(&mut *out, &line).map_err(io)?;
                out.write_all(b"\n").map_err(io)?;
                tick(&mut report)?;
                Ok(true)
            })?;
        }
        ExportFormat::Csv | ExportFormat::Parquet => {
            let parquet = options.format == ExportFormat::Parquet;
            if parquet && !cfg!(feature = "parquet") {
                return Err(Error::invalid(
                    "format",
                    "parquet",
                    "this build has no Parquet support (the `parquet` feature)",
                ));
            }
            let asked = !report.columns.is_empty();
            let mut kinds = vec![ColumnKind::Empty; report.columns.len()];
            if !asked || parquet {
                // first pass: every path, in the order first met, and what its values are
                let mut position: HashMap<String, usize> = HashMap::new();
                position.extend(report.columns.iter().cloned().zip(0..));
                visit(tx, kind, &options.filter, 0, &mut |_, doc| {
                    let mut leaves = Vec::new();
                    flatten("", &doc, &mut leaves);
                    for (path, value) in leaves {
                        let at = match position.get(&path) {
                            Some(&i) => i,
                            None if asked => continue,
                            None => {
                                position.insert(path.clone(), report.columns.len());
                                report.columns.push(path);
                                kinds.push(ColumnKind::Empty);
                                report.columns.len() - 1
                            }
                        };
                        kinds[at] = kinds[at].with(value);
                    }
                    Ok(true)
                })?;
            }
            if parquet {
                write_parquet(tx, kind, options, out, &mut report, &kinds, &tick)?;
            } else {
                let mut writer = csv::WriterBuilder::new()
                    .delimiter(options.delimiter()?)
                    .from_writer(&mut *out);
                writer.write_record(&report.columns).map_err(io)?;
                let mut row: Vec<String> = Vec::with_capacity(report.columns.len());
                let columns = report.columns.clone();
                visit(tx, kind, &options.filter, 0, &mut |_, doc| {
                    row.clear();
                    row.extend(columns.iter().map(|c| cell(at(&doc, c))));
                    writer.write_record(&row).map_err(io)?;
                    tick(&mut report)?;
                    Ok(true)
                })?;
                writer.flush().map_err(io)?;
            }
        }
    }
    out.flush().map_err(io)?;
    Ok(report)
}

#[cfg(feature = "parquet")]
fn write_parquet(
    tx: &dyn ReadTx,
    kind: EntityKind,
    options: &ExportOptions,
    out: &mut (dyn Write + Send),
    report: &mut ExportReport,
    kinds: &[ColumnKind],
    tick: &dyn Fn(&mut ExportReport) -> Result<()>,
) -> Result<()> {
    let columns = report.columns.clone();
    let mut rows = super::parquet::ParquetRows::new(out, &columns, kinds)?;
    visit(tx, kind, &options.filter, 0, &mut |_, doc| {
        rows.push(columns.iter().map(|c| at(&doc, c)))?;
        tick(report)?;
        Ok(true)
    })?;
    rows.close()
}

#[cfg(not(feature = "parquet"))]
fn write_parquet(
    _: &dyn ReadTx,
    _: EntityKind,
    _: &ExportOptions,
    _: &mut (dyn Write + Send),
    _: &mut ExportReport,
    _: &[ColumnKind],
    _: &dyn Fn(&mut ExportReport) -> Result<()>,
) -> Result<()> {
    Err(Error::invalid(
        "format",
        "parquet",
        "no Parquet support in this build",
    ))
}

impl<S: Store> Crm<S> {
    /// Writes the live records of `kind` that `options` selects to `out`, as CSV or JSON
    /// lines; see the [module docs](self).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a bad condition, column or delimiter;
    /// [`Error::Storage`] when the store cannot be read or `out` cannot be written (what
    /// was written stays); [`Error::Cancelled`] when the job is cancelled.
    pub fn export_records(
        &self,
        kind: EntityKind,
        options: &ExportOptions,
        out: &mut (dyn Write + Send),
    ) -> Result<ExportReport> {
        self.require_export(kind)?;
        self.read(|tx| export(tx, kind, options, out))
    }

    /// Exports into a new file at `path` (replacing one that is there); see
    /// [`Crm::export_records`].
    ///
    /// # Errors
    /// As [`Crm::export_records`]; [`Error::Storage`] when the file cannot be created.
    pub fn export_to_file(
        &self,
        kind: EntityKind,
        path: &str,
        options: &ExportOptions,
    ) -> Result<ExportReport> {
        options.check()?;
        self.require_export(kind)?;
        let file = std::fs::File::create(path)
            .map_err(|e| Error::storage(format!("creating {path}: {e}")))?;
        let mut out = std::io::BufWriter::new(file);
        self.export_records(kind, options, &mut out)
    }
}
