//! The surface's schema compiled into a model every binding can walk (`schema` feature):
//! the named types with a [`Plan`] each (which JSON value a type is, down to its fields),
//! one record (a [`Class`]) per struct and per variant of an enum that carries data, the
//! variants of such enums by how they are told apart ([`Union`]), and every use case's
//! parameters and result as plans ([`Signature`]).
//!
//! crm-py makes its record classes and converts results by it and renders its stubs from
//! it; any binding that needs to know, at run time, which object keys are struct fields
//! (to rename) and which are user data (to keep) reads it here.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// What JSON value a declared type is.
#[derive(Debug, Clone)]
pub enum Plan {
    /// Any JSON (event payloads, ERP documents).
    Any,
    /// Text.
    Str,
    /// A whole number (ids, counts).
    Int,
    /// A floating-point number.
    Float,
    /// True or false.
    Bool,
    /// An exact decimal, as text (`"12.50"`).
    Decimal,
    /// An instant, as RFC 3339 text in UTC.
    Instant,
    /// A day, as `YYYY-MM-DD`.
    Day,
    /// A wall-clock time, as `HH:MM:SS`.
    TimeOfDay,
    /// A value or null.
    Optional(Box<Plan>),
    /// A list.
    List(Box<Plan>),
    /// A fixed-length list of these.
    Tuple(Vec<Plan>),
    /// A map with keys read by the first plan (text, days) and values by the second.
    Map(Box<Plan>, Box<Plan>),
    /// One of these names (a plain-name enum).
    Literal(Vec<String>),
    /// A named definition (see [`Def`]).
    Def(usize),
    /// A record class.
    Record(usize),
    /// A data-carrying enum: one record class per variant.
    Union(usize),
}

/// A named type of the schema (`Lead`, `LeadId`, `Rating`, `LeadStatus`).
#[derive(Debug)]
pub struct Def {
    /// Its name (a class or type name, or a use case's snake_case name).
    pub name: String,
    /// Its doc comment, as prose.
    pub doc: String,
    /// What it is.
    pub plan: Plan,
}

/// How a record class's values sit in crm-core's JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// `{field: value, …}` (structs, and variants of tagged enums, whose tag is a field).
    Struct,
    /// `"variant"`: a variant without data of an enum that has others with data.
    Unit(String),
    /// `{"variant": {field: value, …}}`.
    Variant(String),
    /// `{"variant": value}`.
    Newtype(String),
}

/// One record class.
#[derive(Debug)]
pub struct Class {
    /// Its name (a class or type name, or a use case's snake_case name).
    pub name: String,
    /// Its doc comment, as prose.
    pub doc: String,
    /// Its fields, in declaration order.
    pub fields: Vec<Field>,
    /// How it sits in JSON.
    pub shape: Shape,
}

/// One field of a record class.
#[derive(Debug, Clone)]
pub struct Field {
    /// The JSON key, snake_case (`created_at`).
    pub key: String,
    /// The key in lowerCamelCase (`createdAt`), as JS, Kotlin and Swift spell fields.
    pub camel: String,
    /// What its value is.
    pub plan: Plan,
    /// Its doc comment.
    pub doc: String,
    /// Whether the JSON always has it (an empty list or a default may be left out).
    pub required: bool,
}

/// A data-carrying enum's variants, by how they are told apart.
#[derive(Debug, Default)]
pub struct Union {
    /// Its name (a class or type name, or a use case's snake_case name).
    pub name: String,
    /// Its records, one per variant.
    pub classes: Vec<usize>,
    /// Its variants without data, by name (`"new"`).
    pub units: HashMap<String, usize>,
    /// Its externally tagged variants with data, by the variant's key (`{"disqualified": …}`).
    pub external: HashMap<String, usize>,
    /// For an internally or adjacently tagged enum: the tag's key and the variants by its value.
    pub tag: Option<(String, HashMap<String, usize>)>,
}

