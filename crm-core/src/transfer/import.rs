//! Imports of the records of every importable kind ([`Crm::import_records`]).
//!
//! - **Columns** name fields by their dotted paths, as exports write them (`name`,
//!   `address.city`, `custom.tier`; a lead's `data.email` or `email`), so an export
//!   imports back. `columns` maps other headers onto paths; a header mapped to `""` is
//!   skipped; `id`, `version` and `updated_at` are kept by the store and skipped; a column
//!   that is no field of the kind is skipped and listed in the report.
//! - **Values**: CSV cells are text; a cell whose field wants a number, a boolean, a list
//!   or an object is read as JSON (learned per column from the first cell that needs it);
//!   a `phone` in national form is read in the CRM's region; an empty cell is no value.
//! - **Links by natural key**: a header `path@key` puts at `path` the id of the record
//!   whose key has the cell's value (`account@name`, `account@domain`, `contact@email`,
//!   `account@external:erp` for an id in another system); `path@kind.key` names the kind
//!   when the path does not (`subject@contact.email` writes a record reference).
//! - **Upsert by external id**: with `external_system`, a row whose `external_id` column
//!   names a record of the kind in that system updates it (the row's fields only; fields
//!   an edit may not change are left as they are), and a row whose id is unknown creates
//!   a record and links it to that id.
//! - **Created-at**: a `created_at` column (RFC 3339, or a day) is the instant the record
//!   and its creation event carry.
//! - **Problems**: a row that cannot be imported is reported with its row, column and the
//!   error's code, and left out; the rows before and after it are imported. In lenient
//!   mode a bad value is left out instead and its row imported without it, when the row
//!   still makes a valid record. The report lists every problem.
//! - **Batches**: rows are written [`ImportRecordsOptions::batch_size`] to a transaction;
//!   a row whose write fails leaves nothing, as the batch is written again without it.
//!   Progress goes to the job the import runs under after every batch, and a cancelled
//!   job stops after a committed batch.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::kinds::{self, Context, Created, Importable};
use super::source::{ImportFormat, Source, SourceRow};
use crate::contact_info::{Phone, Region};
use crate::crm::Crm;
use crate::crm::duplicates::rules_in_force;
use crate::crm::import::DuplicatePolicy;
use crate::error::{Error, Result};
use crate::id::{RecordKey, Version};
use crate::lifecycle::editable::EditableFields;
use crate::lifecycle::external::{find_external_in, link_new_in};
use crate::lifecycle::{Patch, edit_in, merge_into};
use crate::store::{Entity, EntityKind, ReadTx, RecordId, Store, WriteTx};

/// How to import a file.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRecordsOptions {
    /// CSV or JSON lines (by the file name when left out: `.jsonl`, `.ndjson` are JSON
    /// lines).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub format: Option<ImportFormat>,
    /// The text encoding, by name (`utf-8`, `windows-1252`, `utf-16le`, …); detected when
    /// left out (a byte-order mark, else UTF-8, else the likeliest legacy encoding).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub encoding: Option<String>,
    /// The CSV delimiter; detected when left out (`,` `;` tab `|`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub delimiter: Option<String>,
    /// Field path per header, for headers that are not paths (`{"Company": "name",
    /// "Firma": "account@name", "Notes": ""}`; `""` skips the column).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub columns: HashMap<String, String>,
    /// Upsert by external id: the other system (`erp`) whose ids the `external_id`
    /// column holds.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub external_system: Option<String>,
    /// The column of external ids (`external_id` when left out).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub external_id_column: Option<String>,
    /// The column of creation instants (`created_at` when left out).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub created_at_column: Option<String>,
    /// Leave a bad value out and import its row without it, rather than leaving the row
    /// out.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lenient: bool,
    /// Rows per transaction (20 000 when left out).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub batch_size: Option<u32>,
    /// Leads that duplicate a stored lead or contact (`skip` when left out).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub duplicates: Option<DuplicatePolicy>,
    /// A label kept in each imported lead's source (the file name when left out).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub label: Option<String>,
}

