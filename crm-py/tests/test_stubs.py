"""The generated stubs match the model the runtime uses: ``records.pyi`` and the surface
section of ``_crm_core.pyi`` are rendered from crm-core's schema (crm-py/src/stubs.rs).
With CRM_WRITE_GENERATED=1 the test writes them instead of failing."""

from __future__ import annotations

import os
import pathlib

from crm_core import _crm_core, records

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "python" / "crm_core"
START = "# ---- generated: the surface"
END = "# ---- end of generated"


def _surface_section(text: str, body: str) -> str:
    head, rest = text.split(START, 1)
    header, _ = rest.split("\n", 2)[0:2], None
    first_lines = rest.split("\n")
    # keep the marker's two comment lines, replace what lies between them and the end
    marker = START + first_lines[0] + "\n" + first_lines[1] + "\n"
    tail = rest.split(END, 1)[1]
    return head + marker + body + END + tail


def test_the_committed_stubs_are_the_rendered_ones() -> None:
    records_pyi, surface = _crm_core._render_stubs()
    records_path = PACKAGE / "records.pyi"
    native_path = PACKAGE / "_crm_core.pyi"
    native = native_path.read_text()
    wanted_native = _surface_section(native, surface)
    if os.environ.get("CRM_WRITE_GENERATED"):
        records_path.write_text(records_pyi)
        native_path.write_text(wanted_native)
    assert records_path.read_text() == records_pyi, "records.pyi is stale: CRM_WRITE_GENERATED=1 pytest crm-py/tests/test_stubs.py"
    assert native == wanted_native, "_crm_core.pyi is stale: CRM_WRITE_GENERATED=1 pytest crm-py/tests/test_stubs.py"


def test_every_record_class_has_every_field_of_its_rust_type() -> None:
    import json

    schema = json.loads(_crm_core.surface_schema())
    classes = _crm_core.record_classes()
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object" and "properties" in definition and "oneOf" not in definition:
            cls = classes["".join(p[:1].upper() + p[1:] for p in name.replace("_", " ").split())]
            assert sorted(cls._crm_keys) == sorted(definition["properties"]), name
            # the fields a caller must give come first, in the Rust declaration's order
            must = [k for k, a in zip(cls._crm_keys, cls._fields) if a not in cls._field_defaults]
            assert cls._crm_keys[: len(must)] == tuple(must), name
            assert must == [k for k in definition["properties"] if k in must], name
            assert getattr(records, cls.__name__) is cls
