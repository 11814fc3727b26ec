//! Renders `crm-node/types.d.ts` — every TypeScript declaration of the Node package that
//! napi does not write itself: the records and enums of crm-core as JS receives them, and
//! the namespace classes (`crm.leads.capture(…)`) — from crm-core's model of its surface
//! (`crm_core::surface::model`, compiled from the JSON Schema derived from the Rust types,
//! with their doc comments). Nothing here parses Rust source.
//!
//! The file is napi's `dtsHeaderFile`, so it ends up at the top of the package's
//! `index.d.ts`. `CRM_WRITE_GENERATED=1 cargo test --test node_types` rewrites it; the test
//! fails when the committed file differs.

use std::fmt::Write;
use std::path::Path;

use crm_core::surface::model::{Class, Model, Plan, Shape, Signature, camel};

/// Names crm-core's types take in TypeScript where a napi class has the Rust name.
fn ts_name(name: &str) -> String {
    match name {
        "BusinessCalendar" => "BusinessCalendarDefinition".to_string(),
        other => other.to_string(),
    }
}

/// Where the value goes: an argument (instants may be `Date`s) or a result.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Argument,
    Result,
}

fn ts(m: &Model, plan: &Plan, side: Side) -> String {
    match plan {
        Plan::Any => "unknown".into(),
        Plan::Str | Plan::Decimal | Plan::Day | Plan::TimeOfDay => "string".into(),
        Plan::Instant => match side {
            Side::Argument => "Instant".into(),
            Side::Result => "string".into(),
        },
        Plan::Int | Plan::Float => "number".into(),
        Plan::Bool => "boolean".into(),
        Plan::Optional(inner) => format!("{} | null", ts(m, inner, side)),
        Plan::List(inner) => format!("Array<{}>", ts(m, inner, side)),
        Plan::Tuple(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| ts(m, i, side))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Plan::Map(key, value) => match m.resolve(key) {
            Plan::Literal(_) => format!(
                "Partial<Record<{}, {}>>",
                ts(m, key, side),
                ts(m, value, side)
            ),
            _ => format!("Record<string, {}>", ts(m, value, side)),
        },
        Plan::Literal(names) => names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(" | "),
        Plan::Def(i) => ts_name(&m.defs[*i].name),
        Plan::Record(c) => inline(m, &m.classes[*c], 0, side),
        Plan::Union(u) => ts_name(&m.unions[*u].name),
    }
}

/// A TSDoc comment of `doc` (prose already) at `indent`.
fn tsdoc(doc: &str, indent: &str) -> String {
    let doc = doc.trim();
    if doc.is_empty() {
        return String::new();
    }
    let doc = doc.replace("*/", "*\\/");
    if !doc.contains('\n') {
        return format!("{indent}/** {doc} */\n");
    }
    let mut out = format!("{indent}/**\n");
    for line in doc.lines() {
        let _ = writeln!(out, "{indent} * {line}").map(|_| ());
        if line.is_empty() {
            out.truncate(out.trim_end().len());
            out.push('\n');
        }
    }
    let _ = writeln!(out, "{indent} */");
    out
}

/// The members of a record, one per line, from `skip` on (a variant's `kind` is its key).
fn members(m: &Model, class: &Class, skip: usize, indent: &str, side: Side) -> String {
    let mut out = String::new();
    for field in &class.fields[skip..] {
        out.push_str(&tsdoc(&field.doc, indent));
        let q = if field.required { "" } else { "?" };
        let _ = writeln!(
            out,
            "{indent}{}{q}: {}",
            field.camel,
            ts(m, &field.plan, side)
        );
    }
    out
}

/// A record as an inline object type.
fn inline(m: &Model, class: &Class, skip: usize, side: Side) -> String {
    let fields: Vec<String> = class.fields[skip..]
        .iter()
        .map(|f| {
            let q = if f.required { "" } else { "?" };
            format!("{}{q}: {}", f.camel, ts(m, &f.plan, side))
        })
        .collect();
    format!("{{ {} }}", fields.join("; "))
}

fn render_defs(m: &Model, out: &mut String) {
    for def in &m.defs {
        let name = ts_name(&def.name);
        out.push('\n');
        out.push_str(&tsdoc(&def.doc, ""));
        match &def.plan {
            Plan::Record(c) => {
                let _ = writeln!(out, "export interface {name} {{");
                out.push_str(&members(m, &m.classes[*c], 0, "  ", Side::Result));
                out.push_str("}\n");
            }
            Plan::Union(u) => {
                let _ = writeln!(out, "export type {name} =");
                for &c in &m.unions[*u].classes {
                    let class = &m.classes[c];
                    out.push_str(&tsdoc(&class.doc, "  "));
                    let variant = match &class.shape {
                        Shape::Unit(v) => format!("'{v}'"),
                        Shape::Variant(v) => {
                            format!("{{ {v}: {} }}", inline(m, class, 1, Side::Result))
                        }
                        Shape::Newtype(v) => {
                            format!("{{ {v}: {} }}", ts(m, &class.fields[1].plan, Side::Result))
                        }
                        Shape::Struct => inline(m, class, 0, Side::Result),
                    };
                    let _ = writeln!(out, "  | {variant}");
                }
            }
            other => {
                let _ = writeln!(out, "export type {name} = {}", ts(m, other, Side::Result));
            }
        }
    }
}

