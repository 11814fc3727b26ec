//! Listings with a filter, a sort and cursor paging, for every kind of record.
//!
//! A [`ListQuery`] filters on fields of the stored document by path (`status`,
//! `data.email`, `custom.tier`, `amount.amount`): every condition must hold. Pages come
//! in the sort's order with the id breaking ties, and a page's `next` cursor names where
//! the next page starts: it holds the last record's sort values and id, not an offset, so
//! a page never repeats or skips a record because others were written meanwhile.
//!
//! An equality condition on an indexed field (a lead's `status`, an opportunity's
//! `account`, `owner`, `pipeline` or `state` …) reads the store's index a page at a time;
//! in id order the first page then costs a few index reads whatever the number of records.
//! Other conditions are judged on each record's document as the store hands them out in
//! id order, stopping when the page is full. A sort on a field reads every matching record.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::store::{EntityKind, ReadTx, Store};

/// The most records one page holds.
pub const PAGE_MAX: usize = 1000;
/// The records a page holds when the query does not say.
pub const PAGE_DEFAULT: usize = 50;

/// How a condition compares.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Equal (a variant with data matches its name: `status = "disqualified"`).
    Eq,
    /// Not equal.
    Ne,
    /// Less than (numbers and decimal texts by value, other texts in order: ISO days and
    /// instants compare by time).
    Lt,
    /// At most.
    Le,
    /// More than.
    Gt,
    /// At least.
    Ge,
    /// A text containing the value (ignoring case), or a list containing it.
    Contains,
    /// A text starting with the value (ignoring case).
    StartsWith,
    /// Equal to one of the values (a list).
    In,
    /// The field is set (`true`) or empty (`false`).
    Exists,
}

/// One condition on a field.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldCondition {
    /// The field's path in the record's document, dotted (`data.email`, `custom.tier`).
    pub field: String,
    /// How it compares.
    pub op: Op,
    /// The value it is compared with (a list for `in`, a boolean for `exists`).
    pub value: serde_json::Value,
}

/// One sort key.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortKey {
    /// The field's path, dotted.
    pub field: String,
    /// Largest first.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub descending: bool,
}

/// What a listing returns: which records, in which order, from where, how many.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Conditions that must all hold.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub filter: Vec<FieldCondition>,
    /// Sort keys, in order; the id breaks ties (no keys: id order).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sort: Vec<SortKey>,
    /// The `next` cursor of the page before (none: the first page).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub after: Option<String>,
    /// Records per page (default 50, at most 1000).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<usize>,
}

/// One page of a listing.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The records, as their stored documents.
    pub items: Vec<serde_json::Value>,
    /// Where the next page starts (pass it as `after`); none on the last page.
    pub next: Option<String>,
}

/// Fields a kind keeps in an index slot as their plain text, so an equality condition on
/// them reads the index.
const INDEXED: &[(EntityKind, &str, usize)] = &[
    (EntityKind::Lead, "status", 5),
    (EntityKind::DuplicateReview, "status", 0),
    (EntityKind::Account, "domain", 1),
    (EntityKind::Account, "owner", 2),
    (EntityKind::Contact, "account", 5),
    (EntityKind::Opportunity, "account", 0),
    (EntityKind::Opportunity, "owner", 1),
    (EntityKind::Opportunity, "pipeline", 2),
    (EntityKind::Opportunity, "state", 3),
    (EntityKind::Activity, "owner", 1),
    (EntityKind::Purchase, "contact", 0),
    (EntityKind::Purchase, "account", 1),
    (EntityKind::Purchase, "product", 2),
    (EntityKind::Asset, "account", 1),
    (EntityKind::Asset, "product", 2),
    (EntityKind::Contract, "account", 0),
    (EntityKind::Case, "account", 1),
    (EntityKind::Quote, "account", 1),
    (EntityKind::Quote, "status", 3),
];

