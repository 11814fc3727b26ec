//! The JS side of [`crate::tape`]: a script generated from crm-core's model of the surface
//! (one function per record class, union and named type, one per use case's result) that
//! rebuilds a value from its tape, and the call that runs it.
//!
//! The script is compiled once per JS realm, on the first result, and kept on the global
//! object under a non-enumerable key. Each record function builds its object with the
//! camelCase keys written into the code, takes strings as slices of the tape's one text,
//! numbers from a `Float64Array`; what the tape says is free JSON (event payloads, ERP
//! documents) goes through `JSON.parse`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use crm_core::surface::model::{Model, Plan, Shape};
use napi::bindgen_prelude::*;
use napi::{Env, JsString};

use crate::edge::model;
use crate::tape::{EXTRA_FIELD, Tape};

/// Where the compiled decoders live on the global object.
const GLOBAL_KEY: &str = "__crmCoreTapeDecoders";

/// The fixed part of the script: the tape's state and the readers the generated functions
/// share.
const RUNTIME: &str = r#"'use strict';
let S = '', E = null, N = null, B = null, p = 0, si = 0, ni = 0, bi = 0;
const s = () => { const e = E[si++]; const v = S.slice(p, e); p = e; return v; };
const n = () => N[ni++];
const j = () => JSON.parse(s());
const put = (o, k, v) => {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
};
const L = (f) => { const a = []; while (B[bi++] !== 0) a.push(f()); return a; };
const M = (f) => { const o = {}; while (B[bi++] !== 0) { const k = s(); put(o, k, f()); } return o; };
const T = (t) => { const i = B[bi++]; return i === 0 ? s() : t[i - 1]; };
const X = (o) => { const k = s(); put(o, k, j()); };
const bad = (what) => { throw new Error('crm-core: the result does not fit the decoder of ' + what); };
function same(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !same(a[ka[i]], b[kb[i]])) return false;
  }
  return true;
}
"#;

/// The entries of the script's function table, in order: every use case's result, every
/// named type, free JSON. A plan is found by its address in the model.
fn entries() -> &'static HashMap<usize, u32> {
    static ENTRIES: OnceLock<HashMap<usize, u32>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        entry_plans(model())
            .iter()
            .enumerate()
            .map(|(i, p)| (std::ptr::from_ref(*p) as usize, i as u32))
            .collect()
    })
}

fn entry_plans(model: &Model) -> Vec<&Plan> {
    let mut plans: Vec<&Plan> = model
        .namespaces
        .iter()
        .flat_map(|ns| ns.use_cases.iter().map(|u| &u.returns))
        .collect();
    plans.extend(model.defs.iter().map(|d| &d.plan));
    plans
}

/// The number of the decoder of `plan` (a use case's result, a named type's plan or free
/// JSON), if the script has one.
pub(crate) fn entry(plan: &Plan) -> Option<u32> {
    if matches!(plan, Plan::Any) {
        return Some(entries().len() as u32);
    }
    entries().get(&(std::ptr::from_ref(plan) as usize)).copied()
}

/// The decoder script (see the module doc), generated once.
pub(crate) fn script() -> &'static str {
    static SCRIPT: OnceLock<String> = OnceLock::new();
    SCRIPT.get_or_init(|| generate(model()))
}

/// Writes the script for `model`.
pub fn generate(model: &Model) -> String {
    let mut g = Gen {
        model,
        out: String::new(),
        aux: HashMap::new(),
        aux_code: String::new(),
    };
    g.out.push_str("(() => {\n");
    g.out.push_str(RUNTIME);
    for (i, def) in model.defs.iter().enumerate() {
        let e = g.expr(&def.plan);
        let _ = writeln!(g.out, "function d{i}() {{ return {e}; }}");
    }
    for (c, class) in model.classes.iter().enumerate() {
        g.record(c, 0, &format!("c{c}"));
        if matches!(class.shape, Shape::Variant(_)) {
            g.record(c, 1, &format!("v{c}"));
        }
    }
    for u in 0..model.unions.len() {
        g.union(u);
    }
    let mut table = Vec::new();
    for plan in entry_plans(model) {
        table.push(g.func(plan));
    }
    table.push("j".to_string());
    let aux = std::mem::take(&mut g.aux_code);
    g.out.push_str(&aux);
    let _ = writeln!(g.out, "const F = [{}];", table.join(", "));
    g.out.push_str(
        "const H = {\n  run(k, text, ends, nums, bytes) {\n    S = text; E = ends; N = nums; B = bytes; \
         p = 0; si = 0; ni = 0; bi = 0;\n    try {\n      const v = F[k]();\n      \
         if (bi !== B.length || si !== E.length || ni !== N.length) bad('entry ' + k);\n      \
         return v;\n    } finally { S = ''; E = N = B = null; }\n  },\n  same,\n};\n",
    );
    let _ = writeln!(
        g.out,
        "Object.defineProperty(globalThis, '{GLOBAL_KEY}', {{ value: H }});\nreturn H;\n}})()"
    );
    g.out
}

