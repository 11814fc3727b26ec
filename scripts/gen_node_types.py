#!/usr/bin/env python3
"""Writes crm-node/types.d.ts: the TypeScript form of crm-core's records, read from the Rust
sources (structs, enums and their serde attributes), with the same key conversion the Node
binding applies at its edge (crm-node/src/edge.rs): snake_case field names become camelCase,
enumeration values and user map keys stay as crm-core writes them.

napi-rs puts this file at the top of the generated index.d.ts (package.json:
napi.dtsHeaderFile), so the method signatures there can name these types.

    python3 scripts/gen_node_types.py          # rewrite crm-node/types.d.ts
    python3 scripts/gen_node_types.py --check  # exit 1 when it is out of date (CI)

Understood: `pub struct` with named fields or one transparent field, `pub enum` (unit
variants, `tag`, `tag` + `content`, external tagging), `text_enum!`, `define_id!`,
`#[serde(default | skip_serializing_if | flatten | rename | rename_all | with)]`. Types with
hand-written serde (money, ids, references) are mapped in MANUAL below.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "crm-core" / "src"
OUT = ROOT / "crm-node" / "types.d.ts"
SURFACE = ROOT / "crm-node" / "surface.d.ts"

# Types whose JSON form is written by hand in crm-core (custom Serialize/Deserialize or a
# transparent newtype over text), as TypeScript.
MANUAL = {
    "Money": "{ amount: string; currency: string }",
    "Decimal": "string",
    "Percent": "string",
    "Probability": "number",
    "Currency": "string",
    "Region": "string",
    "Email": "string",
    "Phone": "string",
    "Url": "string",
    "Tz": "string",
    "Weekday": "'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun'",
    "DateTime": "string",
    "NaiveDate": "string",
    "NaiveTime": "string",
    "NaiveDateTime": "string",
    "Duration": "number",
    "LeadField": "string",
    "CaseNumber": "string",
    "RecordRef": "{ kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case'"
    " | 'asset' | 'campaign' | string; id: number }",
    "Value": "unknown",
    "TaxTable": "TaxRate[]",
    "EntityKind": "string",
}

# TypeScript names for crm-core types whose own name a class of the package takes.
RENAMED = {"BusinessCalendar": "BusinessCalendarDefinition"}

PRIMITIVES = {
    **{t: "number" for t in "u8 u16 u32 u64 u128 usize i8 i16 i32 i64 isize f32 f64".split()},
    "bool": "boolean",
    "String": "string",
    "str": "string",
    "char": "string",
}

HEADER = """\
/* The records of crm-core as the Node binding hands them over: generated from the Rust
 * sources by scripts/gen_node_types.py (do not edit by hand).
 * - Keys are camelCase; enumeration values stay as crm-core writes them ("pending_customer").
 * - Money is { amount, currency } with the amount a decimal string; never a JS number.
 * - Instants are ISO-8601 strings in records (UTC, "2026-03-02T09:30:00Z"); days are
 *   "YYYY-MM-DD". Arguments named `now`, `at`, `from`… accept a Date too.
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
"""


def camel(name):
    if "_" not in name or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        return name
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def strip_comments(text):
    # keep doc comments (///) as markers, drop // comments
    out = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("///"):
            out.append("#[doc = " + s[3:].strip().encode().hex() + "]")
        elif s.startswith("//"):
            continue
        else:
            out.append(re.sub(r"\s//[^\"]*$", "", line))
    return "\n".join(out)


def match_brace(text, start, open_ch="{", close_ch="}"):
    depth = 0
    i = start
    in_str = False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced")


def split_top(text, sep=","):
    parts, depth, cur, in_str = [], 0, [], False
    i = 0
    while i < len(text):
        c = text[i]
        if in_str:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            cur.append(c)
        elif c in "<([{":
            depth += 1
            cur.append(c)
        elif c in ">)]}":
            depth -= 1
            cur.append(c)
        elif c == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    if "".join(cur).strip():
        parts.append("".join(cur))
    return parts


ATTR = re.compile(r"#\[(.*?)\]\s*$", re.S)


def take_attrs(chunk):
    """(attrs, docs, rest) of a field or variant chunk."""
    attrs, docs = [], []
    rest = chunk.strip()
    while rest.startswith("#["):
        end = match_brace(rest, 1, "[", "]")
        attr = rest[2:end]
        rest = rest[end + 1 :].strip()
        if attr.startswith("doc = "):
            docs.append(bytes.fromhex(attr[6:]).decode())
        else:
            attrs.append(attr)
    return attrs, docs, rest


def serde_opts(attrs):
    opts = {}
    for a in attrs:
        m = re.match(r"serde\((.*)\)$", a, re.S)
        if not m:
            continue
        for part in split_top(m.group(1)):
            part = part.strip()
            if "=" in part:
                k, v = part.split("=", 1)
                opts[k.strip()] = v.strip().strip('"')
            elif part:
                opts[part] = True
    return opts


def rename(name, rule):
    if rule == "snake_case":
        return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()
    if rule == "lowercase":
        return name.lower()
    if rule == "UPPERCASE":
        return name.upper()
    return name


class Registry:
    def __init__(self):
        self.items = {}  # name -> (kind, data, docs)
        self.dupes = set()

    def add(self, name, item):
        if name in self.items and self.items[name] != item:
            self.dupes.add(name)
        self.items[name] = item


def parse_sources(reg):
    for path in sorted(SRC.rglob("*.rs")):
        if path.name in ("schema.rs", "schema_types.rs"):
            continue  # the schema feature's own code: no types of the surface
        text = strip_comments(path.read_text())
        text = re.sub(r'#\[cfg_attr\(\s*feature = "schema".*?\)\]\n', "", text, flags=re.S)
        # drop #[cfg(test)] modules
        m = re.search(r"#\[cfg\(test\)\]\s*mod tests\s*\{", text)
        if m:
            end = match_brace(text, text.index("{", m.start()))
            text = text[: m.start()] + text[end + 1 :]
        for m in re.finditer(r"text_enum!\(\s*((?:#\[.*?\]\s*)*)(\w+),\s*\"[^\"]*\",\s*\{", text, re.S):
            body_start = text.index("{", m.end() - 1)
            body = text[body_start + 1 : match_brace(text, body_start)]
            values = re.findall(r"=>\s*\"([^\"]+)\"", body)
            docs = [bytes.fromhex(d).decode() for d in re.findall(r"#\[doc = ([0-9a-f]*)\]", m.group(1))]
            reg.add(m.group(2), ("union", values, docs))
        for m in re.finditer(r"define_id!\(\s*(?:#\[.*?\]\s*)*(\w+),", text, re.S):
            reg.add(m.group(1), ("alias", "number", []))
        for m in re.finditer(
            r"((?:#\[[^\n]*\]\s*)*)pub (struct|enum) (\w+)(<[^>{(]*>)?\s*([({;])", text
        ):
            attrs, docs, _ = take_attrs(m.group(1))
            if not any("Serialize" in a or "Deserialize" in a for a in attrs if a.startswith("derive")):
                continue
            kind, name, opener = m.group(2), m.group(3), m.group(5)
            generics = [g.strip().split(":")[0] for g in (m.group(4) or "<>")[1:-1].split(",") if g.strip()]
            opts = serde_opts(attrs)
            if opener == ";":
                continue
            close = match_brace(text, m.end() - 1, opener, "}" if opener == "{" else ")")
            body = text[m.end() : close]
            reg.add(name, (kind, (opener, body, opts, generics), docs))


def ts_type(t, generics=()):
    t = t.strip()
    t = re.sub(r"^&'?\w*\s*", "", t) if t.startswith("&") else t
    t = re.sub(r"\b(std|crate|chrono|rust_decimal|chrono_tz|serde_json)::(\w+::)*", "", t)
    m = re.fullmatch(r"(\w+)(?:<(.*)>)?", t, re.S)
    if t.startswith("(") and t.endswith(")"):
        inner = [ts_type(x, generics) for x in split_top(t[1:-1])]
        return "[" + ", ".join(inner) + "]"
    if t.startswith("[") and t.endswith("]"):
        inner = ts_type(t[1:-1].split(";")[0], generics)
        return f"({inner})[]" if " " in inner else inner + "[]"
    if not m:
        raise ValueError(f"type {t!r}")
    name, args = m.group(1), m.group(2)
    args = split_top(args) if args else []
    if name in generics:
        return name
    if name in PRIMITIVES:
        return PRIMITIVES[name]
    if name in MANUAL:
        if name == "Money":
            USED.add(name)
            return name
        USED.update(re.findall(r"\b([A-Z]\w+)", re.sub(r"'[^']*'", "", MANUAL[name])))
        return MANUAL[name]
    if name == "Option":
        return ts_type(args[0], generics) + " | null"
    if name in ("Vec", "BTreeSet", "HashSet", "VecDeque"):
        inner = ts_type(args[0], generics)
        return f"({inner})[]" if " " in inner else inner + "[]"
    if name in ("BTreeMap", "HashMap"):
        return f"Record<string, {ts_type(args[-1], generics)}>"
    if name in ("Box", "Arc", "Rc", "Cow"):
        return ts_type(args[-1], generics)
    name = RENAMED.get(name, name)
    USED.add(name)
    if args:
        return name + "<" + ", ".join(ts_type(a, generics) for a in args) + ">"
    return name


USED = set()


def doc_block(docs, indent=""):
    docs = [d for d in docs if d]
    if not docs:
        return ""
    text = " ".join(docs).replace("*/", "* /")
    return f"{indent}/** {text} */\n"