/// A use case's parameters and result, as plans.
#[derive(Debug)]
pub struct Signature {
    /// Its name (a class or type name, or a use case's snake_case name).
    pub name: String,
    /// Its doc comment, as prose.
    pub doc: String,
    /// Its parameters, in order, with their plans.
    pub params: Vec<(String, Plan)>,
    /// Whether it takes the instant of the change (`now`).
    pub takes_now: bool,
    /// What it returns.
    pub returns: Plan,
    /// Its off-thread variant, for long use cases.
    pub async_name: Option<String>,
}

/// A namespace and its use cases.
#[derive(Debug)]
pub struct Namespace {
    /// Its name (a class or type name, or a use case's snake_case name).
    pub name: String,
    /// The view type's name (`Leads`).
    pub view: String,
    /// Its doc comment, as prose.
    pub doc: String,
    /// Its use cases, in declaration order.
    pub use_cases: Vec<Signature>,
}

/// The compiled model.
#[derive(Debug)]
pub struct Model {
    /// The named types, in the schema's order.
    pub defs: Vec<Def>,
    /// The records.
    pub classes: Vec<Class>,
    /// The enums that carry data.
    pub unions: Vec<Union>,
    /// The namespaces with their use cases.
    pub namespaces: Vec<Namespace>,
    by_use_case: HashMap<(String, String), (usize, usize)>,
}

/// `LinkChoiceAccountId`, `LeadStatusDisqualified`: a schema name or a snake_case variant
/// name as a Python class name.
fn pascal(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn field(key: &str, plan: Plan, doc: String) -> Field {
    Field {
        key: key.to_string(),
        camel: camel(key),
        plan,
        doc,
        required: true,
    }
}

/// `created_at` → `createdAt`.
pub fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Which way [`Model::rename_keys`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// crm-core's keys (snake_case) to lowerCamelCase: results on their way out.
    ToCamel,
    /// Either spelling to crm-core's keys: arguments on their way in.
    FromCamel,
}

fn doc_of(schema: &Value) -> String {
    schema["description"].as_str().unwrap_or("").to_string()
}

struct Compiler<'a> {
    def_index: HashMap<&'a str, usize>,
    /// The named definitions, for the fields of a `$ref` beside a variant's tag.
    defs: &'a Map<String, Value>,
    /// Its records, one per variant.
    pub classes: Vec<Class>,
    unions: Vec<Union>,
}