fn index_key(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The value at a dotted path.
fn at<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(doc, |v, part| match v {
        Value::Object(m) => m.get(part),
        Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

/// Orders two values: numbers and decimal texts by value, texts in order, then by type.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64().map(|f| (f, None)),
        Value::String(s) => s
            .parse::<rust_decimal::Decimal>()
            .ok()
            .map(|d| (0.0, Some(d))),
        _ => None,
    };
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            match (
                x.parse::<rust_decimal::Decimal>(),
                y.parse::<rust_decimal::Decimal>(),
            ) {
                (Ok(p), Ok(q)) => Some(p.cmp(&q)),
                _ => Some(x.cmp(y)),
            }
        }
        (Value::Number(_), _) | (_, Value::Number(_)) => match (number(a), number(b)) {
            (Some((x, None)), Some((y, None))) => x.partial_cmp(&y),
            (Some((x, None)), Some((_, Some(d)))) => {
                rust_decimal::Decimal::try_from(x).ok().map(|x| x.cmp(&d))
            }
            (Some((_, Some(d))), Some((y, None))) => {
                rust_decimal::Decimal::try_from(y).ok().map(|y| d.cmp(&y))
            }
            _ => None,
        },
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Whether a field's value equals a condition's: an externally tagged variant with data
/// (`{"disqualified": {…}}`) equals its name.
fn equals(field: Option<&Value>, value: &Value) -> bool {
    match (field, value) {
        (None, Value::Null) => true,
        (Some(f), v) if f == v => true,
        (Some(Value::Object(m)), Value::String(name)) => m.len() == 1 && m.contains_key(name),
        (Some(f), v) => compare(f, v) == Some(Ordering::Equal),
        _ => false,
    }
}

impl FieldCondition {
    pub(crate) fn check(&self) -> Result<()> {
        let bad =
            |why: &str| Error::invalid("filter", format!("{} {:?}", self.field, self.op), why);
        if self.field.trim().is_empty() {
            return Err(bad("name a field"));
        }
        match self.op {
            Op::In if !self.value.is_array() => Err(bad("`in` takes a list")),
            Op::Exists if !self.value.is_boolean() => Err(bad("`exists` takes true or false")),
            Op::Contains | Op::StartsWith if self.value.is_null() => Err(bad("give a value")),
            _ => Ok(()),
        }
    }

    pub(crate) fn holds(&self, doc: &Value) -> bool {
        let field = at(doc, &self.field);
        let lower = |v: &Value| v.as_str().map(str::to_lowercase);
        match self.op {
            Op::Eq => equals(field, &self.value),
            Op::Ne => !equals(field, &self.value),
            Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                let Some(order) = field.and_then(|f| compare(f, &self.value)) else {
                    return false;
                };
                match self.op {
                    Op::Lt => order == Ordering::Less,
                    Op::Le => order != Ordering::Greater,
                    Op::Gt => order == Ordering::Greater,
                    _ => order != Ordering::Less,
                }
            }
            Op::Contains => match field {
                Some(Value::Array(items)) => items.iter().any(|i| equals(Some(i), &self.value)),
                Some(f) => match (lower(f), lower(&self.value)) {
                    (Some(f), Some(v)) => f.contains(&v),
                    _ => false,
                },
                None => false,
            },
            Op::StartsWith => match (field.and_then(lower), lower(&self.value)) {
                (Some(f), Some(v)) => f.starts_with(&v),
                _ => false,
            },
            Op::In => self
                .value
                .as_array()
                .is_some_and(|vs| vs.iter().any(|v| equals(field, v))),
            Op::Exists => self.value.as_bool() == Some(!is_empty(field)),
        }
    }
}

/// Where a page starts: the sort values and id of the record before it.
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    values: Vec<Value>,
    id: u64,
}

