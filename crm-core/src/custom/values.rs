//! Reading custom values by their field's type, and checking a record's custom values
//! against its kind's definitions on every write.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::contact_info::{Email, Phone, Region};
use crate::error::{Error, FieldProblem, Result};

use super::{CustomField, FieldType};

/// A custom value as one line of text: texts as they are, numbers and booleans as
/// written, lists joined with `;`, money as `12.50 EUR` (what segments and reports
/// compare).
pub fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(";"),
        Value::Object(m) => match (m.get("amount"), m.get("currency")) {
            (Some(a), Some(c)) => format!("{} {}", text_of(a), text_of(c)),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

/// A custom value as a number, when it is one: numbers, numeric texts, money amounts,
/// and booleans as 1 and 0.
pub fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Object(m) => m.get("amount").and_then(number_of),
        _ => None,
    }
}

/// Reads `value` as a value of `ty`, in the type's one stored form; the message says why
/// not.
pub(super) fn coerce(ty: &FieldType, value: &Value, region: Region) -> Result<Value, String> {
    let text = || match value {
        Value::String(s) => Ok(s.trim()),
        _ => Err(format!("expected {} text", article(ty))),
    };
    match ty {
        FieldType::Text { max_length } => match value {
            Value::String(s) => {
                let max = max_length.map_or(crate::limits::LINE_MAX, |m| m as usize);
                if s.chars().count() > max {
                    Err(format!("longer than {max} characters"))
                } else {
                    Ok(Value::String(s.clone()))
                }
            }
            _ => Err("expected a text".into()),
        },
        FieldType::Number => {
            let n = match value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            match n.filter(|n| n.is_finite()) {
                Some(_) if value.is_number() => Ok(value.clone()),
                Some(n) => serde_json::Number::from_f64(n)
                    .map(|num| {
                        // an integer typed as text stays an integer
                        match value.as_str().and_then(|s| s.trim().parse::<i64>().ok()) {
                            Some(i) => Value::from(i),
                            None => Value::Number(num),
                        }
                    })
                    .ok_or_else(|| "not a finite number".into()),
                None => Err("expected a number".into()),
            }
        }
        FieldType::Decimal => decimal(value).map(|d| Value::String(d.to_string())),
        FieldType::Money { currency } => {
            let (amount, cur) = match value {
                Value::Object(m) => {
                    let amount = m.get("amount").ok_or("money needs an amount")?;
                    let cur = match m.get("currency") {
                        Some(Value::String(c)) => c.trim().to_uppercase(),
                        None => currency.clone(),
                        Some(_) => return Err("a currency is a text code".into()),
                    };
                    (decimal(amount)?, cur)
                }
                Value::String(s) => match s.trim().rsplit_once(' ') {
                    Some((a, c)) if c.chars().all(|c| c.is_ascii_alphabetic()) => {
                        (decimal(&Value::String(a.into()))?, c.to_uppercase())
                    }
                    _ => (decimal(value)?, currency.clone()),
                },
                _ => (decimal(value)?, currency.clone()),
            };
            if !cur.eq_ignore_ascii_case(currency) {
                return Err(format!("an amount in {currency}, not {cur}"));
            }
            let money = crate::money::Money::parse(&amount.to_string(), currency)
                .map_err(|e| e.to_string())?;
            serde_json::to_value(money).map_err(|e| e.to_string())
        }
        FieldType::Date => {
            let t = text()?;
            chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| "expected a day as YYYY-MM-DD".into())
        }
        FieldType::Instant => {
            let t = text()?;
            crate::time::parse_instant(t)
                .map(|i| Value::String(i.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
                .map_err(|_| "expected an RFC 3339 instant with an offset".into())
        }
        FieldType::Boolean => match value {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            Value::String(s) => match s.trim().to_lowercase().as_str() {
                "true" | "yes" | "y" | "1" => Ok(Value::Bool(true)),
                "false" | "no" | "n" | "0" => Ok(Value::Bool(false)),
                _ => Err("expected true or false".into()),
            },
            Value::Number(n) if n.as_f64() == Some(1.0) => Ok(Value::Bool(true)),
            Value::Number(n) if n.as_f64() == Some(0.0) => Ok(Value::Bool(false)),
            _ => Err("expected true or false".into()),
        },
        FieldType::Picklist { values } => {
            let t = text()?;
            pick(values, t).map(|v| Value::String(v.to_string()))
        }
        FieldType::MultiPicklist { values } => {
            let given: Vec<&str> = match value {
                Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map(str::trim).ok_or("expected a list of texts"))
                    .collect::<std::result::Result<_, _>>()?,
                Value::String(s) => s
                    .split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect(),
                _ => return Err("expected a list of texts".into()),
            };
            let mut chosen = Vec::with_capacity(given.len());
            for g in given {
                chosen.push(pick(values, g)?);
            }
            Ok(Value::Array(
                values
                    .iter()
                    .filter(|v| chosen.contains(&v.as_str()))
                    .map(|v| Value::String(v.clone()))
                    .collect(),
            ))
        }
        FieldType::Email => Email::parse(text()?)
            .map(|e| Value::String(e.as_str().to_string()))
            .map_err(|e| reason(&e)),
        FieldType::Phone => Phone::parse(text()?, region)
            .map(|p| Value::String(p.as_str().to_string()))
            .map_err(|e| reason(&e)),
        FieldType::Url => {
            let t = text()?;
            let rest = t
                .strip_prefix("https://")
                .or_else(|| t.strip_prefix("http://"))
                .ok_or("expected an http:// or https:// address")?;
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = host.rsplit('@').next().unwrap_or_default();
            let host = host.split(':').next().unwrap_or_default();
            if host.is_empty() || t.chars().any(char::is_whitespace) {
                return Err("expected an address with a host and no spaces".into());
            }
            crate::customer::normalize_domain(host)
                .map(|_| Value::String(t.to_string()))
                .map_err(|e| reason(&e))
        }
    }
}