impl<'a> Compiler<'a> {
    fn plan(&mut self, schema: &'a Value) -> Plan {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            return self
                .def_index
                .get(name)
                .map_or(Plan::Any, |&i| Plan::Def(i));
        }
        if let Some(alternatives) = schema["anyOf"].as_array() {
            let (nulls, others): (Vec<&Value>, Vec<&Value>) =
                alternatives.iter().partition(|a| a["type"] == "null");
            if others.len() == 1 {
                let inner = self.plan(others[0]);
                return if nulls.is_empty() {
                    inner
                } else {
                    Plan::Optional(Box::new(inner))
                };
            }
            return Plan::Any;
        }
        if let Some(name) = schema["const"].as_str() {
            return Plan::Literal(vec![name.to_string()]);
        }
        if let Some(names) = schema["enum"].as_array() {
            return Plan::Literal(
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect(),
            );
        }
        if let Some(types) = schema["type"].as_array() {
            let nullable = types.iter().any(|t| t == "null");
            let others: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            if others.len() != 1 {
                return Plan::Any;
            }
            let inner = self.typed(schema, Some(others[0]));
            return if nullable {
                Plan::Optional(Box::new(inner))
            } else {
                inner
            };
        }
        self.typed(schema, schema["type"].as_str())
    }

    /// The plan of a schema of JSON type `ty`.
    fn typed(&mut self, schema: &'a Value, ty: Option<&str>) -> Plan {
        match ty {
            Some("string") => match schema["format"].as_str() {
                Some("date-time") => Plan::Instant,
                Some("date") => Plan::Day,
                Some("partial-time") | Some("partial-date-time") => Plan::TimeOfDay,
                Some("decimal") => Plan::Decimal,
                _ => Plan::Str,
            },
            Some("integer") => Plan::Int,
            Some("number") => Plan::Float,
            Some("boolean") => Plan::Bool,
            Some("array") => {
                if let Some(items) = schema["prefixItems"].as_array() {
                    Plan::Tuple(items.iter().map(|i| self.plan(i)).collect())
                } else {
                    Plan::List(Box::new(self.plan(&schema["items"])))
                }
            }
            Some("object") => match &schema["additionalProperties"] {
                Value::Object(_) => {
                    let key = match &schema["propertyNames"] {
                        Value::Object(_) => self.plan(&schema["propertyNames"]),
                        _ => Plan::Str,
                    };
                    Plan::Map(
                        Box::new(key),
                        Box::new(self.plan(&schema["additionalProperties"])),
                    )
                }
                // any values by text keys (custom field values)
                Value::Bool(true) => Plan::Map(Box::new(Plan::Str), Box::new(Plan::Any)),
                _ => Plan::Any,
            },
            _ => Plan::Any,
        }
    }

    fn fields(&mut self, schema: &'a Value) -> Vec<Field> {
        schema["properties"]
            .as_object()
            .map(|props| {
                props
                    .iter()
                    .map(|(key, s)| {
                        let plan = self.plan(s);
                        let mut f = field(key, plan, doc_of(s));
                        f.required = schema["required"]
                            .as_array()
                            .is_some_and(|r| r.iter().any(|k| k == key));
                        f
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn class(&mut self, name: String, doc: String, fields: Vec<Field>, shape: Shape) -> usize {
        self.classes.push(Class {
            name,
            doc,
            fields,
            shape,
        });
        self.classes.len() - 1
    }

    /// The plan of a named definition, making its classes.
    fn def(&mut self, name: &str, schema: &'a Value) -> Plan {
        let py_name = pascal(name);
        if schema["properties"].is_object()
            && schema["type"] == "object"
            && !schema["oneOf"].is_array()
        {
            let fields = self.fields(schema);
            return Plan::Record(self.class(py_name, doc_of(schema), fields, Shape::Struct));
        }
        let Some(alternatives) = schema["oneOf"].as_array() else {
            return self.plan(schema);
        };
        let all_names = alternatives
            .iter()
            .all(|a| a["const"].is_string() || a["enum"].is_array());
        if all_names {
            let mut names = Vec::new();
            for a in alternatives {
                match self.plan(a) {
                    Plan::Literal(n) => names.extend(n),
                    _ => unreachable!("checked above"),
                }
            }
            return Plan::Literal(names);
        }
        let mut union = Union {
            name: py_name.clone(),
            ..Union::default()
        };
        // a struct with a tagged enum flattened into it: its own fields in every variant
        let common = self.fields(schema);
        for a in alternatives {
            let doc = doc_of(a);
            if let Plan::Literal(names) = self.plan(a)
                && (a["const"].is_string() || a["enum"].is_array())
            {
                for n in names {
                    let kind = field("kind", Plan::Literal(vec![n.clone()]), String::new());
                    let c = self.class(
                        format!("{py_name}{}", pascal(&n)),
                        doc.clone(),
                        vec![kind],
                        Shape::Unit(n.clone()),
                    );
                    union.units.insert(n, c);
                    union.classes.push(c);
                }
                continue;
            }
            let props = a["properties"].as_object();
            let tag = props.and_then(|p| p.iter().find(|(_, s)| s["const"].is_string()));
            if let Some((tag_key, tag_schema)) = tag {
                let value = tag_schema["const"].as_str().unwrap_or_default().to_string();
                let mut fields = common.clone();
                fields.extend(self.fields(a));
                // a newtype variant of an internally tagged enum: the tag beside the
                // fields of the struct it wraps (`{"kind": "logistic", "coef": …}`)
                if let Some(def) = a["$ref"]
                    .as_str()
                    .and_then(|r| r.rsplit('/').next())
                    .and_then(|name| self.defs.get(name))
                {
                    fields.extend(self.fields(def));
                }
                let c = self.class(
                    format!("{py_name}{}", pascal(&value)),
                    doc,
                    fields,
                    Shape::Struct,
                );
                let (_, by_value) = union
                    .tag
                    .get_or_insert_with(|| (tag_key.clone(), HashMap::new()));
                by_value.insert(value, c);
                union.classes.push(c);
            } else if let Some((variant, inner)) =
                props.filter(|p| p.len() == 1).and_then(|p| p.iter().next())
            {
                let kind = field("kind", Plan::Literal(vec![variant.clone()]), String::new());
                let name = format!("{py_name}{}", pascal(variant));
                let c = if inner["properties"].is_object() {
                    let mut fields = vec![kind];
                    fields.extend(self.fields(inner));
                    self.class(name, doc, fields, Shape::Variant(variant.clone()))
                } else {
                    let plan = self.plan(inner);
                    let value = field("value", plan, doc_of(inner));
                    self.class(
                        name,
                        doc,
                        vec![kind, value],
                        Shape::Newtype(variant.clone()),
                    )
                };
                union.external.insert(variant.clone(), c);
                union.classes.push(c);
            }
        }
        self.unions.push(union);
        Plan::Union(self.unions.len() - 1)
    }
}

impl Model {
    /// The model of [`super::schema::surface_schema`].
    pub fn build() -> Model {
        let schema = super::schema::surface_schema();
        let empty = Map::new();
        let defs_schema = schema["$defs"].as_object().unwrap_or(&empty);
        let mut compiler = Compiler {
            defs: defs_schema,
            def_index: defs_schema
                .keys()
                .enumerate()
                .map(|(i, k)| (k.as_str(), i))
                .collect(),
            classes: Vec::new(),
            unions: Vec::new(),
        };
        let defs: Vec<Def> = defs_schema
            .iter()
            .map(|(name, s)| Def {
                name: pascal(name),
                doc: doc_of(s),
                plan: compiler.def(name, s),
            })
            .collect();
        let mut namespaces = Vec::new();
        let mut by_use_case = HashMap::new();
        for (n, ns) in schema["namespaces"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut use_cases = Vec::new();
            for (u, uc) in ns["use_cases"].as_array().into_iter().flatten().enumerate() {
                let params = uc["params"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        let plan = match compiler.plan(&p["schema"]) {
                            Plan::Optional(inner) => Plan::Optional(inner),
                            plan if p["optional"] == true => Plan::Optional(Box::new(plan)),
                            plan => plan,
                        };
                        (p["name"].as_str().unwrap_or_default().to_string(), plan)
                    })
                    .collect();
                let name = uc["name"].as_str().unwrap_or_default().to_string();
                by_use_case.insert(
                    (
                        ns["name"].as_str().unwrap_or_default().to_string(),
                        name.clone(),
                    ),
                    (n, u),
                );
                use_cases.push(Signature {
                    name,
                    doc: super::schema::prose(uc["doc"].as_str().unwrap_or_default()),
                    params,
                    takes_now: uc["takes_now"] == true,
                    returns: compiler.plan(&uc["returns"]),
                    async_name: uc["async_name"].as_str().map(str::to_string),
                });
            }
            namespaces.push(Namespace {
                name: ns["name"].as_str().unwrap_or_default().to_string(),
                view: ns["view"].as_str().unwrap_or_default().to_string(),
                doc: super::schema::prose(ns["doc"].as_str().unwrap_or_default()),
                use_cases,
            });
        }
        Model {
            defs,
            classes: compiler.classes,
            unions: compiler.unions,
            namespaces,
            by_use_case,
        }
    }

    /// The signature of `namespace.name`.
    pub fn use_case(&self, namespace: &str, name: &str) -> Option<&Signature> {
        self.by_use_case
            .get(&(namespace.to_string(), name.to_string()))
            .map(|&(n, u)| &self.namespaces[n].use_cases[u])
    }

    /// The plan of the named type called `name` (`PricedDocument`).
    pub fn def_named(&self, name: &str) -> Option<Plan> {
        self.defs.iter().position(|d| d.name == name).map(Plan::Def)
    }

    /// `value` (of the type `plan` describes) with the keys of its records spelt the other
    /// way ([`Spelling`]): struct fields only, by type — the keys of maps (custom fields,
    /// user data), variant names, tag values and free JSON stay as they are.
    pub fn rename_keys(&self, value: Value, plan: &Plan, way: Spelling) -> Value {
        match (self.resolve(plan), value) {
            (Plan::Optional(inner), v) => self.rename_keys(v, inner, way),
            (Plan::Record(c), Value::Object(map)) => {
                Value::Object(self.rename_fields(&self.classes[*c].fields, map, way))
            }
            (Plan::Union(u), v) => self.rename_variant(&self.unions[*u], v, way),
            (Plan::List(item), Value::Array(items)) => Value::Array(
                items
                    .into_iter()
                    .map(|v| self.rename_keys(v, item, way))
                    .collect(),
            ),
            (Plan::Tuple(plans), Value::Array(items)) => Value::Array(
                items
                    .into_iter()
                    .zip(plans.iter().chain(std::iter::repeat(&Plan::Any)))
                    .map(|(v, p)| self.rename_keys(v, p, way))
                    .collect(),
            ),
            (Plan::Map(_, item), Value::Object(map)) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, self.rename_keys(v, item, way)))
                    .collect(),
            ),
            (_, v) => v,
        }
    }

    fn rename_fields(
        &self,
        fields: &[Field],
        map: Map<String, Value>,
        way: Spelling,
    ) -> Map<String, Value> {
        let mut out = Map::with_capacity(map.len());
        for (k, v) in map {
            let field = match way {
                Spelling::ToCamel => fields.iter().find(|f| f.key == k),
                Spelling::FromCamel => fields.iter().find(|f| f.camel == k || f.key == k),
            };
            match field {
                Some(f) => {
                    let key = match way {
                        Spelling::ToCamel => f.camel.clone(),
                        Spelling::FromCamel => f.key.clone(),
                    };
                    out.insert(key, self.rename_keys(v, &f.plan, way));
                }
                // not a field: left for the reader to judge (serde names it if it matters)
                None => {
                    out.insert(k, v);
                }
            }
        }
        out
    }

    fn rename_variant(&self, union: &Union, value: Value, way: Spelling) -> Value {
        let Value::Object(map) = value else {
            return value; // a variant without data: its name
        };
        if let Some((tag, by_value)) = &union.tag {
            let class = [tag.clone(), camel(tag)]
                .iter()
                .find_map(|t| map.get(t).and_then(Value::as_str))
                .and_then(|t| by_value.get(t));
            if let Some(&c) = class {
                return Value::Object(self.rename_fields(&self.classes[c].fields, map, way));
            }
            return Value::Object(map);
        }
        if map.len() == 1 {
            let (variant, inner) = map.into_iter().next().expect("one entry");
            let inner = match union.external.get(&variant) {
                Some(&c) => {
                    let class = &self.classes[c];
                    match (&class.shape, inner) {
                        (Shape::Variant(_), Value::Object(fields)) => {
                            Value::Object(self.rename_fields(&class.fields[1..], fields, way))
                        }
                        (_, inner) => match class.fields.get(1) {
                            Some(f) => self.rename_keys(inner, &f.plan, way),
                            None => inner,
                        },
                    }
                }
                None => inner,
            };
            return Value::Object(Map::from_iter([(variant, inner)]));
        }
        Value::Object(map)
    }

    /// `plan` with named types looked through (a `Def` is replaced by what it names).
    pub fn resolve<'a>(&'a self, mut plan: &'a Plan) -> &'a Plan {
        while let Plan::Def(i) = plan {
            plan = &self.defs[*i].plan;
        }
        plan
    }
}