/// One problem of an import.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The 1-based data row (the CSV header is row 0).
    pub row: u64,
    /// The column, when the problem is with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub column: Option<String>,
    /// The error's stable code (`invalid_value`, `validation_failed`, `not_found`,
    /// `duplicate`, `input`, …).
    pub code: String,
    /// What was wrong.
    pub message: String,
    /// The value was left out and the row imported without it (lenient mode); `false`:
    /// the row was not imported.
    pub left_out: bool,
}

/// What an import did.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRecordsReport {
    /// Data rows read.
    pub rows: u64,
    /// Records created.
    pub created: u64,
    /// Records updated (upserts).
    pub updated: u64,
    /// Rows not imported (bad, or duplicates of stored leads).
    pub refused: u64,
    /// Every problem, by row.
    pub problems: Vec<ImportProblem>,
    /// Columns that are no field of the kind, skipped.
    pub ignored_columns: Vec<String>,
    /// The format read.
    pub format: ImportFormat,
    /// The encoding read (given or detected).
    pub encoding: String,
    /// The CSV delimiter (given or detected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub delimiter: Option<String>,
}

const DEFAULT_BATCH: usize = 20_000;
/// Link lookups remembered before the memory is cleared.
const LINK_CACHE: usize = 100_000;
/// Columns the store keeps: skipped without a word.
const STORE_KEPT: &[&str] = &["id", "version", "updated_at"];