fn article(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Email => "an e-mail",
        FieldType::Phone => "a phone",
        FieldType::Url => "a URL",
        FieldType::Date => "a day",
        FieldType::Instant => "an instant",
        _ => "a",
    }
}

fn reason(e: &Error) -> String {
    match e {
        Error::InvalidValue { reason, .. } => reason.clone(),
        other => other.to_string(),
    }
}

fn decimal(value: &Value) -> Result<rust_decimal::Decimal, String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err("expected a decimal number".into()),
    };
    crate::money::parse_decimal("value", &text).map_err(|e| reason(&e))
}

fn pick<'a>(values: &'a [String], given: &str) -> Result<&'a str, String> {
    values
        .iter()
        .find(|v| v.eq_ignore_ascii_case(given))
        .map(String::as_str)
        .ok_or_else(|| format!("{given:?} is not one of {}", values.join(", ")))
}

/// Checks the custom values of a record about to be written (`doc`, its stored JSON)
/// against `defs`, the definitions of its kind, and brings them into their stored form.
/// `inserting`: a new record, which gets the defaults; `stored`: the values it had, whose
/// undefined names may stay. Returns the document to write when it changed.
///
/// # Errors
/// [`Error::Validation`] with one problem per bad value, missing required value or
/// undefined name.
pub(crate) fn check_record(
    defs: &[CustomField],
    at: &str,
    doc: &str,
    inserting: bool,
    stored: &dyn Fn() -> Option<BTreeMap<String, Value>>,
    region: Region,
) -> Result<Option<String>> {
    let mut root: Map<String, Value> = serde_json::from_str(doc).map_err(Error::storage)?;
    let holder = if at.is_empty() {
        &mut root
    } else {
        match root.get_mut(at) {
            Some(Value::Object(m)) => m,
            _ => return Ok(None),
        }
    };
    let given = match holder.remove("custom") {
        Some(Value::Object(m)) => m,
        None | Some(Value::Null) => Map::new(),
        Some(_) => {
            return Err(Error::Validation {
                problems: vec![FieldProblem::new("custom", "is an object of field values")],
            });
        }
    };
    let mut problems = Vec::new();
    let mut out = Map::new();
    let mut old: Option<Option<BTreeMap<String, Value>>> = None;
    for (name, value) in &given {
        if value.is_null() {
            continue;
        }
        match defs.iter().find(|d| &d.name == name) {
            Some(def) => match coerce(&def.spec.field_type, value, region) {
                Ok(v) => {
                    out.insert(name.clone(), v);
                }
                Err(why) => problems.push(FieldProblem::new(format!("custom.{name}"), why)),
            },
            None => {
                let kept = old
                    .get_or_insert_with(stored)
                    .as_ref()
                    .and_then(|o| o.get(name))
                    == Some(value);
                if kept {
                    out.insert(name.clone(), value.clone());
                } else {
                    let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
                    problems.push(FieldProblem::new(
                        format!("custom.{name}"),
                        format!("not a custom field; the fields are {}", names.join(", ")),
                    ));
                }
            }
        }
    }
    for def in defs {
        if out.contains_key(&def.name) {
            continue;
        }
        if inserting && let Some(default) = &def.spec.default {
            match coerce(&def.spec.field_type, default, region) {
                Ok(v) => {
                    out.insert(def.name.clone(), v);
                    continue;
                }
                Err(why) => problems.push(FieldProblem::new(
                    format!("custom.{}", def.name),
                    format!("its default: {why}"),
                )),
            }
        }
        if def.spec.required {
            problems.push(FieldProblem::new(
                format!("custom.{}", def.name),
                "is required",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Validation { problems });
    }
    let changed = out != given;
    if !out.is_empty() {
        holder.insert("custom".into(), Value::Object(out));
    }
    if changed {
        serde_json::to_string(&root)
            .map(Some)
            .map_err(Error::storage)
    } else {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn us() -> Region {
        Region::parse("US").unwrap()
    }

    #[test]
    fn values_are_read_by_type_into_one_form() {
        let r = us();
        assert_eq!(coerce(&FieldType::Number, &json!("250"), r), Ok(json!(250)));
        assert_eq!(coerce(&FieldType::Number, &json!(2.5), r), Ok(json!(2.5)));
        assert!(coerce(&FieldType::Number, &json!("many"), r).is_err());
        assert_eq!(
            coerce(&FieldType::Decimal, &json!("12.50"), r),
            Ok(json!("12.50"))
        );
        assert_eq!(
            coerce(
                &FieldType::Money {
                    currency: "EUR".into()
                },
                &json!("12.5"),
                r
            ),
            Ok(json!({"amount": "12.5", "currency": "EUR"}))
        );
        assert!(
            coerce(
                &FieldType::Money {
                    currency: "EUR".into()
                },
                &json!("12.5 USD"),
                r
            )
            .unwrap_err()
            .contains("EUR")
        );
        assert_eq!(
            coerce(&FieldType::Boolean, &json!("Yes"), r),
            Ok(json!(true))
        );
        let tiers = FieldType::Picklist {
            values: vec!["Gold".into(), "Silver".into()],
        };
        assert_eq!(coerce(&tiers, &json!("gold"), r), Ok(json!("Gold")));
        assert!(
            coerce(&tiers, &json!("platinum"), r)
                .unwrap_err()
                .contains("Gold, Silver")
        );
        let tags = FieldType::MultiPicklist {
            values: vec!["a".into(), "b".into(), "c".into()],
        };
        assert_eq!(coerce(&tags, &json!("c; a;a"), r), Ok(json!(["a", "c"])));
        assert_eq!(
            coerce(&FieldType::Instant, &json!("2026-01-02T10:00:00+02:00"), r),
            Ok(json!("2026-01-02T08:00:00Z"))
        );
        assert!(coerce(&FieldType::Date, &json!("02/01/2026"), r).is_err());
        assert_eq!(
            coerce(&FieldType::Email, &json!("Ada@Example.COM"), r),
            Ok(json!("ada@example.com"))
        );
        assert_eq!(
            coerce(&FieldType::Phone, &json!("(415) 555-2671"), r),
            Ok(json!("+14155552671"))
        );
        assert!(coerce(&FieldType::Url, &json!("ftp://x.org"), r).is_err());
        assert!(coerce(&FieldType::Url, &json!("https://exa mple.org"), r).is_err());
        assert!(coerce(&FieldType::Url, &json!("https://example.org/a?b"), r).is_ok());
        assert!(
            coerce(
                &FieldType::Text {
                    max_length: Some(3)
                },
                &json!("abcd"),
                r
            )
            .is_err()
        );
    }

    #[test]
    fn texts_and_numbers_of_values() {
        assert_eq!(text_of(&json!(["a", "c"])), "a;c");
        assert_eq!(
            text_of(&json!({"amount": "1.5", "currency": "EUR"})),
            "1.5 EUR"
        );
        assert_eq!(number_of(&json!("7")), Some(7.0));
        assert_eq!(number_of(&json!(true)), Some(1.0));
        assert_eq!(number_of(&json!("x")), None);
    }
}