def fields_of(body, generics):
    """(flattened types, [(name, optional, type, docs)]) of a struct body."""
    flat, out = [], []
    for chunk in split_top(body):
        attrs, docs, rest = take_attrs(chunk)
        m = re.match(r"pub(?:\([^)]*\))?\s+(\w+)\s*:\s*(.*)$", rest, re.S)
        if not m:
            if re.match(r"(\w+)\s*:", rest):
                m = re.match(r"(\w+)\s*:\s*(.*)$", rest, re.S)
            else:
                continue
        opts = serde_opts(attrs)
        if opts.get("skip") or opts.get("skip_serializing"):
            continue
        name, rtype = m.group(1), m.group(2).strip()
        with_ = str(opts.get("with", ""))
        if "rfc3339_opt" in with_:
            ty = "string | null"
        elif "rfc3339" in with_:
            ty = "string"
        else:
            ty = ts_type(rtype, generics)
        if opts.get("flatten"):
            flat.append(ty.replace("Record<string, ", "Record<string, ") if not ty.startswith("Record") else ty)
            continue
        key = opts.get("rename", name)
        optional = bool(opts.get("default") or opts.get("skip_serializing_if") or rtype.startswith("Option<"))
        out.append((camel(key), optional, ty, docs))
    return flat, out


