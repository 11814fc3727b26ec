"""Marketing reports computed straight from your own DataFrames by crm-core's columnar
engine (:func:`performance`, :func:`funnel`, :func:`pipeline`): one pass in Rust over numpy
memory, the GIL released. (Stored campaigns, segments, plans, attribution, reports and
automation are the ``marketing`` namespace of :class:`crm_core.Crm`.)

Money is exact: in these functions money columns are integer minor units (cents), so sums
stay exact."""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _crm_core
from .errors import InputError
from ._time import format_instant

__all__ = ["performance", "funnel", "pipeline", "NO_TIME"]

#: "No instant" in the columnar inputs (``int64`` seconds).
NO_TIME = np.iinfo(np.int64).min
_NO_CODE = np.iinfo(np.uint32).max


def _money_text(amount: Any) -> str:
    if isinstance(amount, float):
        raise InputError("money must be a Decimal, an int or a decimal string, not a float")
    return str(Decimal(str(amount)))


def _money(amount: Any, currency: str) -> Dict[str, str]:
    return {"amount": _money_text(amount), "currency": currency}


def _filter(start: Optional[_dt.datetime], until: Optional[_dt.datetime], owner: Optional[str], campaign: Optional[str]) -> str:
    return json.dumps(
        {
            "from": None if start is None else format_instant(start),
            "until": None if until is None else format_instant(until),
            "owner": owner,
            "campaign": campaign,
        }
    )


def _ref(subject: Any) -> Dict[str, Any]:
    if isinstance(subject, tuple) and len(subject) == 2:
        return {"kind": subject[0], "id": int(subject[1])}
    kind = type(subject).__name__.lower()
    if kind not in ("lead", "contact"):
        raise InputError(f"a member is a Lead, a Contact or ('lead', id); got {type(subject).__name__}")
    return {"kind": kind, "id": int(subject.id)}


def _frame(rows: Sequence[Mapping[str, Any]], columns: Optional[Sequence[str]] = None) -> Any:
    import pandas as pd

    return pd.DataFrame(list(rows), columns=columns)


def _dec(v: Any) -> Optional[Decimal]:
    return None if v is None else Decimal(str(v))


_UNIT_SECONDS = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _seconds(col: Any) -> np.ndarray:
    """``datetime64`` (naive = UTC, or tz-aware pandas) → int64 seconds, NaT → NO_TIME."""
    import pandas as pd

    values = col
    if isinstance(col, pd.Series) and getattr(col.dt, "tz", None) is not None:
        values = col.dt.tz_convert("UTC").dt.tz_localize(None)
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        raise InputError(f"expected datetime64 values, not {arr.dtype}")
    unit = np.datetime_data(arr.dtype)[0]
    if unit not in _UNIT_SECONDS:
        arr = arr.astype("datetime64[s]")
        unit = "s"
    ints = arr.view(np.int64)
    if unit == "s":
        return np.ascontiguousarray(ints)
    out = ints // _UNIT_SECONDS[unit]
    out[ints == NO_TIME] = NO_TIME
    return np.ascontiguousarray(out)


def _raw_times(col: Any) -> Tuple[np.ndarray, int]:
    """``datetime64`` values as their raw int64 ticks (NaT stays NO_TIME) and ticks per
    second — no pass over the values when the column is already naive ``datetime64``."""
    import pandas as pd

    values = col
    if isinstance(col, pd.Series) and getattr(col.dt, "tz", None) is not None:
        values = col.dt.tz_convert("UTC").dt.tz_localize(None)
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        raise InputError(f"expected datetime64 values, not {arr.dtype}")
    unit = np.datetime_data(arr.dtype)[0]
    if unit not in _UNIT_SECONDS:
        return _seconds(col), 1
    return np.ascontiguousarray(arr.view(np.int64)), _UNIT_SECONDS[unit]


