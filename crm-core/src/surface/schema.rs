//! The surface as data (`schema` feature): every namespace and use case with the JSON
//! Schema of its parameters and result, and every type they name as a definition with its
//! doc comments — derived from the Rust types (schemars), never parsed from source.
//!
//! The bindings' declarations are generated from it: the TypeScript types of crm-node, the
//! Python records and stubs of crm-py; crm-py also converts results by it (which text is a
//! day, an instant, a decimal). The schema follows draft 2020-12, with the definitions
//! under `$defs`.

use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::prelude::*;

macro_rules! expand_schema {
    ($(
        $(#[doc = $ns_doc:literal])*
        $ns:ident $View:ident {
            $(
                $(#[doc = $doc:literal])*
                fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(at $now:ident)?
                    -> $ret:ty $(, async $async_name:ident)? $(, every $every:ident)?
                    => |$crm:ident| $body:expr;
            )*
        }
    )*) => {
        /// The surface's schema: `{ "namespaces": [...], "$defs": {...} }`. Each namespace has
        /// its `name`, `view` (type name), `doc` and `use_cases`; each use case its `name`,
        /// `doc`, `params` (`name`, `schema`, `optional`), `takes_now`, `returns` (a schema) and
        /// `async_name` (or null).
        pub fn surface_schema() -> Value {
            let mut generator = SchemaSettings::draft2020_12().into_generator();
            let namespaces = vec![$({
                let use_cases: Vec<Value> = vec![$({
                    let now: &[&str] = &[$(stringify!($now))?];
                    let async_name: &[&str] = &[$(stringify!($async_name))?];
                    json!({
                    "name": stringify!($name),
                    "doc": concat!($($doc, "\n",)*),
                    "params": [$(json!({
                        "name": stringify!($arg),
                        "schema": generator.subschema_for::<$ty>(),
                        // an `Option<…>` (whose schema does not always say so: an
                        // optional JSON value is any value)
                        "optional": stringify!($ty).starts_with("Option"),
                    })),*],
                    "takes_now": !now.is_empty(),
                    "returns": generator.subschema_for::<$ret>(),
                    "async_name": async_name.first(),
                })}),*];
                json!({
                    "name": stringify!($ns),
                    "view": stringify!($View),
                    "doc": concat!($($ns_doc, "\n",)*),
                    "use_cases": use_cases,
                })
            }),*];
            let definitions: serde_json::Map<String, Value> = generator
                .take_definitions(true)
                .into_iter()
                .collect();
            let mut schema = json!({ "namespaces": namespaces, "$defs": definitions });
            tidy(&mut schema);
            schema
        }
    };
}

crate::for_each_use_case!(expand_schema);

/// The pattern schemars gives a `Decimal`; crm-core's decimals are always text.
const DECIMAL_PATTERN: &str = r"^-?\d+(\.\d+)?([eE]\d+)?$";

/// Makes the schema say what the bindings need: a decimal is text of format `decimal`;
/// descriptions read as prose for every language (Rust examples and doc-link syntax out).
fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("pattern").and_then(Value::as_str) == Some(DECIMAL_PATTERN) {
                map.remove("pattern");
                let nullable = map["type"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t == "null"));
                let ty = if nullable {
                    json!(["string", "null"])
                } else {
                    json!("string")
                };
                map.insert("type".into(), ty);
                map.insert("format".into(), json!("decimal"));
            }
            if let Some(Value::String(doc)) = map.get_mut("description") {
                *doc = prose(doc);
            }
            map.values_mut().for_each(tidy);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// A Rust doc comment as prose: code blocks other than `text` ones and the `# Examples`,
/// `# Errors` and `# Panics` sections dropped, ``[`Name`](path)`` and ``[`Name`]`` links
/// left as `` `Name` ``, the lines trimmed.
pub fn prose(doc: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut in_code = false;
    let mut keep_code = false;
    let mut skipping_section = false;
    for line in doc.lines() {
        let trimmed = line.trim();
        if let Some(lang) = trimmed.strip_prefix("```") {
            if in_code {
                in_code = false;
                if keep_code && !skipping_section {
                    out.push(trimmed);
                }
            } else {
                in_code = true;
                keep_code = lang == "text";
                if keep_code && !skipping_section {
                    out.push(trimmed);
                }
            }
            continue;
        }
        if in_code {
            if keep_code && !skipping_section {
                out.push(line.trim_end());
            }
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix("# ") {
            skipping_section = matches!(heading, "Examples" | "Example" | "Errors" | "Panics");
            if skipping_section {
                continue;
            }
        }
        if !skipping_section {
            out.push(trimmed);
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    unlink(&out.join("\n"))
}

/// ``[`Name`](path)`` and ``[`Name`]`` as `` `Name` ``.
fn unlink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find("`]") {
            Some(end) => {
                out.push_str(&after[..end + 1]);
                rest = &after[end + 2..];
                if rest.starts_with('(')
                    && let Some(close) = rest.find(')')
                {
                    rest = &rest[close + 1..];
                }
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_use_case_and_every_named_type_is_described() {
        let schema = surface_schema();
        if let Ok(path) = std::env::var("CRM_DUMP_SCHEMA") {
            std::fs::write(path, serde_json::to_string_pretty(&schema).unwrap()).unwrap();
        }
        let defs = schema["$defs"].as_object().unwrap();
        let count: usize = schema["namespaces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|ns| ns["use_cases"].as_array().unwrap().len())
            .sum();
        assert_eq!(count, super::super::USE_CASES.len());
        // every reference resolves
        let text = schema.to_string();
        for piece in text.split("\"$ref\":\"#/$defs/").skip(1) {
            let name = &piece[..piece.find('"').unwrap()];
            assert!(defs.contains_key(name), "dangling $ref {name}");
        }
        // the doc comments came along
        assert!(
            defs["Lead"]["description"]
                .as_str()
                .unwrap()
                .contains("lead"),
            "{}",
            defs["Lead"]
        );
        assert_eq!(defs["LeadId"]["type"], "integer");
        assert_eq!(defs["Money"]["properties"]["amount"]["format"], "decimal");
        let money = defs["Money"]["description"].as_str().unwrap();
        assert!(
            !money.contains("```") && !money.contains("assert"),
            "{money}"
        );
    }

    #[test]
    fn doc_comments_read_as_prose() {
        let doc = " A thing; see [`Lead`](crate::Lead) and [`Money`].\n\n # Examples\n ```\n let x = 1;\n ```\n # Errors\n Never.";
        assert_eq!(prose(doc), "A thing; see `Lead` and `Money`.");
        let doc = " States:\n ```text\n a -> b\n ```\n ";
        assert_eq!(prose(doc), "States:\n```text\n a -> b\n```");
    }
}