/// The parameter list of a use case: optional parameters only where all later ones are.
fn params(m: &Model, case: &Signature) -> String {
    let now = Plan::Optional(Box::new(Plan::Instant));
    let mut parts: Vec<String> = case
        .params
        .iter()
        .map(|(name, plan)| (camel(name), plan))
        .chain(case.takes_now.then(|| ("now".to_string(), &now)))
        .rev()
        .scan(true, |tail_optional, (name, plan)| {
            let optional = *tail_optional && matches!(plan, Plan::Optional(_));
            *tail_optional = optional;
            let q = if optional { "?" } else { "" };
            Some(format!("{name}{q}: {}", ts(m, plan, Side::Argument)))
        })
        .collect();
    parts.reverse();
    parts.join(", ")
}

fn render_surface(m: &Model, out: &mut String) {
    let codes: Vec<String> = crm_core::ErrorKind::ALL
        .iter()
        .map(|k| format!("'{}'", k.code()))
        .collect();
    let _ = writeln!(
        out,
        "\n/** The stable code of every error kind (`CrmError.code`). */\nexport type ErrorCode = {}",
        codes.join(" | ")
    );
    out.push_str("\nexport interface Crm {\n");
    for ns in &m.namespaces {
        out.push_str(&tsdoc(&ns.doc, "  "));
        let _ = writeln!(out, "  readonly {}: {}", camel(&ns.name), ns.view);
    }
    out.push_str("}\n");
    for ns in &m.namespaces {
        out.push('\n');
        out.push_str(&tsdoc(&ns.doc, ""));
        let _ = writeln!(out, "export interface {} {{", ns.view);
        for case in &ns.use_cases {
            let returns = ts(m, &case.returns, Side::Result);
            out.push_str(&tsdoc(&case.doc, "  "));
            let _ = writeln!(
                out,
                "  {}({}): {returns}",
                camel(&case.name),
                params(m, case)
            );
            if let Some(async_name) = &case.async_name {
                out.push_str(&tsdoc(
                    &format!(
                        "{}\nRuns off the JS thread; the Promise resolves with the result. A `Job` \
                         as the last argument reports its progress and can cancel it (the Promise \
                         then rejects with code `cancelled`).",
                        case.doc.trim_end()
                    ),
                    "  ",
                ));
                let params = params(m, case);
                let sep = if params.is_empty() { "" } else { ", " };
                let _ = writeln!(
                    out,
                    "  {}({params}{sep}job?: Job): Promise<{returns}>",
                    camel(async_name),
                );
            }
        }
        out.push_str("}\n");
    }
}

const HEADER: &str = "\
/* The records of crm-core as the Node binding hands them over, and the namespaces of Crm:
 * rendered from crm-core's model of its surface (the JSON Schema derived from its Rust
 * types) by tests/node_types.rs (do not edit by hand).
 * - Keys of records are camelCase; the keys of maps (custom fields, lead fields, days),
 *   enumeration values and variant names stay as crm-core writes them (\"pending_customer\").
 * - Money is { amount, currency } with the amount a decimal string; never a JS number.
 * - Instants are ISO-8601 strings in records (UTC, \"2026-03-02T09:30:00Z\"); days are
 *   \"YYYY-MM-DD\". Instant arguments accept a Date too.
 * - Ids are numbers.
 */

/** An instant: a Date, or an ISO-8601 string with an offset. */
export type Instant = Date | string

/** How a CRM opens. */
export interface CrmOptions {
  /** The region national phone numbers are read in when a lead names no country (default US). */
  region?: string
}

/** Options of `priceDocument`. */
export interface PricingOptions {
  /** A discount on the whole document, in percent (decimal string). */
  documentDiscount?: string
  /** The tax rates the lines name. */
  taxes?: TaxRate[]
}

/** What every error thrown by crm-core carries. */
export interface CrmError extends Error {
  /** crm-core's stable error code: `validation_failed`, `not_found`, `conflict`, … */
  code: ErrorCode
  /** The error's fields (the bad value, the problems by field, the versions…). */
  details: Record<string, unknown>
}
";

fn render() -> String {
    let m = Model::build();
    let mut out = String::from(HEADER);
    render_surface(&m, &mut out);
    render_defs(&m, &mut out);
    out
}

#[test]
fn node_declarations_are_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("crm-node/types.d.ts");
    let text = render();
    if std::env::var_os("CRM_WRITE_GENERATED").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "crm-node/types.d.ts is out of date: run CRM_WRITE_GENERATED=1 cargo test --test node_types"
    );
}

#[test]
fn types_read_as_the_edge_converts_them() {
    let m = Model::build();
    let lead = m.def_named("Lead").unwrap();
    let Plan::Record(c) = m.resolve(&lead) else {
        panic!("a lead is a record")
    };
    let rendered = members(&m, &m.classes[*c], 0, "", Side::Result);
    assert!(rendered.contains("createdAt: string"), "{rendered}");
    assert!(rendered.contains("score?: number | null"), "{rendered}");
    let status = render();
    assert!(
        status.contains("  | { disqualified: { reason: string } }"),
        "a variant with data keeps its name as the key"
    );
    assert_eq!(ts(&m, &Plan::Instant, Side::Argument), "Instant");
    assert_eq!(
        ts(&m, &Plan::Optional(Box::new(Plan::Int)), Side::Result),
        "number | null"
    );
}
