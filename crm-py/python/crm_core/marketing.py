"""Marketing from Python: campaigns, segments, plans, attribution, the marketing and sales
reports as DataFrames, and marketing automation — on :class:`crm_core.Crm` (the
:class:`Marketing` mixin) — plus the same reports computed straight from your own
DataFrames by crm-core's columnar engine (:func:`performance`, :func:`funnel`,
:func:`pipeline`): one pass in Rust over numpy memory, the GIL released.

Money is exact: amounts cross as decimal strings and come back as ``Decimal``; in the
DataFrame functions money columns are integer minor units (cents) so sums stay exact.
"""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _crm_core
from .errors import InputError
from .records import format_instant, now_text as _now

__all__ = ["Marketing", "performance", "funnel", "pipeline", "NO_TIME"]

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


class Marketing:
    """The marketing use cases (mixed into :class:`crm_core.Crm`). Records come back as
    plain dicts (crm-core's JSON form, money as ``{"amount", "currency"}`` strings);
    reports as pandas DataFrames with ``Decimal`` money."""

    _native: _crm_core.NativeCrm

    @property
    def _mkt(self) -> _crm_core.NativeMarketing:
        m = self.__dict__.get("_mkt_native")
        if m is None:
            m = self._native.marketing()
            self.__dict__["_mkt_native"] = m
        return m

    # ---- campaigns -------------------------------------------------------------------------

    def create_campaign(
        self,
        code: str,
        name: str,
        *,
        channel: str,
        starts_on: _dt.date,
        ends_on: _dt.date,
        budget: Any,
        currency: str,
        ads: Iterable[Mapping[str, Any]] = (),
        target_products: Iterable[str] = (),
        segments: Iterable[str] = (),
        geographies: Iterable[str] = (),
        now: Optional[_dt.datetime] = None,
    ) -> Dict[str, Any]:
        """A planned campaign. ``channel``: email, paid_search, social, display,
        affiliate, event, direct_mail, phone. ``ads``: ``{"code", "name", "url", "cost",
        "impressions"}`` with ``cost`` a Decimal in ``currency``."""
        new = {
            "code": code,
            "name": name,
            "channel": channel,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "budget": _money(budget, currency),
            "ads": [
                {
                    "code": a["code"],
                    "name": a.get("name", ""),
                    "url": a.get("url"),
                    "cost": _money(a.get("cost", 0), currency),
                    "impressions": int(a.get("impressions", 0)),
                }
                for a in ads
            ],
            "target_products": list(target_products),
            "segments": list(segments),
            "geographies": list(geographies),
        }
        return json.loads(self._mkt.create_campaign(json.dumps(new), _now(now)))

    def campaign(self, code: str) -> Dict[str, Any]:
        return json.loads(self._mkt.campaign(code))

    def campaigns(self) -> List[Dict[str, Any]]:
        return json.loads(self._mkt.campaigns())

    def set_campaign_status(self, code: str, status: str, now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        """``active``, ``completed`` or ``cancelled``."""
        return json.loads(self._mkt.set_campaign_status(code, status, _now(now)))

    def record_ad_stats(self, code: str, ad: str, *, cost: Any, currency: str, impressions: int, now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        """An ad's cost and impressions so far (from the ad platform)."""
        return json.loads(self._mkt.record_ad_stats(code, ad, _money_text(cost), currency, int(impressions), _now(now)))

    def add_campaign_cost(self, code: str, cost: Any, currency: str, now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        return json.loads(self._mkt.add_campaign_cost(code, _money_text(cost), currency, _now(now)))

    def add_campaign_members(self, code: str, members: Iterable[Any], now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        """Adds leads or contacts (records or ``("lead", id)``) to a campaign."""
        return json.loads(self._mkt.add_campaign_members(code, json.dumps([_ref(m) for m in members]), _now(now)))

    def target_segment(self, code: str, segment: str, now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        """Adds a segment's members (evaluated now) to a campaign."""
        return json.loads(self._mkt.target_segment(code, segment, _now(now)))

    def campaign_members(self, code: str) -> Any:
        """Members and their furthest response (sent, opened, clicked, responded,
        converted) as a DataFrame."""
        rows = [
            {"kind": m["subject"]["kind"], "id": m["subject"]["id"], "response": m["response"], "last_touch_at": m["last_touch_at"]}
            for m in json.loads(self._mkt.campaign_members(code))
        ]
        import pandas as pd

        frame = _frame(rows, ["kind", "id", "response", "last_touch_at"])
        frame["last_touch_at"] = pd.to_datetime(frame["last_touch_at"], utc=True)
        return frame

    # ---- segments and plans ------------------------------------------------------------------

    def define_segment(self, name: str, rule: Mapping[str, Any], *, subject: str = "contacts", now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        """Defines (or redefines) a segment of ``leads`` or ``contacts`` by a rule
        (``{"op": "all", "all": [{"op": "purchased", "product": "CAM-1"}, {"op":
        "not_purchased", "product": "LENS-1"}]}``) and evaluates it: ``{"segment",
        "added", "removed"}``."""
        return json.loads(self._mkt.define_segment(name, subject, json.dumps(rule), _now(now)))

    def evaluate_segment(self, name: str, now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        return json.loads(self._mkt.evaluate_segment(name, _now(now)))

    def segment(self, name: str) -> Dict[str, Any]:
        return json.loads(self._mkt.segment(name))

    def define_marketing_plan(self, name: str, targets: Iterable[Mapping[str, Any]], now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        """Targets: ``{"starts_on", "ends_on", "product_group", "geography", "leads",
        "responses", "revenue", "currency"}``."""
        rows = [
            {
                "starts_on": t["starts_on"].isoformat(),
                "ends_on": t["ends_on"].isoformat(),
                "product_group": t["product_group"],
                "geography": t.get("geography", "*"),
                "leads": int(t.get("leads", 0)),
                "responses": int(t.get("responses", 0)),
                "revenue": _money(t.get("revenue", 0), t["currency"]),
            }
            for t in targets
        ]
        return json.loads(self._mkt.define_marketing_plan(name, json.dumps(rows), _now(now)))

    def plan_vs_actual(self, name: str) -> Any:
        rows = []
        for r in json.loads(self._mkt.plan_vs_actual(name)):
            rows.append(
                {
                    "starts_on": _dt.date.fromisoformat(r["starts_on"]),
                    "ends_on": _dt.date.fromisoformat(r["ends_on"]),
                    "product_group": r["product_group"],
                    "geography": r["geography"],
                    "leads_planned": r["leads"][0],
                    "leads_actual": r["leads"][1],
                    "responses_planned": r["responses"][0],
                    "responses_actual": r["responses"][1],
                    "revenue_planned": Decimal(r["revenue"][0]),
                    "revenue_actual": Decimal(r["revenue"][1]),
                }
            )
        return _frame(rows)

    # ---- attribution and reports -------------------------------------------------------------

    def attribution(
        self,
        model: str = "linear",
        *,
        currency: str,
        half_life_days: float = 7.0,
        start: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        owner: Optional[str] = None,
        campaign: Optional[str] = None,
    ) -> Any:
        """Won revenue credited to ad, affiliate, campaign and channel under ``model``
        (``first_touch``, ``last_touch``, ``linear``, ``time_decay``, ``position_based``):
        a DataFrame (dimension, key, revenue, touches, deals); credits sum to the revenue."""
        spec: Dict[str, Any] = {"model": model}
        if model == "time_decay":
            spec["half_life_days"] = float(half_life_days)
        report = json.loads(self._mkt.attribution(json.dumps(spec), currency, _filter(start, until, owner, campaign)))
        frame = _frame(report["rows"], ["dimension", "key", "revenue", "touches", "deals"])
        frame["revenue"] = frame["revenue"].map(_dec)
        frame.attrs.update({k: report[k] for k in ("deals", "deals_without_touches", "skipped_other_currency")})
        frame.attrs["revenue"] = Decimal(str(report["revenue"]))
        return frame

    def marketing_report(
        self,
        *,
        currency: str,
        start: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        owner: Optional[str] = None,
        campaign: Optional[str] = None,
    ) -> Dict[str, Any]:
        """``{"performance", "funnel", "stages", "win_rates"}`` DataFrames and
        ``median_cycle_days``: click-through and conversion rates, cost per lead and per
        acquisition, ROI and response rates by ad, affiliate, campaign and channel; the
        funnel lead → qualified → opportunity → won with median days between stages; the
        open pipeline by stage; win rates by owner and source."""
        r = json.loads(self._mkt.marketing_report(currency, _filter(start, until, owner, campaign)))
        perf = _frame(r["performance"])
        for col in ("revenue", "cost", "cost_per_lead", "cost_per_acquisition"):
            if col in perf:
                perf[col] = perf[col].map(_dec)
        f = r["funnel"]
        stages = ["lead", "qualified", "opportunity", "won"]
        counts = [f["leads"], f["qualified"], f["opportunities"], f["won"]]
        funnel_frame = _frame(
            [
                {
                    "stage": stages[i],
                    "count": counts[i],
                    "rate_from_previous": None if i == 0 else f["rates"][i - 1],
                    "median_days_from_previous": None if i == 0 else f["median_days"][i - 1],
                }
                for i in range(4)
            ]
        )
        stage_frame = _frame(r["pipeline"]["stages"], ["stage", "deals", "amount"])
        stage_frame["amount"] = stage_frame["amount"].map(_dec)
        wins = _frame(r["pipeline"]["win_rates"], ["dimension", "key", "closed", "won", "win_rate", "won_amount", "median_cycle_days"])
        wins["won_amount"] = wins["won_amount"].map(_dec)
        return {
            "performance": perf,
            "funnel": funnel_frame,
            "stages": stage_frame,
            "win_rates": wins,
            "median_cycle_days": r["pipeline"]["median_cycle_days"],
            "lead_to_won_rate": f["rates"][3],
        }

    def sales_report(self, *, period: str = "month", currency: str, start: Optional[_dt.datetime] = None, until: Optional[_dt.datetime] = None, owner: Optional[str] = None) -> Dict[str, Any]:
        """``{"products", "demographics"}`` DataFrames: products × price by ``period``
        (``month``, ``quarter``, ``year``) and customer demographics by product."""
        r = json.loads(self._mkt.sales_report(period, currency, _filter(start, until, owner, None)))
        products = _frame(r["products"])
        for col in ("quantity", "revenue", "min_unit_price", "median_unit_price", "max_unit_price", "discounts"):
            if col in products:
                products[col] = products[col].map(_dec)
        return {"products": products, "demographics": _frame(r["demographics"])}

    # ---- automation --------------------------------------------------------------------------

    def define_automation_rule(
        self,
        name: str,
        *,
        trigger: Mapping[str, Any],
        actions: Sequence[Mapping[str, Any]],
        once_per_record: bool = False,
        now: Optional[_dt.datetime] = None,
    ) -> Dict[str, Any]:
        """A rule: ``trigger`` ``{"on": "event", "event_type": "LeadCaptured",
        "conditions": [{"if": "field_equals", "field": "source", "value": "web_form"}]}``
        or ``{"on": "quote_expiring", "within_days": 3}``; ``actions`` like ``{"do":
        "send_email", "template": {"name", "subject", "body", "missing": "blank"}}``,
        ``{"do": "assign_round_robin", "owners": [...]}``, ``{"do": "set_rating",
        "rating": "hot"}``, ``{"do": "wait", "days": 3, "conditions": [...], "then":
        [...]}``."""
        return json.loads(
            self._mkt.define_automation_rule(name, json.dumps(trigger), json.dumps(list(actions)), bool(once_per_record), _now(now))
        )

    def run_automation(self, now: Optional[_dt.datetime] = None, max_events: int = 10_000) -> Dict[str, Any]:
        """Plans the actions for the events since the stored cursor (each action once)."""
        return json.loads(self._mkt.run_automation(_now(now), int(max_events)))

    def pending_automation_actions(self) -> List[Dict[str, Any]]:
        return json.loads(self._mkt.pending_automation_actions())

    def finish_automation_action(self, id: int, failure: Optional[str] = None, now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        return json.loads(self._mkt.finish_automation_action(int(id), failure, _now(now)))

    def apply_automation_action(self, id: int, now: Optional[_dt.datetime] = None) -> Dict[str, Any]:
        """Carries out an action the CRM can (assign, rate, add to campaign or segment)."""
        return json.loads(self._mkt.apply_automation_action(int(id), _now(now)))


# ---- the columnar engine on your own DataFrames ----------------------------------------------


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
