//! The type stubs of the generated part of the package, rendered from the same model the
//! runtime uses ([`crate::model`]): `records.pyi` (every record class with its typed fields
//! and docs, a `Literal` per enum of names, a `Union` per enum with data, an alias per
//! named scalar) and the surface section of `_crm_core.pyi` (`Crm` and its namespaces,
//! every method typed). `tests/test_stubs.py` fails when the committed stubs differ.

use std::fmt::Write;

use pyo3::prelude::*;

use crm_core::surface::model::{Model, Plan};

use crate::model::{FieldDefault, PyModel, attr_of, model};

/// The Python annotation of a plan.
fn annotation(m: &Model, plan: &Plan, prefix: &str) -> String {
    match plan {
        Plan::Any => "Any".into(),
        Plan::Str => "str".into(),
        Plan::Int => "int".into(),
        Plan::Float => "float".into(),
        Plan::Bool => "bool".into(),
        Plan::Decimal => "Decimal".into(),
        Plan::Instant => "datetime".into(),
        Plan::Day => "date".into(),
        Plan::TimeOfDay => "time".into(),
        Plan::Optional(inner) => format!("Optional[{}]", annotation(m, inner, prefix)),
        Plan::List(inner) => format!("List[{}]", annotation(m, inner, prefix)),
        Plan::Tuple(items) => format!(
            "Tuple[{}]",
            items
                .iter()
                .map(|i| annotation(m, i, prefix))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Plan::Map(key, value) => format!(
            "Dict[{}, {}]",
            annotation(m, key, prefix),
            annotation(m, value, prefix)
        ),
        Plan::Literal(names) => format!(
            "Literal[{}]",
            names
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Plan::Def(i) => format!("{prefix}{}", m.defs[*i].name),
        Plan::Record(c) => format!("{prefix}{}", m.classes[*c].name),
        Plan::Union(u) => format!("{prefix}{}", m.unions[*u].name),
    }
}

/// An argument's annotation: what the result type is, or the plain data it is read from
/// (a dict for a record; any record of the package is read back too).
fn argument(m: &Model, plan: &Plan) -> String {
    let exact = annotation(m, plan, "_r.");
    match plan {
        Plan::Str | Plan::Int | Plan::Float | Plan::Bool => exact,
        Plan::Decimal => "Union[Decimal, str, int]".into(),
        Plan::Instant => "datetime".into(),
        Plan::Day => "Union[date, str]".into(),
        Plan::Def(i) => match &m.defs[*i].plan {
            Plan::Record(_) | Plan::Union(_) => format!("Union[{exact}, Mapping[str, Any]]"),
            Plan::Literal(_) => exact,
            other => argument(m, other),
        },
        Plan::Optional(inner) => format!("Optional[{}]", argument(m, inner)),
        Plan::List(inner) => format!("Sequence[{}]", argument(m, inner)),
        _ => "Any".into(),
    }
}

fn doc_block(out: &mut String, indent: &str, doc: &str) {
    let doc = doc.trim();
    if doc.is_empty() {
        return;
    }
    let doc = doc.replace('\\', "\\\\").replace("\"\"\"", "'''");
    let body: Vec<String> = doc
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect();
    let _ = writeln!(out, "{indent}\"\"\"{}", body.join("\n").trim_start());
    let _ = writeln!(out, "{indent}\"\"\"");
}

/// `records.pyi`.
pub(crate) fn records_stub(py_model: &PyModel) -> String {
    let m = &py_model.core;
    let mut out = String::from(
        "# Rendered from crm-core's schema by crm-py (src/stubs.rs); do not edit.\n\
         # Regenerate: CRM_WRITE_GENERATED=1 pytest crm-py/tests/test_stubs.py\n\
         from datetime import date, datetime, time\n\
         from decimal import Decimal\n\
         from typing import Any, Dict, Iterable, List, Literal, NamedTuple, Optional, Tuple, Union\n\n",
    );
    let mut names: Vec<String> = Vec::new();
    for def in &m.defs {
        match &def.plan {
            Plan::Record(_) => {}
            Plan::Union(u) => {
                let members: Vec<String> = m.unions[*u]
                    .classes
                    .iter()
                    .map(|&c| m.classes[c].name.clone())
                    .collect();
                let _ = writeln!(out, "{} = Union[{}]", def.name, members.join(", "));
                names.push(def.name.clone());
            }
            other => {
                if !def.doc.is_empty() {
                    let _ = writeln!(out, "# {}", def.doc.lines().next().unwrap_or_default());
                }
                let _ = writeln!(out, "{} = {}", def.name, annotation(m, other, ""));
                names.push(def.name.clone());
            }
        }
    }
    for (class, defaults) in m.classes.iter().zip(&py_model.defaults) {
        let _ = writeln!(out, "\nclass {}(NamedTuple):", class.name);
        doc_block(&mut out, "    ", &class.doc);
        for (field, default) in class.fields.iter().zip(defaults) {
            // a field named as a tuple method (`count`, `index`) shadows it, which the
            // record classes allow and type checkers flag
            let shadows = matches!(field.key.as_str(), "count" | "index");
            let default = match default {
                None => String::new(),
                Some(FieldDefault::Name(name)) => format!(" = {name:?}"),
                Some(_) => " = ...".into(),
            };
            let _ = writeln!(
                out,
                "    {}: {}{default}{}",
                attr_of(&field.key),
                annotation(m, &field.plan, ""),
                if shadows {
                    "  # type: ignore[assignment]"
                } else {
                    ""
                }
            );
        }
        if class.fields.is_empty() {
            out.push_str("    ...\n");
        }
        names.push(class.name.clone());
    }
    out.push_str(
        "\ndef to_rows(records: Iterable[Any]) -> List[Dict[str, Any]]: ...\n\
         def to_pandas(records: Iterable[Any]) -> Any: ...\n\
         def to_polars(records: Iterable[Any]) -> Any: ...\n",
    );
    out
}

/// The surface section of `_crm_core.pyi`: the namespaces and `Crm`.
pub(crate) fn surface_stub(m: &Model) -> String {
    let mut out = String::new();
    for ns in &m.namespaces {
        let _ = writeln!(out, "@final\nclass {}:", ns.view);
        doc_block(&mut out, "    ", &ns.doc);
        for uc in &ns.use_cases {
            let mut params: Vec<String> = vec!["self".into()];
            // optional parameters (declared last) default to None
            for (name, plan) in &uc.params {
                let default = if matches!(plan, Plan::Optional(_)) {
                    " = None"
                } else {
                    ""
                };
                params.push(format!("{name}: {}{default}", argument(m, plan)));
            }
            if uc.takes_now {
                params.push("now: Optional[datetime] = None".into());
            }
            if uc.async_name.is_some() {
                params.push("*, job: Optional[Job] = None".into());
            }
            let returns = annotation(m, &uc.returns, "_r.");
            let _ = writeln!(
                out,
                "    def {}({}) -> {}:",
                uc.name,
                params.join(", "),
                returns
            );
            doc_block(&mut out, "        ", &uc.doc);
            out.push_str("        ...\n");
            if let Some(async_name) = &uc.async_name {
                let _ = writeln!(
                    out,
                    "    def {async_name}({}) -> Coroutine[Any, Any, {returns}]: ...",
                    params.join(", ")
                );
            }
        }
        out.push('\n');
    }
    out.push_str(
        "@final\nclass Job:\n    \"\"\"A handle on a long call (`job=`): its progress, and a way to stop it.\"\"\"\n\
         \x20   def __init__(self) -> None: ...\n\
         \x20   def cancel(self) -> None: ...\n\
         \x20   @property\n    def cancelled(self) -> bool: ...\n\
         \x20   @property\n    def progress(self) -> Tuple[int, Optional[int]]: ...\n\n",
    );
    out.push_str(
        "@final\nclass Crm:\n    \"\"\"The CRM on the embedded SQLite store; its use cases are in its namespaces.\"\"\"\n\
         \x20   @staticmethod\n    def open(path: Union[str, PathLike[str]], region: str = \"US\", busy_timeout: float = 30.0) -> Crm: ...\n\
         \x20   @staticmethod\n    def in_memory(region: str = \"US\") -> Crm: ...\n\
         \x20   @property\n    def default_region(self) -> str: ...\n\
         \x20   def close(self) -> None: ...\n\
         \x20   def as_actor(self, actor: str) -> Crm: ...\n\
         \x20   def as_user(self, login: str) -> Crm: ...\n\
         \x20   @property\n    def user(self) -> Optional[str]: ...\n\
         \x20   @property\n    def actor(self) -> str: ...\n\
         \x20   @property\n    def closed(self) -> bool: ...\n\
         \x20   def __enter__(self) -> Crm: ...\n\
         \x20   def __exit__(self, *_exc: object) -> bool: ...\n\
         \x20   def invoke(self, namespace: str, name: str, args: Optional[Dict[str, Any]] = None) -> Any: ...\n\
         \x20   def table(self, kind: str) -> Any: ...\n\
         \x20   def frame(self, call: str, **args: Any) -> Any: ...\n",
    );
    for ns in &m.namespaces {
        let _ = writeln!(
            out,
            "    @property\n    def {}(self) -> {}: ...",
            ns.name, ns.view
        );
    }
    out
}

/// The rendered stubs: (`records.pyi`, the surface section of `_crm_core.pyi`).
#[pyfunction]
pub fn _render_stubs(py: Python<'_>) -> PyResult<(String, String)> {
    let m = model(py)?;
    Ok((records_stub(m), surface_stub(&m.core)))
}
