//! Renders `crm-node/surface.d.ts` — the TypeScript declarations of the Node package's
//! namespace classes (`crm.leads.capture(…)`) — from crm-core's declared surface
//! (`crm_core::surface::USE_CASES`), and fails when the committed file differs.
//!
//! `CRM_WRITE_GENERATED=1 cargo test --test node_surface_types` rewrites it. The records the
//! signatures name are declared in `crm-node/types.d.ts`, which also carries this file into
//! the package's `index.d.ts`.

use std::fmt::Write;
use std::path::Path;

use crm_core::surface::{USE_CASES, UseCase};

/// `snake_case` → `camelCase`, as napi names methods and the edge names keys.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A declared type (`Option<Vec<Lead>>`) as a name and its type arguments.
fn split(ty: &str) -> (&str, Vec<&str>) {
    let ty = ty.trim();
    let Some(open) = ty.find('<') else {
        return (ty, Vec::new());
    };
    let inner = &ty[open + 1..ty.len() - 1];
    let (mut args, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(inner[start..].trim());
    (&ty[..open], args)
}

/// Where the value goes: an argument (instants may be `Date`s) or a result.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Argument,
    Result,
}

/// The TypeScript type of a declared Rust type.
fn ts(ty: &str, side: Side) -> String {
    let ty: String = ty.split_whitespace().collect();
    let (name, args) = split(&ty);
    match (name, args.as_slice()) {
        ("Vec", [item]) => format!("Array<{}>", ts(item, side)),
        ("Option", [inner]) => format!("{} | null", ts(inner, side)),
        ("DateTime", _) if side == Side::Argument => "Instant".into(),
        ("DateTime" | "NaiveDate" | "Decimal" | "Currency" | "Percent" | "String", _) => {
            "string".into()
        }
        ("u64" | "f64" | "usize", _) => "number".into(),
        ("bool", _) => "boolean".into(),
        ("Json", _) => "unknown".into(),
        // The package's class `BusinessCalendar` takes the name; the record is the definition.
        ("BusinessCalendar", _) => "BusinessCalendarDefinition".into(),
        (name, []) => name.into(),
        (name, args) => {
            let args: Vec<String> = args.iter().map(|a| ts(a, side)).collect();
            format!("{name}<{}>", args.join(", "))
        }
    }
}

/// A doc comment as TSDoc, indented by `indent`.
fn tsdoc(doc: &str, indent: &str) -> String {
    let lines: Vec<&str> = doc.lines().map(str::trim).collect();
    let mut out = format!("{indent}/**\n");
    for line in lines {
        let _ = writeln!(
            out,
            "{indent} *{}{line}",
            if line.is_empty() { "" } else { " " }
        );
    }
    let _ = writeln!(out, "{indent} */");
    out
}

/// The parameter list of a use case: optional parameters only where all later ones are.
fn params(case: &UseCase) -> String {
    let mut parts: Vec<String> = case
        .params
        .iter()
        .map(|p| (camel(p.name), p.ty))
        .chain(
            case.takes_now
                .then(|| ("now".to_string(), "Option<DateTime<Utc>>")),
        )
        .map(|(name, ty)| (name, ty.split_whitespace().collect::<String>()))
        .rev()
        .scan(true, |tail_optional, (name, ty)| {
            let optional = *tail_optional && ty.starts_with("Option<");
            *tail_optional = optional;
            let q = if optional { "?" } else { "" };
            Some(format!("{name}{q}: {}", ts(&ty, Side::Argument)))
        })
        .collect();
    parts.reverse();
    parts.join(", ")
}

fn render() -> String {
    let mut out = String::from(
        "/* The namespaces of Crm (crm.leads, crm.sales, …): rendered from crm-core's declared\n \
         * surface by tests/node_surface_types.rs (do not edit by hand). */\n",
    );
    let mut namespaces: Vec<&str> = Vec::new();
    for case in USE_CASES {
        if !namespaces.contains(&case.namespace) {
            namespaces.push(case.namespace);
        }
    }
    let class = |ns: &str| {
        let mut c = ns.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
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
    for ns in &namespaces {
        let _ = writeln!(
            out,
            "  /** The {ns} use cases. */\n  readonly {ns}: {}",
            class(ns)
        );
    }
    out.push_str("}\n");
    for ns in &namespaces {
        let _ = write!(
            out,
            "\n/** The {ns} use cases of a Crm (`crm.{ns}`). */\nexport interface {} {{\n",
            class(ns)
        );
        for case in USE_CASES.iter().filter(|c| c.namespace == *ns) {
            let returns = ts(case.returns, Side::Result);
            out.push_str(&tsdoc(case.doc, "  "));
            let _ = writeln!(out, "  {}({}): {returns}", camel(case.name), params(case));
            if let Some(async_name) = case.async_name {
                out.push_str(&tsdoc(
                    &format!(
                        "{}\nRuns off the JS thread; the Promise resolves with the result.",
                        case.doc.trim_end()
                    ),
                    "  ",
                ));
                let _ = writeln!(
                    out,
                    "  {}({}): Promise<{returns}>",
                    camel(async_name),
                    params(case)
                );
            }
        }
        out.push_str("}\n");
    }
    out
}

#[test]
fn surface_declarations_are_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("crm-node/surface.d.ts");
    let text = render();
    if std::env::var_os("CRM_WRITE_GENERATED").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "crm-node/surface.d.ts is out of date: run CRM_WRITE_GENERATED=1 cargo test --test node_surface_types"
    );
}

#[test]
fn types_map_as_the_edge_converts_them() {
    assert_eq!(ts("Option<Vec<Lead>>", Side::Result), "Array<Lead> | null");
    assert_eq!(ts("DateTime<Utc>", Side::Argument), "Instant");
    assert_eq!(ts("DateTime<Utc>", Side::Result), "string");
    assert_eq!(ts("Merged<Lead>", Side::Result), "Merged<Lead>");
    assert_eq!(
        ts("Option < Vec < Stage > >", Side::Argument),
        "Array<Stage> | null"
    );
    assert_eq!(camel("expected_version"), "expectedVersion");
}
