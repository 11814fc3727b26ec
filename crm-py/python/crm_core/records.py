"""The records crm-core hands out: one immutable named tuple per Rust struct, and one per
variant of an enum that carries data (``LeadStatusDisqualified(reason=...,
kind='disqualified')``). They are made at import from crm-core's schema (derived from the
Rust types, with their doc comments), so no field of a Rust record is missing here; the
stub ``records.pyi`` is rendered from the same model.

A record is also its own builder: the fields without a default come first, in the Rust
declaration's order; an optional field defaults to ``None``, a collection the JSON may leave
out to a new empty one, a nested record whose fields all default to a new one, and a
variant's name to itself (``FeatureBought(products=["B"])``, ``LeadStatusNew()``).

Instants are aware ``datetime`` (UTC), days ``date``, money amounts and percentages
``Decimal``; enums of plain names are ``str`` (typed as ``Literal`` in the stub). A record
can be passed back to any use case as it is (``crm.leads.update(lead.id, lead.version,
lead.data._replace(job_title="CTO"))``); :func:`to_pandas` and :func:`to_polars` lay a
list of records out as a frame, nested records as dotted columns.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

from . import _crm_core

_CLASSES: Dict[str, type] = dict(_crm_core.record_classes())
globals().update(_CLASSES)

__all__ = sorted(_CLASSES) + ["to_rows", "to_pandas", "to_polars"]


def _flatten(value: Any, prefix: str, row: Dict[str, Any]) -> None:
    shape = getattr(type(value), "_crm_shape", None)
    if shape is None:
        row[prefix] = value
        return
    style = shape[0]
    for name in value._fields:
        item = getattr(value, name)
        if style != "struct" and name == "kind":
            row[prefix] = item  # a variant's name stands for the enum in its own column
        else:
            _flatten(item, f"{prefix}.{name}" if prefix else name, row)


def to_rows(records: Iterable[Any]) -> List[Dict[str, Any]]:
    """Records as flat dicts: nested records as dotted keys (``data.email``), an enum as its
    variant's name under its own key (``status``) with the variant's data beside it
    (``status.reason``)."""
    rows = []
    for r in records:
        row: Dict[str, Any] = {}
        _flatten(r, "", row)
        rows.append(row)
    return rows


def to_pandas(records: Iterable[Any]) -> Any:
    """Records as a pandas DataFrame (see :func:`to_rows`)."""
    import pandas as pd

    return pd.DataFrame(to_rows(records))


def to_polars(records: Iterable[Any]) -> Any:
    """Records as a polars DataFrame (see :func:`to_rows`)."""
    import polars as pl

    return pl.DataFrame(to_rows(records))