impl Cursor {
    fn parse(text: &str) -> Result<Self> {
        serde_json::from_str(text)
            .map_err(|_| Error::invalid("after", text, "not a cursor a page of this listing gave"))
    }

    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn sort_values(doc: &Value, sort: &[SortKey]) -> Vec<Value> {
    sort.iter()
        .map(|k| at(doc, &k.field).cloned().unwrap_or(Value::Null))
        .collect()
}

/// Orders two records by the sort keys (empty values last), then by id.
fn order(a: (&[Value], u64), b: (&[Value], u64), sort: &[SortKey]) -> Ordering {
    for ((x, y), key) in a.0.iter().zip(b.0).zip(sort) {
        let o = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            _ => compare(x, y).unwrap_or_else(|| x.to_string().cmp(&y.to_string())),
        };
        let o = if key.descending { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.1.cmp(&b.1)
}

fn document(kind: EntityKind, id: u64, version: u64, data: &str) -> Result<Value> {
    let mut doc: Value = serde_json::from_str(data).map_err(|e| Error::Corrupt {
        kind: kind.as_str().into(),
        id,
        message: e.to_string(),
    })?;
    if let Some(v) = doc.get_mut("version") {
        *v = Value::from(version);
    }
    Ok(doc)
}

/// Visits the live records of `kind` that may match, in id order from `after_id`, until
/// `f` says stop: through the index when a condition allows it.
pub(crate) fn visit(
    tx: &dyn ReadTx,
    kind: EntityKind,
    filter: &[FieldCondition],
    after_id: u64,
    f: &mut dyn FnMut(u64, Value) -> Result<bool>,
) -> Result<()> {
    const BATCH: usize = 256;
    let indexed = filter.iter().find_map(|c| {
        let slot = INDEXED
            .iter()
            .find(|(k, field, _)| *k == kind && *field == c.field)
            .map(|(_, _, slot)| *slot)?;
        (c.op == Op::Eq).then(|| index_key(&c.value).map(|key| (slot, key)))?
    });
    let mut after = after_id;
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        match &indexed {
            Some((slot, key)) => {
                for id in tx.find_ids_after(kind, *slot, key, after, BATCH)? {
                    if let Some(raw) = tx.get_raw(kind, id)? {
                        batch.push((raw.id, document(kind, raw.id, raw.version, &raw.data)?));
                    }
                    after = id;
                }
            }
            None => {
                tx.visit_raw(kind, after, BATCH, &mut |id, version, data| {
                    batch.push((id, document(kind, id, version, data)?));
                    Ok(())
                })?;
                if let Some((id, _)) = batch.last() {
                    after = *id;
                }
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        for (id, doc) in batch {
            if filter.iter().all(|c| c.holds(&doc)) && !f(id, doc)? {
                return Ok(());
            }
        }
    }
}

/// One page of the records of `kind` that `query` selects.
///
/// # Errors
/// [`Error::InvalidValue`] for a malformed condition or cursor; [`Error::Storage`].
pub fn page(tx: &dyn ReadTx, kind: EntityKind, query: &ListQuery) -> Result<Page> {
    for c in &query.filter {
        c.check()?;
    }
    let limit = query.limit.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX);
    let cursor = query.after.as_deref().map(Cursor::parse).transpose()?;
    if cursor
        .as_ref()
        .is_some_and(|c| c.values.len() != query.sort.len())
    {
        return Err(Error::invalid(
            "after",
            query.after.clone().unwrap_or_default(),
            "a cursor of a listing with another sort",
        ));
    }
    let mut items: Vec<(Vec<Value>, u64, Value)> = Vec::new();
    if query.sort.is_empty() {
        let after_id = cursor.as_ref().map_or(0, |c| c.id);
        visit(tx, kind, &query.filter, after_id, &mut |id, doc| {
            items.push((Vec::new(), id, doc));
            Ok(items.len() <= limit)
        })?;
    } else {
        visit(tx, kind, &query.filter, 0, &mut |id, doc| {
            let values = sort_values(&doc, &query.sort);
            let past = cursor.as_ref().is_none_or(|c| {
                order((&values, id), (&c.values, c.id), &query.sort) == Ordering::Greater
            });
            if past {
                items.push((values, id, doc));
            }
            Ok(true)
        })?;
        items.sort_by(|a, b| order((&a.0, a.1), (&b.0, b.1), &query.sort));
        items.truncate(limit + 1);
    }
    let next = (items.len() > limit).then(|| {
        items.truncate(limit);
        let (values, id, _) = &items[limit - 1];
        Cursor {
            values: values.clone(),
            id: *id,
        }
        .text()
    });
    Ok(Page {
        items: items.into_iter().map(|(_, _, doc)| doc).collect(),
        next,
    })
}

/// How many records of `kind` match `filter`.
///
/// # Errors
/// As [`page`].
pub fn count(tx: &dyn ReadTx, kind: EntityKind, filter: &[FieldCondition]) -> Result<usize> {
    for c in filter {
        c.check()?;
    }
    let mut n = 0;
    visit(tx, kind, filter, 0, &mut |_, _| {
        n += 1;
        Ok(true)
    })?;
    Ok(n)
}

impl<S: Store> Crm<S> {
    /// One page of the live records of `kind` that `query` selects, as their stored
    /// documents; see the [module docs](self).
    ///
    /// # Errors
    /// As [`page`].
    pub fn list_page(&self, kind: EntityKind, query: &ListQuery) -> Result<Page> {
        self.read(|tx| page(tx, kind, query))
    }

    /// How many live records of `kind` match `filter`.
    ///
    /// # Errors
    /// As [`page`].
    pub fn count_records(&self, kind: EntityKind, filter: &[FieldCondition]) -> Result<usize> {
        self.read(|tx| count(tx, kind, filter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cond(field: &str, op: Op, value: Value) -> FieldCondition {
        FieldCondition {
            field: field.into(),
            op,
            value,
        }
    }

    #[test]
    fn conditions_compare_by_type() {
        let doc = json!({"status": {"disqualified": {"reason": "x"}}, "data": {"email": "Ada@x.com"},
            "amount": {"amount": "100.00"}, "tags": ["a", "b"], "n": 5});
        assert!(cond("status", Op::Eq, json!("disqualified")).holds(&doc));
        assert!(cond("amount.amount", Op::Gt, json!("99.5")).holds(&doc));
        assert!(cond("amount.amount", Op::Eq, json!("100")).holds(&doc));
        assert!(!cond("amount.amount", Op::Lt, json!("99")).holds(&doc));
        assert!(cond("n", Op::Le, json!(5)).holds(&doc));
        assert!(cond("data.email", Op::Contains, json!("ADA@")).holds(&doc));
        assert!(cond("tags", Op::Contains, json!("b")).holds(&doc));
        assert!(cond("data.phone", Op::Exists, json!(false)).holds(&doc));
        assert!(cond("n", Op::In, json!([1, 5])).holds(&doc));
        assert!(!cond("missing", Op::Gt, json!(1)).holds(&doc));
    }

    #[test]
    fn empty_values_sort_last_either_way() {
        let sort = [SortKey {
            field: "x".into(),
            descending: true,
        }];
        let a = [json!(1)];
        let b = [Value::Null];
        assert_eq!(order((&a, 2), (&b, 1), &sort), Ordering::Less);
        assert_eq!(order((&b, 1), (&a, 2), &sort), Ordering::Greater);
    }
}