def render_fields(fields, indent="  "):
    lines = []
    for name, optional, ty, docs in fields:
        lines.append(doc_block(docs, indent) + f"{indent}{name}{'?' if optional else ''}: {ty}")
    return "\n".join(lines)


def render(name, item):
    kind, data, docs = item
    head = doc_block(docs)
    if kind == "alias":
        return f"{head}export type {name} = {data}\n"
    if kind == "union":
        return f"{head}export type {name} = " + " | ".join(f"'{v}'" for v in data) + "\n"
    opener, body, opts, generics = data
    gen = "<" + ", ".join(generics) + ">" if generics else ""
    if kind == "struct":
        if opener == "(":
            inner = split_top(body)
            inner = [take_attrs(x)[2] for x in inner]
            inner = [re.sub(r"^pub(\([^)]*\))?\s+", "", x) for x in inner]
            if len(inner) == 1:
                return f"{head}export type {name}{gen} = {ts_type(inner[0], generics)}\n"
            return f"{head}export type {name}{gen} = [" + ", ".join(ts_type(x, generics) for x in inner) + "]\n"
        if opts.get("try_from") or opts.get("from"):
            src = opts.get("try_from") or opts.get("from")
            return f"{head}export type {name}{gen} = {ts_type(src, generics)}\n"
        flat, fields = fields_of(body, generics)
        base = f"{head}export interface {name}{gen} {{\n{render_fields(fields)}\n}}\n"
        if flat:
            return f"{head}export type {name}{gen} = {{\n{render_fields(fields)}\n}} & " + " & ".join(flat) + "\n"
        return base
    # enum
    if opts.get("try_from") or opts.get("from"):
        src = opts.get("try_from") or opts.get("from")
        return f"{head}export type {name}{gen} = {ts_type(src, generics)}\n"
    rule = opts.get("rename_all")
    tag, content = opts.get("tag"), opts.get("content")
    untagged = opts.get("untagged")
    variants = []
    for chunk in split_top(body):
        vattrs, vdocs, rest = take_attrs(chunk)
        if not rest:
            continue
        vopts = serde_opts(vattrs)
        if vopts.get("skip"):
            continue
        m = re.match(r"(\w+)\s*(.*)$", rest, re.S)
        vname, shape = m.group(1), m.group(2).strip()
        wire = vopts.get("rename", rename(vname, rule))
        if shape.startswith("{"):
            flat, fields = fields_of(shape[1:-1], generics)
            obj = "{\n" + render_fields(fields, "    ") + "\n  }"
            if flat:
                obj += " & " + " & ".join(flat)
            if untagged:
                variants.append((obj, vdocs))
            elif tag and content:
                variants.append((f"{{ {tag}: '{wire}'; {content}: {obj} }}", vdocs))
            elif tag:
                variants.append((f"{{ {tag}: '{wire}' }} & {obj}", vdocs))
            else:
                variants.append((f"{{ {wire}: {obj} }}", vdocs))
        elif shape.startswith("("):
            inner = [ts_type(x, generics) for x in split_top(shape[1:-1])]
            ty = inner[0] if len(inner) == 1 else "[" + ", ".join(inner) + "]"
            if untagged:
                variants.append((ty, vdocs))
            elif tag and content:
                variants.append((f"{{ {tag}: '{wire}'; {content}: {ty} }}", vdocs))
            elif tag:
                variants.append((f"{{ {tag}: '{wire}' }} & {ty}", vdocs))
            else:
                variants.append((f"{{ {wire}: {ty} }}", vdocs))
        else:
            if tag:
                variants.append((f"{{ {tag}: '{wire}' }}", vdocs))
            else:
                variants.append((f"'{wire}'", vdocs))
    lines = [f"{head}export type {name}{gen} ="]
    for v, vdocs in variants:
        lines.append(doc_block(vdocs, "  ") + f"  | {v}")
    return "\n".join(lines) + "\n"