def _from_codes(codes: np.ndarray) -> np.ndarray:
    """pandas codes (-1: missing) → uint32 codes; the cast wraps -1 to 2^32 - 1, the
    engine's "no code"."""
    return np.ascontiguousarray(codes.astype(np.uint32))


def _codes(col: Any) -> Tuple[np.ndarray, Any]:
    """Dictionary codes (uint32, missing → no code) and the keys; categoricals give
    theirs without a pass over the values."""
    import pandas as pd

    s = col if isinstance(col, pd.Series) else pd.Series(col)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return _from_codes(s.cat.codes.to_numpy()), s.cat.categories
    codes, uniques = pd.factorize(s, sort=False)
    return _from_codes(np.asarray(codes)), uniques


def _shared_codes(a: Any, b: Any) -> Tuple[np.ndarray, np.ndarray, Any]:
    """Codes of two columns in one dictionary (the first's keys, then the second's new ones)."""
    import pandas as pd

    ca, ka = _codes(a)
    cb, kb = _codes(b)
    ka, kb = pd.Index(ka), pd.Index(kb)
    if ka.equals(kb):
        return ca, cb, ka
    keys = ka.append(kb.difference(ka, sort=False))
    remap = keys.get_indexer(kb).astype(np.int64)
    mapped = np.full(len(cb), _NO_CODE, dtype=np.uint32)
    present = cb != _NO_CODE
    mapped[present] = remap[cb[present]].astype(np.uint32)
    return ca, mapped, keys


def performance(touches: Any, leads: Any, *, start: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None) -> Any:
    """Clicks, leads, customers and revenue by ad, affiliate, campaign and channel from
    your DataFrames. ``touches``: ``at`` (datetime64), ``click`` (bool), ``ad``,
    ``affiliate``, ``campaign``, ``channel``; ``leads``: ``created_at``, the same four
    keys, ``won_at`` (NaT when not won), ``won_cents`` (int64). Returns a DataFrame
    (dimension, key, clicks, leads, customers, revenue_cents), keys sorted."""
    import pandas as pd

    dims = ["ad", "affiliate", "campaign", "channel"]
    t_codes, l_codes, keys = [], [], []
    for d in dims:
        tc, lc, uniques = _shared_codes(touches[d], leads[d])
        t_codes.append(tc)
        l_codes.append(lc)
        keys.append(uniques)
    n = len(leads)
    nothing = np.full(n, NO_TIME, dtype=np.int64)
    owners = np.full(n, _NO_CODE, dtype=np.uint32)
    won_at = _seconds(leads["won_at"])
    # Touch instants stay in their own ticks; only the period bounds are scaled. The
    # engine compares touch and lead instants with the same bounds, so both sides must
    # share a unit: the leads' instants are scaled to the touches' ticks.
    touch_at, ticks = _raw_times(touches["at"])
    created = _seconds(leads["created_at"])
    if ticks != 1:
        created = np.where(created == NO_TIME, NO_TIME, created * ticks)
    out = _crm_core.performance_columns(
        touch_at,
        np.ascontiguousarray(np.asarray(touches["click"], dtype=np.uint8)),
        t_codes,
        created,
        owners,
        l_codes,
        nothing,
        nothing,
        won_at,
        np.ascontiguousarray(np.asarray(leads["won_cents"], dtype=np.int64)),
        [len(k) for k in keys],
        from_=None if start is None else int(start.timestamp()) * ticks,
        until=None if until is None else int(until.timestamp()) * ticks,
    )
    parts: Dict[str, List[np.ndarray]] = {c: [] for c in ("dimension", "key", "clicks", "leads", "customers", "revenue_cents")}
    for i, d in enumerate(dims):
        k = np.asarray(keys[i], dtype=object)
        order = np.argsort(k.astype(str), kind="stable")
        parts["dimension"].append(np.full(len(k), d, dtype=object))
        parts["key"].append(k[order])
        for col, name in (("clicks", "clicks"), ("leads", "leads"), ("customers", "customers"), ("revenue_cents", "revenue")):
            parts[col].append(out[f"{name}_{i}"][order])
    return pd.DataFrame({c: np.concatenate(v) for c, v in parts.items()})