struct Gen<'m> {
    model: &'m Model,
    out: String,
    /// Helper functions for inline plans (a list of lists), by their expression.
    aux: HashMap<String, String>,
    aux_code: String,
}

fn quote(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

impl Gen<'_> {
    /// A JS expression reading one value of `plan` from the tape.
    fn expr(&mut self, plan: &Plan) -> String {
        match plan {
            Plan::Any => "j()".into(),
            Plan::Str | Plan::Decimal | Plan::Instant | Plan::Day | Plan::TimeOfDay => "s()".into(),
            Plan::Int | Plan::Float => "N[ni++]".into(),
            Plan::Bool => "(B[bi++] === 1)".into(),
            Plan::Optional(inner) => format!("(B[bi++] === 0 ? null : {})", self.expr(inner)),
            Plan::List(item) => format!("L({})", self.func(item)),
            Plan::Tuple(items) => {
                let items: Vec<String> = items.iter().map(|i| self.expr(i)).collect();
                format!("[{}]", items.join(", "))
            }
            Plan::Map(_, item) => format!("M({})", self.func(item)),
            Plan::Literal(names) => {
                let names: Vec<String> = names.iter().map(|n| quote(n)).collect();
                let table = self.aux_const(&format!("[{}]", names.join(", ")));
                format!("T({table})")
            }
            Plan::Def(i) => format!("d{i}()"),
            Plan::Record(c) => format!("c{c}()"),
            Plan::Union(u) => format!("u{u}()"),
        }
    }

    /// A JS function reading one value of `plan` (for lists and maps).
    fn func(&mut self, plan: &Plan) -> String {
        match plan {
            Plan::Any => "j".into(),
            Plan::Str | Plan::Decimal | Plan::Instant | Plan::Day | Plan::TimeOfDay => "s".into(),
            Plan::Int | Plan::Float => "n".into(),
            Plan::Def(i) => format!("d{i}"),
            Plan::Record(c) => format!("c{c}"),
            Plan::Union(u) => format!("u{u}"),
            other => {
                let body = self.expr(other);
                self.aux_fn(&body)
            }
        }
    }

    fn aux_fn(&mut self, body: &str) -> String {
        if let Some(name) = self.aux.get(body) {
            return name.clone();
        }
        let name = format!("x{}", self.aux.len());
        let _ = writeln!(self.aux_code, "function {name}() {{ return {body}; }}");
        self.aux.insert(body.to_string(), name.clone());
        name
    }

    fn aux_const(&mut self, value: &str) -> String {
        let key = format!("const {value}");
        if let Some(name) = self.aux.get(&key) {
            return name.clone();
        }
        let name = format!("x{}", self.aux.len());
        // inside the script's closure: set before any decoder runs
        let _ = writeln!(self.aux_code, "const {name} = {value};");
        self.aux.insert(key, name.clone());
        name
    }

    /// `function name()` reading the fields of class `c` from field `skip` on.
    fn record(&mut self, c: usize, skip: usize, name: &str) {
        let class = &self.model.classes[c];
        let mut cases = String::new();
        for (i, f) in class.fields.iter().skip(skip).enumerate() {
            let e = self.expr(&f.plan);
            let _ = write!(
                cases,
                " case {}: o[{}] = {e}; break;",
                i + 1,
                quote(&f.camel)
            );
        }
        let _ = writeln!(
            self.out,
            "function {name}() {{ const o = {{}}; for (let f = B[bi++]; f !== 0; f = B[bi++]) \
             switch (f) {{{cases} case {EXTRA_FIELD}: X(o); break; default: bad({}); }} return o; }}",
            quote(&class.name)
        );
    }

    /// `function u<u>()` reading a variant of union `u`: its number, then its data.
    fn union(&mut self, u: usize) {
        let union = &self.model.unions[u];
        let mut cases = String::new();
        for (i, &c) in union.classes.iter().enumerate() {
            let class = &self.model.classes[c];
            let value = match &class.shape {
                Shape::Unit(name) => quote(name),
                Shape::Variant(name) => format!("{{ {}: v{c}() }}", quote(name)),
                Shape::Newtype(name) => {
                    let inner = class
                        .fields
                        .get(1)
                        .map_or_else(|| "null".to_string(), |f| self.expr(&f.plan));
                    format!("{{ {}: {inner} }}", quote(name))
                }
                Shape::Struct => format!("c{c}()"),
            };
            let _ = write!(cases, " case {}: return {value};", i + 1);
        }
        let _ = writeln!(
            self.out,
            "function u{u}() {{ switch (B[bi++]) {{{cases} default: return bad({}); }} }}",
            quote(&union.name)
        );
    }
}