def main():
    reg = Registry()
    parse_sources(reg)
    lib = (ROOT / "crm-node" / "src").glob("*.rs")
    roots = set()
    for path in lib:
        for sig in re.findall(r'ts_(?:args|return)_type = "([^"]*)"', path.read_text()):
            roots.update(re.findall(r"\b([A-Z]\w+)", sig))
    # The namespace classes, rendered from crm-core's declared surface by
    # tests/node_surface_types.rs: the records their signatures name are generated here too.
    surface = SURFACE.read_text() if SURFACE.exists() else ""
    for sig in re.findall(r"^  \w+\((.*)\): (.*)$", surface, re.M):
        roots.update(re.findall(r"\b([A-Z]\w+)", " ".join(sig)))
    header_defined = set(re.findall(r"export (?:type|interface) (\w+)", HEADER))
    roots.update(re.findall(r":\s*([A-Z]\w+)", HEADER))
    builtin = {"Promise", "Array", "Buffer", "Float64Array", "Record", "Date", "ScoringModel", "Instant", "ErrorCode",
               "Leads", "Customers", "Sales", "Quotes", "Service", "Marketing", "Scoring", "Events"}
    todo = sorted(roots - header_defined - builtin)
    done, out, missing = set(), [], []
    while todo:
        name = todo.pop(0)
        if name in done or name in header_defined or name in builtin:
            continue
        done.add(name)
        if name == "Money":
            out.append("/** An exact amount: a decimal string and an ISO 4217 currency code. */\n"
                       "export interface Money {\n  amount: string\n  currency: string\n}\n")
            continue
        if name in MANUAL:
            out.append(f"export type {name} = {MANUAL[name]}\n")
            continue
        source = {v: k for k, v in RENAMED.items()}.get(name, name)
        if source not in reg.items:
            missing.append(name)
            continue
        USED.clear()
        out.append(render(name, reg.items[source]))
        todo.extend(sorted(USED - done))
    if missing:
        sys.exit(f"gen_node_types: no serde type named {', '.join(sorted(missing))} in crm-core")
    dupes = sorted(reg.dupes & done)
    if dupes:
        sys.exit(f"gen_node_types: two crm-core types share the name {', '.join(dupes)}")
    text = HEADER + "\n" + "\n".join(out) + ("\n" + surface if surface else "")
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text() != text:
            sys.exit("crm-node/types.d.ts is out of date: run python3 scripts/gen_node_types.py")
        return
    OUT.write_text(text)


if __name__ == "__main__":
    main()