def funnel(leads: Any, *, start: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None) -> Dict[str, Any]:
    """The funnel from a DataFrame with ``created_at``, ``qualified_at``,
    ``opportunity_at``, ``won_at`` (NaT when the lead never got there): counts of leads,
    qualified, opportunities, won and the median days between stages."""
    n = len(leads)
    counts, medians = _crm_core.funnel_columns(
        _seconds(leads["created_at"]),
        np.full(n, _NO_CODE, dtype=np.uint32),
        np.full(n, _NO_CODE, dtype=np.uint32),
        _seconds(leads["qualified_at"]),
        _seconds(leads["opportunity_at"]),
        _seconds(leads["won_at"]),
        from_=None if start is None else int(start.timestamp()),
        until=None if until is None else int(until.timestamp()),
    )
    return {
        "counts": dict(zip(["leads", "qualified", "opportunities", "won"], counts)),
        "median_days": dict(zip(["to_qualified", "to_opportunity", "to_won"], medians)),
    }


def pipeline(deals: Any, *, start: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None) -> Dict[str, Any]:
    """The pipeline from a DataFrame with ``created_at``, ``closed_at`` (NaT when open),
    ``state`` (open / won / lost), ``stage``, ``owner``, ``source``, ``amount_cents``:
    ``stages`` (open deals and cents by stage), ``owners`` and ``sources`` (closed, won,
    won cents, win rate, median cycle days) DataFrames and ``median_cycle_days``."""
    import pandas as pd

    codes, names = _codes(deals["state"])
    lookup = {"open": 0, "won": 1, "lost": 2}
    if any(str(x) not in lookup for x in names) or (codes == _NO_CODE).any():
        raise InputError("state must be open, won or lost")
    state = np.array([lookup[str(x)] for x in names], dtype=np.uint8)[codes]
    stage, stages = _codes(deals["stage"])
    owner, owners = _codes(deals["owner"])
    source, sources = _codes(deals["source"])
    n = len(deals)
    out = _crm_core.pipeline_columns(
        _seconds(deals["created_at"]),
        _seconds(deals["closed_at"]),
        np.ascontiguousarray(state),
        stage,
        owner,
        source,
        np.full(n, _NO_CODE, dtype=np.uint32),
        np.ascontiguousarray(np.asarray(deals["amount_cents"], dtype=np.int64)),
        [len(stages), len(owners), len(sources)],
        from_=None if start is None else int(start.timestamp()),
        until=None if until is None else int(until.timestamp()),
    )

    def groups(g: int, keys: Any, name: str) -> Any:
        closed = out[f"closed_{g}"]
        keep = np.flatnonzero(closed > 0)
        k = np.asarray(keys, dtype=object)[keep]
        order = keep[np.argsort(k.astype(str), kind="stable")]
        won = out[f"won_{g}"][order]
        return pd.DataFrame(
            {
                name: np.asarray(keys, dtype=object)[order],
                "closed": closed[order],
                "won": won,
                "won_cents": out[f"won_units_{g}"][order],
                "median_cycle_days": out[f"median_cycle_{g}"][order],
                "win_rate": won / closed[order],
            }
        )

    open_count = out["open"]
    keep = np.flatnonzero(open_count > 0)
    names_ = np.asarray(stages, dtype=object)
    order = keep[np.argsort(names_[keep].astype(str), kind="stable")]
    st = pd.DataFrame({"stage": names_[order], "deals": open_count[order], "cents": out["open_units"][order]})
    return {
        "stages": st,
        "owners": groups(0, owners, "owner"),
        "sources": groups(1, sources, "source"),
        "median_cycle_days": out["median_cycle_days"],
    }