/// How a column's text cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Text, except a cell that is a JSON list or object.
    Auto,
    /// JSON when the cell is JSON (numbers, booleans), else text.
    Json,
    /// Always text.
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum LinkKey {
    Natural(String),
    External(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Field {
        path: Vec<String>,
        phone: bool,
    },
    Link {
        path: Vec<String>,
        kind: EntityKind,
        key: LinkKey,
        as_ref: bool,
    },
    ExternalId,
    CreatedAt,
    Skipped,
}

/// What each column is, learned as columns appear.
struct Plan {
    kind: EntityKind,
    names: Vec<String>,
    roles: Vec<Role>,
    modes: Vec<Mode>,
    /// Columns whose first value was checked for being a field of the kind.
    checked: Vec<bool>,
    /// Columns already reported as not changed by updates.
    kept_reported: Vec<bool>,
    csv: bool,
    region: Region,
}

/// A row waiting to be written.
struct Pending {
    row: usize,
    values: Vec<(usize, Value)>,
    problems: Vec<ImportProblem>,
    refused: bool,
}

/// What a row came to.
enum Outcome {
    Created,
    Updated,
    Refused,
}

/// Why a row's write failed: after it may have written (the batch goes again without
/// it), or for good (the import stops).
enum Failure {
    Row(Error),
    Fatal(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Fatal(e)
    }
}

fn is_fatal(e: &Error) -> bool {
    matches!(
        e,
        Error::Storage { .. }
            | Error::Corrupt { .. }
            | Error::Internal { .. }
            | Error::Cancelled { .. }
    )
}

fn segments(path: &str) -> Vec<String> {
    path.replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Plan {
    fn new(kind: EntityKind, csv: bool, region: Region) -> Self {
        Plan {
            kind,
            names: Vec::new(),
            roles: Vec::new(),
            modes: Vec::new(),
            checked: Vec::new(),
            kept_reported: Vec::new(),
            csv,
            region,
        }
    }

    /// Learns the columns the source has met since the last call.
    fn learn(&mut self, names: &[String], options: &ImportRecordsOptions) -> Result<()> {
        for name in &names[self.names.len()..] {
            let role = self.role_of(name, options)?;
            self.names.push(name.clone());
            self.roles.push(role);
            self.modes.push(Mode::Auto);
            self.checked.push(false);
            self.kept_reported.push(false);
        }
        Ok(())
    }

    fn role_of(&self, header: &str, options: &ImportRecordsOptions) -> Result<Role> {
        let target = options
            .columns
            .get(header)
            .map_or(header, String::as_str)
            .trim();
        let external = options
            .external_id_column
            .as_deref()
            .unwrap_or("external_id");
        let created = options.created_at_column.as_deref().unwrap_or("created_at");
        if target.is_empty() || STORE_KEPT.contains(&target) {
            return Ok(Role::Skipped);
        }
        if options.external_system.is_some() && target == external {
            return Ok(Role::ExternalId);
        }
        if target == created {
            return Ok(Role::CreatedAt);
        }
        let (path, link) = match target.split_once('@') {
            Some((p, l)) => (p, Some(l)),
            None => (target, None),
        };
        let mut path = segments(path);
        // a lead's fields sit under `data` in its documents
        if self.kind == EntityKind::Lead && path.first().is_some_and(|s| s == "data") {
            path.remove(0);
        }
        if path.is_empty() {
            return Err(Error::invalid(
                "columns",
                header,
                "a column names a field by its dotted path",
            ));
        }
        let Some(link) = link else {
            let phone = path.last().is_some_and(|s| s == "phone");
            return Ok(Role::Field { path, phone });
        };
        let last = path.last().cloned().unwrap_or_default();
        let (kind, key) = match link.split_once('.') {
            Some((k, key)) if !k.starts_with("external:") => (k.parse::<EntityKind>()?, key),
            _ => (
                last.parse::<EntityKind>().map_err(|_| {
                    Error::invalid(
                        "columns",
                        header,
                        "name the kind linked to (`subject@contact.email`) when the field is not \
                     named after it",
                    )
                })?,
                link,
            ),
        };
        let key = match key.strip_prefix("external:") {
            Some(system) => LinkKey::External(system.to_string()),
            None => {
                if kinds::natural_key(kind, key, "x@example.com").is_none() {
                    return Err(Error::invalid(
                        "columns",
                        header,
                        format!(
                            "not a natural key; link by {} or by `external:<system>`",
                            kinds::NATURAL_KEYS
                        ),
                    ));
                }
                LinkKey::Natural(key.to_string())
            }
        };
        Ok(Role::Link {
            as_ref: last != kind.as_str(),
            path,
            kind,
            key,
        })
    }

    /// A cell's value as its column reads it.
    fn read(&self, key: usize, value: &Value) -> Value {
        let Value::String(text) = value else {
            return value.clone();
        };
        if let Role::Field { phone: true, .. } = &self.roles[key]
            && !text.trim_start().starts_with('+')
            && let Ok(p) = Phone::parse(text, self.region)
        {
            return Value::String(p.to_string());
        }
        let parse = match self.modes[key] {
            Mode::Text => false,
            Mode::Json => true,
            Mode::Auto => self.csv && (text.starts_with('[') || text.starts_with('{')),
        };
        if parse && let Ok(v) = serde_json::from_str::<Value>(text) {
            return v;
        }
        value.clone()
    }
}

fn place(doc: &mut Map<String, Value>, path: &[String], value: Value) {
    let (last, parents) = path.split_last().expect("paths are not empty");
    let mut at = doc;
    for p in parents {
        let slot = at
            .entry(p.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        at = slot.as_object_mut().expect("made an object");
    }
    at.insert(last.clone(), value);
}

fn instant(value: &Value) -> std::result::Result<DateTime<Utc>, String> {
    let text = value.as_str().unwrap_or_default().trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, f) {
            return Ok(t.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    Err(format!(
        "{value} is not an instant (RFC 3339 `2024-05-01T09:30:00Z`, or a day `2024-05-01`)"
    ))
}

/// A row made into a document.
struct Built {
    doc: Map<String, Value>,
    /// Column and path of every value placed in `doc`.
    origins: Vec<(usize, Vec<String>)>,
    links: Vec<(usize, Value)>,
    external: Option<String>,
    created_at: Option<DateTime<Utc>>,
    /// A value that cannot be read at all: column and message.
    bad: Option<(usize, String, &'static str)>,
}

/// What to do after a problem before anything was written.
enum Step {
    Retry,
    Refuse(ImportProblem),
}

struct Importer<'o> {
    plan: Plan,
    options: &'o ImportRecordsOptions,
    label: String,
    links: HashMap<(EntityKind, LinkKey, String), u64>,
    report: ImportRecordsReport,
    ignored: HashSet<usize>,
}

impl Importer<'_> {
    fn build(&self, values: &[(usize, Value)]) -> Built {
        let mut b = Built {
            doc: Map::new(),
            origins: Vec::new(),
            links: Vec::new(),
            external: None,
            created_at: None,
            bad: None,
        };
        for (key, raw) in values {
            let key = *key;
            if self.plan.csv
                && let Value::String(s) = raw
                && s.contains('\u{FFFD}')
            {
                b.bad.get_or_insert((
                    key,
                    "holds bytes the file's encoding cannot read (give the encoding?)".into(),
                    "invalid_value",
                ));
            }
            match &self.plan.roles[key] {
                Role::Skipped => {}
                Role::Field { path, .. } => {
                    place(&mut b.doc, path, self.plan.read(key, raw));
                    b.origins.push((key, path.clone()));
                }
                Role::Link { .. } => b.links.push((key, raw.clone())),
                Role::ExternalId => {
                    b.external = Some(match raw {
                        Value::String(s) => s.trim().to_string(),
                        other => other.to_string(),
                    });
                }
                Role::CreatedAt => match instant(raw) {
                    Ok(t) => b.created_at = Some(t),
                    Err(m) => {
                        b.bad.get_or_insert((key, m, "invalid_value"));
                    }
                },
            }
        }
        b
    }

    fn problem(
        &self,
        row: usize,
        key: Option<usize>,
        code: &str,
        message: String,
        left_out: bool,
    ) -> ImportProblem {
        ImportProblem {
            row: row as u64,
            column: key.map(|k| self.plan.names[k].clone()),
            code: code.to_string(),
            message,
            left_out,
        }
    }

    /// Leaves a column out of a row in lenient mode, or refuses the row.
    fn drop_or_refuse(
        &self,
        pending: &mut Pending,
        key: Option<usize>,
        code: &str,
        message: String,
    ) -> Step {
        match key {
            Some(k) if self.options.lenient && pending.values.iter().any(|(c, _)| *c == k) => {
                pending.values.retain(|(c, _)| *c != k);
                let p = self.problem(pending.row, Some(k), code, message, true);
                pending.problems.push(p);
                Step::Retry
            }
            _ => Step::Refuse(self.problem(pending.row, key, code, message, false)),
        }
    }

    /// The column a field path (of an error) came from.
    fn origin_of(&self, origins: &[(usize, Vec<String>)], path: &[String]) -> Option<usize> {
        if path.is_empty() {
            return None;
        }
        origins
            .iter()
            .find(|(_, p)| p.starts_with(path) || path.starts_with(p))
            .map(|(k, _)| *k)
    }

    /// After a deserialisation error: read the column another way, leave it out, or
    /// refuse the row.
    fn on_shape_error(
        &mut self,
        pending: &mut Pending,
        origins: &[(usize, Vec<String>)],
        path: &[String],
        message: String,
    ) -> Step {
        let origin = if message.starts_with("missing field") {
            None
        } else {
            self.origin_of(origins, path)
        };
        if let Some(k) = origin
            && let Some((_, raw)) = pending.values.iter().find(|(c, _)| *c == k)
            && raw.is_string()
        {
            let mode = self.plan.modes[k];
            let read = self.plan.read(k, raw);
            if message.starts_with("invalid type: string") && mode != Mode::Json {
                let as_json = serde_json::from_str::<Value>(raw.as_str().unwrap_or_default());
                if as_json.is_ok_and(|v| !v.is_string()) {
                    self.plan.modes[k] = Mode::Json;
                    return Step::Retry;
                }
            } else if message.starts_with("invalid type") && mode == Mode::Auto && !read.is_string()
            {
                self.plan.modes[k] = Mode::Text;
                return Step::Retry;
            }
        }
        let message = if origin.is_none() && !path.is_empty() {
            format!("{}: {message}", path.join("."))
        } else {
            message
        };
        self.drop_or_refuse(pending, origin, "invalid_value", message)
    }

    /// Resolves a link column's value to the id it names.
    ///
    /// # Errors
    /// [`Error::Storage`] and the like; a key that names no record or several is the
    /// inner error, with its code.
    #[allow(clippy::type_complexity)]
    fn resolve(
        &mut self,
        tx: &dyn ReadTx,
        key: usize,
        value: &Value,
    ) -> Result<std::result::Result<Value, (String, &'static str)>> {
        let Role::Link {
            kind,
            key: link,
            as_ref,
            ..
        } = self.plan.roles[key].clone()
        else {
            unreachable!("resolve is called for link columns");
        };
        let text = match value {
            Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        };
        let cache_key = (kind, link.clone(), text.clone());
        let id = match self.links.get(&cache_key) {
            Some(&id) => id,
            None => {
                let ids = match &link {
                    LinkKey::External(system) => find_external_in(tx, kind, system, &text)
                        .map(|r| r.map(|r| r.id()).into_iter().collect::<Vec<_>>()),
                    LinkKey::Natural(k) => match kinds::natural_key(kind, k, &text) {
                        Some(Ok((slot, norm))) => tx.find_ids(kind, slot, &norm),
                        Some(Err(e)) => Err(e),
                        None => unreachable!("checked when the column was planned"),
                    },
                };
                let ids = match ids {
                    Ok(ids) => ids,
                    Err(e) if is_fatal(&e) => return Err(e),
                    Err(e) => return Ok(Err((e.to_string(), e.code()))),
                };
                let what = match &link {
                    LinkKey::External(s) => format!("{s} id"),
                    LinkKey::Natural(k) => k.replace('_', " "),
                };
                match ids.as_slice() {
                    [id] => {
                        // records of the kind being imported may yet be rolled back
                        if kind != self.plan.kind {
                            if self.links.len() >= LINK_CACHE {
                                self.links.clear();
                            }
                            self.links.insert(cache_key, *id);
                        }
                        *id
                    }
                    [] => {
                        return Ok(Err((
                            format!("no {kind} has the {what} {text:?}"),
                            "not_found",
                        )));
                    }
                    many => {
                        return Ok(Err((
                            format!("{} {kind} records have the {what} {text:?}", many.len()),
                            "duplicate",
                        )));
                    }
                }
            }
        };
        Ok(Ok(if as_ref {
            serde_json::json!({"kind": kind.as_str(), "id": id})
        } else {
            Value::from(id)
        }))
    }
}

impl Importer<'_> {
    fn refuse(pending: &mut Pending, problem: ImportProblem) -> Outcome {
        pending.problems.push(problem);
        pending.refused = true;
        Outcome::Refused
    }

    /// Skips the columns that are no field of `T` the first time each is met.
    fn check_ignored<T: serde::de::DeserializeOwned>(
        &mut self,
        doc: &Value,
        origins: &[(usize, Vec<String>)],
    ) {
        if origins.iter().all(|(k, _)| self.plan.checked[*k]) {
            return;
        }
        let mut ignored = Vec::new();
        let _ = serde_ignored::deserialize(doc, |p| ignored.push(segments(&p.to_string())))
            .map(|_: T| ());
        for path in ignored {
            if let Some(k) = self.origin_of(origins, &path)
                && self.ignored.insert(k)
            {
                self.plan.roles[k] = Role::Skipped;
                self.report.ignored_columns.push(self.plan.names[k].clone());
            }
        }
        for (k, _) in origins {
            self.plan.checked[*k] = true;
        }
    }

    /// Tries to write one row. Problems found before anything is written are settled
    /// here (the value read another way, left out, or the row refused); an error of the
    /// write itself is the caller's.
    fn attempt<E: Importable>(
        &mut self,
        tx: &mut dyn WriteTx,
        ctx: &Context<'_>,
        pending: &mut Pending,
        now: DateTime<Utc>,
    ) -> std::result::Result<Outcome, Failure> {
        let row_error = |e: Error| {
            if is_fatal(&e) {
                Failure::Fatal(e)
            } else {
                Failure::Row(e)
            }
        };
        'row: loop {
            let mut b = self.build(&pending.values);
            if let Some((k, message, code)) = b.bad.take() {
                match self.drop_or_refuse(pending, Some(k), code, message) {
                    Step::Retry => continue,
                    Step::Refuse(p) => return Ok(Self::refuse(pending, p)),
                }
            }
            for (k, value) in std::mem::take(&mut b.links) {
                match self.resolve(&*tx, k, &value)? {
                    Ok(id) => {
                        let Role::Link { path, .. } = &self.plan.roles[k] else {
                            unreachable!("links come from link columns");
                        };
                        place(&mut b.doc, path, id);
                        b.origins.push((k, path.clone()));
                    }
                    Err((message, code)) => {
                        match self.drop_or_refuse(pending, Some(k), code, message) {
                            Step::Retry => continue 'row,
                            Step::Refuse(p) => return Ok(Self::refuse(pending, p)),
                        }
                    }
                }
            }
            let system = self.options.external_system.as_deref();
            let target = match (system, &b.external) {
                (Some(system), Some(ext)) => match find_external_in(&*tx, E::KIND, system, ext) {
                    Ok(found) => found,
                    Err(e) if is_fatal(&e) => return Err(Failure::Fatal(e)),
                    Err(e) => {
                        let p = self.problem(pending.row, None, e.code(), e.to_string(), false);
                        return Ok(Self::refuse(pending, p));
                    }
                },
                _ => None,
            };
            let doc = Value::Object(b.doc);
            let Some(record) = target else {
                let new: E::New = match serde_path_to_error::deserialize(&doc) {
                    Ok(new) => new,
                    Err(e) => {
                        let path = segments(&e.path().to_string());
                        match self.on_shape_error(pending, &b.origins, &path, e.inner().to_string())
                        {
                            Step::Retry => continue,
                            Step::Refuse(p) => return Ok(Self::refuse(pending, p)),
                        }
                    }
                };
                self.check_ignored::<E::New>(&doc, &b.origins);
                let at = b.created_at.unwrap_or(now);
                return match E::create(tx, new, ctx, pending.row, at).map_err(row_error)? {
                    Created::Record(id) => {
                        // the id was looked up above and names nothing yet
                        if let (Some(system), Some(ext)) = (system, &b.external) {
                            link_new_in(tx, RecordKey::new(E::KIND, id), system, ext, at)
                                .map_err(row_error)?;
                        }
                        Ok(Outcome::Created)
                    }
                    Created::Duplicate(matches) => {
                        let list = matches
                            .iter()
                            .map(|m| m.record.to_string())
                            .collect::<Vec<_>>()
                            .join(", ");
                        let p = self.problem(
                            pending.row,
                            None,
                            "duplicate",
                            format!("duplicates {list}"),
                            false,
                        );
                        Ok(Self::refuse(pending, p))
                    }
                };
            };
            // an update: the row's fields that an edit may change
            let Value::Object(mut fields) = doc else {
                unreachable!("documents are objects");
            };
            let editable = <E::Fields as EditableFields>::EDITABLE;
            let kept: Vec<String> = fields
                .keys()
                .filter(|k| !editable.contains(&k.as_str()))
                .cloned()
                .collect();
            for field in kept {
                fields.remove(&field);
                for (k, path) in &b.origins {
                    if path[0] == field && !self.plan.kept_reported[*k] {
                        self.plan.kept_reported[*k] = true;
                        let message = format!(
                            "an import does not change {field} of a stored {}; left as it is",
                            E::KIND
                        );
                        let p = self.problem(pending.row, Some(*k), "input", message, true);
                        pending.problems.push(p);
                    }
                }
            }
            let raw = tx
                .get_raw(E::KIND, record.id())?
                .ok_or_else(|| Error::not_found(E::KIND.as_str(), record.id()))?;
            let mut json: Value = serde_json::from_str(&raw.data).map_err(Error::storage)?;
            merge_into(&mut json, E::FIELDS_AT, &fields)?;
            if let Err(e) = serde_path_to_error::deserialize::<_, E>(&json) {
                let mut path = segments(&e.path().to_string());
                if !E::FIELDS_AT.is_empty() && path.first().is_some_and(|s| s == E::FIELDS_AT) {
                    path.remove(0);
                }
                match self.on_shape_error(pending, &b.origins, &path, e.inner().to_string()) {
                    Step::Retry => continue,
                    Step::Refuse(p) => return Ok(Self::refuse(pending, p)),
                }
            }
            let patch = Patch::<E::Fields>::from_map(fields);
            let id = <E as Entity>::Id::from_raw(record.id());
            edit_in::<E>(tx, id, Version::new(raw.version), &patch, now).map_err(row_error)?;
            return Ok(Outcome::Updated);
        }
    }

    /// After a row's write failed: leave out the column the error names (lenient), or
    /// refuse the row.
    fn after_failure(&self, pending: &mut Pending, e: &Error) {
        let mut origins = self.build(&pending.values).origins;
        for (k, _) in &pending.values {
            if let Role::Link { path, .. } = &self.plan.roles[*k] {
                origins.push((*k, path.clone()));
            }
        }
        let mut fields: Vec<String> = e.problems().into_iter().map(|p| p.field).collect();
        if let Error::NotFound { kind, .. } = e {
            fields.push(kind.clone());
        }
        let key = fields
            .iter()
            .find_map(|f| self.origin_of(&origins, &segments(f)));
        if let Step::Refuse(p) = self.drop_or_refuse(pending, key, e.code(), e.to_string()) {
            Self::refuse(pending, p);
        }
    }

    fn count(&mut self, rows: &mut [Pending], outcomes: Vec<Outcome>) {
        for (pending, outcome) in rows.iter_mut().zip(outcomes) {
            match outcome {
                Outcome::Created => self.report.created += 1,
                Outcome::Updated => self.report.updated += 1,
                Outcome::Refused => self.report.refused += 1,
            }
            self.report.problems.append(&mut pending.problems);
        }
    }

    /// Writes a batch of rows in one transaction; a row whose write fails is settled
    /// (left out, or a column of it) and the batch written again without it, the rows
    /// before it first.
    fn write_batch<E: Importable, S: Store>(
        &mut self,
        crm: &Crm<S>,
        rows: &mut [Pending],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (mut start, mut end) = (0, rows.len());
        while start < rows.len() {
            let mut failed = None;
            let label = self.label.clone();
            let result = crm.write(|tx| {
                let ctx = Context {
                    label: &label,
                    duplicates: self.options.duplicates.unwrap_or_default(),
                    rules: rules_in_force(&*tx)?,
                };
                let mut outcomes = Vec::with_capacity(end - start);
                for (i, pending) in rows[start..end].iter_mut().enumerate() {
                    if pending.refused {
                        outcomes.push(Outcome::Refused);
                        continue;
                    }
                    match self.attempt::<E>(tx, &ctx, pending, now) {
                        Ok(o) => outcomes.push(o),
                        Err(Failure::Fatal(e)) => return Err(e),
                        Err(Failure::Row(e)) => {
                            failed = Some((start + i, e));
                            // rolls the batch back
                            return Err(Error::Internal {
                                message: "a row failed".into(),
                            });
                        }
                    }
                }
                Ok(outcomes)
            });
            match result {
                Ok(outcomes) => {
                    self.count(&mut rows[start..end], outcomes);
                    start = end;
                    end = rows.len();
                }
                Err(e) => {
                    let Some((i, row_error)) = failed else {
                        return Err(e);
                    };
                    if i > start {
                        end = i;
                        continue;
                    }
                    self.after_failure(&mut rows[i], &row_error);
                    end = rows.len();
                }
            }
        }
        Ok(())
    }

    fn run<E: Importable, S: Store>(
        &mut self,
        crm: &Crm<S>,
        source: &mut Source,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let batch = self
            .options
            .batch_size
            .map_or(DEFAULT_BATCH, |b| b as usize);
        let mut rows: Vec<Pending> = Vec::with_capacity(batch.min(4096));
        crate::job::checkpoint(0, None)?;
        while let Some(SourceRow { row, values }) = source.next_row() {
            self.report.rows += 1;
            self.plan.learn(&source.keys.names, self.options)?;
            let mut pending = Pending {
                row,
                values: Vec::new(),
                problems: Vec::new(),
                refused: false,
            };
            match values {
                Ok(v) => pending.values = v,
                Err(message) => {
                    let p = self.problem(row, None, "input", format!("row {row} {message}"), false);
                    Self::refuse(&mut pending, p);
                }
            }
            rows.push(pending);
            if rows.len() >= batch {
                self.write_batch::<E, S>(crm, &mut rows, now)?;
                rows.clear();
                // after a commit: a cancelled job stops with the batches before written
                crate::job::checkpoint(self.report.rows as usize, None)?;
            }
        }
        if !rows.is_empty() {
            self.write_batch::<E, S>(crm, &mut rows, now)?;
        }
        crate::job::checkpoint(self.report.rows as usize, None)
    }
}

impl<S: Store> Crm<S> {
    /// Imports records of `kind` from `input` (see the module docs): rows are created, or
    /// updated when `external_system` finds them, in batches; every problem is reported.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a kind that is not imported, a bad option or column
    /// mapping, an unknown encoding; [`Error::Input`] when the file cannot be read (nothing
    /// is written); [`Error::Storage`] when a batch cannot be written — the batches before
    /// stay written; [`Error::Cancelled`] when the job is cancelled.
    pub fn import_records(
        &self,
        kind: EntityKind,
        input: Box<dyn Read + Send>,
        options: &ImportRecordsOptions,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportRecordsReport> {
        if !kinds::IMPORTABLE.contains(&kind) {
            return Err(kinds::not_importable(kind));
        }
        self.require(crate::access::SystemPermission::Import, kind)?;
        if options.batch_size == Some(0) {
            return Err(Error::invalid("batch_size", "0", "must be at least 1"));
        }
        if let Some(system) = &options.external_system {
            crate::lifecycle::external::system_name(system)?;
        }
        let format = options.format.unwrap_or(ImportFormat::Csv);
        let mut source = Source::open(
            input,
            format,
            options.encoding.as_deref(),
            options.delimiter.as_deref(),
        )?;
        let detected = source.detected.clone();
        let mut importer = Importer {
            plan: Plan::new(kind, format == ImportFormat::Csv, self.default_region()),
            options,
            label: options.label.clone().unwrap_or_else(|| label.to_string()),
            links: HashMap::new(),
            report: ImportRecordsReport {
                rows: 0,
                created: 0,
                updated: 0,
                refused: 0,
                problems: Vec::new(),
                ignored_columns: Vec::new(),
                format,
                encoding: detected.encoding.name().to_ascii_lowercase(),
                delimiter: (format == ImportFormat::Csv)
                    .then(|| char::from(detected.delimiter).to_string()),
            },
            ignored: HashSet::new(),
        };
        importer.plan.learn(&source.keys.names, options)?;
        let s = &mut source;
        self.store().bulk(|| match kind {
            EntityKind::Lead => importer.run::<crate::lead::Lead, S>(self, s, now),
            EntityKind::Account => importer.run::<crate::customer::Account, S>(self, s, now),
            EntityKind::Contact => importer.run::<crate::customer::Contact, S>(self, s, now),
            EntityKind::Purchase => importer.run::<crate::customer::Purchase, S>(self, s, now),
            EntityKind::Activity => importer.run::<crate::activity::Activity, S>(self, s, now),
            EntityKind::Opportunity => importer.run::<crate::sales::Opportunity, S>(self, s, now),
            EntityKind::Asset => importer.run::<crate::service::installed::Asset, S>(self, s, now),
            EntityKind::Contract => {
                importer.run::<crate::service::installed::Contract, S>(self, s, now)
            }
            EntityKind::Case => importer.run::<crate::service::case::Case, S>(self, s, now),
            EntityKind::Campaign => {
                importer.run::<crate::marketing::campaign::Campaign, S>(self, s, now)
            }
            other => Err(kinds::not_importable(other)),
        })?;
        Ok(importer.report)
    }

    /// Imports records of `kind` from the file at `path`: CSV, or JSON lines for a
    /// `.jsonl`/`.ndjson` name (unless the options say); see [`Crm::import_records`].
    ///
    /// # Errors
    /// [`Error::Input`] when the file cannot be opened; as [`Crm::import_records`].
    pub fn import_file(
        &self,
        kind: EntityKind,
        path: &str,
        options: &ImportRecordsOptions,
        now: DateTime<Utc>,
    ) -> Result<ImportRecordsReport> {
        let file = std::fs::File::open(path).map_err(|e| Error::Input {
            message: format!("cannot open {path}: {e}"),
        })?;
        let mut options = options.clone();
        options.format = Some(
            options
                .format
                .unwrap_or_else(|| ImportFormat::for_path(path)),
        );
        let label = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
        self.import_records(
            kind,
            Box::new(std::io::BufReader::with_capacity(256 * 1024, file)),
            &options,
            &label,
            now,
        )
    }
}