/// `H.run(entry, text, ends, nums, bytes)`.
type Run<'a> =
    Function<'a, FnArgs<(u32, JsString<'a>, Uint32Array, Float64Array, Uint8Array)>, Unknown<'a>>;

/// Rebuilds the value of entry `k` from `tape` in JS (compiling the script on first use).
pub(crate) fn decode<'env>(env: &'env Env, k: u32, tape: Tape) -> Result<Unknown<'env>> {
    let decoders = decoders(env)?;
    let run: Run<'_> = decoders.get_named_property("run")?;
    let text = if tape.ascii {
        env.create_string_latin1(tape.text.as_bytes())?
    } else {
        env.create_string_from_std(tape.text)?
    };
    run.call(
        (
            k,
            text,
            Uint32Array::new(tape.ends),
            Float64Array::new(tape.nums),
            Uint8Array::new(tape.bytes),
        )
            .into(),
    )
}

/// Whether two JS values are the same (keys in the same order): for the tape check.
pub(crate) fn same(env: &Env, a: Unknown<'_>, b: Unknown<'_>) -> Result<bool> {
    let decoders = decoders(env)?;
    let same: Function<'_, FnArgs<(Unknown<'_>, Unknown<'_>)>, bool> =
        decoders.get_named_property("same")?;
    same.call((a, b).into())
}

fn decoders(env: &Env) -> Result<Object<'_>> {
    let global = env.get_global()?;
    let found: Unknown<'_> = global.get_named_property(GLOBAL_KEY)?;
    if found.get_type()? == napi::ValueType::Object {
        return Object::from_unknown(found);
    }
    env.run_script(script())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::MAX_FIELDS;

    #[test]
    fn every_field_and_variant_has_a_number_that_fits_a_byte() {
        let m = model();
        for class in &m.classes {
            assert!(class.fields.len() <= MAX_FIELDS, "{}", class.name);
        }
        for union in &m.unions {
            assert!(union.classes.len() < 255, "{}", union.name);
        }
    }

    #[test]
    fn every_use_case_result_and_named_type_has_a_decoder() {
        let m = model();
        let script = generate(m);
        let table = script
            .lines()
            .find(|l| l.starts_with("const F = ["))
            .expect("the table");
        let entries = table.matches(", ").count() + 1;
        let expected = m
            .namespaces
            .iter()
            .map(|n| n.use_cases.len())
            .sum::<usize>()
            + m.defs.len()
            + 1;
        assert_eq!(entries, expected);
        for ns in &m.namespaces {
            for u in &ns.use_cases {
                assert!(entry(&u.returns).is_some(), "{}.{}", ns.name, u.name);
            }
        }
        assert_eq!(entry(&Plan::Any), Some(expected as u32 - 1));
        // a plan that is not the model's own has none (its result crosses as JSON)
        assert_eq!(entry(&Plan::Str), None);
    }
}
